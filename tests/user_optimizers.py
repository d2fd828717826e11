"""Algorithms written as a user writes them, outside the package, for the tests of the open door.

``UserAdam`` is Kingma & Ba's Algorithm 1 transcribed again from the paper (constant β1, bias
corrections computed from t in every round, ε outside the root), in plain Python, dividing by
1 − β^t as the built-in does: times the round's reciprocal; ``SignSGD`` is a
throw-away algorithm (x ← Π_X(x − α_t sign(g))) with a compiled update; ``ArrayAdam`` is Algorithm 1 on
numpy arrays (the exact, slow path, regret.ArrayOptimizer), and two classes break that protocol.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from numba import njit

import numpy as np

from regret import ArrayOptimizer, Optimizer


def adam_update(m, v, g, alpha_t, t, beta1, beta2, eps):
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m * (1.0 / (1.0 - beta1 ** t))
    v_hat = v * (1.0 / (1.0 - beta2 ** t))
    return m, v, -alpha_t * m_hat / (math.sqrt(v_hat) + eps)


def adam_weight(v, t, beta2, eps):
    return math.sqrt(v * (1.0 / (1.0 - beta2 ** t))) + eps


def adam_second_moment(v, t, beta2):
    return v * (1.0 / (1.0 - beta2 ** t))


@dataclass(frozen=True, eq=False, repr=False)
class UserAdam(Optimizer):
    """Kingma & Ba (ICLR 2015) Algorithm 1, as a user would write it."""

    name = "user_adam"
    state = ("m", "v")
    update = adam_update
    weight = adam_weight
    second_moment = adam_second_moment
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    schedule: object = "constant"


@njit(inline="always")
def sign_update(g, alpha_t):
    return -alpha_t * ((g > 0.0) - (g < 0.0))


@dataclass(frozen=True, eq=False, repr=False)
class SignSGD(Optimizer):
    """x ← Π_X(x − α_t sign(g_t)): a throw-away algorithm with no state."""

    name = "sign_sgd"
    update = sign_update
    alpha: float = 0.1
    schedule: object = "sqrt"


@dataclass(frozen=True, eq=False, repr=False)
class ArrayAdam(ArrayOptimizer):
    """Kingma & Ba's Algorithm 1 on numpy arrays, as a first prototype is written (no compiling)."""

    name = "array_adam"
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    schedule: object = "constant"

    def init(self, d):
        return {"m": np.zeros(d), "v": np.zeros(d)}

    def update(self, state, g, t, alpha_t):
        m = self.beta1 * state["m"] + (1.0 - self.beta1) * g
        v = self.beta2 * state["v"] + (1.0 - self.beta2) * g * g
        new = {"m": m, "v": v}
        return -alpha_t * (m / (1.0 - self.beta1 ** t)) / self.weight(new, t), new

    def weight(self, state, t):
        return np.sqrt(state["v"] / (1.0 - self.beta2 ** t)) + self.eps

    def second_moment(self, state, t):
        return state["v"] / (1.0 - self.beta2 ** t)


@dataclass(frozen=True, eq=False, repr=False)
class ArrayNoUpdate(ArrayOptimizer):
    """Breaks the array protocol: no update."""

    name = "array_no_update"
    alpha: float = 0.1
    schedule: object = "constant"

    def init(self, d):
        return {}


@dataclass(frozen=True, eq=False, repr=False)
class ArrayWrongShape(ArrayOptimizer):
    """Returns a step of the wrong shape."""

    name = "array_wrong_shape"
    alpha: float = 0.1
    schedule: object = "constant"

    def init(self, d):
        return {}

    def update(self, state, g, t, alpha_t):
        return np.zeros(g.shape[0] + 1), state
