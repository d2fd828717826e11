"""Adaptive adversaries inside the compiled loop: the built-in orthogonal adversary against its exact
lower bound R_T = r G √T (every deterministic learner, every checkpoint), a user's adversary
written in plain Python against a numpy loop, and the errors of a malformed one."""
from __future__ import annotations

import math

import numpy as np
import pytest

import regret
from regret.cli import main
from regret.errors import InvalidInput
from regret.problems import Adversary, orthogonal

from user_optimizers import SignSGD


@pytest.mark.parametrize("opt", [
    regret.optimizer("sgd", alpha=0.3, schedule="sqrt"),
    regret.optimizer("adam", alpha=0.1),
    regret.optimizer("adagrad", alpha=0.5),
    regret.optimizer("amsgrad", alpha=0.2, beta1=0.5, beta2=0.9),
    SignSGD(alpha=0.2),  # a user's optimizer meets the adversary in its own loops
], ids=lambda o: o.name)
def test_the_orthogonal_adversary_forces_r_G_sqrt_T_on_every_learner(opt):
    """a_t ⊥ x_t and a_t ⊥ S_{t−1}: f_t(x_t) = 0 and ‖S_T‖ = G√T, so R_T = r‖S_T‖ = r G √T exactly
    (the derivation in regret/problems/orthogonal.py), at every checkpoint, whatever the learner."""
    adv = orthogonal(d=4, G=2.0, radius=0.5)
    res = regret.run(opt, adv, 3000, seeds=2, record_iterates=True)
    want = 0.5 * 2.0 * np.sqrt(res.checkpoints.astype(float))
    np.testing.assert_allclose(res.regret, np.broadcast_to(want, res.regret.shape), rtol=1e-9)
    assert np.max(np.abs(res.losses)) < 1e-9  # f_t(x_t) = ⟨a_t, x_t⟩ = 0 up to rounding
    A = res.instances[0].A  # the rows the adversary played are in the result's instance
    np.testing.assert_allclose(np.linalg.norm(A, axis=1), 2.0, rtol=1e-12)
    X = res.iterates[0][:-1]
    S_before = np.vstack([np.zeros(4), np.cumsum(A, axis=0)[:-1]])
    assert np.max(np.abs(np.einsum("td,td->t", A, X))) < 1e-9
    assert np.max(np.abs(np.einsum("td,td->t", A, S_before))) < 1e-9 * np.sqrt(3000) * 2.0


def push_away(t, x, params, state, A, b, row):
    """On [−1, 1]: f_t(x) = G·x when x_t ≥ 0, else −G·x, so the learner always suffers G|x_t| ≥ 0."""
    A[row, 0] = params[0] if x[0] >= 0.0 else -params[0]
    state[0] += 1.0
    return None


def test_a_users_adversary_in_plain_python_against_numpy():
    adv = Adversary("push-away", "linear", regret.box(1, -1.0, 1.0), push_away, params={"G": 1.5}, x0=[0.3])
    T = 400
    res = regret.run(regret.optimizer("sgd", alpha=0.4, schedule="sqrt"), adv, T, record_iterates=True,
                     checkpoints=np.arange(1, T + 1))
    x, xs, fs, a = 0.3, [0.3], [], []
    for t in range(1, T + 1):
        a_t = 1.5 if x >= 0 else -1.5
        fs.append(a_t * x)
        a.append(a_t)
        x = min(1.0, max(-1.0, x - 0.4 / math.sqrt(t) * a_t))
        xs.append(x)
    np.testing.assert_allclose(res.iterates[0][:, 0], xs, rtol=0, atol=1e-15)
    best = -np.abs(np.cumsum(a))  # min over [−1, 1] of x·Σa
    np.testing.assert_allclose(res.regret[0], np.cumsum(fs) - best, rtol=1e-12, atol=1e-12)
    many = regret.run_many([regret.optimizer("sgd", alpha=0.4, schedule="sqrt")], adv, T,
                           checkpoints=np.arange(1, T + 1))
    assert np.array_equal(many[0].regret, res.regret)


def test_a_malformed_adversary_is_refused():
    with pytest.raises(InvalidInput, match="choose parameters"):
        Adversary("bad", "linear", regret.box(1, -1.0, 1.0), lambda t, x: None)
    with pytest.raises(InvalidInput) as e:
        orthogonal(d=2)
    assert e.value.field == "orthogonal.d"


def test_the_orthogonal_adversary_from_the_command_line(capsys):
    assert main(["run", "--optimizer", "sgd:alpha=0.1,schedule=sqrt", "--problem", "orthogonal:d=3,G=1,radius=1",
                 "--T", "1000", "--quiet"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("sgd("))
    assert f"{math.sqrt(1000):.6g}" in row  # R(T) = r G √T = √1000
