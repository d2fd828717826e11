"""The data rows the loops read, call by call (:func:`regret.engine.carry.drive`).

A stored instance hands the loops its whole data once: every call gets the same arrays, and round t
reads row idx[(t − 1) mod len(idx)] (the carry's ``pos[J_IDX]`` walks idx across calls). A
:class:`~regret.problems.stream.StreamInstance` hands them the rows of the call's rounds only, drawn
for that call: rows t_first..t_last as rows 0..n−1 with idx = 0..n−1, ``pos[J_IDX]`` set to 0 — so a
streamed run holds one call's rows at a time (:data:`STREAM_NUMBERS` numbers), whatever T is. The
loops read the same row for every round either way, so a result does not depend on which it was.
"""
from __future__ import annotations

import numpy as np

from .carry import J_IDX

STREAM_NUMBERS = 1 << 18  # numbers of data per call of a streamed run (2 MB, and as much again for b and idx at d = 1)


def stack(insts, T):
    """(A3, b2, idx2): the stored instances' data stacked along a new leading axis; shorter row blocks
    are zero-padded (the padding is never indexed: idx only names each instance's own rows)."""
    if len(insts) == 1:
        inst = insts[0]
        return inst.A[None], inst.b[None], np.ascontiguousarray(inst.kernel_rows(T)[None])
    rows = max(inst.A.shape[0] for inst in insts)
    p = insts[0].A.shape[1]
    A3 = np.zeros((len(insts), rows, p))
    b2 = np.zeros((len(insts), rows))
    # the loops wrap round t to idx[(t − 1) mod len(idx)]: periods of one length stack as they are,
    # anything else is written out to T rounds
    periods = [inst.kernel_rows(T) for inst in insts]
    if len({len(r) for r in periods}) > 1:
        periods = [inst.round_rows(0, T) for inst in insts]
    idx2 = np.stack(periods)
    for s, inst in enumerate(insts):
        n = inst.A.shape[0]
        A3[s, :n] = inst.A
        b2[s, :n] = inst.b
    return A3, b2, idx2


class Feed:
    """The (A3, b2, idx2) of each call over ``insts`` (one per seed; a run of one seed reads
    ``A3[0]`` …), see the module docstring."""

    def __init__(self, insts, T: int):
        self.insts, self.T = list(insts), int(T)
        self.streamed = getattr(self.insts[0], "stream", None) is not None
        self.whole = None if self.streamed else stack(self.insts, T)

    def max_rounds(self) -> int | None:
        """The most rounds one call may cover (None: no limit beyond the engine's own)."""
        if not self.streamed:
            return None
        per_round = len(self.insts) * self.insts[0].stream.features
        return max(1, STREAM_NUMBERS // per_round)

    def __call__(self, t_first: int, t_last: int, pos: np.ndarray):
        """The data of rounds t_first..t_last; ``pos`` (the carry's positions, one row per run) is
        reset to row 0 for a streamed call."""
        if not self.streamed:
            return self.whole
        rows = [inst.stream.rows(t_first - 1, t_last) for inst in self.insts]
        n = t_last - t_first + 1
        if len(rows) == 1:
            A3, b2 = rows[0][0][None], rows[0][1][None]
        else:
            A3, b2 = np.stack([A for A, _ in rows]), np.stack([b for _, b in rows])
        pos[:, J_IDX] = 0
        return A3, b2, np.broadcast_to(np.arange(n, dtype=np.int64), (len(rows), n)).copy()


__all__ = ["Feed", "stack", "STREAM_NUMBERS"]
