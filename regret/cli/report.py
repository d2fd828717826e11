"""`regret report NAME | --all`: (re)build the committed reports in reports/NAME/."""
from __future__ import annotations

import sys

from ..errors import InvalidInput


def add_parser(sub) -> None:
    from ..report import REPORTS

    p = sub.add_parser("report", help="build a report (README.md, figures, CSVs, metadata) in reports/NAME/",
                       description=f"Build one of the reports {sorted(REPORTS)} into OUT/NAME/ (same command, "
                                   "same files; timestamps and paths only in metadata.json).")
    p.add_argument("name", nargs="?", help=f"one of {sorted(REPORTS)}")
    p.add_argument("--all", action="store_true", help="rebuild every report")
    p.add_argument("--out", default="reports", help="output root [reports]")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=main)


def main(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from .. import report

    if args.all == (args.name is not None):
        raise InvalidInput("report", args.name, "exactly one of NAME or --all")
    names = sorted(report.REPORTS) if args.all else [args.name]
    for n in names:
        report.module(n)  # validate every name before building anything
    progress = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    for n in names:
        print(report.build(n, root=args.out, progress=progress))
    return 0
