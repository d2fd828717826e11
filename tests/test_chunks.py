"""A run is a sequence of compiled calls over chunks of rounds (regret/engine/carry.py): cut anywhere,
it gives the same bits as one call for all T rounds; between the calls a progress bar advances and
Ctrl-C stops a long run at once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import regret
from regret.engine import carry, loop_wide
from regret.engine.record import OUTPUTS as KERNEL_OUTPUTS
from regret.problems import orthogonal

from user_optimizers import UserAdam

OUTPUTS = KERNEL_OUTPUTS + ("x_average",)  # and the time-averaged iterate, read off the carry

OPTS = [regret.optimizer("adam", alpha=0.1), regret.optimizer("amsgrad", alpha=0.2, beta1=0.5, beta2=0.9, schedule="sqrt"),
        regret.optimizer("adamx", alpha=0.3, lam=0.7), regret.optimizer("adamax", alpha=0.05),
        regret.optimizer("sgd", alpha=0.2, schedule=np.linspace(0.5, 0.05, 97)), UserAdam(alpha=0.2)]


def _fields(res):
    return {name: getattr(res, name) for name in OUTPUTS}


def _same(a, b):
    for name in OUTPUTS:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert np.array_equal(x, y, equal_nan=True), name


def _cut(monkeypatch, work):
    monkeypatch.setattr(carry, "WORK_PER_CALL", work)


@pytest.mark.parametrize("problem", [
    regret.problem("reddi", C=3),  # d = 1: the loop on scalars (its specialised path: no records)
    regret.problem("linear", d=4, domain="ball"),
    regret.problem("logistic", d=3, domain="simplex"),
    regret.problem("huber", d=2, domain="box"),
], ids=lambda p: p.label())
@pytest.mark.parametrize("records", [False, True])
def test_a_run_cut_into_chunks_equals_one_call_bit_for_bit(monkeypatch, problem, records):
    T = 97
    kw = dict(seeds=2, checkpoints=[1, 5, 50, 96, 97], record_losses=records, record_iterates=records,
              record_state=records, comparator=False)
    whole = {opt.label(): regret.run(opt, problem, T, **kw) for opt in OPTS}
    many_whole = regret.run_many(OPTS, problem, T, **kw)
    d = whole[OPTS[0].label()].x_final.shape[1]
    for per_call in (1, 7 * d, 13 * d * 2 * len(OPTS)):  # 1 round per call, 7, and 13 for each batched run
        _cut(monkeypatch, per_call)
        assert len(list(carry.chunks(T, d * 2 * len(OPTS)))) > 1  # so a single run is cut as well
        for opt in OPTS:
            _same(regret.run(opt, problem, T, **kw), whole[opt.label()])
        for got, want in zip(regret.run_many(OPTS, problem, T, **kw), many_whole):
            _same(got, want)


def test_an_adaptive_adversary_cut_into_chunks_equals_one_call(monkeypatch):
    adv = orthogonal(d=3, G=2.0, radius=0.5)
    whole = regret.run("adam", adv, 50, seeds=2, record_iterates=True, comparator=False)
    _cut(monkeypatch, 3 * 4)  # 4 rounds per call
    _same(regret.run("adam", adv, 50, seeds=2, record_iterates=True, comparator=False), whole)


def test_a_wide_run_cut_into_chunks_equals_one_call(monkeypatch):
    d = loop_wide.WIDE_D + 3
    rng = np.random.default_rng(2)
    inst = regret.from_arrays("least_squares", regret.ball(d, 0.5), rng.standard_normal((4, d)),
                              rng.standard_normal(4), idx=rng.integers(0, 4, 6))
    opts = [regret.optimizer("adam", alpha=0.01), regret.optimizer("amsgrad", alpha=0.01, schedule="sqrt")]
    whole = regret.run_many(opts, inst, 6, checkpoints=[2, 6], comparator=False)
    _cut(monkeypatch, d * 2)  # 2 rounds per call (1 per call for the two runs of run_many)
    for got, want, opt in zip(regret.run_many(opts, inst, 6, checkpoints=[2, 6], comparator=False), whole, opts):
        _same(got, want)
        _same(regret.run(opt, inst, 6, checkpoints=[2, 6], comparator=False), want)


def test_chunks_cover_every_round_once():
    for T, work in ((1, 5), (10, 1), (10, 3), (10**9, 1), (7, 10**12)):
        parts = list(carry.chunks(T, work))
        assert parts[0][0] == 1 and parts[-1][1] == T
        assert all(b[0] == a[1] + 1 for a, b in zip(parts, parts[1:]))
        per_call = max(1, carry.WORK_PER_CALL // work)
        assert all(last - first + 1 <= per_call for first, last in parts)
        if T == 10**9:
            assert len(parts) == -(-T // per_call)


def test_progress_bar_counts_the_rounds_and_is_silent_when_off(monkeypatch, capsys):
    """With progress shown, a run draws a bar over its T rounds (tqdm, on stderr); off, nothing."""
    monkeypatch.setattr(regret.progress, "DELAY", 0.0)
    monkeypatch.setattr(regret.progress, "REFRESH", 0.0)
    _cut(monkeypatch, 1000)
    with regret.progress.shown(True):
        regret.run("adam", regret.problem("reddi"), 5000, record_losses=False, comparator=False)
    err = capsys.readouterr().err
    assert "5000/5000" in err and "round" in err, err[-300:]
    with regret.progress.shown(False):
        regret.run("adam", regret.problem("reddi"), 5000, record_losses=False, comparator=False)
    assert capsys.readouterr().err == ""
    with pytest.raises(regret.InvalidInput, match="progress"):
        regret.progress.show("yes")


def test_ctrl_c_stops_a_long_compiled_run_at_once():
    """SIGINT reaches Python between two compiled calls: a run of 10^11 rounds (minutes) stops within
    a second of Ctrl-C, with KeyboardInterrupt, instead of after the whole run."""
    code = ("import regret\n"
            # the same options first, so that the loop of the long run is compiled (or loaded) before it
            "regret.run('adam', regret.problem('reddi'), 10, record_losses=False, comparator=False)\n"
            "print('running', flush=True)\n"
            "regret.run('adam', regret.problem('reddi'), 10**11, record_losses=False, comparator=False)\n"
            "print('finished', flush=True)\n")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        assert proc.stdout.readline().strip() == "running"
        time.sleep(1.0)  # well inside the long run
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        waited = time.monotonic() - sent
    finally:
        proc.kill()
    assert "KeyboardInterrupt" in err and "finished" not in out
    assert waited < 2.0, waited


def test_the_comparator_shows_its_checkpoints(monkeypatch, capsys):
    """The slow comparator routes (first order, working set) advance a bar per checkpoint."""
    monkeypatch.setattr(regret.progress, "DELAY", 0.0)
    monkeypatch.setattr(regret.progress, "REFRESH", 0.0)
    with regret.progress.shown(True):
        regret.run("adam", regret.problem("logistic", d=3), 400, checkpoints=[100, 200, 400], record_losses=False)
    err = capsys.readouterr().err
    assert "comparator (logistic)" in err and "3/3" in err, err[-400:]
