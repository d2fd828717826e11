"""Reddi et al.'s Theorem 1 mechanism: on f_t = Cx (t ≡ 1 mod 3), −x otherwise, Adam returns to x = 1.

Source: Reddi, Kale & Kumar, ICLR 2018 (arXiv:1904.09237), §3, Theorem 1 and its appendix proof:
F = [−1, 1], β1 = 0, β2 = 1/(1+C²), α_t = α/√t, x_1 = 1; Adam (their form: no bias correction,
projection onto F) "converges to the highly suboptimal solution x = +1", and R_T ≥ (2C−4)T/3
(quantitative form as transcribed in docs/sources.md §S2.3, [3rd-party]).

Proved here (per block k ≥ 0: rounds 3k+1 (g = C), 3k+2 and 3k+3 (g = −1)), for a general
β2 ∈ (0, 1) and for β2 = 1/(1+C²):
1. v_t ≤ C² always (v_t = (1−β2)Σβ2^{t−i}g_i² ≤ (1−β2^t)max g² by proofs/bias_correction.py).
2. Round 3k+1: v ≥ (1−β2)C², so the step down is δ1 = α_{3k+1}C/√v ≤ α_{3k+1}/√(1−β2); it is not
   clipped at −1 when α/√(1−β2) < 2.
3. Rounds 3k+2, 3k+3: v ≤ V2 = β2C² + 1 − β2 and then v ≤ V3 = β2V2 + 1 − β2, so the steps up are
   δ2 ≥ α_{3k+2}/√V2 and δ3 ≥ α_{3k+3}/√V3; if δ2 + δ3 ≥ δ1 the iterate is back at x = 1 (clipped).
4. Sufficient: F(k) = √((1−β2)/V2)·√((3k+1)/(3k+2)) + √((1−β2)/V3)·√((3k+1)/(3k+3)) ≥ 1. Each ratio
   (3k+1)/(3k+c), c > 1, increases in k (derivative 3(c−1)/(3k+c)² > 0, sympy), so F(k) ≥ F(0) =
   √((1−β2)/V2)/√2 + √((1−β2)/V3)/√3.
5. With β2 = 1/(1+C²) (sympy): (1−β2)/V2 = 1/2, (1−β2)/V3 = (1+C²)/(3+C²), and F(0) ≥ 1 ⟺ C² ≥ 5.
   So for every C ≥ √5 (e.g. C = 3, β2 = 1/10) and every block k the iterate returns to x = 1, by
   induction from x_1 = 1. For 2 < C < √5 the bound F(0) < 1 does not close the first blocks; the
   blocks k ≥ k0(C) are covered (k0 computed exactly), the earlier ones only numerically.
   For β2 = 1/100 at C = 3 (the Lean formalization's setting) F(0) ≥ 1 is checked exactly too.
6. Regret: per block the learner pays C − x_{3k+2} − x_{3k+3} ≥ C − 2, the comparator x = −1 pays
   −(C − 2), and a partial last block adds ≥ 0, so R_T ≥ (2C − 4)⌊T/3⌋ (sympy: linear in x ≤ 1).

Checked numerically instead: the engine trajectory (α = 0.5, T = 30 000) returns to exactly x = 1.0
at the start of every block for C = 3 with β2 = 1/10 and 1/100, for C = 2.1 (below √5, where the
proof does not cover the first blocks), and for Kingma & Ba's bias-corrected Adam (not covered by
the proof above: its v̂ is v/(1−β2^t)); and the measured regret satisfies R_T ≥ (2C−4)⌊T/3⌋ at
every checkpoint.
"""

import numpy as np
import sympy as sp

import regret
from regret.theory.proofs_runner import Proof


def _F0(C, b2):
    V2 = b2 * C ** 2 + 1 - b2
    V3 = b2 * V2 + 1 - b2
    return sp.sqrt((1 - b2) / V2) / sp.sqrt(2) + sp.sqrt((1 - b2) / V3) / sp.sqrt(3)


def first_block(C, b2, kmax=10_000):
    """The first k from which F(k') ≥ 1 for all k' ≥ k (F is increasing), exact; None if beyond kmax."""
    V2 = b2 * C ** 2 + 1 - b2
    V3 = b2 * V2 + 1 - b2
    F = lambda k: (sp.sqrt((1 - b2) / V2) * sp.sqrt(sp.Rational(3 * k + 1, 3 * k + 2))  # noqa: E731
                   + sp.sqrt((1 - b2) / V3) * sp.sqrt(sp.Rational(3 * k + 1, 3 * k + 3)))
    lo, hi = 0, kmax
    if not bool(F(hi) >= 1):
        return None
    while lo < hi:  # bisection on the increasing F
        mid = (lo + hi) // 2
        if bool(F(mid) >= 1):
            hi = mid
        else:
            lo = mid + 1
    return lo


def check(ctx, C_value=3, alpha=0.5, T=30_000, small_C=sp.Rational(21, 10)):
    C, b2, k, c = sp.symbols("C beta2 k c", positive=True)
    V2 = b2 * C ** 2 + 1 - b2
    V3 = b2 * V2 + 1 - b2
    deriv = sp.simplify(sp.diff((3 * k + 1) / (3 * k + c), k))
    ctx.symbolic("(3k+1)/(3k+c) is increasing in k for c > 1: derivative 3(c−1)/(3k+c)²",
                 sp.simplify(deriv - 3 * (c - 1) / (3 * k + c) ** 2) == 0, derivative=str(deriv))
    bC = 1 / (1 + C ** 2)
    r2 = sp.simplify(((1 - b2) / V2).subs(b2, bC))
    r3 = sp.simplify(((1 - b2) / V3).subs(b2, bC))
    ctx.symbolic("β2 = 1/(1+C²): (1−β2)/V2 = 1/2 and (1−β2)/V3 = (1+C²)/(3+C²)",
                 r2 == sp.Rational(1, 2) and sp.simplify(r3 - (1 + C ** 2) / (3 + C ** 2)) == 0,
                 ratio_V2=str(r2), ratio_V3=str(r3))
    # F(0) = 1/2 + √((1+C²)/(3(3+C²))) ≥ 1 ⟺ (1+C²)/(3(3+C²)) ≥ 1/4 ⟺ C² ≥ 5
    cond = sp.factor(sp.together(4 * (1 + C ** 2) - 3 * (3 + C ** 2)))
    ctx.symbolic("F(0) ≥ 1 ⟺ 4(1+C²) − 3(3+C²) = C² − 5 ≥ 0 ⟺ C ≥ √5", sp.expand(cond - (C ** 2 - 5)) == 0,
                 condition=str(cond))
    Cv = sp.nsimplify(C_value)
    f0 = _F0(Cv, 1 / (1 + Cv ** 2))
    ctx.exact(f"C = {Cv}, β2 = 1/(1+C²) = {1 / (1 + Cv ** 2)}: F(0) = {sp.nsimplify(f0)} ≥ 1, so every block returns to x = 1",
              bool(f0 >= 1), F0=float(f0))
    clip = sp.Rational(1, 2) / sp.sqrt(1 - 1 / (1 + Cv ** 2))
    ctx.exact(f"no clipping at −1: α/√(1−β2) = {float(clip):.4f} < 2 at α = 1/2", bool(clip < 2))
    f0_lean = _F0(Cv, sp.Rational(1, 100))
    ctx.exact(f"C = {Cv}, β2 = 1/100 (Lean formalization): F(0) = {float(f0_lean):.4f} ≥ 1", bool(f0_lean >= 1))
    k0 = first_block(small_C, 1 / (1 + small_C ** 2))
    ctx.exact(f"C = {small_C} (< √5): F(k) ≥ 1 only from block k0 = {k0} on (bisection, exact comparisons)",
              k0 is not None and k0 > 0, k0=k0, F0=float(_F0(small_C, 1 / (1 + small_C ** 2))))
    x2, x3 = sp.symbols("x2 x3", real=True)
    block = (C * 1 - x2 - x3) - (-C + 2)
    ctx.symbolic("per-block regret C − x_{3k+2} − x_{3k+3} + C − 2 ≥ 2C − 4 when x ≤ 1",
                 sp.expand(block - (2 * C - 4) - ((1 - x2) + (1 - x3))) == 0, block=str(block))

    rows, ok_ret, ok_reg = [], True, True
    settings = [(C_value, 1 / (1 + C_value ** 2), False), (C_value, 0.01, False),
                (float(small_C), 1 / (1 + float(small_C) ** 2), False), (C_value, 1 / (1 + C_value ** 2), True)]
    for Cn, b2n, bc in settings:
        opt = regret.optimizer("adam", alpha=alpha, beta1=0.0, beta2=b2n, eps=0.0, schedule="sqrt",
                               bias_correction=bc)
        cps = np.unique(np.concatenate([np.arange(1, 301), np.linspace(1, T, 200).astype(np.int64)]))
        res = ctx.run(opt, regret.problem("reddi", C=Cn), T, checkpoints=cps, record_iterates=True)
        x = res.iterates[0, :, 0]
        starts = x[0:T:3]  # x_{3k+1}, k = 0, 1, ...
        away = np.nonzero(starts != 1.0)[0]
        lb = (2 * Cn - 4) * np.floor(res.checkpoints / 3)
        margin = res.regret[0] - lb
        ok_ret &= away.size == 0
        ok_reg &= bool(np.all(margin >= -1e-9))
        rows.append({"C": Cn, "beta2": b2n, "bias_correction": bc, "blocks": int(starts.size),
                     "blocks_not_at_1": int(away.size), "min_R_minus_bound": float(margin.min()),
                     "R_T_over_T": float(res.regret[0, -1] / T), "limit_2(C−2)/3": 2 * (Cn - 2) / 3})
    ctx.numeric(f"engine, T = {T}: x = 1.0 exactly at the start of every block", ok_ret, cases=rows)
    ctx.numeric("engine: R_T' ≥ (2C−4)⌊T'/3⌋ at every checkpoint", ok_reg, cases=rows)
    ctx.not_proved("the first k0 blocks for 2 < C < √5 and the bias-corrected variant (numeric only); "
                   "Adam with β1 > 0 (Theorem 2's construction) is not treated here")


PROOF = Proof(
    name="reddi-theorem-1-mechanism",
    statement="β1=0, β2=1/(1+C²), α_t=α/√t, C ≥ √5: each period of Cx, −x, −x brings Adam back to x=1; "
              "R_T ≥ (2C−4)⌊T/3⌋",
    citation="Reddi, Kale & Kumar, ICLR 2018 (arXiv:1904.09237), Theorem 1 and appendix",
    check=check,
)


def test_reddi_theorem_1_mechanism():
    PROOF.assert_holds()
