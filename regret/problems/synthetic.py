"""Seeded synthetic online convex problems: random linear losses, the Rademacher lower-bound
instance, online classification (logistic, hinge) and regression (least squares, absolute, Huber),
and sparse bag-of-words features with dropout (Kingma & Ba §6.1's sparse-gradient setting).

Each is a :class:`~regret.problems.stream.StreamInstance`: what the whole sequence shares (a drift
direction, a teacher, a vocabulary) is drawn once from the instance's generator, and the rows of the
rounds block by block (:mod:`regret.problems.stream`), so that no run stores T rows.
"""
from __future__ import annotations

import numpy as np

from .. import domains
from ..errors import require
from ..losses import Family
from .base import Instance
from .stream import child, stream_instance


def _signs(rng, shape) -> np.ndarray:
    """Rademacher ±1 entries."""
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


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
    u = rng.standard_normal(d)
    u /= np.linalg.norm(u)

    def draw(brng, first, n):
        noise = brng.standard_normal((n, d)) if dist == "gaussian" else _signs(brng, (n, d))
        return (noise + drift * u if drift else noise), np.zeros(n)

    return stream_instance("linear", Family("linear"), _domain(domain, d, radius), rng, T, d, draw,
                           meta={"drift_direction": u})


def rademacher(T: int, rng, d: int = 1) -> Instance:
    """Hazan, OCO book Theorem 3.2: f_t(x) = ⟨σ_t, x⟩, σ_t uniform in {±1}^d, on [−1, 1]^d.

    Every algorithm has E R_T = d·E|S_T| exactly (S_T a simple random walk)."""
    require(isinstance(d, (int, np.integer)) and d >= 1, "d", d, "an integer ≥ 1")
    return stream_instance("rademacher", Family("linear"), domains.box(d, -1.0, 1.0), rng, T, d,
                           lambda brng, first, n: (_signs(brng, (n, d)), np.zeros(n)),
                           meta={"citation": "Hazan, Introduction to OCO, Theorem 3.2"})


def _teacher(rng, d, drift, T):
    """A slowly rotating teacher: rows(first, n) -> w*_t of rounds first+1..first+n (drift = total
    rotation angle over the horizon, radians)."""
    w0 = rng.standard_normal(d)
    w0 /= np.linalg.norm(w0)
    if drift == 0 or d == 1:
        return lambda first, n: np.broadcast_to(w0, (n, d))
    w1 = rng.standard_normal(d)
    w1 -= (w1 @ w0) * w0
    w1 /= np.linalg.norm(w1)

    def rows(first, n):
        ang = drift * np.arange(first, first + n) / max(T - 1, 1)
        return np.cos(ang)[:, None] * w0 + np.sin(ang)[:, None] * w1

    return rows


def classification(T: int, rng, d: int = 10, loss: str = "logistic", domain: str = "ball",
                   radius: float = 5.0, l2: float = 0.0, flip: float = 0.1, drift: float = 0.0) -> Instance:
    """Online binary classification: features a_t ~ N(0, I), labels y_t = sign⟨w*_t, a_t⟩ flipped with probability ``flip``; loss logistic or hinge."""
    _check_common(d, domain, radius)
    require(loss in ("logistic", "hinge"), "loss", loss, "logistic or hinge")
    require(0 <= flip < 0.5, "flip", flip, "a probability in [0, 0.5)")
    if domain == "unbounded":
        require(l2 > 0, "l2", l2, "> 0 on an unbounded domain (otherwise the comparator may not exist)")
    teacher = _teacher(rng, d, drift, T)

    def draw(brng, first, n):
        A = brng.standard_normal((n, d))
        y = np.where(np.einsum("ij,ij->i", A, teacher(first, n)) >= 0, 1.0, -1.0)
        y[brng.random(n) < flip] *= -1.0
        return A, y

    return stream_instance(loss, Family(loss, l2=l2), _domain(domain, d, radius), rng, T, d, draw)


def regression(T: int, rng, d: int = 10, loss: str = "least_squares", domain: str = "ball",
               radius: float = 2.0, noise: float = 0.5, drift: float = 0.0, l2: float = 0.0,
               delta: float = 1.0) -> Instance:
    """Online regression: a_t ~ N(0, I), b_t = ⟨w*_t, a_t⟩ + noise·N(0, 1)."""
    _check_common(d, domain, radius)
    require(loss in ("least_squares", "absolute", "huber"), "loss", loss, "least_squares, absolute or huber")
    require(noise >= 0, "noise", noise, "a number ≥ 0")
    teacher = _teacher(rng, d, drift, T)

    def draw(brng, first, n):
        A = brng.standard_normal((n, d))
        return A, np.einsum("ij,ij->i", A, teacher(first, n)) + noise * brng.standard_normal(n)

    return stream_instance(loss, Family(loss, l2=l2, delta=delta), _domain(domain, d, radius), rng, T, d, draw)


def sparse_logistic(T: int, rng, d: int = 200, words: int = 20, zipf: float = 1.1, dropout: float = 0.5,
                    radius: float = 10.0, l2: float = 0.0, docs: int = 0) -> Instance:
    """Bag-of-words-like sparse features, the sparse-gradient setting of Kingma & Ba §6.1 (IMDB with
    50% dropout noise): ``words`` word draws per document from a Zipf(``zipf``) vocabulary of size d,
    binary features, each kept with probability 1 − dropout and rescaled by 1/(1 − dropout)
    (inverted dropout), labels from a sparse teacher. ``docs`` > 0 replays that many documents by
    random reshuffling (every pass over them in a fresh random order, with fresh dropout every
    round); 0 draws a new document each round."""
    require(isinstance(d, (int, np.integer)) and d >= 2, "d", d, "an integer ≥ 2")
    require(words >= 1, "words", words, "an integer ≥ 1")
    require(zipf > 0, "zipf", zipf, "a number > 0")
    require(0 <= dropout < 1, "dropout", dropout, "a probability in [0, 1)")
    require(docs >= 0, "docs", docs, "an integer ≥ 0")
    with np.errstate(over="ignore"):  # a steep Zipf law: k^zipf overflows to inf, its weight to 0 (the limit)
        freq = 1.0 / np.arange(1, d + 1) ** zipf
    freq /= freq.sum()
    teacher = np.zeros(d)
    support = rng.choice(d, size=max(2, d // 10), replace=False)
    teacher[support] = rng.standard_normal(support.size)

    def documents(r, n):
        """n documents' binary features and their labels."""
        X = np.zeros((n, d))
        np.put_along_axis(X, r.choice(d, size=(n, words), p=freq), 1.0, axis=1)
        return X, np.where(X @ teacher >= 0, 1.0, -1.0)

    corpus = documents(rng, docs) if docs else None
    seed_seq = rng.bit_generator.seed_seq
    shuffled = {}  # the last epoch's order (consecutive blocks mostly share one)

    def order_of(e):
        if e not in shuffled:
            shuffled.clear()
            shuffled[e] = child(seed_seq, 1, e).permutation(docs)
        return shuffled[e]

    def draw(brng, first, n):
        if docs:  # random reshuffling: epoch e visits the documents in its own random order
            t = np.arange(first, first + n)
            epochs = t // docs
            order = np.empty(n, dtype=np.int64)
            for e in np.unique(epochs):
                at = epochs == e
                order[at] = order_of(int(e))[t[at] % docs]
            X, y = corpus[0][order], corpus[1][order]
        else:
            X, y = documents(brng, n)
        if dropout:
            X = X * (brng.random(X.shape) >= dropout) / (1.0 - dropout)
        return X, y

    return stream_instance("sparse-logistic", Family("logistic", l2=l2), domains.ball(d, radius), rng, T, d, draw,
                           meta={"citation": "Kingma & Ba 2015, §6.1 (sparse features, dropout)"})


STREAMED = (linear, rademacher, classification, regression, sparse_logistic)  # each returns a StreamInstance
