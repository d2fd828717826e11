"""Plain text for terminals and reports: aligned tables and "mean ± spread"."""
from __future__ import annotations

import math


def table(rows) -> str:
    """Rows of cells as aligned columns (two spaces apart), the first row a header underlined with
    dashes; trailing spaces removed."""
    widths = [max(len(str(r[j])) for r in rows) for j in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def plus_minus(mean: float, std: float, fmt: str) -> str:
    """"m ± s" (mean ± sample std); "m ± n/a" when the spread is undefined (one seed: never "± 0");
    "n/a" when the mean itself is not a number."""
    if not math.isfinite(mean):
        return "n/a"
    return f"{mean:{fmt}} ± " + (f"{std:{fmt}}" if math.isfinite(std) else "n/a")


def csv_text(header, rows) -> str:
    """A CSV document: the header row, then ``rows``, "\\n" line ends (the same bytes on every OS)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


__all__ = ["table", "plus_minus", "csv_text"]
