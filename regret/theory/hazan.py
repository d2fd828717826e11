"""Hazan, "Introduction to Online Convex Optimization" (arXiv:1909.05207): Theorem 3.1 (online gradient
descent, η_t = D/(G√t), regret ≤ (3/2) G D √T) and Theorem 3.2 (the Ω(DG√T) lower bound).

Theorem 3.1 [verbatim, via a Lean formalization and a textbook restatement; docs/sources.md §S3.3]. The
step size is part of the statement: η_t = D/(G√t) with D ≥ diam(K) and G ≥ the gradient norms. A run
with η_t = α/√t is an instance of it for the constants D' = max(D_K, α·max_t ‖g_t‖₂) and G' = D'/α:
both are admissible (D' ≥ D_K, G' ≥ max_t ‖g_t‖₂, the proof uses the gradients at the played points
only) and α = D'/G'. With α = D_K/G this gives back D' = D_K, G' = G, so the check evaluates
(3/2) G'D'√T.

Theorem 3.2 [verbatim via two restatements; docs/sources.md §S5]: "Any algorithm for online convex
optimization incurs Ω(DG√T) regret in the worst case", by the instance K = [−1, 1]^d,
f_t(x) = ⟨σ_t, x⟩ with σ_t uniform in {±1}^d. Encoded is the exact statement its proof rests on: for
every algorithm whose x_t depends on f_1..f_{t−1} only, E[R_T] = d·E|S_T| with E|S_T| = 2m·C(2m, m)/4^m,
m = ⌈T/2⌉ [derived, exact] — a statement about an expectation, checked in standard errors over seeds.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import hypotheses as H
from . import statistics as ST
from . import symbols as Q
from .base import Setting, Theorem

CITATION = "Hazan, Introduction to Online Convex Optimization, arXiv:1909.05207"


def admissible_D_G(ctx) -> dict:
    """D' = max(D_K, α·max_{t≤T'} ‖g_t‖₂), G' = D'/α (see the module docstring)."""
    alpha = float(ctx.opt.alpha)
    D = np.maximum(ctx.base_values[Q.D], alpha * ctx.run.G)
    return {Q.D: D, Q.G: D / alpha}


THEOREM_3_1 = Theorem(
    key="hazan-3.1",
    title="Online gradient descent with η_t = D/(G√t): R(T) ≤ (3/2) G D √T (Theorem 3.1)",
    citation=CITATION + ", Theorem 3.1 [verbatim; docs/sources.md §S3.3]",
    kind="upper",
    bound_expr=sp.Rational(3, 2) * Q.G * Q.D * sp.sqrt(Q.T),
    hypothesis_list=(
        H.algorithm("sgd", "online gradient descent x_{t+1} = Π_K(x_t − η_t ∇_t)"),
        H.schedule("sqrt"), H.bounded_domain(), H.bounded_iterates(linf=False), H.convex_losses(),
        H.relation("step", sp.Eq(Q.alpha, Q.D / Q.G, evaluate=False), "η_t = D/(G√t)",
                   note="D = max(D_K, α·max‖g_t‖₂), G = D/α: admissible constants with α = D/G",
                   values=admissible_D_G),
    ),
    algorithm="projected online gradient descent, η_t = D/(G√t)",
    default=Setting(("sgd", {"alpha": 2.0, "schedule": "sqrt"}),  # D/G = 2√d/√d on the ±1 box instance
                    ("linear", {"d": 10, "domain": "box", "dist": "rademacher"}), T=10_000, seeds=5),
    adjust=admissible_D_G,
)


def _causal(ctx):
    return True, {"optimizer": ctx.opt.name}, "every optimizer here plays x_t before f_t is revealed (the protocol)"


THEOREM_3_2 = Theorem(
    key="hazan-3.2",
    title="Lower bound: on ⟨σ_t, x⟩ over [−1, 1]^d, E[R_T] = d·E|S_T| = Ω(DG√T) for every algorithm (Theorem 3.2)",
    citation=CITATION + ", Theorem 3.2 [verbatim statement; exact E|S_T| derived, docs/sources.md §S5]",
    kind="expectation",
    bound_expr=Q.d * ST.EXPECTED_WALK.symbol,
    hypothesis_list=(
        H.problem_is("rademacher", "K = [−1, 1]^d, f_t(x) = ⟨σ_t, x⟩, σ_t uniform in {±1}^d"),
        H.custom("online", "x_t depends on f_1..f_{t−1} only", _causal),
    ),
    algorithm="any online algorithm",
    default=Setting(("sgd", {"alpha": 1.0, "schedule": "sqrt"}), ("rademacher", {"d": 1}), T=1000, seeds=400),
)

THEOREMS = (THEOREM_3_1, THEOREM_3_2)
