"""Σ_{t=1}^T λ^{t−1}√t ≤ 1/(1−λ)², the sum behind the β1,t = β1λ^{t−1} terms.

Sources: Kingma & Ba (arXiv:1412.6980v9), Appendix 10, proof of Theorem 10.5:
Σ_t β1,t/(1−β1,t)·√t ≤ Σ_t λ^{t−1} t/(1−β1) ≤ 1/((1−β1)(1−λ)²); Reddi, Kale & Kumar (ICLR 2018,
arXiv:1904.09237), Corollary 1 (Σ_t λ^{t−1}√t ≤ 1/(1−λ)²).

Argument, λ ∈ (0, 1):
1. √t ≤ t for t ≥ 1 (sympy: with t = x², x ≥ 1, x² − x = x(x−1) ≥ 0).
2. Σ_{t≥1} tλ^{t−1} = 1/(1−λ)² (sympy summation), and the partial sums increase to it.
3. Kingma & Ba's chain: β1,t = β1λ^{t−1} ≤ β1 < 1, so 1/(1−β1,t) ≤ 1/(1−β1) and
   β1,t/(1−β1,t) ≤ λ^{t−1}/(1−β1) (sympy: the difference is ≥ 0 with β1 = 1/(1+r), λ^{t−1} = 1/(1+y)).
Numeric: partial sums for λ ∈ {0.5, 0.9, 0.99, 0.999}, T ≤ 10⁵, against the bound; the ratio
(1−λ)²·Σλ^{t−1}√t is reported — it tends to 0 as λ → 1 (the bound is loose by a factor of order
(1−λ)^{−1/2}; Σ_t λ^{t−1}√t ~ Γ(3/2)(1−λ)^{−3/2}).

The bound is a parameter (``bound(λ)``): the mutation 1/(1−λ) makes both steps 2 and the numeric
check fail.
"""
import numpy as np
import sympy as sp

from regret.theory.proofs_runner import Proof, closed_sum


def _default_bound(lam):
    return 1 / (1 - lam) ** 2


def check(ctx, bound=_default_bound, lams=(0.5, 0.9, 0.99, 0.999), T=100_000):
    lam = sp.Symbol("lambda", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    y = sp.Symbol("y", nonnegative=True)
    ctx.symbolic("√t ≤ t for t ≥ 1: with t = x², x = 1 + y ≥ 1, x² − x = x(x − 1) ≥ 0",
                 sp.factor(((1 + y) ** 2 - (1 + y))).is_nonnegative is True)
    series = closed_sum(t * lam ** (t - 1), (t, 1, sp.oo))
    ctx.identity("Σ_{t≥1} tλ^{t−1} equals the claimed bound", series, bound(lam), series=str(series))
    b1, l2 = sp.symbols("beta1 lambda", positive=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)  # n = t − 1
    b1t = b1 * l2 ** n
    diff = sp.factor(sp.together(l2 ** n / (1 - b1) - b1t / (1 - b1t)))
    # with β1 = 1/(1+r) (r > 0: β1 ∈ (0,1)) and λ^n = 1/(1+y) (y ≥ 0: λ^n ∈ (0,1]) the difference must be ≥ 0
    q, r = sp.symbols("q r", positive=True)
    diff_s = sp.factor(sp.together((q / (1 - b1) - b1 * q / (1 - b1 * q)).subs({b1: 1 / (1 + r), q: 1 / (1 + y)})))
    ctx.symbolic("β1,t/(1−β1,t) ≤ λ^{t−1}/(1−β1) for β1 ∈ (0,1), λ^{t−1} ∈ (0,1]", diff_s.is_nonnegative is True,
                 difference=str(diff), substituted=str(diff_s))

    tt = np.arange(1, T + 1, dtype=np.float64)
    ok, rows = True, {}
    for lv in lams:
        part = np.cumsum(lv ** (tt - 1) * np.sqrt(tt))
        b = float(bound(sp.Float(lv)))
        over = np.nonzero(part > b * (1 + 1e-12))[0]
        ok &= over.size == 0
        rows[str(lv)] = {"sum_to_T": float(part[-1]), "bound": b, "ratio": float(part[-1] / b),
                         "first_T_exceeding": int(over[0]) + 1 if over.size else None}
    ctx.numeric(f"partial sums Σ_{{t≤T}} λ^(t−1)√t ≤ bound, T ≤ {T}", ok, **rows)
    ctx.finding("(1−λ)²·Σλ^(t−1)√t = " + ", ".join(f"{k}: {v['ratio']:.3g}" for k, v in rows.items())
                + " — valid but loose as λ → 1")


PROOF = Proof(
    name="sum-lambda-sqrt",
    statement="Σ_{t=1}^T λ^{t−1}√t ≤ Σ_t tλ^{t−1} = 1/(1−λ)²; β1,t/(1−β1,t) ≤ λ^{t−1}/(1−β1) for β1,t = β1λ^{t−1}",
    citation="Kingma & Ba (arXiv:1412.6980v9) App. 10, Thm 10.5 proof; Reddi et al. (ICLR 2018) Corollary 1",
    check=check,
)


def test_sum_lambda_sqrt():
    PROOF.assert_holds()
