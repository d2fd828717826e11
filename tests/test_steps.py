"""The compiled steps' own contract: the max |Δ| they return (an integer max over bit patterns) and the
quantities derived from their state (projection weights, Adam's v̂) — each against numpy."""
import math

import numpy as np
import pytest

import regret
from regret.optimizers import steps as S


def test_max_abs_update_is_the_numpy_max_of_abs_delta():
    rng = np.random.default_rng(3)
    for d in (1, 3, 17, 1000):
        g = rng.standard_normal(d) * 10.0 ** rng.integers(-300, 300, d)
        x = np.zeros(d)
        got = S.sgd_step(x, g, 0.5)
        assert got == np.max(np.abs(-0.5 * g))
        assert np.array_equal(x, -0.5 * g)


def test_max_abs_update_edge_values():
    tiny = 5e-324  # the smallest subnormal: its bits are 1, above +0 (bits 0)
    assert S.sgd_step(np.zeros(3), np.array([0.0, -tiny / 1.0, 0.0]), 1.0) == tiny
    assert S.sgd_step(np.zeros(2), np.array([-np.inf, 1.0]), 1.0) == np.inf
    assert S.sgd_step(np.zeros(2), np.array([0.0, -0.0]), 1.0) == 0.0
    # a NaN update is skipped, as a float max with ">" skips it: the max of the others
    assert S.sgd_step(np.zeros(3), np.array([1.0, np.nan, 2.0]), 1.0) == 2.0
    assert S.sgd_step(np.zeros(2), np.array([np.nan, np.nan]), 1.0) == 0.0


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
    hp = opt.hp_vector()
    St = np.zeros((S.N_ROWS, d))
    sc = np.zeros(S.N_SC)
    sc[S.SC_LAM_POW] = 1.0
    if hp[S.HP_BIAS] == 0.0:
        sc[S.SC_BC1] = sc[S.SC_BC2] = 1.0
    x = np.zeros(d)
    for t in range(1, T + 1):
        S.step(opt.code, hp, t, float(hp[S.HP_ALPHA]), x, rng.standard_normal(d), St, sc)
    return St, sc, hp


# the denominator of each step as its source writes it, in numpy (IEEE sqrt and division are
# correctly rounded, so the same expression in the same order gives the same bits); bc2 = 1 − β2^t
# is the engine's own (sc), so that pow's last bit is not at stake
@pytest.mark.parametrize("spec,expected", [
    (dict(name="adam", eps=1e-3), lambda St, bc2: np.sqrt(St[S.V] / bc2) + 1e-3),
    (dict(name="adam", eps=1e-3, eps_mode="inside"), lambda St, bc2: np.sqrt(St[S.V] / bc2 + 1e-3)),
    (dict(name="adam", eps=1e-3, eps_mode="hat"), lambda St, bc2: np.sqrt(St[S.V]) + 1e-3),
    (dict(name="amsgrad", eps=1e-3), lambda St, bc2: np.sqrt(St[S.VHAT]) + 1e-3),
    (dict(name="amsgrad", eps=1e-3, bias_correction=True),
     lambda St, bc2: np.sqrt(St[S.VHAT]) / np.sqrt(bc2) + 1e-3),  # torch's √v̂/√(1−β2^t) + ε
    (dict(name="adamx", eps=1e-3), lambda St, bc2: np.sqrt(St[S.VHAT]) + 1e-3),
    (dict(name="adagrad", eps=1e-3), lambda St, bc2: np.sqrt(St[S.VHAT]) + 1e-3),
    (dict(name="rmsprop", eps=1e-3, eps_mode="inside"), lambda St, bc2: np.sqrt(St[S.VHAT] + 1e-3)),
    (dict(name="rmsprop_momentum", eps=1e-3), lambda St, bc2: np.sqrt(St[S.VHAT]) + 1e-3),
    (dict(name="adamax"), lambda St, bc2: St[S.VHAT]),
    (dict(name="sgd"), lambda St, bc2: np.ones(St.shape[1])),
])
def test_projection_weights_are_the_steps_denominator_bit_for_bit(spec, expected):
    spec = dict(spec)
    opt = regret.optimizer(spec.pop("name"), **spec)
    St, sc, hp = _state_after(opt, 7, d=64)
    w = np.full(St.shape[1], np.nan)
    S.projection_weights(opt.code, hp, sc[S.SC_BC2], St[S.V], St[S.VHAT], w)
    assert np.array_equal(w, expected(St, sc[S.SC_BC2]))


def test_second_moment_is_adams_bias_corrected_v_and_the_state_row_otherwise():
    T = 9
    adam = regret.optimizer("adam")
    St, sc, hp = _state_after(adam, T)
    out = np.zeros(St.shape[1])
    S.second_moment(adam.code, sc[S.SC_BC2], St[S.V], St[S.VHAT], out)
    np.testing.assert_allclose(out, St[S.V] / (1 - adam.beta2 ** T), rtol=1e-12)  # pow, see above
    ams = regret.optimizer("amsgrad")
    St, sc, hp = _state_after(ams, T)
    S.second_moment(ams.code, sc[S.SC_BC2], St[S.V], St[S.VHAT], out)
    assert np.array_equal(out, St[S.VHAT])
