"""Compiled kernels the benchmark needs besides the engine itself.

* :func:`update_only` — T updates of one optimizer with a fixed gradient g: the same
  :func:`regret.optimizers.steps.step` the engine calls (at d = 1 :func:`~regret.optimizers.steps.coordinate`
  on scalars, as the engine's one-dimensional loop does), with the engine's state and schedule
  initialisation, and nothing else (no loss, no projection, no statistics). This is what
  torch.optim / optax / a numpy loop do per step, so it is the like-for-like comparison.
* STREAM-style copy and triad (McCalpin's STREAM: copy a = b, 16 bytes per element; triad
  a = b + s·c, 24 bytes per element, write-allocate traffic not counted), one thread and two.
"""
from __future__ import annotations


import numpy as np
from numba import njit, prange

from regret.engine.borrow import borrowed as _borrowed
from regret.engine.kernel_cache import register_dependent_cache
from regret.engine.loop_wide import chunk
from regret.optimizers import steps as S

register_dependent_cache(__file__)  # its kernels embed steps.step: key their cache on its source


@njit(cache=True, error_model="numpy")
def update_only(opt_code, hp, alpha_arr, g, x, T):
    """x ← step(x, g) T times (t = 1..T), as :func:`regret.engine.loop.run_one` initialises and calls it
    (with borrowed arrays, as :func:`regret.engine.loop._rounds` passes them); returns the last step ratio
    (so the work cannot be optimised away)."""
    d = x.shape[0]
    S.check_code(opt_code)
    if d == 1:
        return _updates_1d(opt_code, hp, alpha_arr, g[0], x, T)
    w_own = np.ones(d)
    St_own = np.zeros((S.N_ROWS, d))
    sc_own = np.zeros(S.N_SC)
    return _updates(opt_code, hp, alpha_arr, g, x, T, w_own, St_own, sc_own)


@njit(cache=True, error_model="numpy")
def _updates(opt_code, hp, alpha_arr, g, x, T, w, St, sc):
    hp = _borrowed(hp)
    g = _borrowed(g)
    x = _borrowed(x)
    w = _borrowed(w)
    St = _borrowed(St)
    sc = _borrowed(sc)
    sc[S.SC_BETA1_T], sc[S.SC_LAM_POW], sc[S.SC_BC1], sc[S.SC_BC2] = S.initial_scalars(hp)
    sched = int(hp[S.HP_SCHEDULE])
    alpha = hp[S.HP_ALPHA]
    ratio = 0.0
    for t in range(1, T + 1):
        alpha_t = S.step_size(sched, alpha, alpha_arr, t)
        ratio = S.step(opt_code, hp, t, alpha_t, x, g, St, sc) / alpha_t
    return ratio


@njit(cache=True, error_model="numpy")
def _updates_1d(opt_code, hp, alpha_arr, g, x, T):
    """The d = 1 updates with the state in scalars (regret/engine/loop_1d.py's step part)."""
    hp = _borrowed(hp)
    alpha_arr = _borrowed(alpha_arr)
    st = S.zero_state()
    beta1_t, lam_pow, bc1, bc2 = S.initial_scalars(hp)
    beta1_prev = 0.0
    sched = int(hp[S.HP_SCHEDULE])
    alpha = hp[S.HP_ALPHA]
    xt = x[0]
    ratio = 0.0
    for t in range(1, T + 1):
        alpha_t = S.step_size(sched, alpha, alpha_arr, t)
        beta1_prev, beta1_t, lam_pow, bc1, bc2 = S.schedules(hp, t, beta1_t, lam_pow, bc1, bc2)
        st, delta = S.coordinate(opt_code, hp, t, alpha_t, beta1_t, beta1_prev, bc1, bc2, g, st)
        xt += delta
        ratio = abs(delta) / alpha_t
    x[0] = xt
    return ratio


@njit(cache=True, error_model="numpy", parallel=True)
def update_only_wide(opt_code, hp, alpha_arr, g, x, T, St, part_big):
    """T updates at large d, parallel over the chunks of coordinates regret.engine.loop_wide uses: the same
    steps.apply_chunk on each chunk (x, the state rows St and the per-chunk max |Δ| bits ``part_big``, one
    slot per chunk, are preallocated by the caller). Returns the last step ratio."""
    d = x.shape[0]
    nch = part_big.shape[0]
    S.check_code(opt_code)
    beta1_t, lam_pow, bc1, bc2 = S.initial_scalars(hp)
    beta1_prev = 0.0
    sched = int(hp[S.HP_SCHEDULE])
    alpha = hp[S.HP_ALPHA]
    ratio = 0.0
    for t in range(1, T + 1):
        alpha_t = S.step_size(sched, alpha, alpha_arr, t)
        beta1_prev, beta1_t, lam_pow, bc1, bc2 = S.schedules(hp, t, beta1_t, lam_pow, bc1, bc2)
        for c in prange(nch):
            j0, j1 = chunk(c, d)
            big = S.apply_chunk(opt_code, hp, t, alpha_t, beta1_t, beta1_prev, bc1, bc2, x, g, St, j0, j1)
            part_big[c] = S.float_bits(big)
        best = 0
        for c in range(nch):
            best = part_big[c] if part_big[c] > best else best
        ratio = S.bits_float(best) / alpha_t
    return ratio


@njit(cache=True, error_model="numpy")
def stream_copy(a, b):
    for i in range(a.shape[0]):
        a[i] = b[i]


@njit(cache=True, error_model="numpy")
def stream_triad(a, b, c, s):
    for i in range(a.shape[0]):
        a[i] = b[i] + s * c[i]


@njit(cache=True, error_model="numpy", parallel=True)
def stream_copy_par(a, b):
    for i in prange(a.shape[0]):
        a[i] = b[i]


@njit(cache=True, error_model="numpy", parallel=True)
def stream_triad_par(a, b, c, s):
    for i in prange(a.shape[0]):
        a[i] = b[i] + s * c[i]


# -- plain reference kernels: the same work written the straightforward way ------------------------
@njit(cache=True, error_model="numpy")
def plain_adam_reddi(T, C, alpha, beta1, beta2, eps):
    """Adam (Kingma & Ba Alg. 1, bias-corrected, α_t = α/√t) on Reddi et al.'s d = 1 sequence
    (f_t = Cx if t mod 3 = 1 else −x, projected onto [−1, 1], x_1 = 1), written as one would write it
    by hand in numba, with the same per-round work as the engine's full round: the loss and its
    Neumaier-compensated sum, the gradient, the statistics a theorem reads (Σ g², min/max of x, Σ x,
    max |g|, max |Δ|/α_t), the step, the clip. Returns the numbers, so nothing is optimised away."""
    x, m, v = 1.0, 0.0, 0.0
    s = comp = 0.0
    sq = 0.0
    lo = hi = x
    xs = 0.0
    gmax = 0.0
    rmax = 0.0
    for t in range(1, T + 1):
        a = C if (t - 1) % 3 == 0 else -1.0
        f = a * x
        u = s + f
        if abs(s) >= abs(f):
            comp += (s - u) + f
        else:
            comp += (f - u) + s
        s = u
        g = a
        sq += g * g
        lo = min(lo, x)
        hi = max(hi, x)
        xs += x
        gmax = max(gmax, abs(g))
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        alpha_t = alpha / np.sqrt(t)
        # β^t as Algorithm 1 writes it (a running product β^t ← β·β^(t−1) reaches the subnormal range
        # after ~7000 rounds at β1 = 0.9, where each multiplication costs ~100 cycles: 77 ns a round)
        # m̂ and v̂ as the moments times the round's 1/(1 − β^t), as the engine forms them
        step = alpha_t * (m * (1.0 / (1.0 - beta1 ** t))) / (np.sqrt(v * (1.0 / (1.0 - beta2 ** t))) + eps)
        rmax = max(rmax, abs(step) / alpha_t)
        x = min(max(x - step, -1.0), 1.0)
    return x, s + comp, sq, lo, hi, xs, gmax, rmax


@njit(cache=True, error_model="numpy")
def plain_adam_update(alpha, beta1, beta2, eps, g, x, T):
    """T Adam updates (bias-corrected, constant α) of x with a fixed gradient g, the straightforward
    numba loop over the coordinates with the state in arrays: what :func:`update_only` does for Adam.
    Returns x[0] so the loop is kept."""
    d = x.shape[0]
    m = np.zeros(d)
    v = np.zeros(d)
    for t in range(1, T + 1):
        r1 = 1.0 / (1.0 - beta1 ** t)  # m̂ = m/(1 − β1^t) and v̂ = v/(1 − β2^t) as the engine forms them
        r2 = 1.0 / (1.0 - beta2 ** t)
        for i in range(d):
            m[i] = beta1 * m[i] + (1.0 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
            x[i] -= alpha * (m[i] * r1) / (np.sqrt(v[i] * r2) + eps)
    return x[0]
