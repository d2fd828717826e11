"""Runs produced elsewhere: a trajectory made in torch, JAX or by hand, checked like a native run.

:func:`from_trajectory` takes the loss sequence (an :class:`regret.problems.Instance`), the points a
learner played on it, x_1, …, x_{T+1}, and the spec of the optimizer that played them, and returns a
:class:`regret.RunResult` with every statistic the theorems read — so the run is checked against a
theorem, plotted and fitted like one made by :func:`regret.run`.

What is computed from what:

* f_t(x_t) and g_t = ∇f_t(x_t): from the instance and the played points, with the engine's own
  compiled loss (:func:`regret.losses.value_grad`), so the learner's loss is what ``regret.run``
  would record for the same points; Σ_t f_t(x_t) by compensated (Neumaier) summation;
* Σ g², max ‖g_t‖₂, max ‖g_t‖∞, the coordinate-wise min/max of the played points: from those;
* the optimizer's second moment v̂_t and its update Δ_t before projection (the effective step
  max_i |Δ_{t,i}|/α_t): replayed from the gradients with the optimizer's own protocol functions
  (``update``, ``second_moment``; :mod:`regret.optimizers.base`) in plain Python — they depend on
  the gradients only — unless ``second_moments`` are given;
* the comparator at every checkpoint, as for a native run.

The replay also checks the trajectory: ``result.notes["replay_deviation"]`` is the largest
|x_{t+1} − Π_X(x_t + Δ_t)| (in the optimizer's projection metric), i.e. how far the given points
are from what the given optimizer would have played after the same gradients. A trajectory made
with the same algorithm in float64 has a deviation at rounding level; a large one says the spec
does not describe the algorithm that made the points.
"""
from __future__ import annotations

import numpy as np

from .engine import RunResult
from .engine.prepare import check_checkpoints, default_checkpoints
from .errors import InvalidInput, require
from .losses import value_grad
from .optimizers import Optimizer, optimizer as make_optimizer
from .optimizers import steps
from .optimizers.arrays import ArrayOptimizer
from .optimizers.layout import HP_FIRST_OWN
from .optimizers.registry import _parameters
from .problems import Instance
from .runs import attach_comparator


def _python(fn):
    return getattr(fn, "py_func", fn)


def replay(opt: Optimizer, gradients: np.ndarray, alphas: np.ndarray):
    """The optimizer's protocol functions on the given gradients, in plain Python: returns
    (Δ (T, d) the updates before projection, v̂ (T, d) the second moments, w (T, d) the projection
    weights after each round's update). Each function receives its arguments by name, as the
    compiled dispatch passes them (:mod:`regret.optimizers.codegen`); an algorithm on arrays
    (:class:`regret.ArrayOptimizer`) through its init/update."""
    if isinstance(opt, ArrayOptimizer):
        return _replay_arrays(opt, gradients, alphas)
    cls = type(opt)
    T, d = gradients.shape
    hp = opt.hp_vector(size=HP_FIRST_OWN + len(cls.own_fields()))
    names = cls.state
    update, p_update = _python(cls.update), _parameters(cls.update)
    deltas, w, vhat = np.zeros((T, d)), np.ones((T, d)), np.zeros((T, d))  # w = 1, v̂ = 0 without them
    # the derived quantities the algorithm has: (function, its parameter names, where its values go)
    derived = [(_python(fn), _parameters(fn), out) for fn, out in ((cls.weight, w), (cls.second_moment, vhat))
               if fn is not None]
    hyper = {p: float(hp[slot]) for p, slot in cls.hp_slots().items()}
    state = np.zeros((d, len(names)))
    beta1_t, lam_pow, bc1, bc2 = _python(steps.initial_scalars)(hp)
    for t in range(1, T + 1):
        beta1_prev, beta1_t, lam_pow, bc1, bc2 = _python(steps.schedules)(hp, t, beta1_t, lam_pow, bc1, bc2)
        here = {"alpha_t": float(alphas[t - 1]), "t": t, "beta1_t": beta1_t, "beta1_prev": beta1_prev,
                "bc1": bc1, "bc2": bc2, **hyper}
        for i in range(d):
            here.update(zip(names, state[i].tolist()))
            here["g"] = float(gradients[t - 1, i])
            out = update(*[here[p] for p in p_update])
            if names:  # (new state ..., Δ)
                state[i] = out[:-1]
                here.update(zip(names, out[:-1]))
                out = out[-1]
            deltas[t - 1, i] = out
            for fn, params, values in derived:
                values[t - 1, i] = fn(*[here[p] for p in params])
    return deltas, vhat, w


def _replay_arrays(opt: ArrayOptimizer, gradients: np.ndarray, alphas: np.ndarray):
    T, d = gradients.shape
    deltas, w, vhat = np.zeros((T, d)), np.ones((T, d)), np.zeros((T, d))
    state = opt.init(d)
    for t in range(1, T + 1):
        deltas[t - 1], state = opt.update(state, gradients[t - 1], t, float(alphas[t - 1]))
        vhat[t - 1] = opt.moment(state, t, d)
        if opt.adaptive:
            w[t - 1] = opt.weight(state, t)
    return deltas, vhat, w


def _spec(instance, optimizer):
    require(isinstance(instance, Instance), "instance", instance, "a regret Instance (regret.from_arrays, "
                                                                  "regret.problem(...).instance(T, seed))")
    opt = make_optimizer(optimizer) if isinstance(optimizer, str) else optimizer
    require(isinstance(opt, Optimizer), "optimizer", optimizer, "an optimizer spec or name")
    return opt


def _array(name, value, shape_text):
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInput(name, type(value).__name__, shape_text) from None


def from_trajectory(instance: Instance, iterates, optimizer, second_moments=None, checkpoints=None,
                    comparator: bool = True) -> RunResult:
    """A :class:`regret.RunResult` for the points x_1..x_{T+1} (``iterates``, shape (T+1, d)) that
    ``optimizer`` (a spec, or a name) played on ``instance``; ``second_moments`` (T, d), the v̂_t
    after each round, if the run recorded them (else they are replayed from the gradients)."""
    opt = _spec(instance, optimizer)
    d = instance.d
    shape_text = f"the points x_1..x_(T+1): shape (T+1, {d}) with T ≥ 1"
    X = _array("iterates", iterates, shape_text)
    require(X.ndim == 2 and X.shape[1] == d and X.shape[0] >= 2, "iterates", f"array of shape {X.shape}", shape_text)
    T = X.shape[0] - 1
    require(T <= instance.T, "iterates", f"{T + 1} points", f"at most T+1 = {instance.T + 1} for this instance")
    require(bool(np.all(np.isfinite(X))), "iterates", "non-finite values", "finite points")
    fam = instance.family
    losses = np.zeros(T)
    G = np.zeros((T, d))
    rows = instance.round_rows(0, T)
    for t in range(T):
        losses[t] = value_grad(fam.code, fam.params, instance.A, rows[t], instance.b, X[t], G[t])
    return _result(instance, opt, losses, G, X, second_moments, checkpoints, comparator, "regret.from_trajectory")


def from_losses(instance: Instance, losses, gradients, optimizer, second_moments=None, checkpoints=None,
                comparator: bool = True) -> RunResult:
    """A :class:`regret.RunResult` from what a learner suffered and received, without the points it
    played: ``losses`` f_t(x_t) (T,) and ``gradients`` g_t (T, d) on ``instance`` (whose losses the
    comparator minimises). The regret, the gradient statistics, v̂ and the effective step are
    computed as :func:`from_trajectory` does; what needs the points (the observed extent, the
    iterates, the replay check) is NaN or absent, so D and D∞ come from the domain."""
    opt = _spec(instance, optimizer)
    d = instance.d
    f = _array("losses", losses, "f_t(x_t) for t = 1..T: shape (T,)")
    require(f.ndim == 1 and 1 <= f.size <= instance.T and bool(np.all(np.isfinite(f))), "losses",
            f"array of shape {f.shape}", f"finite f_t(x_t) for t = 1..T, T ≤ {instance.T}: shape (T,)")
    T = f.size
    G = _array("gradients", gradients, f"g_t for t = 1..T: shape ({T}, {d})")
    require(G.shape == (T, d) and bool(np.all(np.isfinite(G))), "gradients", f"array of shape {G.shape}",
            f"finite g_t for t = 1..T: shape ({T}, {d})")
    return _result(instance, opt, f, G, None, second_moments, checkpoints, comparator, "regret.from_losses")


def _result(instance, opt, losses, G, X, second_moments, checkpoints, comparator, source) -> RunResult:
    T, d = G.shape
    cps = default_checkpoints(T) if checkpoints is None else check_checkpoints(checkpoints, T)
    alphas = opt.alphas(T)
    fam, dom = instance.family, instance.domain
    deltas, vhat, w = replay(opt, G, alphas)
    if second_moments is not None:
        V = np.asarray(second_moments, dtype=np.float64)
        require(V.shape == (T, d) and bool(np.all(np.isfinite(V))), "second_moments",
                f"array of shape {V.shape}", f"finite v̂_t for t = 1..T: shape ({T}, {d})")
        vhat = V
    dev = None
    if X is not None:  # how far the points are from what this optimizer plays after these gradients
        dev = 0.0
        for t in range(T):
            expected = dom.project(X[t] + deltas[t], w[t] if opt.adaptive else None)
            dev = max(dev, float(np.max(np.abs(expected - X[t + 1]))))
    k = cps - 1
    cum = np.zeros(T)
    s = c = 0.0
    for t in range(T):  # Neumaier's compensated sum, as the engine's loop
        f = losses[t]
        u = s + f
        c += (s - u) + f if abs(s) >= abs(f) else (f - u) + s
        s = u
        cum[t] = s + c
    gnorm = np.sqrt(np.einsum("td,td->t", G, G))
    ratio = np.max(np.abs(deltas), axis=1) / alphas
    unknown = np.full((1, cps.size, d), np.nan)
    res = RunResult(
        optimizer=opt, problem=instance.name, family=fam.name, domain=dom.describe(), T=T, d=d, seeds=[0],
        checkpoints=cps, learner_loss=cum[k][None], grad_sq=np.cumsum(G * G, axis=0)[k][None],
        vhat=vhat[k][None], G=np.maximum.accumulate(gnorm)[k][None],
        G_inf=np.maximum.accumulate(np.max(np.abs(G), axis=1))[k][None],
        step_ratio=np.maximum.accumulate(ratio)[k][None],
        x_min=np.minimum.accumulate(X[:T], axis=0)[k][None] if X is not None else unknown,
        x_max=np.maximum.accumulate(X[:T], axis=0)[k][None] if X is not None else unknown.copy(),
        x_final=X[T][None].copy() if X is not None else np.full((1, d), np.nan),
        x_start=X[0][None].copy() if X is not None else np.full((1, d), np.nan),
        x_average=X[:T].mean(axis=0)[None] if X is not None else np.full((1, d), np.nan),
        losses=np.asarray(losses, dtype=np.float64)[None], iterates=X[None].copy() if X is not None else None,
        vhat_history=vhat[None], domain_obj=dom, instances=[instance],
        notes={"source": source, "replay_deviation": dev})
    return attach_comparator(res) if comparator else res


__all__ = ["from_trajectory", "from_losses", "replay"]
