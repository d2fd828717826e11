"""The comparator's objective at one checkpoint T': F(x) = Σ_{t≤T'} f_t(x) written over data rows,

    F(x) = Σ_r c_r f(x; a_r, b_r) + (l2/2)·n·‖x‖²,   n = Σ_r c_r = T',

with the row multiplicities c_r (how often row r occurs among rounds 1..T'; round t uses row
idx[t−1]). Only rows with c_r > 0 are kept; when the rounds are the rows in order (a stream) the
block of T' is the first T' rows (:func:`checkpoint_blocks`). Values, gradients and Hessians of the
single-index families come from one compiled read of the rows (:mod:`.passes`) built on the engine's
own per-round loss, so the comparator and the engine share one source of truth; multiclass keeps its
numpy formulas (tests cross-check both routes against :meth:`regret.losses.Family.total` /
``total_grad``).
"""
from __future__ import annotations

import numpy as np

from ..losses import Family


def checkpoint_counts(inst, checkpoints) -> list[np.ndarray]:
    """Row multiplicities c_k (how often each data row occurs in rounds 1..T'_k), incrementally."""
    n = inst.A.shape[0]
    counts, prev, acc = [], 0, np.zeros(n)
    for T in checkpoints:
        acc = acc + inst.row_counts_between(prev, int(T))
        prev = int(T)
        counts.append(acc.copy())
    return counts


def checkpoint_blocks(inst, checkpoints):
    """(T', Block of Σ_{t≤T'} f_t) for each checkpoint, one at a time (one block alive at once).

    When round t uses row t − 1 (a stream, or data rows played in order), the rounds 1..T' are the
    first T' rows, each once: the block is views of that prefix, with no length-n count array per
    checkpoint (at T = 10^6 and 40 checkpoints the counts cost more than the logistic solves they
    fed). Otherwise the row multiplicities of :func:`checkpoint_counts`."""
    cps = [int(T) for T in checkpoints]
    fam = inst.family
    if cps and not inst.periodic and np.array_equal(inst.idx[: cps[-1]], np.arange(cps[-1])):
        for T in cps:
            yield T, Block.prefix(fam, inst.A, inst.b, T)
        return
    for T, c in zip(cps, checkpoint_counts(inst, cps)):
        yield T, Block(fam, inst.A, inst.b, c)


class Block:
    """F(x) = Σ_r c_r f(x; a_r, b_r) + (l2/2)·n·‖x‖² over the rows with c_r > 0 (see module doc).

    ``w`` is None when every kept row has multiplicity 1 (a stream), which keeps the sums unweighted.
    """

    def __init__(self, family: Family, A: np.ndarray, b: np.ndarray, counts: np.ndarray | None):
        """The rows of (A, b) with counts > 0, weighted by them; ``counts`` None: every row of (A, b)
        once (a prefix block, :meth:`prefix`), with no count array."""
        self.family = family
        self.l2 = float(family.l2)
        self.d = family.dim(A.shape[1])
        if counts is None:
            self.A, self.b, self.rows, self.w, self._c = A, b, None, None, None
            self.n = float(A.shape[0])
            return
        rows = np.flatnonzero(counts > 0)
        c = counts[rows].astype(np.float64)
        if rows.size == A.shape[0] and rows.size and rows[-1] == rows.size - 1:
            self.A, self.b = A, b
        elif rows.size and rows[-1] == rows.size - 1:  # a prefix of the rows (a stream): views
            self.A, self.b = A[: rows.size], b[: rows.size]
        else:
            self.A, self.b = A[rows], b[rows]
        self.rows = rows
        self.w = None if np.all(c == 1.0) else c
        self._c = c
        self.n = float(c.sum())

    @classmethod
    def prefix(cls, family: Family, A: np.ndarray, b: np.ndarray, n: int) -> "Block":
        """The block of rows 0..n−1, each once (views; see :func:`checkpoint_blocks`)."""
        return cls(family, A[:n], b[:n], None)

    @property
    def c(self) -> np.ndarray:
        """The multiplicity of every kept row (ones for a prefix block, built when asked)."""
        if self._c is None:
            self._c = np.ones(self.A.shape[0])
        return self._c

    # -- value and gradient -------------------------------------------------------------------------
    @property
    def mu(self) -> float:
        """A strong-convexity modulus of F that holds everywhere: l2·n (the losses' own curvature
        may be 0)."""
        return self.l2 * self.n

    def value(self, x) -> float:
        return self.family.total(x, self.A, self.b, weights=self.w)

    def grad(self, x) -> np.ndarray:
        return self.family.total_grad(x, self.A, self.b, weights=self.w)

    def value_grad(self, x):
        """(F(x), ∇F(x)): the compiled pass of :mod:`.passes` (the engine's own loss per row; the
        tests check it against Family.total/total_grad), multiclass by its numpy formulas."""
        fam = self.family
        x = np.asarray(x, dtype=np.float64)
        if fam.name == "multiclass":
            return self._multiclass_value_grad(x)
        f, g, _ = self._single_index(x, False)
        return f, g

    def value_grad_hess(self, x):
        """(F(x), ∇F(x), ∇²F(x)) from one read of the rows (single-index families; see :mod:`.passes`)."""
        x = np.asarray(x, dtype=np.float64)
        if self.family.name == "multiclass":
            return (*self._multiclass_value_grad(x), self.hessian(x))
        return self._single_index(x, True)

    def _single_index(self, x, want_hess):
        """The compiled pass of :mod:`.passes` (the engine's own φ, φ′) plus the ridge term."""
        from .passes import evaluate

        A = self.A if self.A.flags.c_contiguous else np.ascontiguousarray(self.A)
        f, g, H = evaluate(self.family, A, np.ascontiguousarray(self.b, dtype=np.float64), self.w, x, want_hess)
        if self.l2:
            f += 0.5 * self.l2 * self.n * float(x @ x)
            g = g + self.l2 * self.n * x
            if want_hess:
                H[np.diag_indices_from(H)] += self.l2 * self.n
        return f, g, H

    def _multiclass_value_grad(self, x):
        """Family.total/total_grad's softmax formulas, sharing the scores Z = A Wᵀ and exp(Z − max)
        between value and gradient (plain numpy: scipy's logsumexp costs ~3 ms per call in array-API
        overhead at n ≈ 2000, which dominated the digits comparator)."""
        K, p = self.family.classes, self.A.shape[1]
        n = self.A.shape[0]
        Z = self.A @ x.reshape(K, p).T
        zmax = Z.max(axis=1, keepdims=True)
        E = np.exp(Z - zmax)
        S = E.sum(axis=1)
        lab = self.b.astype(np.int64)
        ar = np.arange(n)
        vals = zmax[:, 0] + np.log(S) - Z[ar, lab]
        P = E / S[:, None]
        P[ar, lab] -= 1.0
        if self.w is None:
            f = float(np.sum(vals))
        else:
            f = float(np.sum(self.w * vals))
            P *= self.w[:, None]
        g = (P.T @ self.A).ravel()
        if self.l2:
            f += 0.5 * self.l2 * self.n * float(x @ x)
            g = g + self.l2 * self.n * x
        return f, g

    # -- curvature (for Newton steps on small d) ---------------------------------------------------
    def hessian(self, x) -> np.ndarray:
        """∇²F(x) (a generalized Hessian for Huber at |r| = δ): Aᵀ diag(c·φ''(z)) A + l2·n·I, and the
        Kronecker-structured softmax Hessian Σ_r c_r (diag(p_r) − p_r p_rᵀ) ⊗ a_r a_rᵀ for multiclass."""
        fam = self.family
        x = np.asarray(x, dtype=np.float64)
        if fam.name != "multiclass":
            return self._single_index(x, True)[2]
        w = np.ones(self.A.shape[0]) if self.w is None else self.w
        K, p = fam.classes, self.A.shape[1]
        Z = self.A @ x.reshape(K, p).T
        from scipy.special import logsumexp  # here: it costs ~0.25 s to import (the CLI's start-up)

        P = np.exp(Z - logsumexp(Z, axis=1, keepdims=True))
        H = np.empty((K * p, K * p))
        for k in range(K):
            for m in range(k, K):
                s = w * (P[:, k] * ((k == m) - P[:, m]))
                blk = self.A.T @ (s[:, None] * self.A)
                H[k * p:(k + 1) * p, m * p:(m + 1) * p] = blk
                H[m * p:(m + 1) * p, k * p:(k + 1) * p] = blk.T
        if self.l2:
            H[np.diag_indices_from(H)] += self.l2 * self.n
        return H
