"""pytest helpers: make a test suite fail when an optimizer breaks a published bound or grows its
regret too fast. Failures raise :class:`RegretAssertionError` (an ``AssertionError``) whose message is
the verdict table — hypotheses with their numbers, measured regret against the bound — not a bare
``assert``.

    from regret.testing import assert_bound_holds, assert_regret_rate, assert_sublinear

    def test_my_adagrad_keeps_duchis_bound():
        assert_bound_holds("duchi-5", "adagrad:alpha=1.4142,eps=0", "linear:d=10,domain=box", T=5000, seeds=3)

    def test_ogd_rate():
        assert_regret_rate("sgd:alpha=1,schedule=sqrt", "linear:d=5", max_exponent=0.5, tol=0.15)

Optimizers and problems are given as objects (``regret.optimizer(...)``, ``regret.problem(...)``) or
as the CLI's spec strings ``"name:key=value,..."``. Property tests draw problems from the
hypothesis strategies in :mod:`regret.testing.strategies`. The pytest plugin
(:mod:`regret.testing.plugin`, registered as an entry point) adds a ``regret_check`` fixture and
prints the verdict table when an ``assert verdict.status == ...`` comparison fails.
"""
from __future__ import annotations

# nothing of regret (nor numpy) at import: the pytest plugin, regret.testing.plugin, is loaded in every
# pytest session and imports this package; the helpers import what they use when called

__all__ = ["assert_bound_holds", "assert_bound_violated", "assert_not_falsified", "assert_regret_rate",
           "assert_sublinear", "RegretAssertionError", "check_bound", "rate_table"]


class RegretAssertionError(AssertionError):
    """A regret assertion failed; ``verdict`` / ``fit`` carry the numbers."""

    def __init__(self, message: str, verdict=None, fit=None):
        super().__init__(message)
        self.verdict, self.fit = verdict, fit


def _spec(obj, kind: str):
    """An optimizer/problem object from an object or a 'name:key=value,...' string."""
    if not isinstance(obj, str):
        return obj
    from ..cli.util import parse_spec

    name, params = parse_spec(obj, kind)
    if kind == "optimizer":
        from ..optimizers import optimizer

        return optimizer(name, **params)
    from ..problems import problem

    return problem(name, **params)


def check_bound(theorem, optimizer=None, problem=None, T: int | None = None, seeds=None, diameters: str = "auto",
                checkpoints=None):
    """Run ``optimizer`` on ``problem`` (default: the theorem's setting) and check ``theorem``:
    returns the :class:`~regret.theory.Verdict` without asserting anything."""
    from .. import theory

    thm = theory.get(theorem)
    opt = thm.default.optimizer_spec() if optimizer is None else _spec(optimizer, "optimizer")
    prob = thm.default.problem_spec() if problem is None else _spec(problem, "problem")
    run = thm.run(opt, prob, T=T, seeds=seeds, checkpoints=checkpoints)
    return thm.check(run, diameters=diameters)


def assert_bound_holds(theorem, optimizer=None, problem=None, T: int | None = None, seeds=None,
                       diameters: str = "auto", checkpoints=None):
    """Fail unless the verdict is HOLDS (every hypothesis holds and the bound holds at every
    checkpoint and seed, the comparator's error bar counted against it). Returns the verdict."""
    v = check_bound(theorem, optimizer, problem, T, seeds, diameters, checkpoints)
    if v.status != "HOLDS":
        raise RegretAssertionError(f"expected {v.theorem} to HOLD, got {v.status}\n\n{v.table()}", verdict=v)
    return v


def assert_bound_violated(theorem, optimizer=None, problem=None, T: int | None = None, seeds=None,
                          diameters: str = "auto", checkpoints=None):
    """Fail unless the verdict is VIOLATED (every hypothesis holds and the bound fails beyond the
    error bar) — for a suite that documents a known false statement. Returns the verdict."""
    v = check_bound(theorem, optimizer, problem, T, seeds, diameters, checkpoints)
    if v.status != "VIOLATED":
        raise RegretAssertionError(f"expected {v.theorem} to be VIOLATED, got {v.status}\n\n{v.table()}", verdict=v)
    return v


def assert_not_falsified(theorem, optimizer=None, budget: float | None = 30.0, evaluations: int | None = None,
                         T: int = 2000, families=None, seed: int = 0):
    """Fail if `regret falsify` finds, within ``budget`` seconds and/or ``evaluations`` sequences, a loss
    sequence meeting every hypothesis of ``theorem`` on which ``optimizer`` (default: the theorem's)
    breaks it; the message holds the counterexample in words and its verdict table. Returns the
    search (:class:`regret.falsify.Search`: the best ratio found, its log)."""
    from ..falsify import FAMILIES, falsify

    opt = None if optimizer is None else _spec(optimizer, "optimizer")
    search = falsify(theorem, opt, budget=budget, evaluations=evaluations, T=T,
                     families=tuple(FAMILIES) if families is None else families, seed=seed)
    if search.falsified:
        raise RegretAssertionError(f"{search.summary()}\n\n{search.verdict.table()}", verdict=search.verdict)
    return search


def _run(optimizer, problem, T, seeds, checkpoints):
    import numpy as np

    from ..engine import default_checkpoints
    from ..errors import require
    from ..runs import run

    require(isinstance(T, (int, np.integer)) and T >= 10, "T", T, "an integer ≥ 10 (a rate needs a range of T)")
    cps = default_checkpoints(int(T), checkpoints)
    return run(_spec(optimizer, "optimizer"), _spec(problem, "problem"), T=int(T), seeds=seeds, checkpoints=cps,
               record_losses=False)


def rate_table(run, fit, rows: int = 10) -> str:
    """Checkpoints with mean regret, R/√T and R/T, then the fit."""
    import numpy as np

    from ..analysis import rates

    r = rates(run)
    R = run.regret.mean(axis=0)
    K = R.size
    ks = sorted(set(np.round(np.linspace(0, K - 1, min(rows, K))).astype(int).tolist()))
    lines = [f"{run.optimizer.label()} on {run.problem} ({run.family}, {run.domain}), {len(run.seeds)} seed(s)",
             f"{'T':>9}  {'R(T) mean':>12}  {'R/sqrt(T)':>10}  {'R/T':>10}"]
    for k in ks:
        lines.append(f"{int(run.checkpoints[k]):>9}  {R[k]:>12.5g}  {r.over_sqrt_T['mean'][k]:>10.4g}  "
                     f"{r.over_T['mean'][k]:>10.4g}")
    lines.append(f"fit: {fit}")
    return "\n".join(lines)


def assert_regret_rate(optimizer, problem, max_exponent: float | None = 0.5, tol: float = 0.1, T: int = 10_000,
                       seeds=5, tail: float = 0.1, checkpoints: int = 40, min_exponent: float | None = None):
    """Fail if the fitted exponent p of R(T) ~ T^p over the tail exceeds ``max_exponent + tol``, or
    falls below ``min_exponent − tol`` (a test that regret grows linearly: ``min_exponent=1,
    max_exponent=None``); the point estimate decides, the message shows the bootstrap CI over seeds.
    Regret ≤ 0 on the whole tail passes an upper limit (no growth) and fails a lower one. Returns the
    :class:`~regret.analysis.GrowthFit`."""
    import numpy as np

    from ..analysis import growth_exponent
    from ..errors import require

    require(max_exponent is not None or min_exponent is not None, "max_exponent", None,
            "a number (or a min_exponent)")
    run = _run(optimizer, problem, T, seeds, checkpoints)
    fit = growth_exponent(run, tail=tail)
    if max_exponent is not None and np.isfinite(fit.exponent) and fit.exponent > max_exponent + tol:
        raise RegretAssertionError(
            f"regret grows like T^{fit.exponent:.3f}, faster than T^{max_exponent} (+ tol {tol})\n\n"
            + rate_table(run, fit), fit=fit)
    if min_exponent is not None and not (np.isfinite(fit.exponent) and fit.exponent >= min_exponent - tol):
        grows = f"grows like T^{fit.exponent:.3f}" if np.isfinite(fit.exponent) else "does not grow (R ≤ 0 on the tail)"
        raise RegretAssertionError(
            f"regret {grows}, slower than T^{min_exponent} (− tol {tol})\n\n" + rate_table(run, fit), fit=fit)
    return fit


def assert_sublinear(optimizer, problem, T: int = 10_000, seeds=5, margin: float = 0.1, tail: float = 0.1,
                     checkpoints: int = 40):
    """Fail unless the regret looks sublinear on the tail: the fitted exponent is at most 1 − margin,
    and the mean R(T)/T at T is below its value at the start of the tail (or the mean regret is ≤ 0
    on the whole tail). Returns the fit."""
    import numpy as np

    from ..analysis import growth_exponent, tail_mask

    run = _run(optimizer, problem, T, seeds, checkpoints)
    fit = growth_exponent(run, tail=tail)
    if not np.isfinite(fit.exponent):
        return fit  # mean regret ≤ 0 on the whole tail
    R = run.regret.mean(axis=0)
    k0 = int(np.argmax(tail_mask(run.checkpoints, tail)))
    avg0, avg1 = R[k0] / run.checkpoints[k0], R[-1] / run.checkpoints[-1]
    if fit.exponent > 1 - margin or avg1 >= avg0:
        raise RegretAssertionError(
            f"regret does not look sublinear: exponent {fit.exponent:.3f} (allowed ≤ {1 - margin:g}), "
            f"R/T {avg0:.4g} at T={int(run.checkpoints[k0])} → {avg1:.4g} at T={int(run.checkpoints[-1])}\n\n"
            + rate_table(run, fit), fit=fit)
    return fit
