"""Euclidean and diagonally weighted projections in plain numpy, from their KKT conditions (closed
form, or bisection on the one-dimensional multiplier) — independent of the compiled projections of
:mod:`regret.domains` (a sorted breakpoint search, a secular equation), which they check.

A coordinate's weight can be 0 (an adaptive method with ε = 0 before its first non-zero gradient);
the projection then returns the limit of the weighted projections as that weight tends to 0+.
"""
from __future__ import annotations

import math

import numpy as np


def _bisect(fun, lo, hi):
    """The root of a non-increasing function on [lo, hi] (fun(lo) ≥ 0 ≥ fun(hi)), to adjacent floats."""
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if fun(mid) > 0:
            lo = mid
        else:
            hi = mid
    return lo, hi


def _ball_weighted(z, w, r):
    """argmin Σ w_i (u_i − z_i)² s.t. ‖u‖ ≤ r for w > 0 and ‖z‖ > r.

    KKT: w_i(u_i − z_i) + μ u_i = 0, so u_i = w_i z_i/(w_i + μ), μ > 0 the root of ‖u(μ)‖ = r; ‖u(μ)‖
    is decreasing and ‖u(μ)‖ ≤ ‖w∘z‖/μ, so the root lies in [0, ‖w∘z‖/r]. Bisection on μ.
    """
    def excess(mu):
        return float(np.linalg.norm(w * z / (w + mu))) - r

    lo, hi = _bisect(excess, 0.0, float(np.linalg.norm(w * z)) / r)
    u = w * z / (w + hi)  # hi: the side where ‖u‖ ≤ r
    n = float(np.linalg.norm(u))
    return u * (r / n) if n > r else u


def _simplex_weighted_eq(y, w, r):
    """argmin Σ w_i (x_i − y_i)² s.t. x ≥ 0, Σ x = r, w > 0.

    KKT: x_i = max(0, y_i − τ/w_i) with Σ_i x_i(τ) = r; Σ x(τ) is non-increasing, ≥ d·r at
    τ = min_i w_i(y_i − r) and 0 at τ = max_i w_i y_i. Bisection finds the active set
    {i : w_i y_i > τ}; on it τ solves the linear equation Σ_{active} (y_i − τ/w_i) = r exactly.
    """
    def excess(tau):
        return float(np.sum(np.maximum(0.0, y - tau / w))) - r

    lo, hi = _bisect(excess, float(np.min(w * (y - r))), float(np.max(w * y)))
    active = w * y > hi
    if not np.any(active):
        active = w * y >= np.max(w * y)
    tau = (float(np.sum(y[active])) - r) / float(np.sum(1.0 / w[active]))
    return np.maximum(0.0, y - tau / w)


def project_box(y, lo, hi):
    """Box: the weighted problem separates; each coordinate is clipped, whatever its weight."""
    return np.minimum(np.maximum(y, lo), hi)


def project_ball(y, c, r, w=None):
    """Π onto {‖x − c‖ ≤ r}: c + (y − c)·min(1, r/‖y − c‖) (Euclidean); weighted as in _ball_weighted.

    Zero weights (the limit w_i → 0+): coordinates with positive weight P solve their weighted
    problem; if their part of z = y − c alone leaves the ball, μ > 0 stays bounded away from 0 and
    the zero-weight coordinates Z go to c; otherwise μ → 0 with μ/w_Z → const, so x_P = y_P and z_Z is
    scaled onto the radius √(r² − ‖z_P‖²) that remains.
    """
    y = np.asarray(y, dtype=np.float64)
    z = y - c
    nz = float(np.linalg.norm(z))
    if nz <= r:
        return y.copy()
    if w is None or not np.any(w > 0):
        return c + z * (r / nz)
    P = w > 0
    Z = ~P
    u = np.zeros_like(z)
    nzp = float(np.linalg.norm(z[P]))
    if nzp > r:
        u[P] = _ball_weighted(z[P], w[P], r)
    else:
        u[P] = z[P]
        rest = math.sqrt(max(r * r - nzp * nzp, 0.0))
        nzz = float(np.linalg.norm(z[Z]))
        u[Z] = z[Z] * (rest / nzz) if nzz > rest else z[Z]
    return c + u


def project_simplex(y, r, w=None):
    """Π onto {x ≥ 0, Σ x = r}; Euclidean = all weights 1.

    Zero weights (the limit w_i → 0+): if Σ_P max(0, y_P) ≥ r the positive-weight coordinates P take
    the whole mass (τ > 0 stays bounded away from 0, x_Z → 0); otherwise x_P = max(0, y_P) and the
    zero-weight coordinates share the remaining mass as the Euclidean projection of y_Z onto the
    simplex of that size (τ → 0 with τ/w_Z → const).
    """
    y = np.asarray(y, dtype=np.float64)
    d = y.shape[0]
    if w is None or not np.any(w > 0):
        return _simplex_weighted_eq(y, np.ones(d), r)
    P = w > 0
    Z = ~P
    if not np.any(Z):
        return _simplex_weighted_eq(y, w, r)
    x = np.zeros(d)
    mass = float(np.sum(np.maximum(0.0, y[P])))
    if mass >= r:
        x[P] = _simplex_weighted_eq(y[P], w[P], r)
    else:
        x[P] = np.maximum(0.0, y[P])
        x[Z] = _simplex_weighted_eq(y[Z], np.ones(int(Z.sum())), r - mass)
    return x


def project(domain, y, w=None):
    """Π_X(y) (w None) or Π_{X,diag(w)}(y) for a regret.domains.Domain, from its kind and parameters."""
    if domain.kind == "box":
        return project_box(y, domain.P[0], domain.P[1])
    if domain.kind == "ball":
        return project_ball(y, domain.P[0], domain.r, w)
    if domain.kind == "simplex":
        return project_simplex(y, domain.r, w)
    return np.array(y, dtype=np.float64, copy=True)


__all__ = ["project", "project_box", "project_ball", "project_simplex"]
