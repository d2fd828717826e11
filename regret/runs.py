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

A run whose learner diverged (``RunResult.diverged``: its loss stopped being finite) keeps its
comparator when the data are finite — it is a property of the data, not of the learner — and its
regret is NaN from the divergence on. Only where no comparator exists *because* of the divergence (an
adversary's rows written from a non-finite x_t, or a comparator that overflows) does a diverged
seed get a NaN curve (:meth:`regret.comparator.ComparatorCurve.undefined`); for a seed that did not
diverge those errors are raised.
"""
from __future__ import annotations

import numpy as np

from . import engine, reference
from .comparator import ComparatorCurve, best_fixed_cached
from .errors import InvalidInput, NonFiniteComparator
from .engine.prepare import as_optimizer, optimizers as optimizer_list, seed_list
from .memory import check_memory
from .optimizers.arrays import ArrayOptimizer


def check_comparator_memory(problem, T=None, seeds: int = 1) -> None:
    """Refuse, before the run, a comparator that cannot fit: the least-squares route keeps d × d
    sufficient statistics (three of them), known from an instance or a named problem's d; and the
    routes that read every row at once (cvxpy, first order, working set) draw a streamed sequence
    whole (T rows of d features per seed; :mod:`regret.problems.stream`)."""
    from .problems import Instance, ProblemSpec

    if isinstance(problem, str):
        from .problems import problem as make_problem

        try:
            problem = make_problem(problem)
        except InvalidInput:
            return  # the engine names the error
    if isinstance(problem, Instance):
        name, d = problem.family.name, problem.d
    elif isinstance(problem, ProblemSpec):
        name, d = problem.name, problem.params.get("d")
    else:
        return
    if not isinstance(d, (int, np.integer)) or isinstance(d, bool):
        return
    d = int(d)
    if name == "least_squares":
        check_memory({"problem": 8.0 * 3 * d ** 2}, "the least-squares comparator")
    if getattr(problem, "streamed", False) and name not in ADDS_UP and isinstance(T, (int, np.integer)) and T > 0:
        check_memory({"problem": 8.0 * seeds * int(T) * (d + 2)},
                     f"the {name} comparator (it reads all {int(T)} rounds of each of the {seeds} seed(s) at once)")


# the named streams whose comparator adds the rows up block by block (closed form, sufficient statistics)
ADDS_UP = ("linear", "rademacher", "least_squares")


def attach_comparator(results):
    """Set ``comparator`` on each RunResult (one curve per seed, shared by results of the same
    instances); returns its argument."""
    many = isinstance(results, list)
    curves = {}
    for res in results if many else [results]:
        key = tuple(id(inst) for inst in res.instances)
        if key not in curves:
            curves[key] = [_curve_or_error(inst, res.checkpoints) for inst in res.instances]
        diverged, at = res.diverged, res.diverged_at
        res.comparator = [_curve_for_seed(c, inst, res.checkpoints, int(at[j]) if diverged[j] else 0)
                          for j, (c, inst) in enumerate(zip(curves[key], res.instances))]
    return results


def _curve_or_error(inst, checkpoints):
    """The comparator curve of ``inst``, or the error that says no finite comparator exists: data that
    are not finite or overflow (possible after the run only for an adversary's rows, written inside the
    loop: other instances are checked when they are built) or a comparator that overflows."""
    from .problems.base import check_scale

    try:
        if "adversary" in inst.meta:
            inst.family.check_data(inst.A, inst.b)
            check_scale(inst)
        return best_fixed_cached(inst, checkpoints)
    except NonFiniteComparator as exc:
        return exc
    except InvalidInput as exc:
        if exc.field in ("A", "b"):
            return exc
        raise


def _curve_for_seed(curve, inst, checkpoints, diverged_at: int):
    """``curve`` if it is one; else raise its error, unless the seed diverged (``diverged_at`` > 0):
    then NaN from the divergence on, and the comparator of the rounds before it where there are
    checkpoints (their data are finite: the learner's loss was)."""
    if isinstance(curve, ComparatorCurve):
        return curve
    if not diverged_at:
        raise curve
    cps = np.asarray(checkpoints, dtype=np.int64)
    out = ComparatorCurve.undefined(cps, inst.d, f"the learner diverged at T'={diverged_at} and {curve}")
    before = cps[cps < diverged_at]
    if before.size:
        try:
            head = best_fixed_cached(inst, before)
        except (NonFiniteComparator, InvalidInput):
            return out
        k = before.size
        out.value[:k], out.x[:k], out.certificate[:k] = head.value, head.x, head.certificate
        out.method = f"{head.method} up to T'={int(before[-1])}; then {out.method}"
        out.solver = head.solver
    return out


def run(optimizer, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
        record_iterates: bool = False, record_losses: bool = True, record_state: bool = False,
        comparator: bool = True):
    """Run ``optimizer`` on ``problem`` for T rounds, for one seed or several (``seeds``: a count or a
    list); compute the best fixed comparator at each checkpoint unless ``comparator=False``. A compiled
    algorithm (:class:`regret.Optimizer`) runs in the engine (:mod:`regret.engine`); one written on
    numpy arrays (:class:`regret.ArrayOptimizer`) in the exact, slow loop of :mod:`regret.reference`."""
    opt = as_optimizer(optimizer)
    if comparator:
        check_comparator_memory(problem, T, len(seed_list(seed, seeds)))
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
    if comparator:
        check_comparator_memory(problem, T, len(seed_list(seed, seeds)))
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
