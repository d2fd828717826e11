"""Bias correction of Adam's moment estimates.

Source: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (arXiv:1412.6980v9),
§3 "Initialization bias correction", eqs. (1)–(4); the derivation for m_t "is completely analogous".

Claim. For β ∈ [0, 1) and every t ≥ 1,

    (1 − β) Σ_{i=1}^{t} β^{t−i} = 1 − β^t.

With m_0 = v_0 = 0 and the updates of Algorithm 1, m_t = (1−β1) Σ_i β1^{t−i} g_i and
v_t = (1−β2) Σ_i β2^{t−i} g_i² (eq. 1). If the moments are stationary (E[g_i] = E[g],
E[g_i²] = E[g²] for all i), linearity of expectation and the identity give

    E[m_t] = E[g] (1 − β1^t),     E[v_t] = E[g²] (1 − β2^t)     (eqs. 2–4 with ζ = 0),

so m̂_t = m_t/(1−β1^t) and v̂_t = v_t/(1−β2^t) are unbiased. Without stationarity the remainder
ζ = (1−β)Σ_i β^{t−i}(E[g_i] − E[g]) satisfies |ζ| ≤ max_i |E[g_i] − E[g]| · (1 − β^t).

How it is checked.
1. Unrolling (symbolic): U_t = (1−β) β^t Σ_{i≤t} g_i/β^i satisfies U_t − βU_{t−1} = (1−β)g_t for
   symbolic t (sympy evaluates the difference of the two sums), and the closed form equals the
   recursion as a polynomial in β, g_1..g_6 for t = 1..6.
2. The identity (symbolic): by induction (base t = 1; step 1 − β^{t+1} = β(1 − β^t) + (1 − β)),
   and independently sympy's closed-form summation for symbolic t.
3. Expectation (symbolic): E[U_t] with E[g_i] = μ + δ_i is μ(1 − β^t) + ζ; the bound on ζ.
4. Numeric, on the engine: Adam without bias correction on an i.i.d. stationary stream
   (linear losses whose gradients are the data: g ~ N(μ, 1), μ = 0.5, E[g²] = 1.25), 4 seeds ×
   500 coordinates: the sample means of v_t (the engine's record) and of m_t (replayed from the
   gradients and checked against the engine) agree with E[g²](1−β2^t) and E[g](1−β1^t) within
   5 standard errors for t = 1..20; the bias-corrected means agree with E[g²] and E[g].

The closed form is a parameter (``closed_form(beta, t)``) so that a mutation such as
1 − β^{t+1} makes steps 2 and 4 fail.
"""
import numpy as np
import sympy as sp
from sympy.series.limitseq import difference_delta

import regret
from regret.theory.audit import moments
from regret.theory.proofs_runner import Proof


def _default_closed_form(beta, t):
    return 1 - beta ** t


def check(ctx, closed_form=_default_closed_form, mu=0.5, beta1=0.8, beta2=0.9, seeds=4, d=500, T=20):
    b = sp.Symbol("beta", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    g = sp.IndexedBase("g")

    # 1. unrolling of the recursion
    W = sp.Sum(g[i] / b ** i, (i, 1, t))
    U = lambda n, w: (1 - b) * b ** n * w  # noqa: E731  U_n = (1−β) Σ_{i≤n} β^{n−i} g_i
    step = sp.expand(U(t + 1, W + difference_delta(W, t)) - b * U(t, W))
    ctx.identity("unrolled form satisfies m_t = β m_{t−1} + (1−β) g_t (symbolic t)", step, (1 - b) * g[t + 1],
                 "sympy: Σ_{i≤t+1} − Σ_{i≤t} of g_i/β^i is g_{t+1}/β^{t+1}")
    gs = sp.symbols("g1:7")
    rec = 0
    ok = True
    for n in range(1, 7):
        rec = sp.expand(b * rec + (1 - b) * gs[n - 1])
        closed = sp.expand((1 - b) * sum(b ** (n - k) * gs[k - 1] for k in range(1, n + 1)))
        ok = ok and sp.expand(rec - closed) == 0
    ctx.symbolic("recursion = closed form as polynomials in β, g_1..g_t, t = 1..6", ok)

    # 2. the geometric identity (1−β) Σ_{i=1}^t β^{t−i} = closed_form(β, t)
    cf = closed_form(b, t)
    base = sp.simplify((1 - b) - cf.subs(t, 1))
    ctx.symbolic("induction base t = 1: (1−β)·β⁰ = F(1)", base == 0, residual=str(base))
    ind = sp.simplify(b * cf + (1 - b) - cf.subs(t, t + 1))
    ctx.symbolic("induction step: β·F(t) + (1−β) = F(t+1)", ind == 0,
                 "(1−β)Σ_{i≤t+1} β^{t+1−i} = β·(1−β)Σ_{i≤t} β^{t−i} + (1−β)", residual=str(ind))
    geo = sp.summation((1 - b) * b ** (t - i), (i, 1, t))
    if isinstance(geo, sp.Piecewise):  # sympy separates β = 1; the claim is for β ∈ [0, 1)
        geo = next(expr for expr, cond in geo.args if cond != sp.Eq(b, 1))
    resid = sp.simplify(geo - cf)
    ctx.symbolic("sympy's closed-form summation agrees (β ≠ 1, symbolic t)", resid == 0,
                 summation=str(geo), residual=str(resid))

    # 3. expectation: linearity, the stationary part and the remainder ζ
    mu_s = sp.Symbol("mu", real=True)
    r = sp.simplify(mu_s * geo - mu_s * cf)
    ctx.symbolic("E[(1−β)Σβ^{t−i}g_i] = (1−β)Σβ^{t−i}E[g] = E[g]·F(t) under stationarity", r == 0,
                 residual=str(r))
    s_ = sp.Symbol("s", positive=True)  # β = 1/(1+s) ranges over (0, 1)
    w = ((1 - b) * b ** (t - i)).subs(b, 1 / (1 + s_))
    ctx.symbolic("the weights (1−β)β^{t−i} are ≥ 0 for β ∈ (0, 1), so |ζ| ≤ max_i|E g_i − E g|·F(t)",
                 w.is_nonnegative is True, "triangle inequality, then the identity of step 2", weight=str(w))

    # 4. numeric: Monte Carlo on the engine
    opt = regret.optimizer("adam", alpha=1e-3, beta1=beta1, beta2=beta2, eps=0.0, bias_correction=False)
    samples_v, samples_m = [], []
    for s in range(seeds):
        rng = np.random.default_rng(np.random.SeedSequence([20150101, s]))
        inst = regret.from_arrays("linear", regret.unbounded(d), mu + rng.standard_normal((T, d)))
        tr = ctx.trajectory(opt, inst, T)
        mo = moments(tr)
        if not mo.agrees:
            ctx.numeric("replayed moments agree with the engine", False, vhat_deviation=mo.vhat_deviation,
                        ratio_deviation=mo.ratio_deviation)
            return
        samples_v.append(tr.vhat)  # no bias correction: the engine's v̂ is v itself
        samples_m.append(mo.m)
    V = np.concatenate(samples_v, axis=1)  # (T, seeds·d)
    M = np.concatenate(samples_m, axis=1)
    n = V.shape[1]
    tt = np.arange(1, T + 1)
    Eg, Eg2 = mu, mu * mu + 1.0
    f1 = np.array([float(closed_form(beta1, int(k))) for k in tt])
    f2 = np.array([float(closed_form(beta2, int(k))) for k in tt])
    worst = {}
    for label, X, expected in (("v", V, Eg2 * f2), ("m", M, Eg * f1),
                               ("v̂", V / (1 - beta2 ** tt)[:, None], np.full(T, Eg2)),
                               ("m̂", M / (1 - beta1 ** tt)[:, None], np.full(T, Eg))):
        se = X.std(axis=1, ddof=1) / np.sqrt(n)
        z = np.abs(X.mean(axis=1) - expected) / se
        k = int(np.argmax(z))
        worst[label] = {"max_z": float(z[k]), "round": int(k + 1), "mean": float(X.mean(axis=1)[k]),
                        "expected": float(expected[k]), "standard_error": float(se[k])}
    ok = all(w["max_z"] <= 5.0 for w in worst.values())
    ctx.numeric(f"Monte Carlo over {n} stationary streams: E[v_t] = E[g²]·F2(t), E[m_t] = E[g]·F1(t), "
                f"and the corrected means equal E[g²], E[g] (|z| ≤ 5, t = 1..{T})", ok,
                "sample mean vs claimed expectation, in standard errors; worst round per quantity",
                **{k: v for k, v in worst.items()})


PROOF = Proof(
    name="bias-correction",
    statement="(1−β)Σ_{i=1}^t β^{t−i} = 1−β^t; under stationarity E[m_t] = E[g](1−β1^t), E[v_t] = E[g²](1−β2^t)",
    citation="Kingma & Ba, ICLR 2015 (arXiv:1412.6980v9), §3, eqs. (1)–(4)",
    check=check,
)


def test_bias_correction():
    PROOF.assert_holds()
