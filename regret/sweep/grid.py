"""A sweep's grid: optimizers × problems × horizons, each with its seeds, as a list of :class:`Cell`.

A cell is one (optimizer configuration, problem configuration, T, seeds, checkpoints, comparator)
and is named by a content hash of that full configuration — every hyperparameter and problem
parameter with its default filled in, the package version and the store's conventions — so
``adam`` and ``adam:beta2=0.999`` are the same cell, and a result computed under another version
is never taken for this one.

Grids are written two ways: on the command line (``regret sweep``), a spec whose values list
alternatives with ``|`` (``--optimizer 'adam:beta2=0.9|0.99|0.999,alpha=0.1|0.5'`` is 6
configurations, the product); in Python as (name, {parameter: value or list}); and in a TOML file (stdlib ``tomllib``: no code is evaluated), where a list is a grid::

      T = [10000, 100000]          # one horizon or a list
      seeds = 10                   # a count (seeds 0..9) or a list of seeds
      checkpoints = 10             # log-spaced checkpoints per run, T always among them
      comparator = true            # false: no best fixed comparator (no regret, the statistics only)

      [[optimizer]]
      name = "adam"
      alpha = [0.1, 0.5]
      beta2 = [0.9, 0.99, 0.999]

      [[problem]]
      name = "reddi"
      C = 3
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidInput, did_you_mean, require

# the layout of a cell's configuration and of the store's rows, and the conventions its numbers follow
# (2: the synthetic problems are streams, drawn block by block — other data than under 1; 3: the rows
# carry the time-averaged iterate's distance to x*, a column a part written under 2 lacks)
SCHEMA = "regret.sweep/3"
TOP_LEVEL = ("T", "seeds", "checkpoints", "comparator", "optimizer", "problem")
MAX_CELLS = 10**6


@dataclass(frozen=True)
class Cell:
    """One configuration of a sweep; ``key`` is its content hash (see the module docstring)."""

    optimizer: object  # a regret.Optimizer spec
    problem: object  # a regret.problems.ProblemSpec
    T: int
    seeds: tuple
    checkpoints: int
    comparator: bool
    swept: tuple = field(default=(), compare=False)  # the hyperparameters this sweep varies (for labels)

    def config(self) -> dict:
        """The full configuration, defaults included, as plain JSON values."""
        return {**self._setting(), "optimizer": self._optimizer()}

    def _optimizer(self) -> dict:
        return {"name": self.optimizer.name, "hyperparameters": _plain(self.optimizer.hyperparameters())}

    def _setting(self) -> dict:
        """Everything but the optimizer (shared by the cells of one problem, horizon and seeds)."""
        from .. import __version__

        return {"schema": SCHEMA, "regret": __version__,
                "problem": {"name": self.problem.name, "parameters": _plain(problem_parameters(self.problem))},
                "T": int(self.T), "seeds": [int(s) for s in self.seeds], "checkpoints": int(self.checkpoints),
                "comparator": bool(self.comparator)}

    @functools.cached_property
    def canonical(self) -> str:
        """The canonical JSON (sorted keys, no spaces) of :meth:`config`: what :attr:`key` hashes and
        the store's metadata records."""
        text = _canonical_setting(self.problem, self.T, self.seeds, self.checkpoints, self.comparator,
                                  self._setting)
        opt = json.dumps(self._optimizer(), sort_keys=True, separators=(",", ":"))
        # config()'s keys in sorted order, "optimizer" between the others
        return text[0] + '"optimizer":' + opt + text[1]

    @functools.cached_property
    def key(self) -> str:
        """sha256 of the canonical JSON (sorted keys, no spaces) of :meth:`config`, 24 hex digits."""
        return hashlib.sha256(self.canonical.encode()).hexdigest()[:24]

    def label(self) -> str:
        """The optimizer's name with every hyperparameter the sweep varies (defaults included) and the
        others that differ from their defaults, e.g. ``adam(beta2=0.999, alpha=0.1)``."""
        # optimizers.labels of this one configuration: what varies among one is only what is swept
        return self.optimizer.label(show=self.swept)


def _setting_key(problem, T, seeds, checkpoints, comparator) -> tuple:
    """What a cell's configuration without its optimizer depends on (the memo below is keyed on it)."""
    return problem.label(), T, tuple(seeds), checkpoints, comparator


def _canonical_setting(problem, T, seeds, checkpoints, comparator, setting) -> tuple:
    """The canonical JSON of a cell's configuration without its optimizer, split where "optimizer"
    goes in sorted-key order (memoized: the cells of one problem share it)."""
    key = _setting_key(problem, T, seeds, checkpoints, comparator)
    if key not in _SETTINGS:
        text = json.dumps({**setting(), "optimizer": None}, sort_keys=True, separators=(",", ":"))
        head, tail = text.split('"optimizer":null', 1)
        _SETTINGS[key] = (head, tail)
    return _SETTINGS[key]


_SETTINGS: dict = {}


def problem_parameters(spec) -> dict:
    """Every parameter of a problem spec, its defaults filled in (a user's generator: those given)."""
    return {**_defaults(spec.name), **spec.params}


@functools.lru_cache(maxsize=None)
def _defaults(name: str) -> dict:
    from ..problems import parameters

    try:
        return parameters(name)
    except InvalidInput:
        return {}


def _plain(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, np.ndarray):
            v = v.tolist()
        elif isinstance(v, np.generic):
            v = v.item()
        out[k] = v
    return out


# -- expanding a grid -------------------------------------------------------------------------------
def expand(params: dict) -> list[dict]:
    """{'a': [1, 2], 'b': 3} → [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}] (lists are alternatives)."""
    keys = list(params)
    choices = [v if isinstance(v, list) else [v] for v in params.values()]
    for k, c in zip(keys, choices):
        require(len(c) > 0, k, c, "a value or a non-empty list of values")
    return [dict(zip(keys, combo)) for combo in itertools.product(*choices)]


def cells(optimizers: list, problems: list, Ts: list, seeds, checkpoints: int = 10,
          comparator: bool = True) -> list[Cell]:
    """Every (optimizer, problem, T) of the lists, each with the same seeds. ``optimizers`` and
    ``problems`` hold (name, {param: value or list of values}); lists are expanded (:func:`expand`)."""
    from ..optimizers import optimizer as make_optimizer
    from ..problems import check, problem as make_problem

    require(len(optimizers) > 0, "optimizer", optimizers, "at least one optimizer")
    require(len(problems) > 0, "problem", problems, "at least one problem")
    Ts = Ts if isinstance(Ts, list) else [Ts]
    require(len(Ts) > 0, "T", Ts, "a horizon or a non-empty list of horizons")
    for T in Ts:
        require(isinstance(T, (int, np.integer)) and not isinstance(T, bool) and 1 <= T <= 2**53, "T", T,
                "an integer in 1..2^53")
    seed_list = _seeds(seeds)
    require(isinstance(checkpoints, (int, np.integer)) and not isinstance(checkpoints, bool) and
            1 <= checkpoints <= 10**4, "checkpoints", checkpoints, "an integer in 1..10000")
    require(isinstance(comparator, bool), "comparator", comparator, "true or false")

    opt_specs = []
    for name, params in optimizers:
        swept = tuple(k for k, v in params.items() if isinstance(v, list))
        for combo in expand(params):
            opt_specs.append((make_optimizer(name, **combo), swept))
    prob_specs = []
    for name, params in problems:
        for combo in expand(params):
            spec = make_problem(name, **combo)
            check(spec, min(Ts))  # every problem parameter checked before any work
            prob_specs.append(spec)
    n = len(opt_specs) * len(prob_specs) * len(Ts)
    require(n <= MAX_CELLS, "grid", f"{n} cells", f"at most {MAX_CELLS} cells")
    out = [Cell(opt, prob, int(T), seed_list, int(checkpoints), comparator, swept)
           for prob in prob_specs for T in Ts for opt, swept in opt_specs]
    keys = {}
    for c in out:  # the same configuration twice (e.g. 'adam' and 'adam:beta2=0.999'): run it once
        keys.setdefault(c.key, c)
    return list(keys.values())


def _seeds(seeds) -> tuple:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        require(1 <= seeds <= 10**5, "seeds", seeds, "a count in 1..100000 or a list of seeds")
        return tuple(range(int(seeds)))
    require(isinstance(seeds, (list, tuple)) and len(seeds) > 0 and
            all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and 0 <= s < 2**63 for s in seeds)
            and len(set(seeds)) == len(seeds), "seeds", seeds,
            "a count or a non-empty list of distinct integers in 0..2^63−1")
    return tuple(int(s) for s in seeds)


# -- TOML -------------------------------------------------------------------------------------------
def from_toml(path: str) -> list[Cell]:
    """The cells of a TOML sweep file (the format of the module docstring)."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise InvalidInput("config", path, f"a readable TOML file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("config", path, f"valid TOML ({exc})") from None
    return from_dict(doc)


def from_dict(doc: dict) -> list[Cell]:
    """The cells of a parsed sweep configuration (see :func:`from_toml`)."""
    for k in doc:
        require(k in TOP_LEVEL, "config key", k, lambda: f"one of {list(TOP_LEVEL)}{did_you_mean(k, TOP_LEVEL)}")
    for k in ("T", "optimizer", "problem"):
        require(k in doc, "config", f"no {k!r}", f"a sweep file with {', '.join(TOP_LEVEL[:1] + TOP_LEVEL[4:])}")

    def tables(kind):
        items = doc[kind]
        items = [items] if isinstance(items, dict) else items
        require(isinstance(items, list) and items and all(isinstance(t, dict) for t in items), kind, items,
                f"[[{kind}]] tables, each with a name")
        out = []
        for t in items:
            require(isinstance(t.get("name"), str), f"{kind} name", t.get("name"), "a string")
            out.append((t["name"], {k: v for k, v in t.items() if k != "name"}))
        return out

    return cells(tables("optimizer"), tables("problem"), doc["T"], doc.get("seeds", 1), doc.get("checkpoints", 10),
                 doc.get("comparator", True))


__all__ = ["Cell", "SCHEMA", "cells", "expand", "from_dict", "from_toml"]
