"""The table of algorithms the engine dispatches through.

A :class:`Table` is an ordered tuple of algorithm classes (:class:`regret.optimizers.Optimizer`
subclasses); an algorithm's *code* is its position. The built-in table holds every module of
:mod:`regret.optimizers.algorithms` (discovered, not listed: adding a file adds an algorithm), in
the order of their names. Every entry is checked against the protocol when the table is built
(:func:`check_protocol`), and an algorithm that is not in the table is refused by
:meth:`Table.code_of` with a clear error — the compiled dispatch never falls through to a default.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cached_property

from ..errors import InvalidInput, did_you_mean, require
from ..user_code import import_attribute
from . import layout as L
from .arrays import ArrayOptimizer, check_array_protocol
from .base import Optimizer


def _parameters(fn) -> tuple:
    """The parameter names of a (possibly compiled) function."""
    return tuple(inspect.signature(getattr(fn, "py_func", fn)).parameters)


def check_protocol(cls) -> None:
    """Refuse a class that does not follow the protocol of :mod:`regret.optimizers.base`, naming
    what is wrong (a missing update, a parameter the engine cannot supply, a bad state name)."""
    where = getattr(cls, "__name__", repr(cls))
    require(isinstance(cls, type) and issubclass(cls, Optimizer), "optimizer", where,
            "a subclass of regret.Optimizer")
    require(isinstance(cls.name, str) and cls.name.isidentifier() and cls.name != "optimizer",
            f"{where}.name", cls.name, "a name of its own (letters, digits, _)")
    require(cls.update is not None and callable(cls.update), f"{where}.update", cls.update,
            "a function of one coordinate (state, g, alpha_t, … → new state, Δ)")
    state = cls.state
    require(isinstance(state, tuple) and all(isinstance(s, str) and s.isidentifier() for s in state)
            and len(set(state)) == len(state), f"{where}.state", state,
            "a tuple of distinct names, e.g. ('m', 'v')")
    hyper = set(cls.hp_slots())
    clash = set(state) & (hyper | set(L.ROUND_NAMES))
    require(not clash, f"{where}.state", sorted(clash), "names that are not hyperparameters or round quantities")
    for role in ("update", "weight", "second_moment"):
        fn = getattr(cls, role)
        if fn is None:
            continue
        require(callable(fn), f"{where}.{role}", fn, "a function of one coordinate")
        known = set(state) | hyper | (set(L.ROUND_NAMES) if role == "update" else {"t", "bc1", "bc2"})
        for p in _parameters(fn):
            require(p in known, f"{where}.{role} parameter", p,
                    f"a state name {list(state)}, a hyperparameter {sorted(hyper)} or one of "
                    f"{[n for n in L.ROUND_NAMES if n in known]}")


class Table:
    """An ordered tuple of algorithms; the code of an algorithm is its index."""

    def __init__(self, algorithms):
        algorithms = tuple(algorithms)
        require(len(algorithms) > 0, "optimizer table", algorithms, "at least one algorithm")
        for cls in algorithms:
            check_protocol(cls)
        names = [cls.name for cls in algorithms]
        dup = sorted({n for n in names if names.count(n) > 1})
        require(not dup, "optimizer name", dup, "one algorithm per name")
        self.algorithms = algorithms
        self._codes = {cls: k for k, cls in enumerate(algorithms)}

    @cached_property
    def n_hp(self) -> int:
        """The length of the hyperparameter vectors of this table."""
        return L.HP_FIRST_OWN + max(len(cls.own_fields()) for cls in self.algorithms)

    @cached_property
    def n_state(self) -> int:
        """The number of state rows (the largest state of the table; at least 1)."""
        return max(1, max(len(cls.state) for cls in self.algorithms))

    @property
    def names(self) -> dict:
        return {cls.name: cls for cls in self.algorithms}

    def __contains__(self, cls) -> bool:
        return cls in self._codes

    def code_of(self, opt) -> int:
        """The code of ``opt`` (a spec or its class) in this table; InvalidInput if it is not in it."""
        cls = opt if isinstance(opt, type) else type(opt)
        if cls in self._codes:
            return self._codes[cls]
        raise InvalidInput("optimizer", getattr(cls, "__name__", repr(cls)),
                           f"an algorithm of this table: one of {sorted(self.names)}")

    def __repr__(self) -> str:
        return f"Table({[cls.name for cls in self.algorithms]})"


def _discover_builtins() -> tuple:
    from . import algorithms

    found = []
    for info in sorted(pkgutil.iter_modules(algorithms.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{algorithms.__name__}.{info.name}")
        # the compiled algorithm of the file (its array version, regret.ArrayOptimizer, is not in the table)
        own = [obj for obj in vars(mod).values() if isinstance(obj, type) and issubclass(obj, Optimizer)
               and not issubclass(obj, ArrayOptimizer) and obj.__module__ == mod.__name__]
        require(len(own) == 1, f"regret.optimizers.algorithms.{info.name}", [c.__name__ for c in own],
                "exactly one algorithm per file")
        found.append(own[0])
    return tuple(sorted(found, key=lambda cls: cls.name))


BUILTINS = _discover_builtins()
BUILTIN_TABLE = Table(BUILTINS)


ENTRY_POINT_GROUP = "regret.optimizers"


def _entry_points() -> dict:
    """Algorithms other packages register: ``[project.entry-points."regret.optimizers"]``
    ``name = "package.module:Class"``."""
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def resolve(name) -> type:
    """The algorithm class a name stands for: a built-in's name, an entry point of the group
    ``regret.optimizers``, ``module:Class`` or ``path/to/file.py:Class``; or the class itself. It is
    checked against the protocol (:func:`check_protocol`)."""
    if isinstance(name, type):
        cls = name
    else:
        require(isinstance(name, str) and name.strip(), "optimizer", name, "an optimizer name")
        name = name.strip()
        builtin = BUILTIN_TABLE.names
        if name in builtin:
            return builtin[name]
        if ":" in name:
            cls = import_attribute(name, "optimizer")
        else:
            eps = _entry_points()
            known = sorted(builtin) + sorted(eps)
            require(name in eps, "optimizer", name,
                    lambda: f"one of {known}, or module:Class / FILE.py:Class for your own{did_you_mean(name, known)}")
            cls = eps[name].load()
    if isinstance(cls, type) and issubclass(cls, ArrayOptimizer):
        check_array_protocol(cls)  # the slow path: init/update on arrays (regret.reference)
    else:
        check_protocol(cls)
    return cls
