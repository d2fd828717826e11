"""A run's results as tidy rows: one row per (seed, checkpoint), the columns of a sweep's store.

Columns (in this order; ``opt.<name>`` and ``problem.<name>`` hold each hyperparameter and problem
parameter, defaults included):

| column | meaning |
| --- | --- |
| cell, label | the sweep cell's content hash and its label (empty outside a sweep) |
| optimizer, opt.* | the algorithm and its hyperparameters |
| problem, problem.*, family, domain, d | the loss sequence |
| T, seed, t | the horizon, the seed, the checkpoint T' |
| regret, regret_over_T, regret_over_sqrt_T | R(T'), R(T')/T', R(T')/√T' (NaN where the seed diverged) |
| learner_loss, comparator_loss, certificate | Σ_{t≤T'} f_t(x_t), min_x Σ_{t≤T'} f_t(x), its certificate |
| G, G_inf, step_ratio, sum_grad_norms, sum_sqrt_T_vhat, D_inf_observed | the theorems' statistics at T' |
| diverged | whether Σ_{t≤T'} f_t(x_t) is not finite at T' |
| distance_to_x_star, average_distance_to_x_star | ‖x_{T+1} − x*_T‖₂ and ‖x̄_T − x*_T‖₂ (x̄_T = (1/T) Σ_{t≤T} x_t), on the row t = T only |

Without a comparator the regret columns are NaN.
"""
from __future__ import annotations

import numpy as np

STATISTICS = ("G", "G_inf", "step_ratio", "sum_grad_norms", "sum_sqrt_T_vhat", "D_inf_observed")


def columns(results, cells=None, labels=None, problem_params: dict | None = None) -> dict:
    """The tidy rows of one :class:`regret.RunResult` or of a list of them (the same problem,
    horizon, seeds and checkpoints: a ``run_many`` call) as {column: 1-D array}. ``cells`` and
    ``labels`` name each result's sweep cell (default: no cell, the optimizer's label)."""
    results = [results] if not isinstance(results, list) else results
    R = len(results)
    first = results[0]
    S, K = first.learner_loss.shape
    n = S * K

    def per_result(values, dtype=object):  # one value per result, repeated over its S × K rows
        arr = np.empty(R, dtype=dtype)
        arr[:] = values
        return np.repeat(arr, n)

    every = _combined(results)  # the statistics are computed once, over every (result, seed) row

    def stacked(name):  # an (S, K) statistic of every result, row-major
        return np.asarray(getattr(every, name), dtype=np.float64).reshape(-1)

    out = {"cell": per_result(cells if cells is not None else [""] * R),
           "label": per_result(labels if labels is not None else [r.optimizer.label() for r in results]),
           "optimizer": per_result([r.optimizer.name for r in results])}
    hps = [r.optimizer.hyperparameters() for r in results]
    for k in dict.fromkeys(k for hp in hps for k in hp):
        out[f"opt.{k}"] = per_result(_one_kind([_cell_value(hp.get(k)) for hp in hps]))
    out["problem"] = per_result([r.problem for r in results])
    for k, v in (problem_params or {}).items():
        out[f"problem.{k}"] = per_result([_cell_value(v)] * R)
    t = np.tile(np.asarray(first.checkpoints, dtype=np.int64), S * R)
    out.update({"family": per_result([r.family for r in results]), "domain": per_result([r.domain for r in results]),
                "d": per_result([r.d for r in results], np.int64), "T": per_result([r.T for r in results], np.int64),
                "seed": np.tile(np.repeat(np.asarray(first.seeds, dtype=np.int64), K), R), "t": t})
    learner = stacked("learner_loss")
    if every.comparator is not None:
        regret, comp, cert = stacked("regret"), stacked("comparator_loss"), stacked("certificate")
    else:
        regret = comp = cert = np.full(R * n, np.nan)
    out.update({"regret": regret, "regret_over_T": regret / t, "regret_over_sqrt_T": regret / np.sqrt(t),
                "learner_loss": learner, "comparator_loss": comp, "certificate": cert})
    for name in STATISTICS:
        out[name] = stacked(name)
    out["diverged"] = ~np.isfinite(learner)
    # where each seed ends: ‖x_{T+1} − x*_T‖₂ on its row t = T (NaN on the other rows: it is a final value)
    # and the same for the time-averaged iterate x̄_T
    for name in ("distance_to_x_star", "average_distance_to_x_star"):
        dist = np.full((R, S, K), np.nan)
        if int(first.checkpoints[-1]) == first.T:  # the rows t = T exist
            if every.comparator is not None:
                dist[:, :, -1] = getattr(every, name).reshape(R, S)
            else:
                for i, r in enumerate(results):
                    if r.comparator is not None:
                        dist[i, :, -1] = getattr(r, name)
        out[name] = dist.reshape(-1)
    return out


def _combined(results):
    """The results of one ``run_many`` call (same problem, horizon, seeds, checkpoints) as one
    RunResult whose seeds are every (result, seed) pair in row order, so that each statistic is the
    RunResult's own formula applied once to all of them (a sweep's task holds 10^3–10^4 results); its
    comparator is None unless every result has one."""
    import dataclasses

    from .record import PER_SEED

    if len(results) == 1:
        return results[0]
    arrays = {name: np.concatenate([getattr(r, name) for r in results]) for name in PER_SEED}
    avg = [r.x_average for r in results]
    comps = [r.comparator for r in results]
    return dataclasses.replace(
        results[0], seeds=list(range(sum(len(r.seeds) for r in results))), **arrays,
        x_average=np.concatenate(avg) if all(a is not None for a in avg) else None,
        comparator=[c for cs in comps for c in cs] if all(c is not None for c in comps) else None,
        losses=None, iterates=None, vhat_history=None, instances=None)


def _one_kind(values: list) -> list:
    """Values of one column with one type: numbers (bools apart) stay numbers, and so do bools and
    strings; a mix (a hyperparameter that is a string for one algorithm and a number for another)
    becomes text throughout. None (an algorithm without that hyperparameter) stays None."""
    kinds = {bool if isinstance(v, bool) else float if isinstance(v, (int, float)) else type(v)
             for v in values if v is not None}
    if len(kinds) <= 1:
        return values
    return [None if v is None else str(v) for v in values]


def _cell_value(v):
    """A hyperparameter as a table cell: numbers and strings as they are, anything else as text."""
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    if isinstance(v, np.generic):
        return v.item()
    return str(v)


def to_frame(res, **kw):
    """:func:`columns` as a pandas DataFrame (object columns of one type get that type)."""
    import pandas as pd

    return pd.DataFrame(columns(res, **kw)).infer_objects()


__all__ = ["columns", "to_frame", "STATISTICS"]
