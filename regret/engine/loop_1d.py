"""The online loop of :mod:`regret.engine.loop` for one-dimensional problems, with its state in registers.

At d = 1 (Reddi et al.'s counterexamples, the Rademacher lower bound) a round of the array loop is
mostly memory traffic, not arithmetic: x, the optimizer's state and the statistics live in arrays,
and every round stores and reloads each of them, so the chain x_t → x_{t+1} runs through the
store-to-load forwarding of the CPU several times a round. Here the same round is written on
scalars: the same per-coordinate formulas (:func:`regret.optimizers.steps.coordinate`, which the
array steps apply to every coordinate, and :func:`regret.losses.score_loss`), the same operations in
the same order, so every result is bit-identical to :func:`regret.engine.loop._rounds` (tests/test_loop_1d.py
runs both on every optimizer × family × domain).

A projection onto an interval (box, unbounded) is the clip of the array loop; the ball and the
simplex go through the same compiled projection as there, on a one-element array.
"""
from __future__ import annotations


import numpy as np
from numba import njit

from . import carry as C
from .accounting import checkpoint, checkpoint_coordinate, compensated_add, next_row, observe, track_step
from .borrow import borrowed
from ..domains import BOX, UNBOUNDED, project_inplace
from .kernel_cache import register_dependent_cache
from ..losses import LINEAR, LP_L2, MULTICLASS, score_loss
from ..optimizers import steps as S

register_dependent_cache(__file__)  # rounds_1d embeds the steps, losses and projections


@njit(cache=True, error_model="numpy", inline="always")
def is_1d(d, loss_code):
    """Whether the engine runs this problem with :func:`run_1d` (multiclass: the array loop); used
    by :meth:`regret.engine.kernel_set.Kernels.kernel_for` and inside :func:`regret.engine.loop.run_batch`."""
    return d == 1 and loss_code != MULTICLASS


@njit(cache=True, error_model="numpy")
def run_1d(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps,
           losses, iterates, vhat_history,
           learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`regret.engine.loop.run_one` for d = 1 (same arguments and outputs), through :func:`rounds_1d`."""
    rounds_1d(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
              vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc,
              pos, np.zeros(1))


@njit(cache=True, error_model="numpy")
def run_1d_linear_box_constant(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps,
                               losses, iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min,
                               x_max, x_final, vec, St, acc, pos):
    """:func:`run_1d` for linear losses on an interval with a constant step and no per-round iterates
    or v̂ — the specialised rounds of :func:`rounds_1d` alone, compiled on their own: a process that
    runs only such problems (Reddi et al.'s sequences, the Rademacher game) compiles these rounds
    (about 5 s here) and not the general ones (numba types every inlined copy of the rounds in full:
    all three cost about 20 s). Chosen by :meth:`regret.engine.kernel_set.Kernels.kernel_for`."""
    S.check_code(opt_code)
    _rounds(opt_code, S.hp_tuple(hp), alpha_arr, LINEAR, lp, A, b, idx, t_first, t_last, BOX, P, r, cps, losses,
            iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
            (vec, St, acc, pos, np.zeros(1)), S.SCHED_CONSTANT, losses.shape[0] > 0)


@njit(cache=True, error_model="numpy")
def run_1d_linear_box_sqrt(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps,
                           losses, iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min,
                           x_max, x_final, vec, St, acc, pos):
    """:func:`run_1d_linear_box_constant` for the step α/√t."""
    S.check_code(opt_code)
    _rounds(opt_code, S.hp_tuple(hp), alpha_arr, LINEAR, lp, A, b, idx, t_first, t_last, BOX, P, r, cps, losses,
            iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
            (vec, St, acc, pos, np.zeros(1)), S.SCHED_SQRT, losses.shape[0] > 0)


@njit(cache=True, error_model="numpy")
def rounds_1d(opt, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
              vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc,
              pos, xa):
    """:func:`regret.engine.loop.run_one` for d = 1 and a single-index loss family (not multiclass):
    same arguments and outputs, the carry (vec, St, acc, pos) of :mod:`regret.engine.carry` loaded
    into registers at the start and stored at the end, and a work array xa of one element (the point
    for the ball and simplex projections). The inputs and work arrays are borrowed
    (:mod:`regret.engine.borrow`): the caller holds them until this returns.

    The rounds are :func:`_rounds`, compiled three times: for linear losses on an interval without
    per-round iterates or v̂ (every lower-bound construction here: Reddi et al.'s sequences, the
    Rademacher game) with the family, the domain and the schedule (constant or α/√t) known to the
    compiler, so that their tests leave the loop (a quarter of a round, bench/README.md); and for
    everything else with them read at run time. The arithmetic is the same in all three."""
    S.check_code(opt)  # an algorithm outside the table is an error, never another algorithm
    records = losses.shape[0] > 0 or iterates.shape[0] > 0 or vhat_history.shape[0] > 0
    # per-round losses (regret.run records them by default) are one store a round: the specialised
    # rounds keep them, as a test that the branch predictor always gets right; iterates and v̂ go the
    # general way
    heavy = iterates.shape[0] > 0 or vhat_history.shape[0] > 0
    sched = int(hp[S.HP_SCHEDULE])
    # the hyperparameters as a tuple of scalars: array entries would be reloaded every round, as the
    # compiler cannot rule out that a store to an output array changes them
    hp = S.hp_tuple(hp)
    if loss_code == LINEAR and dom_code == BOX and not heavy and sched == S.SCHED_CONSTANT:
        _rounds(opt, hp, alpha_arr, LINEAR, lp, A, b, idx, t_first, t_last, BOX, P, r, cps, losses, iterates,
                vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
                (vec, St, acc, pos, xa), S.SCHED_CONSTANT, records)
    elif loss_code == LINEAR and dom_code == BOX and not heavy and sched == S.SCHED_SQRT:
        _rounds(opt, hp, alpha_arr, LINEAR, lp, A, b, idx, t_first, t_last, BOX, P, r, cps, losses, iterates,
                vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
                (vec, St, acc, pos, xa), S.SCHED_SQRT, records)
    else:
        _rounds(opt, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
                vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
                (vec, St, acc, pos, xa), sched, True)


@njit(cache=True, error_model="numpy", inline="always")
def _rounds(opt, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
            vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, work, sched,
            records):
    """The rounds of :func:`rounds_1d`; ``work`` is its (vec, St, acc, pos, xa) in one tuple (an
    inlined call takes at most 30 arguments: CPython passes more as ``*args``, which numba's inliner
    refuses), ``sched`` hp's schedule code and ``records`` False only when no per-round record is
    asked for."""
    vec, St, acc, pos, xa = work
    n_idx = idx.shape[0]  # round t uses idx[(t − 1) mod n_idx]: a periodic sequence passes one period
    j_idx = pos[C.J_IDX]
    k = pos[C.K]
    alpha_arr = borrowed(alpha_arr)
    lp = borrowed(lp)
    A = borrowed(A)
    b = borrowed(b)
    P = borrowed(P)
    weighted = hp[S.HP_WEIGHTED] != 0.0
    alpha = hp[S.HP_ALPHA]
    l2 = lp[LP_L2]
    want_losses = records and losses.shape[0] > 0
    want_iterates = records and iterates.shape[0] > 0
    want_state = records and vhat_history.shape[0] > 0
    box_lo = P[0, 0]
    box_hi = P[1, 0]
    xa = borrowed(xa)
    w = borrowed(vec[C.W])
    # the carry in registers: the optimizer's state (the rows of the array loop's St), its round
    # scalars (the array loop's ``sc``), the point and the statistics
    st = S.load_state(St)
    beta1_t, bc1, bc2, lam_pow, beta1_prev = (acc[S.SC_BETA1_T], acc[S.SC_BC1], acc[S.SC_BC2], acc[S.SC_LAM_POW],
                                              acc[S.SC_BETA1_PREV])
    x = vec[C.X, 0]
    sq, lo, hi, xs = vec[C.SQ, 0], vec[C.LO, 0], vec[C.HI, 0], vec[C.XS, 0]
    run_sum, run_comp, g2max, ginf, rmax, dmax = (acc[C.RUN_SUM], acc[C.RUN_COMP], acc[C.G2MAX], acc[C.GINF],
                                                 acc[C.RMAX], acc[C.DMAX])
    if want_iterates and t_first == 1:
        iterates[0, 0] = x
    for t in range(t_first, t_last + 1):
        row, j_idx = next_row(idx, j_idx, n_idx)
        # the learner plays x_t; f_t is revealed; the learner suffers f_t(x_t) and receives g_t
        a = A[row, 0]
        f, coef = score_loss(loss_code, lp, 0.0 + a * x, b, row)
        g = coef * a
        if l2 != 0.0:
            g += l2 * x
            f += 0.5 * l2 * (0.0 + x * x)
        if want_losses:
            losses[t - 1] = f
        run_sum, run_comp = compensated_add(run_sum, run_comp, f)
        sq, lo, hi, xs, ginf = observe(g, x, sq, lo, hi, xs, ginf)
        n2 = g * g
        if n2 > g2max:
            g2max = n2
        # the optimizer maps (state, g_t, t) to x_{t+1}
        alpha_t = S.step_size(sched, alpha, alpha_arr, t)
        beta1_prev, beta1_t, lam_pow, bc1, bc2 = S.schedules(hp, t, beta1_t, lam_pow, bc1, bc2)
        st, delta = S.coordinate(opt, hp, t, alpha_t, beta1_t, beta1_prev, bc1, bc2, g, st)
        x += delta
        big = abs(delta)
        dmax, rmax = track_step(sched, big, alpha_t, dmax, rmax)
        # Π_X
        if dom_code == BOX:
            if x < box_lo:
                x = box_lo
            elif x > box_hi:
                x = box_hi
        elif dom_code != UNBOUNDED:
            if weighted:
                w[0] = S.coordinate_weight(opt, hp, t, bc1, bc2, st)
            xa[0] = x
            project_inplace(dom_code, xa, w, weighted, P, r)
            x = xa[0]
        if want_iterates:
            iterates[t, 0] = x
        if want_state:
            vhat_history[t - 1, 0] = S.coordinate_second_moment(opt, hp, t, bc1, bc2, st)
        if k < cps.shape[0] and t == cps[k]:
            checkpoint(k, run_sum, run_comp, g2max, ginf, sched, alpha, dmax, rmax, learner_loss, G, G_inf,
                       step_ratio)
            checkpoint_coordinate(k, 0, sq, lo, hi, grad_sq, x_min, x_max)
            vhat[k, 0] = S.coordinate_second_moment(opt, hp, t, bc1, bc2, st)
            k += 1
    S.store_state(st, St)
    acc[S.SC_BETA1_T], acc[S.SC_BC1], acc[S.SC_BC2], acc[S.SC_LAM_POW], acc[S.SC_BETA1_PREV] = (beta1_t, bc1, bc2,
                                                                                             lam_pow, beta1_prev)
    vec[C.X, 0], vec[C.SQ, 0], vec[C.LO, 0], vec[C.HI, 0], vec[C.XS, 0] = x, sq, lo, hi, xs
    acc[C.RUN_SUM], acc[C.RUN_COMP], acc[C.G2MAX], acc[C.GINF], acc[C.RMAX], acc[C.DMAX] = (run_sum, run_comp, g2max,
                                                                                         ginf, rmax, dmax)
    pos[C.K] = k
    pos[C.J_IDX] = j_idx
    x_final[0] = x
