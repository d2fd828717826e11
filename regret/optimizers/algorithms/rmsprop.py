"""RMSProp — Tieleman & Hinton (2012), Coursera lecture 6.5:

    G_t = ρ G_{t−1} + (1 − ρ) g_t²
    x_{t+1} = Π_{X, diag(√G_t)}(x_t − α_t g_t / (√G_t + ε))

(torch ``RMSprop(alpha=ρ)``; no bias correction).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, eps_denominator
from ..base import Optimizer
from ..common import EPS_MODES, accumulator_moment, accumulator_weight, denominator


@njit(cache=True, error_model="numpy", inline="always")
def update(G, g, alpha_t, rho, eps, eps_mode):
    """G ← ρG + (1−ρ)g²; Δ = −α_t g / (√G + ε). Returns (G, Δ)."""
    G = rho * G + (1.0 - rho) * g * g
    den = denominator(G, eps, eps_mode)
    return G, (-alpha_t * g / den if den > 0.0 else 0.0)


@dataclass(frozen=True, eq=False, repr=False)
class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012, lecture 6.5): G ← ρG + (1−ρ)g²; x ← Π(x − α_t g/(√G + ε))."""

    name = "rmsprop"
    state = ("G",)
    update = update
    weight = accumulator_weight
    second_moment = accumulator_moment
    choices = {"eps_mode": EPS_MODES}
    alpha: float = 0.01
    rho: float = 0.99
    eps: float = 1e-8
    eps_mode: str = "outside"
    schedule: object = "constant"

    def V_meaning(self) -> str:
        return "√(EMA of g²)"


@dataclass(frozen=True, eq=False, repr=False)
class RMSPropArrays(ArrayOptimizer, RMSProp):
    """RMSProp on arrays (Tieleman & Hinton, lecture 6.5): MeanSquare_t = ρ MeanSquare_{t−1} + (1 − ρ) g_t²,
    x̂_{t+1} = x_t − α_t g_t/(√MeanSquare_t + ε)."""

    def init(self, d):
        return {"G": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        G = self.rho * state["G"] + (1.0 - self.rho) * g * g
        return -alpha_t * safe_div(g, eps_denominator(G, self.eps, self.eps_mode)), {"G": G}

    def weight(self, state, t):
        return eps_denominator(state["G"], self.eps, self.eps_mode)

    def second_moment(self, state, t):
        return state["G"]
