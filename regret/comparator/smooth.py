"""Differentiable families (logistic, multiclass, Huber, and any family with an l2 term): a
projected first-order method, warm-started from the previous checkpoint's minimiser and stopped on
the certificate.

* Spectral projected gradient, SPG2 of Birgin, Martínez & Raydan, "Nonmonotone spectral projected
  gradient methods on convex sets", SIAM J. Optim. 10(4), 2000, Algorithm 2.1 with the
  Barzilai–Borwein step α = sᵀs/sᵀy and the nonmonotone Armijo rule of Grippo, Lampariello & Lucidi
  (memory M = 10): x⁺ = x + λ d, d = Π_X(x − α∇F(x)) − x. Every iterate is feasible (a convex
  combination of feasible points).
* For small d, or when SPG stalls (ill-conditioned problems), projected Newton steps (Lee, Sun & Saunders, "Proximal Newton-type methods",
  SIAM J. Optim. 24(3), 2014, with the indicator of X as the nonsmooth part): the quadratic model
  F(x) + ⟨g, y − x⟩ + ½(y − x)ᵀ∇²F(x)(y − x) is minimised exactly over X (:mod:`.quadratic`) and a
  backtracking line search runs along the segment to y; locally quadratic convergence.
* Stopping rule: the certificate (:mod:`.certificates`, Frank–Wolfe gap, or the strong-convexity
  gap with μ = l2·T' when l2 > 0) ≤ rtol·max(1, |F|), rtol = 1e-9 by default.
"""
from __future__ import annotations

import numpy as np

from . import certificates as C
from . import quadratic as Qd

NEWTON_FIRST_D = 256  # Newton first up to this d: a Hessian costs ~d/2 gradients, Newton needs 1–7
#                       steps, SPG 10 to > 3000 (sparse-logistic, d = 200: 12 s → 0.3 s per checkpoint)
NEWTON_MAX_D = 1000  # Newton after a stalled SPG up to this d (Hessian n·d², subproblem d³)
SPG_BUDGET = 300  # larger d: SPG iterations before Newton takes over
NEWTON_MAXIT = 50  # projected Newton steps per stage
SPG_MAXIT = 20000  # SPG iterations per stage without budget (it usually stops on its stall rule first)


def _cert(block, dom, x, g):
    return C.gap(dom, x, g, block.mu)


def _better(cert, than) -> bool:
    """cert < than, a number always better than NaN (``nan < x`` is False either way round)."""
    return not np.isnan(cert) and (np.isnan(than) or cert < than)


STALL = 500  # SPG stops when its best certificate has not halved for this many iterations


def spg(block, dom, x0, rtol=1e-9, maxit=20000, memory=10, gamma=1e-4, stall=STALL):
    """SPG2 (Birgin, Martínez & Raydan 2000) from x0 until the certificate ≤ rtol·max(1, |F|), or
    until it stalls (the best certificate has not halved in ``stall`` iterations: on nearly flat
    directions, e.g. logistic losses on nearly separable data, it can creep for 10⁴ iterations; the
    certificate reached is still a valid error bar). Returns (x, F(x), ∇F(x), certificate, iterations)."""
    x = dom.project(x0) if dom.bounded else np.asarray(x0, dtype=np.float64).copy()
    f, g = block.value_grad(x)
    cert = _cert(block, dom, x, g)
    hist = [f]
    # first step length: 1/‖projected gradient‖∞ (BMR 2000, §2), safeguarded
    pg = dom.project(x - g) - x if dom.bounded else -g
    npg = float(np.abs(pg).max())
    alpha = 1.0 / npg if npg > 0 else 1.0
    a_min, a_max = 1e-30, 1e30
    it = 0
    best = (cert, x, f, g)
    last_halving = 0
    while cert > C.tolerance(f, rtol) and it < maxit and it - last_halving < stall:
        it += 1
        y = x - alpha * g
        d = (dom.project(y) if dom.bounded else y) - x
        gtd = float(g @ d)
        if gtd >= 0:  # no descent left at this precision
            break
        fmax = max(hist[-memory:])
        lam = 1.0
        while True:
            xn = x + lam * d
            fn, gn = block.value_grad(xn)
            if fn <= fmax + gamma * lam * gtd:
                break
            # safeguarded quadratic interpolation (BMR 2000, step 2.2)
            denom = 2.0 * (fn - f - lam * gtd)
            lt = -gtd * lam * lam / denom if denom > 0 else 0.5 * lam
            lam = lt if 0.1 * lam <= lt <= 0.9 * lam else 0.5 * lam
            if lam < 1e-18:
                xn = None
                break
        if xn is None:
            break
        s = xn - x
        yv = gn - g
        sty = float(s @ yv)
        alpha = min(a_max, max(a_min, float(s @ s) / sty)) if sty > 0 else a_max
        x, f, g = xn, fn, gn
        hist.append(f)
        cert = _cert(block, dom, x, g)
        if _better(cert, best[0]):
            if cert <= 0.5 * best[0]:
                last_halving = it
            best = (cert, x, f, g)
    cert, x, f, g = best if _better(best[0], cert) else (cert, x, f, g)
    return x, f, g, cert, it


def newton(block, dom, x0, rtol=1e-9, maxit=50, gamma=1e-4):
    """Projected Newton steps (see the module docstring) from x0. Returns (x, F, ∇F, cert, its)."""
    x = dom.project(x0) if dom.bounded else np.asarray(x0, dtype=np.float64).copy()
    # the start's f, ∇f and ∇²f in one read of the rows; later points get their Hessian only once
    # accepted and another step is needed (a trial's or the last point's would be wasted: at d = 600 a
    # Hessian costs ~15× a value and gradient)
    f, g, Hx = block.value_grad_hess(x)
    cert = _cert(block, dom, x, g)
    it = 0
    scale = 1.0 / max(block.n, 1.0)
    best_cert, last_halving = cert, 0
    while cert > C.tolerance(f, rtol) and it < maxit and it - last_halving < 8:
        it += 1
        H = (block.hessian(x) if Hx is None else Hx) * scale
        gs = g * scale
        y = Qd.minimize(H, gs - H @ x, dom, x0=x)
        d = y - x
        gtd = float(g @ d)
        if not gtd < 0:
            break
        lam = 1.0
        while True:
            xn = x + lam * d
            fn, gn = block.value_grad(xn)
            if fn <= f + gamma * lam * gtd:
                break
            lam *= 0.5
            if lam < 1e-12:
                xn = None
                break
        if xn is None:
            break
        x, f, g, Hx = xn, fn, gn, None
        cert = _cert(block, dom, x, g)
        if cert <= 0.5 * best_cert:
            best_cert, last_halving = cert, it
    return x, f, g, cert, it


def solve(block, dom, x0, rtol=1e-9):
    """Small d (≤ NEWTON_FIRST_D): projected Newton, then SPG if needed. Otherwise SPG for at most
    SPG_BUDGET iterations, then (d ≤ NEWTON_MAX_D) projected Newton from SPG's point, then SPG again
    without budget; each stage starts from the best point so far and the first one whose certificate
    is ≤ rtol·max(1, |F|) ends the checkpoint. Returns (x, F, cert, how); the certificate may be
    above the target (a stalled solve) or NaN (a non-finite objective): the caller judges it
    (:func:`regret.comparator.first_order_curve`)."""
    if block.d <= NEWTON_FIRST_D:
        steps = [("newton", NEWTON_MAXIT), ("spg", SPG_MAXIT)]
    elif block.d <= NEWTON_MAX_D:
        steps = [("spg", min(SPG_BUDGET, SPG_MAXIT)), ("newton", NEWTON_MAXIT), ("spg", SPG_MAXIT)]
    else:
        steps = [("spg", SPG_MAXIT)]
    best = None
    used = []
    for step, budget in steps:
        start = x0 if best is None else best[0]
        if step == "newton":
            x, f, g, cert, its = newton(block, dom, start, rtol=rtol, maxit=budget)
            used.append(f"projected Newton ({its} it)")
        else:
            x, f, g, cert, its = spg(block, dom, start, rtol=rtol, maxit=budget)
            used.append(f"SPG ({its} it)")
        if best is None or _better(cert, best[3]):
            best = (x, f, g, cert)
        if C.within(best[3], best[1], rtol):
            break
    x, f, g, cert = best
    if dom.bounded:
        xp = dom.project(x)
        if not np.array_equal(xp, x):  # remove the rounding of x + λd, then re-certify
            fp, gp = block.value_grad(xp)
            cp_ = _cert(block, dom, xp, gp)
            x, f, cert = xp, fp, cp_
    return x, f, cert, " + ".join(used)
