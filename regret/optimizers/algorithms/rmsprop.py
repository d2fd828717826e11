"""RMSProp — Tieleman & Hinton (2012), Coursera lecture 6.5:

    G_t = ρ G_{t−1} + (1 − ρ) g_t²
    x_{t+1} = Π_{X, diag(√G_t)}(x_t − α_t g_t / (√G_t + ε))

(torch ``RMSprop(alpha=ρ)``; no bias correction).
"""
from __future__ import annotations

from dataclasses import dataclass

from numba import njit

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
