"""An independent, plain numpy / pure-Python implementation of the online loop (the test oracle).

Nothing here imports the compiled kernels (:mod:`regret.loop`, :mod:`regret.optimizers.steps`,
:func:`regret.losses.value_grad`, :func:`regret.domains.project_inplace`): every update is written
again from its source, every loss from the table of :mod:`regret.losses`, every projection from its
KKT conditions (closed form, or bisection on the one-dimensional multiplier). Only the *data* of a
problem (its arrays, family parameters and domain parameters) and the optimizer's hyperparameters
are read from the regret objects.

Protocol (docs/architecture.md): the learner plays x_t (x_1 = the start), suffers f_t(x_t), receives
g_t = ∇f_t(x_t), and the optimizer maps (state, g_t, t) to x̂_{t+1}, which is projected:
x_{t+1} = Π_X(x̂_{t+1}) for the non-adaptive methods, and x_{t+1} = Π_{X,diag(w_t)}(x̂_{t+1}) for the
adaptive ones, where w_t is the per-coordinate denominator the step divided its numerator by
(Reddi, Kale & Kumar, ICLR 2018, Algorithm 1: x_{t+1} = Π_{F,√V_t}(x_t − α_t m_t/√V_t), √V_t being
that denominator). A coordinate's weight can be 0 (eps = 0 and no non-zero gradient seen yet);
the projection then returns the limit of the weighted projections as that weight tends to 0+
(see :func:`project_weighted`).
"""
from __future__ import annotations

import math

import numpy as np

# ------------------------------------------------------------------------------------------------
# losses: value and gradient of one round, from the table in regret/losses.py
# ------------------------------------------------------------------------------------------------


def _logistic_value_grad_coef(margin):
    """log(1 + e^{−m}) and its derivative −σ(−m) = −1/(1 + e^{m}), without overflow."""
    value = float(np.logaddexp(0.0, -margin))
    if margin >= 0:
        em = math.exp(-margin)
        dval = -em / (1.0 + em)
    else:
        dval = -1.0 / (1.0 + math.exp(margin))
    return value, dval


def loss_value_grad(family, a, b, x):
    """f(x; a, b) and a (sub)gradient for the family (name + l2, classes, delta) of regret.losses.

    | linear | ⟨a, x⟩ |
    | least_squares | ½(⟨a, x⟩ − b)² |
    | logistic | log(1 + exp(−b⟨a, x⟩)) |
    | multiclass | logsumexp(W a) − (W a)_b, W = x reshaped K × p (row-major) |
    | hinge | max(0, 1 − b⟨a, x⟩), subgradient 0 at the kink |
    | absolute | |⟨a, x⟩ − b|, subgradient 0 at the kink |
    | huber | ½r² if |r| ≤ δ else δ(|r| − δ/2) |
    plus (l2/2)‖x‖².
    """
    name = family.name
    a = np.asarray(a, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if name == "multiclass":
        K = family.classes
        p = a.shape[0]
        W = x.reshape(K, p)
        z = W @ a
        zmax = float(np.max(z))
        lse = zmax + math.log(float(np.sum(np.exp(z - zmax))))
        label = int(b)
        f = lse - float(z[label])
        soft = np.exp(z - lse)
        soft[label] -= 1.0
        g = np.outer(soft, a).ravel()
    else:
        z = float(np.dot(a, x))
        if name == "linear":
            f, dz = z, 1.0
        elif name == "least_squares":
            r = z - b
            f, dz = 0.5 * r * r, r
        elif name == "logistic":
            f, dm = _logistic_value_grad_coef(b * z)
            dz = b * dm
        elif name == "hinge":
            slack = 1.0 - b * z
            f, dz = (slack, -b) if slack > 0 else (0.0, 0.0)
        elif name == "absolute":
            r = z - b
            f, dz = abs(r), float(np.sign(r))
        elif name == "huber":
            r = z - b
            delta = family.delta
            if abs(r) <= delta:
                f, dz = 0.5 * r * r, r
            else:
                f, dz = delta * (abs(r) - 0.5 * delta), math.copysign(delta, r)
        else:
            raise AssertionError(f"unknown family {name}")
        g = dz * a
    if family.l2:
        f += 0.5 * family.l2 * float(np.dot(x, x))
        g = g + family.l2 * x
    return float(f), np.array(g, dtype=np.float64)


# ------------------------------------------------------------------------------------------------
# projections
# ------------------------------------------------------------------------------------------------


def _bisect(fun, lo, hi):
    """The root of a non-increasing function on [lo, hi] (fun(lo) ≥ 0 ≥ fun(hi)), to adjacent floats."""
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if fun(mid) > 0:
            lo = mid
        else:
            hi = mid
    return lo, hi


def _ball_weighted(z, w, r):
    """argmin Σ w_i (u_i − z_i)² s.t. ‖u‖ ≤ r for w > 0 and ‖z‖ > r.

    KKT: w_i(u_i − z_i) + μ u_i = 0, so u_i = w_i z_i/(w_i + μ), μ > 0 the root of ‖u(μ)‖ = r; ‖u(μ)‖
    is decreasing and ‖u(μ)‖ ≤ ‖w∘z‖/μ, so the root lies in [0, ‖w∘z‖/r]. Bisection on μ.
    """
    def excess(mu):
        return float(np.linalg.norm(w * z / (w + mu))) - r

    lo, hi = _bisect(excess, 0.0, float(np.linalg.norm(w * z)) / r)
    u = w * z / (w + hi)  # hi: the side where ‖u‖ ≤ r
    n = float(np.linalg.norm(u))
    return u * (r / n) if n > r else u


def _simplex_weighted_eq(y, w, r):
    """argmin Σ w_i (x_i − y_i)² s.t. x ≥ 0, Σ x = r, w > 0.

    KKT: x_i = max(0, y_i − τ/w_i) with Σ_i x_i(τ) = r; Σ x(τ) is non-increasing, ≥ d·r at
    τ = min_i w_i(y_i − r) and 0 at τ = max_i w_i y_i. Bisection finds the active set
    {i : w_i y_i > τ}; on it τ solves the linear equation Σ_{active} (y_i − τ/w_i) = r exactly.
    """
    def excess(tau):
        return float(np.sum(np.maximum(0.0, y - tau / w))) - r

    lo, hi = _bisect(excess, float(np.min(w * (y - r))), float(np.max(w * y)))
    active = w * y > hi
    if not np.any(active):
        active = w * y >= np.max(w * y)
    tau = (float(np.sum(y[active])) - r) / float(np.sum(1.0 / w[active]))
    return np.maximum(0.0, y - tau / w)


def project_box(y, lo, hi):
    """Box: the weighted problem separates; each coordinate is clipped, whatever its weight."""
    return np.minimum(np.maximum(y, lo), hi)


def project_ball(y, c, r, w=None):
    """Π onto {‖x − c‖ ≤ r}: c + (y − c)·min(1, r/‖y − c‖) (Euclidean); weighted as in _ball_weighted.

    Zero weights (the limit w_i → 0+): coordinates with positive weight P solve their weighted
    problem; if their part of z = y − c alone leaves the ball, μ > 0 stays bounded away from 0 and
    the zero-weight coordinates Z go to c; otherwise μ → 0 with μ/w_Z → const, so x_P = y_P and z_Z is
    scaled onto the radius √(r² − ‖z_P‖²) that remains.
    """
    y = np.asarray(y, dtype=np.float64)
    z = y - c
    nz = float(np.linalg.norm(z))
    if nz <= r:
        return y.copy()
    if w is None or not np.any(w > 0):
        return c + z * (r / nz)
    P = w > 0
    Z = ~P
    u = np.zeros_like(z)
    nzp = float(np.linalg.norm(z[P]))
    if nzp > r:
        u[P] = _ball_weighted(z[P], w[P], r)
    else:
        u[P] = z[P]
        rest = math.sqrt(max(r * r - nzp * nzp, 0.0))
        nzz = float(np.linalg.norm(z[Z]))
        u[Z] = z[Z] * (rest / nzz) if nzz > rest else z[Z]
    return c + u


def project_simplex(y, r, w=None):
    """Π onto {x ≥ 0, Σ x = r}; Euclidean = all weights 1.

    Zero weights (the limit w_i → 0+): if Σ_P max(0, y_P) ≥ r the positive-weight coordinates P take
    the whole mass (τ > 0 stays bounded away from 0, x_Z → 0); otherwise x_P = max(0, y_P) and the
    zero-weight coordinates share the remaining mass as the Euclidean projection of y_Z onto the
    simplex of that size (τ → 0 with τ/w_Z → const).
    """
    y = np.asarray(y, dtype=np.float64)
    d = y.shape[0]
    if w is None or not np.any(w > 0):
        return _simplex_weighted_eq(y, np.ones(d), r)
    P = w > 0
    Z = ~P
    if not np.any(Z):
        return _simplex_weighted_eq(y, w, r)
    x = np.zeros(d)
    mass = float(np.sum(np.maximum(0.0, y[P])))
    if mass >= r:
        x[P] = _simplex_weighted_eq(y[P], w[P], r)
    else:
        x[P] = np.maximum(0.0, y[P])
        x[Z] = _simplex_weighted_eq(y[Z], np.ones(int(Z.sum())), r - mass)
    return x


def project(domain, y, w=None):
    """Π_X(y) (w None) or Π_{X,diag(w)}(y) for a regret.domains.Domain, from its kind and parameters."""
    if domain.kind == "box":
        return project_box(y, domain.P[0], domain.P[1])
    if domain.kind == "ball":
        return project_ball(y, domain.P[0], domain.r, w)
    if domain.kind == "simplex":
        return project_simplex(y, domain.r, w)
    return np.array(y, dtype=np.float64, copy=True)


# ------------------------------------------------------------------------------------------------
# optimizers: each update written from its paper (docstrings cite the source)
# ------------------------------------------------------------------------------------------------


class RefOptimizer:
    """update(x, g, t, alpha_t) → (x̂_{t+1}, w_t); ``vhat`` is the state the engine records as v̂."""

    adaptive = True

    def __init__(self, spec, d):
        self.h = spec.hyperparameters()
        self.d = d
        self.vhat = np.zeros(d)

    def beta1_t(self, t):
        """β1,t = β1 λ^{t−1} (Kingma & Ba §4, Reddi et al. Corollary 1)."""
        return self.h["beta1"] * self.h.get("lam", 1.0) ** (t - 1)

    @staticmethod
    def safe_div(num, den):
        """num/den, with 0 where den = 0 (then num = 0 as well: nothing seen on that coordinate)."""
        out = np.zeros_like(num)
        nz = den > 0
        out[nz] = num[nz] / den[nz]
        return out

    def denominator(self, s):
        eps = self.h["eps"]
        if self.h.get("eps_mode", "outside") == "inside":
            return np.sqrt(s + eps)
        return np.sqrt(s) + eps


class RefSGD(RefOptimizer):
    """Zinkevich (ICML 2003) Algorithm 1 (greedy projection): x_{t+1} = P(x_t − η_t ∇c_t(x_t))."""

    adaptive = False

    def update(self, x, g, t, a):
        return x - a * g, np.ones(self.d)


class RefMomentum(RefOptimizer):
    """Polyak's heavy ball in torch's form (dampening 0): v_t = μ v_{t−1} + α_t g_t, x̂ = x_t − v_t."""

    adaptive = False

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.buf = np.zeros(d)

    def update(self, x, g, t, a):
        self.buf = self.h["momentum"] * self.buf + a * g
        return x - self.buf, np.ones(self.d)


class RefNesterov(RefOptimizer):
    """Sutskever et al. (2013) Nesterov momentum as torch.optim.SGD(nesterov=True) writes it:
    b_t = μ b_{t−1} + g_t, x̂ = x_t − α_t (g_t + μ b_t)."""

    adaptive = False

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.buf = np.zeros(d)

    def update(self, x, g, t, a):
        mu = self.h["momentum"]
        self.buf = mu * self.buf + g
        return x - a * (g + mu * self.buf), np.ones(self.d)


class RefAdaGrad(RefOptimizer):
    """Duchi, Hazan & Singer (JMLR 2011), diagonal AdaGrad, Fig. 1 with H_t = δI + diag(s_t):
    s_t = ‖g_{1:t,i}‖₂, x_{t+1} = Π^{H_t}(x_t − η H_t^{-1} g_t). ε 'outside' is δ; 'inside' is √(Σg² + ε).
    v̂ recorded = Σ_{s≤t} g_s² (the accumulator)."""

    def update(self, x, g, t, a):
        self.vhat = self.vhat + g * g
        den = self.denominator(self.vhat)
        return x - a * self.safe_div(g, den), den


class RefRMSProp(RefOptimizer):
    """Tieleman & Hinton (2012), lecture 6.5: MeanSquare = ρ MeanSquare + (1 − ρ) g²,
    x̂ = x − α_t g/(√MeanSquare + ε). v̂ recorded = MeanSquare."""

    def update(self, x, g, t, a):
        rho = self.h["rho"]
        self.vhat = rho * self.vhat + (1.0 - rho) * g * g
        den = self.denominator(self.vhat)
        return x - a * self.safe_div(g, den), den


class RefRMSPropMomentum(RefOptimizer):
    """torch.optim.RMSprop(momentum=μ), the baseline of Kingma & Ba §6.4: MeanSquare as RMSProp,
    b = μ b + g/(√MeanSquare + ε), x̂ = x − α_t b."""

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.buf = np.zeros(d)

    def update(self, x, g, t, a):
        rho = self.h["rho"]
        self.vhat = rho * self.vhat + (1.0 - rho) * g * g
        den = self.denominator(self.vhat)
        self.buf = self.h["momentum"] * self.buf + self.safe_div(g, den)
        return x - a * self.buf, den


class RefAdam(RefOptimizer):
    """Kingma & Ba (ICLR 2015, arXiv:1412.6980v9) Algorithm 1 with β1,t = β1 λ^{t−1} (§4):
    m_t = β1,t m + (1 − β1,t) g; v_t = β2 v + (1 − β2) g²; m̂ = m/(1 − β1^t); v̂ = v/(1 − β2^t);
    θ_t = θ_{t−1} − α_t m̂/(√v̂ + ε). Variants: ε inside the root; §2's "efficient order"
    α_t' = α_t √(1 − β2^t)/(1 − β1^t), θ_t = θ_{t−1} − α_t' m/(√v + ε̂) ('hat'); no bias correction
    (Reddi et al.'s Adam, §2). v̂ recorded = v_t/(1 − β2^t) (v_t without bias correction)."""

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.m = np.zeros(d)
        self.v = np.zeros(d)

    def update(self, x, g, t, a):
        b1t, b2 = self.beta1_t(t), self.h["beta2"]
        self.m = b1t * self.m + (1.0 - b1t) * g
        self.v = b2 * self.v + (1.0 - b2) * g * g
        if self.h["bias_correction"]:
            c1, c2 = 1.0 - self.h["beta1"] ** t, 1.0 - b2 ** t
        else:
            c1 = c2 = 1.0
        self.vhat = self.v / c2
        if self.h["eps_mode"] == "hat":
            step = a * math.sqrt(c2) / c1
            den_raw = np.sqrt(self.v) + self.h["eps"]
            xh = x - step * self.safe_div(self.m, den_raw)
            # the denominator of α_t·(...)/den: den_raw·c1/√c2 (a common factor: same projection)
            return xh, den_raw * c1 / math.sqrt(c2)
        den = self.denominator(self.vhat)
        return x - a * self.safe_div(self.m / c1, den), den


class RefAdaMax(RefOptimizer):
    """Kingma & Ba Algorithm 2 (AdaMax, §7.1): m_t = β1 m + (1 − β1) g; u_t = max(β2 u, |g|);
    θ_t = θ_{t−1} − (α/(1 − β1^t)) m_t/u_t (β1,t = β1 λ^{t−1} in m). v̂ recorded = u_t."""

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.m = np.zeros(d)

    def update(self, x, g, t, a):
        b1t = self.beta1_t(t)
        self.m = b1t * self.m + (1.0 - b1t) * g
        self.vhat = np.maximum(self.h["beta2"] * self.vhat, np.abs(g))
        c1 = 1.0 - self.h["beta1"] ** t
        return x - (a / c1) * self.safe_div(self.m, self.vhat), self.vhat.copy()


class RefAMSGrad(RefOptimizer):
    """Reddi, Kale & Kumar (ICLR 2018) Algorithm 2: m_t = β1t m + (1 − β1t) g; v_t = β2 v + (1 − β2) g²;
    v̂_t = max(v̂_{t−1}, v_t); x_{t+1} = Π_{F,√V̂_t}(x_t − α_t m_t/√v̂_t) (+ε outside the root).
    bias_correction: torch's Adam(amsgrad=True), x̂ = x − (α_t/(1 − β1^t)) m/(√v̂/√(1 − β2^t) + ε)."""

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.m = np.zeros(d)
        self.v = np.zeros(d)

    def update(self, x, g, t, a):
        b1t, b2 = self.beta1_t(t), self.h["beta2"]
        self.m = b1t * self.m + (1.0 - b1t) * g
        self.v = b2 * self.v + (1.0 - b2) * g * g
        self.vhat = np.maximum(self.vhat, self.v)
        if self.h["bias_correction"]:
            c1, c2 = 1.0 - self.h["beta1"] ** t, 1.0 - b2 ** t
            den = np.sqrt(self.vhat) / math.sqrt(c2) + self.h["eps"]
            return x - (a / c1) * self.safe_div(self.m, den), den
        den = np.sqrt(self.vhat) + self.h["eps"]
        return x - a * self.safe_div(self.m, den), den


class RefAdamX(RefOptimizer):
    """Phuong & Phong (IEEE Access 2019, arXiv:1904.03590) Algorithm 2 (AdamX): AMSGrad with
    v̂_1 = v_1 and v̂_t = max((1 − β1,t)²/(1 − β1,t−1)² v̂_{t−1}, v_t) for t ≥ 2."""

    def __init__(self, spec, d):
        super().__init__(spec, d)
        self.m = np.zeros(d)
        self.v = np.zeros(d)

    def update(self, x, g, t, a):
        b1t, b2 = self.beta1_t(t), self.h["beta2"]
        self.m = b1t * self.m + (1.0 - b1t) * g
        self.v = b2 * self.v + (1.0 - b2) * g * g
        if t == 1:
            self.vhat = self.v.copy()
        else:
            ratio = (1.0 - b1t) / (1.0 - self.beta1_t(t - 1))
            self.vhat = np.maximum(ratio * ratio * self.vhat, self.v)
        den = np.sqrt(self.vhat) + self.h["eps"]
        return x - a * self.safe_div(self.m, den), den


REFERENCE = {
    "sgd": RefSGD, "momentum": RefMomentum, "nesterov": RefNesterov, "adagrad": RefAdaGrad,
    "rmsprop": RefRMSProp, "rmsprop_momentum": RefRMSPropMomentum, "adam": RefAdam,
    "adamax": RefAdaMax, "amsgrad": RefAMSGrad, "adamx": RefAdamX,
}


def step_sizes(spec, T):
    """α_1..α_T: constant α, α/√t, or the user's array."""
    sched = spec.schedule
    if isinstance(sched, str):
        if sched == "constant":
            return [spec.alpha] * T
        return [spec.alpha / math.sqrt(t) for t in range(1, T + 1)]
    return [float(v) for v in np.asarray(sched)[:T]]


# ------------------------------------------------------------------------------------------------
# the loop
# ------------------------------------------------------------------------------------------------


def reference_run(spec, inst, T, x0=None):
    """Run the optimizer spec on the instance for T rounds; every per-round statistic, as lists.

    Returns a dict of arrays indexed by round: ``iterates`` (T+1, d) x_1..x_{T+1}, ``losses`` (T,),
    ``cum_loss`` (T,) Σ_{s≤t} f_s(x_s) (exactly rounded, math.fsum), ``gsq`` (T, d) Σ_{s≤t} g_s², ``G``
    and ``G_inf`` (T,) max_{s≤t} ‖g_s‖₂ and ‖g_s‖∞, ``step_ratio`` (T,) max_{s≤t} max_i |Δ_{s,i}|/α_s with
    Δ_s = x̂_{s+1} − x_s (before projection), ``x_min``/``x_max`` (T, d) over x_1..x_t, ``vhat`` (T, d).
    """
    d = inst.d
    x = (inst.start() if x0 is None else np.asarray(x0, dtype=np.float64)).copy()
    opt = REFERENCE[spec.name](spec, d)
    alphas = step_sizes(spec, T)
    rec = {k: [] for k in ("losses", "cum_loss", "gsq", "G", "G_inf", "step_ratio", "x_min", "x_max",
                           "vhat")}
    iterates = [x.copy()]
    gsq = np.zeros(d)
    played = []
    G = Ginf = ratio = 0.0
    for t in range(1, T + 1):
        row = int(inst.idx[t - 1])
        f, g = loss_value_grad(inst.family, inst.A[row], inst.b[row], x)
        played.append(x.copy())
        rec["losses"].append(f)
        rec["cum_loss"].append(math.fsum(rec["losses"]))
        gsq = gsq + g * g
        rec["gsq"].append(gsq.copy())
        G = max(G, float(np.linalg.norm(g)))
        Ginf = max(Ginf, float(np.max(np.abs(g))))
        rec["G"].append(G)
        rec["G_inf"].append(Ginf)
        a = alphas[t - 1]
        xh, w = opt.update(x, g, t, a)
        ratio = max(ratio, float(np.max(np.abs(xh - x))) / a)
        rec["step_ratio"].append(ratio)
        rec["vhat"].append(np.array(opt.vhat, dtype=np.float64).copy())
        pts = np.array(played)
        rec["x_min"].append(pts.min(axis=0))
        rec["x_max"].append(pts.max(axis=0))
        x = project(inst.domain, xh, w if opt.adaptive else None)
        iterates.append(x.copy())
    out = {k: np.array(v) for k, v in rec.items()}
    out["iterates"] = np.array(iterates)
    return out
