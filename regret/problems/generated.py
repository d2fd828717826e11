"""A user's distribution over loss sequences: a seeded generator from a function of (rng, T).

    >>> import numpy as np, regret
    >>> def signs(rng, T, p=0.5):           # f_t(x) = σ_t x, σ_t = +1 with probability p
    ...     return np.where(rng.random((T, 1)) < p, 1.0, -1.0)
    >>> spec = regret.problems.from_generator(signs, "linear", regret.box(1, -1.0, 1.0), name="signs")
    >>> spec.instance(T=5, seed=0).A.shape
    (5, 1)

``fn(rng, T, **params)`` returns the data rows of rounds 1..T: ``A`` of shape (T, p), or ``(A, b)``
with b of shape (T,) (the labels or targets the family needs). ``rng`` is a
``numpy.random.Generator`` seeded from one ``SeedSequence`` per (name, parameters, seed), so every
seed gives its own sequence, the same seed the same sequence, and a run depends on nothing else.
The spec runs like a named problem: ``regret.run(opt, spec, T, seeds=10)``, ``run_many``, the
theorem checks; and ``--problem file.py:NAME`` on the command line for a spec a file defines.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..domains import Domain
from ..errors import InvalidInput, require
from ..losses import Family
from .base import Instance, ProblemSpec


def from_generator(fn, family, domain: Domain, name: str = "generated", x0=None, deterministic: bool = False,
                   **params) -> ProblemSpec:
    """A :class:`ProblemSpec` whose instance for (T, seed) is ``fn(rng, T, **params)`` (see the
    module docstring) under ``family`` (a Family or its name) on ``domain``."""
    require(callable(fn), "generator", fn, "a function (rng, T, **params) -> A or (A, b)")
    fam = family if isinstance(family, Family) else Family(family)
    require(isinstance(domain, Domain), "domain", domain, "a Domain (regret.box, ball, simplex, unbounded)")
    require(isinstance(name, str) and name and ":" not in name, "name", name, "a name without ':'")
    try:
        inspect.signature(fn).bind(None, 1, **params)
    except TypeError as e:
        raise InvalidInput(f"{name} parameters", sorted(params), f"parameters {fn.__name__} accepts ({e})") from None

    def make(T, rng, **kw):
        out = fn(rng, T, **kw)
        A, b = (out if isinstance(out, tuple) else (out, None))
        try:
            A = np.asarray(A, dtype=np.float64)
            b = np.zeros(T) if b is None else np.asarray(b, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidInput(f"{name} generator output", type(out).__name__, "numbers: A, or (A, b)") from None
        require(A.ndim == 2 and A.shape[0] == T, f"{name} generator output A", f"array of shape {A.shape}",
                f"one row per round: shape ({T}, features)")
        require(b.shape == (T,), f"{name} generator output b", f"array of shape {b.shape}", f"shape ({T},)")
        require(bool(np.all(np.isfinite(A)) and np.all(np.isfinite(b))), f"{name} generator output", "non-finite "
                "values", "finite numbers")
        return Instance(name, fam, domain, A, b, np.arange(T), x0=x0)

    make.generator = fn
    return ProblemSpec(name, dict(params), make, deterministic)


__all__ = ["from_generator"]
