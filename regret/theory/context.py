"""What a theorem reads from a run: the numbers behind each symbol of :mod:`.symbols`.

A :class:`Context` wraps a :class:`regret.RunResult` and answers "what is the value of this symbol
in this run?" — a scalar (α, β1, d, …), an (S, K) array over seeds and checkpoints (G∞ measured up
to T', the regret R(T')), or :class:`Unavailable` with the reason (a statistic that needs a record
the run was not made with).

Diameters. The theorems are stated for constants D, D∞ that satisfy their boundedness hypotheses;
the bound is increasing in them, so the smallest admissible value gives the sharpest test.
* ``diameters="domain"``: D, D∞ are the feasible set's diameters (what Reddi et al., Zinkevich and
  Hazan assume, and what bounds the distance to the comparator x* that every proof needs);
* ``diameters="observed"``: the extent of the played points x_1..x_{T'} together with the computed
  comparator x̂*_{T'}: exact for ℓ∞; for ℓ2 the smaller of the diagonal of their bounding box and
  the domain's diameter (both bound max ‖x_m − x_n‖₂ from above);
* ``"auto"`` (default): the domain's when it is bounded, the observed extent otherwise.

Gradient bounds G, G∞ are the maxima of ‖g_t‖₂, ‖g_t‖∞ over the rounds t ≤ T' of the run: the
proofs of every upper bound here use the gradients only at the played points (g_t = ∇f_t(x_t)),
so these are admissible constants (and for linear losses they equal the sup over the domain).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from .. import losses as _losses
from ..errors import require
from . import symbols as Q


class Unavailable(Exception):
    """A quantity cannot be computed from this run (the message says why and how to get it)."""


DIAMETER_MODES = ("auto", "domain", "observed")


def parse_label(label: str) -> tuple[str, dict]:
    """'reddi:C=3,period=3' → ('reddi', {'C': 3, 'period': 3}); the inverse of ProblemSpec.label()."""
    name, _, rest = str(label).partition(":")
    params = {}
    if rest:
        for item in rest.split(","):
            key, _, value = item.partition("=")
            params[key.strip()] = _value(value.strip())
    return name.strip(), params


def _value(text: str):
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


class Context:
    """The values of the theorems' symbols in one run (see the module docstring)."""

    def __init__(self, run, diameters: str = "auto"):
        require(diameters in DIAMETER_MODES, "diameters", diameters, f"one of {list(DIAMETER_MODES)}")
        self.run = run
        self.opt = run.optimizer
        self.domain = run.domain_obj
        self.problem_name, params = parse_label(run.problem)
        self.problem_params = self._problem_defaults()
        self.problem_params.update(params)
        if diameters == "auto":
            diameters = "domain" if self.domain is not None and self.domain.bounded else "observed"
        self.diameters = diameters
        self.S, self.K = run.learner_loss.shape

    def _problem_defaults(self) -> dict:
        from ..problems import parameters

        try:
            return dict(parameters(self.problem_name))
        except ValueError:
            return {}

    # -- hyperparameters ---------------------------------------------------------------------------
    def hp(self, name: str, default=None):
        v = getattr(self.opt, name, default)
        return v

    @property
    def T(self) -> np.ndarray:
        """(1, K) the checkpoints as floats."""
        return self.run.checkpoints[None, :].astype(np.float64)

    def alphas(self) -> np.ndarray:
        """α_1..α_T of the run's schedule."""
        return self.opt.alphas(self.run.T)

    # -- diameters ---------------------------------------------------------------------------------
    @functools.cached_property
    def _extent(self):
        lo, hi = self.run.x_min, self.run.x_max  # (S, K, d)
        if self.run.comparator is not None:
            xs = self.run.x_star
            lo, hi = np.minimum(lo, xs), np.maximum(hi, xs)
        return lo, hi

    def observed_D(self) -> np.ndarray:
        """(S, K) an upper bound on max ‖x_m − x_n‖₂ over the played points and x*: the smaller of
        the diagonal of their bounding box and the domain's diameter (both are upper bounds)."""
        lo, hi = self._extent
        box = np.linalg.norm(hi - lo, axis=-1)
        dom = self.domain.diameter if self.domain is not None else np.inf
        return np.minimum(box, dom)

    def observed_D_inf(self) -> np.ndarray:
        lo, hi = self._extent
        return (hi - lo).max(axis=-1)

    def diameter(self, which: str):
        if self.diameters == "domain":
            return self.domain.diameter if which == "l2" else self.domain.diameter_inf
        return self.observed_D() if which == "l2" else self.observed_D_inf()

    # -- the symbol table ----------------------------------------------------------------------------
    @functools.cached_property
    def base_values(self) -> dict:
        opt = self.opt
        b1 = float(getattr(opt, "beta1", 0.0))
        vals = {
            Q.T: self.T, Q.d: float(self.run.d), Q.alpha: float(opt.alpha), Q.eta: float(opt.alpha),
            Q.beta1: b1, Q.beta2: float(getattr(opt, "beta2", 0.0)), Q.lam: float(getattr(opt, "lam", 1.0)),
            Q.eps: float(getattr(opt, "eps", 0.0)), Q.delta: float(getattr(opt, "eps", 0.0)),
            Q.G: self.run.G, Q.G_inf: self.run.G_inf,
            Q.D: self.diameter("l2"), Q.D_inf: self.diameter("inf"),
        }
        if "C" in self.problem_params:
            vals[Q.C] = float(self.problem_params["C"])
        return vals

    # -- per-round records -------------------------------------------------------------------------
    def vhat_history(self) -> np.ndarray:
        """(S, T, d) v̂_t for every round (needs ``record_state=True``)."""
        if self.run.vhat_history is None:
            raise Unavailable("needs v̂_t for every round t: run with record_state=True")
        return self.run.vhat_history

    @functools.cached_property
    def gradients(self) -> np.ndarray:
        """(S, T, d) g_t = ∇f_t(x_t), recomputed from the recorded iterates and the run's instances
        (regenerated from the problem's name for a result that does not carry them) with the
        engine's own compiled value_grad (needs ``record_iterates=True``)."""
        run = self.run
        if run.iterates is None:
            raise Unavailable("needs the iterates x_t: run with record_iterates=True")
        insts = run.instances
        if insts is None:
            from ..engine import instances
            from ..problems import problem as make_problem

            try:
                spec = make_problem(self.problem_name, **parse_label(run.problem)[1])
            except ValueError as exc:
                raise Unavailable(f"cannot regenerate the problem {run.problem!r} to recompute g_t ({exc})") from None
            insts = instances(spec, run.T, list(run.seeds))
        out = np.zeros((self.S, run.T, run.d))
        for j, inst in enumerate(insts):
            fam, A, b, idx = inst.family, inst.A, inst.b, inst.round_rows(0, run.T)
            lp = fam.params
            X = run.iterates[j]
            for s in range(run.T):
                _losses.value_grad(fam.code, lp, A, idx[s], b, X[s], out[j, s])
        return out


def expected_abs_walk(T) -> np.ndarray:
    """E|S_T| for a simple ±1 random walk: 2m·C(2m, m)/4^m with m = ⌈T/2⌉ (docs/sources.md §S5, exact;
    evaluated in log-space with lgamma, relative error ~1e-13)."""
    T = np.asarray(T, dtype=np.float64)
    m = np.ceil(T / 2.0)
    flat = [2.0 * mm * math.exp(math.lgamma(2 * mm + 1) - 2 * math.lgamma(mm + 1) - mm * math.log(4.0))
            for mm in m.ravel()]
    return np.asarray(flat).reshape(m.shape)
