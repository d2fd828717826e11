"""`regret falsify`: a counterexample to Kingma & Ba's Theorem 4.1 found unaided (no Reddi sequence in
the families), replayed from its .npz by `regret verify`; none for Zinkevich's corrected bound within
a small budget; bad input in one line."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest
import sympy as sp

import regret
from regret import theory
from regret.cli import main
from regret.falsify import FAMILIES, counterexample_npz, falsify, optimizer_spec_text
from regret.testing import RegretAssertionError, assert_not_falsified
from regret.theory import hypotheses as H
from regret.theory import symbols as Q


@pytest.fixture(scope="module")
def kb_search():
    return falsify("kingma-ba-4.1", budget=120, evaluations=3000)


def test_kingma_ba_4_1_is_falsified_unaided(kb_search):
    s = kb_search
    assert s.falsified and s.verdict.status == theory.VIOLATED
    assert all(h.holds is True for h in s.verdict.hypotheses)
    fv = s.verdict.first_violation
    assert fv["exact"] and fv["ratio"] > 1.0 and s.verdict.worst["ratio"] > 2.0
    # the rounded, written-out sequence is what the words say
    inst = s.best.instance()
    rows, x1 = s.best.period
    assert np.array_equal(inst.A[:, 0], np.array(rows)) and inst.x0[0] == x1
    assert all(f"{a:g}" in s.best.words() for a in rows)


def test_the_counterexample_replays_from_its_npz(kb_search, tmp_path):
    path = tmp_path / "ce.npz"
    np.savez(path, **counterexample_npz(kb_search))
    thm = theory.get("kingma-ba-4.1")
    run = thm.run(kb_search.optimizer, regret.problem("npz", path=str(path)), T=kb_search.best.T, seeds=1)
    v = thm.check(run)
    assert v.status == theory.VIOLATED and v.first_violation["T"] == kb_search.verdict.first_violation["T"]
    # and through the command line, with the optimizer written as a spec
    code = main(["verify", "kingma-ba-4.1", "--problem", f"npz:path={path}", "--optimizer",
                 optimizer_spec_text(kb_search.optimizer), "--T", str(kb_search.best.T), "--expect", "VIOLATED",
                 "--quiet"])
    assert code == 0


def test_zinkevich_is_not_falsified_within_a_small_budget():
    s = falsify("zinkevich-1", budget=120, evaluations=400)
    assert not s.falsified and s.evaluations >= 400
    assert 0.0 < s.best.score < 1.0  # the best measured/bound ratio found, below 1
    assert "not falsified" in s.summary() and f"{s.best.score:.4g}" in s.summary()


def test_hyperparameters_are_searched_too_and_checked_against_the_hypotheses():
    s = falsify("kingma-ba-4.1", budget=120, evaluations=3000, vary=("beta1", "beta2"), families=("periodic",))
    assert s.falsified and set(s.best.hyperparameters) == {"beta1", "beta2"}
    b1, b2 = s.optimizer.beta1, s.optimizer.beta2
    assert (b1, b2) == (s.best.hyperparameters["beta1"], s.best.hyperparameters["beta2"])
    assert b1 ** 2 / np.sqrt(b2) < 1 and all(h.holds is True for h in s.verdict.hypotheses)  # γ < 1 among them
    assert f"beta2={b2:g}" in s.best.words()
    # the replay with the counterexample's optimizer gives the same verdict
    thm = theory.get("kingma-ba-4.1")
    v = thm.check(thm.run(s.optimizer, s.best.instance(), T=s.best.T, seeds=1))
    assert v.status == theory.VIOLATED and v.first_violation["T"] == s.verdict.first_violation["T"]


def test_a_sequence_outside_the_hypotheses_counts_for_nothing():
    """A bound that the search could break (R ≤ 0.01·√T) but that asks for a problem no family
    produces: no candidate meets its hypotheses, so nothing is falsified."""
    thm = theory.bound(0.01 * sp.sqrt(Q.T), key="tiny-on-reddi",
                       hypotheses=(H.problem_is(("reddi",), "Reddi et al.'s sequence"),))
    s = falsify(thm, regret.optimizer("sgd", alpha=0.5, schedule="sqrt"), budget=60, evaluations=150,
                families=("periodic",))
    assert not s.falsified and (s.best is None or s.best.score == 0.0)
    free = theory.bound(0.01 * sp.sqrt(Q.T), key="tiny")
    assert falsify(free, regret.optimizer("sgd", alpha=0.5, schedule="sqrt"), budget=60, evaluations=150,
                   families=("periodic",)).falsified


def test_the_families_build_what_they_say():
    th = np.array([3, 0.9, -0.3, -0.3, 0, 0, 0, 0, 0, 0.5, 1.0])  # period 3, scale 10^0.5
    inst = FAMILIES["periodic"].instance(th, 10)
    np.testing.assert_allclose(inst.A[:, 0], 10 ** 0.5 * np.array([0.9, -0.3, -0.3]))
    assert inst.periodic and inst.T == 10 and inst.x0[0] == 1.0
    sp_ = FAMILIES["spikes"].instance(np.array([4, 10.0, -1.0, 0.0, 0.0]), 9)
    np.testing.assert_array_equal(sp_.A[sp_.round_rows(0, 9), 0], [10, -1, -1, -1, 10, -1, -1, -1, 10])
    geo = FAMILIES["geometric"].instance(np.array([1, 1.0, 0, 0, 0, 2.0, 0.0, 0.0]), 3)
    np.testing.assert_allclose(geo.A[:, 0], [1.0, 10.0, 100.0])


def test_assert_not_falsified():
    with pytest.raises(RegretAssertionError, match="FALSIFIED"):
        assert_not_falsified("kingma-ba-4.1", budget=120, evaluations=3000)
    assert assert_not_falsified("zinkevich-1", budget=60, evaluations=150).falsified is False


def test_the_cli_writes_the_counterexample(tmp_path, capsys):
    code = main(["falsify", "kingma-ba-4.1", "--out", str(tmp_path), "--evaluations", "3000", "--expect", "falsified",
                 "--quiet", "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "regret.falsify/1" and doc["falsified"] and "regret verify kingma-ba-4.1" in doc["replay"]
    for name in ("counterexample.npz", "verdict.txt", "search.log", "counterexample.pdf", "counterexample.png",
                 "counterexample.csv"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert "VIOLATED" in (tmp_path / "verdict.txt").read_text()
    # not falsified is exit 1 when a counterexample was expected, 0 by default
    assert main(["falsify", "zinkevich-1", "--evaluations", "100", "--quiet", "--expect", "falsified"]) == 1


@pytest.mark.parametrize("argv, field", [
    (["hazan-3.2"], "theorem"),  # a statement about an expectation
    (["kingma-ba-4.1", "--families", "periodic,zigzag"], "--families"),
    (["kingma-ba-4.1", "--budget", "-1"], "--budget"),
    (["kingma-ba-4.1", "--T", "1"], "--T"),
    (["kingma-ba-4.1", "--out", "no/such/dir"], "--out"),
    (["kingma-ba-4.1", "--evaluations", "0"], "--evaluations"),
    (["kingma-ba-4.x"], "theorem"),
    (["reddi-1", "--evaluations", "20"], "theorem"),  # its bound reads C, a parameter of its own sequence
    (["zinkevich-1", "--vary", "beta2"], "--vary"),  # sgd has no β2
    (["kingma-ba-4.1", "--families", ","], "--families"),  # none at all
])
def test_bad_input_is_one_line(argv, field, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["falsify"] + argv + ["--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and field in err[0] and "Traceback" not in err[0]
    assert not os.listdir(tmp_path)


def test_an_adaptive_adversary_family(tmp_path):
    """The threshold adversary chooses a_t from x_t; a counterexample from it is the played rows, which
    a fixed-sequence run of the same optimizer replays to the same verdict."""
    s = falsify("kingma-ba-4.1", budget=300, evaluations=400, families=("adaptive",))
    assert s.falsified and s.best.family == "adaptive" and "chosen from x_t" in s.best.words()
    path = tmp_path / "ce.npz"
    np.savez(path, **counterexample_npz(s))
    thm = theory.get("kingma-ba-4.1")
    v = thm.check(thm.run(s.optimizer, regret.problem("npz", path=str(path)), T=s.best.T, seeds=1))
    assert v.status == theory.VIOLATED and v.first_violation["T"] == s.verdict.first_violation["T"]


def test_the_stated_step_bounds_are_verify_targets_and_adamaxs_is_falsified():
    """§2.1 and §7.1 as theorems: on their default runs the step stays within the stated bound (AdaMax's
    first step is exactly α, so its verdict cannot be HOLDS beyond rounding), and the search finds
    a sequence on which AdaMax's step exceeds α — as proofs/effective_step_adamax.py proves it must."""
    from regret.theory import audit

    step = theory.get("kingma-ba-2.1-step")
    v = step.check(step.default_run())
    assert v.status == theory.HOLDS and v.measured_name == "max_{t≤T} max_i |Δ_{t,i}|/α_t"
    assert float(v.bound[0, 0]) == pytest.approx(audit.paper_step_bound(0.9, 0.999), rel=1e-12)
    s = falsify("kingma-ba-7.1-step", budget=120, evaluations=4000)
    assert s.falsified and s.verdict.first_violation["measured"] > 1.0
    assert all(h.holds is True for h in s.verdict.hypotheses)


def test_no_family_is_invalid_input_in_python_too():
    """An empty list of families was a ZeroDivisionError in the restart loop."""
    with pytest.raises(regret.InvalidInput, match="family"):
        falsify("kingma-ba-4.1", families=())
