"""The exact, slow path: an algorithm as init/update on numpy arrays (optax-like), run without
compiling by the plain-Python loop of :mod:`regret.reference`.

An :class:`ArrayOptimizer` is an :class:`regret.Optimizer` (hyperparameters as validated dataclass
fields, ``alpha`` and ``schedule`` among them) whose update works on whole vectors:

``init(self, d)``
    the state before round 1: a dict of arrays (or any object the update understands).
``update(self, state, g, t, alpha_t)``
    round t: from the state after round t − 1, the gradient g_t (shape (d,)), t and α_t, return
    (Δ_t, new state), with Δ_t = x̂_{t+1} − x_t the step before projection. It must not modify
    ``state`` or ``g`` in place (return new arrays).
``weight(self, state, t)`` (optional)
    the per-coordinate metric w_t of the projection Π_{X, diag(w_t)} (Reddi et al.'s √V̂_t: the
    denominator the update divided by), from the new state. Defining it makes the algorithm adaptive;
    without it the projection is Euclidean.
``second_moment(self, state, t)`` (optional)
    v̂_t, the second-moment estimate the theorems read (Σ_i √(T v̂_{T,i})); zeros when absent.

``regret.run`` runs such an object through :func:`regret.reference.run` — the same validation, the
same statistics, the same comparator and RunResult as the compiled engine, to rounding — so a first
prototype is checked against a theorem before a line of it is made compilable. Every built-in has
its own array version in its file (:meth:`Optimizer.on_arrays`), written from the paper
independently of its compiled update: together they are the engine's test oracle.

    >>> import numpy as np, regret
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, eq=False, repr=False)
    ... class SignGD(regret.ArrayOptimizer):
    ...     name = "signgd"
    ...     alpha: float = 0.1
    ...     schedule: object = "sqrt"
    ...     def init(self, d):
    ...         return {}
    ...     def update(self, state, g, t, alpha_t):
    ...         return -alpha_t * np.sign(g), state
    >>> res = regret.run(SignGD(), regret.problem("reddi", C=3), T=200)
    >>> res.regret.shape
    (1, 40)
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from ..errors import require
from .base import Optimizer


@dataclass(frozen=True, eq=False, repr=False)
class ArrayOptimizer(Optimizer):
    """Base of an algorithm written on numpy arrays (see the module docstring). A subclass sets its
    ``name`` (a built-in's array version keeps the built-in's, which follows this class in its MRO)."""

    on_numpy_arrays = True

    # init and update are the subclass's (check_array_protocol refuses a class without them)

    def moment(self, state, t, d: int) -> np.ndarray:
        """v̂_t from ``second_moment``, or zeros when the algorithm has none."""
        if type(self).second_moment is None:
            return np.zeros(d)
        return np.asarray(self.second_moment(state, t), dtype=np.float64)

    def on_arrays(self) -> "ArrayOptimizer":
        return self


def check_array_protocol(cls) -> None:
    """InvalidInput unless ``cls`` defines init(d) and update(state, g, t, alpha_t) as methods."""
    where = getattr(cls, "__name__", repr(cls))
    for method, params in (("init", ("self", "d")), ("update", ("self", "state", "g", "t", "alpha_t"))):
        fn = getattr(cls, method, None)
        ok = callable(fn)
        require(ok, f"{where}.{method}", "missing", f"a method {method}({', '.join(params[1:])})")
        got = tuple(inspect.signature(fn).parameters)
        require(len(got) == len(params), f"{where}.{method}", f"parameters {got}",
                f"the parameters {params}")





# -- numpy pieces the built-ins' array versions share -------------------------------------------------

def safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num/den, with 0 where den = 0 (then num = 0 as well: nothing seen on that coordinate yet)."""
    out = np.zeros_like(num)
    nz = den > 0
    out[nz] = num[nz] / den[nz]
    return out


def eps_denominator(s: np.ndarray, eps: float, eps_mode: str) -> np.ndarray:
    """√s + ε ('outside') or √(s + ε) ('inside')."""
    return np.sqrt(s + eps) if eps_mode == "inside" else np.sqrt(s) + eps


def beta1_at(beta1: float, lam: float, t: int) -> float:
    """β1,t = β1 λ^{t−1} (Kingma & Ba §4, Reddi et al. Corollary 1)."""
    return beta1 * lam ** (t - 1)
__all__ = ["ArrayOptimizer", "check_array_protocol", "safe_div", "eps_denominator", "beta1_at"]
