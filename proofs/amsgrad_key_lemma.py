"""The key lemma of Reddi et al.'s AMSGrad proof, along AMSGrad trajectories.

Source: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (arXiv:1904.09237),
appendix, proof of Theorem 4 (the lemma as transcribed in docs/sources.md §S2.7):
for AMSGrad (Algorithm 2: no bias correction, v̂_t = max(v̂_{t−1}, v_t)) with α_t = α/√t,
β1,t ≤ β1 and γ = β1/√β2 < 1,

    Σ_{t≤T} α_t ‖V̂_t^{−1/4} m_t‖² ≤ α√(1 + log T)/((1−β1)(1−γ)√(1−β2)) · Σ_i ‖g_{1:T,i}‖₂.

Argument, per coordinate (m_t = Σ_k c_k g_k with c_k = (1−β1,k)Π_{k<j≤t}β1,j):
1. Σ_k c_k = 1 − Π_{j≤t} β1,j ≤ 1 (sympy: C_t = β1,t C_{t−1} + (1−β1,t) and 1 − P_t with
   P_t = β1,t P_{t−1} satisfy the same recursion from C_0 = 1 − P_0 = 0), and c_k ≤ β1^{t−k}.
2. Weighted Cauchy–Schwarz: m_t² ≤ (Σc_k)(Σc_kg_k²) ≤ Σ_k β1^{t−k} g_k² (identity checked by sympy).
3. v̂_t ≥ v_t ≥ (1−β2)β2^{t−k}g_k², so m_t²/√v̂_t ≤ Σ_k γ^{t−k}|g_k|/√(1−β2) (sympy: β1^j/√(β2^j) = γ^j).
4. Σ_{t≥k} α_t γ^{t−k} ≤ α/(√k(1−γ)); then Cauchy–Schwarz and Σ_{k≤T}1/k ≤ 1 + ln T
   (proofs/kb_lemma_10_3.py) give the bound with constant α√(1+ln T)/((1−γ)√(1−β2)), which is at most
   the printed one (the printed constant has an extra factor 1/(1−β1) ≥ 1).
Numeric: along engine AMSGrad trajectories (Reddi's C = 3 sequence with β1 = 0, β2 = 0.1 and with
β1 = 0.9, β2 = 0.99; Reddi's Figure-1 sequence; logistic and least squares with β1 = 0.9, β2 = 0.999;
a decaying β1,t = 0.9·0.99^{t−1}), with m_t replayed from the recomputed gradients and checked against
the engine, the left side stays below both the derived and the printed right side at every round.
"""
import numpy as np
import sympy as sp

import regret
from regret.theory.audit import moments
from regret.theory.proofs_runner import Proof, closed_sum

CASES = (("reddi", {"C": 3}, 0.0, 0.1, 1.0), ("reddi", {"C": 3}, 0.9, 0.99, 1.0), ("reddi-fig1", {}, 0.9, 0.99, 1.0),
         ("logistic", {"d": 5}, 0.9, 0.999, 1.0), ("least_squares", {"d": 5}, 0.9, 0.999, 1.0),
         ("logistic", {"d": 5}, 0.9, 0.999, 0.99))


def printed_constant(alpha, beta1, beta2, T):
    """α√(1+log T)/((1−β1)(1−γ)√(1−β2)), γ = β1/√β2 (Reddi et al.)."""
    gam = beta1 / np.sqrt(beta2)
    return alpha * np.sqrt(1 + np.log(T)) / ((1 - beta1) * (1 - gam) * np.sqrt(1 - beta2))


def check(ctx, constant=printed_constant, T=3000, alpha=0.5):
    bt, C, P = sp.symbols("beta_t C P", real=True)
    rec_C = bt * C + (1 - bt)
    rec_1mP = 1 - bt * P
    ctx.identity("Σ_k c_k = 1 − Π β1,j: both follow C_t = β1,t C_{t−1} + (1−β1,t) (substituting C = 1 − P)",
                 rec_C.subs(C, 1 - P), rec_1mP)
    n = 4
    cs, gs = sp.symbols(f"c1:{n + 1}", nonnegative=True), sp.symbols(f"g1:{n + 1}", real=True)
    ident = (sum(cs) * sum(c * g ** 2 for c, g in zip(cs, gs)) - sum(c * g for c, g in zip(cs, gs)) ** 2
             - sum(cs[k] * cs[l] * (gs[k] - gs[l]) ** 2 for k in range(n) for l in range(k + 1, n)))
    ctx.symbolic("weighted Cauchy–Schwarz identity (n = 4)", sp.expand(ident) == 0)
    b1, b2, g = sp.symbols("beta1 beta2 g", positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    ctx.identity("β1^j g²/√((1−β2)β2^j g²) = γ^j|g|/√(1−β2), γ = β1/√β2",
                 sp.powsimp(b1 ** j * g ** 2 / sp.sqrt((1 - b2) * b2 ** j * g ** 2), force=True),
                 sp.powsimp((b1 / sp.sqrt(b2)) ** j * g / sp.sqrt(1 - b2), force=True))
    gam = sp.Symbol("gamma", positive=True)
    ctx.identity("Σ_{j≥0} γ^j = 1/(1−γ)", closed_sum(gam ** j, (j, 0, sp.oo)), 1 / (1 - gam))

    ok_printed, ok_derived, ok_replay = True, True, True
    rows = []
    for name, kw, beta1, beta2, lam in CASES:
        opt = regret.optimizer("amsgrad", alpha=alpha, beta1=beta1, beta2=beta2, lam=lam, schedule="sqrt")
        tr = ctx.trajectory(opt, regret.problem(name, **kw), T)
        mo = moments(tr)
        ok_replay &= mo.agrees
        alphas = tr.alphas[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(mo.vhat > 0, alphas * mo.m ** 2 / np.sqrt(mo.vhat), 0.0)
        lhs = np.cumsum(terms.sum(axis=1))
        sum_norms = np.sqrt(np.cumsum(tr.g ** 2, axis=0)).sum(axis=1)
        tt = np.arange(1, T + 1)
        rhs_printed = constant(alpha, beta1, beta2, tt) * sum_norms
        gm = beta1 / np.sqrt(beta2)
        rhs_derived = alpha * np.sqrt(1 + np.log(tt)) / ((1 - gm) * np.sqrt(1 - beta2)) * sum_norms
        ok_printed &= bool(np.all(lhs <= rhs_printed * (1 + 1e-12)))
        ok_derived &= bool(np.all(lhs <= rhs_derived * (1 + 1e-12)))
        rows.append({"case": f"{name} β1={beta1} β2={beta2} λ={lam}", "lhs_T": float(lhs[-1]),
                     "printed_T": float(rhs_printed[-1]), "max_ratio_printed": float(np.max(lhs / rhs_printed))})
    ctx.numeric("the replayed m_t, v̂_t agree with the engine", ok_replay)
    ctx.numeric(f"derived bound α√(1+ln t)/((1−γ)√(1−β2))·Σ_i‖g_1:t,i‖₂ holds at every round ({len(CASES)} "
                f"trajectories, T = {T})", ok_derived)
    ctx.numeric("Reddi et al.'s printed key lemma holds at every round", ok_printed, cases=rows)


PROOF = Proof(
    name="reddi-amsgrad-key-lemma",
    statement="AMSGrad: Σ_t α_t‖V̂_t^{−1/4}m_t‖² ≤ α√(1+log T)/((1−β1)(1−γ)√(1−β2))·Σ_i‖g_{1:T,i}‖₂, γ = β1/√β2 < 1",
    citation="Reddi, Kale & Kumar, ICLR 2018 (arXiv:1904.09237), appendix, proof of Theorem 4",
    check=check,
)


def test_reddi_amsgrad_key_lemma():
    PROOF.assert_holds()
