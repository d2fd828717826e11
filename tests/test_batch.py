"""Batched runs (regret.run_many → regret.engine.loop.run_batch) and the compiled loop's bit-identity.

* run_many returns, for every optimizer, exactly (np.array_equal, bit for bit) what regret.run
  returns for it: every statistic, every record, the regret;
* the results do not depend on numba's thread count (1 vs 2) nor on what else is in the batch;
* regret.engine.loop.run_one (after its performance changes) equals, bit for bit, a plain-Python
  transcription of the loop as it was before them (``_loop_before`` below: the same round, the same
  compiled value_grad / steps.step / project_inplace, the statistics accumulated in the same order),
  so the changes altered no recorded number.
"""
from __future__ import annotations

import inspect
import math

import numba
import numpy as np
import pytest

import regret
from regret.engine import batch, feed, loop
from regret.engine.carry import Carry
from regret.domains import project_inplace
from regret.losses import value_grad
from regret.optimizers import steps as S
from regret.optimizers.registry import BUILTIN_TABLE
from regret.problems import from_arrays

FIELDS = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final",
          "x_average", "x_start", "checkpoints")


def _configs(T):
    """A mix: every schedule kind, bias correction on and off, eps placements, λ < 1."""
    return [regret.optimizer("sgd", alpha=0.3), regret.optimizer("adagrad", alpha=0.5, schedule="sqrt"),
            regret.optimizer("adam", alpha=0.3, beta1=0.8, beta2=0.95, lam=0.9),
            regret.optimizer("adam", alpha=0.4, eps_mode="hat", eps=1e-3),
            regret.optimizer("adamax", alpha=0.2, schedule=np.linspace(0.5, 0.05, T)),
            regret.optimizer("amsgrad", alpha=0.3, beta1=0.9, beta2=0.99, bias_correction=True, eps=1e-6),
            regret.optimizer("adamx", alpha=0.3, lam=0.7), regret.optimizer("nesterov", alpha=0.1),
            regret.optimizer("rmsprop_momentum", alpha=0.05)]


def _assert_same(a, b, records=()):
    for k in FIELDS + tuple(records):
        x, y = getattr(a, k), getattr(b, k)
        assert np.array_equal(x, y), f"{a.optimizer.label()}: {k} differs"
    assert a.seeds == b.seeds and a.T == b.T and a.d == b.d and a.domain == b.domain


@pytest.mark.parametrize("problem", [regret.problem("logistic", d=3, domain="ball"),
                                     regret.problem("least_squares", d=2, domain="box"),
                                     regret.problem("linear", d=4, domain="simplex")])
def test_run_many_equals_run_bit_for_bit(problem):
    T = 120
    opts = _configs(T)
    got = regret.run_many(opts, problem, T, seeds=[0, 3], record_iterates=True, record_state=True,
                          comparator=False)
    assert len(got) == len(opts)
    for opt, res in zip(opts, got):
        ref = regret.run(opt, problem, T, seeds=[0, 3], record_iterates=True, record_state=True, comparator=False)
        assert res.optimizer is opt
        _assert_same(res, ref, records=("losses", "iterates", "vhat_history"))


def test_run_many_regret_and_comparator_equal_run():
    """With the comparator (Reddi et al.'s problem: closed form) and checkpoints given explicitly."""
    prob = regret.problem("reddi", C=3)
    opts = ["adam", regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")]
    got = regret.run_many(opts, prob, 500, seeds=2, checkpoints=[1, 10, 77, 500], record_losses=False)
    for opt, res in zip(opts, got):
        ref = regret.run(opt, prob, 500, seeds=2, checkpoints=[1, 10, 77, 500], record_losses=False)
        _assert_same(res, ref)
        assert res.losses is None and ref.losses is None
        assert np.array_equal(res.regret, ref.regret)
        assert res.comparator[0].method == ref.comparator[0].method


def test_run_many_on_a_user_instance_equals_run():
    rng = np.random.default_rng(5)
    inst = from_arrays("absolute", regret.ball(3, 2.0), rng.standard_normal((30, 3)), rng.standard_normal(30),
                       idx=rng.integers(0, 30, 150))
    opts = _configs(150)[:4]
    for opt, res in zip(opts, regret.run_many(opts, inst, 150, comparator=False, record_iterates=True)):
        _assert_same(res, regret.run(opt, inst, 150, comparator=False, record_iterates=True),
                     records=("losses", "iterates"))
    with pytest.raises(regret.InvalidInput, match="seeds"):
        regret.run_many(opts, inst, 150, seeds=2)


def test_thread_count_and_batch_composition_do_not_change_results():
    prob = regret.problem("hinge", d=3)
    opts = _configs(200)
    one = regret.run_many(opts, prob, 200, seeds=3, comparator=False, threads=1)
    two = regret.run_many(opts, prob, 200, seeds=3, comparator=False, threads=2)
    # the same configurations in reverse order, and one of them alone
    rev = regret.run_many(opts[::-1], prob, 200, seeds=3, comparator=False, threads=2)[::-1]
    alone = regret.run_many([opts[2]], prob, 200, seeds=3, comparator=False, threads=2)[0]
    for a, b, c in zip(one, two, rev):
        _assert_same(a, b, records=("losses",))
        _assert_same(a, c, records=("losses",))
    _assert_same(alone, one[2], records=("losses",))
    assert numba.get_num_threads() == numba.config.NUMBA_NUM_THREADS  # restored after the call


def test_stack_pads_rows_that_idx_never_reads():
    rng = np.random.default_rng(0)
    a = from_arrays("least_squares", regret.box(2), rng.standard_normal((3, 2)), rng.standard_normal(3),
                    idx=[0, 2, 1, 2])
    b = from_arrays("least_squares", regret.box(2), rng.standard_normal((5, 2)), rng.standard_normal(5),
                    idx=[4, 4, 0, 1])
    A3, b2, idx2 = feed.stack([a, b], 3)
    assert A3.shape == (2, 5, 2) and b2.shape == (2, 5) and idx2.tolist() == [[0, 2, 1], [4, 4, 0]]
    assert np.array_equal(A3[0, :3], a.A) and not A3[0, 3:].any() and np.array_equal(A3[1], b.A)
    # the stacked kernel on two data sets equals run_one on each
    opt = regret.optimizer("adam", alpha=0.2)
    cps = np.array([1, 3])
    R, K, d = 2, 2, 2
    outs = [np.zeros((R, K)), np.zeros((R, K, d)), np.zeros((R, K, d)), np.zeros((R, K)), np.zeros((R, K)),
            np.zeros((R, K)), np.zeros((R, K, d)), np.zeros((R, K, d)), np.zeros((R, d))]
    hps = np.stack([opt.hp_vector(BUILTIN_TABLE.n_hp)] * R)
    carry = Carry.start(np.zeros((R, d)), hps, S.N_ROWS)
    loop.run_batch(np.array([BUILTIN_TABLE.code_of(opt)] * R), hps, np.zeros((R, 1)), np.array([0, 1]),
                   a.family.code, a.family.params, A3, b2, idx2, 1, 3, a.domain.code, a.domain.P, 0.0, cps,
                   np.zeros((R, 3)), np.zeros((0, 0, d)), np.zeros((0, 0, d)), *outs, *carry.all())
    for j, inst in enumerate((a, b)):
        ref = regret.run(opt, inst, 3, checkpoints=cps, comparator=False)
        assert np.array_equal(outs[0][j], ref.learner_loss[0]) and np.array_equal(outs[8][j], ref.x_final[0])


def test_bad_input_names_the_field():
    prob = regret.problem("reddi")
    with pytest.raises(regret.InvalidInput, match="optimizers"):
        regret.run_many([], prob, 10)
    with pytest.raises(regret.InvalidInput, match="optimizer"):
        regret.run_many(["adam", 3], prob, 10)
    with pytest.raises(regret.InvalidInput, match="threads"):
        regret.run_many(["adam"], prob, 10, threads=0)
    with pytest.raises(regret.InvalidInput, match="T"):
        regret.run_many(["adam"], prob, 0)
    with pytest.raises(regret.InvalidInput, match="schedule"):
        regret.run_many([regret.optimizer("sgd", schedule=[0.1, 0.1])], prob, 10)


# ------------------------------------------------------------------------------------------------
# run_one vs the loop as it was before its performance changes
# ------------------------------------------------------------------------------------------------
def _second_moment(opt_code, St, bc2):
    """v̂_t from the state rows: Adam's v/(1 − β2^t) formed here (as v times the round's 1/(1 − β2^t),
    the engine's order); for the others the state row their ``second_moment`` returns (zeros for the
    methods without one)."""
    cls = BUILTIN_TABLE.algorithms[opt_code]
    if cls.name == "adam":
        return St[cls.state.index("v")] * (1.0 / bc2)
    if cls.second_moment is None:
        return np.zeros(St.shape[1])
    (name,) = inspect.signature(cls.second_moment.py_func).parameters
    return St[cls.state.index(name)]


def _loop_before(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, dom_code, P, r, x0, cps, want_records):
    """Plain-Python transcription of regret.engine.loop.run_one as committed in 1007e9d (before this
    change), calling the same compiled value_grad, steps.step and project_inplace. Adapted to the
    later step API (steps return max|Δ| and no longer write the projection weights nor Adam's v̂):
    the weights come from steps.weights, and Adam's v̂ = v/(1 − β2^t) is formed here."""
    T = idx.shape[0]
    d = x0.shape[0]
    K = cps.shape[0]
    x = x0.copy()
    g = np.zeros(d)
    w = np.ones(d)
    St = np.zeros((S.N_ROWS, d))
    sc = np.zeros(S.N_SC)
    sc[S.SC_LAM_POW] = 1.0
    if hp[S.HP_BIAS] == 0.0:
        sc[S.SC_BC1] = 1.0
        sc[S.SC_BC2] = 1.0
    weighted = bool(hp[S.HP_WEIGHTED] != 0.0)
    sched = int(hp[S.HP_SCHEDULE])
    alpha = float(hp[S.HP_ALPHA])
    out = {"cum_loss": np.zeros(K), "gsq": np.zeros((K, d)), "vhat_cp": np.zeros((K, d)), "gmax2": np.zeros(K),
           "gmaxinf": np.zeros(K), "ratio_max": np.zeros(K), "xmin": np.zeros((K, d)), "xmax": np.zeros((K, d)),
           "losses": np.zeros(T), "iterates": np.zeros((T + 1, d)), "vhat_hist": np.zeros((T, d))}
    out["iterates"][0, :] = x
    run_sum = run_comp = g2max = ginf = rmax = 0.0
    sq = np.zeros(d)
    lo = x.copy()
    hi = x.copy()
    k = 0
    for t in range(1, T + 1):
        row = idx[t - 1]
        f = float(value_grad(loss_code, lp, A, row, b, x, g))
        out["losses"][t - 1] = f
        s = run_sum + f
        if abs(run_sum) >= abs(f):
            run_comp += (run_sum - s) + f
        else:
            run_comp += (f - s) + run_sum
        run_sum = s
        n2 = 0.0
        for i in range(d):
            gi = float(g[i])
            sq[i] += gi * gi
            n2 += gi * gi
            if abs(gi) > ginf:
                ginf = abs(gi)
            if x[i] < lo[i]:
                lo[i] = x[i]
            elif x[i] > hi[i]:
                hi[i] = x[i]
        if n2 > g2max:
            g2max = n2
        if sched == S.SCHED_CONSTANT:
            alpha_t = alpha
        elif sched == S.SCHED_SQRT:
            alpha_t = alpha / math.sqrt(t)
        else:
            alpha_t = float(alpha_arr[t - 1])
        ratio = S.step(int(opt_code), hp, t, alpha_t, x, g, St, sc) / alpha_t
        if ratio > rmax:
            rmax = ratio
        S.weights(int(opt_code), hp, t, sc[S.SC_BC1], sc[S.SC_BC2], St, w, 0, d)
        project_inplace(dom_code, x, w, weighted, P, r)
        out["iterates"][t, :] = x
        vhat = _second_moment(int(opt_code), St, sc[S.SC_BC2])
        out["vhat_hist"][t - 1, :] = vhat
        if k < K and t == cps[k]:
            out["cum_loss"][k] = run_sum + run_comp
            out["gsq"][k, :] = sq
            out["vhat_cp"][k, :] = vhat
            out["gmax2"][k] = math.sqrt(g2max)
            out["gmaxinf"][k] = ginf
            out["ratio_max"][k] = rmax
            out["xmin"][k, :] = lo
            out["xmax"][k, :] = hi
            k += 1
    out["x_final"] = x
    return out


_DOMAINS = {"box": lambda d: regret.box(d, -0.5, 0.7), "ball": lambda d: regret.ball(d, 0.8),
            "simplex": lambda d: regret.simplex(d), "unbounded": lambda d: regret.unbounded(d)}


@pytest.mark.parametrize("dom", sorted(_DOMAINS))
def test_run_one_equals_the_loop_before_its_performance_changes(dom):
    rng = np.random.default_rng(11)
    d, T = 3, 80
    cps = np.array([1, 2, 17, 40, 80])
    for fam in ("linear", "least_squares", "logistic", "huber"):
        if fam == "linear" and dom == "unbounded":
            continue
        A = rng.standard_normal((20, d))
        b = np.where(rng.random(20) < 0.5, -1.0, 1.0)
        inst = from_arrays(regret.family(fam, l2=0.01 if fam == "logistic" else 0.0), _DOMAINS[dom](d), A, b,
                           idx=rng.integers(0, 20, T))
        x0 = inst.start()
        for opt in _configs(T)[:7]:
            hp, alpha_arr = opt.hp_vector(BUILTIN_TABLE.n_hp), opt.schedule_array(T)
            ref = _loop_before(BUILTIN_TABLE.code_of(opt), hp, alpha_arr, inst.family.code, inst.family.params, inst.A, inst.b,
                               inst.idx, inst.domain.code, inst.domain.P, float(inst.domain.r), x0, cps, True)
            res = regret.run(opt, inst, T, checkpoints=cps, record_iterates=True, record_state=True,
                             comparator=False)
            got = {"cum_loss": res.learner_loss[0], "gsq": res.grad_sq[0], "vhat_cp": res.vhat[0],
                   "gmax2": res.G[0], "gmaxinf": res.G_inf[0], "ratio_max": res.step_ratio[0],
                   "xmin": res.x_min[0], "xmax": res.x_max[0], "losses": res.losses[0],
                   "iterates": res.iterates[0], "vhat_hist": res.vhat_history[0], "x_final": res.x_final[0]}
            for key, val in got.items():
                assert np.array_equal(val, ref[key]), f"{fam} on {dom}, {opt.label()}: {key} differs"


# ------------------------------------------------------------------------------------------------
# the disk cache of the engine's kernels follows the sources whose compiled code they carry
# ------------------------------------------------------------------------------------------------
def test_engine_kernels_are_keyed_on_the_sources_they_embed(tmp_path):
    """numba keys a cached function on its own file only, yet run_one's cache holds the compiled
    steps/losses/domains code: after an edit of steps.py alone it kept running the old update
    (reproduced by hand). Its locator's stamp covers every kernel source."""
    import os

    from regret import domains, losses

    from regret.engine import accounting, borrow, kernel_cache, loop_1d, loop_wide

    from regret.comparator import passes
    from regret.engine import lanes

    # (and the kernels outside the engine's loop modules that embed them: the lanes, the comparator's
    # passes over rows, which build in losses.score_loss and accounting.compensated_add)
    for fn in (loop.run_one, loop._rounds, loop.run_batch, loop_1d.run_1d, loop_1d.rounds_1d, loop_wide.run_wide,
               loop_wide.run_wide_many, loop_wide._rounds_wide, lanes.run_lanes_linear_box_sqrt, lanes._group_sqrt,
               passes.value_grad_hess, passes.running_sums):
        locator = fn._cache._impl.locator
        assert isinstance(locator, kernel_cache._KeyedOnKernelSources)
        assert locator.get_source_stamp() == kernel_cache.source_stamp(fn.py_func.__code__.co_filename)
    # every module whose compiled code (or code generator, as borrow's intrinsic) a kernel embeds
    for mod in (S, losses, domains, loop, loop_1d, loop_wide, accounting, borrow):
        assert os.path.abspath(mod.__file__) in kernel_cache.KERNEL_SOURCES
    # numba's own locators for the other modules
    assert not isinstance(value_grad._cache._impl.locator, kernel_cache._KeyedOnKernelSources)
    own, dep = tmp_path / "own.py", tmp_path / "dep.py"
    own.write_text("x = 1\n")
    dep.write_text("y = 1\n")
    before = kernel_cache.source_stamp(own, [dep])
    dep.write_text("y = 22\n")  # a dependency's content changes: the stamp changes
    assert kernel_cache.source_stamp(own, [dep]) != before


def test_a_list_of_instances_runs_one_per_seed():
    """run_many over [inst_a, inst_b] (falsify's generations): seed j is the run of instance j, bit for
    bit, and RunResult.seed(j) is that run alone."""
    rng = np.random.default_rng(3)
    a = from_arrays("linear", regret.box(1, -1.0, 1.0), rng.standard_normal((3, 1)), idx=np.arange(40) % 3)
    b = from_arrays("linear", regret.box(1, -1.0, 1.0), rng.standard_normal((40, 1)), x0=[0.5])
    opt = regret.optimizer("adam", alpha=0.3)
    both = regret.run_many([opt], [a, b], 40, record_iterates=True)[0]
    assert both.seeds == [0, 1]
    for j, inst in enumerate((a, b)):
        alone = regret.run(opt, inst, 40, record_iterates=True)
        one = both.seed(j)
        for f in ("learner_loss", "iterates", "vhat", "G", "x_final", "x_start", "regret"):
            assert np.array_equal(getattr(one, f), getattr(alone, f)), f
        assert one.instances == [inst] and one.seeds == [j]
    other = from_arrays("least_squares", regret.box(1, -1.0, 1.0), rng.standard_normal((40, 1)), rng.standard_normal(40))
    with pytest.raises(regret.InvalidInput, match="one family and domain"):
        regret.run_many([opt], [a, other], 40)


@pytest.mark.parametrize("schedule", ["constant", "sqrt"])
def test_the_specialised_batch_equals_the_general_batch_and_single_runs(schedule):
    """run_many of one-dimensional linear runs that share a constant or α/√t step goes through the
    lanes (regret/engine/lanes.py: a SIMD lane per run; tests/test_lanes.py has the rest); it must give
    what the general run_batch and each run made alone give, bit for bit, with and without per-round
    losses."""
    from regret.domains import BOX
    from regret.engine import lanes
    from regret.engine.kernel_set import BUILTIN
    from regret.losses import LINEAR
    from regret.optimizers.layout import SCHED_CONSTANT, SCHED_SQRT

    code = SCHED_SQRT if schedule == "sqrt" else SCHED_CONSTANT
    special = BUILTIN.lanes_for(1, LINEAR, BOX, {code}, per_round_state=False)
    assert special is (lanes.run_lanes_linear_box_sqrt if schedule == "sqrt" else lanes.run_lanes_linear_box_constant)
    assert BUILTIN.lanes_for(1, LINEAR, BOX, {SCHED_SQRT, SCHED_CONSTANT}, per_round_state=False) is None
    assert BUILTIN.lanes_for(1, LINEAR, BOX, {code}, per_round_state=True) is None
    assert BUILTIN.batch_for(1, LINEAR) is loop.run_batch
    opts = [regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule=schedule),
            regret.optimizer("amsgrad", alpha=0.3, beta1=0.5, beta2=0.9, schedule=schedule),
            regret.optimizer("sgd", alpha=0.2, schedule=schedule)]
    for prob in (regret.problem("reddi", C=3), regret.problem("rademacher", d=1)):
        for losses in (False, True):
            many = regret.run_many(opts, prob, T=700, seeds=2, record_losses=losses)
            for opt, a in zip(opts, many):
                alone = regret.run(opt, prob, T=700, seeds=2, record_losses=losses)
                _assert_same(a, alone, ("losses",) if losses else ())
                general = regret.run(opt, prob, T=700, seeds=2, record_losses=losses, record_iterates=True)
                _assert_same(a, general)  # the general 1-d rounds (iterates recorded) agree too
