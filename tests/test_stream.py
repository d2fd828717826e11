"""Streamed sequences (regret.problems.stream): the synthetic problems draw their rows block by block.
A streamed run reads exactly the rows the whole sequence holds — bit for bit the run of the same rows
stored — however its calls cut the blocks, and its memory does not grow with T."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import regret
from regret.engine import carry, feed
from regret.errors import InvalidInput
from regret.problems.stream import StreamInstance, block_rows

SPECS = [("linear", {"d": 3}), ("linear", {"d": 2, "dist": "rademacher", "drift": 0.4}), ("rademacher", {"d": 1}),
         ("logistic", {"d": 3, "drift": 1.0}), ("hinge", {"d": 2}), ("least_squares", {"d": 3, "drift": 0.5}),
         ("absolute", {"d": 2}), ("huber", {"d": 2}), ("sparse-logistic", {"d": 20, "words": 4, "docs": 7}),
         ("sparse-logistic", {"d": 20, "words": 4})]


def _stored(inst):
    """The same rounds as a stored instance (every row drawn at once)."""
    return regret.from_arrays(inst.family, inst.domain, inst.A.copy(), inst.b.copy(), name=inst.name + "-stored")


@pytest.mark.parametrize("name,params", SPECS, ids=[f"{n}{p}" for n, p in SPECS])
def test_rows_do_not_depend_on_how_they_are_read(name, params):
    spec = regret.problem(name, **params)
    inst = spec.instance(3000, seed=4)
    assert isinstance(inst, StreamInstance) and spec.streamed
    whole_A, whole_b = inst.stream.rows(0, 3000)
    rng = np.random.default_rng(0)
    cuts = np.unique(np.concatenate([[0, 3000], rng.integers(0, 3000, 12)]))
    for a, b in zip(cuts[:-1], cuts[1:]):
        A, bb = inst.stream.rows(int(a), int(b))
        assert np.array_equal(A, whole_A[a:b]) and np.array_equal(bb, whole_b[a:b])
    fresh = spec.instance(3000, seed=4)  # drawn whole (.A) by another instance of the same seed
    assert np.array_equal(fresh.A, whole_A) and np.array_equal(fresh.b, whole_b)
    assert not np.array_equal(spec.instance(3000, seed=5).A, whole_A)


def test_once_drawn_whole_the_blocks_are_views_of_those_rows_and_equal_to_fresh_draws():
    spec = regret.problem("logistic", d=3)
    drawn = [spec.instance(40000, seed=2).stream.block(k) for k in range(3)]  # drawn block by block
    inst = spec.instance(40000, seed=2)
    B = inst.stream.block_rows
    assert 2 * B <= 40000 < 3 * B  # blocks 0 and 1 inside the sequence, block 2 past its end
    inst.A  # drawn whole
    for k in range(3):
        A, b = inst.stream.block(k)
        assert np.shares_memory(A, inst.A) == (k < 2)  # a view, not drawn again; block 2 is drawn
        assert np.array_equal(A, drawn[k][0]) and np.array_equal(b, drawn[k][1])
    run_whole = regret.run(regret.optimizer("adam"), inst, T=40000, comparator=False)
    run_fresh = regret.run(regret.optimizer("adam"), spec.instance(40000, seed=2), T=40000, comparator=False)
    assert np.array_equal(run_whole.learner_loss, run_fresh.learner_loss)
    assert np.array_equal(run_whole.x_final, run_fresh.x_final)


def test_a_shorter_horizon_is_a_prefix():
    """No parameter depends on T: round t's row depends on the seed and t only."""
    for name, params in [("linear", {"d": 2}), ("least_squares", {"d": 2}), ("sparse-logistic", {"d": 20, "docs": 9})]:
        spec = regret.problem(name, **params)
        short, long = spec.instance(500, seed=1), spec.instance(70_000, seed=1)
        assert np.array_equal(short.A, long.stream.rows(0, 500)[0]), name


def test_random_reshuffling_visits_every_document_once_per_epoch():
    inst = regret.problem("sparse-logistic", d=30, docs=11, dropout=0.0).instance(11 * 6, seed=2)
    A = inst.A
    docs = {A[t].tobytes() for t in range(11)}
    for e in range(6):
        assert {A[t].tobytes() for t in range(11 * e, 11 * (e + 1))} == docs
    assert not np.array_equal(A[:11], A[11:22])  # each epoch in its own order


@pytest.mark.parametrize("name,params", SPECS, ids=[f"{n}{p}" for n, p in SPECS])
def test_a_streamed_run_is_the_run_of_its_rows_stored(name, params, monkeypatch):
    """Calls of a few rounds each, cutting the blocks anywhere: bit for bit the stored rows' run."""
    spec = regret.problem(name, **params)
    T = 2 * block_rows(spec.instance(1).stream.features) + 37
    p = spec.instance(1).stream.features
    monkeypatch.setattr(feed, "STREAM_NUMBERS", 2 * 7 * p)  # 7 rounds per call for 2 seeds
    opts = [regret.optimizer("adam", alpha=0.1), regret.optimizer("adagrad", alpha=0.3)]
    many = regret.run_many(opts, spec, T, seeds=2, record_iterates=True, comparator=False)
    for s, seed in enumerate((0, 1)):
        stored = _stored(spec.instance(T, seed))
        for opt, res in zip(opts, many):
            one = regret.run(opt, spec, T, seed=seed, record_iterates=True, comparator=False)
            ref = regret.run(opt, stored, T, record_iterates=True, comparator=False)
            for f in ("losses", "iterates", "learner_loss", "grad_sq", "vhat", "G", "step_ratio"):
                assert np.array_equal(getattr(one, f)[0], getattr(ref, f)[0]), f
                assert np.array_equal(getattr(res, f)[s], getattr(ref, f)[0]), f


@pytest.mark.parametrize("name,params", [("linear", {"d": 3}), ("rademacher", {"d": 2}),
                                         ("least_squares", {"d": 3, "l2": 0.01}), ("logistic", {"d": 2})])
def test_the_comparator_of_a_stream_is_that_of_its_rows(name, params):
    """Closed form and sufficient statistics add the rows block by block; the others read them whole."""
    spec = regret.problem(name, **params)
    T = 3 * block_rows(spec.instance(1).stream.features) + 5
    cps = np.array([1, 17, T // 2, T])
    inst = spec.instance(T, seed=3)
    streamed = regret.comparator.best_fixed(inst, cps)
    if name in ("linear", "rademacher", "least_squares"):
        assert inst._whole is None  # never drawn whole
    stored = regret.comparator.best_fixed(_stored(spec.instance(T, seed=3)), cps)
    np.testing.assert_allclose(streamed.value, stored.value, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(streamed.x, stored.x, atol=1e-7)


def test_a_comparator_that_reads_every_row_is_refused_before_the_run_when_it_cannot_fit():
    with pytest.raises(InvalidInput) as e:
        regret.run("adam", regret.problem("logistic", d=10), T=10 ** 11, record_losses=False)
    assert e.value.field == "problem" and "comparator" in str(e.value)


def _peak_kb(problem: str, T: str) -> int:
    code = ("import resource, sys\nfrom regret.cli import main\n"
            f"code = main(['run', '--optimizer', 'adam', '--problem', '{problem}', '--T', '{T}', '--json', '--quiet'])\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(code)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.rsplit("PEAK", 1)[1])


def test_streamed_runs_do_not_grow_with_T():
    """rademacher (d = 1) and least squares (d = 4) at T = 10^3 and T = 4·10^6: the same peak to within
    24 MB (stored, the rows alone would be 32 MB and 160 MB)."""
    for problem in ("rademacher", "least_squares:d=4"):
        small, large = _peak_kb(problem, "1e3"), _peak_kb(problem, "4e6")
        assert large - small < 24 * 1024, (problem, small, large)


def _signs(rng, T, p=0.6):
    return np.where(rng.random((T, 2)) < p, 1.0, -1.0)


def test_a_users_generator_streamed():
    from regret.problems import from_generator

    spec = from_generator(_signs, "linear", regret.box(2, -1.0, 1.0), name="signs", streamed=True, p=0.7)
    assert spec.streamed
    T = 70_000  # more than two blocks of 2^15 rows
    inst = spec.instance(T, seed=3)
    assert isinstance(inst, StreamInstance) and inst.stream.features == 2
    A, _ = inst.stream.rows(0, T)
    assert abs((A == 1.0).mean() - 0.7) < 0.02
    # each block from its own generator: block k is _signs(child (0, k), B)
    from regret.problems.stream import child

    B = inst.stream.block_rows
    np.testing.assert_array_equal(A[B:2 * B], _signs(child(inst.stream.seed_seq, 0, 1), B, p=0.7))
    res = regret.run("adagrad", spec, T, seed=3)
    ref = regret.run("adagrad", _stored(spec.instance(T, seed=3)), T)
    assert np.array_equal(res.learner_loss, ref.learner_loss) and np.array_equal(res.regret, ref.regret)
