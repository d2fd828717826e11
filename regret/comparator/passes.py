"""Compiled passes over the rows of a comparator block for the single-index families (every family
but multiclass): F(x) = Σ_r w_r φ(⟨a_r, x⟩; b_r) with its gradient and Hessian,

    ∇F(x)  = Σ_r w_r φ'(z_r) a_r,        ∇²F(x) = Σ_r w_r φ''(z_r) a_r a_rᵀ,     z_r = ⟨a_r, x⟩,

in one read of the rows (numpy needs a temporary of the size of A for the weighted Hessian and
a second pass for the gradient; at T = 10^6, d = 10 the numpy Hessian took 3.7 ms a call and the
logistic comparator made 170 of them). φ and φ' are the engine's own compiled
:func:`regret.losses.score_loss`, so the comparator and the run evaluate every round by one
source; φ'' is written here (the engine never needs it). The sum of values is Neumaier-compensated
(Neumaier 1974, the engine's own :func:`regret.engine.accounting.compensated_add`): F is compared
with a certificate at relative 1e-9 over up to 10^7 terms.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..engine.accounting import compensated_add
from ..engine.kernel_cache import register_dependent_cache
from ..losses import HUBER, LEAST_SQUARES, LOGISTIC, LP_DELTA, score_loss

# the kernels below build in the losses' and the accounting's compiled code: their disk cache must
# follow those sources too (numba keys a cached function on its own file only)
register_dependent_cache(__file__)


@njit(cache=True, error_model="numpy", inline="always")
def score_curvature(code, lp, z, b, row):
    """φ''(z) of the families with curvature (a generalized second derivative for Huber at |r| = δ,
    0 for the piecewise-linear families): least squares 1; logistic σ(yz)(1 − σ(yz)), y = ±1;
    Huber 1 inside the quadratic zone."""
    if code == LEAST_SQUARES:
        return 1.0
    if code == LOGISTIC:
        yz = b[row] * z
        e = math.exp(-abs(yz))  # σ(|yz|)(1 − σ(|yz|)) = e/(1 + e)², e = exp(−|yz|): no overflow
        return e / ((1.0 + e) * (1.0 + e))
    if code == HUBER:
        return 1.0 if abs(z - b[row]) <= lp[LP_DELTA] else 0.0
    return 0.0


@njit(cache=True, error_model="numpy", inline="always")
def _rows(code, lp, A, b, w, x, g, H, want_hess, lo, hi):
    """(Σ, compensation) of w_r φ(z_r) over rows lo..hi−1; their gradient into g and (lower
    triangle, when ``want_hess``) Hessian into H, both overwritten."""
    p = A.shape[1]
    weighted = w.shape[0] > 0
    for j in range(p):
        g[j] = 0.0
    if want_hess:
        for j in range(p):
            for k in range(p):
                H[j, k] = 0.0
    total = 0.0
    comp = 0.0
    for r in range(lo, hi):
        z = 0.0
        for j in range(p):
            z += A[r, j] * x[j]
        f, coef = score_loss(code, lp, z, b, r)
        wr = w[r] if weighted else 1.0
        total, comp = compensated_add(total, comp, wr * f)
        c = wr * coef
        for j in range(p):
            g[j] += c * A[r, j]
        if want_hess:
            h = wr * score_curvature(code, lp, z, b, r)
            if h != 0.0:
                for j in range(p):
                    hj = h * A[r, j]
                    for k in range(j + 1):
                        H[j, k] += hj * A[r, k]
    return total, comp


CHUNK = 1 << 14  # rows per task: fixed, so the sums do not depend on the number of threads
HESS_NUMBERS = 1 << 22  # at most this many numbers of per-task Hessians (32 MB) at large d


def tasks(n: int, p: int) -> int:
    """How many tasks the rows are cut into: ⌈n / CHUNK⌉, fewer when per-task Hessians would exceed
    HESS_NUMBERS; a function of (n, p) only — with or without a Hessian, so that F and ∇F at a point
    are the same numbers either way — and so the same on every machine."""
    return min(max(1, -(-n // CHUNK)), max(1, HESS_NUMBERS // max(1, p * p)))


@njit(cache=True, error_model="numpy", parallel=True)
def value_grad_hess(code, lp, A, b, w, x, G, Hs, want_hess):
    """F(x) = Σ_r w_r φ(⟨a_r, x⟩; b_r) over the rows of (A, b), weights w (empty: every weight 1),
    in G.shape[0] tasks of consecutive rows run in parallel; task k writes its gradient into G[k] and
    (when ``want_hess``) its Hessian into Hs[k]. The tasks' parts are added in task order, so the
    result depends on the rows and the number of tasks only. Returns (F, ∇F, ∇²F or an empty
    array), without a ridge term."""
    n, p = A.shape
    k_tasks = G.shape[0]
    size = (n + k_tasks - 1) // k_tasks
    parts = np.zeros((k_tasks, 2))
    for k in prange(k_tasks):
        lo = min(n, k * size)
        hi = min(n, lo + size)
        total, comp = _rows(code, lp, A, b, w, x, G[k], Hs[k], want_hess, lo, hi)
        parts[k, 0] = total
        parts[k, 1] = comp
    total = 0.0
    comp = 0.0
    for k in range(k_tasks):  # Neumaier again over the tasks' sums, then their compensations
        total, comp = compensated_add(total, comp, parts[k, 0])
        comp += parts[k, 1]
    g = np.zeros(p)
    for k in range(k_tasks):
        for j in range(p):
            g[j] += G[k, j]
    if not want_hess:
        return total + comp, g, np.zeros((0, 0))
    H = np.zeros((p, p))
    for k in range(k_tasks):
        for j in range(p):
            for i in range(j + 1):
                H[j, i] += Hs[k, j, i]
    for j in range(p):
        for i in range(j):
            H[i, j] = H[j, i]
    return total + comp, g, H


@njit(cache=True, error_model="numpy")
def running_sums(A, S, t0, cps, k, out):
    """Add the rows of A — rounds t0 + 1 .. t0 + n — to S one at a time, each column in the
    sequential order of ``np.cumsum`` (so the sums are bit for bit those of one cumulative sum over
    every round, however the rows arrive), copying S into out[k] at each checkpoint cps[k] among those
    rounds. Returns the next k. (A cumulative sum writes an n × d array to read d numbers per
    checkpoint: 0.29 s for 10^5 × 100 rows against a few ms here.)"""
    n, d = A.shape
    for i in range(n):
        for j in range(d):
            S[j] += A[i, j]
        while k < cps.shape[0] and cps[k] == t0 + i + 1:
            for j in range(d):
                out[k, j] = S[j]
            k += 1
    return k


def evaluate(family, A, b, w, x, want_hess: bool):
    """(F(x), ∇F(x), ∇²F(x) or None) of a single-index family over rows (A, b) with weights w
    (None: every weight 1), without a ridge term: :func:`value_grad_hess` with its scratch."""
    n, p = A.shape
    k = tasks(n, p)
    G = np.empty((k, p))
    Hs = np.empty((k, p, p) if want_hess else (k, 0, 0))
    f, g, H = value_grad_hess(family.code, family.params, A, b, np.empty(0) if w is None else w,
                              np.ascontiguousarray(x, dtype=np.float64), G, Hs, want_hess)
    return float(f), g, (H if want_hess else None)


__all__ = ["evaluate", "running_sums", "value_grad_hess", "score_curvature", "tasks", "CHUNK"]
