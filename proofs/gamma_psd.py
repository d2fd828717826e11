"""Γ_t ⪰ 0: the step Reddi et al. showed false in Kingma & Ba's regret proof.

Sources: Reddi, Kale & Kumar, ICLR 2018 (arXiv:1904.09237), §3, eq. (2):
Γ_{t+1} = √V_{t+1}/α_{t+1} − √V_t/α_t; "for SGD and ADAGRAD, Γ_t ⪰ 0"; for exponential moving
averages Γ_t "can potentially be indefinite"; Kingma & Ba's proof of Theorem 4.1 (arXiv:1412.6980v9,
Appendix 10, the telescoping of Σ_t (θ_t − θ*)²(√v̂_t/α_t − √v̂_{t−1}/α_{t−1})) assumes it. AMSGrad's
v̂_t = max(v̂_{t−1}, v_t) restores it.

Proved (per coordinate, α_t = α/√t unless said otherwise):
1. SGD (V = 1): Γ_{t+1} = (√(t+1) − √t)/α > 0.
2. AMSGrad, and any method with V_{t+1} ≥ V_t and α_{t+1} ≤ α_t: Γ_{t+1} ≥ 0, because
   V_{t+1}/α_{t+1}² − V_t/α_t² = (V_t + d)(t+1)/α² − V_t t/α² = (V_t + d(t+1))/α² ≥ 0 (d ≥ 0; sympy).
   AdaGrad (V = Σg², constant α, or Reddi's form Σg²/t with α/√t): the same with d = g_{t+1}².
3. Adam on Reddi's Theorem 1 sequence (β1 = 0, β2 = 1/(1+C²), x_1 = 1, g_1 = C, g_2 = −1):
   without bias correction v_1 = C⁴/(1+C²), v_2 = (2C⁴ + C²)/(1+C²)², and Γ_2 < 0 ⟺ 2v_2 < v_1 ⟺
   C⁴ − 3C² − 2 > 0, true for every C > 2 (sympy: all coefficients positive after C = 2 + s).
   With Kingma & Ba's bias correction (v̂_t = v_t/(1−β2^t)): Γ_2 < 0 ⟺ C⁴ − 2C² − 2 > 0, also
   true for every C > 2. At C = 3, β2 = 0.1, α = 0.5: Γ_2 = 2√2·√1.71 − 2√8.1 (by hand).

The audit (regret.theory.audit.gamma, on RunResult.vhat_history; which √V each optimizer uses is in its
module table) is checked on the engine: Adam (β1 = 0, β2 = 0.1, α_t = 0.5/√t, reddi C = 3, with and
without bias correction) fails first at t = 2 with the value of step 3 and then at every round
t ≢ 1 (mod 3) (v decays after the C-gradient: v = 8.1, 1.71, 1.071, 8.2071, …, by hand); AMSGrad,
AdaGrad and SGD hold at every round on that sequence and on logistic / least-squares problems.
Reported, not claimed by the papers: torch's AMSGrad variant (max of the raw v, then bias-corrected)
with a constant step violates Γ_t ⪰ 0 in the early rounds, since the correction 1/(1−β2^t) shrinks.
"""
import numpy as np
import sympy as sp

import regret
from regret.theory.audit import gamma
from regret.theory.proofs_runner import Proof


def check(ctx, T=3000, C_num=3, alpha=0.5):
    a, t, V, d = sp.symbols("alpha t V d", positive=True)
    prod = sp.simplify((sp.sqrt(t + 1) - sp.sqrt(t)) * (sp.sqrt(t + 1) + sp.sqrt(t)))
    ctx.symbolic("SGD: α·Γ_{t+1} = √(t+1) − √t = 1/(√(t+1) + √t) > 0", prod == 1
                 and (sp.sqrt(t + 1) + sp.sqrt(t)).is_positive is True, product=str(prod))
    sq = sp.expand((V + d) * (t + 1) / a ** 2 - V * t / a ** 2)
    ctx.symbolic("V_{t+1} = V_t + d, d ≥ 0, α_t = α/√t: (√V_{t+1}/α_{t+1})² − (√V_t/α_t)² = (V_t + d(t+1))/α² ≥ 0",
                 sp.simplify(sq - (V + d * (t + 1)) / a ** 2) == 0 and sq.is_nonnegative is True, difference=str(sq))

    C, s = sp.symbols("C s", positive=True)
    b2 = 1 / (1 + C ** 2)
    v1 = (1 - b2) * C ** 2
    v2 = b2 * v1 + (1 - b2) * 1
    ctx.identity("v_1 = C⁴/(1+C²)", v1, C ** 4 / (1 + C ** 2))
    ctx.identity("v_2 = (2C⁴ + C²)/(1+C²)²", v2, (2 * C ** 4 + C ** 2) / (1 + C ** 2) ** 2)
    crit = sp.factor(sp.together(v1 - 2 * v2))
    poly = sp.expand((C ** 4 - 3 * C ** 2 - 2).subs(C, 2 + s))
    ctx.symbolic("Γ_2 < 0 ⟺ 2v_2 < v_1 (α_2 = α/√2) ⟺ C⁴ − 3C² − 2 > 0, true for all C > 2",
                 sp.simplify(crit - C ** 2 * (C ** 4 - 3 * C ** 2 - 2) / (1 + C ** 2) ** 2) == 0
                 and poly.is_positive is True, v1_minus_2v2=str(crit), at_C_2_plus_s=str(poly))
    vh1, vh2 = v1 / (1 - b2), v2 / (1 - b2 ** 2)
    crit_bc = sp.factor(sp.together(vh1 - 2 * vh2))
    poly_bc = sp.expand((C ** 4 - 2 * C ** 2 - 2).subs(C, 2 + s))
    ctx.symbolic("with bias correction: v̂_1 − 2v̂_2 = (C⁴ − 2C² − 2)/(C² + 2) > 0 for all C > 2",
                 sp.simplify(crit_bc - (C ** 4 - 2 * C ** 2 - 2) / (C ** 2 + 2)) == 0 and poly_bc.is_positive is True,
                 vhat1_minus_2vhat2=str(crit_bc), at_C_2_plus_s=str(poly_bc))

    prob = regret.problem("reddi", C=C_num)
    hand_v = [8.1, 1.71, 1.071, 8.2071, 1.72071, 1.072071]  # v_t by hand: v ← 0.1 v + 0.9 g², g = 3, −1, −1, ...
    gamma2_hand = 2 * np.sqrt(2) * np.sqrt(1.71) - 2 * np.sqrt(8.1)
    b2n = 1.0 / (1 + C_num ** 2)
    for bc in (False, True):
        opt = regret.optimizer("adam", alpha=alpha, beta1=0.0, beta2=b2n, eps=0.0, schedule="sqrt", bias_correction=bc)
        res = ctx.run(opt, prob, T, record_state=True, comparator=False, record_losses=False)
        au = gamma(res)
        rounds = au.failing_rounds
        expected = np.array([r for r in range(2, T + 1) if r % 3 != 1])
        numbers = au.summary()
        ok = (not au.holds and au.first_round == 2 and np.array_equal(rounds, expected))
        if not bc:
            ok = ok and abs(float(au.gamma[0, 0, 0]) - gamma2_hand) <= 1e-12 and \
                np.allclose(res.vhat_history[0, :6, 0], hand_v, rtol=1e-12, atol=0)
            numbers["gamma_2"] = float(au.gamma[0, 0, 0])
            numbers["gamma_2_by_hand"] = gamma2_hand
        ctx.numeric(f"audit, Adam {'with' if bc else 'without'} bias correction on reddi C={C_num}: fails first at t = 2 "
                    "and exactly at the rounds t ≢ 1 (mod 3)", ok, **numbers)
        ctx.finding(au.text())

    ok_hold, held = True, []
    others = [regret.optimizer("amsgrad", alpha=alpha, beta1=0.0, beta2=b2n, schedule="sqrt"),
              regret.optimizer("amsgrad", alpha=alpha, beta1=0.9, beta2=0.99, schedule="sqrt"),
              regret.optimizer("adagrad", alpha=alpha, eps=0.0),
              regret.optimizer("sgd", alpha=alpha, schedule="sqrt")]
    for prob_ in (prob, regret.problem("logistic", d=5), regret.problem("least_squares", d=5)):
        for opt in others:
            res = ctx.run(opt, prob_, T, seeds=2, record_state=True, comparator=False, record_losses=False)
            au = gamma(res)
            ok_hold &= au.holds
            held.append(f"{opt.name} on {res.problem}: min Γ = {au.most_negative:.3g}")
    ctx.numeric("audit: Γ_t ⪰ 0 at every round for AMSGrad (two settings), AdaGrad and SGD, on reddi, logistic, "
                "least squares (2 seeds each)", ok_hold, cases=held)

    torch_ams = regret.optimizer("amsgrad", alpha=alpha, beta1=0.0, beta2=0.9, bias_correction=True)
    au = gamma(ctx.run(torch_ams, regret.problem("logistic", d=5), 200, record_state=True, comparator=False,
                       record_losses=False))
    ctx.finding("torch-style AMSGrad (bias-corrected max, constant α, β2 = 0.9) on logistic: " + au.text())
    adam_rand = regret.optimizer("adam", alpha=0.01, beta1=0.9, beta2=0.999, schedule="sqrt")
    au = gamma(ctx.run(adam_rand, regret.problem("logistic", d=5), T, record_state=True, comparator=False,
                       record_losses=False))
    ctx.finding("Adam (defaults, α_t = 0.01/√t) on logistic d=5: " + au.text())


PROOF = Proof(
    name="gamma-psd",
    statement="Γ_{t+1} = √V_{t+1}/α_{t+1} − √V_t/α_t ⪰ 0 holds for SGD, AdaGrad, AMSGrad; fails for Adam on "
              "Reddi's sequence (Γ_2 < 0 for every C > 2)",
    citation="Reddi, Kale & Kumar, ICLR 2018 (arXiv:1904.09237), §3 eq. (2); Kingma & Ba App. 10",
    check=check,
)


def test_gamma_psd():
    PROOF.assert_holds()
