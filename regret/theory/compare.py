"""How a measured quantity M is compared with a bound B, one rule for the verdicts, the exact first
violation (:mod:`.exact`) and the search for counterexamples (:mod:`regret.falsify`).

M is known to within its error bar e (the comparator's certificate and the rounding of the sums). An
upper bound is violated where M − e > B and holds where M + e ≤ B; a lower bound is violated where
M + e < B and holds where M − e ≥ B; in between the side is undecided. A per-coordinate statement
holds for every coordinate i, so each (seed, checkpoint) keeps the coordinate with the least margin.
"""
from __future__ import annotations

import numpy as np


def worst_coordinate(measured, band, bound, kind: str):
    """Per-coordinate statements hold for every i: keep, per (seed, checkpoint), the coordinate with
    the least margin."""
    margin = (bound - measured) if kind == "upper" else (measured - bound)
    idx = np.argmin(margin, axis=-1)[..., None]
    take = lambda a: np.take_along_axis(a, idx, axis=-1)[..., 0]  # noqa: E731
    return take(measured), take(band), take(bound)


def sides(kind: str, measured, band, bound, asserted):
    """(violated, holds) at each point, for an ``upper`` or ``lower`` bound; points that are not
    asserted are neither violated nor failing to hold."""
    lo, hi = measured - band, measured + band
    if kind == "upper":
        viol, ok = lo > bound, hi <= bound
    else:
        viol, ok = hi < bound, lo >= bound
    return viol & asserted, ok | ~asserted


__all__ = ["worst_coordinate", "sides"]
