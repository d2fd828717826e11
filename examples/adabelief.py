"""AdaBelief as a user's optimizer: written here, outside the package, and run by regret's compiled
engine like a built-in — then checked against an independent numpy implementation.

AdaBelief — Zhuang, Tang, Ding, Tatikonda, Dvornek, Papademetris & Duncan, "AdaBelief Optimizer:
Adapting Stepsizes by the Belief in Observed Gradients" (NeurIPS 2020, arXiv:2010.07468),
Algorithm 2, on one coordinate:

    m_t = β1 m_{t−1} + (1 − β1) g_t
    s_t = β2 s_{t−1} + (1 − β2)(g_t − m_t)² + ε
    m̂_t = m_t / (1 − β1^t),   ŝ_t = s_t / (1 − β2^t)
    θ_t = Π_{F, √ŝ_t}(θ_{t−1} − α_t m̂_t / (√ŝ_t + ε))

(θ_{t−1} is regret's x_t). The projection is in the metric √ŝ_t + ε, the denominator of the step:
that is the ``weight`` below; ŝ_t is the second moment a theorem reads.

Run it:  python examples/adabelief.py        (prints the agreement table)
or from the command line:  regret run --optimizer examples/adabelief.py:AdaBelief:alpha=0.1 ...
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import regret


def update(m, s, g, alpha_t, t, beta1, beta2, eps):
    """Algorithm 2's lines on one coordinate; returns (m_t, s_t, Δ)."""
    m = beta1 * m + (1.0 - beta1) * g
    s = beta2 * s + (1.0 - beta2) * (g - m) * (g - m) + eps
    m_hat = m / (1.0 - beta1 ** t)
    s_hat = s / (1.0 - beta2 ** t)
    return m, s, -alpha_t * m_hat / (math.sqrt(s_hat) + eps)


def weight(s, t, beta2, eps):
    """√ŝ_t + ε: the metric of Π_{F,√ŝ_t} (the step's denominator)."""
    return math.sqrt(s / (1.0 - beta2 ** t)) + eps


def second_moment(s, t, beta2):
    """ŝ_t."""
    return s / (1.0 - beta2 ** t)


@dataclass(frozen=True, eq=False, repr=False)
class AdaBelief(regret.Optimizer):
    """AdaBelief (Zhuang et al., NeurIPS 2020, arXiv:2010.07468), Algorithm 2."""

    name = "adabelief"
    state = ("m", "s")
    update = update
    weight = weight
    second_moment = second_moment
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-16
    schedule: object = "constant"


# ------------------------------------------------------------------------------------------------
# an independent implementation: whole vectors in numpy, its own losses and projections
# ------------------------------------------------------------------------------------------------
def _loss_grad(family, a, b, x):
    z = a @ x
    if family == "linear":
        return z, a
    if family == "least_squares":
        return 0.5 * (z - b) ** 2, (z - b) * a
    if family == "logistic":
        return np.logaddexp(0.0, -b * z), -b * a / (1.0 + np.exp(b * z))
    raise ValueError(family)


def _project_ball_weighted(y, w, center, radius):
    """argmin_x Σ w_i (x_i − y_i)² s.t. ‖x − c‖ ≤ r: x − c = w (y − c)/(w + μ), μ ≥ 0 by bisection."""
    u = y - center
    if np.linalg.norm(u) <= radius:
        return y.copy()
    lo, hi = 0.0, 1.0
    while np.linalg.norm(w * u / (w + hi)) > radius:
        hi *= 2.0
    while True:  # until lo and hi are adjacent doubles
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        if np.linalg.norm(w * u / (w + mid)) > radius:
            lo = mid
        else:
            hi = mid
    return center + w * u / (w + hi)


def adabelief_numpy(opt, family, A, b, idx, domain, x1):
    """The online loop with AdaBelief on whole vectors: returns the iterates x_1..x_{T+1} and the
    losses f_t(x_t). ``domain`` is ('box', lo, hi) or ('ball', center, radius)."""
    x = np.array(x1, dtype=np.float64)
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    xs, fs = [x.copy()], []
    for t, row in enumerate(idx, start=1):
        f, g = _loss_grad(family, A[row], b[row], x)
        fs.append(f)
        alpha_t = opt.alpha / math.sqrt(t) if opt.schedule == "sqrt" else opt.alpha
        m = opt.beta1 * m + (1 - opt.beta1) * g
        s = opt.beta2 * s + (1 - opt.beta2) * (g - m) ** 2 + opt.eps
        s_hat = s / (1 - opt.beta2 ** t)
        den = np.sqrt(s_hat) + opt.eps
        y = x - alpha_t * (m / (1 - opt.beta1 ** t)) / den
        if domain[0] == "box":
            x = np.clip(y, domain[1], domain[2])
        else:
            x = _project_ball_weighted(y, den, domain[1], domain[2])
        xs.append(x.copy())
    return np.array(xs), np.array(fs)


def agreement(T=300, d=4, seed=0):
    """Max relative difference between regret's engine and the numpy implementation, over three
    loss families × two domains: {(family, domain): (iterates, losses, rounds ending on the boundary)}."""
    rng = np.random.default_rng(seed)
    out = {}
    opt = AdaBelief(alpha=0.05, beta1=0.8, beta2=0.95, eps=1e-8, schedule="sqrt")
    for family in ("linear", "least_squares", "logistic"):
        A = rng.standard_normal((20, d))
        b = rng.choice([-1.0, 1.0], size=20) if family == "logistic" else rng.standard_normal(20)
        idx = rng.integers(0, 20, size=T)
        center = 0.1 * rng.standard_normal(d)
        for dom, spec in (("box", ("box", -0.1, 0.15)), ("ball", ("ball", center, 0.4))):
            domain = regret.box(d, -0.1, 0.15) if dom == "box" else regret.ball(d, 0.4, center=center)
            inst = regret.from_arrays(family, domain, A, b, idx=idx, name=f"adabelief-{family}-{dom}")
            res = regret.run(opt, inst, T, record_iterates=True, comparator=False)
            xs, fs = adabelief_numpy(opt, family, A, b, idx, spec, inst.start())
            err_x = np.max(np.abs(res.iterates[0] - xs)) / max(1.0, np.max(np.abs(xs)))
            err_f = np.max(np.abs(res.losses[0] - fs)) / max(1.0, np.max(np.abs(fs)))
            if dom == "box":  # rounds that end on the boundary: the projection was active there
                active = int(np.sum(np.any((xs[1:] == -0.1) | (xs[1:] == 0.15), axis=1)))
            else:
                active = int(np.sum(np.abs(np.linalg.norm(xs[1:] - center, axis=1) - 0.4) < 1e-12))
            out[(family, dom)] = (float(err_x), float(err_f), active)
    return out


if __name__ == "__main__":
    print("AdaBelief through regret's engine vs numpy, max relative difference (T = 300, d = 4):")
    for (family, dom), (ex, ef, active) in agreement().items():
        print(f"  {family:14s} {dom:5s} iterates {ex:.1e}  losses {ef:.1e}  ({active} of 300 rounds end on the boundary)")
    res = regret.run(AdaBelief(alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt"), regret.problem("reddi", C=3),
                     T=100_000)
    print(f"Reddi et al.'s Theorem 1 sequence, T = 1e5: R(T)/T = {res.regret[0, -1] / res.T:.4f}, "
          f"x_(T+1) = {res.x_final[0, 0]:+.4f}")
    # With β1 = 0, m_t = g_t and s_t = β2 s_{t−1} + ε: the denominator is ~√ε, every step jumps to a
    # vertex, x_{t+1} = −sign(g_t). On (C, −1, −1) the learner sits at +1, −1, +1 and suffers
    # C + 1 − 1 = 3 per period against −1 for x* = −1: R(T)/T → 4/3.
