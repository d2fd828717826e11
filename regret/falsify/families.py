"""The loss sequences `regret falsify` searches: parametrized families of linear losses
f_t(x) = a_t·x on X = [−1, 1] (the one-dimensional setting of Reddi et al.'s counterexamples, where a
theorem's constants D = D∞ = 2 and G = G∞ = max|a_t| are the smallest), each a point θ of a box.

| family | θ | a_t |
| --- | --- | --- |
| periodic | P ∈ 1..8, c_1..c_8 ∈ [−1, 1], s, x_1 | s·c_{(t−1) mod P + 1} |
| spikes | k ∈ 2..64, h ∈ [0, 30], β ∈ [−1, 1], s, x_1 | s·h when (t−1) mod k = 0, else s·β |
| geometric | P ∈ 1..4, c_1..c_4 ∈ [−1, 1], u ∈ [−3, 3], s, x_1 | s·c_{(t−1) mod P + 1}·10^{u(t−1)/(T−1)} |
| mixture | p ∈ [0, 1], h ∈ [0, 30], β ∈ [−1, 1], s, x_1 | s·h with probability p, else s·β (i.i.d., seed 0) |
| adaptive | h, β ∈ [−30, 30], τ ∈ [−1, 1], s, x_1 | s·h when x_t ≥ τ, else s·β (chosen from x_t, in the run) |

with the scale s = 10^σ, σ ∈ [−1, 1.5], and x_1 the first point. The periodic and spike families are
stored as one period (their memory does not grow with T); the others as their T rows. The adaptive
family is an :class:`~regret.problems.Adversary` (its rows are written during the run and kept, so
the comparator and the replay see the sequence that was played). No family
contains a named counterexample: Reddi et al.'s sequence (C, −1, −1) is one point among the periodic
and spike families' continuum, which the search has to find.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import domains
from ..losses import Family as LossFamily
from ..problems import Instance

DOMAIN = domains.box(1, -1.0, 1.0)
LINEAR = LossFamily("linear")
SCALE = (-1.0, 1.5)  # log10 of the gradient scale s
START = (-1.0, 1.0)  # x_1


@dataclass(frozen=True)
class SequenceFamily:
    """One family: its parameters (names, box bounds, which are integers), how θ becomes an
    :class:`~regret.problems.Instance` of T rounds, and how θ reads in words."""

    name: str
    names: tuple
    bounds: tuple
    integers: tuple
    build: Callable  # (theta, T) -> Instance (an Adversary for an adaptive family)
    words: Callable  # theta -> str
    adaptive: bool = False  # the loss of round t is chosen from x_t, inside the run

    def instance(self, theta, T: int) -> Instance:
        return self.build(np.asarray(theta, dtype=np.float64), int(T))

    def describe(self, theta) -> str:
        return self.words(np.asarray(theta, dtype=np.float64))


def _g(v: float) -> str:
    return f"{v:.4g}"


def _periodic(rows: np.ndarray, T: int, x1: float, name: str) -> Instance:
    P = rows.shape[0]
    return Instance(name, LINEAR, DOMAIN, rows.reshape(P, 1), np.zeros(P), np.arange(P), x0=np.array([x1]),
                    rounds=T)


# -- periodic -------------------------------------------------------------------------------------
def _periodic_build(th, T):
    P = int(round(th[0]))
    return _periodic(10.0 ** th[9] * th[1:1 + P], T, th[10], "falsify-periodic")


def _periodic_words(th):
    P = int(round(th[0]))
    s = 10.0 ** th[9]
    return (f"period {P}: a_t = ({', '.join(_g(s * c) for c in th[1:1 + P])}) repeating, "
            f"f_t(x) = a_t·x on [−1, 1], x_1 = {_g(th[10])}")


PERIODIC = SequenceFamily(
    "periodic", ("P",) + tuple(f"c{i}" for i in range(1, 9)) + ("log10_scale", "x1"),
    ((1, 8),) + ((-1.0, 1.0),) * 8 + (SCALE, START), (True,) + (False,) * 10, _periodic_build, _periodic_words)


# -- spikes ---------------------------------------------------------------------------------------
def _spike_rows(th):
    k = int(round(th[0]))
    rows = np.full(k, th[2])
    rows[0] = th[1]
    return 10.0 ** th[3] * rows


def _spikes_build(th, T):
    return _periodic(_spike_rows(th), T, th[4], "falsify-spikes")


def _spikes_words(th):
    k, s = int(round(th[0])), 10.0 ** th[3]
    return (f"a spike every {k} rounds: a_t = {_g(s * th[1])} when (t−1) mod {k} = 0, else {_g(s * th[2])}; "
            f"f_t(x) = a_t·x on [−1, 1], x_1 = {_g(th[4])}")


SPIKES = SequenceFamily(
    "spikes", ("k", "h", "base", "log10_scale", "x1"), ((2, 64), (0.0, 30.0), (-1.0, 1.0), SCALE, START),
    (True, False, False, False, False), _spikes_build, _spikes_words)


# -- geometric ------------------------------------------------------------------------------------
def _geometric_build(th, T):
    P = int(round(th[0]))
    t = np.arange(T)
    a = 10.0 ** th[6] * th[1:1 + P][t % P] * 10.0 ** (th[5] * t / max(T - 1, 1))
    return Instance("falsify-geometric", LINEAR, DOMAIN, a.reshape(T, 1), np.zeros(T), np.arange(T),
                    x0=np.array([th[7]]))


def _geometric_words(th):
    P = int(round(th[0]))
    s = 10.0 ** th[6]
    return (f"a_t = ({', '.join(_g(s * c) for c in th[1:1 + P])}) repeating with period {P}, times "
            f"10^({_g(th[5])}·(t−1)/(T−1)) (the gradient scale grows by a factor 10^{_g(th[5])} over the horizon); "
            f"f_t(x) = a_t·x on [−1, 1], x_1 = {_g(th[7])}")


GEOMETRIC = SequenceFamily(
    "geometric", ("P", "c1", "c2", "c3", "c4", "log10_growth", "log10_scale", "x1"),
    ((1, 4),) + ((-1.0, 1.0),) * 4 + ((-3.0, 3.0), SCALE, START), (True,) + (False,) * 7,
    _geometric_build, _geometric_words)


# -- mixture --------------------------------------------------------------------------------------
def _mixture_build(th, T):
    u = np.random.default_rng(0).random(T)  # one fixed draw: the objective of θ is deterministic
    a = 10.0 ** th[3] * np.where(u < th[0], th[1], th[2])
    return Instance("falsify-mixture", LINEAR, DOMAIN, a.reshape(T, 1), np.zeros(T), np.arange(T),
                    x0=np.array([th[4]]))


def _mixture_words(th):
    s = 10.0 ** th[3]
    return (f"a_t = {_g(s * th[1])} with probability {_g(th[0])}, else {_g(s * th[2])} (i.i.d., numpy seed 0); "
            f"f_t(x) = a_t·x on [−1, 1], x_1 = {_g(th[4])}")


MIXTURE = SequenceFamily(
    "mixture", ("p", "h", "base", "log10_scale", "x1"), ((0.0, 1.0), (0.0, 30.0), (-1.0, 1.0), SCALE, START),
    (False,) * 5, _mixture_build, _mixture_words)


# -- adaptive ---------------------------------------------------------------------------------------
def threshold_choose(t, x, params, state, A, b, row):
    """The threshold adversary: a_t = s·h when x_t ≥ τ, else s·β (params = h, β, τ, s)."""
    A[row, 0] = params[3] * (params[0] if x[0] >= params[2] else params[1])


def _adaptive_build(th, T):
    from ..problems import Adversary

    return Adversary("falsify-adaptive", LINEAR, DOMAIN, threshold_choose,
                     params={"h": float(th[0]), "base": float(th[1]), "tau": float(th[2]), "s": float(10.0 ** th[3])},
                     x0=np.array([th[4]]))


def _adaptive_words(th):
    s = 10.0 ** th[3]
    return (f"a_t = {_g(s * th[0])} when x_t ≥ {_g(th[2])}, else {_g(s * th[1])} (chosen from x_t); "
            f"f_t(x) = a_t·x on [−1, 1], x_1 = {_g(th[4])}")


ADAPTIVE = SequenceFamily(
    "adaptive", ("h", "base", "tau", "log10_scale", "x1"), ((-30.0, 30.0), (-30.0, 30.0), (-1.0, 1.0), SCALE, START),
    (False,) * 5, _adaptive_build, _adaptive_words, adaptive=True)


FAMILIES = {f.name: f for f in (PERIODIC, SPIKES, GEOMETRIC, MIXTURE, ADAPTIVE)}

__all__ = ["SequenceFamily", "FAMILIES", "PERIODIC", "SPIKES", "GEOMETRIC", "MIXTURE", "DOMAIN"]
