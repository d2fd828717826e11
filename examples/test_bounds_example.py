"""How a researcher keeps published regret bounds in a test suite with `regret.testing`.

Run with:  pytest examples/test_bounds_example.py

The `regret` pytest plugin is registered when the package is installed; it provides the
``regret_check`` fixture and prints the verdict table when ``assert verdict == "HOLDS"`` fails.
"""
from hypothesis import given, settings

from regret.testing import assert_bound_holds, assert_bound_violated, assert_regret_rate, assert_sublinear
from regret.testing.strategies import problems


def test_adagrad_keeps_duchi_hazan_singer():
    # diagonal AdaGrad with η = D∞/√2 (Duchi et al. Corollary 6) on random linear losses over [-1, 1]^10
    assert_bound_holds("duchi-5", "adagrad:alpha=1.4142,eps=0,schedule=constant", "linear:d=10,domain=box",
                       T=3000, seeds=3)


def test_amsgrad_keeps_reddi_theorem_4():
    assert_bound_holds("reddi-4", "amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt", "reddi:C=3", T=30_000)


def test_adam_breaks_kingma_ba_theorem_4_1():
    # Reddi et al. (2018): every hypothesis of Theorem 4.1 holds on this sequence, the regret is linear
    v = assert_bound_violated("kingma-ba-4.1", T=30_000)
    assert v.first_violation["T"] < 1000


def test_ogd_regret_grows_like_sqrt_T():
    assert_regret_rate("sgd:alpha=1,schedule=sqrt", "rademacher:d=1", max_exponent=0.5, tol=0.15,
                       T=20_000, seeds=20)


def test_adam_on_reddi_is_not_sublinear(regret_check):
    v = regret_check("reddi-1", T=30_000)  # lower bound R_T >= (2C-4) floor(T/3): linear regret
    assert v == "HOLDS"


def test_amsgrad_is_sublinear_on_reddi():
    assert_sublinear("amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt", "reddi:C=3", T=100_000, seeds=1)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(problems(families=("linear", "logistic", "least_squares")))
def test_ogd_keeps_zinkevich_on_random_problems(case):
    assert_bound_holds("zinkevich-1", "sgd:alpha=1,schedule=sqrt", case.spec, T=case.T, seeds=[case.seed])
