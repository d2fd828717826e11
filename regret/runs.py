"""Runs with their regret: the engine's statistics plus the best fixed comparator in hindsight.

    >>> import regret
    >>> res = regret.run(regret.optimizer("adam", alpha=0.5, beta1=0, beta2=0.1, schedule="sqrt",
    ...                                   bias_correction=False),
    ...                  regret.problem("reddi", C=3), T=30_000)
    >>> float(res.regret[0, -1] / res.T)       # doctest: +SKIP
    0.66...

:func:`run` and :func:`run_many` are :func:`regret.engine.run` and :func:`regret.engine.run_many`
(the compiled loops) followed by :func:`attach_comparator`: min_{x∈X} Σ_{t≤T'} f_t(x) at every
checkpoint T', computed once per seed and cached (:mod:`regret.comparator`). The regret at T' is
then ``RunResult.regret`` = Σ_{t≤T'} f_t(x_t) − min_{x∈X} Σ_{t≤T'} f_t(x).
"""
from __future__ import annotations

from . import engine, reference
from .comparator import best_fixed_cached
from .engine.prepare import as_optimizer, optimizers as optimizer_list
from .optimizers.arrays import ArrayOptimizer


def attach_comparator(results):
    """Set ``comparator`` on each RunResult (one curve per seed, shared by results of the same
    instances); returns its argument."""
    many = isinstance(results, list)
    curves = {}
    for res in results if many else [results]:
        key = tuple(id(inst) for inst in res.instances)
        if key not in curves:
            curves[key] = [best_fixed_cached(inst, res.checkpoints) for inst in res.instances]
        res.comparator = list(curves[key])
    return results


def run(optimizer, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
        record_iterates: bool = False, record_losses: bool = True, record_state: bool = False,
        comparator: bool = True):
    """Run ``optimizer`` on ``problem`` for T rounds, for one seed or several (``seeds``: a count or a
    list); compute the best fixed comparator at each checkpoint unless ``comparator=False``. A compiled
    algorithm (:class:`regret.Optimizer`) runs in the engine (:mod:`regret.engine`); one written on
    numpy arrays (:class:`regret.ArrayOptimizer`) in the exact, slow loop of :mod:`regret.reference`."""
    opt = as_optimizer(optimizer)
    # an algorithm written on arrays runs in the plain-Python loop, a compiled one in the engine
    path = reference.run if isinstance(opt, ArrayOptimizer) else engine.run
    res = path(opt, problem, T, seed=seed, seeds=seeds, x0=x0, checkpoints=checkpoints,
               record_iterates=record_iterates, record_losses=record_losses, record_state=record_state)
    return attach_comparator(res) if comparator else res


def run_many(optimizers, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
             record_iterates: bool = False, record_losses: bool = True, record_state: bool = False,
             comparator: bool = True, threads: int | None = None) -> list:
    """:func:`run` for every optimizer of ``optimizers`` (names or specs), in one parallel compiled
    call per table of algorithms; one RunResult per optimizer, in order, each equal — array for
    array, bit for bit — to ``run(optimizer, problem, T, ...)`` with the same arguments. The loss
    sequences are generated once per seed and the comparator computed once per seed. ``threads``
    sets numba's thread count for the call (the results do not depend on it). An
    :class:`regret.ArrayOptimizer` among them runs in the plain-Python loop (:mod:`regret.reference`)."""
    opts = optimizer_list(optimizers)
    compiled = [j for j, opt in enumerate(opts) if not isinstance(opt, ArrayOptimizer)]
    results = [None] * len(opts)
    if compiled:
        batch = engine.run_many([opts[j] for j in compiled], problem, T, seed=seed, seeds=seeds, x0=x0,
                                checkpoints=checkpoints, record_iterates=record_iterates,
                                record_losses=record_losses, record_state=record_state, threads=threads)
        for j, res in zip(compiled, batch):
            results[j] = res
    for j, opt in enumerate(opts):  # algorithms on arrays: one after the other, in plain Python
        if results[j] is None:
            results[j] = reference.run(opt, problem, T, seed=seed, seeds=seeds, x0=x0, checkpoints=checkpoints,
                                       record_iterates=record_iterates, record_losses=record_losses,
                                       record_state=record_state)
    return attach_comparator(results) if comparator else results


__all__ = ["run", "run_many", "attach_comparator"]
