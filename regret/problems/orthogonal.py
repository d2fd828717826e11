"""The orthogonal adversary: a lower bound R_T ≥ r G √T for every deterministic learner.

On the ball of radius r in R^d (d ≥ 3), with linear losses f_t(x) = ⟨a_t, x⟩, the adversary picks
a_t orthogonal to the learner's x_t and to S_{t−1} = Σ_{s<t} a_s, with ‖a_t‖ = G. Then
f_t(x_t) = 0 every round, and the increments of S are orthogonal, so ‖S_T‖² = Σ_t ‖a_t‖² = G² T and

    R_T = Σ_t f_t(x_t) − min_{‖x‖≤r} ⟨S_T, x⟩ = 0 + r ‖S_T‖ = r G √T,

whatever the (deterministic) learner does: the adversary sees x_t before it chooses. (The classical
argument behind the Ω(DG√T) lower bounds of online convex optimization, e.g. Hazan, Introduction to
Online Convex Optimization, §3.2, there with random signs; here adaptive and exact.)

a_t is the first of the vectors e_{(t mod d)}, e_{(t+1 mod d)}, … that is not (numerically) in
span{x_t, S_{t−1}}, with its components along an orthonormal basis of that span removed, scaled to
‖a_t‖ = G. d ≥ 3 leaves at least one direction free.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..domains import ball
from ..errors import require
from .adversary import Adversary


@njit(cache=True, error_model="numpy", inline="always")
def _normalized(u, tiny):
    """u ← u/‖u‖ in place; u ← 0 when ‖u‖ ≤ tiny (a zero vector adds nothing to a basis)."""
    n = 0.0
    for i in range(u.shape[0]):
        n += u[i] * u[i]
    n = math.sqrt(n)
    for i in range(u.shape[0]):
        u[i] = u[i] / n if n > tiny else 0.0


@njit(cache=True, error_model="numpy", inline="always")
def choose(t, x, params, state, A, b, row):
    """state = (S_{t−1}, q1, q2): the sum of the past loss vectors, and two work vectors."""
    G = params[0]
    d = x.shape[0]
    S, q1, q2 = state[:d], state[d:2 * d], state[2 * d:]
    # an orthonormal basis (q1, q2) of span{x_t, S_{t−1}} by Gram–Schmidt
    for i in range(d):
        q1[i] = x[i]
    _normalized(q1, 1e-300)
    c = 0.0
    for i in range(d):
        c += S[i] * q1[i]
    for i in range(d):
        q2[i] = S[i] - c * q1[i]
    _normalized(q2, 1e-300 * (1.0 + c * c))
    # a_t ∝ e_k − ⟨e_k, q1⟩q1 − ⟨e_k, q2⟩q2 for the first k (from t mod d) that leaves a direction
    for j in range(d):
        k = (t + j) % d
        nv = 0.0
        for i in range(d):
            v = (1.0 if i == k else 0.0) - q1[k] * q1[i] - q2[k] * q2[i]
            A[row, i] = v
            nv += v * v
        nv = math.sqrt(nv)
        if nv > 1e-6:
            for i in range(d):
                A[row, i] *= G / nv
                S[i] += A[row, i]
            break
    b[row] = 0.0
    return None


def orthogonal(d: int = 3, G: float = 1.0, radius: float = 1.0) -> Adversary:
    """The orthogonal adversary on the ball of radius ``radius`` in R^d (d ≥ 3), ‖a_t‖ = G."""
    require(isinstance(d, int) and d >= 3, "orthogonal.d", d, "an integer ≥ 3 (two directions are taken by x_t, S)")
    require(G > 0 and math.isfinite(G), "orthogonal.G", G, "a finite number > 0")
    require(radius > 0 and math.isfinite(radius), "orthogonal.radius", radius, "a finite number > 0")
    return Adversary("orthogonal", "linear", ball(d, float(radius)), choose, params={"G": float(G)},
                     initial_state=lambda d, rng: np.zeros(3 * d))


__all__ = ["orthogonal"]
