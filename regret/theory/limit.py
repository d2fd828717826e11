"""Limit statements (kind ``"limit"``): a quantity M tends to a value c.

Two kinds of variable:

* T → ∞ along one run: M is a statistic at the checkpoints, e.g. the average regret R(T)/T (Reddi et
  al.'s remark that SGD and AdaGrad have vanishing average regret on their Theorem 1 sequence);
* a hyperparameter x → x₀ over a family of runs (:class:`ParameterLimit`), e.g. Kingma & Ba §5:
  Adam with β1 = 0 and α_t = α/√t tends to AdaGrad as 1 − β2 → 0.

A computation never reaches a limit; what it can measure is how the gap |M − c| shrinks along the
variable. The check fits log |M − c| = a + s·log x by least squares over the fit range (T: the asserted
checkpoints of the last :data:`FIT_DECADES` decades, at least three; a hyperparameter: every value of
the family) on the worst seed's gap, and reads the rate p (= −s as T → ∞, = s as x → 0) with its 95%
interval (Student's t on the slope's standard error, n − 2 degrees of freedom):

* HOLDS — the gap decays: the interval of p lies above :data:`P_MIN` (0.1), or the gap is within the
  measurement's error bar at the end of the fit range (the limit is reached to rounding);
* VIOLATED — the gap does not decay: the interval of p lies below P_MIN and the last gap is outside
  the error bar. A gap that shrinks slower than x^0.1 over the range is not evidence of a limit; the
  verdict says so in these words, as a finite range cannot exclude a slower decay after it;
* INCONCLUSIVE — neither: fewer than three points with a gap outside the error bar, or an interval
  of p that contains P_MIN.

The fitted rate is part of the verdict (``Verdict.limit``): p, its interval, the fit range, and the
gap at its ends.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .verdict import HOLDS, INCONCLUSIVE, VIOLATED

P_MIN = 0.1  # a gap that shrinks slower than x^0.1 over the fit range is not counted as tending to 0
FIT_DECADES = 2.0  # T → ∞: the fit uses the checkpoints T' ≥ T_max/10^2


@dataclass(frozen=True)
class ParameterLimit:
    """The family of runs of a limit in a hyperparameter.

    ``variable`` names it in words ("1 − β2") and ``parameter`` the hyperparameter it sets ("beta2"), ``values`` are the points it is measured at (tending to
    ``toward``, the text of the limit point), ``optimizer(base, x)`` is the optimizer of the run at x
    (``base``: the optimizer the user gave), ``reference(base)`` the limit algorithm's optimizer
    (None: no reference run), ``measure(run, reference_run)`` the quantity M of one run as an (S,)
    array over seeds, and ``records`` the records :func:`regret.run` must keep for it."""

    variable: str
    values: tuple
    toward: str
    optimizer: Callable
    measure: Callable
    reference: Callable | None = None
    records: dict = field(default_factory=dict)
    latex: str = ""  # the variable in LaTeX (default: ``variable``)
    parameter: str = ""  # the hyperparameter the family changes (left out where the family is described)

    def __post_init__(self):
        from ..errors import require

        v = np.asarray(self.values, dtype=np.float64)
        toward = float("inf") if self.toward == "∞" else float(self.toward)
        # the values must approach the limit point, one after the other (the verdict reads the gap at
        # the last value as the nearest to the limit) and be positive (the fit is on log x)
        steps = np.abs(v - toward) if np.isfinite(toward) else -v
        require(v.ndim == 1 and v.size >= 3 and bool(np.all(v > 0)) and bool(np.all(np.diff(steps) < 0)),
                "values", list(self.values), f"at least 3 positive values approaching {self.toward}, in that order")


@dataclass(eq=False)
class LimitRuns:
    """The runs of a :class:`ParameterLimit`: one per value (``runs``), the reference run, and the
    variable's values. It answers what a report asks of a run (``optimizer``, ``problem``, ``T``,
    ``seeds``, …) with the first run's attributes; the hypotheses are checked on every run."""

    values: tuple
    runs: list
    reference: object = None
    measured: np.ndarray | None = None  # (S, n): the limit's measure of each run, taken when it ended

    @property
    def base(self):
        return self.runs[0]

    def __getattr__(self, name):
        if name.startswith("__") or name in ("values", "runs", "reference", "measured"):
            raise AttributeError(name)
        return getattr(self.runs[0], name)


def run_family(limit: ParameterLimit, optimizer, problem, T: int, seeds, checkpoints=None, seed: int = 0,
               run=None) -> LimitRuns:
    """Run the family of ``limit`` from the user's optimizer (``run``: :func:`regret.run`): the
    reference first, then each value's run, measured as soon as it ends and kept without its
    per-round records, so that at most two runs' records are held at once (each run checks its own
    memory before it starts)."""
    import dataclasses

    if run is None:
        from ..runs import run
    kw = dict(T=T, seed=seed, seeds=seeds, checkpoints=checkpoints, **limit.records)
    ref = run(limit.reference(optimizer), problem, **kw) if limit.reference is not None else None
    runs, measured = [], []
    for x in limit.values:
        r = run(limit.optimizer(optimizer, x), problem, **kw)
        measured.append(np.asarray(limit.measure(r, ref), dtype=np.float64).reshape(-1))
        runs.append(dataclasses.replace(r, losses=None, iterates=None, vhat_history=None))
    if ref is not None:
        ref = dataclasses.replace(ref, losses=None, iterates=None, vhat_history=None)
    return LimitRuns(tuple(limit.values), runs, ref, np.stack(measured, axis=1))


@dataclass
class RateFit:
    """The fitted decay of the gap |M − c| ≈ e^a · x^(∓p) over the fit range."""

    rate: float  # p: the gap shrinks as T^−p (T → ∞) or x^p (x → 0)
    ci: tuple  # its 95% interval
    x_range: tuple
    points: int  # points in the fit (gap outside the error bar)
    reached: int  # points of the fit range whose gap is within the error bar
    gap_first: float
    gap_last: float

    def to_dict(self) -> dict:
        return {"rate": self.rate, "ci": list(self.ci), "range": list(self.x_range), "points": self.points,
                "within_error_bar": self.reached, "gap_first": self.gap_first, "gap_last": self.gap_last,
                "p_min": P_MIN}


def fit_rate(x, gap, band, to_infinity: bool) -> RateFit:
    """Least squares of log gap on log x over the points whose gap exceeds the error bar ``band``; the
    rate's 95% interval from the slope's standard error (Student's t, n − 2 degrees of freedom; with
    two points the interval is the point)."""
    from ..analysis import _slope

    x, gap, band = (np.asarray(a, dtype=np.float64) for a in (x, gap, band))
    out = gap > band
    n = int(out.sum())
    span = (float(x[0]), float(x[-1]))
    if n < 2:
        return RateFit(float("nan"), (float("nan"), float("nan")), span, n, int((~out).sum()), float(gap[0]),
                       float(gap[-1]))
    s, _, se = _slope(np.log(x[out]), np.log(gap[out]))
    p = (-s if to_infinity else s) + 0.0  # + 0.0: a flat gap reads p = 0, not −0
    if n > 2:
        from ..engine.result import t_quantile_95

        half = t_quantile_95(n - 1) * se  # t quantile with n − 2 degrees of freedom
    else:
        half = 0.0
    return RateFit(float(p), (float(p - half) + 0.0, float(p + half) + 0.0), span, n, int((~out).sum()), float(gap[0]),
                   float(gap[-1]))


def decide(fit: RateFit, last_within: bool, variable: str, toward: str, name: str, limit_text: str) -> tuple:
    """(status, reason) by the rule of the module docstring."""
    where = f"{variable} from {_num(fit.x_range[0])} to {_num(fit.x_range[1])}"
    if fit.points == 0:
        return HOLDS, (f"{name} is within the error bar of {limit_text} at every point of the fit range "
                       f"({where}): the limit is reached to rounding")
    if fit.points < 3 and not last_within:
        return INCONCLUSIVE, (f"only {fit.points} point(s) of the fit range ({where}) have a gap |{name} − "
                              f"{limit_text}| outside the error bar: too few to fit a rate")
    p, (lo, hi) = fit.rate, fit.ci
    base = variable if variable == "T" else f"({variable})"
    law = f"{base}^(−p)" if toward == "∞" else f"{base}^p"
    rate = (f"|{name} − {limit_text}| ≈ {law} with p = {p:.3g} (95% interval [{lo:.3g}, {hi:.3g}], "
            f"{fit.points} points, {where}); gap {fit.gap_first:.4g} → {fit.gap_last:.4g}")
    if last_within or lo > P_MIN:
        return HOLDS, f"{name} → {limit_text} as {variable} → {toward}: " + rate
    if hi < P_MIN:
        return VIOLATED, (f"{name} does not tend to {limit_text} over the range: " + rate
                          + f"; a gap shrinking slower than {base}^{P_MIN:g} is not a limit by this rule")
    return INCONCLUSIVE, f"the rate cannot be told from p = {P_MIN:g}: " + rate


def check_limit(thm, run, ctx, v, rtol: float) -> tuple:
    """(outcome, detail) of the limit statement ``thm`` on ``run`` (one run for T → ∞, the
    :class:`LimitRuns` of its family otherwise); fills the verdict's numbers: ``measured``, ``band``,
    ``bound`` (the limit c) and ``checkpoints`` (the variable's values) as (S, n) and (n,) arrays,
    ``asserted`` (the fit range) and ``limit`` (the fit). ``rtol``: the rounding slack of a measured
    quantity, relative to its magnitude (:data:`regret.theory.base.RTOL`)."""
    import sympy as sp

    var, toward = thm.variable
    if thm.limit is None:
        measured, band = thm._measured(ctx)
        bound = thm._evaluate(ctx)
        x = np.asarray(ctx.run.checkpoints, dtype=np.float64)
        asserted = thm.asserted(ctx)
        fit = asserted & (x >= x[asserted].max(initial=0.0) / 10.0 ** FIT_DECADES)
        last = np.flatnonzero(asserted)[-3:]  # at least the last three asserted checkpoints
        fit[last] = True
    else:
        measured = run.measured
        band = rtol * np.maximum(1.0, np.abs(measured))
        c = sp.sympify(thm.bound_expr)
        if c.free_symbols:
            from .context import Unavailable

            raise Unavailable(f"the limit {sp.sstr(c)} of a family of runs must be a number")
        bound = np.full_like(measured, float(c))
        x = np.asarray(run.values, dtype=np.float64)
        v.checkpoints = x
        fit = np.ones(x.size, dtype=bool)
    if not fit.any():
        v.measured, v.band, v.bound, v.asserted = measured, band, bound, fit
        return INCONCLUSIVE, f"no checkpoint with T ≥ {sp.sstr(thm.valid_from)}, where the statement applies"
    gap = np.abs(measured - bound).max(axis=0)  # the worst seed at each point (NaN if any seed's is)
    gap = np.where(np.isnan(measured - bound).any(axis=0), np.nan, gap)
    err = band.max(axis=0)
    c_last = float(bound[:, np.flatnonzero(fit)[-1]].mean())
    limit_text = sp.sstr(thm.bound_expr)
    if sp.sympify(thm.bound_expr).free_symbols:
        limit_text += f" = {c_last:.6g}"
    v.measured, v.band, v.bound, v.asserted = measured, band, bound, fit
    v.variable = var
    bad = fit & ~np.isfinite(gap)
    if bad.any():  # a diverged run: M is not a number there, so it does not tend to c
        first = _num(x[np.flatnonzero(bad)[0]])
        v.limit = {"variable": var, "toward": toward, "limit": c_last, "not_finite_from": float(x[bad][0])}
        return VIOLATED, (f"{thm.measured_name()} is not finite at {var} = {first} (a diverged run): it does not "
                          f"tend to {limit_text}")
    rf = fit_rate(x[fit], gap[fit], err[fit], to_infinity=toward == "∞")
    status, reason = decide(rf, bool(gap[fit][-1] <= err[fit][-1]), var, toward, thm.measured_name(),
                            limit_text if not sp.sympify(thm.bound_expr).free_symbols else f"{c_last:.6g}")
    v.limit = {"variable": var, "toward": toward, "limit": c_last, **rf.to_dict()}
    return status, reason


def _num(v: float) -> str:
    return f"{int(v)}" if float(v).is_integer() and abs(v) < 1e15 else f"{v:.3g}"
