"""pytest plugin of `regret` (entry point ``pytest11: regret = regret.testing.plugin`` in pyproject.toml).

* fixture ``regret_check``: ``regret_check(theorem, optimizer=None, problem=None, T=None, seeds=None)``
  runs and returns the :class:`~regret.theory.Verdict` (see :func:`regret.testing.check_bound`);
* a failing ``assert verdict == "HOLDS"`` (a Verdict compares equal to its status string) prints
  the verdict table: hypotheses with their numbers and measured regret against the bound.

Nothing heavy is imported when pytest starts: the theory layer (sympy) loads on first use.
"""
from __future__ import annotations

import pytest


@pytest.fixture
def regret_check():
    from . import check_bound

    return check_bound


def pytest_assertrepr_compare(config, op, left, right):
    from ..theory.verdict import Verdict

    for side in (left, right):
        if isinstance(side, Verdict):
            other = right if side is left else left
            return ([f"verdict {side.status} {op} {other!r}", f"{side.theorem}: {side.reason}", ""]
                    + side.table().splitlines())
    return None
