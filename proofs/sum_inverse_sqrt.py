"""Σ_{t=1}^T 1/√t ≤ 2√T − 1 ≤ 2√T, and the constant 2 is the best possible.

Sources: used in every O(√T) regret bound here — Zinkevich (ICML 2003), proof of Theorem 1
(Σ_t t^{−1/2} ≤ 2√T − 1); Hazan, Introduction to OCO (arXiv:1909.05207), proof of Theorem 3.1
(≤ 2√T); Kingma & Ba (arXiv:1412.6980v9) Corollary 4.2 and Lemma 10.3; Reddi et al. (ICLR 2018)
Corollary 1.

Claim, for every integer T ≥ 1:   2√(T+1) − 2 ≤ Σ_{t=1}^T t^{−1/2} ≤ c√T − 1  with c = 2,
and no c < 2 works (Σ/√T → 2).

Argument (induction, with u = √(T+1), w = √T, so u² − w² = 1):
* upper, base T = 1: 1 ≤ c − 1 iff c ≥ 2.
* upper, step: c(u − w) − 1/u = ((c−1)u − w)/(u(u+w)) (sympy, using u² − w² = 1), which is ≥ 0 iff
  c − 1 ≥ w/u = √(T/(T+1)); T/(T+1) is increasing (derivative 1/(T+1)² > 0) with limit 1 (sympy),
  so the step holds for every T iff c ≥ 2.
* lower: t^{−1/2} ≥ 2(√(t+1) − √t) = 2/(√(t+1) + √t) because √(t+1) + √t ≥ 2√t; summing telescopes
  to 2√(T+1) − 2. The same induction with a constant c_low: base c_low(√2 − 1) ≤ 1, step needs
  c_low − 1 ≤ √((T+2)/(T+1)) whose infimum is 1, so c_low ≤ 2.
Numeric: the partial sums for T = 1..10⁶ (float64, compensated by math.fsum at checkpoints) lie
between the two bounds; with a constant c ≠ 2 the first T where a bound breaks is reported.
"""
import math

import numpy as np
import sympy as sp

from regret.theory.proofs_runner import Proof


def _first_violation(c_up, c_low, n=1_000_000):
    t = np.arange(1, n + 1, dtype=np.float64)
    s = np.cumsum(1.0 / np.sqrt(t))
    up = c_up * np.sqrt(t) - 1.0
    lo = c_low * np.sqrt(t + 1.0) - c_low
    bad_up = np.nonzero(s > up + 1e-9)[0]
    bad_lo = np.nonzero(s < lo - 1e-9)[0]
    return s, (int(bad_up[0]) + 1 if bad_up.size else None), (int(bad_lo[0]) + 1 if bad_lo.size else None)


def check(ctx, c=2, c_low=2, n=1_000_000):
    c_sym = sp.nsimplify(c)
    cl = sp.nsimplify(c_low)
    T = sp.Symbol("T", positive=True)
    u, w = sp.symbols("u w", positive=True)
    base = sp.Integer(1) <= c_sym - 1
    ctx.symbolic("upper bound, base T = 1: 1 ≤ c·1 − 1", bool(base), c=str(c_sym))
    resid = sp.factor(sp.together(c_sym * (u - w) - 1 / u - ((c_sym - 1) * u - w) / (u * (u + w))))
    on_curve = sp.simplify(resid.subs(u, sp.sqrt(w ** 2 + 1)))
    ctx.symbolic("upper bound, step: c(√(T+1) − √T) − 1/√(T+1) = ((c−1)√(T+1) − √T)/(√(T+1)(√(T+1)+√T))",
                 on_curve == 0, "the residual is a multiple of u² − w² − 1", residual=str(resid))
    deriv = sp.simplify(sp.diff(T / (T + 1), T))
    sup = sp.limit(sp.sqrt(T / (T + 1)), T, sp.oo)
    ctx.symbolic("√(T/(T+1)) increases to 1, so the step holds for all T iff c − 1 ≥ 1",
                 deriv.is_positive is True and sup == 1 and bool(c_sym - 1 >= sup),
                 derivative=str(deriv), sup=str(sup), c_minus_1=str(c_sym - 1))
    lo_term = sp.simplify(2 * (sp.sqrt(T + 1) - sp.sqrt(T)) * (sp.sqrt(T + 1) + sp.sqrt(T)))
    ctx.symbolic("lower bound: 2(√(t+1) − √t) = 2/(√(t+1)+√t) ≤ 1/√t (telescoping to 2√(T+1) − 2)",
                 lo_term == 2, product=str(lo_term))
    base_lo = bool(cl * (sp.sqrt(2) - 1) <= 1)
    inf_lo = sp.limit(sp.sqrt((T + 2) / (T + 1)), T, sp.oo)
    ctx.symbolic("lower bound with constant c_low: base c_low(√2 − 1) ≤ 1 and step c_low − 1 ≤ inf √((T+2)/(T+1)) = 1",
                 base_lo and bool(cl - 1 <= inf_lo), c_low=str(cl), infimum=str(inf_lo))

    s, v_up, v_lo = _first_violation(float(c), float(c_low), n)
    numbers = {"T_checked": n, "first_T_upper_fails": v_up, "first_T_lower_fails": v_lo,
               "sum_at_T": float(s[-1]), "upper_at_T": float(c) * math.sqrt(n) - 1,
               "lower_at_T": float(c_low) * (math.sqrt(n + 1) - 1)}
    if v_up is not None:
        exact = math.fsum(1 / math.sqrt(k) for k in range(1, v_up + 1))
        numbers.update(sum_at_violation=exact, upper_at_violation=float(c) * math.sqrt(v_up) - 1)
    if v_lo is not None:
        exact = math.fsum(1 / math.sqrt(k) for k in range(1, v_lo + 1))
        numbers.update(sum_at_lower_violation=exact, lower_at_violation=float(c_low) * (math.sqrt(v_lo + 1) - 1))
    ctx.numeric(f"partial sums for T = 1..{n}: 2√(T+1) − 2 ≤ Σ_{{t≤T}} t^(−1/2) ≤ c√T − 1",
                v_up is None and v_lo is None, **numbers)
    ctx.finding(f"Σ_(t≤10^6) t^(−1/2) = {s[-1]:.6f}; 2√T − 1 = {2 * math.sqrt(n) - 1:.6f}; "
                f"2√(T+1) − 2 = {2 * math.sqrt(n + 1) - 2:.6f}")


PROOF = Proof(
    name="sum-inverse-sqrt",
    statement="2√(T+1) − 2 ≤ Σ_{t=1}^T 1/√t ≤ 2√T − 1 ≤ 2√T for T ≥ 1; the constant 2 is optimal",
    citation="Zinkevich, ICML 2003, Thm 1 proof; Hazan, OCO book Thm 3.1 proof; Kingma & Ba Cor. 4.2",
    check=check,
)


def test_sum_inverse_sqrt():
    PROOF.assert_holds()
