"""Per-round views of a run: iterate traces x_t, the effective step |Δ_t|/α_t, and the Γ_t audit.

* :func:`iterate_traces` — x_{t,i} for t = 1..T+1 and chosen coordinates i (1-based in labels, as in
  the papers), with the comparator x*_T as a dashed line; needs ``regret.run(..., record_iterates=True)``.
* :func:`effective_step` — Kingma & Ba (ICLR 2015) §2.1 call Δ_t the *effective step* and bound
  |Δ_t| ≤ α (≤ α(1−β1)/√(1−β2) in the sparsest case). The engine records, per checkpoint T', the
  running maximum max_{t≤T'} max_i |Δ_{t,i}|/α_t with Δ_t = x̂_{t+1} − x_t the update *before*
  projection (``RunResult.step_ratio``); that is what is drawn. Per-round values (``per_round=True``)
  are derived from the recorded iterates and the schedule, |x_{t+1} − x_t|_∞/α_t: the *projected* step,
  which is ≤ the unprojected one (projection onto a convex set is non-expansive and x_t ∈ X), and
  equal to it while the iterates stay inside X.
* :func:`gamma_audit` — Reddi, Kale & Kumar (ICLR 2018) eq. (2): Γ_{t+1} = √V_{t+1}/α_{t+1} − √V_t/α_t,
  which Kingma & Ba's proof of Theorem 4.1 takes to be positive semi-definite. For diagonal V the
  matrix is ⪰ 0 iff min_i Γ_{t,i} ≥ 0; the panel draws min_i Γ_{t,i} on a symmetric-log axis and
  marks the rounds where the audit fails. It takes arrays, so any audit can feed it;
  :func:`gamma_audit_of` draws a :class:`regret.theory.audit.GammaAudit` directly.
* :func:`step_bounds` / :func:`step_bounds_figure` — the measured running maximum of |Δ_t|/α_t of
  several methods against the exact supremum B_t of each (proofs/effective_step_adam.py, drawn in the
  method's color with a bound's dash pattern) and a stated bound (a horizontal line), one panel per
  setting, log-log.

Long traces are decimated for drawing by keeping the minimum and the maximum of each bucket (on a
log-t grid for log axes, :func:`regret.plots.base.envelope_indices`); the CSV holds the points drawn.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import require
from . import base
from . import io as _io
from . import style as _style


# Per-round traces fill their panel; a legend gets a light frame so it stays readable over them.
_LEGEND = {"loc": "best", "frameon": True, "framealpha": 0.9, "edgecolor": "none", "facecolor": "white"}


def _legend(ax, own_figure: bool, **kwargs) -> None:
    """A legend inside the Axes; below it (outside) when this module made the figure and the legend
    has more than four entries, so it does not hide the data at column width."""
    handles, labels = ax.get_legend_handles_labels()
    if own_figure and len(labels) > 4:
        base.figure_legend(ax.figure, handles, labels, max_cols=2)
    else:
        ax.legend(**{**_LEGEND, **kwargs})


def _seed_index(res, seed) -> int:
    seeds = list(res.seeds)
    if seed is None:
        return 0
    require(seed in seeds, "seed", seed, f"one of the run's seeds {seeds}")
    return seeds.index(seed)


def _check_xscale(xscale):
    require(xscale in ("log", "linear"), "xscale", xscale, "'log' or 'linear'")


def _limits(bound) -> list[tuple[str, float]]:
    if bound is None:
        return []
    if isinstance(bound, dict):
        items = list(bound.items())
    else:
        items = [(r"bound", bound)]
    out = []
    for k, v in items:
        require(isinstance(v, (int, float, np.floating)) and not isinstance(v, bool) and np.isfinite(v) and v > 0,
                "bound", {k: v} if isinstance(bound, dict) else v, "a finite number > 0 (or a dict label → number)")
        out.append((str(k), float(v)))
    return out


def iterate_traces(result, coords=None, seed=None, ax=None, max_points: int | None = 4000,
                   comparator: bool = True, xscale: str = "log", width="single", usetex: bool = False,
                   panel: str = "iterates") -> base.Plot:
    """x_{t,i} against t = 1..T+1 for the coordinates ``coords`` (0-based indices; default the first
    min(d, 8)) of one seed (default the first), with x*_{T,i} dashed when the run has a comparator."""
    require(getattr(result, "iterates", None) is not None, "result.iterates", None,
            "a run made with record_iterates=True")
    _check_xscale(xscale)
    base.check_ax(ax)
    d = result.d
    if coords is None:
        coords = list(range(min(d, 8)))
    coords = [coords] if isinstance(coords, (int, np.integer)) else list(coords)
    require(len(coords) > 0 and all(isinstance(i, (int, np.integer)) and 0 <= i < d for i in coords)
            and len(set(coords)) == len(coords), "coords", coords, f"distinct coordinate indices in 0..{d - 1}")
    j = _seed_index(result, seed)
    X = result.iterates[j]  # (T+1, d): x_1..x_{T+1}
    t = np.arange(1, X.shape[0] + 1, dtype=np.int64)
    own = ax is None
    if own:
        fig, (ax,) = base.new_figure(1, width, usetex=usetex)
    fig = ax.figure
    table = _io.PlotTable()
    with base.styled(fig):
        for k, i in enumerate(coords):
            st = _style.series_style(k)
            keep = base.envelope_indices(X[:, i], max_points, t, log=(xscale == "log"))
            label = f"$x_{{t,{i + 1}}}$"
            ax.plot(t[keep], X[keep, i], color=st["color"], linestyle=st["linestyle"], linewidth=0.9,
                    label=label, zorder=3)
            table.add(panel, f"x_{i + 1}", label, "trace", t[keep], X[keep, i])
        if comparator and getattr(result, "comparator", None) is not None:
            xs = result.x_star[j, -1]
            for k, i in enumerate(coords):
                st = _style.series_style(k)
                label = f"$x^*_{{{i + 1}}}$ ($T={result.T}$)"
                xx, yy = np.array([t[0], t[-1]]), np.array([xs[i], xs[i]])
                ax.plot(xx, yy, color=st["color"], linestyle=(0, (2, 2)), linewidth=0.8, alpha=0.8,
                        label=label, zorder=2)
                table.add(panel, f"x*_{i + 1}", label, "comparator", xx, yy)
        ax.set_xscale(xscale)
        ax.set_xlabel(r"$t$")
        ax.set_ylabel(r"$x_t$")
        _legend(ax, own, ncols=2 if len(coords) > 2 else 1)
    return base.Plot(fig, {panel: ax}, table)


def projected_step(result, seed=None) -> np.ndarray:
    """Per-round |x_{t+1} − x_t|_∞ / α_t, t = 1..T, from the recorded iterates and the optimizer's
    schedule α_t: the projected effective step (see the module docstring)."""
    require(getattr(result, "iterates", None) is not None, "result.iterates", None,
            "a run made with record_iterates=True")
    X = result.iterates[_seed_index(result, seed)]
    alphas = result.optimizer.alphas(result.T)
    return np.abs(np.diff(X, axis=0)).max(axis=1) / alphas


def effective_step(results, ax=None, per_round: bool = False, bound=None, seed=None,
                   max_points: int | None = 4000, xscale: str = "log", width="single", usetex: bool = False,
                   panel: str = "effective_step") -> base.Plot:
    """max_{s≤t} max_i |Δ_{s,i}|/α_s per checkpoint (before projection, max over seeds), for each run;
    with ``per_round`` also the per-round projected step of one seed (needs iterates). ``bound``: a
    number or dict label → number drawn as a horizontal limit (e.g. 1 for Kingma & Ba's |Δ_t| ≤ α)."""
    results = list(results) if isinstance(results, (list, tuple)) else [results]
    require(len(results) > 0 and all(hasattr(r, "step_ratio") for r in results), "results", results,
            "one or more RunResult")
    _check_xscale(xscale)
    base.check_ax(ax)
    limits = _limits(bound)
    labels = base.result_labels(results)
    shown = base.result_labels(results, pretty=True)
    own = ax is None
    if own:
        fig, (ax,) = base.new_figure(1, width, usetex=usetex)
    fig = ax.figure
    table = _io.PlotTable()
    t_lo, t_hi = np.inf, 0
    with base.styled(fig):
        for k, (r, name, pretty) in enumerate(zip(results, labels, shown)):
            st = _style.series_style(k)
            if per_round:
                y = projected_step(r, seed)
                t = np.arange(1, y.size + 1, dtype=np.int64)
                keep = base.envelope_indices(y, max_points, t, log=(xscale == "log"))
                lab = f"{pretty}: projected, per round"
                ax.plot(t[keep], y[keep], color=st["color"], linestyle=st["linestyle"], linewidth=0.7,
                        alpha=0.8, label=lab, zorder=2)
                table.add(panel, name, lab, "projected_step", t[keep], y[keep])
            cps = np.asarray(r.checkpoints)
            y = r.step_ratio.max(axis=0)
            lab = f"{pretty}: running max" if per_round else pretty
            ax.plot(cps, y, color=st["color"], linestyle="none" if per_round else st["linestyle"],
                    marker=st["marker"], markersize=3, label=lab, zorder=3)
            table.add(panel, name, lab, "step", cps, y)
            t_lo, t_hi = min(t_lo, 1), max(t_hi, r.T)
        for m, (lab, v) in enumerate(limits):
            xx, yy = np.array([t_lo, t_hi]), np.array([v, v])
            st = _style.bound_style(m)
            ax.plot(xx, yy, color=st["color"], linestyle=st["linestyle"], linewidth=st["linewidth"], label=lab,
                    zorder=1)
            table.add(panel, lab, lab, "limit", xx, yy)
        ax.set_xscale(xscale)
        ax.set_xlabel(r"$t$")
        ax.set_ylabel(r"$\mathrm{max}_{s\leq t}\,\|\Delta_s\|_\infty/\alpha_s$" if not per_round
                      else r"$\|\Delta_t\|_\infty/\alpha_t$")
        _legend(ax, own)
    return base.Plot(fig, {panel: ax}, table)


def _spread(idx: np.ndarray, t: np.ndarray, k: int, log: bool) -> np.ndarray:
    """At most k of the indices ``idx`` (into t), spread evenly along the (log-)t axis: for each of k
    evenly spaced targets the first index at or after it; all of them when there are ≤ k."""
    if idx.size <= k:
        return idx
    pos = t[idx].astype(np.float64)
    if log:
        pos = np.log(pos)
    targets = np.linspace(pos[0], pos[-1], k)
    pick = np.unique(np.minimum(np.searchsorted(pos, targets, side="left"), idx.size - 1))
    return idx[pick]


def gamma_audit(t, gamma, fails=None, ax=None, tol: float = 0.0, label: str | None = None, index: int = 0,
                max_points: int | None = 4000, max_markers: int = 400, linthresh: float | None = None,
                xscale: str = "log", width="single", usetex: bool = False, panel: str = "gamma",
                series: str | None = None) -> base.Plot:
    """min_i Γ_{t,i} against t, failing rounds marked ×.

    ``t``: rounds (n,); ``gamma``: Γ_t as (n,) or per coordinate (n, d) (the minimum over i is drawn);
    ``fails``: boolean (n,) marking rounds where the audit fails (default: min_i Γ_{t,i} < −tol).
    At most ``max_markers`` failures are marked (spread evenly along the t axis); the legend gives
    the total count. ``index`` picks the series style, to draw several audits on one Axes."""
    t = np.asarray(t)
    g = np.asarray(gamma, dtype=np.float64)
    require(t.ndim == 1 and t.size >= 1 and bool(np.all(t > 0)) and (t.size == 1 or bool(np.all(np.diff(t) > 0))),
            "t", f"shape {t.shape}", "a 1-D increasing array of rounds > 0")
    require(g.ndim in (1, 2) and g.shape[0] == t.size, "gamma", f"shape {g.shape}",
            f"shape ({t.size},) or ({t.size}, d) matching t")
    require(bool(np.all(np.isfinite(g))), "gamma", "non-finite entries", "finite numbers")
    require(isinstance(tol, (int, float)) and tol >= 0, "tol", tol, "a number ≥ 0")
    require(isinstance(max_markers, int) and max_markers >= 1, "max_markers", max_markers, "an integer ≥ 1")
    require(linthresh is None or (isinstance(linthresh, (int, float)) and linthresh > 0), "linthresh", linthresh,
            "None or a number > 0")
    _check_xscale(xscale)
    base.check_ax(ax)
    y = g.min(axis=1) if g.ndim == 2 else g
    if fails is None:
        fails = y < -tol
    fails = np.asarray(fails)
    require(fails.shape == t.shape and fails.dtype == bool, "fails", f"{fails.dtype} array of shape {fails.shape}",
            f"a boolean array of shape {t.shape}")
    name = series or label or "audit"
    own = ax is None
    if own:
        fig, (ax,) = base.new_figure(1, width, usetex=usetex)
    fig = ax.figure
    table = _io.PlotTable()
    st = _style.series_style(index)
    with base.styled(fig):
        keep = base.envelope_indices(y, max_points, t, log=(xscale == "log"))
        lab = (f"{label}: " if label else "") + (r"$\mathrm{min}_i\,\Gamma_{t,i}$" if g.ndim == 2 else r"$\Gamma_t$")
        ax.plot(t[keep], y[keep], color=st["color"], linestyle=st["linestyle"], linewidth=0.8, label=lab, zorder=2)
        table.add(panel, name, lab, "gamma", t[keep], y[keep])
        zx, zy = np.array([t[0], t[-1]]), np.zeros(2)
        ax.plot(zx, zy, color=_style.REFERENCE_COLOR, linewidth=0.6, zorder=1)
        table.add(panel, "zero", "", "zero", zx, zy)
        nf = int(fails.sum())
        fidx = _spread(np.flatnonzero(fails), t, max_markers, xscale == "log")
        what = r"$\mathrm{min}_i\,\Gamma_{t,i}<0$" if g.ndim == 2 else r"$\Gamma_t<0$"
        flab = (f"{label}: " if label else "") + f"{what} at {nf} round{'s' if nf != 1 else ''}"
        if nf > fidx.size:
            flab += f" ({fidx.size} marked)"
        ax.plot(t[fidx], y[fidx], linestyle="none", marker="x", markersize=4, markeredgewidth=0.9,
                color=_style.FAIL_COLOR if index == 0 else st["color"], label=flab, zorder=4)
        table.add(panel, name, flab, "fail", t[fidx], y[fidx])
        nz = np.abs(y[y != 0])
        lt = linthresh if linthresh is not None else (float(max(nz.min(), nz.max() * 1e-6)) if nz.size else 1.0)
        ax.set_yscale("symlog", linthresh=lt)
        ax.set_xscale(xscale)
        ax.set_xlabel(r"$t$")
        ax.set_ylabel(r"$\Gamma_t$ (smallest entry)" if g.ndim == 2 else r"$\Gamma_t$")
        _legend(ax, own)
    return base.Plot(fig, {panel: ax}, table)


def gamma_audit_of(audit, ax=None, label: str | None = None, index: int = 0, **kwargs) -> base.Plot:
    """:func:`gamma_audit` of a :class:`regret.theory.audit.GammaAudit` (``regret.theory.audit.gamma(run)``):
    rounds t = 2..T, the smallest Γ_{t,i} over seeds and coordinates, and the audit's own failures
    (its tolerance) in any seed or coordinate."""
    g, failed = getattr(audit, "gamma", None), getattr(audit, "failed", None)
    require(isinstance(g, np.ndarray) and isinstance(failed, np.ndarray) and g.ndim == 3 and failed.shape == g.shape,
            "audit", type(audit).__name__, "a regret.theory.audit.GammaAudit (gamma and failed of shape (S, T−1, d))")
    t = np.arange(2, g.shape[1] + 2, dtype=np.int64)
    return gamma_audit(t, g.min(axis=0), fails=failed.any(axis=(0, 2)), ax=ax,
                       label=label if label is not None else getattr(audit, "optimizer", None), index=index,
                       **kwargs)


def traces_figure(results, coords=None, seed=None, bound=None, per_round: bool = True,
                  max_points: int | None = 4000, width="double", usetex: bool = False) -> base.Plot:
    """For each run (one row each): its iterate traces and its effective step side by side
    (two-column width). Panels are named ``iterates[<run>]`` and ``effective_step[<run>]``."""
    results = list(results) if isinstance(results, (list, tuple)) else [results]
    require(len(results) > 0, "results", results, "one or more RunResult")
    names = base.result_labels(results)
    titles = base.result_labels(results, pretty=True)
    fig, axes = base.new_figure(2, width, aspect=0.36, usetex=usetex, nrows=len(results))
    table = _io.PlotTable()
    axmap = {}
    for k, (r, name, title) in enumerate(zip(results, names, titles)):
        a1, a2 = axes[2 * k], axes[2 * k + 1]
        suffix = f"[{name}]" if len(results) > 1 else ""
        p1 = iterate_traces(r, coords=coords, seed=seed, ax=a1, max_points=max_points, panel="iterates" + suffix)
        p2 = effective_step(r, ax=a2, per_round=per_round and r.iterates is not None, bound=bound, seed=seed,
                            max_points=max_points, panel="effective_step" + suffix)
        if len(results) > 1:
            with base.styled(fig):
                a1.set_title(title)
                a2.set_title(title)
        for p in (p1, p2):
            table.extend(p.table)
            axmap.update(p.axes)
    return base.Plot(fig, axmap, table)


@dataclass
class StepSeries:
    """One method in :func:`step_bounds`: ``y`` is its measured running maximum of |Δ_t|/α_t at rounds
    ``t``, ``sup`` its exact supremum B_t over all gradient sequences at rounds ``sup_t`` (None: not
    drawn). ``name`` names it in the CSV, ``legend`` in the legend."""

    name: str
    legend: str
    t: object
    y: object
    sup_t: object = None
    sup: object = None


@dataclass
class StepLimit:
    """A stated bound on the step: a horizontal line at ``value`` from round ``t[0]`` to ``t[1]``,
    shown as ``legend``; ``series`` and ``label`` (default: the legend) name it in the CSV."""

    value: float
    legend: str
    t: tuple
    series: str = "limit"
    label: str | None = None


@dataclass
class StepPanel:
    """One panel of :func:`step_bounds_figure`: its ``name`` in the CSV, its ``title``, the methods and
    the stated bound."""

    name: str
    title: str
    series: list
    limit: StepLimit | None = None


def step_bounds(series, ax, panel: str = "effective_step", limit: StepLimit | None = None) -> _io.PlotTable:
    """Draw the :class:`StepSeries` ``series`` and ``limit`` into ``ax`` (log-log, plain tick labels);
    return the table of plotted numbers (roles ``step``, ``bound``, ``limit``)."""
    base.check_ax(ax)
    table = _io.PlotTable()
    for i, s in enumerate(series):
        st = _style.series_style(i)
        ax.plot(s.t, s.y, color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                label=f"{s.legend}: measured")
        table.add(panel, s.name, f"{s.legend}: measured", "step", s.t, s.y)
        if s.sup is not None:
            bs = _style.bound_style(i + 1)
            ax.plot(s.sup_t, s.sup, color=st["color"], linestyle=bs["linestyle"], linewidth=bs["linewidth"],
                    label=f"{s.legend}: exact sup $B_t$")
            table.add(panel, f"{s.name} sup", f"{s.legend}: exact sup B_t", "bound", s.sup_t, s.sup)
    if limit is not None:
        xx, yy = np.array(limit.t), np.array([limit.value, limit.value])
        bs = _style.bound_style(0)
        ax.plot(xx, yy, color=bs["color"], linestyle=bs["linestyle"], linewidth=bs["linewidth"], label=limit.legend)
        table.add(panel, limit.series, limit.label or limit.legend, "limit", xx, yy)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$t$")
    _style.plain_log_ticks(ax)
    return table


def step_bounds_figure(panels, width="double", aspect: float = 0.36, legend_cols: int = 3,
                       usetex: bool = False) -> base.Plot:
    """One :func:`step_bounds` panel per :class:`StepPanel`, side by side, the y label beside the
    first, one legend below them."""
    panels = list(panels)
    require(len(panels) > 0 and all(isinstance(p, StepPanel) for p in panels), "panels", panels,
            "one or more regret.plots.traces.StepPanel")
    fig, axes = base.new_figure(len(panels), width, aspect=aspect, usetex=usetex)
    table = _io.PlotTable()
    with base.styled(fig):
        for col, p in enumerate(panels):
            ax = axes[col]
            table.extend(step_bounds(p.series, ax, p.name, p.limit))
            ax.set_title(p.title)
            if col == 0:
                ax.set_ylabel(r"$\max_{s\leq t}\,\|\Delta_s\|_\infty/\alpha_s$")
        handles, labels = axes[0].get_legend_handles_labels()
        base.figure_legend(fig, handles, labels, max_cols=legend_cols)
    return base.Plot(fig, {p.name: axes[col] for col, p in enumerate(panels)}, table)
