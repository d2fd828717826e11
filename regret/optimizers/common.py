"""Pieces several published updates share, compiled for inlining into their updates.

ε placement: Kingma & Ba's Algorithm 1 (and torch) divide by √s + ε ('outside'); optax's
``eps_root`` style divides by √(s + ε) ('inside'); Adam's §2 "efficient order" uses ε̂ ('hat').
"""
from __future__ import annotations

import math

from numba import njit

EPS_OUTSIDE, EPS_INSIDE, EPS_HAT = 0, 1, 2
EPS_MODES = ("outside", "inside")  # the choices of an 'eps_mode' field, in code order


@njit(cache=True, error_model="numpy", inline="always")
def denominator(second_moment, eps, eps_mode):
    """√s + ε ('outside', Kingma & Ba Alg. 1, torch) or √(s + ε) ('inside', optax eps_root style)."""
    if eps_mode == EPS_INSIDE:
        return math.sqrt(second_moment + eps)
    return math.sqrt(second_moment) + eps


@njit(cache=True, error_model="numpy", inline="always")
def corrected(moment, bc):
    """moment / (1 − β^t), computed as moment · (1/(1 − β^t)): the reciprocal depends on the round
    only, so over d coordinates it is one division, hoisted out of the loop. Division is the costliest
    instruction of a step; Adam as printed would make three per coordinate and makes one this way
    (at d = 1, and lane by lane in regret.engine.lanes, the count is unchanged), the result within
    one rounding of the quotient. Once 1 − β^t has rounded to 1 the product is the moment itself (x·1 = x exactly), and
    even the round's reciprocal is skipped."""
    return moment if bc == 1.0 else moment * (1.0 / bc)


@njit(cache=True, error_model="numpy", inline="always")
def accumulator_weight(G, eps, eps_mode):
    """√G_t + ε ('outside') or √(G_t + ε) ('inside'): the denominator of AdaGrad's and RMSProp's
    steps, and so the metric of their projection."""
    return denominator(G, eps, eps_mode)


@njit(cache=True, error_model="numpy", inline="always")
def accumulator_moment(G):
    """The accumulator G_t itself (Σ g² for AdaGrad, the EMA of g² for RMSProp): the second moment
    the theorems read."""
    return G
