"""Adam → AdaGrad as β2 → 1 (with bias correction only).

Source: Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §5 "Related work", the AdaGrad correspondence:
with β1 = 0, (1 − β2) → 0 and α_t = α t^{−1/2}, lim_{β2→1} v̂_t = t^{−1} Σ_{i≤t} g_i², and the update
becomes θ_t − α g_t / √(Σ_{i≤t} g_i²), i.e. AdaGrad; the correspondence "does not hold when
removing the bias-correction terms".

Argument (per coordinate, ε = 0).
1. With β1 = 0, m̂_t = g_t, and v̂_t = Σ_i w_i g_i² with weights w_i(β) = (1−β)β^{t−i}/(1−β^t).
   sympy: lim_{β→1} w_i = 1/t for symbolic t and i, so lim v̂_t = (1/t)Σ_i g_i² (a finite sum of limits).
2. The update: (α/√t)·g_t/√((1/t)Σg²) = α g_t/√(Σg²) (sympy simplification) — AdaGrad with the
   constant step α (Duchi et al. 2011).
3. Quantitatively: (1−β^t)/(1−β) = Σ_{k<t} β^k ∈ [tβ^{t−1}, t], so t·w_i ∈ [β^{t−1}, β^{−(t−1)}] and
   |t v̂_t/Σg² − 1| ≤ β^{−(t−1)} − 1 → 0 (sympy: the limit). This bound is checked on the engine.
4. Without bias correction v_t = Σ_i (1−β)β^{t−i} g_i² → 0 (sympy: each weight → 0), and
   |g_t|/√v_t ≥ |g_t|/√((1−β)Σg²) → ∞ (sympy, with β = 1 − δ, δ → 0+): the step blows up instead of
   converging to AdaGrad's. On the engine the first step is exactly |Δ_1|/α_1 = 1/√(1−β2).

Numeric (engine): Adam(β1 = 0, β2 = 1 − δ, ε = 0, α_t = 0.1/√t) against AdaGrad(α = 0.1, ε = 0) on
an online logistic problem (d = 5, box domain, T = 300) for δ = 1e-2, 1e-4, 1e-6: the recorded
t·v̂_t/Σg² is within the bound of step 3 at every round, and max_t |x_t^Adam − x_t^AdaGrad| shrinks
linearly in δ (log-log slope between successive δ in [0.8, 1.2] — an observed rate, not a proved one).
"""
import numpy as np
import sympy as sp

import regret
from regret.theory.proofs_runner import Proof, closed_sum


def check(ctx, deltas=(1e-2, 1e-4, 1e-6), T=300, alpha=0.1):
    b = sp.Symbol("beta", positive=True)
    dlt = sp.Symbol("delta", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    a, g, G = sp.Symbol("alpha", positive=True), sp.Symbol("g", real=True), sp.Symbol("G", positive=True)

    w = (1 - b) * b ** (t - i) / (1 - b ** t)
    lim_w = sp.limit(w.subs(b, 1 - dlt), dlt, 0, "+")
    ctx.symbolic("lim_{β2→1} (1−β2)β2^{t−i}/(1−β2^t) = 1/t, so lim v̂_t = (1/t)Σ g_i²",
                 sp.simplify(lim_w - 1 / t) == 0, limit=str(lim_w))
    upd = sp.simplify(a / sp.sqrt(t) * g / sp.sqrt(G / t) - a * g / sp.sqrt(G))
    ctx.symbolic("(α/√t)·g_t/√((1/t)Σg²) = α g_t/√(Σg²): AdaGrad's update", upd == 0, residual=str(upd))
    lo_hi = sp.limit((1 - dlt) ** (-(t - 1)) - 1, dlt, 0, "+")
    ctx.symbolic("the deviation bound β^{−(t−1)} − 1 tends to 0 as β → 1", lo_hi == 0, limit=str(lo_hi))
    k, j, l = sp.symbols("k j l", integer=True, nonnegative=True)  # 0 ≤ k ≤ t−1, j = t−1−k
    s_ = sp.Symbol("s", positive=True)  # β = 1/(1+s) ranges over (0, 1)
    tele = sp.simplify(closed_sum((1 - b) * b ** l, (l, 0, j - 1)) - (1 - b ** j))
    sign = ((1 - b) * b ** (k + l)).subs(b, 1 / (1 + s_)).is_nonnegative
    ctx.symbolic("β^k − β^{t−1} = β^k(1−β)Σ_{l<t−1−k} β^l ≥ 0, so tβ^{t−1} ≤ Σ_{k<t}β^k ≤ t (β ∈ (0, 1))",
                 tele == 0 and sign is True and (b ** k * (1 - b)).subs(b, 1 / (1 + s_)).is_nonnegative is True,
                 "sympy: the finite geometric sum, and the sign of each term", residual=str(tele), sign=str(sign))
    lim_v = sp.limit(((1 - b) * b ** (t - i)).subs(b, 1 - dlt), dlt, 0, "+")
    blow = sp.limit(1 / sp.sqrt(dlt * G), dlt, 0, "+")
    ctx.symbolic("without bias correction: weights (1−β2)β2^{t−i} → 0 and |g_t|/√((1−β2)Σg²) → ∞",
                 lim_v == 0 and blow == sp.oo, weight_limit=str(lim_v), step_limit=str(blow))

    prob = regret.problem("logistic", d=5, domain="box", radius=5.0)
    ada = ctx.run(regret.optimizer("adagrad", alpha=alpha, eps=0.0), prob, T, record_iterates=True,
                  record_state=True, comparator=False)
    tt = np.arange(1, T + 1, dtype=np.float64)[:, None]
    diffs, rel, bounds = [], [], []
    for delta in deltas:
        # the engine runs β2 = fl(1 − δ); its own 1 − β2 (exact in float64, Sterbenz) is the δ it sees:
        # with the nominal δ the oracle would be off by ~1e-16/δ relative (5e-9 at δ = 1e-8)
        beta2 = 1.0 - delta
        adam = ctx.run(regret.optimizer("adam", alpha=alpha, beta1=0.0, beta2=beta2, eps=0.0,
                                        schedule="sqrt"), prob, T, record_iterates=True, record_state=True,
                       comparator=False)
        diffs.append(float(np.abs(adam.iterates - ada.iterates).max()))
        dev = np.abs(tt * adam.vhat_history[0] / ada.vhat_history[0] - 1.0).max(axis=1)
        bound = beta2 ** (-(tt[:, 0] - 1)) - 1.0
        rel.append(float(dev.max()))
        bounds.append(bool(np.all(dev <= bound + 1e-12)))
    ctx.numeric("|t·v̂_t/Σg² − 1| ≤ β2^{−(t−1)} − 1 at every round, for every δ = 1 − β2", all(bounds),
                "the engine's v̂ of Adam against the engine's AdaGrad accumulator Σg²",
                deltas=list(deltas), max_deviation=rel, bound_at_T=[(1.0 - d_) ** (-(T - 1)) - 1 for d_ in deltas])
    slopes = [float(np.log(diffs[n] / diffs[n + 1]) / np.log(deltas[n] / deltas[n + 1]))
              for n in range(len(deltas) - 1)]
    ctx.numeric("max_t |x_t^Adam − x_t^AdaGrad| → 0 linearly in 1 − β2 (observed log-log slope in [0.8, 1.2])",
                all(0.8 <= s <= 1.2 for s in slopes) and diffs[-1] < diffs[0], deltas=list(deltas),
                max_iterate_difference=diffs, slopes=slopes)

    ratios, expected = [], []
    for delta in deltas:
        beta2 = 1.0 - delta
        nobc = ctx.run(regret.optimizer("adam", alpha=alpha, beta1=0.0, beta2=beta2, eps=0.0,
                                        schedule="sqrt", bias_correction=False), prob, 1, comparator=False)
        ratios.append(float(nobc.step_ratio[0, 0]))
        expected.append(1.0 / np.sqrt(1.0 - beta2))  # 1/√(1 − fl(β2)), the engine's β2
    ctx.numeric("without bias correction the first step is |Δ_1|/α_1 = 1/√(1−β2) (AdaGrad's is 1): it diverges",
                all(abs(r - e) <= 1e-9 * e for r, e in zip(ratios, expected)), deltas=list(deltas),
                measured=ratios, expected=expected)
    ctx.finding(f"iterates of Adam(β1=0, β2=1−δ, bias-corrected) vs AdaGrad, T={T}: max difference "
                + ", ".join(f"{d_:g}: {x:.3g}" for d_, x in zip(deltas, diffs))
                + f"; without bias correction the first step is 1/√δ times α ({', '.join(f'{r:.4g}' for r in ratios)})")
    ctx.not_proved("the convergence rate of the iterates in δ (only observed); the limit is per round t, not uniform in t")


PROOF = Proof(
    name="adagrad-limit",
    statement="β1=0, α_t=α/√t, β2→1: lim v̂_t = (1/t)Σg_i² and the step → α g_t/√Σg_i² (AdaGrad); not without bias correction",
    citation="Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §5",
    check=check,
)


def test_adagrad_limit():
    PROOF.assert_holds()


def test_the_oracle_reads_the_engines_beta2():
    """At δ = 1e-8 the nominal 1/√δ differs from the engine's 1/√(1 − fl(1 − δ)) by 5e-9 relative: the
    oracle must use the latter, or a correct engine FAILS."""
    delta = 1e-8
    assert abs((1.0 - (1.0 - delta)) / delta - 1.0) > 1e-9  # the gap the oracle must not trip on
    Proof(name="adagrad-limit-small-delta", statement=PROOF.statement, citation=PROOF.citation,
          check=lambda ctx: check(ctx, deltas=(1e-6, 1e-7, 1e-8), T=50)).assert_holds()
