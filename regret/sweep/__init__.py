"""Sweeps: grids of optimizers × problems × horizons × seeds, run in batched compiled calls into a
resumable Parquet store.

    >>> import regret
    >>> from regret import sweep
    >>> cells = sweep.cells([("adam", {"beta2": [0.9, 0.99, 0.999], "alpha": 0.1})],
    ...                     [("reddi", {"C": 3})], Ts=[10_000], seeds=10)
    >>> report = sweep.run(cells, "results/beta2")            # doctest: +SKIP
    >>> df = regret.load("results/beta2")                     # doctest: +SKIP

:mod:`.grid` (cells, content hashes, TOML), :mod:`.execute` (tasks, the local executor),
:mod:`.store` (Parquet parts written atomically; what is done), :mod:`regret.engine.frame` (a run as tidy rows),
:mod:`.summary` (one row per cell). Run the same sweep again after an interruption — Ctrl-C,
``kill -9``, a power cut — and only the cells that are not in the store run; the store then holds
the values an uninterrupted run gives (every run is bit-identical whatever batch it is in).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from .execute import parse_dask, run_dask, run_local, tasks
from .grid import Cell, cells, from_dict, from_toml
from .store import SUMMARY, done_cells, load, remove_temporaries
from .summary import summarize, write_summary


@dataclass
class SweepReport:
    """What one call of :func:`run` did."""

    root: str
    cells: list
    skipped: int  # cells already in the store
    ran: int
    tasks: int
    seconds: float
    rounds: int  # rounds computed by this call (cells × seeds × T)
    summary: object = None  # the store's per-cell summary after the call (pandas DataFrame)

    @property
    def keys(self) -> list:
        return [c.key for c in self.cells]


def run(cells: list, root: str, threads: int | None = None, dask: str | None = None) -> SweepReport:
    """Run every cell of ``cells`` that the store at ``root`` does not hold yet, task by task (each
    written as it finishes), then rewrite the store's summary. ``dask``: run the tasks on a Dask
    cluster instead of this process (``local:N`` or ``tcp://HOST:PORT``, :func:`.execute.run_dask`)."""
    import os

    if dask is not None:
        dask = parse_dask(dask)
    t0 = time.perf_counter()
    os.makedirs(root, exist_ok=True)
    remove_temporaries(root)
    done = done_cells(root)
    todo_cells = [c for c in cells if c.key not in done]
    if dask is not None and todo_cells:
        n_tasks = run_dask(todo_cells, root, dask)
    else:
        todo = tasks(todo_cells)
        run_local(todo, root, threads=threads)
        n_tasks = len(todo)
    summary_path = os.path.join(root, SUMMARY)
    if todo_cells or not os.path.exists(summary_path):
        summary = write_summary(root)
    else:  # nothing ran: the summary on disk is that of the parts on disk
        import pandas as pd

        summary = pd.read_parquet(summary_path)
    rounds = sum(c.T * len(c.seeds) for c in todo_cells)
    return SweepReport(root, list(cells), len(cells) - len(todo_cells), len(todo_cells), n_tasks,
                       time.perf_counter() - t0, rounds, summary)


__all__ = ["Cell", "SweepReport", "cells", "from_dict", "from_toml", "run", "load", "summarize", "write_summary",
           "done_cells"]
