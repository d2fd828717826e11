"""Phuong & Phong (IEEE Access 2019): Theorem 4.1 (AMSGrad) and Theorem 5.1 (AdamX)."""
import numpy as np
import sympy as sp

import regret
from regret import theory
from regret.theory import statistics as ST
from regret.theory import symbols as Q

PP41 = theory.get("phuong-phong-4.1")
PP51 = theory.get("phuong-phong-5.1")


def test_amsgrad_bound_holds_at_the_least_t0():
    run = PP41.default_run(T=5000)
    v = PP41.check(run)
    assert v.status == theory.HOLDS and all(h.holds for h in v.hypotheses)
    # evaluated at t_0 = 1: Σ_{t=1}^{t0} √t = 1; by hand at T = 1 with d = 1, D∞ = 2, α = 0.5, β1 = 0.5:
    # d D∞² G∞/(2α(1−β1))·(1 + 1) + d D∞² G∞/(2α(1−β1)(1−λ)²) + α√(0+1)/((1−β1)²√(1−β2)(1−γ))·|g_1|
    G, a, b1, b2, lam = 3.0, 0.5, 0.5, 0.9, 0.9
    gam = b1 / np.sqrt(b2)
    by_hand = (4 * G / (2 * a * (1 - b1)) * 2 + 4 * G / (2 * a * (1 - b1) * (1 - lam) ** 2)
               + a / ((1 - b1) ** 2 * np.sqrt(1 - b2) * (1 - gam)) * 3.0)
    np.testing.assert_allclose(PP41.bound(run, checkpoint=1), [by_hand], rtol=1e-12)


def test_a_violation_at_the_least_t0_is_only_inconclusive():
    # t_0 exists (their Lemma 4.3) but is not given; the bound grows with it, so failing at t_0 = 1
    # proves nothing about the lemma's t_0
    run = PP41.default_run(T=2000)
    small = PP41.with_bound(PP41.bound_expr / 1000)
    v = small.check(run)
    assert v.status == theory.INCONCLUSIVE and "t0=1" in v.reason


def test_adamx_corrected_and_printed():
    # printed second term / corrected second term = (1 − β1)
    printed = theory.get("phuong-phong-5.1-printed")
    S = ST.SUM_BETA_SQRT.symbol
    diff = sp.simplify(PP51.bound_expr - printed.bound_expr)
    expected = Q.d * Q.D_inf ** 2 * Q.G_inf * S / (2 * Q.alpha) * (1 / (1 - Q.beta1) ** 2 - 1 / (1 - Q.beta1))
    assert sp.simplify(diff - expected) == 0
    run = PP51.default_run(T=5000)
    assert PP51.check(run).status == printed.check(run).status == theory.HOLDS
    assert np.all(PP51.bound(run) >= printed.bound(run))


def test_sum_beta_sqrt_against_a_loop():
    run = PP51.default_run(T=50)
    ctx = theory.Context(run)
    got = ST.SUM_BETA_SQRT.evaluate(ctx)[0]
    want = [sum(0.5 * 0.9 ** (t - 1) * np.sqrt(t - 1) for t in range(2, T + 1)) for T in run.checkpoints]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_adamx_theorem_is_not_about_amsgrad_and_orders():
    run = PP51.run(regret.optimizer("amsgrad", alpha=0.5, beta1=0.5, beta2=0.9, lam=0.9, schedule="sqrt"),
                   regret.problem("reddi", C=3), T=100)
    assert PP51.check(run).status == theory.NOT_APPLICABLE
    assert str(PP41.order()) == str(PP51.order()) == "sqrt(T*log(T))"
