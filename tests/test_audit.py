"""regret.theory.audit: the Γ_t audit, the effective-step audit and its suprema, trajectories with
recomputed gradients and the moment replay. Expected numbers are derived by hand or by an
independent pure-Python recursion (stated at each test)."""
import math

import numpy as np
import pytest

import regret
from regret.theory import audit
from regret.errors import InvalidInput

REDDI = regret.problem("reddi", C=3)


def _adam_reddi(bias_correction=False, T=30):
    opt = regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, eps=0.0, schedule="sqrt",
                           bias_correction=bias_correction)
    return regret.run(opt, REDDI, T, record_state=True, comparator=False)


def _reddi_gamma_by_hand(T, bias_correction):
    """Γ_t, t = 2..T, from the recursion v ← 0.1v + 0.9g² with g = 3, −1, −1, ... (pure Python)."""
    v, ratio = 0.0, []
    for t in range(1, T + 1):
        g = 3.0 if t % 3 == 1 else -1.0
        v = 0.1 * v + 0.9 * g * g
        vh = v / (1 - 0.1 ** t) if bias_correction else v
        ratio.append(math.sqrt(vh) / (0.5 / math.sqrt(t)))
    return np.diff(ratio)


@pytest.mark.parametrize("bc", [False, True])
def test_gamma_fails_for_adam_on_reddi(bc):
    T = 30
    au = audit.gamma(_adam_reddi(bc, T))
    expected = _reddi_gamma_by_hand(T, bc)
    np.testing.assert_allclose(au.gamma[0, :, 0], expected, rtol=1e-12)
    assert not au.holds and au.first_round == 2
    # the rounds t ≢ 1 (mod 3) after the C-gradient: 2, 3, 5, 6, ..., 29, 30 → 20 of them
    assert au.failing_rounds.tolist() == [t for t in range(2, T + 1) if t % 3 != 1]
    assert au.failures == 20
    assert au.most_negative == pytest.approx(expected.min(), rel=1e-12)
    assert au.most_negative_at["round"] == int(np.argmin(expected)) + 2
    s = au.summary()
    assert s["first_round"] == 2 and s["failures"] == 20 and not s["holds"]
    assert au.failing_coordinates.tolist() == [0]
    first = au.failing_entries(2)
    assert [e["round"] for e in first] == [2, 3] and first[0]["gamma"] == pytest.approx(expected[0], rel=1e-12)
    assert len(au.failing_entries(None)) == 20
    assert "FAILS" in au.text() and "first at t = 2" in au.text()


def test_gamma_2_value_by_hand():
    # v_1 = 0.9·9 = 8.1, v_2 = 0.1·8.1 + 0.9 = 1.71; Γ_2 = √1.71/(0.5/√2) − √8.1/0.5
    au = audit.gamma(_adam_reddi(False, 3))
    assert au.gamma[0, 0, 0] == pytest.approx(2 * math.sqrt(2 * 1.71) - 2 * math.sqrt(8.1), rel=1e-13)


def test_gamma_holds_for_amsgrad_adagrad_sgd():
    for opt in (regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt"),
                regret.optimizer("amsgrad", alpha=0.5, beta1=0.9, beta2=0.99, schedule="sqrt"),
                regret.optimizer("adagrad", alpha=0.5, eps=0.0),
                regret.optimizer("sgd", alpha=0.5, schedule="sqrt")):
        for prob in (REDDI, regret.problem("logistic", d=4)):
            au = audit.gamma(regret.run(opt, prob, 1000, seeds=2, record_state=True, comparator=False))
            assert au.holds and au.failures == 0 and au.first_round is None, au.text()
            assert au.most_negative >= 0


def test_torch_amsgrad_gamma_depends_on_the_schedule():
    # V_t = M_t/(1−β2^t) with M_t the running max. Constant α: V_{t+1}/V_t = (1−β2^t)/(1−β2^{t+1}) < 1
    # whenever the max does not move, so Γ < 0. α/√t: Γ ≥ 0 ⟺ V_{t+1}/V_t ≥ t/(t+1), and
    # (1−β^t)/(1−β^{t+1}) ≥ t/(t+1) because (1−β^t)/t = (1−β)·mean(1, β, ..., β^{t−1}) decreases.
    const = regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.9, bias_correction=True)
    sqrt_ = regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.9, bias_correction=True, schedule="sqrt")
    a = audit.gamma(regret.run(const, REDDI, 300, record_state=True, comparator=False))
    b = audit.gamma(regret.run(sqrt_, REDDI, 300, record_state=True, comparator=False))
    assert not a.holds and a.first_round == 2
    assert b.holds


def test_sqrt_V_per_optimizer():
    res = regret.run(regret.optimizer("adamax", alpha=0.1, beta2=0.5), REDDI, 4, record_state=True, comparator=False)
    # u: 3, max(1.5, 1) = 1.5, max(0.75, 1) = 1, max(0.5, 3) = 3 (by hand)
    np.testing.assert_allclose(audit.sqrt_V(res)[0, :, 0], [3, 1.5, 1, 3])
    res = regret.run(regret.optimizer("amsgrad", alpha=0.1, beta1=0, beta2=0.5, bias_correction=True), REDDI, 2,
                     record_state=True, comparator=False)
    # v_1 = 4.5 → V_1 = 4.5/0.5 = 9; v_2 = 2.25 + 0.5 = 2.75, max 4.5 → V_2 = 4.5/0.75 = 6
    np.testing.assert_allclose(audit.sqrt_V(res)[0, :, 0] ** 2, [9.0, 6.0])
    res = regret.run(regret.optimizer("sgd", alpha=0.1), REDDI, 3, comparator=False)
    assert np.all(audit.sqrt_V(res) == 1.0)
    with pytest.raises(InvalidInput, match="record_state"):
        audit.gamma(regret.run(regret.optimizer("adam"), REDDI, 3, comparator=False))
    with pytest.raises(InvalidInput, match="tol"):
        audit.gamma(res, tol=-1)
    assert "max" in audit.v_meaning(regret.optimizer("amsgrad"))
    assert "EMA" in audit.v_meaning(regret.optimizer("adam", bias_correction=False))


def test_step_suprema_closed_forms():
    t = np.arange(1, 51)
    # β1 = 0: B_t = √((1−β2^t)/(1−β2)) (single spike); β1 = β2: B_t = 1 (proofs/effective_step_adam.py)
    np.testing.assert_allclose(audit.adam_step_sup(0.0, 0.9, 50), np.sqrt((1 - 0.9 ** t) / 0.1), rtol=1e-13)
    np.testing.assert_allclose(audit.adam_step_sup(0.7, 0.7, 50), 1.0, rtol=1e-12)
    b1, b2 = 0.9, 0.99
    gp = b1 ** 2 / b2
    closed = (1 - b1) / (1 - b1 ** t) * np.sqrt((1 - b2 ** t) / (1 - b2)) * np.sqrt((1 - gp ** t) / (1 - gp))
    np.testing.assert_allclose(audit.adam_step_sup(b1, b2, 50), closed, rtol=1e-12)
    rho = b1 / b2
    np.testing.assert_allclose(audit.adamax_step_sup(b1, b2, 50), (1 - b1) / (1 - b1 ** t) * (1 - rho ** t) / (1 - rho),
                               rtol=1e-12)


def test_step_sup_with_decaying_beta1_matches_brute_force():
    b1, b2, lam, T = 0.9, 0.95, 0.9, 12
    b1t = b1 * lam ** np.arange(T)
    for n in range(1, T + 1):
        c = np.array([(1 - b1t[k]) * np.prod(b1t[k + 1:n]) for k in range(n)])  # m_n = Σ c_k g_k
        w = (1 - b2) * b2 ** (n - 1 - np.arange(n))
        brute = math.sqrt(np.sum(c * c / w)) * math.sqrt(1 - b2 ** n) / (1 - b1 ** n)  # Cauchy–Schwarz
        assert audit.adam_step_sup(b1, b2, T, lam=lam)[n - 1] == pytest.approx(brute, rel=1e-12)


def test_paper_bound_and_effective_step_audit():
    assert audit.paper_step_bound(0.9, 0.999) == pytest.approx(0.1 / math.sqrt(0.001))
    assert audit.paper_step_bound(0.9, 0.99) == 1.0  # (1−β1) = √(1−β2): the "otherwise" case
    # single spike: g = 0 until t = 20, then 1 → |Δ_20|/α = (1−β1)√(1−β2^20)/((1−β1^20)√(1−β2)) (by hand)
    g = np.zeros((20, 1))
    g[-1] = 1.0
    inst = regret.from_arrays("linear", regret.unbounded(1), g)
    opt = regret.optimizer("adam", alpha=0.01, beta1=0.5, beta2=0.9, eps=0.0)
    res = regret.run(opt, inst, 20, comparator=False)
    au = audit.effective_steps(res)
    assert au.max_ratio == pytest.approx(0.5 * math.sqrt(1 - 0.9 ** 20) / ((1 - 0.5 ** 20) * math.sqrt(0.1)), rel=1e-12)
    assert au.paper_bound == pytest.approx(0.5 / math.sqrt(0.1)) and not au.exceeds_paper and au.within_sup
    assert au.first_exceeding_checkpoint is None
    s = au.summary()
    assert set(s) >= {"max_ratio", "paper_bound", "exceeds_paper", "sup", "within_sup"}
    assert audit.effective_steps(regret.run(regret.optimizer("sgd"), REDDI, 5, comparator=False)).sup is None


def test_effective_step_audit_reports_an_exceedance():
    # extremal sequence g_k = (β1/β2)^{t−k} (proofs/effective_step_adam.py) with β1 = 0.5, β2 = 0.9
    T = 300
    g = (0.5 / 0.9) ** np.arange(T - 1, -1, -1.0)
    res = regret.run(regret.optimizer("adam", alpha=1e-3, beta1=0.5, beta2=0.9, eps=0.0),
                     regret.from_arrays("linear", regret.unbounded(1), g[:, None]), T, comparator=False,
                     checkpoints=np.arange(1, T + 1))
    au = audit.effective_steps(res)
    assert au.exceeds_paper and au.within_sup
    assert au.max_ratio == pytest.approx(audit.adam_step_sup(0.5, 0.9, T)[-1], rel=1e-9)
    first = au.first_exceeding_checkpoint
    assert first is not None and res.step_ratio[0, first - 1] > au.paper_bound >= res.step_ratio[0, first - 2]


@pytest.mark.parametrize("opt", [
    regret.optimizer("adam", alpha=0.01, beta1=0.9, beta2=0.99),
    regret.optimizer("adam", alpha=0.01, beta1=0.9, beta2=0.99, eps_mode="inside", eps=1e-6),
    regret.optimizer("adam", alpha=0.01, beta1=0.9, beta2=0.99, eps_mode="hat", eps=1e-6, schedule="sqrt"),
    regret.optimizer("adam", alpha=0.01, beta1=0.5, beta2=0.9, bias_correction=False, lam=0.99),
    regret.optimizer("amsgrad", alpha=0.01, beta1=0.9, beta2=0.99, schedule="sqrt"),
    regret.optimizer("amsgrad", alpha=0.01, beta1=0.9, beta2=0.99, bias_correction=True),
    regret.optimizer("adamx", alpha=0.01, beta1=0.9, beta2=0.99, lam=0.9),
    regret.optimizer("adamax", alpha=0.01, beta1=0.9, beta2=0.99),
], ids=lambda o: o.label())
def test_record_and_moment_replay_agree_with_the_engine(opt):
    tr = audit.record(opt, regret.problem("logistic", d=4), 300, seed=2)
    assert tr.g.shape == (300, 4) and tr.x.shape == (301, 4) and tr.gradient_check <= 1e-9
    mo = audit.moments(tr)
    assert mo.agrees, (mo.vhat_deviation, mo.ratio_deviation)


def test_moments_refuses_optimizers_without_moments():
    tr = audit.record(regret.optimizer("sgd", alpha=0.1), REDDI, 5)
    with pytest.raises(InvalidInput, match="adam, amsgrad"):
        audit.moments(tr)
