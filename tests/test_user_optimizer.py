"""A user's optimizer goes through the same door as the built-ins: checked against the protocol,
compiled into the same loops (its own copy of them), with every statistic, checkpoint and
comparator — and its numbers are those of an independent reference."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import regret
from regret.engine import kernel_set, loop
from regret.errors import InvalidInput

from user_optimizers import SignSGD, UserAdam

FIELDS = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final", "losses",
          "iterates", "vhat_history")


def _instance(d, seed=4):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((9, d))
    return regret.from_arrays("logistic", regret.ball(d, 0.7), A, rng.choice([-1.0, 1.0], size=9),
                              idx=rng.integers(0, 9, size=150), name="user-door")


@pytest.mark.parametrize("d", [1, 3])
def test_a_user_adam_equals_the_builtin_adam_bit_for_bit(d):
    """Same arithmetic in the same order, so the same bits: iterates, losses, every statistic, the
    weighted projection (through the user's ``weight``) and v̂ (its ``second_moment``)."""
    inst = _instance(d)
    kw = dict(alpha=0.3, beta1=0.8, beta2=0.9, eps=1e-6, schedule="sqrt")
    mine = regret.run(UserAdam(**kw), inst, 150, record_iterates=True, record_state=True)
    ref = regret.run(regret.optimizer("adam", **kw), inst, 150, record_iterates=True, record_state=True)
    for f in FIELDS:
        assert np.array_equal(getattr(mine, f), getattr(ref, f)), f
    assert np.array_equal(mine.regret, ref.regret)
    assert mine.optimizer.label() == "user_adam(alpha=0.3, beta1=0.8, beta2=0.9, eps=1e-06, schedule=sqrt)"


def test_run_many_mixes_user_and_builtin_optimizers():
    inst = _instance(3)
    opts = [UserAdam(alpha=0.2), regret.optimizer("amsgrad", alpha=0.2), UserAdam(alpha=0.1, beta2=0.9)]
    many = regret.run_many(opts, inst, 150, comparator=False)
    for opt, res in zip(opts, many):
        one = regret.run(opt, inst, 150, comparator=False)
        assert res.optimizer is opt
        for f in FIELDS[:10]:
            assert np.array_equal(getattr(res, f), getattr(one, f)), (opt.name, f)


def test_a_throwaway_algorithm_against_numpy():
    """SignSGD on linear losses over a box, against the same loop written in numpy."""
    rng = np.random.default_rng(0)
    d, T = 3, 200
    A = rng.standard_normal((T, d))
    dom = regret.box(d, -0.4, 0.9)
    inst = regret.from_arrays("linear", dom, A, name="sign")
    res = regret.run(SignSGD(alpha=0.3), inst, T, record_iterates=True, checkpoints=np.arange(1, T + 1))
    x = np.clip(np.zeros(d), -0.4, 0.9)
    xs, losses = [x], []
    for t in range(1, T + 1):
        losses.append(A[t - 1] @ x)
        x = np.clip(x - 0.3 / np.sqrt(t) * np.sign(A[t - 1]), -0.4, 0.9)
        xs.append(x)
    np.testing.assert_allclose(res.iterates[0], np.array(xs), rtol=0, atol=1e-15)
    np.testing.assert_allclose(res.learner_loss[0], np.cumsum(losses), rtol=1e-13, atol=1e-13)
    S = np.cumsum(A, axis=0)  # linear losses on a box: the best point is a vertex, coordinate-wise
    best = np.minimum(-0.4 * S, 0.9 * S).sum(axis=1)
    np.testing.assert_allclose(res.regret[0], np.cumsum(losses) - best, rtol=1e-12, atol=1e-12)
    assert np.all(res.vhat == 0.0) and np.all(res.step_ratio[0] == 1.0)  # |Δ_t|/α_t = |sign g| = 1


def test_user_loops_are_cached_apart_from_the_builtins():
    """The user's loops are the built-in loops' functions recompiled: their disk cache must be keyed
    on the user's sources, or one process would load the other's machine code."""
    kernels, code = kernel_set.kernels_for(UserAdam())
    assert code == 0 and kernels is not kernel_set.BUILTIN
    assert kernel_set.kernels_for(UserAdam(alpha=0.5))[0] is kernels  # one set per class
    for mine, builtin in ((kernels.run_one, loop.run_one), (kernels.run_1d, regret.engine.loop_1d.run_1d)):
        mine_path = mine._cache._cache_path
        if builtin._cache._cache_path is None:
            continue
        assert mine_path != builtin._cache._cache_path and "table-" in mine_path


def test_a_user_class_that_breaks_the_protocol_is_refused_before_any_work():
    def bad_update(m, g, alpha_t, gamma):
        return m, -alpha_t * g

    @dataclass(frozen=True, eq=False, repr=False)
    class Broken(regret.Optimizer):
        name = "broken"
        state = ("m",)
        update = staticmethod(bad_update)
        alpha: float = 0.1
        schedule: object = "constant"

    with pytest.raises(InvalidInput, match="gamma"):
        regret.run(Broken(), regret.problem("reddi", C=3), 10)


def test_an_optimizer_registered_as_an_entry_point_runs_by_name(monkeypatch):
    """A package registers its algorithm in the entry-point group regret.optimizers; it then runs by
    name, from Python and from the command line, like a built-in."""
    from importlib.metadata import EntryPoint

    from regret.optimizers import registry

    ep = EntryPoint(name="sign_sgd", value="user_optimizers:SignSGD", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_entry_points", lambda: {ep.name: ep})
    opt = regret.optimizer("sign_sgd", alpha=0.05)
    assert isinstance(opt, SignSGD) and opt.alpha == 0.05
    with pytest.raises(InvalidInput, match="sign_sgd"):  # the error lists it beside the built-ins
        regret.optimizer("sign_sgdd")
