"""Typed errors of `regret`.

Every invalid input raises :class:`InvalidInput` (a ``ValueError``) whose message names the offending
field, the value it had and what is allowed; the CLI prints that message as one line and exits 2.
"""


class InvalidInput(ValueError):
    """Bad user input: ``field`` got ``value``; ``allowed`` says what would be accepted."""

    def __init__(self, field: str, value, allowed: str):
        self.field, self.value, self.allowed = field, value, allowed
        super().__init__(f"{field}={value!r} is invalid: {allowed}")


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


def require(ok: bool, field: str, value, allowed: str) -> None:
    """Raise :class:`InvalidInput` unless ``ok``."""
    if not ok:
        raise InvalidInput(field, value, allowed)
