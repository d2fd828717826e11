"""Zhang et al. (NeurIPS 2022) function (2.5): the zhang loss family, the `zhang` problem, its
closed-form comparator and the convexity hypothesis of the regret theorems.

References: the paper's own formulas for f_0 and f_{i>0} (eq. 2.5, a = 1/(n−1)²), a brute-force
minimisation on a fine grid for the comparator, and the plain-Python reference loop for the engine."""
import numpy as np
import pytest

import regret
from regret import theory
from regret.cli import main
from regret.comparator import best_fixed
from regret.losses import Family, value_grad
from regret.problems.zhang import weights
from regret.reference import loop as reference


def paper_f(i, n, x):
    """Zhang et al. eq. (2.5), as printed, with a = 1/(n − 1)²."""
    a = 1.0 / (n - 1) ** 2
    if i == 0:
        c = 1 + (n - 1) * a
        return c * x if x >= -1 else c / 2 * (x + 2) ** 2 - (3 + 3 * (n - 1) * a) / 2
    return -a * x if x >= -1 else -a / 2 * (x + 2) ** 2 + 3 * a / 2


@pytest.mark.parametrize("n", [3, 10, 50])
def test_the_family_is_the_papers_function(n):
    fam = Family("zhang")
    A, b = np.ones((n, 1)), weights(n)
    assert b.sum() == pytest.approx(1.0, abs=1e-14) and b[0] == pytest.approx(n / (n - 1))
    for x in (-7.5, -2.0, -1.3, -1.0, -0.2, 0.0, 3.0):
        for i in (0, 1, n - 1):
            g = np.zeros(1)
            f = value_grad(fam.code, fam.params, A, i, b, np.array([x]), g)
            assert f == pytest.approx(paper_f(i, n, x), rel=1e-13, abs=1e-13)
            h = 1e-6  # the slope of the paper's f_i by central differences (h is C¹)
            assert g[0] == pytest.approx((paper_f(i, n, x + h) - paper_f(i, n, x - h)) / (2 * h), abs=1e-6)
        # one pass over the components is h itself: minimised at x* = −2
        assert fam.total(np.array([x]), A, b) == pytest.approx(sum(paper_f(i, n, x) for i in range(n)), abs=1e-12)
    assert fam.convex_rows(b).tolist() == [True] + [False] * (n - 1)


def test_reshuffling_plays_every_component_once_per_pass_and_uniform_sampling_is_iid():
    inst = regret.problem("zhang", n=7).instance(T=7 * 40 + 3, seed=5)
    passes = inst.idx[:280].reshape(40, 7)
    assert all(sorted(p) == list(range(7)) for p in passes) and len({tuple(p) for p in passes}) > 30
    again = regret.problem("zhang", n=7).instance(T=283, seed=5)
    assert np.array_equal(again.idx, inst.idx)  # seeded
    uni = regret.problem("zhang", n=7, sampling="uniform").instance(T=70_000, seed=1)
    freq = np.bincount(uni.idx, minlength=7) / 70_000
    assert np.all(np.abs(freq - 1 / 7) < 0.01)
    assert inst.meta["x_star"] == -2.0 and inst.domain.describe() == "box [-100, 100]^1"


@pytest.mark.parametrize("sampling", ["reshuffle", "uniform"])
def test_closed_form_comparator_against_a_brute_force_grid(sampling):
    inst = regret.problem("zhang", n=10, sampling=sampling, radius=20.0).instance(T=95, seed=3)
    cps = np.array([1, 3, 5, 9, 10, 17, 40, 95])
    curve = best_fixed(inst, cps)
    xs = np.linspace(-20.0, 20.0, 400_001)
    h = np.where(xs >= -1, xs, 0.5 * (xs + 2) ** 2 - 1.5)
    for k, T in enumerate(cps):
        S = float(inst.b[inst.idx[:T]].sum())
        F = S * h
        assert curve.value[k] == pytest.approx(F.min(), abs=1e-9 * max(1.0, abs(F.min())))
        assert abs(curve.x[k, 0] - xs[F.argmin()]) <= 1e-4 or S == 0
        assert curve.certificate[k] >= 0 and (S < 0 or curve.x[k, 0] == -2.0)
    assert "closed form" in curve.method
    with pytest.raises(regret.InvalidInput, match="closed_form or auto for the zhang family"):
        best_fixed(inst, cps, method="first_order")


def test_the_engine_agrees_with_the_reference_loop_and_regret_is_defined_at_every_checkpoint():
    prob = regret.problem("zhang", n=10)
    opt = regret.optimizer("adam", alpha=0.1, beta1=0.5, beta2=0.9, eps=0.0, schedule="sqrt", bias_correction=False)
    got = regret.run(opt, prob, T=2000, seeds=2)
    ref = reference.run(opt, prob, T=2000, seeds=2)
    np.testing.assert_allclose(got.learner_loss, ref.learner_loss, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got.x_final, ref.x_final, rtol=1e-12, atol=1e-13)
    assert np.all(np.isfinite(got.regret)) and np.all(got.certificate >= 0)


def test_adam_diverges_for_small_beta2_and_converges_for_large_beta2():
    """Zhang et al. Thm 2.3 / 2.2 on n = 20 (the report draws the whole (β1, β2) plane)."""
    prob = regret.problem("zhang", n=20)
    small, large = (regret.optimizer("adam", alpha=0.1, beta1=0.0, beta2=b2, eps=0.0, schedule="sqrt",
                                     bias_correction=False) for b2 in (0.3, 0.99))
    a, b = regret.run_many([small, large], prob, T=50_000, seeds=2, checkpoints=np.array([50_000]))
    assert np.all(a.distance_to_x_star > 2.0)  # ends farther from x* = −2 than x_1 = 0
    assert np.all(b.distance_to_x_star < 0.05)


def test_regret_theorems_are_not_applicable_to_concave_rounds():
    thm = theory.get("zinkevich-1")
    run = thm.run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"), regret.problem("zhang", n=10), T=1000)
    v = thm.check(run)
    assert v.status == theory.NOT_APPLICABLE and "every f_t is convex" in v.reason
    (h,) = [h for h in v.hypotheses if h.name == "convex_losses"]
    assert h.holds is False and h.numbers["concave rows"] == 9 * len(run.seeds)  # n − 1 rows per seed
    ok = thm.check(thm.default_run(T=200))
    assert [h.holds for h in ok.hypotheses if h.name == "convex_losses"] == [True]


def test_bad_parameters_are_one_line(capsys):
    for arg, field in (("zhang:n=2", "n=2"), ("zhang:sampling=random", "sampling='random'"),
                       ("zhang:radius=1.5", "radius=1.5")):
        assert main(["run", "--optimizer", "sgd", "--problem", arg, "--T", "100"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and field in err[0], err


def test_the_convexity_hypothesis_reads_the_rows_played():
    """A concave row that no round plays is no round's loss: zinkevich-1 applies."""
    inst = regret.from_arrays("zhang", regret.box(1, -5.0, 5.0), np.ones((2, 1)), np.array([1.0, -1.0]),
                              idx=np.zeros(400, dtype=np.int64))
    thm = theory.get("zinkevich-1")
    v = thm.check(thm.run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"), inst, T=400))
    (h,) = [h for h in v.hypotheses if h.name == "convex_losses"]
    assert h.holds is True and h.numbers["concave rows"] == 0
