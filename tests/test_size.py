"""Size: a run that records nothing per round needs memory independent of T (a periodic sequence is
stored as one period), and a request that cannot fit is refused with one line naming the estimate —
before anything is generated or allocated."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import regret
from regret.cli import main
from regret import memory

ADAM = regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt", bias_correction=False)


def test_reddi_stores_one_period_whatever_T():
    inst = regret.problem("reddi", C=3).instance(10 ** 12)
    assert inst.T == 10 ** 12 and inst.periodic and inst.idx.shape == (3,)
    # the row counts of rounds a+1..b come from the period: C appears once per period
    np.testing.assert_array_equal(inst.row_counts_between(5, 5 + 3 * 10 ** 11 + 2), [10 ** 11 + 1, 10 ** 11, 10 ** 11 + 1])  # the 2 extra rounds are t = 6, 7: rows 2, 0
    np.testing.assert_array_equal(inst.round_rows(0, 7), [0, 1, 2, 0, 1, 2, 0])


@pytest.mark.parametrize("T", [1, 2, 3, 4, 1000, 10_001])
def test_a_periodic_instance_runs_as_its_written_out_sequence(T):
    """Bit for bit: the loops wrap round t to idx[(t − 1) mod 3]; the comparator counts rows."""
    periodic = regret.problem("reddi", C=3).instance(T)
    written = regret.from_arrays("linear", regret.box(1, -1.0, 1.0), periodic.A, periodic.b,
                                 idx=np.arange(T) % 3, x0=periodic.x0, name="reddi-written-out")
    for opt in (ADAM, regret.optimizer("amsgrad", alpha=0.3)):
        a = regret.run(opt, periodic, T, record_iterates=True, record_state=True)
        b = regret.run(opt, written, T, record_iterates=True, record_state=True)
        for f in ("learner_loss", "grad_sq", "vhat", "G", "step_ratio", "iterates", "vhat_history", "losses"):
            assert np.array_equal(getattr(a, f), getattr(b, f)), f
        assert np.array_equal(a.regret, b.regret) and np.array_equal(a.x_star, b.x_star)
    spec = regret.problem("reddi", C=3)
    many = regret.run_many([ADAM, ADAM.replace(alpha=0.1)], spec, T, seeds=2)
    assert np.array_equal(many[0].learner_loss, regret.run(ADAM, written, T, seeds=1).learner_loss.repeat(2, 0))


def _peak_kb(T: str) -> tuple[int, str]:
    code = ("import resource, sys\nfrom regret.cli import main\n"
            f"code = main(['run', '--optimizer', 'adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt,bias_correction=false',"
            f" '--problem', 'reddi', '--T', '{T}', '--json', '--quiet'])\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(code)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.rsplit("PEAK", 1)[1]), out.stdout


def test_peak_memory_does_not_grow_with_T():
    """T = 10^3 and T = 2·10^7 rounds of Reddi's sequence through the CLI: the same peak to within
    16 MB (a stored row index alone would be 160 MB at 2·10^7; 8 GB at 10^9)."""
    small, _ = _peak_kb("1e3")
    large, text = _peak_kb("2e7")
    assert large - small < 16 * 1024, (small, large)
    assert '"T": 20000000' in text


@pytest.mark.parametrize("call, field", [
    (lambda: regret.run(ADAM, "reddi", 10 ** 12), "record_losses"),
    (lambda: regret.run(ADAM, regret.problem("linear", d=10 ** 12), 10), "problem"),
    # a streamed sequence holds one block at a time, but the logistic comparator reads it whole
    (lambda: regret.run(ADAM, regret.problem("logistic", d=10 ** 3), 10 ** 8, record_losses=False), "problem"),
    (lambda: regret.run(ADAM, regret.problem("least_squares", d=65536), 10), "problem"),
    (lambda: regret.run(ADAM, "reddi", 10 ** 10, record_losses=False, record_iterates=True), "record_iterates"),
    (lambda: regret.run_many([ADAM] * 1000, "reddi", 10 ** 8), "record_losses"),
])
def test_requests_that_cannot_fit_are_refused_before_any_work(call, field, monkeypatch):
    monkeypatch.setattr(memory, "available_memory", lambda: 16 * 2 ** 30)  # the same answer on any host
    with pytest.raises(regret.InvalidInput) as err:
        call()
    assert err.value.field == field and "16 GB of memory" in str(err.value)


@pytest.mark.parametrize("argv", [
    ["--problem", "linear:d=1000000000000", "--T", "10"],
    ["--problem", "least_squares:d=65536", "--T", "10"],
    ["--problem", "logistic:d=100000", "--T", "1e7", "--save", "out.npz"],
])
def test_the_cli_refuses_them_in_one_line(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(memory, "available_memory", lambda: 16 * 2 ** 30)
    assert main(["run", "--optimizer", "adam", "--quiet"] + argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "memory" in err[0] and "Traceback" not in err[0]
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("kw, field", [
    (dict(T=2 ** 63), "T"), (dict(T=10, seeds=1.5), "seeds"), (dict(T=10, seeds="ab"), "seeds"),
    (dict(T=10, seeds=[1, "a"]), "seeds"), (dict(T=10, seeds=True), "seeds"), (dict(T=10, seed=1.0), "seed"),
])
def test_bad_sizes_and_seeds_are_invalid_input(kw, field):
    with pytest.raises(regret.InvalidInput) as err:
        regret.run(ADAM, "reddi", **kw)
    assert err.value.field == field


def test_a_schedule_of_strings_is_invalid_input():
    with pytest.raises(regret.InvalidInput, match=r"adam\.schedule"):
        regret.optimizer("adam", schedule=["a", "b"])
