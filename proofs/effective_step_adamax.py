"""The effective step of AdaMax: the stated |Δ_t| ≤ α is false for every β1 > 0.

Source: Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §7.1: "the magnitude of parameter updates has a
simpler bound with AdaMax than Adam, namely: |Δ_t| ≤ α" (no proof). Algorithm 2:
m_t = β1 m_{t−1} + (1−β1) g_t, u_t = max(β2 u_{t−1}, |g_t|), Δ_t = −(α/(1−β1^t)) m_t/u_t.

What is proved (per coordinate, constant β1, β2 ∈ (0, 1)), with ρ = β1/β2:

    sup over gradient sequences of |Δ_t|/α = A_t = (1−β1)/(1−β1^t) · Σ_{k<t} ρ^k.

1. Upper bound: u_t ≥ β2^{t−k}|g_k| for every k ≤ t (proofs/adamax_limit.py: u_t is the max), so
   |m_t| ≤ (1−β1)Σ_k β1^{t−k}|g_k| ≤ (1−β1) u_t Σ_k (β1/β2)^{t−k}.
2. Attained by |g_k| = β2^{−(t−k)} (all of one sign): then u_t = 1 and m_t = (1−β1)Σ_k ρ^{t−k}
   (sympy: β1^j β2^{−j} = ρ^j and β2^j β2^{−j} = 1).
3. A_1 = 1 and A_2 − 1 = β1(1−β2)/(β2(1+β1)) > 0 (sympy): for every β1 ∈ (0,1), β2 ∈ (0,1) the claim
   already fails at t = 2. If ρ < 1, A_t → (1−β1)/(1−ρ) = (1−β1)β2/(β2−β1) (with the defaults
   β1 = 0.9, β2 = 0.999: 999/990 ≈ 1.0091, exact); if β1 ≥ β2, A_t ≥ t(1−β1)/(1−β1^t) → ∞.
   β1 = 0 gives A_t = 1: the claim holds exactly then.

Numeric (engine): the extremal sequences of step 2 as linear losses reach A_t to 1e-9; on ordinary
problems (logistic, least squares, sparse logistic; defaults β1 = 0.9, β2 = 0.999 and β1 = 0.9,
β2 = 0.95; 3 seeds, T = 2000) the measured max_t |Δ_t|/α_t ≤ sup_t A_t, and exceedances of the stated
α are reported.
"""
import numpy as np
import sympy as sp

import regret
from regret.theory.audit import adamax_step_sup, effective_steps
from regret.theory.proofs_runner import Proof, closed_sum

WORST_CASES = ((0.9, 0.999, 5000), (0.9, 0.95, 400), (0.5, 0.9, 200), (0.9, 0.9, 100), (0.0, 0.9, 50))
TYPICAL = ((0.9, 0.999), (0.9, 0.95))
PROBLEMS = (("logistic", {"d": 10}), ("least_squares", {"d": 10}), ("sparse-logistic", {"d": 50}))


def check(ctx, sup=adamax_step_sup, claimed=1.0, T_typical=2000, seeds=3):
    b1, b2, rho = sp.symbols("beta1 beta2 rho", positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    t = sp.Symbol("t", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    ctx.identity("|g_{t−j}| = β2^{−j}: β1^j·β2^{−j} = ρ^j and β2^j·|g_{t−j}| = 1 (so u_t = 1)",
                 sp.powsimp(b1 ** j * b2 ** (-j) - (b1 / b2) ** j, force=True) + b2 ** j * b2 ** (-j), 1)
    A = (1 - b1) / (1 - b1 ** t) * closed_sum(rho ** k, (k, 0, t - 1))
    A1 = sp.simplify(A.subs(t, 1))
    ctx.symbolic("A_1 = 1", A1 == 1, value=str(A1))
    A2 = sp.simplify(A.subs(t, 2).subs(rho, b1 / b2))
    ctx.identity("A_2 − 1 = β1(1−β2)/(β2(1+β1)) > 0 for β1 > 0, β2 < 1", A2 - 1, b1 * (1 - b2) / (b2 * (1 + b1)))
    s_ = sp.Symbol("s", positive=True)
    pos = (b1 * (1 - b2) / (b2 * (1 + b1))).subs(b2, 1 / (1 + s_)).is_positive
    ctx.symbolic("its sign: positive for β2 = 1/(1+s) ∈ (0, 1), β1 > 0", pos is True)
    Ainf = (1 - b1) / (1 - b1 / b2)
    ctx.identity("ρ < 1: lim A_t = (1−β1)/(1−ρ) = (1−β1)β2/(β2−β1)", Ainf, (1 - b1) * b2 / (b2 - b1))
    d_inf = Ainf.subs({b1: sp.Rational(9, 10), b2: sp.Rational(999, 1000)})
    ctx.exact("defaults β1 = 0.9, β2 = 0.999: lim A_t = 999/990", d_inf == sp.Rational(999, 990), value=str(d_inf))
    ctx.identity("β1 = 0: A_t = 1", A.subs(b1, 0).subs(rho, 0), 1)

    rows, ok_attain, ok_exceed = [], True, True
    for beta1, beta2, t_star in WORST_CASES:
        g = beta2 ** -np.arange(t_star - 1, -1, -1, dtype=np.float64)
        inst = regret.from_arrays("linear", regret.unbounded(1), g[:, None], name="adamax-worst-case")
        res = ctx.run(regret.optimizer("adamax", alpha=1e-3, beta1=beta1, beta2=beta2), inst, t_star,
                      comparator=False, record_losses=False)
        measured = float(res.step_ratio[0, -1])
        At = sup(beta1, beta2, t_star)
        ok_attain &= abs(measured - At[-1]) <= 1e-9 * At[-1]
        ok_exceed &= (measured > claimed * (1 + 1e-12)) == (beta1 > 0)
        rows.append({"beta1": beta1, "beta2": beta2, "t": t_star, "measured": measured, "A_t": float(At[-1])})
    ctx.numeric("engine, |g_k| = β2^{−(t−k)}: max |Δ|/α_t reaches A_t (rel. 1e-9)", ok_attain, cases=rows)
    ctx.numeric("engine: |Δ_t| > α on these sequences exactly when β1 > 0", ok_exceed, cases=rows)
    for r in rows:
        if r["beta1"] > 0:
            ctx.finding(f"AdaMax β1={r['beta1']}, β2={r['beta2']}: |Δ_t|/α = {r['measured']:.5g} at t = {r['t']} "
                        f"on |g_k| = β2^-(t−k), against the stated 1")

    within, over = True, []
    for beta1, beta2 in TYPICAL:
        opt = regret.optimizer("adamax", alpha=0.01, beta1=beta1, beta2=beta2)
        for name, kw in PROBLEMS:
            res = ctx.run(opt, regret.problem(name, **kw), T_typical, seeds=seeds, comparator=False,
                          record_losses=False)
            au = effective_steps(res)
            within &= bool(au.within_sup)
            if au.exceeds_paper:
                over.append(f"{name} (β1={beta1}, β2={beta2}): {au.max_ratio:.5g}")
    ctx.numeric(f"ordinary problems ({len(PROBLEMS)} × {len(TYPICAL)} settings × {seeds} seeds, T = {T_typical}): "
                "max |Δ_t|/α_t ≤ sup_t A_t", within)
    ctx.finding("on ordinary trajectories |Δ_t| > α: " + ("; ".join(over) if over else "none observed"))


PROOF = Proof(
    name="effective-step-adamax",
    statement="AdaMax: sup_g |Δ_t|/α = (1−β1)/(1−β1^t)·Σ_{k<t}(β1/β2)^k, > 1 at t = 2 for every β1 > 0 "
              "(the stated |Δ_t| ≤ α holds only for β1 = 0)",
    citation="Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §7.1 and Algorithm 2",
    check=check,
)


def test_effective_step_adamax():
    PROOF.assert_holds()
