"""`regret verify`: tables, JSON, --list, exit statuses."""
import json

import pytest

from regret.cli import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list(capsys):
    code, out, _ = run_cli(capsys, "verify", "--list")
    assert code == 0 and "kingma-ba-4.1" in out and "hazan-3.2" in out and "default setting" in out
    code, out, _ = run_cli(capsys, "verify", "--list", "--json")
    keys = [t["key"] for t in json.loads(out)["theorems"]]
    assert code == 0 and "reddi-4" in keys and "duchi-5" in keys


def test_kingma_ba_default_is_violated_and_exit_status_follows_expect(capsys):
    code, out, _ = run_cli(capsys, "verify", "kingma-ba-4.1", "--T", "3e4")
    assert code == 1
    for text in ("hypothesis", "holds", "← first violation", "growth: R(T) ~ T^0.9", "R/sqrt(T)", "verdict: VIOLATED",
                 "Γ_t ⪰ 0 FAILS",  # the step of the proof Reddi et al. showed false (regret.theory.audit)
                 "order in T (sympy, worst-case statistics): sqrt(T)"):
        assert text in out, text
    assert run_cli(capsys, "verify", "kingma-ba-4.1", "--T", "3e4", "--expect", "VIOLATED")[0] == 0
    assert run_cli(capsys, "verify", "kingma-ba-4.1", "--T", "3e4", "--expect", "any")[0] == 0


def test_verify_with_optimizer_and_problem_json(capsys):
    code, out, _ = run_cli(capsys, "verify", "reddi-4", "--optimizer", "amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt",
                           "--problem", "reddi:C=3", "--T", "1e5", "--json")
    d = json.loads(out)
    assert code == 0 and d["schema"] == "regret.verify/1"
    assert d["verdict"]["status"] == "HOLDS" and d["order"]["order"] == "sqrt(T*log(T))"
    assert 0.3 < d["growth"]["exponent"] < 0.5 and d["run"]["T"] == 100000
    assert d["gamma_audit"]["holds"] is True  # AMSGrad's running max keeps Γ_t ⪰ 0
    assert len(d["rates"]["R_over_sqrt_T"]["mean"]) == len(d["verdict"]["checkpoints"])


def test_not_applicable_and_seeds(capsys):
    code, out, _ = run_cli(capsys, "verify", "kingma-ba-4.1", "--optimizer", "adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt",
                           "--T", "300", "--seeds", "2")
    assert code == 1 and "verdict: NOT APPLICABLE" in out and "FAILS" in out
    code, out, _ = run_cli(capsys, "verify", "duchi-5", "--problem", "least_squares:d=4,domain=box", "--T", "500",
                           "--seeds", "3")
    assert code == 0 and "verdict: HOLDS" in out and "CI [" in out


@pytest.mark.parametrize("argv, field", [
    (("verify", "no-such-theorem"), "theorem"),
    (("verify",), "theorem"),
    (("verify", "reddi-4", "--T", "-5"), "--T"),
    (("verify", "reddi-4", "--seeds", "0"), "--seeds"),
    (("verify", "reddi-4", "--tail", "2"), "--tail"),
    (("verify", "reddi-4", "--optimizer", "amsgrad:beta1=2"), "amsgrad.beta1"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, field):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == "" and field in err and err.count("\n") == 1
