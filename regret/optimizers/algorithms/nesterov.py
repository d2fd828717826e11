"""Nesterov momentum in torch's form (``SGD(momentum=μ, nesterov=True)``; Sutskever et al., ICML 2013):

    b_t = μ b_{t−1} + g_t
    x_{t+1} = P(x_t − α_t (g_t + μ b_t))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer
from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def update(buf, g, alpha_t, momentum):
    """b ← μb + g; Δ = −α_t (g + μb). Returns (b, Δ)."""
    buf = momentum * buf + g
    return buf, -alpha_t * (g + momentum * buf)


@dataclass(frozen=True, eq=False, repr=False)
class Nesterov(Optimizer):
    """Nesterov momentum in torch's form (Sutskever et al. 2013): b ← μb + g; x ← Π_X(x − α_t(g + μb))."""

    name = "nesterov"
    state = ("buf",)
    update = update
    alpha: float = 0.01
    momentum: float = 0.9
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class NesterovArrays(ArrayOptimizer, Nesterov):
    """torch.optim.SGD(nesterov=True) on arrays: b_t = μ b_{t−1} + g_t, x̂_{t+1} = x_t − α_t (g_t + μ b_t)."""

    def init(self, d):
        return {"buf": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        buf = self.momentum * state["buf"] + g
        return -alpha_t * (g + self.momentum * buf), {"buf": buf}
