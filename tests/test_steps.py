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
    # a NaN update is reported, not dropped (a float max with ">" would skip it)
    assert math.isnan(S.sgd_step(np.zeros(3), np.array([1.0, np.nan, 2.0]), 1.0))


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


@pytest.mark.parametrize("spec,expected", [
    (dict(name="adam", eps=1e-3), lambda St, sc, T, b2: np.sqrt(St[S.V] / (1 - b2 ** T)) + 1e-3),
    (dict(name="adam", eps=1e-3, eps_mode="inside"), lambda St, sc, T, b2: np.sqrt(St[S.V] / (1 - b2 ** T) + 1e-3)),
    (dict(name="adam", eps=1e-3, eps_mode="hat"), lambda St, sc, T, b2: np.sqrt(St[S.V]) + 1e-3),
    (dict(name="amsgrad", eps=1e-3), lambda St, sc, T, b2: np.sqrt(St[S.VHAT]) + 1e-3),
    (dict(name="amsgrad", eps=1e-3, bias_correction=True),
     lambda St, sc, T, b2: np.sqrt(St[S.VHAT]) / np.sqrt(1 - b2 ** T) + 1e-3),
    (dict(name="adagrad", eps=1e-3), lambda St, sc, T, b2: np.sqrt(St[S.VHAT]) + 1e-3),
    (dict(name="rmsprop", eps=1e-3, eps_mode="inside"), lambda St, sc, T, b2: np.sqrt(St[S.VHAT] + 1e-3)),
    (dict(name="adamax"), lambda St, sc, T, b2: St[S.VHAT]),
    (dict(name="sgd"), lambda St, sc, T, b2: np.ones(St.shape[1])),
])
def test_projection_weights_are_the_steps_denominator(spec, expected):
    spec = dict(spec)
    opt = regret.optimizer(spec.pop("name"), **spec)
    T = 7
    St, sc, hp = _state_after(opt, T)
    w = np.full(St.shape[1], np.nan)
    S.projection_weights(opt.code, hp, St, sc, w)
    want = expected(St, sc, T, float(hp[S.HP_BETA2]))
    # 1 − β2^T cancels (≈ 0.007 here): a one-ulp difference between numba's and Python's pow becomes
    # ~1e-14 relative, so compare to 1e-12
    np.testing.assert_allclose(w, want, rtol=1e-12, atol=0)


def test_second_moment_is_adams_bias_corrected_v_and_the_state_row_otherwise():
    T = 9
    adam = regret.optimizer("adam")
    St, sc, hp = _state_after(adam, T)
    out = np.zeros(St.shape[1])
    S.second_moment(adam.code, St, sc, out)
    np.testing.assert_allclose(out, St[S.V] / (1 - adam.beta2 ** T), rtol=1e-12)  # pow, see above
    ams = regret.optimizer("amsgrad")
    St, sc, hp = _state_after(ams, T)
    S.second_moment(ams.code, St, sc, out)
    assert np.array_equal(out, St[S.VHAT])
