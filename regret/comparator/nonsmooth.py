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
"""
from __future__ import annotations

import math

import numpy as np

from . import certificates as C
from .solvers import run_solvers

LARGE_LP = 2000  # rows: above this an interior-point solver goes first (see .solvers.solver_order)


def dual_bound(name, A, b, c, u, dom, lam) -> float:
    """L(u) (see the module docstring) for rows (A, b) with multiplicities c and multipliers u; NaN
    (never a bound) when u has a NaN entry (np.clip keeps it) or the arithmetic overflows."""
    if np.any(np.isnan(u)):
        return math.nan
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "hinge":
            u = np.clip(u, 0.0, c)
            kappa = float(np.sum(u))
            v = -(A.T @ (b * u))
        elif name == "absolute":
            u = np.clip(u, -c, c)
            kappa = -float(b @ u)
            v = A.T @ u
        else:
            raise ValueError(name)
        out = kappa + C.min_linear_plus_ridge(dom, v, lam)
    return math.nan if math.isnan(out) or out == math.inf else out


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


def best_dual_bound(name, A, b, c, u, x, dom, lam) -> float:
    """max of L(u) over the solver's multipliers u and their snapped versions: where the kink
    argument at x̂ is clearly away from 0 (|m| > τ, τ ∈ {1e-9, 1e-7, 1e-5}), complementary slackness
    fixes u to an end of its box; interior-point solvers return those only to ~1e-8. Every candidate
    that is a number is a valid bound (u is clipped to its box), so the maximum is one as well; NaN
    when none is."""
    cands = [dual_bound(name, A, b, c, u, dom, lam)]
    m = margins(name, A, b, x)
    for tau in (1e-9, 1e-7, 1e-5):
        if name == "hinge":
            us = np.where(m > tau, c, np.where(m < -tau, 0.0, u))
        else:
            us = np.where(m > tau, c, np.where(m < -tau, -c, u))
        cands.append(dual_bound(name, A, b, c, us, dom, lam))
    # each candidate that is a number is a valid bound; a NaN one (NaN multipliers, or arithmetic that
    # overflowed) is none, and is left out explicitly (Python's max keeps or drops a NaN depending on
    # the order of its arguments). No candidate a number: NaN, never a bound.
    cands = [v for v in cands if not math.isnan(v)]
    return max(cands) if cands else math.nan


def working_set(block, dom, x_ref, rho_hint=0.0, max_rounds=40):
    """min_{x∈X} F(x) for hinge/absolute by an explicit-slack LP (QP with l2, SOCP on the ball) over a
    working set K of rows inside a trust region ‖x − x_ref‖∞ ≤ ρ around the reference point (the
    previous checkpoint's minimiser):

    * a row whose kink argument satisfies |m_r(x_ref)| > ρ‖a_r‖₁ keeps the sign of m_r on the whole
      trust region, so its loss equals one affine piece there; those rows enter the objective as one
      aggregated affine term, and only the others (K, about max(64, 8d) rows) get slack variables:
      G(x) = const + ⟨γ, x⟩ + Σ_{r∈K} c_r s_r, s_r ≥ every piece of row r, and G = F on X ∩ TR;
    * x̂ = argmin_{X∩TR} G = argmin_{X∩TR} F; if x̂ lies strictly inside the trust region it is a local,
      hence (F convex) a global minimiser of F over X. Otherwise re-centre at x̂ with a working set
      twice as large and repeat (at most until K holds every row, which is the full LP). The
      first radius is at least ``rho_hint`` (the last move of the minimiser between
      checkpoints).

    The certificate is our dual bound (module docstring) with u = c·(sign of the active piece)
    outside K and the solver's multipliers inside K, checked against F itself.
    Returns (x̂, F(x̂), certificate, solver)."""
    import cvxpy as cp


    name = block.family.name
    A, b, c, n = block.A, block.b, block.c, block.n
    d = dom.d
    nrows = A.shape[0]
    rownorm1 = np.abs(A).sum(axis=1)
    k = min(nrows, max(64, 8 * d))
    lp = not block.l2 and dom.kind != "ball"
    x_ref = np.asarray(x_ref, dtype=np.float64)
    for _ in range(max_rounds):
        m = margins(name, A, b, x_ref)
        if k < nrows:
            ratio = np.abs(m) / np.maximum(rownorm1, 1e-300)
            rho = max(float(np.partition(ratio, k - 1)[k - 1]), rho_hint)
            rho_hint = 0.0
            inK = ratio <= rho
            if inK.sum() >= nrows:
                rho = np.inf
        else:
            rho = np.inf
            inK = np.ones(nrows, dtype=bool)
        K = np.flatnonzero(inK)
        out = ~inK
        # the aggregated affine part const + ⟨γ, x⟩ of the rows outside K (their piece is fixed on TR)
        if name == "hinge":
            pos = out & (m > 0)  # piece 1 − b⟨a, x⟩; rows with m < 0 contribute 0
            const = float(c[pos].sum())
            gamma = -(A[pos].T @ (c[pos] * b[pos]))
            u_out = np.where(pos, c, 0.0)
        else:
            sg = np.where(out, np.sign(m), 0.0)  # piece ±(⟨a, x⟩ − b)
            const = -float(np.sum(sg * c * b))
            gamma = A.T @ (sg * c)
            u_out = sg * c
        x = cp.Variable(d)
        s = cp.Variable(K.size)
        AK, bK = A[K], b[K]
        zK = AK @ x
        if name == "hinge":
            slack = [s >= 1 - cp.multiply(bK, zK), s >= 0]
        else:
            slack = [s >= zK - bK, s >= bK - zK]
        cons = list(dom.cvxpy_constraints(x)) + slack
        if np.isfinite(rho):
            cons += [x >= x_ref - rho, x <= x_ref + rho]
        obj = (const + gamma @ x + c[K] @ s) / n
        if block.l2:
            obj = obj + 0.5 * block.l2 * cp.sum_squares(x)
        prob = cp.Problem(cp.Minimize(obj), cons)
        record = {}

        def certify(xh, slack=slack, K=K, u_out=u_out, const=const, gamma=gamma, rho=rho, x_ref=x_ref,
                    record=record):
            u = u_out.copy()
            y1 = slack[0].dual_value
            if y1 is not None:
                y1 = np.asarray(y1, dtype=np.float64) * n
                y2 = np.asarray(slack[1].dual_value, dtype=np.float64) * n
                u[K] = y1 if name == "hinge" else y1 - y2
            else:
                u[K] = primal_multipliers(name, A[K], b[K], c[K], xh)
            lb = best_dual_bound(name, A, b, c, u, xh, dom, block.mu)
            f = block.value(xh)
            inside = not np.isfinite(rho) or float(np.abs(xh - x_ref).max()) < rho * (1 - 1e-7)
            record[id(xh)] = (lb, f, inside)
            # inside the trust region G(x̂) = F(x̂) and F(x̂) − L(u) judges the solver; on its boundary
            # the sub-problem is an intermediate step, judged by its status only (but a non-finite
            # F or bound is never judged 0)
            if not (math.isfinite(f) and math.isfinite(lb)):
                return f, math.nan
            return f, (C.nonneg(f - lb) if inside else 0.0)

        _, xh, _, solver = run_solvers(prob, x, lp, dom, certify,
                                       f"{name} comparator (working set of {K.size} rows) on {dom.describe()}",
                                       large=K.size > LARGE_LP)
        lb, f, inside = record[id(xh)]
        if inside or k >= nrows:
            return xh, f, C.nonneg(f - lb), solver
        x_ref = xh
        k = min(nrows, max(2 * k, 2 * K.size))
    return xh, f, C.nonneg(f - lb), solver
