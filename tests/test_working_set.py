"""The working-set route of the piecewise-linear families (hinge, absolute; regret.comparator.nonsmooth)
against an independent reference: cvxpy's explicit-slack program over every row at once
(``method="cvxpy"``, :mod:`regret.comparator.cvx`), which has no working set, no trust region and no
constraint generation.

The route solves its LPs with HiGHS through highspy (scipy's linprog when highspy is missing or
fails) and the SOCP of an active ball with Clarabel, without cvxpy; each answer counts only through
our own dual bound. These tests check the values
against the reference, that every certificate is accepted and valid (value − certificate is a lower
bound on F*, so it cannot exceed the reference's value), that the direct solvers are the ones that
answered (so a silent fallback to cvxpy cannot hide), that the fallback works when they fail, and
that the trust region, the constraint generation and the re-centring are exercised.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import regret
from regret import domains
from regret.comparator import best_fixed, nonsmooth
from regret.comparator.objective import checkpoint_blocks
from regret.comparator.solvers import ACCEPT_RTOL
from regret.losses import Family
from regret.problems import from_arrays
from regret.problems.base import Instance

pytest.importorskip("cvxpy")

D = 4  # k = max(64, 8d) = 64 rows start a working set: 150–600 rows need the trust region
CPS = np.array([1, 7, 40, 64, 90, 150, 333, 600])
DIRECT = {nonsmooth.HIGHS, nonsmooth.CLARABEL}


def make_domain(kind):
    return {"box": lambda: domains.box(D, -0.8, 1.2), "simplex": lambda: domains.simplex(D, 1.5),
            "ball": lambda: domains.ball(D, 50.0, center=0.1),  # the minimiser is inside: inactive
            "small ball": lambda: domains.ball(D, 0.3, center=0.1),  # active
            "unbounded": lambda: domains.unbounded(D)}[kind]()


def make_instance(name, kind, how, seed, l2=0.0, T=600):
    """``how``: "rows" (150 rows drawn with repetition: multiplicities > 1), "periodic" (a period of
    97 rounds repeated), "stream" (a generated stream, each row once: prefix blocks)."""
    rng = np.random.default_rng(seed)
    fam = Family(name, l2=l2)
    dom = make_domain(kind)
    if how == "stream":  # the spec's own domain of the same kind (its box and ball are centred at 0)
        radius = {"box": 1.0, "simplex": 1.5, "ball": 50.0, "small ball": 0.3}[kind]
        return regret.problem(name, d=D, domain=dom.kind, radius=radius, l2=l2).instance(T, seed)
    n = 150 if how == "rows" else 97
    A = rng.standard_normal((n, D))
    if name == "hinge":
        b = np.where(A @ rng.standard_normal(D) + 0.8 * rng.standard_normal(n) >= 0, 1.0, -1.0)
    else:
        b = A @ rng.standard_normal(D) + 0.5 * rng.standard_normal(n)
    if how == "rows":
        return from_arrays(fam, dom, A, b, idx=rng.integers(0, n, size=T))
    return Instance("periodic", fam, dom, A, b, rng.permutation(n), rounds=T)


def F_of(inst, T, x):
    """Σ_{t≤T} f_t(x) round by round (the definition, not the row-weighted form)."""
    rows = inst.round_rows(0, T)
    return inst.family.total(x, inst.A[rows], inst.b[rows])


class Recorder:
    """Wraps a direct solver of nonsmooth and records each sub-problem it is given."""

    def __init__(self, fn):
        self.fn, self.subs = fn, []

    def __call__(self, sub, *args):
        self.subs.append(sub)
        return self.fn(sub, *args)


CASES = [(name, kind, how) for name in ("hinge", "absolute")
         for kind in ("box", "simplex", "ball", "small ball") for how in ("rows", "periodic", "stream")]


@pytest.mark.parametrize("name,kind,how", CASES, ids=[f"{n}-{k}-{h}" for n, k, h in CASES])
def test_direct_route_matches_the_full_cvxpy_program(name, kind, how, monkeypatch):
    inst = make_instance(name, kind, how, seed=sum(map(ord, name + kind + how)))
    subs = []
    for solver in ("highs_lp", "clarabel_socp"):
        rec = Recorder(getattr(nonsmooth, solver))
        rec.subs = subs
        monkeypatch.setattr(nonsmooth, solver, rec)

    def no_cvxpy(*args, **kw):
        raise AssertionError("the working set fell back to cvxpy")

    monkeypatch.setattr(nonsmooth, "cvxpy_ladder", no_cvxpy)  # the direct solvers must answer alone
    fast = best_fixed(inst, CPS, method="working_set")
    monkeypatch.undo()
    ref = best_fixed(inst, CPS, method="cvxpy")

    scale = np.maximum(1.0, np.abs(ref.value))
    np.testing.assert_array_less(np.abs(fast.value - ref.value) / scale, 1e-7)
    # our certificates are accepted by our own bound ...
    np.testing.assert_array_less(fast.certificate, ACCEPT_RTOL * np.maximum(1.0, np.abs(fast.value)) + 1e-300)
    assert np.all(fast.certificate >= 0)
    # ... and valid: value − certificate ≤ F* ≤ the reference's value, and the reference's lower bound
    # is below our value as well
    assert np.all(fast.value - fast.certificate <= ref.value + 1e-12 * scale)
    assert np.all(ref.value - ref.certificate <= fast.value + 1e-12 * scale)
    for k, T in enumerate(CPS):
        assert inst.domain.contains(fast.x[k], tol=1e-9)
        assert abs(F_of(inst, int(T), fast.x[k]) - fast.value[k]) <= 1e-9 * scale[k]
    assert set(fast.solver.split("/")) <= DIRECT, fast.solver
    if kind in ("box", "simplex", "ball"):
        assert fast.solver == nonsmooth.HIGHS  # LPs, and the inactive ball's bounding box
    else:
        assert nonsmooth.CLARABEL in fast.solver  # the active ball: the SOCP
    # both regimes ran: the full problem (ρ = ∞, T' ≤ 64 rows) and trust regions (ρ < ∞)
    rhos = [sub.rho for sub in subs]
    assert any(np.isinf(rhos)) and any(np.isfinite(rhos))


@pytest.mark.parametrize("name", ["hinge", "absolute"])
@pytest.mark.parametrize("kind", ["box", "unbounded"])
def test_qp_with_l2_goes_through_the_cvxpy_ladder_and_matches(name, kind):
    inst = make_instance(name, kind, "rows", seed=5, l2=0.3)
    fast = best_fixed(inst, CPS, method="working_set")
    ref = best_fixed(inst, CPS, method="cvxpy")
    scale = np.maximum(1.0, np.abs(ref.value))
    np.testing.assert_array_less(np.abs(fast.value - ref.value) / scale, 1e-7)
    assert np.all(fast.value - fast.certificate <= ref.value + 1e-12 * scale)
    assert "via cvxpy" in fast.solver and nonsmooth.HIGHS not in fast.solver


@pytest.mark.parametrize("name", ["hinge", "absolute"])
@pytest.mark.parametrize("kind", ["box", "simplex", "small ball"])
def test_far_start_recentres_and_generates_rows(name, kind, monkeypatch):
    """From a reference point far from the minimiser, with a first radius (the hint) well beyond the
    band of the k nearest rows, the trust region binds and the model is wrong at first: rows join K
    by generation (K grows at one centre and radius) and the region is re-centred (a new centre) —
    and the answer is still the certified minimiser of the full problem."""
    inst = make_instance(name, kind, "stream", seed=11, T=3000)
    _, block = next(checkpoint_blocks(inst, [3000]))
    dom = inst.domain
    far = dom.project(dom.P[0] + np.array([0.3, 0, 0, 0]) if dom.kind == "ball" else np.full(D, 1.0))
    subs = []
    for solver in ("highs_lp", "clarabel_socp"):
        rec = Recorder(getattr(nonsmooth, solver))
        rec.subs = subs
        monkeypatch.setattr(nonsmooth, solver, rec)
    x, f, cert, solver = nonsmooth.working_set(block, dom, far, rho_hint=0.1)
    monkeypatch.undo()
    ref = best_fixed(inst, [3000], method="cvxpy")
    assert abs(f - ref.value[0]) <= 1e-7 * max(1.0, abs(ref.value[0]))
    assert cert <= ACCEPT_RTOL * max(1.0, abs(f)) and f - cert <= ref.value[0] + 1e-12 * max(1.0, abs(f))
    assert solver in DIRECT
    assert all(np.isfinite(sub.rho) for sub in subs)  # never the full problem: always a trust region
    assert len({tuple(sub.x_ref) for sub in subs}) >= 2, "no re-centring"
    grew = any(a.AK.shape[0] < b.AK.shape[0] and np.array_equal(a.x_ref, b.x_ref) and a.rho == b.rho
               for a, b in zip(subs, subs[1:]))
    # (on the small ball every hinge margin 1 − b⟨a, x⟩ ≥ 1 − 0.4‖a‖ stays mostly positive: few rows
    # come near their kink, and none changes its piece)
    assert grew or (name, kind) == ("hinge", "small ball"), "no row generated"


@pytest.mark.parametrize("name", ["hinge", "absolute"])
def test_failed_or_uncertified_direct_solves_fall_back_to_cvxpy(name, monkeypatch):
    inst = make_instance(name, "box", "rows", seed=3)
    good = best_fixed(inst, CPS, method="working_set")
    # HiGHS reports a failure: every sub-problem goes to the cvxpy ladder
    monkeypatch.setattr(nonsmooth, "highs_lp", lambda sub, model=None: None)
    curve = best_fixed(inst, CPS, method="working_set")
    assert set(curve.solver.split("/")) <= {f"{s} via cvxpy" for s in ("HIGHS", "CLARABEL", "ECOS", "SCS")}
    np.testing.assert_allclose(curve.value, good.value, rtol=1e-7)
    # HiGHS answers with the right point but useless multipliers (u = 0): our bound does not accept
    # it, and the same sub-problem is solved again by the ladder
    monkeypatch.undo()
    real = nonsmooth.highs_lp

    def zero_multipliers(sub, model=None):
        out = real(sub, model)
        return None if out is None else (out[0], np.zeros_like(out[1]), out[2])

    monkeypatch.setattr(nonsmooth, "highs_lp", zero_multipliers)
    curve = best_fixed(inst, CPS, method="working_set")
    assert "via cvxpy" in curve.solver
    np.testing.assert_allclose(curve.value, good.value, rtol=1e-7)
    np.testing.assert_array_less(curve.certificate, ACCEPT_RTOL * np.maximum(1.0, np.abs(curve.value)) + 1e-300)


def random_sub(name, kind="box", size=40, seed=0, rows=None):
    """A sub-problem of a trust region (x_ref = 0.2, ρ = 0.3) over ``size`` random rows of one block
    (or the block rows ``rows``), with a random γ."""
    inst = make_instance(name, kind, "rows", seed=8)
    _, block = next(checkpoint_blocks(inst, [600]))
    rng = np.random.default_rng(seed)
    K = np.sort(rng.choice(block.A.shape[0], size, replace=False)) if rows is None else rows
    gamma = rng.standard_normal(D) * 5
    sub = nonsmooth.Sub(name, block.A[K], block.b[K], block.c[K], 0.0, gamma, block.n, 0.0, inst.domain,
                        np.full(D, 0.2), 0.3, K)
    return sub, block


@pytest.mark.parametrize("route", ["highspy_lp", "scipy_lp"])
def test_highs_multipliers_are_the_slack_multipliers_of_the_explicit_form(route):
    """The sign conventions of both routes: u_K from HiGHS (the dual form's primal values) and x̂
    (minus highspy's row duals, minus scipy's equality marginals) equal cvxpy's primal point and slack
    duals (×n) on one sub-problem."""
    import cvxpy as cp

    for name in ("hinge", "absolute"):
        sub, block = random_sub(name)
        AK, bK, cK, gamma, x_ref, K = sub.AK, sub.bK, sub.cK, sub.gamma, sub.x_ref, sub.rows
        x_h, u_h, solver = getattr(nonsmooth, route)(sub)
        assert solver == (nonsmooth.HIGHS if route == "highspy_lp" else nonsmooth.HIGHS_SCIPY)
        x, s = cp.Variable(D), cp.Variable(K.size)
        z = AK @ x
        slack = [s >= 1 - cp.multiply(bK, z), s >= 0] if name == "hinge" else [s >= z - bK, s >= bK - z]
        cons = slack + sub.dom.cvxpy_constraints(x) + [x >= x_ref - 0.3, x <= x_ref + 0.3]
        cp.Problem(cp.Minimize((gamma @ x + cK @ s) / block.n), cons).solve(solver="CLARABEL", tol_gap_abs=1e-11,
                                                                            tol_gap_rel=1e-11, tol_feas=1e-11)
        y1 = slack[0].dual_value * block.n
        u = y1 if name == "hinge" else y1 - slack[1].dual_value * block.n
        np.testing.assert_allclose(x_h, x.value, atol=1e-6)
        np.testing.assert_allclose(u_h, u, atol=1e-5 * cK.max())


@pytest.mark.parametrize("name", ["hinge", "absolute"])
@pytest.mark.parametrize("kind", ["box", "simplex", "unbounded"])
def test_highspy_warm_resolve_after_generation_matches_a_cold_solve(name, kind):
    """Rows generated in one trust region join the LP held by the checkpoint's HighsModel as columns
    (the re-solve starts from the last basis); the answer, returned in the sub-problem's row order,
    is the cold solve's (highspy and scipy), and a new trust region builds the LP anew."""
    sub0, _ = random_sub(name, kind, size=30, seed=1)
    rng = np.random.default_rng(2)
    extra = rng.choice(np.setdiff1d(np.arange(150), sub0.rows), 25, replace=False)
    rows = np.sort(np.concatenate([sub0.rows, extra]))
    sub1, _ = random_sub(name, kind, rows=rows, seed=3)  # more rows, another γ, the same region
    model = nonsmooth.HighsModel()
    assert nonsmooth.highs_lp(sub0, model)[2] == nonsmooth.HIGHS
    ncols = model.solver().getNumCol()
    x_w, u_w, solver = nonsmooth.highs_lp(sub1, model)
    assert solver == nonsmooth.HIGHS
    assert model.solver().getNumCol() == ncols + extra.size  # columns added, not a new LP
    assert sorted(model.rows) == list(rows) and np.all(model.ycols[-extra.size:] >= ncols)
    for cold in (nonsmooth.highs_lp(sub1), nonsmooth.scipy_lp(sub1)):
        np.testing.assert_allclose(x_w, cold[0], atol=1e-7)
        np.testing.assert_allclose(u_w, cold[1], atol=1e-6 * sub1.cK.max())
    # another trust region: a new LP over its own rows
    sub2 = nonsmooth.Sub(name, sub0.AK, sub0.bK, sub0.cK, 0.0, sub0.gamma, sub0.n, 0.0, sub0.dom,
                         np.full(D, 0.35), 0.2, sub0.rows)
    x2, u2, _ = nonsmooth.highs_lp(sub2, model)
    assert model.solver().getNumCol() == ncols and np.array_equal(model.rows, sub0.rows)
    np.testing.assert_allclose(x2, nonsmooth.scipy_lp(sub2)[0], atol=1e-7)


@pytest.mark.parametrize("name", ["hinge", "absolute"])
@pytest.mark.parametrize("failure", ["missing", "raises", "not optimal"])
def test_highspy_failure_falls_back_to_scipy(name, failure, monkeypatch):
    """highspy absent (its import fails), raising, or reporting a status other than optimal: scipy's
    linprog solves the same LP, with the same values and certificates."""
    inst = make_instance(name, "box", "rows", seed=3)
    good = best_fixed(inst, CPS, method="working_set")
    assert good.solver == nonsmooth.HIGHS
    if failure == "missing":
        monkeypatch.setitem(sys.modules, "highspy", None)  # `import highspy` raises ImportError
    elif failure == "raises":
        def boom(*args, **kw):
            raise RuntimeError("highspy crashed")
        monkeypatch.setattr(nonsmooth, "highspy_lp", boom)
    else:
        import highspy

        monkeypatch.setattr(highspy.Highs, "getModelStatus", lambda self: highspy.HighsModelStatus.kNotset)
    curve = best_fixed(inst, CPS, method="working_set")
    assert curve.solver == nonsmooth.HIGHS_SCIPY
    np.testing.assert_allclose(curve.value, good.value, rtol=1e-9)
    np.testing.assert_array_less(curve.certificate, ACCEPT_RTOL * np.maximum(1.0, np.abs(curve.value)) + 1e-300)


def test_the_direct_path_does_not_import_cvxpy():
    """cvxpy costs ~1 s to import; an LP instance's comparator must not need it."""
    code = textwrap.dedent("""
        import sys
        import numpy as np
        from regret import domains
        from regret.comparator import best_fixed
        from regret.problems import from_arrays
        rng = np.random.default_rng(0)
        A = rng.standard_normal((300, 4))
        b = np.where(A @ rng.standard_normal(4) >= 0, 1.0, -1.0)
        curve = best_fixed(from_arrays("hinge", domains.box(4), A, b), [10, 100, 300])
        assert curve.solver == "HiGHS dual simplex (highspy)", curve.solver
        assert "cvxpy" not in sys.modules, "cvxpy was imported"
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"  # and HiGHS printed nothing on stdout (highspy's banner)


@pytest.mark.parametrize("kind", ["box", "small ball"])
def test_a_bound_too_loose_to_certify_is_a_solver_failure_not_a_comparator(kind, monkeypatch):
    """Whatever the solvers answer, a point our bound cannot certify to REJECT_RTOL is refused (the
    other routes' rule): with a bound 100 below F everywhere, working_set raises SolverFailure."""
    from regret.errors import SolverFailure

    inst = make_instance("hinge", kind, "rows", 3)
    monkeypatch.setattr(nonsmooth, "best_dual_bound", lambda name, A, b, c, u, x, dom, lam, m=None:
                        float(np.dot(c, np.maximum(0.0, 1.0 - b * (A @ x)))) - 100.0)
    with pytest.raises(SolverFailure, match="certificate"):
        best_fixed(inst, CPS[:3], method="working_set")
    # and when the cvxpy ladder hands back a point without raising (its status-only acceptance of a
    # sub-problem), the answer is judged by our bound all the same
    last = {}
    for fn in ("highs_lp", "clarabel_socp"):
        def direct(sub, *args, _fn=getattr(nonsmooth, fn)):
            sol = _fn(sub, *args)
            last["sol"] = sol
            return sol
        monkeypatch.setattr(nonsmooth, fn, direct)
    monkeypatch.setattr(nonsmooth, "cvxpy_ladder", lambda sub, lp, judge: (last["sol"][0], last["sol"][1], "stub via cvxpy"))
    with pytest.raises(SolverFailure, match="certificate"):
        best_fixed(inst, CPS[:3], method="working_set")
