"""The wide loop (regret/engine/loop_wide.py, d ≥ WIDE_D, parallel over chunks of coordinates): against the
numpy reference loop, bit-identical for 1 and 2 threads, and run_many equal to run."""
import numpy as np
import pytest

import regret
from regret.engine import loop, loop_wide
from regret.engine.carry import Carry
from regret.losses import NAMES
from regret.optimizers.registry import BUILTIN_TABLE

from test_engine_reference import OPT_CONFIGS, compare, make_opt

D = loop_wide.WIDE_D + 123  # 17 chunks, the last one partial
T = 12
# the comparison with the numpy reference loop runs the first 6 of the 12 rounds: that loop is plain
# Python per coordinate (~3 s per optimizer at this D), and every optimizer's state, bias correction
# and projection is active from round 1 (AMSGrad's running max already moves its iterates away from
# Adam's with the same hyperparameters within 6 rounds, on every case)
T_REF = 6

CASES = [("linear", {}, "box"), ("logistic", {"l2": 0.1}, "ball"), ("least_squares", {}, "unbounded"),
         ("huber", {"delta": 0.5}, "simplex"), ("hinge", {}, "box"), ("absolute", {}, "ball")]


def _instance(name, kw, dom, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((6, D)) / np.sqrt(D) * 3.0
    b = rng.choice([-1.0, 1.0], size=6) if name in ("logistic", "hinge") else rng.standard_normal(6)
    domain = {"box": regret.box(D, -0.01, 0.02), "ball": regret.ball(D, 0.5), "simplex": regret.simplex(D),
              "unbounded": regret.unbounded(D)}[dom]
    return regret.from_arrays(regret.Family(name, **kw), domain, A, b, idx=rng.integers(0, 6, T))


def test_wide_problems_take_the_wide_loop():
    assert loop_wide.is_wide(D, NAMES.index("linear"))
    assert not loop_wide.is_wide(loop_wide.WIDE_D - 1, NAMES.index("linear"))
    assert not loop_wide.is_wide(D, NAMES.index("multiclass"))


@pytest.mark.parametrize("name,kw,dom", CASES)
def test_wide_loop_equals_the_numpy_reference(name, kw, dom):
    inst = _instance(name, kw, dom)
    for key in ("sgd-sqrt", "momentum", "adagrad", "rmsprop_momentum", "adam", "adam-hat", "adamax",
                "amsgrad-torch", "adamx"):
        res, ref = compare(make_opt(OPT_CONFIGS[key]), inst, T_REF, label=f"wide d={D}")
        assert np.ptp(res.iterates[0][:, :50]) > 0  # it moved


def test_wide_loop_is_bit_identical_for_any_thread_count_and_in_run_many():
    inst = _instance("logistic", {"l2": 0.1}, "ball", seed=3)
    opts = [make_opt(OPT_CONFIGS[k]) for k in ("adam", "amsgrad", "adagrad", "sgd")]
    one = regret.run_many(opts, inst, T, record_iterates=True, record_state=True, comparator=False, threads=1)
    two = regret.run_many(opts, inst, T, record_iterates=True, record_state=True, comparator=False, threads=2)
    fields = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final",
              "x_average", "losses", "iterates", "vhat_history")
    for a, b in zip(one, two):
        for f in fields:
            assert np.array_equal(getattr(a, f), getattr(b, f)), f"{a.optimizer.label()}: {f}"
    for opt, a in zip(opts, one):
        single = regret.run(opt, inst, T, record_iterates=True, record_state=True, comparator=False)
        for f in fields:
            assert np.array_equal(getattr(a, f), getattr(single, f)), f"{opt.label()}: {f}"


def test_wide_loop_agrees_with_the_serial_loop_to_rounding():
    """Only the sums over coordinates (z, ‖x‖², ‖g‖²) are taken chunk by chunk: the serial array loop
    on the same run differs by rounding alone."""
    inst = _instance("least_squares", {"l2": 0.2}, "box", seed=5)
    opt = make_opt(OPT_CONFIGS["adam"])
    res = regret.run(opt, inst, T, record_iterates=True, comparator=False)
    cps = res.checkpoints
    K = cps.size
    out = [np.zeros(K), np.zeros((K, D)), np.zeros((K, D)), np.zeros(K), np.zeros(K), np.zeros(K),
           np.zeros((K, D)), np.zeros((K, D)), np.zeros(D)]
    iters = np.zeros((T + 1, D))
    fam, dom = inst.family, inst.domain
    hp = opt.hp_vector(BUILTIN_TABLE.n_hp)
    loop.run_one(BUILTIN_TABLE.code_of(opt), hp, opt.schedule_array(T), fam.code, fam.params, inst.A, inst.b,
                 inst.idx[:T], 1, T, dom.code, dom.P, float(dom.r), cps, np.zeros(T), iters,
                 np.zeros((0, D)), *out, *Carry.start(inst.start()[None], hp[None], regret.optimizers.steps.N_ROWS).of(0))
    np.testing.assert_allclose(res.learner_loss[0], out[0], rtol=1e-12)
    # Adam's step m/√v is scale-free, so a coordinate with a tiny gradient carries the rounding of z
    # into x at the size of the step (|x| ≤ 0.02 here): compare on that scale
    np.testing.assert_allclose(res.iterates[0], iters, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(res.G[0], out[3], rtol=1e-12)
