"""Many runs in one compiled call: every (optimizer configuration, seed) pair on one problem.

    >>> import regret
    >>> opts = [regret.optimizer("adam", alpha=a, beta1=0.0, beta2=0.1, schedule="sqrt")
    ...         for a in (0.1, 0.2, 0.5)]
    >>> results = regret.run_many(opts, regret.problem("reddi", C=3), T=10_000, seeds=4)
    >>> [r.regret[:, -1].mean() for r in results]          # doctest: +SKIP

``run_many(optimizers, problem, T, ...)`` returns one :class:`regret.RunResult` per optimizer,
equal — array for array, bit for bit — to ``regret.run(optimizer, problem, T, ...)`` with the same
arguments. The loss sequences are generated once per seed and shared by all optimizers, the
comparator is computed once per seed. Below d = 2^16 all runs go through
:func:`regret.engine.loop.run_batch`, which runs them in parallel over runs (numba ``prange``; docs/architecture.md
"Pitfalls": at small d, parallelize over runs, not coordinates), each :func:`regret.engine.loop.run_one` on
its own state (:func:`regret.engine.loop_1d.run_1d` at d = 1). From d = 2^16 on
(:func:`regret.engine.loop_wide.is_wide`) :func:`regret.engine.loop_wide.run_wide_many` runs them one after the
other in one compiled call, each parallel over fixed chunks of coordinates (as ``regret.run`` does).
Either way a result does not depend on the thread count, on the order of the optimizers or on what
else is in the batch.
"""
from __future__ import annotations

import contextlib
import functools

import numpy as np

from ..errors import require
from ..problems.adversary import Adversary
from .carry import XS, Carry, drive
from .feed import Feed
from ..optimizers.layout import HP_SCHEDULE
from .kernel_set import kernels_for
from .lanes import groups_of
from .prepare import optimizers as optimizers_list, prepare
from .record import Record
from .run import run


@contextlib.contextmanager
def _threads(n):
    """numba's thread count set to ``n`` for the duration (None: leave it as it is)."""
    if n is None:
        yield
        return
    import numba

    require(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and 1 <= n <= numba.config.NUMBA_NUM_THREADS,
            "threads", n, f"an integer in 1..{numba.config.NUMBA_NUM_THREADS}")
    before = numba.get_num_threads()
    numba.set_num_threads(int(n))
    try:
        yield
    finally:
        numba.set_num_threads(before)


def run_many(optimizers, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
             record_iterates: bool = False, record_losses: bool = True, record_state: bool = False,
             threads: int | None = None) -> list:
    """Run every optimizer of ``optimizers`` on ``problem`` for T rounds and every seed, in one
    parallel compiled call; return one RunResult per optimizer, in order, each equal to
    ``regret.run(optimizer, problem, T, seed=seed, seeds=seeds, x0=x0, checkpoints=checkpoints, ...)``.

    ``threads`` sets numba's thread count for this call (default: numba's current setting); the
    results do not depend on it. The arguments are those of :func:`regret.run`, with a list of
    optimizers (names or specs) in place of one.
    """
    opts = optimizers_list(optimizers)
    # the loops of each optimizer and its code there (refused here, before any work, if it does not
    # follow the protocol)
    placed = [kernels_for(opt) for opt in opts]
    if isinstance(problem, Adversary):  # the sequence depends on the learner: runs share no data
        return [run(opt, problem, T, seed=seed, seeds=seeds, x0=x0, checkpoints=checkpoints,
                    record_iterates=record_iterates, record_losses=record_losses, record_state=record_state)
                for opt in opts]
    groups = {}
    for j, (kernels, _) in enumerate(placed):
        groups.setdefault(kernels, []).append(j)
    if len(groups) > 1:
        # optimizers of different tables (built-ins and a user's) run in one call per table; a
        # result does not depend on what else is in the batch, so this changes no number
        results = [None] * len(opts)
        for members in groups.values():
            part = run_many([opts[j] for j in members], problem, T, seed=seed, seeds=seeds, x0=x0,
                            checkpoints=checkpoints, record_iterates=record_iterates, record_losses=record_losses,
                            record_state=record_state, threads=threads)
            for j, res in zip(members, part):
                results[j] = res
        return results
    kernels = next(iter(groups))
    setup = prepare(problem, T, seed, seeds, x0, checkpoints, (record_losses, record_iterates, record_state),
                    optimizers=len(opts))
    T, d, fam, dom = setup.T, setup.d, setup.family, setup.domain
    alpha_list = [opt.schedule_array(T) for opt in opts]  # validates array schedules (length ≥ T)
    hp_list = [opt.hp_vector(kernels.table.n_hp) for opt in opts]

    n_opt, n_seed = len(opts), len(setup.instances)
    R = n_opt * n_seed  # run j = (optimizer j // n_seed, seed j % n_seed)
    rec = Record.allocate(R, T, setup.checkpoints.size, d, record_losses, record_iterates, record_state)
    opt_codes = np.repeat(np.array([code for _, code in placed], dtype=np.int64), n_seed)
    hps = np.repeat(np.stack(hp_list), n_seed, axis=0)
    width = max(a.shape[0] for a in alpha_list)
    alpha_arrs = np.zeros((R, width))
    for o, a in enumerate(alpha_list):
        alpha_arrs[o * n_seed:(o + 1) * n_seed, :a.shape[0]] = a
    x0s = np.tile(setup.starts, (n_opt, 1))
    seed_of_run = np.tile(np.arange(n_seed, dtype=np.int64), n_opt)
    carry = Carry.start(x0s, hps, kernels.table.n_state)

    # as regret.run does: the first instance's family and domain, every instance's own data
    feed = Feed(setup.instances, T)
    with _threads(threads):
        # large d: the runs one after the other, each parallel over coordinates (as regret.run does)
        schedules = {int(h[HP_SCHEDULE]) for h in hp_list}
        kernel = kernels.lanes_for(d, fam.code, dom.code, schedules, record_iterates or record_state)
        if kernel is not None:
            # one SIMD lane per run (regret/engine/lanes.py): groups of one algorithm and one choice
            # of each of its modes
            groups = groups_of([(int(opt_codes[j]), _modes(opts[j // n_seed], hps[j])) for j in range(R)])
            kernel = functools.partial(kernel, groups)
        else:
            kernel = kernels.batch_for(d, fam.code)
        head = (opt_codes, hps, alpha_arrs, seed_of_run, fam.code, fam.params)
        tail = (dom.code, dom.P, float(dom.r), setup.checkpoints, *rec.outputs(), *carry.all())

        def call(t_first, t_last):
            kernel(*head, *feed(t_first, t_last, carry.pos), t_first, t_last, *tail)

        drive(call, T, d * R, f"{R} runs" if R > 1 else opts[0].label(), feed.max_rounds())
    rec.set_average(carry.vec[:, XS], T)
    return [setup.result(opt, rec.result_fields(slice(o * n_seed, (o + 1) * n_seed))) for o, opt in enumerate(opts)]


def _modes(opt, hp) -> tuple:
    """The values of the hyperparameters of ``opt`` that select a variant of its update (those with
    ``choices``, e.g. Adam's eps_mode): runs that share a SIMD group must share them."""
    return tuple(float(hp[slot]) for slot in _mode_slots(type(opt)))


@functools.lru_cache(maxsize=None)
def _mode_slots(cls) -> tuple:
    slots = cls.hp_slots()
    return tuple(slots[p] for p in sorted(cls.choices) if p in slots)


__all__ = ["run_many"]
