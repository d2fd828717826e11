"""Shared helpers of the subcommands: spec parsing ("name:key=value,key=value") and atomic writes."""
from __future__ import annotations

import contextlib
import os
import tempfile

from ..errors import InvalidInput


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


def parse_spec(text: str, what: str, known=None) -> tuple[str, dict]:
    """'adam:alpha=0.5,beta1=0' → ('adam', {'alpha': 0.5, 'beta1': 0}).

    With ``known`` (the names that stand alone, e.g. the built-in optimizers), any other name may be
    ``module:Class`` or ``file.py:Class`` (a user's algorithm): 'mymod:MyOpt:alpha=0.1' →
    ('mymod:MyOpt', {'alpha': 0.1}); the part after the first ':' is the class when it is a
    Python identifier."""
    name, _, rest = text.partition(":")
    head, _, tail = rest.partition(":")
    if known is not None and name.strip() not in known and head.strip().isidentifier():
        name, rest = f"{name}:{head.strip()}", tail
    name = name.strip()
    if not name:
        raise InvalidInput(what, text, "NAME or NAME:key=value,key=value")
    params = {}
    if rest.strip():
        for item in rest.split(","):
            key, eq, value = item.partition("=")
            if not eq or not key.strip() or not value.strip():
                raise InvalidInput(what, text, "NAME:key=value,key=value (each item key=value)")
            params[key.strip()] = parse_value(value)
    return name, params


def parse_positive_int(text: str, field: str) -> int:
    """'5' → 5; anything else (0, −1, 2.5, 'x') is an InvalidInput naming ``field``."""
    try:
        v = int(text)
    except (TypeError, ValueError):
        raise InvalidInput(field, text, "a positive integer") from None
    if v < 1:
        raise InvalidInput(field, text, "a positive integer")
    return v


def parse_T(text: str) -> int:
    """'1e6' → 1000000; T must be a positive whole number."""
    try:
        v = float(text)
    except ValueError:
        raise InvalidInput("--T", text, "a positive whole number such as 1000 or 1e6") from None
    if not v.is_integer() or v < 1:
        raise InvalidInput("--T", text, "a positive whole number such as 1000 or 1e6")
    return int(v)


@contextlib.contextmanager
def atomic_write(path: str, mode: str = "wb"):
    """Write to a temporary file beside ``path`` and rename it into place only on success."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(directory):
        raise InvalidInput("output path", path, "a file in an existing directory")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
