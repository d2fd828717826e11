"""Nesterov momentum in torch's form (``SGD(momentum=μ, nesterov=True)``; Sutskever et al., ICML 2013):

    b_t = μ b_{t−1} + g_t
    x_{t+1} = P(x_t − α_t (g_t + μ b_t))
"""
from __future__ import annotations

from dataclasses import dataclass

from numba import njit

from ..base import Optimizer


@njit(cache=True, error_model="numpy", inline="always")
def update(buf, g, alpha_t, momentum):
    """b ← μb + g; Δ = −α_t (g + μb). Returns (b, Δ)."""
    buf = momentum * buf + g
    return buf, -alpha_t * (g + momentum * buf)


@dataclass(frozen=True, eq=False, repr=False)
class Nesterov(Optimizer):
    """Nesterov momentum in torch's form (Sutskever et al. 2013): b ← μb + g; x ← Π_X(x − α_t(g + μb))."""

    name = "nesterov"
    state = ("buf",)
    update = update
    alpha: float = 0.01
    momentum: float = 0.9
    schedule: object = "constant"
