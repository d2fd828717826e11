"""Loss sequences drawn block by block as the run needs them, never stored whole.

A synthetic sequence of T rounds × p features takes 8·T·p bytes when drawn at once (T = 10^9 at
d = 1: 8 GB). A :class:`Stream` draws the rows of block k — rounds k·B + 1 .. (k + 1)·B, with
B = :func:`block_rows` (p) — from a generator of its own, seeded by the instance's SeedSequence with
spawn key (…, 0, k) (numpy's independent child streams). So

* a round's row depends on the problem, its parameters, the seed and the round only — not on how
  the engine cuts a run into calls, nor on T for a sequence without a horizon-dependent parameter
  (T = 10^3 is then the prefix of T = 10^6);
* the engine asks for rounds t_first..t_last of each call (:mod:`regret.engine.feed`), and the
  closed-form and sufficient-statistics comparators add the rows up block by block: a run of these
  needs O(d + checkpoints) memory whatever T is;
* everything that needs the whole sequence at once (cvxpy and the first-order comparator of the
  non-linear families, the plain-Python reference loop, a replay) reads :attr:`StreamInstance.A`,
  which draws it once (after a memory check) and keeps it.

Reading the rows is exact: the data of every round are the same whichever of these routes reads
them.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..domains import Domain
from ..errors import InvalidInput, require
from ..memory import check_memory
from ..losses import Family
from .base import Instance, check_scale_of

BLOCK_NUMBERS = 1 << 16  # numbers per block: ~0.5 MB, and a generator's set-up (~50 µs) stays ≲ 1% of drawing them


def block_rows(features: int) -> int:
    """Rounds per block for rows of ``features`` numbers (a power of two, at least 1)."""
    n = max(1, BLOCK_NUMBERS // max(1, int(features)))
    return 1 << (n.bit_length() - 1)


def child(seed_seq: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """A generator for the part ``key`` of a sequence: numpy's child stream with spawn key
    seed_seq.spawn_key + key, independent of the parent and of every other key."""
    return np.random.default_rng(np.random.SeedSequence(seed_seq.entropy, spawn_key=tuple(seed_seq.spawn_key) + key))


class Stream:
    """The rows of rounds 1..T drawn block by block: ``draw(rng, first, n)`` returns (A, b) for the n
    rounds first + 1 .. first + n (A of shape (n, features), b of shape (n,)), ``rng`` the block's own
    generator (:func:`child` of ``seed_seq`` with key (0, k)). ``draw`` may read other parts of the
    sequence (a teacher, an epoch's permutation) from generators of its own keys."""

    def __init__(self, draw: Callable, seed_seq: np.random.SeedSequence, T: int, features: int):
        self.draw, self.seed_seq, self.T, self.features = draw, seed_seq, int(T), int(features)
        self.block_rows = block_rows(features)
        self._last = (-1, None, None)  # the last block drawn (consecutive calls share a block)
        self.whole = None  # (A, b) of all T rows once a reader has drawn them whole (StreamInstance.A)

    def block(self, k: int):
        """(A, b) of block k (its rows past T included: a block is drawn whole, so that it does not
        depend on T). Once the sequence has been drawn whole, a block inside it is a view of those
        rows (the same numbers: drawing is deterministic); a last block that runs past T is drawn."""
        if self.whole is not None and (k + 1) * self.block_rows <= self.T:
            B = self.block_rows
            return self.whole[0][k * B:(k + 1) * B], self.whole[1][k * B:(k + 1) * B]
        if self._last[0] != k:
            B = self.block_rows
            A, b = self.draw(child(self.seed_seq, 0, k), k * B, B)
            A = np.ascontiguousarray(A, dtype=np.float64)
            b = np.ascontiguousarray(b, dtype=np.float64)
            self._last = (k, A, b)
        return self._last[1], self._last[2]

    def pieces(self, start: int, stop: int):
        """(A, b) views of the rows of rounds start + 1 .. stop, one per block they touch, in order."""
        B = self.block_rows
        t = start
        while t < stop:
            k, lo = divmod(t, B)
            hi = min(B, lo + stop - t)
            A, b = self.block(k)
            yield A[lo:hi], b[lo:hi]
            t += hi - lo

    def rows(self, start: int, stop: int):
        """(A, b): the rows of rounds start + 1 .. stop, contiguous."""
        parts = list(self.pieces(start, stop))
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([a for a, _ in parts]), np.concatenate([b for _, b in parts])


class StreamInstance(Instance):
    """An :class:`~regret.problems.base.Instance` whose rows are a :class:`Stream`: round t uses row
    t − 1 of the rows the stream draws. ``A``, ``b`` and ``idx`` exist for the readers that need the
    whole sequence; they are drawn on first use (refused, in one line, when they do not fit in memory)
    and kept. The engine and the closed-form comparators read :meth:`segments` instead."""

    def __init__(self, name: str, family: Family, domain: Domain, stream: Stream, x0=None, meta=None):
        self.name, self.family, self.domain, self.stream = name, family, domain, stream
        self.x0 = None if x0 is None else np.ascontiguousarray(x0, dtype=np.float64).reshape(-1)
        self.meta = {} if meta is None else meta
        self.seed = 0
        self.rounds = None
        self._whole = None
        A0, b0 = stream.block(0)
        family.check_data(A0, b0)
        require(family.dim(stream.features) == domain.d, "domain dimension", domain.d,
                f"{family.dim(stream.features)} to match the data (features {stream.features})")
        # the scale check of Instance at T, over the first block: a stream's rows share one distribution
        check_scale_of(family, domain, A0, b0, self.T)

    def __repr__(self):
        return f"StreamInstance({self.name!r}, T={self.T}, features={self.stream.features}, seed={self.seed})"

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @property
    def T(self) -> int:
        return self.stream.T

    @property
    def periodic(self) -> bool:
        return False

    def _materialise(self):
        if self._whole is None:
            T, p = self.T, self.stream.features
            check_memory({"problem": 8.0 * T * (p + 2)}, f"the whole sequence of {self.name} (T={T}, d={p})")
            try:
                A, b = self.stream.rows(0, T)
            except MemoryError:
                raise InvalidInput("problem", self.name, "a sequence whose rows fit in the memory available") from None
            self._whole = (np.ascontiguousarray(A), np.ascontiguousarray(b), np.arange(T, dtype=np.int64))
            for arr in self._whole:  # the sequence itself: every later reader (the engine too) reads these
                arr.flags.writeable = False
            # the readers that go block by block (the engine, the closed forms) now read views of it
            # instead of drawing again
            self.stream.whole = self._whole[:2]
        return self._whole

    @property
    def A(self) -> np.ndarray:
        return self._materialise()[0]

    @property
    def b(self) -> np.ndarray:
        return self._materialise()[1]

    @property
    def idx(self) -> np.ndarray:
        return self._materialise()[2]

    def kernel_rows(self, T: int) -> np.ndarray:
        return self.idx[:T]

    def round_rows(self, start: int, stop: int) -> np.ndarray:
        return np.arange(start, stop, dtype=np.int64)

    def row_counts_between(self, start: int, stop: int) -> np.ndarray:
        counts = np.zeros(self.T)
        counts[start:stop] = 1.0
        return counts

    def segments(self, start: int, stop: int):
        """(A, b, None) per block of the rows of rounds start + 1 .. stop (see :meth:`Instance.segments`)."""
        for A, b in self.stream.pieces(start, stop):
            yield A, b, None

    def digest(self, h) -> None:
        """Feed what determines the rows to the hash ``h`` (the comparator's cache key) without
        drawing them all: the generator's name, parameters, seed, T and its first block."""
        ss = self.stream.seed_seq
        h.update(repr((self.name, sorted(self.meta.get("params", {}).items()), self.seed, self.T, ss.entropy,
                       tuple(ss.spawn_key), self.stream.block_rows)).encode())
        A0, b0 = self.stream.block(0)
        h.update(A0.view(np.uint8))
        h.update(b0.view(np.uint8))


def stream_instance(name: str, family: Family, domain: Domain, rng: np.random.Generator, T: int, features: int,
                    draw: Callable, **kw) -> StreamInstance:
    """A :class:`StreamInstance` of T rounds whose blocks come from the SeedSequence of ``rng`` (the
    instance's generator, from :func:`regret.problems.base.seed_sequence`)."""
    return StreamInstance(name, family, domain, Stream(draw, rng.bit_generator.seed_seq, T, features), **kw)


__all__ = ["Stream", "StreamInstance", "stream_instance", "block_rows", "child", "BLOCK_NUMBERS"]
