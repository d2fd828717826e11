"""The compiled steps' own contract: the max |Δ| they return (an integer max over bit patterns) and the
quantities derived from their state (projection weights, Adam's v̂) — each against numpy."""
import math

import numpy as np
import pytest

import regret
from regret.optimizers import steps as S
from regret.optimizers.registry import BUILTIN_TABLE


def _sgd_step(x, g, alpha):
    """One SGD update of every coordinate through the built-in table's compiled dispatch."""
    sgd = regret.optimizer("sgd")
    return S.apply(BUILTIN_TABLE.code_of(sgd), sgd.hp_vector(BUILTIN_TABLE.n_hp), 1, alpha, 0.0, 0.0, 1.0, 1.0, x, g, np.zeros((S.N_ROWS, x.shape[0])))


def test_max_abs_update_is_the_numpy_max_of_abs_delta():
    rng = np.random.default_rng(3)
    for d in (1, 3, 17, 1000):
        g = rng.standard_normal(d) * 10.0 ** rng.integers(-300, 300, d)
        x = np.zeros(d)
        got = _sgd_step(x, g, 0.5)
        assert got == np.max(np.abs(-0.5 * g))
        assert np.array_equal(x, -0.5 * g)


def test_max_abs_update_edge_values():
    tiny = 5e-324  # the smallest subnormal: its bits are 1, above +0 (bits 0)
    assert _sgd_step(np.zeros(3), np.array([0.0, -tiny / 1.0, 0.0]), 1.0) == tiny
    assert _sgd_step(np.zeros(2), np.array([-np.inf, 1.0]), 1.0) == np.inf
    assert _sgd_step(np.zeros(2), np.array([0.0, -0.0]), 1.0) == 0.0
    # a NaN update is skipped, as a float max with ">" skips it: the max of the others
    assert _sgd_step(np.zeros(3), np.array([1.0, np.nan, 2.0]), 1.0) == 2.0
    assert _sgd_step(np.zeros(2), np.array([np.nan, np.nan]), 1.0) == 0.0


@pytest.mark.parametrize("d", [1, 2, 3, 65536 + 5])
def test_a_nan_update_leaves_the_effective_step_of_the_other_coordinates(d):
    """Engine level, in the 1-D, array and wide loops: coordinate 0's gradient overflows to −inf, so
    AdaGrad's update there is −α·(−inf)/inf = NaN; the recorded effective step is that of the finite
    coordinates (as in the engine before the integer max), and x_2 has the NaN where it belongs."""
    A = np.zeros((1, d))
    A[0, 0] = 1e10
    if d > 1:
        A[0, 1:] = np.linspace(1e-300, 3e-300, d - 1)
    inst = regret.from_arrays("least_squares", regret.unbounded(d), A, np.array([1e300]), idx=[0])
    opt = regret.optimizer("adagrad", alpha=0.1)
    res = regret.run(opt, inst, 1, comparator=False, record_iterates=True)
    g = -1e300 * A[0, 1:]  # the finite gradients (residual −1e300 times a_i)
    want = float(np.max(0.1 * np.abs(g) / (np.sqrt(g * g) + opt.eps)) / 0.1) if d > 1 else 0.0
    assert res.step_ratio[0, -1] == want
    assert math.isnan(res.iterates[0][1][0])
    assert np.all(np.isfinite(res.iterates[0][1][1:]))


def _state_after(opt, T, d=4, seed=0):
    """Run T updates of ``opt`` on random gradients through steps.step; return (St, sc, hp)."""
    rng = np.random.default_rng(seed)
    hp = opt.hp_vector(BUILTIN_TABLE.n_hp)
    St = np.zeros((S.N_ROWS, d))
    sc = np.zeros(S.N_SC)
    sc[S.SC_LAM_POW] = 1.0
    if hp[S.HP_BIAS] == 0.0:
        sc[S.SC_BC1] = sc[S.SC_BC2] = 1.0
    x = np.zeros(d)
    for t in range(1, T + 1):
        S.step(BUILTIN_TABLE.code_of(opt), hp, t, float(hp[S.HP_ALPHA]), x, rng.standard_normal(d), St, sc)
    return St, sc, hp


# the denominator of each step as its source writes it, in numpy (IEEE sqrt and division are
# correctly rounded, so the same expression in the same order gives the same bits); bc2 = 1 − β2^t
# is the engine's own (sc), so that pow's last bit is not at stake. ``s(name)`` is the algorithm's
# state row of that name. Adam's v̂ is v times the round's 1/(1 − β2^t) (common.corrected).
@pytest.mark.parametrize("spec,expected", [
    (dict(name="adam", eps=1e-3), lambda s, bc2: np.sqrt(s("v") * (1.0 / bc2)) + 1e-3),
    (dict(name="adam", eps=1e-3, eps_mode="inside"), lambda s, bc2: np.sqrt(s("v") * (1.0 / bc2) + 1e-3)),
    (dict(name="adam", eps=1e-3, eps_mode="hat"), lambda s, bc2: np.sqrt(s("v")) + 1e-3),
    (dict(name="amsgrad", eps=1e-3), lambda s, bc2: np.sqrt(s("vhat")) + 1e-3),
    (dict(name="amsgrad", eps=1e-3, bias_correction=True),
     lambda s, bc2: np.sqrt(s("vhat")) / np.sqrt(bc2) + 1e-3),  # torch's √v̂/√(1−β2^t) + ε
    (dict(name="adamx", eps=1e-3), lambda s, bc2: np.sqrt(s("vhat")) + 1e-3),
    (dict(name="adagrad", eps=1e-3), lambda s, bc2: np.sqrt(s("G")) + 1e-3),
    (dict(name="rmsprop", eps=1e-3, eps_mode="inside"), lambda s, bc2: np.sqrt(s("G") + 1e-3)),
    (dict(name="rmsprop_momentum", eps=1e-3), lambda s, bc2: np.sqrt(s("G")) + 1e-3),
    (dict(name="adamax"), lambda s, bc2: s("u")),
    (dict(name="sgd"), lambda s, bc2: np.ones(64)),
])
def test_projection_weights_are_the_steps_denominator_bit_for_bit(spec, expected):
    spec = dict(spec)
    opt = regret.optimizer(spec.pop("name"), **spec)
    St, sc, hp = _state_after(opt, 7, d=64)
    w = np.full(St.shape[1], np.nan)
    S.weights(BUILTIN_TABLE.code_of(opt), hp, 7, sc[S.SC_BC1], sc[S.SC_BC2], St, w, 0, 64)
    assert np.array_equal(w, expected(lambda name: St[opt.state.index(name)], sc[S.SC_BC2]))


def test_second_moment_is_adams_bias_corrected_v_and_the_state_row_otherwise():
    T = 9
    adam = regret.optimizer("adam")
    St, sc, hp = _state_after(adam, T)
    out = np.zeros(St.shape[1])
    S.second_moments(BUILTIN_TABLE.code_of(adam), hp, T, sc[S.SC_BC1], sc[S.SC_BC2], St, out, 0, St.shape[1])
    v = St[adam.state.index("v")]
    np.testing.assert_allclose(out, v / (1 - adam.beta2 ** T), rtol=1e-12)  # pow, see above
    ams = regret.optimizer("amsgrad")
    St, sc, hp = _state_after(ams, T)
    S.second_moments(BUILTIN_TABLE.code_of(ams), hp, T, sc[S.SC_BC1], sc[S.SC_BC2], St, out, 0, St.shape[1])
    assert np.array_equal(out, St[ams.state.index("vhat")])
