"""The optimizer protocol: one object per algorithm, the built-ins and the user's alike.

An algorithm is a frozen dataclass deriving from :class:`Optimizer`. Its fields are its
hyperparameters (validated when a spec is built); its class attributes say what the engine needs:

``name``
    the name it is run by (``regret.optimizer(name, ...)``, ``--optimizer name:...``).
``state``
    the names of the per-coordinate state it keeps, e.g. ``("m", "v")``; each starts at 0.
``update``
    the update of one coordinate, written as the paper writes it, on scalars. Its parameters are
    named: a state name (the value before round t), a hyperparameter (a field of the spec), or one
    of the round's quantities ``g`` (g_{t,i}), ``alpha_t``, ``t``, ``beta1_t`` (β1 λ^{t−1}),
    ``beta1_prev`` (β1,t−1), ``bc1`` (1 − β1^t), ``bc2`` (1 − β2^t) — the last four need the
    hyperparameters ``beta1``/``beta2``/``lam`` to mean anything, and the bias corrections are 1
    unless :meth:`Optimizer.uses_bias_correction`. It returns the new state, in the order of
    ``state``, then Δ_{t,i} = x̂_{t+1,i} − x_{t,i} (the step before projection).
``weight`` (optional)
    the coordinate of the metric the algorithm projects in (Reddi et al.'s Π_{X,√V̂_t}): the
    denominator its update divided by, same parameter names as ``update`` without ``g``/``alpha_t``.
    An algorithm with a ``weight`` is *adaptive*; one without projects in the Euclidean metric.
``second_moment`` (optional)
    v̂_{t,i}, the second-moment estimate the theorems read (Σ_i √(T v̂_{T,i})), same parameter names
    as ``weight``; 0 when absent.

A hyperparameter that is a string takes one of ``choices[field]`` and reaches the update as its
index (a float); a bool reaches it as 1.0 or 0.0; a number as a float. The compiled engine calls
these functions per coordinate, inlined into its loop (:mod:`regret.optimizers.codegen`).

    >>> import regret
    >>> regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    Adam(alpha=0.5, beta1=0.0, beta2=0.1, eps=1e-08, eps_mode='outside', bias_correction=True, lam=1.0, schedule='sqrt')

Step-size schedules α_t: ``"constant"`` (α), ``"sqrt"`` (α/√t, the schedule of every regret
theorem here), or an array of length ≥ T giving α_1, α_2, ... .
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from ..errors import InvalidInput, require
from . import layout as L


@functools.lru_cache(maxsize=None)
def _field_defaults(cls) -> dict:
    """{hyperparameter: default} of an optimizer class, in field order (dataclasses.fields is slow
    enough to matter when a sweep labels 10^4 configurations)."""
    return {f.name: f.default for f in _fields(cls)}


@functools.lru_cache(maxsize=None)
def _fields(cls) -> tuple:
    """dataclasses.fields of an optimizer class, once per class (~6 µs a call: 0.3 s of a sweep of
    10^4 configurations went to it)."""
    return fields(cls)


@functools.lru_cache(maxsize=None)
def _checks(cls) -> tuple:
    """(field, kind, rule) of each hyperparameter but the schedule, once per class: kind 'bool',
    'choice' (rule: the strings allowed) or 'number' (rule: (check, allowed text)). Merging the rule
    tables per field of every spec cost ~25 µs a spec (0.25 s of a sweep of 10^4 configurations)."""
    rules = {**RULES, **cls.rules}
    out = []
    for f in _fields(cls):
        if f.name == "schedule":
            continue
        if isinstance(f.default, bool):
            out.append((f.name, "bool", None))
        elif isinstance(f.default, str):
            out.append((f.name, "choice", tuple(cls.choices.get(f.name, ()))))
        else:
            out.append((f.name, "number", rules.get(f.name, _FINITE)))
    return tuple(out)


def _unit_interval_open_right(v) -> bool:
    return 0.0 <= v < 1.0


# field name -> (check, allowed text): the rules of the hyperparameters every paper here shares
RULES = {
    "alpha": (lambda v: math.isfinite(v) and v > 0, "a finite number > 0"),
    "beta1": (_unit_interval_open_right, "a number in [0, 1)"),
    "beta2": (_unit_interval_open_right, "a number in [0, 1)"),
    "rho": (_unit_interval_open_right, "a number in [0, 1)"),
    "momentum": (_unit_interval_open_right, "a number in [0, 1)"),
    "eps": (lambda v: math.isfinite(v) and v >= 0, "a finite number ≥ 0"),
    "lam": (lambda v: 0.0 < v <= 1.0, "a number in (0, 1] (β1,t = β1·λ^(t−1); 1 keeps β1 constant)"),
}
_FINITE = (math.isfinite, "a finite number")


@dataclass(frozen=True, eq=False)
class Optimizer:
    """Base spec: ``alpha`` and ``schedule`` are common to all algorithms (declare them in each)."""

    name: ClassVar[str] = "optimizer"
    state: ClassVar[tuple] = ()
    update: ClassVar[object] = None
    weight: ClassVar[object] = None
    second_moment: ClassVar[object] = None
    # choices and rules are declarations of the class, read once per class (_checks) when its first spec
    # is made
    choices: ClassVar[dict] = {}  # field -> the strings it may take (passed to the update as their index)
    rules: ClassVar[dict] = {}  # field -> (check, allowed text), on top of RULES
    on_numpy_arrays: ClassVar[bool] = False  # True for an algorithm written on arrays (regret.ArrayOptimizer)

    @property
    def adaptive(self) -> bool:
        """Whether the algorithm projects in its own metric Π_{X, diag(w)} (it has a ``weight``)."""
        return type(self).weight is not None

    def __post_init__(self):
        for name, kind, rule in _checks(type(self)):
            v = getattr(self, name)
            if kind == "bool":
                require(isinstance(v, (bool, np.bool_)), f"{self.name}.{name}", v, "true or false")
                object.__setattr__(self, name, bool(v))
            elif kind == "choice":
                require(v in rule, f"{self.name}.{name}", v, f"one of {list(rule)}")
            else:
                if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
                    raise InvalidInput(f"{self.name}.{name}", v, "a number")
                ok, allowed = rule
                if not ok(float(v)):
                    raise InvalidInput(f"{self.name}.{name}", v, allowed)
                object.__setattr__(self, name, float(v))
        sched = self.schedule
        if isinstance(sched, str):
            require(sched in ("constant", "sqrt"), f"{self.name}.schedule", sched,
                    "'constant', 'sqrt' or an array of step sizes")
        else:
            try:
                # a copy, read-only: the spec is frozen, and its hyperparameters (the sweep's cell key)
                # are read once — a caller's array changed afterwards must not change what runs
                arr = np.array(sched, dtype=np.float64)
            except (TypeError, ValueError):
                raise InvalidInput(f"{self.name}.schedule", type(sched).__name__,
                                   "'constant', 'sqrt' or an array of step sizes (numbers)") from None
            require(arr.ndim == 1 and arr.size > 0, f"{self.name}.schedule", f"array of shape {arr.shape}",
                    "a non-empty 1-D array of step sizes α_1, α_2, …")
            bad = np.flatnonzero(~(np.isfinite(arr) & (arr > 0)))
            if bad.size:  # name the first offending entry: schedule[i] holds α_{i+1}
                raise InvalidInput(f"{self.name}.schedule[{int(bad[0])}]", float(arr[bad[0]]),
                                   "finite step sizes α_t > 0")
            arr.flags.writeable = False
            object.__setattr__(self, "schedule", arr)

    # -- what the compiled engine reads ------------------------------------------------------------
    @classmethod
    def own_fields(cls) -> tuple:
        """The hyperparameters the engine's header does not hold (:mod:`regret.optimizers.layout`),
        in declaration order: they fill the vector from ``HP_FIRST_OWN`` on."""
        return tuple(f.name for f in _fields(cls) if f.name not in L.HEADER_FIELDS
                     and f.name not in ("schedule", "bias_correction"))

    @classmethod
    def hp_slots(cls) -> dict:
        """Hyperparameter name -> its slot in :meth:`hp_vector`."""
        slots = {name: slot for name, slot in L.HEADER_FIELDS.items()}
        if any(f.name == "bias_correction" for f in _fields(cls)):
            slots["bias_correction"] = L.HP_BIAS
        for j, name in enumerate(cls.own_fields()):
            slots[name] = L.HP_FIRST_OWN + j
        return slots

    def hp_vector(self, size: int) -> np.ndarray:
        """The float vector the compiled loop reads (layout: :mod:`regret.optimizers.layout`),
        zero-padded to ``size``: the length of the table of algorithms it runs in
        (:attr:`regret.optimizers.registry.Table.n_hp`; ``BUILTIN_TABLE.n_hp`` for a built-in)."""
        own = self.own_fields()
        require(L.HP_FIRST_OWN + len(own) <= size, "optimizer", self.name,
                f"at most {size - L.HP_FIRST_OWN} hyperparameters besides the header for this table")
        hp = np.zeros(size)
        hp[L.HP_ALPHA] = self.alpha
        hp[L.HP_SCHEDULE] = self.schedule_code
        hp[L.HP_WEIGHTED] = 1.0 if self.adaptive else 0.0
        hp[L.HP_BETA1] = getattr(self, "beta1", 0.0)
        hp[L.HP_BETA2] = getattr(self, "beta2", 0.0)
        hp[L.HP_LAM] = getattr(self, "lam", 1.0)
        hp[L.HP_BIAS] = 1.0 if self.uses_bias_correction() else 0.0
        for j, name in enumerate(own):
            hp[L.HP_FIRST_OWN + j] = self._encode(name, getattr(self, name))
        return hp

    def _encode(self, name, v) -> float:
        if isinstance(v, (bool, np.bool_)):
            return 1.0 if v else 0.0
        if isinstance(v, str):
            return float(self.choices[name].index(v))
        return float(v)

    def uses_bias_correction(self) -> bool:
        """Whether the round scalars 1 − β1^t, 1 − β2^t are computed (else both are 1)."""
        return bool(getattr(self, "bias_correction", False))

    @property
    def schedule_code(self) -> int:
        if isinstance(self.schedule, str):
            return L.SCHED_CONSTANT if self.schedule == "constant" else L.SCHED_SQRT
        return L.SCHED_ARRAY

    def alphas(self, T: int) -> np.ndarray:
        """α_1..α_T as an array (the compiled loop evaluates constant/sqrt schedules itself)."""
        t = np.arange(1, T + 1, dtype=np.float64)
        if self.schedule_code == L.SCHED_CONSTANT:
            return np.full(T, self.alpha)
        if self.schedule_code == L.SCHED_SQRT:
            return self.alpha / np.sqrt(t)
        require(len(self.schedule) >= T, f"{self.name}.schedule", f"array of length {len(self.schedule)}",
                f"at least T={T} step sizes")
        # a writeable copy: the spec's array is read-only, and numba compiles a read-only argument as
        # another type (another specialisation of every loop)
        return np.array(self.schedule[:T], dtype=np.float64)

    def schedule_array(self, T: int) -> np.ndarray:
        """The array the engine receives: the user's α_t for array schedules, else a placeholder."""
        if self.schedule_code == L.SCHED_ARRAY:
            return self.alphas(T)
        return np.zeros(1)

    def on_arrays(self) -> "Optimizer":
        """The same algorithm with the same hyperparameters as init/update on numpy arrays
        (:class:`regret.ArrayOptimizer`), run without compiling by :func:`regret.reference.run`: the
        subclass of this class that its own file defines (every built-in has one)."""
        import sys

        cls = type(self)
        found = [c for c in vars(sys.modules.get(cls.__module__, object)).values() if isinstance(c, type)
                 and issubclass(c, cls) and c.on_numpy_arrays and c is not cls]
        require(len(found) == 1, "optimizer", cls.__name__,
                "an algorithm whose file defines its array version (a subclass of it and of regret.ArrayOptimizer)")
        return found[0](**{f.name: getattr(self, f.name) for f in fields(self)})

    # -- what the trajectory audits read (regret.theory.audit) ----------------------------------------------
    def V_meaning(self) -> str:
        """What √V_t — the per-coordinate denominator of the step, without ε — is for this algorithm
        (Reddi et al.'s Γ_t = √V_t/α_t − √V_{t−1}/α_{t−1})."""
        return "√v̂_t" if self.adaptive else "1"

    def sqrt_V(self, vhat_history: np.ndarray) -> np.ndarray:
        """(S, T, d) √V_t after each update t = 1..T from the recorded second moments v̂_t (the
        ``second_moment`` of every round, ``RunResult.vhat_history``); ones for the non-adaptive."""
        if not self.adaptive:
            return np.ones_like(vhat_history)
        return np.sqrt(vhat_history)

    # -- presentation --------------------------------------------------------------------------------
    def hyperparameters(self) -> dict:
        """{name: value} of every hyperparameter, arrays as lists (a new dict each call; built once
        per spec: a sweep asks five times for each of 10^4 configurations)."""
        cached = self.__dict__.get("_hyperparameters")
        if cached is None:
            cached = {}
            for name in _field_defaults(type(self)):
                v = getattr(self, name)
                cached[name] = v.tolist() if isinstance(v, np.ndarray) else v
            object.__setattr__(self, "_hyperparameters", cached)  # a frozen spec: set once, never changed
        return {k: list(v) if isinstance(v, list) else v for k, v in cached.items()}  # the caller's own lists

    def label(self, show=()) -> str:
        """Name and the hyperparameters that differ from the defaults, e.g. adam(alpha=0.5, beta1=0);
        those named in ``show`` first and always, even at their default (a swept β2 = 0.999)."""
        defaults = _field_defaults(type(self))
        hp = self.hyperparameters()
        shown = [k for k in hp if k in show]
        shown += [k for k in hp if k not in show and (isinstance(hp[k], list) or hp[k] != defaults.get(k))]
        parts = []
        for k in shown:
            v = f"array[{len(hp[k])}]" if isinstance(hp[k], list) else hp[k]
            parts.append(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}")
        return f"{self.name}(" + ", ".join(parts) + ")"

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" if not isinstance(v, np.ndarray) else f"{k}=array[{len(v)}]"
                          for k, v in ((f.name, getattr(self, f.name)) for f in _fields(type(self))))
        return f"{type(self).__name__}({inner})"

    def replace(self, **changes) -> "Optimizer":
        return dataclasses.replace(self, **changes)

    # -- value semantics: two specs are equal when they run the same algorithm with the same numbers --
    def _key(self) -> tuple:
        return (type(self),) + tuple(
            (f.name, tuple(v.tolist()) if isinstance(v, np.ndarray) else v)
            for f, v in ((f, getattr(self, f.name)) for f in _fields(type(self))))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Optimizer):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
