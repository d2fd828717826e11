"""Reddi, Kale & Kumar (ICLR 2018): Theorem 4 (corrected and printed), Corollary 1, Theorems 1–3."""
import numpy as np
import pytest
import sympy as sp

import regret
from regret import theory
from regret.analysis import growth_exponent
from regret.theory import reddi as rd
from regret.theory import statistics as ST
from regret.theory import symbols as Q

THM4 = theory.get("reddi-4")


def amsgrad(**kw):
    p = dict(alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    p.update(kw)
    return regret.optimizer("amsgrad", **p)


def test_amsgrad_on_reddis_sequence_holds_with_exponent_near_one_half():
    run = THM4.run(amsgrad(), regret.problem("reddi", C=3), T=1_000_000)
    v = THM4.check(run)
    assert all(h.holds for h in v.hypotheses) and v.status == theory.HOLDS
    # the regret is c + b√T with c ≈ 60 from the descent x: 1 → −1 (docs/sources.md §S6.1: R_T/T → 0); over
    # [1e5, 1e6] the fitted exponent is 0.43 and it approaches 1/2 from below (0.48 over [1e6, 1e7])
    fit = growth_exponent(run)
    assert 0.40 < fit.exponent < 0.52
    assert run.regret[0, -1] / run.T < 1e-3


def test_order_has_the_log_factor():
    o = THM4.order()
    assert (o.exponent, o.log_power) == (sp.Rational(1, 2), sp.Rational(1, 2))
    assert str(o) == "sqrt(T*log(T))"
    for key in ("reddi-4-printed", "reddi-cor1"):
        assert str(theory.get(key).order()) == "sqrt(T*log(T))"


def test_corrected_and_printed_middle_terms():
    # (c) has D∞²/(1−β1)², (b) has D∞²/(2(1−β1)): their difference is the middle term times (1+β1)/(2(1−β1)²)
    printed = theory.get("reddi-4-printed")
    S = ST.SUM_BETA_V.symbol
    diff = sp.simplify(THM4.bound_expr - printed.bound_expr)
    assert sp.simplify(diff - Q.D_inf ** 2 * S * (1 + Q.beta1) / (2 * (1 - Q.beta1) ** 2)) == 0
    run = THM4.run(amsgrad(beta1=0.5, beta2=0.9, lam=0.9), regret.problem("reddi", C=3), T=2000)
    assert np.all(THM4.bound(run) >= printed.bound(run))
    assert THM4.check(run).status == printed.check(run).status == theory.HOLDS


def test_middle_term_from_the_recorded_v_hat_history():
    # Σ_t Σ_i β1,t √v̂_{t,i}/α_t computed here from the run's v̂_t with a plain loop
    opt = amsgrad(beta1=0.5, beta2=0.9, lam=0.9)
    run = THM4.run(opt, regret.problem("linear", d=3, domain="box"), T=300, seeds=2, checkpoints=[10, 300])
    ctx = theory.Context(run)
    got = ST.SUM_BETA_V.evaluate(ctx)
    for s in range(2):
        acc, out = 0.0, []
        for t in range(1, 301):
            acc += 0.5 * 0.9 ** (t - 1) * np.sqrt(run.vhat_history[s, t - 1]).sum() / (0.5 / np.sqrt(t))
            if t in (10, 300):
                out.append(acc)
        np.testing.assert_allclose(got[s], out, rtol=1e-12)


def test_without_recorded_state_the_check_is_inconclusive():
    run = regret.run(amsgrad(beta1=0.5, beta2=0.9), regret.problem("reddi", C=3), T=300)
    v = THM4.check(run)
    assert v.status == theory.INCONCLUSIVE and "record_state" in v.reason


def test_torch_style_amsgrad_is_not_reddis_algorithm():
    run = THM4.run(amsgrad(bias_correction=True), regret.problem("reddi", C=3), T=300)
    v = THM4.check(run)
    assert v.status == theory.NOT_APPLICABLE
    assert [h.name for h in v.hypotheses if h.holds is False] == ["algorithm"]


def test_corollary_1_middle_term_is_theorem_4s_worst_case():
    # Corollary 1 (corrected) = Theorem 4 (c) with √v̂ ≤ G∞ and Σ_t λ^{t−1}√t ≤ 1/(1−λ)² (docs/sources.md §S2.8)
    cor = theory.get("reddi-cor1")
    via_worst = THM4.bound_expr.xreplace({ST.SUM_BETA_V.symbol: ST.SUM_BETA_V.worst})
    assert sp.simplify(cor.bound_expr - via_worst) == 0
    run = THM4.run(cor.default.optimizer_spec(), cor.default.problem_spec(), T=5000)  # records v̂_t
    assert cor.check(run).status == theory.HOLDS
    assert np.all(cor.bound(run) >= THM4.bound(run) - 1e-9)
    lam1 = cor.check(THM4.run(amsgrad(beta1=0.5, beta2=0.9), regret.problem("reddi", C=3), T=100))
    assert lam1.status == theory.NOT_APPLICABLE and "λ" in lam1.reason


# -- lower bounds ---------------------------------------------------------------------------------------------------
def test_theorem_1_lower_bound_holds_and_is_tight():
    thm = theory.get("reddi-1")
    run = thm.default_run(T=30_000)
    v = thm.check(run)
    assert v.status == theory.HOLDS and all(h.holds for h in v.hypotheses)
    assert 1.0 <= v.worst["ratio"] < 1.01  # R_T/((2C−4)⌊T/3⌋) → 1: the block argument is tight
    assert thm.order().exponent == 1 and sp.simplify(thm.order().coefficient - (2 * Q.C - 4) / 3) == 0
    # a larger constant than the proof gives must be reported as violated
    stronger = thm.with_bound((2 * Q.C - 3.9) * sp.floor(Q.T / 3))
    assert stronger.check(run).status == theory.VIOLATED


@pytest.mark.parametrize("change, failing", [
    ({"beta2": 0.2}, "beta2"),  # β2 = 1/(1 + C²) is the main text's setting
    ({"beta1": 0.1}, "beta1"),
    ({"bias_correction": True}, "algorithm"),
])
def test_theorem_1_conditions(change, failing):
    thm = theory.get("reddi-1")
    p = dict(alpha=0.5, beta1=0.0, beta2=0.1, eps=0.0, schedule="sqrt", bias_correction=False)
    p.update(change)
    run = thm.run(regret.optimizer("adam", **p), regret.problem("reddi", C=3), T=300)
    v = thm.check(run)
    assert v.status == theory.NOT_APPLICABLE and [h.name for h in v.hypotheses if h.holds is False] == [failing]


def test_theorem_1_other_problem_is_not_applicable():
    thm = theory.get("reddi-1")
    run = thm.run(thm.default.optimizer_spec(), regret.problem("reddi", C=3, period=4), T=100)
    assert thm.check(run).status == theory.NOT_APPLICABLE


def test_theorem_2_formal_conditions_and_conclusion():
    thm = theory.get("reddi-2")
    run = thm.default_run(T=20_000)
    v = thm.check(run)
    assert v.status == theory.HOLDS, v.table()
    assert not v.asserted[run.checkpoints < 80].any()  # T ≥ 4C = 80
    # β2 = 0.9 breaks β2^N C² ≤ 1 (0.9^10·400 = 139)
    bad = thm.run(regret.optimizer("adam", alpha=0.5, beta1=0.3, beta2=0.9, eps=0.0, schedule="sqrt",
                                   bias_correction=False), regret.problem("reddi", C=20, period=20), T=200)
    vb = thm.check(bad)
    assert vb.status == theory.NOT_APPLICABLE and "C_power" in [h.name for h in vb.hypotheses if h.holds is False]


def test_theorem_3_is_inconclusive_because_its_condition_on_C_is_unknown():
    thm = theory.get("reddi-3")
    run = thm.default_run(T=5000, seeds=8)
    v = thm.check(run)
    assert v.status == theory.INCONCLUSIVE and "C large enough" in v.reason
    assert "numbers alone" in v.reason
    # δ is read from the problem: p = (1+δ)/(C+1)
    assert thm.values(run)[rd.delta_R] == pytest.approx(0.5)
