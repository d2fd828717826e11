"""What a run returns: :class:`RunResult`, one optimizer on one problem for several seeds.

Its statistics are the compiled loops' outputs under the same names (:mod:`regret.engine.record`);
the comparator (``comparator``: one :class:`regret.comparator.ComparatorCurve` per seed) is attached
by the layer above the engine (:func:`regret.run`), so that this module and the engine import
nothing of the comparator.

Index convention: x_1 is the start point, x_{t+1} the point after the t-th update; the regret at
checkpoint T' is Σ_{t≤T'} f_t(x_t) − min_{x∈X} Σ_{t≤T'} f_t(x).

Diverged runs: a seed whose Σ_{t≤T'} f_t(x_t) stops being finite (the learner's iterates overflow, or
NaN) is *diverged* (``diverged``, ``diverged_at``): its regret is NaN from that checkpoint on — never
a finite-looking number — and ``summary()`` says "diverged at T'=…" (``status``) with NaN statistics.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from ..errors import require
from ..optimizers import Optimizer
from .record import PER_SEED


@dataclass
class RunResult:
    """One optimizer on one problem for several seeds. Arrays have a leading seed axis S and a
    checkpoint axis K (``checkpoints``); d is the dimension."""

    optimizer: Optimizer
    problem: str
    family: str
    domain: str
    T: int
    d: int
    seeds: list
    checkpoints: np.ndarray
    learner_loss: np.ndarray  # (S, K) Σ_{t≤T'} f_t(x_t)
    grad_sq: np.ndarray  # (S, K, d) Σ_{t≤T'} g_{t,i}²
    vhat: np.ndarray  # (S, K, d) the optimizer's v̂_{T',i}
    G: np.ndarray  # (S, K) max_{t≤T'} ‖g_t‖₂
    G_inf: np.ndarray  # (S, K) max_{t≤T'} ‖g_t‖∞
    step_ratio: np.ndarray  # (S, K) max_{t≤T'} max_i |Δ_{t,i}|/α_t
    x_min: np.ndarray  # (S, K, d) coordinate-wise min of x_1..x_{T'}
    x_max: np.ndarray  # (S, K, d)
    x_final: np.ndarray  # (S, d) x_{T+1}
    x_start: np.ndarray  # (S, d) x_1
    losses: np.ndarray | None = None  # (S, T) f_t(x_t)
    iterates: np.ndarray | None = None  # (S, T+1, d) x_1..x_{T+1}
    vhat_history: np.ndarray | None = None  # (S, T, d) v̂_t after each update
    comparator: object = None  # regret.comparator.ComparatorCurve per seed (list)
    domain_obj: object = field(default=None, repr=False)
    instances: list | None = field(default=None, repr=False)  # the loss sequence of each seed
    notes: dict | None = None  # provenance, e.g. {"source": "regret.from_trajectory", ...}
    x_average: np.ndarray | None = None  # (S, d) the time-averaged iterate x̄_T = (1/T) Σ_{t≤T} x_t

    def seed(self, j: int) -> "RunResult":
        """The result of seed index j alone (a RunResult of one seed: every per-seed array, comparator
        and instance of that seed; views, not copies)."""
        require(isinstance(j, (int, np.integer)) and 0 <= j < len(self.seeds), "seed index", j,
                f"an index in 0..{len(self.seeds) - 1}")
        one = slice(int(j), int(j) + 1)
        per_seed = {f: getattr(self, f)[one] for f in PER_SEED}
        for f in ("losses", "iterates", "vhat_history", "x_average"):
            if getattr(self, f) is not None:
                per_seed[f] = getattr(self, f)[one]
        return dataclasses.replace(
            self, seeds=[self.seeds[j]], **per_seed,
            comparator=None if self.comparator is None else [self.comparator[j]],
            instances=None if self.instances is None else [self.instances[j]])

    # -- regret ------------------------------------------------------------------------------------
    @property
    def comparator_loss(self) -> np.ndarray:
        require(self.comparator is not None, "comparator", None, "a run made with comparator=True")
        return np.stack([c.value for c in self.comparator])

    @property
    def certificate(self) -> np.ndarray:
        """(S, K) upper bounds on F(x̂) − F*: the regret is exact to within this."""
        return np.stack([c.certificate for c in self.comparator])

    @property
    def x_star(self) -> np.ndarray:
        return np.stack([c.x for c in self.comparator])

    @property
    def regret(self) -> np.ndarray:
        """(S, K) R(T') = Σ f_t(x_t) − min_x Σ f_t(x); NaN where Σ f_t(x_t) is not finite (a diverged
        seed, from its ``diverged_at`` on: an inf learner loss would otherwise give R = ±inf)."""
        learner = self.learner_loss
        with np.errstate(invalid="ignore"):
            return np.where(np.isfinite(learner), learner - self.comparator_loss, np.nan)

    # -- divergence -------------------------------------------------------------------------------------
    @property
    def diverged(self) -> np.ndarray:
        """(S,) bool: the seed's Σ_{t≤T'} f_t(x_t) is not finite at some checkpoint (the learner
        diverged: its iterates or losses overflowed float64, or became NaN)."""
        return ~np.isfinite(self.learner_loss).all(axis=1)

    @property
    def diverged_at(self) -> np.ndarray:
        """(S,) int: the first checkpoint T' at which Σ_{t≤T'} f_t(x_t) is not finite; with per-round
        losses recorded, the first round t ≤ T' at which f_t(x_t) or the running sum is not finite.
        0 for a seed that did not diverge."""
        bad = ~np.isfinite(self.learner_loss)
        out = np.where(bad.any(axis=1), np.asarray(self.checkpoints)[bad.argmax(axis=1)], 0).astype(np.int64)
        if self.losses is not None:
            for s in np.flatnonzero(out):
                # the round, if one is found no later than the checkpoint (a plain cumsum may overflow
                # where the engine's compensated sum does not, and conversely: the checkpoint decides)
                losses = self.losses[s, :out[s]]
                with np.errstate(over="ignore", invalid="ignore"):
                    run = ~np.isfinite(np.cumsum(losses)) | ~np.isfinite(losses)
                if run.any():
                    out[s] = int(np.argmax(run)) + 1
        return out

    def status(self) -> str:
        """"ok", or "diverged at T'=… (seed s)" for every diverged seed."""
        if not self.diverged.any():
            return "ok"
        at = self.diverged_at
        parts = [f"T'={int(at[j])} (seed {self.seeds[j]})" for j in np.flatnonzero(self.diverged)]
        return "diverged at " + ", ".join(parts)

    # -- the statistics the theorems use ---------------------------------------------------------------
    @property
    def grad_norms(self) -> np.ndarray:
        """(S, K, d) ‖g_{1:T',i}‖₂."""
        return np.sqrt(self.grad_sq)

    @property
    def sum_grad_norms(self) -> np.ndarray:
        """(S, K) Σ_i ‖g_{1:T',i}‖₂."""
        return self.grad_norms.sum(axis=-1)

    @property
    def sum_sqrt_T_vhat(self) -> np.ndarray:
        """(S, K) Σ_i √(T'·v̂_{T',i}) (Kingma & Ba Theorem 4.1's first term)."""
        return np.sqrt(self.checkpoints[None, :, None] * self.vhat).sum(axis=-1)

    @property
    def D_observed(self) -> np.ndarray:
        """(S, K) ‖max − min‖₂ of the played points: an upper bound on max_{m,n} ‖x_m − x_n‖₂."""
        return np.linalg.norm(self.x_max - self.x_min, axis=-1)

    @property
    def D_inf_observed(self) -> np.ndarray:
        """(S, K) max_{m,n ≤ T'} ‖x_m − x_n‖∞ (exact)."""
        return (self.x_max - self.x_min).max(axis=-1)

    def to_frame(self):
        """The run as a tidy pandas DataFrame, one row per (seed, checkpoint): the columns of a sweep's
        store (:mod:`regret.engine.frame`; ``regret.load`` reads a store into the same format)."""
        from .frame import to_frame

        return to_frame(self)

    def summary(self) -> dict:
        """Per-optimizer numbers at T (mean and spread over seeds), as printed by ``regret run``.

        ``status`` is "ok" or "diverged at T'=… (seed s)"; ``diverged`` lists per seed whether it
        diverged and ``diverged_at`` where (0: it did not). When a seed diverged, the statistics over
        seeds that involve its learner loss (regret, regret/T, regret/√T, learner loss) are NaN, never
        numbers: report the status instead."""
        div = self.diverged
        out = {"optimizer": self.optimizer.name, "hyperparameters": self.optimizer.hyperparameters(),
               "problem": self.problem, "family": self.family, "domain": self.domain, "T": self.T,
               "d": self.d, "seeds": list(self.seeds), "status": self.status(),
               "diverged": div.tolist(), "diverged_at": self.diverged_at.tolist()}
        if self.comparator is not None:
            R = self.regret[:, -1]
            out.update({
                "regret": _stats(R), "regret_over_T": _stats(R / self.T),
                "regret_over_sqrt_T": _stats(R / np.sqrt(self.T)),
                "comparator_loss": _stats(self.comparator_loss[:, -1]),
                "x_star": self.x_star[:, -1].tolist(),
                "regret_per_seed": R.tolist(),
                "certificate": self.certificate[:, -1].tolist(),
                "certificate_max": float(self.certificate[:, -1].max()),
                "comparator_method": self.comparator[0].method,
            })
        learner = self.learner_loss[:, -1]
        out["learner_loss"] = _stats(np.where(div, np.nan, learner))
        out["x_final"] = self.x_final.tolist()
        # where the iterates end: per coordinate over seeds, and their distance to the comparator x*_T
        out["x_final_mean"] = self.x_final.mean(axis=0).tolist()
        out["x_final_ci95"] = [list(ci95(self.x_final[:, i])) for i in range(self.d)]
        if self.x_average is not None:  # the time-averaged iterate x̄_T (online-to-batch conversion)
            out["x_average"] = self.x_average.tolist()
            out["x_average_mean"] = self.x_average.mean(axis=0).tolist()
            out["x_average_ci95"] = [list(ci95(self.x_average[:, i])) for i in range(self.d)]
        if self.comparator is not None:
            out["distance_to_x_star"] = _stats(self.distance_to_x_star)
            if self.x_average is not None:
                out["average_distance_to_x_star"] = _stats(self.average_distance_to_x_star)
        return out

    @property
    def distance_to_x_star(self) -> np.ndarray:
        """(S,) ‖x_{T+1} − x*_T‖₂: how far each seed's last point is from its comparator at T."""
        return np.linalg.norm(self.x_final - self.x_star[:, -1], axis=1)

    @property
    def average_distance_to_x_star(self) -> np.ndarray:
        """(S,) ‖x̄_T − x*_T‖₂: how far each seed's time-averaged iterate is from its comparator at T
        (NaN where the run does not have x̄_T, e.g. a replayed trajectory without its points)."""
        if self.x_average is None:
            return np.full(len(self.seeds), np.nan)
        return np.linalg.norm(self.x_average - self.x_star[:, -1], axis=1)


def _stats(v) -> dict:
    """Mean, min, max and sample std; all NaN when any entry is not finite (a diverged seed). The
    std of one seed is undefined (NaN; null in JSON), not 0; of equal values (a deterministic
    problem) exactly 0."""
    v = np.asarray(v, dtype=np.float64)
    nan = float("nan")
    if not np.all(np.isfinite(v)):
        return {"mean": nan, "min": nan, "max": nan, "std": nan, "ci95": [nan, nan]}
    return {"mean": float(v.mean()), "min": float(v.min()), "max": float(v.max()),
            "std": nan if v.size < 2 else float(v.std(ddof=1)) if v.min() != v.max() else 0.0,
            "ci95": list(ci95(v))}


def ci95(v) -> tuple:
    """The 95% confidence interval of the mean of ``v`` over seeds: mean ± t_{0.975, S−1}·s/√S
    (Student's t, s the sample standard deviation); (NaN, NaN) for one seed or a non-finite value.
    scipy.special is imported only here, for several seeds (it costs ~0.3 s at start-up)."""
    v = np.asarray(v, dtype=np.float64)
    if v.size < 2 or not np.all(np.isfinite(v)):
        return float("nan"), float("nan")
    half = t_quantile_95(v.size) * float(v.std(ddof=1)) / np.sqrt(v.size)
    return float(v.mean()) - half, float(v.mean()) + half


def t_quantile_95(n: int) -> float:
    """t_{0.975, n−1}: the half-width of a 95% interval of a mean over n ≥ 2 values, in standard errors."""
    from scipy.special import stdtrit

    return float(stdtrit(n - 1, 0.975))


__all__ = ["RunResult"]
