"""Hyperparameter sweeps: a measured quantity (average loss, regret) against a grid of one
hyperparameter (α), one line per method, on log-log axes with plain tick labels.

    >>> from regret.plots.sweeps import Sweep, SweepPanel, sweep_figure
    >>> alphas = [0.01, 0.1, 1.0]
    >>> p = sweep_figure(alphas, [SweepPanel("grid", "T = 1000", [Sweep("adam", "Adam", [3.0, 1.0, 2.0], chosen=1)])])

A line's ``values`` are one number per grid point, or per seed and grid point (shape (S, A)): then
the mean is drawn with a band of ± 1 standard error (ddof = 1). ``chosen`` rings one grid point (the
value a tuning picked). The CSV (:class:`regret.plots.io.PlotTable`) has, per panel and line, the
drawn line (``role``, "mean" by default), ``band_lower``/``band_upper`` and the ringed point
(``chosen``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import require
from . import base
from . import io as _io
from . import style as _style


@dataclass
class Sweep:
    """One method's line: ``values`` of shape (A,) or (S, A), named ``name`` in the CSV and shown as
    ``legend``; ``chosen``: the index of the grid point to ring, or None."""

    name: str
    legend: str
    values: object
    chosen: int | None = None


@dataclass
class SweepPanel:
    """One Axes: its ``name`` in the CSV, its ``title`` and its lines."""

    name: str
    title: str
    sweeps: list


def sweep(x, sweeps, ax, panel: str, role: str = "mean") -> _io.PlotTable:
    """Draw the lines ``sweeps`` against the grid ``x`` into ``ax`` (log-log, plain tick labels);
    return the table of plotted numbers."""
    x = np.asarray(x, dtype=np.float64)
    table = _io.PlotTable()
    for i, s in enumerate(sweeps):
        v = np.asarray(s.values, dtype=np.float64)
        require(v.ndim in (1, 2) and v.shape[-1] == x.size, f"{s.name}: values", f"shape {v.shape}",
                f"shape ({x.size},) or (seeds, {x.size}), one value per grid point")
        st = _style.series_style(i)
        y = v if v.ndim == 1 else v.mean(axis=0)
        ax.plot(x, y, color=st["color"], linestyle=st["linestyle"], marker=st["marker"], label=s.legend)
        table.add(panel, s.name, s.legend, role, x, y)
        if v.ndim == 2 and v.shape[0] > 1:
            se = v.std(axis=0, ddof=1) / np.sqrt(v.shape[0])
            ax.fill_between(x, y - se, y + se, color=st["color"], alpha=0.2, linewidth=0)
            table.add(panel, s.name, s.legend, "band_lower", x, y - se)
            table.add(panel, s.name, s.legend, "band_upper", x, y + se)
        if s.chosen is not None:
            k = s.chosen
            ax.plot([x[k]], [y[k]], linestyle="none", marker="o", markersize=8, markerfacecolor="none",
                    markeredgecolor=st["color"], markeredgewidth=1.4)
            table.add(panel, s.name, f"{s.legend} (chosen)", "chosen", x[k:k + 1], y[k:k + 1])
    ax.set_xscale("log")
    ax.set_yscale("log")
    _style.plain_log_ticks(ax)
    return table


def sweep_figure(x, panels, ncols: int | None = None, width="single", aspect: float | None = None,
                 xlabel: str = r"$\alpha$", ylabel: str = r"$R(T)$", role: str = "mean",
                 legend_title: str | None = None, legend_cols: int = 4, usetex: bool = False) -> base.Plot:
    """One panel per :class:`SweepPanel` (``ncols`` per row, default all in one row), the x label
    under the bottom row, the y label beside the first column, one legend below the panels."""
    panels = list(panels)
    require(len(panels) > 0 and all(isinstance(p, SweepPanel) for p in panels), "panels", panels,
            "one or more regret.plots.sweeps.SweepPanel")
    ncols = ncols or len(panels)
    nrows = -(-len(panels) // ncols)
    fig, axes = base.new_figure(ncols, width, aspect=aspect, nrows=nrows, usetex=usetex)
    table = _io.PlotTable()
    with base.styled(fig):
        for j, p in enumerate(panels):
            ax = axes[j]
            table.extend(sweep(x, p.sweeps, ax, p.name, role))
            ax.set_title(p.title)
            if j // ncols == nrows - 1:
                ax.set_xlabel(xlabel)
            if j % ncols == 0:
                ax.set_ylabel(ylabel)
        handles, labels = axes[0].get_legend_handles_labels()
        base.figure_legend(fig, handles, labels, title=legend_title, max_cols=legend_cols)
    return base.Plot(fig, {p.name: axes[j] for j, p in enumerate(panels)}, table)
