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

``streamed=True`` draws the rows block by block instead (:mod:`regret.problems.stream`): ``fn`` is
called once per block of rounds with the block's own generator and the block's length in place of
T, so a run never holds T rows — for rows drawn independently of one another (i.i.d. rounds), where
a block of n rows is as good as T rows cut into pieces.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..domains import Domain
from ..errors import InvalidInput, require
from ..losses import Family
from .base import Instance, ProblemSpec
from .stream import child, stream_instance


def from_generator(fn, family, domain: Domain, name: str = "generated", x0=None, deterministic: bool = False,
                   streamed: bool = False, **params) -> ProblemSpec:
    """A :class:`ProblemSpec` whose instance for (T, seed) is ``fn(rng, T, **params)`` (see the
    module docstring) under ``family`` (a Family or its name) on ``domain``; ``streamed``: drawn
    block by block, ``fn(rng, n, **params)`` per block of n rounds."""
    require(callable(fn), "generator", fn, "a function (rng, T, **params) -> A or (A, b)")
    fam = family if isinstance(family, Family) else Family(family)
    require(isinstance(domain, Domain), "domain", domain, "a Domain (regret.box, ball, simplex, unbounded)")
    require(isinstance(name, str) and name and ":" not in name, "name", name, "a name without ':'")
    try:
        inspect.signature(fn).bind(None, 1, **params)
    except TypeError as e:
        raise InvalidInput(f"{name} parameters", sorted(params), f"parameters {fn.__name__} accepts ({e})") from None

    def rows(rng, T, kw):
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
        return A, b

    def make(T, rng, **kw):
        if not streamed:
            A, b = rows(rng, T, kw)
            return Instance(name, fam, domain, A, b, np.arange(T), x0=x0)
        features = rows(child(rng.bit_generator.seed_seq, 2), 1, kw)[0].shape[1]  # a probe of its own stream
        return stream_instance(name, fam, domain, rng, T, features, lambda brng, first, n: rows(brng, n, kw), x0=x0)

    make.generator = fn
    return ProblemSpec(name, dict(params), make, deterministic, streamed=streamed)


__all__ = ["from_generator"]
