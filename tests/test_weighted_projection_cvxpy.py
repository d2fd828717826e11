"""Domain.project(y, w) — the diagonally weighted projection argmin_{x∈X} Σ_i w_i (x_i − y_i)²
(Reddi, Kale & Kumar's Π_{F,√V̂}) — against cvxpy (Clarabel, tight tolerances) on random inputs.

Where some weights are zero the minimiser is not unique (those coordinates cost nothing), so the
objective values are compared, plus feasibility; with all weights positive the minimisers as well.
"""
import warnings

import numpy as np
import pytest

from regret import domains

cp = pytest.importorskip("cvxpy")

CLARABEL = dict(solver="CLARABEL", tol_gap_abs=1e-9, tol_gap_rel=1e-9, tol_feas=1e-9)


def _domain(kind, d, rng):
    if kind == "box":
        lo = rng.uniform(-2.0, 0.0, d)
        return domains.box(d, lo, lo + rng.uniform(0.0, 2.0, d))
    if kind == "ball":
        return domains.ball(d, float(rng.uniform(0.2, 2.0)), center=rng.normal(0, 0.5, d))
    return domains.simplex(d, float(rng.uniform(0.5, 3.0)))


def _reference(dom, y, w):
    x = cp.Variable(dom.d)
    scale = float(w.max()) if w.max() > 0 else 1.0  # weights normalised: an objective of order one
    obj = cp.sum_squares(cp.multiply(np.sqrt(w / scale), x - y))
    prob = cp.Problem(cp.Minimize(obj), dom.cvxpy_constraints(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "optimal_inaccurate" is retried below, never used
        prob.solve(**CLARABEL)
        if prob.status != cp.OPTIMAL:  # Clarabel reaches ~1e-9 on these cones, not always exactly
            prob.solve(**dict(CLARABEL, tol_gap_abs=1e-8, tol_gap_rel=1e-8, tol_feas=1e-8))
    assert prob.status == cp.OPTIMAL
    return np.asarray(x.value), float(prob.value) * scale


def _weights(rng, d, zeros):
    w = rng.uniform(0.05, 3.0, d) * 10.0 ** rng.uniform(-1.5, 1.5, d)
    if zeros:
        k = int(rng.integers(1, d)) if d > 1 else 1
        w[rng.choice(d, size=k, replace=False)] = 0.0
    return w


@pytest.mark.parametrize("kind", ["box", "ball", "simplex"])
@pytest.mark.parametrize("zeros", [False, True], ids=["positive", "some-zero"])
def test_weighted_projection_matches_cvxpy(kind, zeros):
    rng = np.random.default_rng(["box", "ball", "simplex"].index(kind) + 10 * zeros)
    for trial in range(25):
        d = int(rng.integers(1, 9))
        dom = _domain(kind, d, rng)
        # points inside and far outside the set
        y = rng.normal(0.0, [0.3, 1.0, 4.0][trial % 3], d)
        w = _weights(rng, d, zeros)
        x = dom.project(y, w)
        assert dom.contains(x, tol=1e-10), (kind, d, x)
        obj = float(np.sum(w * (x - y) ** 2))
        x_ref, obj_ref = _reference(dom, y, w)
        assert abs(obj - obj_ref) <= 1e-7 * max(1.0, obj_ref), (kind, d, y, w, obj, obj_ref)
        if not zeros:
            # unique minimiser: strong convexity with modulus 2·min w gives
            # ‖x − x*‖² ≤ (obj − obj*)/min w, so compare within what the objective tolerance allows
            tol = np.sqrt(2e-7 * max(1.0, obj_ref) / w.min()) + 1e-7
            assert np.linalg.norm(x - x_ref) <= tol, (kind, d, x, x_ref)


@pytest.mark.parametrize("kind", ["box", "ball", "simplex"])
def test_uniform_weights_give_the_euclidean_projection(kind):
    rng = np.random.default_rng(3)
    for _ in range(10):
        d = int(rng.integers(1, 7))
        dom = _domain(kind, d, rng)
        y = rng.normal(0.0, 2.0, d)
        x_e = dom.project(y)
        np.testing.assert_allclose(dom.project(y, np.full(d, 2.5)), x_e, rtol=1e-12, atol=1e-12)
        x_ref, _ = _reference(dom, y, np.ones(d))
        assert np.linalg.norm(x_e - x_ref) <= 1e-7 * max(1.0, np.linalg.norm(y))


def test_zero_weights_leave_the_free_coordinates_free():
    """Hand-derived case (simplex, total 1, w = (1, 0), y = (0.3, 5)): the weighted objective
    (x₁ − 0.3)² is 0 at x = (0.3, 0.7), which is feasible, so the minimum is 0."""
    dom = domains.simplex(2, 1.0)
    x = dom.project(np.array([0.3, 5.0]), np.array([1.0, 0.0]))
    assert dom.contains(x, tol=1e-12)
    assert abs(x[0] - 0.3) <= 1e-12
