"""The time-averaged iterate x̄_T = (1/T) Σ_{t≤T} x_t (the point online-to-batch conversion returns):
carried by every loop as Σ_t x_t, checked against the mean of the recorded path and against the
plain-Python reference's exact sums, and reported by RunResult.summary, `regret run` and the store."""
import json

import numpy as np
import pytest

import regret
from regret.cli import main
from regret.engine.loop_wide import WIDE_D
from regret.reference import loop as reference

OPTS = [regret.optimizer("adam", alpha=0.1, schedule="sqrt"), regret.optimizer("sgd", alpha=0.2),
        regret.optimizer("amsgrad", alpha=0.3, beta1=0.5, beta2=0.9)]


@pytest.mark.parametrize("prob,T", [(regret.problem("reddi", C=3), 600),  # d = 1: the scalar loop
                                    (regret.problem("logistic", d=3, domain="ball"), 400),  # the array loop
                                    (regret.problem("linear", d=WIDE_D, domain="box"), 12)])  # parallel chunks
def test_the_average_is_the_mean_of_the_recorded_path_in_every_loop(prob, T):
    runs = regret.run_many(OPTS, prob, T=T, seeds=2, record_iterates=True, comparator=False)
    for opt, r in zip(OPTS, runs):
        path_mean = r.iterates[:, :T].mean(axis=1)  # x_1..x_T, numpy's pairwise sum
        np.testing.assert_allclose(r.x_average, path_mean, rtol=1e-12, atol=1e-14, err_msg=opt.label())
        assert np.ptp(r.iterates) > 0  # the runs moved
        alone = regret.run(opt, prob, T=T, seeds=2, comparator=False)
        assert np.array_equal(alone.x_average, r.x_average)  # one run alone and in a batch: the same bits


def test_the_engine_agrees_with_the_reference_loops_exact_sums():
    prob = regret.problem("hinge", d=4, domain="ball")
    for opt in OPTS:
        got = regret.run(opt, prob, T=500, seeds=2, comparator=False)
        ref = reference.run(opt, prob, T=500, seeds=2)
        np.testing.assert_allclose(got.x_average, ref.x_average, rtol=1e-12, atol=1e-13, err_msg=opt.label())


def test_on_reddis_sequence_adams_average_ends_at_the_worst_point():
    """Reddi et al. Thm 1 (docs/sources.md §S2.3): Adam's iterates settle at +1 while x* = −1, so x̄_T
    → 1 and ‖x̄_T − x*‖ → 2; AMSGrad's iterates approach x* = −1."""
    bad = regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt", bias_correction=False)
    good = regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    a, m = regret.run_many([bad, good], regret.problem("reddi", C=3), T=100_000)
    assert a.x_average[0, 0] == pytest.approx(1.0, abs=0.02)
    assert a.average_distance_to_x_star[0] == pytest.approx(2.0, abs=0.02)
    assert m.x_average[0, 0] < -0.9
    sm = a.summary()
    assert sm["x_average"] == a.x_average.tolist() and sm["average_distance_to_x_star"]["mean"] == pytest.approx(
        float(a.average_distance_to_x_star[0]))


def test_cli_table_json_and_store(tmp_path, capsys):
    argv = ["run", "--optimizer", "sgd:alpha=0.2", "--problem", "linear:d=2", "--T", "300", "--seeds", "3"]
    assert main(argv) == 0
    assert "‖x̄_T − x*‖" in capsys.readouterr().out
    assert main(argv + ["--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["results"][0]
    res = regret.run(regret.optimizer("sgd", alpha=0.2), regret.problem("linear", d=2), T=300, seeds=3)
    np.testing.assert_array_equal(np.array(doc["x_average"]), res.x_average)
    assert len(doc["x_average_ci95"]) == 2
    lo, hi = doc["average_distance_to_x_star"]["ci95"]
    assert lo <= doc["average_distance_to_x_star"]["mean"] <= hi
    np.testing.assert_allclose(res.average_distance_to_x_star,
                               np.linalg.norm(res.x_average - res.x_star[:, -1], axis=1), rtol=0, atol=0)
    df = res.to_frame()
    at_T = df[df["t"] == 300]
    np.testing.assert_array_equal(at_T["average_distance_to_x_star"].to_numpy(), res.average_distance_to_x_star)
    assert df[df["t"] < 300]["average_distance_to_x_star"].isna().all()
    path = tmp_path / "run.npz"
    assert main(argv + ["--save", str(path)]) == 0
    with np.load(path) as z:
        np.testing.assert_array_equal(z["opt0_x_average"], res.x_average)


def test_a_replayed_trajectory_averages_its_points():
    inst = regret.problem("reddi", C=3).instance(3, 0)
    X = np.array([[1.0], [0.5], [-0.25], [0.0]])  # x_1..x_3 played, x_4 = x_{T+1}
    res = regret.from_trajectory(inst, X, "sgd", comparator=False)
    assert res.x_average.tolist() == [[(1.0 + 0.5 - 0.25) / 3]]


def test_the_rows_of_a_batch_are_the_rows_of_each_result():
    """engine.frame.columns computes a run_many call's statistics once over every (result, seed) row;
    they must be each result's own rows, in order (the single-result path computes them alone)."""
    from regret.engine.frame import columns

    opts = [regret.optimizer("adam", alpha=a) for a in (0.05, 0.2)] + [regret.optimizer("sgd", alpha=0.1)]
    res = regret.run_many(opts, regret.problem("logistic", d=3), T=400, seeds=2)
    together = columns(res)
    alone = [columns([r]) for r in res]
    for name, col in together.items():
        if not all(name in a for a in alone):  # another algorithm's hyperparameter: null in its rows
            continue
        want = np.concatenate([a[name] for a in alone])
        if col.dtype.kind == "f":
            np.testing.assert_array_equal(col, want, err_msg=name)
        else:
            assert list(col) == list(want), name
