"""The online loop in plain Python and numpy: the exact, slow path.

Round t, as the compiled loop (:mod:`regret.engine.loop`) plays it: the learner plays x_t, suffers
f_t(x_t) and receives g_t = ∇f_t(x_t) (:mod:`regret.reference.losses`); the algorithm maps (state,
g_t, t, α_t) to Δ_t (:class:`regret.ArrayOptimizer`); x_{t+1} = Π_X(x_t + Δ_t), in the algorithm's
metric w_t if it has one (Reddi et al.'s Π_{X,√V̂_t}; :mod:`regret.reference.projections`). The
statistics at the checkpoints are those of :class:`regret.RunResult`, written into the same
:class:`regret.engine.record.Record` after the same validation (:func:`regret.engine.prepare.prepare`);
Σ_t f_t(x_t) is summed exactly (Shewchuk's partials, as ``math.fsum``).

Nothing here calls compiled code: an adaptive adversary's ``choose`` runs as plain Python.
"""
from __future__ import annotations

import math

import numpy as np

from ..engine.prepare import as_optimizer, prepare
from ..engine.record import Record
from ..engine.result import RunResult
from ..errors import require
from ..optimizers.arrays import ArrayOptimizer, check_array_protocol
from ..problems.adversary import Adversary
from .losses import loss_value_grad
from .projections import project


class ExactSum:
    """Σ of floats without rounding error until it is read (Shewchuk's partials, as math.fsum)."""

    def __init__(self):
        self.partials = []

    def add(self, x: float) -> None:
        out = []
        for y in self.partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                out.append(lo)
            x = hi
        out.append(x)
        self.partials = out

    def value(self) -> float:
        return math.fsum(self.partials)


def rounds(opt: ArrayOptimizer, inst, T: int, x1: np.ndarray, checkpoints: np.ndarray, out: tuple,
           adversary=None, seed: int = 0) -> None:
    """T rounds of ``opt`` on ``inst`` from x_1 = x1, writing one run's rows of a Record
    (``out``: :meth:`Record.outputs` for this run); returns the time-averaged iterate (1/T) Σ_t x_t
    (each coordinate's sum exact, :class:`ExactSum`)."""
    losses, iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final = out
    d = x1.shape[0]
    fam, dom = inst.family, inst.domain
    A, b = inst.A, inst.b
    idx = inst.kernel_rows(T)  # round t uses idx[(t − 1) mod len(idx)]
    choose = None
    if adversary is not None:  # the loss of round t chosen from x_t: the adversary writes row idx[t-1]
        choose = getattr(adversary.choose, "py_func", adversary.choose)
        adv_params, adv_state = adversary.param_vector(), adversary.state(seed)
    alphas = opt.alphas(T)
    state = opt.init(d)
    adaptive = opt.adaptive
    x = np.array(x1, dtype=np.float64)
    if iterates.shape[0]:
        iterates[0] = x
    total = ExactSum()
    played = [ExactSum() for _ in range(d)]  # Σ_t x_{t,i}, for the time-averaged iterate
    sq = np.zeros(d)
    lo, hi = x.copy(), x.copy()
    g_max = g_inf = ratio = 0.0
    k = 0
    for t in range(1, T + 1):
        row = int(idx[(t - 1) % idx.shape[0]])
        if choose is not None:
            choose(t, x, adv_params, adv_state, A, b, row)
        f, g = loss_value_grad(fam, A[row], b[row], x)
        if losses.shape[0]:
            losses[t - 1] = f
        total.add(f)
        sq = sq + g * g
        g_max = max(g_max, float(np.linalg.norm(g)))
        g_inf = max(g_inf, float(np.max(np.abs(g)))) if d else g_inf
        lo, hi = np.minimum(lo, x), np.maximum(hi, x)
        for i in range(d):
            played[i].add(float(x[i]))
        a = float(alphas[t - 1])
        delta, state = opt.update(state, g, t, a)
        delta = np.asarray(delta, dtype=np.float64)
        require(delta.shape == (d,), f"{opt.name}.update", f"a step of shape {delta.shape}", f"shape ({d},)")
        ratio = max(ratio, float(np.max(np.abs(delta))) / a) if d else ratio
        w = np.asarray(opt.weight(state, t), dtype=np.float64) if adaptive else None
        x = project(dom, x + delta, w)
        if iterates.shape[0]:
            iterates[t] = x
        if vhat_history.shape[0]:
            vhat_history[t - 1] = opt.moment(state, t, d)
        if k < checkpoints.size and t == checkpoints[k]:
            learner_loss[k] = total.value()
            grad_sq[k], vhat[k] = sq, opt.moment(state, t, d)
            G[k], G_inf[k], step_ratio[k] = g_max, g_inf, ratio
            x_min[k], x_max[k] = lo, hi
            k += 1
    x_final[:] = x
    return np.array([p.value() for p in played]) / T


def run(optimizer, problem, T: int, seed: int = 0, seeds=None, x0=None, checkpoints=None,
        record_iterates: bool = False, record_losses: bool = True, record_state: bool = False) -> RunResult:
    """:func:`regret.engine.run` for an :class:`regret.ArrayOptimizer` (or a built-in's spec, run
    through its array version :meth:`regret.Optimizer.on_arrays`), in plain Python: the same
    arguments and the same RunResult, without a comparator (:func:`regret.run` adds it)."""
    opt = as_optimizer(optimizer)
    arrays = opt.on_arrays()
    check_array_protocol(type(arrays))  # an instance made directly, not through regret.optimizer
    setup = prepare(problem, T, seed, seeds, x0, checkpoints, (record_losses, record_iterates, record_state))
    adversary = problem if isinstance(problem, Adversary) else None
    rec = Record.allocate(len(setup.instances), setup.T, setup.checkpoints.size, setup.d, record_losses,
                          record_iterates, record_state)
    for j, inst in enumerate(setup.instances):
        rec.x_average[j] = rounds(arrays, inst, setup.T, setup.starts[j], setup.checkpoints, rec.outputs(j),
                                  adversary, setup.seeds[j])
    res = setup.result(opt, rec.result_fields(slice(None)))
    res.notes = {"source": "regret.reference.run"}
    return res


__all__ = ["run", "rounds", "ExactSum"]
