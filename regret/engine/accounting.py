"""The per-round bookkeeping every engine loop shares (regret/engine/loop.py, loop_1d.py, loop_wide.py):
one formula each, compiled inline into the loops.

* :func:`compensated_add`: Σ_t f_t(x_t) by Neumaier's compensated summation (the regret is an
  O(√T) difference of O(T) sums, so plain summation would lose the digits that matter);
* :func:`track_step` / :func:`step_ratio`: the effective step max_{t≤T'} max_i |Δ_{t,i}|/α_t of
  Kingma & Ba §2.1. With a constant α the division waits for the checkpoint: max_t fl(|Δ_t|/α) =
  fl(max_t |Δ_t| / α), as rounding is monotone, so both ways give the same bits.
"""
from __future__ import annotations

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
def step_ratio(sched, alpha, dmax, rmax):
    """max_{t≤T'} max_i |Δ_{t,i}|/α_t from what :func:`track_step` kept."""
    return dmax / alpha if sched == SCHED_CONSTANT else rmax
