"""Problem instances: a loss sequence f_1..f_T as data rows, a loss family and a domain.

Round t uses the data row ``idx[t−1]`` of (A, b): a periodic sequence (Reddi et al.'s) needs only
its period's rows, a data set can be replayed for several epochs, and a generated stream has one
row per round. Randomness: one ``numpy.random.SeedSequence`` per (problem, seed), so an instance
depends on its name, parameters and seed only.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..domains import Domain
from ..errors import require
from ..losses import Family


@dataclass
class Instance:
    """One concrete loss sequence: f_t(x) = family(x; A[idx[t−1]], b[idx[t−1]]) on ``domain``."""

    name: str
    family: Family
    domain: Domain
    A: np.ndarray
    b: np.ndarray
    idx: np.ndarray
    x0: np.ndarray | None = None
    meta: dict = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self):
        self.A = np.ascontiguousarray(self.A, dtype=np.float64)
        self.b = np.ascontiguousarray(self.b, dtype=np.float64)
        self.idx = np.ascontiguousarray(self.idx, dtype=np.int64)
        self.family.check_data(self.A, self.b)
        require(self.idx.ndim == 1, "idx", f"array of shape {self.idx.shape}", "a 1-D array of row indices")
        if self.idx.size:
            require(int(self.idx.min()) >= 0 and int(self.idx.max()) < self.A.shape[0], "idx",
                    "row indices", f"integers in 0..{self.A.shape[0] - 1}")
        require(self.family.dim(self.A.shape[1]) == self.domain.d, "domain dimension", self.domain.d,
                f"{self.family.dim(self.A.shape[1])} to match the data (features {self.A.shape[1]})")
        if self.x0 is not None:
            self.x0 = np.ascontiguousarray(self.x0, dtype=np.float64).reshape(-1)

    @property
    def T(self) -> int:
        return int(self.idx.shape[0])

    @property
    def d(self) -> int:
        return self.domain.d

    def start(self) -> np.ndarray:
        """x_1: the instance's own start (e.g. Reddi's x_1 = 1) or Π_X(0)."""
        return self.domain.default_start() if self.x0 is None else self.x0.copy()

    def row_counts(self, T: int) -> np.ndarray:
        """How often each data row occurs among rounds 1..T (the weights of Σ_{t≤T} f_t)."""
        return np.bincount(self.idx[:T], minlength=self.A.shape[0]).astype(np.float64)


@dataclass(frozen=True)
class ProblemSpec:
    """A named, parametrized generator of instances (see :func:`regret.problem`)."""

    name: str
    params: dict
    make: Callable = field(repr=False, compare=False)
    deterministic: bool = False  # the loss sequence does not depend on the seed

    def instance(self, T: int, seed: int = 0) -> Instance:
        require(isinstance(T, (int, np.integer)) and T >= 1, "T", T, "an integer ≥ 1")
        rng = np.random.default_rng(seed_sequence(self.name, self.params, seed))
        inst = self.make(int(T), rng, **self.params)
        inst.seed = int(seed)
        inst.meta.setdefault("params", dict(self.params))
        return inst

    def label(self) -> str:
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={v}" for k, v in self.params.items())


def seed_sequence(name: str, params: dict, seed: int) -> np.random.SeedSequence:
    """One SeedSequence per (problem, seed): entropy from a stable hash of the name and parameters."""
    key = name + "|" + "|".join(f"{k}={params[k]}" for k in sorted(params))
    return np.random.SeedSequence([zlib.crc32(key.encode()), int(seed)])
