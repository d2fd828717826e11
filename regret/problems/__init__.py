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
| orthogonal | the orthogonal adversary (adaptive; d ≥ 3): R_T = r G √T for every deterministic learner |
| zhang | Zhang et al. (NeurIPS 2022) function (2.5): n components c_i·h, random reshuffling; Adam's (β1, β2) phase diagram |

Your own: :func:`from_arrays` (one fixed sequence), :func:`from_generator` (a distribution: a
function of (rng, T), a different sequence per seed), and ``problem("file.py:NAME")`` /
``--problem file.py:NAME`` for a :class:`ProblemSpec` a file or module defines.
"""
from __future__ import annotations

import dataclasses
import inspect
import math

import numpy as np

from ..errors import InvalidInput, did_you_mean, require
from . import data, reddi, synthetic, zhang
from .base import Instance, ProblemSpec, seed_sequence
from .data import from_arrays
from .adversary import Adversary
from .generated import from_generator
from .orthogonal import orthogonal

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
    "zhang": (zhang.zhang, {}, False),
}
# adaptive adversaries (the loss of round t chosen from x_t): name -> constructor
_ADVERSARIES = {"orthogonal": orthogonal}
PROBLEMS = tuple(_GENERATORS)  # fixed in advance (seeded); ADVERSARIES: chosen during the run
ADVERSARIES = tuple(_ADVERSARIES)


def parameters(name: str) -> dict:
    """The parameters a named problem accepts, with their defaults."""
    if name in _ADVERSARIES:
        return {k: p.default for k, p in inspect.signature(_ADVERSARIES[name]).parameters.items()}
    require(name in _GENERATORS, "problem", name,
            lambda: f"one of {sorted(PROBLEMS + ADVERSARIES)}{did_you_mean(name, PROBLEMS + ADVERSARIES)}")
    fn, fixed, _ = _GENERATORS[name]
    sig = inspect.signature(fn)
    out = {k: p.default for k, p in list(sig.parameters.items())[2:]}
    out.update(fixed)
    return out


def problem(name: str, **params):
    """A problem spec by name, e.g. ``problem("reddi", C=3)`` or ``problem("logistic", d=20)``."""
    if isinstance(name, (ProblemSpec, Adversary)):
        return name
    if isinstance(name, str) and ":" in name:  # a spec of one's own: FILE.py:NAME or module:NAME
        from ..user_code import import_attribute

        spec = import_attribute(name, "problem")
        if isinstance(spec, Adversary):
            require(not params, "problem", name, "no parameters for an Adversary object (build it with them)")
            return spec
        require(isinstance(spec, ProblemSpec), "problem", name,
                "a ProblemSpec (regret.problems.from_generator) or an Adversary")
        return _with_params(spec, params)
    if name in _ADVERSARIES:
        _check_params(name, params, fixed={}, finite=False)  # its constructor names orthogonal.G etc.
        return _ADVERSARIES[name](**params)
    require(isinstance(name, str) and name in _GENERATORS, "problem", name,
            lambda: f"one of {sorted(PROBLEMS + ADVERSARIES)}, or FILE.py:NAME / module:NAME of your own"
                    f"{did_you_mean(name, PROBLEMS + ADVERSARIES)}")
    fn, fixed, deterministic = _GENERATORS[name]
    _check_params(name, params, fixed)
    return ProblemSpec(name, dict(params), _Generator(fn, fixed), deterministic, streamed=fn in synthetic.STREAMED)


class _Generator:
    """A named problem's generator with its fixed parameters (``functools.partial``-like: ``func``,
    ``keywords``). A whole number given for a parameter whose default is a float (``zipf=16`` from the
    command line) reaches the generator as a float — as an int, ``arange(1, d + 1) ** zipf`` would
    overflow int64 — while the spec keeps it as given, so its label and its seeds do not change."""

    def __init__(self, func, fixed: dict):
        self.func, self.keywords = func, dict(fixed)
        defaults = parameters_of(func)
        self.floats = {k for k, v in defaults.items() if isinstance(v, float) and not isinstance(v, bool)}

    def __call__(self, T, rng, **params):
        for k, v in params.items():
            if k in self.floats and isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
                params[k] = float(v)
        return self.func(T, rng, **self.keywords, **params)


def parameters_of(fn) -> dict:
    """The parameters of a generator after (T, rng), with their defaults."""
    return {k: p.default for k, p in list(inspect.signature(fn).parameters.items())[2:]}


def _check_params(name: str, params: dict, fixed: dict, finite: bool = True) -> None:
    """Every parameter is one the named problem takes (and does not fix), of its default's kind."""
    allowed = parameters(name)
    free = sorted(set(allowed) - set(fixed))
    for k, v in params.items():
        require(k in allowed and k not in fixed, f"{name} parameter", k,
                lambda: f"one of {free}" + (f" ({k} is fixed by {name})" if k in fixed else did_you_mean(k, free)))
        _check_type(k, v, allowed[k], finite)


def check(spec, T: int = 1) -> None:
    """Run every check a problem makes of its parameters and data before any work: build its instance
    of seed 0 — at the horizon T for Reddi's sequences and .npz files (one period or the file is stored,
    whatever T: this also checks T against the rounds the file holds; a streamed sequence draws one
    block), at a few rounds for a sequence drawn whole — and
    check the scale of its losses at T (:func:`regret.problems.base.check_scale`). An error is the
    InvalidInput the run itself would raise, naming the parameter; nothing is returned."""
    if isinstance(spec, Adversary):
        return  # built and checked by its constructor
    require(isinstance(spec, ProblemSpec), "problem", spec, "a ProblemSpec or an Adversary")
    T = int(T)
    rows = T
    # one period / the file / a stream's first block, whatever T
    whole = getattr(spec, "streamed", False) or getattr(spec.make, "func", None) in (reddi.reddi, data.npz)
    if not whole:  # a sample of the stream: 16 rounds, or 1 when a round is wide
        d = spec.params.get("d")
        rows = min(T, 1 if isinstance(d, (int, np.integer)) and d > 2 ** 20 else 16)
    try:
        inst = spec.instance(rows, 0)
    except MemoryError:
        raise InvalidInput("problem", spec.label(), "a problem whose data fit in the memory available") from None
    if not whole and T > inst.T and inst.idx.size:
        # the losses of T rounds: the scale check of Instance at T, over the rows of the sample
        dataclasses.replace(inst, rounds=T, meta={})


def catalogue() -> str:
    """The Markdown table of every named problem and adversary with its parameters and defaults,
    from the generators' own signatures (docs/cli.md holds it; a test keeps the two equal)."""
    rows = ["| name | what | parameters (defaults) |", "| --- | --- | --- |"]
    for name in PROBLEMS + ADVERSARIES:
        fn = _ADVERSARIES[name] if name in _ADVERSARIES else _GENERATORS[name][0]
        what = (inspect.getdoc(fn) or "").split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
        fixed = {} if name in _ADVERSARIES else _GENERATORS[name][1]
        params = ", ".join(f"`{k}={v!r}`" for k, v in parameters(name).items() if k not in fixed) or "—"
        rows.append(f"| `{name}` | {what} | {params} |")
    return "\n".join(rows) + "\n"


def _with_params(spec: ProblemSpec, params: dict) -> ProblemSpec:
    """``spec`` with some of its parameters changed (those its generator accepts)."""
    if not params:
        return spec
    import dataclasses

    merged = {**spec.params, **params}
    generator = getattr(spec.make, "generator", None)  # from_generator's function: its signature decides
    if generator is not None:
        try:
            inspect.signature(generator).bind(None, 1, **merged)
        except TypeError as e:
            raise InvalidInput(f"{spec.name} parameters", sorted(params), f"parameters {generator.__name__} "
                                                                          f"accepts ({e})") from None
    return dataclasses.replace(spec, params=merged)


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond float64
        return False


def _check_type(key: str, value, default, finite: bool = True) -> None:
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
        require(not finite or _finite(value), key, value, "a finite number")
    elif isinstance(default, str):
        require(isinstance(value, str), key, value, "a string")


__all__ = ["Instance", "ProblemSpec", "Adversary", "problem", "parameters", "check", "catalogue", "from_arrays", "from_generator",
           "orthogonal", "seed_sequence", "PROBLEMS", "ADVERSARIES"]
