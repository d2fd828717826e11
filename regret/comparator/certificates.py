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
"""
from __future__ import annotations

import math

import numpy as np


def fw_gap(dom, x, g) -> float:
    """max_{s∈X} ⟨g, x − s⟩ (+∞ on R^d unless g = 0)."""
    if not dom.bounded:
        return 0.0 if not np.any(g) else math.inf
    return max(0.0, float(g @ x) - dom.support_min(g))


def strong_convexity_gap(dom, x, g, mu: float) -> float:
    """max_{s∈X} [⟨g, x − s⟩ − (μ/2)‖s − x‖²] for μ > 0 (+∞ for μ ≤ 0 on R^d)."""
    if mu <= 0:
        return fw_gap(dom, x, g)
    if not dom.bounded:
        return float(g @ g) / (2.0 * mu)
    s = dom.project(x - g / mu)
    dx = s - x
    return max(0.0, -(float(g @ dx) + 0.5 * mu * float(dx @ dx)))


def gap(dom, x, g, mu: float = 0.0) -> float:
    """The smaller of the valid bounds above."""
    fw = fw_gap(dom, x, g)
    if mu > 0:
        return min(fw, strong_convexity_gap(dom, x, g, mu))
    return fw


def min_linear_plus_ridge(dom, v, lam: float) -> float:
    """min_{x∈X} ⟨v, x⟩ + (λ/2)‖x‖² (λ ≥ 0): the support function for λ = 0, else the value at
    Π_X(−v/λ). Used by the Lagrange dual lower bounds."""
    if lam <= 0:
        if not dom.bounded:
            return 0.0 if not np.any(v) else -math.inf
        return dom.support_min(v)
    x = dom.project(-v / lam)
    return float(v @ x) + 0.5 * lam * float(x @ x)


def tolerance(F: float, rtol: float) -> float:
    """The stopping tolerance rtol·max(1, |F|)."""
    return rtol * max(1.0, abs(F))
