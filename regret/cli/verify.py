"""`regret verify`: check a published regret theorem against what an optimizer really does.

    regret verify kingma-ba-4.1                      # the theorem's default setting
    regret verify reddi-4 --optimizer amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt \\
                          --problem reddi:C=3 --T 1e6
    regret verify --list
    regret verify --bound "5*D*G*sqrt(T)" --optimizer sgd:alpha=0.1,schedule=sqrt --problem linear:d=5 --T 1e5
    regret verify hazan-3.1 --bound "D*G*sqrt(T)"      # another bound under hazan-3.1's hypotheses
    regret verify path/to/mythm.py:MY_THEOREM           # a regret.theory.Theorem of one's own

Prints the theorem (citation, algorithm, bound, its order in T derived by sympy), the hypotheses with
their truth values and the numbers behind them, measured regret against the bound at the
checkpoints, the fitted growth exponent of R(T) over the tail (log-log least squares, bootstrap CI
over seeds), R(T)/√T and R(T)/T, and the verdict: HOLDS, VIOLATED (first violating checkpoint and
measured/bound ratio), NOT APPLICABLE (which hypothesis fails) or INCONCLUSIVE (a hypothesis or
quantity is unknown, or the bound lies within the comparator's error bar).

Exit status: 0 when the verdict is the expected one (``--expect``, default HOLDS; ``--expect any``:
whenever the check ran), 1 when it is another verdict, 2 on invalid input. A CI job that guards a
bound runs ``regret verify THM …``; one that documents a known violation runs
``regret verify kingma-ba-4.1 --expect VIOLATED``.
"""
from __future__ import annotations

import json


from .. import engine  # theory, analysis and sympy are imported where used: ~1 s every `regret` start-up paid
from ..errors import InvalidInput
from .util import json_safe, make_optimizer, make_problem, parse_T, parse_positive_int

SCHEMA = "regret.verify/1"
EXPECT = ("HOLDS", "VIOLATED", "NOT-APPLICABLE", "INCONCLUSIVE", "any")


def add_parser(sub) -> None:
    doc = __doc__.split("\n\n")
    p = sub.add_parser("verify", help="check a published regret theorem against measured regret",
                       description=doc[0] + "\n\n" + doc[2], epilog=doc[3],
                       formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("theorem", nargs="?", help="theorem key (see --list), e.g. kingma-ba-4.1, or FILE.py:NAME / "
                                             "module:NAME naming a regret.theory.Theorem of your own")
    p.add_argument("--theorem", dest="theorem_option", metavar="KEY|FILE.py:NAME", help="the same as the argument")
    p.add_argument("--bound", metavar="EXPR", help="check this bound, e.g. '5*D*G*sqrt(T)' (names: T, d, alpha, "
                                                  "beta1, beta2, lam, eps, D, D_inf, G, G_inf, Sigma_g, "
                                                  "Sigma_sqrtTv, …); with a theorem: under its hypotheses")
    p.add_argument("--list", action="store_true", help="list the theorems and their default settings")
    p.add_argument("--optimizer", metavar="NAME[:k=v,...]", help="optimizer spec [the theorem's default]")
    p.add_argument("--problem", metavar="NAME[:k=v,...]", help="problem spec [the theorem's default]")
    p.add_argument("--T", help="horizon, e.g. 1e6 [the theorem's default]")
    p.add_argument("--seeds", help="number of seeds [the theorem's default]")
    p.add_argument("--checkpoints", default="60", help="number of log-spaced checkpoints [60]")
    p.add_argument("--diameters", default="auto", choices=("auto", "domain", "observed"),
                   help="D, D∞ from the domain or the observed extent of iterates and x* [auto: domain if bounded]")
    p.add_argument("--tail", default="0.1", help="fit the exponent over T' ≥ tail·T [0.1: the last decade]")
    p.add_argument("--expect", default="HOLDS", choices=EXPECT,
                   help="the verdict that makes the exit status 0 [HOLDS]")
    p.add_argument("--json", action="store_true", help="print JSON (schema regret.verify/1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=main)


def _tail(text) -> float:
    try:
        v = float(text)
    except (TypeError, ValueError):
        raise InvalidInput("--tail", text, "a fraction in (0, 1]") from None
    if not 0 < v <= 1:
        raise InvalidInput("--tail", text, "a fraction in (0, 1]")
    return v


def build(args):
    """Validate everything before any work starts (bad input → one line, exit 2)."""
    from .. import theory

    if args.theorem is not None and args.theorem_option is not None:
        raise InvalidInput("--theorem", args.theorem_option, "given once (as the argument or as --theorem)")
    key = args.theorem if args.theorem is not None else args.theorem_option
    if key is None and args.bound is None:
        raise InvalidInput("theorem", None, "a theorem key, FILE.py:NAME, --bound EXPR, or --list")
    if key is not None:
        base = theory.get(key)  # an unknown key: InvalidInput with a "did you mean"
    if args.bound is not None:
        thm = base.with_bound(args.bound) if key is not None else theory.bound(args.bound)
        if key is None:
            for flag, value in (("--optimizer", args.optimizer), ("--problem", args.problem), ("--T", args.T)):
                if value is None:
                    raise InvalidInput(flag, None, "given: a --bound of one's own has no default run")
    else:
        thm = base
    opt = make_optimizer(args.optimizer) if args.optimizer else thm.default.optimizer_spec()
    T = parse_T(args.T) if args.T is not None else thm.default.T
    spec = make_problem(args.problem, T) if args.problem else thm.default.problem_spec()
    seeds = parse_positive_int(args.seeds, "--seeds") if args.seeds is not None else thm.default.seeds
    n_cp = parse_positive_int(args.checkpoints, "--checkpoints", maximum=1_000_000)
    return thm, opt, spec, T, seeds, n_cp, _tail(args.tail)


AUDIT_LIMIT = 2_000_000  # v̂_t of every round is kept for the Γ_t audit up to T·seeds·d entries


def _audit_size(spec, T: int, seeds: int) -> int:
    return T * seeds * int(spec.params.get("d", 1))


def verify(thm, opt, spec, T, seeds, n_cp=60, tail=0.1, diameters="auto") -> dict:
    """Run and check; everything the report shows, as Python objects."""
    from .. import analysis

    audit = thm.audit_gamma and _audit_size(spec, T, seeds) <= AUDIT_LIMIT
    run = thm.run(opt, spec, T=T, seeds=seeds, checkpoints=engine.default_checkpoints(T, n_cp), record_state=audit)
    verdict = thm.check(run, diameters=diameters)
    out = {"theorem": thm, "run": run, "verdict": verdict, "order": None if thm.kind == "limit" else thm.order()}
    if thm.audit_gamma:
        out["gamma"] = _gamma(run) if audit else None
    if thm.measured is None:
        out["growth"] = analysis.growth_exponent(run, tail=tail)
        out["summary"] = analysis.summary(run, tail=tail)
    return out


def _gamma(run):
    """The Γ_t ⪰ 0 step of the proof along this run (regret.theory.audit), or None if the module is absent."""
    try:
        from ..theory import audit
    except ImportError:
        return None
    return audit.gamma(run)


def main(args) -> int:
    if args.list:
        print(json.dumps(list_json(), indent=2) if args.json else list_table())
        return 0
    thm, opt, spec, T, seeds, n_cp, tail = build(args)
    res = verify(thm, opt, spec, T, seeds, n_cp, tail, args.diameters)
    print(json.dumps(to_json(res), indent=2, allow_nan=False) if args.json else report(res))
    want = args.expect.replace("-", " ")
    return 0 if want == "any" or res["verdict"].status == want else 1


# -- output ------------------------------------------------------------------------------------------
def list_table() -> str:
    from .. import theory

    rows = [("theorem", "kind", "title", "default setting")]
    for t in theory.all():
        d = t.default.describe()
        rows.append((t.key, t.kind, t.title, f"{d['optimizer']} on {d['problem']}, T={d['T']}, seeds={d['seeds']}"))
    widths = [max(len(r[j]) for r in rows) for j in range(3)]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 15)
    return "\n".join(lines)


def list_json() -> dict:
    from .. import theory

    return {"schema": SCHEMA + "#list", "theorems": [t.describe() for t in theory.all()]}


def statement_text(thm) -> str:
    import sympy as sp

    from ..theory.base import RELATION

    rel = RELATION[thm.kind].strip()
    lhs = thm.measured_name()
    if thm.kind.endswith("expectation"):
        lhs = f"E[{lhs}]"
    legend = "".join(f"\n    {s.symbol} = {s.text}" for s in thm.statistics)
    where = " as {} → {}".format(*thm.variable) if thm.kind == "limit" else ""
    return f"{lhs} {rel} {sp.sstr(thm.bound_expr)}{where}{legend}"


def report(res) -> str:
    import sympy as sp

    thm, run, v, order = res["theorem"], res["run"], res["verdict"], res["order"]
    seeds = run.seeds
    seed_text = f"seeds {seeds[0]}..{seeds[-1]}" if len(seeds) > 1 else f"seed {seeds[0]}"
    lines = [f"{thm.key}: {thm.title}", f"citation: {thm.citation}", f"algorithm: {thm.algorithm}",
             f"statement: {statement_text(thm)}"]
    if order is not None:
        lines.append(f"order in T (sympy, worst-case statistics): {order} (coefficient {sp.sstr(order.coefficient)})")
    if getattr(run, "runs", None) is not None:  # a limit in a hyperparameter: its family of runs
        var = thm.limit.variable
        family = ", ".join(f"{x:g}" for x in run.values)
        lines.append(f"family: {var} ∈ {{{family}}}" + (f"; reference {run.reference.optimizer.label()}"
                                                          if run.reference is not None else ""))
    lines += [f"run: {run.optimizer.label()} on {run.problem} ({run.family}, {run.domain}), T={run.T}, {seed_text}",
             "", v.hypotheses_table(), "", v.checkpoint_table(), ""]
    if v.values:
        lines.append("evaluated with: " + ", ".join(f"{k}={val:.6g}" for k, val in v.values.items()))
    if "gamma" in res:
        g = res["gamma"]
        lines.append("proof step Γ_t = √V_t/α_t − √V_(t−1)/α_(t−1) ⪰ 0 (Reddi et al. §3): "
                     + (g.text() if g is not None else
                        f"not audited (T·seeds·d > {AUDIT_LIMIT}: v̂_t of every round not kept)"))
    if "growth" in res:
        sm = res["summary"]
        lines += [f"growth: {res['growth']}",
                  f"at T={sm['T']}: R = {sm['R_mean']:.6g}, R/sqrt(T) = {sm['R_over_sqrt_T']:.4g}, "
                  f"R/T = {sm['R_over_T']:.4g} (mean over seeds)"]
    lines.append(f"verdict: {v.status} — {v.reason}")
    return "\n".join(lines)


def to_json(res) -> dict:
    from .. import analysis

    thm, run, v = res["theorem"], res["run"], res["verdict"]
    out = {"schema": SCHEMA, "theorem": thm.describe(),
           "order": None if res["order"] is None else res["order"].to_dict(),
           "run": {"optimizer": run.optimizer.label(), "hyperparameters": run.optimizer.hyperparameters(),
                   "problem": run.problem, "family": run.family, "domain": run.domain, "T": run.T,
                   "d": run.d, "seeds": list(run.seeds)},
           "verdict": v.to_dict()}
    if "gamma" in res:
        out["gamma_audit"] = res["gamma"].summary() if res["gamma"] is not None else None
    if "growth" in res:
        out["growth"] = res["growth"].to_dict()
        out["summary"] = res["summary"]
        out["rates"] = analysis.rates(run).to_dict()
    return json_safe(out)

