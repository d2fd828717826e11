"""pytest plugin of `regret` (entry point ``pytest11: regret = regret.testing.plugin`` in pyproject.toml).

* fixture ``regret_check``: ``regret_check(theorem, optimizer=None, problem=None, T=None, seeds=None)``
  runs and returns the :class:`~regret.theory.Verdict` (see :func:`regret.testing.check_bound`);
* a failing ``assert verdict == "HOLDS"`` (a Verdict compares equal to its status string) prints
  the verdict table: hypotheses with their numbers and measured regret against the bound.

pytest loads this module in every session on a machine where regret is installed, so it imports
nothing but pytest: ``regret`` and ``regret.testing`` import nothing heavy themselves, the engine
(numba) and the theory layer (sympy) load when a test first uses the fixture.
"""
from __future__ import annotations

import sys

import pytest


@pytest.fixture
def regret_check():
    from . import check_bound

    return check_bound


def pytest_assertrepr_compare(config, op, left, right):
    # a Verdict exists only once its module is imported: never import it (sympy) to compare other objects
    verdict = sys.modules.get(f"{__package__.rpartition('.')[0]}.theory.verdict")
    if verdict is None:
        return None
    for side in (left, right):
        if isinstance(side, verdict.Verdict):
            other = right if side is left else left
            return ([f"verdict {side.status} {op} {other!r}", f"{side.theorem}: {side.reason}", ""]
                    + side.table().splitlines())
    return None
