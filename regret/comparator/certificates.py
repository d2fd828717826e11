"""Optimality certificates: computable upper bounds on F(x̂) − F*, F* = min_{x∈X} F(x).

* Frank–Wolfe gap (Jaggi, ICML 2013, eq. (3); Frank & Wolfe 1956): for convex F and any
  (sub)gradient g ∈ ∂F(x̂), F(s) ≥ F(x̂) + ⟨g, s − x̂⟩ for all s, so
  F(x̂) − F* ≤ max_{s∈X} ⟨g, x̂ − s⟩ = ⟨g, x̂⟩ − min_{s∈X}⟨g, s⟩ (the domain's support function).
* Strong convexity with modulus μ > 0: F(s) ≥ F(x̂) + ⟨g, s − x̂⟩ + (μ/2)‖s − x̂‖², so
  F(x̂) − F* ≤ max_{s∈X} [⟨g, x̂ − s⟩ − (μ/2)‖s − x̂‖²], attained at s = Π_X(x̂ − g/μ); on R^d this is
  ‖g‖²/(2μ) (Nesterov, Introductory Lectures, Thm 2.1.10), and it is never larger than the FW gap.
* Lagrange duality for max-affine losses (hinge, absolute): see :mod:`.nonsmooth`.

All are exact statements about real numbers; computed in float64 they are bounds up to the rounding
of the evaluations (≈ 1e-16 relative to F), far below the tolerances used here.

NaN safety: a certificate computed from a non-finite quantity (an overflowing objective, gradient or
bound) is NaN (or +inf), never clamped to 0 — ``max(0.0, nan)`` is 0.0 in Python, so no function here
uses ``max(0, ·)`` on a computed value (:func:`nonneg`); the routes refuse a non-finite certificate
(:class:`regret.errors.NonFiniteComparator`).
"""
from __future__ import annotations

import math

import numpy as np


def nonneg(v) -> float:
    """max(0, v) for a finite v (rounding can make a true gap ≥ 0 come out slightly negative); a
    non-finite v is not a bound: NaN for NaN and −∞, +∞ stays +∞ (a valid, useless bound)."""
    v = float(v)
    if math.isfinite(v):
        return v if v > 0.0 else 0.0
    return math.inf if v == math.inf else math.nan


def fw_gap(dom, x, g) -> float:
    """max_{s∈X} ⟨g, x − s⟩ (+∞ on R^d unless g = 0; NaN when g is not finite)."""
    if not np.all(np.isfinite(g)):
        return math.nan
    if not dom.bounded:
        return 0.0 if not np.any(g) else math.inf
    with np.errstate(over="ignore", invalid="ignore"):
        return nonneg(float(g @ x) - dom.support_min(g))


def strong_convexity_gap(dom, x, g, mu: float) -> float:
    """max_{s∈X} [⟨g, x − s⟩ − (μ/2)‖s − x‖²] for μ > 0 (+∞ for μ ≤ 0 on R^d)."""
    if mu <= 0:
        return fw_gap(dom, x, g)
    if not np.all(np.isfinite(g)) or not np.all(np.isfinite(x)):
        return math.nan
    with np.errstate(over="ignore", invalid="ignore"):
        if not dom.bounded:
            return nonneg(float(g @ g) / (2.0 * mu))
        y = x - g / mu
        if not np.all(np.isfinite(y)):
            return math.nan
        s = dom.project(y)
        dx = s - x
        return nonneg(-(float(g @ dx) + 0.5 * mu * float(dx @ dx)))


def gap(dom, x, g, mu: float = 0.0) -> float:
    """The smaller of the valid bounds above (NaN if either is NaN: Python's ``min`` with a NaN
    depends on the order of its arguments)."""
    fw = fw_gap(dom, x, g)
    if mu > 0:
        sc = strong_convexity_gap(dom, x, g, mu)
        if math.isnan(fw) or math.isnan(sc):
            return math.nan
        return min(fw, sc)
    return fw


def min_linear_plus_ridge(dom, v, lam: float) -> float:
    """min_{x∈X} ⟨v, x⟩ + (λ/2)‖x‖² (λ ≥ 0): the support function for λ = 0, else the value at
    Π_X(−v/λ). Used by the Lagrange dual lower bounds. NaN when v is not finite (never a bound)."""
    if not np.all(np.isfinite(v)):
        return math.nan
    with np.errstate(over="ignore", invalid="ignore"):
        if lam <= 0:
            if not dom.bounded:
                return 0.0 if not np.any(v) else -math.inf
            return dom.support_min(v)
        x = dom.project(-v / lam)
        out = float(v @ x) + 0.5 * lam * float(x @ x)
    return out if math.isfinite(out) else math.nan  # λ > 0 on any X: finite unless it overflowed


def tolerance(F: float, rtol: float) -> float:
    """The stopping tolerance rtol·max(1, |F|) (NaN for a NaN F: no certificate is ≤ it)."""
    F = float(F)
    return math.nan if math.isnan(F) else rtol * max(1.0, abs(F))


def within(cert: float, F: float, rtol: float) -> bool:
    """cert ≤ rtol·max(1, |F|), False whenever cert or F is not finite (the NaN-safe test every
    acceptance and rejection uses: ``cert > tol`` is False for a NaN cert)."""
    cert, F = float(cert), float(F)
    return math.isfinite(cert) and math.isfinite(F) and cert <= rtol * max(1.0, abs(F))
