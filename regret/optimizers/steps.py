"""Compiled update steps, one per algorithm, each a line-by-line transcription of its source.

Index convention (DESIGN.md): at round t the learner has played x_t and received g_t = ∇f_t(x_t);
a step turns x_t into the *unprojected* next point x̂_{t+1} (in place); the engine then projects,
in the metric :func:`projection_weights` gives (the denominator the step divided by, i.e. √V̂_t of
Reddi et al.'s Π_{F,√V̂_t}). Kingma & Ba write θ_{t−1} for our x_t.

Each step returns max_i |Δ_{t,i}|, where Δ_t = x̂_{t+1} − x_t is the update before projection; the
engine divides by α_t (Kingma & Ba §2.1 "effective step"). A step writes only what the algorithm
keeps (x and its state rows): the projection weights and Adam's bias-corrected v̂_t are derived from
the state when they are needed (:func:`projection_weights`, :func:`second_moment`), so an update
streams the same bytes as torch's fused Adam (x, g, m, v read; x, m, v written).

State: S[M], S[V], S[VHAT] and S[BUF] are per-coordinate vectors (zero at t = 0); ``sc`` holds the
scalars β1,t (current), 1 − β1^t, 1 − β2^t and λ^{t−1}. A denominator that is exactly zero only
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
def _bits(typingctx, x):
    """The IEEE-754 bit pattern of a float64, as an int64 (a bitcast, no conversion)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def _float(typingctx, n):
    """The float64 whose bit pattern is the int64 ``n`` (inverse of :func:`_bits`)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True, error_model="numpy", inline="always")
def _max_abs(best_bits, delta):
    """The running max_i |Δ_i| of an update loop, kept as bits (start from 0, read with _float).

    For non-negative doubles the int64 order of the bit patterns is the numeric order, and |NaN| sorts
    above +inf, so a NaN update makes the max NaN instead of vanishing. An integer max reduction lets
    LLVM vectorize the update loop; a float max (select on an ordered compare) does not."""
    b = _bits(abs(delta))
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
def sgd_step(x, g, alpha_t):
    """Zinkevich (ICML 2003), Greedy Projection: x_{t+1} = P(x_t − η_t ∇c_t(x_t))."""
    big = 0
    for i in range(x.shape[0]):
        delta = -alpha_t * g[i]
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def momentum_step(x, g, alpha_t, mu, buf):
    """Heavy ball: v ← μv + α_t g; x ← x − v (torch SGD(momentum=μ, dampening=0) for constant α)."""
    big = 0
    for i in range(x.shape[0]):
        buf[i] = mu * buf[i] + alpha_t * g[i]
        delta = -buf[i]
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def nesterov_step(x, g, alpha_t, mu, buf):
    """torch SGD(nesterov=True): b ← μb + g; x ← x − α_t (g + μb)."""
    big = 0
    for i in range(x.shape[0]):
        buf[i] = mu * buf[i] + g[i]
        delta = -alpha_t * (g[i] + mu * buf[i])
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def _denominator(second_moment, eps, eps_mode):
    """√s + ε ('outside', Kingma & Ba Alg. 1, torch) or √(s + ε) ('inside', optax eps_root style)."""
    if eps_mode == EPS_INSIDE:
        return math.sqrt(second_moment + eps)
    return math.sqrt(second_moment) + eps


@njit(cache=True, error_model="numpy", inline="always")
def adagrad_step(x, g, alpha_t, eps, eps_mode, G):
    """Duchi, Hazan & Singer (JMLR 2011), diagonal AdaGrad: G ← G + g²; x ← x − α_t g / (√G + ε)."""
    big = 0
    for i in range(x.shape[0]):
        G[i] += g[i] * g[i]
        den = _denominator(G[i], eps, eps_mode)
        delta = -alpha_t * g[i] / den if den > 0.0 else 0.0
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def rmsprop_step(x, g, alpha_t, rho, eps, eps_mode, G):
    """Tieleman & Hinton (2012), RMSProp: G ← ρG + (1−ρ)g²; x ← x − α_t g / (√G + ε)."""
    big = 0
    for i in range(x.shape[0]):
        G[i] = rho * G[i] + (1.0 - rho) * g[i] * g[i]
        den = _denominator(G[i], eps, eps_mode)
        delta = -alpha_t * g[i] / den if den > 0.0 else 0.0
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def rmsprop_momentum_step(x, g, alpha_t, rho, mu, eps, eps_mode, G, buf):
    """torch RMSprop(momentum=μ): G ← ρG + (1−ρ)g²; b ← μb + g/(√G + ε); x ← x − α_t b.

    No bias correction: the baseline Kingma & Ba compare Adam against in §6.4.
    """
    big = 0
    for i in range(x.shape[0]):
        G[i] = rho * G[i] + (1.0 - rho) * g[i] * g[i]
        den = _denominator(G[i], eps, eps_mode)
        buf[i] = mu * buf[i] + (g[i] / den if den > 0.0 else 0.0)
        delta = -alpha_t * buf[i]
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def _adam_denominator(v_i, bc2, eps, eps_mode):
    """Adam's √v̂_t + ε with v̂_t = v_t/(1 − β2^t); in eps_mode 'hat' §2's √v_t + ε̂ (see adam_step)."""
    if eps_mode == EPS_HAT:
        return math.sqrt(v_i) + eps
    return _denominator(_corrected(v_i, bc2), eps, eps_mode)


@njit(cache=True, error_model="numpy", inline="always")
def _corrected(moment, bc):
    """moment / (1 − β^t). Once 1 − β^t has rounded to 1 the quotient is the moment itself (x/1 = x
    exactly), so the division — the costliest instruction of a step at small d — is skipped."""
    return moment if bc == 1.0 else moment / bc


@njit(cache=True, error_model="numpy", inline="always")
def adam_step(x, g, alpha_t, beta1_t, beta2, eps, eps_mode, bc1, bc2, m, v):
    """Kingma & Ba (ICLR 2015, arXiv:1412.6980v9), Algorithm 1, with β1,t = β1 λ^{t−1} (§4):

        m_t ← β1,t m_{t−1} + (1 − β1,t) g_t
        v_t ← β2 v_{t−1} + (1 − β2) g_t²
        m̂_t ← m_t / (1 − β1^t)
        v̂_t ← v_t / (1 − β2^t)
        θ_t ← θ_{t−1} − α_t m̂_t / (√v̂_t + ε)

    bc1 = 1 − β1^t and bc2 = 1 − β2^t (both 1 without bias correction). eps_mode 'hat' is §2's
    "efficient order": α_t' = α_t √(1 − β2^t)/(1 − β1^t), θ_t ← θ_{t−1} − α_t' m_t / (√v_t + ε̂).
    The projection metric √v_t + ε̂ of 'hat' differs from √v̂_t + ε̂/√(1−β2^t) by one factor common
    to all coordinates, so the weighted projection is the same.
    """
    step_hat = alpha_t * math.sqrt(bc2) / bc1  # α_t' of §2, used by eps_mode 'hat' only
    big = 0
    for i in range(x.shape[0]):
        m[i] = beta1_t * m[i] + (1.0 - beta1_t) * g[i]
        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        den = _adam_denominator(v[i], bc2, eps, eps_mode)
        if eps_mode == EPS_HAT:
            delta = -step_hat * m[i] / den if den > 0.0 else 0.0
        else:
            m_hat = _corrected(m[i], bc1)
            delta = -alpha_t * m_hat / den if den > 0.0 else 0.0
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def adamax_step(x, g, alpha_t, beta1_t, beta2, bc1, m, u):
    """Kingma & Ba, Algorithm 2 (AdaMax, §7.1):

        m_t ← β1 m_{t−1} + (1 − β1) g_t
        u_t ← max(β2 u_{t−1}, |g_t|)
        θ_t ← θ_{t−1} − (α/(1 − β1^t)) m_t / u_t

    No ε (the paper has none); u_t = 0 only while every gradient so far was 0, and then m_t = 0.
    """
    big = 0
    for i in range(x.shape[0]):
        m[i] = beta1_t * m[i] + (1.0 - beta1_t) * g[i]
        a = beta2 * u[i]
        b = abs(g[i])
        u[i] = a if a > b else b
        delta = -(alpha_t / bc1) * m[i] / u[i] if u[i] > 0.0 else 0.0
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def _amsgrad_denominator(vhat_i, bc2, eps, bias):
    """√v̂_t + ε (Reddi et al.), or torch's √v̂_t/√(1 − β2^t) + ε when ``bias``."""
    if bias:
        return math.sqrt(vhat_i) / math.sqrt(bc2) + eps
    return math.sqrt(vhat_i) + eps


@njit(cache=True, error_model="numpy", inline="always")
def amsgrad_step(x, g, alpha_t, beta1_t, beta2, eps, bias, bc1, bc2, m, v, vhat):
    """Reddi, Kale & Kumar (ICLR 2018), Algorithm 2 (AMSGrad):

        m_t = β1t m_{t−1} + (1 − β1t) g_t
        v_t = β2 v_{t−1} + (1 − β2) g_t²
        v̂_t = max(v̂_{t−1}, v_t)
        x_{t+1} = Π_{F,√V̂_t}(x_t − α_t m_t/√v̂_t)

    No bias correction and no ε in the paper (ε defaults to 0 here). ``bias`` selects torch's
    Adam(amsgrad=True) instead: the max of the raw v, then x − (α_t/(1−β1^t)) m/(√v̂/√(1−β2^t) + ε).
    """
    big = 0
    for i in range(x.shape[0]):
        m[i] = beta1_t * m[i] + (1.0 - beta1_t) * g[i]
        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        if v[i] > vhat[i]:
            vhat[i] = v[i]
        den = _amsgrad_denominator(vhat[i], bc2, eps, bias)
        if bias:
            delta = -(alpha_t / bc1) * m[i] / den if den > 0.0 else 0.0
        else:
            delta = -alpha_t * m[i] / den if den > 0.0 else 0.0
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def adamx_step(x, g, alpha_t, beta1_t, beta1_prev, beta2, eps, first, m, v, vhat):
    """Phuong & Phong (IEEE Access 2019, arXiv:1904.03590), Algorithm 2 (AdamX): AMSGrad except

        v̂_1 = v_1,   v̂_t = max((1 − β1,t)²/(1 − β1,t−1)² v̂_{t−1}, v_t)  for t ≥ 2.
    """
    scale = ((1.0 - beta1_t) / (1.0 - beta1_prev)) ** 2
    big = 0
    for i in range(x.shape[0]):
        m[i] = beta1_t * m[i] + (1.0 - beta1_t) * g[i]
        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        if first:
            vhat[i] = v[i]
        else:
            carried = scale * vhat[i]
            vhat[i] = carried if carried > v[i] else v[i]
        den = math.sqrt(vhat[i]) + eps
        delta = -alpha_t * m[i] / den if den > 0.0 else 0.0
        x[i] += delta
        big = _max_abs(big, delta)
    return _float(big)


@njit(cache=True, error_model="numpy", inline="always")
def step(code, hp, t, alpha_t, x, g, S, sc):
    """Advance the scalar schedules to round t, then apply the algorithm ``code``; returns
    max_i |Δ_{t,i}|.

    β1,t = β1 λ^{t−1} (Kingma & Ba §4; λ = 1 keeps β1 constant); bias corrections use the constant β1
    and β2 as in Algorithm 1.
    """
    beta1 = hp[HP_BETA1]
    beta2 = hp[HP_BETA2]
    sc[SC_BETA1_PREV] = sc[SC_BETA1_T]
    sc[SC_BETA1_T] = beta1 * sc[SC_LAM_POW]
    sc[SC_LAM_POW] *= hp[HP_LAM]
    b1t = sc[SC_BETA1_T]
    # 1 − β^t; once it rounds to 1 in float64 it stays 1, so the power is no longer evaluated
    # (bit-identical, DESIGN.md "pitfalls"). Without bias correction both are 1 from the start.
    if sc[SC_BC1] != 1.0:
        sc[SC_BC1] = 1.0 - beta1 ** t
    if sc[SC_BC2] != 1.0:
        sc[SC_BC2] = 1.0 - beta2 ** t
    bc1 = sc[SC_BC1]
    bc2 = sc[SC_BC2]
    if code == SGD:
        return sgd_step(x, g, alpha_t)
    if code == MOMENTUM:
        return momentum_step(x, g, alpha_t, hp[HP_MOMENTUM], S[BUF])
    if code == NESTEROV:
        return nesterov_step(x, g, alpha_t, hp[HP_MOMENTUM], S[BUF])
    if code == ADAGRAD:
        return adagrad_step(x, g, alpha_t, hp[HP_EPS], int(hp[HP_EPS_MODE]), S[VHAT])
    if code == RMSPROP:
        return rmsprop_step(x, g, alpha_t, hp[HP_RHO], hp[HP_EPS], int(hp[HP_EPS_MODE]), S[VHAT])
    if code == RMSPROP_MOMENTUM:
        return rmsprop_momentum_step(x, g, alpha_t, hp[HP_RHO], hp[HP_MOMENTUM], hp[HP_EPS],
                                     int(hp[HP_EPS_MODE]), S[VHAT], S[BUF])
    if code == ADAM:
        return adam_step(x, g, alpha_t, b1t, beta2, hp[HP_EPS], int(hp[HP_EPS_MODE]), bc1, bc2, S[M], S[V])
    if code == ADAMAX:
        return adamax_step(x, g, alpha_t, b1t, beta2, bc1, S[M], S[VHAT])
    if code == AMSGRAD:
        return amsgrad_step(x, g, alpha_t, b1t, beta2, hp[HP_EPS], hp[HP_BIAS] != 0.0, bc1, bc2,
                            S[M], S[V], S[VHAT])
    return adamx_step(x, g, alpha_t, b1t, sc[SC_BETA1_PREV], beta2, hp[HP_EPS], t == 1,
                      S[M], S[V], S[VHAT])


@njit(cache=True, error_model="numpy", inline="always")
def projection_weights(code, hp, S, sc, w):
    """w ← the diagonal of the projection metric after the step of this round: the denominator the
    step divided by (Reddi et al.'s √V̂_t, with its ε), recomputed from the state by the same
    expression, so bit-identical to it; 1 for the non-adaptive methods."""
    eps = hp[HP_EPS]
    eps_mode = int(hp[HP_EPS_MODE])
    bc2 = sc[SC_BC2]
    bias = hp[HP_BIAS] != 0.0
    for i in range(w.shape[0]):
        if code == ADAGRAD or code == RMSPROP or code == RMSPROP_MOMENTUM:
            w[i] = _denominator(S[VHAT, i], eps, eps_mode)
        elif code == ADAM:
            w[i] = _adam_denominator(S[V, i], bc2, eps, eps_mode)
        elif code == ADAMAX:
            w[i] = S[VHAT, i]
        elif code == AMSGRAD:
            w[i] = _amsgrad_denominator(S[VHAT, i], bc2, eps, bias)
        elif code == ADAMX:
            w[i] = math.sqrt(S[VHAT, i]) + eps
        else:
            w[i] = 1.0


@njit(cache=True, error_model="numpy", inline="always")
def second_moment(code, S, sc, out):
    """out ← v̂_t, the second-moment estimate the theorems speak of (Σ_i √(T·v̂_{T,i})): Adam's
    bias-corrected v_t/(1 − β2^t), which its step does not store; for every other method the state
    row VHAT (AMSGrad's and AdamX's v̂, AdaGrad's and RMSProp's G, AdaMax's u; 0 for SGD-type)."""
    bc2 = sc[SC_BC2]
    for i in range(out.shape[0]):
        out[i] = _corrected(S[V, i], bc2) if code == ADAM else S[VHAT, i]
