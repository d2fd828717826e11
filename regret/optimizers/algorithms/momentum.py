"""Heavy-ball momentum — Polyak (1964), in torch's ``SGD(momentum=μ, dampening=0)`` form:

    v_t = μ v_{t−1} + α_t g_t
    x_{t+1} = P(x_t − v_t)

(equal to torch's for a constant α, which it multiplies after the buffer: μb + g, then x − αb).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer
from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def update(buf, g, alpha_t, momentum):
    """v ← μv + α_t g; Δ = −v. Returns (v, Δ)."""
    buf = momentum * buf + alpha_t * g
    return buf, -buf


@dataclass(frozen=True, eq=False, repr=False)
class Momentum(Optimizer):
    """Heavy-ball momentum (Polyak 1964): v ← μv + α_t g; x ← Π_X(x − v). Equals torch
    ``SGD(momentum=μ)`` for a constant α."""

    name = "momentum"
    state = ("buf",)
    update = update
    alpha: float = 0.01
    momentum: float = 0.9
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class MomentumArrays(ArrayOptimizer, Momentum):
    """Heavy ball on arrays, torch's form: v_t = μ v_{t−1} + α_t g_t, x̂_{t+1} = x_t − v_t."""

    def init(self, d):
        return {"buf": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        buf = self.momentum * state["buf"] + alpha_t * g
        return -buf, {"buf": buf}
