"""Problems from data: scikit-learn's bundled digits set (no download) and user arrays / .npz files.

.npz format (``regret run --problem npz:path=FILE``):

| key | shape | meaning |
| --- | --- | --- |
| A | (n, p) float | data rows a (features) |
| b | (n,) float | targets / labels (zeros for linear losses) |
| family | () str | one of the loss families (linear, least_squares, logistic, ...) |
| domain | () str | box, ball, simplex or unbounded (default ball) |
| radius | () float | box half-width / ball radius / simplex total (default 1) |
| idx | (T,) int, optional | the row used at each round (default: each row once, in order) |
| x0 | (d,) float, optional | the start point x_1 |
| l2, classes, delta | () float/int, optional | family parameters |

Every array is checked (shape, finiteness, labels) before anything runs.
"""
from __future__ import annotations

import os

import numpy as np

from .. import domains
from ..errors import InvalidInput, require
from ..losses import NAMES, Family
from .base import Instance


def digits(T: int, rng, radius: float = 10.0, l2: float = 0.0) -> Instance:
    """Online multiclass logistic regression on the 8×8 digits (1797 images, 10 classes) that ship
    inside scikit-learn (UCI optdigits test set): features scaled to [0, 1] plus a bias feature;
    the rounds replay the set in a fresh random order each epoch. The convex analogue of Kingma &
    Ba's MNIST logistic-regression experiment (§6.1, Figure 1 left)."""
    from sklearn.datasets import load_digits

    require(radius > 0, "radius", radius, "a number > 0")
    data = load_digits()
    X = np.hstack([data.data / 16.0, np.ones((data.data.shape[0], 1))])
    y = data.target.astype(np.float64)
    n = X.shape[0]
    epochs = -(-T // n)
    idx = np.concatenate([rng.permutation(n) for _ in range(epochs)])[:T]
    fam = Family("multiclass", l2=l2, classes=10)
    return Instance("digits", fam, domains.ball(fam.dim(X.shape[1]), radius), X, y, idx,
                    meta={"citation": "sklearn.datasets.load_digits (UCI optdigits); Kingma & Ba §6.1"})


def from_arrays(family, domain, A, b=None, idx=None, x0=None, name="user") -> Instance:
    """An instance from user arrays: ``family`` a :class:`Family` or name, ``domain`` a Domain."""
    fam = family if isinstance(family, Family) else Family(family)
    require(isinstance(domain, domains.Domain), "domain", domain, "a Domain (regret.box, ball, simplex, unbounded)")
    A = _floats("A", A)
    require(A.ndim == 2, "A", f"array of shape {A.shape}", "a 2-D array (rows × features)")
    b = np.zeros(A.shape[0]) if b is None else _floats("b", b)
    idx = np.arange(A.shape[0]) if idx is None else np.asarray(idx)
    if idx.size and not np.issubdtype(idx.dtype, np.integer):
        raise InvalidInput("idx", str(idx.dtype), "integer row indices")
    return Instance(name, fam, domain, A, b, idx, x0=x0)


def _floats(name: str, value) -> np.ndarray:
    """``value`` as a float64 array, or InvalidInput naming ``name`` (text, objects, ragged lists)."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        arr = np.asarray(value, dtype=object)
        shown = arr.tolist() if arr.size <= 5 else f"array of dtype {getattr(value, 'dtype', object)}"
        raise InvalidInput(name, shown, "numbers") from None


def npz(T: int, rng, path: str = "") -> Instance:
    """Load a problem from an .npz file (format in the module docstring); T ≤ the rounds it holds."""
    require(bool(path), "path", path, "the path of an .npz file")
    require(os.path.isfile(path), "path", path, "an existing .npz file")
    try:
        z = np.load(path, allow_pickle=False)
    except Exception as exc:  # not a zip / corrupt
        raise InvalidInput("path", path, f"a readable .npz file ({exc.__class__.__name__})") from None
    with z:
        require("A" in z.files, "npz keys", sorted(z.files), "an array 'A' (and 'family')")
        require("family" in z.files, "npz keys", sorted(z.files), "a string 'family'")
        fam_name = str(z["family"])
        require(fam_name in NAMES, "family", fam_name, f"one of {list(NAMES)}")
        A = z["A"]
        require(A.ndim == 2, "A", f"array of shape {A.shape}", "a 2-D array (rows × features)")
        kw = {}
        for key, cast in (("l2", float), ("classes", int), ("delta", float)):
            if key in z.files:
                kw[key] = cast(z[key])
        fam = Family(fam_name, **kw)
        b = z["b"] if "b" in z.files else np.zeros(A.shape[0])
        kind = str(z["domain"]) if "domain" in z.files else "ball"
        radius = float(_floats("radius", z["radius"])) if "radius" in z.files else 1.0
        d = fam.dim(A.shape[1])
        require(kind in ("box", "ball", "simplex", "unbounded"), "domain", kind,
                "one of box, ball, simplex, unbounded")
        dom = {"box": lambda: domains.box(d, -radius, radius), "ball": lambda: domains.ball(d, radius),
               "simplex": lambda: domains.simplex(d, radius), "unbounded": lambda: domains.unbounded(d)}[kind]()
        idx = z["idx"] if "idx" in z.files else np.arange(A.shape[0])
        x0 = z["x0"] if "x0" in z.files else None
        if x0 is not None:
            require(x0.shape == (d,), "x0", f"array of shape {x0.shape}", f"shape ({d},)")
            require(bool(np.all(np.isfinite(x0))), "x0", "array with NaN/inf", "finite numbers")
        inst = from_arrays(fam, dom, A, b, idx, x0, name="npz")
    require(T <= inst.T, "T", T, f"at most the {inst.T} rounds the file holds")
    inst.idx = inst.idx[:T]
    return inst
