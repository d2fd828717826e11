"""Regret curves R(T) on log-log axes, with companion panels R(T)/T and R(T)/√T.

    >>> import regret
    >>> from regret.plots import curves
    >>> res = regret.run("sgd", regret.problem("linear", d=3), T=2000, seeds=3)
    >>> p = curves.regret_figure([res])              # three panels: R, R/T, R/√T
    >>> p.save("sgd.pdf")                              # doctest: +SKIP

What is drawn:

* **mean over seeds** of R(T') at every checkpoint T' (R(T') has its own comparator x*_{T'}, see
  docs/architecture.md, "The protocol"), with a **band**: ``band="se"`` — mean ± one standard error, s/√S with the sample
  standard deviation s (ddof = 1); ``band="bootstrap"`` — the 95 % percentile bootstrap interval of
  the mean (seeds resampled with replacement, ``n_boot`` resamples drawn from
  ``numpy.random.default_rng(boot_seed)``, so it is repeatable); ``band=None`` — none. The legend title
  says which. With one seed there is no band.
* the **fitted exponent** p of R(T) ≈ c·T^p in the legend, its fit range in the legend's title: the
  least-squares slope of log R against log T over the checkpoints T' ≥ 0.1·T (:func:`fit_exponent`,
  the same fit as :mod:`regret.analysis`). An exponent near 1/2 is the O(√T) of the
  regret theorems; near 1 is linear regret (no learning, Reddi et al. ICLR 2018 Theorem 1).
* **reference slopes** c√T and cT over the fitted tail, starting a factor 3 below the lowest curve at
  the tail's first checkpoint, so they lie beside the curves rather than under them (their constants c
  carry no meaning: they show the slopes 1/2 and 1), grey and in dash patterns no series or bound
  uses (``reference_style`` chooses others);
* the **CSV** (:class:`regret.plots.io.PlotTable`) holds, besides every drawn line, each seed's own
  values (role ``seed=S``), and plain-text labels;
* **panels side by side** (:func:`regret_panels`): each its own curves and bounds (one problem each,
  say), sharing one legend;
* **bound overlays**: arrays (one value per checkpoint), ``(t, values)`` pairs or callables t ↦ bound,
  e.g. the theory layer's bound values per checkpoint.

On logarithmic axes a non-positive value cannot be drawn: it is handed to matplotlib as ``nan`` (a
gap) and written as ``nan`` in the CSV; the companion panels (linear y) show every value.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import require
from . import base
from . import io as _io
from . import style as _style

BANDS = ("se", "bootstrap", None)
NORMALIZE = {None: ("regret", r"$R(T)$"), "T": ("regret_over_T", r"$R(T)/T$"),
             "sqrtT": ("regret_over_sqrtT", r"$R(T)/\sqrt{T}$")}


# -- inputs ---------------------------------------------------------------------------------------------
@dataclass
class Curve:
    """A regret curve: ``values[s, k]`` = R(t[k]) for seed s (shape (S, K)), named ``label`` (in the
    CSV) and shown as ``legend`` (default: the label; mathtext allowed)."""

    label: str
    t: np.ndarray
    values: np.ndarray
    legend: str | None = None
    seeds: object = None  # the seed of each row of values (default 0..S−1), for the CSV

    def __post_init__(self):
        t = np.asarray(self.t)
        v = np.asarray(self.values, dtype=np.float64)
        if v.ndim == 1:
            v = v[None, :]
        require(isinstance(self.label, str) and self.label != "", "label", self.label, "a non-empty string")
        require(t.ndim == 1 and t.size >= 1, f"{self.label}: t", f"shape {t.shape}", "a 1-D array of rounds")
        require(bool(np.all(np.isfinite(t.astype(np.float64)))) and bool(np.all(t > 0)), f"{self.label}: t",
                t.tolist()[:5], "finite rounds > 0")
        require(t.size == 1 or bool(np.all(np.diff(t) > 0)), f"{self.label}: t", t.tolist()[:5],
                "strictly increasing rounds")
        require(v.ndim == 2 and v.shape[1] == t.size and v.shape[0] >= 1, f"{self.label}: values",
                f"shape {v.shape}", f"shape (seeds, {t.size}) matching t")
        require(bool(np.all(np.isfinite(v))), f"{self.label}: values", "non-finite entries", "finite regret values")
        self.t, self.values = t, v
        if self.legend is None:
            self.legend = self.label
        self.seeds = list(range(v.shape[0])) if self.seeds is None else [int(s) for s in self.seeds]
        require(len(self.seeds) == v.shape[0], f"{self.label}: seeds", self.seeds, f"{v.shape[0]} seeds, one per row")

    @classmethod
    def from_result(cls, res, label: str | None = None, legend: str | None = None) -> "Curve":
        """The regret curve of a :class:`regret.RunResult` (it must have been run with a comparator)."""
        require(getattr(res, "comparator", None) is not None, "result", getattr(res, "problem", res),
                "a RunResult computed with comparator=True")
        return cls(label or res.optimizer.name, np.asarray(res.checkpoints), res.regret, legend, list(res.seeds))


@dataclass
class Bound:
    """A bound overlay: ``values`` is an array (one per checkpoint ``t``; ``t`` defaults to the first
    curve's checkpoints), or a callable ``t ↦ values``. Values that are inf/nan (a bound whose
    hypotheses fail, say) are not drawn."""

    label: str
    values: object
    t: object = None
    color: str | None = None


def as_curves(results) -> list[Curve]:
    """RunResult / Curve / (label, t, values) — or a list of them — as a list of :class:`Curve`."""
    from ..engine import RunResult

    items = list(results) if isinstance(results, (list, tuple)) and not _is_triple(results) else [results]
    require(len(items) > 0, "results", results, "at least one RunResult or Curve")
    runs = [r for r in items if isinstance(r, RunResult)]
    labels = iter(zip(base.result_labels(runs), base.result_labels(runs, pretty=True)))
    out = []
    for r in items:
        if isinstance(r, RunResult):
            out.append(Curve.from_result(r, *next(labels)))
        elif isinstance(r, Curve):
            out.append(r)
        elif _is_triple(r):
            out.append(Curve(*r))
        else:
            require(False, "results", type(r).__name__, "RunResult, regret.plots.Curve or (label, t, values)")
    names = [c.label for c in out]
    require(len(set(names)) == len(names), "labels", names, "distinct labels, one per curve")
    return out


def _is_triple(x) -> bool:
    return isinstance(x, tuple) and len(x) == 3 and isinstance(x[0], str)


def as_bounds(bounds, t_default) -> list[tuple[str, np.ndarray, np.ndarray, str | None]]:
    """Bounds (dict label → values/(t, values)/callable, or a list of :class:`Bound`) evaluated:
    a list of (label, t, values, color)."""
    if bounds is None:
        return []
    if isinstance(bounds, dict):
        items = []
        for k, v in bounds.items():
            if isinstance(v, tuple) and len(v) == 2:
                items.append(Bound(k, v[1], v[0]))
            else:
                items.append(Bound(k, v))
    else:
        items = list(bounds) if isinstance(bounds, (list, tuple)) else [bounds]
    out = []
    for b in items:
        require(isinstance(b, Bound), "bounds", type(b).__name__,
                "a dict label → values/(t, values)/callable, or a list of regret.plots.Bound")
        t = np.asarray(t_default if b.t is None else b.t)
        require(t.ndim == 1 and t.size >= 1 and bool(np.all(t > 0)), f"bound {b.label!r}: t", f"shape {t.shape}",
                "a 1-D array of rounds > 0")
        vals = b.values(t.copy()) if callable(b.values) else b.values
        vals = np.asarray(vals, dtype=np.float64)
        if vals.ndim == 0:
            vals = np.full(t.shape, float(vals))
        require(vals.shape == t.shape, f"bound {b.label!r}: values", f"shape {vals.shape}",
                f"one value per round, shape {t.shape}")
        out.append((b.label, t, vals, b.color))
    return out


# -- statistics -------------------------------------------------------------------------------------------
def fit_exponent(t, y, tail: float = 0.1) -> dict:
    """The exponent shown in the legend: :func:`regret.analysis.growth_exponent`'s point estimate
    (least squares of log y = log c + p·log t over the checkpoints t ≥ ``tail``·t_max with y > 0), so
    a figure and a report quote the same number. Returns {"slope": p, "intercept": log c, "t_lo",
    "t_hi", "n", "tail"} or None when fewer than 3 points qualify."""
    from .. import analysis

    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    require(isinstance(tail, (int, float)) and 0 < tail <= 1, "fit_tail", tail, "a fraction in (0, 1]")
    mask = tail_mask(t, y, tail)
    if mask.sum() < 3:
        return None
    tm = t[mask]
    fit = analysis.growth_exponent(y[mask][None, :], tm, tail=float(tm.min() / tm.max()), n_boot=0)
    return {"slope": float(fit.exponent), "intercept": float(fit.intercept), "t_lo": float(t[mask][0]),
            "t_hi": float(t[mask][-1]), "n": int(mask.sum()), "tail": float(tail)}


def tail_mask(t, y, tail: float) -> np.ndarray:
    """The points :func:`fit_exponent` uses: :func:`regret.analysis.tail_mask` and y finite, > 0."""
    from .. import analysis

    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return analysis.tail_mask(t, tail) & (y > 0) & np.isfinite(y)


def band_stats(values: np.ndarray, band, level: float = 0.95, n_boot: int = 2000, boot_seed: int = 0):
    """Mean over seeds (axis 0) and the band (lower, upper) — None when there is no band."""
    v = np.asarray(values, dtype=np.float64)
    mean = v.mean(axis=0)
    S = v.shape[0]
    if band is None or S < 2:
        return mean, None
    if band == "se":
        se = v.std(axis=0, ddof=1) / np.sqrt(S)
        return mean, (mean - se, mean + se)
    rng = np.random.default_rng(boot_seed)
    idx = rng.integers(0, S, size=(n_boot, S))
    means = v[idx].mean(axis=1)  # (n_boot, K)
    q = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [q, 1.0 - q], axis=0)
    return mean, (lo, hi)


def _reference_style(style) -> tuple:
    """(color, (√T pattern, T pattern)) of the reference slopes: the default, or the user's, refused
    when a pattern is one a data series or a bound uses (the reader could not tell them apart)."""
    if style is None:
        return _style.REFERENCE_COLOR, _style.REFERENCE_LINESTYLES
    require(isinstance(style, dict) and set(style) <= {"color", "linestyles"}, "reference_style", style,
            "a dict with 'color' and/or 'linestyles' (two matplotlib line styles: for c√T, for cT)")
    styles = tuple(style.get("linestyles", _style.REFERENCE_LINESTYLES))
    require(len(styles) == 2, "reference_style linestyles", styles, "two line styles (for c√T, for cT)")
    taken = [repr(s) for s in _style.LINESTYLES + _style.BOUND_LINESTYLES] + ["'-'", "'solid'"]
    for s in styles:
        require(repr(s) not in taken, "reference_style linestyles", s,
                "a dash pattern no data series or bound uses (e.g. (0, (1, 4)) or (0, (3, 1, 1, 1, 1, 1, 1, 1)))")
    return style.get("color", _style.REFERENCE_COLOR), styles


def legend_title(band, level: float, curves, fits: dict) -> str:
    """The legend's title: what the band is and, when exponents are shown, the range they were fitted on."""
    text = band_text(band, level, [c.values.shape[0] for c in curves])
    ranges = {(f["t_lo"], f["t_hi"]) for f in fits.values() if f is not None}
    if len(ranges) == 1:
        lo, hi = ranges.pop()
        text += f"; $T^p$ fitted on {_round(lo)} ≤ T ≤ {_round(hi)}"
    elif ranges:
        text += f"; $T^p$ fitted on T ≥ {_round(min(r[0] for r in ranges))}"
    return text


def _round(t: float) -> str:
    """A round number as an integer (1000000, not 1e+06)."""
    return str(int(t)) if float(t).is_integer() else f"{t:g}"


def band_text(band, level: float, seeds: list[int]) -> str:
    s = sorted(set(seeds))
    n = f"{s[0]}" if len(s) == 1 else f"{s[0]}–{s[-1]}"
    if band is None or max(s) < 2:
        return f"mean of {n} seed{'s' if max(s) > 1 else ''}"
    if band == "se":
        return f"mean of {n} seeds ± 1 s.e."
    return f"mean of {n} seeds, {level:.0%} bootstrap CI"


def _check_options(band, level, n_boot, boot_seed, normalize):
    require(band in BANDS, "band", band, "'se', 'bootstrap' or None")
    require(isinstance(level, float) and 0 < level < 1, "level", level, "a probability in (0, 1), e.g. 0.95")
    require(isinstance(n_boot, int) and not isinstance(n_boot, bool) and n_boot >= 100, "n_boot", n_boot,
            "an integer ≥ 100")
    require(isinstance(boot_seed, int) and boot_seed >= 0, "boot_seed", boot_seed, "an integer ≥ 0")
    require(normalize in NORMALIZE, "normalize", normalize, "None (R), 'T' (R/T) or 'sqrtT' (R/√T)")


def _on_log(y: np.ndarray) -> np.ndarray:
    """Values drawn on a log axis: non-positive ones become nan (a gap)."""
    y = np.asarray(y, dtype=np.float64).copy()
    y[~(y > 0)] = np.nan
    return y


# -- drawing ----------------------------------------------------------------------------------------------
def regret_curve(results, ax=None, normalize=None, band="se", level: float = 0.95, n_boot: int = 2000,
                 boot_seed: int = 0, bounds=None, references: bool = True, fit_tail: float = 0.1,
                 legend: bool = True, width="single", usetex: bool = False, panel: str | None = None,
                 reference_style: dict | None = None) -> base.Plot:
    """Draw regret curves on one Axes (a new single-column figure unless ``ax`` is given).

    ``normalize``: None → R(T) on log-log axes with the fitted exponent p (R ≈ c·T^p) in the legend and
    reference slopes c√T, cT; ``"T"`` → R(T)/T; ``"sqrtT"`` → R(T)/√T (log x, linear y). ``bounds`` are
    divided the same way. ``reference_style``: {"color": …, "linestyles": (for c√T, for cT)} for the
    reference slopes (default grey, in dash patterns no series or bound uses; a pattern a series or a
    bound uses is refused). Returns a :class:`regret.plots.Plot` whose table holds every plotted number."""
    _check_options(band, level, n_boot, boot_seed, normalize)
    ref_color, ref_styles = _reference_style(reference_style)
    base.check_ax(ax)
    curves = as_curves(results)
    if ax is None:
        fig, (ax,) = base.new_figure(1, width, usetex=usetex)
    fig = ax.figure
    name, ylabel = NORMALIZE[normalize]
    panel = panel or name
    log_y = normalize is None
    table = _io.PlotTable()
    fits = {}
    t_all = np.unique(np.concatenate([c.t for c in curves]).astype(np.float64))
    bnds = as_bounds(bounds, curves[0].t)

    def scale(t):
        t = np.asarray(t, dtype=np.float64)
        return np.ones_like(t) if normalize is None else (t if normalize == "T" else np.sqrt(t))

    with base.styled(fig):
        tail_lows = []  # each curve's mean at the first checkpoint of the fitted tail
        for i, c in enumerate(curves):
            st = _style.series_style(i)
            div = scale(c.t)
            mean, bnd = band_stats(c.values / div, band, level, n_boot, boot_seed)
            label = c.legend
            if log_y:
                fit = fit_exponent(c.t, mean, fit_tail)
                fits[c.label] = fit
                if fit is not None:
                    label = f"{c.legend}: $\\propto T^{{{fit['slope']:.2f}}}$"
                    tail_lows.append(float(np.nanmin(np.where(tail_mask(c.t, mean, fit_tail), mean, np.nan))))
            y = _on_log(mean) if log_y else mean
            K = c.t.size
            every = max(1, K // 8)
            ax.plot(c.t, y, color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                    markevery=(i % every, every), label=label, zorder=3)
            table.add(panel, c.label, label, "mean", c.t, y)
            for s, row in zip(c.seeds, c.values / div):  # each seed's own values, in the CSV only
                table.add(panel, c.label, label, f"seed={s}", c.t, _on_log(row) if log_y else row)
            if bnd is not None:
                lo, hi = (_on_log(bnd[0]), _on_log(bnd[1])) if log_y else bnd
                ax.fill_between(c.t, lo, hi, color=st["color"], alpha=0.2, linewidth=0, zorder=2)
                table.add(panel, c.label, label, "band_lower", c.t, lo)
                table.add(panel, c.label, label, "band_upper", c.t, hi)
        if log_y and references and tail_lows:
            # Over the tail (the fitted range), where the exponent is measured, starting a factor 3
            # below the lowest curve there: beside the curves, not hidden under them.
            x = np.array([max(fit_tail * t_all[-1], t_all[0]), t_all[-1]])
            y0 = min(tail_lows) / 3.0
            for j, (lab, yv) in enumerate([(r"$c\sqrt{T}$", y0 * np.sqrt(x / x[0])), (r"$cT$", y0 * x / x[0])]):
                ax.plot(x, yv, color=ref_color, linestyle=ref_styles[j], linewidth=0.9, label=lab, zorder=1)
                table.add(panel, ("c*sqrt(T)", "c*T")[j], lab, "reference", x, yv)
        for j, (lab, bt, bv, color) in enumerate(bnds):
            yv = bv / scale(bt)
            yv = np.where(np.isfinite(yv), yv, np.nan)
            if log_y:
                yv = _on_log(yv)
            st = _style.bound_style(j)
            ax.plot(bt, yv, color=color or st["color"], linestyle=st["linestyle"], linewidth=st["linewidth"],
                    label=lab, zorder=2.5)
            table.add(panel, lab, lab, "bound", bt, yv)
        ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        ax.set_xlabel(r"$T$ (rounds)")
        ax.set_ylabel(ylabel)
        if legend:
            ax.legend(title=legend_title(band, level, curves, fits if log_y else {}), loc="best")
    notes = []
    if log_y:
        dropped = sum(int(np.sum(~(b[5] > 0))) for b in table.select(role="mean"))
        if dropped:
            notes.append(f"{dropped} mean value(s) ≤ 0 not drawn on the log axis (kept in the linear panels)")
    return base.Plot(fig, {panel: ax}, table, fits, notes)


def regret_figure(results, bounds=None, band="se", level: float = 0.95, n_boot: int = 2000, boot_seed: int = 0,
                  references: bool = True, fit_tail: float = 0.1, companions: bool = True, width=None,
                  usetex: bool = False, title: str | None = None, reference_style: dict | None = None) -> base.Plot:
    """R(T) on log-log axes and, with ``companions``, R(T)/T and R(T)/√T beside it (two-column width;
    one panel alone is single-column). One legend for the figure, below the panels."""
    _check_options(band, level, n_boot, boot_seed, None)
    modes = [None, "T", "sqrtT"] if companions else [None]
    width = width or ("double" if companions else "single")
    fig, axes = base.new_figure(len(modes), width, aspect=0.36 if companions else 0.5, usetex=usetex)
    table = _io.PlotTable()
    plot = None
    axmap = {}
    for ax, mode in zip(axes, modes):
        p = regret_curve(results, ax=ax, normalize=mode, band=band, level=level, n_boot=n_boot,
                         boot_seed=boot_seed, bounds=bounds, references=references, fit_tail=fit_tail,
                         legend=False, reference_style=reference_style)
        table.extend(p.table)
        axmap.update(p.axes)
        if plot is None:
            plot = p
    curves = as_curves(results)
    with base.styled(fig):
        handles, labels = axes[0].get_legend_handles_labels()
        base.figure_legend(fig, handles, labels, title=legend_title(band, level, curves, plot.fits))
        if title:
            fig.suptitle(title)
    return base.Plot(fig, axmap, table, plot.fits, plot.notes)


@dataclass
class RegretPanel:
    """One panel of :func:`regret_panels`: its ``name`` (the panel in the CSV), its ``title``, its
    curves (as :func:`regret_curve` takes them) and its bounds."""

    name: str
    title: str
    curves: object
    bounds: object = None


def regret_panels(panels, band="se", references: bool = False, width="double", aspect: float = 0.42,
                  legend_title: str | None = None, legend_cols: int = 2, usetex: bool = False) -> base.Plot:
    """R(T) on log-log axes in one panel per :class:`RegretPanel`, side by side, with one legend below
    them: the first panel's entries, each curve under its own legend text without the fitted exponent
    (it differs from panel to panel). ``legend_title`` defaults to the band's description."""
    panels = list(panels)
    require(len(panels) > 0 and all(isinstance(p, RegretPanel) for p in panels), "panels", panels,
            "one or more regret.plots.RegretPanel")
    fig, axes = base.new_figure(len(panels), width, aspect=aspect, usetex=usetex)
    table = _io.PlotTable()
    axmap, fits = {}, {}
    for ax, p in zip(axes, panels):
        drawn = regret_curve(p.curves, ax=ax, band=band, references=references, legend=False, panel=p.name,
                             bounds=p.bounds)
        table.extend(drawn.table)
        axmap.update(drawn.axes)
        fits[p.name] = drawn.fits
        with base.styled(fig):
            ax.set_title(p.title)
    first = as_curves(panels[0].curves)
    legend_of = {c.label: c.legend for c in first}
    plain = {b[2]: legend_of[b[1]] for b in table.select(panel=panels[0].name, role="mean")}
    if legend_title is None:
        legend_title = band_text(band, 0.95, [c.values.shape[0] for c in first])
    with base.styled(fig):
        handles, labels = axes[0].get_legend_handles_labels()
        # the table keeps labels as plain text (regret.plots.io.plain_text): look the drawn ones up so
        base.figure_legend(fig, handles, [plain.get(_io.plain_text(lab), lab) for lab in labels],
                           title=legend_title, max_cols=legend_cols)
    return base.Plot(fig, axmap, table, fits)
