"""Run an optimizer on a problem: validation in Python, then one compiled call for the whole
trajectory (:mod:`regret.loop`), then the comparator at every checkpoint.

    >>> import regret
    >>> res = regret.run(regret.optimizer("adam", alpha=0.5, beta1=0, beta2=0.1, schedule="sqrt",
    ...                                   bias_correction=False),
    ...                  regret.problem("reddi", C=3), T=30_000)
    >>> float(res.regret[0, -1] / res.T)       # doctest: +SKIP
    0.66...

Index convention: x_1 is the start point, x_{t+1} the point after the t-th update; the regret at
checkpoint T' is Σ_{t≤T'} f_t(x_t) − min_{x∈X} Σ_{t≤T'} f_t(x).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import InvalidInput, require
from .kernel_set import kernels_for
from .optimizers import Optimizer, optimizer as make_optimizer
from .problems import Instance, ProblemSpec, problem as make_problem
from .problems.adversary import Adversary


def default_checkpoints(T: int, count: int = 40) -> np.ndarray:
    """About ``count`` log-spaced rounds in [1, T], always including T."""
    pts = np.unique(np.round(np.logspace(0, np.log10(T), count)).astype(np.int64))
    pts = pts[(pts >= 1) & (pts <= T)]
    if pts.size == 0 or pts[-1] != T:
        pts = np.append(pts, T)
    return pts


def _check_checkpoints(cps, T) -> np.ndarray:
    cps = np.asarray(cps)
    require(cps.ndim == 1 and cps.size > 0 and np.issubdtype(cps.dtype, np.integer), "checkpoints",
            cps.tolist() if cps.size < 10 else "array", "a non-empty 1-D list of integer rounds")
    cps = np.unique(cps.astype(np.int64))
    require(bool(cps[0] >= 1 and cps[-1] <= T), "checkpoints", cps.tolist()[:5], f"rounds in 1..T={T}")
    return cps


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
        """(S, K) R(T') = Σ f_t(x_t) − min_x Σ f_t(x)."""
        return self.learner_loss - self.comparator_loss

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

    def summary(self) -> dict:
        """Per-optimizer numbers at T (mean and spread over seeds), as printed by ``regret run``."""
        out = {"optimizer": self.optimizer.name, "hyperparameters": self.optimizer.hyperparameters(),
               "problem": self.problem, "family": self.family, "domain": self.domain, "T": self.T,
               "d": self.d, "seeds": list(self.seeds)}
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
        out["learner_loss"] = _stats(self.learner_loss[:, -1])
        out["x_final"] = self.x_final.tolist()
        return out


def _stats(v) -> dict:
    v = np.asarray(v, dtype=np.float64)
    return {"mean": float(v.mean()), "min": float(v.min()), "max": float(v.max()),
            "std": float(v.std(ddof=1)) if v.size > 1 and v.min() != v.max() else 0.0}


def _seeds(seed, seeds) -> list:
    if seeds is None:
        require(isinstance(seed, (int, np.integer)) and seed >= 0, "seed", seed, "an integer ≥ 0")
        return [int(seed)]
    if isinstance(seeds, (int, np.integer)):
        require(seeds >= 1, "seeds", seeds, "a count ≥ 1 or a list of seeds")
        return list(range(int(seed), int(seed) + int(seeds)))
    out = [int(s) for s in seeds]
    require(len(out) > 0 and all(s >= 0 for s in out), "seeds", seeds, "a non-empty list of integers ≥ 0")
    return out


def instances(problem, T: int, seeds: list) -> list[Instance]:
    """The problem's instance for each seed (a given Instance is used as it is, once)."""
    if isinstance(problem, Instance):
        require(len(seeds) == 1, "seeds", seeds, "a single seed when an Instance is given")
        require(T <= problem.T, "T", T, f"at most the {problem.T} rounds of the instance")
        return [problem]
    spec = make_problem(problem) if isinstance(problem, str) else problem
    require(isinstance(spec, (ProblemSpec, Adversary)), "problem", problem,
            "a problem name, ProblemSpec, Adversary or Instance")
    return [spec.instance(T, s) for s in seeds]


def run(optimizer, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
        record_iterates: bool = False, record_losses: bool = True, record_state: bool = False,
        comparator: bool = True) -> RunResult:
    """Run ``optimizer`` on ``problem`` for T rounds, for one seed or several (``seeds``: a count or a
    list); compute the best fixed comparator at each checkpoint unless ``comparator=False``."""
    opt = make_optimizer(optimizer) if isinstance(optimizer, str) else optimizer
    require(isinstance(opt, Optimizer), "optimizer", optimizer, "an optimizer name or spec")
    # the loops that run it (the built-ins' or its own) and its code in their table; refused here,
    # before any work, if it does not follow the protocol
    adversary = problem if isinstance(problem, Adversary) else None
    kernels, opt_code = kernels_for(opt, adversary)
    require(isinstance(T, (int, np.integer)) and not isinstance(T, bool) and T >= 1, "T", T, "an integer ≥ 1")
    T = int(T)
    seed_list = _seeds(seed, seeds)
    insts = instances(problem, T, seed_list)
    cps = default_checkpoints(T) if checkpoints is None else _check_checkpoints(checkpoints, T)
    alpha_arr = opt.schedule_array(T)
    hp = opt.hp_vector(kernels.table.n_hp)
    first = insts[0]
    d = first.d
    starts = []
    for inst in insts:
        x1 = inst.start() if x0 is None else _as_point(x0)
        require(x1.shape == (d,), "x0", f"array of shape {x1.shape}", f"shape ({d},)")
        require(bool(np.all(np.isfinite(x1))), "x0", x1.tolist()[:5], "finite numbers")
        require(inst.domain.contains(x1), "x0", x1.tolist()[:5], f"a point of the domain {inst.domain.describe()}")
        starts.append(x1)
    S, K = len(insts), cps.size
    out = dict(cum_loss=np.zeros((S, K)), gsq=np.zeros((S, K, d)), vhat_cp=np.zeros((S, K, d)),
               gmax2=np.zeros((S, K)), gmaxinf=np.zeros((S, K)), ratio_max=np.zeros((S, K)),
               xmin=np.zeros((S, K, d)), xmax=np.zeros((S, K, d)), x_final=np.zeros((S, d)))
    losses = np.zeros((S, T)) if record_losses else np.zeros((S, 0))
    iterates = np.zeros((S, T + 1, d)) if record_iterates else None
    vhist = np.zeros((S, T, d)) if record_state else None
    fam, dom = first.family, first.domain
    kernel = kernels.kernel_for(d, fam.code)  # d = 1: scalars; d ≥ 2^16: parallel over coordinates
    if adversary is not None:  # the array loop with the adversary's hook, whatever d is
        kernel = kernels.run_one_adversarial
        adv_params = adversary.param_vector()
    for j, inst in enumerate(insts):
        # an adversary's parameters and this seed's state enter between the inputs and the outputs
        hook = (adv_params, adversary.state(seed_list[j])) if adversary is not None else ()
        kernel(opt_code, hp, alpha_arr, fam.code, fam.params, inst.A, inst.b, inst.idx[:T],
                     dom.code, dom.P, float(dom.r), starts[j], cps, *hook, losses[j],
                     iterates[j] if record_iterates else np.zeros((0, d)),
                     vhist[j] if record_state else np.zeros((0, d)),
                     out["cum_loss"][j], out["gsq"][j], out["vhat_cp"][j], out["gmax2"][j],
                     out["gmaxinf"][j], out["ratio_max"][j], out["xmin"][j], out["xmax"][j],
                     out["x_final"][j])
    res = RunResult(optimizer=opt, problem=_label(problem), family=fam.name, domain=dom.describe(), T=T, d=d,
                    seeds=seed_list, checkpoints=cps, learner_loss=out["cum_loss"], grad_sq=out["gsq"],
                    vhat=out["vhat_cp"], G=out["gmax2"], G_inf=out["gmaxinf"], step_ratio=out["ratio_max"],
                    x_min=out["xmin"], x_max=out["xmax"], x_final=out["x_final"], x_start=np.stack(starts),
                    losses=losses if record_losses else None, iterates=iterates, vhat_history=vhist,
                    domain_obj=dom, instances=list(insts))
    if comparator:
        from .comparator import best_fixed_cached

        res.comparator = [best_fixed_cached(inst, cps) for inst in insts]
    return res


def _as_point(x0) -> np.ndarray:
    """The user's start point as a flat float array (InvalidInput for text, objects, ragged lists)."""
    try:
        return np.asarray(x0, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidInput("x0", x0, "a point of the domain (numbers)") from None


def _label(problem) -> str:
    if isinstance(problem, Instance):
        return problem.name
    if isinstance(problem, (ProblemSpec, Adversary)):
        return problem.label()
    return str(problem)
