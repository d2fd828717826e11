"""The proof framework (regret.theory.proofs_runner) and mutation tests of the proofs in proofs/: changing a
constant of an identity or a bound must make the proof report FAILS, naming the step and its numbers."""
import textwrap

import numpy as np
import pytest
import sympy as sp

from regret.errors import InvalidInput
from regret.theory.proofs_runner import ERROR, FAILS, HOLDS, Context, Proof, closed_sum, default_directory, discover, select

REQUIRED = {"bias-correction", "adagrad-limit", "effective-step-adam", "effective-step-adamax", "adamax-limit",
            "sum-inverse-sqrt", "geometric-sums-gamma", "sum-lambda-sqrt", "kingma-ba-lemma-10.3",
            "kingma-ba-lemma-10.4", "reddi-amsgrad-key-lemma", "gamma-psd", "reddi-theorem-1-mechanism"}


@pytest.fixture(scope="module")
def proofs():
    return {p.name: p for p in discover()}


# -- the proofs directory -------------------------------------------------------------------------------

def test_every_required_proof_is_present_with_citation_and_a_test(proofs):
    assert REQUIRED <= set(proofs)
    for p in proofs.values():
        assert p.statement and p.citation and p.module.endswith(".py")
        mod = _module(p)
        assert any(k.startswith("test_") and callable(v) for k, v in vars(mod).items()), p.module
        assert mod.__doc__ and len(mod.__doc__) > 200, f"{p.module} must state what it proves and how"


def test_default_directory_is_beside_the_package():
    assert default_directory().name == "proofs" and default_directory().is_dir()


# -- mutations: a wrong constant makes the proof fail, with the step and the numbers -----------------------

def _failed(res):
    assert res.status == FAILS, res.report()
    return {s.name: s for s in res.failed_steps}


def test_mutation_bias_correction_identity(proofs):
    res = proofs["bias-correction"].run(closed_form=lambda b, t: 1 - b ** (t + 1))
    failed = _failed(res)
    assert any("induction base" in n for n in failed)
    numeric = [s for s in failed.values() if s.kind == "numeric"]
    assert numeric and numeric[0].numbers["v"]["max_z"] > 5  # the Monte Carlo mean disagrees
    assert "residual" in res.report()


def test_mutation_sum_inverse_sqrt_constants(proofs):
    failed = _failed(proofs["sum-inverse-sqrt"].run(c=1.9))
    step = next(s for n, s in failed.items() if "c − 1 ≥ 1" in n)
    assert step.numbers["c_minus_1"] == "9/10"
    failed = _failed(proofs["sum-inverse-sqrt"].run(c_low=3))
    num = next(s for s in failed.values() if s.kind == "numeric")
    assert num.numbers["first_T_lower_fails"] == 1  # 1 < 3(√2 − 1) = 1.243 (by hand)


def test_mutation_geometric_sum_bound(proofs):
    failed = _failed(proofs["geometric-sums-gamma"].run(bound_tgt=lambda g: g / (1 - g)))
    num = next(s for s in failed.values() if s.kind == "numeric")
    # at γ = 1/2, Σ_{t≤3} tγ^t = 1/2 + 1/2 + 3/8 = 11/8 > γ/(1−γ) = 1 (by hand), first at T = 3
    assert num.numbers["0.5"]["first_T_exceeding"] == 3


def test_mutation_sum_lambda_sqrt_bound(proofs):
    failed = _failed(proofs["sum-lambda-sqrt"].run(bound=lambda lam: 1 / (1 - lam)))
    assert any(s.kind == "symbolic" for s in failed.values())
    assert any(s.kind == "numeric" for s in failed.values())


def test_mutation_effective_step_sup(proofs):
    from regret.theory.audit import adam_step_sup

    def wrong_sup(b1, b2, T):  # the Cauchy–Schwarz factor √(Σγ'^k) dropped: the single-spike value
        t = np.arange(1, T + 1)
        return (1 - b1) / (1 - b1 ** t) * np.sqrt((1 - b2 ** t) / (1 - b2)) if b1 > 0 else adam_step_sup(b1, b2, T)

    failed = _failed(proofs["effective-step-adam"].run(sup=wrong_sup))
    assert any("reaches B_t" in n for n in failed)


def test_mutation_effective_step_adamax_sup(proofs):
    from regret.theory.audit import adamax_step_sup
    res = proofs["effective-step-adamax"].run(sup=lambda b1, b2, T: np.minimum(adamax_step_sup(b1, b2, T), 1.0))
    assert any("reaches A_t" in n for n in _failed(res))


def test_mutation_adamax_closed_form(proofs):
    p = proofs["adamax-limit"]
    mod_cf = lambda g, b2: np.maximum.accumulate(np.abs(g), axis=0)  # noqa: E731  forgets the decay β2^{t−i}
    assert any("closed form" in n for n in _failed(p.run(closed_form=mod_cf)))


def _module(proof):
    import importlib.util
    spec = importlib.util.spec_from_file_location(f"_mut_{proof.name}", proof.module)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_mutation_lemma_10_4_constant(proofs):
    mod = _module(proofs["kingma-ba-lemma-10.4"])
    # without the factor 1/√(1−β2): for β1 = 0, β2 = 0.1 the left side reaches 0.99 of the true bound
    res = proofs["kingma-ba-lemma-10.4"].run(
        constant=lambda b1, b2: mod.corrected_constant(b1, b2) * np.sqrt(1 - b2))
    assert any("corrected Lemma 10.4" in n for n in _failed(res))


def test_mutation_amsgrad_key_lemma_constant(proofs):
    mod = _module(proofs["reddi-amsgrad-key-lemma"])
    # at t = 1 with β1 = 0 the lemma is an equality (α|g|/√(1−β2) on both sides, by hand): 1% less fails
    res = proofs["reddi-amsgrad-key-lemma"].run(constant=lambda *a: mod.printed_constant(*a) / 1.01)
    assert any("printed key lemma" in n for n in _failed(res))


# -- the framework ----------------------------------------------------------------------------------------

def test_identity_step_reports_the_residual():
    ctx = Context()
    x = sp.Symbol("x")
    assert ctx.identity("ok", (x + 1) ** 2, x ** 2 + 2 * x + 1)
    assert not ctx.identity("wrong", (x + 1) ** 2, x ** 2 + 1)
    assert ctx.steps[1].numbers["residual"] == "2*x"


def test_status_holds_fails_error_and_method():
    def good(ctx):
        ctx.symbolic("a", True)
        ctx.exact("b", True)

    def bad(ctx, k=1):
        ctx.symbolic("a", True)
        ctx.numeric("b", k == 1, value=k)

    def boom(ctx):
        ctx.symbolic("a", True)
        raise ZeroDivisionError("division by zero in step b")

    r = Proof("good", "s", "c", good).run()
    assert r.status == HOLDS and r.method == "symbolic + exact"
    r = Proof("bad", "s", "c", bad).run(k=2)
    assert r.status == FAILS and [s.name for s in r.failed_steps] == ["b"] and "value = 2" in r.report()
    assert r.params == {"k": 2}
    r = Proof("boom", "s", "c", boom).run()
    assert r.status == ERROR and "ZeroDivisionError" in r.error
    r = Proof("empty", "s", "c", lambda ctx: None).run()
    assert r.status == ERROR and "no step" in r.error
    with pytest.raises(AssertionError, match="FAIL"):
        Proof("bad", "s", "c", bad).assert_holds(k=3)


def test_trajectories_are_counted_once(tmp_path):
    import regret

    def chk(ctx):
        opt = regret.optimizer("sgd", alpha=0.1)
        a = ctx.run(opt, regret.problem("reddi", C=3), 10, comparator=False)
        b = ctx.run(opt, regret.problem("reddi", C=3), 10, comparator=False)
        ctx.numeric("same object", a is b)
        ctx.run(opt, regret.problem("linear", d=2), 10, seeds=3, comparator=False)

    r = Proof("t", "s", "c", chk).run()
    assert r.holds and r.trajectories == 4 and r.method == "numeric on 4 trajectories"


def test_closed_sum_takes_the_generic_branch():
    g = sp.Symbol("gamma", positive=True)
    t, T = sp.Symbol("t", integer=True, positive=True), sp.Symbol("T", integer=True, positive=True)
    assert sp.simplify(closed_sum(g ** (t - 1), (t, 1, T)) - (1 - g ** T) / (1 - g)) == 0
    assert sp.simplify(closed_sum(t * g ** (t - 1), (t, 1, sp.oo)) - 1 / (1 - g) ** 2) == 0


def _write(directory, name, body):
    (directory / name).write_text(textwrap.dedent(body))


def test_discovery_errors(tmp_path):
    with pytest.raises(InvalidInput, match="proofs directory"):
        discover(tmp_path / "missing")
    with pytest.raises(InvalidInput, match="at least one proof"):
        discover(tmp_path)
    _write(tmp_path, "a.py", "X = 1\n")
    with pytest.raises(InvalidInput, match="PROOF"):
        discover(tmp_path)
    (tmp_path / "a.py").unlink()
    body = """
        from regret.theory.proofs_runner import Proof
        PROOF = Proof("same", "s", "c", lambda ctx: ctx.symbolic("x", True))
    """
    _write(tmp_path, "a.py", body)
    _write(tmp_path, "b.py", body)
    with pytest.raises(InvalidInput, match="unique"):
        discover(tmp_path)
    (tmp_path / "b.py").unlink()
    _write(tmp_path, "_helper.py", "raise RuntimeError('not a proof file')\n")
    assert [p.name for p in discover(tmp_path)] == ["same"]
    with pytest.raises(InvalidInput, match="proof"):
        select(discover(tmp_path), ["other"])
