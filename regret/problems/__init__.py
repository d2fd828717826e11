"""Named, seeded generators of online convex problems (see each generator's docstring).

    >>> import regret
    >>> spec = regret.problem("reddi", C=3)
    >>> inst = spec.instance(T=1000, seed=0)

| name | what |
| --- | --- |
| reddi | Reddi et al. Theorem 1 / Figure 1 (online): C·x every k-th round, else −s·x, on [−1, 1] |
| reddi-fig1 | the same with Figure 1's C = 1010, s = 10, k = 101 |
| reddi-stochastic | Reddi et al. Theorem 3 / Figure 1 (stochastic) |
| linear | random linear losses on a box, ball or simplex (Gaussian / Rademacher, optional drift) |
| rademacher | Hazan Thm 3.2's lower-bound instance: ⟨σ_t, x⟩, σ_t ∈ {±1}^d, on [−1, 1]^d |
| logistic, hinge | online binary classification (dense Gaussian features) |
| sparse-logistic | bag-of-words features, Zipf frequencies, 50% dropout (Kingma & Ba §6.1) |
| digits | multiclass logistic regression on scikit-learn's digits (Kingma & Ba §6.1 analogue) |
| least_squares, absolute, huber | online regression |
| npz | a user file (format in :mod:`regret.problems.data`) |
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

from ..errors import require
from . import data, reddi, synthetic
from .base import Instance, ProblemSpec, seed_sequence
from .data import from_arrays

_GENERATORS = {
    "reddi": (reddi.reddi, {}, True),
    "reddi-fig1": (reddi.reddi, {"C": 1010.0, "period": 101, "s": 10.0}, True),
    "reddi-stochastic": (reddi.reddi_stochastic, {}, False),
    "linear": (synthetic.linear, {}, False),
    "rademacher": (synthetic.rademacher, {}, False),
    "logistic": (synthetic.classification, {"loss": "logistic"}, False),
    "hinge": (synthetic.classification, {"loss": "hinge"}, False),
    "sparse-logistic": (synthetic.sparse_logistic, {}, False),
    "digits": (data.digits, {}, False),
    "least_squares": (synthetic.regression, {"loss": "least_squares"}, False),
    "absolute": (synthetic.regression, {"loss": "absolute"}, False),
    "huber": (synthetic.regression, {"loss": "huber"}, False),
    "npz": (data.npz, {}, True),
}
PROBLEMS = tuple(_GENERATORS)


def parameters(name: str) -> dict:
    """The parameters a named problem accepts, with their defaults."""
    require(name in _GENERATORS, "problem", name, f"one of {sorted(_GENERATORS)}")
    fn, fixed, _ = _GENERATORS[name]
    sig = inspect.signature(fn)
    out = {k: p.default for k, p in list(sig.parameters.items())[2:]}
    out.update(fixed)
    return out


def problem(name: str, **params) -> ProblemSpec:
    """A problem spec by name, e.g. ``problem("reddi", C=3)`` or ``problem("logistic", d=20)``."""
    if isinstance(name, ProblemSpec):
        return name
    require(name in _GENERATORS, "problem", name, f"one of {sorted(_GENERATORS)}")
    fn, fixed, deterministic = _GENERATORS[name]
    allowed = parameters(name)
    for k, v in params.items():
        require(k in allowed and k not in fixed, f"{name} parameter", k,
                f"one of {sorted(set(allowed) - set(fixed))}")
        _check_type(k, v, allowed[k])
    return ProblemSpec(name, dict(params), functools.partial(fn, **fixed), deterministic)


def _check_type(key: str, value, default) -> None:
    """A parameter has the kind of its default (an int for an int, a number for a float or None, a
    string for a string), so that the generators' range checks compare numbers with numbers."""
    real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    if isinstance(default, bool):
        require(isinstance(value, (bool, np.bool_)), key, value, "true or false")
    elif isinstance(default, int):
        require(isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)), key, value,
                "an integer")
    elif isinstance(default, float) or default is None:
        require(real, key, value, "a number")
    elif isinstance(default, str):
        require(isinstance(value, str), key, value, "a string")


__all__ = ["Instance", "ProblemSpec", "problem", "parameters", "from_arrays", "seed_sequence", "PROBLEMS"]
