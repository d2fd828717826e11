"""Running a sweep's cells: tasks of batched compiled runs, each written to the store as it finishes.

Cells that share a problem, a horizon, seeds, checkpoints and the comparator setting differ only in
the optimizer, so they run together through :func:`regret.run_many` (one parallel compiled call per
chunk of rounds, the loss sequence and the comparator computed once per seed). A group is cut into
tasks of about :data:`TASK_WORK` coordinate-rounds (≥ ~1 s of compiled work, so per-task costs —
the comparator, the Parquet write — stay small), and at most :data:`TASK_CELLS` cells, so a
``kill -9`` loses at most one task per worker. Each finished task is one part file of the store
(:mod:`regret.sweep.store`).
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections import OrderedDict

from .. import progress
from ..engine.frame import columns

TASK_WORK = 1 << 29  # coordinate-rounds per task (~1–3 s of compiled work here)
MIN_TASK_WORK = 1 << 25  # a task is never cut below this (~0.1–0.3 s): its fixed costs would show
TASK_CELLS = 2000


def group_key(cell) -> tuple:
    return (cell.problem.label(), cell.T, cell.seeds, cell.checkpoints, cell.comparator)


def tasks(cells, at_least: int = 1) -> list[list]:
    """The cells cut into tasks: grouped by :func:`group_key` (in order of first appearance), each
    group in consecutive slices of about :data:`TASK_WORK` coordinate-rounds — smaller ones if that
    makes fewer than ``at_least`` tasks (so that every worker of a cluster gets several and none
    waits for the last), but not below :data:`MIN_TASK_WORK`."""
    groups: "OrderedDict[tuple, list]" = OrderedDict()
    for c in cells:
        groups.setdefault(group_key(c), []).append(c)
    work = {k: max(1, m[0].T * len(m[0].seeds) * _dimension(m[0])) for k, m in groups.items()}
    total = sum(work[k] * len(m) for k, m in groups.items())
    target = TASK_WORK if at_least <= 1 else min(TASK_WORK, max(MIN_TASK_WORK, total // at_least))
    out = []
    for k, members in groups.items():
        size = max(1, min(TASK_CELLS, target // work[k]))
        out += [members[i:i + size] for i in range(0, len(members), size)]
    return out


def _dimension(cell) -> int:
    d = cell.problem.params.get("d")
    if isinstance(d, int):
        return d
    try:
        from ..problems import parameters

        d = parameters(cell.problem.name).get("d")
    except Exception:  # a user's generator: its dimension is known only from an instance
        d = None
    return d if isinstance(d, int) and d > 0 else 1


def task_name(task) -> str:
    return hashlib.sha256("".join(sorted(c.key for c in task)).encode()).hexdigest()[:24]


def run_task(task, threads=None):
    """Run one task's cells (one :func:`regret.run_many` call); return its rows as a pyarrow Table."""
    import pyarrow as pa

    from ..engine.prepare import default_checkpoints
    from ..runs import run_many
    from .grid import problem_parameters

    c0 = task[0]
    cps = default_checkpoints(c0.T, c0.checkpoints)
    results = run_many([c.optimizer for c in task], c0.problem, c0.T, seeds=list(c0.seeds), checkpoints=cps,
                       record_losses=False, comparator=c0.comparator, threads=threads)
    cols = columns(results, cells=[c.key for c in task], labels=[c.label() for c in task],
                   problem_params=problem_parameters(c0.problem))
    return pa.table(cols)


def run_local(todo, root, threads=None, on_done=None):
    """Run the tasks ``todo`` one after the other in this process (each parallel over runs on the
    machine's cores), writing each to the store as it finishes."""
    from .store import write_part

    with progress.bar(sum(len(t) for t in todo), "sweep", unit="cell") as shown:
        for task in todo:
            table = run_task(task, threads=threads)
            write_part(root, task_name(task), table, task)
            shown.update(len(task))
            if on_done is not None:
                on_done(task)


def run_dask(cells, root, address: str, on_done=None):
    """Run the tasks ``todo`` on a Dask cluster: ``address`` is ``local:N`` (a LocalCluster of N
    worker processes on this machine, one thread each) or a scheduler's address (``tcp://HOST:PORT``,
    dask.distributed ``Client``). Each task runs on a worker with one compiled thread (the cluster's
    processes are the parallelism); its rows come back to this process, which writes the part, so the
    store has one writer. The cells are cut into at least 4 tasks per worker thread (:func:`tasks`),
    so the last wave does not leave workers idle. Results are those of :func:`run_local`: a run does
    not depend on where, or in which batch, it runs."""
    from distributed import Client, LocalCluster, as_completed

    from .store import write_part

    cluster = None
    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address.split(":", 1)[1]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        workers = max(1, sum(client.nthreads().values()))
        todo = tasks(cells, at_least=4 * workers)
        # an optimizer from a user's file travels as its source: a worker never imported that file
        by_future = {client.submit(_run_portable, [_portable(c) for c in task], key=f"regret-task-{task_name(task)}",
                                   pure=False): task for task in todo}
        with progress.bar(sum(len(t) for t in todo), "sweep (dask)", unit="cell") as shown:
            for fut in as_completed(by_future):
                task = by_future.pop(fut)
                write_part(root, task_name(task), fut.result(), task)
                shown.update(len(task))
                if on_done is not None:
                    on_done(task)
        return len(todo)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _portable(cell):
    from ..user_code import portable

    return dataclasses.replace(cell, optimizer=portable(cell.optimizer))


def _run_portable(task):
    """:func:`run_task` on a Dask worker (one compiled thread), the cells' optimizers restored."""
    from ..user_code import restored

    return run_task([dataclasses.replace(c, optimizer=restored(c.optimizer)) for c in task], 1)


def parse_dask(address: str) -> str:
    """``local:N`` (N ≥ 1) or ``tcp://HOST:PORT`` (also ``tls://``, ``ucx://``), checked."""
    from ..errors import InvalidInput

    if isinstance(address, str) and address.startswith("local:"):
        n = address.split(":", 1)[1]
        if n.isdigit() and 1 <= int(n) <= 1024:
            return address
    elif isinstance(address, str) and "://" in address and address.split("://", 1)[1].strip():
        return address
    raise InvalidInput("--dask", address, "local:N (a cluster of N processes here) or a scheduler address "
                                          "tcp://HOST:PORT")


__all__ = ["tasks", "run_task", "run_local", "run_dask", "parse_dask", "task_name", "TASK_WORK", "MIN_TASK_WORK",
           "TASK_CELLS"]
