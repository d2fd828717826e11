"""Compiled update steps, one per algorithm, each a line-by-line transcription of its source.

Index convention (DESIGN.md): at round t the learner has played x_t and received g_t = ∇f_t(x_t);
a step turns x_t into the *unprojected* next point x̂_{t+1} (in place); the engine then projects,
in the metric :func:`projection_weights` gives (the denominator the step divided by, i.e. √V̂_t of
Reddi et al.'s Π_{F,√V̂_t}). Kingma & Ba write θ_{t−1} for our x_t.

Each algorithm is written once, for one coordinate, as a function of scalars (``*_coordinate``: the
paper's update lines, returning the new state and the update Δ_{t,i} = x̂_{t+1,i} − x_{t,i}). The
array step (``*_step``) applies it to every coordinate; :func:`coordinate` dispatches it on scalars
for the engine's one-dimensional loop, which keeps its state in registers. Array steps return
max_i |Δ_{t,i}|; the engine divides by α_t (Kingma & Ba §2.1 "effective step"). A step writes only what the algorithm
keeps (x and its state rows): the projection weights and Adam's bias-corrected v̂_t are derived from
the state when they are needed (:func:`projection_weights`, :func:`second_moment`), so an update
streams the same bytes as torch's fused Adam (x, g, m, v read; x, m, v written).

State: S[M], S[V], S[VHAT] and S[BUF] are per-coordinate vectors (zero at t = 0); ``sc`` holds the
scalars β1,t (current), 1 − β1^t, 1 − β2^t, λ^{t−1} and β1,t−1 (:func:`schedules` advances them). A denominator that is exactly zero only
occurs before a coordinate has seen a non-zero gradient, when the numerator is zero as well; the
step is then 0 rather than 0/0.
"""
from __future__ import annotations

import math

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

# optimizer codes
SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, RMSPROP_MOMENTUM, ADAM, ADAMAX, AMSGRAD, ADAMX = range(10)
# hyperparameter vector layout (one float64 vector per optimizer configuration)
HP_ALPHA, HP_BETA1, HP_BETA2, HP_EPS, HP_LAM, HP_MOMENTUM, HP_RHO, HP_EPS_MODE, HP_BIAS, HP_SCHEDULE, \
    HP_WEIGHTED = range(11)
N_HP = 11
# eps placement
EPS_OUTSIDE, EPS_INSIDE, EPS_HAT = 0, 1, 2
# step-size schedules α_t
SCHED_CONSTANT, SCHED_SQRT, SCHED_ARRAY = 0, 1, 2
# state rows and scalar slots (VHAT: AMSGrad's and AdamX's v̂, AdaGrad's and RMSProp's G, AdaMax's u)
M, V, VHAT, BUF = 0, 1, 2, 3
N_ROWS = 4
SC_BETA1_T, SC_BC1, SC_BC2, SC_LAM_POW, SC_BETA1_PREV = 0, 1, 2, 3, 4
N_SC = 5


@intrinsic
def float_bits(typingctx, x):
    """The IEEE-754 bit pattern of a float64, as an int64 (a bitcast, no conversion)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def bits_float(typingctx, n):
    """The float64 whose bit pattern is the int64 ``n`` (inverse of :func:`float_bits`)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


_INF_BITS = 0x7FF0000000000000  # the bit pattern of +inf; |NaN| patterns lie above it


@njit(cache=True, error_model="numpy", inline="always")
def _max_abs(best_bits, delta):
    """The running max_i |Δ_i| of an update loop, kept as bits (start from 0, read with bits_float).

    For non-negative doubles the int64 order of the bit patterns is the numeric order, and an integer
    max reduction lets LLVM vectorize the update loop (a float max, a select on an ordered compare,
    does not). A NaN update (|NaN| sorts above +inf) is skipped, as ``max`` over floats with ``>``
    skips it: the max is over the coordinates whose update is a number, and 0 if there is none."""
    b = float_bits(abs(delta))
    b = b if b <= _INF_BITS else 0  # two selects, no branch: the loop still vectorizes
    return b if b > best_bits else best_bits


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
    longer evaluated (bit-identical, DESIGN.md "pitfalls"); without bias correction both are 1 from
    the start.
    """
    beta1_prev = beta1_t
    beta1_t = hp[HP_BETA1] * lam_pow
    lam_pow = lam_pow * hp[HP_LAM]
    if bc1 != 1.0:
        bc1 = 1.0 - hp[HP_BETA1] ** t
    if bc2 != 1.0:
        bc2 = 1.0 - hp[HP_BETA2] ** t
    return beta1_prev, beta1_t, lam_pow, bc1, bc2


# ------------------------------------------------------------------------------------------------
# one coordinate of each algorithm: the paper's lines on scalars
# ------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy", inline="always")
def sgd_coordinate(g, alpha_t):
    """Zinkevich (ICML 2003), Greedy Projection: x_{t+1} = P(x_t − η_t ∇c_t(x_t)). Returns Δ."""
    return -alpha_t * g


@njit(cache=True, error_model="numpy", inline="always")
def momentum_coordinate(buf, g, alpha_t, mu):
    """Heavy ball: v ← μv + α_t g; x ← x − v (torch SGD(momentum=μ, dampening=0) for constant α).
    Returns (v, Δ)."""
    buf = mu * buf + alpha_t * g
    return buf, -buf


@njit(cache=True, error_model="numpy", inline="always")
def nesterov_coordinate(buf, g, alpha_t, mu):
    """torch SGD(nesterov=True): b ← μb + g; x ← x − α_t (g + μb). Returns (b, Δ)."""
    buf = mu * buf + g
    return buf, -alpha_t * (g + mu * buf)


@njit(cache=True, error_model="numpy", inline="always")
def _denominator(second_moment, eps, eps_mode):
    """√s + ε ('outside', Kingma & Ba Alg. 1, torch) or √(s + ε) ('inside', optax eps_root style)."""
    if eps_mode == EPS_INSIDE:
        return math.sqrt(second_moment + eps)
    return math.sqrt(second_moment) + eps


@njit(cache=True, error_model="numpy", inline="always")
def adagrad_coordinate(G, g, alpha_t, eps, eps_mode):
    """Duchi, Hazan & Singer (JMLR 2011), diagonal AdaGrad: G ← G + g²; x ← x − α_t g / (√G + ε).
    Returns (G, Δ)."""
    G = G + g * g
    den = _denominator(G, eps, eps_mode)
    return G, (-alpha_t * g / den if den > 0.0 else 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def rmsprop_coordinate(G, g, alpha_t, rho, eps, eps_mode):
    """Tieleman & Hinton (2012), RMSProp: G ← ρG + (1−ρ)g²; x ← x − α_t g / (√G + ε). Returns (G, Δ)."""
    G = rho * G + (1.0 - rho) * g * g
    den = _denominator(G, eps, eps_mode)
    return G, (-alpha_t * g / den if den > 0.0 else 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def rmsprop_momentum_coordinate(G, buf, g, alpha_t, rho, mu, eps, eps_mode):
    """torch RMSprop(momentum=μ): G ← ρG + (1−ρ)g²; b ← μb + g/(√G + ε); x ← x − α_t b.
    Returns (G, b, Δ).

    No bias correction: the baseline Kingma & Ba compare Adam against in §6.4.
    """
    G = rho * G + (1.0 - rho) * g * g
    den = _denominator(G, eps, eps_mode)
    buf = mu * buf + (g / den if den > 0.0 else 0.0)
    return G, buf, -alpha_t * buf


@njit(cache=True, error_model="numpy", inline="always")
def _corrected(moment, bc):
    """moment / (1 − β^t). Once 1 − β^t has rounded to 1 the quotient is the moment itself (x/1 = x
    exactly), so the division — the costliest instruction of a step at small d — is skipped."""
    return moment if bc == 1.0 else moment / bc


@njit(cache=True, error_model="numpy", inline="always")
def _adam_denominator(v, bc2, eps, eps_mode):
    """Adam's √v̂_t + ε with v̂_t = v_t/(1 − β2^t); in eps_mode 'hat' §2's √v_t + ε̂ (see adam_coordinate)."""
    if eps_mode == EPS_HAT:
        return math.sqrt(v) + eps
    return _denominator(_corrected(v, bc2), eps, eps_mode)


@njit(cache=True, error_model="numpy", inline="always")
def adam_coordinate(m, v, g, alpha_t, beta1_t, beta2, eps, eps_mode, bc1, bc2):
    """Kingma & Ba (ICLR 2015, arXiv:1412.6980v9), Algorithm 1, with β1,t = β1 λ^{t−1} (§4):

        m_t ← β1,t m_{t−1} + (1 − β1,t) g_t
        v_t ← β2 v_{t−1} + (1 − β2) g_t²
        m̂_t ← m_t / (1 − β1^t)
        v̂_t ← v_t / (1 − β2^t)
        θ_t ← θ_{t−1} − α_t m̂_t / (√v̂_t + ε)

    Returns (m_t, v_t, Δ). bc1 = 1 − β1^t and bc2 = 1 − β2^t (both 1 without bias correction).
    eps_mode 'hat' is §2's "efficient order": α_t' = α_t √(1 − β2^t)/(1 − β1^t),
    θ_t ← θ_{t−1} − α_t' m_t / (√v_t + ε̂). Its projection metric √v_t + ε̂ differs from
    √v̂_t + ε̂/√(1−β2^t) by one factor common to all coordinates, so the weighted projection is the same.
    """
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    den = _adam_denominator(v, bc2, eps, eps_mode)
    if not den > 0.0:  # (also for a NaN denominator, as the other steps)
        return m, v, 0.0
    if eps_mode == EPS_HAT:
        return m, v, -(alpha_t * math.sqrt(bc2) / bc1) * m / den
    m_hat = _corrected(m, bc1)
    return m, v, -alpha_t * m_hat / den


@njit(cache=True, error_model="numpy", inline="always")
def adamax_coordinate(m, u, g, alpha_t, beta1_t, beta2, bc1):
    """Kingma & Ba, Algorithm 2 (AdaMax, §7.1):

        m_t ← β1 m_{t−1} + (1 − β1) g_t
        u_t ← max(β2 u_{t−1}, |g_t|)
        θ_t ← θ_{t−1} − (α/(1 − β1^t)) m_t / u_t

    Returns (m_t, u_t, Δ). No ε (the paper has none); u_t = 0 only while every gradient so far was
    0, and then m_t = 0.
    """
    m = beta1_t * m + (1.0 - beta1_t) * g
    a = beta2 * u
    b = abs(g)
    u = a if a > b else b
    return m, u, (-(alpha_t / bc1) * m / u if u > 0.0 else 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def _amsgrad_denominator(vhat, bc2, eps, bias):
    """√v̂_t + ε (Reddi et al.), or torch's √v̂_t/√(1 − β2^t) + ε when ``bias``."""
    if bias:
        return math.sqrt(vhat) / math.sqrt(bc2) + eps
    return math.sqrt(vhat) + eps


@njit(cache=True, error_model="numpy", inline="always")
def amsgrad_coordinate(m, v, vhat, g, alpha_t, beta1_t, beta2, eps, bias, bc1, bc2):
    """Reddi, Kale & Kumar (ICLR 2018), Algorithm 2 (AMSGrad):

        m_t = β1t m_{t−1} + (1 − β1t) g_t
        v_t = β2 v_{t−1} + (1 − β2) g_t²
        v̂_t = max(v̂_{t−1}, v_t)
        x_{t+1} = Π_{F,√V̂_t}(x_t − α_t m_t/√v̂_t)

    Returns (m_t, v_t, v̂_t, Δ). No bias correction and no ε in the paper (ε defaults to 0 here).
    ``bias`` selects torch's Adam(amsgrad=True) instead: the max of the raw v, then
    x − (α_t/(1−β1^t)) m/(√v̂/√(1−β2^t) + ε).
    """
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    if v > vhat:
        vhat = v
    den = _amsgrad_denominator(vhat, bc2, eps, bias)
    if not den > 0.0:  # (also for a NaN denominator, as the other steps)
        return m, v, vhat, 0.0
    if bias:
        return m, v, vhat, -(alpha_t / bc1) * m / den
    return m, v, vhat, -alpha_t * m / den


@njit(cache=True, error_model="numpy", inline="always")
def adamx_coordinate(m, v, vhat, g, alpha_t, beta1_t, beta2, eps, first, scale):
    """Phuong & Phong (IEEE Access 2019, arXiv:1904.03590), Algorithm 2 (AdamX): AMSGrad except

        v̂_1 = v_1,   v̂_t = max((1 − β1,t)²/(1 − β1,t−1)² v̂_{t−1}, v_t)  for t ≥ 2.

    ``scale`` = (1 − β1,t)²/(1 − β1,t−1)² (:func:`adamx_scale`). Returns (m_t, v_t, v̂_t, Δ).
    """
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    if first:
        vhat = v
    else:
        carried = scale * vhat
        vhat = carried if carried > v else v
    den = math.sqrt(vhat) + eps
    return m, v, vhat, (-alpha_t * m / den if den > 0.0 else 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def adamx_scale(beta1_t, beta1_prev):
    """AdamX's (1 − β1,t)²/(1 − β1,t−1)², common to all coordinates."""
    return ((1.0 - beta1_t) / (1.0 - beta1_prev)) ** 2


# ------------------------------------------------------------------------------------------------
# array steps: the coordinate update applied to every coordinate; each returns max_i |Δ_i|
# ------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy", inline="always")
def sgd_step(x, g, alpha_t):
    big = 0
    for i in range(x.shape[0]):
        delta = sgd_coordinate(g[i], alpha_t)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def momentum_step(x, g, alpha_t, mu, buf):
    big = 0
    for i in range(x.shape[0]):
        buf[i], delta = momentum_coordinate(buf[i], g[i], alpha_t, mu)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def nesterov_step(x, g, alpha_t, mu, buf):
    big = 0
    for i in range(x.shape[0]):
        buf[i], delta = nesterov_coordinate(buf[i], g[i], alpha_t, mu)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def adagrad_step(x, g, alpha_t, eps, eps_mode, G):
    big = 0
    for i in range(x.shape[0]):
        G[i], delta = adagrad_coordinate(G[i], g[i], alpha_t, eps, eps_mode)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def rmsprop_step(x, g, alpha_t, rho, eps, eps_mode, G):
    big = 0
    for i in range(x.shape[0]):
        G[i], delta = rmsprop_coordinate(G[i], g[i], alpha_t, rho, eps, eps_mode)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def rmsprop_momentum_step(x, g, alpha_t, rho, mu, eps, eps_mode, G, buf):
    big = 0
    for i in range(x.shape[0]):
        G[i], buf[i], delta = rmsprop_momentum_coordinate(G[i], buf[i], g[i], alpha_t, rho, mu, eps, eps_mode)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def adam_step(x, g, alpha_t, beta1_t, beta2, eps, eps_mode, bc1, bc2, m, v):
    big = 0
    for i in range(x.shape[0]):
        m[i], v[i], delta = adam_coordinate(m[i], v[i], g[i], alpha_t, beta1_t, beta2, eps, eps_mode, bc1, bc2)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def adamax_step(x, g, alpha_t, beta1_t, beta2, bc1, m, u):
    big = 0
    for i in range(x.shape[0]):
        m[i], u[i], delta = adamax_coordinate(m[i], u[i], g[i], alpha_t, beta1_t, beta2, bc1)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def amsgrad_step(x, g, alpha_t, beta1_t, beta2, eps, bias, bc1, bc2, m, v, vhat):
    big = 0
    for i in range(x.shape[0]):
        m[i], v[i], vhat[i], delta = amsgrad_coordinate(m[i], v[i], vhat[i], g[i], alpha_t, beta1_t, beta2, eps,
                                                        bias, bc1, bc2)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def adamx_step(x, g, alpha_t, beta1_t, beta1_prev, beta2, eps, first, m, v, vhat):
    scale = adamx_scale(beta1_t, beta1_prev)
    big = 0
    for i in range(x.shape[0]):
        m[i], v[i], vhat[i], delta = adamx_coordinate(m[i], v[i], vhat[i], g[i], alpha_t, beta1_t, beta2, eps,
                                                      first, scale)
        x[i] += delta
        big = _max_abs(big, delta)
    return bits_float(big)


@njit(cache=True, error_model="numpy", inline="always")
def step(code, hp, t, alpha_t, x, g, S, sc):
    """Advance the scalar schedules ``sc`` to round t (:func:`schedules`), then apply the algorithm
    ``code`` to every coordinate (:func:`apply`); returns max_i |Δ_{t,i}|."""
    b1p, b1t, lam_pow, bc1, bc2 = schedules(hp, t, sc[SC_BETA1_T], sc[SC_LAM_POW], sc[SC_BC1], sc[SC_BC2])
    sc[SC_BETA1_PREV] = b1p
    sc[SC_BETA1_T] = b1t
    sc[SC_LAM_POW] = lam_pow
    sc[SC_BC1] = bc1
    sc[SC_BC2] = bc2
    return apply(code, hp, t, alpha_t, b1t, b1p, bc1, bc2, x, g, S[M], S[V], S[VHAT], S[BUF])


@njit(cache=True, error_model="numpy", inline="always")
def apply(code, hp, t, alpha_t, b1t, b1p, bc1, bc2, x, g, m, v, vhat, buf):
    """The algorithm ``code`` on the coordinates of x and g with the state rows m, v, vhat, buf (any
    slice of them: each coordinate is updated on its own), with the schedules of round t already
    advanced; returns max_i |Δ_{t,i}|."""
    beta2 = hp[HP_BETA2]
    if code == SGD:
        return sgd_step(x, g, alpha_t)
    if code == MOMENTUM:
        return momentum_step(x, g, alpha_t, hp[HP_MOMENTUM], buf)
    if code == NESTEROV:
        return nesterov_step(x, g, alpha_t, hp[HP_MOMENTUM], buf)
    if code == ADAGRAD:
        return adagrad_step(x, g, alpha_t, hp[HP_EPS], int(hp[HP_EPS_MODE]), vhat)
    if code == RMSPROP:
        return rmsprop_step(x, g, alpha_t, hp[HP_RHO], hp[HP_EPS], int(hp[HP_EPS_MODE]), vhat)
    if code == RMSPROP_MOMENTUM:
        return rmsprop_momentum_step(x, g, alpha_t, hp[HP_RHO], hp[HP_MOMENTUM], hp[HP_EPS],
                                     int(hp[HP_EPS_MODE]), vhat, buf)
    if code == ADAM:
        return adam_step(x, g, alpha_t, b1t, beta2, hp[HP_EPS], int(hp[HP_EPS_MODE]), bc1, bc2, m, v)
    if code == ADAMAX:
        return adamax_step(x, g, alpha_t, b1t, beta2, bc1, m, vhat)
    if code == AMSGRAD:
        return amsgrad_step(x, g, alpha_t, b1t, beta2, hp[HP_EPS], hp[HP_BIAS] != 0.0, bc1, bc2,
                            m, v, vhat)
    return adamx_step(x, g, alpha_t, b1t, b1p, beta2, hp[HP_EPS], t == 1, m, v, vhat)


@njit(cache=True, error_model="numpy", inline="always")
def coordinate(code, hp, t, alpha_t, beta1_t, beta1_prev, bc1, bc2, g, m, v, vhat, buf):
    """The algorithm ``code`` on one coordinate held in scalars (the engine's d = 1 loop), with the
    schedules of round t already advanced: returns the new (m, v, vhat, buf) — the four state rows,
    those the algorithm does not use passed through — and Δ."""
    beta2 = hp[HP_BETA2]
    eps = hp[HP_EPS]
    eps_mode = int(hp[HP_EPS_MODE])
    if code == SGD:
        return m, v, vhat, buf, sgd_coordinate(g, alpha_t)
    if code == MOMENTUM:
        buf, delta = momentum_coordinate(buf, g, alpha_t, hp[HP_MOMENTUM])
        return m, v, vhat, buf, delta
    if code == NESTEROV:
        buf, delta = nesterov_coordinate(buf, g, alpha_t, hp[HP_MOMENTUM])
        return m, v, vhat, buf, delta
    if code == ADAGRAD:
        vhat, delta = adagrad_coordinate(vhat, g, alpha_t, eps, eps_mode)
        return m, v, vhat, buf, delta
    if code == RMSPROP:
        vhat, delta = rmsprop_coordinate(vhat, g, alpha_t, hp[HP_RHO], eps, eps_mode)
        return m, v, vhat, buf, delta
    if code == RMSPROP_MOMENTUM:
        vhat, buf, delta = rmsprop_momentum_coordinate(vhat, buf, g, alpha_t, hp[HP_RHO], hp[HP_MOMENTUM], eps,
                                                       eps_mode)
        return m, v, vhat, buf, delta
    if code == ADAM:
        m, v, delta = adam_coordinate(m, v, g, alpha_t, beta1_t, beta2, eps, eps_mode, bc1, bc2)
        return m, v, vhat, buf, delta
    if code == ADAMAX:
        m, vhat, delta = adamax_coordinate(m, vhat, g, alpha_t, beta1_t, beta2, bc1)
        return m, v, vhat, buf, delta
    if code == AMSGRAD:
        m, v, vhat, delta = amsgrad_coordinate(m, v, vhat, g, alpha_t, beta1_t, beta2, eps, hp[HP_BIAS] != 0.0,
                                               bc1, bc2)
        return m, v, vhat, buf, delta
    m, v, vhat, delta = adamx_coordinate(m, v, vhat, g, alpha_t, beta1_t, beta2, eps, t == 1,
                                         adamx_scale(beta1_t, beta1_prev))
    return m, v, vhat, buf, delta


# ------------------------------------------------------------------------------------------------
# quantities derived from the state
# ------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy", inline="always")
def coordinate_weight(code, hp, bc2, v, vhat):
    """One coordinate of the projection metric after this round's step: the denominator the step
    divided by (Reddi et al.'s √V̂_t, with its ε), by the same expression, so bit-identical to it; 1
    for the non-adaptive methods."""
    eps = hp[HP_EPS]
    if code == ADAGRAD or code == RMSPROP or code == RMSPROP_MOMENTUM:
        return _denominator(vhat, eps, int(hp[HP_EPS_MODE]))
    if code == ADAM:
        return _adam_denominator(v, bc2, eps, int(hp[HP_EPS_MODE]))
    if code == ADAMAX:
        return vhat
    if code == AMSGRAD:
        return _amsgrad_denominator(vhat, bc2, eps, hp[HP_BIAS] != 0.0)
    if code == ADAMX:
        return math.sqrt(vhat) + eps
    return 1.0


@njit(cache=True, error_model="numpy", inline="always")
def projection_weights(code, hp, bc2, v, vhat, w):
    """w ← :func:`coordinate_weight` of every coordinate of the state rows v, vhat (or a slice)."""
    for i in range(w.shape[0]):
        w[i] = coordinate_weight(code, hp, bc2, v[i], vhat[i])


@njit(cache=True, error_model="numpy", inline="always")
def coordinate_second_moment(code, bc2, v, vhat):
    """v̂_t, the second-moment estimate the theorems speak of (Σ_i √(T·v̂_{T,i})): Adam's
    bias-corrected v_t/(1 − β2^t), which its step does not store; for every other method the state
    row VHAT (AMSGrad's and AdamX's v̂, AdaGrad's and RMSProp's G, AdaMax's u; 0 for SGD-type)."""
    return _corrected(v, bc2) if code == ADAM else vhat


@njit(cache=True, error_model="numpy", inline="always")
def second_moment(code, bc2, v, vhat, out):
    """out ← :func:`coordinate_second_moment` of every coordinate of the state rows v, vhat."""
    for i in range(out.shape[0]):
        out[i] = coordinate_second_moment(code, bc2, v[i], vhat[i])
