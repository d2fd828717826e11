"""Writing figures: vector PDF and PNG (PGF and SVG on request), atomically and repeatably, each with a
CSV of exactly the numbers plotted.

Repeatable: the same figure gives byte-identical files. Timestamps and the producing software are
removed from the metadata (PDF ``CreationDate``/``Creator``/``Producer``, PNG ``Software``, SVG
``Date``), SVG ids use the fixed ``svg.hashsalt`` of the paper style, and every number that goes
into the CSV is written with Python's shortest round-trip ``repr`` (reading it back gives the same
float64).

Atomic: every file is rendered into memory, written to a temporary name in the target directory and
renamed into place, so a reader never sees half a file (docs/architecture.md, "The protocol": nothing is
written half); the files of one figure are renamed together, so a failure leaves none of them changed.

The CSV is a long ("tidy") table, one row per plotted point::

    panel,series,label,role,x,y
    regret,adam,adam: ∝ T^0.98,mean,1,0.75

``panel`` names the Axes, ``series`` the curve (an optimizer, a reference slope, a bound),
``label`` its legend text as plain text (the fitted exponent included; mathtext such as
``$\\propto T^{0.98}$`` written out as ``∝ T^0.98``: :func:`plain_text`), ``role`` what the numbers
are (``mean``, ``seed=S`` for seed S's own values, ``band_lower``/``band_upper``, ``reference``,
``bound``, ``trace``, ``step``, ``limit``, ``gamma``, ``fail``, ``comparator``). ``nan`` marks a point that was handed to matplotlib but not drawn (a
non-positive value on a logarithmic axis).
"""
from __future__ import annotations

import csv
import io
import os
import shutil
from dataclasses import dataclass, field

import matplotlib
import numpy as np

from ..files import write_together
from ..errors import require
from ..text import csv_text

FORMATS = ("pdf", "png", "pgf", "svg")
DEFAULT_FORMATS = ("pdf", "png")
COLUMNS = ("panel", "series", "label", "role", "x", "y")

# Metadata that would make two renders of the same figure differ (or leak the environment).
_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pgf": {},
}
# rcParams that only affect how bytes are written; applied at save time to any figure.
_WRITE_RC = {"svg.hashsalt": "regret", "pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "path",
             "path.simplify": False}


def _number(v) -> str:
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


_MATH = (("\\propto", "∝"), ("\\alpha", "alpha"), ("\\beta", "beta"), ("\\gamma", "gamma"),
         ("\\lambda", "lambda"), ("\\epsilon", "eps"), ("\\varepsilon", "eps"), ("\\infty", "inf"),
         ("\\leq", "≤"), ("\\le", "≤"), ("\\geq", "≥"), ("\\ge", "≥"), ("\\cdot", "·"), ("\\times", "×"),
         ("\\,", " "), ("\\ ", " "))


def plain_text(label: str) -> str:
    """A legend label without mathtext, for the CSV: ``adam: $\\propto T^{0.98}$`` → ``adam: ∝ T^0.98``,
    ``$c\\sqrt{T}$`` → ``c*sqrt(T)``, ``$\\beta_1$`` → ``beta1``."""
    import re

    s = str(label)
    if "$" not in s:
        return s
    for tex, text in _MATH:
        s = s.replace(tex, text)
    s = re.sub(r"(\w)\\sqrt\{([^{}]*)\}", r"\1*sqrt(\2)", s)
    s = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", s)
    s = re.sub(r"\\mathrm\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\\[a-zA-Z]+", lambda m: m.group(0)[1:], s)
    s = re.sub(r"_\{([^{}]*)\}|_(\w)", lambda m: m.group(1) or m.group(2), s)
    s = re.sub(r"\^\{([^{}]*)\}", r"^\1", s)
    return s.replace("$", "").replace("{", "").replace("}", "").strip()


@dataclass
class PlotTable:
    """The numbers of a figure, one block per plotted artist, in the order they were drawn."""

    blocks: list = field(default_factory=list)

    def add(self, panel: str, series: str, label: str, role: str, x, y) -> None:
        x = np.asarray(x)
        y = np.asarray(y)
        require(x.ndim == 1 and y.shape == x.shape, "plotted data", f"x{x.shape}, y{y.shape}",
                "1-D x and y of the same length")
        self.blocks.append((str(panel), str(series), plain_text(label), str(role), x.copy(), y.copy()))

    def extend(self, other: "PlotTable") -> None:
        self.blocks.extend(other.blocks)

    def select(self, panel=None, series=None, role=None) -> list:
        """Blocks matching every given field."""
        return [b for b in self.blocks if (panel is None or b[0] == panel) and (series is None or b[1] == series)
                and (role is None or b[3] == role)]

    def rows(self):
        for panel, series, label, role, x, y in self.blocks:
            for xi, yi in zip(x.tolist(), y.tolist()):
                yield (panel, series, label, role, _number(xi), _number(yi))

    def to_csv(self) -> str:
        return csv_text(COLUMNS, self.rows())


def read_csv(path) -> list[dict]:
    """The rows of a figure CSV, x and y as float (a helper for users and tests)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["x"], r["y"] = float(r["x"]), float(r["y"])
    return rows


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    directory = os.path.dirname(os.path.abspath(path))
    require(os.path.isdir(directory), "path", path, "a file in an existing directory")
    write_together({path: data})


def _stem_and_formats(path, formats, pgf: bool) -> tuple[str, tuple]:
    require(isinstance(path, (str, os.PathLike)) and str(path) != "", "path", path, "a file path such as out.pdf")
    path = os.fspath(path)
    stem, ext = os.path.splitext(path)
    ext = ext.lower().lstrip(".")
    require(not ext or ext in FORMATS, "path", path,
            f"a name ending in one of {['.' + f for f in FORMATS]} (or no suffix)")
    if formats is None:
        fmts = list(DEFAULT_FORMATS)
        if ext in FORMATS and ext not in fmts:
            fmts.insert(0, ext)
    else:
        fmts = [formats] if isinstance(formats, str) else list(formats)
        require(len(fmts) > 0 and all(isinstance(f, str) and f.lower() in FORMATS for f in fmts), "formats",
                formats, f"a non-empty list drawn from {list(FORMATS)}")
        fmts = [f.lower() for f in fmts]
    if pgf and "pgf" not in fmts:
        fmts.append("pgf")
    return stem, tuple(dict.fromkeys(fmts))


def check_pgf() -> None:
    tex = matplotlib.rcParams["pgf.texsystem"]
    require(shutil.which(tex) is not None, "formats", "pgf",
            f"PGF output needs a TeX installation ('{tex}' on PATH, rcParams['pgf.texsystem']) for text "
            "metrics; PDF, PNG and SVG need none")


def render(fig, fmt: str, dpi: float | None = None) -> bytes:
    """The bytes of ``fig`` in format ``fmt`` with reproducible metadata."""
    require(fmt in FORMATS, "format", fmt, f"one of {list(FORMATS)}")
    if fmt == "pgf":
        check_pgf()
    style_rc = dict(getattr(fig, "_regret_rc", {}))
    style_rc.update(_WRITE_RC)
    buf = io.BytesIO()
    kwargs = {"format": fmt}
    if _METADATA[fmt]:  # the PGF backend takes no metadata argument at all
        kwargs["metadata"] = _METADATA[fmt]
    if dpi is not None:
        kwargs["dpi"] = dpi
    with matplotlib.rc_context(style_rc):
        fig.savefig(buf, **kwargs)
    return buf.getvalue()


def figure_files(path, formats=None, pgf: bool = False, csv_file: bool = True) -> dict:
    """{format: file} that :func:`save` writes for ``path``: ``<stem>.pdf`` and ``<stem>.png`` (with
    ``formats=None``; ``path``'s own suffix added when it is another format, e.g. ``<stem>.pgf``), or
    each of ``formats``; ``<stem>.pgf`` too with ``pgf=True``; and ``<stem>.csv`` (``csv_file``)."""
    stem, fmts = _stem_and_formats(path, formats, pgf)
    out = {f: f"{stem}.{f}" for f in fmts}
    if csv_file:
        out["csv"] = f"{stem}.csv"
    return out


def render_files(fig, table: PlotTable, path, formats=None, pgf: bool = False, dpi: float | None = None,
                 csv_file: bool = True) -> dict:
    """{file: bytes} of :func:`save`, rendered in memory and not written."""
    files = figure_files(path, formats, pgf, csv_file)
    require(isinstance(table, PlotTable), "table", type(table).__name__, "a regret.plots.PlotTable")
    if "pgf" in files:
        check_pgf()
    out = {files[f]: render(fig, f, dpi) for f in files if f != "csv"}
    if csv_file:
        out[files["csv"]] = table.to_csv().encode("utf-8")
    return out


def save(fig, table: PlotTable, path, formats=None, pgf: bool = False, dpi: float | None = None,
         csv_file: bool = True) -> dict:
    """Write ``fig`` as ``<stem>.pdf`` and ``<stem>.png`` (``formats`` to choose; ``pgf=True`` adds
    ``<stem>.pgf``) and ``table`` as ``<stem>.csv``; ``path`` gives the stem (``out.pdf`` → ``out``).
    Returns {format: path written}. The files are written together or not at all: each is rendered
    first, written under a temporary name beside its target, and all are renamed at the end (a
    failure anywhere leaves the previous files as they were; :func:`regret.files.write_together`)."""
    written = figure_files(path, formats, pgf, csv_file)
    files = render_files(fig, table, path, formats, pgf, dpi, csv_file)  # render all before writing any
    directory = os.path.dirname(os.path.abspath(next(iter(files))))
    require(os.path.isdir(directory), "path", path, "a file in an existing directory")
    write_together(files)
    return written
