"""The best fixed comparator in hindsight, min_{x∈X} Σ_{t≤T'} f_t(x), at every checkpoint T',
each with an optimality certificate (an upper bound on F(x̂) − F*, F(x) = Σ_{t≤T'} f_t(x)).

Σ_{t≤T'} f_t(x) = Σ_r c_r f(x; a_r, b_r) with the row multiplicities c of :func:`checkpoint_counts`
(round t uses data row idx[t−1]). Routes (docs/architecture.md, "Comparator strategy"), chosen by
:func:`best_fixed` with ``method="auto"``:

| family | route | certificate |
| --- | --- | --- |
| linear | closed form: min = support function of S = Σa; with l2: x* = Π_X(−S/(l2·n)) | FW / strong-convexity gap |
| least squares | sufficient statistics Q, q, s; exact QP per domain (:mod:`.least_squares`) | FW / strong-convexity gap; ‖∇F‖²/(2λ_min) on R^d |
| logistic, multiclass, huber | SPG warm-started + projected Newton for small d (:mod:`.smooth`) | FW / strong-convexity gap |
| hinge, absolute | explicit-slack LP over a working set of rows, by constraint generation in a trust region (:mod:`.nonsmooth`): HiGHS's dual simplex through highspy (scipy's linprog if that fails); an active L2 ball's SOCP by Clarabel; with l2 (a QP), or when a direct solve is not certified, cvxpy | our Lagrange dual bound (:mod:`.nonsmooth`) |
| zhang (d = 1, one a) | closed form: F = (Σ_t b_t)·h(a x) (:mod:`.zhang`) | FW gap (convex case); exact end point (concave case) |

``method="cvxpy"`` solves every family with cvxpy (:mod:`.cvx`), the modelling reference; the
other explicit methods are ``"closed_form"`` (linear), ``"sufficient_statistics"`` (least squares),
``"first_order"`` (differentiable families) and ``"working_set"`` (hinge, absolute).

On R^d a comparator needs a certificate that does not rely on a bounded domain: linear losses with
Σa ≠ 0 raise :class:`regret.errors.UnboundedComparator`; logistic and multiclass losses without an
l2 term raise it as well (on separable data the infimum is not attained); Huber, hinge and absolute
losses without an l2 term raise :class:`regret.errors.InvalidInput` (a minimiser exists, but no
certificate on R^d can be computed without strong convexity).

Every number a curve holds is finite: a value, minimiser or certificate that is NaN or ±inf (data
that overflow float64) raises :class:`regret.errors.NonFiniteComparator` (a ``SolverFailure``) naming
the checkpoint, when the :class:`ComparatorCurve` is built — never a number, never a certificate
clamped to 0. A first-order solve whose certificate stays above ``REJECT_RTOL``·max(1, |F|) (the
cvxpy route's threshold, :mod:`.solvers`) after the cvxpy fallback raises ``SolverFailure``.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from .. import progress
from ..errors import InvalidInput, NonFiniteComparator, SolverFailure, UnboundedComparator
from ..problems import Instance
from . import certificates as C
from .objective import Block, checkpoint_blocks, checkpoint_counts
from .solvers import REJECT_RTOL

METHODS = ("auto", "closed_form", "sufficient_statistics", "first_order", "working_set", "cvxpy")
RTOL = 1e-9
FALLBACK_RTOL = 1e-6  # a first-order certificate above this relative size sends the checkpoint to cvxpy


@dataclass
class ComparatorCurve:
    """Comparators at the checkpoints of one instance: value F(x̂_{T'}) (K,) with x̂ ∈ X, so the
    value is ≥ F* and ≤ F* + certificate; minimiser x (K, d); certificate (K,) ≥ F(x̂) − F*; how
    they were obtained (``method``) and by which solver; ``seconds`` the wall time of the curve.

    Every value, minimiser and certificate is finite (else :class:`regret.errors.NonFiniteComparator`
    at construction), except in a curve built by :meth:`undefined` (``defined`` False): the NaN
    curve of a diverged run whose data are themselves not finite (an adversary's rows written from
    a non-finite x_t)."""

    checkpoints: np.ndarray
    value: np.ndarray
    x: np.ndarray
    certificate: np.ndarray
    method: str
    solver: str = ""
    seconds: float = 0.0
    defined: bool = True

    def __post_init__(self):
        if not self.defined:
            return
        for what, arr in (("F(x̂) (the comparator's value)", self.value), ("the certificate", self.certificate),
                          ("x̂ (the comparator)", self.x)):
            arr = np.asarray(arr, dtype=np.float64)
            bad = ~np.isfinite(arr.reshape(arr.shape[0], -1)).all(axis=1) if arr.size else np.zeros(0, bool)
            if bad.any():
                k = int(np.argmax(bad))
                shown = float(arr[k]) if arr.ndim == 1 else arr[k].tolist()[:8]
                raise NonFiniteComparator(int(self.checkpoints[k]), what, shown,
                                          f"{self.method}; e.g. data that overflow float64")

    @classmethod
    def undefined(cls, checkpoints, d: int, why: str) -> "ComparatorCurve":
        """A curve of NaNs (no comparator exists: ``why``); only for a diverged run."""
        cps = np.asarray(checkpoints, dtype=np.int64)
        nan = np.full(cps.size, np.nan)
        return cls(cps, nan, np.full((cps.size, d), np.nan), nan.copy(), method=f"undefined: {why}",
                   solver="", defined=False)


def _check_checkpoints(inst, checkpoints) -> np.ndarray:
    cps = np.asarray(checkpoints)
    ok = cps.ndim == 1 and cps.size > 0 and np.issubdtype(cps.dtype, np.integer)
    if ok:
        ok = bool(np.all(np.diff(cps) > 0) and cps[0] >= 1 and cps[-1] <= inst.T)
    if not ok:
        raise InvalidInput("checkpoints", cps.tolist()[:8] if cps.size < 50 else "array",
                           f"increasing integer rounds in 1..T={inst.T}")
    return cps.astype(np.int64)


def _require_certifiable(inst) -> None:
    """Refuse R^d problems whose comparator cannot be certified (see the module docstring)."""
    fam, dom = inst.family, inst.domain
    if dom.bounded or fam.l2 > 0 or fam.name in ("linear", "least_squares"):
        return
    if fam.name in ("logistic", "multiclass"):
        raise UnboundedComparator("domain", "unbounded",
                                  f"a bounded domain or l2 > 0 for the {fam.name} loss: on R^d its infimum "
                                  "is not attained when the data are separable")
    raise InvalidInput("domain", "unbounded",
                       f"a bounded domain or l2 > 0 for the {fam.name} loss: the minimiser exists but "
                       "no optimality certificate on R^d is possible without strong convexity")


# -- linear losses ---------------------------------------------------------------------------------
def linear_closed_form(inst: Instance, checkpoints) -> ComparatorCurve:
    """F(x) = ⟨S, x⟩ (+ (λ/2)‖x‖², λ = l2·T'), S = Σ_{t≤T'} a_t.

    λ = 0: F* = min_{s∈X} ⟨S, s⟩, the support function; x* = LMO(S); certificate: the FW gap at x*.
    On R^d, F* = −∞ unless S = 0 (UnboundedComparator).
    λ > 0: F(x) = (λ/2)‖x + S/λ‖² − ‖S‖²/(2λ), so x* = Π_X(−S/λ) exactly; certificate: the
    strong-convexity gap at x*.
    """
    t0 = time.perf_counter()
    cps = _check_checkpoints(inst, checkpoints)
    dom, l2 = inst.domain, float(inst.family.l2)
    S_all = _prefix_sums(inst, cps)
    if l2 > 0:
        vals, xs, certs = [], [], []
        for T, S in zip(cps, S_all):
            lam = l2 * float(T)
            x = dom.project(-S / lam) if dom.bounded else -S / lam
            g = S + lam * x
            vals.append(float(S @ x) + 0.5 * lam * float(x @ x))
            xs.append(x)
            certs.append(C.gap(dom, x, g, lam))
        vals, xs, certs = np.array(vals), np.array(xs), np.array(certs)
    else:
        if not dom.bounded and np.any(S_all != 0):
            raise UnboundedComparator("domain", "unbounded",
                                      "a bounded domain: min_x Σ_t ⟨a_t, x⟩ over R^d is −∞ when Σ_t a_t ≠ 0")
        # every checkpoint at once: the LMO and the support function act on the rows of S_all
        xs = dom.lmo(S_all) if dom.bounded else np.zeros_like(S_all)
        vals = np.asarray(dom.support_min(S_all), dtype=np.float64).reshape(cps.size)
        with np.errstate(over="ignore", invalid="ignore"):
            # the Frank–Wolfe gap at x̂ = LMO(S), NaN-safe
            certs = np.array([C.nonneg(g) for g in np.einsum("kd,kd->k", S_all, xs) - vals])
    how = "x* = Π_X(−S/(l2·T'))" if l2 > 0 else "support function"
    return ComparatorCurve(cps, vals, xs, certs, method=f"closed form ({how})", solver="numpy",
                           seconds=time.perf_counter() - t0)


PREFIX_NUMBERS = 1 << 22  # rows (× features) summed as one cumulative sum; beyond, block by block


def _prefix_sums(inst: Instance, cps: np.ndarray) -> np.ndarray:
    """S_k = Σ_{t≤T'_k} a_t at every checkpoint, (K, d): one cumulative sum over the rows of rounds
    1..T'_K — block by block for a stream, at once for few stored rows (either way S at T' does not
    depend on the other checkpoints) — else grown part by part between checkpoints (O(d) memory
    beyond a part's rows; :meth:`Instance.segments`)."""
    d, last = inst.domain.d, int(cps[-1])
    if hasattr(inst, "stream"):
        # block by block, the running sum carried from block to block: the same sequential sums as one
        # cumsum over all rounds, in O(block) memory
        from .passes import running_sums

        out = np.empty((cps.size, d))
        S, t0, k = np.zeros(d), 0, 0
        cps64 = np.ascontiguousarray(cps, dtype=np.int64)
        for A, _ in inst.stream.pieces(0, last):
            k = running_sums(np.ascontiguousarray(A, dtype=np.float64), S, t0, cps64, k, out)
            t0 += A.shape[0]
        return out
    if last * d <= PREFIX_NUMBERS:
        return np.cumsum(inst.A[inst.round_rows(0, last)], axis=0)[cps - 1]
    out = np.empty((cps.size, d))
    S, prev = np.zeros(d), 0
    for k, T in enumerate(cps):
        for A, _, c in inst.segments(prev, int(T)):
            S = S + (A.sum(axis=0) if c is None else A.T @ c)
        prev = int(T)
        out[k] = S
    return out


# -- the other routes --------------------------------------------------------------------------------
def least_squares_curve(inst: Instance, checkpoints) -> ComparatorCurve:
    """Least squares by its sufficient statistics (:mod:`.least_squares`)."""
    from .least_squares import solve_curve

    t0 = time.perf_counter()
    cps = _check_checkpoints(inst, checkpoints)
    vals, xs, certs, method = solve_curve(inst, cps)
    return ComparatorCurve(cps, vals, xs, certs, method=method, solver="numpy/LAPACK",
                           seconds=time.perf_counter() - t0)


def first_order_curve(inst: Instance, checkpoints, rtol: float = RTOL) -> ComparatorCurve:
    """Differentiable families by SPG (+ projected Newton for small d), warm-started (:mod:`.smooth`)."""
    from . import smooth

    t0 = time.perf_counter()
    cps = _check_checkpoints(inst, checkpoints)
    fam, dom = inst.family, inst.domain
    if not fam.differentiable and not fam.name == "linear":
        raise InvalidInput("method", "first_order", f"a differentiable family (not {fam.name}): use auto or cvxpy")
    _require_certifiable(inst)
    x = inst.domain.default_start() if dom.bounded else np.zeros(dom.d)
    vals, xs, certs, used = [], [], [], []
    fallback = 0
    with progress.bar(len(cps), f"comparator ({fam.name})", unit="checkpoint") as shown:
        for T, block in checkpoint_blocks(inst, cps):
            x, f, cert, how = smooth.solve(block, dom, x, rtol=rtol)
            if not C.within(cert, f, FALLBACK_RTOL):
                # stalled (rounding in the line search) or not finite: the cvxpy reference for this
                # checkpoint, if better
                from .cvx import CvxCurve

                try:
                    v, xx, cc, _, slv = CvxCurve(inst, np.array([T]), [inst.row_counts(int(T))]).solve()
                except SolverFailure as exc:
                    why = f"cvxpy fallback failed: {exc}"
                else:
                    why = f"cvxpy fallback certified {float(cc[0]):.3g}"
                    if math.isfinite(cc[0]) and math.isfinite(v[0]) and not cc[0] >= cert:
                        x, f, cert, how = xx[0], float(v[0]), float(cc[0]), f"cvxpy ({slv})"
                        fallback += 1
                if not C.within(cert, f, REJECT_RTOL):
                    # the cvxpy route's reject threshold: a stalled solve is a failure, not a comparator
                    raise SolverFailure(
                        f"first-order comparator at T'={int(T)} for {fam.name} on {dom.describe()}: certificate "
                        f"{cert:.3g} > {REJECT_RTOL:g}·max(1, |F|) with F = {f:.6g} after {how}; {why}")
            vals.append(f)
            xs.append(x.copy())
            certs.append(cert)
            used.append(how)
            shown.update(1)
    cert_how = "strong-convexity gap (μ = l2·T')" if fam.l2 > 0 else "Frank–Wolfe gap"
    newton = any("Newton" in u for u in used)
    spg = any("SPG" in u for u in used)
    solver = " + ".join(n for n, ok in (("projected Newton", newton), ("SPG", spg)) if ok)
    if fallback:
        solver += f" (cvxpy at {fallback} checkpoint{'s' if fallback > 1 else ''})"
    return ComparatorCurve(cps, np.array(vals), np.array(xs), np.array(certs),
                           method=f"first order, warm-started; certificate: {cert_how}",
                           solver=solver, seconds=time.perf_counter() - t0)


def working_set_curve(inst: Instance, checkpoints) -> ComparatorCurve:
    """Hinge and absolute losses: explicit-slack LP over a working set of rows, warm-started from the
    previous checkpoint, certified by our Lagrange dual bound (:func:`.nonsmooth.working_set`). The
    solver column lists every solver whose answer was kept at some checkpoint: HiGHS (the LPs,
    through highspy, or scipy's linprog when highspy fails), Clarabel (an active ball), "… via
    cvxpy" (a QP, or a direct answer our bound did not accept)."""
    from .nonsmooth import on_sphere, working_set

    t0 = time.perf_counter()
    cps = _check_checkpoints(inst, checkpoints)
    fam, dom = inst.family, inst.domain
    if fam.name not in ("hinge", "absolute"):
        raise InvalidInput("method", "working_set", f"the hinge or absolute family (not {fam.name})")
    _require_certifiable(inst)
    x = dom.default_start() if dom.bounded else np.zeros(dom.d)
    vals, xs, certs, used = [], [], [], []
    move = 0.0
    with progress.bar(len(cps), f"comparator ({fam.name})", unit="checkpoint") as shown:
        for _, block in checkpoint_blocks(inst, cps):
            x_prev = x
            x, f, cert, solver = working_set(block, dom, x, rho_hint=move, socp=bool(xs) and on_sphere(dom, x))
            move = float(np.abs(x - x_prev).max()) if xs else 0.0
            vals.append(f)
            xs.append(x.copy())
            certs.append(cert)
            used.append(solver)
            shown.update(1)
    return ComparatorCurve(cps, np.array(vals), np.array(xs), np.array(certs),
                           method="explicit-slack LP (QP/SOCP) over a working set of rows (constraint generation "
                                  "in a trust region); certificate: Lagrange dual bound from the clipped slack "
                                  "multipliers",
                           solver="/".join(dict.fromkeys(used)), seconds=time.perf_counter() - t0)


def cvxpy_curve(inst: Instance, checkpoints) -> ComparatorCurve:
    """Every family with cvxpy (:mod:`.cvx`), certificates recomputed by us."""
    from .cvx import CvxCurve

    t0 = time.perf_counter()
    cps = _check_checkpoints(inst, checkpoints)
    _require_certifiable(inst)
    if inst.family.name == "linear" and not inst.family.l2 and not inst.domain.bounded:
        linear_closed_form(inst, cps)  # raises UnboundedComparator when Σa ≠ 0
    counts = checkpoint_counts(inst, cps)
    vals, xs, certs, method, solver = CvxCurve(inst, cps, counts).solve()
    return ComparatorCurve(cps, vals, xs, certs, method=method, solver=solver,
                           seconds=time.perf_counter() - t0)


def best_fixed(inst: Instance, checkpoints, method: str = "auto") -> ComparatorCurve:
    """The comparator curve of ``inst`` at ``checkpoints`` by the fastest certified route
    (``method="auto"``) or by the named one (see the module docstring)."""
    if method not in METHODS:
        raise InvalidInput("method", method, f"one of {list(METHODS)}")
    name = inst.family.name
    if method == "auto":
        method = {"linear": "closed_form", "least_squares": "sufficient_statistics", "hinge": "working_set",
                  "absolute": "working_set", "zhang": "closed_form"}.get(name, "first_order")
    if name == "zhang":  # not convex round by round: only its closed form is a certified minimum
        if method != "closed_form":
            raise InvalidInput("method", method, "closed_form or auto for the zhang family (its rounds with "
                                                 "b < 0 are concave: the convex solvers do not apply)")
        from . import zhang

        return zhang.curve(inst, checkpoints, _check_checkpoints)
    if method == "closed_form":
        if name != "linear":
            raise InvalidInput("method", "closed_form", f"the linear or zhang family (not {name})")
        return linear_closed_form(inst, checkpoints)
    if method == "sufficient_statistics":
        if name != "least_squares":
            raise InvalidInput("method", "sufficient_statistics", f"the least_squares family (not {name})")
        return least_squares_curve(inst, checkpoints)
    if method == "first_order":
        return first_order_curve(inst, checkpoints)
    if method == "working_set":
        return working_set_curve(inst, checkpoints)
    return cvxpy_curve(inst, checkpoints)


_CACHE: dict = {}


def _fingerprint(inst: Instance) -> tuple:
    """What the comparator depends on: the family, the domain and the data actually used (a digest
    of A, b and idx, so that two instances never share an entry by accident)."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    inst.digest(h)  # a stream's generator, seed and first block: its rows are not drawn for this
    h.update(np.ascontiguousarray(inst.domain.P).view(np.uint8))
    h.update(str(inst.domain.P.shape).encode())
    return (repr(inst.family), inst.domain.kind, float(inst.domain.r), h.hexdigest())


def best_fixed_cached(inst: Instance, checkpoints) -> ComparatorCurve:
    """:func:`best_fixed`, memoised per (instance content, checkpoints) within the process, so that
    several optimizers on the same instance share one comparator computation."""
    key = (_fingerprint(inst), tuple(int(c) for c in checkpoints))
    if key not in _CACHE:
        _CACHE[key] = best_fixed(inst, checkpoints)
    return _CACHE[key]


__all__ = ["ComparatorCurve", "best_fixed", "best_fixed_cached", "linear_closed_form", "checkpoint_counts",
           "least_squares_curve", "first_order_curve", "working_set_curve", "cvxpy_curve", "METHODS", "Block"]
