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

import sympy as sp

from ..errors import InvalidInput, did_you_mean, require
from . import duchi, hazan, kingma_ba, phuong_phong, reddi, zinkevich
from .base import Order, Setting, Theorem, bound_namespace, parse_bound
from .context import Context, Unavailable
from .hypotheses import HypothesisResult
from .verdict import HOLDS, INCONCLUSIVE, NOT_APPLICABLE, STATUSES, VIOLATED, Verdict

_MODULES = (kingma_ba, reddi, phuong_phong, duchi, zinkevich, hazan)
REGISTRY: dict[str, Theorem] = {t.key: t for m in _MODULES for t in m.THEOREMS}


def all() -> list[Theorem]:  # noqa: A001 - theory.all() reads naturally
    """Every theorem, in the order of the papers."""
    return list(REGISTRY.values())


def get(key) -> Theorem:
    """A theorem by key (``theory.get("kingma-ba-4.1")``), or a user's Theorem object named
    ``module:NAME`` / ``path/to/file.py:NAME``; a Theorem is returned as it is."""
    if isinstance(key, Theorem):
        return key
    if isinstance(key, str) and ":" in key and key not in REGISTRY:
        from ..user_code import import_attribute

        thm = import_attribute(key, "theorem")
        if not isinstance(thm, Theorem):
            raise InvalidInput("theorem", key, f"a regret.theory.Theorem (found a {type(thm).__name__})")
        return thm
    if key not in REGISTRY:
        raise InvalidInput("theorem", key, f"one of {sorted(REGISTRY)}, or FILE.py:NAME / module:NAME of your own "
                                           f"(see `regret verify --list`){did_you_mean(key, REGISTRY)}")
    return REGISTRY[key]


def bound(expr, key: str = "user-bound", title: str | None = None, kind: str = "upper",
          citation: str = "the user's bound", hypotheses: tuple = ()) -> Theorem:
    """A bound of one's own as a theorem: ``R(T) ≤ expr`` (``kind="lower"``: ≥; ``kind="limit"``:
    R(T)/T → expr as T → ∞, :mod:`regret.theory.limit`) for whatever run it is checked on, under the
    given hypotheses (none by default). ``expr`` is a sympy expression or text in the names of
    :func:`regret.theory.base.bound_namespace`, e.g. ``"5*D*G*sqrt(T)"``."""
    from . import statistics

    require(kind in ("upper", "lower", "limit"), "kind", kind, "'upper', 'lower' or 'limit'")
    b = parse_bound(expr)
    rel = {"upper": "R(T) ≤", "lower": "R(T) ≥", "limit": "R(T)/T →"}[kind]
    return Theorem(key=key, title=title or f"{rel} {sp.sstr(b)}", citation=citation, kind=kind, bound_expr=b,
                   hypothesis_list=tuple(hypotheses), algorithm="the optimizer it is checked on",
                   measured=statistics.AVERAGE_REGRET if kind == "limit" else None,
                   default=Setting(("sgd", {"alpha": 0.1, "schedule": "sqrt"}), ("linear", {"d": 2}), T=1000))


__all__ = ["Theorem", "Order", "Setting", "Verdict", "Context", "Unavailable", "HypothesisResult", "get", "all", "bound",
           "parse_bound", "bound_namespace",
           "REGISTRY", "HOLDS", "VIOLATED", "NOT_APPLICABLE", "INCONCLUSIVE", "STATUSES"]
