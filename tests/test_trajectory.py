"""regret.from_trajectory: a run made in torch, checked like a native one. torch.optim.Adam in float64
plays Reddi et al.'s sequence and a least-squares problem on a box (its iterates clipped to the box,
the projection every adaptive method does on a box); the trajectory gives the same R(T), the same
statistics and the same theorem verdicts as regret.run of the same algorithm, to 1e-12."""
from __future__ import annotations

import numpy as np
import pytest

import regret
from regret import theory
from regret.errors import InvalidInput

torch = pytest.importorskip("torch")


def torch_points(inst, T, make_torch_opt, alpha, lo, hi, record=None):
    """x_1..x_{T+1} of a torch.optim optimizer (float64, α_t = α/√t set before each step) on
    ``inst``, clipped to [lo, hi] after every step; the gradients come from torch's autograd. With
    ``record`` (a dict), torch's losses f_t(x_t) and gradients g_t are kept in it as well."""
    A = torch.tensor(inst.A, dtype=torch.float64)
    b = torch.tensor(inst.b, dtype=torch.float64)
    x = torch.tensor(inst.start(), dtype=torch.float64, requires_grad=True)
    opt = make_torch_opt([x])
    points = [x.detach().clone().numpy()]
    for t in range(1, T + 1):
        row = int(inst.round_rows(t - 1, t)[0])
        opt.zero_grad()
        z = A[row] @ x
        loss = z if inst.family.name == "linear" else 0.5 * (z - b[row]) ** 2
        loss.backward()
        if record is not None:
            record.setdefault("losses", []).append(float(loss.detach()))
            record.setdefault("gradients", []).append(x.grad.detach().clone().numpy())
        for group in opt.param_groups:
            group["lr"] = alpha / t ** 0.5
        opt.step()
        with torch.no_grad():
            x.clamp_(lo, hi)
        points.append(x.detach().clone().numpy())
    return np.array(points)


def torch_adam_points(inst, T, alpha, beta1, beta2, eps, lo, hi):
    return torch_points(inst, T, lambda p: torch.optim.Adam(p, lr=alpha, betas=(beta1, beta2), eps=eps,
                                                            foreach=False), alpha, lo, hi)


CASES = {
    "reddi": (lambda: regret.problem("reddi", C=3).instance(3000, 0), 3000, -1.0, 1.0,
              dict(alpha=0.5, beta1=0.0, beta2=0.1, eps=1e-8)),
    "least-squares-box": (lambda: regret.from_arrays(
        "least_squares", regret.box(3, -0.2, 0.3), np.random.default_rng(5).standard_normal((50, 3)),
        np.random.default_rng(6).standard_normal(50), idx=np.random.default_rng(7).integers(0, 50, 800)),
        800, -0.2, 0.3, dict(alpha=0.3, beta1=0.9, beta2=0.99, eps=1e-8)),
}


def _same_result(got, ref):
    assert got.notes["replay_deviation"] <= 1e-12  # torch played what the spec says
    scale = max(1.0, float(np.max(np.abs(ref.learner_loss))))
    assert np.max(np.abs(got.regret - ref.regret)) <= 1e-12 * scale
    np.testing.assert_allclose(got.iterates, ref.iterates, rtol=0, atol=1e-12)
    for f in ("grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max"):
        np.testing.assert_allclose(getattr(got, f), getattr(ref, f), rtol=1e-12, atol=1e-300, err_msg=f)
    assert np.array_equal(got.checkpoints, ref.checkpoints)


def _same_verdicts(got, ref, theorems):
    for thm in theorems:
        a, b = thm.check(got), thm.check(ref)
        assert a.status == b.status, (thm.key, a.status, b.status)
        assert (a.first_violation or {}).get("T") == (b.first_violation or {}).get("T")
        assert a.worst["T"] == b.worst["T"] and abs(a.worst["ratio"] - b.worst["ratio"]) <= 1e-12
    return [thm.check(got).status for thm in theorems]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_torch_adam_trajectory_gives_regret_and_verdicts_of_the_native_run(case):
    make, T, lo, hi, hp = CASES[case]
    inst = make()
    spec = regret.optimizer("adam", schedule="sqrt", **hp)
    points = torch_adam_points(inst, T, hp["alpha"], hp["beta1"], hp["beta2"], hp["eps"], lo, hi)
    got = regret.from_trajectory(inst, points, spec)
    ref = regret.run(spec, inst, T, record_iterates=True, record_state=True)
    _same_result(got, ref)
    np.testing.assert_allclose(got.vhat_history, ref.vhat_history, rtol=1e-12, atol=1e-300)
    # Kingma & Ba 4.1 (NOT APPLICABLE: β1,t does not decay here); R(T) ≤ G·D·T always holds, so 2GDT is a
    # loose bound of one's own, and √T/100 a tight one
    statuses = _same_verdicts(got, ref, [theory.get("kingma-ba-4.1"), theory.bound("2*G*D*T"),
                                         theory.bound("sqrt(T)/100")])
    assert statuses == [theory.NOT_APPLICABLE, theory.HOLDS, theory.VIOLATED]
    # a trajectory lemma that needs the gradients: recomputed from the result's own instance
    lemma = theory.get("kingma-ba-10.3")
    assert lemma.check(got).status == lemma.check(ref).status != theory.INCONCLUSIVE


def test_a_torch_sgd_trajectory_keeps_zinkevich_and_hazan_as_the_native_run():
    inst = regret.problem("reddi", C=3).instance(3000, 0)
    points = torch_points(inst, 3000, lambda p: torch.optim.SGD(p, lr=0.5, foreach=False), 0.5, -1.0, 1.0)
    spec = regret.optimizer("sgd", alpha=0.5, schedule="sqrt")
    got = regret.from_trajectory(inst, points, spec)
    ref = regret.run(spec, inst, 3000, record_iterates=True)
    _same_result(got, ref)
    assert _same_verdicts(got, ref, [theory.get("zinkevich-1"), theory.get("hazan-3.1")]) == [theory.HOLDS] * 2


def test_a_spec_that_did_not_make_the_points_is_detected():
    make, T, lo, hi, hp = CASES["reddi"]
    inst = make()
    points = torch_adam_points(inst, 300, hp["alpha"], hp["beta1"], hp["beta2"], hp["eps"], lo, hi)
    wrong = regret.from_trajectory(inst, points, regret.optimizer("sgd", alpha=0.5, schedule="sqrt"))
    assert wrong.notes["replay_deviation"] > 0.1


def test_bad_trajectories_are_refused():
    inst = regret.problem("reddi", C=3).instance(10, 0)
    adam = regret.optimizer("adam")
    for bad, field in ((np.zeros((12, 1)), "iterates"), (np.zeros((5, 2)), "iterates"),
                       (np.full((3, 1), np.nan), "iterates"), ("abc", "iterates")):
        with pytest.raises(InvalidInput) as e:
            regret.from_trajectory(inst, bad, adam)
        assert e.value.field == field
    with pytest.raises(InvalidInput):
        regret.from_trajectory(inst, np.zeros((4, 1)), adam, second_moments=np.zeros((2, 1)))


def test_losses_and_gradients_alone_give_the_regret_of_the_native_run():
    """regret.from_losses: torch's own f_t(x_t) and g_t, no points — R(T), the gradient statistics
    and v̂ as the native run; the observed extent is unknown (NaN) and D comes from the domain."""
    make, T, lo, hi, hp = CASES["least-squares-box"]
    inst = make()
    spec = regret.optimizer("adam", schedule="sqrt", **hp)
    rec = {}
    torch_points(inst, T, lambda p: torch.optim.Adam(p, lr=hp["alpha"], betas=(hp["beta1"], hp["beta2"]),
                                                     eps=hp["eps"], foreach=False), hp["alpha"], lo, hi, record=rec)
    got = regret.from_losses(inst, rec["losses"], np.array(rec["gradients"]), spec)
    ref = regret.run(spec, inst, T, record_state=True)
    scale = max(1.0, float(np.max(np.abs(ref.learner_loss))))
    assert np.max(np.abs(got.regret - ref.regret)) <= 1e-12 * scale
    for f in ("grad_sq", "vhat", "G", "G_inf", "step_ratio"):
        np.testing.assert_allclose(getattr(got, f), getattr(ref, f), rtol=1e-12, atol=1e-300, err_msg=f)
    assert np.all(np.isnan(got.x_min)) and got.iterates is None and got.notes["replay_deviation"] is None
    loose = theory.bound("2*G*D*T")
    assert loose.check(got).status == loose.check(ref).status == theory.HOLDS
    with pytest.raises(InvalidInput) as e:
        regret.from_losses(inst, rec["losses"], np.zeros((T, 2)), spec)
    assert e.value.field == "gradients"
