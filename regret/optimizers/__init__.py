"""Online optimizers exactly as published, each one object through one protocol.

Every algorithm — built-in or the user's — is a subclass of :class:`Optimizer` (the protocol is
described in :mod:`regret.optimizers.base`): validated hyperparameters, and the update of one
coordinate written as its paper writes it. The built-ins live one per file in
:mod:`regret.optimizers.algorithms`, each with its paper's lines and citation; the engine
dispatches through the table built from them (:mod:`regret.optimizers.registry`), and an
algorithm that is not in the table is refused, never replaced by another.

    >>> import regret
    >>> regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    Adam(alpha=0.5, beta1=0.0, beta2=0.1, eps=1e-08, eps_mode='outside', bias_correction=True, lam=1.0, schedule='sqrt')

Step-size schedules α_t: ``"constant"`` (α), ``"sqrt"`` (α/√t, the schedule of every regret
theorem here), or an array of length ≥ T giving α_1, α_2, ... .
"""
from __future__ import annotations

from dataclasses import fields

from ..errors import did_you_mean, require
from .base import Optimizer
from .registry import BUILTINS, resolve

OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in BUILTINS}
# the built-in classes by their class names (regret.optimizers.Adam, …)
globals().update({cls.__name__: cls for cls in BUILTINS})


def optimizer(name, **hyperparameters) -> Optimizer:
    """Optimizer spec by name, e.g. ``optimizer("amsgrad", alpha=0.5, beta1=0, beta2=0.1)``.

    ``name`` is a built-in's name, the name of an algorithm a package registers in the entry-point
    group ``regret.optimizers``, ``"module:Class"`` or ``"path/to/file.py:Class"`` (a user's
    :class:`Optimizer` subclass), or an Optimizer subclass itself.
    """
    if isinstance(name, Optimizer):
        return name.replace(**hyperparameters) if hyperparameters else name
    cls = resolve(name)
    allowed = [f.name for f in fields(cls)]
    for k in hyperparameters:
        require(k in allowed, f"{cls.name} hyperparameter", k, lambda: f"one of {allowed}{did_you_mean(k, allowed)}")
    return cls(**hyperparameters)


def labels(optimizers, swept=()) -> list[str]:
    """Labels for configurations shown side by side (a table's rows, a figure's legend): the name and,
    for each, every hyperparameter that varies among the configurations of that algorithm — shown
    even where it equals its default (a swept β2 = 0.999) — and those that differ from their
    defaults: ``adam(beta2=0.999, alpha=0.1)``. ``swept`` names hyperparameters to show always."""
    hps = [o.hyperparameters() for o in optimizers]
    out = []
    for o, mine in zip(optimizers, hps):
        same = [h for p, h in zip(optimizers, hps) if p.name == o.name]
        out.append(o.label(show=[k for k in mine if k in swept or any(repr(h.get(k)) != repr(mine[k]) for h in same)]))
    return out


__all__ = ["Optimizer", "OPTIMIZERS", "optimizer", "resolve", "labels"] + [cls.__name__ for cls in BUILTINS]
