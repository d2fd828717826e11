"""Zinkevich, "Online Convex Programming and Generalized Infinitesimal Gradient Ascent", ICML 2003:
Theorem 1 (Greedy Projection, η_t = t^{-1/2}) [verbatim; docs/sources.md §S3.2]:

    R_G(T) ≤ ‖F‖² √T / 2 + (√T − 1/2) ‖∇c‖².

Encoded for η_t = α/√t: running Greedy Projection with η_t = α t^{-1/2} on the losses c_t is running it
with η_t = t^{-1/2} on α·c_t (the same iterates), whose gradients are bounded by α‖∇c‖ and whose
regret is α·R; Theorem 1 then gives R ≤ ‖F‖²√T/(2α) + (√T − 1/2) α ‖∇c‖², which is the printed
statement at α = 1. ‖F‖ = D is the domain's ℓ2 diameter, ‖∇c‖ = G is measured at the played points
(the proof uses ‖∇c_t(x_t)‖ only).
"""
from __future__ import annotations

import sympy as sp

from . import hypotheses as H
from . import symbols as Q
from .base import Setting, Theorem

CITATION = ("Zinkevich, Online Convex Programming and Generalized Infinitesimal Gradient Ascent, ICML 2003")

PRINTED = Q.D ** 2 * sp.sqrt(Q.T) / 2 + (sp.sqrt(Q.T) - sp.Rational(1, 2)) * Q.G ** 2  # η_t = t^{-1/2}

THEOREM_1 = Theorem(
    key="zinkevich-1",
    title="Greedy Projection (online gradient descent), η_t = α/√t (Theorem 1, α = 1 as printed)",
    citation=CITATION + (", Theorem 1 [verbatim], rescaled to η_t = α/√t (α = 1 is the printed statement; "
                          "docs/sources.md §S3.2)"),
    kind="upper",
    bound_expr=Q.D ** 2 * sp.sqrt(Q.T) / (2 * Q.alpha) + (sp.sqrt(Q.T) - sp.Rational(1, 2)) * Q.alpha * Q.G ** 2,
    hypothesis_list=(H.algorithm("sgd", "Greedy Projection: x_{t+1} = P(x_t − η_t ∇c_t(x_t))"),
                     H.schedule("sqrt"), H.bounded_domain(), H.bounded_iterates(linf=False), H.convex_losses(),
                     H.bounded_gradients(linf=False)),
    algorithm="projected online gradient descent, η_t = α/√t",
    default=Setting(("sgd", {"alpha": 1.0, "schedule": "sqrt"}), ("linear", {"d": 10, "domain": "ball"}),
                    T=10_000, seeds=5),
)

THEOREMS = (THEOREM_1,)
