"""regret.testing: assertion helpers, hypothesis strategies and the pytest plugin."""
import pytest
from hypothesis import given, settings

import regret
from regret.testing import (RegretAssertionError, assert_bound_holds, assert_bound_violated, assert_regret_rate,
                            assert_sublinear, check_bound)
from regret.testing.strategies import ProblemCase, problems

pytest_plugins = ["pytester"]

ADAM_REDDI = "adam:alpha=0.5,beta1=0,beta2=0.1,eps=0,schedule=sqrt,bias_correction=false"
AMS_REDDI = "amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt"


def test_assert_bound_holds_returns_the_verdict_and_fails_with_the_table():
    v = assert_bound_holds("reddi-4", AMS_REDDI, "reddi:C=3", T=3000)
    assert v.status == "HOLDS"
    with pytest.raises(RegretAssertionError) as exc:
        assert_bound_holds("kingma-ba-4.1", T=3000)
    msg = str(exc.value)
    assert "expected kingma-ba-4.1 to HOLD, got VIOLATED" in msg
    assert "hypothesis" in msg and "← first violation" in msg and "verdict: VIOLATED" in msg
    assert exc.value.verdict.first_violation["T"] < 600


def test_not_applicable_is_a_failure_with_the_failing_hypothesis():
    with pytest.raises(RegretAssertionError, match="NOT APPLICABLE") as exc:
        assert_bound_holds("kingma-ba-4.1", ADAM_REDDI, "reddi:C=3", T=300)  # no bias correction
    assert "FAILS" in str(exc.value)


def test_assert_bound_violated():
    v = assert_bound_violated("kingma-ba-4.1", T=3000)
    assert v.status == "VIOLATED"
    with pytest.raises(RegretAssertionError, match="to be VIOLATED, got HOLDS"):
        assert_bound_violated("zinkevich-1", T=500, seeds=2)


def test_objects_and_spec_strings_are_the_same():
    a = check_bound("duchi-5", "adagrad:alpha=1,eps=0", "linear:d=3", T=300, seeds=2)
    b = check_bound("duchi-5", regret.optimizer("adagrad", alpha=1.0, eps=0.0), regret.problem("linear", d=3),
                    T=300, seeds=2)
    assert (a.bound == b.bound).all() and (a.measured == b.measured).all()


def test_assert_regret_rate():
    fit = assert_regret_rate("sgd:alpha=1,schedule=sqrt", "rademacher:d=1", max_exponent=0.5, tol=0.2,
                             T=5000, seeds=30)
    assert fit.ci is not None
    with pytest.raises(RegretAssertionError, match="faster than T") as exc:
        assert_regret_rate(ADAM_REDDI, "reddi:C=3", max_exponent=0.5, tol=0.1, T=5000, seeds=1)
    assert "R/sqrt(T)" in str(exc.value) and exc.value.fit.exponent > 0.95
    # a lower limit: Reddi's Adam grows linearly, OGD on Rademacher losses does not
    linear = assert_regret_rate(ADAM_REDDI, "reddi:C=3", min_exponent=1.0, max_exponent=None, tol=0.05, T=5000, seeds=1)
    assert linear.exponent > 0.95
    with pytest.raises(RegretAssertionError, match="slower than T"):
        assert_regret_rate("sgd:alpha=1,schedule=sqrt", "rademacher:d=1", min_exponent=1.0, max_exponent=None,
                           tol=0.1, T=5000, seeds=30)


def test_assert_sublinear():
    fit = assert_sublinear(AMS_REDDI, "reddi:C=3", T=100_000, seeds=1)
    assert fit.exponent < 0.9
    with pytest.raises(RegretAssertionError, match="does not look sublinear"):
        assert_sublinear(ADAM_REDDI, "reddi:C=3", T=30_000, seeds=1)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(problems())
def test_strategies_generate_valid_problems(case):
    assert isinstance(case, ProblemCase)
    inst = case.spec.instance(case.T, case.seed)
    assert inst.d == case.d and inst.T == case.T and inst.domain.kind == case.domain
    assert case.family in str(case)


def test_plugin_fixture_and_verdict_table_on_failure(pytester):
    pytester.makepyfile(
        """
        def test_holds(regret_check):
            assert regret_check("zinkevich-1", T=200, seeds=1) == "HOLDS"

        def test_fails(regret_check):
            v = regret_check("kingma-ba-4.1", T=2000)
            assert v == "HOLDS"
        """)
    result = pytester.runpytest("-p", "no:cacheprovider", "-vv")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*verdict VIOLATED == 'HOLDS'*", "*first violation at T=*", "*hypothesis*status*"])
