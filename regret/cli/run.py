"""`regret run`: run optimizers on a problem and print the regret table.

    regret run --optimizer adam:alpha=0.5,beta1=0,beta2=0.1 \\
               --optimizer amsgrad:alpha=0.5,beta1=0,beta2=0.1 --problem reddi:C=3 --T 1e6 --seeds 5

Per optimizer: R(T), R(T)/T and R(T)/√T as mean ± sample standard deviation over the seeds, the final
iterate, the comparator and its certificate. ``--json`` prints the same as JSON (schema
``regret.run/1``, docs/cli.md); ``--save FILE.npz`` keeps the run's arrays; ``--plot FILE.pdf``
draws the regret curves (FILE.pdf, FILE.png and FILE.csv). Every output path is checked before the runs
start, and all the files are written under temporary names and renamed into place together at the end.
"""
from __future__ import annotations

import io
import json
import sys

import numpy as np

from .. import engine, runs
from ..optimizers import labels
from ..text import plus_minus, table as text_table
from ..files import check_output, check_outputs
from .util import (commit, json_safe, make_optimizer, make_problem, parse_T,
                   parse_positive_int, write_together)

SCHEMA = "regret.run/1"


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="run optimizers on a problem and print the regret table",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("--optimizer", action="append", required=True, metavar="NAME[:k=v,...]",
                   help="optimizer spec, e.g. adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt (repeatable); "
                        "NAME may be module:Class or file.py:Class for your own algorithm")
    p.add_argument("--problem", required=True, metavar="NAME[:k=v,...]", help="problem spec, e.g. reddi:C=3")
    p.add_argument("--T", required=True, help="horizon (rounds), e.g. 1e6")
    p.add_argument("--seeds", default="1", help="number of seeds (0..n−1) [1]")
    p.add_argument("--checkpoints", default="40", help="number of log-spaced checkpoints [40]")
    p.add_argument("--json", action="store_true", help="print JSON (schema regret.run/1) instead of the table")
    p.add_argument("--save", metavar="FILE.npz|FILE.parquet",
                   help="save the run's arrays (.npz), or its tidy rows in a sweep store's format (.parquet)")
    p.add_argument("--plot", metavar="FILE.pdf|png|pgf",
                   help="draw the regret curves: writes STEM.pdf, STEM.png (and STEM.pgf for a .pgf name) and "
                        "STEM.csv, the numbers plotted")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=main)


MAX_CHECKPOINTS = 1_000_000


def build(args):
    """Parse and validate everything before any work starts (bad input → one line, exit 2): the specs,
    every problem parameter (a small instance is built), and every output path."""
    opts = [make_optimizer(text) for text in args.optimizer]
    T = parse_T(args.T)
    spec = make_problem(args.problem, T)
    seeds = parse_positive_int(args.seeds, "--seeds")
    n_cp = parse_positive_int(args.checkpoints, "--checkpoints", maximum=MAX_CHECKPOINTS)
    outputs = {}
    if args.save is not None:
        outputs[check_output(args.save, "--save", (".npz", ".parquet"))] = "--save"
    if args.plot is not None:
        check_output(args.plot, "--plot", (".pdf", ".png", ".pgf"))
        from ..plots.io import check_pgf, figure_files

        if args.plot.endswith(".pgf"):
            check_pgf()  # PGF needs TeX for text metrics: fail before the runs, not after
        for path in figure_files(args.plot).values():
            outputs[path] = "--plot"
    check_outputs(outputs)
    return opts, spec, T, seeds, n_cp, outputs


def main(args) -> int:
    opts, spec, T, seeds, n_cp, outputs = build(args)
    progress = (lambda msg: print(msg, file=sys.stderr, flush=True)) if not args.quiet else (lambda msg: None)
    cps = engine.default_checkpoints(T, n_cp)
    results = []
    for j, opt in enumerate(opts):
        progress(f"[{j + 1}/{len(opts)}] {opt.label()} on {spec.label()}: T={T}, {seeds} seed(s)")
        results.append(runs.run(opt, spec, T=T, seeds=seeds, checkpoints=cps, record_losses=False))
    files = {}
    if args.save and args.save.endswith(".parquet"):
        import pyarrow.parquet as pq

        rows = parquet_table(results, spec)
        files[args.save] = lambda fh: pq.write_table(rows, fh)
    elif args.save:
        arrays = npz_arrays(results, spec)
        files[args.save] = lambda fh: np.savez_compressed(fh, **arrays)
    if args.plot:
        from ..plots import io as plot_io, regret_figure

        p = regret_figure(results)
        files.update(plot_io.render_files(p.figure, p.table, args.plot))
    commit(files, outputs)  # every output of the command, or none
    if args.json:
        print(json.dumps(to_json(results, spec), indent=2, allow_nan=False))
    else:
        print(table(results, spec))
    return 0


def to_json(results, spec) -> dict:
    first = results[0]
    return json_safe({"schema": SCHEMA, "problem": spec.label(), "family": first.family, "domain": first.domain,
                      "T": first.T, "d": first.d, "seeds": first.seeds,
                      "spread": "sample standard deviation over seeds", "results": [r.summary() for r in results]})


def _pm(stats: dict, fmt: str) -> str:
    return plus_minus(stats["mean"], stats["std"], fmt)


def _ci(ci) -> str:
    return f"{ci[0]:.4g}, {ci[1]:.4g}"


def _vec(v, n=4) -> str:
    v = np.asarray(v).ravel()
    body = ", ".join(f"{x:.6g}" for x in v[:n])
    return f"[{body}{', …' if v.size > n else ''}]"


def table(results, spec) -> str:
    first = results[0]
    out = io.StringIO()
    s = first.seeds
    seed_txt = f"seed {s[0]}" if len(s) == 1 else f"seeds {s[0]}..{s[-1]}"
    out.write(f"problem {spec.label()}: {first.family} losses on {first.domain}, T={first.T}, {seed_txt}\n")
    comp = first.comparator[0]
    if getattr(comp, "defined", True):
        out.write(f"comparator: {comp.method}{' [' + comp.solver + ']' if comp.solver else ''}; "
                  f"x* = {_vec(first.x_star[0, -1])} (seed {s[0]}); "
                  f"certificate (max over seeds) = {first.certificate[:, -1].max():.3g}\n")
    else:  # no comparator after a divergence whose data are not finite (an adversary's)
        out.write(f"comparator: {comp.method}\n")
    note = " (this problem is deterministic: every seed gives the same sequence)" if spec.deterministic else ""
    many = len(s) > 1
    out.write(f"mean ± sample std over seeds{note}" + ("; [95% CI of the mean]" if many else "") + "\n\n")
    rows = [("optimizer", "R(T)", "R(T)/T", "R(T)/sqrt(T)", "‖x_(T+1) − x*‖", "‖x̄_T − x*‖",
             "x_(T+1) (mean)" if many else f"x_(T+1) (seed {s[0]})", "x̄_T (mean)" if many else f"x̄_T (seed {s[0]})")]
    for r, name in zip(results, labels([r.optimizer for r in results])):
        sm = r.summary()
        # their 95% intervals per coordinate: --json (x_final_ci95, x_average_ci95)
        x_end, x_avg = _vec(r.x_final.mean(axis=0)), _vec(r.x_average.mean(axis=0))
        if sm.get("status", "ok") != "ok":  # a diverged learner: its status, never a NaN statistic
            rows.append((name, sm["status"], "-", "-", "-", "-", x_end, x_avg))
            continue
        dist, avg = (_pm(sm[k], ".4g") + (f" [{_ci(sm[k]['ci95'])}]" if many else "")
                     for k in ("distance_to_x_star", "average_distance_to_x_star"))
        rows.append((name, _pm(sm["regret"], ".6g"), _pm(sm["regret_over_T"], ".4g"),
                     _pm(sm["regret_over_sqrt_T"], ".4g"), dist, avg, x_end, x_avg))
    out.write(text_table(rows))
    return out.getvalue()


def parquet_table(results, spec):
    """The rows of ``--save FILE.parquet``: the tidy format of a sweep's store (docs/sweeps.md), one
    row per (optimizer, seed, checkpoint); ``regret.load`` is for stores, ``pandas.read_parquet``
    reads this file."""
    import pyarrow as pa

    from ..engine.frame import columns
    from ..sweep.grid import problem_parameters

    table = pa.table(columns(results, problem_params=problem_parameters(spec)))
    return table.replace_schema_metadata({b"regret.run": json.dumps(json_safe(to_json(results, spec))).encode()})


def npz_arrays(results, spec) -> dict:
    """The arrays of ``--save`` (docs/cli.md)."""
    arrays = {"checkpoints": results[0].checkpoints, "seeds": np.asarray(results[0].seeds),
              "meta": np.array(json.dumps(to_json(results, spec)))}
    for j, r in enumerate(results):
        arrays.update({f"opt{j}_learner_loss": r.learner_loss, f"opt{j}_comparator_loss": r.comparator_loss,
                       f"opt{j}_regret": r.regret, f"opt{j}_certificate": r.certificate,
                       f"opt{j}_x_final": r.x_final, f"opt{j}_x_average": r.x_average,
                       f"opt{j}_x_star": r.x_star, f"opt{j}_G": r.G,
                       f"opt{j}_G_inf": r.G_inf, f"opt{j}_step_ratio": r.step_ratio,
                       f"opt{j}_sum_grad_norms": r.sum_grad_norms, f"opt{j}_sum_sqrt_T_vhat": r.sum_sqrt_T_vhat})
    return arrays


def save_npz(path: str, results, spec) -> None:
    """Write the arrays of ``--save`` to ``path`` (atomically)."""
    arrays = npz_arrays(results, spec)
    write_together({path: lambda fh: np.savez_compressed(fh, **arrays)})
