"""Seeded synthetic online convex problems: random linear losses, the Rademacher lower-bound
instance, online classification (logistic, hinge) and regression (least squares, absolute, Huber),
and sparse bag-of-words features with dropout (Kingma & Ba §6.1's sparse-gradient setting)."""
from __future__ import annotations

import numpy as np

from .. import domains
from ..errors import require
from ..losses import Family
from .base import Instance


def _domain(kind: str, d: int, radius: float):
    if kind == "box":
        return domains.box(d, -radius, radius)
    if kind == "simplex":
        return domains.simplex(d, radius)
    return domains.make(kind, d) if kind == "unbounded" else domains.ball(d, radius)


def _check_common(d, domain, radius):
    require(isinstance(d, (int, np.integer)) and d >= 1, "d", d, "an integer ≥ 1")
    require(domain in ("box", "ball", "simplex", "unbounded"), "domain", domain,
            "one of box, ball, simplex, unbounded")
    require(radius > 0, "radius", radius, "a number > 0")


def linear(T: int, rng, d: int = 10, domain: str = "box", radius: float = 1.0, dist: str = "gaussian",
           drift: float = 0.0) -> Instance:
    """f_t(x) = ⟨a_t, x⟩ with a_t = drift·u + noise, noise Gaussian N(0, I) or Rademacher ±1, and u a
    fixed random unit vector (drift = 0: a zero-mean adversary-free stream)."""
    _check_common(d, domain, radius)
    require(dist in ("gaussian", "rademacher"), "dist", dist, "gaussian or rademacher")
    require(domain != "unbounded", "domain", domain, "a bounded domain (linear losses on R^d have no minimum)")
    noise = rng.standard_normal((T, d)) if dist == "gaussian" else rng.choice([-1.0, 1.0], size=(T, d))
    u = rng.standard_normal(d)
    u /= np.linalg.norm(u)
    A = noise + drift * u
    return Instance("linear", Family("linear"), _domain(domain, d, radius), A, np.zeros(T),
                    np.arange(T), meta={"drift_direction": u})


def rademacher(T: int, rng, d: int = 1) -> Instance:
    """Hazan, OCO book Theorem 3.2: f_t(x) = ⟨σ_t, x⟩, σ_t uniform in {±1}^d, on [−1, 1]^d.

    Every algorithm has E R_T = d·E|S_T| exactly (S_T a simple random walk)."""
    require(isinstance(d, (int, np.integer)) and d >= 1, "d", d, "an integer ≥ 1")
    A = rng.choice([-1.0, 1.0], size=(T, d))
    return Instance("rademacher", Family("linear"), domains.box(d, -1.0, 1.0), A, np.zeros(T), np.arange(T),
                    meta={"citation": "Hazan, Introduction to OCO, Theorem 3.2"})


def _teacher(rng, d, drift, T):
    """A slowly rotating teacher w*_t (drift = total rotation angle over the horizon, radians)."""
    w0 = rng.standard_normal(d)
    w0 /= np.linalg.norm(w0)
    if drift == 0 or d == 1:
        return np.broadcast_to(w0, (T, d))
    w1 = rng.standard_normal(d)
    w1 -= (w1 @ w0) * w0
    w1 /= np.linalg.norm(w1)
    ang = drift * np.arange(T) / max(T - 1, 1)
    return np.cos(ang)[:, None] * w0 + np.sin(ang)[:, None] * w1


def classification(T: int, rng, d: int = 10, loss: str = "logistic", domain: str = "ball",
                   radius: float = 5.0, l2: float = 0.0, flip: float = 0.1, drift: float = 0.0) -> Instance:
    """Online binary classification: features a_t ~ N(0, I), labels y_t = sign⟨w*_t, a_t⟩ flipped with probability ``flip``; loss logistic or hinge."""
    _check_common(d, domain, radius)
    require(loss in ("logistic", "hinge"), "loss", loss, "logistic or hinge")
    require(0 <= flip < 0.5, "flip", flip, "a probability in [0, 0.5)")
    A = rng.standard_normal((T, d))
    W = _teacher(rng, d, drift, T)
    y = np.where(np.einsum("ij,ij->i", A, W) >= 0, 1.0, -1.0)
    y[rng.random(T) < flip] *= -1.0
    if domain == "unbounded":
        require(l2 > 0, "l2", l2, "> 0 on an unbounded domain (otherwise the comparator may not exist)")
    return Instance(loss, Family(loss, l2=l2), _domain(domain, d, radius), A, y, np.arange(T))


def regression(T: int, rng, d: int = 10, loss: str = "least_squares", domain: str = "ball",
               radius: float = 2.0, noise: float = 0.5, drift: float = 0.0, l2: float = 0.0,
               delta: float = 1.0) -> Instance:
    """Online regression: a_t ~ N(0, I), b_t = ⟨w*_t, a_t⟩ + noise·N(0, 1)."""
    _check_common(d, domain, radius)
    require(loss in ("least_squares", "absolute", "huber"), "loss", loss, "least_squares, absolute or huber")
    require(noise >= 0, "noise", noise, "a number ≥ 0")
    A = rng.standard_normal((T, d))
    W = _teacher(rng, d, drift, T)
    b = np.einsum("ij,ij->i", A, W) + noise * rng.standard_normal(T)
    return Instance(loss, Family(loss, l2=l2, delta=delta), _domain(domain, d, radius), A, b, np.arange(T))


def sparse_logistic(T: int, rng, d: int = 200, words: int = 20, zipf: float = 1.1, dropout: float = 0.5,
                    radius: float = 10.0, l2: float = 0.0, docs: int = 0) -> Instance:
    """Bag-of-words-like sparse features, the sparse-gradient setting of Kingma & Ba §6.1 (IMDB with
    50% dropout noise): ``words`` word draws per document from a Zipf(``zipf``) vocabulary of size d,
    binary features, each kept with probability 1 − dropout and rescaled by 1/(1 − dropout)
    (inverted dropout), labels from a sparse teacher. ``docs`` > 0 replays that many documents in
    random order (with fresh dropout every round); 0 draws a new document each round."""
    require(isinstance(d, (int, np.integer)) and d >= 2, "d", d, "an integer ≥ 2")
    require(words >= 1, "words", words, "an integer ≥ 1")
    require(zipf > 0, "zipf", zipf, "a number > 0")
    require(0 <= dropout < 1, "dropout", dropout, "a probability in [0, 1)")
    require(docs >= 0, "docs", docs, "an integer ≥ 0")
    freq = 1.0 / np.arange(1, d + 1) ** zipf
    freq /= freq.sum()
    n_docs = docs if docs else T
    words_idx = rng.choice(d, size=(n_docs, words), p=freq)
    X = np.zeros((n_docs, d))
    np.put_along_axis(X, words_idx, 1.0, axis=1)
    teacher = np.zeros(d)
    support = rng.choice(d, size=max(2, d // 10), replace=False)
    teacher[support] = rng.standard_normal(support.size)
    y = np.where(X @ teacher >= 0, 1.0, -1.0)
    order = np.arange(T) % n_docs if docs else np.arange(T)
    if docs:
        order = rng.permutation(order)
    A = X[order]
    if dropout:
        A = A * (rng.random(A.shape) >= dropout) / (1.0 - dropout)
    return Instance("sparse-logistic", Family("logistic", l2=l2), domains.ball(d, radius), A, y[order],
                    np.arange(T), meta={"citation": "Kingma & Ba 2015, §6.1 (sparse features, dropout)"})
