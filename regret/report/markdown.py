"""Numbers and tables as a report's Markdown writes them (shared by the builder, the claims table and
every report module)."""
from __future__ import annotations

import numpy as np


def fmt(v, digits: int = 4) -> str:
    """Numbers for prose and tables: 4 significant digits, plain integers as integers."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v != v:
        return "nan"
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    return f"{v:.{digits}g}"


def md_table(headers, rows) -> str:
    """A Markdown table; ``|`` in a cell is escaped and line breaks become spaces."""
    def cell(x):
        return str(x).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
