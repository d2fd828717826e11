"""AdaGrad (Duchi, Hazan & Singer 2011), OGD (Zinkevich 2003; Hazan Theorem 3.1) and the Ω(√T) lower
bound (Hazan Theorem 3.2)."""
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings

import regret
from regret import theory
from regret.testing import assert_bound_holds
from regret.testing.strategies import problems
from regret.theory import statistics as ST
from regret.theory import symbols as Q
from regret.theory.context import expected_abs_walk
from regret.theory.zinkevich import PRINTED

DUCHI, ZINK, HAZ = theory.get("duchi-5"), theory.get("zinkevich-1"), theory.get("hazan-3.1")

CASES = [(fam, dom) for fam in ("linear", "logistic", "least_squares") for dom in ("box", "ball")]


@pytest.mark.parametrize("family, domain", CASES)
def test_adagrad_and_ogd_bounds_hold_across_families_domains_and_seeds(family, domain):
    prob = regret.problem(family, d=4, domain=domain)
    runs = {  # the bounds hold for any step; these are not tuned
        DUCHI: regret.optimizer("adagrad", alpha=1.0, eps=0.0, schedule="constant"),
        ZINK: regret.optimizer("sgd", alpha=1.0, schedule="sqrt"),
        HAZ: regret.optimizer("sgd", alpha=0.3, schedule="sqrt"),
    }
    for thm, opt in runs.items():
        v = thm.check(thm.run(opt, prob, T=1500, seeds=3))
        assert v.status == theory.HOLDS, v.table()
        assert all(h.holds for h in v.hypotheses)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(problems(T=(20, 300)))
def test_zinkevich_and_duchi_hold_on_generated_problems(case):
    assert_bound_holds("zinkevich-1", "sgd:alpha=0.7,schedule=sqrt", case.spec, T=case.T, seeds=[case.seed])
    assert_bound_holds("duchi-5", "adagrad:alpha=1.0,eps=0.1,schedule=constant", case.spec, T=case.T,
                       seeds=[case.seed])


def test_duchi_with_corollary_6_step_is_sqrt2_Dinf_sum():
    # η = D∞/√2: D∞²/(2η)·Σ + η·Σ = √2 D∞ Σ (Duchi et al. Corollary 6, docs/sources.md §S3.1), plus δ D²/(2η)
    e = DUCHI.bound_expr.xreplace({Q.eta: Q.D_inf / sp.sqrt(2)})
    S = ST.SUM_G.symbol
    assert sp.simplify(e - (sp.sqrt(2) * Q.D_inf * S + Q.delta * Q.D ** 2 / (sp.sqrt(2) * Q.D_inf))) == 0
    run = DUCHI.default_run(T=2000)
    assert DUCHI.check(run).status == theory.HOLDS
    np.testing.assert_allclose(DUCHI.bound(run), math.sqrt(2) * 2.0 * run.sum_grad_norms, rtol=1e-12)


def test_duchi_needs_adagrad_with_eps_outside_and_a_constant_step():
    prob = regret.problem("linear", d=3)
    for opt, failing in ((regret.optimizer("adagrad", alpha=1.0, eps=0.1, eps_mode="inside"), "algorithm"),
                         (regret.optimizer("adagrad", alpha=1.0, schedule="sqrt"), "schedule")):
        v = DUCHI.check(DUCHI.run(opt, prob, T=50))
        assert v.status == theory.NOT_APPLICABLE and [h.name for h in v.hypotheses if h.holds is False] == [failing]


def test_zinkevich_is_the_printed_theorem_at_alpha_one():
    assert sp.simplify(ZINK.bound_expr.xreplace({Q.alpha: 1}) - PRINTED) == 0
    run = ZINK.default_run(T=3000)
    # by hand: ball of radius 1 in R^10 (D = 2), G = max_t ‖a_t‖₂ measured
    T = run.checkpoints[None, :]
    np.testing.assert_allclose(ZINK.bound(run), 4 * np.sqrt(T) / 2 + (np.sqrt(T) - 0.5) * run.G ** 2, rtol=1e-12)


def test_hazan_31_bound_by_hand_on_the_rademacher_box():
    # linear losses with ±1 entries on [-1, 1]^10: G = √10, D = 2√10, α = D/G = 2, so 3/2·G·D·√T = 30√T
    run = HAZ.default_run(T=2000)
    np.testing.assert_allclose(HAZ.bound(run), np.broadcast_to(30 * np.sqrt(run.checkpoints), (5, run.checkpoints.size)),
                               rtol=1e-12)
    v = HAZ.check(run)
    assert v.status == theory.HOLDS and next(h for h in v.hypotheses if h.name == "step").holds


def test_hazan_31_admissible_constants_for_another_step():
    # α = 0.5 < D/G: D' = D_K = 2√10, G' = D'/α = 4√10 ≥ √10, bound 3/2·G'D'√T = 120√T
    run = HAZ.run(regret.optimizer("sgd", alpha=0.5, schedule="sqrt"), HAZ.default.problem_spec(), T=500, seeds=2)
    np.testing.assert_allclose(HAZ.bound(run), np.broadcast_to(120 * np.sqrt(run.checkpoints), (2, run.checkpoints.size)),
                               rtol=1e-12)


def test_mutated_constants_are_caught():
    # 3/2 → 1/20 in Hazan's bound: below the measured regret somewhere, and the verdict must say so
    run = HAZ.default_run(T=3000)
    R = run.regret
    for const in (sp.Rational(1, 20), sp.Rational(1, 50)):
        m = HAZ.replaced({sp.Rational(3, 2): const})
        must_fail = bool(np.any(R > m.bound(run)))
        assert must_fail and m.check(run).status == theory.VIOLATED
    # Zinkevich without its gradient term: D²√T/(2α) only
    zrun = ZINK.default_run(T=3000)
    m = ZINK.with_bound(Q.D ** 2 * sp.sqrt(Q.T) / (2 * Q.alpha) / 10)
    assert np.any(zrun.regret > m.bound(zrun)) and m.check(zrun).status == theory.VIOLATED


def test_orders_are_sqrt_T():
    for thm in (DUCHI, ZINK, HAZ):
        assert str(thm.order()) == "sqrt(T)"
    assert HAZ.order().coefficient == sp.Rational(3, 2) * Q.D * Q.G


# -- Hazan Theorem 3.2 ------------------------------------------------------------------------------------
def test_expected_abs_walk_is_exact():
    # brute force over all 2^T sign sequences (T ≤ 12), and docs/sources.md §S5's 7.9589 at T = 100
    for T in range(1, 13):
        brute = Fraction(sum(abs(sum(s)) for s in itertools.product((-1, 1), repeat=T)), 2 ** T)
        m = math.ceil(T / 2)
        closed = Fraction(2 * m * math.comb(2 * m, m), 4 ** m)
        assert brute == closed
        assert float(expected_abs_walk([T])[0]) == pytest.approx(float(closed), rel=1e-12)
    assert float(expected_abs_walk([100])[0]) == pytest.approx(7.9589, abs=1e-4)
    # the statistic's symbolic definition is the same formula
    e = ST.EXPECTED_WALK.definition
    assert all(e.subs(Q.T, T) == Fraction(2 * math.ceil(T / 2) * math.comb(2 * math.ceil(T / 2), math.ceil(T / 2)),
                                          4 ** math.ceil(T / 2)) for T in (1, 2, 7, 10))


def test_lower_bound_every_algorithm_has_the_same_expected_regret():
    thm = theory.get("hazan-3.2")
    for opt in (regret.optimizer("sgd", alpha=1.0, schedule="sqrt"),
                regret.optimizer("adagrad", alpha=1.0, eps=0.0)):
        v = thm.check(thm.run(opt, regret.problem("rademacher", d=2), T=300, seeds=300))
        assert v.status == theory.HOLDS, v.table()
    # a claim 20% off the exact value is rejected (|z| ≈ 5.4 with 300 seeds at T = 300, d = 2)
    run = thm.run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"), regret.problem("rademacher", d=2), T=300,
                  seeds=300)
    assert thm.with_bound(1.2 * thm.bound_expr).check(run).status == theory.VIOLATED
    assert thm.check(thm.run(opt, regret.problem("rademacher", d=1), T=50, seeds=1)).status == theory.INCONCLUSIVE


def test_lower_bound_order():
    o = theory.get("hazan-3.2").order()
    assert str(o) == "sqrt(T)" and sp.simplify(o.coefficient - sp.sqrt(2) * Q.d / sp.sqrt(sp.pi)) == 0
