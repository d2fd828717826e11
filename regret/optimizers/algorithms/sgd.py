"""Online (projected) gradient descent — Zinkevich (ICML 2003), Algorithm 1 "Greedy Projection":

    x_{t+1} = P(x_t − η_t ∇c_t(x_t))

with η_t our α_t (constant, α/√t as in Zinkevich's Theorem 1, or the user's array).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer
from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def update(g, alpha_t):
    """Δ = −η_t g_t."""
    return -alpha_t * g


@dataclass(frozen=True, eq=False, repr=False)
class SGD(Optimizer):
    """Online (projected) gradient descent, Zinkevich (ICML 2003) Algorithm 1: x ← Π_X(x − α_t g)."""

    name = "sgd"
    state = ()
    update = update
    alpha: float = 0.01
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class SGDArrays(ArrayOptimizer, SGD):
    """Zinkevich's greedy projection on arrays: x̂_{t+1} = x_t − η_t g_t."""

    def init(self, d):
        return {}

    def update(self, state, g, t, alpha_t):
        return -alpha_t * g, state
