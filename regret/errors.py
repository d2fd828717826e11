"""Typed errors of `regret`.

Every invalid input raises :class:`InvalidInput` (a ``ValueError``) whose message names the offending
field, the value it had and what is allowed; the CLI prints that message as one line and exits 2.
"""
from __future__ import annotations

import difflib


class InvalidInput(ValueError):
    """Bad user input: ``field`` got ``value``; ``allowed`` says what would be accepted."""

    def __init__(self, field: str, value, allowed: str):
        self.field, self.value, self.allowed = field, value, allowed
        super().__init__(f"{field}={value!r} is invalid: {allowed}")


def did_you_mean(value, choices) -> str:
    """'; did you mean 'adam'?' when ``value`` is close to one of ``choices`` (difflib), else ''."""
    if not isinstance(value, str) or not value.strip():
        return ""
    choices = [str(c) for c in choices]
    close = difflib.get_close_matches(value.strip(), choices, n=3, cutoff=0.6)
    if not close:  # 'Adam', 'ADAM': the same name in another case
        low = {c.lower(): c for c in choices}
        close = [low[value.strip().lower()]] if value.strip().lower() in low else []
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


class UnboundedComparator(InvalidInput):
    """min_{x in X} sum_t f_t(x) is -inf (or not attained), so regret is undefined."""


class SolverFailure(RuntimeError):
    """Every comparator route failed to return a certified optimum."""


class NonFiniteComparator(SolverFailure):
    """The comparator's value, minimiser or certificate at a checkpoint is not a finite number (NaN or
    ±inf: the data overflow float64); never reported as a number."""

    def __init__(self, checkpoint: int, what: str, value, detail: str = ""):
        self.checkpoint, self.what, self.value = int(checkpoint), what, value
        super().__init__(f"comparator at T'={int(checkpoint)}: {what} = {value!r} is not finite"
                         + (f" ({detail})" if detail else ""))


def require(ok: bool, field: str, value, allowed) -> None:
    """Raise :class:`InvalidInput` unless ``ok``. ``allowed`` may be a function returning the text, so
    that a costly one (a "did you mean" search) is built only when the check fails."""
    if not ok:
        raise InvalidInput(field, value, allowed() if callable(allowed) else allowed)
