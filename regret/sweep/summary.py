"""One row per cell of a sweep, at its horizon T: the regret over the seeds, and a table to print.

The spread is the sample standard deviation over seeds; with one seed it is undefined (NaN, printed
"n/a"), never 0. A cell with a diverged seed has NaN statistics and says how many seeds diverged.
"""
from __future__ import annotations

import math
import os

import numpy as np

from ..text import plus_minus, table as text_table
from .store import SUMMARY, read_table, write_parquet

IDENTITY = ("cell", "label", "optimizer", "problem", "family", "domain", "d", "T")
STATISTICS = ("regret", "regret_over_T", "regret_over_sqrt_T", "learner_loss", "distance_to_x_star",
              "average_distance_to_x_star")
# what summarize reads of the tidy rows ("opt." and "problem.": every column they begin)
SUMMARY_COLUMNS = IDENTITY + STATISTICS + ("t", "diverged", "certificate", "opt.", "problem.")


def summarize(df):
    """The per-cell summary (pandas DataFrame) of tidy rows ``df`` (:func:`regret.load`), in order of
    first appearance of the cells."""
    import pandas as pd

    last = df[df["t"] == df["T"]]
    keep = [k for k in last.columns if k in IDENTITY or k.startswith(("opt.", "problem."))]
    out = last.drop_duplicates("cell")[keep].set_index("cell")
    g = last.groupby("cell", sort=False)
    n = g.size()
    out["seeds"] = n
    out["diverged_seeds"] = g["diverged"].sum().astype("int64")
    for col in STATISTICS:
        if col not in last.columns:  # a store whose parts predate the column (schema regret.sweep/2)
            continue
        v = last[col].astype("float64")
        finite = np.isfinite(v).groupby(last["cell"], sort=False).all()
        gv = v.groupby(last["cell"], sort=False)
        mean, std, lo, hi = gv.mean(), gv.std(ddof=1), gv.min(), gv.max()
        # sample std; exactly 0 when every seed gives the same number (a deterministic problem),
        # undefined (NaN, printed n/a) with one seed; NaN statistics when a seed diverged
        std = std.where(lo != hi, 0.0).where(n > 1, math.nan)
        out[f"{col}_mean"] = mean.where(finite, math.nan)
        out[f"{col}_std"] = std.where(finite, math.nan)
    out["certificate_max"] = last.groupby("cell", sort=False)["certificate"].max()
    return pd.DataFrame(out).reset_index()


def write_summary(root: str):
    """Rewrite ``root``/summary.parquet from every part of the store (atomically); returns the summary."""
    import pyarrow as pa

    # the rows t = T only, and only the columns summarize reads
    summary = summarize(read_table(root, columns=SUMMARY_COLUMNS, final=True).to_pandas())
    write_parquet(pa.Table.from_pandas(summary, preserve_index=False), os.path.join(root, SUMMARY))
    return summary


def table(summary, keys=None, limit: int | None = None) -> str:
    """A plain-text table of the summary's rows (those of ``keys``, in that order, if given; the
    first ``limit`` of them, with a last line saying how many more there are)."""
    if keys is not None:
        order = {k: i for i, k in enumerate(keys)}
        summary = summary[summary["cell"].isin(order)].copy()
        summary["_order"] = summary["cell"].map(order)
        summary = summary.sort_values("_order")
    more = 0
    if limit is not None and len(summary) > limit:
        more = len(summary) - limit
        summary = summary.iloc[:limit]
    rows = [("configuration", "problem", "T", "seeds", "R(T)", "R(T)/T", "R(T)/sqrt(T)")]
    for r in summary.to_dict("records"):
        status = f"diverged ({r['diverged_seeds']} of {r['seeds']} seeds)" if r["diverged_seeds"] else None
        rows.append((r["label"], r["problem"], str(r["T"]),
                     str(r["seeds"]), status or plus_minus(r["regret_mean"], r["regret_std"], ".6g"),
                     "-" if status else plus_minus(r["regret_over_T_mean"], r["regret_over_T_std"], ".4g"),
                     "-" if status else plus_minus(r["regret_over_sqrt_T_mean"], r["regret_over_sqrt_T_std"], ".4g")))
    text = text_table(rows)
    if more:
        text += f"\n… and {more} more configurations (all of them: {SUMMARY} in the store, or regret.load)"
    return text


__all__ = ["summarize", "write_summary", "table"]
