"""Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, arXiv:1412.6980 **v9**
(30 Jan 2017): Theorem 4.1 (= Appendix Theorem 10.5), Corollary 4.2, Lemmas 10.3 and 10.4.

Encoded as printed in v9 (docs/sources.md §S1.5–S1.6, [verbatim]); the known defects (§S1.7) are what the
checks are expected to expose:
* Theorem 4.1's proof telescopes Σ_t (θ_{t,i} − θ*_i)² (√v̂_{t,i}/α_t − √v̂_{t−1,i}/α_{t−1}), which
  needs Γ_t ⪰ 0; an exponential moving average does not give it (Reddi, Kale & Kumar 2018, §3).
  On Reddi et al.'s Theorem 1 sequence every hypothesis holds and the regret is linear, so the
  bound is violated from T ≈ 300 on (the table of docs/sources.md §S1.7).
* Lemma 10.4's statement and its proof end with different constants; both are encoded.
* Lemma 10.3 as printed, Σ_t √(g²_{t,i}/t) ≤ 2G∞‖g_{1:T,i}‖₂, compares a quantity of the units of g
  with one of the units of g²: it fails whenever the gradients are small enough (e.g. G∞ < 1/2 with
  constant |g_t| = G∞), which the trajectory check shows.

Index convention: K&B write θ_{t−1} for our x_t (the point played in round t) and regret
Σ_t f_t(θ_t) − f_t(θ*); the analysis (§4, App. 10) has no ε and no projection. Reddi et al. add the
projection onto F so that the bounded-iterate hypothesis holds; our runs always project onto the
domain (the Adam iterates are exactly Algorithm 1's while they stay inside it).

λ: β1,t = β1 λ^{t−1} with λ ∈ (0, 1) — the theorem's third term has (1 − λ)² in a denominator, so
λ < 1 is a hypothesis, and λ is taken from the optimizer spec (``lam``). With β1 = 0, λ does not
change the iterates but still enters the printed third term (the table of docs/sources.md §S1.7 uses λ = 0.5).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import hypotheses as H
from . import statistics as ST
from . import symbols as Q
from .base import Setting, Theorem
from .limit import ParameterLimit

CITATION = "Kingma & Ba, Adam: A Method for Stochastic Optimization, ICLR 2015, arXiv:1412.6980v9"

gamma = Q.beta1 ** 2 / sp.sqrt(Q.beta2)  # K&B's γ (Reddi et al. and Phuong & Phong use β1/√β2)

_ADAM = H.algorithm("adam", "Adam, Algorithm 1 (bias-corrected m̂, v̂)", bias_correction=True)
_PARAMS = [
    H.relation("beta1", sp.Lt(Q.beta1, 1, evaluate=False), "β1 ∈ [0, 1)"),
    H.relation("beta2", sp.Lt(Q.beta2, 1, evaluate=False), "β2 ∈ [0, 1)"),
    H.relation("gamma", sp.Lt(gamma, 1, evaluate=False), "γ = β1²/√β2 < 1"),
]
_LAMBDA = H.relation("lambda", sp.Lt(Q.lam, 1, evaluate=False), "β1,t = β1·λ^(t−1) with λ ∈ (0, 1)")

# Theorem 4.1, the three terms exactly as printed
TERM1 = Q.D ** 2 / (2 * Q.alpha * (1 - Q.beta1)) * ST.SUM_SQRT_TV.symbol
TERM2 = (Q.alpha * (1 + Q.beta1) * Q.G_inf / ((1 - Q.beta1) * sp.sqrt(1 - Q.beta2) * (1 - gamma) ** 2)
         * ST.SUM_G.symbol)
TERM3 = Q.d * Q.D_inf ** 2 * Q.G_inf * sp.sqrt(1 - Q.beta2) / (2 * Q.alpha * (1 - Q.beta1) * (1 - Q.lam) ** 2)

# the setting of Reddi et al.'s Theorem 1 (docs/sources.md §S1.7, §S6.1): β1 = 0, β2 = 1/(1+C²) = 0.1, α_t = 0.5/√t
REDDI_SETTING = Setting(("adam", {"alpha": 0.5, "beta1": 0.0, "beta2": 0.1, "eps": 0.0, "lam": 0.5,
                                  "schedule": "sqrt", "bias_correction": True}),
                        ("reddi", {"C": 3}), T=100_000, seeds=1)

THEOREM_4_1 = Theorem(
    key="kingma-ba-4.1",
    title="Adam regret bound (Theorem 4.1, as printed)",
    citation=CITATION + ", §4 Theorem 4.1 = App. Theorem 10.5 (statement as printed, [verbatim]; docs/sources.md §S1.5)",
    kind="upper",
    bound_expr=TERM1 + TERM2 + TERM3,
    hypothesis_list=(_ADAM, H.no_eps(), H.schedule("sqrt"), _LAMBDA, *_PARAMS, H.bounded_gradients(),
                     H.bounded_iterates(), H.convex_losses()),
    algorithm="Adam (Algorithm 1), ε = 0, α_t = α/√t, β1,t = β1 λ^{t−1}, λ ∈ (0, 1)",
    default=REDDI_SETTING,
    notes="Known to be false (Reddi et al. 2018): expected VIOLATED on Reddi's Theorem 1 sequence.",
    audit_gamma=True,
)

COROLLARY_4_2 = Theorem(
    key="kingma-ba-4.2",
    title="Adam: R(T)/T = O(1/√T) (Corollary 4.2, via Σ_i ‖g_{1:T,i}‖₂ ≤ d G∞ √T)",
    citation=CITATION + (", §4 Corollary 4.2 ([verbatim]: Theorem 4.1 with Σ‖g_{1:T,i}‖₂ ≤ dG∞√T; "
                         "docs/sources.md §S1.5)"),
    kind="upper",
    bound_expr=(TERM1 + TERM2 + TERM3).xreplace({ST.SUM_G.symbol: Q.d * Q.G_inf * sp.sqrt(Q.T)}),
    hypothesis_list=THEOREM_4_1.hypothesis_list,
    algorithm=THEOREM_4_1.algorithm,
    default=REDDI_SETTING,
    notes="The corollary's bound is Theorem 4.1's with the gradient sums replaced by their worst case.",
    audit_gamma=True,
)


# -- Lemmas 10.3 and 10.4 as statements about a trajectory -------------------------------------------
def _constant_beta1(ctx):
    b1, lam = float(getattr(ctx.opt, "beta1", 0.0)), float(getattr(ctx.opt, "lam", 1.0))
    return (b1 == 0.0 or lam == 1.0), {"beta1": b1, "lambda": lam}, "m̂ of Algorithm 1 uses a constant β1"


_CONST_B1 = H.custom("beta1_constant", "β1,t = β1 for all t (λ = 1, or β1 = 0)", _constant_beta1)
_LEMMA_SETTING = Setting(("adam", {"alpha": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 0.0, "schedule": "sqrt"}),
                         ("linear", {"d": 3, "domain": "box"}), T=2000, seeds=2)

LEMMA_10_3 = Theorem(
    key="kingma-ba-10.3",
    title="Σ_t √(g²_{t,i}/t) ≤ 2 G∞ ‖g_{1:T,i}‖₂ for every coordinate (Lemma 10.3, as printed)",
    citation=CITATION + ", Appendix Lemma 10.3 ([verbatim]; docs/sources.md §S1.6)",
    kind="upper",
    bound_expr=2 * Q.G_inf * ST.GNORM_I.symbol,
    hypothesis_list=(H.bounded_gradients(),),
    algorithm="any: a statement about the gradient sequence g_1..g_T of a run",
    default=_LEMMA_SETTING,
    measured=ST.LEMMA_10_3_LHS,
    notes="Not scale invariant: fails when the gradients are small (G∞ below about 1/2).",
)

_LEMMA_HYPS = (_ADAM, _CONST_B1, _PARAMS[0], _PARAMS[1], _PARAMS[2], H.bounded_gradients())

LEMMA_10_4 = Theorem(
    key="kingma-ba-10.4",
    title="Σ_t m̂²_{t,i}/√(t v̂_{t,i}) ≤ 2/((1−γ)√(1−β2)) ‖g_{1:T,i}‖₂ (Lemma 10.4, statement)",
    citation=CITATION + ", Appendix Lemma 10.4 (the statement's constant, [verbatim]; docs/sources.md §S1.6)",
    kind="upper",
    bound_expr=2 / ((1 - gamma) * sp.sqrt(1 - Q.beta2)) * ST.GNORM_I.symbol,
    hypothesis_list=_LEMMA_HYPS,
    algorithm="Adam (Algorithm 1), constant β1; m̂_t, v̂_t along the run",
    default=_LEMMA_SETTING,
    measured=ST.LEMMA_10_4_LHS,
)

LEMMA_10_4_PROOF = Theorem(
    key="kingma-ba-10.4-proof",
    title="Σ_t m̂²_{t,i}/√(t v̂_{t,i}) ≤ 2G∞/((1−γ)²√(1−β2)) ‖g_{1:T,i}‖₂ (Lemma 10.4, the proof's last line)",
    citation=CITATION + (", Appendix Lemma 10.4 (the constant the proof ends with; used in Theorem 4.1's "
                         "second term; docs/sources.md §S1.6)"),
    kind="upper",
    bound_expr=2 * Q.G_inf / ((1 - gamma) ** 2 * sp.sqrt(1 - Q.beta2)) * ST.GNORM_I.symbol,
    hypothesis_list=_LEMMA_HYPS,
    algorithm=LEMMA_10_4.algorithm,
    default=_LEMMA_SETTING,
    measured=ST.LEMMA_10_4_LHS,
    variant_of="kingma-ba-10.4",
)

# -- the effective step: stated, not proved (§2.1, §7.1) -------------------------------------------
_STEP_P = sp.Piecewise(((1 - Q.beta1) / sp.sqrt(1 - Q.beta2), (1 - Q.beta1) > sp.sqrt(1 - Q.beta2)), (1, True))

STEP_2_1 = Theorem(
    key="kingma-ba-2.1-step",
    title="|Δ_t| ≤ α·(1−β1)/√(1−β2) if (1−β1) > √(1−β2), else |Δ_t| ≤ α (§2.1, the effective step, as stated)",
    citation=CITATION + ", §2.1 ([verbatim], stated without proof; docs/sources.md §S1.3)",
    kind="upper",
    bound_expr=_STEP_P,
    hypothesis_list=(_ADAM, H.no_eps(), _CONST_B1, _PARAMS[0], _PARAMS[1]),
    algorithm="Adam (Algorithm 1), ε = 0, constant β1: Δ_t = α_t m̂_t/√v̂_t",
    default=_LEMMA_SETTING,
    measured=ST.STEP_RATIO,
    notes=("False in general unless β1 ∈ {0, β2}: the exact supremum of |Δ_t|/α_t over gradient sequences "
           "exceeds it (proofs/effective_step_adam.py); a run may stay below it."),
)

STEP_7_1 = Theorem(
    key="kingma-ba-7.1-step",
    title="AdaMax: |Δ_t| ≤ α (§7.1, as stated)",
    citation=CITATION + ", §7.1 ([verbatim], stated without proof; docs/sources.md §S1.8)",
    kind="upper",
    bound_expr=sp.Integer(1),
    hypothesis_list=(H.algorithm("adamax", "AdaMax, Algorithm 2"), _PARAMS[0], _PARAMS[1]),
    algorithm="AdaMax (Algorithm 2): Δ_t = (α_t/(1−β1^t)) m_t/u_t",
    default=Setting(("adamax", {"alpha": 0.1, "beta1": 0.9, "beta2": 0.999, "schedule": "sqrt"}),
                    ("linear", {"d": 3, "domain": "box"}), T=2000, seeds=2),
    measured=ST.STEP_RATIO,
    notes="False for every β1 > 0 (proofs/effective_step_adamax.py); a run may stay below it.",
)

# -- §5: Adam → AdaGrad as β2 → 1 (a limit in a hyperparameter) --------------------------------------
def _adam_at(opt, delta: float):
    """The user's Adam with β2 = 1 − δ (the engine's β2 is fl(1 − δ)); an optimizer without β2 as it
    is (the algorithm hypothesis then makes the verdict NOT APPLICABLE)."""
    return opt.replace(beta2=1.0 - delta) if hasattr(opt, "beta2") else opt


def _adagrad_of(opt):
    """AdaGrad with Adam's α as its constant step and Adam's ε: the limit algorithm of §5."""
    from ..optimizers import optimizer

    return optimizer("adagrad", alpha=float(getattr(opt, "alpha", 0.1)), eps=float(getattr(opt, "eps", 0.0)),
                     schedule="constant")


def _iterate_gap(run, reference):
    """max_{t ≤ T+1} ‖x_t − x_t^AdaGrad‖∞ for each seed."""
    diff = np.abs(np.asarray(run.iterates) - np.asarray(reference.iterates))
    return diff.reshape(diff.shape[0], -1).max(axis=1)


def _needs_family(ctx):
    raise ST.Unavailable("a distance between two runs: check the theorem on its family of runs (theorem.run)")


ITERATE_GAP = ST.Statistic(
    sp.Symbol("max_t_dist_to_AdaGrad", nonnegative=True), r"\max_{t}\|x_t - x_t^{\mathrm{AdaGrad}}\|_\infty",
    "max_t ‖x_t − x_t^AdaGrad‖∞", sp.Symbol("max_t_dist_to_AdaGrad", nonnegative=True), None, _needs_family)

ADAGRAD_LIMIT = Theorem(
    key="kingma-ba-5-adagrad",
    title="Adam with β1 = 0, α_t = α/√t tends to AdaGrad as β2 → 1 (§5)",
    citation=CITATION + ", §5 Related work, the AdaGrad correspondence ([verbatim]; docs/sources.md §S1.9)",
    kind="limit",
    bound_expr=sp.Integer(0),
    hypothesis_list=(_ADAM, H.no_eps(), H.schedule("sqrt"),
                     H.relation("beta1", sp.Eq(Q.beta1, 0, evaluate=False), "β1 = 0")),
    algorithm="Adam (Algorithm 1, bias-corrected), β1 = 0, ε = 0, α_t = α/√t; the limit: AdaGrad with step α",
    default=Setting(("adam", {"alpha": 0.1, "beta1": 0.0, "beta2": 0.999, "eps": 0.0, "schedule": "sqrt"}),
                    ("logistic", {"d": 5, "domain": "box", "radius": 5.0}), T=300, seeds=1),
    measured=ITERATE_GAP,
    limit=ParameterLimit(variable="1 − β2", parameter="beta2", latex=r"1 - \beta_2", toward="0",
                         values=(1e-2, 1e-3, 1e-4, 1e-5, 1e-6), optimizer=_adam_at, reference=_adagrad_of,
                         measure=_iterate_gap, records={"record_iterates": True, "comparator": False}),
    notes=("The family replaces the optimizer's β2 by 1 − δ for each δ; the measured quantity is the largest "
           "distance between the Adam and AdaGrad iterates over the run. The paper adds that the "
           "correspondence does not hold without bias correction (proofs/adagrad_limit.py checks it)."),
)

THEOREMS = (THEOREM_4_1, COROLLARY_4_2, LEMMA_10_3, LEMMA_10_4, LEMMA_10_4_PROOF, STEP_2_1, STEP_7_1,
            ADAGRAD_LIMIT)
