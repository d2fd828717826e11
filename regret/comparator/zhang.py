"""The comparator of the zhang family (Zhang et al., NeurIPS 2022, eq. 2.5) in closed form.

Every round is f_t(x) = b_t·h(a_t x) with h(z) = z (z ≥ −1), (z + 2)²/2 − 3/2 (z < −1). When every
round has the same a (d = 1: Zhang et al.'s construction has a = 1), the losses up to T' add up to

    F(x) = S·h(a x),   S = Σ_{t≤T'} b_t,

one multiple of the convex C¹ function h, whatever the individual f_t are (with b_t < 0 they are
concave). So on an interval X = [lo, hi] (a box, a ball of one coordinate):

* S > 0: F is convex with its unconstrained minimiser at a x = −2: x* = clip(−2/a, lo, hi); the
  certificate is the Frank–Wolfe gap F'(x*)·(x* − s) at the minimising end point s (0 inside);
* S < 0: F is concave, so its minimum over an interval is at an end point: the smaller of F(lo),
  F(hi) (exact: certificate 0); on R it is −∞ (:class:`regret.errors.UnboundedComparator`);
* S = 0: F ≡ 0 (x* = the point of X nearest 0).
"""
from __future__ import annotations

import time

import numpy as np

from ..errors import InvalidInput, UnboundedComparator
from ..losses import zhang_h


def weights_at(inst, cps: np.ndarray) -> tuple:
    """(a, S_k): the common a of every round up to T'_K and S_k = Σ_{t≤T'_k} b_t at each checkpoint,
    summed part by part (:meth:`regret.problems.Instance.segments`; a stream block by block)."""
    if inst.domain.d != 1:
        raise InvalidInput("d", inst.domain.d, "1 for the zhang family's comparator (F = S·h(a x) needs one a)")
    a, S, prev, out = None, 0.0, 0, np.empty(cps.size)
    for k, T in enumerate(cps):
        for A, b, c in inst.segments(prev, int(T)):
            col = A[:, 0]
            if a is None:
                a = float(col[0])
            if not np.all(col == a):
                raise InvalidInput("A", "rows with different a_t",
                                   "the same a_t in every round for the zhang family's comparator")
            S += float(b.sum()) if c is None else float(b @ c)
        prev = int(T)
        out[k] = S
    if a == 0.0:
        raise InvalidInput("A", 0.0, "a ≠ 0 for the zhang family's comparator")
    return a, out


def interval(dom) -> tuple:
    """[lo, hi] of a one-dimensional domain (±∞ for R)."""
    if not dom.bounded:
        return -np.inf, np.inf
    return float(dom.lmo(np.ones((1, 1)))[0, 0]), float(dom.lmo(-np.ones((1, 1)))[0, 0])


def closed_form(inst, cps: np.ndarray):
    """(values, minimisers (K, 1), certificates, method) at the checkpoints (module docstring)."""
    from .certificates import nonneg

    if inst.family.l2:
        raise InvalidInput("l2", inst.family.l2, "0 for the zhang family's comparator")
    a, S_all = weights_at(inst, cps)
    lo, hi = interval(inst.domain)
    vals, xs, certs = [], [], []
    for S in S_all:
        if S > 0:
            x = min(max(-2.0 / a, lo), hi)
            g = S * a * (1.0 if a * x >= -1.0 else a * x + 2.0)  # F'(x)
            s = lo if g > 0 else hi
            cert = nonneg(g * (x - s)) if g != 0 else 0.0
        elif S < 0:
            if not inst.domain.bounded:
                raise UnboundedComparator("domain", "unbounded", "a bounded domain: S·h(a x) with S = Σ_t b_t < 0 "
                                                                 "is concave and unbounded below on R")
            x = lo if S * zhang_h(a * lo) <= S * zhang_h(a * hi) else hi
            cert = 0.0
        else:
            x = min(max(0.0, lo), hi)
            cert = 0.0
        vals.append(float(S * zhang_h(a * x)))
        xs.append([x])
        certs.append(cert)
    return np.array(vals), np.array(xs), np.array(certs), "closed form (F = S·h(a x), S = Σ_t b_t)"


def curve(inst, checkpoints, check):
    """The :class:`regret.comparator.ComparatorCurve` of a zhang instance (``check``: the
    comparator's validation of the checkpoints)."""
    from . import ComparatorCurve

    t0 = time.perf_counter()
    cps = check(inst, checkpoints)
    vals, xs, certs, method = closed_form(inst, cps)
    return ComparatorCurve(cps, vals, xs, certs, method=method, solver="numpy", seconds=time.perf_counter() - t0)
