"""Phase diagrams: a quantity at the horizon over a grid of two hyperparameters, from a sweep's rows.

    >>> import regret
    >>> from regret import sweep
    >>> from regret.plots.phase import phase_figure
    >>> cells = sweep.cells([("adam", {"beta1": [0.0, 0.5, 0.9], "beta2": [0.1, 0.5, 0.99], "alpha": 0.5,
    ...                                "schedule": "sqrt", "bias_correction": False})],
    ...                     [("reddi", {"C": 3})], Ts=[3000], seeds=1)
    >>> report = sweep.run(cells, "/tmp/phase")                        # doctest: +SKIP
    >>> phase_figure(regret.load("/tmp/phase")).save("phase.pdf")     # doctest: +SKIP

Each cell of the grid is coloured by the mean over seeds of ``value`` at T (``regret_over_T`` by
default; any numeric column of the store: ``regret``, ``regret_over_sqrt_T``, ``G_inf``…); a cell in
which a seed diverged (Σ f_t(x_t) not finite) is drawn in a colour outside the scale, named in the
legend, never given a number. With ``curve=True`` and the axes β1 (x) and β2 (y), the curve
β1 = √β2 is drawn: below it in β1 (above it in β2) lies the region β1 < √β2 of Reddi et al.
(ICLR 2018, Theorem 4 and Corollary 1: AMSGrad's condition γ = β1/√β2 < 1) and of Zhang et al.
(NeurIPS 2022, Theorem 2.2's hypothesis). A grid point must name one configuration: the rows at
(x, y) must agree on every other column that varies (else the error lists those columns; filter the
rows first, or draw one panel per value with ``by=``).

The CSV (:class:`regret.plots.io.PlotTable`) holds, per panel and value of y, the row of the grid
(role ``value``: x against the mean; NaN where diverged) and role ``diverged`` (1 where a seed
diverged), and the curve (role ``curve``).
"""
from __future__ import annotations

import numpy as np

from ..errors import InvalidInput, require
from . import base
from . import io as _io

DIVERGED_COLOR = "#d62728"
NAMES = {"beta1": r"$\beta_1$", "beta2": r"$\beta_2$", "alpha": r"$\alpha$", "lam": r"$\lambda$",
         "regret_over_T": r"$R(T)/T$", "regret": r"$R(T)$", "regret_over_sqrt_T": r"$R(T)/\sqrt{T}$",
         "distance_to_x_star": r"$\|x_{T+1} - x^*_T\|$", "average_distance_to_x_star": r"$\|\bar x_T - x^*_T\|$"}


def grid(df, x: str = "beta1", y: str = "beta2", value: str = "regret_over_T"):
    """(xs, ys, Z, D): the sorted grid values of hyperparameters ``x`` and ``y`` (names without the
    ``opt.`` prefix), the mean over seeds of ``value`` at T (shape (len(ys), len(xs)); NaN where
    the grid has no cell or a seed diverged) and D, True where a seed diverged."""
    cx, cy = f"opt.{x}", f"opt.{y}"
    for col in (cx, cy, value):
        require(col in df.columns, "column", col, f"one of the store's columns ({', '.join(df.columns[:12])}, …)")
    last = df[df["t"] == df["T"]]
    require(len(last) > 0, "rows", "none at t = T", "the rows of a sweep (regret.load)")
    # every other column that varies must be constant at a grid point
    fixed = [c for c in last.columns if (c.startswith(("opt.", "problem.")) or c in ("optimizer", "problem", "T"))
             and c not in (cx, cy)]
    clash = [c for c in fixed if last.groupby([cx, cy], sort=False)[c].nunique(dropna=False).max() > 1]
    if clash:
        raise InvalidInput("rows", f"several configurations per ({x}, {y})",
                           f"one configuration per grid point: filter the rows first (these vary: {', '.join(clash)})")
    xs = np.array(sorted(last[cx].unique()), dtype=np.float64)
    ys = np.array(sorted(last[cy].unique()), dtype=np.float64)
    Z = np.full((ys.size, xs.size), np.nan)
    D = np.zeros((ys.size, xs.size), dtype=bool)
    for (xv, yv), g in last.groupby([cx, cy]):
        i, j = int(np.searchsorted(ys, yv)), int(np.searchsorted(xs, xv))
        D[i, j] = bool(g["diverged"].any())
        v = g[value].to_numpy(dtype=np.float64)
        Z[i, j] = np.nan if D[i, j] or not np.all(np.isfinite(v)) else float(v.mean())
    return xs, ys, Z, D


UNIT_INTERVAL = ("beta1", "beta2", "lam")  # hyperparameters in [0, 1]: cells end there


def _edges(v: np.ndarray, name: str = "") -> np.ndarray:
    """Cell edges around grid values: midpoints, and half a step beyond the ends (not beyond [0, 1]
    for a hyperparameter that lives there)."""
    if v.size == 1:
        e = np.array([v[0] - 0.5, v[0] + 0.5]) if v[0] != 0 else np.array([-0.05, 0.05])
    else:
        mid = (v[1:] + v[:-1]) / 2
        e = np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])
    if name in UNIT_INTERVAL:
        e[0], e[-1] = max(e[0], 0.0), min(e[-1], 1.0)
    return e


def phase_diagram(df, ax, panel: str = "phase", x: str = "beta1", y: str = "beta2", value: str = "regret_over_T",
                  curve: bool = True, norm=None, cmap: str = "viridis", cells=None):
    """Draw the diagram of ``df``'s rows into ``ax`` (``cells``: their :func:`grid`, if already
    computed); returns (the mappable, its PlotTable, the legend handles)."""
    import matplotlib.patches as mpatches

    xs, ys, Z, D = grid(df, x, y, value) if cells is None else cells
    table = _io.PlotTable()
    ex, ey = _edges(xs, x), _edges(ys, y)
    mesh = ax.pcolormesh(ex, ey, np.ma.masked_invalid(Z), cmap=cmap, norm=norm, shading="flat")
    if D.any():  # diverged cells: a colour outside the scale
        ax.pcolormesh(ex, ey, np.ma.masked_where(~D, np.ones_like(Z)), cmap=_single(DIVERGED_COLOR), shading="flat")
    for i, yv in enumerate(ys):
        table.add(panel, f"{y}={yv:g}", f"{y} = {yv:g}", "value", xs, Z[i])
        table.add(panel, f"{y}={yv:g}", f"{y} = {yv:g}", "diverged", xs, D[i].astype(np.float64))
    handles = []
    if curve and {x, y} == {"beta1", "beta2"}:
        b1 = np.linspace(0.0, 1.0, 201)
        cx, cy = (b1, b1 ** 2) if x == "beta1" else (b1 ** 2, b1)
        ax.plot(cx, cy, color="white", linewidth=1.6)  # a halo, so the dashes show on any colour
        ax.plot(cx, cy, color="black", linewidth=0.9, linestyle="--", label=r"$\beta_1 = \sqrt{\beta_2}$")
        table.add(panel, "beta1=sqrt(beta2)", "beta1 = sqrt(beta2)", "curve", cx, cy)
        handles.append(ax.get_lines()[-1])
    if D.any():
        handles.append(mpatches.Patch(color=DIVERGED_COLOR, label="diverged"))
    ax.set_xlim(ex[[0, -1]])
    ax.set_ylim(ey[[0, -1]])
    ax.set_xlabel(NAMES.get(x, x))
    ax.set_ylabel(NAMES.get(y, y))
    return mesh, table, handles


def _single(color):
    from matplotlib.colors import ListedColormap

    return ListedColormap([color])


def phase_figure(df, x: str = "beta1", y: str = "beta2", value: str = "regret_over_T", by: str | None = None,
                 curve: bool = True, log: bool = False, width="single", title: str | None = None,
                 label: str | None = None, vmax: float | None = None) -> base.Plot:
    """The phase diagram of a sweep's rows (``regret.load``), one panel per value of the column
    ``by`` (e.g. ``"problem"``) with one colour scale and one colorbar; ``log``: a logarithmic scale
    (positive values only); ``label``: the colorbar's (default: the value's name); ``vmax``: the top of
    the scale (larger values take its colour, and the colorbar says so with an arrow; the CSV keeps
    the values)."""
    from matplotlib.colors import LogNorm, Normalize

    require(by is None or by in df.columns, "by", by, "None or a column of the rows")
    groups = [(str(k), g) for k, g in df.groupby(by, sort=False)] if by else [("phase", df)]
    grids = [grid(g, x, y, value) for _, g in groups]
    values = np.concatenate([cells[2].ravel() for cells in grids])
    finite = values[np.isfinite(values)]
    if log:
        finite = finite[finite > 0]
        require(finite.size > 0, "log", True, "positive values to draw on a logarithmic scale")
        norm = LogNorm(finite.min(), finite.max() if vmax is None else vmax)
    else:
        norm = Normalize(finite.min(), finite.max() if vmax is None else vmax) if finite.size else Normalize(0, 1)
    fig, axes = base.new_figure(len(groups), width, aspect=0.85 if len(groups) == 1 else None)
    table = _io.PlotTable()
    handles = []
    with base.styled(fig):
        for ax, (name, g), cells in zip(axes, groups, grids):
            mesh, t, h = phase_diagram(g, ax, panel=name, x=x, y=y, value=value, curve=curve, norm=norm, cells=cells)
            table.extend(t)
            handles = handles or h
            if by:
                ax.set_title(name)
        over = vmax is not None and finite.size and finite.max() > vmax
        bar = fig.colorbar(mesh, ax=axes, shrink=0.9, extend="max" if over else "neither")
        bar.set_label(label or (NAMES[value] if value in NAMES else f"{value} at T"))
        if title:
            fig.suptitle(title)
        if handles:
            base.figure_legend(fig, handles, [h.get_label() for h in handles])
    return base.Plot(fig, {name: ax for ax, (name, _) in zip(axes, groups)}, table)


__all__ = ["grid", "phase_diagram", "phase_figure"]
