"""Many one-dimensional runs at once, one SIMD lane per run (regret/engine/lanes.py): each run of a
batch must be bit for bit the run made alone (regret.run through the one-dimensional loop), whatever
the algorithm, its modes, the schedule, bias correction, a ridge term, per-round losses, a group only
partly filled, runs of different algorithms and modes in one batch, a data set per lane, and calls
cut into chunks of rounds."""
import numpy as np
import pytest

import regret
from regret.domains import BOX
from regret.engine import carry, lanes
from regret.engine.kernel_set import BUILTIN, kernels_for
from regret.losses import LINEAR, family
from regret.optimizers.layout import SCHED_CONSTANT, SCHED_SQRT
from regret.problems import from_arrays
from user_optimizers import UserAdam

FIELDS = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final",
          "x_average", "x_start", "checkpoints")


def _same(a, b, records=()):
    for k in FIELDS + tuple(records):
        assert np.array_equal(getattr(a, k), getattr(b, k)), f"{a.optimizer.label()}: {k} differs"


def _every_builtin(schedule):
    """Every built-in algorithm, with its modes and bias correction varied where it has them."""
    return [regret.optimizer("sgd", alpha=0.3, schedule=schedule),
            regret.optimizer("momentum", alpha=0.1, schedule=schedule),
            regret.optimizer("nesterov", alpha=0.1, schedule=schedule),
            regret.optimizer("adagrad", alpha=0.5, schedule=schedule),
            regret.optimizer("adagrad", alpha=0.5, eps_mode="inside", schedule=schedule),
            regret.optimizer("rmsprop", alpha=0.05, schedule=schedule),
            regret.optimizer("rmsprop_momentum", alpha=0.05, schedule=schedule),
            regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule=schedule),
            regret.optimizer("adam", alpha=0.3, beta1=0.8, beta2=0.95, lam=0.9, schedule=schedule),
            regret.optimizer("adam", alpha=0.4, eps_mode="hat", eps=1e-3, schedule=schedule),
            regret.optimizer("adam", alpha=0.4, eps_mode="inside", schedule=schedule),
            regret.optimizer("adam", alpha=0.5, beta2=0.99, bias_correction=False, schedule=schedule),
            regret.optimizer("adamax", alpha=0.2, schedule=schedule),
            regret.optimizer("amsgrad", alpha=0.3, beta1=0.9, beta2=0.99, eps=1e-6, schedule=schedule),
            regret.optimizer("adamx", alpha=0.3, lam=0.7, schedule=schedule)]


@pytest.mark.parametrize("schedule", ["constant", "sqrt"])
def test_the_lanes_are_the_loop_chosen_for_linear_runs_on_an_interval(schedule):
    code = SCHED_SQRT if schedule == "sqrt" else SCHED_CONSTANT
    got = BUILTIN.lanes_for(1, LINEAR, BOX, {code}, per_round_state=False)
    assert got is (lanes.run_lanes_linear_box_sqrt if schedule == "sqrt" else lanes.run_lanes_linear_box_constant)
    assert BUILTIN.lanes_for(1, LINEAR, BOX, {SCHED_SQRT, SCHED_CONSTANT}, per_round_state=False) is None
    assert BUILTIN.lanes_for(1, LINEAR, BOX, {code}, per_round_state=True) is None
    assert BUILTIN.lanes_for(2, LINEAR, BOX, {code}, per_round_state=False) is None


@pytest.mark.parametrize("schedule", ["constant", "sqrt"])
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_every_algorithm_in_a_lane_equals_its_run_alone(schedule, l2):
    """Fifteen configurations × three seeds = 45 runs: groups of one algorithm and mode each, most of
    them partly filled; with per-round losses too."""
    opts = _every_builtin(schedule)
    rng = np.random.default_rng(2)
    prob = regret.problem("reddi", C=3) if l2 == 0.0 else [
        from_arrays(family("linear", l2=l2), regret.box(1, -1.0, 1.0), rng.standard_normal((5, 1)), idx=np.arange(900) % 5)
        for _ in range(3)]
    seeds = 3 if l2 == 0.0 else None
    for losses in (False, True):
        many = regret.run_many(opts, prob, T=900, seeds=seeds, record_losses=losses, comparator=False)
        for opt, a in zip(opts, many):
            alone = regret.run(opt, prob, T=900, seeds=seeds, record_losses=losses, comparator=False)
            _same(a, alone, ("losses",) if losses else ())


def test_full_groups_of_one_algorithm_with_bias_corrections_that_round_to_1_at_different_rounds():
    """40 Adam runs (two full groups and a partial one), β2 from 0.1 to 0.999: the corrections reach 1
    between round ~20 and ~36 000, so the group runs with them as numbers, then as the literal 1."""
    opts = [regret.optimizer("adam", alpha=0.5, beta1=b1, beta2=b2, schedule="sqrt")
            for b1 in (0.0, 0.9) for b2 in np.linspace(0.1, 0.999, 20)]
    T = 40_000
    many = regret.run_many(opts, regret.problem("reddi", C=3), T=T, record_losses=False, comparator=False)
    for opt, a in zip(opts[::7], many[::7]):
        _same(a, regret.run(opt, regret.problem("reddi", C=3), T=T, record_losses=False, comparator=False))


def test_a_data_set_per_lane_and_calls_cut_into_chunks(monkeypatch):
    """falsify's batches: one algorithm on many instances (a lane each, its own data), and a run cut
    into many compiled calls (the carry between them) — each equal to the instance's run alone."""
    rng = np.random.default_rng(5)
    insts = [from_arrays("linear", regret.box(1, -1.0, 1.0), rng.standard_normal((4, 1)) * (1 + k),
                         idx=np.arange(600) % 4) for k in range(21)]
    opt = regret.optimizer("amsgrad", alpha=0.3, beta1=0.9, beta2=0.99, schedule="sqrt")
    monkeypatch.setattr(carry, "WORK_PER_CALL", 97)  # calls of ~97 rounds
    both = regret.run_many([opt], insts, 600, record_losses=False, comparator=False)[0]
    monkeypatch.undo()
    for j in (0, 7, 20):
        alone = regret.run(opt, insts[j], 600, record_losses=False, comparator=False)
        one = both.seed(j)
        for f in ("learner_loss", "vhat", "G", "step_ratio", "x_final", "x_average", "x_min", "x_max"):
            assert np.array_equal(getattr(one, f), getattr(alone, f)), f


def test_a_users_algorithm_runs_in_the_lanes_of_its_own_table():
    """An algorithm outside the built-in table (tests/user_optimizers.py: Adam written as a user
    writes it, with state and a power in its update) gets lanes of its own table, with its update
    inlined, and gives its runs alone. (One user table: each compiles its own lanes, ~20 s cold.)"""
    for cls, kw in ((UserAdam, {"beta1": 0.5}),):
        kernels, _ = kernels_for(cls(schedule="sqrt", **kw))
        assert kernels is not BUILTIN
        assert kernels.lanes_for(1, LINEAR, BOX, {SCHED_SQRT}, per_round_state=False) is kernels.run_lanes_linear_box_sqrt
        opts = [cls(alpha=a, schedule="sqrt", **kw) for a in (0.05, 0.1, 0.2, 0.4) * 5]
        many = regret.run_many(opts, regret.problem("reddi", C=3), 500, record_losses=False, comparator=False)
        for o, a in zip(opts[:3] + opts[-1:], many[:3] + many[-1:]):
            _same(a, regret.run(o, regret.problem("reddi", C=3), 500, record_losses=False, comparator=False))


def test_groups_hold_one_key_each_padded_with_their_first_run():
    keys = [(1, (0.0,))] * 18 + [(2, ())] * 3 + [(1, (1.0,))]
    g = lanes.groups_of(keys)
    assert g.shape == (4, lanes.LANES + 1)
    assert list(g[:, -1]) == [16, 2, 3, 1]
    assert list(g[0, :16]) == list(range(16))
    assert list(g[1, :3]) == [16, 17, 16] and set(g[1, 2:16]) == {16}
    assert list(g[2, :3]) == [18, 19, 20] and list(g[3, :2]) == [21, 21]
