"""Problems from data: scikit-learn's bundled digits set (no download) and user arrays / .npz files.

.npz format (``regret run --problem npz:path=FILE``):

| key | shape | meaning |
| --- | --- | --- |
| A | (n, p) float | data rows a (features): one row per round (rounds × features) |
| b | (n,) float | targets / labels; required, except for linear losses (which read none) |
| family | () str | one of the loss families (linear, least_squares, logistic, ...) |
| domain | () str | box, ball, simplex or unbounded (default ball) |
| radius | () float | box half-width / ball radius / simplex total (default 1) |
| idx | (T,) int, optional | the row used at each round (default: each row once, in order) |
| x0 | (d,) float, optional | the start point x_1 |
| l2, classes, delta | () float/int, optional | family parameters |

Every array is checked (shape, finiteness, labels, and a scale at which Σ_t f_t stays finite in
float64 on a bounded domain: :func:`regret.problems.base.check_scale`) before anything runs.
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


def _array(z, key: str) -> np.ndarray:
    """The array ``key`` of an open .npz file (InvalidInput for an object array, which needs pickle)."""
    try:
        return z[key]
    except ValueError as exc:
        raise InvalidInput(key, "an array of Python objects", f"a numeric array ({exc})") from None


def _scalar(z, key: str, cast):
    """The scalar ``key`` of an open .npz file as ``cast`` (float or int)."""
    value = _array(z, key)
    try:
        require(value.size == 1, key, f"array of shape {value.shape}", "a single number")
        return cast(value.reshape(()).item())
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput(key, str(value.reshape(-1)[0]), f"a number ({cast.__name__})") from None


_B_MEANS = {"least_squares": "targets", "absolute": "targets", "huber": "targets", "logistic": "±1 labels",
            "hinge": "±1 labels", "multiclass": "class labels 0..K−1"}


def npz(T: int, rng, path: str = "") -> Instance:
    """Load a problem from an .npz file (format in the module docstring); T ≤ the rounds it holds."""
    require(bool(path), "path", path, "the path of an .npz file")
    require(os.path.isfile(path), "path", path, "an existing .npz file")
    try:
        z = np.load(path, allow_pickle=False)
    except Exception as exc:  # not a zip / corrupt
        raise InvalidInput("path", path, f"a readable .npz file ({exc.__class__.__name__})") from None
    with z:
        files = list(z.files)
        require("A" in z.files, "npz keys", sorted(z.files), "an array 'A' (and 'family')")
        require("family" in z.files, "npz keys", sorted(z.files), "a string 'family'")
        fam_name = str(_array(z, "family"))
        require(fam_name in NAMES, "family", fam_name, f"one of {list(NAMES)}")
        A = _array(z, "A")
        require(A.ndim == 2, "A", f"array of shape {A.shape}", "a 2-D array (rows × features)")
        kw = {}
        for key, cast in (("l2", float), ("classes", int), ("delta", float)):
            if key in z.files:
                kw[key] = _scalar(z, key, cast)
        fam = Family(fam_name, **kw)
        if "b" in z.files:
            b = _array(z, "b")
            if b.ndim == 1 and A.ndim == 2 and b.shape[0] != A.shape[0] and b.shape[0] == A.shape[1]:
                raise InvalidInput("b", f"array of shape {b.shape}",
                                   f"one entry per row of A {A.shape}: A holds one row per round, so A "
                                   f"looks transposed — save A.T (rounds × features)")
        else:  # only linear losses read no b
            require(fam_name == "linear", "npz keys", sorted(z.files),
                    f"an array 'b' ({_B_MEANS.get(fam_name, 'targets')}, one per row of A): only linear "
                    "losses may omit it")
            b = np.zeros(A.shape[0])
        kind = str(_array(z, "domain")) if "domain" in z.files else "ball"
        radius = _scalar(z, "radius", float) if "radius" in z.files else 1.0
        d = fam.dim(A.shape[1])
        require(kind in ("box", "ball", "simplex", "unbounded"), "domain", kind,
                "one of box, ball, simplex, unbounded")
        dom = {"box": lambda: domains.box(d, -radius, radius), "ball": lambda: domains.ball(d, radius),
               "simplex": lambda: domains.simplex(d, radius), "unbounded": lambda: domains.unbounded(d)}[kind]()
        idx = _array(z, "idx") if "idx" in z.files else np.arange(A.shape[0])
        x0 = _floats("x0", _array(z, "x0")) if "x0" in z.files else None
        if x0 is not None:
            hint = (f" (A {A.shape} looks transposed: one row per round, one column per feature — save A.T)"
                    if x0.shape == (fam.dim(A.shape[0]),) and A.shape[0] != A.shape[1] else "")
            require(x0.shape == (d,), "x0", f"array of shape {x0.shape}", f"shape ({d},){hint}")
            require(bool(np.all(np.isfinite(x0))), "x0", "array with NaN/inf", "finite numbers")
        inst = from_arrays(fam, dom, A, b, idx, x0, name="npz")
    if T > inst.T:
        n, p = inst.A.shape
        hint = ""
        if "idx" not in files and p >= T > n:
            hint = (f"; A has {n} rows (one per round) and {p} columns (features): if its rounds are the "
                    f"columns, save A.T; to replay rows, give 'idx', the row of each round")
        elif "idx" not in files:
            hint = "; to replay rows, give 'idx', the row of each round"
        raise InvalidInput("T", T, f"at most the {inst.T} rounds the file holds{hint}")
    inst.idx = inst.idx[:T]
    return inst
