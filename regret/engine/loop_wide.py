"""The online loop of :mod:`regret.engine.loop` for wide problems (d ≥ :data:`WIDE_D`), parallel over coordinates.

At large d one run has enough work per round to share among threads (docs/architecture.md, "Performance model": parallelize over
runs at small d, over coordinates at large d). The coordinates are cut into fixed chunks of
:data:`CHUNK`; each round makes two parallel passes over the chunks:

1. the score z = ⟨a_t, x_t⟩ (and ‖x_t‖² for the ridge term): a partial sum per chunk, added in chunk
   order afterwards;
2. per chunk, the gradient g_t = (∂f_t/∂z)·a_t (+ l2·x_t), the statistics (Σ g², lo/hi of x, |g|∞ and
   a partial ‖g‖²), the optimizer's update (:func:`regret.optimizers.steps.apply_chunk` on the chunk, the
   same array step as the serial loop) and, on a box, the clip.

Every coordinate's arithmetic is the serial loop's; only the sums over coordinates (z, ‖x‖², ‖g‖²) are
taken chunk by chunk instead of left to right. The chunks do not depend on the thread count, and the
partial results are combined in chunk order, so a run's results are bit-identical for any number of
threads (tests/test_loop_wide.py), and agree with the serial loop to rounding (~1e-15 relative per
sum). A projection onto the ball or the simplex (a root find or a sort over all coordinates) runs
serially after pass 2, as in the serial loop.
"""
from __future__ import annotations


import numpy as np
from numba import njit, prange

from . import carry as C
from .accounting import checkpoint, checkpoint_coordinate, compensated_add, next_row, observe, track_step
from ..domains import BOX, UNBOUNDED, _project_box, project_inplace
from .kernel_cache import register_dependent_cache
from ..losses import LP_L2, MULTICLASS, score_loss
from ..optimizers import steps as S

register_dependent_cache(__file__)  # its kernels embed the steps, losses and projections

WIDE_D = 1 << 16  # from this d on a round (≥ ~0.1 ms) is worth a parallel region (a few µs)
CHUNK = 4096  # coordinates per chunk: 32 KB of each array, so a chunk's passes stay in L1/L2


@njit(cache=True, error_model="numpy", inline="always")
def n_chunks(d):
    """How many chunks d coordinates make."""
    return (d + CHUNK - 1) // CHUNK


@njit(cache=True, error_model="numpy", inline="always")
def chunk(c, d):
    """Coordinates [j0, j1) of chunk c of d coordinates."""
    j0 = c * CHUNK
    return j0, min(d, j0 + CHUNK)


def is_wide(d: int, loss_code: int) -> bool:
    """Whether the engine runs this problem with :func:`run_wide` (multiclass: the serial loop)."""
    return d >= WIDE_D and loss_code != MULTICLASS


@njit(cache=True, error_model="numpy")
def run_wide(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps,
             losses, iterates, vhat_history,
             learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`regret.engine.loop.run_one` for a single-index family (not multiclass), parallel over chunks
    of coordinates; same arguments and outputs."""
    nch = n_chunks(vec.shape[1])
    S.check_code(opt_code)  # an algorithm outside the table is an error, never another algorithm
    _rounds_wide(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses,
                 iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
                 vec[C.X], vec[C.G], vec[C.W], St, vec[C.SQ], vec[C.LO], vec[C.HI], vec[C.XS], acc, pos,
                 np.zeros((4, nch)), np.zeros(nch, dtype=np.int64))


@njit(cache=True, error_model="numpy")
def run_wide_many(opt_codes, hps, alpha_arrs, data_of_run, loss_code, lp, A3, b2, idx2, t_first, t_last, dom_code, P,
                  r, cps, losses, iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio,
                  x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`regret.engine.loop.run_batch` for wide problems, in one compiled call: the runs one after the
    other, each :func:`run_wide` (parallel over coordinates). Same arguments and outputs."""
    d = vec.shape[2]
    no_loss = np.zeros(0)
    no_rows = np.zeros((0, d))
    no_state = np.zeros((0, d))
    for j in range(opt_codes.shape[0]):
        s = data_of_run[j]
        run_wide(opt_codes[j], hps[j], alpha_arrs[j], loss_code, lp, A3[s], b2[s], idx2[s], t_first, t_last, dom_code,
                 P, r, cps, losses[j] if losses.shape[0] > 0 else no_loss,
                 iterates[j] if iterates.shape[0] > 0 else no_rows,
                 vhat_history[j] if vhat_history.shape[0] > 0 else no_state,
                 learner_loss[j], grad_sq[j], vhat[j], G[j], G_inf[j], step_ratio[j], x_min[j], x_max[j], x_final[j],
                 vec[j], St[j], acc[j], pos[j])


@njit(cache=True, error_model="numpy", parallel=True)
def _rounds_wide(opt, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
                 vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
                 x, g, w, St, sq, lo, hi, xs, acc, pos, part, part_big):
    """Rounds t_first..t_last of :func:`run_wide` on its carried arrays (x, g, w, St, sq, lo, hi, xs,
    acc, pos: :mod:`regret.engine.carry`; ``part``: the per-chunk partial z, ‖x‖², ‖g‖², |g|∞;
    ``part_big``: the per-chunk max |Δ| as bits)."""
    n_idx = idx.shape[0]  # round t uses idx[(t − 1) mod n_idx]: a periodic sequence passes one period
    j_idx = pos[C.J_IDX]
    k = pos[C.K]
    d = x.shape[0]
    nch = part.shape[1]
    weighted = hp[S.HP_WEIGHTED] != 0.0
    sched = int(hp[S.HP_SCHEDULE])
    alpha = hp[S.HP_ALPHA]
    l2 = lp[LP_L2]
    want_losses = losses.shape[0] > 0
    want_iterates = iterates.shape[0] > 0
    want_state = vhat_history.shape[0] > 0
    beta1_t, bc1, bc2, lam_pow, beta1_prev = (acc[S.SC_BETA1_T], acc[S.SC_BC1], acc[S.SC_BC2], acc[S.SC_LAM_POW],
                                              acc[S.SC_BETA1_PREV])
    if want_iterates and t_first == 1:
        for i in range(d):
            iterates[0, i] = x[i]
    run_sum, run_comp, g2max, ginf, rmax, dmax = (acc[C.RUN_SUM], acc[C.RUN_COMP], acc[C.G2MAX], acc[C.GINF],
                                                 acc[C.RMAX], acc[C.DMAX])
    for t in range(t_first, t_last + 1):
        row, j_idx = next_row(idx, j_idx, n_idx)
        # pass 1: z = <a_t, x_t> and ||x_t||^2, a partial sum per chunk
        for c in prange(nch):
            j0, j1 = chunk(c, d)
            zc = 0.0
            xc = 0.0
            for j in range(j0, j1):
                zc += A[row, j] * x[j]
                xc += x[j] * x[j]
            part[0, c] = zc
            part[1, c] = xc
        z = 0.0
        xx = 0.0
        for c in range(nch):
            z += part[0, c]
            xx += part[1, c]
        # the learner suffers f_t(x_t)
        f, coef = score_loss(loss_code, lp, z, b, row)
        if l2 != 0.0:
            f += 0.5 * l2 * xx
        if want_losses:
            losses[t - 1] = f
        run_sum, run_comp = compensated_add(run_sum, run_comp, f)
        alpha_t = S.step_size(sched, alpha, alpha_arr, t)
        beta1_prev, beta1_t, lam_pow, bc1, bc2 = S.schedules(hp, t, beta1_t, lam_pow, bc1, bc2)
        # pass 2, per chunk: g_t, the statistics, the step x_t -> x^_{t+1}, and the clip on a box
        for c in prange(nch):
            j0, j1 = chunk(c, d)
            n2 = 0.0
            gi_max = 0.0
            for j in range(j0, j1):
                gj = coef * A[row, j]
                if l2 != 0.0:
                    gj += l2 * x[j]
                g[j] = gj
                sq[j], lo[j], hi[j], xs[j], gi_max = observe(gj, x[j], sq[j], lo[j], hi[j], xs[j], gi_max)
                n2 += gj * gj
            part[2, c] = n2
            part[3, c] = gi_max
            big = S.apply_chunk(opt, hp, t, alpha_t, beta1_t, beta1_prev, bc1, bc2, x, g, St, j0, j1)
            part_big[c] = S.float_bits(big)
            if dom_code == BOX:
                _project_box(x[j0:j1], P[0][j0:j1], P[1][j0:j1])
            elif dom_code != UNBOUNDED and weighted:
                S.weights(opt, hp, t, bc1, bc2, St, w, j0, j1)
        n2 = 0.0
        big_bits = 0
        for c in range(nch):
            n2 += part[2, c]
            ginf = part[3, c] if part[3, c] > ginf else ginf
            big_bits = part_big[c] if part_big[c] > big_bits else big_bits
        if n2 > g2max:
            g2max = n2
        big = S.bits_float(big_bits)
        dmax, rmax = track_step(sched, big, alpha_t, dmax, rmax)
        if dom_code != BOX and dom_code != UNBOUNDED:
            project_inplace(dom_code, x, w, weighted, P, r)
        if want_iterates:
            for i in prange(d):
                iterates[t, i] = x[i]
        if want_state:
            for c in prange(nch):
                j0, j1 = chunk(c, d)
                S.second_moments(opt, hp, t, bc1, bc2, St, vhat_history[t - 1], j0, j1)
        if k < cps.shape[0] and t == cps[k]:
            checkpoint(k, run_sum, run_comp, g2max, ginf, sched, alpha, dmax, rmax, learner_loss, G, G_inf,
                       step_ratio)
            for c in prange(nch):
                j0, j1 = chunk(c, d)
                S.second_moments(opt, hp, t, bc1, bc2, St, vhat[k], j0, j1)
            for i in prange(d):
                checkpoint_coordinate(k, i, sq[i], lo[i], hi[i], grad_sq, x_min, x_max)
            k += 1
    acc[S.SC_BETA1_T], acc[S.SC_BC1], acc[S.SC_BC2], acc[S.SC_LAM_POW], acc[S.SC_BETA1_PREV] = (beta1_t, bc1, bc2,
                                                                                             lam_pow, beta1_prev)
    acc[C.RUN_SUM], acc[C.RUN_COMP], acc[C.G2MAX], acc[C.GINF], acc[C.RMAX], acc[C.DMAX] = (run_sum, run_comp, g2max,
                                                                                         ginf, rmax, dmax)
    pos[C.K] = k
    pos[C.J_IDX] = j_idx
    for i in prange(d):
        x_final[i] = x[i]
