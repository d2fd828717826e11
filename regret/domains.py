"""Feasible sets X ⊂ R^d: box, L2 ball, (scaled) probability simplex, unbounded.

Each domain offers
* the Euclidean projection Π_X(y) = argmin_{x∈X} ‖x − y‖₂ and the diagonally weighted projection
  Π_{X,W}(y) = argmin_{x∈X} Σ_i w_i (x_i − y_i)², which is Reddi, Kale & Kumar's Π_{F,√V̂} (ICLR 2018,
  §2, "Notation") with w = diag(√V̂);
* the diameters D = max ‖x − y‖₂ and D∞ = max ‖x − y‖∞ over X, as the theorems use them;
* the linear minimization oracle LMO(c) = argmin_{s∈X} ⟨c, s⟩ (for Frank–Wolfe gap certificates);
* the cvxpy constraint list.

The compiled side sees a domain as (code, P, r): an integer code, a 2×d array P and a scalar r.
Box: P = [lo; hi]. Ball: P[0] = centre, r = radius. Simplex: {x ≥ 0, Σx = r}. Unbounded: nothing.
Projections are exact: box clipping; the ball and the simplex solve their one-dimensional KKT
equation (a secular equation for the ball, a sorted breakpoint search for the simplex).
"""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from .errors import InvalidInput, require

UNBOUNDED, BOX, BALL, SIMPLEX = 0, 1, 2, 3


# ----------------------------------------------------------------------------------------------
# compiled projections (in place on x)
# ----------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy", inline="always")
def _project_box(x, lo, hi):
    for i in range(x.shape[0]):
        if x[i] < lo[i]:
            x[i] = lo[i]
        elif x[i] > hi[i]:
            x[i] = hi[i]


@njit(cache=True, error_model="numpy")
def _project_ball(x, w, weighted, c, r):
    """argmin Σ w_i (x_i − y_i)² s.t. ‖x − c‖ ≤ r, y = x on entry.

    KKT: x_i − c_i = w_i z_i / (w_i + μ) with z = y − c and μ ≥ 0 the root of the secular equation
    ‖w∘z/(w+μ)‖ = r (decreasing in μ); μ ∈ [0, ‖w∘z‖/r]. Safeguarded Newton on 1/‖·‖ − 1/r, which is
    nearly linear in μ (as in trust-region solvers); the result is rescaled onto the sphere so that
    it is feasible to the last bit.

    Zero weights (a coordinate no gradient has touched yet) make the minimiser non-unique; the one
    returned is the limit of the weighted projections as those weights tend to 0+. If the
    positive-weight part z_P alone leaves the ball, μ stays bounded away from 0 and the zero-weight
    coordinates go to the centre; otherwise μ → 0 with μ/w_i → const, so x_P = y_P and z_Z is scaled
    onto the remaining radius √(r² − ‖z_P‖²) (continuous in w, and equal to the Euclidean projection
    when every weight is 0).
    """
    d = x.shape[0]
    nz = 0.0
    for i in range(d):
        nz += (x[i] - c[i]) ** 2
    nz = math.sqrt(nz)
    if nz <= r:
        return
    any_weight = False
    if weighted:
        for i in range(d):
            if w[i] > 0.0:
                any_weight = True
                break
    if not weighted or not any_weight:
        s = r / nz
        for i in range(d):
            x[i] = c[i] + (x[i] - c[i]) * s
        return
    # zero weights: if ‖z_P‖ ≤ r, keep x_P = y_P and scale z_Z onto the remaining radius
    nzp2 = 0.0
    nzz2 = 0.0
    for i in range(d):
        if w[i] > 0.0:
            nzp2 += (x[i] - c[i]) ** 2
        else:
            nzz2 += (x[i] - c[i]) ** 2
    if nzz2 > 0.0 and nzp2 <= r * r:
        rest = math.sqrt(r * r - nzp2)
        nzz = math.sqrt(nzz2)
        if nzz > rest:
            s = rest / nzz
            for i in range(d):
                if not w[i] > 0.0:
                    x[i] = c[i] + (x[i] - c[i]) * s
        n2 = 0.0
        for i in range(d):
            n2 += (x[i] - c[i]) ** 2
        n = math.sqrt(n2)
        if n > r:  # rounding only
            s = r / n
            for i in range(d):
                x[i] = c[i] + (x[i] - c[i]) * s
        return
    wz = 0.0
    for i in range(d):
        wz += (w[i] * (x[i] - c[i])) ** 2
    lo_mu, hi_mu = 0.0, math.sqrt(wz) / r
    mu = 0.0
    for _ in range(200):
        # n(μ)² and its derivative
        n2 = 0.0
        dn2 = 0.0
        for i in range(d):
            zi = x[i] - c[i]
            q = w[i] + mu
            if q > 0.0:
                p = w[i] * zi / q
                n2 += p * p
                dn2 += -2.0 * p * p / q
        n = math.sqrt(n2)
        if n > r:
            lo_mu = mu
        else:
            hi_mu = mu
        if abs(n - r) <= 1e-15 * r or hi_mu - lo_mu <= 1e-16 * max(hi_mu, 1e-300):
            break
        # ψ(μ) = 1/n − 1/r, ψ' = −n'/n² with n' = dn2/(2n)
        psi = 1.0 / n - 1.0 / r
        dpsi = -(dn2 / (2.0 * n)) / n2
        step_ok = False
        if dpsi != 0.0:
            cand = mu - psi / dpsi
            if lo_mu < cand < hi_mu:
                mu = cand
                step_ok = True
        if not step_ok:
            mu = 0.5 * (lo_mu + hi_mu)
    n2 = 0.0
    for i in range(d):
        q = w[i] + mu
        if q > 0.0:
            x[i] = c[i] + w[i] * (x[i] - c[i]) / q
        else:
            x[i] = c[i]
        n2 += (x[i] - c[i]) ** 2
    n = math.sqrt(n2)
    if n > r:
        s = r / n
        for i in range(d):
            x[i] = c[i] + (x[i] - c[i]) * s


@njit(cache=True, error_model="numpy")
def _simplex_solve(y, ww, r):
    """argmin Σ ww_i (x_i − y_i)² s.t. x ≥ 0, Σ x = r, for weights ww > 0 (a new array).

    KKT: x_i = max(0, y_i − τ/ww_i); Σ x_i is decreasing and piecewise linear in τ with breakpoints
    ww_i y_i, so sorting them gives τ exactly (Held–Wolfe–Crowder; Duchi et al. 2008 for ww = 1).
    """
    d = y.shape[0]
    bp = np.empty(d)
    for i in range(d):
        bp[i] = ww[i] * y[i]
    order = np.argsort(-bp)
    sy = 0.0
    sinv = 0.0
    tau = 0.0
    for k in range(d):
        i = order[k]
        sy += y[i]
        sinv += 1.0 / ww[i]
        tau = (sy - r) / sinv
        if k == d - 1 or tau >= bp[order[k + 1]]:
            break
    out = np.empty(d)
    for i in range(d):
        v = y[i] - tau / ww[i]
        out[i] = v if v > 0.0 else 0.0
    return out


@njit(cache=True, error_model="numpy")
def _project_simplex(x, w, weighted, r):
    """argmin Σ w_i (x_i − y_i)² s.t. x ≥ 0, Σ x = r (see :func:`_simplex_solve`).

    Zero weights (a coordinate that no gradient has touched yet) make the minimiser non-unique; the
    one returned is the limit of the weighted projections as those weights tend to 0+: if the
    positive-weight coordinates P hold Σ_P max(0, y_i) ≥ r they take the whole mass (τ stays > 0,
    x_Z → 0); otherwise x_P = max(0, y_P) and the zero-weight coordinates share the remaining mass
    as the Euclidean projection of y_Z onto the simplex of that size (τ → 0, τ/w_Z → const). With
    every weight 0 this is the Euclidean projection.
    """
    d = x.shape[0]
    npos = 0
    if weighted:
        for i in range(d):
            if w[i] > 0.0:
                npos += 1
    if not weighted or npos == 0:
        out = _simplex_solve(x, np.ones(d), r)
        x[:] = out
        return
    if npos == d:
        out = _simplex_solve(x, w, r)
        x[:] = out
        return
    pos = np.empty(npos, dtype=np.int64)
    zer = np.empty(d - npos, dtype=np.int64)
    a = 0
    b = 0
    mass = 0.0
    for i in range(d):
        if w[i] > 0.0:
            pos[a] = i
            a += 1
            if x[i] > 0.0:
                mass += x[i]
        else:
            zer[b] = i
            b += 1
    if mass >= r:
        sol = _simplex_solve(x[pos], w[pos], r)
        for k in range(npos):
            x[pos[k]] = sol[k]
        for k in range(d - npos):
            x[zer[k]] = 0.0
    else:
        sol = _simplex_solve(x[zer], np.ones(d - npos), r - mass)
        for k in range(npos):
            i = pos[k]
            if x[i] < 0.0:
                x[i] = 0.0
        for k in range(d - npos):
            x[zer[k]] = sol[k]


@njit(cache=True, error_model="numpy", inline="always")
def project_inplace(code, x, w, weighted, P, r):
    """Π_X(x) (weighted by w when ``weighted``), written back into x."""
    if code == BOX:
        _project_box(x, P[0], P[1])
    elif code == BALL:
        _project_ball(x, w, weighted, P[0], r)
    elif code == SIMPLEX:
        _project_simplex(x, w, weighted, r)


# ----------------------------------------------------------------------------------------------
# Python side
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Domain:
    """A feasible set; see the module docstring. Build with :func:`box`, :func:`ball`, ..."""

    kind: str
    d: int
    P: np.ndarray = field(repr=False)
    r: float = 0.0

    @property
    def code(self) -> int:
        return {"unbounded": UNBOUNDED, "box": BOX, "ball": BALL, "simplex": SIMPLEX}[self.kind]

    @property
    def bounded(self) -> bool:
        return self.kind != "unbounded"

    # -- geometry -------------------------------------------------------------------------------
    @property
    def diameter(self) -> float:
        """D = max_{x,y∈X} ‖x − y‖₂."""
        if self.kind == "box":
            return float(np.linalg.norm(self.P[1] - self.P[0]))
        if self.kind == "ball":
            return 2.0 * self.r
        if self.kind == "simplex":
            return self.r * math.sqrt(2.0) if self.d > 1 else 0.0
        return math.inf

    @property
    def diameter_inf(self) -> float:
        """D∞ = max_{x,y∈X} ‖x − y‖∞."""
        if self.kind == "box":
            return float(np.max(self.P[1] - self.P[0]))
        if self.kind == "ball":
            return 2.0 * self.r
        if self.kind == "simplex":
            return self.r if self.d > 1 else 0.0
        return math.inf

    def project(self, y, w=None) -> np.ndarray:
        """Π_X(y), or the weighted projection argmin Σ w_i (x_i − y_i)² when w is given."""
        require(np.shape(y) == (self.d,), "y", f"array of shape {np.shape(y)}", f"shape ({self.d},)")
        x = _vector("y", y, self.d)
        weighted = w is not None
        if weighted:
            require(np.shape(w) == (self.d,), "w", f"array of shape {np.shape(w)}", f"shape ({self.d},)")
        ww = _vector("w", w, self.d) if weighted else np.ones(self.d)
        require(bool(np.all(ww >= 0)), "w", w, "weights ≥ 0")
        project_inplace(self.code, x, ww, weighted, self.P, float(self.r))
        return x

    def contains(self, x, tol: float = 1e-12) -> bool:
        x = np.asarray(x, dtype=np.float64)
        if self.kind == "box":
            return bool(np.all(x >= self.P[0] - tol) and np.all(x <= self.P[1] + tol))
        if self.kind == "ball":
            return bool(np.linalg.norm(x - self.P[0]) <= self.r * (1 + tol) + tol)
        if self.kind == "simplex":
            return bool(np.all(x >= -tol) and abs(x.sum() - self.r) <= tol * max(1.0, self.r) * len(x))
        return True

    def lmo(self, c) -> np.ndarray:
        """argmin_{s∈X} ⟨c, s⟩ (a vertex / boundary point); only for bounded domains. ``c`` of shape
        (K, d): one minimiser per row."""
        c = np.asarray(c, dtype=np.float64)
        if c.ndim == 2:
            return self._lmo_rows(c)
        if self.kind == "box":
            return np.where(c > 0, self.P[0], self.P[1])
        if self.kind == "ball":
            n = np.linalg.norm(c)
            return self.P[0].copy() if n == 0 else self.P[0] - self.r * c / n
        if self.kind == "simplex":
            s = np.zeros(self.d)
            s[int(np.argmin(c))] = self.r
            return s
        raise InvalidInput("domain", "unbounded", "a linear minimization oracle needs a bounded domain")

    def _lmo_rows(self, c: np.ndarray) -> np.ndarray:
        if self.kind == "box":
            return np.where(c > 0, self.P[0], self.P[1])
        if self.kind == "ball":
            n = np.linalg.norm(c, axis=1, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(n == 0, self.P[0], self.P[0] - self.r * c / n)
        if self.kind == "simplex":
            s = np.zeros_like(c)
            s[np.arange(c.shape[0]), np.argmin(c, axis=1)] = self.r
            return s
        raise InvalidInput("domain", "unbounded", "a linear minimization oracle needs a bounded domain")

    def support_min(self, c):
        """min_{s∈X} ⟨c, s⟩ without rounding through the minimizer where a formula exists (a float;
        ``c`` of shape (K, d): an array, one value per row)."""
        c = np.asarray(c, dtype=np.float64)
        rows = c.ndim == 2
        if self.kind == "box":
            v = np.sum(np.minimum(c * self.P[0], c * self.P[1]), axis=-1)
        elif self.kind == "ball":
            v = c @ self.P[0] - self.r * np.linalg.norm(c, axis=-1)
        elif self.kind == "simplex":
            v = self.r * np.min(c, axis=-1)
        else:
            if np.any(c != 0):
                raise InvalidInput("domain", "unbounded", "a linear objective is unbounded below on R^d")
            v = np.zeros(c.shape[0]) if rows else 0.0
        return v if rows else float(v)

    def default_start(self) -> np.ndarray:
        """x_1 = Π_X(0) (the protocol of docs/architecture.md, step 1)."""
        return self.project(np.zeros(self.d))

    def cvxpy_constraints(self, x):
        import cvxpy as cp

        if self.kind == "box":
            return [x >= self.P[0], x <= self.P[1]]
        if self.kind == "ball":
            return [cp.norm(x - self.P[0], 2) <= self.r]
        if self.kind == "simplex":
            return [x >= 0, cp.sum(x) == self.r]
        return []

    def describe(self) -> str:
        if self.kind == "box":
            lo, hi = self.P
            if np.all(lo == lo[0]) and np.all(hi == hi[0]):
                return f"box [{lo[0]:g}, {hi[0]:g}]^{self.d}"
            return f"box (d={self.d})"
        if self.kind == "ball":
            return f"L2 ball radius {self.r:g} (d={self.d})"
        if self.kind == "simplex":
            return f"simplex sum={self.r:g} (d={self.d})"
        return f"R^{self.d}"


def _check_d(d) -> int:
    require(isinstance(d, (int, np.integer)) and not isinstance(d, (bool, np.bool_)) and d >= 1, "d", d,
            "a positive integer dimension")
    return int(d)


def _vector(field_name: str, value, d: int) -> np.ndarray:
    """A scalar or a length-d array of finite floats (broadcast to length d)."""
    try:
        v = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInput(field_name, value, f"a number or {d} numbers") from None
    require(v.ndim == 0 or v.shape == (d,), field_name, value, f"a number or an array of shape ({d},)")
    v = np.broadcast_to(v, (d,)).copy()
    require(bool(np.all(np.isfinite(v))), field_name, value, "finite numbers")
    return v


def _positive(field_name: str, value) -> float:
    """A finite real number > 0."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    require(ok and math.isfinite(value) and value > 0, field_name, value, "a finite number > 0")
    return float(value)


def box(d: int, lo=-1.0, hi=1.0) -> Domain:
    """{x : lo ≤ x ≤ hi} (scalars or length-d arrays)."""
    d = _check_d(d)
    lo_v = _vector("box lo", lo, d)
    hi_v = _vector("box hi", hi, d)
    require(bool(np.all(lo_v <= hi_v)), "box bounds", (lo, hi), "lo ≤ hi in every coordinate")
    return Domain("box", d, np.stack([lo_v, hi_v]))


def ball(d: int, radius=1.0, center=0.0) -> Domain:
    """{x : ‖x − center‖₂ ≤ radius}."""
    d = _check_d(d)
    radius = _positive("radius", radius)
    c = _vector("center", center, d)
    return Domain("ball", d, np.stack([c, np.zeros(d)]), radius)


def simplex(d: int, total=1.0) -> Domain:
    """{x : x ≥ 0, Σ x_i = total} (the probability simplex for total = 1)."""
    d = _check_d(d)
    return Domain("simplex", d, np.zeros((2, d)), _positive("total", total))


def unbounded(d: int) -> Domain:
    """R^d (no projection)."""
    d = _check_d(d)
    return Domain("unbounded", d, np.zeros((2, d)))


DOMAINS = {"box": box, "ball": ball, "simplex": simplex, "unbounded": unbounded}


def make(kind: str, d: int, **kw) -> Domain:
    """Domain by name: ``make("ball", 10, radius=2)``."""
    require(isinstance(kind, str) and kind in DOMAINS, "domain", kind, f"one of {sorted(DOMAINS)}")
    allowed = list(inspect.signature(DOMAINS[kind]).parameters)[1:]
    for k in kw:
        require(k in allowed, f"{kind} parameter", k, f"one of {allowed}" if allowed else "none")
    return DOMAINS[kind](d, **kw)
