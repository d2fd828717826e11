"""Run statistics that appear inside the bounds, each a sympy symbol with
* its definition (a sympy expression, used when the bound is displayed),
* how to compute it from a run (an (S, K) array, or (S, K, d) for per-coordinate lemmas),
* its worst case in T under the theorems' hypotheses (used by ``order()``: e.g.
  ‖g_{1:T,i}‖₂ ≤ G∞√T, as Kingma & Ba's Corollary 4.2 does).

A bound is ONE sympy expression in the symbols of :mod:`.symbols` and these.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

from . import symbols as Q
from .context import Context, Unavailable, expected_abs_walk


@dataclass(frozen=True, eq=False)
class Statistic:
    symbol: sp.Symbol
    latex: str
    text: str
    definition: sp.Expr
    worst: sp.Expr | None  # None for the measured left-hand sides, which never enter a bound
    evaluate: Callable[[Context], np.ndarray]
    per_coordinate: bool = False


REGISTRY: dict[sp.Symbol, Statistic] = {}


def _stat(name, latex, text, definition, worst, evaluate, per_coordinate=False) -> Statistic:
    sym = sp.Symbol(name, nonnegative=True)
    st = Statistic(sym, latex, text, definition, worst, evaluate, per_coordinate)
    REGISTRY[sym] = st
    return st


def _cum_at_checkpoints(ctx: Context, per_round: np.ndarray) -> np.ndarray:
    """(S, T, ...) per-round terms → (S, K, ...) partial sums Σ_{t≤T'} at the checkpoints."""
    cs = np.cumsum(per_round, axis=1)
    return cs[:, ctx.run.checkpoints - 1]


# -- Σ_i ‖g_{1:T,i}‖₂ ---------------------------------------------------------------------------------
SUM_G = _stat(
    "Sigma_g", r"\sum_{i=1}^{d}\|g_{1:T,i}\|_2", "Σ_i ‖g_{1:T,i}‖₂",
    sp.Sum(Q.gnorm_(Q.i), (Q.i, 1, Q.d)),
    Q.d * Q.G_inf * sp.sqrt(Q.T),  # ‖g_{1:T,i}‖₂ ≤ G∞√T (Kingma & Ba, Corollary 4.2)
    lambda ctx: ctx.run.sum_grad_norms)

# -- Σ_i √(T v̂_{T,i}) and Σ_i √v̂_{T,i} ---------------------------------------------------------------
SUM_SQRT_TV = _stat(
    "Sigma_sqrtTv", r"\sum_{i=1}^{d}\sqrt{T\hat{v}_{T,i}}", "Σ_i √(T·v̂_{T,i})",
    sp.Sum(sp.sqrt(Q.T * Q.vhat_[Q.T, Q.i]), (Q.i, 1, Q.d)),
    Q.d * Q.G_inf * sp.sqrt(Q.T),  # v̂_{T,i} ≤ G∞² (a convex combination / a max of g²)
    lambda ctx: ctx.run.sum_sqrt_T_vhat)

SUM_SQRT_V = _stat(
    "Sigma_sqrtv", r"\sum_{i=1}^{d}\hat{v}_{T,i}^{1/2}", "Σ_i √v̂_{T,i}",
    sp.Sum(sp.sqrt(Q.vhat_[Q.T, Q.i]), (Q.i, 1, Q.d)),
    Q.d * Q.G_inf,
    lambda ctx: np.sqrt(ctx.run.vhat).sum(axis=-1))


# -- Σ_t Σ_i β1,t √v̂_{t,i} / α_t (Reddi et al. Theorem 4's middle term) -----------------------------
def _beta_t(ctx: Context) -> np.ndarray:
    """β1,t = β1 λ^{t−1}, t = 1..T (the optimizer's schedule, regret.optimizers.steps.step)."""
    b1 = float(getattr(ctx.opt, "beta1", 0.0))
    lam = float(getattr(ctx.opt, "lam", 1.0))
    return b1 * lam ** np.arange(ctx.run.T, dtype=np.float64)


def _sum_beta_v(ctx: Context) -> np.ndarray:
    b = _beta_t(ctx)
    if not np.any(b):
        return np.zeros((ctx.S, ctx.K))  # every β1,t = 0: the term is 0 whatever v̂_t is
    vh = ctx.vhat_history()  # (S, T, d)
    per_round = b[None, :] * np.sqrt(vh).sum(axis=-1) / ctx.alphas()[None, :]
    return _cum_at_checkpoints(ctx, per_round)


SUM_BETA_V = _stat(
    "Sigma_beta_v", r"\sum_{t=1}^{T}\sum_{i=1}^{d}\frac{\beta_{1t}\hat{v}_{t,i}^{1/2}}{\alpha_t}",
    "Σ_t Σ_i β1,t √v̂_{t,i} / α_t",
    sp.Sum(sp.Sum(Q.beta1t_[Q.t] * sp.sqrt(Q.vhat_[Q.t, Q.i]) * sp.sqrt(Q.t) / Q.alpha, (Q.i, 1, Q.d)),
           (Q.t, 1, Q.T)),
    # √v̂ ≤ G∞, α_t = α/√t, β1,t = β1λ^{t−1}, Σ_t λ^{t−1}√t ≤ Σ_t λ^{t−1} t = 1/(1−λ)² (Reddi et al. Cor. 1)
    Q.d * Q.G_inf * Q.beta1 / (Q.alpha * (1 - Q.lam) ** 2),
    _sum_beta_v)


# -- Σ_{t=2}^T β1,t √(t−1) (Phuong & Phong Theorem 5.1) ---------------------------------------------
def _sum_beta_sqrt(ctx: Context) -> np.ndarray:
    b = _beta_t(ctx)
    per_round = b * np.sqrt(np.arange(ctx.run.T, dtype=np.float64))  # t = 1 contributes √0 = 0
    out = np.cumsum(per_round)[ctx.run.checkpoints - 1]
    return np.broadcast_to(out[None, :], (ctx.S, ctx.K))


SUM_BETA_SQRT = _stat(
    "Sigma_beta_sqrt", r"\sum_{t=2}^{T}\beta_{1,t}\sqrt{t-1}", "Σ_{t=2}^T β1,t √(t−1)",
    sp.Sum(Q.beta1t_[Q.t] * sp.sqrt(Q.t - 1), (Q.t, 2, Q.T)),
    # β1,t = β1λ^{t−1}: Σ_{s≥1} λ^s √s ≤ Σ_s λ^s s = λ/(1−λ)²
    Q.beta1 * Q.lam / (1 - Q.lam) ** 2,
    _sum_beta_sqrt)

# -- E|S_T| of the simple random walk (Hazan Theorem 3.2's instance) ------------------------------
_m = sp.ceiling(Q.T / 2)
EXPECTED_WALK = _stat(
    "E_abs_S", r"\mathbb{E}|S_T|", "E|S_T| = 2m·C(2m,m)/4^m, m = ⌈T/2⌉",
    2 * _m * sp.binomial(2 * _m, _m) / 4 ** _m,
    # exact for even T (m = T/2); sympy finds its growth √(2T/π)
    Q.T * sp.binomial(Q.T, Q.T / 2) / 2 ** Q.T,
    lambda ctx: np.broadcast_to(expected_abs_walk(ctx.T), (ctx.S, ctx.K)))


# -- per-coordinate trajectory sums (Kingma & Ba, Lemmas 10.3 and 10.4) ----------------------------
GNORM_I = _stat(
    "gnorm_i", r"\|g_{1:T,i}\|_2", "‖g_{1:T,i}‖₂ (each coordinate i)",
    sp.sqrt(sp.Sum(Q.g_[Q.t, Q.i] ** 2, (Q.t, 1, Q.T))),
    Q.G_inf * sp.sqrt(Q.T),
    lambda ctx: ctx.run.grad_norms, per_coordinate=True)


def _lemma_10_3_lhs(ctx: Context) -> np.ndarray:
    g = ctx.gradients  # (S, T, d)
    tt = np.arange(1, ctx.run.T + 1, dtype=np.float64)[None, :, None]
    return _cum_at_checkpoints(ctx, np.sqrt(g * g / tt))


LEMMA_10_3_LHS = _stat(
    "S_10_3", r"\sum_{t=1}^{T}\sqrt{g_{t,i}^2/t}", "Σ_t √(g_{t,i}²/t) (each i)",
    sp.Sum(sp.sqrt(Q.g_[Q.t, Q.i] ** 2 / Q.t), (Q.t, 1, Q.T)),
    None, _lemma_10_3_lhs, per_coordinate=True)


def m_hat(ctx: Context) -> np.ndarray:
    """(S, T, d) m̂_t of Kingma & Ba Algorithm 1 from the run's gradients:
    m_t = β1,t m_{t−1} + (1 − β1,t) g_t, m̂_t = m_t/(1 − β1^t) (m̂_t = m_t without bias correction)."""
    g = ctx.gradients
    b = _beta_t(ctx)
    b1 = float(getattr(ctx.opt, "beta1", 0.0))
    corr = bool(getattr(ctx.opt, "bias_correction", True))
    out = np.empty_like(g)
    m = np.zeros(g[:, 0].shape)
    for s in range(g.shape[1]):
        m = b[s] * m + (1.0 - b[s]) * g[:, s]
        out[:, s] = m / (1.0 - b1 ** (s + 1)) if corr else m
    return out


def _lemma_10_4_lhs(ctx: Context) -> np.ndarray:
    mh = m_hat(ctx)
    vh = ctx.vhat_history()
    tt = np.arange(1, ctx.run.T + 1, dtype=np.float64)[None, :, None]
    den = np.sqrt(tt * vh)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(mh == 0.0, 0.0, mh * mh / den)  # m̂ = 0 while every g so far was 0: the term is 0
    return _cum_at_checkpoints(ctx, terms)


LEMMA_10_4_LHS = _stat(
    "S_10_4", r"\sum_{t=1}^{T}\frac{\hat{m}_{t,i}^2}{\sqrt{t\hat{v}_{t,i}}}", "Σ_t m̂²_{t,i}/√(t·v̂_{t,i}) (each i)",
    sp.Sum(Q.mhat_[Q.t, Q.i] ** 2 / sp.sqrt(Q.t * Q.vhat_[Q.t, Q.i]), (Q.t, 1, Q.T)),
    None, _lemma_10_4_lhs, per_coordinate=True)


# -- the effective step (Kingma & Ba §2.1 and §7.1) -------------------------------------------------
STEP_RATIO = _stat(
    "step_ratio", r"\max_{t \le T} \max_i |\Delta_{t,i}|/\alpha_t", "max_{t≤T} max_i |Δ_{t,i}|/α_t",
    sp.Symbol("max_t_i_abs_Delta_over_alpha", nonnegative=True),
    None, lambda ctx: ctx.run.step_ratio)


# -- the average regret, for limit statements (R(T)/T → c) ----------------------------------------------
AVERAGE_REGRET = _stat(
    "R_over_T", r"R(T)/T", "R(T)/T", sp.Symbol("R", real=True) / Q.T,
    None, lambda ctx: regret(ctx) / np.asarray(ctx.run.checkpoints, dtype=np.float64))


def regret(ctx: Context) -> np.ndarray:
    """(S, K) the measured regret R(T')."""
    if ctx.run.comparator is None:
        raise Unavailable("needs the regret: run with comparator=True")
    return ctx.run.regret


def certificate(ctx: Context) -> np.ndarray:
    """(S, K) the comparator's certificate (the regret is known to within it)."""
    return ctx.run.certificate


__all__ = ["Statistic", "REGISTRY", "SUM_G", "SUM_SQRT_TV", "SUM_SQRT_V", "SUM_BETA_V", "SUM_BETA_SQRT",
           "EXPECTED_WALK", "GNORM_I", "LEMMA_10_3_LHS", "LEMMA_10_4_LHS", "STEP_RATIO", "AVERAGE_REGRET",
           "Unavailable"]
