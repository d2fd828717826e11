"""The effective step of Adam: what is true of Kingma & Ba's §2.1 bound.

Source: Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §2.1 "Adam's update rule". With ε = 0 the
effective step is Δ_t = α·m̂_t/√v̂_t, and the paper states (without proof)

    |Δ_t| ≤ α(1−β1)/√(1−β2)  if (1−β1) > √(1−β2),   |Δ_t| ≤ α  otherwise        (P(β1, β2))

("typically |Δ_t| ⪅ α"; the first case "only happens in the most severe case of sparsity").

What is proved here (per coordinate, constant β1, ε = 0, bias correction as in Algorithm 1):

1. Single spike (g_i = 0 for i < t): |m̂_t|/√v̂_t = (1−β1)√(1−β2^t)/((1−β1^t)√(1−β2)) → (1−β1)/√(1−β2)
   as t → ∞ (sympy). This is the paper's first case.
2. The exact supremum over all gradient sequences: with γ' = β1²/β2,

       sup_g |m̂_t|/√v̂_t = B_t = (1−β1)/(1−β1^t) · √((1−β2^t)/(1−β2)) · √(Σ_{k<t} γ'^k).

   Upper bound: m_t = Σ_k c_k g_k, v_t = Σ_k w_k g_k² (c_k = (1−β1)β1^{t−k}, w_k = (1−β2)β2^{t−k}),
   Cauchy–Schwarz |Σ c_k g_k| ≤ √(Σ c_k²/w_k)·√v_t (Lagrange's identity, checked by sympy for n = 5),
   and Σ c_k²/w_k = (1−β1)²/(1−β2)·Σ γ'^k (sympy). Attained by g_k = (β1/β2)^{t−k} (sympy: m_t²/v_t
   equals the bound exactly).
3. Consequences (sympy): if γ' < 1, B_t² is a continuous function of β1^t, β2^t, γ'^t, which all tend
   to 0, so lim_t B_t² = (1−β1)²/((1−β2)(1−γ')), and
   - in case 1, lim B_t² − P² = P²·γ'/(1−γ') > 0 whenever β1 > 0;
   - in case 2, lim B_t² − 1 = (β1 − β2)²/((1−β2)(β2 − β1²)) > 0 whenever β1 ≠ β2;
   - β1 = β2 gives B_t = 1 for every t; β1 = 0 gives B_t = √((1−β2^t)/(1−β2)) ≤ P.
   If γ' ≥ 1, Σ γ'^k ≥ t and B_t → ∞.
   So P bounds |Δ_t|/α for every gradient sequence and every t if and only if β1 = 0 or β1 = β2;
   for any other (β1, β2) some gradient sequence exceeds it, and when β1² ≥ β2 (allowed by
   Theorem 4.1's γ = β1²/√β2 < 1, e.g. β1 = 0.9, β2 = 0.7) the step is unbounded.

Numeric (engine, ε = 0): (a) the sequences of step 2, as linear losses whose gradients are the data,
reach the supremum B_t to 1e-9 and exceed P where step 3 says so — with the defaults β1 = 0.9,
β2 = 0.999 the step reaches ≈ 7.3α against the stated 3.16α; (b) on ordinary problems (logistic,
least squares, hinge, Huber, linear, sparse logistic; 3 seeds, T = 2000) the measured
max_t |Δ_t|/α_t never exceeds B_t, and the cases where it exceeds the paper's P are reported.
"""
import numpy as np
import sympy as sp

import regret
from regret.theory.audit import adam_step_sup, effective_steps, paper_step_bound
from regret.theory.proofs_runner import Proof, closed_sum

WORST_CASES = ((0.9, 0.999, 6000), (0.9, 0.99, 2000), (0.5, 0.9, 300), (0.9, 0.85, 300), (0.9, 0.5, 40),
               (0.0, 0.9, 200), (0.8, 0.8, 200))
TYPICAL_CONFIGS = ((0.9, 0.999), (0.9, 0.99), (0.5, 0.9), (0.0, 0.1))
TYPICAL_PROBLEMS = (("logistic", {"d": 10}), ("least_squares", {"d": 10}), ("hinge", {"d": 10}),
                    ("huber", {"d": 10}), ("linear", {"d": 10, "drift": 1.0}), ("sparse-logistic", {"d": 50}))


def worst_case_gradients(beta1, beta2, t_star):
    """g_i = (β1/β2)^{t*−i}, i = 1..t*, set to 0 where g_i² would leave the normal float64 range
    (those terms carry a weight below 1e-250 of the sum)."""
    e = np.arange(t_star - 1, -1, -1, dtype=np.float64)
    logr = np.log(beta1 / beta2) if beta1 > 0 else -np.inf
    with np.errstate(invalid="ignore"):
        logg = e * logr
    g = np.where((np.abs(2 * logg) < 600) | (e == 0), np.exp(np.where(e == 0, 0.0, logg)), 0.0)
    return g


def check(ctx, paper_bound=paper_step_bound, sup=adam_step_sup, T_typical=2000, seeds=3):
    b1, b2, gp, G, g = sp.symbols("beta1 beta2 gamma_p G g", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    a = sp.Symbol("a", positive=True)

    # 1. single spike
    spike2 = ((1 - b1) * g / (1 - b1 ** t)) ** 2 / ((1 - b2) * g ** 2 / (1 - b2 ** t))
    ctx.identity("single spike: (m̂_t/√v̂_t)² = (1−β1)²(1−β2^t)/((1−β1^t)²(1−β2))", spike2,
                 (1 - b1) ** 2 * (1 - b2 ** t) / ((1 - b1 ** t) ** 2 * (1 - b2)))
    ctx.symbolic("β^t → 0 for β = e^{−a} ∈ (0, 1): the spike ratio → (1−β1)/√(1−β2), the paper's first case "
                 "(and B_t → its limit in step 3)",
                 sp.limit(sp.exp(-a * t), t, sp.oo) == 0)

    # 2. the supremum: Cauchy–Schwarz, the weight sum, attainment
    n = 5
    xs, ys = sp.symbols(f"x1:{n + 1}"), sp.symbols(f"y1:{n + 1}")
    lag = (sum(x * x for x in xs) * sum(y * y for y in ys) - sum(x * y for x, y in zip(xs, ys)) ** 2
           - sum((xs[p] * ys[q] - xs[q] * ys[p]) ** 2 for p in range(n) for q in range(p + 1, n)))
    ctx.symbolic("Cauchy–Schwarz via Lagrange's identity (ΣxΣy² − (Σxy)² = Σ_{p<q}(x_p y_q − x_q y_p)², n = 5)",
                 sp.expand(lag) == 0, "with x_k = c_k/√w_k, y_k = √w_k g_k: |m_t| ≤ √(Σc_k²/w_k)·√v_t")
    geo = closed_sum(gp ** k, (k, 0, t - 1))
    weight_sum = (1 - b1) ** 2 / (1 - b2) * geo  # Σ_k c_k²/w_k with c_k²/w_k = (1−β1)²/(1−β2)·γ'^{t−k}
    term = ((1 - b1) * b1 ** k) ** 2 / ((1 - b2) * b2 ** k)
    ctx.identity("c_k²/w_k = (1−β1)²/(1−β2)·(β1²/β2)^{t−k}", term, (1 - b1) ** 2 / (1 - b2) * (b1 ** 2 / b2) ** k)
    ctx.identity("Σ_{k<t} γ'^k = (1−γ'^t)/(1−γ') (sympy summation, γ' ≠ 1)", geo, (1 - gp ** t) / (1 - gp))
    # attainment: g_{t−k} = (β1/β2)^k gives c·g = (1−β1)γ'^k and w·g² = (1−β2)γ'^k
    ctx.identity("g_{t−k} = (β1/β2)^k: β1^k·(β1/β2)^k = γ'^k and β2^k·(β1/β2)^{2k} = γ'^k",
                 sp.powsimp(b1 ** k * (b1 / b2) ** k - b2 ** k * (b1 / b2) ** (2 * k), force=True), 0)
    m_eq, v_eq = (1 - b1) * G, (1 - b2) * G  # G = Σ_{k<t} γ'^k
    ctx.identity("equality: m_t²/v_t = (1−β1)²/(1−β2)·Σγ'^k, the Cauchy–Schwarz bound", m_eq ** 2 / v_eq,
                 (1 - b1) ** 2 / (1 - b2) * G)

    # 3. consequences
    Binf2 = (1 - b1) ** 2 / ((1 - b2) * (1 - b1 ** 2 / b2))
    P1 = (1 - b1) ** 2 / (1 - b2)
    ctx.identity("case 1: lim B² − P² = P²γ'/(1−γ') (> 0 iff β1 > 0)", Binf2 - P1, P1 * (b1 ** 2 / b2) / (1 - b1 ** 2 / b2))
    ctx.identity("case 2: lim B² − 1 = (β1−β2)²/((1−β2)(β2−β1²)) (> 0 iff β1 ≠ β2)", Binf2 - 1,
                 (b1 - b2) ** 2 / ((1 - b2) * (b2 - b1 ** 2)))
    bb = sp.Symbol("beta", positive=True)
    Bt2 = (1 - b1) ** 2 / (1 - b1 ** t) ** 2 * (1 - b2 ** t) / (1 - b2) * (1 - (b1 ** 2 / b2) ** t) / (1 - b1 ** 2 / b2)
    ctx.identity("β1 = β2: B_t = 1 for every t", Bt2.subs({b1: bb, b2: bb}), 1)
    ctx.identity("β1 = 0: B_t² = (1−β2^t)/(1−β2) ≤ 1/(1−β2) = P²", (1 - b2 ** t) / (1 - b2) * 1, Bt2.subs(b1, 0))

    # numeric (a): the extremal sequences on the engine
    rows = []
    ok_attain, ok_claim = True, True
    for beta1, beta2, t_star in WORST_CASES:
        g_seq = worst_case_gradients(beta1, beta2, t_star)
        inst = regret.from_arrays("linear", regret.unbounded(1), g_seq[:, None], name="adam-worst-case")
        opt = regret.optimizer("adam", alpha=1e-3, beta1=beta1, beta2=beta2, eps=0.0)
        res = ctx.run(opt, inst, t_star, comparator=False, record_losses=False)
        measured = float(res.step_ratio[0, -1])
        B = sup(beta1, beta2, t_star)
        P = float(paper_bound(beta1, beta2))
        attained = abs(measured - B[-1]) <= 1e-9 * B[-1] and measured <= B.max() * (1 + 1e-12)
        expect_exceed = not (beta1 == 0.0 or beta1 == beta2)
        ok_attain &= attained
        ok_claim &= (measured > P * (1 + 1e-12)) == expect_exceed
        rows.append({"beta1": beta1, "beta2": beta2, "t": t_star, "measured": measured, "B_t": float(B[-1]),
                     "paper_P": P, "ratio_to_P": measured / P})
    ctx.numeric("engine, extremal sequences g_k = (β1/β2)^{t−k}: max |Δ|/α_t reaches B_t (rel. 1e-9)", ok_attain,
                cases=rows)
    ctx.numeric("engine: the paper's P is exceeded exactly when β1 ∉ {0, β2}", ok_claim, cases=rows)
    for r in rows:
        if r["measured"] > r["paper_P"] * (1 + 1e-12):
            ctx.finding(f"β1={r['beta1']}, β2={r['beta2']}: |Δ_t|/α = {r['measured']:.4g} at t = {r['t']} "
                        f"on g_k = (β1/β2)^(t−k), against the stated bound {r['paper_P']:.4g} "
                        f"({r['ratio_to_P']:.3g}×)")

    # numeric (b): ordinary problems
    within, exceed = True, []
    worst = {}
    for beta1, beta2 in TYPICAL_CONFIGS:
        opt = regret.optimizer("adam", alpha=0.01, beta1=beta1, beta2=beta2, eps=0.0)
        for name, kw in TYPICAL_PROBLEMS:
            res = ctx.run(opt, regret.problem(name, **kw), T_typical, seeds=seeds, comparator=False,
                          record_losses=False)
            au = effective_steps(res)
            au.paper_bound = float(paper_bound(beta1, beta2))
            within &= bool(au.within_sup)
            key = f"β1={beta1}, β2={beta2}"
            worst[key] = max(worst.get(key, 0.0), au.max_ratio)
            if au.exceeds_paper:
                exceed.append(f"{name} ({key}): {au.max_ratio:.4g} > {au.paper_bound:.4g}")
    ctx.numeric(f"ordinary problems ({len(TYPICAL_PROBLEMS)} families × {len(TYPICAL_CONFIGS)} (β1, β2) × "
                f"{seeds} seeds, T = {T_typical}): measured max |Δ_t|/α_t ≤ sup_t B_t", within,
                max_measured=worst)
    if exceed:
        ctx.finding("the stated bound P fails on ordinary trajectories: " + "; ".join(exceed))
    ctx.not_proved("a bound for ε > 0 other than the ε = 0 supremum (ε only shrinks the step), or for a "
                   "decaying β1,t (regret.theory.audit.adam_step_sup computes that supremum too, unverified here)")


PROOF = Proof(
    name="effective-step-adam",
    statement="sup_g |m̂_t|/√v̂_t = (1−β1)/(1−β1^t)·√((1−β2^t)/(1−β2))·√(Σ_{k<t}(β1²/β2)^k); "
              "§2.1's bound holds for all sequences iff β1 ∈ {0, β2}",
    citation="Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §2.1",
    check=check,
)


def test_effective_step_adam():
    PROOF.assert_holds()
