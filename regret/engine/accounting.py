"""The bookkeeping every engine loop shares (regret/engine/loop.py, loop_1d.py, loop_wide.py): the
statistics of :class:`regret.RunResult`, one formula each, compiled inline into the loops (which
differ only in how they walk the coordinates: a serial loop, one scalar, parallel chunks).

* :func:`next_row`: the data row of round t and the walk over the period idx;
* :func:`compensated_add`: Σ_t f_t(x_t) by Neumaier's compensated summation (the regret is an
  O(√T) difference of O(T) sums, so plain summation would lose the digits that matter);
* :func:`observe`: one coordinate's statistics after round t — Σ_{s≤t} g_{s,i}², the min and max of
  x_{s,i} over the played points, their sum Σ_{s≤t} x_{s,i} (for the time-averaged iterate; a plain
  sum: its relative rounding error is at most ~t·2⁻⁵³, ~1e-7 at t = 10⁹, where a statistic reported to
  a few digits needs no compensation), max |g_{s,i}|;
* :func:`track_step` / :func:`effective_step`: the effective step max_{t≤T'} max_i |Δ_{t,i}|/α_t of
  Kingma & Ba §2.1. With a constant α the division waits for the checkpoint: max_t fl(|Δ_t|/α) =
  fl(max_t |Δ_t| / α), as rounding is monotone, so both ways give the same bits;
* :func:`checkpoint` and :func:`checkpoint_coordinate`: what a checkpoint T' records (the names of
  :mod:`regret.engine.record`).
"""
from __future__ import annotations

import math

from numba import njit

from ..optimizers.layout import SCHED_CONSTANT


@njit(cache=True, error_model="numpy", inline="always")
def compensated_add(run_sum, run_comp, f):
    """(sum, compensation) after adding f (Neumaier); the total is sum + compensation."""
    s = run_sum + f
    if abs(run_sum) >= abs(f):
        run_comp += (run_sum - s) + f
    else:
        run_comp += (f - s) + run_sum
    return s, run_comp


@njit(cache=True, error_model="numpy", inline="always")
def next_row(idx, j_idx, n_idx):
    """(row of this round, position of the next): round t uses idx[(t − 1) mod n_idx], walked by a
    position that wraps at the period's end (a periodic sequence passes one period; a call of a
    streamed sequence its own rows, 0..n−1)."""
    return idx[j_idx], (j_idx + 1 if j_idx + 1 < n_idx else 0)


@njit(cache=True, error_model="numpy", inline="always")
def track_step(sched, big, alpha_t, dmax, rmax):
    """(dmax, rmax) after a round whose largest update is ``big`` = max_i |Δ_{t,i}|: dmax tracks
    max_t big for a constant schedule, rmax tracks max_t big/α_t for the others."""
    if sched == SCHED_CONSTANT:
        if big > dmax:
            dmax = big
    elif big / alpha_t > rmax:
        rmax = big / alpha_t
    return dmax, rmax


@njit(cache=True, error_model="numpy", inline="always")
def observe(g_i, x_i, sq_i, lo_i, hi_i, xs_i, g_inf):
    """(Σ g_i², min x_i, max x_i, Σ x_i, max |g|) after round t's g_{t,i} at x_{t,i}. lo ≤ hi always,
    so x < lo and x > hi exclude each other: selects, not branches (the update loops vectorize)."""
    a = abs(g_i)
    return (sq_i + g_i * g_i, x_i if x_i < lo_i else lo_i, x_i if x_i > hi_i else hi_i, xs_i + x_i,
            a if a > g_inf else g_inf)


@njit(cache=True, error_model="numpy", inline="always")
def checkpoint(k, run_sum, run_comp, g2max, g_inf, sched, alpha, dmax, rmax, learner_loss, G, G_inf,
               step_ratio):
    """Checkpoint k's scalars: Σ f_t(x_t), max ‖g_t‖₂ (from its square), max ‖g_t‖∞, the effective step."""
    learner_loss[k] = run_sum + run_comp
    G[k] = math.sqrt(g2max)
    G_inf[k] = g_inf
    step_ratio[k] = effective_step(sched, alpha, dmax, rmax)


@njit(cache=True, error_model="numpy", inline="always")
def checkpoint_coordinate(k, i, sq_i, lo_i, hi_i, grad_sq, x_min, x_max):
    """Checkpoint k's record of coordinate i: Σ g_i², min and max of x_i."""
    grad_sq[k, i] = sq_i
    x_min[k, i] = lo_i
    x_max[k, i] = hi_i


@njit(cache=True, error_model="numpy", inline="always")
def effective_step(sched, alpha, dmax, rmax):
    """max_{t≤T'} max_i |Δ_{t,i}|/α_t from what :func:`track_step` kept."""
    return dmax / alpha if sched == SCHED_CONSTANT else rmax
