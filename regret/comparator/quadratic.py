"""Exact minimisation of a convex quadratic q(x) = ½xᵀHx + hᵀx (H ⪰ 0) over each domain.

* L2 ball — the trust-region subproblem, solved exactly from the eigendecomposition H = VΛVᵀ and
  the secular equation ‖(H + μI)⁻¹(h + Hc)‖ = r (Moré & Sorensen, SIAM J. Sci. Stat. Comput. 4(3),
  1983; Nocedal & Wright, Numerical Optimization, 2nd ed., §4.3, Algorithm 4.3 and the "hard case"),
  with safeguarded Newton steps on ψ(μ) = 1/‖y(μ)‖ − 1/r.
* box and simplex — a primal active-set method (Nocedal & Wright §16.5, Algorithm 16.3) on the
  bound constraints (and the single equality Σx = r of the simplex); a positive semidefinite reduced
  Hessian is handled by following zero-curvature descent directions to the boundary.
* R^d — the minimum-norm minimiser −H⁺h (it exists iff h ∈ range(H)).

Least squares uses these through its sufficient statistics (:mod:`.least_squares`); the first-order
solver uses them for projected Newton steps on small d (:mod:`.smooth`).
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import UnboundedComparator

EPS = np.finfo(np.float64).eps


def eig_psd(H):
    """Eigendecomposition of the symmetric PSD matrix H; eigenvalues clipped at 0 and the numerical
    rank tolerance d·ε·λ_max (the usual pseudo-inverse cut-off)."""
    lam, V = np.linalg.eigh(0.5 * (H + H.T))
    lam = np.maximum(lam, 0.0)
    tol = H.shape[0] * EPS * max(float(lam[-1]) if lam.size else 0.0, 1e-300)
    return lam, V, tol


def lambda_min_lower(H) -> float:
    """A lower bound on λ_min(H) that survives the eigensolver's rounding (error ≤ ~d·ε·‖H‖₂)."""
    lam = np.linalg.eigvalsh(0.5 * (H + H.T))
    return max(0.0, float(lam[0]) - H.shape[0] * EPS * float(np.abs(lam).max()))


# ------------------------------------------------------------------------------------------------
# L2 ball: the trust-region subproblem
# ------------------------------------------------------------------------------------------------
def trust_region(H, h, center, r, eig=None):
    """argmin ½xᵀHx + hᵀx subject to ‖x − center‖ ≤ r, H ⪰ 0.

    With y = x − c and g = h + Hc the problem is min ½yᵀHy + gᵀy, ‖y‖ ≤ r. In the eigenbasis
    (β = Vᵀg) the solution is y(μ) = −Σ β_i/(λ_i + μ) v_i with μ ≥ 0, μ(‖y‖ − r) = 0. μ = 0 is
    optimal when the pseudo-inverse solution lies in the ball and g has no component in the null
    space of H (this includes the convex "hard case": H singular, g ⊥ null(H); the minimiser is then
    not unique and the minimum-norm one is returned). Otherwise ‖y(μ)‖ = r has a unique root μ > 0.
    """
    lam, V, tol = eig if eig is not None else eig_psd(H)
    g = h + H @ center
    beta = V.T @ g
    pos = lam > tol
    gscale = float(np.linalg.norm(beta))
    y0 = np.zeros_like(beta)
    y0[pos] = -beta[pos] / lam[pos]
    null_part = float(np.linalg.norm(beta[~pos])) if np.any(~pos) else 0.0
    if float(np.linalg.norm(y0)) <= r and null_part <= 1e3 * EPS * max(gscale, 1e-300):
        return center + V @ y0
    if gscale == 0.0:
        return center.copy()
    b2 = beta * beta

    def norm_y(mu):
        return math.sqrt(float(np.sum(b2 / (lam + mu) ** 2)))

    lo = max(0.0, float(np.max(np.abs(beta) / r - lam)))
    hi = gscale / r
    if not lo < hi:
        hi = lo * (1 + 1e-12) + 1e-300
    mu = lo if lo > 0 else 0.5 * hi
    for _ in range(200):
        ny = norm_y(mu) if mu > 0 or np.all(lam > 0) else math.inf
        if ny > r:
            lo = mu
        else:
            hi = mu
        if math.isfinite(ny) and abs(ny - r) <= 4 * EPS * r:
            break
        if hi - lo <= 4 * EPS * hi:
            break
        step_ok = False
        if math.isfinite(ny) and ny > 0:
            # ψ(μ) = 1/‖y‖ − 1/r; ψ'(μ) = (Σ b²/(λ+μ)³)/‖y‖³  (N&W (4.43)–(4.44))
            dpsi = float(np.sum(b2 / (lam + mu) ** 3)) / ny ** 3
            if dpsi > 0:
                cand = mu - (1.0 / ny - 1.0 / r) / dpsi
                if lo < cand < hi:
                    mu, step_ok = cand, True
        if not step_ok:
            mu = 0.5 * (lo + hi)
    y = V @ (-beta / (lam + mu))
    ny = float(np.linalg.norm(y))
    if ny > r:
        y *= r / ny
    return center + y


# ------------------------------------------------------------------------------------------------
# R^d
# ------------------------------------------------------------------------------------------------
def unconstrained(H, h, eig=None, check_range=True):
    """−H⁺h; raises UnboundedComparator when h has a component in null(H) (q → −∞ along it)."""
    lam, V, tol = eig if eig is not None else eig_psd(H)
    beta = V.T @ h
    pos = lam > tol
    if check_range and np.any(~pos):
        leak = float(np.linalg.norm(beta[~pos]))
        if leak > 1e-8 * max(float(np.linalg.norm(beta)), 1e-300):
            raise UnboundedComparator("domain", "unbounded",
                                      "a bounded domain or l2 > 0: the quadratic objective decreases without "
                                      "bound along a direction of zero curvature")
    y = np.zeros_like(beta)
    y[pos] = -beta[pos] / lam[pos]
    return V @ y


# ------------------------------------------------------------------------------------------------
# box and simplex: primal active set
# ------------------------------------------------------------------------------------------------
def _null_basis_of_ones(m):
    """An orthonormal basis Z (m × m−1) of {p ∈ R^m : Σp = 0} (a Householder reflector)."""
    u = np.ones(m) / math.sqrt(m)
    u[0] += 1.0
    Hh = np.eye(m) - np.outer(u, u) / u[0]
    return Hh[:, 1:]


def active_set(H, h, lo, hi, total=None, x0=None, maxit=None):
    """argmin ½xᵀHx + hᵀx subject to lo ≤ x ≤ hi (and Σx = total when given), H ⪰ 0.

    Primal active-set method (Nocedal & Wright, Algorithm 16.3). The working set W holds the
    coordinates fixed at a bound; on the free coordinates F the equality-constrained subproblem
    min ½pᵀH_FF p + g_Fᵀp (Σp = 0 for the simplex) is solved in an orthonormal basis Z of its null
    space via the eigendecomposition of ZᵀH_FF Z: Newton where the curvature is positive; along a
    zero-curvature descent direction, to the boundary. At a stationary point the multipliers
    λ_i = ±(g_i + ν) of W decide optimality or which bound to release (the most negative).
    Returns the final x (the caller certifies it).
    """
    d = h.shape[0]
    hi_eff = np.where(np.isfinite(hi), hi, np.inf)
    x = np.clip(np.asarray(x0, dtype=np.float64), lo, hi_eff) if x0 is not None else np.clip(np.zeros(d), lo, hi_eff)
    if total is not None:
        # a feasible start on {lo ≤ x, Σx = total} (here lo = 0): rescale, or the barycentre
        s = float(x.sum())
        x = x * (total / s) if s > 0 else np.full(d, total / d)
        x = np.clip(x, lo, hi_eff)
    at_lo = x <= lo
    at_hi = (x >= hi_eff) & ~at_lo
    x[at_lo] = lo[at_lo]
    x[at_hi] = hi_eff[at_hi]
    if total is not None and np.all(at_lo | at_hi):
        at_lo[int(np.argmax(x))] = False  # keep one coordinate free so that Σx = total can hold
        at_hi[int(np.argmax(x))] = False
    hscale = max(float(np.abs(H).max()) if H.size else 0.0, 1e-300)
    maxit = maxit or (50 + 20 * d)
    face_solved = False  # the last step was a full Newton step on the current face
    for _ in range(maxit):
        g = H @ x + h
        F = np.flatnonzero(~(at_lo | at_hi))
        gscale = max(float(np.abs(g).max()), hscale * max(float(np.abs(x).max()), 1.0), 1e-300)
        p = np.zeros(d)
        zero_curv = False
        if not face_solved and F.size:
            gF = g[F]
            HFF = H[np.ix_(F, F)]
            Z = None
            if total is not None:
                Z = np.zeros((1, 0)) if F.size == 1 else _null_basis_of_ones(F.size)
            M = HFF if Z is None else Z.T @ HFF @ Z
            m = gF if Z is None else Z.T @ gF
            if m.size:
                sig, U = np.linalg.eigh(0.5 * (M + M.T))
                sig_tol = max(M.shape[0] * EPS * max(float(np.abs(sig).max()), 1e-300), 1e-14 * hscale)
                um = U.T @ m
                flat = sig <= sig_tol
                if np.any(flat) and float(np.abs(um[flat]).max()) > 1e-12 * gscale:
                    zero_curv = True
                    step = -(U[:, flat] @ um[flat])
                else:
                    step = -(U[:, ~flat] @ (um[~flat] / sig[~flat]))
                p[F] = step if Z is None else Z @ step
        if not zero_curv and float(np.abs(p).max()) <= 1e-15 * max(float(np.abs(x).max()), 1e-300):
            face_solved = True
        if face_solved:
            # stationary on the face: multipliers of the working set (ν: the equality's multiplier)
            nu = -float(np.mean(g[F])) if (total is not None and F.size) else 0.0
            lam_lo = g + nu
            lam_hi = -(g + nu)
            worst, worst_i = -1e-13 * gscale, -1
            for i in np.flatnonzero(at_lo):
                if lam_lo[i] < worst:
                    worst, worst_i = lam_lo[i], i
            for i in np.flatnonzero(at_hi):
                if lam_hi[i] < worst:
                    worst, worst_i = lam_hi[i], i
            if worst_i < 0:
                return x
            at_lo[worst_i] = False
            at_hi[worst_i] = False
            face_solved = False
            continue
        # ratio test along p
        alpha, block, block_hi = (math.inf if zero_curv else 1.0), -1, False
        for i in F:
            if p[i] < 0:
                a = (x[i] - lo[i]) / -p[i]
                if a < alpha:
                    alpha, block, block_hi = a, i, False
            elif p[i] > 0 and np.isfinite(hi_eff[i]):
                a = (hi_eff[i] - x[i]) / p[i]
                if a < alpha:
                    alpha, block, block_hi = a, i, True
        if not math.isfinite(alpha):
            raise UnboundedComparator("domain", "unbounded", "a bounded domain: the quadratic decreases without bound")
        x = x + alpha * p
        if block >= 0:
            if block_hi:
                x[block] = hi_eff[block]
                at_hi[block] = True
            else:
                x[block] = lo[block]
                at_lo[block] = True
        face_solved = block < 0 and not zero_curv
        if total is not None:
            # keep Σx = total to the last bit on the free coordinates
            Fn = np.flatnonzero(~(at_lo | at_hi))
            if Fn.size:
                x[Fn] += (total - float(x.sum())) / Fn.size
                x = np.maximum(x, lo)
    return x


def minimize(H, h, dom, x0=None, eig=None):
    """argmin_{x∈X} ½xᵀHx + hᵀx for the domain ``dom`` (see the module docstring)."""
    if dom.kind == "ball":
        return trust_region(H, h, dom.P[0], dom.r, eig=eig)
    if dom.kind == "unbounded":
        return unconstrained(H, h, eig=eig)
    if dom.kind == "box":
        return active_set(H, h, dom.P[0], dom.P[1], None, x0)
    d = dom.d
    x = active_set(H, h, np.zeros(d), np.full(d, np.inf), dom.r, x0)
    return dom.project(x)
