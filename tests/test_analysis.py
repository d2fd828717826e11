"""regret.analysis: growth exponents over the tail, bootstrap CIs over seeds, normalised regret."""
import numpy as np
import pytest

import regret
from regret.analysis import growth_exponent, rates, summary, tail_mask


def test_exact_power_law_gives_its_exponent():
    cps = np.unique(np.round(np.logspace(0, 5, 40)).astype(int))
    for p in (0.5, 1.0, 0.25):
        R = 3.0 * cps ** p
        fit = growth_exponent(R[None, :], cps)
        assert fit.exponent == pytest.approx(p, abs=1e-12)
        assert fit.intercept == pytest.approx(np.log(3.0), abs=1e-10)
        assert fit.ci is None and "1 seed" in fit.note
        assert fit.T_range[0] >= 10_000 and fit.T_range[1] == 100_000  # the last decade


def test_bootstrap_ci_is_deterministic_and_covers_the_truth():
    rng = np.random.default_rng(1)
    cps = np.unique(np.round(np.logspace(1, 4, 30)).astype(int))
    R = 2.0 * cps[None, :] ** 0.5 * np.exp(0.2 * rng.standard_normal((12, 1)))  # seed-level scale noise
    a = growth_exponent(R, cps, seed=3)
    b = growth_exponent(R, cps, seed=3)
    assert a.ci == b.ci and a.ci[0] <= 0.5 <= a.ci[1]
    # multiplicative noise per seed leaves every resampled curve a pure power law: zero-width CI at 0.5
    assert a.ci[1] - a.ci[0] < 1e-9
    noisy = R + rng.normal(0, 5.0, R.shape)
    c = growth_exponent(noisy, cps, seed=0, n_boot=500)
    assert c.ci[0] < c.exponent < c.ci[1] and c.ci[1] - c.ci[0] > 1e-3


def test_nonpositive_regret_is_left_out_or_undefined():
    cps = np.arange(1, 101)
    fit = growth_exponent(-np.ones((2, 100)), cps)
    assert np.isnan(fit.exponent) and "≤ 0" in fit.note
    R = np.sqrt(cps).astype(float)[None, :].copy()
    R[0, -1] = -1.0
    fit = growth_exponent(R, cps)
    assert fit.dropped == 1 and fit.exponent == pytest.approx(0.5, abs=1e-12)


def test_tail_mask_and_input_errors():
    cps = np.array([1, 10, 100, 1000])
    assert tail_mask(cps, 0.1).tolist() == [False, True, True, True]  # at least 3 points
    assert tail_mask(cps, 1.0).tolist() == [False, True, True, True]
    with pytest.raises(regret.InvalidInput, match="tail"):
        tail_mask(cps, 0.0)
    with pytest.raises(regret.InvalidInput, match="regret"):
        growth_exponent(np.ones((1, 3)), cps)


def test_rates_and_summary_on_a_run():
    run = regret.run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"), regret.problem("rademacher", d=1),
                     T=2000, seeds=6)
    r = rates(run)
    np.testing.assert_allclose(r.over_sqrt_T["mean"], run.regret.mean(0) / np.sqrt(run.checkpoints))
    np.testing.assert_allclose(r.over_T["max"], (run.regret / run.checkpoints).max(0))
    s = summary(run)
    assert s["T"] == 2000 and s["R_over_T"] == pytest.approx(run.regret[:, -1].mean() / 2000)
    # any algorithm on this instance has E R_T = E|S_T| ≈ √(2T/π) (Hazan Thm 3.2): exponent near 1/2
    assert 0.2 < s["growth"]["exponent"] < 0.8 and s["growth"]["ci"][0] < s["growth"]["ci"][1]


def test_adam_linear_amsgrad_sqrt_on_reddi():
    adam = regret.run(regret.optimizer("adam", alpha=0.5, beta1=0, beta2=0.1, eps=0, schedule="sqrt",
                                       bias_correction=False), regret.problem("reddi", C=3), T=100_000)
    assert growth_exponent(adam).exponent == pytest.approx(1.0, abs=0.01)
