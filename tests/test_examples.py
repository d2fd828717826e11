"""The examples/ scripts run and say what they claim: AdaBelief as a user optimizer (written outside
the package) agrees with an independent numpy implementation, and runs from the command line."""
from __future__ import annotations

import importlib.util
import os

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
