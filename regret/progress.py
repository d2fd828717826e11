"""Progress of long work on stderr: a bar with rate and ETA (tqdm), shown only once the work has
lasted :data:`DELAY` seconds, so short runs print nothing.

Whether bars are shown is one setting of the process: ``None`` (the default) shows them when stderr
is a terminal, ``True`` always, ``False`` never (the CLI's ``--quiet``)::

    >>> import regret
    >>> regret.progress.show(False)            # a script that wants silence
    >>> with regret.progress.shown(True):      # a notebook cell that wants the bar
    ...     res = regret.run("adam", "reddi", T=10**8)          # doctest: +SKIP

The engine advances a bar between its compiled calls (:mod:`regret.engine.carry`), which is also
where Ctrl-C and SIGTERM reach a long run.
"""
from __future__ import annotations

import contextlib
import sys

from .errors import require

DELAY = 1.0  # seconds of work before a bar appears
REFRESH = 0.5  # seconds between two redraws at most
_show: bool | None = None


def show(on: bool | None) -> None:
    """Show progress bars always (True), never (False), or when stderr is a terminal (None)."""
    global _show
    require(on is None or isinstance(on, bool), "progress", on, "True, False or None")
    _show = on


@contextlib.contextmanager
def shown(on: bool | None):
    """:func:`show` for the duration of a ``with`` block."""
    before = _show
    show(on)
    try:
        yield
    finally:
        show(before)


def enabled() -> bool:
    """Whether a bar started now would be shown."""
    if _show is not None:
        return _show
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # stderr replaced or closed
        return False


class _Silent:
    """The bar when none is shown: every call does nothing."""

    def update(self, n=1):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def bar(total: int, desc: str, unit: str = "round"):
    """A context-managed bar over ``total`` units (tqdm, imported only when shown)."""
    if not enabled():
        return _Silent()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, unit_scale=total >= 10_000, delay=DELAY, file=sys.stderr,
                leave=False, dynamic_ncols=True, mininterval=REFRESH)


__all__ = ["show", "shown", "enabled", "bar", "DELAY"]
