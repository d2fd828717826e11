"""Hypotheses of the theorems, each checked against a run with the numbers behind its truth value.

A hypothesis is a statement (a sympy relation where the paper has one, e.g. γ = β1²/√β2 < 1, or
α_t = α/√t) plus a check that returns True, False, or None (unknown: the run does not say, or the
paper's condition is not pinned down). A verdict is never HOLDS while a hypothesis is None.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

from . import symbols as Q
from .context import Context, Unavailable

alpha_t = sp.Function("alpha")(Q.t)
beta1_t = sp.Function("beta_1")(Q.t)


@dataclass
class HypothesisResult:
    """The outcome of one hypothesis on one run: ``holds`` is True, False or None (unknown)."""

    name: str
    statement: str
    holds: bool | None
    numbers: dict = field(default_factory=dict)
    note: str = ""

    @property
    def status(self) -> str:
        return {True: "holds", False: "FAILS", None: "unknown"}[self.holds]

    def to_dict(self) -> dict:
        return {"name": self.name, "statement": self.statement, "status": self.status,
                "holds": self.holds, "numbers": self.numbers, "note": self.note}


@dataclass(frozen=True, eq=False)
class Hypothesis:
    name: str
    text: str
    check: Callable[[Context], tuple]  # ctx -> (holds, numbers, note)
    relation: sp.Basic | None = None

    def statement(self) -> str:
        if self.relation is not None:
            return f"{self.text}: {show(self.relation)}" if self.text else show(self.relation)
        return self.text

    def latex(self) -> str:
        return sp.latex(self.relation) if self.relation is not None else self.text

    def evaluate(self, ctx: Context) -> HypothesisResult:
        try:
            holds, numbers, note = self.check(ctx)
        except Unavailable as exc:
            holds, numbers, note = None, {}, str(exc)
        return HypothesisResult(self.name, self.statement(), holds, _jsonable(numbers), note)


_SHOW_OPS = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def show(rel) -> str:
    """'β1**2/sqrt(β2) < 1'-style text of a relation (a conjunction is joined with 'and')."""
    if isinstance(rel, sp.And):
        return " and ".join(show(r) for r in rel.args)
    if isinstance(rel, sp.core.relational.Relational):
        return f"{sp.sstr(rel.lhs)} {_SHOW_OPS[rel.rel_op]} {sp.sstr(rel.rhs)}"
    return sp.sstr(rel)


def _jsonable(numbers: dict) -> dict:
    out = {}
    for k, v in numbers.items():
        if isinstance(v, np.ndarray):
            v = float(v) if v.size == 1 else [float(x) for x in v.ravel()[:8]]
        elif isinstance(v, (np.floating, np.integer)):
            v = v.item()
        out[k] = v
    return out


_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _numeric(expr, values: dict):
    syms = sorted(expr.free_symbols, key=str)
    missing = [s for s in syms if s not in values]
    if missing:
        raise Unavailable(f"no value for {', '.join(Q.name(s) for s in missing)} in this run")
    if not syms:
        return float(expr)
    f = sp.lambdify(syms, expr, modules="numpy")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(f(*[values[s] for s in syms]), dtype=np.float64)


def compare(rel, values: dict, rtol: float = 1e-12):
    """Evaluate a sympy relation on (possibly array-valued) numbers: (holds, lhs, rhs). NaN → None."""
    lhs, rhs = _numeric(rel.lhs, values), _numeric(rel.rhs, values)
    if np.any(np.isnan(lhs)) or np.any(np.isnan(rhs)):
        return None, lhs, rhs
    if rel.rel_op == "==":
        ok = np.isclose(lhs, rhs, rtol=rtol, atol=1e-300)
    elif rel.rel_op == "!=":
        ok = ~np.isclose(lhs, rhs, rtol=rtol, atol=1e-300)
    else:
        ok = _OPS[rel.rel_op](lhs, rhs)
    return bool(np.all(ok)), lhs, rhs


def _summary(v):
    v = np.asarray(v, dtype=np.float64)
    return float(v.ravel()[0]) if v.size == 1 else {"min": float(v.min()), "max": float(v.max())}


def relation(name: str, rel, text: str = "", note: str = "", values: Callable | None = None) -> Hypothesis:
    """A relation between the run's numbers (parameters from the optimizer spec, the problem, the
    domain, or measured (S, K) arrays); it holds when it holds for every seed and checkpoint."""

    def check(ctx: Context):
        vals = dict(ctx.base_values)
        if values is not None:
            vals.update(values(ctx))
        holds, lhs, rhs = compare(rel, vals)
        nums = {sp.sstr(rel.lhs): _summary(lhs), sp.sstr(rel.rhs): _summary(rhs)}
        return holds, nums, note

    return Hypothesis(name, text, check, rel)


def algorithm(names, text: str, **conventions) -> Hypothesis:
    """The run's optimizer is the theorem's algorithm (name in ``names``) with the given conventions
    (e.g. ``bias_correction=False``, ``eps_mode="outside"``)."""
    names = (names,) if isinstance(names, str) else tuple(names)

    def check(ctx: Context):
        opt = ctx.opt
        nums = {"optimizer": opt.name}
        ok = opt.name in names
        bad = []
        for key, want in conventions.items():
            have = getattr(opt, key, None)
            nums[key] = have
            if ok and have != want:
                bad.append(f"{key}={have!r} (the theorem's algorithm has {key}={want!r})")
        if not ok:
            return False, nums, f"the theorem is about {' / '.join(names)}, the run used {opt.name}"
        return (not bad), nums, "; ".join(bad)

    return Hypothesis("algorithm", text, check)


def no_eps() -> Hypothesis:
    """The analysed update has no ε (Kingma & Ba §4 / App. 10, Reddi et al. Alg. 2, Phuong & Phong)."""
    return relation("epsilon", sp.Eq(Q.eps, 0, evaluate=False), "no ε in the analysed update")


def schedule(kind: str) -> Hypothesis:
    """α_t = α/√t (``kind='sqrt'``) or α_t = α (``'constant'``)."""
    target = Q.alpha / sp.sqrt(Q.t) if kind == "sqrt" else Q.alpha
    rel = sp.Eq(alpha_t, target, evaluate=False)

    def check(ctx: Context):
        opt = ctx.opt
        sched = opt.schedule
        if isinstance(sched, str):
            return sched == kind, {"schedule": sched, "alpha": float(opt.alpha)}, ""
        arr = opt.alphas(ctx.run.T)
        tt = np.arange(1, arr.size + 1, dtype=np.float64)
        ref = arr[0] / np.sqrt(tt) if kind == "sqrt" else np.full(arr.size, arr[0])
        ok = bool(np.allclose(arr, ref, rtol=1e-12, atol=0.0))
        return ok, {"schedule": "array", "alpha_1": float(arr[0])}, "" if ok else "array schedule of another shape"

    return Hypothesis("schedule", "step sizes", check, rel)


def beta1_schedule_le() -> Hypothesis:
    """β1,t ≤ β1 for all t (β1,t = β1 λ^{t−1} with λ ∈ (0, 1] in the optimizer specs)."""
    rel = sp.Le(beta1_t, Q.beta1, evaluate=False)

    def check(ctx: Context):
        lam = float(getattr(ctx.opt, "lam", 1.0))
        b1 = float(getattr(ctx.opt, "beta1", 0.0))
        return lam <= 1.0, {"beta1": b1, "lambda": lam}, "β1,t = β1·λ^(t−1)"

    return Hypothesis("beta1_t", "momentum schedule", check, rel)


def bounded_iterates(l2: bool = True, linf: bool = True) -> Hypothesis:
    """‖x_m − x_n‖ ≤ D (and ‖·‖∞ ≤ D∞) for the played points, and the comparator (every proof
    uses ‖x_t − x*‖): the observed extent against the D, D∞ the bound is evaluated with."""
    D_obs, Dinf_obs = sp.Symbol("D_obs"), sp.Symbol("D_inf_obs")
    rels = []
    if l2:
        rels.append(sp.Le(D_obs, Q.D, evaluate=False))
    if linf:
        rels.append(sp.Le(Dinf_obs, Q.D_inf, evaluate=False))
    rel = rels[0] if len(rels) == 1 else sp.And(*rels, evaluate=False)

    def check(ctx: Context):
        vals = dict(ctx.base_values)
        vals[D_obs], vals[Dinf_obs] = ctx.observed_D(), ctx.observed_D_inf()
        ok, nums = True, {}
        for r in rels:
            if not np.all(np.isfinite(np.asarray(_numeric(r.rhs, vals), dtype=float))):
                return False, {"domain": ctx.run.domain}, "unbounded domain: no finite diameter"
            holds, lhs, rhs = compare(r, vals, rtol=0)
            tol = 1e-9 * np.maximum(1.0, np.abs(rhs))  # rounding of the projection
            holds = bool(np.all(lhs <= rhs + tol))
            ok = ok and holds
            nums[f"{sp.sstr(r.lhs)} (iterates and x*)"] = float(np.max(lhs))
            nums[sp.sstr(r.rhs)] = _summary(rhs)
        return ok, nums, f"D, D∞ from the {ctx.diameters}"

    return Hypothesis("bounded_iterates", "bounded iterates", check, rel)


def bounded_gradients(l2: bool = True, linf: bool = True) -> Hypothesis:
    """‖g_t‖₂ ≤ G, ‖g_t‖∞ ≤ G∞: the measured maxima over the played points are admissible constants
    (the proofs use ∇f_t only at x_t); the hypothesis fails only if a gradient is not finite."""
    g2, ginf = sp.Symbol("|g_t|_2"), sp.Symbol("|g_t|_inf")
    rels = ([sp.Le(g2, Q.G, evaluate=False)] if l2 else []) + ([sp.Le(ginf, Q.G_inf, evaluate=False)] if linf else [])
    rel = rels[0] if len(rels) == 1 else sp.And(*rels, evaluate=False)

    def check(ctx: Context):
        run = ctx.run
        nums = {}
        if l2:
            nums["G = max_t |g_t|_2"] = float(np.max(run.G))
        if linf:
            nums["G_inf = max_t |g_t|_inf"] = float(np.max(run.G_inf))
        ok = all(math.isfinite(v) for v in nums.values())
        return ok, nums, "measured at the played points (the proofs use only g_t = ∇f_t(x_t))"

    return Hypothesis("bounded_gradients", "bounded gradients", check, rel)


def bounded_domain() -> Hypothesis:
    def check(ctx: Context):
        dom = ctx.domain
        return bool(dom.bounded), {"domain": dom.describe(), "D": dom.diameter, "D_inf": dom.diameter_inf}, ""

    return Hypothesis("bounded_domain", "the feasible set is bounded (finite diameters D, D∞)", check)


def custom(name: str, text: str, check: Callable[[Context], tuple], rel=None) -> Hypothesis:
    return Hypothesis(name, text, check, rel)


def problem_is(names, text: str, **params) -> Hypothesis:
    """The run's loss sequence is the named construction with these parameter values."""
    names = (names,) if isinstance(names, str) else tuple(names)

    def check(ctx: Context):
        nums = {"problem": ctx.run.problem}
        if ctx.problem_name not in names:
            return False, nums, f"the statement is about the {' / '.join(names)} sequence"
        bad = []
        for key, want in params.items():
            have = ctx.problem_params.get(key)
            nums[key] = have
            ok = want(have) if callable(want) else (have is not None and math.isclose(float(have), float(want)))
            if not ok:
                bad.append(f"{key}={have}")
        return (not bad), nums, ", ".join(bad)

    return Hypothesis("problem", text, check)


def start_point(x1: float) -> Hypothesis:
    rel = sp.Eq(sp.Symbol("x_1"), x1, evaluate=False)

    def check(ctx: Context):
        xs = ctx.run.x_start
        return bool(np.allclose(xs, x1)), {"x_1": _summary(xs)}, ""

    return Hypothesis("start", "start point", check, rel)


def unknown(name: str, text: str, why: str) -> Hypothesis:
    """A condition of the paper that is not pinned down (theory.md §7): always unknown."""
    return Hypothesis(name, text, lambda ctx: (None, {}, why))
