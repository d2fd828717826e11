"""The `regret` command. Each subcommand lives in its own module of this package, which defines
``add_parser(subparsers)`` (registering its arguments and ``func``) — see :mod:`regret.cli.run`.

Errors in the input (:class:`regret.errors.InvalidInput`) are printed as one line on stderr and
the command exits with status 2. Every output path is checked before any work, and the files of one
command are written under temporary names and renamed into place together at the end
(:func:`regret.files.write_together`): nothing is written half, and a failure, Ctrl-C or SIGTERM
leaves no temporary file and every earlier file as it was.
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys

from ..errors import InvalidInput, SolverFailure

SUBCOMMANDS = ("run", "sweep", "verify", "falsify", "prove", "plot", "report", "bench")


class _UsageError(Exception):
    """argparse's own complaint (an unknown option, a missing argument), turned into an InvalidInput
    by :func:`main`, which knows the command line."""

    def __init__(self, parser, message):
        super().__init__(message)
        self.parser, self.message = parser, message


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: one line, exit 2
        raise _UsageError(self, message)


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


def _options(parser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings if s.startswith("--")]


def _usage_error(parser, exc: _UsageError, argv: list[str]) -> InvalidInput:
    """argparse's message as FIELD=VALUE is invalid: WHAT IS ALLOWED, with a "did you mean"."""
    from .util import did_you_mean

    msg = exc.message
    subs = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            subs = action.choices
    command = next((a for a in argv if a in subs), None)
    where = f"regret {command}" if command else "regret"
    m = re.match(r"argument (\S+?)(?:/\S+)?: (.*)", msg)
    if m:
        field, why = m.group(1), m.group(2)
        field = "command" if field.startswith("{") else field
        choice = re.match(r"invalid choice: '(.*)' \(choose from (.*)\)", why)
        if choice:
            choices = [c.strip().strip("'") for c in choice.group(2).split(",")]
            return InvalidInput(field, choice.group(1), f"one of {', '.join(choices)}"
                                                        f"{did_you_mean(choice.group(1), choices)}")
        value = None
        if field in argv:
            k = argv.index(field)
            value = argv[k + 1] if k + 1 < len(argv) else None
        return InvalidInput(field, value, f"{why} (see {where} --help)")
    m = re.match(r"the following arguments are required: (.*)", msg)
    if m:
        missing = m.group(1)
        field = missing.split(",")[0].strip()
        return InvalidInput(field, None, f"required: {where} needs {missing} (see {where} --help)")
    m = re.match(r"unrecognized arguments: (.*)", msg)
    if m:
        extra = m.group(1).split()
        first = extra[0]
        known = _options(subs[command]) if command else []
        hint = did_you_mean(first.split("=")[0], known) if first.startswith("-") else ""
        return InvalidInput("arguments", " ".join(extra), f"the options of {where} (see {where} --help){hint}")
    return InvalidInput("arguments", " ".join(argv), f"{msg} (see {where} --help)")


def main(argv=None) -> int:
    from ..files import Terminated

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except _UsageError as exc:
            raise _usage_error(parser, exc, argv) from None
        from .. import progress

        # progress bars (long runs, between compiled chunks) on a terminal unless --quiet
        with progress.shown(False if getattr(args, "quiet", False) else None):
            return int(args.func(args) or 0)
    except (InvalidInput, SolverFailure) as exc:
        print(f"regret: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError as exc:  # a size the input asked for (d, T, seeds) does not fit
        print(f"regret: error: out of memory{': ' + str(exc) if str(exc) else ''} — choose a smaller size",
              file=sys.stderr)
        return 2
    except Terminated:
        print("regret: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("regret: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
