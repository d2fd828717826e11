"""Property tests of regret.domains: projections (Euclidean and diagonally weighted) on box, ball and
simplex; diameters; the linear minimization oracle; parameter validation.

A point p is the W-weighted projection of y onto a closed convex X iff p ∈ X and the variational
inequality ⟨W(y − p), x − p⟩ ≤ 0 holds for every x ∈ X (first-order optimality of the convex
problem min_{x∈X} ½‖x − y‖²_W). Every projection is also non-expansive in its own (semi)norm and
idempotent. These characterisations are tested on random data; nothing is compared with the
implementation's own formulas.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regret import domains
from regret.errors import InvalidInput

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = ("box", "ball", "simplex")


def make_domain(kind, d, rng):
    if kind == "box":
        lo = rng.uniform(-2.0, 1.0, size=d)
        return domains.box(d, lo, lo + rng.uniform(0.0, 3.0, size=d) * (rng.random(d) > 0.1))
    if kind == "ball":
        return domains.ball(d, float(rng.uniform(0.1, 3.0)), center=rng.uniform(-1, 1, size=d))
    return domains.simplex(d, float(rng.uniform(0.1, 3.0)))


def feasible_samples(dom, rng, n=30):
    """Random points of X (interior and boundary), built from the definition of the set."""
    d = dom.d
    if dom.kind == "box":
        lo, hi = dom.P
        u = rng.random((n, d))
        u[: n // 3] = np.round(u[: n // 3])  # vertices
        return lo + u * (hi - lo)
    if dom.kind == "ball":
        v = rng.standard_normal((n, d))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        rad = dom.r * rng.random(n) ** (1.0 / d)
        rad[: n // 3] = dom.r  # boundary points
        return dom.P[0] + v * rad[:, None]
    pts = rng.dirichlet(np.full(d, 0.5), size=n) * dom.r
    pts[: min(d, n)] = dom.r * np.eye(d)[: min(d, n)]  # vertices
    return pts


def random_weights(rng, d, zeros):
    w = np.exp(rng.uniform(-3, 3, size=d))
    if zeros:
        w[rng.random(d) < 0.4] = 0.0
    return w


def wnorm(v, w):
    return math.sqrt(float(np.sum(w * v * v)))


def tol_for(*arrays):
    return 1e-9 * max(1.0, *(float(np.max(np.abs(a))) for a in arrays))


case = st.tuples(st.sampled_from(KINDS), st.integers(1, 6), st.integers(0, 2**32 - 1),
                 st.sampled_from(["euclidean", "weighted", "zeros"]), st.floats(0.1, 20.0))


def build(kind, d, seed, mode, spread):
    rng = np.random.default_rng(seed)
    dom = make_domain(kind, d, rng)
    w = None if mode == "euclidean" else random_weights(rng, d, zeros=(mode == "zeros"))
    y = dom.P[0] + spread * rng.standard_normal(d) if kind == "ball" else spread * rng.standard_normal(d)
    z = y + rng.standard_normal(d) * spread * rng.random()
    return rng, dom, w, y, z


@SETTINGS
@given(case)
def test_projection_is_feasible_idempotent_and_optimal(c):
    rng, dom, w, y, _ = build(*c)
    W = np.ones(dom.d) if w is None else w
    p = dom.project(y, w)
    assert dom.contains(p, tol=1e-12), (dom.describe(), y, w, p)
    tol = tol_for(y, p)
    np.testing.assert_allclose(dom.project(p, w), p, rtol=0, atol=tol)
    # the variational inequality at random feasible x (first-order optimality of min ½‖x − y‖²_W)
    xs = feasible_samples(dom, rng)
    vi = (xs - p) @ (W * (y - p))
    scale = max(1.0, float(np.max(W * np.abs(y - p)))) * max(1.0, float(np.max(np.abs(xs - p))))
    assert np.all(vi <= 1e-9 * scale), (dom.describe(), w, y, p, float(vi.max()))
    # so no sampled feasible point is closer in the W-(semi)norm
    dist = np.sqrt(((xs - y) ** 2 * W).sum(axis=1))
    assert wnorm(p - y, W) <= dist.min() + 1e-9 * max(1.0, dist.min())


@SETTINGS
@given(case)
def test_projection_is_nonexpansive_in_its_metric(c):
    _, dom, w, y, z = build(*c)
    W = np.ones(dom.d) if w is None else w
    py, pz = dom.project(y, w), dom.project(z, w)
    assert wnorm(py - pz, W) <= wnorm(y - z, W) * (1 + 1e-9) + 1e-9 * max(1.0, float(np.abs(y).max()))


@SETTINGS
@given(case)
def test_projection_of_a_feasible_point_is_itself_and_uniform_weights_are_euclidean(c):
    rng, dom, w, y, _ = build(*c)
    x = feasible_samples(dom, rng, n=5)[-1]
    np.testing.assert_allclose(dom.project(x, w), x, rtol=0, atol=1e-12 * max(1.0, float(np.abs(x).max())))
    # argmin Σ s·(x_i − y_i)² does not depend on the common factor s > 0
    s = float(np.exp(rng.uniform(-5, 5)))
    np.testing.assert_allclose(dom.project(y, np.full(dom.d, s)), dom.project(y), rtol=0, atol=tol_for(y))


@SETTINGS
@given(st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_box_projection_is_the_coordinatewise_clip_whatever_the_weights(d, seed):
    rng = np.random.default_rng(seed)
    dom = make_domain("box", d, rng)
    y = 3 * rng.standard_normal(d)
    clip = np.minimum(np.maximum(y, dom.P[0]), dom.P[1])
    assert np.array_equal(dom.project(y), clip)
    assert np.array_equal(dom.project(y, random_weights(rng, d, zeros=True)), clip)


def test_zero_weight_examples_worked_by_hand():
    """Hand-solved: weights (1, 0). Simplex r = 1, y = (0.2, 0.2): coordinate 1 keeps 0.2 (zero cost),
    coordinate 2 takes the remaining mass 0.8. Ball r = 1, y = (0.5, 3): x_1 = 0.5 (zero cost) and
    x_2 = √(1 − 0.25) on the remaining radius; y = (3, 0.5): the weighted coordinate alone leaves
    the ball, so x = (1, 0)."""
    w = np.array([1.0, 0.0])
    np.testing.assert_allclose(domains.simplex(2).project([0.2, 0.2], w), [0.2, 0.8], atol=1e-15)
    np.testing.assert_allclose(domains.simplex(2).project([0.9, 0.7], w), [0.9, 0.1], atol=1e-15)
    np.testing.assert_allclose(domains.simplex(2).project([1.5, 0.7], w), [1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(domains.ball(2).project([0.5, 3.0], w), [0.5, math.sqrt(0.75)], atol=1e-15)
    np.testing.assert_allclose(domains.ball(2).project([3.0, 0.5], w), [1.0, 0.0], atol=1e-15)
    # every weight zero: the Euclidean projection (the limit of s·1 as s → 0+)
    y = np.array([0.3, -2.0, 4.0])
    for dom in (domains.simplex(3, 2.0), domains.ball(3, 1.5, center=[1.0, 0.0, 0.0])):
        np.testing.assert_allclose(dom.project(y, np.zeros(3)), dom.project(y), atol=1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_weighted_projection_agrees_with_cvxpy(kind):
    """A second method: the projection problem written with the domain's cvxpy constraints."""
    cp = pytest.importorskip("cvxpy")
    rng = np.random.default_rng(3)
    for _ in range(4):
        d = 4
        dom = make_domain(kind, d, rng)
        y = 2.5 * rng.standard_normal(d)
        w = random_weights(rng, d, zeros=False)
        x = cp.Variable(d)
        prob = cp.Problem(cp.Minimize(cp.sum(cp.multiply(w, cp.square(x - y)))), dom.cvxpy_constraints(x))
        prob.solve(solver="CLARABEL")
        assert prob.status == "optimal"
        p = dom.project(y, w)
        ours = float(np.sum(w * (p - y) ** 2))
        assert ours <= prob.value + 1e-6 * max(1.0, prob.value)
        np.testing.assert_allclose(p, x.value, atol=1e-4)


# ------------------------------------------------------------------------------------------------
# diameters: brute force over the vertices (a convex function of (x, y) attains its maximum over a
# polytope × polytope at a pair of vertices) or over samples and the antipodal pair (ball)
# ------------------------------------------------------------------------------------------------
def vertices(dom):
    if dom.kind == "box":
        return np.array([np.where(np.array(bits) == 1, dom.P[1], dom.P[0])
                         for bits in itertools.product([0, 1], repeat=dom.d)])
    return dom.r * np.eye(dom.d)


@SETTINGS
@given(st.sampled_from(["box", "simplex"]), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_polytope_diameters_match_brute_force_over_vertices(kind, d, seed):
    dom = make_domain(kind, d, np.random.default_rng(seed))
    V = vertices(dom)
    diff = V[:, None, :] - V[None, :, :]
    D = float(np.max(np.linalg.norm(diff, axis=-1)))
    Dinf = float(np.max(np.abs(diff))) if V.shape[0] > 1 else 0.0
    assert math.isclose(dom.diameter, D, rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(dom.diameter_inf, Dinf, rel_tol=1e-12, abs_tol=1e-15)


@SETTINGS
@given(st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_ball_diameters_bound_samples_and_are_attained(d, seed):
    rng = np.random.default_rng(seed)
    dom = make_domain("ball", d, rng)
    X = feasible_samples(dom, rng, n=60)
    diff = X[:, None, :] - X[None, :, :]
    assert np.max(np.linalg.norm(diff, axis=-1)) <= dom.diameter * (1 + 1e-12)
    assert np.max(np.abs(diff)) <= dom.diameter_inf * (1 + 1e-12)
    e = np.eye(d)[0]  # c ± r e_1 are in the ball, 2r apart in both norms
    a, b = dom.P[0] + dom.r * e, dom.P[0] - dom.r * e
    assert dom.contains(a) and dom.contains(b)
    assert math.isclose(dom.diameter, float(np.linalg.norm(a - b)), rel_tol=1e-12)
    assert math.isclose(dom.diameter_inf, float(np.max(np.abs(a - b))), rel_tol=1e-12)


def test_unbounded_domain_geometry():
    dom = domains.unbounded(3)
    assert dom.diameter == math.inf and dom.diameter_inf == math.inf and not dom.bounded
    y = np.array([1e6, -3.0, 2.0])
    assert np.array_equal(dom.project(y), y) and np.array_equal(dom.project(y, np.ones(3)), y)
    with pytest.raises(InvalidInput, match="domain"):
        dom.lmo(np.ones(3))
    with pytest.raises(InvalidInput, match="domain"):
        dom.support_min(np.ones(3))
    assert dom.support_min(np.zeros(3)) == 0.0


# ------------------------------------------------------------------------------------------------
# linear minimization oracle
# ------------------------------------------------------------------------------------------------
@SETTINGS
@given(st.sampled_from(KINDS), st.integers(1, 6), st.integers(0, 2**32 - 1), st.booleans())
def test_lmo_minimises_linear_functions_and_matches_support_min(kind, d, seed, sparse):
    rng = np.random.default_rng(seed)
    dom = make_domain(kind, d, rng)
    c = rng.standard_normal(d) * 10 ** rng.uniform(-3, 3)
    if sparse:
        c[rng.random(d) < 0.5] = 0.0
    s = dom.lmo(c)
    assert dom.contains(s, tol=1e-12)
    val = float(c @ s)
    tol = 1e-12 * max(1.0, float(np.abs(c).sum()) * max(1.0, float(np.abs(s).max())))
    assert math.isclose(val, dom.support_min(c), rel_tol=1e-12, abs_tol=tol)
    xs = feasible_samples(dom, rng, n=40)
    assert np.all(xs @ c >= val - tol)
    if kind != "ball":  # polytopes: the minimum is attained at a vertex
        assert math.isclose(float(np.min(vertices(dom) @ c)), dom.support_min(c), rel_tol=1e-12, abs_tol=tol)
    else:  # ball: min ⟨c, x⟩ = ⟨c, centre⟩ − r‖c‖ by Cauchy–Schwarz
        assert math.isclose(dom.support_min(c), float(c @ dom.P[0]) - dom.r * float(np.linalg.norm(c)),
                            rel_tol=1e-12, abs_tol=tol)


@pytest.mark.parametrize("kind", KINDS)
def test_default_start_is_the_projection_of_zero(kind):
    dom = make_domain(kind, 4, np.random.default_rng(1))
    x1 = dom.default_start()
    assert dom.contains(x1)
    np.testing.assert_array_equal(x1, dom.project(np.zeros(4)))


# ------------------------------------------------------------------------------------------------
# invalid parameters
# ------------------------------------------------------------------------------------------------
BAD = [
    (lambda: domains.box(0), "d", "0"),
    (lambda: domains.box(-2), "d", "-2"),
    (lambda: domains.box(2.5), "d", "2.5"),
    (lambda: domains.box(True), "d", "True"),
    (lambda: domains.ball("3"), "d", "'3'"),
    (lambda: domains.box(2, lo=1.0, hi=0.0), "box bounds", "lo ≤ hi"),
    (lambda: domains.box(2, lo=[0.0, 2.0], hi=1.0), "box bounds", "lo ≤ hi"),
    (lambda: domains.box(2, lo=np.nan), "box lo", "nan"),
    (lambda: domains.box(2, hi=np.inf), "box hi", "inf"),
    (lambda: domains.box(3, lo=[0.0, 1.0]), "box lo", "[0.0, 1.0]"),
    (lambda: domains.box(2, hi="high"), "box hi", "'high'"),
    (lambda: domains.ball(2, radius=0.0), "radius", "0.0"),
    (lambda: domains.ball(2, radius=-1.0), "radius", "-1.0"),
    (lambda: domains.ball(2, radius=np.nan), "radius", "nan"),
    (lambda: domains.ball(2, radius=np.inf), "radius", "inf"),
    (lambda: domains.ball(2, radius="big"), "radius", "'big'"),
    (lambda: domains.ball(2, center=[0.0, np.nan]), "center", "nan"),
    (lambda: domains.ball(2, center=[0.0, 1.0, 2.0]), "center", "[0.0, 1.0, 2.0]"),
    (lambda: domains.simplex(3, total=0.0), "total", "0.0"),
    (lambda: domains.simplex(3, total=-2.0), "total", "-2.0"),
    (lambda: domains.simplex(3, total=np.nan), "total", "nan"),
    (lambda: domains.make("cube", 3), "domain", "'cube'"),
    (lambda: domains.make("ball", 3, rad=2.0), "ball parameter", "'rad'"),
    (lambda: domains.simplex(2).project([1.0, 2.0, 3.0]), "y", "(3,)"),
    (lambda: domains.simplex(2).project([1.0, np.nan]), "y", "nan"),
    (lambda: domains.ball(2).project([1.0, 2.0], [1.0, -1.0]), "w", "-1.0"),
    (lambda: domains.ball(2).project([1.0, 2.0], [1.0]), "w", "(1,)"),
]


@pytest.mark.parametrize("call,field,value", BAD, ids=[f"{f}:{v}" for _, f, v in BAD])
def test_invalid_domain_parameters_raise_invalid_input(call, field, value):
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field
    assert value in str(err.value), str(err.value)
    assert isinstance(err.value, ValueError)
