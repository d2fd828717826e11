"""The compiled loops for a table of algorithms: the built-ins', and one set per user algorithm.

The engine's loops (:mod:`regret.engine.loop`, :mod:`regret.engine.loop_1d`, :mod:`regret.engine.loop_wide`) reach an
algorithm only through the dispatch module they call ``S`` (:mod:`regret.optimizers.steps` for the
built-in table). For an algorithm outside that table — a user's :class:`regret.Optimizer` subclass —
:func:`kernels_for` builds the same loops again with ``S`` bound to the dispatch generated for a
table of that one algorithm (:func:`regret.optimizers.codegen.compile_table`): the loops' code is
the built-ins' code, line for line, and the user's update is inlined into it as a built-in's is.
So a user algorithm gets every statistic, checkpoint, comparator and theorem check of the engine,
at the cost of one compilation of the loops it uses (cached on disk, keyed on the algorithm's
source: :mod:`regret.engine.kernel_cache`).

Why not pass the update to the loop as an argument: numba specializes a function on the *identity*
of a function argument, so such a loop is compiled again in every process (never a cache hit); and
a first-class function type calls through a pointer every coordinate, which stops the update loop
from vectorizing. Rebuilding the loops per table keeps both the inlining and the disk cache.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import inspect
import sys
import types
import warnings
from dataclasses import dataclass

from numba import njit
from numba.core.caching import NullCache
from numba.core.dispatcher import Dispatcher

from . import lanes, loop, loop_1d, loop_wide
from ..errors import require
from ..optimizers import Optimizer, steps
from ..optimizers.arrays import ArrayOptimizer
from ..optimizers.codegen import DISPATCH_NAMES, compile_table, inlined
from ..domains import BOX
from ..losses import LINEAR
from ..optimizers.layout import SCHED_CONSTANT, SCHED_SQRT
from ..optimizers.registry import BUILTIN_TABLE, Table, check_protocol


@dataclass(frozen=True)
class Kernels:
    """The compiled loops of one table (same arguments and outputs as :func:`regret.engine.loop.run_one`)."""

    table: Table
    run_one: object
    run_1d: object
    run_wide: object
    run_batch: object
    run_wide_many: object
    steps: object  # the dispatch namespace the loops call (S)
    run_one_adversarial: object = None  # the array loop with an adaptive adversary's hook
    run_1d_linear_box_constant: object = None  # run_1d's specialised rounds, compiled on their own
    run_1d_linear_box_sqrt: object = None
    run_lanes_linear_box_constant: object = None  # many runs of them at once, one per SIMD lane (lanes.py)
    run_lanes_linear_box_sqrt: object = None

    def kernel_for(self, d: int, loss_code: int, dom_code: int | None = None, sched: int | None = None,
                   per_round_state: bool = True):
        """The compiled loop for one run of dimension d (all have :func:`regret.engine.loop.run_one`'s
        arguments and outputs): ``run_1d`` at d = 1 (state in registers) — or, for linear losses on an
        interval (``dom_code``) with a constant or α/√t step (``sched``) and no per-round iterates or
        v̂ (``per_round_state`` False), its specialised rounds alone —, ``run_wide`` from d = 2^16
        (parallel over coordinates), else ``run_one``; multiclass losses always take ``run_one``.
        Chosen in Python, so a process compiles only the loops it uses."""
        if loop_1d.is_1d(d, loss_code):
            return self._linear_box("run_1d", loss_code, dom_code, {sched}, per_round_state) or self.run_1d
        if loop_wide.is_wide(d, loss_code):
            return self.run_wide
        return self.run_one

    def batch_for(self, d: int, loss_code: int):
        """The loop for many runs (as :func:`regret.engine.batch.run_many` chooses where
        :meth:`lanes_for` has none): ``run_wide_many`` from d = 2^16, else ``run_batch``."""
        if loop_wide.is_wide(d, loss_code):
            return self.run_wide_many
        return self.run_batch

    def lanes_for(self, d: int, loss_code: int, dom_code: int | None = None, schedules=(),
                  per_round_state: bool = True):
        """For many one-dimensional runs with linear losses on an interval, every run with the same
        constant or α/√t step and no per-round iterates or v̂ (the sweeps of lower-bound
        constructions, falsify's generations): the loop that runs them one per SIMD lane
        (:mod:`regret.engine.lanes`; it takes their groups as its first argument); else None."""
        if not loop_1d.is_1d(d, loss_code):
            return None
        return self._linear_box("run_lanes", loss_code, dom_code, schedules, per_round_state)

    def _linear_box(self, loop_name: str, loss_code, dom_code, schedules, per_round_state: bool):
        """``loop_name``'s specialised kernel (``<loop_name>_linear_box_constant`` / ``_sqrt``) where it
        applies — linear losses on an interval, one constant or α/√t step for every run, no per-round
        iterates or v̂ — else None."""
        if loss_code != LINEAR or dom_code != BOX or per_round_state or len(set(schedules)) != 1:
            return None
        suffix = {SCHED_CONSTANT: "constant", SCHED_SQRT: "sqrt"}.get(next(iter(set(schedules))))
        return getattr(self, f"{loop_name}_linear_box_{suffix}") if suffix else None


BUILTIN = Kernels(BUILTIN_TABLE, loop.run_one, loop_1d.run_1d, loop_wide.run_wide, loop.run_batch,
                  loop_wide.run_wide_many, steps, run_1d_linear_box_constant=loop_1d.run_1d_linear_box_constant,
                  run_1d_linear_box_sqrt=loop_1d.run_1d_linear_box_sqrt,
                  run_lanes_linear_box_constant=lanes.run_lanes_linear_box_constant,
                  run_lanes_linear_box_sqrt=lanes.run_lanes_linear_box_sqrt)
_BY_CLASS: dict = {}
_WITH_ADVERSARY: dict = {}
_UNCACHED = itertools.count()  # names for the modules of loops that are not cached on disk


def kernels_for(opt, adversary=None) -> tuple[Kernels, int]:
    """(the loops that run ``opt``, its code in their table). A built-in runs in the built-in table;
    any other :class:`regret.Optimizer` subclass is checked against the protocol and gets the loops
    of its own table, built once per class and process. With an ``adversary``
    (:class:`regret.problems.adversary.Adversary`) the array loop is built again with the
    adversary's ``choose`` inlined (``run_one_adversarial``), once per (table, choose function)."""
    require(isinstance(opt, Optimizer), "optimizer", opt, "an optimizer name or spec")
    require(not isinstance(opt, ArrayOptimizer), "optimizer", type(opt).__name__,
            "a compiled algorithm (an algorithm on numpy arrays runs through regret.run or regret.reference.run)")
    cls = type(opt)
    if cls in BUILTIN_TABLE:
        base, code = BUILTIN, BUILTIN_TABLE.code_of(cls)
    else:
        if cls not in _BY_CLASS:
            check_protocol(cls)
            _BY_CLASS[cls] = _instantiate(Table((cls,)))
        base, code = _BY_CLASS[cls], 0
    if adversary is None:
        return base, code
    key = (base.table, adversary.choose)
    if key not in _WITH_ADVERSARY:
        _WITH_ADVERSARY[key] = _with_adversary(base, adversary)
    return _WITH_ADVERSARY[key], code


def _with_adversary(base: Kernels, adversary) -> Kernels:
    """``base``'s array loop rebuilt with ``ADV`` bound to the adversary's ``choose`` (inlined)."""
    choose = inlined(adversary.choose)
    key = _source_key(base.table, base.steps.BUILTIN.source, extra=(adversary.choose,))
    adv = _module(f"regret.problems.adversary_{key[:20] if key else next(_UNCACHED)}", {"choose": choose})
    overrides = {"ADV": adv, "S": base.steps}
    array = _module_again(loop, overrides, key)  # only its adversarial entry is used (and compiled)
    return dataclasses.replace(base, run_one_adversarial=array.run_one_adversarial)


def _source_key(table: Table, dispatch_source: str, extra: tuple = ()) -> str | None:
    """A key for the disk cache of this table's loops: the generated dispatch and the full source
    files of every algorithm (its class and functions, and so the helpers its module defines), and
    of the ``extra`` functions inlined with them (an adversary's). None when a source file cannot be
    read (a class typed at a prompt): the loops are then not cached."""
    h = hashlib.sha256(dispatch_source.encode())
    for cls in table.algorithms + tuple(extra):
        objs = [cls] + [getattr(cls, role) for role in ("update", "weight", "second_moment")
                        if getattr(cls, role, None) is not None]
        for obj in objs:
            try:
                path = inspect.getsourcefile(getattr(obj, "py_func", obj))
                with open(path, "rb") as fh:
                    h.update(fh.read())
            except (OSError, TypeError):
                return None
    return h.hexdigest()


def _rebind(disp: Dispatcher, namespace: dict, key: str | None) -> Dispatcher:
    """The compiled function ``disp`` again, its globals looked up in ``namespace`` (the dict of a
    module of its own, whose name it takes: numba's symbol names contain the module's name, and a
    copy that kept the template's could resolve to the built-in's machine code — or the built-in to
    its — when one of them comes from the disk cache), and (if ``key``) cached on disk under that key
    (regret.engine.kernel_cache) instead of beside the built-in's cache."""
    f = disp.py_func
    g = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__, f.__closure__)
    g.__qualname__, g.__module__, g.__doc__ = f.__qualname__, namespace["__name__"], f.__doc__
    g.__kwdefaults__ = f.__kwdefaults__
    g.__regret_table_key__ = key
    options = dict(disp.targetoptions)
    options.pop("nopython", None)
    cached = key is not None and not isinstance(disp._cache, NullCache)
    try:
        return njit(cache=cached, **options)(g)
    except RuntimeError as e:  # no cache locator can write anywhere: compile in memory
        warnings.warn(f"regret: the loops of a user optimizer are not cached on disk ({e})", stacklevel=3)
        return njit(cache=False, **options)(g)


def _module(name: str, attributes: dict) -> types.ModuleType:
    """A module object registered in ``sys.modules`` (numba resolves ``S.apply`` on a global module,
    not on other objects, and imports the module of a cached function when it loads it)."""
    mod = sys.modules.get(name) or types.ModuleType(name)
    vars(mod).update(attributes)
    sys.modules[name] = mod
    return mod


def _module_again(mod, overrides: dict, key: str | None) -> types.ModuleType:
    """Every compiled function defined in ``mod``, rebuilt with ``overrides`` in its globals, as the
    functions of a new module ``<mod>_table_<key>`` (a fresh name per process when uncached)."""
    own = {name: obj for name, obj in vars(mod).items()
           if isinstance(obj, Dispatcher) and obj.py_func.__module__ == mod.__name__}
    suffix = key[:20] if key is not None else f"uncached{next(_UNCACHED)}"
    copy = _module(f"{mod.__name__}_table_{suffix}", {k: v for k, v in vars(mod).items() if k != "__name__"})
    namespace = vars(copy)
    namespace.update(overrides)
    for name, disp in own.items():
        namespace[name] = _rebind(disp, namespace, key)
    return copy


def _instantiate(table: Table) -> Kernels:
    dispatch = compile_table(table)
    key = _source_key(table, dispatch.source)
    # the dispatch namespace: the steps module's helpers, with this table's dispatchers
    S = _module(f"{steps.__name__}_dispatch_{key[:20] if key else next(_UNCACHED)}",
                {k: v for k, v in vars(steps).items() if not k.startswith("__")})
    for name in DISPATCH_NAMES:
        setattr(S, name, getattr(dispatch, name))
    S.N_HP, S.N_ROWS, S.BUILTIN = dispatch.n_hp, dispatch.n_state, dispatch
    S.step = _module_again(steps, {"apply": dispatch.apply}, key).step
    one_d = _module_again(loop_1d, {"S": S}, key)
    wide = _module_again(loop_wide, {"S": S}, key)
    array = _module_again(loop, {"S": S, "loop_1d": one_d}, key)
    many = _module_again(lanes, {"S": S}, key)
    return Kernels(table, array.run_one, one_d.run_1d, wide.run_wide, array.run_batch, wide.run_wide_many, S,
                   array.run_one_adversarial, one_d.run_1d_linear_box_constant, one_d.run_1d_linear_box_sqrt,
                   many.run_lanes_linear_box_constant, many.run_lanes_linear_box_sqrt)
