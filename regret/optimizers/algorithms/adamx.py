"""AdamX — Phuong & Phong (IEEE Access 2019, arXiv:1904.03590), Algorithm 2: AMSGrad (Reddi et
al. 2018, Algorithm 2) except for the running maximum,

    v̂_1 = v_1,   v̂_t = max((1 − β1,t)²/(1 − β1,t−1)² v̂_{t−1}, v_t)   for t ≥ 2,

which their Theorem 5.1 needs when β1,t decays (β1,t = β1 λ^{t−1}).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, beta1_at
from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def update(m, v, vhat, g, alpha_t, t, beta1_t, beta1_prev, beta2, eps):
    """Algorithm 2's lines on one coordinate. Returns (m_t, v_t, v̂_t, Δ)."""
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    if t == 1:
        vhat = v
    else:
        carried = ((1.0 - beta1_t) / (1.0 - beta1_prev)) ** 2 * vhat
        vhat = carried if carried > v else v
    den = math.sqrt(vhat) + eps
    return m, v, vhat, (-alpha_t * m / den if den > 0.0 else 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def weight(vhat, eps):
    return math.sqrt(vhat) + eps


@njit(cache=True, error_model="numpy", inline="always")
def second_moment(vhat):
    return vhat


@dataclass(frozen=True, eq=False, repr=False)
class AdamX(Optimizer):
    """AdamX, Phuong & Phong (IEEE Access 2019, arXiv:1904.03590) Algorithm 2: AMSGrad with
    v̂_t = max((1−β1,t)²/(1−β1,t−1)² v̂_{t−1}, v_t)."""

    name = "adamx"
    state = ("m", "v", "vhat")
    update = update
    weight = weight
    second_moment = second_moment
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 0.0
    lam: float = 1.0
    schedule: object = "constant"

    def V_meaning(self) -> str:
        return "√v̂_t (Phuong & Phong's rescaled max)"


@dataclass(frozen=True, eq=False, repr=False)
class AdamXArrays(ArrayOptimizer, AdamX):
    """Phuong & Phong's Algorithm 2 on arrays: AMSGrad with v̂_1 = v_1 and
    v̂_t = max((1 − β1,t)²/(1 − β1,t−1)² v̂_{t−1}, v_t) for t ≥ 2; x̂_{t+1} = x_t − α_t m_t/(√v̂_t + ε)."""

    def init(self, d):
        return {"m": np.zeros(d), "v": np.zeros(d), "vhat": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        b1 = beta1_at(self.beta1, self.lam, t)
        m = b1 * state["m"] + (1.0 - b1) * g
        v = self.beta2 * state["v"] + (1.0 - self.beta2) * g * g
        if t == 1:
            vhat = v.copy()
        else:
            ratio = (1.0 - b1) / (1.0 - beta1_at(self.beta1, self.lam, t - 1))
            vhat = np.maximum(ratio * ratio * state["vhat"], v)
        new = {"m": m, "v": v, "vhat": vhat}
        return -alpha_t * safe_div(m, self.weight(new, t)), new

    def weight(self, state, t):
        return np.sqrt(state["vhat"]) + self.eps

    def second_moment(self, state, t):
        return state["vhat"]
