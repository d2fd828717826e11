"""Hypotheses of the theorems, each checked against a run with the numbers behind its truth value.

A hypothesis is a statement (a sympy relation where the paper has one, e.g. γ = β1²/√β2 < 1, or
α_t = α/√t) plus a check that returns True, False, or None (unknown: the run does not say, or the
paper's condition is not pinned down). A verdict is never HOLDS while a hypothesis is None; it is
NOT APPLICABLE when one is False (see :meth:`regret.theory.Theorem.check`).

The constructors below build the hypotheses a :class:`regret.theory.Theorem` lists in its
``hypothesis_list`` (the built-in theorems use nothing else): :func:`relation`, :func:`algorithm`,
:func:`no_eps`, :func:`schedule`, :func:`beta1_schedule_le`, :func:`bounded_domain`,
:func:`bounded_iterates`, :func:`bounded_gradients`, :func:`convex_losses`, :func:`problem_is`, :func:`start_point`,
:func:`custom` (a check of one's own) and :func:`unknown`. Each docstring says what the hypothesis
states, what it checks on a run ("On a run:") and what happens when the run cannot tell ("Unknown:");
:func:`catalogue` renders them as the Markdown table of docs/extending.md (a test keeps the two equal).

A check receives a :class:`regret.theory.context.Context`: ``ctx.run`` (the
:class:`regret.RunResult`), ``ctx.opt`` (its optimizer spec), ``ctx.domain``, ``ctx.problem_name``
and ``ctx.problem_params`` (the problem's parameters, defaults included), ``ctx.base_values``
({symbol: value} for T, d, α, η, β1, β2, λ, ε, δ, G, G∞, D, D∞ and C) and ``ctx.diameters``.
"""
from __future__ import annotations

import inspect
import math
import operator
import re
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
    """One hypothesis of a theorem: ``name`` (a short identifier, shown in verdicts and JSON),
    ``text`` (the statement in words), ``check`` (a function of a :class:`Context` that returns
    ``(holds, numbers, note)``: True / False / None, a dict of the numbers behind it, and a remark)
    and, where the paper has one, ``relation`` (a sympy relation, shown after the text). A check
    that raises :class:`Unavailable` makes the hypothesis unknown, with the exception's message as
    its note. The constructors of this module build these; :func:`custom` wraps a check of one's own."""

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
    """``rel``, a sympy relation (``sp.Lt``, ``sp.Le``, ``sp.Gt``, ``sp.Ge``, ``sp.Eq``, ``sp.Ne``;
    ``evaluate=False`` keeps it from collapsing) between the symbols of :mod:`.symbols`, e.g.
    γ = β1²/√β2 < 1.

    On a run: both sides are evaluated with the run's values of the symbols (``ctx.base_values``:
    hyperparameters from the optimizer spec, a hyperparameter the optimizer lacks taking the neutral
    β1 = β2 = ε = δ = 0, λ = 1; d and C from the problem; D, D∞ from the domain or the observed
    extent; T per checkpoint, G and G∞ per seed and checkpoint), updated with ``values(ctx)``
    when given (values of further symbols, or the constants a proof chooses). It holds when it holds
    at every seed and checkpoint; ``=`` and ``≠`` compare to a relative 1e-12. The numbers shown
    are both sides (a single value, or their min and max).

    Unknown: when a symbol has no value in the run (C on a problem without C, a symbol that is
    neither a base value nor given by ``values``) or a side is NaN.
    """

    def check(ctx: Context):
        vals = dict(ctx.base_values)
        if values is not None:
            vals.update(values(ctx))
        holds, lhs, rhs = compare(rel, vals)
        nums = {sp.sstr(rel.lhs): _summary(lhs), sp.sstr(rel.rhs): _summary(rhs)}
        return holds, nums, note

    return Hypothesis(name, text, check, rel)


def algorithm(names, text: str, **conventions) -> Hypothesis:
    """The run's optimizer is the theorem's algorithm: its name is one of ``names``, and it follows
    the given conventions (keyword arguments such as ``bias_correction=False``,
    ``eps_mode="outside"``).

    On a run: compares the optimizer spec's ``name`` with ``names``, then each convention with the
    spec's attribute of that name (missing: None). It fails, naming the difference, on another
    algorithm or on a convention with another value.

    Unknown: never.
    """
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
    """ε = 0: the analysed update has no ε (Kingma & Ba §4 / App. 10, Reddi et al. Alg. 2, Phuong & Phong).

    On a run: a :func:`relation` on the optimizer spec's ``eps`` (an optimizer without ``eps``
    counts as ε = 0).

    Unknown: never.
    """
    return relation("epsilon", sp.Eq(Q.eps, 0, evaluate=False), "no ε in the analysed update")


def schedule(kind: str) -> Hypothesis:
    """The step sizes are α_t = α/√t (``kind="sqrt"``) or α_t = α (``kind="constant"``).

    On a run: a named schedule (``schedule="sqrt"`` / ``"constant"``) must be ``kind``; an array
    schedule must equal α_1/√t (or α_1) at every round to a relative 1e-12.

    Unknown: never.
    """
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
    """β1,t ≤ β1 for all t (the momentum schedule β1,t = β1 λ^{t−1} of the optimizer specs).

    On a run: the spec's ``lam`` is at most 1 (an optimizer without ``lam`` counts as λ = 1, a
    constant β1,t = β1).

    Unknown: never.
    """
    rel = sp.Le(beta1_t, Q.beta1, evaluate=False)

    def check(ctx: Context):
        lam = float(getattr(ctx.opt, "lam", 1.0))
        b1 = float(getattr(ctx.opt, "beta1", 0.0))
        return lam <= 1.0, {"beta1": b1, "lambda": lam}, "β1,t = β1·λ^(t−1)"

    return Hypothesis("beta1_t", "momentum schedule", check, rel)


def bounded_iterates(l2: bool = True, linf: bool = True) -> Hypothesis:
    """‖x_m − x_n‖₂ ≤ D (``l2``) and ‖x_m − x_n‖∞ ≤ D∞ (``linf``) for the played points and the
    comparator x* (every proof bounds ‖x_t − x*‖).

    On a run: the observed extent of x_1..x_{T'} together with the computed comparator x̂*_{T'} (ℓ∞:
    the widest side of their bounding box; ℓ2: the smaller of its diagonal and the domain's
    diameter), at every seed and checkpoint, against the D, D∞ the bound is evaluated with (the
    domain's diameters, or the observed extent itself under ``diameters="observed"``), to a relative
    1e-9 (the rounding of the projection). It fails when that D or D∞ is not finite (an unbounded
    domain with ``diameters="domain"``).

    Unknown: never.
    """
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
    """‖g_t‖₂ ≤ G (``l2``) and ‖g_t‖∞ ≤ G∞ (``linf``) for every round.

    On a run: G and G∞ are the maxima of ‖g_t‖₂, ‖g_t‖∞ over the rounds played (``run.G``,
    ``run.G_inf``); the proofs use ∇f_t only at x_t, so they are admissible constants, and the
    bound is evaluated with them. It fails only if a gradient is not finite.

    Unknown: never.
    """
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
    """The feasible set is bounded (finite diameters D, D∞).

    On a run: the run's domain is a box, a ball or a simplex (not the unbounded domain R^d).

    Unknown: when the run carries no domain object.
    """

    def check(ctx: Context):
        dom = ctx.domain
        if dom is None:
            raise Unavailable("the run carries no domain")
        return bool(dom.bounded), {"domain": dom.describe(), "D": dom.diameter, "D_inf": dom.diameter_inf}, ""

    return Hypothesis("bounded_domain", "the feasible set is bounded (finite diameters D, D∞)", check)


def convex_losses() -> Hypothesis:
    """Every loss f_t is convex (what online convex optimization's regret analyses assume).

    On a run: each seed's loss family is convex on every data row of its sequence — all built-in
    families are, except the zhang family on a row with a negative weight b (c·h with c < 0 is
    concave): :meth:`regret.losses.Family.convex_rows`.

    Unknown: when the run carries no loss sequence (a run rebuilt from its losses alone).
    """

    def check(ctx: Context):
        insts = ctx.run.instances
        if not insts:
            raise Unavailable("the run carries no loss sequence")
        fam = insts[0].family
        concave = sum(_concave_rows_played(inst, ctx.run.T) for inst in insts if not inst.family.always_convex)
        note = "" if not concave else f"{concave} data rows give concave losses (zhang family, b < 0)"
        return concave == 0, {"family": fam.name, "concave rows": concave}, note

    return Hypothesis("convex_losses", "every f_t is convex", check)


def _concave_rows_played(inst, T: int) -> int:
    """The data rows of rounds 1..T whose loss is concave (a row never played is no round's loss)."""
    played = inst.row_counts_between(0, min(int(T), inst.T)) > 0
    return int((played & ~inst.family.convex_rows(inst.b)).sum())


def custom(name: str, text: str, check: Callable[[Context], tuple], rel=None) -> Hypothesis:
    """Whatever ``text`` states (with ``rel``, a sympy relation to show beside it, if given).

    On a run: ``check(ctx)`` returns ``(holds, numbers, note)``: True, False or None, a dict of the
    numbers behind it (shown in the verdict) and a remark.

    Unknown: when ``check`` returns None, or raises :class:`Unavailable` (its message becomes the
    note); any other exception propagates.
    """
    return Hypothesis(name, text, check, rel)


def problem_is(names, text: str, **params) -> Hypothesis:
    """The run's loss sequence is the named construction (one of ``names``) with the given
    parameter values (keyword arguments: a number, or a predicate such as ``lambda v: v > 0``).

    On a run: the problem's name (from its label), then each parameter, the problem's defaults
    included: a number must match to a relative 1e-9, a predicate must return True; a parameter
    the problem does not have fails.

    Unknown: never.
    """
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
    """The first point played is x_1 = ``x1`` in every coordinate.

    On a run: the start point of every seed (``run.x_start``) equals ``x1`` (numpy's ``allclose``).

    Unknown: never.
    """
    rel = sp.Eq(sp.Symbol("x_1"), x1, evaluate=False)

    def check(ctx: Context):
        xs = ctx.run.x_start
        return bool(np.allclose(xs, x1)), {"x_1": _summary(xs)}, ""

    return Hypothesis("start", "start point", check, rel)


def unknown(name: str, text: str, why: str) -> Hypothesis:
    """A condition of the paper that is not pinned down (docs/sources.md §S7), stated as ``text``.

    On a run: nothing is checked.

    Unknown: always, with ``why`` as the note; so a theorem with such a hypothesis is at best
    INCONCLUSIVE (its reason still says what the numbers alone give).
    """
    return Hypothesis(name, text, lambda ctx: (None, {}, why))


CONSTRUCTORS = (relation, algorithm, no_eps, schedule, beta1_schedule_le, bounded_domain, bounded_iterates,
                bounded_gradients, convex_losses, problem_is, start_point, custom, unknown)


def _docstring_parts(fn) -> tuple:
    """(states, on a run, unknown) from a constructor's docstring: its first paragraph and the
    paragraphs that begin with "On a run:" and "Unknown:"."""
    doc = inspect.getdoc(fn) or ""
    paragraphs = [" ".join(line.strip() for line in p.splitlines()) for p in doc.split("\n\n") if p.strip()]
    states = paragraphs[0] if paragraphs else ""
    run = next((p[len("On a run:"):].strip() for p in paragraphs if p.startswith("On a run:")), "")
    unk = next((p[len("Unknown:"):].strip() for p in paragraphs if p.startswith("Unknown:")), "")
    return states, run, unk


def _signature(fn) -> str:
    params = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            params.append("**" + p.name)
        elif p.default is p.empty:
            params.append(p.name)
        else:
            params.append(f"{p.name}={p.default!r}")
    return f"{fn.__name__}({', '.join(params)})"


_ROLE = re.compile(r":(?:func|class|mod|meth|data):`(\.?)([^`]+)`")


def _markdown(text: str) -> str:
    """Docstring markup as Markdown: ``x`` and :func:`x` become `x` (:mod:`.x`: `regret.theory.x`)."""
    text = _ROLE.sub(lambda m: f"`{'regret.theory.' if m.group(1) else ''}{m.group(2)}`", text)
    return text.replace("``", "`").replace("|", "\\|")


def catalogue() -> str:
    """The Markdown table of the hypothesis constructors (:data:`CONSTRUCTORS`): what each states,
    what it checks on a run and when it is unknown, from their docstrings (docs/extending.md holds
    it; a test keeps the two equal)."""
    rows = ["| constructor | states | on a run | unknown when |", "| --- | --- | --- | --- |"]
    for fn in CONSTRUCTORS:
        cells = [f"`H.{_signature(fn)}`"] + [_markdown(c) for c in _docstring_parts(fn)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


__all__ = ["Hypothesis", "HypothesisResult", "CONSTRUCTORS", "catalogue", "compare", "show",
           *(fn.__name__ for fn in CONSTRUCTORS)]
