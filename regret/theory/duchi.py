"""Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
Optimization", JMLR 12:2121–2159 (2011): diagonal AdaGrad, composite mirror-descent form.

Encoded version (docs/sources.md §S3.1): Theorem 5 and Corollary 6 are only [recalled], so the bound
encoded is the one re-derived there from the verified components — Proposition 3 (p. 2129),
inequality (13) Σ_t ‖g_t‖²_{ψ_t*} ≤ 2 Σ_i ‖g_{1:T,i}‖₂ (any δ ≥ 0) and the drift bound (14) — for the
update x_{t+1} = Π^{H_t}_X(x_t − η H_t^{-1} g_t), H_t = δI + diag(s_t), s_{t,i} = ‖g_{1:t,i}‖₂:

    R(T) ≤ δ/(2η) ‖x* − x_1‖₂² + 1/(2η) max_{t≤T} ‖x* − x_t‖∞² Σ_i ‖g_{1:T,i}‖₂ + η Σ_i ‖g_{1:T,i}‖₂.

It is stated here with constants D ≥ ‖x* − x_1‖₂ and D∞ ≥ max_t ‖x* − x_t‖∞ (the bound is increasing in
both); with the domain's diameters and η = D∞/√2 it becomes Corollary 6's √2 D∞ Σ_i ‖g_{1:T,i}‖₂ (+ the δ
term). In :mod:`regret.optimizers` this is ``adagrad`` with a constant schedule (α = η), ``eps`` = δ
and ``eps_mode='outside'`` (H_t = δI + diag(s_t)); its projection is the H_t-weighted one.
"""
from __future__ import annotations

import math

import sympy as sp

from . import hypotheses as H
from . import statistics as ST
from . import symbols as Q
from .base import Setting, Theorem

CITATION = ("Duchi, Hazan & Singer, Adaptive Subgradient Methods for Online Learning and Stochastic "
            "Optimization, JMLR 12:2121-2159 (2011)")

THEOREM_5 = Theorem(
    key="duchi-5",
    title="Diagonal AdaGrad, composite mirror descent (Theorem 5 form re-derived from Prop. 3, (13), (14))",
    citation=CITATION + ", Theorem 5 / Corollary 6, mirror-descent form [derived from verified components; docs/sources.md §S3.1]",
    kind="upper",
    bound_expr=(Q.delta / (2 * Q.eta) * Q.D ** 2 + Q.D_inf ** 2 / (2 * Q.eta) * ST.SUM_G.symbol
                + Q.eta * ST.SUM_G.symbol),
    hypothesis_list=(
        H.algorithm("adagrad", "diagonal AdaGrad, H_t = δI + diag(s_t) (eps outside the root)", eps_mode="outside"),
        H.schedule("constant"),
        H.relation("delta", sp.Ge(Q.delta, 0, evaluate=False), "δ ≥ 0"),
        H.bounded_iterates(), H.convex_losses(),
    ),
    algorithm="AdaGrad (diagonal), constant η, H_t = δI + diag(‖g_{1:t,i}‖₂), projection in the H_t norm",
    default=Setting(("adagrad", {"alpha": math.sqrt(2.0), "eps": 0.0, "schedule": "constant"}),
                    ("linear", {"d": 10, "domain": "box"}), T=10_000, seeds=5),
)

THEOREMS = (THEOREM_5,)
