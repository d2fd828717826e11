"""Theorems as code: published regret bounds and lower bounds as sympy expressions with their
hypotheses, checked against measured regret.

    >>> from regret import theory
    >>> [t.key for t in theory.all()][:2]
    ['kingma-ba-4.1', 'kingma-ba-4.2']
    >>> thm = theory.get("reddi-4")
    >>> run = thm.default_run(T=10_000)
    >>> thm.check(run).status
    'HOLDS'

One module per paper (:mod:`.kingma_ba`, :mod:`.reddi`, :mod:`.phuong_phong`, :mod:`.duchi`,
:mod:`.zinkevich`, :mod:`.hazan`); the machinery is in :mod:`.base` (Theorem, Order),
:mod:`.hypotheses`, :mod:`.statistics`, :mod:`.context` and :mod:`.verdict`.
"""
from __future__ import annotations

from ..errors import InvalidInput
from . import duchi, hazan, kingma_ba, phuong_phong, reddi, zinkevich
from .base import Order, Setting, Theorem
from .context import Context, Unavailable
from .hypotheses import HypothesisResult
from .verdict import HOLDS, INCONCLUSIVE, NOT_APPLICABLE, STATUSES, VIOLATED, Verdict

_MODULES = (kingma_ba, reddi, phuong_phong, duchi, zinkevich, hazan)
REGISTRY: dict[str, Theorem] = {t.key: t for m in _MODULES for t in m.THEOREMS}


def all() -> list[Theorem]:  # noqa: A001 - theory.all() reads naturally
    """Every theorem, in the order of the papers."""
    return list(REGISTRY.values())


def get(key) -> Theorem:
    """A theorem by key (``theory.get("kingma-ba-4.1")``); a Theorem is returned as it is."""
    if isinstance(key, Theorem):
        return key
    if key not in REGISTRY:
        raise InvalidInput("theorem", key, f"one of {sorted(REGISTRY)} (see `regret verify --list`)")
    return REGISTRY[key]


__all__ = ["Theorem", "Order", "Setting", "Verdict", "Context", "Unavailable", "HypothesisResult", "get", "all",
           "REGISTRY", "HOLDS", "VIOLATED", "NOT_APPLICABLE", "INCONCLUSIVE", "STATUSES"]
