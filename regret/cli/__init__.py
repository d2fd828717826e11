"""The `regret` command. Each subcommand lives in its own module of this package, which defines
``add_parser(subparsers)`` (registering its arguments and ``func``) — see :mod:`regret.cli.run`.

Errors in the input (:class:`regret.errors.InvalidInput`) are printed as one line on stderr and
the command exits with status 2; nothing is written half (files go through :func:`atomic_write`).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import InvalidInput, SolverFailure

SUBCOMMANDS = ("run", "verify", "prove", "plot", "report", "bench")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: one line, exit 2
        raise InvalidInput("arguments", " ".join(sys.argv[1:]), message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="regret", description="Measure regret exactly; check published bounds against it.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in SUBCOMMANDS:
        try:
            mod = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # subcommand not built yet
            raise
        mod.add_parser(sub)
    return parser


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except (InvalidInput, SolverFailure) as exc:
        print(f"regret: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("regret: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
