"""The examples/ scripts run and say what they claim: AdaBelief as a user optimizer (written outside
the package) agrees with an independent numpy implementation, and runs from the command line; its own
regret theorem (Zhuang et al. Theorem 2.1, a user-level regret.theory.Theorem in the example) is
NOT APPLICABLE to plain AdaBelief (s_t not monotone), HOLDS on the example's running-max variant,
is evaluated as written, and a bound scaled down by 1000 is caught."""
from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

import regret
from regret.cli import main

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "examples")


@pytest.fixture(scope="module")
def adabelief():
    path = os.path.join(EXAMPLES, "adabelief.py")
    spec = importlib.util.spec_from_file_location("example_adabelief", path)
    mod = importlib.util.module_from_spec(spec)
    import sys

    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_adabelief_agrees_with_numpy_on_three_families_and_two_domains(adabelief):
    table = adabelief.agreement()  # T = 300, d = 4: every projection is active in some rounds
    assert len(table) == 6
    for key, (err_x, err_f, active) in table.items():
        assert err_x <= 1e-12 and err_f <= 1e-12, (key, err_x, err_f)
        assert active > 0, key  # the (weighted) projection was exercised


def test_adabelief_runs_from_the_command_line(adabelief, capsys):
    """file.py:Class on the command line; d = 4, the dimension the agreement test compiled (the
    loops of a user's class are cached on its source, whatever name its module is imported under)."""
    path = os.path.join(EXAMPLES, "adabelief.py")
    assert main(["run", "--optimizer", f"{path}:AdaBelief:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt",
                 "--optimizer", "amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt",
                 "--problem", "linear:d=4,domain=ball", "--T", "300", "--quiet"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("adabelief(alpha=0.5, beta1=0, beta2=0.1,"))
    same = regret.run(adabelief.AdaBelief(alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt"),
                      regret.problem("linear", d=4, domain="ball"), 300)
    assert f"{same.regret[0, -1]:.6g}" in row


@pytest.mark.parametrize("spec,field", [("nosuchfile.py:AdaBelief", "optimizer"),
                                        ("regret:NoSuchClass", "optimizer"),
                                        ("no_such_module_here:X", "optimizer"),
                                        ("adabelief", "optimizer")])
def test_a_bad_user_optimizer_spec_is_one_line_and_exit_2(spec, field, capsys):
    assert main(["run", "--optimizer", spec, "--problem", "reddi:C=3", "--T", "10", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and field in err[0], err


# -- AdaBelief's own regret theorem (Zhuang et al. 2020, Theorem 2.1, encoded in the example) --------
@pytest.fixture(scope="module")
def theorem_2_1(adabelief):
    """Theorem 2.1 on plain AdaBelief and on the example's running-max variant: three loss families on
    the box [−1, 1]^5, T = 2000, 2 seeds (about a second once the loops are compiled)."""
    return adabelief.theorem_check(T=2000, seeds=2, d=5)


FAMILIES = ("linear", "logistic", "least_squares")


@pytest.mark.parametrize("family", FAMILIES)
def test_theorem_2_1_holds_on_the_running_max_variant_and_a_scaled_bound_is_violated(adabelief, theorem_2_1,
                                                                                    family):
    v, run = theorem_2_1[(family, "adabelief_max")]
    assert all(h.holds is True for h in v.hypotheses), v.hypotheses_table()  # checked, none unknown
    assert v == "HOLDS", v.table()
    assert np.all(np.isfinite(v.bound)) and np.all(v.bound > 0)
    ratio = v.measured / v.bound
    assert 0.0 < v.worst["ratio"] <= 1.0 and np.isclose(v.worst["ratio"], ratio.max())
    # the same statement with its bound divided by 1000 must be caught on the same run
    mutated = adabelief.THEOREM_2_1.with_bound(adabelief.THEOREM_2_1.bound_expr / 1000)
    m = mutated.check(run)
    assert m == "VIOLATED", m.table()
    assert m.first_violation["ratio"] > 1.0
    assert np.allclose(m.bound * 1000, v.bound, rtol=1e-12)


@pytest.mark.parametrize("family", FAMILIES)
def test_theorem_2_1_is_not_applicable_to_plain_adabelief_whose_s_t_decreases(theorem_2_1, family):
    """Algorithm 2's s_t is an exponential moving average: it decreases, so the hypothesis
    s_t ≤ s_{t+1} fails, the verdict says so (and only that), with what the numbers alone say."""
    v, run = theorem_2_1[(family, "adabelief")]
    assert v == "NOT APPLICABLE", v.table()
    failed = [h for h in v.hypotheses if h.holds is not True]
    assert [h.name for h in failed] == ["s_monotone"], v.hypotheses_table()
    assert failed[0].numbers["decreases s_(t+1,i) < s_(t,i)"] > 0
    drops = np.sum(np.diff(run.vhat_history, axis=1) < 0)  # counted again, from the run's records
    assert failed[0].numbers["decreases s_(t+1,i) < s_(t,i)"] == drops
    assert "s_t ≤ s_{t+1}" in v.reason and "(the numbers alone: HOLDS)" in v.reason


@pytest.mark.parametrize("family", FAMILIES)
def test_theorem_2_1_bound_is_evaluated_as_written(adabelief, theorem_2_1, family):
    """The sympy bound, lambdified with the run's statistics, equals the statement's three terms
    computed here in numpy from the run's records (s_t of every round, the iterates) and gradients
    recomputed with the example's own numpy losses."""
    v, run = theorem_2_1[(family, "adabelief_max")]
    opt = run.optimizer
    a, b1, lam = opt.alpha, opt.beta1, opt.lam
    T = run.T
    cps = np.asarray(run.checkpoints)
    D_inf = 2.0  # the box [-1, 1]^5
    s = run.vhat_history  # (S, T, d)
    t = np.arange(1, T + 1, dtype=np.float64)
    alpha_t = a / np.sqrt(t)
    beta1_t = b1 * lam ** (t - 1)
    for j, inst in enumerate(run.instances):
        X = run.iterates[j]
        g = np.array([adabelief._loss_grad(family, inst.A[inst.round_rows(k, k + 1)[0]], inst.b[inst.round_rows(k, k + 1)[0]], X[k])[1]
                      for k in range(T)])
        first = D_inf ** 2 * np.sqrt(cps) / (2 * a * (1 - b1)) * np.sqrt(s[j, cps - 1]).sum(axis=1)
        c = np.minimum.accumulate(s[j].min(axis=1))[cps - 1]
        g2 = np.sqrt(np.cumsum(g ** 4, axis=0)[cps - 1]).sum(axis=1)
        second = (1 + b1) * a * np.sqrt(1 + np.log(cps)) / (2 * np.sqrt(c) * (1 - b1) ** 3) * g2
        third = D_inf ** 2 / (2 * (1 - b1)) * np.cumsum(beta1_t * np.sqrt(s[j]).sum(axis=1) / alpha_t)[cps - 1]
        np.testing.assert_allclose(v.bound[j], first + second + third, rtol=1e-9)
