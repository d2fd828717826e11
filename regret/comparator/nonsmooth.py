"""Lagrange dual lower bounds for the max-affine losses (hinge, absolute), so that a certificate
for an LP/SOCP/QP solution is checked by us and not taken from the solver.

Each loss is a maximum of affine functions of x, written with a bounded multiplier u_r:

    hinge:    c·max(0, 1 − b⟨a, x⟩)  = max_{u∈[0, c]}  u·(1 − b⟨a, x⟩),
    absolute: c·|⟨a, x⟩ − b|        = max_{u∈[−c, c]} u·(⟨a, x⟩ − b).

Hence for every u in the box (weak duality; Boyd & Vandenberghe, Convex Optimization, §5.2),

    F(x) ≥ κ(u) + ⟨v(u), x⟩ + (λ/2)‖x‖²   for all x,   λ = l2·n,
    F*   ≥ κ(u) + min_{x∈X} [⟨v(u), x⟩ + (λ/2)‖x‖²]  =: L(u),

with κ = Σu, v = −Aᵀ(b∘u) (hinge) and κ = −⟨b, u⟩, v = Aᵀu (absolute). The inner minimum is the
domain's support function for λ = 0 and the value at Π_X(−v/λ) for λ > 0
(:func:`.certificates.min_linear_plus_ridge`). u is taken from the solver's multipliers of the
explicit slack constraints, clipped to its box — whatever the solver returns, L(u) is a valid bound,
and F(x̂) − L(u) ≥ F(x̂) − F* is the certificate.

The minimiser: :func:`working_set`, constraint generation in a trust region around the previous
checkpoint's minimiser, whose LPs go to HiGHS's dual simplex through highspy, HiGHS's own Python
bindings (:func:`highs_lp`; scipy's ``linprog`` when highspy is missing or fails), the SOCP of an
active L2 ball to Clarabel (:func:`clarabel_socp`), and QPs (l2 > 0) — and any direct
answer our bound does not accept — to the cvxpy ladder of :mod:`.solvers` (:func:`cvxpy_ladder`).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ..errors import SolverFailure
from . import certificates as C
from .solvers import ACCEPT_RTOL, REJECT_RTOL, SOLVER_OPTIONS, _quiet_stdout, run_solvers

LARGE_LP = 2000  # rows: above this an interior-point solver goes first (see .solvers.solver_order)


def dual_bounds(name, A, b, c, U, dom, lam) -> list[float]:
    """L(u) (see the module docstring) for each column u of U (rows × candidates) at once — one pass
    over A for all of them — for rows (A, b) with multiplicities c; NaN (never a bound) for a column
    with a NaN entry (np.clip keeps it) or whose arithmetic overflows."""
    U = np.asarray(U, dtype=np.float64)
    U = U[:, None] if U.ndim == 1 else U
    nan_col = np.isnan(U).any(axis=0)
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "hinge":
            U = np.clip(U, 0.0, c[:, None])
            kappa = U.sum(axis=0)
            V = -(A.T @ (b[:, None] * U))
        elif name == "absolute":
            U = np.clip(U, -c[:, None], c[:, None])
            kappa = -(b @ U)
            V = A.T @ U
        else:
            raise ValueError(name)
        out = [math.nan if nan_col[j] else float(kappa[j]) + C.min_linear_plus_ridge(dom, V[:, j], lam)
               for j in range(U.shape[1])]
    return [math.nan if math.isnan(v) or v == math.inf else v for v in out]


def dual_bound(name, A, b, c, u, dom, lam) -> float:
    """L(u) for one multiplier vector u (:func:`dual_bounds`)."""
    return dual_bounds(name, A, b, c, u, dom, lam)[0]


def primal_multipliers(name, A, b, c, x):
    """The multipliers that are optimal away from the kinks: u_r = c_r·∂(loss)/∂(affine piece);
    a fallback when a solver returns no dual values."""
    z = A @ x
    if name == "hinge":
        return np.where(1.0 - b * z > 0, c, 0.0)
    return c * np.sign(z - b)


def margins(name, A, b, x):
    """The argument of the kink: m = 1 − b⟨a, x⟩ (hinge: loss max(0, m)), r = ⟨a, x⟩ − b (absolute:
    loss |r|)."""
    z = A @ x
    return 1.0 - b * z if name == "hinge" else z - b


def best_dual_bound(name, A, b, c, u, x, dom, lam, m=None) -> float:
    """max of L(u) over the solver's multipliers u and their snapped versions: where the kink
    argument at x̂ is clearly away from 0 (|m| > τ, τ ∈ {1e-9, 1e-7, 1e-5}), complementary slackness
    fixes u to an end of its box; interior-point solvers return those only to ~1e-8. Every candidate
    that is a number is a valid bound (u is clipped to its box), so the maximum is one as well; NaN
    when none is. ``m``: the kink arguments at x (:func:`margins`), if the caller has them."""
    m = margins(name, A, b, x) if m is None else m
    cands = [u]
    for tau in (1e-9, 1e-7, 1e-5):
        if name == "hinge":
            us = np.where(m > tau, c, np.where(m < -tau, 0.0, u))
        else:
            us = np.where(m > tau, c, np.where(m < -tau, -c, u))
        if not np.array_equal(us, cands[-1]):  # a simplex vertex's u is snapped already: one pass over A
            cands.append(us)
    # each candidate that is a number is a valid bound; a NaN one (NaN multipliers, or arithmetic that
    # overflowed) is none, and is left out explicitly (Python's max keeps or drops a NaN depending on
    # the order of its arguments). No candidate a number: NaN, never a bound.
    cands = [v for v in dual_bounds(name, A, b, c, np.column_stack(cands), dom, lam) if not math.isnan(v)]
    return max(cands) if cands else math.nan


def working_set(block, dom, x_ref, rho_hint=0.0, socp=False, max_rounds=40):
    """min_{x∈X} F(x) for hinge/absolute over a working set K of rows, inside a trust region
    ‖x − x_ref‖∞ ≤ ρ around the reference point (the previous checkpoint's minimiser):

    * each row outside K is replaced by the affine piece it has at x_ref (hinge: 1 − b⟨a, x⟩ or 0;
      absolute: ±(⟨a, x⟩ − b)), which is ≤ its loss everywhere; the rows of K get slack variables:
      G(x) = const + ⟨γ, x⟩ + Σ_{r∈K} c_r s_r, s_r ≥ every piece of row r, so G ≤ F on X, with
      equality wherever no row outside K has changed its piece;
    * x̂ = argmin_{X∩TR} G (an explicit-slack LP; a QP with l2, an SOCP on an active ball). Rows outside
      K whose loss at x̂ exceeds their modelled piece join K, and the sub-problem is solved again
      (constraint generation), until none does: then G(x̂) = F(x̂), and if x̂ lies strictly inside the
      trust region it minimises the convex G over X, so F(x̂) = min_X G ≤ F*: x̂ minimises F.
      Otherwise re-centre at x̂ with twice the radius (and twice k) and repeat;
    * a row with |m_r(x_ref)| > ρ‖a_r‖₁ keeps its piece on the whole trust region, so a working set
      that holds all the other rows (the band) needs no generated row.

    The first radius is max(ρ_k, ``rho_hint``): ρ_k is the radius whose band holds the k ≈ max(64, 8d)
    rows nearest their kink, ``rho_hint`` the last move of the minimiser between checkpoints.

    Solvers. Without an l2 term the sub-problem is an LP on the box, the simplex and R^d, built as
    matrices and solved by HiGHS's dual simplex through highspy, HiGHS's own bindings (:func:`highs_lp`,
    which passes it its LP dual; Huangfu & Hall, "Parallelizing the dual revised simplex method",
    Math. Prog. Comp. 10, 2018): a vertex and exact multipliers in a fraction of a millisecond, where
    cvxpy's canonicalisation and solver set-up alone took ~20 ms a sub-problem and
    ``scipy.optimize.linprog`` (the fallback when highspy is missing or fails) ~2 ms of Python. One
    HiGHS instance serves a checkpoint (:class:`HighsModel`): the rows generated in one trust region
    join its LP as columns and HiGHS re-solves from its last basis. Its K starts with the k
    nearest rows and grows by generation only: the simplex method's time grows faster than the
    number of rows, and at T' = 10^5 (d = 10) the band held ~10^4 rows where generation needed
    ~1500. On the L2 ball the LP over the ball's bounding box is a relaxation: when its minimiser
    lies in the ball it minimises over the ball as well (the ball is inactive, the common case); when
    it leaves the ball, the SOCP goes to Clarabel, called directly (:func:`clarabel_socp`), for the
    rest of the checkpoint — and from the start of the next one when the minimiser is on the sphere
    (``socp``, :func:`on_sphere`). A QP (l2 > 0) is built with cvxpy over the band and solved by the
    ladder of :func:`.solvers.run_solvers`. A direct solve that fails, or whose final point is not
    certified to ``ACCEPT_RTOL``, goes to the cvxpy ladder as well, and the better certified answer
    is kept.

    The certificate is our dual bound (module docstring) with u = c·(the modelled piece's sign)
    outside K and the solver's multipliers in K, checked against F itself; whatever solver ran, a
    point certified within ``ACCEPT_RTOL`` is returned at once (on the trust region's boundary as
    well: the bound is global). Returns (x̂, F(x̂), certificate, solver)."""
    name = block.family.name
    A, b, c, n = block.A, block.b, block.c, block.n
    nrows = A.shape[0]
    rownorm1 = np.abs(A) @ np.ones(A.shape[1])  # ‖a_r‖₁, by BLAS (2.5× faster than a row sum)
    k = min(nrows, max(64, 8 * dom.d))
    lp = not block.l2 and dom.kind != "ball"
    # the sub-problem's solver: HiGHS for an LP (on the ball: over its bounding box, until the ball is
    # seen to be active), Clarabel for the SOCP of an active ball, the cvxpy ladder for a QP
    how = "cvxpy" if block.l2 else "clarabel" if socp and dom.kind == "ball" else "highs"
    x_ref = np.asarray(x_ref, dtype=np.float64)
    m = margins(name, A, b, x_ref)
    highs = HighsModel()  # this checkpoint's HiGHS instance (warm re-solves after row generation)
    for _ in range(max_rounds):
        ratio = np.abs(m) / np.maximum(rownorm1, 1e-300)
        if k < nrows:
            rho_k = float(np.partition(ratio, k - 1)[k - 1])
            rho = max(rho_k, rho_hint)
            inK = ratio <= (rho if how == "cvxpy" else rho_k)
            if how == "cvxpy" and inK.all():
                rho = np.inf  # every row may change its piece on the trust region: the full problem
        else:
            rho, inK = np.inf, np.ones(nrows, dtype=bool)
        # the modelled piece of each row at x_ref, as the multiplier u/c it implies:
        # hinge 1 − b⟨a, x⟩ (u = c) where m > 0, else 0 (u = 0); absolute sg·(⟨a, x⟩ − b), sg = sign(m)
        piece = (m > 0).astype(np.float64) if name == "hinge" else np.sign(m)
        u_out = piece * c
        const, gamma = affine_sum(name, A, b, np.where(inK, 0.0, u_out))

        def judge(x_hat, u_K, inK, m_hat=None, rho=rho, x_ref=x_ref, u_out=u_out, piece=piece):
            """(L(u), F(x̂), x̂ strictly inside the trust region, the modelled rows wrong at x̂)."""
            m_hat = margins(name, A, b, x_hat) if m_hat is None else m_hat
            u = np.where(inK, 0.0, u_out)
            u[inK] = u_K
            lb = best_dual_bound(name, A, b, c, u, x_hat, dom, block.mu, m=m_hat)
            f = block.value(x_hat)
            inside = not np.isfinite(rho) or float(np.abs(x_hat - x_ref).max()) < rho * (1 - 1e-7)
            return lb, f, inside, modelled_wrong(name, piece, inK, m_hat)

        while True:
            rows = np.flatnonzero(inK)
            sub = Sub(name, A[rows], b[rows], c[rows], const, gamma, n, block.l2, dom, x_ref, rho, rows)
            sol = None
            if how == "highs":
                sol = highs_lp(sub, highs)
                if sol is not None and dom.kind == "ball" and not dom.contains(sol[0], tol=1e-9):
                    how = "clarabel"  # the bounding box's minimiser leaves the ball: the ball is active
            if how == "clarabel":
                sol = clarabel_socp(sub)
            if sol is None:
                x_hat, u_K, solver = cvxpy_ladder(sub, lp, functools.partial(judge, inK=inK.copy()))
            else:
                x_hat, u_K, solver = dom.project(sol[0]) if dom.bounded else sol[0], sol[1], sol[2]
            m_hat = margins(name, A, b, x_hat)
            wrong = modelled_wrong(name, piece, inK, m_hat)
            if not wrong.any():
                break
            # the wrong rows leave the affine sum (it is linear in the weights) and join K
            const_w, gamma_w = affine_sum(name, A[wrong], b[wrong], u_out[wrong])
            const, gamma = const - const_w, gamma - gamma_w
            inK = inK | wrong
        lb, f, inside, _ = judge(x_hat, u_K, inK, m_hat)
        if C.within(C.nonneg(f - lb), f, ACCEPT_RTOL):
            return x_hat, f, C.nonneg(f - lb), solver
        if inside:
            if solver in (HIGHS, HIGHS_SCIPY, CLARABEL):
                # not certified: the same sub-problem by the cvxpy ladder; the better certified answer
                try:
                    alt = cvxpy_ladder(sub, lp, functools.partial(judge, inK=inK.copy()))
                except SolverFailure:
                    if not C.within(C.nonneg(f - lb), f, REJECT_RTOL):
                        raise
                else:
                    lb2, f2, _, _ = judge(alt[0], alt[1], inK)
                    if not C.nonneg(f2 - lb2) >= C.nonneg(f - lb):  # better, or ours is NaN
                        (x_hat, _, solver), lb, f = alt, lb2, f2
            return _certified(x_hat, f, lb, solver, name, dom)
        x_ref, m = x_hat, m_hat
        k = min(nrows, 2 * k)
        rho_hint = 2 * rho
    return _certified(x_hat, f, lb, solver, name, dom)


def _certified(x_hat, f, lb, solver, name, dom):
    """(x̂, F(x̂), certificate, solver) when our bound certifies x̂ to REJECT_RTOL·max(1, |F|) (the
    threshold of every other route), else :class:`SolverFailure`: a valid bound too loose to say
    anything is not a comparator."""
    cert = C.nonneg(f - lb)
    if not C.within(cert, f, REJECT_RTOL):
        raise SolverFailure(f"{name} comparator on {dom.describe()}: certificate {cert:.3g} > {REJECT_RTOL:g}·max(1, |F|) "
                            f"with F = {f:.6g} after {solver}")
    return x_hat, f, cert, solver


def on_sphere(dom, x) -> bool:
    """x lies on the boundary of the L2 ball X (to 1e-6 relative): the ball was active at the last
    checkpoint, so :func:`working_set` starts the next one with the SOCP (``socp=True``) instead of
    first trying the LP over the bounding box."""
    return dom.kind == "ball" and float(np.linalg.norm(x - dom.P[0])) >= dom.r * (1 - 1e-6)


def affine_sum(name, A, b, w):
    """(const, γ) of Σ_r w_r·(modelled piece of row r) = const + ⟨γ, x⟩: hinge Σ w (1 − b⟨a, x⟩),
    absolute Σ w (⟨a, x⟩ − b) (w = c·piece, see :func:`working_set`)."""
    if name == "hinge":
        return float(w.sum()), -(A.T @ (w * b))
    return -float(w @ b), A.T @ w


def modelled_wrong(name, piece, inK, m):
    """The rows outside K whose loss exceeds their modelled piece where the kink arguments are m
    (see :func:`working_set`): hinge rows modelled by 1 − b⟨a, x⟩ with m < 0, or by 0 with m > 0;
    absolute rows modelled by sg·(⟨a, x⟩ − b) with m of the other sign."""
    if name == "hinge":
        wrong = np.where(piece > 0, m < 0, m > 0)
    else:
        wrong = (np.sign(m) != piece) & (m != 0)
    return wrong & ~inK


@dataclass
class Sub:
    """One sub-problem of :func:`working_set`, divided by n = T' (so that its size does not grow with
    T'; the multipliers are scaled back by n):

        min_{x ∈ X, ‖x − x_ref‖∞ ≤ ρ}  (const + ⟨γ, x⟩ + Σ_{r∈K} c_r s_r)/n + (l2/2)‖x‖²
        hinge:    s_r ≥ 1 − b_r⟨a_r, x⟩,  s_r ≥ 0
        absolute: s_r ≥ ⟨a_r, x⟩ − b_r,   s_r ≥ b_r − ⟨a_r, x⟩."""

    name: str
    AK: np.ndarray
    bK: np.ndarray
    cK: np.ndarray
    const: float
    gamma: np.ndarray
    n: float
    l2: float
    dom: object
    x_ref: np.ndarray
    rho: float
    rows: np.ndarray | None = None  # K as indices of the block's rows, ascending (AK = A[rows])

    def slack_rows(self):
        """The slack constraints as G [x; s] ≤ h with G sparse by columns (scipy CSC): a dense column
        per coordinate of x, then for s_r a −1 in each row of its pieces (r; and r + |K| for the
        absolute loss, whose rows are ⟨a_r, x⟩ − s_r ≤ b_r and −⟨a_r, x⟩ − s_r ≤ −b_r)."""
        from scipy.sparse import csc_array

        AK, bK = self.AK, self.bK
        k, d = AK.shape
        if self.name == "hinge":
            P, h = -(bK[:, None] * AK), -np.ones(k)
        else:
            P, h = np.vstack([AK, -AK]), np.concatenate([bK, -bK])
        rows, pieces = P.shape[0], P.shape[0] // k
        s_rows = (np.arange(k)[:, None] + k * np.arange(pieces)).ravel()
        G = csc_array((np.concatenate([P.T.ravel(), -np.ones(rows)]),
                       np.concatenate([np.tile(np.arange(rows), d), s_rows]),
                       np.concatenate([np.arange(d + 1) * rows, d * rows + pieces * np.arange(1, k + 1)])),
                      shape=(rows, d + k))
        return G, h

    def multipliers(self, y):
        """u_K from the multipliers y ≥ 0 of the slack rows of the problem divided by n."""
        k = self.AK.shape[0]
        return self.n * y if self.name == "hinge" else self.n * (y[:k] - y[k:])

    def cost(self):
        return np.concatenate([self.gamma, self.cK]) / self.n


HIGHS = "HiGHS dual simplex (highspy)"
HIGHS_SCIPY = "HiGHS dual simplex (scipy)"  # the fallback route of :func:`highs_lp`
# HiGHS's options for these LPs (highspy; the scipy route sets the same through linprog): the dual
# simplex method (simplex_strategy 1); no presolve (these LPs are small and dense: presolve removed
# nothing and cost a fifth of the time); no output
HIGHSPY_OPTIONS = {"output_flag": False, "solver": "simplex", "simplex_strategy": 1, "presolve": "off"}
CLARABEL = "Clarabel"


def trust_box(dom, x_ref, rho):
    """Bounds lo ≤ x ≤ hi of the polyhedral part of X ∩ {‖x − x_ref‖∞ ≤ ρ}: the box itself, x ∈ [0, r]
    on the simplex {x ≥ 0, Σx = r} (its equality is a row), the bounding box [c − r, c + r] of the
    ball ‖x − c‖ ≤ r (a relaxation, see :func:`working_set`), nothing on R^d."""
    d = dom.d
    if dom.kind == "box":
        lo, hi = dom.P[0], dom.P[1]
    elif dom.kind == "simplex":
        lo, hi = np.zeros(d), np.full(d, dom.r)
    elif dom.kind == "ball":
        lo, hi = dom.P[0] - dom.r, dom.P[0] + dom.r
    else:
        lo, hi = np.full(d, -np.inf), np.full(d, np.inf)
    if np.isfinite(rho):
        lo, hi = np.maximum(lo, x_ref - rho), np.minimum(hi, x_ref + rho)
    return lo, hi


class HighsModel:
    """A ``highspy.Highs`` instance kept over the sub-problems of one checkpoint (:func:`working_set`:
    one block of rows, one n) and what its LP holds: the trust region (x_ref, ρ) it was built for, the
    block rows of its y columns and those columns' indices. While the trust region stays, a re-solve
    after row generation adds the new rows as columns (``addCols``) and changes the right-hand sides
    (γ/n), and HiGHS starts from its last basis instead of from scratch (36 such re-solves of the hinge
    benchmark, T = 10^5: 0.065 s cold, 0.038 s warm, half the simplex iterations); any other
    sub-problem replaces the LP (``passModel``)."""

    def __init__(self):
        self.highs = None  # made at first use
        self.forget()

    def forget(self):
        """The next sub-problem builds its LP anew (after a failure, or a new trust region)."""
        self.region, self.rows, self.ycols = None, None, None

    def solver(self):
        if self.highs is None:
            self.highs = new_highs()
        return self.highs


def new_highs():
    """A ``highspy.Highs`` with :data:`HIGHSPY_OPTIONS`; highspy prints HiGHS's banner on stdout when
    its first instance is made, whatever the options, so that moment is kept off stdout."""
    import highspy

    with _quiet_stdout():
        h = highspy.Highs()
    for key, value in HIGHSPY_OPTIONS.items():
        h.setOptionValue(key, value)
    return h


def dual_columns(sub: Sub, sel=None):
    """The y columns of :func:`highs_lp`'s LP for the rows ``sel`` of K (all by default), column-wise:
    (cost, lower, upper, start, index, value) — each column dense, d entries."""
    AK, bK, cK, n = sub.AK, sub.bK, sub.cK, sub.n
    if sel is not None:
        AK, bK, cK = AK[sel], bK[sel], cK[sel]
    k, d = AK.shape
    if sub.name == "hinge":
        cols, cost, y_lo, y_hi = bK[:, None] * AK, -np.ones(k), np.zeros(k), cK / n
    else:
        cols, cost, y_lo, y_hi = -AK, bK.astype(np.float64), -cK / n, cK / n
    start = (np.arange(k) * d).astype(np.int32)
    index = np.tile(np.arange(d, dtype=np.int32), k)
    return cost, y_lo, y_hi, start, index, np.ascontiguousarray(cols, dtype=np.float64).ravel()


def highs_lp(sub: Sub, model: HighsModel | None = None):
    """The LP of ``sub`` (no l2 term; on the ball over its bounding box) by HiGHS's dual simplex
    (Huangfu & Hall, "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10, 2018),
    called through highspy, HiGHS's own Python bindings, and given to it as its LP dual — the module
    docstring's bound for the model G, all divided by n:

        max_{u ∈ box}  κ(u) + min_{x ∈ B} ⟨γ + v(u), x⟩,   B = :func:`trust_box` (∩ {Σx = r} on the simplex),
        min_{x ∈ B} ⟨w, x⟩ = max { ⟨lo, p⟩ − ⟨hi, q⟩ + r·t : p − q + t·1 = w, p, q ≥ 0 }

    (p_i dropped where lo_i = −∞, q_i where hi_i = +∞, t only on the simplex). That is d equality
    rows and |K| + 2d (+1) bounded columns, where the explicit-slack form has |K| rows (2|K| for the
    absolute loss): the simplex method's work grows with the rows, and this form solved the working
    sets of the hinge benchmark (T = 10^5) in half the time, 5× faster at 1500 rows. The column of
    y_r = u_r/n is b_r a_r with cost −1 and y_r ∈ [0, c_r/n] (hinge), −a_r with cost b_r and
    y_r ∈ [−c_r/n, c_r/n] (absolute), so the rows read Σ_r y_r·column_r + p − q + t·1 = γ/n. The
    sub-problem's x̂ is the multiplier of those rows: the dual's optimal value is minus the
    sub-problem's (up to const/n), so x̂ = −∂(value)/∂(γ/n) = −(HiGHS's ``row_dual``; scipy reports
    the same numbers as ``eqlin.marginals``).

    ``model``: the checkpoint's :class:`HighsModel` (warm re-solves after row generation; ``sub.rows``
    must be set), or None for a one-off solve. highspy called directly costs ~0.2 ms a sub-problem
    beside HiGHS's own time, where scipy.optimize.linprog's wrapper cost ~2 ms; when highspy is
    missing, raises, or reports anything but optimal, scipy's route (:func:`scipy_lp`, the same LP
    and method) answers instead. Returns (x̂, u_K, solver), x̂ as HiGHS returns it (feasible to its
    tolerance 1e-7; the caller projects it onto X), or None when neither route gives an optimal
    status and finite numbers (then the cvxpy ladder solves it)."""
    try:
        out = highspy_lp(sub, model)
    except Exception:  # highspy missing (ImportError), or refusing the input or crashing
        out = None
    if out is None:
        if model is not None:
            model.forget()
        return scipy_lp(sub)
    return out


def highspy_lp(sub: Sub, model: HighsModel | None = None):
    """:func:`highs_lp` through highspy; None unless HiGHS reports optimal with finite numbers."""
    import highspy

    dom, n = sub.dom, sub.n
    d, k = dom.d, sub.AK.shape[0]
    lo, hi = trust_box(dom, sub.x_ref, sub.rho)
    g = np.ascontiguousarray(sub.gamma / n, dtype=np.float64)
    h = model.solver() if model is not None else new_highs()
    region = (sub.x_ref.tobytes(), float(sub.rho))
    warm = (model is not None and sub.rows is not None and model.region == region
            and np.isin(model.rows, sub.rows, assume_unique=True).all())
    if warm:
        # the same trust region with more rows (generation): add their columns, move the right-hand sides
        new = np.flatnonzero(~np.isin(sub.rows, model.rows, assume_unique=True))
        if new.size:
            cost, y_lo, y_hi, start, index, value = dual_columns(sub, new)
            first = h.getNumCol()
            if h.addCols(new.size, cost, y_lo, y_hi, value.size, start, index, value) != highspy.HighsStatus.kOk:
                return None
            model.rows = np.concatenate([model.rows, sub.rows[new]])
            model.ycols = np.concatenate([model.ycols, first + np.arange(new.size)])
        h.changeRowsBounds(d, np.arange(d, dtype=np.int32), g, g)
    else:
        cost, y_lo, y_hi, start, index, value = dual_columns(sub)
        ilo, ihi = np.flatnonzero(np.isfinite(lo)), np.flatnonzero(np.isfinite(hi))
        simplex = dom.kind == "simplex"
        lens = np.concatenate([np.full(ilo.size + ihi.size, 1), [d] if simplex else []]).astype(np.int64)
        start = np.concatenate([start, k * d + np.concatenate([[0], np.cumsum(lens)[:-1]])]).astype(np.int32)
        index = np.concatenate([index, ilo, ihi] + ([np.arange(d)] if simplex else [])).astype(np.int32)
        value = np.concatenate([value, np.ones(ilo.size), -np.ones(ihi.size)] + ([np.ones(d)] if simplex else []))
        cost = np.concatenate([cost, -lo[ilo], hi[ihi]] + ([[-dom.r]] if simplex else []))
        col_lo = np.concatenate([y_lo, np.zeros(ilo.size + ihi.size)] + ([[-np.inf]] if simplex else []))
        col_hi = np.concatenate([y_hi, np.full(ilo.size + ihi.size, np.inf)] + ([[np.inf]] if simplex else []))
        ncol = cost.size
        status = h.passModel(ncol, d, value.size, int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize),
                             0.0, cost, col_lo, col_hi, g, g, start, index, value,
                             np.zeros(ncol, dtype=np.int32))  # all columns continuous
        if status != highspy.HighsStatus.kOk:
            return None
        if model is not None and sub.rows is not None:
            model.region, model.rows, model.ycols = region, sub.rows.copy(), np.arange(k)
    h.run()
    sol = h.getSolution()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or not (sol.value_valid and sol.dual_valid):
        return None
    x = -np.asarray(sol.row_dual, dtype=np.float64)
    y = np.asarray(sol.col_value, dtype=np.float64)
    if warm:  # the y columns in sub's order (sub.rows ascending)
        u_K = np.empty(k)
        u_K[np.searchsorted(sub.rows, model.rows)] = n * y[model.ycols]
    else:
        u_K = n * y[:k]
    if x.shape != (d,) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(u_K))):
        return None
    return x, u_K, HIGHS


def scipy_lp(sub: Sub):
    """:func:`highs_lp`'s LP by the same HiGHS dual simplex through ``scipy.optimize.linprog`` (method
    "highs-ds", presolve off): the fallback when highspy is missing or fails. x̂ = −(scipy's
    ``eqlin.marginals``). Returns (x̂, u_K, solver) or None (a status other than optimal, a refused
    input or a number that is not finite)."""
    from scipy.optimize import linprog  # here: scipy.optimize costs ~0.3 s to import

    dom, n = sub.dom, sub.n
    d, k = dom.d, sub.AK.shape[0]
    lo, hi = trust_box(dom, sub.x_ref, sub.rho)
    if sub.name == "hinge":
        cols, cost, y_lo, y_hi = (sub.bK[:, None] * sub.AK).T, -np.ones(k), np.zeros(k), sub.cK / n
    else:
        cols, cost, y_lo, y_hi = -sub.AK.T, sub.bK, -sub.cK / n, sub.cK / n
    has_lo, has_hi = np.isfinite(lo), np.isfinite(hi)
    eye = np.eye(d)
    M = [cols, eye[:, has_lo], -eye[:, has_hi]]
    cost = [cost, -lo[has_lo], hi[has_hi]]
    col_lo = [y_lo, np.zeros(has_lo.sum()), np.zeros(has_hi.sum())]
    col_hi = [y_hi, np.full(has_lo.sum(), np.inf), np.full(has_hi.sum(), np.inf)]
    if dom.kind == "simplex":
        M.append(np.ones((d, 1)))
        cost.append([-dom.r])
        col_lo.append([-np.inf])
        col_hi.append([np.inf])
    try:
        res = linprog(np.concatenate(cost), A_eq=np.hstack(M), b_eq=sub.gamma / n,
                      bounds=np.column_stack([np.concatenate(col_lo), np.concatenate(col_hi)]), method="highs-ds",
                      # these LPs are small and dense: presolve removed nothing and cost a fifth of the
                      # time (0.21 → 0.17 s over the 79 LPs of the hinge benchmark, T = 10^5)
                      options={"presolve": False})
    except ValueError:  # scipy refuses the input (a non-finite coefficient): the cvxpy ladder's turn
        return None
    if res.status != 0 or res.x is None:
        return None
    x = -np.asarray(res.eqlin.marginals, dtype=np.float64)
    u_K = n * np.asarray(res.x[:k], dtype=np.float64)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(u_K))):
        return None
    return x, u_K, HIGHS_SCIPY


def clarabel_socp(sub: Sub):
    """The SOCP of ``sub`` on the ball ‖x − c‖ ≤ r (no l2 term) by Clarabel's interior-point method,
    called directly (Goulart & Chen, "Clarabel: an interior-point solver for conic programs with
    quadratic objectives", arXiv:2405.12762, 2024): min qᵀz s.t. Az + s = b, s ∈ R₊^m × SOC, with the
    slack rows, −s ≤ 0 and the trust region's bounds in R₊^m and (r, x − c) ∈ SOC^{d+1}. Its dual
    z ∈ R₊^m × SOC satisfies q + Aᵀz = 0, so the first entries are the slack rows' multipliers ≥ 0.
    Same tolerances as the cvxpy ladder's Clarabel (:data:`.solvers.SOLVER_OPTIONS`). Returns
    (x̂, u_K, solver), x̂ as Clarabel returns it (the caller projects it onto X), or None (a status
    other than solved, or a non-finite number)."""
    import clarabel
    from scipy.sparse import csc_matrix, hstack, identity, vstack

    dom = sub.dom
    d, k = dom.d, sub.AK.shape[0]
    G, h = sub.slack_rows()
    rows = [G, hstack([csc_matrix((k, d)), -identity(k)])]
    rhs = [h, np.zeros(k)]
    if np.isfinite(sub.rho):
        I_x = hstack([identity(d), csc_matrix((d, k))])
        rows += [I_x, -I_x]
        rhs += [sub.x_ref + sub.rho, -(sub.x_ref - sub.rho)]
    nonneg = sum(r.shape[0] for r in rows)
    rows.append(vstack([csc_matrix((1, d + k)), hstack([-identity(d), csc_matrix((d, k))])]))
    rhs.append(np.concatenate([[dom.r], -dom.P[0]]))
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    for key, value in SOLVER_OPTIONS["CLARABEL"].items():
        setattr(settings, key, value)
    try:
        sol = clarabel.DefaultSolver(csc_matrix((d + k, d + k)), sub.cost(), vstack(rows, format="csc"),
                                     np.concatenate(rhs),
                                     [clarabel.NonnegativeConeT(nonneg), clarabel.SecondOrderConeT(d + 1)],
                                     settings).solve()
    except Exception:  # a solver crash: the cvxpy ladder's turn
        return None
    if sol.status not in (clarabel.SolverStatus.Solved, clarabel.SolverStatus.AlmostSolved):
        # AlmostSolved (its reduced tolerances met, not 1e-11) happens at these tolerances; like every
        # direct answer it counts only if our certificate accepts it (else the cvxpy ladder runs)
        return None
    x = np.asarray(sol.x[:d], dtype=np.float64)
    u_K = sub.multipliers(np.asarray(sol.z[:G.shape[0]], dtype=np.float64))
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(u_K))):
        return None
    return x, u_K, CLARABEL


def cvxpy_ladder(sub: Sub, lp: bool, judge):
    """``sub`` built with cvxpy (the explicit-slack LP, QP with l2, SOCP on the ball) and solved by the
    ladder of :func:`.solvers.run_solvers`; ``judge(x̂, u_K) → (L(u), F(x̂), inside, wrong)`` (see
    :func:`working_set`). A point strictly inside the trust region at which every modelled row is
    right is judged by F(x̂) − L(u); any other is an intermediate step, judged by its status only (but
    a non-finite F or bound is never judged 0). Returns (x̂, u_K, solver); raises SolverFailure."""
    import cvxpy as cp

    name, dom, n = sub.name, sub.dom, sub.n
    x = cp.Variable(dom.d)
    s = cp.Variable(sub.AK.shape[0])
    zK = sub.AK @ x
    if name == "hinge":
        slack = [s >= 1 - cp.multiply(sub.bK, zK), s >= 0]
    else:
        slack = [s >= zK - sub.bK, s >= sub.bK - zK]
    cons = list(dom.cvxpy_constraints(x)) + slack
    if np.isfinite(sub.rho):
        cons += [x >= sub.x_ref - sub.rho, x <= sub.x_ref + sub.rho]
    obj = (sub.const + sub.gamma @ x + sub.cK @ s) / n
    if sub.l2:
        obj = obj + 0.5 * sub.l2 * cp.sum_squares(x)
    prob = cp.Problem(cp.Minimize(obj), cons)
    multipliers = {}

    def certify(x_hat):
        y1 = slack[0].dual_value
        if y1 is not None:
            y1 = np.asarray(y1, dtype=np.float64) * n
            y2 = np.asarray(slack[1].dual_value, dtype=np.float64) * n
            u_K = y1 if name == "hinge" else y1 - y2
        else:
            u_K = primal_multipliers(name, sub.AK, sub.bK, sub.cK, x_hat)
        multipliers[id(x_hat)] = u_K
        lb, f, inside, wrong = judge(x_hat, u_K)
        if not (math.isfinite(f) and math.isfinite(lb)):
            return f, math.nan
        return f, (C.nonneg(f - lb) if inside and not wrong.any() else 0.0)

    what = f"{name} comparator (working set of {sub.AK.shape[0]} rows) on {dom.describe()}"
    _, x_hat, _, solver = run_solvers(prob, x, lp, dom, certify, what, large=sub.AK.shape[0] > LARGE_LP)
    return x_hat, multipliers[id(x_hat)], f"{solver} via cvxpy"
