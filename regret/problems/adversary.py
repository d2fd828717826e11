"""Adaptive adversaries: the loss of round t chosen from the learner's x_t and the past, inside the
compiled loop.

An :class:`Adversary` is a loss family on a domain plus a function that, at the start of every round,
writes that round's data row:

    choose(t, x, params, state, A, b, row)

``x`` is x_t, the point the learner plays; ``params`` the adversary's parameters (a float vector,
:meth:`Adversary.param_vector`); ``state`` its own float array, which it may update (e.g. the sum of
the past loss vectors; initialised per seed by ``initial_state(d, rng)``); ``A[row]`` and ``b[row]``
the data row of round t it writes (the loss is then f_t(x) = family(x; A[row], b[row])). The rows
it wrote stay in the instance, so the comparator, the theorem checks and the plots see the sequence
that was played. ``choose`` may be plain Python (regret compiles it) or an ``@njit`` function; it is
inlined into a copy of the engine's loop as a user's optimizer is (:mod:`regret.engine.kernel_set`).

Adversarial runs go through the array loop whatever d is (not the one-dimensional or the wide loop),
one (optimizer, seed) after the other: the sequence depends on the learner, so runs share no data.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..domains import Domain
from ..errors import require
from ..losses import Family
from .base import Instance, seed_sequence

CHOOSE_PARAMETERS = ("t", "x", "params", "state", "A", "b", "row")


@dataclass(frozen=True, eq=False)
class Adversary:
    """An adaptive adversary (see the module docstring); ``regret.run(opt, adversary, T)`` runs it."""

    name: str
    family: Family
    domain: Domain
    choose: Callable = field(repr=False)
    params: dict = field(default_factory=dict)
    initial_state: Callable = field(default=None, repr=False)  # (d, rng) -> float array; default zeros(d)
    features: int | None = None  # the length of a data row (default: the family's for the domain's d)
    x0: object = None
    deterministic: bool = True  # the same learner meets the same sequence for every seed

    def __post_init__(self):
        fam = self.family if isinstance(self.family, Family) else Family(self.family)
        object.__setattr__(self, "family", fam)
        require(isinstance(self.domain, Domain), "domain", self.domain, "a Domain (regret.box, ball, simplex, unbounded)")
        require(callable(self.choose), f"{self.name}.choose", self.choose, "a function " + ", ".join(CHOOSE_PARAMETERS))
        got = tuple(inspect.signature(getattr(self.choose, "py_func", self.choose)).parameters)
        require(got == CHOOSE_PARAMETERS, f"{self.name}.choose parameters", list(got), list(CHOOSE_PARAMETERS))
        for k, v in self.params.items():
            require(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                    and np.isfinite(v), f"{self.name}.{k}", v, "a finite number")

    @property
    def d(self) -> int:
        return self.domain.d

    @property
    def p(self) -> int:
        """The length of a data row."""
        if self.features is not None:
            return int(self.features)
        require(self.family.name != "multiclass", "family", "multiclass", "a single-index family (or give features)")
        return self.d

    def param_vector(self) -> np.ndarray:
        """The parameters in the order they were given (what ``choose`` receives as ``params``)."""
        return np.array([float(v) for v in self.params.values()] or [0.0])

    def instance(self, T: int, seed: int = 0) -> Instance:
        """An instance whose T data rows the adversary will write during the run (zero until then)."""
        require(isinstance(T, (int, np.integer)) and T >= 1, "T", T, "an integer ≥ 1")
        inst = Instance(self.name, self.family, self.domain, np.zeros((int(T), self.p)), np.zeros(int(T)),
                        np.arange(int(T)), x0=self.x0, meta={"adversary": self.name, "params": dict(self.params)})
        inst.seed = int(seed)
        return inst

    def state(self, seed: int) -> np.ndarray:
        """The adversary's state before round 1 for this seed."""
        if self.initial_state is None:
            return np.zeros(self.d)
        rng = np.random.default_rng(seed_sequence(self.name, self.params, seed))
        out = np.ascontiguousarray(self.initial_state(self.d, rng), dtype=np.float64).reshape(-1)
        require(out.size > 0 and bool(np.all(np.isfinite(out))), f"{self.name}.initial_state", "array",
                "a non-empty finite float array")
        return out

    def label(self) -> str:
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={v}" for k, v in self.params.items())


__all__ = ["Adversary", "CHOOSE_PARAMETERS"]
