"""Limit statements (kind "limit", regret.theory.limit): the fitted rate of the gap |M − c|, the two
encoded limits (Reddi et al.'s remark after Theorem 1, Kingma & Ba §5), the CLI and the figure.

The references are independent of the fit: exact power laws for the rate estimator; for the runs,
the limits derived by hand in docs/sources.md (R_T/T → 2(C−2)/3 for Adam on Reddi et al.'s Theorem 1
sequence, §S2.3), OGD's O(√T) regret (the rate 1/2 of R(T)/T) and the proof of the AdaGrad
correspondence (proofs/adagrad_limit.py: |t·v̂_t/Σg² − 1| ≤ β2^−(t−1) − 1, linear in 1 − β2)."""
import json

import numpy as np
import pytest

import regret
from regret import plots, theory
from regret.cli import main
from regret.theory import limit as L

REDDI_ADAM = dict(alpha=0.5, beta1=0.0, beta2=0.1, eps=0.0, schedule="sqrt", bias_correction=False)


# -- the rate estimator on exact power laws ----------------------------------------------------------
def test_fit_rate_recovers_exact_power_laws_in_both_directions():
    T = np.geomspace(1e3, 1e6, 12)
    fit = L.fit_rate(T, 3.0 * T ** -0.5, np.full(T.size, 1e-12), to_infinity=True)
    assert fit.rate == pytest.approx(0.5, abs=1e-12) and fit.ci[0] == pytest.approx(0.5, abs=1e-9)
    assert fit.points == 12 and fit.reached == 0 and fit.x_range == (1e3, 1e6)
    d = np.array([1e-2, 1e-3, 1e-4, 1e-5])
    fit = L.fit_rate(d, 7.0 * d ** 2, np.zeros(4), to_infinity=False)
    assert fit.rate == pytest.approx(2.0, abs=1e-12)


def test_decide_holds_violated_inconclusive_and_reached():
    T = np.geomspace(1e3, 1e6, 10)
    band = np.full(T.size, 1e-9)
    decays = L.fit_rate(T, T ** -0.3, band, True)
    assert L.decide(decays, False, "T", "∞", "M", "0")[0] == theory.HOLDS
    flat = L.fit_rate(T, 0.2 + 0 * T, band, True)  # a constant gap: M tends to another value
    status, reason = L.decide(flat, False, "T", "∞", "M", "0")
    assert status == theory.VIOLATED and "does not tend to 0" in reason and "p = 0 " in reason
    noisy = L.fit_rate(T, T ** -0.1 * (1 + 0.3 * np.sin(np.arange(T.size))), band, True)  # rate ≈ P_MIN
    assert noisy.ci[0] < L.P_MIN < noisy.ci[1]
    assert L.decide(noisy, False, "T", "∞", "M", "0")[0] == theory.INCONCLUSIVE
    tiny = L.fit_rate(T, np.full(T.size, 1e-12), band, True)  # within the error bar everywhere
    status, reason = L.decide(tiny, True, "T", "∞", "M", "0")
    assert status == theory.HOLDS and tiny.points == 0 and "reached to rounding" in reason
    two = L.fit_rate(T[:2], np.array([1.0, 0.5]), band[:2], True)
    assert L.decide(two, False, "T", "∞", "M", "0")[0] == theory.INCONCLUSIVE


# -- R(T)/T → c along one run ------------------------------------------------------------------------
def test_reddi_remark_holds_for_sgd_and_adagrad_at_the_rate_of_ogd():
    thm = theory.get("reddi-1-remark")
    assert thm.kind == "limit" and thm.latex() == r"\lim_{T \to \infty} R(T)/T = 0"
    prob = thm.default.problem_spec()
    for opt in (thm.default.optimizer_spec(), regret.optimizer("adagrad", alpha=0.5, eps=0.0)):
        v = thm.check(thm.run(opt, prob, T=100_000))
        assert v.status == theory.HOLDS, v.reason
        lim = v.limit
        assert 1000 <= lim["range"][0] < 2000 and lim["range"][1] == 100_000 and lim["points"] >= 3
        assert 0.35 < lim["rate"] < 0.7  # R(T) = O(√T) (Zinkevich): R/T closes about as T^(−1/2)
        assert lim["gap_last"] < lim["gap_first"]


def test_adam_on_the_same_sequence_is_not_covered_and_its_numbers_do_not_tend_to_zero():
    thm = theory.get("reddi-1-remark")
    run = thm.run(regret.optimizer("adam", **REDDI_ADAM), thm.default.problem_spec(), T=100_000)
    v = thm.check(run)
    assert v.status == theory.NOT_APPLICABLE and "numbers alone: VIOLATED" in v.reason


def test_adam_average_regret_tends_to_the_derived_constant_and_not_to_zero():
    """docs/sources.md §S2.3 [derived]: once Adam's iterates settle at +1, every block of three rounds
    costs 2(C − 2), so R_T/T → 2(C−2)/3."""
    run = theory.get("reddi-1").default_run(T=1_000_000)
    right = theory.bound("2*(C - 2)/3", kind="limit")
    v = right.check(run)
    assert v.status == theory.HOLDS, v.reason
    assert v.limit["limit"] == pytest.approx(2 / 3) and v.limit["rate"] > 0.3
    wrong = theory.bound("0", kind="limit").check(run)
    assert wrong.status == theory.VIOLATED and wrong.limit["ci"][1] < L.P_MIN
    assert wrong.measured[0, -1] == pytest.approx(2 / 3, abs=0.01)


def test_limit_needs_the_asserted_range_and_the_regret():
    run = regret.run(regret.optimizer("sgd", alpha=0.5, schedule="sqrt"), regret.problem("reddi", C=3), T=1000,
                     comparator=False)
    v = theory.get("reddi-1-remark").check(run)
    assert v.status == theory.INCONCLUSIVE and "cannot evaluate" in v.reason


# -- a limit in a hyperparameter: Adam → AdaGrad as β2 → 1 --------------------------------------------
def test_adam_tends_to_adagrad_linearly_in_one_minus_beta2():
    thm = theory.get("kingma-ba-5-adagrad")
    runs = thm.default_run()
    assert isinstance(runs, L.LimitRuns) and len(runs.runs) == 5 and runs.reference.optimizer.name == "adagrad"
    assert [r.optimizer.beta2 for r in runs.runs] == [1.0 - d for d in thm.limit.values]
    v = thm.check(runs)
    assert v.status == theory.HOLDS, v.reason
    assert 0.9 < v.limit["ci"][0] <= v.limit["rate"] <= v.limit["ci"][1] < 1.1  # linear, as the proof's bound
    gaps = v.measured[0]
    assert np.all(np.diff(gaps) < 0) and gaps[-1] < 1e-5
    # the gap is the distance between two engine runs: recomputed here from their iterates (the family
    # keeps its runs without per-round records, so that a long horizon does not hold six of them)
    assert runs.runs[0].iterates is None and runs.reference.iterates is None
    prob = thm.default.problem_spec()
    ada = regret.run(regret.optimizer("adagrad", alpha=0.1, eps=0.0), prob, T=300, record_iterates=True,
                     comparator=False)
    for delta, g in zip(thm.limit.values, gaps):
        adam = regret.run(thm.default.optimizer_spec().replace(beta2=1.0 - delta), prob, T=300,
                          record_iterates=True, comparator=False)
        assert g == np.abs(adam.iterates - ada.iterates).max()


def test_without_bias_correction_the_family_does_not_tend_to_adagrad():
    thm = theory.get("kingma-ba-5-adagrad")
    opt = regret.optimizer("adam", alpha=0.1, beta1=0.0, eps=0.0, schedule="sqrt", bias_correction=False)
    v = thm.check(thm.run(opt, thm.default.problem_spec(), T=300))
    assert v.status == theory.NOT_APPLICABLE and "bias_correction=False" in v.reason
    assert "numbers alone: VIOLATED" in v.reason and v.limit["rate"] < 0  # the gap grows as β2 → 1


def test_a_diverged_run_does_not_tend_to_its_limit():
    """R(T)/T is NaN from the round the learner's loss overflows: that is no limit, whatever the rule
    would read off the points before it (a NaN gap compares False with every error bar)."""
    run = regret.run(regret.optimizer("sgd", alpha=1e6), regret.problem("least_squares", d=3, domain="unbounded"),
                     T=100_000)
    assert run.diverged.any()
    v = theory.bound("0", kind="limit").check(run)
    assert v.status == theory.VIOLATED and "not finite" in v.reason


def test_the_limit_family_is_not_applicable_to_another_algorithm_and_refuses_bad_values():
    thm = theory.get("kingma-ba-5-adagrad")
    v = thm.check(thm.run(regret.optimizer("sgd", alpha=0.1, schedule="sqrt"), thm.default.problem_spec(), T=50))
    assert v.status == theory.NOT_APPLICABLE
    with pytest.raises(regret.InvalidInput, match="approaching 0"):
        L.ParameterLimit("1 − β2", (1e-6, 1e-4, 1e-2), "0", lambda o, x: o, lambda r, ref: 0.0)


def test_a_parameter_limit_refuses_a_single_run():
    thm = theory.get("kingma-ba-5-adagrad")
    run = regret.run(thm.default.optimizer_spec(), thm.default.problem_spec(), T=50)
    with pytest.raises(regret.InvalidInput, match="family"):
        thm.check(run)


# -- CLI, JSON, figure --------------------------------------------------------------------------------
def test_cli_verify_of_both_limits(capsys):
    code = main(["verify", "kingma-ba-5-adagrad"])
    out = capsys.readouterr().out
    assert code == 0
    for text in ("statement: max_t ‖x_t − x_t^AdaGrad‖∞ → 0 as 1 − β2 → 0", "family: 1 − β2 ∈ {0.01, 0.001",
                 "reference adagrad(alpha=0.1", "verdict: HOLDS", "in the fit"):
        assert text in out, text
    assert "order in T" not in out
    code = main(["verify", "reddi-1-remark", "--T", "1e5", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["order"] is None and doc["theorem"]["limit"] == {"variable": "T", "toward": "∞"}
    assert doc["verdict"]["status"] == "HOLDS" and doc["verdict"]["limit"]["rate"] > 0.35
    code = main(["verify", "reddi-1-remark", "--T", "1e4", "--optimizer",
                 "adam:alpha=0.5,beta1=0,beta2=0.1,eps=0,schedule=sqrt,bias_correction=false"])
    assert code == 1 and "NOT APPLICABLE" in capsys.readouterr().out


def test_falsify_refuses_a_limit_in_one_line(capsys):
    code = main(["falsify", "reddi-1-remark", "--budget", "5"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "limits by the rate of their gap" in err[0]


def test_limit_figure_draws_the_gap_and_the_fitted_law():
    thm = theory.get("kingma-ba-5-adagrad")
    v = thm.check(thm.default_run())
    p = plots.limit_gap(v)
    (gap,) = p.table.select(role="gap")
    (fit,) = p.table.select(role="fit")
    np.testing.assert_array_equal(gap[4], np.asarray(v.checkpoints))
    x, y = fit[4], fit[5]
    assert np.log(y[1] / y[0]) / np.log(x[1] / x[0]) == pytest.approx(v.limit["rate"], rel=1e-12)
    with pytest.raises(regret.InvalidInput, match="verdict"):
        plots.limit_gap(theory.get("zinkevich-1").check(theory.get("zinkevich-1").default_run(T=100)))
