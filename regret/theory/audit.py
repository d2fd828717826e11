"""Audits of recorded trajectories: the Γ_t step of Kingma & Ba's regret proof that Reddi et al.
showed false, and the effective step |Δ_t| of Kingma & Ba §2.1.

Γ_t (Reddi, Kale & Kumar, ICLR 2018, §3 eq. (2)):

    Γ_{t+1} = √V_{t+1}/α_{t+1} − √V_t/α_t   (per coordinate),

where √V_t is the per-coordinate denominator of the step x_{t+1} = Π(x_t − α_t m_t/√V_t). Kingma &
Ba's proof of Theorem 4.1 (Appendix 10, the telescoping of Σ_t (x_t − x*)²(√v̂_t/α_t − √v̂_{t−1}/α_{t−1}))
needs Γ_t ⪰ 0 for every t; an exponential moving average v_t does not guarantee it.
:func:`gamma` evaluates Γ_t for t = 2..T along a run recorded with ``record_state=True``, from
``RunResult.vhat_history`` (the optimizer's v̂ after each update) and ``opt.alphas(T)``. ε is left
out (the theorems are stated with ε = 0). Which V each optimizer means:

| optimizer | √V_t used by the audit | the theorem it belongs to |
| --- | --- | --- |
| adam, bias_correction=True | √v̂_t, v̂_t = v_t/(1 − β2^t) | Kingma & Ba Thm 4.1 / App. 10 |
| adam, bias_correction=False | √v_t (the EMA itself) | Reddi et al.'s "Adam" (§2, Thm 1) |
| amsgrad (paper form) | √v̂_t, v̂_t = max(v̂_{t−1}, v_t) | Reddi et al. Thm 4 |
| amsgrad, bias_correction=True | √(v̂_t/(1 − β2^t)) (torch's amsgrad: the max of the raw v, then corrected) | — |
| adamx | √v̂_t (Phuong & Phong's rescaled max) | Phuong & Phong Thm 5.1 |
| adamax | u_t = max(β2 u_{t−1}, |g_t|) (u plays the role of √V) | Kingma & Ba §7.1 |
| adagrad | √(Σ_{s≤t} g_s²) | Duchi et al.; Reddi's ψ_t = diag(Σg²)/t with α/√t gives the same ratio |
| rmsprop, rmsprop_momentum | √(EMA of g²) | — |
| sgd, momentum, nesterov | 1 | Reddi et al.: "for SGD, Γ_t ⪰ 0" |

Effective step (Kingma & Ba §2.1): Δ_t = x̂_{t+1} − x_t, the update before projection. The engine
records max_{s≤T'} max_i |Δ_{s,i}|/α_s at every checkpoint (``RunResult.step_ratio``); run with
``checkpoints=np.arange(1, T+1)`` to have it after every round. :func:`effective_steps` compares it
with the paper's bound and with the exact supremum over all gradient sequences
(:func:`adam_step_sup`, :func:`adamax_step_sup`; derived and proved in proofs/effective_step_adam.py
and proofs/effective_step_adamax.py).

:func:`record` runs an optimizer with every record switched on and recomputes g_t = ∇f_t(x_t)
from the instance and the played points; :func:`moments` replays m_t, v_t, v̂_t and Δ_t of the
Adam family from those gradients with each algorithm's array version (``spec.on_arrays()``, the
numpy code of the exact, slow path :mod:`regret.reference`) and checks the replay against what the engine recorded
(v̂ after every round, the running max of |Δ|/α): the lemmas about m̂_t²/√(t v̂_t) are evaluated on
the replay only when it agrees.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InvalidInput, require

# ------------------------------------------------------------------------------------------------
# the √V of each optimizer
# ------------------------------------------------------------------------------------------------

def v_meaning(opt) -> str:
    """What :func:`sqrt_V` uses for this optimizer (the table of the module docstring; each
    algorithm states it in its ``V_meaning``)."""
    return opt.V_meaning()


def _result(run):
    return run.result if isinstance(run, Trajectory) else run


def sqrt_V(run) -> np.ndarray:
    """(S, T, d) √V_t after each update t = 1..T (see the module table). Needs ``record_state=True``
    for the adaptive methods (each algorithm derives it from its recorded v̂_t in ``sqrt_V``)."""
    res = _result(run)
    opt = res.optimizer
    if not opt.adaptive:
        return np.ones((len(res.seeds), res.T, res.d))
    require(res.vhat_history is not None, "run", "RunResult without vhat_history",
            "a run recorded with record_state=True")
    return opt.sqrt_V(res.vhat_history)


# ------------------------------------------------------------------------------------------------
# the Γ_t audit
# ------------------------------------------------------------------------------------------------

@dataclass
class GammaAudit:
    """Γ_{t+1} = √V_{t+1}/α_{t+1} − √V_t/α_t along a run; ``gamma[s, t−2, i]`` is Γ_t of seed s,
    coordinate i, for rounds t = 2..T. A failure is a (seed, round, coordinate) with Γ_t < −tol·scale."""

    optimizer: str
    V: str
    T: int
    gamma: np.ndarray  # (S, T−1, d)
    failed: np.ndarray  # (S, T−1, d) bool
    tol: float

    @property
    def failures(self) -> int:
        return int(self.failed.sum())

    @property
    def holds(self) -> bool:
        """Γ_t ⪰ 0 for every round t = 2..T, coordinate and seed."""
        return self.failures == 0

    @property
    def failing_rounds(self) -> np.ndarray:
        """The rounds t at which Γ_t has a negative entry (any seed, any coordinate)."""
        return np.nonzero(self.failed.any(axis=(0, 2)))[0] + 2

    def failing_entries(self, limit: int | None = 20) -> list[dict]:
        """The first ``limit`` (seed, round, coordinate) entries with Γ_t < 0, in round order, with Γ_t."""
        s, j, i = np.nonzero(self.failed)
        order = np.lexsort((i, s, j))[: limit if limit is not None else None]
        return [{"seed_index": int(s[k]), "round": int(j[k]) + 2, "coordinate": int(i[k]),
                 "gamma": float(self.gamma[s[k], j[k], i[k]])} for k in order]

    @property
    def failing_coordinates(self) -> np.ndarray:
        """The coordinates i at which Γ_t has a negative entry (any seed, any round)."""
        return np.nonzero(self.failed.any(axis=(0, 1)))[0]

    @property
    def first_round(self) -> int | None:
        r = self.failing_rounds
        return int(r[0]) if r.size else None

    @property
    def most_negative(self) -> float:
        """min Γ_t over seeds, rounds t ≥ 2 and coordinates."""
        return float(self.gamma.min()) if self.gamma.size else 0.0

    @property
    def most_negative_at(self) -> dict | None:
        if not self.gamma.size:
            return None
        s, j, i = np.unravel_index(int(np.argmin(self.gamma)), self.gamma.shape)
        return {"seed_index": int(s), "round": int(j) + 2, "coordinate": int(i)}

    def summary(self) -> dict:
        rounds = self.failing_rounds
        return {"optimizer": self.optimizer, "V": self.V, "T": self.T, "holds": self.holds,
                "failures": self.failures, "failing_rounds": int(rounds.size),
                "checked": int(self.gamma.size), "first_round": self.first_round,
                "first_rounds": rounds[:10].tolist(), "failing_coordinates": self.failing_coordinates.tolist()[:20],
                "first_entries": self.failing_entries(5), "most_negative": self.most_negative,
                "most_negative_at": self.most_negative_at}

    def text(self) -> str:
        s = self.summary()
        if self.holds:
            return (f"Γ_t ⪰ 0 holds for {self.optimizer} on all {s['checked']} (seed, round, coordinate) "
                    f"entries, t = 2..{self.T} (V: {self.V}); min Γ_t = {s['most_negative']:.6g}")
        return (f"Γ_t ⪰ 0 FAILS for {self.optimizer}: {s['failures']} negative entries in {s['failing_rounds']} "
                f"rounds, first at t = {s['first_round']}, most negative {s['most_negative']:.6g} at "
                f"{s['most_negative_at']} (V: {self.V})")


def gamma(run, tol: float = 0.0) -> GammaAudit:
    """The Γ_t audit of a RunResult (or :class:`Trajectory`) recorded with ``record_state=True``.

    ``tol`` ≥ 0 forgives Γ_t ≥ −tol·max(√V_{t+1}/α_{t+1}, √V_t/α_t); the default 0 reports every
    strictly negative entry. AMSGrad's v̂ is a running max and α_t = α/√t is non-increasing in
    floating point too, so its Γ_t is ≥ 0 exactly, without tolerance."""
    require(isinstance(tol, (int, float)) and tol >= 0, "tol", tol, "a number ≥ 0")
    res = _result(run)
    rv = sqrt_V(res)
    alphas = res.optimizer.alphas(res.T)
    ratio = rv / alphas[None, :, None]
    g = ratio[:, 1:, :] - ratio[:, :-1, :]
    scale = np.maximum(ratio[:, 1:, :], ratio[:, :-1, :])
    failed = g < -tol * scale
    return GammaAudit(res.optimizer.label(), v_meaning(res.optimizer), res.T, g, failed, float(tol))


# ------------------------------------------------------------------------------------------------
# the effective step of Kingma & Ba §2.1
# ------------------------------------------------------------------------------------------------

def paper_step_bound(beta1: float, beta2: float) -> float:
    """Kingma & Ba §2.1: |Δ_t|/α ≤ (1−β1)/√(1−β2) if (1−β1) > √(1−β2), else ≤ 1 (stated, not proved)."""
    a, b = 1.0 - beta1, np.sqrt(1.0 - beta2)
    return float(a / b) if a > b else 1.0


def _beta1_schedule(beta1: float, lam: float, T: int) -> np.ndarray:
    """β1,t = β1 λ^{t−1}, t = 1..T (the engine's schedule)."""
    return beta1 * lam ** np.arange(T, dtype=np.float64)


def adam_step_sup(beta1: float, beta2: float, T: int, lam: float = 1.0, bias_correction: bool = True) -> np.ndarray:
    """B_t, t = 1..T: the supremum of |m̂_t|/√v̂_t over all gradient sequences (ε = 0).

    m_t = Σ_k c_k g_k with c_k = (1−β1,k) Π_{k<j≤t} β1,j, and v_t = Σ_k w_k g_k², w_k = (1−β2)β2^{t−k}.
    Cauchy–Schwarz gives |m_t| ≤ √(Σ_k c_k²/w_k) √v_t, with equality for g_k ∝ c_k/w_k. With
    S_t = Σ_k c_k²/β2^{t−k}, S_t = (β1,t²/β2) S_{t−1} + (1−β1,t)², so

        B_t = √(S_t/(1−β2)) · √(1−β2^t)/(1−β1^t)      (the last factor only with bias correction).

    Constant β1: S_t = (1−β1)² Σ_{k<t} (β1²/β2)^k. The same bound holds for AMSGrad and AdamX
    (their v̂_t ≥ v_t), and for ε > 0 (a larger denominator)."""
    b1 = _beta1_schedule(beta1, lam, T)
    out = np.empty(T)
    S = 0.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for t in range(1, T + 1):
            c = b1[t - 1]
            carried = (c * c / beta2) * S if (t > 1 and c > 0) else 0.0
            S = carried + (1.0 - c) ** 2
            out[t - 1] = np.sqrt(S / (1.0 - beta2))
        if bias_correction:
            t = np.arange(1, T + 1, dtype=np.float64)
            out *= np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
    return out


def adamax_step_sup(beta1: float, beta2: float, T: int, lam: float = 1.0) -> np.ndarray:
    """The supremum of |m_t|/((1−β1^t) u_t) over all gradient sequences (AdaMax, §7.1).

    u_t ≥ β2^{t−k}|g_k| for every k ≤ t, so |m_t| ≤ Σ_k c_k |g_k| ≤ u_t Σ_k c_k β2^{−(t−k)}, with
    equality for |g_k| = β2^{−(t−k)} (same signs). With R_t = Σ_k c_k β2^{−(t−k)},
    R_t = (β1,t/β2) R_{t−1} + (1−β1,t), and the supremum is R_t/(1−β1^t)."""
    b1 = _beta1_schedule(beta1, lam, T)
    out = np.empty(T)
    R = 0.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for t in range(1, T + 1):
            c = b1[t - 1]
            carried = (c / beta2) * R if (t > 1 and c > 0) else 0.0
            R = carried + (1.0 - c)
            out[t - 1] = R
        t = np.arange(1, T + 1, dtype=np.float64)
        out /= 1.0 - beta1 ** t
    return out


def step_sup(opt, T: int) -> np.ndarray | None:
    """(T,) the exact supremum of |Δ_t|/α_t per round for the Adam family, None for the others."""
    if opt.name in ("adam", "amsgrad", "adamx"):
        bc = bool(getattr(opt, "bias_correction", False))
        return adam_step_sup(opt.beta1, opt.beta2, T, opt.lam, bias_correction=bc)
    if opt.name == "adamax":
        return adamax_step_sup(opt.beta1, opt.beta2, T, opt.lam)
    return None


def paper_bound_for(opt) -> float | None:
    """The bound on |Δ_t|/α the paper states for this optimizer (§2.1 for Adam, §7.1 for AdaMax)."""
    if opt.name == "adam":
        return paper_step_bound(opt.beta1, opt.beta2)
    if opt.name == "adamax":
        return 1.0
    return None


@dataclass
class StepAudit:
    """max_{s≤T'} |Δ_s|/α_s per seed and checkpoint, against the paper's bound and the exact supremum."""

    optimizer: str
    checkpoints: np.ndarray
    measured: np.ndarray  # (S, K)
    paper_bound: float | None
    sup: np.ndarray | None  # (K,) max_{s ≤ T'} B_s

    rtol: float = 1e-12  # rounding allowance of both comparisons (|Δ|/α = 1 exactly computes as 1 ± ulp)

    @property
    def max_ratio(self) -> float:
        return float(self.measured[:, -1].max())

    @property
    def exceeds_paper(self) -> bool:
        return self.paper_bound is not None and self.max_ratio > self.paper_bound * (1 + self.rtol)

    @property
    def first_exceeding_checkpoint(self) -> int | None:
        """The first checkpoint T' (any seed) by which max |Δ|/α exceeded the paper's bound."""
        if self.paper_bound is None:
            return None
        over = np.nonzero((self.measured > self.paper_bound * (1 + self.rtol)).any(axis=0))[0]
        return int(self.checkpoints[over[0]]) if over.size else None

    @property
    def within_sup(self) -> bool | None:
        """measured ≤ supremum at every checkpoint (up to ``rtol`` for rounding)."""
        if self.sup is None:
            return None
        return bool(np.all(self.measured <= self.sup[None, :] * (1 + self.rtol)))

    def summary(self) -> dict:
        return {"optimizer": self.optimizer, "max_ratio": self.max_ratio,
                "max_ratio_per_seed": self.measured[:, -1].tolist(), "paper_bound": self.paper_bound,
                "exceeds_paper": self.exceeds_paper, "first_exceeding_checkpoint": self.first_exceeding_checkpoint,
                "sup": None if self.sup is None else float(self.sup[-1]), "within_sup": self.within_sup}


def effective_steps(run) -> StepAudit:
    """The §2.1 audit of a RunResult (or :class:`Trajectory`), from ``RunResult.step_ratio``."""
    res = _result(run)
    opt = res.optimizer
    sup = step_sup(opt, res.T)
    sup_cp = None if sup is None else np.maximum.accumulate(sup)[res.checkpoints - 1]
    return StepAudit(opt.label(), res.checkpoints.copy(), res.step_ratio.copy(), paper_bound_for(opt), sup_cp)


# ------------------------------------------------------------------------------------------------
# trajectories with gradients, and the replay of the Adam family's moments
# ------------------------------------------------------------------------------------------------

@dataclass
class Trajectory:
    """One seed's run with every record: x_1..x_{T+1}, g_1..g_T (recomputed), v̂ after each update."""

    optimizer: object
    instance: object
    result: object  # RunResult with record_iterates / record_state, checkpoints at every round
    x: np.ndarray  # (T+1, d)
    g: np.ndarray  # (T, d)
    vhat: np.ndarray  # (T, d)
    gradient_check: float  # max relative deviation of Σ g² from the engine's record

    @property
    def T(self) -> int:
        return self.result.T

    @property
    def alphas(self) -> np.ndarray:
        return self.optimizer.alphas(self.T)


def record(optimizer, problem, T: int, seed: int = 0, x0=None) -> Trajectory:
    """Run with iterates and state recorded and a checkpoint after every round, then recompute
    g_t = ∇f_t(x_t) from the instance (the compiled loss of :mod:`regret.losses`) and check them
    against the engine's Σ_{s≤t} g_s² (raises if they disagree beyond 1e-9 relative)."""
    from ..engine import instances
    from ..runs import run
    from ..losses import value_grad
    from ..optimizers import optimizer as make_optimizer

    opt = make_optimizer(optimizer) if isinstance(optimizer, str) else optimizer
    inst = instances(problem, T, [int(seed)])[0]
    res = run(opt, inst, T, x0=x0, checkpoints=np.arange(1, T + 1), record_iterates=True,
              record_state=True, comparator=False)
    x = res.iterates[0]
    d = res.d
    g = np.zeros((T, d))
    buf = np.zeros(d)
    fam = inst.family
    code, lp = fam.code, fam.params
    rows = inst.round_rows(0, T)
    for t in range(T):
        value_grad(code, lp, inst.A, int(rows[t]), inst.b, x[t], buf)
        g[t] = buf
    csum = np.cumsum(g * g, axis=0)
    rec = res.grad_sq[0]
    dev = float(np.max(np.abs(csum - rec) / np.maximum(np.abs(rec), 1e-300))) if T else 0.0
    if not dev <= 1e-9:
        raise InvalidInput("trajectory", f"{opt.label()} on {res.problem}",
                           f"gradients recomputed from the iterates that match the engine (deviation {dev:.3g})")
    return Trajectory(opt, inst, res, x, g, res.vhat_history[0], dev)


@dataclass
class Moments:
    """m_t, v_t, the optimizer's v̂_t, m̂_t and |Δ_t|/α_t (max over coordinates) replayed in numpy."""

    m: np.ndarray  # (T, d)
    v: np.ndarray
    vhat: np.ndarray  # the optimizer's own v̂ (u for AdaMax)
    mhat: np.ndarray  # m_t/(1−β1^t) where the optimizer corrects, else m_t
    ratio: np.ndarray  # (T,) max_i |Δ_{t,i}|/α_t
    vhat_deviation: float  # max relative deviation from the engine's v̂ record
    ratio_deviation: float  # max relative deviation of the running max from RunResult.step_ratio

    @property
    def agrees(self) -> bool:
        return self.vhat_deviation <= 1e-10 and self.ratio_deviation <= 1e-10


def moments(traj: Trajectory) -> Moments:
    """Replay Adam / AMSGrad / AdamX / AdaMax from the recorded gradients with the algorithm's own
    array version (:meth:`regret.Optimizer.on_arrays`, written on numpy arrays independently of the
    compiled update) and compare with the engine's records."""
    opt = traj.optimizer
    require(opt.name in ("adam", "amsgrad", "adamx", "adamax"), "optimizer", opt.name,
            "adam, amsgrad, adamx or adamax (optimizers with first and second moments)")
    arrays = opt.on_arrays()
    T, d = traj.g.shape
    bias = opt.name == "adamax" or bool(getattr(opt, "bias_correction", False))
    alphas = traj.alphas
    state = arrays.init(d)
    out = {k: np.zeros((T, d)) for k in ("m", "v", "vhat", "mhat")}
    ratio = np.zeros(T)
    for t in range(1, T + 1):
        delta, state = arrays.update(state, traj.g[t - 1], t, float(alphas[t - 1]))
        out["m"][t - 1] = state["m"]
        out["v"][t - 1] = state.get("v", 0.0)  # AdaMax keeps no v_t
        out["vhat"][t - 1] = arrays.moment(state, t, d)
        out["mhat"][t - 1] = state["m"] / (1.0 - opt.beta1 ** t) if bias else state["m"]
        ratio[t - 1] = np.max(np.abs(delta)) / alphas[t - 1] if d else 0.0
    rec = traj.vhat
    vdev = float(np.max(np.abs(out["vhat"] - rec) / np.maximum(np.abs(rec), 1e-300))) if T else 0.0
    measured = traj.result.step_ratio[0]
    run_max = np.maximum.accumulate(ratio)
    rdev = float(np.max(np.abs(run_max - measured) / np.maximum(measured, 1e-300))) if T else 0.0
    return Moments(out["m"], out["v"], out["vhat"], out["mhat"], ratio, vdev, rdev)
