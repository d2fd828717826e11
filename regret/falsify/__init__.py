"""Falsify, don't just check: search loss sequences for a counterexample to a theorem
(:func:`falsify`, ``regret falsify THEOREM``; the families searched are in :mod:`.families`, the
search in :mod:`.search`).

    >>> import regret.falsify
    >>> found = regret.falsify.falsify("kingma-ba-4.1", budget=60)      # doctest: +SKIP
    >>> print(found.summary())                                        # doctest: +SKIP
"""
from .families import FAMILIES, SequenceFamily
from .search import (DEFAULT_BUDGET, DEFAULT_T, HP_RANGES, Candidate, Search, counterexample_npz, falsify,
                     optimizer_spec_text)

__all__ = ["falsify", "Search", "Candidate", "FAMILIES", "SequenceFamily", "counterexample_npz", "optimizer_spec_text",
           "DEFAULT_BUDGET", "DEFAULT_T", "HP_RANGES"]
