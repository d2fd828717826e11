"""Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (arXiv:1904.09237):
Theorem 4 (AMSGrad), Corollary 1, and Theorems 1–3 as lower-bound statements.

Versions (docs/sources.md §S2.7–S2.8):
* Theorem 4 is printed in three versions. ``reddi-4`` encodes (c), arXiv:1904.09237 revised
  [3rd-party, from a formalization]: middle term D∞²/(1−β1)² Σ_t Σ_i β1t √v̂_{t,i}/α_t — the only
  version consistent with the corrected proofs. ``reddi-4-printed`` keeps (b), the ICLR camera-ready
  as quoted by Phuong & Phong ("Theorem A", [verbatim]): D∞²/(2(1−β1)) in the middle term. The
  OpenReview version (a) lacks α in the first denominator (dimensionally wrong) and is not encoded.
* Corollary 1 (β1t = β1 λ^{t−1}): the printed middle terms drop a factor d/α; ``reddi-cor1``
  encodes the corrected d β1 D∞² G∞ / (α (1−β1)² (1−λ)²) [derived in docs/sources.md §S2.8, agrees with
  the formalization].
* Theorems 1–3 are existence statements ("there is an online convex optimization problem where
  ADAM has non-zero average regret"); they are encoded with the quantitative conclusion of their
  proofs on the constructions themselves (see each object's docstring for which version).

Algorithm 2 (AMSGrad) as printed has no bias correction, no ε, and the weighted projection
Π_{F,√V̂_t}; γ means β1/√β2 here (not Kingma & Ba's β1²/√β2). Regret and gradients as in
:mod:`regret.engine` (g_t = ∇f_t(x_t), the same indices as the paper).
"""
from __future__ import annotations

import sympy as sp

from . import hypotheses as H
from . import statistics as ST
from . import symbols as Q
from .base import Setting, Theorem

CITATION = "Reddi, Kale & Kumar, On the Convergence of Adam and Beyond, ICLR 2018, arXiv:1904.09237"

gamma = Q.beta1 / sp.sqrt(Q.beta2)

_AMSGRAD = H.algorithm("amsgrad", "AMSGrad, Algorithm 2 (no bias correction, projection Π_{F,√V̂})",
                       bias_correction=False)
_COMMON = (
    _AMSGRAD, H.no_eps(), H.schedule("sqrt"), H.beta1_schedule_le(),
    H.relation("beta1", sp.Lt(Q.beta1, 1, evaluate=False), "β1 ∈ [0, 1)"),
    H.relation("beta2", sp.Gt(Q.beta2, 0, evaluate=False), "β2 ∈ (0, 1)"),
    H.relation("gamma", sp.Lt(gamma, 1, evaluate=False), "γ = β1/√β2 < 1"),
    H.bounded_domain(), H.bounded_iterates(l2=False), H.convex_losses(), H.bounded_gradients(l2=False),
)

FIRST = Q.D_inf ** 2 * sp.sqrt(Q.T) / (Q.alpha * (1 - Q.beta1)) * ST.SUM_SQRT_V.symbol
THIRD = (Q.alpha * sp.sqrt(1 + sp.log(Q.T)) / ((1 - Q.beta1) ** 2 * (1 - gamma) * sp.sqrt(1 - Q.beta2))
         * ST.SUM_G.symbol)

# T = 1e7 (≈3 s): the regret is c + b√T with c ≈ 60 from the descent x: 1 → −1, so the fitted exponent
# over the last decade approaches 1/2 slowly (0.43 at T = 1e6, 0.48 at T = 1e7)
_AMS_SETTING = Setting(("amsgrad", {"alpha": 0.5, "beta1": 0.0, "beta2": 0.1, "schedule": "sqrt"}),
                       ("reddi", {"C": 3}), T=10_000_000, seeds=1)
_AMS_MOMENTUM = Setting(("amsgrad", {"alpha": 0.5, "beta1": 0.5, "beta2": 0.9, "lam": 0.9, "schedule": "sqrt"}),
                        ("reddi", {"C": 3}), T=20_000, seeds=1)

THEOREM_4 = Theorem(
    key="reddi-4",
    title="AMSGrad regret bound (Theorem 4, corrected version (c))",
    citation=CITATION + ", Theorem 4, version (c) of arXiv:1904.09237 revised [3rd-party; docs/sources.md §S2.7]",
    kind="upper",
    bound_expr=FIRST + Q.D_inf ** 2 / (1 - Q.beta1) ** 2 * ST.SUM_BETA_V.symbol + THIRD,
    hypothesis_list=_COMMON,
    algorithm="AMSGrad (Algorithm 2), α_t = α/√t, β1t ≤ β1, γ = β1/√β2 < 1, no ε",
    default=_AMS_SETTING,
    audit_gamma=True,
)

THEOREM_4_PRINTED = Theorem(
    key="reddi-4-printed",
    title="AMSGrad regret bound (Theorem 4 as printed in the ICLR camera-ready, version (b))",
    citation=CITATION + ", Theorem 4, ICLR camera-ready as quoted by Phuong & Phong (Theorem A) [verbatim; docs/sources.md §S2.7(b)]",
    kind="upper",
    bound_expr=FIRST + Q.D_inf ** 2 / (2 * (1 - Q.beta1)) * ST.SUM_BETA_V.symbol + THIRD,
    hypothesis_list=_COMMON,
    algorithm=THEOREM_4.algorithm,
    default=_AMS_SETTING,
    variant_of="reddi-4",
    notes="Kept beside the corrected version; an appendix footnote of the arXiv version records the missing 2/(1−β1).",
    audit_gamma=True,
)

COROLLARY_1 = Theorem(
    key="reddi-cor1",
    title="AMSGrad with β1t = β1 λ^{t−1} (Corollary 1, corrected middle term)",
    citation=CITATION + ", Corollary 1, corrected: the printed middle term drops d/α [derived; docs/sources.md §S2.8]",
    kind="upper",
    bound_expr=(FIRST + Q.d * Q.beta1 * Q.D_inf ** 2 * Q.G_inf / (Q.alpha * (1 - Q.beta1) ** 2 * (1 - Q.lam) ** 2)
                + THIRD),
    hypothesis_list=_COMMON + (H.relation("lambda", sp.Lt(Q.lam, 1, evaluate=False), "λ ∈ (0, 1)"),),
    algorithm="AMSGrad (Algorithm 2), α_t = α/√t, β1t = β1 λ^{t−1}, λ ∈ (0, 1)",
    default=_AMS_MOMENTUM,
    audit_gamma=True,
)


# -- Theorem 1: the online counterexample ------------------------------------------------------------
_REDDI_ADAM = H.algorithm("adam", "Adam in Reddi et al.'s form (§2: no bias correction, projection onto F)",
                          bias_correction=False)

THEOREM_1 = Theorem(
    key="reddi-1",
    title="Adam has linear regret on f_t = Cx (t mod 3 = 1), −x otherwise (Theorem 1)",
    citation=CITATION + ", Theorem 1 and its appendix proof (conclusion R_T ≥ (2C−4)T/3 [3rd-party; docs/sources.md §S2.3])",
    kind="lower",
    bound_expr=(2 * Q.C - 4) * sp.floor(Q.T / 3),
    hypothesis_list=(
        H.problem_is("reddi", "F = [−1, 1], f_t = Cx if t mod 3 = 1 else −x", period=3, s=1.0),
        H.relation("C", sp.Gt(Q.C, 2, evaluate=False), "C > 2"),
        H.start_point(1.0),
        _REDDI_ADAM, H.no_eps(), H.schedule("sqrt"),
        H.relation("beta1", sp.Eq(Q.beta1, 0, evaluate=False), "β1 = 0"),
        H.relation("beta2", sp.Eq(Q.beta2, 1 / (1 + Q.C ** 2), evaluate=False), "β2 = 1/(1 + C²) (main text)"),
    ),
    algorithm="Adam without bias correction (Reddi et al. §2), β1 = 0, β2 = 1/(1+C²), α_t = α/√t, x_1 = 1",
    default=Setting(("adam", {"alpha": 0.5, "beta1": 0.0, "beta2": 0.1, "eps": 0.0, "schedule": "sqrt",
                              "bias_correction": False}), ("reddi", {"C": 3}), T=100_000, seeds=1),
    notes=("Block argument of the proof: x returns to 1 at every block start, so each full block of 3 rounds "
           "costs at least 2C − 4: R_T ≥ (2C−4)⌊T/3⌋. The main text's β2 = 1/(1+C²) is encoded; the arXiv proof's "
           "condition β2 ≤ min{C^(−4/(C−2)), 1 − (9/(2C))²} is vacuous for C ≤ 4.5 and a Lean formalization "
           "proves C = 3, β2 = 1/100, α = 1/2 instead (docs/sources.md §S2.3): for C = 3, β2 = 0.1 the statement is "
           "checked, not implied by a verified proof."),
)


# -- the remark after Theorem 1: SGD and AdaGrad have vanishing average regret on the same sequence ---
def _sgd_or_adagrad(ctx):
    """Reddi et al.'s SGD (ψ_t = I, α_t = α/√t) or AdaGrad (ψ_t = diag(Σ g²)/t, α_t = α/√t: the step
    α g_t/√(Σ g²), the engine's AdaGrad with a constant α)."""
    opt = ctx.opt
    want = {"sgd": "sqrt", "adagrad": "constant"}
    sched = opt.schedule if isinstance(opt.schedule, str) else "array"
    nums = {"optimizer": opt.name, "schedule": sched}
    if opt.name not in want:
        return False, nums, f"the remark is about SGD and AdaGrad, the run used {opt.name}"
    if sched != want[opt.name]:
        return False, nums, (f"Reddi et al.'s {opt.name} steps with α/√(Σg²)" if opt.name == "adagrad" else
                             "Reddi et al.'s SGD steps with α_t = α/√t") + f" (engine schedule {want[opt.name]!r})"
    return True, nums, ""


THEOREM_1_REMARK = Theorem(
    key="reddi-1-remark",
    title="SGD and AdaGrad have vanishing average regret on the Theorem 1 sequence: R_T/T → 0",
    citation=CITATION + ", the remarks after Theorem 1 ([verbatim]; docs/sources.md §S2.3)",
    kind="limit",
    bound_expr=sp.Integer(0),
    measured=ST.AVERAGE_REGRET,
    hypothesis_list=(
        H.problem_is("reddi", "F = [−1, 1], f_t = Cx if t mod 3 = 1 else −x", period=3, s=1.0),
        H.relation("C", sp.Gt(Q.C, 2, evaluate=False), "C > 2"),
        H.custom("algorithm", "SGD with α_t = α/√t, or AdaGrad (Reddi et al. §2)", _sgd_or_adagrad),
    ),
    algorithm="SGD with α_t = α/√t, or AdaGrad x_{t+1} = Π_F(x_t − α g_t/√(Σ_{s≤t} g_s²)) (Reddi et al. §2)",
    default=Setting(("sgd", {"alpha": 0.5, "schedule": "sqrt"}), ("reddi", {"C": 3}), T=1_000_000, seeds=1),
    notes=("A limit: checked by the decay of R(T)/T over the last two decades of checkpoints "
           "(regret.theory.limit). OGD's O(√T) regret bound (Zinkevich) predicts the rate T^(−1/2)."),
)


# -- Theorem 2: any β1 < √β2 -------------------------------------------------------------------------
def _period_is_C(ctx):
    p = ctx.problem_params
    C, period = p.get("C"), p.get("period")
    ok = C is not None and period is not None and float(C) == float(period) and float(C) % 2 == 0
    return ok, {"C": C, "period": period}, "the construction has period C, C even"


_N = Q.C / 2
THEOREM_2 = Theorem(
    key="reddi-2",
    title="Adam has non-zero average regret for any β1 < √β2 (Theorem 2; R_T ≥ T/C for T ≥ 4C)",
    citation=(CITATION + ", Theorem 2 [statement verbatim]; conditions and conclusion of a Lean formalization: "
              "C = 2N, β2^N C² ≤ 1, N√(1−β2)(1−γ) ≥ 4, R_T ≥ T/C for T ≥ 4C [3rd-party; docs/sources.md §S2.4]"),
    kind="lower",
    bound_expr=Q.T / Q.C,
    hypothesis_list=(
        H.problem_is("reddi", "F = [−1, 1], f_t = Cx if t mod C = 1 else −x", s=1.0),
        H.custom("period", "period C, C even", _period_is_C),
        _REDDI_ADAM, H.no_eps(), H.schedule("sqrt"),
        H.relation("momentum", sp.Lt(Q.beta1, sp.sqrt(Q.beta2), evaluate=False), "β1 < √β2"),
        H.relation("C_power", sp.Le(Q.beta2 ** _N * Q.C ** 2, 1, evaluate=False), "β2^N C² ≤ 1, N = C/2"),
        H.relation("C_large", sp.Ge(_N * sp.sqrt(1 - Q.beta2) * (1 - gamma), 4, evaluate=False),
                   "N √(1−β2) (1−γ) ≥ 4, γ = β1/√β2"),
    ),
    algorithm="Adam without bias correction (Reddi et al. §2), constant β1 < √β2, α_t = α/√t",
    default=Setting(("adam", {"alpha": 0.5, "beta1": 0.3, "beta2": 0.5, "eps": 0.0, "schedule": "sqrt",
                              "bias_correction": False}), ("reddi", {"C": 20, "period": 20}), T=100_000, seeds=1),
    valid_from=4 * Q.C,
    notes=("The formal proof prepends C rounds of zero loss; the check runs the sequence without them (from "
           "x_1 = 1), so it tests the same conclusion on a slightly different start, not a consequence of the proof."),
)


# -- Theorem 3: the stochastic counterexample -------------------------------------------------------
delta_R = sp.Symbol("delta_R", positive=True)  # Theorem 3's δ: E f_t(x) = δ x


def _delta(ctx) -> dict:
    p = ctx.problem_params
    if p.get("delta") is not None:
        return {delta_R: float(p["delta"])}
    if "p" in p and "C" in p:
        return {delta_R: float(p["p"]) * (float(p["C"]) + 1.0) - 1.0}
    return {}


THEOREM_3 = Theorem(
    key="reddi-3",
    title="Adam does not converge on a stochastic problem: E R_T ≥ δT (Theorem 3)",
    citation=(CITATION + ", Theorem 3 [statement verbatim; construction 3rd-party, docs/sources.md §S2.5]: "
              "E[x_{t+1} − x_t] ≥ 0 hence E F(x_t) − F(−1) ≥ δ"),
    kind="lower-expectation",
    bound_expr=delta_R * Q.T,
    hypothesis_list=(
        H.problem_is("reddi-stochastic", "f_t = Cx w.p. p = (1+δ)/(C+1), else −x, on [−1, 1]", s=1.0,
                     delta=lambda v: v is not None and v > 0),
        H.start_point(0.0),
        _REDDI_ADAM, H.no_eps(), H.schedule("sqrt"),
        H.relation("momentum", sp.Lt(Q.beta1, sp.sqrt(Q.beta2), evaluate=False), "β1 < √β2"),
        H.unknown("C_large", "C large enough as a function of (β1, β2, δ)",
                  "the exact condition on C is not pinned down (docs/sources.md §S2.5, §S7)"),
    ),
    algorithm="Adam without bias correction (Reddi et al. §2), β1 < √β2, α_t = α/√t, x_1 = 0",
    default=Setting(("adam", {"alpha": 0.5, "beta1": 0.0, "beta2": 0.01, "eps": 0.0, "schedule": "sqrt",
                              "bias_correction": False}),
                    ("reddi-stochastic", {"C": 20.0, "s": 1.0, "delta": 0.5}), T=20_000, seeds=20),
    adjust=_delta,
    notes=("R_T ≥ Σ_t (f_t(x_t) − f_t(−1)), whose expectation is Σ_t δ(E x_t + 1) ≥ δT when E x_t ≥ 0; the proof "
           "runs without projection, the check projects onto [−1, 1]. The condition on C is unknown, so the "
           "verdict is at best INCONCLUSIVE (with the numbers)."),
)

THEOREMS = (THEOREM_4, THEOREM_4_PRINTED, COROLLARY_1, THEOREM_1, THEOREM_1_REMARK, THEOREM_2, THEOREM_3)
