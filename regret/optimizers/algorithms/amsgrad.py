"""AMSGrad — Reddi, Kale & Kumar (ICLR 2018), Algorithm 2:

    m_t = β1t m_{t−1} + (1 − β1t) g_t
    v_t = β2 v_{t−1} + (1 − β2) g_t²
    v̂_t = max(v̂_{t−1}, v_t)
    x_{t+1} = Π_{F,√V̂_t}(x_t − α_t m_t/√v̂_t)

No bias correction and no ε in the paper (ε defaults to 0 here). ``bias_correction=True`` selects
torch's ``Adam(amsgrad=True)`` instead: the max of the raw v, then x − (α_t/(1−β1^t)) m/(√v̂/√(1−β2^t) + ε).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, beta1_at
from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def _denominator(vhat, bc2, eps, bias_correction):
    """√v̂_t + ε (Reddi et al.), or torch's √v̂_t/√(1 − β2^t) + ε with bias correction."""
    if bias_correction:
        return math.sqrt(vhat) / math.sqrt(bc2) + eps
    return math.sqrt(vhat) + eps


@njit(cache=True, error_model="numpy", inline="always")
def update(m, v, vhat, g, alpha_t, beta1_t, beta2, eps, bias_correction, bc1, bc2):
    """Algorithm 2's lines on one coordinate. Returns (m_t, v_t, v̂_t, Δ)."""
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    if v > vhat:
        vhat = v
    den = _denominator(vhat, bc2, eps, bias_correction)
    if not den > 0.0:  # only before the first non-zero gradient (numerator 0 too), or NaN
        return m, v, vhat, 0.0
    if bias_correction:
        return m, v, vhat, -(alpha_t / bc1) * m / den
    return m, v, vhat, -alpha_t * m / den


@njit(cache=True, error_model="numpy", inline="always")
def weight(vhat, bc2, eps, bias_correction):
    """√V̂_t of Π_{F,√V̂_t} (with ε), the denominator of the step."""
    return _denominator(vhat, bc2, eps, bias_correction)


@njit(cache=True, error_model="numpy", inline="always")
def second_moment(vhat):
    return vhat


@dataclass(frozen=True, eq=False, repr=False)
class AMSGrad(Optimizer):
    """AMSGrad, Reddi, Kale & Kumar (ICLR 2018) Algorithm 2: v̂ ← max(v̂, v), no bias correction,
    x ← Π_{X,√V̂}(x − α_t m/√v̂). bias_correction=True gives torch's ``Adam(amsgrad=True)``
    (max of the raw v, then both corrections with the current t)."""

    name = "amsgrad"
    state = ("m", "v", "vhat")
    update = update
    weight = weight
    second_moment = second_moment
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 0.0
    lam: float = 1.0
    bias_correction: bool = False
    schedule: object = "constant"

    def V_meaning(self) -> str:
        if self.bias_correction:
            return "√(v̂_t/(1−β2^t)), v̂_t the max of the raw v (torch amsgrad=True)"
        return "√v̂_t, v̂_t = max(v̂_{t−1}, v_t) (Reddi et al. Algorithm 2)"

    def sqrt_V(self, vhat_history: np.ndarray) -> np.ndarray:
        if not self.bias_correction:
            return np.sqrt(vhat_history)
        t = np.arange(1, vhat_history.shape[1] + 1, dtype=np.float64)
        return np.sqrt(vhat_history / (1.0 - self.beta2 ** t)[None, :, None])


@dataclass(frozen=True, eq=False, repr=False)
class AMSGradArrays(ArrayOptimizer, AMSGrad):
    """Reddi et al.'s Algorithm 2 on arrays: m_t, v_t as Adam's (β1,t in m), v̂_t = max(v̂_{t−1}, v_t),
    x̂_{t+1} = x_t − α_t m_t/(√v̂_t + ε); bias_correction (torch's Adam(amsgrad=True)):
    x̂_{t+1} = x_t − (α_t/(1 − β1^t)) m_t/(√v̂_t/√(1 − β2^t) + ε)."""

    def init(self, d):
        return {"m": np.zeros(d), "v": np.zeros(d), "vhat": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        b1 = beta1_at(self.beta1, self.lam, t)
        m = b1 * state["m"] + (1.0 - b1) * g
        v = self.beta2 * state["v"] + (1.0 - self.beta2) * g * g
        new = {"m": m, "v": v, "vhat": np.maximum(state["vhat"], v)}
        c1 = 1.0 - self.beta1 ** t if self.bias_correction else 1.0
        return -(alpha_t / c1) * safe_div(m, self.weight(new, t)), new

    def weight(self, state, t):
        if self.bias_correction:
            return np.sqrt(state["vhat"]) / math.sqrt(1.0 - self.beta2 ** t) + self.eps
        return np.sqrt(state["vhat"]) + self.eps

    def second_moment(self, state, t):
        return state["vhat"]
