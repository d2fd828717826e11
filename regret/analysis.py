"""Growth rates of regret curves: the exponent p of R(T) ~ c·T^p over the tail of the checkpoints,
by least squares on (log T', log R̄(T')) where R̄ is the mean over seeds, with a bootstrap confidence
interval over seeds; and the normalised curves R(T)/√T and R(T)/T.

    >>> import regret
    >>> from regret.analysis import growth_exponent
    >>> run = regret.run(regret.optimizer("sgd", alpha=1.0, schedule="sqrt"),
    ...                  regret.problem("linear", d=5), T=10_000, seeds=8)
    >>> fit = growth_exponent(run)
    >>> round(fit.exponent, 1)  # doctest: +SKIP
    0.5

Conventions.
* The tail is the checkpoints T' ≥ ``tail``·T_max (default 0.1: the last decade), and at least the last
  three checkpoints. Lower-order terms bias a fit over a short range: a regret c + b√T fitted where c is
  not yet negligible gives an exponent below 1/2 (AMSGrad on Reddi's sequence: 0.43 over [1e5, 1e6],
  0.48 over [1e6, 1e7]) — report the range with the exponent.
* Logarithms need R̄(T') > 0; checkpoints where the mean regret is ≤ 0 are left out of the fit and
  counted (``dropped``). Regret ≤ 0 on the whole tail gives ``exponent = nan``.
* The bootstrap resamples seeds with replacement (``n_boot`` times, ``numpy.random.default_rng(seed)``:
  deterministic), refits, and reports the percentile interval. With one seed there is no spread over
  seeds to resample and ``ci`` is None; ``stderr`` is the least-squares standard error of the slope
  over the checkpoints in either case (it measures curvature, not randomness).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import require


@dataclass
class GrowthFit:
    exponent: float
    intercept: float  # log c
    ci: tuple | None
    level: float
    stderr: float
    T_range: tuple
    points: int
    dropped: int
    seeds: int
    n_boot: int
    note: str = ""

    def to_dict(self) -> dict:
        return {"exponent": self.exponent, "ci": None if self.ci is None else list(self.ci), "level": self.level,
                "stderr": self.stderr, "T_range": list(self.T_range), "points": self.points,
                "dropped": self.dropped, "seeds": self.seeds, "n_boot": self.n_boot, "note": self.note}

    def __str__(self) -> str:
        if not np.isfinite(self.exponent):
            return f"exponent undefined ({self.note})"
        ci = (f", {int(100 * self.level)}% CI [{self.ci[0]:.3f}, {self.ci[1]:.3f}] over {self.seeds} seeds"
              if self.ci is not None else f" (1 seed: no CI over seeds)")
        return (f"R(T) ~ T^{self.exponent:.3f}{ci}; fit over T in [{self.T_range[0]}, {self.T_range[1]}], "
                f"{self.points} checkpoints, slope s.e. {self.stderr:.3f}")


def _curves(run_or_regret, checkpoints):
    if checkpoints is None:
        require(hasattr(run_or_regret, "regret"), "run", type(run_or_regret).__name__,
                "a RunResult, or a regret array with its checkpoints")
        return np.asarray(run_or_regret.regret, dtype=np.float64), np.asarray(run_or_regret.checkpoints)
    R = np.atleast_2d(np.asarray(run_or_regret, dtype=np.float64))
    cps = np.asarray(checkpoints)
    require(R.shape[-1] == cps.size, "regret", f"array of shape {R.shape}", f"(seeds, {cps.size}) to match the checkpoints")
    return R, cps


def _slope(x, y):
    """Least-squares slope, intercept and the slope's standard error."""
    xm = x.mean()
    sxx = ((x - xm) ** 2).sum()
    b = ((x - xm) * (y - y.mean())).sum() / sxx
    a = y.mean() - b * xm
    n = x.size
    se = float(np.sqrt(((y - a - b * x) ** 2).sum() / (n - 2) / sxx)) if n > 2 else float("nan")
    return float(b), float(a), se


def tail_mask(checkpoints, tail: float = 0.1, min_points: int = 3) -> np.ndarray:
    """Checkpoints T' ≥ tail·T_max, and at least the last ``min_points``."""
    cps = np.asarray(checkpoints, dtype=np.float64)
    require(0 < tail <= 1, "tail", tail, "a fraction in (0, 1]: the fit uses T' ≥ tail·T")
    mask = cps >= tail * cps.max()
    if mask.sum() < min_points:
        mask[-min(min_points, cps.size):] = True
    return mask


def growth_exponent(run_or_regret, checkpoints=None, tail: float = 0.1, n_boot: int = 2000,
                    level: float = 0.95, seed: int = 0) -> GrowthFit:
    """The exponent p of R(T) ~ c T^p over the tail, with a bootstrap CI over seeds (module docstring)."""
    R, cps = _curves(run_or_regret, checkpoints)
    require(0 < level < 1, "level", level, "a confidence level in (0, 1)")
    require(isinstance(n_boot, (int, np.integer)) and n_boot >= 0, "n_boot", n_boot, "an integer ≥ 0")
    mask = tail_mask(cps, tail)
    S = R.shape[0]
    x_all = np.log(cps[mask].astype(np.float64))
    mean = R[:, mask].mean(axis=0)
    pos = mean > 0
    T_range = (int(cps[mask][0]), int(cps[mask][-1]))
    if pos.sum() < 2:
        return GrowthFit(float("nan"), float("nan"), None, level, float("nan"), T_range, int(pos.sum()),
                         int((~pos).sum()), S, 0, "mean regret ≤ 0 on the tail: no power law to fit")
    p, a, se = _slope(x_all[pos], np.log(mean[pos]))
    ci, note = None, ""
    if S > 1 and n_boot > 0:
        rng = np.random.default_rng(seed)
        boots = []
        for _ in range(n_boot):
            m = R[rng.integers(0, S, S)][:, mask].mean(axis=0)
            ok = m > 0
            if ok.sum() >= 2:
                boots.append(_slope(x_all[ok], np.log(m[ok]))[0])
        if boots:
            q = (1 - level) / 2
            ci = (float(np.quantile(boots, q)), float(np.quantile(boots, 1 - q)))
        if len(boots) < n_boot:
            note = f"{n_boot - len(boots)} resamples had < 2 positive points and were left out"
    elif S == 1:
        note = "1 seed: no spread over seeds to resample"
    return GrowthFit(p, a, ci, level, se, T_range, int(pos.sum()), int((~pos).sum()), S, n_boot if S > 1 else 0, note)


@dataclass
class Rates:
    """Normalised regret at every checkpoint: mean, min and max over seeds of R/√T and R/T."""

    checkpoints: np.ndarray
    over_sqrt_T: dict = field(default_factory=dict)
    over_T: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        conv = lambda d: {k: np.asarray(v).tolist() for k, v in d.items()}  # noqa: E731
        return {"checkpoints": [int(c) for c in self.checkpoints], "R_over_sqrt_T": conv(self.over_sqrt_T),
                "R_over_T": conv(self.over_T)}


def rates(run_or_regret, checkpoints=None) -> Rates:
    """R(T')/√T' and R(T')/T' (mean, min, max over seeds) at every checkpoint."""
    R, cps = _curves(run_or_regret, checkpoints)
    Tf = cps.astype(np.float64)

    def stats(A):
        return {"mean": A.mean(axis=0), "min": A.min(axis=0), "max": A.max(axis=0)}

    return Rates(cps, stats(R / np.sqrt(Tf)), stats(R / Tf))


def summary(run_or_regret, checkpoints=None, tail: float = 0.1, n_boot: int = 2000, seed: int = 0) -> dict:
    """The fitted exponent and the normalised regret at the last checkpoint, as a dict (JSON-ready)."""
    R, cps = _curves(run_or_regret, checkpoints)
    fit = growth_exponent(R, cps, tail=tail, n_boot=n_boot, seed=seed)
    T = float(cps[-1])
    return {"growth": fit.to_dict(), "T": int(cps[-1]), "R_mean": float(R[:, -1].mean()),
            "R_over_sqrt_T": float(R[:, -1].mean() / np.sqrt(T)), "R_over_T": float(R[:, -1].mean() / T)}
