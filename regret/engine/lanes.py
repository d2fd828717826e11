"""Many one-dimensional runs at once, one SIMD lane per run.

A batch of one-dimensional runs with linear losses on an interval (Reddi et al.'s sequences, the
Rademacher game, a sweep of their hyperparameters, the candidates of ``regret falsify``) spends its
time in a few divisions and a square root per round of each run (bench/README.md), which a run
alone executes one at a time: its rounds are a chain, x_{t+1} depends on x_t. Runs do not depend on
each other, so here the runs of a batch are cut into groups of LANES (grouped in Python: one
algorithm and one choice of every mode per group) and a group advances all its runs by one round
per step of the loop over rounds: every quantity of a round sits lane by lane in a small array
(quantity q of lane l at q·LANES + l, :mod:`regret.optimizers.layout`), and the loops over the lanes
are straight-line code that the compiler turns into vector instructions.

Each lane performs the operations of :func:`regret.engine.loop_1d._rounds` for its run, in the same
order, on the same functions (the loss of :func:`regret.losses.score_loss`, :mod:`.accounting`, the
step sizes and β1 schedule of :mod:`regret.optimizers.steps`, the update through the generated
``lanes_coordinate``): vector instructions round like their scalar forms (no fused multiply–add is
formed without fast-math), so every result is bit-identical to the run made alone
(tests/test_lanes.py). That holds for updates made of +, −, ×, ÷ and √, as every built-in's is; a
user's update that calls exp, log or a power is left scalar here, but with Intel's SVML installed
(numba uses it when icc_rt is present; not in this project's environment) LLVM may vectorize such
calls with a vector library whose last bit can differ from the scalar libm's. Two things differ in
form only: the bias corrections 1 − β^t, whose power is a call, are advanced in a scalar loop
before the lanes — and not at all once every lane's have
rounded to 1 (they then stay 1), when the update runs with them as the literal 1 (the reciprocals
of them leave the loop; the scalar update skips them by a test, to the same numbers) —; and the data of
the round, which each lane may take from its own data set, are gathered in a scalar loop.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from . import carry as C
from .accounting import checkpoint, checkpoint_coordinate, compensated_add, observe, track_step
from .kernel_cache import register_dependent_cache
from ..losses import LINEAR, LP_L2, score_loss
from ..optimizers import steps as S
from ..optimizers.layout import (HP_ALPHA, LANE_ALPHA_T, LANE_BC1, LANE_BC2, LANE_BETA1_PREV, LANE_BETA1_T,
                                 LANE_DELTA, LANE_G, LANES, N_LANE, SCHED_CONSTANT, SCHED_SQRT)

register_dependent_cache(__file__)  # the kernels embed the steps, the losses and the accounting

L = LANES
# a group's accounting, lane by lane (quantity q of lane l at q·L + l): the point, the statistics of
# regret.engine.carry, λ^t, and the round's data a_t and loss f_t
W_X, W_SQ, W_LO, W_HI, W_XS, W_SUM, W_COMP, W_G2, W_GI, W_RM, W_DM, W_LAMPOW, W_A, W_F = range(14)
N_W = 14


def groups_of(keys) -> np.ndarray:
    """Runs cut into groups of at most LANES with equal keys (keys[j]: the algorithm and its modes of
    run j), in order of first appearance: (n_groups, LANES + 1) int64 — the runs of each group, the
    free lanes filled with its first run (computed, never stored) — and in the last column how many
    lanes are real."""
    by = {}
    for j, key in enumerate(keys):
        by.setdefault(key, []).append(j)
    rows = []
    for runs in by.values():
        for i in range(0, len(runs), L):
            part = runs[i:i + L]
            rows.append(part + [part[0]] * (L - len(part)) + [len(part)])
    return np.array(rows, dtype=np.int64).reshape(-1, L + 1)


@njit(cache=True, error_model="numpy", inline="always")
def _accounting(W, R, H, t, lp, l2, sched, no_b):
    """The part of round t before the update, on every lane: play x_t, suffer f_t(x_t) = a_t x_t
    (plus the ridge term), g_t; the Neumaier sum, the statistics; α_t and β1,t. (``no_b``: an empty
    array where the loss would read a label and the step size a user's schedule; neither is read.)"""
    for l in range(L):
        x = W[W_X * L + l]
        a = W[W_A * L + l]
        f, coef = score_loss(LINEAR, lp, 0.0 + a * x, no_b, 0)
        g = coef * a
        # (a select, not a branch: the ridge term is the same for every lane)
        g = g + l2 * x if l2 != 0.0 else g
        f = f + 0.5 * l2 * (0.0 + x * x) if l2 != 0.0 else f
        W[W_F * L + l] = f
        run_sum, run_comp = compensated_add(W[W_SUM * L + l], W[W_COMP * L + l], f)
        W[W_SUM * L + l] = run_sum
        W[W_COMP * L + l] = run_comp
        sq, lo, hi, xs, ginf = observe(g, x, W[W_SQ * L + l], W[W_LO * L + l], W[W_HI * L + l], W[W_XS * L + l],
                                       W[W_GI * L + l])
        W[W_SQ * L + l] = sq
        W[W_LO * L + l] = lo
        W[W_HI * L + l] = hi
        W[W_XS * L + l] = xs
        W[W_GI * L + l] = ginf
        n2 = g * g
        g2 = W[W_G2 * L + l]
        W[W_G2 * L + l] = n2 if n2 > g2 else g2
        hp = S.lane_hp(H, l)
        R[LANE_G * L + l] = g
        R[LANE_ALPHA_T * L + l] = S.step_size(sched, hp[HP_ALPHA], no_b, t)
        b1p, b1t, lam_pow = S.beta1_schedule(hp, R[LANE_BETA1_T * L + l], W[W_LAMPOW * L + l])
        R[LANE_BETA1_PREV * L + l] = b1p
        R[LANE_BETA1_T * L + l] = b1t
        W[W_LAMPOW * L + l] = lam_pow


@njit(cache=True, error_model="numpy", inline="always")
def _step_and_project(W, R, sched, box_lo, box_hi):
    """The part of round t after the update, on every lane: x_{t+1} = Π_[lo, hi](x_t + Δ_t) and the
    effective step."""
    for l in range(L):
        delta = R[LANE_DELTA * L + l]
        x = W[W_X * L + l] + delta
        dmax, rmax = track_step(sched, abs(delta), R[LANE_ALPHA_T * L + l], W[W_DM * L + l], W[W_RM * L + l])
        W[W_DM * L + l] = dmax
        W[W_RM * L + l] = rmax
        W[W_X * L + l] = box_lo if x < box_lo else (box_hi if x > box_hi else x)


@njit(cache=True, error_model="numpy", inline="always")
def _group(opt, runs, n_real, hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps, losses, learner_loss,
           grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos, sched):
    """Rounds t_first..t_last of the runs ``runs`` (the first ``n_real`` are stored back), as
    :func:`regret.engine.loop_1d._rounds` makes them for linear losses on an interval."""
    n_hp = hps.shape[1]
    n_state = St.shape[1]
    W = np.empty(N_W * L)
    R = np.empty(N_LANE * L)
    H = np.empty(n_hp * L)
    Z = np.empty(n_state * L)
    # the carry of each run, lane by lane; n_biased counts the lanes whose 1 − β1^t or 1 − β2^t has
    # not rounded to 1 yet (a count, not a flag: a flag set to the literal True made numba compile the
    # update dispatch twice, for the literal and for a bool)
    n_biased = 0
    for l in range(L):
        j = runs[l]
        for q in range(n_hp):
            H[q * L + l] = hps[j, q]
        for q in range(n_state):
            Z[q * L + l] = St[j, q, 0]
        W[W_X * L + l] = vec[j, C.X, 0]
        W[W_SQ * L + l] = vec[j, C.SQ, 0]
        W[W_LO * L + l] = vec[j, C.LO, 0]
        W[W_HI * L + l] = vec[j, C.HI, 0]
        W[W_XS * L + l] = vec[j, C.XS, 0]
        W[W_SUM * L + l] = acc[j, C.RUN_SUM]
        W[W_COMP * L + l] = acc[j, C.RUN_COMP]
        W[W_G2 * L + l] = acc[j, C.G2MAX]
        W[W_GI * L + l] = acc[j, C.GINF]
        W[W_RM * L + l] = acc[j, C.RMAX]
        W[W_DM * L + l] = acc[j, C.DMAX]
        W[W_LAMPOW * L + l] = acc[j, S.SC_LAM_POW]
        R[LANE_BETA1_T * L + l] = acc[j, S.SC_BETA1_T]
        R[LANE_BETA1_PREV * L + l] = acc[j, S.SC_BETA1_PREV]
        R[LANE_BC1 * L + l] = acc[j, S.SC_BC1]
        R[LANE_BC2 * L + l] = acc[j, S.SC_BC2]
        if not (acc[j, S.SC_BC1] == 1.0 and acc[j, S.SC_BC2] == 1.0):
            n_biased += 1
    j0 = runs[0]
    k = pos[j0, C.K]  # every run of a batch is at the same round: the same checkpoint and period row
    j_idx = pos[j0, C.J_IDX]
    n_idx = idx2.shape[1]
    l2 = lp[LP_L2]
    box_lo = P[0, 0]
    box_hi = P[1, 0]
    want_losses = losses.shape[0] > 0 and losses.shape[1] > 0  # (R, T) when recorded
    no_b = np.zeros(0)
    for t in range(t_first, t_last + 1):
        for l in range(L):  # the round's data, from each lane's own data set
            s = data_of_run[runs[l]]
            W[W_A * L + l] = A3[s, idx2[s, j_idx], 0]
        j_idx = j_idx + 1 if j_idx + 1 < n_idx else 0
        if n_biased > 0:  # 1 − β1^t and 1 − β2^t: a power each, until all have rounded to 1
            n_biased = 0
            for l in range(L):
                bc1, bc2 = S.bias_corrections(S.lane_hp(H, l), t, R[LANE_BC1 * L + l], R[LANE_BC2 * L + l])
                R[LANE_BC1 * L + l] = bc1
                R[LANE_BC2 * L + l] = bc2
                if not (bc1 == 1.0 and bc2 == 1.0):
                    n_biased += 1
        _accounting(W, R, H, t, lp, l2, sched, no_b)
        S.lanes_coordinate(opt, R, H, Z, t, n_biased == 0)
        _step_and_project(W, R, sched, box_lo, box_hi)
        if want_losses:
            for l in range(n_real):
                losses[runs[l], t - 1] = W[W_F * L + l]
        if k < cps.shape[0] and t == cps[k]:
            for l in range(n_real):
                j = runs[l]
                checkpoint(k, W[W_SUM * L + l], W[W_COMP * L + l], W[W_G2 * L + l], W[W_GI * L + l], sched,
                           H[HP_ALPHA * L + l], W[W_DM * L + l], W[W_RM * L + l], learner_loss[j], G[j], G_inf[j],
                           step_ratio[j])
                checkpoint_coordinate(k, 0, W[W_SQ * L + l], W[W_LO * L + l], W[W_HI * L + l], grad_sq[j], x_min[j],
                                      x_max[j])
                vhat[j, k, 0] = S.coordinate_second_moment(opt, S.lane_hp(H, l), t, R[LANE_BC1 * L + l],
                                                           R[LANE_BC2 * L + l], S.lane_state(Z, l))
            k += 1
    for l in range(n_real):  # the carry back, run by run
        j = runs[l]
        for q in range(n_state):
            St[j, q, 0] = Z[q * L + l]
        vec[j, C.X, 0] = W[W_X * L + l]
        vec[j, C.SQ, 0] = W[W_SQ * L + l]
        vec[j, C.LO, 0] = W[W_LO * L + l]
        vec[j, C.HI, 0] = W[W_HI * L + l]
        vec[j, C.XS, 0] = W[W_XS * L + l]
        acc[j, C.RUN_SUM] = W[W_SUM * L + l]
        acc[j, C.RUN_COMP] = W[W_COMP * L + l]
        acc[j, C.G2MAX] = W[W_G2 * L + l]
        acc[j, C.GINF] = W[W_GI * L + l]
        acc[j, C.RMAX] = W[W_RM * L + l]
        acc[j, C.DMAX] = W[W_DM * L + l]
        acc[j, S.SC_LAM_POW] = W[W_LAMPOW * L + l]
        acc[j, S.SC_BETA1_T] = R[LANE_BETA1_T * L + l]
        acc[j, S.SC_BETA1_PREV] = R[LANE_BETA1_PREV * L + l]
        acc[j, S.SC_BC1] = R[LANE_BC1 * L + l]
        acc[j, S.SC_BC2] = R[LANE_BC2 * L + l]
        pos[j, C.K] = k
        pos[j, C.J_IDX] = j_idx
        x_final[j, 0] = W[W_X * L + l]


@njit(cache=True, error_model="numpy")
def _group_constant(opt, runs, n_real, hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps, losses,
                    learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`_group` with a constant step, compiled on its own (called, not inlined, by the parallel
    loop: numba's parallel lowering of the whole group cost most of a minute to compile)."""
    _group(opt, runs, n_real, hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps, losses, learner_loss,
           grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos, SCHED_CONSTANT)


@njit(cache=True, error_model="numpy")
def _group_sqrt(opt, runs, n_real, hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps, losses,
                learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`_group` with the step α/√t (see :func:`_group_constant`)."""
    _group(opt, runs, n_real, hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps, losses, learner_loss,
           grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos, SCHED_SQRT)


@njit(cache=True, error_model="numpy", parallel=True)
def run_lanes_linear_box_constant(groups, opt_codes, hps, alpha_arrs, data_of_run, loss_code, lp, A3, b2, idx2,
                                  t_first, t_last, dom_code, P, r, cps, losses, iterates, vhat_history, learner_loss,
                                  grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """Rounds t_first..t_last of the runs of a batch (the arguments of
    :func:`regret.engine.loop.run_batch`, after ``groups`` of :func:`groups_of`), one-dimensional
    linear losses on an interval, a constant step, no per-round iterates or v̂; in parallel over the
    groups. Every output is bit-identical to the same run made alone."""
    for c in range(opt_codes.shape[0]):
        S.check_code(opt_codes[c])
    for g in prange(groups.shape[0]):
        runs = groups[g]
        _group_constant(opt_codes[runs[0]], runs, runs[L], hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps,
                        losses, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St,
                        acc, pos)


@njit(cache=True, error_model="numpy", parallel=True)
def run_lanes_linear_box_sqrt(groups, opt_codes, hps, alpha_arrs, data_of_run, loss_code, lp, A3, b2, idx2,
                              t_first, t_last, dom_code, P, r, cps, losses, iterates, vhat_history, learner_loss,
                              grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`run_lanes_linear_box_constant` for the step α/√t."""
    for c in range(opt_codes.shape[0]):
        S.check_code(opt_codes[c])
    for g in prange(groups.shape[0]):
        runs = groups[g]
        _group_sqrt(opt_codes[runs[0]], runs, runs[L], hps, data_of_run, lp, A3, idx2, t_first, t_last, P, cps,
                    losses, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc,
                    pos)


__all__ = ["run_lanes_linear_box_constant", "run_lanes_linear_box_sqrt", "groups_of", "LANES"]
