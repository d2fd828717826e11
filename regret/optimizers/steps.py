"""What the engine's compiled loops call of the optimizers: α_t, the round scalars, and the
dispatch of the built-in table (generated from the table by :mod:`regret.optimizers.codegen`).

Index convention: at round t the learner has played x_t and received g_t = ∇f_t(x_t); a step turns
x_t into the *unprojected* next point x̂_{t+1} (in place); the engine then projects, in the metric
:func:`weights` gives (the denominator the step divided by, i.e. √V̂_t of Reddi et al.'s
Π_{F,√V̂_t}). Kingma & Ba write θ_{t−1} for our x_t.

Each algorithm is written once, for one coordinate, in its own file
(:mod:`regret.optimizers.algorithms`). :func:`apply` applies it to every coordinate and returns
max_i |Δ_{t,i}| (the engine divides by α_t: Kingma & Ba §2.1 "effective step"); :func:`coordinate`
runs it on scalars for the engine's one-dimensional loop, which keeps its state in registers. A
step writes only what the algorithm keeps (x and its state rows): the projection weights and
Adam's bias-corrected v̂_t are derived from the state when they are needed (:func:`weights`,
:func:`second_moments`), so an update streams the same bytes as torch's fused Adam (x, g, m, v
read; x, m, v written).

State: ``St[j]`` is the j-th entry of the algorithm's ``state`` for every coordinate (zero at t = 0;
rows past its own state are unused); ``sc`` holds the round scalars (:mod:`regret.optimizers.layout`).
"""
from __future__ import annotations

import math

from numba import njit

from .bits import bits_float, float_bits, max_abs  # noqa: F401  (the loops use them through here)
from .codegen import DISPATCH_NAMES, compile_table
from .layout import (HP_ALPHA, HP_BETA1, HP_BETA2, HP_BIAS, HP_LAM, HP_SCHEDULE, HP_WEIGHTED,  # noqa: F401
                     N_SC, SC_BC1, SC_BC2, SC_BETA1_PREV, SC_BETA1_T, SC_LAM_POW, SCHED_ARRAY,
                     SCHED_CONSTANT, SCHED_SQRT)
from .registry import BUILTIN_TABLE

BUILTIN = compile_table(BUILTIN_TABLE)
N_HP = BUILTIN.n_hp
N_ROWS = BUILTIN.n_state
# the built-in table's dispatch, by the names the loops call (codegen.DISPATCH_NAMES: check_code,
# apply, apply_chunk, coordinate, coordinate_weight, weights, coordinate_second_moment,
# second_moments, hp_tuple, zero_state, load_state, store_state); a user's table replaces exactly these (regret.engine.kernel_set)
globals().update({name: getattr(BUILTIN, name) for name in DISPATCH_NAMES})


@njit(cache=True, error_model="numpy", inline="always")
def step_size(sched, alpha, alpha_arr, t):
    """α_t for round t: constant α, α/√t (the schedule of every regret theorem here), or the user's
    array α_1, α_2, … (``alpha_arr[t − 1]``)."""
    if sched == SCHED_CONSTANT:
        return alpha
    if sched == SCHED_SQRT:
        return alpha / math.sqrt(t)
    return alpha_arr[t - 1]


@njit(cache=True, error_model="numpy", inline="always")
def initial_scalars(hp):
    """The scalars before round 1, in :func:`schedules`' order (β1,0, λ^0, 1 − β1^0, 1 − β2^0) with
    β1,0 = 0: the bias corrections start at 0 and are computed from round 1 on, or are 1 throughout
    without bias correction. (The ``sc`` array of the array loop holds the same values.)"""
    bc = 1.0 if hp[HP_BIAS] == 0.0 else 0.0
    return 0.0, 1.0, bc, bc


@njit(cache=True, error_model="numpy", inline="always")
def schedules(hp, t, beta1_t, lam_pow, bc1, bc2):
    """The scalars of round t from those of round t − 1: returns (β1,t−1, β1,t, λ^t, 1 − β1^t, 1 − β2^t).

    β1,t = β1 λ^{t−1} (Kingma & Ba §4; λ = 1 keeps β1 constant); bias corrections use the constant β1
    and β2 as in Algorithm 1. Once 1 − β^t rounds to 1 in float64 it stays 1, so the power is no
    longer evaluated (bit-identical; docs/architecture.md); without bias correction both are 1 from
    the start.
    """
    beta1_prev, beta1_t, lam_pow = beta1_schedule(hp, beta1_t, lam_pow)
    bc1, bc2 = bias_corrections(hp, t, bc1, bc2)
    return beta1_prev, beta1_t, lam_pow, bc1, bc2


@njit(cache=True, error_model="numpy", inline="always")
def beta1_schedule(hp, beta1_t, lam_pow):
    """(β1,t−1, β1,t, λ^t) from β1,t−1 and λ^{t−1}: the part of :func:`schedules` without a power
    (the many-runs loop of :mod:`regret.engine.lanes` runs it on every lane at once)."""
    return beta1_t, hp[HP_BETA1] * lam_pow, lam_pow * hp[HP_LAM]


@njit(cache=True, error_model="numpy", inline="always")
def bias_corrections(hp, t, bc1, bc2):
    """(1 − β1^t, 1 − β2^t) from those of round t − 1: the powers of :func:`schedules`, evaluated
    only until each has rounded to 1."""
    if bc1 != 1.0:
        bc1 = 1.0 - hp[HP_BETA1] ** t
    if bc2 != 1.0:
        bc2 = 1.0 - hp[HP_BETA2] ** t
    return bc1, bc2


@njit(cache=True, error_model="numpy", inline="always")
def step(code, hp, t, alpha_t, x, g, St, sc):
    """Advance the round scalars ``sc`` to round t (:func:`schedules`), then apply the algorithm
    ``code`` to every coordinate (:func:`apply`); returns max_i |Δ_{t,i}|."""
    b1p, b1t, lam_pow, bc1, bc2 = schedules(hp, t, sc[SC_BETA1_T], sc[SC_LAM_POW], sc[SC_BC1], sc[SC_BC2])
    sc[SC_BETA1_PREV] = b1p
    sc[SC_BETA1_T] = b1t
    sc[SC_LAM_POW] = lam_pow
    sc[SC_BC1] = bc1
    sc[SC_BC2] = bc2
    return apply(code, hp, t, alpha_t, b1t, b1p, bc1, bc2, x, g, St)  # noqa: F821 (set from DISPATCH_NAMES)
