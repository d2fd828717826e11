"""Optimizer specs: validation (InvalidInput naming field, value and allowed range), construction by
name, value equality, and the step-size schedules α_t (constant, α/√t, a user array)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import regret
from regret.optimizers import OPTIMIZERS, Adam, AdaMax, AMSGrad

# (optimizer, hyperparameters, field named in the error, the value, words of the allowed range)
INVALID = [
    ("adam", dict(beta1=1.0), "adam.beta1", 1.0, "[0, 1)"),
    ("adam", dict(beta1=1.5), "adam.beta1", 1.5, "[0, 1)"),
    ("adam", dict(beta1=-0.1), "adam.beta1", -0.1, "[0, 1)"),
    ("amsgrad", dict(beta2=1.0), "amsgrad.beta2", 1.0, "[0, 1)"),
    ("adam", dict(alpha=0.0), "adam.alpha", 0.0, "> 0"),
    ("sgd", dict(alpha=-0.5), "sgd.alpha", -0.5, "> 0"),
    ("adagrad", dict(alpha=math.inf), "adagrad.alpha", math.inf, "finite"),
    ("adam", dict(eps=-1e-8), "adam.eps", -1e-8, "≥ 0"),
    ("rmsprop", dict(eps=-1.0), "rmsprop.eps", -1.0, "≥ 0"),
    ("rmsprop", dict(rho=1.0), "rmsprop.rho", 1.0, "[0, 1)"),
    ("momentum", dict(momentum=1.0), "momentum.momentum", 1.0, "[0, 1)"),
    ("adamx", dict(lam=0.0), "adamx.lam", 0.0, "(0, 1]"),
    ("adam", dict(lam=1.5), "adam.lam", 1.5, "(0, 1]"),
    ("adam", dict(eps_mode="middle"), "adam.eps_mode", "middle", "'outside', 'inside', 'hat'"),
    ("rmsprop", dict(eps_mode="hat"), "rmsprop.eps_mode", "hat", "'outside', 'inside'"),
    ("adam", dict(bias_correction=1), "adam.bias_correction", 1, "true or false"),
    ("adam", dict(beta1=True), "adam.beta1", True, "a number"),
    ("adam", dict(beta2="0.9"), "adam.beta2", "0.9", "a number"),
    ("adam", dict(schedule="cosine"), "adam.schedule", "cosine", "'constant', 'sqrt' or an array"),
    ("adam", dict(schedule=[]), "adam.schedule", "array of shape (0,)", "non-empty 1-D"),
    ("adam", dict(schedule=[[0.1, 0.2]]), "adam.schedule", "array of shape (1, 2)", "non-empty 1-D"),
    ("adam", dict(schedule=[0.1, -0.2, 0.3]), "adam.schedule[1]", -0.2, "> 0"),
    ("sgd", dict(schedule=[0.1, 0.0]), "sgd.schedule[1]", 0.0, "> 0"),
    ("sgd", dict(schedule=[math.nan, 0.1]), "sgd.schedule[0]", math.nan, "finite"),
]


@pytest.mark.parametrize("name,kw,field,value,allowed", INVALID,
                         ids=[f"{n}-{next(iter(k))}={k[next(iter(k))]!r}" for n, k, *_ in INVALID])
def test_invalid_hyperparameter_raises_named_error(name, kw, field, value, allowed):
    with pytest.raises(regret.InvalidInput) as info:
        regret.optimizer(name, **kw)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(err.value)
    else:
        assert err.value == value and type(err.value) is type(value)
    msg = str(err)
    assert field in msg and repr(value) in msg and allowed in msg


def test_unknown_optimizer_name():
    with pytest.raises(regret.InvalidInput) as info:
        regret.optimizer("adamw")
    assert isinstance(info.value, ValueError)
    assert info.value.field == "optimizer" and info.value.value == "adamw"
    for name in OPTIMIZERS:  # the message lists what is allowed
        assert repr(name) in str(info.value)


def test_unknown_hyperparameter():
    with pytest.raises(regret.InvalidInput) as info:
        regret.optimizer("adam", gamma=0.1)
    msg = str(info.value)
    assert info.value.value == "gamma" and "adam" in info.value.field
    assert all(f in msg for f in ("alpha", "beta1", "beta2", "eps", "schedule"))
    with pytest.raises(regret.InvalidInput):  # SGD has no β1
        regret.optimizer("sgd", beta1=0.9)


def test_schedule_array_shorter_than_T():
    opt = regret.optimizer("sgd", schedule=[0.1, 0.2])
    with pytest.raises(regret.InvalidInput) as info:
        regret.run(opt, regret.problem("reddi"), T=5)
    assert info.value.field == "sgd.schedule" and "T=5" in str(info.value)


def test_optimizer_by_name_equals_the_class():
    assert regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt") == \
        Adam(alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    assert regret.optimizer("adam") != regret.optimizer("adam", alpha=0.002)
    assert regret.optimizer("adam") != AMSGrad(alpha=0.001, beta1=0.9, beta2=0.999)  # other algorithm
    for name, cls in OPTIMIZERS.items():
        spec = regret.optimizer(name)
        assert type(spec) is cls and spec == cls() and spec.name == name
        assert hash(spec) == hash(cls())
    # integers are stored as floats, arrays compare by value
    assert regret.optimizer("sgd", alpha=1) == regret.optimizer("sgd", alpha=1.0)
    a = regret.optimizer("sgd", schedule=[0.1, 0.2])
    assert a == regret.optimizer("sgd", schedule=np.array([0.1, 0.2]))
    assert a != regret.optimizer("sgd", schedule=[0.1, 0.3])
    assert len({a, regret.optimizer("sgd", schedule=(0.1, 0.2))}) == 1
    # a spec passes through; keywords replace fields (and are validated again)
    spec = Adam()
    assert regret.optimizer(spec) is spec
    assert regret.optimizer(spec, alpha=0.1) == Adam(alpha=0.1)
    with pytest.raises(regret.InvalidInput):
        regret.optimizer(spec, beta1=1.0)


def test_published_defaults():
    """Kingma & Ba (arXiv:1412.6980v9) Algorithm 1: α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8;
    Algorithm 2 (AdaMax): α = 0.002. Reddi et al.'s AMSGrad has no ε and no bias correction."""
    a = Adam()
    assert (a.alpha, a.beta1, a.beta2, a.eps, a.eps_mode, a.bias_correction) == \
        (0.001, 0.9, 0.999, 1e-8, "outside", True)
    assert AdaMax().alpha == 0.002
    m = AMSGrad()
    assert (m.eps, m.bias_correction) == (0.0, False)


# ------------------------------------------------------------------------------------------------
# schedules α_t
# ------------------------------------------------------------------------------------------------
def test_schedule_values():
    T = 7
    assert np.array_equal(regret.optimizer("sgd", alpha=0.3).alphas(T), np.full(T, 0.3))
    assert np.array_equal(regret.optimizer("sgd", alpha=0.3, schedule="sqrt").alphas(T),
                          np.array([0.3 / math.sqrt(t) for t in range(1, T + 1)]))
    user = [0.5, 0.25, 0.125, 1.0, 2.0, 0.1, 0.2, 9.0]
    assert np.array_equal(regret.optimizer("sgd", schedule=user).alphas(T), np.array(user[:T]))


def _linear_instance(A, x0):
    return regret.from_arrays("linear", regret.unbounded(A.shape[1]), A, x0=x0)


def test_array_schedule_drives_the_steps():
    """Second method: on unconstrained linear losses SGD is x_{t+1} = x_t − α_t a_t, so
    x_{t+1} = x_1 − Σ_{s≤t} α_s a_s; the t-th update must use α_t (the array's entry t−1)."""
    rng = np.random.default_rng(3)
    T, d = 50, 3
    A = rng.standard_normal((T, d))
    x0 = np.array([0.5, -1.0, 2.0])
    alphas = rng.uniform(0.01, 1.0, T)
    res = regret.run(regret.optimizer("sgd", schedule=alphas), _linear_instance(A, x0), T=T,
                     record_iterates=True, comparator=False)
    expected = np.vstack([x0, x0 - np.cumsum(alphas[:, None] * A, axis=0)])
    np.testing.assert_allclose(res.iterates[0], expected, rtol=0, atol=1e-13)
    reversed_ = regret.run(regret.optimizer("sgd", schedule=alphas[::-1].copy()), _linear_instance(A, x0),
                           T=T, record_iterates=True, comparator=False)
    assert np.max(np.abs(reversed_.iterates[0] - expected)) > 1e-3  # the order of α_t matters


@pytest.mark.parametrize("name", ["sgd", "adam", "amsgrad", "adagrad", "adamax"])
def test_array_schedule_equals_sqrt_schedule(name):
    """A user array α/√t runs exactly like schedule='sqrt' (bit for bit: both evaluate α/√t with a
    correctly rounded square root and one division), and a constant array like 'constant'."""
    T, alpha = 400, 0.3
    prob = regret.problem("reddi", C=3)
    t = np.arange(1, T + 1, dtype=np.float64)
    runs = {}
    for label, sched in (("sqrt", "sqrt"), ("sqrt-array", alpha / np.sqrt(t)),
                         ("constant", "constant"), ("constant-array", np.full(T, alpha))):
        runs[label] = regret.run(regret.optimizer(name, alpha=alpha, schedule=sched), prob, T=T,
                                 record_iterates=True)
    assert np.array_equal(runs["sqrt"].iterates, runs["sqrt-array"].iterates)
    assert np.array_equal(runs["sqrt"].regret, runs["sqrt-array"].regret)
    assert np.array_equal(runs["constant"].iterates, runs["constant-array"].iterates)
    # and the two schedules are different runs, so the equalities above are not vacuous
    assert not np.array_equal(runs["sqrt"].iterates, runs["constant"].iterates)
