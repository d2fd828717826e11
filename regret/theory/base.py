"""Theorems as data: symbols, hypotheses, ONE sympy bound, the algorithm it speaks of, the citation;
and what can be done with them against a run.

    >>> from regret import theory
    >>> thm = theory.get("kingma-ba-4.1")
    >>> run = thm.default_run(T=3000)
    >>> thm.check(run).status
    'VIOLATED'
    >>> str(thm.order())
    'sqrt(T)'

API (each method takes a :class:`regret.RunResult`):
* ``hypotheses(run)`` — each hypothesis with its truth value (True / False / None) and numbers;
* ``bound(run, checkpoint=None)`` — the bound, lambdified from the one expression, with the run's
  parameters and measured statistics ((S, K) over seeds and checkpoints, or (S,) at one checkpoint);
* ``order()`` — the growth in T, derived by sympy (limits of log B / log T and of the remaining
  log-power) after substituting the statistics' worst cases (e.g. ‖g_{1:T,i}‖₂ ≤ G∞√T);
* ``check(run)`` — a :class:`~regret.theory.verdict.Verdict`;
* ``latex()`` — the statement for a paper.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

from ..errors import InvalidInput, require
from . import statistics as ST
from . import symbols as Q
from .compare import sides, worst_coordinate
from .context import Context, Unavailable
from .hypotheses import HypothesisResult
from .verdict import HOLDS, INCONCLUSIVE, NOT_APPLICABLE, VIOLATED, Verdict

KINDS = ("upper", "lower", "expectation", "lower-expectation", "limit")
RELATION = {"upper": " ≤ ", "lower": " ≥ ", "expectation": " = ", "lower-expectation": " ≥ ", "limit": " → "}
Z_CRIT = 4.0  # statistical statements: |mean − claim| > 4 standard errors counts as a violation
RTOL = 1e-9  # rounding slack of the measured sums, relative to their magnitude


@dataclass(frozen=True)
class Setting:
    """A theorem's default run: optimizer and problem (name, parameters), horizon and seeds."""

    optimizer: tuple
    problem: tuple
    T: int
    seeds: int = 1

    def optimizer_spec(self):
        from ..optimizers import optimizer

        return optimizer(self.optimizer[0], **self.optimizer[1])

    def problem_spec(self):
        from ..problems import problem

        return problem(self.problem[0], **self.problem[1])

    def describe(self) -> dict:
        return {"optimizer": _spec_text(*self.optimizer), "problem": _spec_text(*self.problem), "T": self.T,
                "seeds": self.seeds}


def _spec_text(name, params) -> str:
    return name + (":" + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")


@dataclass(frozen=True)
class Order:
    """Growth T^a (log T)^b of a bound, derived by sympy; ``coefficient`` is the limit of
    bound / (T^a log^b T) in the theorem's symbols; ``worst_case`` the expression it came from."""

    exponent: sp.Expr
    log_power: sp.Expr
    coefficient: sp.Expr
    worst_case: sp.Expr

    @property
    def expr(self) -> sp.Expr:
        return Q.T ** self.exponent * sp.log(Q.T) ** self.log_power

    def __str__(self) -> str:
        a, b = self.exponent, self.log_power
        if b == 0:
            return sp.sstr(Q.T ** a)
        if a == b:
            return sp.sstr(sp.Pow(Q.T * sp.log(Q.T), a, evaluate=False))
        return sp.sstr(self.expr)

    def to_dict(self) -> dict:
        return {"order": str(self), "exponent": sp.sstr(self.exponent), "log_power": sp.sstr(self.log_power),
                "coefficient": sp.sstr(self.coefficient)}


@functools.lru_cache(maxsize=64)
def growth(dep: sp.Expr) -> tuple:
    """(a, b, c) with dep(T) ~ c·T^a·(log T)^b as T → ∞, for an expression in T alone: sympy's limits
    of L/log T, (L − a log T)/log log T and L − a log T − b log log T, L = log dep. Binomials and
    gamma functions are first put in gamma form and simplified (Legendre's duplication formula turns
    the central binomial into a ratio of gamma functions, which sympy's limits handle quickly)."""
    if not dep.has(Q.T):
        return sp.Integer(0), sp.Integer(0), dep
    g = sp.gammasimp(dep.rewrite(sp.gamma)) if dep.has(sp.binomial, sp.gamma, sp.factorial) else dep
    L = sp.expand_log(sp.log(g), force=True)
    lT, llT = sp.log(Q.T), sp.log(sp.log(Q.T))
    a = sp.limit(L / lT, Q.T, sp.oo)
    b = sp.limit((L - a * lT) / llT, Q.T, sp.oo)
    c = sp.limit(L - a * lT - b * llT, Q.T, sp.oo)
    if not all(v.is_finite for v in (a, b, c)):
        raise ArithmeticError(f"sympy found no growth T^a log^b T for {dep}: a={a}, b={b}, log c={c}")
    return a, b, sp.exp(c)


@functools.lru_cache(maxsize=256)
def bound_namespace() -> dict:
    """The names a bound written as text may use: the symbols of :mod:`.symbols` by their plain
    names (T, d, alpha, eta, beta1, beta2, lambda, epsilon, delta, D, D_inf, G, G_inf, C) and the run
    statistics of :mod:`.statistics` by their symbol names (Sigma_g = Σ_i ‖g_{1:T,i}‖₂,
    Sigma_sqrtTv = Σ_i √(T v̂_{T,i}), …), with sqrt, log, exp, floor and pi."""
    ns = {name: sym for sym, name in Q.NAMES.items()}
    ns.update({"lam": Q.lam, "eps": Q.eps})
    ns.update({str(sym): sym for sym in ST.REGISTRY})
    ns.update({"sqrt": sp.sqrt, "log": sp.log, "exp": sp.exp, "floor": sp.floor, "pi": sp.pi})
    return ns


def parse_bound(expr) -> sp.Expr:
    """A bound as a sympy expression: ``expr`` itself, or text such as ``"5*D*G*sqrt(T)"`` in the
    names of :func:`bound_namespace` (any other name is an error that lists the allowed ones)."""
    if isinstance(expr, sp.Basic):
        return expr
    if isinstance(expr, (int, float)):
        return sp.sympify(expr)
    require(isinstance(expr, str) and expr.strip(), "bound", expr, "a sympy expression or its text, e.g. 5*D*G*sqrt(T)")
    ns = bound_namespace()
    try:
        parsed = sp.parse_expr(expr, local_dict=ns, global_dict={"Integer": sp.Integer, "Float": sp.Float,
                                                                  "Rational": sp.Rational, "Symbol": sp.Symbol})
    except Exception as e:  # sympy's parser raises many types; the user gets one line
        raise InvalidInput("bound", expr, f"an expression in {sorted(ns)} ({type(e).__name__}: {e})") from None
    unknown = sorted(str(s) for s in getattr(parsed, "free_symbols", ()) if s not in set(ns.values()))
    require(not unknown, "bound", expr, f"an expression in the known names {sorted(ns)}; unknown: {unknown}")
    return parsed


def _lambdify(expr: sp.Expr, syms: tuple):
    return sp.lambdify(syms, expr, modules=["numpy", {"floor": np.floor, "ceiling": np.ceil}])


@dataclass(frozen=True, eq=False)
class Theorem:
    """A regret bound (or lower bound) as data; public, for statements of one's own (docs/extending.md,
    "A theorem of your own", has an example and the exact rules).

    * ``key``, ``title``, ``citation`` (paper, version, how the text was obtained: docs/sources.md);
    * ``kind``: ``"upper"`` (M ≤ B), ``"lower"`` (M ≥ B), ``"expectation"`` (E[M] = B),
      ``"lower-expectation"`` (E[M] ≥ B) or ``"limit"`` (M → B as T → ∞, or as the hyperparameter of
      ``limit`` tends to its limit point: :mod:`.limit`), where M is the regret R(T) or ``measured``;
    * ``bound_expr``: B, one sympy expression in :mod:`.symbols` and :mod:`.statistics`;
    * ``hypothesis_list``: hypotheses of :mod:`.hypotheses`; ``algorithm``: what the statement speaks of;
    * ``default``: the :class:`Setting` of ``default_run()``;
    * ``measured`` (a statistic instead of R(T)), ``valid_from`` (asserted for T ≥ it), ``unknowns``
      ({symbol: least value} of constants the paper only asserts to exist), ``adjust`` (ctx →
      {symbol: value}, the constants a proof chooses), ``notes``, ``variant_of``, ``audit_gamma``
      (the proof telescopes with Γ_t ⪰ 0).

    ``check(run)`` decides the verdict: the numbers against the bound with the comparator's error
    bar (``RTOL``), or in standard errors for the expectation kinds (``Z_CRIT``), then the
    hypotheses (a failing one: NOT APPLICABLE; an unknown one: INCONCLUSIVE).
    """

    key: str
    title: str
    citation: str  # paper, arXiv id / venue, theorem number, version
    kind: str
    bound_expr: sp.Expr
    hypothesis_list: tuple
    algorithm: str  # the optimizer and schedule the statement speaks of
    default: Setting
    measured: ST.Statistic | None = None  # None: the regret R(T)
    valid_from: sp.Expr = sp.Integer(1)  # the statement speaks of T ≥ valid_from
    unknowns: dict = field(default_factory=dict)  # existential constants {symbol: least value}
    adjust: Callable | None = None  # ctx -> {symbol: value} overriding the standard values
    notes: str = ""
    variant_of: str = ""
    audit_gamma: bool = False  # the proof telescopes with Γ_t = √V_t/α_t − √V_{t−1}/α_{t−1} ⪰ 0 (regret.theory.audit)
    limit: object = None  # kind "limit" in a hyperparameter: a regret.theory.limit.ParameterLimit (None: T → ∞)

    def __post_init__(self):
        require(self.kind in KINDS, "kind", self.kind, f"one of {KINDS}")
        require(self.limit is None or self.kind == "limit", "limit", self.limit, 'None unless kind is "limit"')

    @property
    def variable(self) -> tuple:
        """(variable, limit point) of a limit statement: ("T", "∞") or the hyperparameter's."""
        return ("T", "∞") if self.limit is None else (self.limit.variable, self.limit.toward)

    # -- the expression ----------------------------------------------------------------------------
    @property
    def statistics(self) -> list:
        return [ST.REGISTRY[s] for s in self.bound_expr.free_symbols if s in ST.REGISTRY]

    @property
    def per_coordinate(self) -> bool:
        return (self.measured is not None and self.measured.per_coordinate) or any(
            s.per_coordinate for s in self.statistics)

    def measured_name(self) -> str:
        return self.measured.text if self.measured is not None else "R(T)"

    def latex(self) -> str:
        """The statement, e.g. ``R(T) \\le \\frac{D^{2} ...}``."""
        names = {s.symbol: s.latex for s in self.statistics}
        lhs = self.measured.latex if self.measured is not None else "R(T)"
        rel = {"upper": r"\le", "lower": r"\ge", "expectation": "=", "lower-expectation": r"\ge",
               "limit": "="}[self.kind]
        if self.kind in ("expectation", "lower-expectation"):
            lhs = rf"\mathbb{{E}}[{lhs}]"
        if self.kind == "limit":
            var, to = self.variable
            var = self.limit.latex or var if self.limit is not None else var
            to = r"\infty" if to == "∞" else to
            lhs = rf"\lim_{{{var} \to {to}}} {lhs}"
        return f"{lhs} {rel} {sp.latex(self.bound_expr, symbol_names=names)}"

    def expression(self) -> sp.Expr:
        """The bound with every run statistic replaced by its definition (sums over t and i)."""
        return self.bound_expr.xreplace({s.symbol: s.definition for s in self.statistics})

    def with_bound(self, expr, key: str | None = None, title: str | None = None) -> "Theorem":
        """Another bound under this theorem's hypotheses and for its algorithm: a new statement, so its
        title shows the new bound and it keeps none of this theorem's parameter adjustments (the
        constants a proof chose, such as Hazan's G = D/α): every symbol takes the value measured in
        the run. ``expr`` is a sympy expression or a string in the symbols of
        :mod:`regret.theory.symbols` and :mod:`regret.theory.statistics` (e.g. ``"5*D*G*sqrt(T)"``)."""
        bound = parse_bound(expr)
        lhs = self.measured_name() if self.kind in ("upper", "lower", "limit") else f"E[{self.measured_name()}]"
        shown = lhs + RELATION[self.kind] + sp.sstr(bound)
        return dataclasses.replace(
            self, bound_expr=bound, key=key or self.key + "~bound", adjust=None, variant_of=self.key,
            title=title or f"{self.title}, with the bound {shown}",
            notes=f"the bound of {self.key} replaced by {sp.sstr(bound)}; hypotheses and algorithm of {self.key}")

    def replaced(self, mapping: dict, key: str | None = None) -> "Theorem":
        """The same statement with sub-expressions of its bound replaced (``xreplace``): a mutation
        of this theorem (tests change a constant and expect it to fail), keeping its adjustments."""
        return dataclasses.replace(self, bound_expr=self.bound_expr.xreplace(mapping),
                                   key=key or self.key + "~mutated")

    # -- order in T --------------------------------------------------------------------------------
    def worst_case(self) -> sp.Expr:
        """The bound with each statistic replaced by its worst case under the hypotheses."""
        return self.bound_expr.xreplace({s.symbol: s.worst for s in self.statistics})

    @functools.cached_property
    def _order(self) -> Order:
        # distribute the top-level products only, so that each term's constant factor keeps the paper's shape
        e = sp.expand(self.worst_case().doit(), deep=False, power_base=False, power_exp=False, log=False,
                      multinomial=False)
        parts = []  # (a, b, growth constant, constant factor) of every term c·dep(T)
        for term in sp.Add.make_args(e):
            c, dep = term.as_independent(Q.T, as_Add=False)
            parts.append((*growth(dep), c))
        a = max(p[0] for p in parts)
        b = max(p[1] for p in parts if p[0] == a)
        coef = sp.factor_terms(sum(p[3] * p[2] for p in parts if (p[0], p[1]) == (a, b)))
        return Order(a, b, coef, e)

    def order(self) -> Order:
        """Growth in T derived by sympy from the bound (see the module docstring)."""
        return self._order

    # -- evaluation against a run ------------------------------------------------------------------
    def context(self, run, diameters: str = "auto") -> Context:
        from .limit import LimitRuns

        if isinstance(run, LimitRuns):  # the family's hypotheses are read off its first run (see check)
            run = run.base
        return run if isinstance(run, Context) else Context(run, diameters)

    def run_options(self, opt=None) -> dict:
        """The records a run needs for this theorem (``record_state`` / ``record_iterates``)."""
        stats = list(self.statistics) + ([self.measured] if self.measured is not None else [])
        need_state = any(s in (ST.LEMMA_10_4_LHS,) for s in stats) or (
            ST.SUM_BETA_V in stats and (opt is None or float(getattr(opt, "beta1", 0.0)) != 0.0))
        need_iter = any(s in (ST.LEMMA_10_3_LHS, ST.LEMMA_10_4_LHS) for s in stats)
        return {"record_state": need_state, "record_iterates": need_iter}

    def values(self, run, diameters: str = "auto") -> dict:
        """{symbol: number or array} for every free symbol of the bound in this run."""
        ctx = self.context(run, diameters)
        vals = dict(ctx.base_values)
        for s in self.statistics:
            vals[s.symbol] = s.evaluate(ctx)
        vals.update(self.unknowns)
        if self.adjust is not None:
            vals.update(self.adjust(ctx))
        return vals

    def _evaluate(self, ctx: Context) -> np.ndarray:
        vals = self.values(ctx)
        expr = self.bound_expr.xreplace({k: sp.Integer(v) if isinstance(v, int) else v
                                         for k, v in self.unknowns.items()}).doit()
        syms = tuple(sorted(expr.free_symbols, key=str))
        missing = [s for s in syms if s not in vals]
        if missing:
            raise Unavailable(f"no value for {', '.join(Q.name(s) for s in missing)} in this run")
        args = []
        for s in syms:
            v = np.asarray(vals[s], dtype=np.float64)
            if self.per_coordinate and v.ndim == 2:
                v = v[..., None]
            args.append(v)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.asarray(_lambdify(expr, syms)(*args), dtype=np.float64)
        shape = (ctx.S, ctx.K, ctx.run.d) if self.per_coordinate else (ctx.S, ctx.K)
        return np.broadcast_to(out, shape).copy()

    def bound(self, run, checkpoint: int | None = None, diameters: str = "auto") -> np.ndarray:
        """The bound with this run's numbers: (S, K) (per coordinate: (S, K, d)), or at one checkpoint."""
        ctx = self.context(run, diameters)
        out = self._evaluate(ctx)
        if checkpoint is None:
            return out
        cps = list(int(c) for c in ctx.run.checkpoints)
        require(int(checkpoint) in cps, "checkpoint", checkpoint, f"one of the run's checkpoints {cps[:6]}…")
        return out[:, cps.index(int(checkpoint))]

    def hypotheses(self, run, diameters: str = "auto") -> list[HypothesisResult]:
        from .limit import LimitRuns

        if isinstance(run, LimitRuns):
            return self._family_hypotheses(run, diameters)
        ctx = self.context(run, diameters)
        return [h.evaluate(ctx) for h in self.hypothesis_list]

    def _family_hypotheses(self, runs, diameters: str) -> list[HypothesisResult]:
        """Each hypothesis on every run of a limit's family: the first run where it fails, else the
        first where it is unknown, else the first run's result."""
        per_run = [[h.evaluate(Context(r, diameters)) for h in self.hypothesis_list] for r in runs.runs]
        out = []
        for results in zip(*per_run):
            bad = [r for r in results if r.holds is False] or [r for r in results if r.holds is None]
            out.append(bad[0] if bad else results[0])
        return out

    def _measured(self, ctx: Context):
        """(measured, error half-width) as (S, K) (or (S, K, d)) arrays."""
        if self.measured is None or self.measured is ST.AVERAGE_REGRET:
            R = ST.regret(ctx)
            scale = np.maximum(1.0, np.maximum(np.abs(ctx.run.learner_loss), np.abs(ctx.run.comparator_loss)))
            band = ST.certificate(ctx) + RTOL * scale
            if self.measured is None:
                return R, band
            T = np.asarray(ctx.run.checkpoints, dtype=np.float64)
            return R / T, band / T
        m = np.asarray(self.measured.evaluate(ctx), dtype=np.float64)
        return m, RTOL * np.maximum(1.0, np.abs(m))

    def asserted(self, ctx: Context) -> np.ndarray:
        vf = self.valid_from
        if vf.free_symbols:
            vf = vf.xreplace({s: ctx.base_values[s] for s in vf.free_symbols if s in ctx.base_values})
        return ctx.run.checkpoints >= float(vf)

    def check(self, run, diameters: str = "auto", exact: bool = True) -> Verdict:
        """HOLDS / VIOLATED / NOT APPLICABLE / INCONCLUSIVE, with the numbers (see :mod:`.verdict`).
        ``exact``: a violated upper or lower bound is replayed round by round up to its first violated
        checkpoint, so that the first violation is the exact round (:mod:`.exact`)."""
        from .limit import LimitRuns, check_limit

        if self.limit is not None:
            require(isinstance(run, LimitRuns), "run", type(run).__name__,
                    f"the runs of {self.key}'s family over {self.limit.variable} (theorem.run(...) or default_run())")
        ctx = self.context(run, diameters)
        hyps = self.hypotheses(run if isinstance(run, LimitRuns) else ctx, diameters)
        v = Verdict(self.key, self.title, self.kind, INCONCLUSIVE, "", hyps, ctx.run.checkpoints,
                    list(ctx.run.seeds), measured_name=self.measured_name())
        failed = [h for h in hyps if h.holds is False]
        unknown = [h for h in hyps if h.holds is None]
        try:
            if self.kind == "limit":
                outcome, detail = check_limit(self, run, ctx, v, RTOL)
            else:
                measured, band = self._measured(ctx)
                bound = self._evaluate(ctx)
        except Unavailable as exc:
            v.reason = f"cannot evaluate: {exc}"
            if failed:
                v.status, v.reason = NOT_APPLICABLE, _failed_text(failed) + f" (and {exc})"
            return v
        if self.kind != "limit":
            v.values = self._scalar_values(ctx)
            asserted = self.asserted(ctx)
            if self.per_coordinate:
                measured, band, bound = worst_coordinate(measured, band, bound, self.kind)
            v.measured, v.band, v.bound, v.asserted = measured, band, bound, asserted
            outcome, detail = self._compare(ctx, measured, band, bound, asserted, v)
        if outcome == VIOLATED and exact and self.kind in ("upper", "lower") and not isinstance(run, Context):
            from .exact import pin_down

            pin_down(self, ctx.run, ctx.diameters, v)
            detail = self._violation_text(v)
        if failed:
            v.status = NOT_APPLICABLE
            v.reason = _failed_text(failed) + f" (the numbers alone: {outcome})"
        elif unknown:
            v.status = INCONCLUSIVE
            v.reason = ("hypothesis unknown: " + "; ".join(f"{h.statement} ({h.note})" if h.note else h.statement
                                                           for h in unknown) + f" (the numbers alone: {outcome})")
        elif outcome == VIOLATED and self.unknowns:
            v.status = INCONCLUSIVE
            v.reason = (f"violated with the least values {self._unknown_text()} of constants the paper only "
                        f"asserts to exist; the bound grows with them ({detail})")
        else:
            v.status, v.reason = outcome, detail
        return v

    def _unknown_text(self) -> str:
        return ", ".join(f"{Q.name(k)}={v}" for k, v in self.unknowns.items())

    def _scalar_values(self, ctx: Context) -> dict:
        """The numbers the bound was evaluated with: parameters as they are, measured ones as max."""
        out = {}
        for s, val in self.values(ctx).items():
            if s not in self.bound_expr.free_symbols or s in ST.REGISTRY or s == Q.T:
                continue
            a = np.asarray(val, dtype=np.float64)
            out[Q.name(s) if a.ndim == 0 else Q.name(s) + " (max)"] = float(a.max())
        return out

    def _violation_text(self, v: Verdict) -> str:
        fv = v.first_violation
        where = f"first violation at T={fv['T']}"
        if fv.get("exact"):
            where += " (exact: every round evaluated)"
        elif "exact" in fv:
            where += f" (the first violated checkpoint; {fv['why']})"
        text = (f"{where} (seed {fv['seed']}): {self.measured_name()} = {fv['measured']:.6g} "
                f"{'>' if self.kind == 'upper' else '<'} bound {fv['bound']:.6g} (ratio {fv['ratio']:.4g}); "
                f"violated for {fv['violated_seeds']}/{fv['seeds']} seeds at the checkpoints")
        if fv.get("last_hold") == 0:
            text += "; fails at every round from T=1 to T"
        elif fv.get("last_hold") is not None:
            text += f"; holds for the last time at T={fv['last_hold']}, fails at every round after it to T"
        elif fv.get("last_hold_note"):
            text += f"; the last round at which it holds: {fv['last_hold_note']}"
        return text + f"; worst ratio {v.worst['ratio']:.4g} at T={v.worst['T']}"

    def _compare(self, ctx, measured, band, bound, asserted, v: Verdict):
        cps = ctx.run.checkpoints
        seeds = list(ctx.run.seeds)
        if not np.any(asserted):
            return INCONCLUSIVE, f"no checkpoint with T ≥ {sp.sstr(self.valid_from)}, where the statement applies"
        if self.kind in ("upper", "lower"):
            viol, ok = sides(self.kind, measured, band, bound, asserted[None, :])
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(bound != 0, measured / bound, np.inf)
            ratio_a = np.where(asserted[None, :], ratio, np.nan)
            j, k = np.unravel_index(np.nanargmax(ratio_a) if self.kind == "upper" else np.nanargmin(ratio_a),
                                    ratio.shape)
            v.worst = {"seed": seeds[j], "T": int(cps[k]), "measured": float(measured[j, k]),
                       "bound": float(bound[j, k]), "ratio": float(ratio[j, k])}
            if viol.any():
                ks = np.where(viol.any(axis=0))[0]
                k = int(ks[0])
                j = int(np.where(viol[:, k])[0][0])
                v.first_violation = {"seed": seeds[j], "T": int(cps[k]), "measured": float(measured[j, k]),
                                     "error_bar": float(band[j, k]), "bound": float(bound[j, k]),
                                     "ratio": float(ratio[j, k]),
                                     "violated_seeds": int(viol.any(axis=1).sum()), "seeds": len(seeds)}
                return VIOLATED, self._violation_text(v)
            if ok.all():
                return HOLDS, (f"{'≤' if self.kind == 'upper' else '≥'} bound at all {int(asserted.sum())} "
                               f"checkpoints × {len(seeds)} seeds; worst measured/bound = {v.worst['ratio']:.4g} "
                               f"at T={v.worst['T']}")
            k = int(np.flatnonzero(~ok.all(axis=0))[0])
            return INCONCLUSIVE, (f"the bound lies within the error bar of {self.measured_name()} at some checkpoint "
                                  f"(first at T={int(cps[k])}: the comparator's certificate and the rounding of the "
                                  "sums leave the side undecided)")
        # statements about expectations: mean over seeds against the claim, in standard errors
        S = measured.shape[0]
        if S < 2:
            return INCONCLUSIVE, "a statement about an expectation needs several seeds (got 1)"
        mean = measured.mean(axis=0)
        se = measured.std(axis=0, ddof=1) / np.sqrt(S) + band.max(axis=0)
        claim = bound.mean(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, (mean - claim) / se, np.where(mean == claim, 0.0, np.sign(mean - claim) * np.inf))
        bad = (np.abs(z) > Z_CRIT) if self.kind == "expectation" else (z < -Z_CRIT)
        bad &= asserted
        k = int(np.nanargmax(np.where(asserted, np.abs(z), np.nan)))
        v.worst = {"T": int(cps[k]), "mean": float(mean[k]), "std_error": float(se[k]), "claim": float(claim[k]),
                   "z": float(z[k]), "ratio": float(mean[k] / claim[k]) if claim[k] else float("nan")}
        v.worst.update(_interval(mean[k], se[k], claim[k], S))
        last = int(np.flatnonzero(asserted)[-1])
        v.power = _power(self.kind, se[last], claim[last], S, int(asserted.sum()), int(cps[last]))
        if bad.any():
            k = int(np.where(bad)[0][0])
            v.first_violation = {"seed": None, "T": int(cps[k]), "measured": float(mean[k]), "bound": float(claim[k]),
                                 "std_error": float(se[k]), "z": float(z[k]),
                                 "ratio": float(mean[k] / claim[k]) if claim[k] else float("nan"),
                                 **_interval(mean[k], se[k], claim[k], S)}
            fv = v.first_violation
            return VIOLATED, (f"at T={int(cps[k])} the mean over {S} seeds {mean[k]:.6g} (95% CI [{fv['ci_low']:.6g}, "
                              f"{fv['ci_high']:.6g}]) is {abs(z[k]):.1f} standard errors "
                              f"{'from' if self.kind == 'expectation' else 'below'} {claim[k]:.6g}; "
                              + _power_text(v.power))
        w = v.worst
        return HOLDS, (f"consistent at all {int(asserted.sum())} checkpoints: |z| ≤ {Z_CRIT:g} over {S} seeds "
                       f"(largest |z| = {abs(w['z']):.2f} at T={w['T']}: mean {w['mean']:.6g}, 95% CI "
                       f"[{w['ci_low']:.6g}, {w['ci_high']:.6g}], claim {w['claim']:.6g}); " + _power_text(v.power))

    # -- default runs ------------------------------------------------------------------------------
    def default_run(self, T: int | None = None, seeds=None, checkpoints=None):
        """Run the theorem's default setting (optimizer, problem) with the records it needs."""
        return self.run(self.default.optimizer_spec(), self.default.problem_spec(), T=T, seeds=seeds,
                        checkpoints=checkpoints)

    def run(self, optimizer, problem, T: int | None = None, seeds=None, checkpoints=None, seed: int = 0,
            record_state: bool = False):
        """``regret.run`` with the records this theorem needs (see :meth:`run_options`); ``record_state``
        asks for v̂_t of every round even if the bound does not need it (the Γ_t audit does). An
        :class:`regret.problems.Instance` (the user's arrays) is one sequence: one seed, and T at most
        its rounds (all of them by default)."""
        from ..runs import run as run_engine
        from ..optimizers import optimizer as make_optimizer
        from ..problems import Instance

        opt = make_optimizer(optimizer) if isinstance(optimizer, str) else optimizer
        if self.limit is not None:  # a limit in a hyperparameter: the family of runs (regret.theory.limit)
            from .limit import run_family

            return run_family(self.limit, opt, problem, T=self.default.T if T is None else T,
                              seeds=self.default.seeds if seeds is None else seeds, checkpoints=checkpoints,
                              seed=seed, run=run_engine)
        if isinstance(problem, Instance):
            T = problem.T if T is None else T
            seeds = 1 if seeds is None else seeds
        T = self.default.T if T is None else T
        seeds = self.default.seeds if seeds is None else seeds
        opts = self.run_options(opt)
        opts["record_state"] = opts["record_state"] or record_state
        return run_engine(opt, problem, T=T, seed=seed, seeds=seeds, checkpoints=checkpoints, **opts)

    def describe(self) -> dict:
        extra = {"limit": dict(zip(("variable", "toward"), self.variable))} if self.kind == "limit" else {}
        return {**extra, "key": self.key, "title": self.title, "citation": self.citation, "kind": self.kind,
                "algorithm": self.algorithm, "statement": self.latex(),
                "hypotheses": [h.statement() for h in self.hypothesis_list],
                "default": self.default.describe(), "variant_of": self.variant_of}


def _interval(mean: float, se: float, claim: float, S: int) -> dict:
    """The 95% confidence interval of the mean over S seeds (Student's t with S − 1 degrees of freedom,
    on the standard error the decision uses) and of its ratio to the claim."""
    from ..engine.result import t_quantile_95

    half = t_quantile_95(S) * float(se)
    out = {"ci_low": float(mean) - half, "ci_high": float(mean) + half}
    if claim:
        lo, hi = sorted(((float(mean) - half) / claim, (float(mean) + half) / claim))
        out.update(ratio_ci_low=lo, ratio_ci_high=hi)
    return out


def _power(kind: str, se: float, claim: float, S: int, K: int, T: int) -> dict:
    """What the |z| > Z_CRIT rule can and cannot see at S seeds: its false-alarm rate (a true claim
    reported VIOLATED) at one checkpoint — Student's t with S − 1 degrees of freedom, two-sided for
    ``expectation`` — and over the K checkpoints (a union bound), and the deviation of the mean from
    the claim at checkpoint T that it detects with probability 1/2 and 0.8 (normal approximation:
    a shift of (Z_CRIT + z_p) standard errors), relative to the claim where it is not 0."""
    from scipy.stats import norm, t as student

    sides = 2.0 if kind == "expectation" else 1.0
    one = sides * float(student.sf(Z_CRIT, S - 1))
    d50, d80 = Z_CRIT * float(se), (Z_CRIT + float(norm.ppf(0.8))) * float(se)
    out = {"T": T, "seeds": S, "false_alarm_per_checkpoint": one, "false_alarm_bound": min(1.0, K * one),
           "checkpoints": K, "detectable_50": d50, "detectable_80": d80}
    if claim:
        out.update(relative_50=d50 / abs(float(claim)), relative_80=d80 / abs(float(claim)))
    return out


def _power_text(p: dict) -> str:
    dev = (f"±{100 * p['relative_50']:.3g}% of the claim with probability 1/2, ±{100 * p['relative_80']:.3g}% with "
           f"probability 0.8" if "relative_50" in p else
           f"±{p['detectable_50']:.3g} with probability 1/2, ±{p['detectable_80']:.3g} with probability 0.8")
    return (f"the rule |z| > {Z_CRIT:g} reports a true claim as violated with probability ≤ "
            f"{p['false_alarm_bound']:.2g} over the {p['checkpoints']} checkpoints ({p['false_alarm_per_checkpoint']:.2g} "
            f"at each); at T={p['T']} with {p['seeds']} seeds it detects a deviation of the mean of {dev}")


def _failed_text(failed) -> str:
    return "hypothesis fails: " + "; ".join(f"{h.statement} ({h.note})" if h.note else h.statement for h in failed)
