"""`regret prove`: run the machine-checked proofs of the top-level proofs/ directory.

    regret prove                      # every proof: a table (name, status, method, statement)
    regret prove gamma-psd -v         # one proof, with every step, its numbers and the findings
    regret prove --list               # the proofs and what they state, without running them
    regret prove --json               # schema regret.prove/1

The exit status is 0 only if every selected proof HOLDS (1 if one FAILS or raises an ERROR; 2 for
bad input, e.g. an unknown name or a missing proofs/ directory). The proofs/ directory is found beside
the package (the repository checkout of an editable install); ``--dir`` points elsewhere.
"""
from __future__ import annotations

import json
import sys
import textwrap

from ..errors import InvalidInput

SCHEMA = "regret.prove/1"


def add_parser(sub) -> None:
    p = sub.add_parser("prove", help="run the machine-checked proofs (proofs/) and print their status",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", metavar="NAME", help="proofs to run (default: all)")
    p.add_argument("--list", action="store_true", help="list the proofs and their statements, run nothing")
    p.add_argument("--json", action="store_true", help=f"print JSON (schema {SCHEMA}) instead of the table")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print every step with its numbers, the findings and what is not proved")
    p.add_argument("--dir", metavar="DIR", default=None,
                   help="the proofs directory [proofs/ beside the installed package]")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=main)


def _table(rows: list[list[str]], header: list[str], wrap_last: int = 70) -> str:
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header) - 1)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header[:-1], widths)) + "  " + header[-1]]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * min(wrap_last, 40))
    pad = " " * (sum(widths) + 2 * len(widths))
    for r in rows:
        last = textwrap.wrap(r[-1], wrap_last) or [""]
        lines.append("  ".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + "  " + last[0])
        lines.extend(pad + more for more in last[1:])
    return "\n".join(lines)


def main(args) -> int:
    # imported here: regret.theory loads sympy and every theorem (~1.5 s), which no other
    # subcommand's start-up should pay
    from ..theory import proofs_runner

    found = proofs_runner.discover(args.dir)
    try:
        proofs = proofs_runner.select(found, args.names)
    except InvalidInput as exc:
        from .util import with_suggestion

        raise with_suggestion(exc, [p.name for p in found]) from None
    if args.list:
        if args.json:
            print(json.dumps({"schema": SCHEMA, "proofs": [
                {"name": p.name, "statement": p.statement, "citation": p.citation, "file": p.module}
                for p in proofs]}, indent=2, ensure_ascii=False))
        else:
            print(_table([[p.name, p.statement] for p in proofs], ["name", "statement"], wrap_last=90))
        return 0
    results = []
    for p in proofs:
        if not args.quiet:
            print(f"proving {p.name} ...", file=sys.stderr, flush=True)
        results.append(p.run())
    all_hold = all(r.holds for r in results)
    if args.json:
        print(json.dumps({"schema": SCHEMA, "all_hold": all_hold, "proofs": [r.as_dict() for r in results]},
                         indent=2, ensure_ascii=False))
        return 0 if all_hold else 1
    rows = [[r.name, r.status, r.method, f"{r.seconds:.1f}s", r.statement] for r in results]
    print(_table(rows, ["name", "status", "method", "time", "statement"]))
    n_ok = sum(r.holds for r in results)
    print(f"\n{n_ok}/{len(results)} proofs hold ({sum(r.seconds for r in results):.1f} s)")
    for r in results:
        if args.verbose or not r.holds:
            print("\n" + r.report(verbose=args.verbose))
    return 0 if all_hold else 1
