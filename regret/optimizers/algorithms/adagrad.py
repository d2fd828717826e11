"""Diagonal AdaGrad — Duchi, Hazan & Singer (JMLR 2011), Figure 1 (diagonal case):

    G_t = G_{t−1} + g_t²
    x_{t+1} = Π_{X, diag(√G_t)}(x_t − α_t g_t / (√G_t + ε))

ε 'outside' as torch, or 'inside' (g/√(G + ε)) as optax. The projection is in the metric √G_t.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, eps_denominator
from ..base import Optimizer
from ..common import EPS_MODES, accumulator_moment, accumulator_weight, denominator


@njit(cache=True, error_model="numpy", inline="always")
def update(G, g, alpha_t, eps, eps_mode):
    """G ← G + g²; Δ = −α_t g / (√G + ε). Returns (G, Δ)."""
    G = G + g * g
    den = denominator(G, eps, eps_mode)
    return G, (-alpha_t * g / den if den > 0.0 else 0.0)


@dataclass(frozen=True, eq=False, repr=False)
class AdaGrad(Optimizer):
    """Diagonal AdaGrad, Duchi, Hazan & Singer (JMLR 2011) Fig. 1: G ← G + g²;
    x ← Π_{X,√G}(x − α_t g/(√G + ε)) ('outside', torch) or g/√(G + ε) ('inside', optax)."""

    name = "adagrad"
    state = ("G",)
    update = update
    weight = accumulator_weight
    second_moment = accumulator_moment
    choices = {"eps_mode": EPS_MODES}
    alpha: float = 0.01
    eps: float = 1e-10
    eps_mode: str = "outside"
    schedule: object = "constant"

    def V_meaning(self) -> str:
        return "√(Σ_{s≤t} g_s²)"


@dataclass(frozen=True, eq=False, repr=False)
class AdaGradArrays(ArrayOptimizer, AdaGrad):
    """Diagonal AdaGrad on arrays (Duchi et al. Fig. 1, H_t = δI + diag(s_t)): G_t = Σ_{s≤t} g_s²,
    x̂_{t+1} = x_t − η g_t/(√G_t + δ); the metric of the projection is √G_t + δ."""

    def init(self, d):
        return {"G": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        G = state["G"] + g * g
        return -alpha_t * safe_div(g, eps_denominator(G, self.eps, self.eps_mode)), {"G": G}

    def weight(self, state, t):
        return eps_denominator(state["G"], self.eps, self.eps_mode)

    def second_moment(self, state, t):
        return state["G"]
