"""Exact verdicts: the round at which a bound first fails, whatever the checkpoints (regret.theory.exact),
checked against brute force — the same run with a checkpoint at every round; and what the rule for
statements about expectations can see (its interval, false alarms and power), checked by simulation."""
from __future__ import annotations

import numpy as np
import sympy as sp

import regret
from regret import theory
from regret.theory import exact
from regret.theory import symbols as Q

KB = theory.get("kingma-ba-4.1")


def reddi_adam():
    return regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, eps=0.0, lam=0.5, schedule="sqrt")


def _brute_force(thm, opt, problem, T, seed=0):
    """(violated per round 1..T) from a run with every round as a checkpoint, no refinement."""
    run = thm.run(opt, problem, T=T, checkpoints=np.arange(1, T + 1), seed=seed, seeds=1)
    R = run.regret[0]
    B = thm.bound(run)[0]
    err = run.comparator[0].certificate + 1e-9 * np.maximum(1.0, np.maximum(np.abs(run.learner_loss[0]),
                                                                            np.abs(run.comparator_loss[0])))
    return R - err > B


def test_the_first_violation_does_not_depend_on_the_checkpoints():
    """Three horizons (three checkpoint grids whose first violated checkpoints are 464, 273 and 588):
    one first violation, the round brute force finds."""
    brute = _brute_force(KB, reddi_adam(), regret.problem("reddi", C=3), 700)
    first = int(np.flatnonzero(brute)[0]) + 1
    assert first == 219
    seen = set()
    for T in (10 ** 4, 10 ** 5, 10 ** 6):
        v = KB.check(KB.run(reddi_adam(), regret.problem("reddi", C=3), T=T))
        fv = v.first_violation
        assert v.status == theory.VIOLATED and fv["exact"] is True and fv["T"] == first
        assert fv["checkpoint"] > first and fv["ratio"] > 1.0
        seen.add(fv["checkpoint"])
        assert "first violation at T=219 (exact" in v.reason
        assert "← first violation (seed 0, between checkpoints)" in v.checkpoint_table()
    assert len(seen) == 3  # three different first violated checkpoints


def test_the_last_round_at_which_it_holds():
    T = 5000
    v = KB.check(KB.run(reddi_adam(), regret.problem("reddi", C=3), T=T))
    last = v.first_violation["last_hold"]
    brute = _brute_force(KB, reddi_adam(), regret.problem("reddi", C=3), T)
    assert not brute[last - 1] and brute[last:].all()  # holds at `last`, fails at every round after it
    assert last > v.first_violation["T"]  # it held again after the first violation
    assert f"holds for the last time at T={last}" in v.reason


def test_beyond_the_budget_it_says_so(monkeypatch):
    monkeypatch.setattr(exact, "BUDGET", 100)
    v = KB.check(KB.run(reddi_adam(), regret.problem("reddi", C=3), T=10 ** 4))
    fv = v.first_violation
    assert fv["exact"] is False and "budget" in fv["why"] and fv["T"] == fv["checkpoint"] == 464
    assert "the first violated checkpoint" in v.reason
    monkeypatch.setattr(exact, "BUDGET", 1000)  # the first violation, not the last hold
    v = KB.check(KB.run(reddi_adam(), regret.problem("reddi", C=3), T=10 ** 4))
    assert v.first_violation["T"] == 219 and v.first_violation["last_hold"] is None
    assert "not determined" in v.first_violation["last_hold_note"]


def test_several_seeds_the_earliest_round_over_seeds():
    """A bound of one's own, R(T) ≤ 0.6·√T, on Rademacher losses: the first violation is the earliest
    round at which any seed violates."""
    mine = theory.bound(0.6 * sp.sqrt(Q.T), key="mine")
    opt, problem = regret.optimizer("sgd", alpha=0.5, schedule="sqrt"), regret.problem("rademacher", d=1)
    v = mine.check(regret.run(opt, problem, T=3000, seeds=3))
    assert v.status == theory.VIOLATED and v.first_violation["exact"] is True
    firsts = []
    for seed in range(3):
        brute = _brute_force(mine, opt, problem, v.first_violation["checkpoint"], seed=seed)
        hit = np.flatnonzero(brute)
        firsts.append(int(hit[0]) + 1 if hit.size else 10 ** 9)
    assert v.first_violation["T"] == min(firsts) and v.first_violation["seed"] == int(np.argmin(firsts))


def test_a_run_replayed_from_points_is_not_refined():
    run = regret.run(reddi_adam(), regret.problem("reddi", C=3), T=2000, record_iterates=True)
    inst = regret.problem("reddi", C=3).instance(2000)
    replayed = regret.from_trajectory(inst, run.iterates[0], reddi_adam())
    v = KB.check(replayed)
    assert v.status == theory.VIOLATED and v.first_violation["exact"] is False
    assert v.first_violation["T"] == v.first_violation["checkpoint"]


def test_exact_false_keeps_the_checkpoint():
    run = KB.run(reddi_adam(), regret.problem("reddi", C=3), T=10 ** 4)
    v = KB.check(run, exact=False)
    assert v.first_violation["T"] == 464 and "exact" not in v.first_violation


def test_expectation_verdicts_state_their_interval_false_alarms_and_power():
    """Hazan 3.2 over 400 seeds: the reason gives the 95% CI, the false-alarm rate and the power;
    both are checked by simulation of the z rule (normal seeds, the run's own spread)."""
    from regret.theory.base import Z_CRIT, _power

    thm = theory.get("hazan-3.2")
    run = thm.default_run()
    v = thm.check(run)
    w, p = v.worst, v.power
    assert v.status == theory.HOLDS and w["ci_low"] < w["mean"] < w["ci_high"]
    assert "95% CI" in v.reason and "probability 0.8" in v.reason and "violated with probability" in v.reason
    assert p["seeds"] == 400 and 0 < p["false_alarm_per_checkpoint"] < 1e-3 and 0 < p["relative_80"] < 0.3
    rng = np.random.default_rng(0)
    # power: a true mean shifted by the reported 80% deviation is caught about 80% of the time
    S, sd = 400, float(run.regret[:, -1].std(ddof=1))
    se = sd / np.sqrt(S)
    d80 = (Z_CRIT + 0.8416) * se
    x = rng.normal(d80, sd, size=(4000, S))
    z = x.mean(axis=1) / (x.std(axis=1, ddof=1) / np.sqrt(S))
    assert abs(np.mean(np.abs(z) > Z_CRIT) - 0.8) < 0.03
    # false alarms at few seeds (heavy Student tails): simulated against the stated rate
    q = _power("expectation", 1.0, 1.0, 5, 1, 100)["false_alarm_per_checkpoint"]
    y = rng.normal(0.0, 1.0, size=(200_000, 5))
    zf = y.mean(axis=1) / (y.std(axis=1, ddof=1) / np.sqrt(5))
    assert abs(np.mean(np.abs(zf) > Z_CRIT) - q) < 0.2 * q
