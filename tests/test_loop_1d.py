"""The one-dimensional loop (regret/engine/loop_1d.py, state in registers) against the array loop
(regret.engine.loop._rounds) it replaces at d = 1: bit for bit, on every optimizer × single-index family ×
domain, every schedule kind, with all records."""
import numpy as np
import pytest

import regret
from regret.engine import loop, loop_1d
from regret.engine import default_checkpoints
from regret.engine.carry import XS, Carry
from regret.optimizers import steps as S
from regret.optimizers.registry import BUILTIN_TABLE

OUTPUTS = ("cum_loss", "gsq", "vhat_cp", "gmax2", "gmaxinf", "ratio_max", "xmin", "xmax", "x_final",
           "losses", "iterates", "vhat_hist", "played_sum")

_DOMAINS = {"box": regret.box(1, -0.5, 0.7), "ball": regret.ball(1, 0.8, center=0.1),
            "simplex": regret.simplex(1), "unbounded": regret.unbounded(1)}
_FAMILIES = ("linear", "least_squares", "logistic", "hinge", "absolute", "huber", "logistic-l2", "zhang")


def _optimizers(T):
    """Every algorithm, every schedule kind, bias correction on and off, every eps placement, λ < 1."""
    return [regret.optimizer("sgd", alpha=0.3), regret.optimizer("sgd", alpha=0.3, schedule="sqrt"),
            regret.optimizer("momentum", alpha=0.1, momentum=0.8), regret.optimizer("nesterov", alpha=0.1),
            regret.optimizer("adagrad", alpha=0.5, schedule="sqrt"),
            regret.optimizer("adagrad", alpha=0.5, eps_mode="inside", eps=1e-3),
            regret.optimizer("rmsprop", alpha=0.05), regret.optimizer("rmsprop_momentum", alpha=0.05),
            regret.optimizer("adam", alpha=0.3, beta1=0.8, beta2=0.95, lam=0.9),
            regret.optimizer("adam", alpha=0.4, eps_mode="hat", eps=1e-3, schedule="sqrt"),
            regret.optimizer("adam", alpha=0.4, eps_mode="inside", eps=1e-3, bias_correction=False),
            regret.optimizer("adamax", alpha=0.2, schedule=np.linspace(0.5, 0.05, T)),
            regret.optimizer("amsgrad", alpha=0.3, beta1=0.9, beta2=0.99),
            regret.optimizer("amsgrad", alpha=0.3, bias_correction=True, eps=1e-6, schedule="sqrt"),
            regret.optimizer("adamx", alpha=0.3, lam=0.7)]


def _both(opt, inst, T, cps, records=True):
    """Run the same rounds through rounds_1d and through the array loop; return both output dicts
    (without per-round records when ``records`` is False: rounds_1d's specialised paths)."""
    hp, alpha_arr = opt.hp_vector(BUILTIN_TABLE.n_hp), opt.schedule_array(T)
    fam, dom = inst.family, inst.domain
    x0 = inst.start()
    K = cps.size
    results = []
    for kernel in ("1d", "array"):
        out = {"cum_loss": np.zeros(K), "gsq": np.zeros((K, 1)), "vhat_cp": np.zeros((K, 1)), "gmax2": np.zeros(K),
               "gmaxinf": np.zeros(K), "ratio_max": np.zeros(K), "xmin": np.zeros((K, 1)), "xmax": np.zeros((K, 1)),
               "x_final": np.zeros(1), "losses": np.zeros(T if records else 0),
               "iterates": np.zeros((T + 1 if records else 0, 1)), "vhat_hist": np.zeros((T if records else 0, 1))}
        common = (BUILTIN_TABLE.code_of(opt), hp, alpha_arr, fam.code, fam.params, inst.A, inst.b, inst.kernel_rows(T), 1, T, dom.code, dom.P,
                  float(dom.r), cps, out["losses"], out["iterates"], out["vhat_hist"], out["cum_loss"], out["gsq"],
                  out["vhat_cp"], out["gmax2"], out["gmaxinf"], out["ratio_max"], out["xmin"], out["xmax"],
                  out["x_final"])
        carry = Carry.start(x0[None], hp[None], S.N_ROWS)
        if kernel == "1d":
            loop_1d.rounds_1d(*common, *carry.of(0), np.zeros(1))
        else:
            loop.run_one(*common, *carry.of(0))
        out["played_sum"] = carry.vec[0, XS].copy()  # Σ_t x_t, carried for the time-averaged iterate
        results.append(out)
    return results


@pytest.mark.parametrize("dom", sorted(_DOMAINS))
def test_rounds_1d_equals_the_array_loop_bit_for_bit(dom):
    rng = np.random.default_rng(7)
    T = 150
    cps = default_checkpoints(T, 12)
    for fam in _FAMILIES:
        if fam == "linear" and dom == "unbounded":
            continue
        A = rng.standard_normal((25, 1)) * 2.0
        b = np.where(rng.random(25) < 0.5, -1.0, 1.0) if fam.startswith(("logistic", "hinge")) \
            else rng.standard_normal(25)
        family = regret.family("logistic", l2=0.05) if fam == "logistic-l2" else regret.family(fam)
        inst = regret.from_arrays(family, _DOMAINS[dom], A, b, idx=rng.integers(0, 25, T))
        for opt in _optimizers(T):
            got, ref = _both(opt, inst, T, cps)
            for key in OUTPUTS:
                assert np.array_equal(got[key], ref[key], equal_nan=True), \
                    f"{fam} on {dom}, {opt.label()}: {key} differs"
            # the run moved (not a vacuous comparison of two idle loops)
            assert np.ptp(ref["iterates"]) > 0 or dom == "simplex"


def test_run_uses_the_1d_loop_and_agrees_with_the_array_loop_on_reddis_problem():
    """regret.run on Reddi et al.'s problem (d = 1) goes through run_1d (kernel_for says so); the
    array loop run by hand on the same instance gives the same regret curve, bit for bit."""
    from regret.engine.kernel_set import BUILTIN
    from regret.losses import MULTICLASS, NAMES

    assert BUILTIN.kernel_for(1, NAMES.index("linear")) is loop_1d.run_1d
    assert BUILTIN.kernel_for(2, NAMES.index("linear")) is loop.run_one
    assert BUILTIN.kernel_for(1, MULTICLASS) is loop.run_one
    T = 3000
    inst = regret.problem("reddi", C=3).instance(T, 0)
    for name in ("adam", "amsgrad"):
        opt = regret.optimizer(name, alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
        res = regret.run(opt, inst, T, comparator=False)
        got, ref = _both(opt, inst, T, default_checkpoints(T))
        assert np.array_equal(res.learner_loss[0], ref["cum_loss"])
        assert np.array_equal(res.x_final[0], ref["x_final"])
        assert np.array_equal(got["cum_loss"], ref["cum_loss"])


def test_bench_update_only_at_d1_equals_the_array_updates():
    """bench.kernels.update_only runs d = 1 on scalars (as the engine does); it must compute what the
    array step computes: same final x and same last step ratio, bit for bit."""
    from bench import kernels

    T = 500
    g = np.array([0.7])
    for opt in _optimizers(T):
        hp, alpha_arr = opt.hp_vector(BUILTIN_TABLE.n_hp), opt.schedule_array(T)
        x1 = np.array([0.25])
        r1 = kernels.update_only(BUILTIN_TABLE.code_of(opt), hp, alpha_arr, g, x1, T)
        x2 = np.array([0.25])
        r2 = kernels._updates(BUILTIN_TABLE.code_of(opt), hp, alpha_arr, g, x2, T, np.ones(1), np.zeros((S.N_ROWS, 1)),
                              np.zeros(S.N_SC))
        assert x1[0] == x2[0] and r1 == r2, opt.label()
        assert x1[0] != 0.25, opt.label()


@pytest.mark.parametrize("dom", ["box", "ball"])
def test_rounds_1d_without_records_equals_the_array_loop(dom):
    """Without per-round records, linear losses on an interval take rounds_1d's specialised paths
    (constant and α/√t schedules); the ball and the other families its general one. All equal the
    array loop bit for bit."""
    rng = np.random.default_rng(9)
    T = 400
    cps = default_checkpoints(T)
    for fam in ("linear", "logistic"):
        A = rng.standard_normal((7, 1)) * 2.0
        b = np.where(rng.random(7) < 0.5, -1.0, 1.0)
        inst = regret.from_arrays(fam, _DOMAINS[dom], A, b, idx=rng.integers(0, 7, T))
        for opt in _optimizers(T):
            got, ref = _both(opt, inst, T, cps, records=False)
            for key in OUTPUTS[:9]:
                assert np.array_equal(got[key], ref[key], equal_nan=True), \
                    f"{fam} on {dom}, {opt.label()}: {key} differs"
    # Reddi et al.'s problem, the case the specialised paths are for
    inst = regret.problem("reddi", C=3).instance(T, 0)
    for opt in _optimizers(T):
        got, ref = _both(opt, inst, T, cps, records=False)
        for key in OUTPUTS[:9]:
            assert np.array_equal(got[key], ref[key]), f"reddi, {opt.label()}: {key} differs"


@pytest.mark.parametrize("name,sched", [("adam", "sqrt"), ("adam", "constant"), ("sgd", "constant"),
                                        ("amsgrad", "sqrt")])
def test_the_specialised_kernels_are_run_1d_bit_for_bit(name, sched):
    """run_1d_linear_box_constant / _sqrt (compiled on their own, so that a Reddi-type run compiles only
    them: the cold start) compute exactly what run_1d computes on the same problem, with and without
    per-round losses; Kernels.kernel_for picks them only where they apply."""
    from regret.domains import BOX
    from regret.engine.kernel_set import BUILTIN
    from regret.losses import LINEAR
    from regret.optimizers.layout import SCHED_CONSTANT, SCHED_SQRT

    T = 600
    inst = regret.problem("reddi", C=3).instance(T, 0)
    opt = regret.optimizer(name, alpha=0.5, beta1=0.0, beta2=0.1, schedule=sched) if name != "sgd" else \
        regret.optimizer("sgd", alpha=0.5, schedule=sched)
    code = SCHED_SQRT if sched == "sqrt" else SCHED_CONSTANT
    special = BUILTIN.kernel_for(1, LINEAR, BOX, code, per_round_state=False)
    assert special is (loop_1d.run_1d_linear_box_sqrt if sched == "sqrt" else loop_1d.run_1d_linear_box_constant)
    assert BUILTIN.kernel_for(1, LINEAR, BOX, code, per_round_state=True) is loop_1d.run_1d
    hp, alpha_arr = opt.hp_vector(BUILTIN_TABLE.n_hp), opt.schedule_array(T)
    cps = default_checkpoints(T, 12)
    K = cps.size
    for with_losses in (False, True):
        outs = []
        for kernel in (loop_1d.run_1d, special):
            o = [np.zeros(T if with_losses else 0), np.zeros((0, 1)), np.zeros((0, 1)), np.zeros(K),
                 np.zeros((K, 1)), np.zeros((K, 1)), np.zeros(K), np.zeros(K), np.zeros(K), np.zeros((K, 1)),
                 np.zeros((K, 1)), np.zeros(1)]
            carry = Carry.start(inst.start()[None], hp[None], S.N_ROWS)
            kernel(BUILTIN_TABLE.code_of(opt), hp, alpha_arr, inst.family.code, inst.family.params, inst.A, inst.b,
                   inst.kernel_rows(T), 1, T, inst.domain.code, inst.domain.P, float(inst.domain.r), cps, *o,
                   *carry.of(0))
            outs.append(o + [carry.vec.copy(), carry.acc.copy()])
        for a, b in zip(*outs):
            assert np.array_equal(a, b), (name, sched, with_losses)
