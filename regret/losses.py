"""Loss families: one round's loss f_t(x) is determined by a data row (a_t, b_t) and the family.

| family | f_t(x) | data |
| --- | --- | --- |
| linear | ⟨a, x⟩ | a ∈ R^d |
| least_squares | ½(⟨a, x⟩ − b)² | a ∈ R^d, b ∈ R |
| logistic | log(1 + exp(−b⟨a, x⟩)) | a ∈ R^d, b ∈ {−1, +1} |
| multiclass | logsumexp(W a) − (W a)_b, W = x reshaped K × p | a ∈ R^p, b ∈ {0..K−1} |
| hinge | max(0, 1 − b⟨a, x⟩) | a ∈ R^d, b ∈ {−1, +1} |
| absolute | |⟨a, x⟩ − b| | a ∈ R^d, b ∈ R |
| huber | ½r² if |r| ≤ δ else δ(|r| − δ/2), r = ⟨a, x⟩ − b | a ∈ R^d, b ∈ R |
| zhang | b·h(⟨a, x⟩), h(z) = z for z ≥ −1, (z + 2)²/2 − 3/2 for z < −1 | a ∈ R^d, b ∈ R (the weight c_i) |

The zhang family is Zhang et al.'s function (2.5) (NeurIPS 2022, "Adam Can Converge Without Any
Modification On Update Rules"): each f_i = c_i·h is a multiple of the one convex C¹ function h, so it
is convex when c_i ≥ 0 and concave when c_i < 0 — the one family here whose rounds need not be
convex (:meth:`Family.convex_rows`); the sum over an epoch, (Σ c_i)·h, is convex.

Every family takes an optional ridge term (l2/2)‖x‖² per round. Where a loss is not differentiable
the (sub)gradient returned is the one a subgradient method would use: 0 at the kink of hinge and
absolute, which is an element of the subdifferential.

One source of truth per formula: the compiled :func:`value_grad` of one round is what the engine
uses; :meth:`Family.total` / :meth:`Family.total_grad` evaluate Σ_t f_t over a block of rows with
numpy for the comparator (tests cross-check the two, and both against finite differences and
against the cvxpy expression :meth:`Family.cvxpy_total`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from .errors import InvalidInput, require


def _special():
    """scipy.special, imported on first use: it costs ~0.3 s at start-up and the engine's compiled
    path never needs it (only the comparator's numpy totals do)."""
    import scipy.special

    return scipy.special


LINEAR, LEAST_SQUARES, LOGISTIC, MULTICLASS, HINGE, ABSOLUTE, HUBER, ZHANG = range(8)
NAMES = ("linear", "least_squares", "logistic", "multiclass", "hinge", "absolute", "huber", "zhang")
# loss parameter vector: [l2, K (classes), huber delta]
LP_L2, LP_K, LP_DELTA = 0, 1, 2


@njit(cache=True, error_model="numpy")
def _log1pexp(z):
    """log(1 + e^z) without overflow."""
    if z > 0.0:
        return z + math.log1p(math.exp(-z))
    return math.log1p(math.exp(z))


@njit(cache=True, error_model="numpy", inline="always")
def score_loss(code, lp, z, b, row):
    """The single-index families' loss as a function of the score z = ⟨a_t, x⟩: returns (f_t, ∂f_t/∂z),
    so f_t(x) = f and ∇f_t(x) = (∂f_t/∂z)·a_t (before the ridge term). b[row] is read only by the
    families that have a label or target."""
    if code == LINEAR:
        f = z
        coef = 1.0
    elif code == LEAST_SQUARES:
        r = z - b[row]
        f = 0.5 * r * r
        coef = r
    elif code == LOGISTIC:
        yz = b[row] * z
        f = _log1pexp(-yz)
        # d/dz log(1+e^{−yz}) = −y σ(−yz)
        if yz >= 0.0:
            e = math.exp(-yz)
            coef = -b[row] * e / (1.0 + e)
        else:
            coef = -b[row] / (1.0 + math.exp(yz))
    elif code == HINGE:
        margin = 1.0 - b[row] * z
        if margin > 0.0:
            f = margin
            coef = -b[row]
        else:
            f = 0.0
            coef = 0.0
    elif code == ABSOLUTE:
        r = z - b[row]
        f = abs(r)
        coef = 1.0 if r > 0.0 else (-1.0 if r < 0.0 else 0.0)
    elif code == ZHANG:
        # f = c·h(z): h(z) = z on z ≥ −1, (z + 2)²/2 − 3/2 below (value and slope 1 agree at z = −1)
        c = b[row]
        if z >= -1.0:
            f = c * z
            coef = c
        else:
            u = z + 2.0
            f = c * (0.5 * u * u - 1.5)
            coef = c * u
    else:  # HUBER
        delta = lp[LP_DELTA]
        r = z - b[row]
        if abs(r) <= delta:
            f = 0.5 * r * r
            coef = r
        else:
            f = delta * (abs(r) - 0.5 * delta)
            coef = delta if r > 0.0 else -delta
    return f, coef


@njit(cache=True, error_model="numpy", inline="always")
def value_grad(code, lp, A, row, b, x, g):
    """f_t(x) for the data row ``row`` of (A, b); the (sub)gradient is written into g."""
    d = x.shape[0]
    p = A.shape[1]
    if code == MULTICLASS:
        K = int(lp[LP_K])
        label = int(b[row])
        zmax = -np.inf
        # scores z_k = Σ_j W[k, j] a_j kept in g[:K] first (g is reused as scratch)
        z = np.empty(K)
        for k in range(K):
            s = 0.0
            for j in range(p):
                s += x[k * p + j] * A[row, j]
            z[k] = s
            if s > zmax:
                zmax = s
        se = 0.0
        for k in range(K):
            se += math.exp(z[k] - zmax)
        lse = zmax + math.log(se)
        f = lse - z[label]
        for k in range(K):
            coef = math.exp(z[k] - lse) - (1.0 if k == label else 0.0)
            for j in range(p):
                g[k * p + j] = coef * A[row, j]
    else:
        z = 0.0
        for j in range(d):
            z += A[row, j] * x[j]
        f, coef = score_loss(code, lp, z, b, row)
        for j in range(d):
            g[j] = coef * A[row, j]
    l2 = lp[LP_L2]
    if l2 != 0.0:
        sq = 0.0
        for j in range(d):
            sq += x[j] * x[j]
            g[j] += l2 * x[j]
        f += 0.5 * l2 * sq
    return f


@dataclass(frozen=True)
class Family:
    """A loss family with its parameters (see the module table)."""

    name: str
    l2: float = 0.0
    classes: int = 0  # multiclass only
    delta: float = 1.0  # huber only

    def __post_init__(self):
        require(isinstance(self.name, str) and self.name in NAMES, "loss", self.name, f"one of {list(NAMES)}")
        require(_real(self.l2) and math.isfinite(self.l2) and self.l2 >= 0, "l2", self.l2, "a finite number ≥ 0")
        require(_real(self.delta) and math.isfinite(self.delta) and self.delta > 0, "delta", self.delta,
                "a finite number > 0")
        if self.name == "multiclass":
            require(isinstance(self.classes, (int, np.integer)) and not isinstance(self.classes, bool)
                    and self.classes >= 2, "classes", self.classes, "an integer ≥ 2 for the multiclass family")

    @property
    def code(self) -> int:
        return NAMES.index(self.name)

    @property
    def params(self) -> np.ndarray:
        return np.array([self.l2, float(self.classes), self.delta])

    @property
    def differentiable(self) -> bool:
        return self.name not in ("hinge", "absolute")

    @property
    def always_convex(self) -> bool:
        """Every round is convex whatever its data (all families but zhang)."""
        return self.name != "zhang"

    def convex_rows(self, b: np.ndarray) -> np.ndarray:
        """Which data rows give a convex loss: all of them, except the zhang family's rows with a
        negative weight b (c·h with c < 0 is concave)."""
        b = np.asarray(b, dtype=np.float64)
        return b >= 0 if self.name == "zhang" else np.ones(b.shape, dtype=bool)

    @property
    def uses_labels_pm1(self) -> bool:
        return self.name in ("logistic", "hinge")

    def dim(self, p: int) -> int:
        """Dimension d of x for feature dimension p."""
        return self.classes * p if self.name == "multiclass" else p

    # -- validation of data -------------------------------------------------------------------------
    def check_data(self, A: np.ndarray, b: np.ndarray) -> None:
        require(A.ndim == 2, "A", f"array of shape {A.shape}", "a 2-D array (rows × features)")
        require(b.ndim == 1 and b.shape[0] == A.shape[0], "b", f"array of shape {b.shape}",
                f"a 1-D array with one entry per row of A ({A.shape[0]})")
        require(bool(np.all(np.isfinite(A))), "A", _bad_entries(A, ~np.isfinite(A)), "finite numbers")
        require(bool(np.all(np.isfinite(b))), "b", _bad_entries(b, ~np.isfinite(b)), "finite numbers")
        if self.uses_labels_pm1:
            bad = np.abs(b) != 1
            require(not bool(np.any(bad)), "b", _bad_entries(b, bad), f"±1 labels for the {self.name} loss")
        if self.name == "multiclass":
            bad = (b != np.round(b)) | (b < 0) | (b >= self.classes)
            require(not bool(np.any(bad)), "b", _bad_entries(b, bad),
                    f"integer labels in 0..{self.classes - 1} for the multiclass loss")

    # -- Σ_t f_t over a block of rows, numpy (the comparator's objective) ---------------------------
    def total(self, x, A, b, weights=None) -> float:
        """Σ_rows f(x; a, b) evaluated with numpy (pairwise summation); with ``weights`` c the
        weighted sum Σ_rows c_row f(x; a_row, b_row) (row multiplicities: Σ_{t≤T'} f_t), whose
        ridge term is (l2/2)·Σc·‖x‖²."""
        x = np.asarray(x, dtype=np.float64)
        n = A.shape[0] if weights is None else float(np.sum(weights))
        if self.name == "multiclass":
            W = x.reshape(self.classes, A.shape[1])
            Z = A @ W.T
            lab = b.astype(np.int64)
            vals = _special().logsumexp(Z, axis=1) - Z[np.arange(A.shape[0]), lab]
        else:
            z = A @ x
            vals = self._scalar_loss(z, b)
        out = float(np.sum(vals)) if weights is None else float(np.sum(weights * vals))
        if self.l2:
            out += 0.5 * self.l2 * n * float(x @ x)
        return out

    def total_grad(self, x, A, b, weights=None) -> np.ndarray:
        """∇ Σ_rows f(x; a, b) (a subgradient for hinge/absolute); ``weights`` as in :meth:`total`."""
        x = np.asarray(x, dtype=np.float64)
        n = A.shape[0] if weights is None else float(np.sum(weights))
        if self.name == "multiclass":
            W = x.reshape(self.classes, A.shape[1])
            Z = A @ W.T
            P = np.exp(Z - _special().logsumexp(Z, axis=1, keepdims=True))
            P[np.arange(A.shape[0]), b.astype(np.int64)] -= 1.0
            if weights is not None:
                P *= np.asarray(weights)[:, None]
            gr = (P.T @ A).ravel()
        else:
            dl = self._scalar_dloss(A @ x, b)
            gr = A.T @ (dl if weights is None else weights * dl)
        if self.l2:
            gr = gr + self.l2 * n * x
        return gr

    def _scalar_loss(self, z, b):
        if self.name == "linear":
            return z
        if self.name == "least_squares":
            return 0.5 * (z - b) ** 2
        if self.name == "logistic":
            return -_special().log_expit(b * z)
        if self.name == "hinge":
            return np.maximum(0.0, 1.0 - b * z)
        if self.name == "absolute":
            return np.abs(z - b)
        if self.name == "zhang":
            return b * zhang_h(z)
        r = np.abs(z - b)  # huber
        return np.where(r <= self.delta, 0.5 * r * r, self.delta * (r - 0.5 * self.delta))

    def _scalar_dloss(self, z, b):
        if self.name == "linear":
            return np.ones_like(z)
        if self.name == "least_squares":
            return z - b
        if self.name == "logistic":
            return -b * _special().expit(-b * z)
        if self.name == "hinge":
            return np.where(1.0 - b * z > 0, -b, 0.0)
        if self.name == "absolute":
            return np.sign(z - b)
        if self.name == "zhang":
            return b * np.where(z >= -1.0, 1.0, z + 2.0)
        return np.clip(z - b, -self.delta, self.delta)

    # -- cvxpy (the modelling reference) -----------------------------------------------------------
    def cvxpy_total(self, x, A, b, weights=None):
        """The cvxpy expression of Σ_rows f(x; a, b) (DCP); ``weights`` (nonnegative constants) as
        in :meth:`total`."""
        import cvxpy as cp

        require(self.name != "zhang", "loss", self.name, "a convex family: the zhang family's rounds with c < 0 "
                                                          "are concave, and cvxpy models convex problems only")
        n = A.shape[0] if weights is None else float(np.sum(weights))

        def rowsum(v):  # Σ_rows (weighted)
            return cp.sum(v) if weights is None else np.asarray(weights, dtype=np.float64) @ v

        if self.name == "multiclass":
            W = cp.reshape(x, (self.classes, A.shape[1]), order="C")
            Z = A @ W.T
            lab = b.astype(np.int64)
            onehot = np.zeros((A.shape[0], self.classes))
            onehot[np.arange(A.shape[0]), lab] = 1.0
            if weights is None:
                expr = cp.sum(cp.log_sum_exp(Z, axis=1)) - cp.sum(cp.multiply(onehot, Z))
            else:
                expr = rowsum(cp.log_sum_exp(Z, axis=1)) - rowsum(cp.sum(cp.multiply(onehot, Z), axis=1))
        else:
            z = A @ x
            if self.name == "linear":
                expr = rowsum(z)
            elif self.name == "least_squares":
                expr = 0.5 * (cp.sum_squares(z - b) if weights is None else rowsum(cp.square(z - b)))
            elif self.name == "logistic":
                expr = rowsum(cp.logistic(cp.multiply(-b, z)))
            elif self.name == "hinge":
                expr = rowsum(cp.pos(1 - cp.multiply(b, z)))
            elif self.name == "absolute":
                expr = cp.norm1(z - b) if weights is None else rowsum(cp.abs(z - b))
            else:
                expr = 0.5 * rowsum(cp.huber(z - b, self.delta))
        if self.l2:
            expr = expr + 0.5 * self.l2 * n * cp.sum_squares(x)
        return expr


def zhang_h(z):
    """Zhang et al.'s h (the zhang family): z for z ≥ −1, (z + 2)²/2 − 3/2 below; convex and C¹,
    minimal at z = −2 with h(−2) = −3/2."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z >= -1.0, z, 0.5 * (z + 2.0) ** 2 - 1.5)


def family(name: str, **kw) -> Family:
    """Loss family by name: ``family("logistic", l2=1e-3)``."""
    if not isinstance(name, str) or name not in NAMES:
        raise InvalidInput("loss", name, f"one of {list(NAMES)}")
    for k in kw:
        require(k in ("l2", "classes", "delta"), f"{name} parameter", k, "one of ['l2', 'classes', 'delta']")
    return Family(name, **kw)


def _real(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _bad_entries(arr: np.ndarray, bad: np.ndarray) -> str:
    """'NaN at [3, 1], …' — the first offending entries of an array, for error messages."""
    where = np.argwhere(bad)[:3]
    items = [f"{float(arr[tuple(i)])!r} at {list(map(int, i))}" for i in where]
    more = int(bad.sum()) - len(items)
    return "array with " + ", ".join(items) + (f" and {more} more" if more > 0 else "")
