"""The exact, slow path: an algorithm written on numpy arrays (regret.ArrayOptimizer) runs through
regret.run / run_many / the CLI without compiling, with the same validation, statistics, comparator
and theorem checks as a compiled one — and the same numbers, to rounding."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import regret
from regret import engine, reference
from regret.errors import InvalidInput

from user_optimizers import ArrayAdam, ArrayNoUpdate, ArrayWrongShape, UserAdam

HERE = Path(__file__).parent
STATS = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final", "losses",
         "iterates", "vhat_history")


def _instance(d, seed=4, T=120):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((9, d))
    return regret.from_arrays("logistic", regret.ball(d, 0.7), A, rng.choice([-1.0, 1.0], size=9),
                              idx=rng.integers(0, 9, size=T), name="slow-path")


def _close(a, b, rtol=1e-12):
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("d", [1, 3])
def test_a_prototype_on_arrays_equals_the_compiled_adam(d):
    """The user's ArrayAdam through regret.run (plain Python) against the built-in Adam (compiled) and
    the user's compiled UserAdam: every statistic and the regret, to 1e-12."""
    inst = _instance(d)
    kw = dict(alpha=0.3, beta1=0.8, beta2=0.9, eps=1e-6, schedule="sqrt")
    slow = regret.run(ArrayAdam(**kw), inst, 120, record_iterates=True, record_state=True)
    fast = regret.run(regret.optimizer("adam", **kw), inst, 120, record_iterates=True, record_state=True)
    user = regret.run(UserAdam(**kw), inst, 120, record_iterates=True, record_state=True)
    assert slow.notes["source"] == "regret.reference.run"
    for f in STATS:
        _close(getattr(slow, f), getattr(fast, f))
        _close(getattr(slow, f), getattr(user, f))
    _close(slow.regret, fast.regret)
    assert slow.comparator[0].method == fast.comparator[0].method
    assert slow.optimizer.label() == "array_adam(alpha=0.3, beta1=0.8, beta2=0.9, eps=1e-06, schedule=sqrt)"


def test_every_builtin_on_arrays_through_regret_run_equals_the_engine():
    """spec.on_arrays() is the same algorithm: through the public door it gives the engine's result
    (tests/test_engine_reference.py checks every family × domain; here the door itself)."""
    spec = regret.problem("rademacher", d=3)
    for name in regret.OPTIMIZERS:
        opt = regret.optimizer(name, alpha=0.2)
        slow = regret.run(opt.on_arrays(), spec, 60, seeds=2)
        fast = regret.run(opt, spec, 60, seeds=2)
        assert slow.seeds == fast.seeds == [0, 1]
        _close(slow.regret, fast.regret, rtol=1e-10)


def test_run_many_mixes_arrays_and_compiled_optimizers():
    inst = _instance(3)
    opts = [ArrayAdam(alpha=0.2), regret.optimizer("amsgrad", alpha=0.2), UserAdam(alpha=0.1)]
    many = regret.run_many(opts, inst, 120)
    for opt, res in zip(opts, many):
        one = regret.run(opt, inst, 120)
        assert res.optimizer is opt
        for f in STATS[:10]:
            assert np.array_equal(getattr(res, f), getattr(one, f)), (opt.name, f)
        assert np.array_equal(res.regret, one.regret)


def test_an_adaptive_adversary_on_the_slow_path():
    """The orthogonal adversary's choose runs as plain Python against the slow path, and the run equals
    the compiled one (the adversary reacts to x_t, so any difference would grow)."""
    from regret.problems import orthogonal

    adv = orthogonal(d=4, radius=1.0, G=1.0)
    opt = regret.optimizer("adam", alpha=0.1, schedule="sqrt")
    slow = regret.run(opt.on_arrays(), adv, 80, record_iterates=True)
    fast = regret.run(opt, adv, 80, record_iterates=True)
    _close(slow.iterates, fast.iterates, rtol=1e-10)
    _close(slow.regret, fast.regret, rtol=1e-10)


def test_a_theorem_is_checked_on_a_prototype():
    """Reddi et al.'s AMSGrad theorem on the array version: the same verdict as on the compiled run."""
    from regret import theory

    thm = theory.get("reddi-4")
    opt = thm.default.optimizer_spec()
    problem = thm.default.problem_spec()
    slow = thm.check(thm.run(opt.on_arrays(), problem, T=300, seeds=1))
    fast = thm.check(thm.run(opt, problem, T=300, seeds=1))
    assert slow.status == fast.status
    _close(slow.measured, fast.measured, rtol=1e-9)
    _close(slow.bound, fast.bound, rtol=1e-9)


def test_from_trajectory_replays_an_array_optimizer():
    inst = _instance(3)
    res = regret.run(ArrayAdam(alpha=0.2), inst, 120, record_iterates=True)
    again = regret.from_trajectory(inst, res.iterates[0], ArrayAdam(alpha=0.2))
    assert again.notes["replay_deviation"] < 1e-12
    _close(again.regret, res.regret)
    _close(again.vhat, res.vhat)


def test_a_class_that_breaks_the_array_protocol_is_refused():
    inst = _instance(2)
    with pytest.raises(InvalidInput, match=r"ArrayNoUpdate\.update"):
        regret.optimizer(ArrayNoUpdate)
    with pytest.raises(InvalidInput, match=r"ArrayNoUpdate\.update"):
        regret.run(ArrayNoUpdate(), inst, 5)  # an instance made directly is checked too
    with pytest.raises(InvalidInput, match=r"array_wrong_shape\.update.*shape \(3,\)"):
        regret.run(ArrayWrongShape(), inst, 5)
    with pytest.raises(InvalidInput, match="compiled algorithm"):
        engine.run(ArrayAdam(), inst, 5)
    with pytest.raises(InvalidInput, match="array version"):
        reference.run(UserAdam(), inst, 5)  # a compiled user class with no array version


def test_the_cli_runs_an_array_optimizer_from_a_file_without_compiling_the_engine(tmp_path):
    """`regret run --optimizer FILE.py:Class` takes the slow path; in that fresh process no engine loop,
    loss or projection kernel is compiled."""
    script = f"""
import json, sys
from regret.cli import main
code = main(["run", "--optimizer", "{HERE / 'user_optimizers.py'}:ArrayAdam:alpha=0.2", "--problem", "reddi",
             "--T", "300", "--json"])
from regret.engine import loop, loop_1d
from regret import losses, domains
compiled = {{name: len(f.signatures) for name, f in (("run_one", loop.run_one), ("run_1d", loop_1d.run_1d),
            ("value_grad", losses.value_grad), ("project_inplace", domains.project_inplace))}}
print("COMPILED", json.dumps(compiled))
sys.exit(code)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    body, compiled = out.stdout.rsplit("COMPILED", 1)
    assert json.loads(compiled) == {"run_one": 0, "run_1d": 0, "value_grad": 0, "project_inplace": 0}
    summary = json.loads(body)
    fast = regret.run(regret.optimizer("adam", alpha=0.2), "reddi", 300)
    run0 = summary["results"][0] if "results" in summary else summary[0]
    assert run0["optimizer"] == "array_adam"
    assert abs(run0["regret"]["mean"] - float(fast.regret[0, -1])) < 1e-9 * max(1.0, abs(fast.regret[0, -1]))
