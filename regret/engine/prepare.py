"""The one validate / allocate / build path of :func:`regret.engine.run` and :func:`regret.engine.run_many`.

:func:`optimizers` resolves names and specs; :func:`prepare` checks T, the seeds, the checkpoints
and the start point against every seed's instance and returns a :class:`Setup`; after the kernels
have filled a :class:`regret.engine.record.Record`, :meth:`Setup.result` builds the
:class:`regret.RunResult` of one optimizer from its rows.
"""
from __future__ import annotations

import functools

from dataclasses import dataclass

import numpy as np

from ..errors import InvalidInput, require
from ..memory import check_memory, human_bytes
from .. import memory
from ..optimizers import Optimizer, optimizer as make_optimizer
from ..problems import Instance, ProblemSpec, problem as make_problem
from ..problems.adversary import Adversary
from .result import RunResult


def default_checkpoints(T: int, count: int = 40) -> np.ndarray:
    """About ``count`` log-spaced rounds in [1, T], always including T."""
    pts = np.unique(np.round(np.logspace(0, np.log10(T), count)).astype(np.int64))
    pts = pts[(pts >= 1) & (pts <= T)]
    if pts.size == 0 or pts[-1] != T:
        pts = np.append(pts, T)
    return pts


def check_checkpoints(cps, T) -> np.ndarray:
    """The user's checkpoints as sorted unique int64 rounds in 1..T (InvalidInput otherwise)."""
    cps = np.asarray(cps)
    require(cps.ndim == 1 and cps.size > 0 and np.issubdtype(cps.dtype, np.integer), "checkpoints",
            cps.tolist() if cps.size < 10 else "array", "a non-empty 1-D list of integer rounds")
    cps = np.unique(cps.astype(np.int64))
    require(bool(cps[0] >= 1 and cps[-1] <= T), "checkpoints", cps.tolist()[:5], f"rounds in 1..T={T}")
    return cps


def as_optimizer(optimizer) -> Optimizer:
    """A spec from a name or a spec (InvalidInput for anything else)."""
    opt = make_optimizer(optimizer) if isinstance(optimizer, str) else optimizer
    require(isinstance(opt, Optimizer), "optimizer", optimizer, "an optimizer name or spec")
    return opt


def optimizers(items) -> list[Optimizer]:
    """A non-empty list of specs from one name/spec or a list of them."""
    if isinstance(items, (str, Optimizer)):
        items = [items]
    try:
        items = list(items)
    except TypeError:
        items = None
    require(items is not None and len(items) > 0, "optimizers", items,
            "a non-empty list of optimizer names or specs")
    return [as_optimizer(o) for o in items]


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def seed_list(seed, seeds) -> list:
    """The seeds of a run: ``seed`` alone, ``seeds`` consecutive ones from ``seed``, or a list."""
    require(_is_int(seed) and 0 <= seed < 2 ** 63, "seed", seed, "an integer ≥ 0")
    if seeds is None:
        return [int(seed)]
    if _is_int(seeds):
        require(1 <= seeds <= MAX_SEEDS, "seeds", seeds, f"a count in 1..{MAX_SEEDS} or a list of seeds")
        return list(range(int(seed), int(seed) + int(seeds)))
    allowed = "a count ≥ 1 or a non-empty list of integers ≥ 0"
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise InvalidInput("seeds", seeds, allowed)
    out = list(seeds)
    require(len(out) > 0 and all(_is_int(s) and 0 <= s < 2 ** 63 for s in out), "seeds", seeds, allowed)
    return [int(s) for s in out]


def instances(problem, T: int, seeds: list) -> list[Instance]:
    """The problem's instance for each seed (a given Instance is used as it is, once; a list of
    Instances gives one per seed, as they are — seeds 0..n−1 unless the seeds say otherwise)."""
    if isinstance(problem, Instance):
        require(len(seeds) == 1, "seeds", seeds, "a single seed when an Instance is given")
        require(T <= problem.T, "T", T, f"at most the {problem.T} rounds of the instance")
        return [problem]
    if is_instance_list(problem):
        require(len(seeds) == len(problem), "seeds", seeds, f"{len(problem)} seeds, one per instance given")
        first = problem[0]
        for inst in problem:
            require(T <= inst.T, "T", T, f"at most the {inst.T} rounds of every instance")
            require(inst.family.code == first.family.code and repr(inst.family) == repr(first.family)
                    and inst.domain.describe() == first.domain.describe(), "problem", inst.name,
                    f"instances of one family and domain ({repr(first.family)} on {first.domain.describe()})")
        return list(problem)
    spec = make_problem(problem) if isinstance(problem, str) else problem
    require(isinstance(spec, (ProblemSpec, Adversary)), "problem", problem,
            "a problem name, ProblemSpec, Adversary or Instance")
    return [spec.instance(T, s) for s in seeds]


def as_point(x0) -> np.ndarray:
    """The user's start point as a flat float array (InvalidInput for text, objects, ragged lists)."""
    try:
        return np.asarray(x0, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidInput("x0", x0, "a point of the domain (numbers)") from None


def is_instance_list(problem) -> bool:
    """A non-empty list or tuple of Instances (one per seed)."""
    return isinstance(problem, (list, tuple)) and len(problem) > 0 and all(isinstance(p, Instance) for p in problem)


def label(problem) -> str:
    """The problem's name as a result shows it."""
    if isinstance(problem, Instance):
        return problem.name
    if is_instance_list(problem):
        names = list(dict.fromkeys(inst.name for inst in problem))
        return names[0] if len(names) == 1 else f"{len(problem)} instances"
    if isinstance(problem, (ProblemSpec, Adversary)):
        return problem.label()
    return str(problem)


@dataclass
class Setup:
    """A validated run: T, the seeds and their instances, the checkpoints and the start points."""

    problem: str  # its label
    T: int
    seeds: list
    instances: list
    checkpoints: np.ndarray
    starts: np.ndarray  # (S, d) x_1 of each seed

    @property
    def d(self) -> int:
        return self.starts.shape[1]

    @property
    def family(self):
        """The family and domain of the first instance (every seed of a problem shares them)."""
        return self.instances[0].family

    @property
    def domain(self):
        return self.instances[0].domain

    @functools.cached_property
    def domain_text(self) -> str:
        """The domain's description, once for every RunResult of a batch (33 µs each: 0.3 s of a sweep's
        10^4 results)."""
        return self.domain.describe()

    def result(self, opt: Optimizer, fields: dict) -> RunResult:
        """The RunResult of ``opt`` from its rows of a Record (:meth:`Record.result_fields`)."""
        return RunResult(optimizer=opt, problem=self.problem, family=self.family.name,
                         domain=self.domain_text, T=self.T, d=self.d, seeds=list(self.seeds),
                         checkpoints=self.checkpoints, x_start=self.starts.copy(), domain_obj=self.domain,
                         instances=list(self.instances), **fields)


def record_bytes(R: int, T: int, K: int, d: int, losses: bool, iterates: bool, state: bool) -> dict:
    """The bytes of a Record (regret.engine.record), by the option or argument that sizes each part."""
    return {"record_losses": 8.0 * R * T * losses, "record_iterates": 8.0 * R * (T + 1) * d * iterates,
            "record_state": 8.0 * R * T * d * state, "checkpoints": 8.0 * R * K * (3 * d + 4) + 8.0 * R * d}


def _instance_bytes(problem, T: int, seeds: list) -> dict:
    """A lower estimate of the data a named problem generates before it is generated: T rows of d
    features per seed for a sequence drawn whole (a streamed, periodic or fixed sequence stores less;
    an Instance is already there)."""
    spec = make_problem(problem) if isinstance(problem, str) else problem
    d = getattr(spec, "params", {}).get("d") if isinstance(spec, ProblemSpec) else None
    if spec is None or isinstance(spec, Instance) or not _is_int(d) or getattr(spec, "deterministic", False):
        return {}
    S, d = len(seeds), max(int(d), 1)
    if getattr(spec, "streamed", False):
        # one block kept per seed, and one call's rows (with b and idx) — at least a round of every seed
        from ..problems.stream import block_rows
        from .feed import STREAM_NUMBERS

        return {"problem": 8.0 * (S * block_rows(d) * d + 3 * max(STREAM_NUMBERS, S * d))}
    return {"problem": 8.0 * S * T * d}


MAX_T = 2 ** 62  # rounds are counted in int64 inside the loops
MAX_SEEDS = 2 ** 31


def prepare(problem, T, seed=0, seeds=None, x0=None, checkpoints=None, records=(True, False, False),
            optimizers: int = 1) -> Setup:
    """Check T, the seeds, the checkpoints and x0 against every seed's instance (InvalidInput naming
    the first thing wrong, before any work), and that the data and the Record of ``optimizers``
    optimizers × seeds with ``records`` = (losses, iterates, state) fit in memory."""
    require(_is_int(T) and 1 <= T <= MAX_T, "T", T, "an integer in 1..2^62")
    T = int(T)
    if is_instance_list(problem) and seeds is None:
        seeds = len(problem)  # one seed per instance: 0..n−1
    seeds = seed_list(seed, seeds)
    check_memory(_instance_bytes(problem, T, seeds), "the problem's data")
    try:
        insts = instances(problem, T, seeds)
    except MemoryError:
        raise InvalidInput("problem", label(problem),
                           f"a problem whose data fit in the {human_bytes(memory.available_memory())} of memory available") from None
    cps = default_checkpoints(T) if checkpoints is None else check_checkpoints(checkpoints, T)
    d = insts[0].d
    check_memory(record_bytes(optimizers * len(seeds), T, cps.size, d, *records))
    starts = []
    for inst in insts:
        x1 = inst.start() if x0 is None else as_point(x0)
        require(x1.shape == (d,), "x0", f"array of shape {x1.shape}", f"shape ({d},)")
        require(bool(np.all(np.isfinite(x1))), "x0", x1.tolist()[:5], "finite numbers")
        require(inst.domain.contains(x1), "x0", x1.tolist()[:5], f"a point of the domain {inst.domain.describe()}")
        starts.append(x1)
    return Setup(label(problem), T, seeds, insts, cps, np.stack(starts))


__all__ = ["Setup", "prepare", "default_checkpoints", "check_checkpoints", "as_optimizer", "optimizers",
           "seed_list", "instances", "as_point", "label"]
