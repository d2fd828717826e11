"""What a run carries from one chunk of rounds to the next.

The engine's loops run rounds t_first..t_last of a run and stop: a long run is a sequence of
compiled calls (:func:`chunks`), so that between two of them Python can show progress, honour
Ctrl-C or SIGTERM, and (later) hand the loop the next block of a generated sequence. Everything a
round reads from the rounds before it lives in a :class:`Carry`, one row per run:

* ``vec`` (R, N_VEC, d): the point x_t, the gradient buffer g, the projection weight w, and the
  statistics per coordinate Σ g_{s,i}², min_s x_{s,i}, max_s x_{s,i}, Σ_s x_{s,i} (rows :data:`X` …
  :data:`XS`; the last gives the time-averaged iterate x̄_T = (1/T) Σ_{t≤T} x_t at the end);
* ``St`` (R, n_state, d): the optimizer's state rows (its table's layout);
* ``acc`` (R, N_ACC): the optimizer's round scalars (the first :data:`~regret.optimizers.layout.N_SC`
  entries, in :mod:`regret.optimizers.layout`'s order, so ``acc`` is the array loop's ``sc``), then
  the running sums and maxima: Σ f_t(x_t) and its compensation, max ‖g_t‖², max ‖g_t‖∞, and the two
  trackers of the effective step;
* ``pos`` (R, 2) int64: the next checkpoint's index and the next row of the period ``idx``.

A loop loads these at the start of a call and stores them at its end (the one-dimensional loop keeps
them in registers in between), so a run cut into chunks does the same arithmetic in the same order
as one call for all T rounds: its results are bit-identical however it is cut (tests/test_chunks.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .. import progress

from ..optimizers.layout import N_SC, SC_BC1, SC_BC2, SC_BETA1_T, SC_LAM_POW
from ..optimizers.steps import initial_scalars
from .kernel_cache import register_dependent_cache

register_dependent_cache(__file__)  # the loops compile its constants in; its own kernel embeds steps.py

# rows of ``vec``
X, G, W, SQ, LO, HI, XS = range(7)
N_VEC = 7
# entries of ``acc`` after the round scalars
RUN_SUM, RUN_COMP, G2MAX, GINF, RMAX, DMAX = range(N_SC, N_SC + 6)
N_ACC = N_SC + 6
# entries of ``pos``
K, J_IDX = 0, 1

# coordinate-rounds per compiled call: ~10–50 ms of work at a few ns each, so a call's fixed cost
# (~20 µs of argument checks) stays far below 1% and Ctrl-C answers within a fraction of a second
WORK_PER_CALL = 1 << 23


@dataclass
class Carry:
    """The state of R runs between two chunks of rounds (see the module docstring)."""

    vec: np.ndarray
    St: np.ndarray
    acc: np.ndarray
    pos: np.ndarray

    @classmethod
    def start(cls, x0s: np.ndarray, hps: np.ndarray, n_state: int) -> "Carry":
        """The state before round 1 of R runs from x_1 = x0s[j] with hyperparameters hps[j]: g = 0,
        w = 1, no statistics yet (Σ g² = 0, min = max = x_1, Σ x = 0), the optimizer's state 0 and its round
        scalars before round 1 (:func:`regret.optimizers.steps.initial_scalars`)."""
        R, d = x0s.shape
        vec = np.zeros((R, N_VEC, d))
        vec[:, X] = x0s
        vec[:, W] = 1.0
        vec[:, LO] = x0s
        vec[:, HI] = x0s
        acc = np.zeros((R, N_ACC))
        _round_scalars_before_round_1(np.ascontiguousarray(hps), acc)
        return cls(vec, np.zeros((R, n_state, d)), acc, np.zeros((R, 2), dtype=np.int64))

    def of(self, j: int) -> tuple:
        """Run j's carry, as a loop of one run takes it."""
        return self.vec[j], self.St[j], self.acc[j], self.pos[j]

    def all(self) -> tuple:
        """Every run's carry, as a batched loop takes it."""
        return self.vec, self.St, self.acc, self.pos


@njit(cache=True)
def _round_scalars_before_round_1(hps, acc):
    """acc[j]'s round scalars before round 1 for hyperparameters hps[j]: β1,0, λ^0, 1 − β1^0, 1 − β2^0
    (:func:`regret.optimizers.steps.initial_scalars`); β1,−1 = 0."""
    for j in range(hps.shape[0]):
        acc[j, SC_BETA1_T], acc[j, SC_LAM_POW], acc[j, SC_BC1], acc[j, SC_BC2] = initial_scalars(hps[j])


def drive(call, T: int, work_per_round: int, desc: str, max_rounds: int | None = None) -> None:
    """``call(t_first, t_last)`` over consecutive chunks of rounds 1..T (:func:`chunks`), with a
    progress bar (:mod:`regret.progress`) advanced after each."""
    with progress.bar(T, desc) as shown:
        for t_first, t_last in chunks(T, work_per_round, max_rounds):
            call(t_first, t_last)
            shown.update(t_last - t_first + 1)


def chunks(T: int, work_per_round: int, max_rounds: int | None = None):
    """(t_first, t_last) of consecutive calls covering rounds 1..T, each about
    :data:`WORK_PER_CALL` coordinate-rounds (``work_per_round``: d × the runs in one call) and at
    most ``max_rounds`` rounds (a streamed sequence's rows per call, :mod:`regret.engine.feed`)."""
    per_call = max(1, WORK_PER_CALL // max(1, work_per_round))
    if max_rounds is not None:
        per_call = min(per_call, max(1, int(max_rounds)))
    t = 1
    while t <= T:
        last = min(T, t + per_call - 1)
        yield t, last
        t = last + 1


__all__ = ["Carry", "chunks", "drive", "X", "G", "W", "SQ", "LO", "HI", "XS", "N_VEC", "RUN_SUM", "RUN_COMP", "G2MAX", "GINF",
           "RMAX", "DMAX", "N_ACC", "K", "J_IDX", "WORK_PER_CALL"]
