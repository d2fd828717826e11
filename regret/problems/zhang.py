"""Zhang, Chen, Shi, Sun & Luo, "Adam Can Converge Without Any Modification On Update Rules"
(NeurIPS 2022, arXiv:2208.09632), function (2.5): the finite sum on which Adam diverges for small β2
and converges for large β2, with a divergence region that grows with the number n of components.

f = (1/n) Σ_{i=0}^{n−1} f_i on R with f_i = c_i·h, h(z) = z for z ≥ −1, (z + 2)²/2 − 3/2 for z < −1
(the zhang loss family of :mod:`regret.losses`), and, with a = 1/(n − 1)²,

    c_0 = 1 + (n − 1)a = n/(n − 1),   c_i = −a = −1/(n − 1)²  (i ≥ 1),

so one pass over the components adds up to (Σ c_i)·h = h: its minimiser is x* = −2. Round t plays
component i_t: by random reshuffling (each pass over the n components in a fresh random order, the
setting of Zhang et al.'s Theorem 2.2 and of their figures) or by uniform sampling with replacement.
The paper's loss is f_i itself (not f_i/n): the step sizes are η_k = η0/√k on ∇f_{i_k}.
"""
from __future__ import annotations

import numpy as np

from .. import domains
from ..errors import require
from ..losses import Family
from .base import Instance

SAMPLING = ("reshuffle", "uniform")


def weights(n: int) -> np.ndarray:
    """(c_0, …, c_{n−1}) of function (2.5) with a = 1/(n − 1)²."""
    a = 1.0 / (n - 1) ** 2
    return np.array([1.0 + (n - 1) * a] + [-a] * (n - 1))


def zhang(T: int, rng, n: int = 10, sampling: str = "reshuffle", x0: float = 0.0, radius: float = 100.0) -> Instance:
    """Zhang et al. (2.5) with n components, played by ``sampling`` ("reshuffle": every pass over the
    components in a fresh random order; "uniform": i.i.d. components); x_1 = x0. The domain is the
    interval [−radius, radius]: on Zhang et al.'s R the comparator of a prefix whose weights sum to
    less than 0 (a pass not yet complete, c_0 still to come) is −∞, and wide enough that a run of
    the paper's length does not reach it (the report checks that no iterate did)."""
    require(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 3, "n", n,
            "an integer ≥ 3 (Zhang et al.'s divergence result needs n ≥ 3)")
    require(sampling in SAMPLING, "sampling", sampling, f"one of {list(SAMPLING)}")
    require(radius > 2.0, "radius", radius, "a number > 2, so that x* = −2 lies inside the interval")
    require(-radius <= x0 <= radius, "x0", x0, f"a start point in [−{radius:g}, {radius:g}]")
    n = int(n)
    if sampling == "reshuffle":
        passes = -(-int(T) // n)
        idx = np.concatenate([rng.permutation(n) for _ in range(passes)])[:T] if T else np.zeros(0, np.int64)
    else:
        idx = rng.integers(0, n, int(T))
    meta = {"citation": "Zhang, Chen, Shi, Sun & Luo, NeurIPS 2022, eq. (2.5)", "x_star": -2.0}
    return Instance("zhang", Family("zhang"), domains.box(1, -radius, radius), np.ones((n, 1)), weights(n),
                    idx.astype(np.int64), x0=np.array([x0]), meta=meta)
