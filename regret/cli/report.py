"""`regret report NAME | --all`: (re)build the committed reports in reports/NAME/."""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time

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
    for n in names:  # validate every name before building anything (an unknown one: "did you mean")
        report.module(n)
    check_root(args.out, names)
    from .. import progress

    if args.quiet:
        progress.show(False)  # the engine's and the comparator's bars too
    before = {n: previous_seconds(args.out, n) for n in names}
    # --all: one bar over the reports, in seconds of their previous builds (its ETA); each report's
    # steps as lines with the time so far against the previous build's
    total = sum(v or 0.0 for v in before.values())
    several = len(names) > 1
    with progress.bar(max(1, round(total)), "reports", unit="s") if several else contextlib.nullcontext() as shown:
        for n in names:
            t0 = time.perf_counter()
            say = (lambda m: None) if args.quiet else steps(before[n])
            print(report.build(n, root=args.out, progress=say))
            if several:
                shown.update(round(time.perf_counter() - t0))
    return 0


def previous_seconds(root: str, name: str) -> float | None:
    """How long the report's previous build took (its metadata.json), or None."""
    try:
        with open(os.path.join(root, name, "metadata.json")) as f:
            v = float(json.load(f)["build_seconds"])
        return v if v > 0 else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def steps(before: float | None, out=None):
    """The progress callback of one build: each step as a line with the seconds so far and, when the
    report was built before, that build's duration (an estimate of the time left)."""
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        so_far = time.perf_counter() - t0
        of = f" of about {before:.0f} s" if before else ""
        print(f"[{so_far:.0f} s{of}] {msg}", file=out or sys.stderr, flush=True)

    return say


def check_root(root: str, names) -> None:
    """Refuse, before any work, an output root the reports could not be written into."""
    if not isinstance(root, str) or not root.strip():
        raise InvalidInput("--out", root, "a directory")
    if os.path.exists(root):
        if not os.path.isdir(root):
            raise InvalidInput("--out", root, "a directory (it names a file)")
        where = root
    else:
        where = os.path.dirname(os.path.abspath(root))
        if not os.path.isdir(where):
            raise InvalidInput("--out", root, f"a directory, or a new one in an existing directory ({where} is not one)")
    if not os.access(where, os.W_OK | os.X_OK):
        raise InvalidInput("--out", root, f"a directory you can write ({where} is not writable)")
    for n in names:
        path = os.path.join(root, n)
        if os.path.lexists(path) and not os.path.isdir(path):
            raise InvalidInput("--out", root, f"a directory where {n} can be a directory ({path} is a file)")
