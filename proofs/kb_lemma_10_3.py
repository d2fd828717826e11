"""Kingma & Ba, Lemma 10.3: Σ_{t=1}^T √(g_{t,i}²/t) ≤ 2 G∞ ‖g_{1:T,i}‖₂ — false as printed; what is true.

Source: Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), Appendix 10, Lemma 10.3 (hypotheses
‖g_t‖₂ ≤ G, ‖g_t‖∞ ≤ G∞; "proof by induction over T"). It is used in the proof of Lemma 10.4 and so
of Theorem 4.1's second term.

Findings (checked below):
* The two sides scale differently: under g → c·g (and G∞ → c·G∞, the tightest constant) the left
  side is multiplied by c and the right side by c² (sympy). So the statement cannot hold for all
  gradient scales.
* Counterexample, d = 1, g_t = 1/√t (G = G∞ = 1): the left side is H_T = Σ_{t≤T} 1/t and the right
  side 2√H_T; H_T > 4 first at T = 31 (exact rational arithmetic: H_30 = 3.99499…, H_31 = 4.02724…).
  Also g_t = 1/2 for all t fails from T = 2 (exact).

What is proved (per coordinate; |g_t| ≤ G∞):
  (i)  Σ_t |g_t|/√t ≤ G∞ Σ_t t^{−1/2} ≤ 2G∞√T   (proofs/sum_inverse_sqrt.py);
  (ii) Σ_t |g_t|/√t ≤ ‖g_{1:T}‖₂ √(Σ_t 1/t) ≤ ‖g_{1:T}‖₂ √(1 + ln T)   (Cauchy–Schwarz, and
       1/t ≤ ln t − ln(t−1) for t ≥ 2 from ln(1+x) ≥ x/(1+x), whose derivative check is done by sympy);
  (iii) the printed form holds whenever ‖g_{1:T,i}‖₂ ≥ √T (root-mean-square gradient ≥ 1), by (i).
Numeric: along Adam trajectories (logistic, least squares, linear with drift, sparse logistic,
Reddi's sequence; 2 seeds; and a linear stream with N(0, 0.1²) gradients; T = 3000, G∞ = the
observed max_{s≤t} ‖g_s‖∞) the printed inequality is evaluated at every round and coordinate and its
failures are reported (it holds on the unit-scale problems and fails on the small-scale stream, as
the scaling argument predicts); (i) and (ii) must hold everywhere, and do.
"""
from fractions import Fraction

import numpy as np
import sympy as sp

import regret
from regret.theory.proofs_runner import Proof

PROBLEMS = (("logistic", {"d": 5}), ("least_squares", {"d": 5}), ("linear", {"d": 5, "drift": 1.0}),
            ("sparse-logistic", {"d": 20}), ("reddi", {"C": 3}))


def check(ctx, constant=2, T=3000, seeds=(0, 1)):
    c, G, L, R = sp.symbols("c G_inf L R", positive=True)
    scaled = sp.simplify((2 * (c * G) * (c * R)) / (2 * G * R))
    ctx.symbolic("scaling g → c·g: left side × c, right side 2G∞‖g‖₂ × c² (not homogeneous), so no constant "
                 "in front of G∞‖g‖₂ can hold for all scales (take c small)", scaled == c ** 2,
                 right_side_factor=str(scaled))

    H = Fraction(0)
    first = None
    for T_ in range(1, 200):
        H += Fraction(1, T_)
        if H > Fraction(constant, 1) ** 2 and first is None:
            first = (T_, H)
            break
    ok_ce = first is not None
    ctx.exact(f"counterexample g_t = 1/√t, G∞ = 1: H_T > {constant}·√H_T first at T = {first[0] if first else None}",
              ok_ce, "left side H_T = Σ 1/t, right side constant·√H_T", T=first[0] if first else None,
              H_T=float(first[1]) if first else None, rhs=float(constant * np.sqrt(float(first[1]))) if first else None)
    lhs2 = sp.Rational(1, 2) * (1 + 1 / sp.sqrt(2))
    rhs2 = constant * sp.Rational(1, 2) * sp.sqrt(2 * sp.Rational(1, 4))
    ctx.exact("counterexample g_t = 1/2 at T = 2: (1/2)(1 + 1/√2) > 2·(1/2)·√(1/2)", bool(lhs2 > rhs2),
              lhs=str(lhs2), rhs=str(sp.nsimplify(rhs2)), lhs_value=float(lhs2), rhs_value=float(rhs2))
    if ok_ce:
        ctx.finding(f"Lemma 10.3 as printed fails for g_t = 1/√t at T = {first[0]} (H_T = {float(first[1]):.5f} > "
                    f"2√H_T = {2 * float(first[1]) ** 0.5:.5f}) and for g_t ≡ 1/2 at T = 2")

    x = sp.Symbol("x", positive=True)
    f = sp.log(1 + x) - x / (1 + x)
    fprime = sp.simplify(sp.diff(f, x))
    ctx.symbolic("ln(1+x) ≥ x/(1+x): f(0) = 0 and f'(x) = x/(1+x)² ≥ 0, so 1/t ≤ ln t − ln(t−1) (x = 1/(t−1))",
                 f.subs(x, 0) == 0 and sp.simplify(fprime - x / (1 + x) ** 2) == 0, derivative=str(fprime))
    t = sp.Symbol("t", integer=True, positive=True)
    ctx.identity("x/(1+x) at x = 1/(t−1) is 1/t", (x / (1 + x)).subs(x, 1 / (t - 1)), 1 / t)

    n_fail, n_checked, first_fail, worst_ratio = 0, 0, [], 0.0
    ok_true = True
    opt = regret.optimizer("adam", alpha=0.01)
    rng = np.random.default_rng(np.random.SeedSequence([10, 3]))
    small = regret.from_arrays("linear", regret.box(5, -1.0, 1.0), 0.1 * rng.standard_normal((T, 5)),
                               name="gaussian-0.1")
    runs = [(name, seed, regret.problem(name, **kw)) for name, kw in PROBLEMS for seed in seeds]
    runs.append(("linear N(0, 0.1²) stream", 0, small))
    for name, seed, prob in runs:
        tr = ctx.trajectory(opt, prob, T, seed=seed)
        g = np.abs(tr.g)
        tt = np.arange(1, T + 1, dtype=np.float64)[:, None]
        lhs = np.cumsum(g / np.sqrt(tt), axis=0)
        norm = np.sqrt(np.cumsum(g * g, axis=0))
        G_inf = np.maximum.accumulate(g.max(axis=1))[:, None]  # max_{s≤t} ‖g_s‖∞
        printed = constant * G_inf * norm
        bad = lhs > printed * (1 + 1e-12)
        n_fail += int(bad.sum())
        n_checked += bad.size
        if bad.any():
            k = int(np.argmax(bad.any(axis=1)))
            first_fail.append(f"{name} seed {seed}: T = {k + 1}")
            worst_ratio = max(worst_ratio, float(np.max(lhs / np.maximum(printed, 1e-300))))
        harmonic = np.cumsum(1.0 / tt[:, 0])[:, None]
        ok_true &= bool(np.all(lhs <= 2 * G_inf * np.sqrt(tt) * (1 + 1e-12)))
        ok_true &= bool(np.all(lhs <= norm * np.sqrt(harmonic) * (1 + 1e-12)))
        ok_true &= bool(np.all(np.log(tt[:, 0]) + 1 >= harmonic[:, 0]))
    ctx.numeric("along the trajectories: (i) Σ|g_t|/√t ≤ 2G∞√T and (ii) ≤ ‖g‖₂√(Σ1/t), Σ1/t ≤ 1 + ln T, "
                "at every round and coordinate", ok_true, checked=n_checked)
    ctx.finding(f"printed Lemma 10.3 along Adam trajectories: fails at {n_fail} of {n_checked} (round, coordinate) "
                f"checks; first failures: {'; '.join(first_fail) if first_fail else 'none'}; "
                f"largest left/right ratio {worst_ratio:.3g}")


PROOF = Proof(
    name="kingma-ba-lemma-10.3",
    statement="printed Σ_t √(g_{t,i}²/t) ≤ 2G∞‖g_{1:T,i}‖₂ is false (g_t = 1/√t, T = 31); true: ≤ 2G∞√T and "
              "≤ ‖g_{1:T,i}‖₂√(1+ln T)",
    citation="Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), Appendix 10, Lemma 10.3",
    check=check,
)


def test_kingma_ba_lemma_10_3():
    PROOF.assert_holds()
