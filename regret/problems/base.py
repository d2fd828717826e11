"""Problem instances: a loss sequence f_1..f_T as data rows, a loss family and a domain.

Round t uses the data row ``idx[t−1]`` of (A, b): a data set can be replayed for several epochs,
and a generated stream has one row per round. A periodic sequence (Reddi et al.'s) stores one
period only: ``idx`` holds the rows of rounds 1..P and ``rounds`` = T, and round t uses
``idx[(t−1) mod P]`` — so its memory does not grow with T (the engine's loops wrap the same way). Randomness: one ``numpy.random.SeedSequence`` per (problem, seed), so an instance
depends on its name, parameters and seed only.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..domains import Domain
from ..errors import InvalidInput, require
from ..losses import Family

MAX_TOTAL = 1e300  # a bound on |Σ_t f_t(x)| over X above this is refused: R(T) would overflow float64


@dataclass
class Instance:
    """One concrete loss sequence: f_t(x) = family(x; A[idx[t−1]], b[idx[t−1]]) on ``domain`` (with
    ``rounds`` set: T = rounds rounds over the period ``idx``, round t using idx[(t−1) mod len(idx)])."""

    name: str
    family: Family
    domain: Domain
    A: np.ndarray
    b: np.ndarray
    idx: np.ndarray
    x0: np.ndarray | None = None
    meta: dict = field(default_factory=dict)
    seed: int = 0
    rounds: int | None = None  # a periodic sequence: T, over the period idx

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
        if self.rounds is not None:
            require(self.idx.size > 0 and isinstance(self.rounds, (int, np.integer)) and self.rounds >= 1, "rounds",
                    self.rounds, "an integer ≥ 1 (the rounds of a periodic sequence over a non-empty period)")
            self.rounds = int(self.rounds)
        check_scale(self)

    @property
    def T(self) -> int:
        return self.rounds if self.rounds is not None else int(self.idx.shape[0])

    @property
    def periodic(self) -> bool:
        return self.rounds is not None

    def kernel_rows(self, T: int) -> np.ndarray:
        """The row indices the engine's loops receive for T rounds: the period of a periodic sequence
        (the loops wrap), else the first T entries."""
        return self.idx if self.periodic else self.idx[:T]

    def round_rows(self, start: int, stop: int) -> np.ndarray:
        """The data rows of rounds start+1..stop (materialised: O(stop − start))."""
        if not self.periodic:
            return self.idx[start:stop]
        return self.idx[np.arange(start, stop, dtype=np.int64) % self.idx.shape[0]]

    def row_counts_between(self, start: int, stop: int) -> np.ndarray:
        """How often each data row occurs among rounds start+1..stop (float64, one entry per row);
        O(period) memory for a periodic sequence whatever the number of rounds."""
        n_rows = self.A.shape[0]
        if not self.periodic:
            return np.bincount(self.idx[start:stop], minlength=n_rows).astype(np.float64)
        P = self.idx.shape[0]
        full, rest = divmod(max(0, stop - start), P)
        counts = full * np.bincount(self.idx, minlength=n_rows).astype(np.float64)
        if rest:
            counts += np.bincount(self.idx[(start + np.arange(rest)) % P], minlength=n_rows)
        return counts

    @property
    def d(self) -> int:
        return self.domain.d

    def start(self) -> np.ndarray:
        """x_1: the instance's own start (e.g. Reddi's x_1 = 1) or Π_X(0)."""
        return self.domain.default_start() if self.x0 is None else self.x0.copy()

    def row_counts(self, T: int) -> np.ndarray:
        """How often each data row occurs among rounds 1..T (the weights of Σ_{t≤T} f_t)."""
        return self.row_counts_between(0, T)

    def segments(self, start: int, stop: int):
        """The rows of rounds start+1..stop as (A, b, c) parts whose weighted sums Σ c_r f(x; a_r, b_r)
        add up to Σ_{start<t≤stop} f_t(x): one view (c = None, every row once) when the rounds use
        consecutive rows, else the distinct rows with their multiplicities c. A
        :class:`~regret.problems.stream.StreamInstance` yields one part per block it draws."""
        seg = None if self.periodic else self.idx[start:stop]
        if seg is not None and seg.size and seg[-1] - seg[0] == seg.size - 1 and np.all(np.diff(seg) == 1):
            yield self.A[seg[0]:seg[-1] + 1], self.b[seg[0]:seg[-1] + 1], None
            return
        counts = self.row_counts_between(start, stop)
        rows = np.flatnonzero(counts)
        if rows.size:
            yield self.A[rows], self.b[rows], counts[rows]

    def digest(self, h) -> None:
        """Feed the data that determine the losses to the hash ``h`` (the comparator's cache key)."""
        for arr in (self.A, self.b, self.idx):
            h.update(np.ascontiguousarray(arr).view(np.uint8))
            h.update(str(arr.shape).encode())
        h.update(f"rounds={self.rounds}".encode())


@dataclass(frozen=True)
class ProblemSpec:
    """A named, parametrized generator of instances (see :func:`regret.problem`)."""

    name: str
    params: dict
    make: Callable = field(repr=False, compare=False)
    deterministic: bool = False  # the loss sequence does not depend on the seed
    streamed: bool = False  # its instances draw their rows block by block (regret.problems.stream)

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


def loss_bound(family: Family, domain: Domain, A: np.ndarray, b: np.ndarray):
    """(B, part): an upper bound B on |f(x; a_r, b_r)| over x ∈ X and the rows of (A, b) (bounded X;
    +inf when it overflows), and which data make it large ("A" or "b"). With Z = p·max|A|·max_{x∈X}‖x‖∞
    ≥ |⟨a, x⟩| (every score, also each class's in multiclass): linear Z; least squares ½(Z + max|b|)²;
    absolute Z + max|b|; Huber δ(Z + max|b|); logistic and hinge Z + 1; multiclass 2Z + log K; zhang
    max|b|·((Z + 2)²/2 + 3/2 + Z); plus
    (l2/2)·d·(max‖x‖∞)². Two passes over A (max and min), no copy."""
    f64 = np.float64
    with np.errstate(over="ignore", invalid="ignore"):
        M = max(f64(A.max()), -f64(A.min())) if A.size else f64(0.0)
        bb = f64(np.abs(b).max()) if b.size else f64(0.0)
        P = domain.P
        if domain.kind == "box":
            R = f64(np.abs(P).max())
        elif domain.kind == "ball":
            R = f64(np.abs(P[0]).max()) + f64(domain.r)
        else:  # simplex
            R = f64(domain.r)
        Z = f64(A.shape[1]) * M * R
        name = family.name
        if name == "linear":
            B = Z
        elif name == "least_squares":
            B = f64(0.5) * (Z + bb) ** 2
        elif name == "absolute":
            B = Z + bb
        elif name == "huber":
            B = f64(family.delta) * (Z + bb)
        elif name in ("logistic", "hinge"):
            B = Z + f64(1.0)
        elif name == "zhang":  # |b·h(z)| with |h(z)| ≤ max(|z|, (|z| + 2)²/2 + 3/2)
            B = bb * (f64(0.5) * (Z + f64(2.0)) ** 2 + f64(1.5) + Z)
        else:  # multiclass
            B = f64(2.0) * Z + f64(math.log(family.classes))
        B = B + f64(0.5 * family.l2) * f64(domain.d) * R * R
    part = "b" if name in ("least_squares", "absolute", "huber") and bb > Z else "A"
    return B, part


def check_scale(inst: "Instance") -> None:
    """Refuse, before anything runs, data so large that Σ_{t≤T} f_t overflows float64 on a bounded
    domain (e.g. rows of 1e308): the learner's loss, the comparator and the regret would be ±inf or
    NaN. The test is T·B ≤ MAX_TOTAL with B of :func:`loss_bound`, a bound over the whole domain,
    so it holds for every learner. On R^d no such bound exists: a run whose loss overflows there is
    marked diverged (``RunResult.diverged``) and a comparator that overflows raises
    :class:`regret.errors.NonFiniteComparator`."""
    check_scale_of(inst.family, inst.domain, inst.A, inst.b, inst.T)


def check_scale_of(family: Family, domain: Domain, A: np.ndarray, b: np.ndarray, T: int) -> None:
    """:func:`check_scale` for T rounds over the rows (A, b)."""
    if not domain.bounded or T == 0 or A.size == 0:
        return
    B, part = loss_bound(family, domain, A, b)
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.float64(T) * B
    if total <= MAX_TOTAL:
        return
    arr = A if part == "A" else b
    big = max(float(arr.max()), -float(arr.min()))

    def shown(v):
        return "inf (overflow)" if not math.isfinite(float(v)) else f"{float(v):.3g}"

    raise InvalidInput(part, f"entries up to {big:.3g} in magnitude",
                       f"data whose losses stay finite in float64 ({family.name} losses on "
                       f"{domain.describe()}: |f_t(x)| can reach {shown(B)} and |Σ_t f_t| over the "
                       f"{T} rounds {shown(total)}, above the {MAX_TOTAL:.0e} allowed, so R(T) would be inf "
                       "or NaN); rescale the data")
