"""Paper style for `regret` figures: sizes that fit a journal column, fonts readable at that size,
a colorblind-safe palette and line/marker cycles that survive grayscale printing.

    >>> from regret.plots import style
    >>> with style.paper(width="single"):
    ...     fig, ax = style.subplots(width="single")

Widths: ``"single"`` = 3.25 in (one column of a two-column paper: ICML/NeurIPS/IEEE column ≈ 3.25–3.5 in),
``"double"`` = 6.75 in (full text width of those layouts). Font sizes are points at the printed size
(figures are meant to be included at 100 %, ``\\includegraphics[width=\\columnwidth]``): 8 pt labels,
7 pt ticks and legends — the usual 1–2 pt below a 9–10 pt body text.

Palette: Okabe & Ito, *Color Universal Design* (2008), the eight colors distinguishable under the common
color-vision deficiencies; yellow is last because it is faint on white. Each series also gets its own
line style and marker (:func:`series_style`), so a grayscale print still tells them apart.

Math in labels uses matplotlib's mathtext (``r"$R(T)/\\sqrt{T}$"``) with the STIX fonts shipped with
matplotlib (Times-like, as in most paper bodies): no TeX installation is needed. ``usetex=True`` hands
text to a LaTeX installation instead, if the user has one.
"""
from __future__ import annotations

import contextlib
import math
import shutil

import matplotlib
from matplotlib.ticker import FuncFormatter

from ..errors import require

WIDTHS = {"single": 3.25, "double": 6.75}
GOLDEN = 0.618

# Okabe & Ito (2008), in the order used for series.
OKABE_ITO = {
    "blue": "#0072B2", "vermillion": "#D55E00", "bluish_green": "#009E73", "reddish_purple": "#CC79A7",
    "orange": "#E69F00", "sky_blue": "#56B4E9", "black": "#000000", "yellow": "#F0E442",
}
PALETTE = tuple(OKABE_ITO.values())
# Distinct in grayscale as well: solid, dashed, dash-dot, dotted, then longer patterns.
LINESTYLES = ("-", (0, (5, 2)), (0, (5, 1.5, 1, 1.5)), (0, (1, 1.2)), (0, (8, 2, 2, 2)),
              (0, (3, 1, 1, 1, 1, 1)), (0, (10, 3)), (0, (2, 3)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# Guides drawn under the data: reference slopes and theoretical bounds.
REFERENCE_COLOR = "#7f7f7f"
BOUND_COLOR = "#000000"
# Bounds: black, each with a dash pattern that no data series uses.
BOUND_LINESTYLES = ((0, (7, 1.5, 1.5, 1.5, 1.5, 1.5)), (0, (1.5, 1)), (0, (12, 3)), (0, (4, 1.5, 4, 1.5, 1, 1.5)))
FAIL_COLOR = OKABE_ITO["vermillion"]
# Reference slopes c√T and cT: grey, in dash patterns that neither a series nor a bound uses.
REFERENCE_LINESTYLES = ((0, (3, 1, 1, 1, 1, 1, 1, 1)), (0, (1, 4)))

BASE_RC = {
    "font.family": "STIXGeneral",
    "mathtext.fontset": "stix",
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "legend.frameon": False,
    "legend.handlelength": 2.6,
    "legend.borderaxespad": 0.3,
    "legend.labelspacing": 0.3,
    "axes.linewidth": 0.6,
    "axes.grid": True,
    "grid.linewidth": 0.4,
    "grid.alpha": 0.35,
    "axes.axisbelow": True,
    "lines.linewidth": 1.1,
    "lines.markersize": 3.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "axes.formatter.use_mathtext": True,
    "axes.unicode_minus": True,
    "figure.dpi": 100,
    "savefig.dpi": 300,
    # No "tight" bounding box: constrained layout fits everything inside the figure, and the file
    # keeps the exact width (3.25 or 6.75 in), so \includegraphics at that width prints 8 pt as 8 pt.
    "savefig.bbox": None,
    "figure.constrained_layout.h_pad": 0.03,
    "figure.constrained_layout.w_pad": 0.03,
    # Embed TrueType (Type 42) fonts: journals reject Type 3 fonts.
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    # Fixed salt: SVG element ids are hashes; a fixed salt makes them repeatable.
    "svg.hashsalt": "regret",
    "path.simplify": False,
    "text.usetex": False,
}


def rc(usetex: bool = False) -> dict:
    """The rcParams of the paper style; with ``usetex`` text goes through LaTeX (must be installed)."""
    out = dict(BASE_RC)
    out["axes.prop_cycle"] = matplotlib.cycler(color=PALETTE)
    if usetex:
        require(shutil.which("latex") is not None, "usetex", True,
                "False, or a LaTeX installation ('latex' on PATH); mathtext needs none")
        out.update({"text.usetex": True, "font.family": "serif", "font.serif": ["Computer Modern Roman"]})
    return out


@contextlib.contextmanager
def paper(usetex: bool = False):
    """Context in which figures are drawn in the paper style (restores the user's rcParams after)."""
    with matplotlib.rc_context(rc(usetex)):
        yield


def figsize(width="single", aspect: float | None = None, nrows: int = 1) -> tuple[float, float]:
    """(width, height) in inches. ``width``: "single", "double" or inches; ``aspect``: height/width of
    one row (default: golden ratio for one column, 0.34 per row for two columns)."""
    if isinstance(width, str):
        require(width in WIDTHS, "width", width, f"one of {sorted(WIDTHS)} or a number of inches > 0")
        w = WIDTHS[width]
        default_aspect = GOLDEN if width == "single" else 0.34
    else:
        require(isinstance(width, (int, float)) and not isinstance(width, bool) and 0 < width <= 20, "width",
                width, f"one of {sorted(WIDTHS)} or a number of inches in (0, 20]")
        w = float(width)
        default_aspect = GOLDEN if w < 5 else 0.34
    a = default_aspect if aspect is None else aspect
    require(isinstance(a, (int, float)) and 0 < a <= 3, "aspect", aspect, "a height/width ratio in (0, 3]")
    require(isinstance(nrows, int) and nrows >= 1, "nrows", nrows, "an integer ≥ 1")
    return (w, w * a * nrows)


def subplots(nrows: int = 1, ncols: int = 1, width="single", aspect: float | None = None, **kwargs):
    """``matplotlib.figure.Figure`` and axes sized for the paper (no pyplot: nothing global is touched)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize(width, aspect, nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    return fig, axes


def series_style(i: int) -> dict:
    """Color, line style and marker of the i-th series: all three change together, so series stay
    distinct in color, in grayscale and for color-blind readers."""
    return {"color": PALETTE[i % len(PALETTE)], "linestyle": LINESTYLES[i % len(LINESTYLES)],
            "marker": MARKERS[i % len(MARKERS)]}


def bound_style(i: int) -> dict:
    """Style of the i-th theoretical bound overlay (black, thin, its own dash pattern, no marker)."""
    return {"color": BOUND_COLOR, "linestyle": BOUND_LINESTYLES[i % len(BOUND_LINESTYLES)],
            "linewidth": 1.0, "marker": None}


def plain_log_ticks(ax, axis: str = "y") -> None:
    """Tick labels of a log axis as plain numbers (0.5, 2, 300) instead of 5×10⁻¹; minor ticks are
    labelled only at mantissas 2 and 5, so that a decade never holds more than three labels."""
    require(axis in ("x", "y"), "axis", axis, "'x' or 'y'")

    def minor(v, _):
        if v <= 0:
            return ""
        mant = v / 10 ** math.floor(math.log10(v) + 1e-9)
        return f"{v:g}" if min(abs(mant - 2), abs(mant - 5)) < 1e-6 else ""

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    target.set_minor_formatter(FuncFormatter(minor))
