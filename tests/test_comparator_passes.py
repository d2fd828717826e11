"""The comparator's compiled passes over the rows (regret/comparator/passes.py) and its blocks per
checkpoint (objective.checkpoint_blocks), each against an independent reference: the families'
numpy formulas (Family.total / total_grad), a Hessian written here from each family's second
derivative, finite differences, and the row-multiplicity blocks of the first version."""
import numba
import numpy as np
import pytest

import regret
from regret.comparator import best_fixed
from regret.comparator.objective import Block, checkpoint_blocks, checkpoint_counts
from regret.comparator.passes import CHUNK, HESS_NUMBERS, evaluate, tasks
from regret.losses import family

SINGLE_INDEX = ("linear", "least_squares", "logistic", "hinge", "absolute", "huber")


def second_derivative(name, z, b, delta=1.0):
    """φ''(z) of each family, from its formula (a generalized one for Huber; 0 where piecewise linear)."""
    if name == "least_squares":
        return np.ones_like(z)
    if name == "logistic":
        p = 1.0 / (1.0 + np.exp(-b * z))  # σ(yz); y = ±1 so φ'' = σ(yz)(1 − σ(yz))
        return p * (1.0 - p)
    if name == "huber":
        return (np.abs(z - b) <= delta).astype(float)
    return np.zeros_like(z)


def data(name, n, p, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, p))
    b = np.sign(rng.standard_normal(n)) if name in ("logistic", "hinge") else rng.standard_normal(n)
    return A, b, rng.standard_normal(p) * 0.3, rng.integers(1, 4, n).astype(float)


@pytest.mark.parametrize("name", SINGLE_INDEX)
@pytest.mark.parametrize("weighted", [False, True])
def test_pass_matches_numpy_formulas_across_several_tasks(name, weighted):
    n, p = 2 * CHUNK + 123, 4  # three tasks
    fam = family(name)
    A, b, x, w = data(name, n, p)
    w = w if weighted else None
    f, g, H = evaluate(fam, A, b, w, x, True)
    assert tasks(n, p) == 3
    ref_f = fam.total(x, A, b, weights=w)
    assert abs(f - ref_f) <= 1e-12 * max(1.0, abs(ref_f))
    np.testing.assert_allclose(g, fam.total_grad(x, A, b, weights=w), rtol=1e-11, atol=1e-9)
    s = second_derivative(name, A @ x, b) * (1.0 if w is None else w)
    np.testing.assert_allclose(H, A.T @ (s[:, None] * A), rtol=1e-11, atol=1e-9)
    f2, g2, H2 = evaluate(fam, A, b, w, x, False)  # without the Hessian: the same value and gradient
    assert H2 is None and f2 == f
    np.testing.assert_array_equal(g2, g)


@pytest.mark.parametrize("name", ["logistic", "huber"])
def test_hessian_matches_finite_differences_of_the_gradient(name):
    fam = family(name)
    A, b, x, _ = data(name, 500, 3, seed=2)
    H = evaluate(fam, A, b, None, x, True)[2]
    eps = 1e-6
    fd = np.stack([(evaluate(fam, A, b, None, x + eps * e, False)[1] - evaluate(fam, A, b, None, x - eps * e, False)[1])
                   / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-5 * np.abs(H).max())


def test_a_pass_does_not_depend_on_the_number_of_threads():
    fam = family("logistic")
    A, b, x, w = data("logistic", 5 * CHUNK + 7, 5, seed=3)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = evaluate(fam, A, b, w, x, True)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = evaluate(fam, A, b, w, x, True)
    finally:
        numba.set_num_threads(before)
    assert one[0] == many[0]
    np.testing.assert_array_equal(one[1], many[1])
    np.testing.assert_array_equal(one[2], many[2])


def test_per_task_hessians_stay_within_their_memory_cap_and_values_do_not_depend_on_them(monkeypatch):
    from regret.comparator import passes

    assert tasks(10 ** 7, 10) == -(-10 ** 7 // CHUNK)
    for p in (300, 1000, 3000):
        assert tasks(10 ** 7, p) * p * p <= max(HESS_NUMBERS, p * p)
    # a split the cap shortens (a smaller cap, so that the rows stay small): the same F and ∇F with and
    # without ∇²F at a point (the split does not depend on whether the Hessian is asked for)
    monkeypatch.setattr(passes, "HESS_NUMBERS", 2000)
    fam = family("logistic")
    A, b, x, _ = data("logistic", 3 * CHUNK, 30, seed=6)
    assert passes.tasks(3 * CHUNK, 30) == 2
    f1, g1, _ = evaluate(fam, A, b, None, x, True)
    f2, g2, _ = evaluate(fam, A, b, None, x, False)
    assert f1 == f2 and np.array_equal(g1, g2)


def test_prefix_blocks_of_a_stream_equal_the_row_multiplicity_blocks():
    inst = regret.problem("logistic", d=4).instance(3000, 1)
    cps = [10, 700, 3000]
    x = np.linspace(-0.5, 0.5, 4)
    prefix = list(checkpoint_blocks(inst, cps))
    assert [T for T, _ in prefix] == cps
    for (T, blk), c in zip(prefix, checkpoint_counts(inst, cps)):
        assert blk.rows is None and blk.n == T  # the prefix route was taken
        ref = Block(inst.family, inst.A, inst.b, c)
        assert abs(blk.value_grad(x)[0] - ref.value_grad(x)[0]) <= 1e-12 * abs(ref.value_grad(x)[0])
        np.testing.assert_array_equal(blk.c, ref.c)


def test_periodic_instances_keep_row_multiplicities():
    inst = regret.problem("reddi", C=3).instance(50, 0)
    for T, blk in checkpoint_blocks(inst, [3, 50]):
        assert blk.rows is not None and blk.n == T


def test_logistic_comparator_on_a_stream_against_cvxpy():
    """The first-order route (its Newton steps on the compiled pass) against cvxpy, end to end."""
    inst = regret.problem("logistic", d=3).instance(2000, 0)
    fast = best_fixed(inst, [50, 2000])
    ref = best_fixed(inst, [50, 2000], method="cvxpy")
    np.testing.assert_allclose(fast.value, ref.value, rtol=1e-7)
    assert np.all(fast.value <= ref.value + ref.certificate + 1e-9 * np.abs(ref.value))
    np.testing.assert_array_less(fast.certificate, 1e-9 * np.maximum(1, np.abs(fast.value)) * 1.0001)


def test_running_sums_of_a_stream_are_bit_for_bit_one_cumulative_sum():
    """The linear closed form's prefix sums, block by block, against np.cumsum over every round at
    once (checkpoints on and around the block boundaries, and repeated rounds of one block)."""
    from regret.comparator import _prefix_sums

    inst = regret.problem("linear", d=7).instance(70000, 3)
    B = inst.stream.block_rows
    cps = np.array([1, B - 1, B, B + 1, 3 * B, 70000])
    np.testing.assert_array_equal(_prefix_sums(inst, cps), np.cumsum(inst.A, axis=0)[cps - 1])
