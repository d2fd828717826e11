"""The best fixed comparator and its certificates (regret.comparator).

Every route is checked against an independent computation: cvxpy (the modelling reference, a
different formulation and solver), numpy's least squares, values derived by hand, and bounds that
must hold for ANY valid certificate (a certificate is an upper bound on F(x̂) − F*, so for every
feasible point x̃, F(x̃) − cert(x̃) ≤ F* ≤ the best value any route found).
"""
from __future__ import annotations

import warnings
import zlib

import numpy as np
import pytest

import regret
from regret import domains
from regret.comparator import (ComparatorCurve, best_fixed, best_fixed_cached, certificates, checkpoint_counts,
                               linear_closed_form)
from regret.comparator import solvers
from regret.comparator import nonsmooth, quadratic
from regret.comparator.objective import Block
from regret.errors import InvalidInput, SolverFailure, UnboundedComparator
from regret.losses import NAMES, Family
from regret.problems import from_arrays

cp = pytest.importorskip("cvxpy")

K = 3  # classes of the multiclass family
KINDS = ("box", "ball", "simplex", "unbounded")


def make_domain(kind, d):
    return {"box": lambda: domains.box(d, -0.8, 1.2), "ball": lambda: domains.ball(d, 1.3, center=0.1),
            "simplex": lambda: domains.simplex(d, 1.5), "unbounded": lambda: domains.unbounded(d)}[kind]()


def make_instance(name, kind, l2, seed, T=36, p=3, rows=None):
    """A random instance; rounds draw rows with repetition (multiplicities > 1) unless rows == T."""
    rng = np.random.default_rng(seed)
    fam = Family(name, l2=l2, classes=K if name == "multiclass" else 0, delta=0.7)
    n = rows or max(4, T // 2)
    A = rng.standard_normal((n, p))
    if name in ("logistic", "hinge"):
        b = rng.choice([-1.0, 1.0], size=n)
    elif name == "multiclass":
        b = rng.integers(0, K, size=n).astype(np.float64)
    else:
        b = A @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n)
    idx = np.arange(T) if n == T else rng.integers(0, n, size=T)
    return from_arrays(fam, make_domain(kind, fam.dim(p)), A, b, idx=idx)


def _seed(*key):
    return zlib.crc32(repr(key).encode())  # stable across processes (unlike hash())


def certifiable(name, kind, l2):
    return kind != "unbounded" or l2 > 0 or name in ("least_squares",)


def F_of(inst, T, x):
    """Σ_{t≤T} f_t(x) round by round (the definition, not the row-weighted form)."""
    rows = inst.round_rows(0, T)
    return inst.family.total(x, inst.A[rows], inst.b[rows])


# the convex families: the zhang family's rounds can be concave, and its comparator is a closed form on
# one coordinate, checked against a brute-force grid in tests/test_zhang.py
CONVEX = [n for n in NAMES if n != "zhang"]
CASES = [(n, k, l2) for n in CONVEX for k in KINDS for l2 in (0.0, 0.4) if certifiable(n, k, l2)
         and not (n == "linear" and k == "unbounded" and l2 == 0)]
CPS = np.array([1, 5, 17, 36])


# -- every family × domain: the fast route against cvxpy -----------------------------------------------
@pytest.mark.parametrize("name,kind,l2", CASES, ids=[f"{n}-{k}-l2={l}" for n, k, l in CASES])
def test_fast_route_agrees_with_cvxpy_and_is_certified(name, kind, l2):
    inst = make_instance(name, kind, l2, seed=_seed(name, kind, l2))
    fast = best_fixed(inst, CPS)
    ref = best_fixed(inst, CPS, method="cvxpy")
    assert isinstance(fast, ComparatorCurve) and fast.method and ref.solver
    scale = np.maximum(1.0, np.abs(ref.value))
    np.testing.assert_array_less(np.abs(fast.value - ref.value) / scale, 1e-7)
    # both are values at feasible points, evaluated round by round
    for curve in (fast, ref):
        for k, T in enumerate(CPS):
            assert inst.domain.contains(curve.x[k], tol=1e-9)
            assert abs(F_of(inst, T, curve.x[k]) - curve.value[k]) <= 1e-9 * max(1.0, abs(curve.value[k]))
    # certificates: non-negative and small (the fast routes stop at 1e-9·max(1, |F|))
    assert np.all(fast.certificate >= 0) and np.all(ref.certificate >= 0)
    np.testing.assert_array_less(fast.certificate / scale, 1e-8)
    np.testing.assert_array_less(ref.certificate / scale, 1e-6)
    # each value is an upper bound on F*, each value − certificate a lower bound: the intervals overlap
    lo = np.maximum(fast.value - fast.certificate, ref.value - ref.certificate)
    hi = np.minimum(fast.value, ref.value)
    assert np.all(lo <= hi + 1e-12 * scale)


@pytest.mark.parametrize("name,kind,l2", CASES, ids=[f"{n}-{k}-l2={l}" for n, k, l in CASES])
def test_certificates_bound_the_gap_at_perturbed_points(name, kind, l2):
    """For any feasible x̃ the certificate of x̃ must be ≥ F(x̃) − F* ≥ F(x̃) − F_best (F_best: the
    lowest value any route found). A wrong formula (sign, factor, missing term) breaks this."""
    inst = make_instance(name, kind, l2, seed=7 + _seed(name, kind, l2))
    T = int(CPS[-1])
    c = checkpoint_counts(inst, [T])[0]
    block = Block(inst.family, inst.A, inst.b, c)
    F_best = min(best_fixed(inst, [T]).value[0], best_fixed(inst, [T], method="cvxpy").value[0])
    rng = np.random.default_rng(1)
    x_star = best_fixed(inst, [T]).x[0]
    for scale in (1e-4, 1e-2, 0.3):
        xt = x_star + scale * rng.standard_normal(inst.d)
        xt = inst.domain.project(xt) if inst.domain.bounded else xt
        f = block.value(xt)
        if inst.family.differentiable:
            cert = certificates.gap(inst.domain, xt, block.grad(xt), block.mu)
        else:
            u = nonsmooth.primal_multipliers(name, block.A, block.b, block.c, xt)
            cert = f - nonsmooth.dual_bound(name, block.A, block.b, block.c, u, inst.domain, block.mu)
        assert cert >= f - F_best - 1e-9 * max(1.0, abs(F_best)), (scale, cert, f - F_best)


@pytest.mark.parametrize("name", ["hinge", "absolute"])
@pytest.mark.parametrize("kind", ["box", "ball", "simplex", "unbounded"])
def test_dual_bound_is_below_the_optimum_for_any_multipliers(name, kind):
    """Weak duality: L(u) ≤ F* for every u in its box (random u, clipped or not)."""
    l2 = 0.3 if kind == "unbounded" else 0.0
    inst = make_instance(name, kind, l2, seed=3)
    T = int(CPS[-1])
    block = Block(inst.family, inst.A, inst.b, checkpoint_counts(inst, [T])[0])
    F_best = min(best_fixed(inst, [T]).value[0], best_fixed(inst, [T], method="cvxpy").value[0])
    rng = np.random.default_rng(2)
    for _ in range(50):
        u = rng.uniform(-2, 2, block.c.size) * block.c
        lb = nonsmooth.dual_bound(name, block.A, block.b, block.c, u, inst.domain, block.mu)
        assert lb <= F_best + 1e-9 * max(1.0, abs(F_best))


# -- hand-derived and independent values ---------------------------------------------------------------
def test_reddi_linear_comparator_by_hand():
    """Reddi et al. Theorem 1 with C = 3: per period of 3 rounds Σ a = C − 2 = 1 > 0, so on [−1, 1] the
    minimiser is x = −1 and after k periods F* = −k; after one more round (+C): S = k + 3 > 0, F* = −(k+3)."""
    inst = regret.problem("reddi", C=3).instance(30)
    curve = best_fixed(inst, [3, 9, 10, 30])
    np.testing.assert_array_equal(curve.value, [-1.0, -3.0, -6.0, -10.0])
    np.testing.assert_array_equal(curve.x[:, 0], [-1.0, -1.0, -1.0, -1.0])
    assert np.all(curve.certificate == 0)


def test_linear_with_ridge_is_the_projection_of_minus_S_over_lambda():
    """F(x) = ⟨S, x⟩ + (λ/2)‖x‖² = (λ/2)‖x + S/λ‖² − ‖S‖²/(2λ) (completing the square)."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((10, 4))
    inst = from_arrays(Family("linear", l2=0.5), domains.ball(4, 0.3), A)
    curve = best_fixed(inst, [10])
    S, lam = A.sum(axis=0), 0.5 * 10
    x = -S / lam
    x = x * min(1.0, 0.3 / np.linalg.norm(x))
    np.testing.assert_allclose(curve.x[0], x, rtol=1e-13, atol=1e-15)
    assert abs(curve.value[0] - (S @ x + 0.5 * lam * x @ x)) <= 1e-12


def test_least_squares_unbounded_matches_numpy_lstsq_including_rank_deficient():
    """On R^d the minimum is attained by any least-squares solution (numpy.linalg.lstsq, SVD); with
    T' < d the statistics Q are singular and the minimum-norm solution is returned."""
    rng = np.random.default_rng(5)
    A = rng.standard_normal((40, 6))
    b = rng.standard_normal(40)
    inst = from_arrays("least_squares", domains.unbounded(6), A, b)
    cps = [2, 5, 6, 40]
    curve = best_fixed(inst, cps)
    for k, T in enumerate(cps):
        x, *_ = np.linalg.lstsq(A[:T], b[:T], rcond=None)
        want = 0.5 * float(np.sum((A[:T] @ x - b[:T]) ** 2))
        assert abs(curve.value[k] - want) <= 1e-10 * max(1.0, want)
        assert curve.certificate[k] <= 1e-10 * max(1.0, want)
        if T < 6:
            np.testing.assert_allclose(curve.x[k], x, atol=1e-9)  # the minimum-norm solution
    assert "singular" in curve.method


def test_checkpoint_counts_are_bincounts_of_the_rounds():
    rng = np.random.default_rng(0)
    inst = from_arrays("linear", domains.box(2), rng.standard_normal((5, 2)), idx=rng.integers(0, 5, 50))
    for T, c in zip([1, 7, 50], checkpoint_counts(inst, [1, 7, 50])):
        np.testing.assert_array_equal(c, np.bincount(inst.idx[:T], minlength=5))


# -- the exact quadratic solvers ---------------------------------------------------------------------
def _cvx_quadratic(H, h, dom):
    lam, V = np.linalg.eigh(H)
    R = np.sqrt(np.maximum(lam, 0))[:, None] * V.T
    x = cp.Variable(dom.d)
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(R @ x) + h @ x), dom.cvxpy_constraints(x))
    for tol in (1e-10, 1e-9, 1e-8):  # Clarabel reaches ~1e-9 on second-order cones
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "optimal_inaccurate" is retried, never used
            prob.solve(solver="CLARABEL", tol_gap_abs=tol, tol_gap_rel=tol, tol_feas=tol)
        if prob.status == cp.OPTIMAL:
            return prob.value
    raise AssertionError(prob.status)


@pytest.mark.parametrize("kind", ["box", "ball", "simplex"])
def test_quadratic_minimisers_including_singular_hessians(kind):
    rng = np.random.default_rng(["box", "ball", "simplex"].index(kind))
    for trial in range(25):
        d = int(rng.integers(1, 8))
        rank = int(rng.integers(0, d + 1))
        B = rng.standard_normal((rank, d))
        H = B.T @ B
        h = rng.standard_normal(d) * 3 if trial % 2 else B.T @ rng.standard_normal(rank)
        dom = make_domain(kind, d)
        x = quadratic.minimize(H, h, dom, x0=dom.default_start())
        assert dom.contains(x, tol=1e-12)
        q = 0.5 * x @ H @ x + h @ x
        assert q <= _cvx_quadratic(H, h, dom) + 1e-7 * max(1.0, abs(q))
        assert certificates.fw_gap(dom, x, H @ x + h) <= 1e-11 * max(1.0, abs(q))


def test_trust_region_hard_case():
    """H = diag(0, 1, 2), g ⊥ null(H), pseudo-inverse solution inside the ball: μ = 0 and the minimum
    is attained on a segment; and the same H with the ball too small (μ > 0, boundary)."""
    H = np.diag([0.0, 1.0, 2.0])
    h = np.array([0.0, -0.5, 1.0])  # minimiser of the positive part: (·, 0.5, −0.5), norm ≈ 0.71
    x = quadratic.trust_region(H, h, np.zeros(3), 1.0)
    assert abs(0.5 * x @ H @ x + h @ x - (-0.125 - 0.25)) <= 1e-14
    x = quadratic.trust_region(H, h, np.zeros(3), 0.5)
    dom = domains.ball(3, 0.5)
    assert abs(np.linalg.norm(x) - 0.5) <= 1e-14
    assert certificates.fw_gap(dom, x, H @ x + h) <= 1e-14
    assert 0.5 * x @ H @ x + h @ x <= _cvx_quadratic(H, h, dom) + 1e-9


# -- errors --------------------------------------------------------------------------------------------
def test_unbounded_linear_comparator_raises_a_clear_error():
    inst = from_arrays("linear", domains.unbounded(2), np.array([[1.0, 0.0], [0.5, 2.0]]))
    for method in ("auto", "cvxpy"):
        with pytest.raises(UnboundedComparator, match="domain='unbounded'.*−∞"):
            best_fixed(inst, [1, 2], method=method)
    # Σ a = 0: the comparator exists (F ≡ 0)
    inst = from_arrays("linear", domains.unbounded(1), np.array([[1.0], [-1.0]]))
    assert best_fixed(inst, [2]).value[0] == 0.0


@pytest.mark.parametrize("name", ["logistic", "multiclass", "huber", "hinge", "absolute"])
def test_uncertifiable_unbounded_problems_raise_invalid_input(name):
    inst = make_instance(name, "unbounded", 0.0, seed=0)
    with pytest.raises(InvalidInput, match="l2 > 0") as err:
        best_fixed(inst, [5])
    assert err.value.field == "domain"
    if name in ("logistic", "multiclass"):
        assert isinstance(err.value, UnboundedComparator)


def test_invalid_method_and_checkpoints():
    inst = make_instance("logistic", "ball", 0.0, seed=0)
    with pytest.raises(InvalidInput, match="method"):
        best_fixed(inst, [5], method="simplex-method")
    with pytest.raises(InvalidInput, match="closed_form"):
        best_fixed(inst, [5], method="closed_form")
    with pytest.raises(InvalidInput, match="checkpoints"):
        best_fixed(inst, [5, 3])
    with pytest.raises(InvalidInput, match="checkpoints"):
        best_fixed(inst, [0, 3])


class _FakeProblem:
    """A stand-in for cvxpy.Problem whose solvers answer as scripted."""

    def __init__(self, answers, x):
        self.answers, self.x, self.status, self.calls = answers, x, None, []

    def solve(self, solver, **_):
        self.calls.append(solver)
        status = self.answers.get(solver, "solver_error")
        if status == "raise":
            raise cp.error.SolverError(solver)
        self.status = status
        self.x.value = np.array([0.25]) if status == "optimal" else None


def test_solver_policy_rejects_non_optimal_statuses_and_falls_back(monkeypatch):
    class X:
        value = None

    dom = domains.box(1, 0.0, 1.0)
    monkeypatch.setattr(solvers, "solver_order", lambda lp, large=False: ["A", "B", "C"])
    fake = _FakeProblem({"A": "infeasible", "B": "optimal_inaccurate", "C": "optimal"}, X())
    f, x, cert, solver = solvers.run_solvers(fake, fake.x, False, dom, lambda x: (1.0, 0.0), "test")
    assert solver == "C" and fake.calls == ["A", "B", "C"] and x[0] == 0.25
    # an "optimal" answer whose certificate we cannot confirm is a failure as well
    fake = _FakeProblem({"A": "raise", "B": "infeasible", "C": "optimal"}, X())
    with pytest.raises(SolverFailure, match="A: SolverError; B: infeasible"):
        solvers.run_solvers(fake, fake.x, False, dom, lambda x: (1.0, 0.5), "test")


def test_cvxpy_route_raises_solver_failure_when_no_solver_can_solve(monkeypatch):
    """OSQP cannot take the exponential cones of the logistic loss: nothing certified → SolverFailure."""
    solvers.solver_order.cache_clear()
    monkeypatch.setattr(solvers, "solver_order", lambda lp, large=False: ["OSQP"])
    inst = make_instance("logistic", "ball", 0.0, seed=0)
    with pytest.raises(SolverFailure, match="OSQP"):
        best_fixed(inst, [5], method="cvxpy")


def test_stalled_first_order_checkpoint_falls_back_to_cvxpy(monkeypatch):
    from regret.comparator import smooth

    inst = make_instance("logistic", "ball", 0.0, seed=1)
    good = best_fixed(inst, CPS)

    def stalled(block, dom, x0, rtol=1e-9):  # returns the start point, uncertified
        x = dom.default_start()
        f, g = block.value_grad(x)
        return x, f, certificates.gap(dom, x, g), "stalled"

    monkeypatch.setattr(smooth, "solve", stalled)
    curve = best_fixed(inst, CPS)
    assert "cvxpy at 4 checkpoints" in curve.solver
    np.testing.assert_allclose(curve.value, good.value, rtol=1e-7)
    np.testing.assert_array_less(curve.certificate / np.maximum(1, np.abs(curve.value)), 1e-6)


# -- the objective the comparator minimises ----------------------------------------------------------
@pytest.mark.parametrize("name", CONVEX)
def test_block_matches_family_total_and_finite_differences(name):
    rng = np.random.default_rng(4)
    inst = make_instance(name, "ball", 0.3, seed=4)
    c = checkpoint_counts(inst, [36])[0]
    block = Block(inst.family, inst.A, inst.b, c)
    x = rng.standard_normal(inst.d) * 0.5
    f, g = block.value_grad(x)
    rows = inst.idx[:36]
    assert abs(f - inst.family.total(x, inst.A[rows], inst.b[rows])) <= 1e-12 * max(1, abs(f))
    np.testing.assert_allclose(g, inst.family.total_grad(x, inst.A[rows], inst.b[rows]), rtol=1e-11, atol=1e-11)
    if inst.family.differentiable:
        H = block.hessian(x)
        eps = 1e-6
        Hfd = np.stack([(block.grad(x + eps * e) - block.grad(x - eps * e)) / (2 * eps) for e in np.eye(inst.d)])
        np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-5 * max(1.0, np.abs(H).max()))


# -- end to end: regret.run(..., comparator=True) ----------------------------------------------------
@pytest.mark.parametrize("name,params,T", [("logistic", {}, 400), ("least_squares", {}, 400),
                                            ("hinge", {}, 300), ("digits", {}, 300),
                                            ("huber", {"domain": "box"}, 300),
                                            ("absolute", {"domain": "simplex"}, 300)])
def test_regret_end_to_end(name, params, T):
    res = regret.run(regret.optimizer("adam", alpha=0.05), regret.problem(name, **params), T=T, seeds=2)
    assert res.regret.shape == (2, res.checkpoints.size)
    assert np.all(np.isfinite(res.regret))
    assert np.all(res.certificate >= 0)
    np.testing.assert_array_less(res.certificate / np.maximum(1, np.abs(res.comparator_loss)), 1e-8)
    insts = [regret.problem(name, **params).instance(T, s) for s in res.seeds]
    for j, inst in enumerate(insts):
        cur = res.comparator[j]
        # the comparator is at most the loss of any fixed point: the start and the learner's last point
        for xfix in (res.x_start[j], res.x_final[j]):
            for k, Tk in enumerate(res.checkpoints):
                assert cur.value[k] <= F_of(inst, Tk, xfix) + 1e-9 * max(1.0, abs(cur.value[k]))
        np.testing.assert_allclose(res.regret[j], res.learner_loss[j] - cur.value)
    # the cache shares one computation between optimizers on the same instances
    res2 = regret.run(regret.optimizer("sgd", alpha=0.05), regret.problem(name, **params), T=T, seeds=2)
    assert res2.comparator[0] is res.comparator[0]


def test_cache_distinguishes_instances_with_equal_names():
    rng = np.random.default_rng(0)
    A1, A2 = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    i1 = from_arrays("linear", domains.box(2), A1)
    i2 = from_arrays("linear", domains.box(2), A2)
    assert best_fixed_cached(i1, [5]).value[0] == linear_closed_form(i1, [5]).value[0]
    assert best_fixed_cached(i2, [5]).value[0] == linear_closed_form(i2, [5]).value[0]
