"""The named problems of regret.problems: they build, are reproducible per seed, and are the loss
sequences their papers define (Reddi et al.'s rows, the stochastic frequency p, Hazan's Rademacher
lower-bound instance with its exact expected regret); the npz loader and its bad files.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

import regret
from regret.errors import InvalidInput
from regret.losses import value_grad
from regret.problems import PROBLEMS, parameters

SMALL = {  # small parameters so that every problem builds quickly
    "reddi": {}, "reddi-fig1": {}, "reddi-stochastic": {"p": 0.3}, "linear": {"d": 3}, "rademacher": {"d": 2},
    "logistic": {"d": 3}, "hinge": {"d": 3}, "sparse-logistic": {"d": 20, "words": 4}, "digits": {},
    "least_squares": {"d": 3}, "absolute": {"d": 3}, "huber": {"d": 3}, "zhang": {"n": 5},
}
DETERMINISTIC = {"reddi", "reddi-fig1", "npz"}


def round_loss(inst, t, x):
    """f_t(x) as the engine evaluates it (round t uses data row idx[t−1])."""
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    g = np.zeros(inst.d)
    return value_grad(inst.family.code, inst.family.params, inst.A, int(inst.round_rows(t - 1, t)[0]), inst.b, x, g)


def test_every_named_problem_has_small_parameters_here():
    assert set(SMALL) | {"npz"} == set(PROBLEMS)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_named_problem_builds_for_small_T_and_is_valid(name):
    spec = regret.problem(name, **SMALL[name])
    for T in (1, 7):
        inst = spec.instance(T, seed=3)
        assert inst.T == T and inst.round_rows(0, T).shape == (T,)
        assert inst.idx.shape == ((T,) if not inst.periodic else inst.idx.shape)
        assert inst.family.dim(inst.A.shape[1]) == inst.domain.d == inst.d
        inst.family.check_data(inst.A, inst.b)  # raises on bad data
        assert 0 <= inst.idx.min() and inst.idx.max() < inst.A.shape[0]
        assert inst.domain.contains(inst.start())
        assert set(spec.params) <= set(parameters(name))
    res = regret.run("sgd", spec, 5, seeds=2, comparator=False)
    assert np.all(np.isfinite(res.learner_loss))


@pytest.mark.parametrize("name", sorted(SMALL))
def test_same_seed_same_data_and_different_seeds_differ_unless_deterministic(name):
    spec = regret.problem(name, **SMALL[name])
    T = 40
    a, a2, b = spec.instance(T, 1), spec.instance(T, 1), spec.instance(T, 2)

    def data(inst):
        rows = inst.round_rows(0, inst.T)
        return np.concatenate([inst.A[rows].ravel(), inst.b[rows]])

    assert np.array_equal(data(a), data(a2)) and np.array_equal(a.start(), a2.start())
    # a fresh spec with the same name and parameters gives the same stream (SeedSequence per problem)
    assert np.array_equal(data(a), data(regret.problem(name, **SMALL[name]).instance(T, 1)))
    if name in DETERMINISTIC:
        assert np.array_equal(data(a), data(b))
    else:
        assert not np.array_equal(data(a), data(b))


# ------------------------------------------------------------------------------------------------
# Reddi, Kale & Kumar (ICLR 2018)
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,params,C,k,s", [
    ("reddi", {}, 3.0, 3, 1.0),  # Theorem 1: C > 2, period 3, −x otherwise
    ("reddi", {"C": 5.0, "period": 4, "s": 0.5}, 5.0, 4, 0.5),
    ("reddi-fig1", {}, 1010.0, 101, 10.0),  # Figure 1 (online): 1010x if t mod 101 = 1, else −10x
])
def test_reddi_rows_are_those_of_the_paper(name, params, C, k, s):
    inst = regret.problem(name, **params).instance(3 * k + 2, 0)
    assert inst.domain.kind == "box" and inst.d == 1
    assert inst.domain.P[0, 0] == -1.0 and inst.domain.P[1, 0] == 1.0  # F = [−1, 1]
    assert inst.start()[0] == 1.0  # x_1 = 1 (the appendix proof of Theorem 1)
    for t in range(1, inst.T + 1):
        slope = C if t % k == 1 else -s  # rounds 1, k+1, 2k+1, ...
        for x in (-1.0, -0.25, 0.5, 1.0):
            assert round_loss(inst, t, x) == slope * x, (t, x)
    # the minimiser of a period's total loss (C − (k−1)s)·x over [−1, 1], by brute force on a grid
    grid = np.linspace(-1.0, 1.0, 201)
    period_total = [sum(round_loss(inst, t, x) for t in range(1, k + 1)) for x in grid]
    assert inst.meta["x_star"] == grid[int(np.argmin(period_total))]


def test_reddi_theorem_1_minimiser_is_minus_one():
    """Reddi et al. §3: 'the minimum regret is obtained at x = −1' for C > 2 (period total (C−2)x)."""
    assert regret.problem("reddi", C=3.0).instance(9, 0).meta["x_star"] == -1.0


@pytest.mark.parametrize("params,p", [({}, 0.01), ({"p": 0.3, "C": 2.0, "s": 1.0}, 0.3),
                                      ({"C": 10.0, "delta": 0.1}, 1.1 / 11.0)])
def test_reddi_stochastic_frequency_within_binomial_interval(params, p):
    """Theorem 3 / Figure 1 (stochastic): f_t = C·x with probability p, else −s·x, i.i.d. The count of
    C-rounds in T is Binomial(T, p); it must lie within 4.5 standard deviations of Tp (a two-sided
    normal-approximation interval with miss probability ≈ 7e-6) for each of several seeds."""
    spec = regret.problem("reddi-stochastic", **params)
    C = params.get("C", 1010.0)
    s = params.get("s", 10.0)
    T = 20_000
    for seed in range(3):
        inst = spec.instance(T, seed)
        slopes = np.array([round_loss(inst, t, 1.0) for t in range(1, 2001)])
        assert set(np.unique(slopes)) <= {C, -s}
        hits = int(np.sum(inst.A[inst.round_rows(0, T), 0] == C))
        sd = math.sqrt(T * p * (1 - p))
        assert abs(hits - T * p) <= 4.5 * sd, (hits, T * p, sd)
    assert math.isclose(inst.meta["expected_slope"], p * C - (1 - p) * s)
    assert inst.start()[0] == 0.0  # Π_F(0), as in Theorem 3's proof


# ------------------------------------------------------------------------------------------------
# Hazan, Introduction to OCO, Theorem 3.2: the Rademacher instance
# ------------------------------------------------------------------------------------------------
def expected_abs_walk(T: int) -> Fraction:
    """E|S_T| for a simple random walk, exactly: Σ_k |2k − T| C(T, k) / 2^T."""
    return Fraction(sum(abs(2 * k - T) * math.comb(T, k) for k in range(T + 1)), 2 ** T)


def test_expected_abs_walk_closed_form():
    """Derivation of E|S_T| = 2m·C(2m, m)/4^m, m = ⌈T/2⌉.

    Even T = 2m: Σ_k |2k − 2m| C(2m, k) = 2·Σ_{k>m} (2k − 2m) C(2m, k), and
    Σ_{k>m} (k − m) C(2m, k) telescopes through k·C(2m, k) = 2m·C(2m−1, k−1) to m·C(2m, m)/2, so
    E|S_{2m}| = 2m·C(2m, m)/4^m. Odd T = 2m − 1: S_{2m} = S_{2m−1} ± 1 with |S_{2m−1}| ≥ 1, so
    E|S_{2m}| = E|S_{2m−1}|. The exact sum above agrees for every T ≤ 200; docs/sources.md §S5 gives
    E|S_100| = 7.9589."""
    for T in range(1, 201):
        m = -(-T // 2)
        assert expected_abs_walk(T) == Fraction(2 * m * math.comb(2 * m, m), 4 ** m), T
    assert round(float(expected_abs_walk(100)), 4) == 7.9589


@pytest.mark.parametrize("opt,d,T", [("adagrad", 1, 40), ("adam", 2, 25)])
def test_rademacher_mean_regret_is_expected_abs_walk(opt, d, T):
    """Every algorithm plays x_t independent of σ_t, so E Σ_t f_t(x_t) = 0 exactly, and
    min_{x∈[−1,1]^d} Σ_t ⟨σ_t, x⟩ = −‖Σ_t σ_t‖₁; hence E R_T = d·E|S_T|. Checked over 1500 seeds
    within 4.5 standard errors."""
    spec = regret.problem("rademacher", d=d)
    n = 1500
    res = regret.run(regret.optimizer(opt, alpha=0.3), spec, T, seeds=n, record_losses=False,
                     comparator=False, checkpoints=[T])
    learner = res.learner_loss[:, -1]
    best = np.array([-np.abs(spec.instance(T, s).A[:T].sum(axis=0)).sum() for s in res.seeds])
    regrets = learner - best
    want = d * float(expected_abs_walk(T))
    se = regrets.std(ddof=1) / math.sqrt(n)
    assert abs(regrets.mean() - want) <= 4.5 * se, (regrets.mean(), want, se)
    se0 = learner.std(ddof=1) / math.sqrt(n)
    assert abs(learner.mean()) <= 4.5 * se0, (learner.mean(), se0)
    assert np.all(np.abs(res.x_final) <= 1.0)


# ------------------------------------------------------------------------------------------------
# npz files
# ------------------------------------------------------------------------------------------------
def write_npz(path, **arrays):
    np.savez(path, **arrays)
    return str(path)


def good_arrays(rng, n=6, p=3):
    return dict(A=rng.standard_normal((n, p)), b=rng.choice([-1.0, 1.0], size=n), family="logistic",
                domain="ball", radius=2.0, l2=0.1)


def test_npz_problem_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    arr = good_arrays(rng)
    idx = np.array([5, 0, 0, 3, 1, 2, 4, 4], dtype=np.int64)
    x0 = np.array([0.1, -0.2, 0.3])
    path = write_npz(tmp_path / "good.npz", idx=idx, x0=x0, **arr)
    spec = regret.problem("npz", path=path)
    inst = spec.instance(6, seed=0)
    assert inst.family == regret.Family("logistic", l2=0.1)
    assert inst.domain.kind == "ball" and inst.domain.r == 2.0 and inst.d == 3
    np.testing.assert_array_equal(inst.A, arr["A"])
    np.testing.assert_array_equal(inst.b, arr["b"])
    np.testing.assert_array_equal(inst.idx, idx[:6])
    np.testing.assert_array_equal(inst.start(), x0)
    # the seed does not matter for a file
    np.testing.assert_array_equal(spec.instance(6, seed=9).idx, inst.idx)
    res = regret.run("adam", spec, 6, comparator=False, record_iterates=True)
    np.testing.assert_array_equal(res.iterates[0, 0], x0)
    # defaults: every row once in order, ball of radius 1, start Π(0)
    path2 = write_npz(tmp_path / "minimal.npz", A=arr["A"], family="linear")
    inst2 = regret.problem("npz", path=path2).instance(6)
    assert inst2.domain.kind == "ball" and inst2.domain.r == 1.0
    np.testing.assert_array_equal(inst2.idx, np.arange(6))
    np.testing.assert_array_equal(inst2.b, np.zeros(6))


def _bad_cases():
    rng = np.random.default_rng(1)
    g = good_arrays(rng)
    A, b = g["A"], g["b"]
    nanA = A.copy()
    nanA[2, 1] = np.nan
    rest = {k: v for k, v in g.items() if k not in ("A", "b")}
    return [
        ("nan-A", dict(g, A=nanA), "A", "nan"),
        ("inf-b", dict(g, family="least_squares", b=np.array([0, 1, np.inf, 0, 0, 0.0])), "b", "inf"),
        ("1d-A", dict(g, A=A[:, 0]), "A", "(6,)"),
        ("3d-A", dict(g, A=A[None]), "A", "(1, 6, 3)"),
        ("short-b", dict(g, b=b[:4]), "b", "(4,)"),
        ("2d-b", dict(g, b=b[:, None]), "b", "(6, 1)"),
        ("labels", dict(g, b=np.arange(6.0)), "b", "0.0"),
        ("x0-shape", dict(g, x0=np.zeros(4)), "x0", "(4,)"),
        ("x0-nan", dict(g, x0=np.array([0.0, np.nan, 0.0])), "x0", "NaN"),
        ("no-A", dict(rest, b=b), "npz keys", "family"),
        ("no-family", {k: v for k, v in g.items() if k != "family"}, "npz keys", "'A'"),
        ("bad-family", dict(g, family="quadratic"), "family", "quadratic"),
        ("bad-domain", dict(g, domain="cube"), "domain", "cube"),
        ("bad-radius", dict(g, radius=-1.0), "radius", "-1.0"),
        ("float-idx", dict(g, idx=np.array([0.0, 1.0, 2.0])), "idx", "float64"),
        ("2d-idx", dict(g, idx=np.zeros((3, 1), dtype=np.int64)), "idx", "(3, 1)"),
        ("idx-range", dict(g, idx=np.array([0, 6, 1])), "idx", "0..5"),
        ("idx-negative", dict(g, idx=np.array([0, -1, 1])), "idx", "0..5"),
        ("text-A", dict(g, A=np.array([["a", "b", "c"]] * 6)), "A", "<U1"),
        ("text-radius", dict(g, radius="wide"), "radius", "wide"),
    ]


@pytest.mark.parametrize("label,arrays,field,value", _bad_cases(), ids=[c[0] for c in _bad_cases()])
def test_npz_bad_files_raise_invalid_input_naming_the_field(tmp_path, label, arrays, field, value):
    path = write_npz(tmp_path / f"{label}.npz", **arrays)
    with pytest.raises(InvalidInput) as err:
        regret.problem("npz", path=path).instance(3)
    assert err.value.field == field, str(err.value)
    assert value in str(err.value), str(err.value)


def test_npz_path_and_horizon_errors(tmp_path):
    with pytest.raises(InvalidInput, match="path"):
        regret.problem("npz").instance(3)
    with pytest.raises(InvalidInput, match="path") as err:
        regret.problem("npz", path=str(tmp_path / "missing.npz")).instance(3)
    assert "missing.npz" in str(err.value)
    junk = tmp_path / "junk.npz"
    junk.write_text("not a zip file")
    with pytest.raises(InvalidInput, match="path"):
        regret.problem("npz", path=str(junk)).instance(3)
    path = write_npz(tmp_path / "six.npz", **good_arrays(np.random.default_rng(2)))
    with pytest.raises(InvalidInput) as err:
        regret.problem("npz", path=path).instance(7)
    assert err.value.field == "T" and "7" in str(err.value) and "6" in str(err.value)
