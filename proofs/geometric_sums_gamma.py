"""The geometric sums in γ used by Kingma & Ba's and Reddi et al.'s regret proofs.

Sources: Kingma & Ba (arXiv:1412.6980v9), Appendix 10, proof of Lemma 10.4 ("Σ_t tγ^t < 1/(1−γ)²",
γ = β1²/√β2) and Theorem 10.5; Reddi, Kale & Kumar (ICLR 2018, arXiv:1904.09237), proof of
Theorem 4 / Lemma 2 (Σ_j γ^{t−j} ≤ 1/(1−γ), γ = β1/√β2).

Claims, for γ ∈ (0, 1) and every T ≥ 1:
  (a) Σ_{t=1}^T γ^{t−1} = (1−γ^T)/(1−γ) ≤ 1/(1−γ);
  (b) Σ_{t=1}^∞ tγ^t = γ/(1−γ)², and Σ_{t=1}^T tγ^t = γ/(1−γ)² − γ^{T+1}(T+1−Tγ)/(1−γ)² ≤ γ/(1−γ)² ≤ 1/(1−γ)²;
  (c) Σ_{t=1}^∞ tγ^{t−1} = 1/(1−γ)².
Checked: sympy's summation (finite and infinite, γ symbolic), the tail's sign (sympy, γ = 1/(1+s)),
and float partial sums for γ ∈ {0.1, 0.5, 0.9, 0.99, 0.999}, T ≤ 10⁵.

Finding (Kingma & Ba, Lemma 10.4's proof, as transcribed in docs/sources.md §S1.7 — a reading,
not re-checked against the PDF here): the proof bounds a sum over j of
tγ^j by 1/(1−γ)², but Σ_{j=0}^{t−1} tγ^j = t(1−γ^t)/(1−γ) grows like t/(1−γ): at γ = 1/2, t = 10
it is 10230/512 ≈ 19.98 > 4 = 1/(1−γ)² (exact). Only Σ_t tγ^t (the sum over the exponent's index)
has the bound.

The bound of (b) is a parameter (``bound_tgt(γ)``) for mutation tests: γ/(1−γ) instead of γ/(1−γ)²
makes the symbolic and the numeric step fail.
"""
import numpy as np
import sympy as sp

from regret.theory.proofs_runner import Proof, closed_sum


def _default_bound(g):
    return g / (1 - g) ** 2


def check(ctx, bound_tgt=_default_bound, gammas=(0.1, 0.5, 0.9, 0.99, 0.999), T=100_000):
    g = sp.Symbol("gamma", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    Tn = sp.Symbol("T", integer=True, positive=True)
    s_ = sp.Symbol("s", positive=True)

    fa = closed_sum(g ** (t - 1), (t, 1, Tn))
    ctx.identity("(a) Σ_{t≤T} γ^{t−1} = (1−γ^T)/(1−γ)", fa, (1 - g ** Tn) / (1 - g))
    ctx.symbolic("(a) ≤ 1/(1−γ): the difference γ^T/(1−γ) is ≥ 0 for γ = 1/(1+s) ∈ (0, 1)",
                 (g ** Tn / (1 - g)).subs(g, 1 / (1 + s_)).is_nonnegative is True)
    inf_b = closed_sum(t * g ** t, (t, 1, sp.oo))
    ctx.identity("(b) Σ_{t≥1} tγ^t equals the claimed bound", inf_b, bound_tgt(g), sum=str(inf_b))
    fin_b = closed_sum(t * g ** t, (t, 1, Tn))
    tail = g ** (Tn + 1) * (Tn + 1 - Tn * g) / (1 - g) ** 2
    ctx.identity("(b) Σ_{t≤T} tγ^t = γ/(1−γ)² − γ^{T+1}(T+1−Tγ)/(1−γ)²", fin_b, g / (1 - g) ** 2 - tail)
    tail_s = sp.factor(tail.subs(g, 1 / (1 + s_)))
    ctx.symbolic("(b) the tail γ^{T+1}(T+1−Tγ)/(1−γ)² is ≥ 0 (γ = 1/(1+s)), and γ/(1−γ)² ≤ 1/(1−γ)²",
                 tail_s.is_nonnegative is True and ((1 - g) / (1 - g) ** 2).subs(g, 1 / (1 + s_)).is_nonnegative is True,
                 tail=str(tail_s))
    inf_c = closed_sum(t * g ** (t - 1), (t, 1, sp.oo))
    ctx.identity("(c) Σ_{t≥1} tγ^{t−1} = 1/(1−γ)²", inf_c, 1 / (1 - g) ** 2)

    worst = {}
    ok = True
    tt = np.arange(1, T + 1, dtype=np.float64)
    for gam in gammas:
        part = np.cumsum(tt * gam ** tt)
        b = float(bound_tgt(sp.Float(gam)))
        over = np.nonzero(part > b * (1 + 1e-12))[0]
        worst[str(gam)] = {"partial_sum_at_T": float(part[-1]), "bound": b,
                           "first_T_exceeding": int(over[0]) + 1 if over.size else None}
        ok &= over.size == 0
    ctx.numeric(f"(b) partial sums Σ_{{t≤T}} tγ^t ≤ bound for T ≤ {T}", ok, **worst)

    mix = (10 * (1 - g ** 10) / (1 - g)).subs(g, sp.Rational(1, 2))
    ctx.exact("the proof's Σ_j tγ^j (sum over j < t) is not ≤ 1/(1−γ)²: at γ = 1/2, t = 10 it is 10230/512 > 4",
              mix == sp.Rational(10230, 512) and mix > 4, value=str(mix))
    ctx.finding("Kingma & Ba Lemma 10.4's proof bounds Σ_j tγ^j by 1/(1−γ)²; that sum is t(1−γ^t)/(1−γ) "
                f"(= {float(mix):.4g} > 4 at γ = 1/2, t = 10); only Σ_t tγ^t ≤ γ/(1−γ)² holds")


PROOF = Proof(
    name="geometric-sums-gamma",
    statement="Σ_{t≤T} γ^{t−1} ≤ 1/(1−γ); Σ_{t≤T} tγ^t ≤ Σ_{t≥1} tγ^t = γ/(1−γ)² ≤ 1/(1−γ)²; Σ tγ^{t−1} = 1/(1−γ)²",
    citation="Kingma & Ba (arXiv:1412.6980v9) App. 10, Lemma 10.4 proof; Reddi et al. (ICLR 2018) Thm 4 proof",
    check=check,
)


def test_geometric_sums_gamma():
    PROOF.assert_holds()
