"""Least squares through its sufficient statistics.

    F(x) = Σ_r c_r ½(⟨a_r, x⟩ − b_r)² + (l2/2)·n·‖x‖² = ½xᵀQx − qᵀx + ½s,
    Q = Σ_r c_r a_r a_rᵀ + l2·n·I,  q = Σ_r c_r b_r a_r,  s = Σ_r c_r b_r²,

accumulated incrementally between checkpoints (only the rounds T'_{k−1} < t ≤ T'_k are added, so
the whole curve costs O(T d²) once). The minimiser over X is exact (:mod:`.quadratic`): the
trust-region subproblem on the ball, an active-set QP on the box and the simplex, −Q⁺(−q) on R^d.

Certificates (an upper bound on F(x̂) − F*), computed from ∇F(x̂) = Qx̂ − q:
* bounded X — min(Frank–Wolfe gap, strong-convexity gap with μ = λ_min(Q) from below);
* R^d, λ_min(Q) > 0 — ‖∇F‖²/(2λ_min);
* R^d, Q singular — ½ rᵀQ⁺r with r = Qx̂ − q: the exact value of F(x̂) − F* when r ∈ range(Q)
  (it is, for least squares: q ∈ range(Q)); stated as such in ``method``.
"""
from __future__ import annotations

import numpy as np

from . import certificates as C
from . import quadratic as Qd


class SufficientStatistics:
    """Q, q, s of Σ_{t≤T'} f_t, grown round block by round block."""

    def __init__(self, inst):
        self.inst = inst
        d = inst.d
        self.Q0 = np.zeros((d, d))  # Σ c a aᵀ (without the ridge)
        self.q = np.zeros(d)
        self.s = 0.0
        self.n = 0
        self.l2 = float(inst.family.l2)

    def advance(self, T: int) -> None:
        """Add rounds n+1..T."""
        inst = self.inst
        if T <= self.n:
            return
        for A, b, c in inst.segments(self.n, T):
            if c is None:  # consecutive rows, each once: a view (or a block of a stream)
                self.Q0 += A.T @ A
                self.q += A.T @ b
                self.s += float(b @ b)
            else:
                self.Q0 += A.T @ (c[:, None] * A)
                self.q += A.T @ (c * b)
                self.s += float(c @ (b * b))
        self.n = int(T)

    @property
    def Q(self):
        Q = self.Q0.copy()
        if self.l2:
            Q[np.diag_indices_from(Q)] += self.l2 * self.n
        return Q

    def value(self, x, Q=None) -> float:
        Q = self.Q if Q is None else Q
        return float(0.5 * x @ (Q @ x) - self.q @ x + 0.5 * self.s)


def certificate_from(Q, g, x, dom, eig=None):
    """(certificate, Q singular on R^d) for the least-squares point x with gradient g = Qx − q (see the
    module docstring); ``eig`` = (λ, V, rank tolerance) of Q if already known."""
    lam, V, tol = eig if eig is not None else Qd.eig_psd(Q)
    lam_lo = max(0.0, float(lam[0]) - dom.d * Qd.EPS * float(lam[-1]))
    if dom.bounded:
        return C.gap(dom, x, g, lam_lo), False
    if lam_lo > 0:
        return float(g @ g) / (2.0 * lam_lo), False
    beta = V.T @ g
    pos = lam > tol
    return 0.5 * float(np.sum(beta[pos] ** 2 / lam[pos])), True


def certificate(block, x, dom):
    """The least-squares certificate at x for the rows of ``block`` (used by the cvxpy route)."""
    w = np.ones(block.A.shape[0]) if block.w is None else block.w
    Q = block.A.T @ (w[:, None] * block.A)
    if block.l2:
        Q[np.diag_indices_from(Q)] += block.l2 * block.n
    return certificate_from(Q, block.grad(x), x, dom)[0]


def solve_curve(inst, checkpoints):
    """(values, minimisers, certificates, method) at every checkpoint."""
    dom = inst.domain
    stats = SufficientStatistics(inst)
    vals, xs, certs = [], [], []
    x = dom.default_start() if dom.bounded else np.zeros(dom.d)
    singular_seen = False
    for T in checkpoints:
        stats.advance(int(T))
        Q = stats.Q
        # scale by 1/n: the same minimiser, statistics of order one
        scale = 1.0 / stats.n
        Qs, hs = Q * scale, -stats.q * scale
        eig = Qd.eig_psd(Qs)
        x = Qd.minimize(Qs, hs, dom, x0=x, eig=eig)
        g = Q @ x - stats.q
        cert, singular = certificate_from(Q, g, x, dom, eig=(eig[0] / scale, eig[1], eig[2] / scale))
        singular_seen |= singular
        vals.append(stats.value(x, Q))
        xs.append(x.copy())
        certs.append(cert)
    how = {"ball": "trust-region subproblem (eigendecomposition + secular equation)",
           "box": "active-set QP", "simplex": "active-set QP", "unbounded": "minimum-norm solve −Q⁺(−q)"}[dom.kind]
    cert_how = ("Frank–Wolfe / strong-convexity gap" if dom.bounded else
                "‖∇F‖²/(2λ_min(Q))" + (" where Q ≻ 0; where Q is singular the exact-solve residual ½rᵀQ⁺r "
                                       "(exact in exact arithmetic, not a rigorous bound)" if singular_seen else ""))
    method = f"sufficient statistics (Q, q, s), {how}; certificate: {cert_how}"
    return np.array(vals), np.array(xs), np.array(certs), method
