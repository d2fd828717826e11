"""The figure of a limit statement (:mod:`regret.theory.limit`): the gap |M − c| against the variable
on log-log axes, with the power law fitted over the fit range — the rate the verdict reads."""
from __future__ import annotations

import numpy as np

from ..errors import require
from . import base, io as _io, style as _style
from .traces import _legend


def limit_gap(verdict, ax=None, width="single", usetex: bool = False, panel: str = "limit") -> base.Plot:
    """|M − c| (the worst seed) at each value of the variable, and the fitted law over the fit range,
    for a :class:`regret.theory.Verdict` of kind ``"limit"``; points where the gap is 0 are left out."""
    require(getattr(verdict, "kind", None) == "limit" and verdict.measured is not None, "verdict", verdict,
            "the Verdict of a limit statement, with its numbers")
    base.check_ax(ax)
    own = ax is None
    if own:
        fig, (ax,) = base.new_figure(1, width, usetex=usetex)
    fig = ax.figure
    table = _io.PlotTable()
    x = np.asarray(verdict.checkpoints, dtype=np.float64)
    gap = np.abs(np.asarray(verdict.measured) - np.asarray(verdict.bound)).max(axis=0)
    lim = verdict.limit or {}
    with base.styled(fig):
        st = _style.series_style(0)
        keep = gap > 0
        label = f"|{verdict.measured_name} − {lim.get('limit', 0):g}|"
        ax.plot(x[keep], gap[keep], color=st["color"], linestyle="none", marker=st["marker"],  # the fit shows between
                markersize=3, label=label, zorder=3)
        table.add(panel, "gap", label, "gap", x[keep], gap[keep])
        # the points the rate was fitted on: the fit range, where the gap exceeds the error bar
        err = np.asarray(verdict.band, dtype=np.float64).max(axis=0)
        fit = np.asarray(verdict.asserted, dtype=bool) & keep & (gap > err)
        p = lim.get("rate", float("nan"))
        if fit.sum() >= 2 and np.isfinite(p):
            xs = x[fit]
            sign = -1.0 if lim.get("toward") == "∞" else 1.0
            # the fitted law through the geometric mean of the fitted points (least squares passes there)
            a = np.mean(np.log(gap[fit])) - sign * p * np.mean(np.log(xs))
            xx = np.array([xs.min(), xs.max()])
            yy = np.exp(a + sign * p * np.log(xx))
            bs = _style.bound_style(0)
            fit_label = f"fit: rate {p:.3g} over [{xs.min():g}, {xs.max():g}]"
            ax.plot(xx, yy, color=bs["color"], linestyle=bs["linestyle"], linewidth=bs["linewidth"], label=fit_label,
                    zorder=2)
            table.add(panel, "fit", fit_label, "fit", xx, yy)
        ax.set_xscale("log")
        ax.set_yscale("log")
        if lim.get("toward") == "0":
            ax.invert_xaxis()  # the limit point on the right, as T → ∞ is
        ax.set_xlabel(r"$T$" if verdict.variable == "T" else verdict.variable)
        ax.set_ylabel("gap to the limit")
        _legend(ax, own)
    return base.Plot(fig, {panel: ax}, table)
