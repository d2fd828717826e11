"""`regret falsify`: search loss sequences for a counterexample to a theorem.

A theorem checked on its default run says little when it HOLDS: the run may simply be easy. Here the
loss sequence is the variable. Over the families of :mod:`.families`, scipy's differential evolution
(Storn & Price 1997: derivative-free, global, bounded boxes, integer parameters through
``integrality``, seeded, and ``vectorized`` so that a whole generation runs as one batched compiled
call of :func:`regret.run_many`) maximises the score of a sequence θ:

    score(θ) = max over asserted checkpoints T' of measured/bound   (upper bounds; bound/measured for lower)

if every hypothesis of the theorem holds on the run of θ (checked on every candidate), else 0. A
score above 1 is a violation; the search stops at the first candidate whose verdict is VIOLATED,
restarts every :data:`GENERATIONS_PER_RESTART` generations with a new seed and the next family, and
ends at the budget (in seconds, or in evaluated sequences). It searches with the theorem's default optimizer (or the one
given) at one horizon T; ``vary`` adds hyperparameters of the optimizer to the search where the theorem
quantifies over them (each candidate then runs on its own; the hypotheses check its hyperparameters).

A counterexample is then made minimal and reproducible: its parameters are rounded to the fewest
significant digits that still violate (a periodic one written out as one period of rounded numbers),
its first violation pinned to the exact round (:mod:`regret.theory.exact`), and it is written as an
.npz problem that
``regret verify THEOREM --problem npz:path=… --optimizer … --T …`` replays to the same verdict.
Differential evolution was chosen over CMA-ES (the ``cma`` package) and nevergrad because it is in
scipy already, handles the integer period directly, and evaluates a generation at once.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .. import progress
from ..errors import InvalidInput, require
from .families import FAMILIES

DEFAULT_BUDGET = 120.0  # seconds
DEFAULT_T = 2000
GENERATIONS_PER_RESTART = 25
POPSIZE = 8  # candidates per generation = POPSIZE × the family's parameters


@dataclass
class Candidate:
    """A sequence of a family and its score; ``period`` (rows, x_1): the sequence written out as one
    period of rounded numbers, once it is made minimal (:func:`_minimal`)."""

    family: str
    theta: np.ndarray
    score: float
    T: int
    period: tuple | None = None
    hyperparameters: dict = field(default_factory=dict)  # the optimizer's, where the search varies them

    def instance(self):
        if self.period is not None:
            return _periodic_instance(*self.period, self.T)
        family = FAMILIES[self.family]
        return family.instance(self.theta[:len(family.bounds)], self.T)

    def words(self) -> str:
        if self.period is not None:
            rows, x1 = self.period
            text = (f"period {len(rows)}: a_t = ({', '.join(f'{a:g}' for a in rows)}) repeating, f_t(x) = a_t·x "
                    f"on [−1, 1], x_1 = {x1:g}")
        else:
            text = FAMILIES[self.family].describe(self.theta[:len(FAMILIES[self.family].bounds)])
        if self.hyperparameters:
            text += "; the optimizer with " + ", ".join(f"{k}={v:g}" for k, v in self.hyperparameters.items())
        return text

    def optimizer(self, base):
        return base.replace(**self.hyperparameters) if self.hyperparameters else base


# the optimizer's hyperparameters a search may vary (``vary``): name -> (low, high, on a log10 scale)
HP_RANGES = {"alpha": (-2.0, 1.0, True), "beta1": (0.0, 0.99, False), "beta2": (0.0, 0.9999, False),
             "lam": (0.01, 0.99, False)}


class _Space:
    """The search's θ: the family's parameters, then the varied hyperparameters (:data:`HP_RANGES`)."""

    def __init__(self, family, vary):
        self.family, self.vary = family, tuple(vary)
        self.n = len(family.bounds)
        self.bounds = [tuple(map(float, b)) for b in family.bounds] + [HP_RANGES[k][:2] for k in self.vary]
        self.integers = list(family.integers) + [False] * len(self.vary)

    def hyperparameters(self, theta) -> dict:
        return {k: float(10.0 ** v if HP_RANGES[k][2] else v) for k, v in zip(self.vary, theta[self.n:])}

    def candidate(self, theta, score: float, T: int) -> "Candidate":
        return Candidate(self.family.name, np.array(theta, dtype=np.float64), float(score), int(T),
                         hyperparameters=self.hyperparameters(theta))


def _periodic_instance(rows, x1, T):
    from .families import _periodic

    return _periodic(np.asarray(rows, dtype=np.float64), int(T), float(x1), "falsify-counterexample")


@dataclass
class Search:
    """The outcome of :func:`falsify`."""

    theorem: str
    optimizer: object
    falsified: bool
    best: Candidate | None
    evaluations: int
    seconds: float
    budget: str
    T: int
    log: list = field(default_factory=list)
    verdict: object = None  # the counterexample's verdict (exact), when falsified
    run: object = None  # the counterexample's run
    kind: str = "upper"  # the theorem's: an upper or a lower bound

    def summary(self) -> str:
        what = "upper bound" if self.kind == "upper" else "lower bound"
        if self.falsified:
            fv = self.verdict.first_violation
            return (f"{self.theorem}: FALSIFIED after {self.evaluations} sequences in {self.seconds:.1f} s — "
                    f"{self.best.words()}; with {self.optimizer.label()} the {what} fails first at T={fv['T']} "
                    f"(measured/bound {fv['ratio']:.4g})")
        if self.best is None:
            return (f"{self.theorem}: not falsified within {self.budget} ({self.evaluations} sequences): no sequence "
                    "searched met every hypothesis")
        return (f"{self.theorem}: not falsified within {self.budget} ({self.evaluations} sequences); best "
                f"measured/bound {self.best.score:.4g} ({self.best.family}: {self.best.words()}, T={self.T})")

    def to_dict(self) -> dict:
        best = None if self.best is None else {"family": self.best.family, "theta": self.best.theta.tolist(),
                                               "score": self.best.score, "T": self.best.T, "words": self.best.words()}
        return {"theorem": self.theorem, "optimizer": self.optimizer.label(), "falsified": self.falsified,
                "best": best, "evaluations": self.evaluations, "seconds": self.seconds, "budget": self.budget,
                "T": self.T, "log": list(self.log),
                "verdict": None if self.verdict is None else self.verdict.to_dict()}


def _ratios(thm, res) -> np.ndarray:
    """(S,) the score of each seed's run before its hypotheses: the largest measured/bound (upper) or
    bound/measured (lower) over the asserted checkpoints; +inf for a violation with a bound ≤ 0."""
    from ..theory.compare import sides, worst_coordinate

    ctx = thm.context(res)
    measured, band = thm._measured(ctx)
    bound = thm._evaluate(ctx)
    if thm.per_coordinate:
        measured, band, bound = worst_coordinate(measured, band, bound, thm.kind)
    asserted = np.broadcast_to(thm.asserted(ctx), measured.shape)
    viol, _ = sides(thm.kind, measured, band, bound, asserted)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = measured / bound if thm.kind == "upper" else bound / measured
    r = np.where(asserted & np.isfinite(r) & (bound > 0 if thm.kind == "upper" else measured > 0), r, 0.0)
    r = np.where(viol & ~(r > 1.0), np.inf, r)  # a violation the ratio cannot show (bound ≤ 0)
    return r.max(axis=1)


class _Scorer:
    """Scores of candidate sequences, a generation at a time (one batched run)."""

    def __init__(self, thm, opt, T: int):
        self.thm, self.opt, self.T = thm, opt, T
        self.opts = thm.run_options(opt)
        from ..engine.prepare import default_checkpoints

        self.checkpoints = default_checkpoints(T, 60)
        self.evaluations = 0

    def scores(self, space: "_Space", thetas) -> np.ndarray:
        """The score of each θ: one batched run of the optimizer over the generation's sequences, or,
        where the hyperparameters vary, one run per candidate."""
        from ..runs import run, run_many

        self.evaluations += len(thetas)
        insts = [space.family.instance(th[:space.n], self.T) for th in thetas]
        if not space.vary and not space.family.adaptive:
            res = run_many([self.opt], insts, self.T, checkpoints=self.checkpoints, record_losses=False,
                           **self.opts)[0]
            r = _ratios(self.thm, res)
            runs = [res.seed(int(j)) for j in range(len(insts))]
        else:
            runs, r = [], np.zeros(len(insts))
            for j, (th, inst) in enumerate(zip(thetas, insts)):
                opt = self.opt.replace(**space.hyperparameters(th))
                runs.append(run(opt, inst, self.T, checkpoints=self.checkpoints, record_losses=False,
                                **self.thm.run_options(opt)))
                r[j] = _ratios(self.thm, runs[-1])[0]
        for j in np.flatnonzero(r > 0):
            if not all(h.holds is True for h in self.thm.hypotheses(runs[j])):
                r[j] = 0.0  # a sequence outside the theorem's hypotheses proves nothing
        return r

    def verdict_of(self, inst, opt=None, exact: bool = False):
        """The theorem's verdict on the run of ``opt`` (default: the search's) on ``inst`` (at the
        search's checkpoints), and the run."""
        from ..runs import run

        opt = self.opt if opt is None else opt
        res = run(opt, inst, self.T, checkpoints=self.checkpoints, **self.thm.run_options(opt))
        return self.thm.check(res, exact=exact), res


def falsify(theorem, optimizer=None, budget: float | None = DEFAULT_BUDGET, evaluations: int | None = None,
            T: int = DEFAULT_T, families=tuple(FAMILIES), seed: int = 0, vary=()) -> Search:
    """Search the ``families`` for a sequence on which ``theorem`` (a key or a Theorem) fails with
    ``optimizer`` (default: the theorem's own), within ``budget`` seconds and/or ``evaluations``
    sequences (see the module docstring). ``vary`` names hyperparameters of the optimizer searched
    too, where the theorem quantifies over them (:data:`HP_RANGES`: alpha, beta1, beta2, lam); every
    candidate's own hyperparameters are then checked against the theorem's hypotheses."""
    from scipy.optimize import differential_evolution

    from .. import theory
    from ..engine.prepare import as_optimizer
    from ..theory.context import Unavailable

    thm = check_kind(theory.get(theorem) if isinstance(theorem, str) else theorem, "theorem", thm_name(theorem))
    opt = thm.default.optimizer_spec() if optimizer is None else as_optimizer(optimizer)
    require(budget is not None or evaluations is not None, "budget", None, "seconds, evaluations or both")
    require(budget is None or (isinstance(budget, (int, float)) and math.isfinite(budget) and budget > 0), "budget",
            budget, "a number of seconds > 0")
    require(evaluations is None or (isinstance(evaluations, (int, np.integer)) and evaluations >= 1), "evaluations",
            evaluations, "an integer ≥ 1")
    require(isinstance(T, (int, np.integer)) and 2 <= T <= 10 ** 7, "T", T, "an integer in 2..10^7")
    families = check_families(families)
    require(isinstance(seed, (int, np.integer)) and seed >= 0, "seed", seed, "an integer ≥ 0")
    vary = check_vary(opt, vary)

    scorer = _Scorer(thm, opt, int(T))
    start = time.perf_counter()
    what = " and ".join(p for p in ((f"{budget:g} s" if budget else ""),
                                    (f"{evaluations} sequences" if evaluations else "")) if p)
    out = Search(thm.key, opt, False, None, 0, 0.0, what, int(T), kind=thm.kind)

    def spent() -> bool:
        return ((budget is not None and time.perf_counter() - start >= budget)
                or (evaluations is not None and scorer.evaluations >= evaluations))

    found = []
    total = int(math.ceil(budget)) if budget else int(evaluations)
    with progress.bar(total, f"falsify {thm.key}", unit="s" if budget else "sequence") as bar:
        shown = [0]

        def tick():  # the bar in seconds of the budget spent (or sequences evaluated)
            done = min(total, int(time.perf_counter() - start) if budget else scorer.evaluations)
            if done > shown[0]:
                bar.update(done - shown[0])
                shown[0] = done

        restart = 0
        while not spent() and not found:
            family = FAMILIES[families[restart % len(families)]]
            space = _Space(family, vary)

            def objective(X, space=space):
                thetas = np.atleast_2d(X.T)
                s = scorer.scores(space, thetas)
                for th, sc in zip(thetas, s):
                    if out.best is None or sc > out.best.score:
                        out.best = space.candidate(th, sc, T)
                tick()
                return -np.minimum(s, 1e300)

            def stop(intermediate_result=None):
                if out.best is not None and out.best.score > 1.0 and not found:
                    v, res = scorer.verdict_of(out.best.instance(), out.best.optimizer(opt))
                    if v.status == theory.VIOLATED:
                        found.append((v, res))
                return bool(found) or spent()

            try:
                differential_evolution(objective, space.bounds,
                                       integrality=space.integers, vectorized=True, updating="deferred",
                                       seed=int(seed) * 1000 + restart, popsize=POPSIZE,
                                       maxiter=GENERATIONS_PER_RESTART, tol=0.0, atol=0.0, polish=False,
                                       init="latinhypercube", callback=stop)
            except Unavailable as exc:  # e.g. a bound that reads a parameter of its own problem (Reddi's C)
                raise InvalidInput("theorem", thm.key, "a bound that can be evaluated on the searched sequences "
                                                       f"(linear losses on [−1, 1]); here: {exc}") from None
            best = out.best
            out.log.append(f"{time.perf_counter() - start:7.1f} s  restart {restart} ({family.name}): "
                           f"{scorer.evaluations} sequences so far, best score {best.score if best else 0:.4g}"
                           + (f" ({best.family})" if best else ""))
            restart += 1
    out.evaluations = scorer.evaluations
    if found:
        out.falsified = True
        out.best, out.verdict, out.run = _minimal(scorer, out.best)
        out.optimizer = out.best.optimizer(opt)
        out.log.append(f"minimal counterexample: {out.best.words()}, T={out.best.T}")
    out.seconds = time.perf_counter() - start
    return out


def thm_name(theorem) -> str:
    return theorem if isinstance(theorem, str) else theorem.key


def check_kind(thm, field: str, value: str):
    """The theorem, if a search can falsify it: an upper or a lower bound."""
    require(thm.kind in ("upper", "lower"), field, value,
            f"an upper or lower bound (not a statement of kind {thm.kind!r}: expectations are tested over seeds, "
            "limits by the rate of their gap)")
    return thm


def check_families(families, field: str = "family") -> list:
    """The names of the families to search, in turn (InvalidInput naming ``field`` otherwise)."""
    families = [families] if isinstance(families, str) else list(families)
    require(len(families) > 0, field, families, f"at least one of {sorted(FAMILIES)}")
    for name in families:
        require(name in FAMILIES, field, name, f"one of {sorted(FAMILIES)}")
    return families


def check_vary(opt, vary, field: str = "vary") -> tuple:
    """The hyperparameters of ``opt`` to search too (InvalidInput naming ``field`` otherwise)."""
    vary = (vary,) if isinstance(vary, str) else tuple(vary)
    have = opt.hyperparameters()
    for k in vary:
        require(k in HP_RANGES and k in have, field, k,
                f"hyperparameters of {opt.name} the search can vary: {[h for h in HP_RANGES if h in have]}")
    return vary


def _within_ranges(hps: dict) -> bool:
    """Every varied hyperparameter inside its search range (:data:`HP_RANGES`, log10 where it says)."""
    for k, v in hps.items():
        lo, hi, log = HP_RANGES[k]
        if log and not v > 0:
            return False
        if not lo <= (math.log10(v) if log else v) <= hi:
            return False
    return True


def _minimal(scorer, cand: Candidate):
    """The counterexample in the fewest significant digits that still violate — a periodic sequence
    written out as one period of rounded numbers a_1..a_P and x_1, the other families' parameters
    rounded, and varied hyperparameters rounded — with its exact first violation
    (:mod:`regret.theory.exact`) on the search's horizon."""
    from .. import theory

    family = FAMILIES[cand.family]
    n = len(family.bounds)
    inst = family.instance(cand.theta[:n], cand.T)
    best = cand
    for digits in (1, 2, 3, 4):
        hps = {k: _round(v, digits) for k, v in cand.hyperparameters.items()}
        if not _within_ranges(hps):
            continue
        if getattr(inst, "periodic", False):
            trial = Candidate(cand.family, cand.theta, 0.0, cand.T, hyperparameters=hps,
                              period=(tuple(_round(a, digits) for a in inst.A[:, 0]), _round(float(inst.x0[0]), digits)))
        else:
            theta = np.array([v if isint else _round(v, digits) for v, isint in zip(cand.theta[:n], family.integers)])
            if not all(lo <= v <= hi for v, (lo, hi) in zip(theta, family.bounds)):
                continue
            trial = Candidate(cand.family, theta, 0.0, cand.T, hyperparameters=hps)
        v, _ = scorer.verdict_of(trial.instance(), trial.optimizer(scorer.opt))
        if v.status == theory.VIOLATED:
            best = trial
            break
    v, res = scorer.verdict_of(best.instance(), best.optimizer(scorer.opt), exact=True)
    best.score = float(v.worst["ratio"])
    return best, v, res


def _round(v: float, digits: int) -> float:
    return float(f"{v:.{digits}g}")


def counterexample_npz(search: Search) -> dict:
    """The arrays of the counterexample as the .npz problem format (:mod:`regret.problems.data`): its
    rows, the row of each round, the start point, family and domain."""
    require(search.falsified, "search", search.theorem, "a search that found a counterexample")
    inst = search.run.instances[0]  # the rows played (an adaptive adversary's, as they were written)
    return {"A": inst.A, "b": inst.b, "idx": inst.round_rows(0, inst.T), "x0": inst.x0,
            "family": np.array("linear"), "domain": np.array("box"), "radius": np.array(1.0)}


def optimizer_spec_text(opt) -> str:
    """The optimizer as a command-line spec (every hyperparameter written out)."""
    hp = opt.hyperparameters()
    bad = [k for k, v in hp.items() if isinstance(v, list)]
    if bad:
        raise InvalidInput("optimizer", opt.label(), "hyperparameters without arrays (a schedule array cannot be "
                                                     "written on the command line)")
    return opt.name + ":" + ",".join(f"{k}={v}" for k, v in hp.items())


__all__ = ["falsify", "Search", "Candidate", "counterexample_npz", "optimizer_spec_text", "DEFAULT_BUDGET",
           "DEFAULT_T", "HP_RANGES"]
