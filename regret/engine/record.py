"""The compiled loops' outputs, one array per statistic, named as :class:`regret.RunResult` names them.

Every loop (:func:`regret.engine.loop.run_one`, ``run_1d``, ``run_wide`` and the batched ones) takes
the same outputs in the same order, :data:`OUTPUTS`: first the per-round records a caller may ask
for, then the statistics at the checkpoints. :class:`Record` allocates them once for R runs (R = the
seeds of one run, or every optimizer × seed of ``run_many``), hands them to a kernel — all rows, or
the row of one run — and gives a run's rows back under the names of :class:`regret.RunResult`, so no
statistic is renamed between a kernel and a result.

A record that was not asked for has a time axis of length 0: a loop writes a record only when its
first axis (for one run) is not empty.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

# the per-round records: f_t(x_t) (R, T); x_1..x_{T+1} (R, T+1, d); v̂_t after each update (R, T, d)
RECORDS = ("losses", "iterates", "vhat_history")
# at each checkpoint T': Σ_{t≤T'} f_t(x_t); Σ_{t≤T'} g_{t,i}²; v̂_{T',i}; max_t ‖g_t‖₂; max_t ‖g_t‖∞;
# max_{t≤T'} max_i |Δ_{t,i}|/α_t; the coordinate-wise min and max of x_1..x_{T'}; and x_{T+1}
# (the time-averaged iterate is not an output: the loops carry Σ_t x_t, Record.set_average reads it)
STATISTICS = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final")
OUTPUTS = RECORDS + STATISTICS  # the order of a kernel's output arguments
# the arrays every RunResult has with one row per seed (the optional per-round records and x̄_T apart)
PER_SEED = ("learner_loss", "grad_sq", "vhat", "G", "G_inf", "step_ratio", "x_min", "x_max", "x_final", "x_start")


@dataclass
class Record:
    """The outputs of R runs of T rounds in dimension d with K checkpoints (leading axis: the run)."""

    losses: np.ndarray  # (R, T) or (R, 0)
    iterates: np.ndarray  # (R, T+1, d) or (R, 0, d)
    vhat_history: np.ndarray  # (R, T, d) or (R, 0, d)
    learner_loss: np.ndarray  # (R, K)
    grad_sq: np.ndarray  # (R, K, d)
    vhat: np.ndarray  # (R, K, d)
    G: np.ndarray  # (R, K)
    G_inf: np.ndarray  # (R, K)
    step_ratio: np.ndarray  # (R, K)
    x_min: np.ndarray  # (R, K, d)
    x_max: np.ndarray  # (R, K, d)
    x_final: np.ndarray  # (R, d)
    x_average: np.ndarray  # (R, d) (1/T) Σ_{t≤T} x_t: not a kernel output, read off the carry (set_average)

    @classmethod
    def allocate(cls, R: int, T: int, K: int, d: int, losses: bool, iterates: bool, state: bool) -> "Record":
        """Zeroed outputs; ``losses``/``iterates``/``state`` say which per-round records to keep."""
        return cls(losses=np.zeros((R, T if losses else 0)),
                   iterates=np.zeros((R, T + 1 if iterates else 0, d)),
                   vhat_history=np.zeros((R, T if state else 0, d)),
                   learner_loss=np.zeros((R, K)), grad_sq=np.zeros((R, K, d)), vhat=np.zeros((R, K, d)),
                   G=np.zeros((R, K)), G_inf=np.zeros((R, K)), step_ratio=np.zeros((R, K)),
                   x_min=np.zeros((R, K, d)), x_max=np.zeros((R, K, d)), x_final=np.zeros((R, d)),
                   x_average=np.zeros((R, d)))

    def set_average(self, played_sums: np.ndarray, T: int) -> None:
        """The time-averaged iterate of every run from the sums Σ_{t≤T} x_t its loop carried
        (row :data:`regret.engine.carry.XS` of the carry)."""
        self.x_average[:] = played_sums / T

    def outputs(self, j: int | None = None) -> tuple:
        """The kernel's output arguments (:data:`OUTPUTS` order): every run's rows (a batched loop),
        or run j's (a loop of one run)."""
        arrays = tuple(getattr(self, name) for name in OUTPUTS)
        return arrays if j is None else tuple(a[j] for a in arrays)

    def result_fields(self, rows: slice) -> dict:
        """The rows of some runs as :class:`regret.RunResult` fields (None for a record not kept)."""
        out = {}
        for name in _NAMES:
            a = getattr(self, name)[rows]
            out[name] = None if name in RECORDS and a.shape[1] == 0 else a
        return out


_NAMES = tuple(f.name for f in fields(Record))  # read once: a sweep's task builds 10^3–10^4 results

__all__ = ["Record", "OUTPUTS", "RECORDS", "STATISTICS", "PER_SEED"]
