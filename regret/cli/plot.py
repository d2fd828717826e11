"""`regret plot`: run optimizers on a problem (as `regret run` does) and write a paper figure with
the CSV of the numbers it shows.

    regret plot --optimizer adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt,bias_correction=false \\
                --optimizer amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt \\
                --problem reddi:C=3 --T 1e5 --out reddi.pdf

Kinds: ``regret`` (default) — R(T) on log-log axes with the fitted exponents, reference slopes c√T
and cT, and the companion panels R(T)/T and R(T)/√T; ``traces`` — per optimizer, the iterates x_t and
the effective step |Δ_t|/α_t (runs the first seed only, recording every iterate); ``step`` — the
running maximum of the effective step of every optimizer in one panel; ``gamma`` — per optimizer, the
Γ_t audit of Reddi et al. (ICLR 2018) eq. (2) (:func:`regret.theory.audit.gamma`), failing rounds marked.
The traces and step panels draw the effective-step bound Kingma & Ba state (§2.1 for Adam, §7.1 for
AdaMax; :func:`regret.theory.audit.paper_bound_for`) unless ``--step-bound`` gives another.

Writes ``<stem>.pdf`` and ``<stem>.png`` (and ``<stem>.EXT`` when --out ends in .svg or .pgf;
``--formats`` to choose instead, ``--pgf`` adds PGF, which needs a TeX installation) and ``<stem>.csv``.
Every path is checked before the runs; the files are written under temporary names and renamed into
place together at the end (a failure leaves none of them changed). Same command, same bytes.
"""
from __future__ import annotations

import sys

import math

from .. import engine, runs
from ..errors import InvalidInput
from ..files import check_output, check_outputs
from .util import (commit, make_optimizer, make_problem, parse_T, parse_positive_int,
                   parse_value)

KINDS = ("regret", "traces", "step", "gamma")
# record_iterates / record_state keep (T+1)·d floats per seed: refuse what would not fit comfortably.
MAX_ITERATE_VALUES = 50_000_000


def add_parser(sub) -> None:
    p = sub.add_parser("plot", help="run optimizers on a problem and write a figure (PDF, PNG) and its CSV",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("--optimizer", action="append", required=True, metavar="NAME[:k=v,...]",
                   help="optimizer spec, e.g. adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt (repeatable)")
    p.add_argument("--problem", required=True, metavar="NAME[:k=v,...]", help="problem spec, e.g. reddi:C=3")
    p.add_argument("--T", required=True, help="horizon (rounds), e.g. 1e5")
    p.add_argument("--seeds", default="1", help="number of seeds (0..n−1) [1]")
    p.add_argument("--checkpoints", default="40", help="number of log-spaced checkpoints [40]")
    p.add_argument("--out", required=True, metavar="FILE.pdf|png|svg|pgf",
                   help="output path; its stem names the figure files and the CSV")
    p.add_argument("--kind", default="regret", help=f"one of {', '.join(KINDS)} [regret]")
    p.add_argument("--band", default="se", help="band around the mean over seeds: se, bootstrap or none [se]")
    p.add_argument("--no-companions", action="store_true", help="R(T) alone (single column), without R/T, R/√T")
    p.add_argument("--width", default=None, help="single, double, or inches [double; single without companions]")
    p.add_argument("--formats", default=None, help="comma-separated subset of pdf,png,svg,pgf [pdf,png]")
    p.add_argument("--pgf", action="store_true", help="also write PGF (needs a TeX installation)")
    p.add_argument("--coords", default=None, help="traces: comma-separated 0-based coordinates [first ≤ 8]")
    p.add_argument("--step-bound", default=None,
                   help="traces/step: draw |Δ_t|/α_t = this value instead of the paper's bound")
    p.add_argument("--title", default=None, help="figure title")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=main)


def _width(text):
    if text is None or text in ("single", "double"):
        return text
    v = parse_value(text)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 20:
        raise InvalidInput("--width", text, "single, double, or a width in inches in (0, 20]")
    return float(v)


def build(args) -> dict:
    """Parse and validate everything before any work starts (bad input → one line, exit 2)."""
    opts = [make_optimizer(text) for text in args.optimizer]
    T = parse_T(args.T)
    spec = make_problem(args.problem, T)
    if args.kind not in KINDS:
        raise InvalidInput("--kind", args.kind, f"one of {', '.join(KINDS)}")
    band = {"se": "se", "bootstrap": "bootstrap", "none": None}.get(args.band, "?")
    if band == "?":
        raise InvalidInput("--band", args.band, "se, bootstrap or none")
    formats = None
    if args.formats is not None:
        formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
        if not formats or any(f not in ("pdf", "png", "svg", "pgf") for f in formats):
            raise InvalidInput("--formats", args.formats, "a comma-separated subset of pdf,png,svg,pgf")
    check_output(args.out, "--out", (".pdf", ".png", ".svg", ".pgf"), case_sensitive=False)
    from ..plots.io import check_pgf, figure_files

    if args.pgf or args.out.lower().endswith(".pgf") or (formats and "pgf" in formats):
        check_pgf()  # before any work: PGF needs a TeX installation
    outputs = {path: "--out" for path in figure_files(args.out, formats=formats, pgf=args.pgf).values()}
    check_outputs(outputs)
    coords = None
    if args.coords is not None:
        try:
            coords = [int(c) for c in args.coords.split(",")]
        except ValueError:
            raise InvalidInput("--coords", args.coords, "comma-separated coordinate indices, e.g. 0,1,2") from None
        d = spec.instance(1, 0).d
        bad = [c for c in coords if not 0 <= c < d]
        if bad or len(set(coords)) != len(coords):
            raise InvalidInput("--coords", args.coords, f"distinct coordinate indices in 0..{d - 1} (d = {d})")
    step_bound = None
    if args.step_bound is not None:
        v = parse_value(args.step_bound)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or not math.isfinite(v):
            raise InvalidInput("--step-bound", args.step_bound, "a finite number > 0")
        step_bound = float(v)
    return {"outputs": outputs, "opts": opts, "spec": spec, "T": T, "seeds": parse_positive_int(args.seeds, "--seeds"),
            "n_cp": parse_positive_int(args.checkpoints, "--checkpoints", maximum=1_000_000), "band": band, "formats": formats,
            "width": _width(args.width), "coords": coords, "step_bound": step_bound}


def main(args) -> int:
    import matplotlib

    matplotlib.use("Agg")  # non-interactive: never open a window
    from .. import plots

    cfg = build(args)
    opts, spec, T = cfg["opts"], cfg["spec"], cfg["T"]
    progress = (lambda msg: print(msg, file=sys.stderr, flush=True)) if not args.quiet else (lambda msg: None)
    cps = engine.default_checkpoints(T, cfg["n_cp"])
    traces = args.kind == "traces"
    seeds = 1 if traces else cfg["seeds"]
    state = args.kind == "gamma"
    if traces or state:
        d = spec.instance(1, 0).d
        if (T + 1) * d * seeds > MAX_ITERATE_VALUES:
            raise InvalidInput("--T", args.T, f"(T+1)·d·seeds ≤ {MAX_ITERATE_VALUES:.0e} for --kind {args.kind} "
                               f"(d = {d}, {seeds} seed(s)); choose a smaller T")
    results = []
    for j, opt in enumerate(opts):
        progress(f"[{j + 1}/{len(opts)}] {opt.label()} on {spec.label()}: T={T}, {seeds} seed(s)")
        results.append(runs.run(opt, spec, T=T, seeds=seeds, checkpoints=cps, record_losses=False,
                                  record_iterates=traces, record_state=state,
                                  comparator=args.kind in ("regret", "traces")))
    if args.kind == "regret":
        p = plots.regret_figure(results, band=cfg["band"], companions=not args.no_companions, width=cfg["width"],
                                title=args.title)
    elif traces:
        p = plots.traces_figure(results, coords=cfg["coords"], bound=_step_bounds(results, cfg["step_bound"]),
                                width=cfg["width"] or "double")
    elif args.kind == "step":
        p = plots.effective_step(results, bound=_step_bounds(results, cfg["step_bound"]),
                                 width=cfg["width"] or "single")
    else:
        p = _gamma_figure(results, cfg["width"])
    if args.title and args.kind != "regret":
        with plots.base.styled(p.figure):
            p.figure.suptitle(args.title)
    files = plots.io.render_files(p.figure, p.table, args.out, formats=cfg["formats"], pgf=args.pgf)
    commit(files, cfg["outputs"])  # the figure files and the CSV together, or none
    for note in p.notes:
        progress(f"note: {note}")
    for path in cfg["outputs"]:
        print(path)
    return 0


def _step_bounds(results, override) -> dict | None:
    """The horizontal limits of the effective-step panels: ``--step-bound``, else the bound the paper
    states for each optimizer that has one (Kingma & Ba §2.1 Adam, §7.1 AdaMax)."""
    from .. import plots
    from ..theory import audit

    if override is not None:
        return {f"$\\|\\Delta_t\\|_\\infty/\\alpha_t={override:g}$": override}
    out = {}
    for r, name in zip(results, plots.base.result_labels(results, pretty=True)):
        b = audit.paper_bound_for(r.optimizer)
        if b is not None:
            out.setdefault(f"paper's bound {b:.4g} ({name})", b)
    return out or None


def _gamma_figure(results, width):
    """One Γ_t audit panel per optimizer, side by side."""
    from .. import plots
    from ..theory import audit

    names = plots.base.result_labels(results)
    shown = plots.base.result_labels(results, pretty=True)
    n = len(results)
    fig, axes = plots.base.new_figure(n, width or ("single" if n == 1 else "double"),
                                      aspect=None if n == 1 else 0.36)
    table = plots.PlotTable()
    axmap = {}
    for r, name, pretty, ax in zip(results, names, shown, axes):
        panel = "gamma" if n == 1 else f"gamma[{name}]"
        p = plots.gamma_audit_of(audit.gamma(r), ax=ax, label=pretty, series=name, panel=panel)
        table.extend(p.table)
        axmap.update(p.axes)
    return plots.Plot(fig, axmap, table)
