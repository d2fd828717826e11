"""RMSProp with momentum and no bias correction — torch ``RMSprop(momentum=μ)``, the baseline Kingma
& Ba compare Adam against (ICLR 2015, §6.4):

    G_t = ρ G_{t−1} + (1 − ρ) g_t²
    b_t = μ b_{t−1} + g_t / (√G_t + ε)
    x_{t+1} = Π_{X, diag(√G_t)}(x_t − α_t b_t)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, eps_denominator
from ..base import Optimizer
from ..common import EPS_MODES, accumulator_moment, accumulator_weight, denominator


@njit(cache=True, error_model="numpy", inline="always")
def update(G, buf, g, alpha_t, rho, momentum, eps, eps_mode):
    """G ← ρG + (1−ρ)g²; b ← μb + g/(√G + ε); Δ = −α_t b. Returns (G, b, Δ)."""
    G = rho * G + (1.0 - rho) * g * g
    den = denominator(G, eps, eps_mode)
    buf = momentum * buf + (g / den if den > 0.0 else 0.0)
    return G, buf, -alpha_t * buf


@dataclass(frozen=True, eq=False, repr=False)
class RMSPropMomentum(Optimizer):
    """RMSProp with a momentum buffer and no bias correction (torch ``RMSprop(momentum=μ)``), the
    baseline of Kingma & Ba §6.4: G ← ρG + (1−ρ)g²; b ← μb + g/(√G + ε); x ← Π(x − α_t b)."""

    name = "rmsprop_momentum"
    state = ("G", "buf")
    update = update
    weight = accumulator_weight
    second_moment = accumulator_moment
    choices = {"eps_mode": EPS_MODES}
    alpha: float = 0.01
    rho: float = 0.99
    momentum: float = 0.9
    eps: float = 1e-8
    eps_mode: str = "outside"
    schedule: object = "constant"

    def V_meaning(self) -> str:
        return "√(EMA of g²)"


@dataclass(frozen=True, eq=False, repr=False)
class RMSPropMomentumArrays(ArrayOptimizer, RMSPropMomentum):
    """torch.optim.RMSprop(momentum=μ) on arrays: MeanSquare as RMSProp, b_t = μ b_{t−1} +
    g_t/(√MeanSquare_t + ε), x̂_{t+1} = x_t − α_t b_t."""

    def init(self, d):
        return {"G": np.zeros(d), "buf": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        G = self.rho * state["G"] + (1.0 - self.rho) * g * g
        buf = self.momentum * state["buf"] + safe_div(g, eps_denominator(G, self.eps, self.eps_mode))
        return -alpha_t * buf, {"G": G, "buf": buf}

    def weight(self, state, t):
        return eps_denominator(state["G"], self.eps, self.eps_mode)

    def second_moment(self, state, t):
        return state["G"]
