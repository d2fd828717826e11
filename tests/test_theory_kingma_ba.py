"""Kingma & Ba (arXiv:1412.6980v9) Theorem 4.1, Corollary 4.2, Lemmas 10.3 and 10.4 as theorem objects."""
import numpy as np
import pytest
import sympy as sp

import regret
from regret import theory
from regret.analysis import growth_exponent
from regret.theory import statistics as ST
from regret.theory import kingma_ba as kb
from regret.theory import symbols as Q

KB = theory.get("kingma-ba-4.1")


def reddi_adam(**kw):
    params = dict(alpha=0.5, beta1=0.0, beta2=0.1, eps=0.0, lam=0.5, schedule="sqrt", bias_correction=True)
    params.update(kw)
    return regret.optimizer("adam", **params)


def test_bound_matches_the_hand_computed_table():
    # docs/sources.md §S1.7: Reddi's Theorem 1 sequence, D = D∞ = 2, G∞ = 3, d = 1, λ = 0.5, printed bound
    # 169.7 / 438 / 3972 at T = 300 / 3000 / 3e5 (by hand there) and measured regret 207.8 / 2024 / 200243
    # (an independent simulation). D = 2 is the domain's diameter [-1, 1] — here
    # it is also the extent of the iterates together with x* = -1 (the iterates alone span 0.527).
    run = KB.run(reddi_adam(), regret.problem("reddi", C=3), T=300_000, checkpoints=[300, 3000, 300_000])
    np.testing.assert_allclose(KB.bound(run)[0], [169.7, 438.2, 3972.3], atol=0.05)
    np.testing.assert_allclose(KB.bound(run, diameters="observed")[0], KB.bound(run)[0])
    np.testing.assert_allclose(run.regret[0], [207.8, 2024.4, 200243.3], atol=0.05)
    assert np.ptp(run.x_max - run.x_min) == pytest.approx(0.0) and float(run.D_inf_observed[0, -1]) < 0.53


def test_bound_is_the_printed_formula_evaluated_independently():
    # a second implementation of the three printed terms with numpy, on a run where every term matters
    opt = regret.optimizer("adam", alpha=0.2, beta1=0.6, beta2=0.9, eps=0.0, lam=0.9, schedule="sqrt")
    run = KB.run(opt, regret.problem("linear", d=4, domain="box"), T=500, seeds=2)
    a, b1, b2, lam = 0.2, 0.6, 0.9, 0.9
    gam = b1 ** 2 / np.sqrt(b2)
    D, Dinf, d = 4.0, 2.0, 4  # box [-1, 1]^4
    T = run.checkpoints[None, :]
    t1 = D ** 2 / (2 * a * (1 - b1)) * np.sqrt(T[..., None] * run.vhat).sum(-1)
    t2 = a * (1 + b1) * run.G_inf / ((1 - b1) * np.sqrt(1 - b2) * (1 - gam) ** 2) * np.sqrt(run.grad_sq).sum(-1)
    t3 = d * Dinf ** 2 * run.G_inf * np.sqrt(1 - b2) / (2 * a * (1 - b1) * (1 - lam) ** 2)
    np.testing.assert_allclose(KB.bound(run), t1 + t2 + t3, rtol=1e-12)


def test_reddi_sequence_hypotheses_hold_verdict_violated_exponent_one():
    run = KB.default_run(T=100_000)
    v = KB.check(run)
    assert all(h.holds is True for h in v.hypotheses), v.hypotheses_table()
    assert v.status == theory.VIOLATED
    # the first violated checkpoint of the default grid is later; the first violation is the round T = 219,
    # which every T as a checkpoint finds too (below)
    assert v.first_violation["T"] == 219 < v.first_violation["checkpoint"] < 600 and v.first_violation["ratio"] > 1
    assert v.worst["ratio"] > 10
    fit = growth_exponent(run)
    assert abs(fit.exponent - 1.0) < 0.01
    every = KB.run(reddi_adam(), regret.problem("reddi", C=3), T=600, checkpoints=np.arange(1, 601))
    assert KB.check(every).first_violation["T"] == 219


@pytest.mark.parametrize("change, failing", [
    ({"bias_correction": False}, "algorithm"),  # Reddi's Adam is not Algorithm 1
    ({"eps": 1e-8}, "epsilon"),
    ({"lam": 1.0}, "lambda"),  # (1 − λ)² in a denominator
    ({"schedule": "constant"}, "schedule"),
    ({"beta1": 0.9, "beta2": 0.5}, "gamma"),  # γ = 0.81/0.707 > 1
])
def test_a_failing_hypothesis_makes_it_not_applicable(change, failing):
    run = KB.run(reddi_adam(**change), regret.problem("reddi", C=3), T=300)
    v = KB.check(run)
    assert v.status == theory.NOT_APPLICABLE
    assert [h.name for h in v.hypotheses if h.holds is False] == [failing]
    assert "hypothesis fails" in v.reason


def test_other_optimizer_is_not_applicable():
    run = KB.run(regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt"),
                 regret.problem("reddi", C=3), T=300)
    v = KB.check(run)
    assert v.status == theory.NOT_APPLICABLE and "amsgrad" in v.reason


def test_corollary_4_2_replaces_the_gradient_sums_by_their_worst_case():
    cor = theory.get("kingma-ba-4.2")
    diff = sp.simplify(cor.bound_expr - KB.bound_expr.xreplace({ST.SUM_G.symbol: Q.d * Q.G_inf * sp.sqrt(Q.T)}))
    assert diff == 0
    run = cor.default_run(T=30_000)
    assert np.all(cor.bound(run) >= KB.bound(run) - 1e-9)  # Σ‖g_{1:T,i}‖ ≤ d G∞ √T
    assert cor.check(run).status == theory.VIOLATED


def test_orders():
    assert str(KB.order()) == "sqrt(T)"
    assert KB.order().exponent == sp.Rational(1, 2) and KB.order().log_power == 0
    assert str(theory.get("kingma-ba-4.2").order()) == "sqrt(T)"


def test_latex_renders_the_printed_terms():
    tex = KB.latex()
    assert tex.startswith(r"R(T) \le")
    assert r"\sum_{i=1}^{d}\sqrt{T\hat{v}_{T,i}}" in tex and r"\|g_{1:T,i}\|_2" in tex
    assert r"\left(1 - \lambda\right)^{2}" in tex


def test_mutating_a_constant_is_caught():
    run = KB.default_run(T=30_000)
    R = run.regret[0]
    # 100× the printed bound: above the measured regret at every checkpoint → HOLDS
    big = KB.with_bound(100 * KB.bound_expr)
    assert np.all(R < big.bound(run)[0]) and big.check(run).status == theory.HOLDS
    # dropping the (1 − λ)² of the third term's denominator multiplies that term by (1 − λ)² = 1/4
    mutated = KB.with_bound(kb.TERM1 + kb.TERM2 + kb.TERM3 * (1 - Q.lam) ** 2)
    B = mutated.bound(run)[0]
    third = 1 * 2 ** 2 * 3 * np.sqrt(0.9) / (2 * 0.5 * 0.25)  # d D∞² G∞ √(1−β2) / (2α(1−β1)(1−λ)²)
    np.testing.assert_allclose(KB.bound(run)[0] - B, third * (1 - 0.25), rtol=1e-12)
    assert mutated.check(run).first_violation["T"] < KB.check(run).first_violation["T"]
    # the v9 PDF's typo in the proof's last display, 2αβ1(1−λ)² for 2α(1−β1)(1−λ)², is infinite at β1 = 0:
    # with it the statement could not fail on this run
    typo = KB.with_bound(kb.TERM1 + kb.TERM2 + kb.TERM3 * (1 - Q.beta1) / Q.beta1)
    assert typo.check(run).status == theory.HOLDS


# -- Lemma 10.3 ------------------------------------------------------------------------------------------------
def test_lemma_10_3_holds_for_unit_size_gradients():
    lem = theory.get("kingma-ba-10.3")
    v = lem.check(lem.default_run())
    assert v.status == theory.HOLDS


def test_lemma_10_3_as_printed_fails_for_small_gradients():
    # f_t = 0.3x (t mod 3 = 1), −0.1x otherwise: |g_t| known in closed form, so both sides are computed
    # here without the run: Σ_t |g_t|/√t against 2 G∞ ‖g_{1:T}‖₂ with G∞ = 0.3.
    lem = theory.get("kingma-ba-10.3")
    opt = regret.optimizer("sgd", alpha=0.1, schedule="sqrt")
    run = lem.run(opt, regret.problem("reddi", C=0.3, s=0.1), T=300, checkpoints=[1, 2, 3, 30, 300])
    v = lem.check(run)
    g = np.where(np.arange(300) % 3 == 0, 0.3, 0.1)
    t = np.arange(1, 301)
    lhs = np.cumsum(g / np.sqrt(t))[[0, 1, 2, 29, 299]]
    rhs = 2 * 0.3 * np.sqrt(np.cumsum(g ** 2))[[0, 1, 2, 29, 299]]
    np.testing.assert_allclose(v.measured[0], lhs, rtol=1e-12)
    np.testing.assert_allclose(v.bound[0], rhs, rtol=1e-12)
    assert v.status == theory.VIOLATED and v.first_violation["T"] == 1  # 0.3 > 2·0.3·0.3


# -- Lemma 10.4 ------------------------------------------------------------------------------------------------
def test_lemma_10_4_statement_and_proof_constants_hold_on_adam():
    for key in ("kingma-ba-10.4", "kingma-ba-10.4-proof"):
        lem = theory.get(key)
        v = lem.check(lem.default_run())
        assert v.status == theory.HOLDS, v.table()


def test_lemma_10_4_m_hat_matches_the_iterates():
    # with ε = 0 and no active projection, x_{t+1} − x_t = −α_t m̂_t/√v̂_t (Algorithm 1): the m̂ the lemma
    # check recomputes from the gradients must reproduce the engine's steps
    lem = theory.get("kingma-ba-10.4")
    opt = regret.optimizer("adam", alpha=0.01, beta1=0.9, beta2=0.99, eps=0.0, schedule="sqrt")
    run = lem.run(opt, regret.problem("least_squares", d=3, domain="ball", radius=100.0), T=200, seeds=1)
    ctx = theory.Context(run)
    mh = ST.m_hat(ctx)[0]
    steps = np.diff(run.iterates[0], axis=0)
    alphas = 0.01 / np.sqrt(np.arange(1, 201))[:, None]
    np.testing.assert_allclose(steps, -alphas * mh / np.sqrt(run.vhat_history[0]), rtol=1e-9, atol=1e-15)


def test_lemma_10_4_needs_recorded_state():
    lem = theory.get("kingma-ba-10.4")
    run = regret.run(lem.default.optimizer_spec(), lem.default.problem_spec(), T=100)
    v = lem.check(run)
    assert v.status == theory.INCONCLUSIVE and "record_iterates" in v.reason
