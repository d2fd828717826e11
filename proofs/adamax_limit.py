"""AdaMax as the p → ∞ limit of the L^p update.

Source: Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §7.1, eqs. (6)–(12). With the decay rate β2^p,
v_t = (1 − β2^p) Σ_{i≤t} β2^{p(t−i)} |g_i|^p, and

    u_t := lim_{p→∞} v_t^{1/p} = max_{i≤t} β2^{t−i}|g_i|,      u_t = max(β2 u_{t−1}, |g_t|), u_0 = 0.

Argument, with a_i = β2^{t−i}|g_i| ≥ 0 and M = max_i a_i (β2 ∈ (0, 1)):
1. (1 − β2^p)^{1/p} → 1 (sympy, β2 = e^{−a}), so the prefactor does not change the limit.
2. Sandwich: M^p ≤ Σ_i a_i^p ≤ t·M^p (one term is M^p, every term is between 0 and M^p), hence
   M ≤ (Σ a_i^p)^{1/p} ≤ t^{1/p} M, and t^{1/p} → 1 (sympy): the limit is M for every t.
3. t = 2 in closed form: with a_2 = a_1 e^{−s} (s > 0), a_1^p + a_2^p = a_1^p(1 + e^{−sp}) and
   (1 + e^{−sp})^{1/p} → 1 (sympy); t = 3 at rational values (sympy's limit gives the max).
4. The recursion: by induction, max_{i≤t} β2^{t−i}|g_i| = max(β2·max_{i≤t−1} β2^{t−1−i}|g_i|, |g_t|)
   because β2 > 0 commutes with max (sympy: β·max(x, x+d) = max(βx, β(x+d)) for d ≥ 0).

Numeric (engine): AdaMax's recorded state (its v̂ is u) equals the closed form max_i β2^{t−i}|g_i|
computed from the recomputed gradients, to 1e-12 relative, at every round of logistic and
least-squares trajectories; and the L^p quantity v_t^{1/p} (evaluated in log space) lies in the
sandwich (1−β2^p)^{1/p}·[1, t^{1/p}]·u_t for p = 10, 100, 1000, its gap to u_t shrinking with p.
"""
import numpy as np
import sympy as sp
from scipy.special import logsumexp

import regret
from regret.theory.proofs_runner import Proof


def closed_form_u(g: np.ndarray, beta2: float) -> np.ndarray:
    """(T, d) max_{i≤t} β2^{t−i}|g_i| evaluated directly (O(T²)), not by the recursion."""
    T = g.shape[0]
    out = np.empty_like(g)
    absg = np.abs(g)
    for t in range(1, T + 1):
        w = beta2 ** np.arange(t - 1, -1, -1, dtype=np.float64)
        out[t - 1] = np.max(w[:, None] * absg[:t], axis=0)
    return out


def check(ctx, beta2=0.95, T=400, ps=(10, 100, 1000), closed_form=closed_form_u):
    p, a, s, x = sp.symbols("p a s x", positive=True)
    t = sp.Symbol("t", positive=True)
    pre = sp.limit((1 - sp.exp(-a * p)) ** (1 / p), p, sp.oo)
    ctx.symbolic("(1 − β2^p)^{1/p} → 1 as p → ∞ (β2 = e^{−a} ∈ (0, 1))", pre == 1, limit=str(pre))
    root = sp.limit(t ** (1 / p), p, sp.oo)
    ctx.symbolic("t^{1/p} → 1: the sandwich M ≤ (Σa_i^p)^{1/p} ≤ t^{1/p}M squeezes the limit to M", root == 1,
                 limit=str(root))
    a2p = sp.powsimp(sp.expand_power_base((x * sp.exp(-s)) ** p, force=True), force=True)
    fact = sp.simplify(x ** p + a2p - x ** p * (1 + sp.exp(-s * p)))
    lim2 = sp.limit((1 + sp.exp(-s * p)) ** (1 / p), p, sp.oo)
    ctx.symbolic("t = 2: a_1^p + (a_1e^{−s})^p = a_1^p(1 + e^{−sp}) and (1 + e^{−sp})^{1/p} → 1, so the limit is a_1",
                 fact == 0 and lim2 == 1, factor_residual=str(fact), limit=str(lim2))
    vals = [sp.Rational(1, 2), sp.Rational(3, 4), sp.Rational(2, 3)]
    lim3 = sp.limit(sum(v ** p for v in vals) ** (1 / p), p, sp.oo)
    ctx.symbolic("t = 3 at (1/2, 3/4, 2/3): the limit is the max 3/4", lim3 == max(vals), limit=str(lim3))
    b, d = sp.symbols("beta d", positive=True)
    comm = sp.simplify(b * sp.Max(x, x + d) - sp.Max(b * x, b * (x + d)))
    ctx.symbolic("β·max(x, y) = max(βx, βy) for β > 0: the recursion u_t = max(β2u_{t−1}, |g_t|) unrolls to the max",
                 comm == 0, residual=str(comm))

    opt = regret.optimizer("adamax", alpha=0.02, beta1=0.9, beta2=beta2)
    devs, sandwich_ok, gaps = [], True, {q: 0.0 for q in ps}
    for name, kw in (("logistic", {"d": 4}), ("least_squares", {"d": 4})):
        for seed in (0, 1):
            tr = ctx.trajectory(opt, regret.problem(name, **kw), T, seed=seed)
            u_closed = closed_form(tr.g, beta2)
            u_engine = tr.vhat
            scale = np.maximum(np.abs(u_closed), 1e-300)
            devs.append(float(np.max(np.abs(u_engine - u_closed) / scale)))
            # the L^p quantity in log space: log v_t^{1/p} = (log(1−β2^p) + logsumexp_i p·log a_i)/p
            absg = np.abs(tr.g)
            nz = u_engine > 0
            for q in ps:
                for tt in range(1, T + 1, 37):
                    la = np.log(np.maximum(absg[:tt], 1e-300)) + np.log(beta2) * np.arange(tt - 1, -1, -1)[:, None]
                    lv = (np.log1p(-beta2 ** q) + logsumexp(q * la, axis=0)) / q
                    root_p = np.exp(lv)
                    u = u_engine[tt - 1]
                    pref = (1 - beta2 ** q) ** (1 / q)
                    lo, hi = pref * u, pref * tt ** (1 / q) * u
                    m = nz[tt - 1]
                    sandwich_ok &= bool(np.all(root_p[m] >= lo[m] * (1 - 1e-12)) and np.all(root_p[m] <= hi[m] * (1 + 1e-12)))
                    gaps[q] = max(gaps[q], float(np.max(np.abs(root_p[m] / u[m] - 1)) if m.any() else 0.0))
    ctx.numeric("engine: AdaMax's u_t (recursion) = max_i β2^{t−i}|g_i| (closed form) at every round, rel. 1e-12",
                max(devs) <= 1e-12, max_relative_deviation=max(devs))
    shrinking = all(gaps[ps[n + 1]] < gaps[ps[n]] for n in range(len(ps) - 1))
    ctx.numeric("v_t^{1/p} lies in (1−β2^p)^{1/p}·[1, t^{1/p}]·u_t, and its gap to u_t shrinks as p grows",
                sandwich_ok and shrinking, max_relative_gap={str(q): gaps[q] for q in ps})


PROOF = Proof(
    name="adamax-limit",
    statement="lim_{p→∞} ((1−β2^p)Σ_i β2^{p(t−i)}|g_i|^p)^{1/p} = max_i β2^{t−i}|g_i| = u_t, u_t = max(β2u_{t−1}, |g_t|)",
    citation="Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §7.1, eqs. (6)–(12)",
    check=check,
)


def test_adamax_limit():
    PROOF.assert_holds()
