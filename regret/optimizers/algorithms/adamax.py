"""AdaMax — Kingma & Ba (ICLR 2015, arXiv:1412.6980v9), Algorithm 2 (§7.1):

    m_t ← β1 m_{t−1} + (1 − β1) g_t
    u_t ← max(β2 u_{t−1}, |g_t|)
    θ_t ← θ_{t−1} − (α/(1 − β1^t)) m_t / u_t

No ε (the paper has none); u_t = 0 only while every gradient so far was 0, and then m_t = 0 (the
step is 0). β1,t = β1 λ^{t−1} as for Adam; the bias correction 1/(1 − β1^t) is part of the algorithm.
u_t plays the role of √v̂_t: it is the projection metric and the second moment the audits read.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, beta1_at
from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def update(m, u, g, alpha_t, beta1_t, beta2, bc1):
    """Algorithm 2's lines on one coordinate. Returns (m_t, u_t, Δ)."""
    m = beta1_t * m + (1.0 - beta1_t) * g
    a = beta2 * u
    b = abs(g)
    u = a if a > b else b
    return m, u, (-(alpha_t / bc1) * m / u if u > 0.0 else 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def weight(u):
    return u


@njit(cache=True, error_model="numpy", inline="always")
def second_moment(u):
    return u


@dataclass(frozen=True, eq=False, repr=False)
class AdaMax(Optimizer):
    """AdaMax, Kingma & Ba Algorithm 2 (§7.1): u ← max(β2u, |g|); x ← x − (α/(1−β1^t)) m/u; no ε."""

    name = "adamax"
    state = ("m", "u")
    update = update
    weight = weight
    second_moment = second_moment
    alpha: float = 0.002
    beta1: float = 0.9
    beta2: float = 0.999
    lam: float = 1.0
    schedule: object = "constant"

    def uses_bias_correction(self) -> bool:
        return True  # 1/(1 − β1^t) is part of Algorithm 2

    def V_meaning(self) -> str:
        return "u_t = max(β2 u_{t−1}, |g_t|)"

    def sqrt_V(self, vhat_history: np.ndarray) -> np.ndarray:
        return vhat_history.copy()  # u_t is already the root


@dataclass(frozen=True, eq=False, repr=False)
class AdaMaxArrays(ArrayOptimizer, AdaMax):
    """Algorithm 2 on arrays: m_t = β1,t m + (1 − β1,t) g; u_t = max(β2 u, |g|);
    x̂_{t+1} = x_t − (α_t/(1 − β1^t)) m_t/u_t. u_t is the metric and the second moment."""

    def init(self, d):
        return {"m": np.zeros(d), "u": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        b1 = beta1_at(self.beta1, self.lam, t)
        m = b1 * state["m"] + (1.0 - b1) * g
        u = np.maximum(self.beta2 * state["u"], np.abs(g))
        return -(alpha_t / (1.0 - self.beta1 ** t)) * safe_div(m, u), {"m": m, "u": u}

    def weight(self, state, t):
        return state["u"]

    def second_moment(self, state, t):
        return state["u"]
