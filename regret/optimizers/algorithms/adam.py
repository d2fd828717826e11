"""Adam — Kingma & Ba (ICLR 2015, arXiv:1412.6980v9), Algorithm 1, with the decaying
β1,t = β1 λ^{t−1} of Theorem 4.1 (§4; λ = 1 keeps β1 constant, the algorithm as used in practice):

    m_t ← β1,t m_{t−1} + (1 − β1,t) g_t
    v_t ← β2 v_{t−1} + (1 − β2) g_t²
    m̂_t ← m_t / (1 − β1^t)
    v̂_t ← v_t / (1 − β2^t)
    θ_t ← θ_{t−1} − α_t m̂_t / (√v̂_t + ε)

Kingma & Ba write θ_{t−1} for our x_t. m̂_t and v̂_t are formed as the moments times the round's
1/(1 − β^t) (``corrected``): at d > 1 one division per coordinate instead of three, each within one
rounding of the printed quotient (torch folds 1/(1 − β1^t) into its scalar step size α/(1 − β1^t)
instead, and divides √v by √(1 − β2^t)). The projection (for a constrained domain) is in the metric
√v̂_t + ε. Variants a user must choose, all published:

* eps_mode 'outside' — α m̂/(√v̂ + ε) (Algorithm 1, torch, optax); 'inside' — α m̂/√(v̂ + ε);
  'hat' — §2's "efficient order" α_t' = α_t √(1 − β2^t)/(1 − β1^t), θ_t ← θ_{t−1} − α_t' m_t/(√v_t + ε̂)
  with ε̂ = eps (TF1, river). Its metric √v_t + ε̂ differs from √v̂_t + ε̂/√(1−β2^t) by a factor common
  to all coordinates, so the weighted projection is the same.
* bias_correction=False drops m̂, v̂: Reddi, Kale & Kumar's "Adam" (ICLR 2018, §2).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..arrays import ArrayOptimizer, safe_div, eps_denominator, beta1_at
from ..base import Optimizer
from ..common import EPS_HAT, EPS_MODES, corrected, denominator


@njit(cache=True, error_model="numpy", inline="always")
def _denominator(v, bc2, eps, eps_mode):
    """√v̂_t + ε with v̂_t = v_t/(1 − β2^t); in eps_mode 'hat' §2's √v_t + ε̂."""
    if eps_mode == EPS_HAT:
        return math.sqrt(v) + eps
    return denominator(corrected(v, bc2), eps, eps_mode)


@njit(cache=True, error_model="numpy", inline="always")
def update(m, v, g, alpha_t, beta1_t, beta2, eps, eps_mode, bc1, bc2):
    """Algorithm 1's lines on one coordinate; bc1 = 1 − β1^t and bc2 = 1 − β2^t (both 1 without
    bias correction). Returns (m_t, v_t, Δ)."""
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    den = _denominator(v, bc2, eps, eps_mode)
    if not den > 0.0:  # only before the first non-zero gradient (numerator 0 too), or NaN
        return m, v, 0.0
    if eps_mode == EPS_HAT:
        return m, v, -(alpha_t * math.sqrt(bc2) / bc1) * m / den
    m_hat = corrected(m, bc1)
    return m, v, -alpha_t * m_hat / den


@njit(cache=True, error_model="numpy", inline="always")
def weight(v, bc2, eps, eps_mode):
    """√v̂_t + ε, the denominator of the step (by the same expression, so bit-identical to it)."""
    return _denominator(v, bc2, eps, eps_mode)


@njit(cache=True, error_model="numpy", inline="always")
def second_moment(v, bc2):
    """v̂_t = v_t/(1 − β2^t), which the update does not store."""
    return corrected(v, bc2)


@dataclass(frozen=True, eq=False, repr=False)
class Adam(Optimizer):
    """Adam, Kingma & Ba (ICLR 2015, arXiv:1412.6980v9) Algorithm 1, with the decaying
    β1,t = β1 λ^{t−1} of Theorem 4.1 (λ = 1: constant β1, the algorithm as used in practice).

    eps_mode: 'outside' — α m̂/(√v̂ + ε) (Algorithm 1, torch, optax); 'inside' — α m̂/√(v̂ + ε);
    'hat' — §2's efficient order α √(1−β2^t)/(1−β1^t) · m/(√v + ε̂) with ε̂ = eps (TF1, river).
    bias_correction=False drops m̂, v̂ (Reddi et al.'s "Adam", ICLR 2018 §2)."""

    name = "adam"
    state = ("m", "v")
    update = update
    weight = weight
    second_moment = second_moment
    choices = {"eps_mode": EPS_MODES + ("hat",)}
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    eps_mode: str = "outside"
    bias_correction: bool = True
    lam: float = 1.0
    schedule: object = "constant"

    def V_meaning(self) -> str:
        if not self.bias_correction:
            return "√v_t, the EMA itself (Reddi et al.'s Adam, no bias correction)"
        return "√v̂_t, v̂_t = v_t/(1−β2^t) (Kingma & Ba)"


@dataclass(frozen=True, eq=False, repr=False)
class AdamArrays(ArrayOptimizer, Adam):
    """Algorithm 1 on arrays: m_t = β1,t m + (1 − β1,t) g; v_t = β2 v + (1 − β2) g²; m̂ = m/(1 − β1^t);
    v̂ = v/(1 − β2^t); x̂_{t+1} = x_t − α_t m̂/(√v̂ + ε). 'inside': √(v̂ + ε); 'hat' (§2's efficient
    order): α_t √(1 − β2^t)/(1 − β1^t) · m/(√v + ε̂), whose metric √v + ε̂ times (1 − β1^t)/√(1 − β2^t)
    is the denominator of α_t(...); bias_correction=False: 1 − β^t replaced by 1."""

    def _corrections(self, t):
        if self.bias_correction:
            return 1.0 - self.beta1 ** t, 1.0 - self.beta2 ** t
        return 1.0, 1.0

    def init(self, d):
        return {"m": np.zeros(d), "v": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        b1 = beta1_at(self.beta1, self.lam, t)
        m = b1 * state["m"] + (1.0 - b1) * g
        v = self.beta2 * state["v"] + (1.0 - self.beta2) * g * g
        c1, c2 = self._corrections(t)
        new = {"m": m, "v": v}
        if self.eps_mode == "hat":
            return -(alpha_t * math.sqrt(c2) / c1) * safe_div(m, np.sqrt(v) + self.eps), new
        return -alpha_t * safe_div(m / c1, self.weight(new, t)), new

    def weight(self, state, t):
        c1, c2 = self._corrections(t)
        if self.eps_mode == "hat":
            return (np.sqrt(state["v"]) + self.eps) * c1 / math.sqrt(c2)
        return eps_denominator(state["v"] / c2, self.eps, self.eps_mode)

    def second_moment(self, state, t):
        return state["v"] / self._corrections(t)[1]
