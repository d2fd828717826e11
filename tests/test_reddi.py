"""Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond" (ICLR 2018, arXiv:1904.09237), and
Phuong & Phong (IEEE Access 2019, arXiv:1904.03590) Example 3.2, reproduced by the engine.

Every expected number below is derived independently of the engine: by hand (written out in the
comments), from a closed-form steady state, or by a plain-Python loop of the published update.
Indices follow the protocol of docs/architecture.md: ``res.iterates[0, t−1]`` is x_t (x_1 = the start), round t has loss f_t.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import regret

# ------------------------------------------------------------------------------------------------
# an independent plain-Python loop: Reddi et al.'s projected Adam (Alg. 1 with their φ_t, ψ_t, no
# bias correction) and AMSGrad (Alg. 2), on F = [−1, 1] (the weighted projection of a scalar is the
# clamp), with β1,t = β1 λ^{t−1} and α_t = α/√t
# ------------------------------------------------------------------------------------------------


def reddi_grad(t: int, C: float, period: int, s: float) -> float:
    """∇f_t: f_t(x) = C x if t mod period = 1, else −s x."""
    return C if t % period == 1 else -s


def plain_run(T, C, period, s, alpha, beta1, beta2, amsgrad, lam=1.0, x1=1.0, bias_correction=False):
    """x_1..x_{T+1} in plain Python floats."""
    x, m, v, vhat = x1, 0.0, 0.0, 0.0
    xs = [x]
    for t in range(1, T + 1):
        g = reddi_grad(t, C, period, s)
        b1t = beta1 * lam ** (t - 1)
        m = b1t * m + (1.0 - b1t) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        if amsgrad:
            vhat = max(vhat, v)
            den = math.sqrt(vhat)
        elif bias_correction:  # Kingma & Ba Alg. 1 (β1 = 0 here, so m̂ = m)
            den = math.sqrt(v / (1.0 - beta2 ** t))
        else:
            den = math.sqrt(v)
        x = x - (alpha / math.sqrt(t)) * m / den
        x = min(1.0, max(-1.0, x))
        xs.append(x)
    return np.array(xs)


def plain_regret(xs, T, C, period, s):
    """R(T) = Σ_{t≤T} f_t(x_t) − min_{x∈[−1,1]} Σ_t f_t(x) = Σ_t g_t x_t + |Σ_t g_t|."""
    g = [reddi_grad(t, C, period, s) for t in range(1, T + 1)]
    return math.fsum(gi * xi for gi, xi in zip(g, xs[:T])) + abs(math.fsum(g))


def _run(opt, prob, T, checkpoints=None):
    return regret.run(opt, prob, T=T, record_iterates=True, checkpoints=checkpoints)


# ------------------------------------------------------------------------------------------------
# Theorem 1: f_t(x) = C x (t mod 3 = 1) else −x on [−1, 1], β1 = 0, β2 = 1/(1 + C²), α_t = α/√t
# ------------------------------------------------------------------------------------------------
ALPHA = 0.5


def adam_reddi(C, bias_correction=False):
    return regret.optimizer("adam", alpha=ALPHA, beta1=0.0, beta2=1.0 / (1.0 + C * C), eps=0.0,
                            schedule="sqrt", bias_correction=bias_correction)


def amsgrad_reddi(C):
    return regret.optimizer("amsgrad", alpha=ALPHA, beta1=0.0, beta2=1.0 / (1.0 + C * C), schedule="sqrt")


@pytest.mark.parametrize("C", [3.0, 4.0])
@pytest.mark.parametrize("which", ["adam", "adam-bias-corrected", "amsgrad"])
def test_theorem1_trajectory_equals_plain_loop(C, which):
    T = 3000
    if which == "amsgrad":
        opt, kw = amsgrad_reddi(C), dict(amsgrad=True)
    else:
        bc = which == "adam-bias-corrected"
        opt, kw = adam_reddi(C, bc), dict(amsgrad=False, bias_correction=bc)
    res = _run(opt, regret.problem("reddi", C=C), T, checkpoints=[T])
    ref = plain_run(T, C, 3, 1.0, ALPHA, 0.0, 1.0 / (1.0 + C * C), **kw)
    np.testing.assert_allclose(res.iterates[0, :, 0], ref, rtol=0, atol=1e-13)
    assert res.regret[0, -1] == pytest.approx(plain_regret(ref, T, C, 3, 1.0), rel=1e-12)


@pytest.mark.parametrize("C", [3.0, 4.0])
@pytest.mark.parametrize("bias_correction", [False, True])
def test_theorem1_adam_linear_regret(C, bias_correction):
    """Adam (Reddi's form, and Kingma & Ba's bias-corrected form) returns to x = 1 at the start of
    every 3-block and R(T)/T → 2(C−2)/3.

    Hand derivation (T a multiple of 3). The comparator: Σ_t g_t = (T/3)(C − 2) > 0, so
    min_{x∈[−1,1]} Σ f_t(x) = −(C − 2)T/3, at x = −1 (it earns −(C − 2) per block).
    The learner: with x_{3k+1} = 1 and x ≤ 1, a block costs C·1 − x_{3k+2} − x_{3k+3} ≥ C − 2.
    Hence R(T)/T ≥ 2(C − 2)/3. Conversely 1 − x_{3k+2}, 1 − x_{3k+3} ≤ the step sizes |Δ| taken
    since the block start (the clamp is non-expansive and 1 ∈ F), and with β1 = 0,
    |Δ_t| = α_t |g_t|/√v̂_t ≤ α_t/√(1 − β2) because v̂_t ≥ v_t ≥ (1 − β2) g_t². So the excess is
    ≤ 2 Σ_{t≤T} α_t/√(1 − β2) ≤ 4α√T/√(1 − β2) and
        2(C − 2)/3 ≤ R(T)/T ≤ 2(C − 2)/3 + 4α/√((1 − β2) T).
    (T = 3·10⁴: the bracket is 0.0122 wide at C = 3; the measured excess is 0.0026, and the
    reference's R/T = 0.6675 at T = 3·10⁵ for the bias-corrected form lies in its own bracket.)
    """
    beta2 = 1.0 / (1.0 + C * C)
    T = 30_000
    cps = [300, 3000, T]
    res = _run(adam_reddi(C, bias_correction), regret.problem("reddi", C=C), T, checkpoints=cps)
    x = res.iterates[0, :, 0]
    assert np.all(x[0::3] == 1.0)  # x_{3k+1} = 1 for every block, exactly (the clamp)
    assert np.all(x <= 1.0)
    limit = 2.0 * (C - 2.0) / 3.0
    for Tk, R in zip(cps, res.regret[0]):
        width = 4.0 * ALPHA / math.sqrt((1.0 - beta2) * Tk)
        assert limit - 1e-12 <= R / Tk <= limit + width, (Tk, R / Tk, limit, width)
    # and the excess over the limit shrinks as T grows (R/T → 2(C−2)/3, not just bounded)
    excess = res.regret[0] / np.array(cps) - limit
    assert np.all(np.diff(excess) < 0)
    # the comparator of the engine is the hand-derived one
    assert res.comparator_loss[0, -1] == pytest.approx(-(C - 2.0) * T / 3.0, rel=1e-15)
    assert res.x_star[0, -1, 0] == -1.0


@pytest.mark.parametrize("C", [3.0, 4.0])
def test_theorem1_amsgrad_sublinear_regret(C):
    """AMSGrad on the same instance goes to x = −1 and R(T)/T → 0.

    Hand derivation of the steady state (β1 = 0, so m_t = g_t). The running max v̂ is the value of
    v after a C-round; the three v's of a block satisfy v_a = β2 v_c + (1−β2)C², v_b = β2 v_a +
    (1−β2), v_c = β2 v_b + (1−β2), whose fixed point is
        V* = (1 − β2)(C² + β2 + β2²)/(1 − β2³)
    (approached from below at rate β2³ per block). Once x_{3k+2} = −1 (the C-round pushes x down
    by C α/√V* and the clamp stops it at −1):
        x_{3k+3} = −1 + α_{3k+2}/√V*,  x_{3k+4} = −1 + (α_{3k+2} + α_{3k+3})/√V*,  x_{3k+5} = −1
    (the last because C α_{3k+4} ≥ α_{3k+2} + α_{3k+3} for C ≥ 2: 9(3k+2) ≥ 4(3k+4) at C = 3).
    The rounds 3k+2, 3k+3, 3k+4 cost 2 − C + [(C−1)α_{3k+2} + C α_{3k+3}]/√V* and the comparator
    earns −(C − 2) on them, so
        R(3k₂+1) − R(3k₁+1) = Σ_{k=k₁}^{k₂−1} [(C−1)α_{3k+2} + C α_{3k+3}]/√V*,
    which is O(√T): R(T)/T → 0, and x_t → −1 at the rate α_t.
    """
    beta2 = 1.0 / (1.0 + C * C)
    k1, k2 = 1000, 10_000
    T1, T2 = 3 * k1 + 1, 3 * k2 + 1
    res = _run(amsgrad_reddi(C), regret.problem("reddi", C=C), T2, checkpoints=[T1, T2])
    x = res.iterates[0, :, 0]
    V = (1.0 - beta2) * (C * C + beta2 + beta2 ** 2) / (1.0 - beta2 ** 3)
    assert res.vhat[0, -1, 0] == pytest.approx(V, rel=1e-14)
    assert np.all(x[3 * k1 + 1::3] == -1.0)  # x_{3k+2} = −1 for k ≥ k₁ (index 3k+1 is x_{3k+2})

    def alpha(t):
        return ALPHA / math.sqrt(t)

    predicted = math.fsum(((C - 1.0) * alpha(3 * k + 2) + C * alpha(3 * k + 3)) / math.sqrt(V)
                          for k in range(k1, k2))
    measured = res.regret[0, 1] - res.regret[0, 0]
    assert measured == pytest.approx(predicted, rel=1e-11)
    # x_t → −1: the largest distance in the last block is (α_{T−2} + α_{T−1})/√V*
    last = x[-4:]
    assert np.all(last >= -1.0)
    assert np.max(last) == pytest.approx(-1.0 + (alpha(T2 - 2) + alpha(T2 - 1)) / math.sqrt(V), rel=1e-12)
    # R(T)/T → 0: the increment per round decays like 1/√t, so R/T at T₂ is far below T₁'s
    assert res.regret[0, 1] / T2 < 0.5 * res.regret[0, 0] / T1
    assert res.regret[0, 1] / T2 < 0.01


# ------------------------------------------------------------------------------------------------
# Phuong & Phong (2019), Example 3.2: AMSGrad on the Figure-1 losses, first iterates
# ------------------------------------------------------------------------------------------------
def test_phuong_phong_example_3_2_first_iterates():
    """f_t(x) = 1010x if t mod 101 = 1, else −10x, on [−1, 1]; x_1 = 1; AMSGrad with β1 = 0.9,
    β1,t = β1 λ^{t−1} (λ = 0.001), β2 = 0.999, α_t = 0.001/√t, no ε.

    Independent values: (i) by hand, x_2 = 1 − 0.001·m_1/√v̂_1 with m_1 = 0.1·1010 = 101 and
    v̂_1 = 0.001·1010², i.e. x_2 = 1 − 0.1·√0.001 = 1 − √10/1000; (ii) the plain-Python loop; (iii)
    docs/sources.md §S4.2's values; (iv) the paper prints x_2 ≈ 0.99684 and x_3 ≈ 0.99706 (5 digits)."""
    opt = regret.optimizer("amsgrad", alpha=0.001, beta1=0.9, lam=0.001, beta2=0.999, schedule="sqrt")
    res = regret.run(opt, regret.problem("reddi-fig1"), T=3, record_iterates=True, comparator=False)
    x2, x3, x4 = res.iterates[0, 1:, 0]
    ref = plain_run(3, 1010.0, 101, 10.0, 0.001, 0.9, 0.999, amsgrad=True, lam=0.001)
    assert x2 == pytest.approx(1.0 - math.sqrt(10.0) / 1000.0, abs=1e-12)
    for mine, theirs in zip((x2, x3, x4), ref[1:]):
        assert mine == pytest.approx(theirs, abs=1e-12)
    for mine, theirs in zip((x2, x3, x4), (0.9968377223398316, 0.9970569034941291, 0.9972376700131326)):
        assert mine == pytest.approx(theirs, abs=1e-12)
    assert round(x2, 5) == 0.99684 and round(x3, 5) == 0.99706


# ------------------------------------------------------------------------------------------------
# Reddi et al. Figure 1 (online): 1010x once every 101 rounds, else −10x; β1 = 0.9, β2 = 0.99.
# The paper gives neither α nor T; ours: α_t = α/√t with α = 0.001 for Adam (T = 202 000) and
# α = 0.5 for AMSGrad (T = 1 010 000, where it has reached −1). Each run takes < 0.5 s.
# ------------------------------------------------------------------------------------------------
FIG1_B1, FIG1_B2 = 0.9, 0.99


def _step_bound():
    """|m_t|/√v_t ≤ (1−β1)/(√(1−β2)·√(1−β1²/β2)) for the EMAs m, v (Cauchy–Schwarz on
    Σ_i β1^{t−i} g_i = Σ_i (β1/√β2)^{t−i}·√β2^{t−i} g_i); for AMSGrad v̂ ≥ v, so the same bound."""
    return (1.0 - FIG1_B1) / (math.sqrt(1.0 - FIG1_B2) * math.sqrt(1.0 - FIG1_B1 ** 2 / FIG1_B2))


def test_figure1_online_adam_linear_regret():
    """Hand derivation. A period's gradients sum to 1010 − 100·10 = 10 > 0, so the comparator is
    x = −1, earning −10 per period. With β1 = 0.9 the momentum of the −10 rounds delays Adam's
    return to x = 1 during the first periods (87 of them here), so the claim is made for the
    periods after a round T₀ = 101·P₀ from which x = 1 at every period start (checked). On such a
    period Adam pays ≥ 1010 − 10·100 = 10 (x ≤ 1), so (R(T) − R(T₀))/(T − T₀) ≥ 20/101. Conversely
    each −10x round costs 10(1 − x_t) more, 1 − x_t ≤ Σ of the |Δ_s| since the period start, and
    |Δ_s| ≤ K α_s (K from :func:`_step_bound`), so a period starting at round p adds at most
    10·K·α_p·(1 + 2 + … + 100) = 50 500·K·α_p:
        20/101 ≤ (R(T) − R(T₀))/(T − T₀) ≤ 20/101 + 50 500·K·Σ_{periods after T₀} α_p/(T − T₀).
    R(T₀)/T → 0, so R(T)/T → 20/101."""
    alpha, periods, P0 = 0.001, 2000, 100
    T, T0 = 101 * periods, 101 * P0
    opt = regret.optimizer("adam", alpha=alpha, beta1=FIG1_B1, beta2=FIG1_B2, eps=0.0, schedule="sqrt",
                           bias_correction=False)
    cps = [T0, 101 * 200, 101 * 1000, T]
    res = _run(opt, regret.problem("reddi-fig1"), T, checkpoints=cps)
    x = res.iterates[0, :, 0]
    assert np.all(x[T0::101] == 1.0) and np.all(x <= 1.0)
    # trajectory = the plain-Python loop of the same update (first 20 periods)
    ref = plain_run(2020, 1010.0, 101, 10.0, alpha, FIG1_B1, FIG1_B2, amsgrad=False)
    np.testing.assert_allclose(x[:2021], ref, rtol=0, atol=1e-13)
    K = _step_bound()
    R0 = res.regret[0, 0]
    for Tk, R in zip(cps[1:], res.regret[0, 1:]):
        slack = 50_500 * K * math.fsum(alpha / math.sqrt(101 * p + 1) for p in range(P0, Tk // 101)) / (Tk - T0)
        rate = (R - R0) / (Tk - T0)
        assert 20 / 101 - 1e-12 <= rate <= 20 / 101 + slack, (Tk, rate, slack)
    excess = res.regret[0] / np.array(cps) - 20 / 101
    assert np.all(np.diff(excess) < 0)  # R(T)/T converges to the limit


def test_figure1_online_amsgrad_goes_to_minus_one():
    """AMSGrad on the same losses: x_t → −1 and R(T) grows like √T.

    Over the last period: the 1010-round clamps x to −1 (checked: the minimum is −1) and the −10
    rounds move it up by at most Σ|Δ_s| ≤ 101·K·α_{T−101} (K from :func:`_step_bound`), so
    x_t ∈ [−1, −1 + 101 K α_{T−101}] there: → −1 as T → ∞."""
    alpha, periods = 0.5, 10_000
    T = 101 * periods
    opt = regret.optimizer("amsgrad", alpha=alpha, beta1=FIG1_B1, beta2=FIG1_B2, schedule="sqrt")
    cps = [T // 100, T // 10, T]
    res = _run(opt, regret.problem("reddi-fig1"), T, checkpoints=cps)
    x = res.iterates[0, :, 0]
    last = x[-102:]
    assert np.min(last) == -1.0
    assert np.max(last) <= -1.0 + 101 * _step_bound() * alpha / math.sqrt(T - 101)
    assert np.max(last) < -0.99
    # trajectory = the plain-Python loop (first 20 periods)
    ref = plain_run(2020, 1010.0, 101, 10.0, alpha, FIG1_B1, FIG1_B2, amsgrad=True)
    np.testing.assert_allclose(x[:2021], ref, rtol=0, atol=1e-13)
    # sublinear regret: R(T)/√T does not grow, so R(T)/T falls at least like 1/√T
    R = res.regret[0]
    assert np.all(np.diff(R / np.sqrt(cps)) <= 0)
    assert R[-1] / T < 20 / 101 / 4
