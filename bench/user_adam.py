"""Adam's arithmetic written as a user writes an optimizer: a plain Python function of one
coordinate, outside the table of built-ins, compiled by regret into its own copy of the loops
(regret/engine/kernel_set.py). `python -m bench --only user` times it beside the built-in Adam."""
from __future__ import annotations

import math
from dataclasses import dataclass

import regret


def update(m, v, g, alpha_t, beta1_t, beta2, eps, bc1, bc2):
    """Kingma & Ba, Algorithm 1, with the bias corrections the engine supplies (bc1 = 1 − β1^t), each
    applied as the round's reciprocal, as the built-in applies them (one division per coordinate)."""
    m = beta1_t * m + (1.0 - beta1_t) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    den = math.sqrt(v * (1.0 / bc2)) + eps
    return m, v, -alpha_t * (m * (1.0 / bc1)) / den


def weight(v, bc2, eps):
    return math.sqrt(v * (1.0 / bc2)) + eps


def second_moment(v, bc2):
    return v * (1.0 / bc2)


@dataclass(frozen=True, eq=False, repr=False)
class UserAdam(regret.Optimizer):
    name = "user_adam"
    state = ("m", "v")
    update = update
    weight = weight
    second_moment = second_moment
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    bias_correction: bool = True
    lam: float = 1.0
    schedule: object = "constant"
