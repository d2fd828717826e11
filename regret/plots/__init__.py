"""Paper-ready figures of regret runs (matplotlib, Agg backend; no TeX installation needed).

    >>> import regret
    >>> from regret import plots
    >>> runs = [regret.run(o, regret.problem("reddi", C=3), T=10_000)
    ...         for o in (regret.optimizer("adam", alpha=0.5, beta1=0, beta2=0.1, schedule="sqrt",
    ...                                    bias_correction=False),
    ...                   regret.optimizer("amsgrad", alpha=0.5, beta1=0, beta2=0.1, schedule="sqrt"))]
    >>> plots.plot_runs(runs, "reddi.pdf")        # doctest: +SKIP
    {'pdf': 'reddi.pdf', 'png': 'reddi.png', 'csv': 'reddi.csv'}

Modules: :mod:`~regret.plots.style` (sizes, fonts, palette, plain log tick labels),
:mod:`~regret.plots.curves` (R(T) with bands, fitted exponents, reference slopes, bounds; R/T and R/√T;
panels side by side), :mod:`~regret.plots.traces` (iterates, effective step and its bounds, Γ_t audit),
:mod:`~regret.plots.sweeps` (a quantity against a hyperparameter grid, per method),
:mod:`~regret.plots.phase` (a quantity over a grid of two hyperparameters, from a sweep's rows),
:mod:`~regret.plots.limit` (the gap of a limit statement to its limit, with the fitted rate),
:mod:`~regret.plots.io` (PDF/PNG/PGF and the CSV of plotted numbers, atomic and byte-for-byte
repeatable). Every drawing function takes ``ax=`` to draw into a user's own Axes and returns a
:class:`Plot` (figure, axes, table of plotted numbers, fits); the ``*_figure`` and
:func:`regret_panels` functions lay several panels out with one legend below them.

Figures are built as ``matplotlib.figure.Figure`` objects without pyplot, so importing this package
neither selects a backend nor opens windows; files are rendered by Agg (PNG) and matplotlib's PDF,
PGF and SVG writers. The ``regret`` command selects the Agg backend explicitly.
"""
from __future__ import annotations

from . import io, style
from .base import Plot
from .curves import Bound, Curve, RegretPanel, fit_exponent, regret_curve, regret_figure, regret_panels
from .io import PlotTable, read_csv, save
from .limit import limit_gap
from .phase import phase_figure
from .sweeps import Sweep, SweepPanel, sweep, sweep_figure
from .traces import (StepLimit, StepPanel, StepSeries, effective_step, gamma_audit, gamma_audit_of, iterate_traces,
                     projected_step, step_bounds, step_bounds_figure, traces_figure)


def plot_runs(results, path, bounds=None, band="se", companions: bool = True, formats=None, pgf: bool = False,
              width=None, title: str | None = None, **kwargs) -> dict:
    """Regret figure of several runs on one problem (R(T) log-log with R/T and R/√T beside it), saved
    as ``path`` (PDF and PNG beside each other, PGF on request) with a CSV of the plotted numbers.
    Returns {format: path written}. ``kwargs`` go to :func:`regret_figure` (level, n_boot, boot_seed,
    references, fit_tail, usetex)."""
    p = regret_figure(results, bounds=bounds, band=band, companions=companions, width=width, title=title, **kwargs)
    return p.save(path, formats=formats, pgf=pgf)


__all__ = ["plot_runs", "regret_figure", "regret_curve", "regret_panels", "iterate_traces", "effective_step",
           "gamma_audit", "gamma_audit_of", "traces_figure", "projected_step", "step_bounds", "step_bounds_figure",
           "sweep", "sweep_figure", "fit_exponent", "Curve", "Bound", "RegretPanel", "Sweep", "SweepPanel",
           "StepSeries", "StepLimit", "StepPanel", "Plot", "PlotTable", "save", "read_csv", "style", "io",
           "phase_figure", "limit_gap"]
