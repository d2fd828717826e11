"""Run an optimizer on a problem: validation in Python (:mod:`regret.engine.prepare`), then one
compiled call per seed for the whole trajectory (:mod:`regret.engine.loop`), into one
:class:`regret.engine.record.Record`.

This is the engine's run: the statistics of the learner's trajectory. :func:`regret.run` adds the
best fixed comparator at every checkpoint (:mod:`regret.runs`), hence the regret.
"""
from __future__ import annotations

import numpy as np

from ..problems.adversary import Adversary
from .carry import XS, Carry, drive
from .feed import Feed
from ..optimizers.layout import HP_SCHEDULE
from .kernel_set import kernels_for
from .prepare import as_optimizer, prepare
from .record import Record
from .result import RunResult


def run(optimizer, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
        record_iterates: bool = False, record_losses: bool = True, record_state: bool = False) -> RunResult:
    """Run ``optimizer`` on ``problem`` for T rounds, for one seed or several (``seeds``: a count or a
    list); the result carries no comparator (see :func:`regret.run`)."""
    opt = as_optimizer(optimizer)
    # the loops that run it (the built-ins' or its own) and its code in their table; refused here,
    # before any work, if it does not follow the protocol
    adversary = problem if isinstance(problem, Adversary) else None
    kernels, opt_code = kernels_for(opt, adversary)
    setup = prepare(problem, T, seed, seeds, x0, checkpoints, (record_losses, record_iterates, record_state))
    T, d, fam, dom = setup.T, setup.d, setup.family, setup.domain
    alpha_arr = opt.schedule_array(T)
    hp = opt.hp_vector(kernels.table.n_hp)
    rec = Record.allocate(len(setup.instances), T, setup.checkpoints.size, d, record_losses, record_iterates,
                          record_state)
    # d = 1: scalars (linear losses on an interval: the specialised rounds alone); d ≥ 2^16: parallel
    kernel = kernels.kernel_for(d, fam.code, dom.code, int(hp[HP_SCHEDULE]), record_iterates or record_state)
    if adversary is not None:  # the array loop with the adversary's hook, whatever d is
        kernel = kernels.run_one_adversarial
        adv_params = adversary.param_vector()
    n = len(setup.instances)
    carry = Carry.start(setup.starts, np.broadcast_to(hp, (n, hp.size)), kernels.table.n_state)
    for j, inst in enumerate(setup.instances):
        # an adversary's parameters and this seed's state enter between the inputs and the outputs
        hook = (adv_params, adversary.state(setup.seeds[j])) if adversary is not None else ()
        head = (opt_code, hp, alpha_arr, fam.code, fam.params)
        tail = (dom.code, dom.P, float(dom.r), setup.checkpoints, *hook, *rec.outputs(j), *carry.of(j))
        desc = f"{opt.label()}" + (f" seed {setup.seeds[j]}" if n > 1 else "")
        feed, pos = Feed([inst], T), carry.pos[j:j + 1]

        def call(t_first, t_last, feed=feed, pos=pos, head=head, tail=tail):
            A3, b2, idx2 = feed(t_first, t_last, pos)
            kernel(*head, A3[0], b2[0], idx2[0], t_first, t_last, *tail)

        drive(call, T, d, desc, feed.max_rounds())
    rec.set_average(carry.vec[:, XS], T)
    return setup.result(opt, rec.result_fields(slice(None)))


__all__ = ["run"]
