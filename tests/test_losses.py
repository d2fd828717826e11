"""Property tests of regret.losses: the compiled value_grad of one round (what the engine uses)
against central finite differences, against the numpy Family.total / total_grad (single rows, blocks,
row weights) and against the cvxpy expression Family.cvxpy_total; numerical stability; validation.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import regret
from regret.errors import InvalidInput
from regret.losses import NAMES, Family, family, value_grad

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
K = 3  # classes of the multiclass family in these tests


def make_family(name, l2, delta):
    return Family(name, l2=l2, classes=K if name == "multiclass" else 0, delta=delta)


def random_data(fam, rng, n, p, scale=1.0):
    A = rng.standard_normal((n, p)) * scale
    if fam.name in ("logistic", "hinge"):
        b = rng.choice([-1.0, 1.0], size=n)
    elif fam.name == "multiclass":
        b = rng.integers(0, K, size=n).astype(np.float64)
    else:
        b = rng.standard_normal(n)
    return A, b


def compiled(fam, A, b, row, x):
    g = np.full(x.shape[0], np.nan)  # every entry must be written
    f = value_grad(fam.code, fam.params, A, row, b, x, g)
    return f, g


def distance_to_kink(fam, a, b, x):
    """How far the round's inner quantity is from the family's non-differentiable points."""
    if fam.name in ("linear", "least_squares", "logistic", "multiclass"):
        return math.inf
    z = float(a @ x)
    if fam.name == "hinge":
        return abs(1.0 - b * z)
    if fam.name == "absolute":
        return abs(z - b)
    if fam.name == "zhang":  # C¹, its second derivative jumps at z = −1
        return abs(z + 1.0)
    r = abs(z - b)  # huber: kinks of the second derivative at |r| = δ only; the first is C¹
    return math.inf if r != fam.delta else 0.0


case = st.tuples(st.sampled_from(NAMES), st.integers(1, 5), st.integers(0, 2**32 - 1),
                 st.sampled_from([0.0, 0.37]), st.sampled_from([0.3, 1.0, 2.5]))


@SETTINGS
@given(case)
def test_gradient_matches_central_finite_differences(c):
    name, p, seed, l2, delta = c
    rng = np.random.default_rng(seed)
    fam = make_family(name, l2, delta)
    A, b = random_data(fam, rng, 4, p)
    d = fam.dim(p)
    x = rng.standard_normal(d)
    row = int(rng.integers(0, 4))
    f, g = compiled(fam, A, b, row, x)
    h = 1e-6
    # a central difference is exact to O(h²) only where f is smooth on [x − h e_i, x + h e_i]
    assume(distance_to_kink(fam, A[row] if name != "multiclass" else A[row], b[row], x)
           > 10 * h * (np.abs(A[row]).sum() + 1))
    fd = np.empty(d)
    for i in range(d):
        e = np.zeros(d)
        e[i] = h
        fd[i] = (compiled(fam, A, b, row, x + e)[0] - compiled(fam, A, b, row, x - e)[0]) / (2 * h)
    scale = max(1.0, abs(f), float(np.abs(g).max()))
    np.testing.assert_allclose(g, fd, rtol=0, atol=2e-7 * scale * max(1.0, float(np.abs(A[row]).max()) ** 2))


@SETTINGS
@given(case)
def test_compiled_round_equals_numpy_total_on_rows_blocks_and_weights(c):
    name, p, seed, l2, delta = c
    rng = np.random.default_rng(seed)
    fam = make_family(name, l2, delta)
    n = 6
    A, b = random_data(fam, rng, n, p, scale=2.0)
    x = rng.standard_normal(fam.dim(p))
    vals, grads = zip(*(compiled(fam, A, b, r, x) for r in range(n)))
    for r in range(n):  # a single row
        assert math.isclose(fam.total(x, A[r:r + 1], b[r:r + 1]), vals[r], rel_tol=1e-12, abs_tol=1e-12)
        np.testing.assert_allclose(fam.total_grad(x, A[r:r + 1], b[r:r + 1]), grads[r], rtol=1e-12,
                                   atol=1e-12 * max(1.0, float(np.abs(grads[r]).max())))
    tol = 1e-12 * max(1.0, float(np.sum(np.abs(vals))))
    assert math.isclose(fam.total(x, A, b), math.fsum(vals), rel_tol=1e-12, abs_tol=tol)
    np.testing.assert_allclose(fam.total_grad(x, A, b), np.sum(grads, axis=0), rtol=1e-11,
                               atol=1e-11 * max(1.0, float(np.abs(np.array(grads)).sum())))
    # row multiplicities (Σ_{t≤T'} f_t when round t replays row idx[t−1]) equal the repeated rows
    idx = rng.integers(0, n, size=15)
    counts = np.bincount(idx, minlength=n).astype(np.float64)
    rep_v = math.fsum(vals[i] for i in idx)
    rep_g = np.sum([grads[i] for i in idx], axis=0)
    assert math.isclose(fam.total(x, A, b, weights=counts), rep_v, rel_tol=1e-11,
                        abs_tol=1e-11 * max(1.0, sum(abs(vals[i]) for i in idx)))
    np.testing.assert_allclose(fam.total_grad(x, A, b, weights=counts), rep_g, rtol=1e-11,
                               atol=1e-11 * max(1.0, float(np.abs(np.array(grads)).sum()) * 15))


def test_the_zhang_family_has_no_cvxpy_expression():
    """Its rounds with b < 0 are concave: no DCP model exists, and the comparator uses its closed form."""
    cp = pytest.importorskip("cvxpy")
    with pytest.raises(regret.InvalidInput, match="concave"):
        Family("zhang").cvxpy_total(cp.Variable(1), np.ones((2, 1)), np.array([1.0, -0.5]))


@pytest.mark.parametrize("name", [n for n in NAMES if Family(n, classes=K if n == "multiclass" else 0).always_convex])
@pytest.mark.parametrize("l2", [0.0, 0.2])
def test_cvxpy_expression_has_the_same_value(name, l2):
    cp = pytest.importorskip("cvxpy")
    rng = np.random.default_rng(len(name) * 7 + int(l2 * 10))
    fam = make_family(name, l2, 0.8)
    for trial in range(3):
        A, b = random_data(fam, rng, 7, 3, scale=1.5)
        xv = rng.standard_normal(fam.dim(3)) * 1.5
        x = cp.Variable(fam.dim(3))
        x.value = xv
        want = math.fsum(compiled(fam, A, b, r, xv)[0] for r in range(7))
        expr = fam.cvxpy_total(x, A, b)
        assert expr.is_dcp() and expr.is_convex()
        assert math.isclose(float(expr.value), want, rel_tol=1e-10, abs_tol=1e-10)
        w = rng.integers(0, 4, size=7).astype(np.float64)
        want_w = math.fsum(w[r] * compiled(fam, A, b, r, xv)[0] for r in range(7))
        assert math.isclose(float(fam.cvxpy_total(x, A, b, weights=w).value), want_w, rel_tol=1e-10, abs_tol=1e-10)


@SETTINGS
@given(st.floats(-1e300, 1e300), st.sampled_from([-1.0, 1.0]))
def test_logistic_is_stable_for_huge_margins(z, y):
    """log(1 + e^{−m}) for m = y·z anywhere in float range: finite, no overflow warning, asymptotics
    −m for m → −∞ and e^{−m} → 0 for m → +∞; derivative −y·σ(−m) ∈ [−1, 0]·y."""
    fam = Family("logistic")
    A = np.array([[1.0]])
    b = np.array([y])
    x = np.array([z])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, g = compiled(fam, A, b, 0, x)
        tot = fam.total(x, A, b)
        tg = fam.total_grad(x, A, b)
    m = y * z
    assert math.isfinite(f) and math.isfinite(g[0]) and f >= 0
    assert math.isclose(f, tot, rel_tol=1e-12, abs_tol=1e-300) and math.isclose(g[0], tg[0], rel_tol=1e-12,
                                                                               abs_tol=1e-300)
    if m < -40:
        assert math.isclose(f, -m, rel_tol=1e-15) and g[0] == -y
    if m > 800:
        assert f == 0.0 and g[0] == 0.0
    assert 0.0 <= -y * g[0] <= 1.0


@SETTINGS
@given(st.integers(1, 5), st.integers(2, 6), st.integers(0, 2**32 - 1), st.floats(1e-3, 1e3))
def test_multiclass_gradient_sums_to_zero_across_classes(p, classes, seed, scale):
    """∂/∂W_{k,j} = (softmax(Wa)_k − [k = b]) a_j, and Σ_k softmax_k = 1, so Σ_k g_{k,j} = 0 (no l2)."""
    rng = np.random.default_rng(seed)
    fam = Family("multiclass", classes=classes)
    A = rng.standard_normal((1, p))
    b = np.array([float(rng.integers(0, classes))])
    x = rng.standard_normal(classes * p) * scale
    f, g = compiled(fam, A, b, 0, x)
    assert math.isfinite(f) and f >= 0
    G = g.reshape(classes, p)
    np.testing.assert_allclose(G.sum(axis=0), 0.0, atol=1e-12 * max(1.0, float(np.abs(A).max())))
    with_l2 = compiled(Family("multiclass", classes=classes, l2=0.5), A, b, 0, x)[1]
    np.testing.assert_allclose(with_l2 - g, 0.5 * x, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,data,want_f,want_g", [
    # hand-computed values at x = (1, −2), a = (0.5, 1): ⟨a, x⟩ = −1.5
    ("linear", ((0.5, 1.0), 0.0), -1.5, (0.5, 1.0)),
    ("least_squares", ((0.5, 1.0), 0.5), 2.0, (-1.0, -2.0)),  # r = −2: ½r² = 2, r·a
    ("hinge", ((0.5, 1.0), -1.0), 0.0, (0.0, 0.0)),  # margin 1 − 1.5 < 0
    ("hinge", ((0.5, 1.0), 1.0), 2.5, (-0.5, -1.0)),  # 1 + 1.5
    ("absolute", ((0.5, 1.0), -1.5), 0.0, (0.0, 0.0)),  # kink: subgradient 0
    ("absolute", ((0.5, 1.0), 1.0), 2.5, (-0.5, -1.0)),
    ("huber", ((0.5, 1.0), 1.0), 1.0 * (2.5 - 0.5), (-0.5, -1.0)),  # δ = 1, |r| = 2.5 > δ
    ("huber", ((0.5, 1.0), -1.0), 0.125, (-0.25, -0.5)),  # r = −0.5: ½r²
    ("logistic", ((0.5, 1.0), -1.0), math.log1p(math.exp(-1.5)), tuple(0.5 * v / (1 + math.exp(1.5))
                                                                        for v in (1.0, 2.0))),
])
def test_values_worked_by_hand(name, data, want_f, want_g):
    fam = Family(name)
    a, b = data
    f, g = compiled(fam, np.array([a]), np.array([b]), 0, np.array([1.0, -2.0]))
    assert math.isclose(f, want_f, rel_tol=1e-15, abs_tol=1e-15)
    np.testing.assert_allclose(g, want_g, rtol=1e-15, atol=1e-15)


def test_multiclass_layout_worked_by_hand():
    """W = x reshaped K × p row-major: x = (W_00, W_01, W_10, W_11). With a = (1, 0), scores are
    (W_00, W_10) = (0, log 3): softmax (1/4, 3/4); label 0 → f = log 4, ∂/∂W_{k,0} = (−3/4, 3/4)."""
    fam = Family("multiclass", classes=2)
    f, g = compiled(fam, np.array([[1.0, 0.0]]), np.array([0.0]), 0, np.array([0.0, 5.0, math.log(3), -7.0]))
    assert math.isclose(f, math.log(4), rel_tol=1e-15)
    np.testing.assert_allclose(g, [-0.75, 0.0, 0.75, 0.0], atol=1e-15)


# ------------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------------
BAD_DATA = [
    ("linear", np.array([[1.0, np.nan]]), np.zeros(1), "A", "nan"),
    ("least_squares", np.array([[1.0, np.inf]]), np.zeros(1), "A", "inf"),
    ("least_squares", np.ones((2, 2)), np.array([0.0, np.nan]), "b", "nan"),
    ("linear", np.ones(3), np.zeros(3), "A", "(3,)"),
    ("linear", np.ones((3, 2)), np.zeros(2), "b", "(2,)"),
    ("linear", np.ones((3, 2)), np.zeros((3, 1)), "b", "(3, 1)"),
    ("logistic", np.ones((3, 2)), np.array([1.0, 0.0, -1.0]), "b", "0.0"),
    ("hinge", np.ones((2, 2)), np.array([1.0, 2.0]), "b", "2.0"),
    ("multiclass", np.ones((3, 2)), np.array([0.0, 3.0, 1.0]), "b", "3.0"),
    ("multiclass", np.ones((3, 2)), np.array([0.0, 1.5, 1.0]), "b", "1.5"),
    ("multiclass", np.ones((3, 2)), np.array([-1.0, 1.0, 1.0]), "b", "-1.0"),
]


@pytest.mark.parametrize("name,A,b,field,value", BAD_DATA)
def test_invalid_data_raises_invalid_input_naming_the_field(name, A, b, field, value):
    fam = Family(name, classes=K if name == "multiclass" else 0)
    with pytest.raises(InvalidInput) as err:
        fam.check_data(A, b)
    assert err.value.field == field and value in str(err.value), str(err.value)
    # the public constructor of a problem from arrays reports the same field
    if A.ndim == 2:
        dom = regret.box(fam.dim(A.shape[1]))
        with pytest.raises(InvalidInput) as err2:
            regret.from_arrays(fam, dom, A, b)
        assert err2.value.field == field


BAD_FAMILY = [
    (lambda: family("squared"), "loss", "'squared'"),
    (lambda: Family("hinge", l2=-0.1), "l2", "-0.1"),
    (lambda: Family("hinge", l2=np.nan), "l2", "nan"),
    (lambda: Family("hinge", l2="big"), "l2", "'big'"),
    (lambda: Family("huber", delta=0.0), "delta", "0.0"),
    (lambda: Family("huber", delta=np.inf), "delta", "inf"),
    (lambda: Family("multiclass"), "classes", "0"),
    (lambda: Family("multiclass", classes=1), "classes", "1"),
    (lambda: Family("multiclass", classes=2.5), "classes", "2.5"),
    (lambda: family("huber", gamma=1.0), "huber parameter", "'gamma'"),
]


@pytest.mark.parametrize("call,field,value", BAD_FAMILY, ids=[f"{f}:{v}" for _, f, v in BAD_FAMILY])
def test_invalid_family_parameters_raise_invalid_input(call, field, value):
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field and value in str(err.value), str(err.value)
