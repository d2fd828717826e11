"""The user's sequence: a distribution as a seeded generator (regret.problems.from_generator), run by
regret.run / run_many / the CLI like a named problem — a different sequence per seed, the same for
the same seed — and refused with one clear error when the function returns the wrong thing."""
from __future__ import annotations

import numpy as np
import pytest

import regret
from regret.cli import main
from regret.errors import InvalidInput
from regret.problems import from_generator


def signs(rng, T, p=0.5):
    """f_t(x) = σ_t x with σ_t = +1 with probability p, else −1."""
    return np.where(rng.random((T, 1)) < p, 1.0, -1.0)


def regression(rng, T, d=3, noise=0.1):
    A = rng.standard_normal((T, d))
    return A, A @ np.linspace(-0.5, 0.5, d) + noise * rng.standard_normal(T)


SIGNS = from_generator(signs, "linear", regret.box(1, -1.0, 1.0), name="signs")


def test_each_seed_has_its_own_sequence_and_the_same_seed_the_same():
    a0, a0_again, a1 = (SIGNS.instance(200, s).A for s in (0, 0, 1))
    assert np.array_equal(a0, a0_again) and not np.array_equal(a0, a1)
    biased = from_generator(signs, "linear", regret.box(1, -1.0, 1.0), name="signs", p=0.9)
    assert biased.instance(2000, 0).A.mean() > 0.7  # the parameter reaches the function


def test_a_generated_problem_runs_like_a_named_one():
    res = regret.run(regret.optimizer("sgd", alpha=0.5, schedule="sqrt"), SIGNS, 500, seeds=4)
    assert res.regret.shape == (4, res.checkpoints.size)
    assert len({float(r) for r in res.regret[:, -1]}) == 4  # four different sequences
    # the comparator of the linear family on a box: −|Σ σ_t| (independently, from the instance's rows)
    for s in range(4):
        total = SIGNS.instance(500, s).A.sum()
        np.testing.assert_allclose(res.comparator_loss[s, -1], -abs(total), rtol=0, atol=1e-12)
    many = regret.run_many([regret.optimizer("sgd", alpha=0.5, schedule="sqrt")], SIGNS, 500, seeds=4)
    assert np.array_equal(many[0].regret, res.regret)
    spec = from_generator(regression, "least_squares", regret.ball(3, 1.0), name="reg", noise=0.2)
    res = regret.run(regret.optimizer("adagrad", alpha=0.5), spec, 300, seeds=2)
    assert np.all(np.isfinite(res.regret)) and res.d == 3


def test_a_generator_from_a_file_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "mygen.py"
    path.write_text("import numpy as np, regret\n"
                    "from regret.problems import from_generator\n"
                    "def signs(rng, T, p=0.5):\n"
                    "    return np.where(rng.random((T, 1)) < p, 1.0, -1.0)\n"
                    "SIGNS = from_generator(signs, 'linear', regret.box(1, -1.0, 1.0), name='signs')\n")
    assert main(["run", "--optimizer", "sgd:alpha=0.5,schedule=sqrt", "--problem", f"{path}:SIGNS:p=0.8",
                 "--T", "300", "--seeds", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "problem signs:p=0.8" in out
    assert main(["run", "--optimizer", "sgd", "--problem", f"{path}:SIGNS:q=1", "--T", "10", "--quiet"]) == 2
    assert "signs parameters" in capsys.readouterr().err


@pytest.mark.parametrize("fn,field", [
    (lambda rng, T: np.zeros((T + 1, 1)), "signs generator output A"),
    (lambda rng, T: np.full((T, 1), np.nan), "signs generator output"),
    (lambda rng, T: (np.zeros((T, 1)), np.zeros(T - 1)), "signs generator output b"),
    (lambda rng, T: "abc", "signs generator output"),
])
def test_a_generator_that_returns_the_wrong_thing_is_named(fn, field):
    spec = from_generator(fn, "linear", regret.box(1, -1.0, 1.0), name="signs")
    with pytest.raises(InvalidInput) as e:
        spec.instance(10, 0)
    assert e.value.field == field


def test_parameters_the_function_does_not_take_are_refused_at_once():
    with pytest.raises(InvalidInput, match="signs parameters"):
        from_generator(signs, "linear", regret.box(1, -1.0, 1.0), name="signs", q=1)
