"""cvxpy: the modelling reference and fallback for every family.

One parametrized problem (DPP; cvxpy's "disciplined parametrized programming", Agrawal et al.,
"Differentiable convex optimization layers", NeurIPS 2019) is built per instance and re-solved at
every checkpoint, normalized by n = T' (ECOS needs statistics of order one; docs/architecture.md "Pitfalls"):

| family | parameters | objective / n |
| --- | --- | --- |
| linear | S/n | ⟨S/n, x⟩ |
| least squares | R, q/n with RᵀR = Q/n | ½‖Rx‖² − ⟨q/n, x⟩ (+ ½s/n) |
| logistic, multiclass, huber | row weights w = c/n | Σ_r w_r f(x; a_r, b_r) |
| hinge, absolute | row weights w = c/n | Σ_r w_r s_r with explicit slacks s_r ≥ affine pieces |

plus (l2/2)‖x‖². The hinge and absolute losses always use explicit slack variables, never
``cp.pos``/``cp.abs`` (HiGHS returned "optimal" values 3–16× the optimum on ``cp.sum(cp.pos(...))``,
docs/architecture.md "Pitfalls"). When the rows used by the whole curve are many (a stream of length T), the
problem is rebuilt per checkpoint on that checkpoint's rows instead, so that early checkpoints do
not carry the later rows.

The solvers are tried in order by :func:`regret.comparator.solvers.run_solvers` (statuses other than
``optimal`` are never accepted; Clarabel, then ECOS, SCS, OSQP; HiGHS first for pure LPs). The certificate is recomputed here from our own objective
(:mod:`.certificates`, :mod:`.nonsmooth`); a solution whose certificate exceeds 1e-4·max(1, |F|) is
rejected as well. If every solver fails, :class:`regret.errors.SolverFailure` is raised.
"""
from __future__ import annotations

import numpy as np

from . import certificates as C
from .nonsmooth import best_dual_bound, primal_multipliers
from .objective import Block
from .solvers import run_solvers

DPP_MAX_ROWS = 4000


class Model:
    """The cvxpy problem of one family on one domain over a fixed set of data rows (A, b)."""

    def __init__(self, family, dom, A, b):
        import cvxpy as cp

        self.family, self.dom = family, dom
        d = dom.d
        self.x = x = cp.Variable(d)
        name = family.name
        cons = list(dom.cvxpy_constraints(x))
        self.slack_cons = None
        self.const = cp.Parameter()
        if name == "linear":
            self.pS = cp.Parameter(d)
            obj = self.pS @ x
        elif name == "least_squares":
            self.pR = cp.Parameter((d, d))
            self.pq = cp.Parameter(d)
            obj = 0.5 * cp.sum_squares(self.pR @ x) - self.pq @ x
        else:
            m = A.shape[0]
            self.w = w = cp.Parameter(m, nonneg=True)
            if name in ("hinge", "absolute"):
                s = cp.Variable(m)
                z = A @ x
                if name == "hinge":
                    self.slack_cons = [s >= 1 - cp.multiply(b, z), s >= 0]
                else:
                    self.slack_cons = [s >= z - b, s >= b - z]
                cons += self.slack_cons
                obj = w @ s
            elif name == "multiclass":
                K = family.classes
                W = cp.reshape(x, (K, A.shape[1]), order="C")
                Z = A @ W.T
                onehot = np.zeros((m, K))
                onehot[np.arange(m), b.astype(np.int64)] = 1.0
                obj = w @ cp.log_sum_exp(Z, axis=1) - w @ cp.sum(cp.multiply(onehot, Z), axis=1)
            elif name == "logistic":
                obj = w @ cp.logistic(cp.multiply(-b, A @ x))
            else:  # huber: cvxpy's huber(r, M) = r² (|r| ≤ M), 2M|r| − M² otherwise = 2·ours
                obj = 0.5 * (w @ cp.huber(A @ x - b, family.delta))
        if family.l2:
            obj = obj + 0.5 * family.l2 * cp.sum_squares(x)
        self.lp = name in ("hinge", "absolute", "linear") and not family.l2 and dom.kind != "ball"
        self.problem = cp.Problem(cp.Minimize(obj + self.const), cons)


def _certify(inst, block, x, model, n):
    """(F(x̂), certificate) of the feasible point x̂ from our own objective."""
    dom = inst.domain
    name = inst.family.name
    if name in ("hinge", "absolute"):
        f = block.value(x)
        u = None
        if model is not None and model.slack_cons is not None and model.slack_cons[0].dual_value is not None:
            y1 = np.asarray(model.slack_cons[0].dual_value, dtype=np.float64) * n
            y2 = np.asarray(model.slack_cons[1].dual_value, dtype=np.float64) * n
            u = y1 if name == "hinge" else y1 - y2
            u = u[model.row_pos] if model.row_pos is not None else u
        if u is None:
            u = primal_multipliers(name, block.A, block.b, block.c, x)
        lb = best_dual_bound(name, block.A, block.b, block.c, u, x, dom, block.mu)
        return f, C.nonneg(f - lb)  # NaN-safe: a NaN or overflowing bound is never a certificate of 0
    if name == "least_squares":
        from .least_squares import certificate

        return block.value(x), certificate(block, x, dom)
    f, g = block.value_grad(x)
    return f, C.gap(dom, x, g, block.mu)


class CvxCurve:
    """The cvxpy route over the checkpoints of one instance (see the module docstring)."""

    def __init__(self, inst, checkpoints, counts):
        self.inst, self.cps, self.counts = inst, checkpoints, counts
        fam = inst.family
        self.param_stats = fam.name in ("linear", "least_squares")
        union = np.flatnonzero(counts[-1] > 0)
        self.dpp = self.param_stats or union.size <= DPP_MAX_ROWS
        self.union = union
        self.model = None
        if self.dpp:
            A, b = (inst.A[union], inst.b[union]) if not self.param_stats else (None, None)
            self.model = Model(fam, inst.domain, A, b)
            self.model.row_pos = None

    def _model_for(self, k, block):
        inst, fam = self.inst, self.inst.family
        c = self.counts[k]
        n = float(c.sum())
        if self.param_stats:
            m = self.model
            if fam.name == "linear":
                m.pS.value = (inst.A.T @ c) / n
                m.const.value = 0.0
            else:
                Q = inst.A.T @ (c[:, None] * inst.A) / n  # the ridge is the model's own l2 term
                lam, V = np.linalg.eigh(0.5 * (Q + Q.T))
                m.pR.value = np.sqrt(np.maximum(lam, 0.0))[:, None] * V.T
                m.pq.value = inst.A.T @ (c * inst.b) / n
                m.const.value = 0.5 * float(c @ (inst.b * inst.b)) / n
            return m
        if self.dpp:
            m = self.model
            m.w.value = c[self.union] / n
            m.const.value = 0.0
            # multipliers of the union rows → the block's rows (the rows with c > 0, in order)
            m.row_pos = np.searchsorted(self.union, block.rows)
            return m
        m = Model(fam, inst.domain, block.A, block.b)
        m.w.value = block.c / n
        m.const.value = 0.0
        m.row_pos = None
        return m

    def solve(self):
        inst = self.inst
        dom = inst.domain
        vals, xs, certs, used = [], [], [], []
        for k, T in enumerate(self.cps):
            block = Block(inst.family, inst.A, inst.b, self.counts[k])
            m = self._model_for(k, block)
            best = run_solvers(m.problem, m.x, m.lp, dom,
                               lambda x, m=m, block=block: _certify(inst, block, x, m, block.n),
                               f"cvxpy comparator at T'={int(T)} for {inst.family.name} on {dom.describe()}")
            vals.append(best[0])
            xs.append(best[1])
            certs.append(best[2])
            used.append(best[3])
        solver = "/".join(dict.fromkeys(used))
        cert_how = ("Lagrange dual bound from the slack multipliers (clipped)"
                    if inst.family.name in ("hinge", "absolute") else "Frank–Wolfe / strong-convexity gap")
        how = "parametrized (DPP) problem" if self.dpp else "problem rebuilt per checkpoint"
        slack = ", explicit-slack formulation" if inst.family.name in ("hinge", "absolute") else ""
        method = f"cvxpy, {how}{slack}; certificate: {cert_how}, recomputed from our objective"
        return np.array(vals), np.array(xs), np.array(certs), method, solver
