"""f_t(x) and a (sub)gradient in plain numpy, written from the table of :mod:`regret.losses` again
(not from its compiled code): the loss of the exact, slow path, and the test oracle of the engine's.
"""
from __future__ import annotations

import math

import numpy as np


def _logistic_value_grad_coef(margin):
    """log(1 + e^{−m}) and its derivative −σ(−m) = −1/(1 + e^{m}), without overflow."""
    value = float(np.logaddexp(0.0, -margin))
    if margin >= 0:
        em = math.exp(-margin)
        dval = -em / (1.0 + em)
    else:
        dval = -1.0 / (1.0 + math.exp(margin))
    return value, dval


def loss_value_grad(family, a, b, x):
    """f(x; a, b) and a (sub)gradient for the family (name + l2, classes, delta) of regret.losses.

    | linear | ⟨a, x⟩ |
    | least_squares | ½(⟨a, x⟩ − b)² |
    | logistic | log(1 + exp(−b⟨a, x⟩)) |
    | multiclass | logsumexp(W a) − (W a)_b, W = x reshaped K × p (row-major) |
    | hinge | max(0, 1 − b⟨a, x⟩), subgradient 0 at the kink |
    | absolute | |⟨a, x⟩ − b|, subgradient 0 at the kink |
    | huber | ½r² if |r| ≤ δ else δ(|r| − δ/2) |
    | zhang | b·z for z ≥ −1, b·((z + 2)²/2 − 3/2) below (Zhang et al. 2022, eq. 2.5) |
    plus (l2/2)‖x‖².
    """
    name = family.name
    a = np.asarray(a, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if name == "multiclass":
        K = family.classes
        p = a.shape[0]
        W = x.reshape(K, p)
        z = W @ a
        zmax = float(np.max(z))
        lse = zmax + math.log(float(np.sum(np.exp(z - zmax))))
        label = int(b)
        f = lse - float(z[label])
        soft = np.exp(z - lse)
        soft[label] -= 1.0
        g = np.outer(soft, a).ravel()
    else:
        z = float(np.dot(a, x))
        if name == "linear":
            f, dz = z, 1.0
        elif name == "least_squares":
            r = z - b
            f, dz = 0.5 * r * r, r
        elif name == "logistic":
            f, dm = _logistic_value_grad_coef(b * z)
            dz = b * dm
        elif name == "hinge":
            slack = 1.0 - b * z
            f, dz = (slack, -b) if slack > 0 else (0.0, 0.0)
        elif name == "absolute":
            r = z - b
            f, dz = abs(r), float(np.sign(r))
        elif name == "huber":
            r = z - b
            delta = family.delta
            if abs(r) <= delta:
                f, dz = 0.5 * r * r, r
            else:
                f, dz = delta * (abs(r) - 0.5 * delta), math.copysign(delta, r)
        elif name == "zhang":
            if z >= -1.0:
                f, dz = b * z, b
            else:
                f, dz = b * ((z + 2.0) ** 2 / 2.0 - 1.5), b * (z + 2.0)
        else:
            raise AssertionError(f"unknown family {name}")
        g = dz * a
    if family.l2:
        f += 0.5 * family.l2 * float(np.dot(x, x))
        g = g + family.l2 * x
    return float(f), np.array(g, dtype=np.float64)


__all__ = ["loss_value_grad"]
