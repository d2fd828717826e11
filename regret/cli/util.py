"""Shared helpers of the subcommands: spec parsing ("name:key=value,key=value"), "did you mean"
suggestions, and :func:`commit` — all the files of one command written together or none
(:func:`regret.files.write_together`), a failure named by the option of the file."""
from __future__ import annotations

import numpy as np

from ..errors import InvalidInput, did_you_mean  # noqa: F401  (did_you_mean: the subcommands use it from here)
from ..files import write_together

# The largest horizon --T accepts: every whole number up to 2^53 is exact in float64 ("1e15" is), and
# beyond it the engine's int64 round counters and the accumulated float64 sums lose meaning.
MAX_T = 2 ** 53


# -- names ------------------------------------------------------------------------------------------
def with_suggestion(exc: InvalidInput, choices) -> InvalidInput:
    """``exc`` with a "did you mean" hint for its value among ``choices`` appended (if there is one)."""
    hint = did_you_mean(exc.value, choices)
    if not hint or "did you mean" in exc.allowed:
        return exc
    return InvalidInput(exc.field, exc.value, exc.allowed + hint)


# -- specs ------------------------------------------------------------------------------------------
def parse_value(text: str):
    """'0.5' → 0.5, '3' → 3, 'true' → True, 'sqrt' → 'sqrt'."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip()


SPEC_FORM = "NAME or NAME:key=value,key=value"


def parse_spec(text: str, what: str, known=None) -> tuple[str, dict]:
    """'adam:alpha=0.5,beta1=0' → ('adam', {'alpha': 0.5, 'beta1': 0}).

    With ``known`` (the names that stand alone, e.g. the built-in optimizers), any other name may be
    ``module:Class`` or ``file.py:Class`` (a user's algorithm): 'mymod:MyOpt:alpha=0.1' →
    ('mymod:MyOpt', {'alpha': 0.1}); the part after the first ':' is the class when it is a
    Python identifier. A ':' with nothing after it (``adam:``) and a key given twice
    (``adam:alpha=0.1,alpha=0.2``) are errors, not defaults or last-wins."""
    if not isinstance(text, str):
        raise InvalidInput(what, text, SPEC_FORM)
    name, colon, rest = text.partition(":")
    head, colon2, tail = rest.partition(":")
    if known is not None and colon and name.strip() not in known and head.strip().isidentifier():
        name, colon, rest = f"{name.strip()}:{head.strip()}", colon2, tail
    name = name.strip()
    if not name:
        raise InvalidInput(what, text, SPEC_FORM)
    params = {}
    if colon:
        if not rest.strip():
            raise InvalidInput(what, text, f"{SPEC_FORM} (nothing follows the ':': drop it, or give key=value)")
        for item in rest.split(","):
            key, eq, value = item.partition("=")
            key = key.strip()
            if not eq or not key or not value.strip():
                raise InvalidInput(what, text, f"{SPEC_FORM} (each item key=value; {item.strip()!r} is not)")
            if key in params:
                raise InvalidInput(what, text, f"{SPEC_FORM} with each key once ({key!r} is given twice)")
            params[key] = parse_value(value)
    return name, params


def parse_positive_int(text: str, field: str, maximum: int | None = None) -> int:
    """'5' → 5; anything else (0, −1, 2.5, 'x', above ``maximum``) is an InvalidInput naming ``field``."""
    allowed = "a positive integer" + (f" ≤ {maximum}" if maximum is not None else "")
    if isinstance(text, (bool, float)):
        raise InvalidInput(field, text, allowed)
    try:
        v = int(text)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput(field, text, allowed) from None
    if v < 1 or (maximum is not None and v > maximum):
        raise InvalidInput(field, text, allowed)
    return v


def parse_T(text: str) -> int:
    """'1e6' → 1000000; T must be a positive whole number (at most 2^53)."""
    allowed = "a positive whole number such as 1000 or 1e6 (at most 2^53)"
    if isinstance(text, bool):
        raise InvalidInput("--T", text, allowed)
    try:
        v = float(text)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput("--T", text, allowed) from None
    if not v.is_integer() or v < 1 or v > MAX_T:
        raise InvalidInput("--T", text, allowed)
    return int(v)


def make_optimizer(text: str, field: str = "--optimizer"):
    """The optimizer a spec names, every hyperparameter name checked (with a "did you mean")."""
    from dataclasses import fields

    from ..optimizers import OPTIMIZERS, optimizer, resolve

    name, params = parse_spec(text, field, known=OPTIMIZERS)
    cls = resolve(name)
    allowed = [f.name for f in fields(cls)]
    for k in params:
        if k not in allowed:
            raise InvalidInput(f"{cls.name} hyperparameter", k, f"one of {allowed}{did_you_mean(k, allowed)}")
    return optimizer(cls, **params)


def make_problem(text: str, T: int, field: str = "--problem"):
    """The problem a spec names, its parameters checked by building a small instance before any work
    (:func:`regret.problems.check`), so that no error of the problem comes after the progress line."""
    from ..problems import ADVERSARIES, PROBLEMS, check, problem

    name, params = parse_spec(text, field, known=PROBLEMS + ADVERSARIES)
    spec = problem(name, **params)
    check(spec, T)
    return spec


def commit(files: dict, fields: dict) -> None:
    """:func:`write_together` for a subcommand: ``fields`` {path: option} names the option of each
    file, so a failure to write (a directory that vanished, a full disk) is one line naming it."""
    try:
        write_together(files)
    except OSError as exc:
        target = getattr(exc, "target", None) or next(iter(files), "")
        raise InvalidInput(fields.get(target, "output"), str(target),
                           f"a file that can be written ({exc.strerror or exc}); nothing was written") from None


def json_safe(obj):
    """``obj`` with numpy scalars and arrays as plain Python, NaN as null and ±inf as the strings
    "inf"/"-inf": JSON has no NaN or infinity (``json.dumps`` would write the non-standard ``NaN``)."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        if f != f:
            return None
        if f in (float("inf"), float("-inf")):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.ndarray):
        return json_safe(obj.tolist())
    return obj
