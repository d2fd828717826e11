"""The adversary hook of the engine's array loop when the loss sequence is fixed in advance: it does
nothing (and compiles to nothing). :mod:`regret.problems.adversary` describes the hook."""
from __future__ import annotations

from numba import njit


@njit(cache=True, error_model="numpy", inline="always")
def choose(t, x, params, state, A, b, row):
    """Round t's data row is already in A[row], b[row]."""
    return None
