"""`regret sweep`: a grid of optimizers × problems × horizons × seeds into a resumable results store.

    regret sweep --optimizer 'adam:beta2=0.9|0.99|0.999,alpha=0.1|0.5' --problem reddi:C=3 \\
                 --T 1e4 --seeds 10 --out results/beta2
    regret sweep sweep.toml --out results/beta2

A value ``a|b|c`` lists alternatives (every combination of them runs); a TOML file says the same
with lists (docs/sweeps.md). Each cell is named by a hash of its full configuration; its rows go to
Parquet part files under OUT as tasks finish. Run the same command again after an interruption and
only the cells not yet in OUT run. Prints the per-cell table at T (mean ± sample std over seeds).
"""
from __future__ import annotations

import sys

from ..errors import InvalidInput
from ..files import check_output, check_outputs
from .util import commit, parse_positive_int, parse_T


MAX_ROWS = 60  # configurations printed; the store's summary.parquet holds every one


def add_parser(sub) -> None:
    p = sub.add_parser("sweep", help="run a grid of configurations into a resumable Parquet store",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("config", nargs="?", metavar="CONFIG.toml", help="a sweep file (instead of the options below)")
    p.add_argument("--optimizer", action="append", metavar="NAME[:k=a|b,...]",
                   help="optimizer grid, e.g. adam:beta2=0.9|0.99,alpha=0.1 (repeatable)")
    p.add_argument("--problem", action="append", metavar="NAME[:k=a|b,...]",
                   help="problem grid, e.g. reddi:C=3|5 (repeatable)")
    p.add_argument("--T", metavar="T[|T...]", help="horizon(s), e.g. 1e4|1e5")
    p.add_argument("--seeds", default="1", help="number of seeds per cell (0..n−1) [1]")
    p.add_argument("--checkpoints", default="10", help="log-spaced checkpoints per run, T among them [10]")
    p.add_argument("--no-comparator", action="store_true",
                   help="skip the best fixed comparator (no regret columns; the statistics only)")
    p.add_argument("--out", required=True, metavar="DIR", help="the results store (created; reused to resume)")
    p.add_argument("--threads", help="threads for the compiled runs [all cores]")
    p.add_argument("--dask", metavar="local:N|tcp://HOST:PORT",
                   help="run the tasks on a Dask cluster: N local worker processes, or a running scheduler")
    p.add_argument("--plot", metavar="FILE.pdf|png",
                   help="draw the phase diagram of the sweep: writes STEM.pdf, STEM.png and STEM.csv")
    p.add_argument("--phase", default="beta1,beta2", metavar="X,Y",
                   help="the two hyperparameters of the diagram's axes [beta1,beta2]")
    p.add_argument("--value", default="regret_over_T", metavar="COLUMN",
                   help="the quantity at T that colours it: a column of the store [regret_over_T]")
    p.add_argument("--log", action="store_true", help="a logarithmic colour scale")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=main)


def parse_grid_spec(text: str, what: str, known=None) -> tuple[str, dict]:
    """'adam:beta2=0.9|0.99,alpha=0.1' → ('adam', {'beta2': [0.9, 0.99], 'alpha': 0.1})."""
    from .util import parse_spec, parse_value

    name, params = parse_spec(text, what, known=known)
    out = {}
    for k, v in params.items():
        if isinstance(v, str) and "|" in v:
            parts = [p.strip() for p in v.split("|")]
            if not all(parts):
                raise InvalidInput(what, text, f"alternatives a|b|c with none empty ({k}={v!r})")
            values = [parse_value(p) for p in parts]
            if len(set(map(repr, values))) != len(values):
                raise InvalidInput(what, text, f"distinct alternatives ({k}={v!r} repeats one)")
            out[k] = values
        else:
            out[k] = v
    return name, out


def plot_outputs(args, cells) -> dict:
    """The files of ``--plot`` checked before any work ({path: option}), and the diagram's axes: two
    hyperparameters the grid varies (each with at least one value per cell)."""
    if args.plot is None:
        return {}
    from ..engine.frame import STATISTICS
    from ..plots.io import figure_files

    check_output(args.plot, "--plot", (".pdf", ".png"))
    names = [n.strip() for n in args.phase.split(",")]
    swept = {k for c in cells for k in c.swept}
    if len(names) != 2 or len(set(names)) != 2 or not all(n in swept for n in names):
        raise InvalidInput("--phase", args.phase, f"two hyperparameters the grid varies, X,Y (it varies: "
                                                  f"{', '.join(sorted(swept)) or 'none'})")
    allowed = ("regret", "regret_over_T", "regret_over_sqrt_T", "learner_loss", "comparator_loss",
               "distance_to_x_star", "average_distance_to_x_star") + STATISTICS
    if args.value not in allowed:
        raise InvalidInput("--value", args.value, f"one of {list(allowed)}")
    outputs = {path: "--plot" for path in figure_files(args.plot).values()}
    check_outputs(outputs)
    return outputs


def build(args) -> list:
    """The cells of the command line or of the TOML file (every name, value and problem parameter
    checked before any work)."""
    from .. import sweep
    from ..optimizers import OPTIMIZERS
    from ..problems import ADVERSARIES, PROBLEMS

    if args.config is not None:
        given = [f for f in ("optimizer", "problem", "T") if getattr(args, f) is not None]
        if given:
            raise InvalidInput("arguments", f"CONFIG.toml and --{given[0]}",
                               "either a sweep file or --optimizer/--problem/--T options, not both")
        return sweep.from_toml(args.config)
    for f in ("optimizer", "problem", "T"):
        if getattr(args, f) is None:
            raise InvalidInput(f"--{f}", None, "required without a CONFIG.toml")
    opts = [parse_grid_spec(t, "--optimizer", known=OPTIMIZERS) for t in args.optimizer]
    probs = [parse_grid_spec(t, "--problem", known=PROBLEMS + ADVERSARIES) for t in args.problem]
    Ts = [parse_T(t) for t in args.T.split("|")]
    seeds = parse_positive_int(args.seeds, "--seeds", maximum=10**5)
    n_cp = parse_positive_int(args.checkpoints, "--checkpoints", maximum=10**4)
    return sweep.cells(opts, probs, Ts, seeds, n_cp, comparator=not args.no_comparator)


def main(args) -> int:
    from .. import sweep
    from ..sweep.summary import table

    cells = build(args)
    outputs = plot_outputs(args, cells)
    threads = parse_positive_int(args.threads, "--threads") if args.threads is not None else None
    if args.dask is not None:
        from ..sweep.execute import parse_dask

        parse_dask(args.dask)  # before any work
    if not args.quiet:
        print(f"sweep: {len(cells)} cells into {args.out}", file=sys.stderr, flush=True)
    rep = sweep.run(cells, args.out, threads=threads, dask=args.dask)
    if outputs:
        from ..plots import io as plot_io
        from ..plots.phase import phase_figure

        # the diagram's numbers only: the last checkpoint of each cell, the columns phase_figure reads
        df = sweep.load(args.out, final=True, columns=("opt.", "problem", "problem.", "optimizer", "T",
                                                       "diverged", args.value))
        x, y = args.phase.split(",")
        p = phase_figure(df[df["cell"].isin(set(rep.keys))], x=x, y=y, value=args.value, log=args.log,
                         by="problem" if len({c.problem.label() for c in cells}) > 1 else None)
        commit(plot_io.render_files(p.figure, p.table, args.plot), outputs)
    print(table(rep.summary, keys=rep.keys, limit=MAX_ROWS))
    rate = f", {rep.rounds / rep.seconds:.3g} rounds/s" if rep.ran and rep.seconds > 0 else ""
    print(f"\n{len(cells)} cells: {rep.ran} run in {rep.tasks} task(s) ({rep.seconds:.1f} s{rate}), "
          f"{rep.skipped} already in {args.out}", file=sys.stderr if args.quiet else sys.stdout)
    return 0
