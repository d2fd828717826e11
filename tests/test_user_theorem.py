"""The user's bound: a bound of one's own as a theorem (theory.bound, Theorem.with_bound, text parsed in
the documented names), from Python and from `regret verify`; theorems on the user's arrays."""
from __future__ import annotations

import pydoc

import numpy as np
import pytest
import sympy as sp

import regret
from regret import theory
from regret.cli import main
from regret.errors import InvalidInput
from regret.theory import symbols as Q


def test_help_of_the_symbol_catalogue_works():
    assert "The sympy symbols" in pydoc.render_doc(theory.symbols)


def test_parse_bound_knows_the_documented_names_and_refuses_others():
    assert theory.parse_bound("5*D*G*sqrt(T)") == 5 * Q.D * Q.G * sp.sqrt(Q.T)
    stat = next(s for s in theory.statistics.REGISTRY if str(s) == "Sigma_g")
    assert theory.parse_bound("D_inf*Sigma_g") == Q.D_inf * stat
    for bad in ("5*Q*T", "T**", "", "__import__('os')"):
        with pytest.raises(InvalidInput) as e:
            theory.parse_bound(bad)
        assert e.value.field == "bound"


def test_a_bound_of_ones_own_holds_or_is_violated_as_the_numbers_say():
    run = regret.run(regret.optimizer("sgd", alpha=0.1, schedule="sqrt"), regret.problem("linear", d=3), 2000)
    # R(T) ≤ Σ_t ⟨g_t, x_t − x*⟩ ≤ G·D·T always (convexity, Cauchy–Schwarz)
    assert theory.bound("G*D*T").check(run).status == theory.HOLDS
    tiny = theory.bound("sqrt(T)/1000").check(run)
    assert tiny.status == theory.VIOLATED and tiny.first_violation["T"] == 1
    R1 = run.regret[0, 0]  # the first checkpoint is T = 1: R(1) > 1/1000 unless x_1 is optimal
    assert R1 > 1e-3


def test_with_bound_states_a_new_bound_without_the_parents_adjustments():
    """hazan-3.1's proof takes G = D/α (its `adjust`); a bound stated with with_bound reads G from the run."""
    haz = theory.get("hazan-3.1")
    mine = haz.with_bound("D*G*sqrt(T)")
    assert mine.adjust is None and mine.variant_of == "hazan-3.1" and mine.key == "hazan-3.1~bound"
    assert "D*G*sqrt(T)" in mine.title and mine.latex().endswith(r"D G \sqrt{T}")
    # α = 1: the proof's admissible D = max(D_K, α·max‖g‖) = D_K and G = D/α = 2√10, twice the measured √10
    run = haz.run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"), haz.default.problem_spec(), T=500, seeds=1)
    assert np.array_equal(mine.values(run)[Q.G], run.G)
    assert not np.array_equal(haz.values(run)[Q.G], run.G)  # the parent's G = D/α
    assert [h.name for h in mine.hypotheses(run)] == [h.name for h in haz.hypotheses(run)]


def test_a_trajectory_lemma_runs_on_the_users_arrays():
    """kingma-ba-10.3 needs g_t for every round: recomputed from the run's own instance, so an
    instance made from arrays works (it used to be INCONCLUSIVE: "cannot regenerate the problem")."""
    rng = np.random.default_rng(1)
    inst = regret.from_arrays("linear", regret.box(2, -1.0, 1.0), rng.standard_normal((300, 2)))
    lemma = theory.get("kingma-ba-10.3")
    run = lemma.run(regret.optimizer("adam", alpha=0.1, schedule="sqrt"), inst)  # one sequence: one seed
    assert run.T == 300 and run.seeds == [0]
    assert lemma.check(run).status != theory.INCONCLUSIVE


def test_verify_checks_a_bound_from_the_command_line(tmp_path, capsys):
    args = ["verify", "--bound", "G*D*T", "--optimizer", "sgd:alpha=0.1,schedule=sqrt", "--problem", "linear:d=3",
            "--T", "2000", "--json"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert '"status": "HOLDS"' in out and "user-bound" in out
    assert main(["verify", "hazan-3.1", "--bound", "D*G*sqrt(T)/1000", "--T", "500", "--expect", "VIOLATED"]) == 0
    capsys.readouterr()
    path = tmp_path / "mythm.py"
    path.write_text("from regret import theory\nMINE = theory.bound('G*D*T', key='mine')\n")
    assert main(["verify", f"{path}:MINE", "--optimizer", "adagrad", "--problem", "linear:d=3", "--T", "500"]) == 0
    assert "mine" in capsys.readouterr().out


@pytest.mark.parametrize("args,field", [
    (["--bound", "5*Q"], "bound"),
    (["--bound", "T"], "--optimizer"),
    (["nosuch.py:X"], "theorem"),
    (["regret:run"], "theorem"),
])
def test_verify_bad_input_is_one_line(args, field, capsys):
    assert main(["verify"] + args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and field in err[0], err


def test_two_files_of_the_same_name_stay_two_modules(tmp_path):
    """FILE.py:NAME imports each file as a module of its own (named after its path): a second file
    called like the first must not be served the first one's objects."""
    for sub, key in (("a", "first"), ("b", "second")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.py").write_text(f"from regret import theory\nTHM = theory.bound('G*D*T', key='{key}')\n")
    assert theory.get(f"{tmp_path / 'a' / 'same.py'}:THM").key == "first"
    assert theory.get(f"{tmp_path / 'b' / 'same.py'}:THM").key == "second"
