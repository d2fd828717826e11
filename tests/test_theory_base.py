"""The Theorem / Hypothesis / Verdict machinery: statuses, error bars, unknowns, registry, output."""
import json

import numpy as np
import pytest
import sympy as sp

import regret
from regret import theory
from regret.theory import hypotheses as H
from regret.theory import symbols as Q
from regret.theory.base import Setting, Theorem, growth


def _zink_run(T=200, seeds=2):
    return theory.get("zinkevich-1").run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"),
                                         regret.problem("linear", d=3), T=T, seeds=seeds)


def _theorem(bound, hyps=(), kind="upper", **kw):
    return Theorem("test", "a test statement", "nowhere", kind, sp.sympify(bound), tuple(hyps), "any",
                   Setting(("sgd", {"alpha": 1.0, "schedule": "sqrt"}), ("linear", {"d": 3}), T=200, seeds=2), **kw)


def test_registry_and_errors():
    keys = [t.key for t in theory.all()]
    assert len(keys) == len(set(keys)) >= 18
    for k in ("kingma-ba-4.1", "kingma-ba-4.2", "kingma-ba-10.3", "kingma-ba-10.4", "reddi-4", "reddi-4-printed",
              "reddi-cor1", "reddi-1", "reddi-2", "reddi-3", "phuong-phong-4.1", "phuong-phong-5.1", "duchi-5",
              "zinkevich-1", "hazan-3.1", "hazan-3.2"):
        assert theory.get(k).key == k
    with pytest.raises(regret.InvalidInput, match="theorem='adam-5'"):
        theory.get("adam-5")
    for t in theory.all():  # every theorem cites its source and runs its default setting's spec
        assert t.citation and t.algorithm and t.default.optimizer_spec() and t.default.problem_spec()


def test_every_hypothesis_holds_on_its_default_setting_except_the_unknown_ones():
    for t in theory.all():
        run = t.run(t.default.optimizer_spec(), t.default.problem_spec(), T=100, seeds=2)
        res = t.hypotheses(run)
        assert all(h.holds is not False for h in res), (t.key, [h.to_dict() for h in res if h.holds is False])


def test_unknown_hypothesis_is_never_holds():
    run = _zink_run()
    loose = _theorem(1e9 * sp.sqrt(Q.T))
    assert loose.check(run).status == theory.HOLDS
    unknown = _theorem(1e9 * sp.sqrt(Q.T), [H.unknown("c", "a condition nobody pinned down", "not in the paper")])
    v = unknown.check(run)
    assert v.status == theory.INCONCLUSIVE and "a condition nobody pinned down" in v.reason
    assert "numbers alone: HOLDS" in v.reason


def test_missing_value_is_unknown_not_true():
    run = _zink_run()
    t = _theorem(1e9 * sp.sqrt(Q.T), [H.relation("C", sp.Gt(Q.C, 2, evaluate=False), "C > 2")])
    v = t.check(run)  # a linear problem has no C
    assert v.hypotheses[0].holds is None and v.status == theory.INCONCLUSIVE


def test_false_hypothesis_is_not_applicable_even_if_the_numbers_hold():
    run = _zink_run()
    t = _theorem(1e9 * sp.sqrt(Q.T), [H.relation("alpha", sp.Lt(Q.alpha, 0.5, evaluate=False), "α < 1/2")])
    v = t.check(run)
    assert v.status == theory.NOT_APPLICABLE and "α < 1/2" in v.reason and v.hypotheses[0].numbers["alpha"] == 1.0


def test_upper_and_lower_verdicts_with_the_error_bar():
    run = _zink_run(T=50, seeds=1)
    R = run.regret[0]
    upper_ok = _theorem(sp.Float(R.max() + 1.0))
    upper_bad = _theorem(sp.Float(R.max() - 1.0))
    assert upper_ok.check(run).status == theory.HOLDS
    v = upper_bad.check(run)
    assert v.status == theory.VIOLATED
    k = int(np.argmax(R > R.max() - 1.0))
    assert v.first_violation["checkpoint"] == int(run.checkpoints[k]) and v.first_violation["ratio"] > 1
    # the exact round: the first at which the same run, with every round a checkpoint, exceeds the bound
    every = theory.get("zinkevich-1").run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"),
                                          regret.problem("linear", d=3), T=50, seeds=1, checkpoints=np.arange(1, 51))
    assert v.first_violation["exact"] and v.first_violation["T"] == int(np.argmax(every.regret[0] > R.max() - 1.0)) + 1
    assert v.first_violation["T"] <= v.first_violation["checkpoint"]
    lower_ok = _theorem(sp.Float(R.min() - 1.0), kind="lower")
    assert lower_ok.check(run).status == theory.HOLDS
    # a bound inside the rounding band of the measurement (only T = 50 asserted) is inconclusive
    band = _theorem(sp.Float(float(R[-1]) - 1e-12 * abs(float(R[-1]))), kind="upper", valid_from=sp.Integer(50))
    v = band.check(run)
    assert v.status == theory.INCONCLUSIVE and "error bar" in v.reason


def test_statement_only_asserted_from_valid_from():
    run = _zink_run(T=100, seeds=1)
    t = _theorem(-sp.Integer(1), valid_from=sp.Integer(10 ** 6))  # a false bound, but never asserted
    v = t.check(run)
    assert v.status == theory.INCONCLUSIVE and "no checkpoint" in v.reason


def test_growth_helper():
    assert growth(sp.sqrt(Q.T)) == (sp.Rational(1, 2), 0, 1)
    assert growth(Q.T * sp.log(Q.T) ** 2)[:2] == (1, 2)
    assert growth(sp.Integer(7)) == (0, 0, 7)
    assert growth(sp.sqrt(Q.T) * sp.sqrt(1 + sp.log(Q.T)))[:2] == (sp.Rational(1, 2), sp.Rational(1, 2))


def test_verdict_json_and_table():
    t = theory.get("zinkevich-1")
    v = t.check(_zink_run())
    d = json.loads(json.dumps(v.to_dict()))
    assert d["status"] == "HOLDS" and d["theorem"] == "zinkevich-1" and len(d["checkpoints"]) == len(d["bound"][0])
    assert {h["name"] for h in d["hypotheses"]} >= {"algorithm", "schedule", "bounded_iterates"}
    txt = v.table()
    assert "verdict: HOLDS" in txt and "hypothesis" in txt and "bound" in txt
    assert v == "HOLDS" and v != "VIOLATED" and bool(v) and repr(v) == "<Verdict zinkevich-1: HOLDS>"


def test_bound_at_a_checkpoint_and_latex():
    t = theory.get("zinkevich-1")
    run = _zink_run()
    B = t.bound(run)
    np.testing.assert_array_equal(t.bound(run, checkpoint=int(run.checkpoints[3])), B[:, 3])
    with pytest.raises(regret.InvalidInput, match="checkpoint"):
        t.bound(run, checkpoint=7777)
    assert t.latex().startswith(r"R(T) \le")
    assert "hypotheses" in t.describe() and t.describe()["statement"] == t.latex()


def test_diameters_modes():
    t = theory.get("zinkevich-1")
    run = _zink_run()
    b_dom, b_obs = t.bound(run, diameters="domain"), t.bound(run, diameters="observed")
    assert np.all(b_obs <= b_dom + 1e-12)
    assert t.check(run, diameters="observed").status == theory.HOLDS
    with pytest.raises(regret.InvalidInput, match="diameters"):
        t.check(run, diameters="huge")
