"""Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond" (ICLR 2018, arXiv:1904.09237):
the loss sequences on which Adam's regret grows linearly.

* ``reddi`` — Theorem 1 and its period-k generalisation (Theorem 2's construction, Figure 1):
  on F = [−1, 1], f_t(x) = C·x if t mod k = 1, else −s·x. Theorem 1 is k = 3, s = 1, C > 2 (the
  minimiser is x = −1 and Adam with β1 = 0, β2 = 1/(1+C²) goes to +1); Figure 1 (online) is
  C = 1010, s = 10, k = 101. The start is x_1 = 1, as in the appendix proof of Theorem 1.
* ``reddi-stochastic`` — Theorem 3 and Figure 1 (stochastic): i.i.d. f_t(x) = C·x with
  probability p, else −s·x. Theorem 3 takes p = (1+δ)/(C+1), s = 1 (E f_t(x) = δx); Figure 1 takes
  C = 1010, s = 10, p = 0.01 (E f_t = 0.2x). The start is Π_F(0) = 0, as in Theorem 3's proof.
"""
from __future__ import annotations

import numpy as np

from .. import domains
from ..errors import require
from ..losses import Family
from .base import Instance


def reddi(T: int, rng, C: float = 3.0, period: int = 3, s: float = 1.0, x0: float = 1.0) -> Instance:
    """Reddi et al. Theorem 1 (k = 3, s = 1, C > 2) and its period-k form (Figure 1, online: C = 1010,
    s = 10, k = 101): on [−1, 1], f_t(x) = C·x if t mod k = 1, else −s·x; x_1 = x0.

    Deterministic: every seed gives the same sequence."""
    require(C > 0, "C", C, "a number > 0 (Theorem 1 needs C > 2)")
    require(isinstance(period, (int, np.integer)) and period >= 2, "period", period, "an integer ≥ 2")
    require(s > 0, "s", s, "a number > 0")
    require(-1.0 <= x0 <= 1.0, "x0", x0, "a start point in [−1, 1]")
    A = np.array([[C]] + [[-s]] * (int(period) - 1), dtype=np.float64)
    idx = np.arange(int(period), dtype=np.int64)  # round t uses row (t − 1) mod k: row 0 when t mod k = 1
    meta = {"citation": "Reddi, Kale & Kumar, ICLR 2018, Theorem 1 / Figure 1",
            "x_star": -1.0 if C > (period - 1) * s else 1.0}  # a period's total is (C − (k−1)s)·x
    return Instance("reddi", Family("linear"), domains.box(1, -1.0, 1.0), A, np.zeros(int(period)), idx,
                    x0=np.array([x0]), meta=meta, rounds=int(T))  # one period stored, whatever T


def reddi_stochastic(T: int, rng, C: float = 1010.0, s: float = 10.0, p: float = 0.01,
                     delta: float | None = None) -> Instance:
    """Reddi et al. Theorem 3 and Figure 1 (stochastic): i.i.d. f_t(x) = C·x with probability p,
    else −s·x, on [−1, 1] from x_1 = 0; ``delta`` sets Theorem 3's p = (1 + δ)/(C + 1)."""
    require(C > 0, "C", C, "a number > 0")
    require(s > 0, "s", s, "a number > 0")
    if delta is not None:
        require(delta > 0, "delta", delta, "a number > 0")
        p = (1.0 + delta) / (C + 1.0)
    require(0 < p < 1, "p", p, "a probability in (0, 1)")
    A = np.array([[C], [-s]], dtype=np.float64)
    idx = np.where(rng.random(T) < p, 0, 1).astype(np.int64)
    meta = {"citation": "Reddi, Kale & Kumar, ICLR 2018, Theorem 3 / Figure 1 (stochastic)",
            "expected_slope": p * C - (1 - p) * s}
    return Instance("reddi-stochastic", Family("linear"), domains.box(1, -1.0, 1.0), A, np.zeros(2), idx,
                    meta=meta)
