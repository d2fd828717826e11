"""Tran Thi Phuong & Le Trieu Phong, "On the Convergence Proof of AMSGrad and a New Version",
IEEE Access 7:61706–61716 (2019), arXiv:1904.03590 (v4): Theorem 4.1 (a corrected AMSGrad bound)
and Theorem 5.1 (AdamX, their Algorithm 2).

Both statements are [3rd-party] (docs/sources.md §S4.2): from a formalization that records where it
departs from the paper; the primary text's constants were not seen, so:
* Theorem 4.1 is encoded for β1,t = β1 λ^{t−1}, 0 < λ < 1 (the case transcribed; the β1,t = β1/t
  case has another second term, not transcribed), with D = D∞ and G = G∞ as the source writes.
  Its t_0 ≥ 1 comes from their Lemma 4.3 and is independent of T but not given explicitly: the bound
  grows with t_0, so it is evaluated at t_0 = 1. A HOLDS at t_0 = 1 holds for every t_0; a violation
  at t_0 = 1 is reported INCONCLUSIVE (it may not be one for the lemma's t_0).
* Theorem 5.1's second term is encoded with (1 − β1)², the formalizers' correction from the paper's
  own proof (``phuong-phong-5.1``); the printed (1 − β1) is kept beside (``phuong-phong-5.1-printed``).
  The source writes γ ≤ 1; γ < 1 is needed for the bound to be finite and is encoded.
"""
from __future__ import annotations

import sympy as sp

from . import hypotheses as H
from . import statistics as ST
from . import symbols as Q
from .base import Setting, Theorem

CITATION = ("Phuong & Phong, On the Convergence Proof of AMSGrad and a New Version, IEEE Access 7 (2019), "
            "arXiv:1904.03590v4")

gamma = Q.beta1 / sp.sqrt(Q.beta2)
_PARAMS = (
    H.relation("beta1", sp.Lt(Q.beta1, 1, evaluate=False), "β1 ∈ [0, 1)"),
    H.relation("beta2", sp.Gt(Q.beta2, 0, evaluate=False), "β2 ∈ (0, 1)"),
    H.relation("gamma", sp.Lt(gamma, 1, evaluate=False), "γ = β1/√β2 < 1"),
    H.bounded_domain(), H.bounded_iterates(l2=False), H.convex_losses(), H.bounded_gradients(l2=False),
)
THIRD = (Q.alpha * sp.sqrt(sp.log(Q.T) + 1) / ((1 - Q.beta1) ** 2 * sp.sqrt(1 - Q.beta2) * (1 - gamma))
         * ST.SUM_G.symbol)
_DG = Q.d * Q.D_inf ** 2 * Q.G_inf

THEOREM_4_1 = Theorem(
    key="phuong-phong-4.1",
    title="AMSGrad regret bound, corrected proof (Theorem 4.1, β1,t = β1 λ^{t−1})",
    citation=CITATION + ", Theorem 4.1 [3rd-party; docs/sources.md §S4.2]",
    kind="upper",
    bound_expr=(_DG / (2 * Q.alpha * (1 - Q.beta1)) * (sp.Sum(sp.sqrt(Q.t), (Q.t, 1, Q.t0)) + sp.sqrt(Q.T))
                + _DG / (2 * Q.alpha * (1 - Q.beta1) * (1 - Q.lam) ** 2) + THIRD),
    hypothesis_list=(H.algorithm("amsgrad", "AMSGrad (Reddi et al. Algorithm 2, no bias correction)",
                                 bias_correction=False),
                     H.no_eps(), H.schedule("sqrt"),
                     H.relation("lambda", sp.Lt(Q.lam, 1, evaluate=False), "β1,t = β1 λ^(t−1), 0 < λ < 1"),
                     *_PARAMS),
    algorithm="AMSGrad, α_t = α/√t, β1,t = β1 λ^{t−1}, 0 < λ < 1, no ε",
    default=Setting(("amsgrad", {"alpha": 0.5, "beta1": 0.5, "beta2": 0.9, "lam": 0.9, "schedule": "sqrt"}),
                    ("reddi", {"C": 3}), T=20_000, seeds=1),
    unknowns={Q.t0: 1},
    audit_gamma=True,
)

_ADAMX_HYPS = (H.algorithm("adamx", "AdamX (Phuong & Phong Algorithm 2)"), H.no_eps(), H.schedule("sqrt"),
               H.beta1_schedule_le(), *_PARAMS)
_ADAMX_SETTING = Setting(("adamx", {"alpha": 0.5, "beta1": 0.5, "beta2": 0.9, "lam": 0.9, "schedule": "sqrt"}),
                         ("reddi", {"C": 3}), T=20_000, seeds=1)


def _adamx(one_minus_beta1_power: int) -> sp.Expr:
    return (_DG * sp.sqrt(Q.T) / (2 * Q.alpha * (1 - Q.beta1))
            + _DG / (2 * Q.alpha * (1 - Q.beta1) ** one_minus_beta1_power) * ST.SUM_BETA_SQRT.symbol
            + THIRD)


THEOREM_5_1 = Theorem(
    key="phuong-phong-5.1",
    title="AdamX regret bound (Theorem 5.1, second term with (1−β1)² as in the paper's proof)",
    citation=CITATION + ", Theorem 5.1, corrected second term [3rd-party; docs/sources.md §S4.2]",
    kind="upper",
    bound_expr=_adamx(2),
    hypothesis_list=_ADAMX_HYPS,
    algorithm="AdamX, α_t = α/√t, 0 ≤ β1,t ≤ β1 < 1, γ < 1, no ε",
    default=_ADAMX_SETTING,
    audit_gamma=True,
)

THEOREM_5_1_PRINTED = Theorem(
    key="phuong-phong-5.1-printed",
    title="AdamX regret bound (Theorem 5.1 as printed, (1−β1) in the second term)",
    citation=CITATION + ", Theorem 5.1 as printed [3rd-party; docs/sources.md §S4.2]",
    kind="upper",
    bound_expr=_adamx(1),
    hypothesis_list=_ADAMX_HYPS,
    algorithm=THEOREM_5_1.algorithm,
    default=_ADAMX_SETTING,
    variant_of="phuong-phong-5.1",
    audit_gamma=True,
)

THEOREMS = (THEOREM_4_1, THEOREM_5_1, THEOREM_5_1_PRINTED)
