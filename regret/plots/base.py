"""Pieces shared by the figure modules: the :class:`Plot` a figure function returns, Axes handling
for ``ax=`` composition, series labels and min/max decimation of long traces."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import require
from . import io as _io
from . import style as _style


@dataclass
class Plot:
    """A drawn figure: the matplotlib ``figure``, its ``axes`` (dict panel → Axes), the ``table`` of
    plotted numbers (:class:`regret.plots.io.PlotTable`) and ``fits`` (series → fitted log-log slope
    information, for regret curves)."""

    figure: object
    axes: dict
    table: _io.PlotTable
    fits: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def save(self, path, formats=None, pgf: bool = False, dpi=None) -> dict:
        """Write the figure (PDF + PNG by default) and its CSV; see :func:`regret.plots.io.save`."""
        return _io.save(self.figure, self.table, path, formats=formats, pgf=pgf, dpi=dpi)


def check_ax(ax):
    require(ax is None or (hasattr(ax, "plot") and hasattr(ax, "figure")), "ax", type(ax).__name__,
            "None or a matplotlib Axes")
    return ax


def new_figure(ncols: int, width, aspect=None, usetex: bool = False, nrows: int = 1):
    """A paper-styled figure with nrows × ncols panels, returned as a flat list of Axes (row by row);
    the style is remembered on the figure so that :func:`regret.plots.io.save` renders it with the
    same rcParams."""
    import matplotlib

    rc = _style.rc(usetex)
    with matplotlib.rc_context(rc):
        fig, axes = _style.subplots(nrows, ncols, width=width, aspect=aspect)
    fig._regret_rc = rc
    return fig, list(np.ravel(axes)) if nrows * ncols > 1 else [axes]


def _visible_length(label: str) -> int:
    """About how many characters a label shows once mathtext is typeset (``\\alpha`` is one)."""
    import re

    return len(re.sub(r"[${}^_]", "", re.sub(r"\\[a-zA-Z]+", "x", label)))


LEGEND_SHARE = 0.25  # the legend takes at most this share of a figure's height


def figure_legend(fig, handles, labels, title: str | None = None, max_cols: int = 4) -> None:
    """One legend for the figure, below the panels; the figure grows by the legend's height so the
    panels keep their size (the width stays the column or text width). A legend that would take more
    than :data:`LEGEND_SHARE` of the height is set a point smaller (more columns fit), and if it still
    would, the panels grow taller until it does not."""
    w, h = fig.get_size_inches()
    longest = max((_visible_length(lab) for lab in labels), default=0)
    size = 7.0
    for size in (7.0, 6.0):
        per_char = 14 * 7.0 / size  # characters per inch of width at this font size
        ncols = max(1, min(len(labels), max_cols if w > 5 else 3, int((w * per_char) // max(longest + 6, 1))))
        rows = -(-len(labels) // ncols) + (1 if title else 0)
        need = 0.06 + rows * 0.125 * size / 7.0
        if need <= LEGEND_SHARE * (h + need):
            break
    h = max(h, need * (1 - LEGEND_SHARE) / LEGEND_SHARE)
    fig.set_size_inches(w, h + need)
    legend = fig.legend(handles, labels, loc="outside lower center", ncols=ncols, frameon=False, title=title,
                        fontsize=size, title_fontsize=size)
    # the estimate above is a line height per row; measure the legend as drawn and let the panels
    # grow until it takes at most LEGEND_SHARE of the height
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    drawn = legend.get_window_extent(renderer).height / fig.dpi
    total = fig.get_size_inches()[1]
    if drawn > LEGEND_SHARE * total:
        fig.set_size_inches(w, drawn / LEGEND_SHARE + 0.02)


def styled(fig):
    """rc context of a figure made by :func:`new_figure` (the user's own rcParams otherwise)."""
    import contextlib

    import matplotlib

    rc = getattr(fig, "_regret_rc", None)
    return matplotlib.rc_context(rc) if rc else contextlib.nullcontext()


def envelope_indices(y: np.ndarray, max_points: int | None, x: np.ndarray | None = None,
                     log: bool = False) -> np.ndarray:
    """Indices of a min/max decimation of ``y``: at most about ``max_points`` points that keep, in each
    of max_points/2 buckets, its smallest and its largest value — so the drawn envelope of an
    oscillating trace (e.g. the period-3 iterates of Reddi et al.'s Theorem 1) survives, where uniform
    subsampling would alias. Buckets are equal intervals of ``x`` (of log x with ``log``; of the index
    without ``x``), so on a log axis the early rounds keep their detail. The first and last points are
    always kept; all indices when ``len(y) ≤ max_points``."""
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0]
    require(max_points is None or (isinstance(max_points, int) and not isinstance(max_points, bool)
                                   and max_points >= 4), "max_points", max_points, "an integer ≥ 4 or None")
    if max_points is None or n <= max_points:
        return np.arange(n)
    pos = np.arange(n, dtype=np.float64) if x is None else np.asarray(x, dtype=np.float64)
    if log:
        pos = np.log(pos)
    nb = max_points // 2
    edges = np.linspace(pos[0], pos[-1], nb + 1)
    starts = np.searchsorted(pos, edges[:-1], side="left")
    ends = np.append(starts[1:], n)
    keep = [0, n - 1]
    for a, b in zip(starts, ends):
        if b <= a:
            continue
        seg = y[a:b]
        if np.all(np.isnan(seg)):
            keep.append(int(a))
            continue
        keep.append(int(a) + int(np.nanargmin(seg)))
        keep.append(int(a) + int(np.nanargmax(seg)))
    return np.unique(np.asarray(keep, dtype=np.int64))


_PRETTY = {"alpha": r"$\alpha$", "beta1": r"$\beta_1$", "beta2": r"$\beta_2$", "eps": r"$\epsilon$",
           "momentum": r"$\mu$", "rho": r"$\rho$", "lam": r"$\lambda$"}


def _hp_text(k, v, pretty: bool) -> str:
    if pretty and k == "bias_correction":
        return "bias corr." if v else "no bias corr."
    if pretty and k == "schedule" and v in ("sqrt", "constant"):
        return r"$\alpha/\sqrt{t}$" if v == "sqrt" else r"constant $\alpha$"
    key = _PRETTY.get(k, k) if pretty else k
    if isinstance(v, list):
        v = f"array[{len(v)}]"
    return f"{key}={v:g}" if isinstance(v, float) else f"{key}={v}"


def result_labels(results, pretty: bool = False) -> list[str]:
    """Names of runs: the optimizer name, plus the hyperparameters that differ between runs sharing
    that name (``adam alpha=0.1`` vs ``adam alpha=0.01``). ``pretty``: the legend form, with mathtext
    symbols (``adam $\alpha$=0.1``); the plain form names series in the CSV."""
    names = [r.optimizer.name for r in results]
    out = []
    for i, r in enumerate(results):
        same = [results[j] for j in range(len(results)) if names[j] == names[i]]
        if len(same) == 1:
            out.append(names[i])
            continue
        hps = [s.optimizer.hyperparameters() for s in same]
        diff = [k for k in hps[0] if any(repr(h.get(k)) != repr(hps[0].get(k)) for h in hps)]
        mine = r.optimizer.hyperparameters()
        parts = [_hp_text(k, mine[k], pretty) for k in diff]
        out.append(names[i] + (" " + " ".join(parts) if parts else f" #{i}"))
    return out


def panel_title(ax, text: str | None) -> None:
    if text:
        ax.set_title(text)
