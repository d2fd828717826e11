"""The best fixed comparator in hindsight, min_{x∈X} Σ_{t≤T'} f_t(x), at every checkpoint T',
each with an optimality certificate (an upper bound on F(x̂) − F*).

Routes (DESIGN.md, "Comparator strategy"):
* linear losses — closed form: F(x) = ⟨S, x⟩ with S = Σ_t a_t, min = the domain's support function.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import UnboundedComparator
from .problems import Instance


@dataclass
class ComparatorCurve:
    """Comparators at the checkpoints of one instance: value F*(T') (K,), minimiser x (K, d),
    certificate (K,) ≥ F(x̂) − F*, and how they were obtained."""

    checkpoints: np.ndarray
    value: np.ndarray
    x: np.ndarray
    certificate: np.ndarray
    method: str
    solver: str = ""


def checkpoint_counts(inst: Instance, checkpoints) -> list[np.ndarray]:
    """Row multiplicities c_k (how often each data row occurs in rounds 1..T'_k), incrementally."""
    n = inst.A.shape[0]
    counts, prev, acc = [], 0, np.zeros(n)
    for T in checkpoints:
        acc = acc + np.bincount(inst.idx[prev:T], minlength=n)
        prev = int(T)
        counts.append(acc.copy())
    return counts


def linear_closed_form(inst: Instance, checkpoints) -> ComparatorCurve:
    """F(x) = ⟨S, x⟩: F* = min_{s∈X} ⟨S, s⟩ from the support function, x* = LMO(S)."""
    dom = inst.domain
    vals, xs, certs = [], [], []
    for c in checkpoints_counts_or(inst, checkpoints):
        S = inst.A.T @ c
        if not dom.bounded and np.any(S != 0):
            raise UnboundedComparator("domain", "unbounded",
                                      "a bounded domain: min_x Σ_t ⟨a_t, x⟩ over R^d is −∞ when Σ_t a_t ≠ 0")
        x = dom.lmo(S) if dom.bounded else np.zeros(dom.d)
        value = dom.support_min(S)
        vals.append(value)
        xs.append(x)
        certs.append(max(0.0, float(S @ x) - value))  # the Frank–Wolfe gap at x̂ = LMO(S)
    return ComparatorCurve(np.asarray(checkpoints), np.array(vals), np.array(xs), np.array(certs),
                           method="closed form (support function)")


def checkpoints_counts_or(inst, checkpoints):
    return checkpoint_counts(inst, checkpoints)


def best_fixed(inst: Instance, checkpoints, method: str = "auto") -> ComparatorCurve:
    """The comparator curve of ``inst`` at ``checkpoints`` by the fastest certified route."""
    if inst.family.name == "linear" and inst.family.l2 == 0:
        return linear_closed_form(inst, checkpoints)
    raise NotImplementedError(inst.family.name)


_CACHE: dict = {}


def best_fixed_cached(inst: Instance, checkpoints) -> ComparatorCurve:
    """:func:`best_fixed`, memoised per (instance identity, checkpoints) within the process, so that
    several optimizers on the same instance share one comparator computation."""
    key = (inst.name, repr(inst.meta.get("params")), inst.seed, inst.T, id(inst.A) if inst.name in ("user", "npz") else 0,
           tuple(int(c) for c in checkpoints))
    if key not in _CACHE:
        _CACHE[key] = best_fixed(inst, checkpoints)
    return _CACHE[key]
