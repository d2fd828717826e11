"""Machine-checked proof steps: the :class:`Proof` object every file of the top-level ``proofs/``
directory defines, the recorder its ``check`` writes to, and the discovery used by ``regret prove``.

A proof file states one identity or lemma (what it proves, where it comes from, how it is checked)
and defines ``PROOF = Proof(name, statement, citation, check)``. ``check(ctx, **params)`` walks
through the paper's argument and records every step on ``ctx``:

* ``ctx.symbolic(step, holds, detail, **numbers)`` — decided by sympy (an identity simplified to 0,
  a limit, a closed-form sum, a sign decided for all parameter values under stated assumptions);
* ``ctx.exact(step, holds, detail, **numbers)`` — exact rational / algebraic arithmetic at given
  values (a counterexample, a base case);
* ``ctx.numeric(step, holds, detail, **numbers)`` — floating-point evaluation on trajectories the
  engine recorded (counted through :meth:`Context.run` / :meth:`Context.trajectory`);
* ``ctx.not_proved(text)`` — what the file states precisely but does not establish;
* ``ctx.finding(text)`` — what the check found about the paper's printed claim (e.g. where it fails).

A step whose claim is false is recorded, not raised: the result says which step failed and with
which numbers. ``Proof.run(**params)`` returns a :class:`ProofResult` whose status is ``HOLDS``
(every step holds), ``FAILS`` (some step does not) or ``ERROR`` (the check raised). The keyword
parameters of ``check`` are the constants of the statement, so that a test can change one
(a mutation) and see the proof report ``FAILS``.
"""
from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import InvalidInput

HOLDS, FAILS, ERROR = "HOLDS", "FAILS", "ERROR"
KINDS = ("symbolic", "exact", "numeric")


def _plain(v):
    """Numbers as JSON-friendly Python values (sympy expressions as strings)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()] if v.size <= 20 else f"array{v.shape}"
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if v is None or isinstance(v, str):
        return v
    return str(v)


@dataclass
class Step:
    """One recorded step of a proof: its claim, how it was checked, whether it holds, the numbers."""

    name: str
    kind: str  # symbolic | exact | numeric
    holds: bool
    detail: str = ""
    numbers: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"step": self.name, "kind": self.kind, "holds": self.holds, "detail": self.detail,
                "numbers": _plain(self.numbers)}


@dataclass
class ProofResult:
    """What :meth:`Proof.run` returns."""

    name: str
    statement: str
    citation: str
    status: str
    steps: list
    trajectories: int
    findings: list
    not_proved: list
    seconds: float
    error: str | None = None
    params: dict = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return self.status == HOLDS

    @property
    def method(self) -> str:
        """"symbolic", "symbolic + numeric on 12 trajectories", "exact", ... (the kinds of steps used)."""
        parts = []
        kinds = {s.kind for s in self.steps}
        for k in KINDS:
            if k in kinds:
                if k == "numeric" and self.trajectories:
                    parts.append(f"numeric on {self.trajectories} trajectories")
                else:
                    parts.append(k)
        return " + ".join(parts) if parts else "none"

    @property
    def failed_steps(self) -> list:
        return [s for s in self.steps if not s.holds]

    def as_dict(self) -> dict:
        return {"name": self.name, "statement": self.statement, "citation": self.citation,
                "status": self.status, "method": self.method, "trajectories": self.trajectories,
                "seconds": round(self.seconds, 3), "steps": [s.as_dict() for s in self.steps],
                "failed_steps": [s.name for s in self.failed_steps], "findings": list(self.findings),
                "not_proved": list(self.not_proved), "error": self.error, "params": _plain(self.params)}

    def report(self, verbose: bool = False) -> str:
        """A readable account: the statement, every step with its verdict, findings, what is not proved
        (the numbers of a step are shown when it fails, or always with ``verbose``)."""
        lines = [f"{self.name}: {self.status} ({self.method}, {self.seconds:.1f} s)",
                 f"  statement: {self.statement}", f"  source: {self.citation}"]
        if self.params:
            lines.append(f"  parameters changed: {_plain(self.params)}")
        for s in self.steps:
            mark = "ok  " if s.holds else "FAIL"
            lines.append(f"  [{mark}] ({s.kind}) {s.name}")
            if s.detail:
                lines.append(f"         {s.detail}")
            if s.numbers and (verbose or not s.holds):
                for k, v in _plain(s.numbers).items():
                    lines.append(f"         {k} = {v}")
        for f in self.findings:
            lines.append(f"  finding: {f}")
        for n in self.not_proved:
            lines.append(f"  not proved: {n}")
        if self.error:
            lines.append(f"  ERROR: {self.error}")
        return "\n".join(lines)


class Context:
    """The recorder a proof's ``check`` writes its steps to (see the module docstring)."""

    def __init__(self):
        self.steps: list[Step] = []
        self.findings: list[str] = []
        self.unproved: list[str] = []
        self._trajectories: dict = {}

    # -- steps -------------------------------------------------------------------------------------
    def _add(self, kind, name, holds, detail, numbers) -> bool:
        ok = bool(holds)
        self.steps.append(Step(name, kind, ok, detail, dict(numbers)))
        return ok

    def symbolic(self, name: str, holds, detail: str = "", /, **numbers) -> bool:
        """A step sympy decided (``holds`` must come from sympy: an identity simplified to 0, ...)."""
        return self._add("symbolic", name, holds, detail, numbers)

    def exact(self, name: str, holds, detail: str = "", /, **numbers) -> bool:
        """A step decided by exact (rational/algebraic) arithmetic at given values."""
        return self._add("exact", name, holds, detail, numbers)

    def numeric(self, name: str, holds, detail: str = "", /, **numbers) -> bool:
        """A step evaluated in floating point on recorded trajectories."""
        return self._add("numeric", name, holds, detail, numbers)

    def identity(self, name: str, lhs, rhs, detail: str = "", /, **numbers) -> bool:
        """Symbolic step: ``lhs − rhs`` simplifies to 0 (the residual is reported when it does not)."""
        import sympy as sp

        residual = sp.simplify(sp.expand(lhs - rhs))
        ok = residual == 0
        if not ok:
            numbers = dict(numbers, lhs=str(lhs), rhs=str(rhs), residual=str(residual))
        return self.symbolic(name, ok, detail, **numbers)

    def finding(self, text: str) -> None:
        self.findings.append(text)

    def not_proved(self, text: str) -> None:
        self.unproved.append(text)

    # -- trajectories --------------------------------------------------------------------------------
    def run(self, optimizer, problem, T: int, seeds=1, **kw):
        """``regret.run`` (cached per call signature); each seed counts as one trajectory."""
        from ..runs import run

        key = ("run", repr(optimizer), repr(problem), T, repr(seeds), repr(sorted(kw.items())))
        if key not in self._trajectories:
            res = run(optimizer, problem, T, seeds=seeds, **kw)
            self._trajectories[key] = (res, len(res.seeds))
        return self._trajectories[key][0]

    def trajectory(self, optimizer, problem, T: int, seed: int = 0, **kw):
        """:func:`regret.theory.audit.record` (iterates, v̂ and recomputed gradients), counted once."""
        from .audit import record

        key = ("traj", repr(optimizer), repr(problem), T, seed, repr(sorted(kw.items())))
        if key not in self._trajectories:
            self._trajectories[key] = (record(optimizer, problem, T, seed=seed, **kw), 1)
        return self._trajectories[key][0]

    @property
    def trajectory_count(self) -> int:
        return sum(n for _, n in self._trajectories.values())


@dataclass
class Proof:
    """One identity or lemma: ``check(ctx, **params)`` records its steps on a :class:`Context`."""

    name: str
    statement: str
    citation: str
    check: Callable
    module: str = ""

    def run(self, **params) -> ProofResult:
        ctx = Context()
        t0 = time.perf_counter()
        error = None
        try:
            self.check(ctx, **params)
        except Exception as exc:  # reported as the proof's status, with the traceback's last lines
            tb = traceback.format_exc().strip().splitlines()
            error = f"{type(exc).__name__}: {exc} | " + " / ".join(line.strip() for line in tb[-3:-1])
        seconds = time.perf_counter() - t0
        if error is not None:
            status = ERROR
        elif not ctx.steps:
            status, error = ERROR, "the check recorded no step"
        else:
            status = HOLDS if all(s.holds for s in ctx.steps) else FAILS
        return ProofResult(self.name, self.statement, self.citation, status, ctx.steps, ctx.trajectory_count,
                           ctx.findings, ctx.unproved, seconds, error, dict(params))

    def assert_holds(self, **params) -> ProofResult:
        """Run and raise ``AssertionError`` with the full report unless every step holds."""
        res = self.run(**params)
        if not res.holds:
            raise AssertionError("\n" + res.report())
        return res


# -- discovery ---------------------------------------------------------------------------------------

def default_directory() -> Path:
    """``proofs/`` beside the package (the repository checkout; the package is installed editable)."""
    import regret

    return Path(regret.__file__).resolve().parents[1] / "proofs"


def _proof_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.py")
                  if not p.name.startswith(("_", "conftest")) and p.name != "__init__.py")


def load_file(path: Path) -> Proof:
    """Import one proof file (under a private module name) and return its ``PROOF``."""
    modname = f"_regret_proofs.{path.stem}"
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    try:
        spec.loader.exec_module(mod)
    except Exception:
        sys.modules.pop(modname, None)
        raise
    proof = getattr(mod, "PROOF", None)
    if not isinstance(proof, Proof):
        raise InvalidInput("proof file", str(path), "a module defining PROOF = regret.theory.proofs_runner.Proof(...)")
    proof.module = str(path)
    return proof


def discover(directory=None) -> list[Proof]:
    """Every proof of ``directory`` (default :func:`default_directory`), sorted by proof name."""
    d = Path(directory) if directory is not None else default_directory()
    if not d.is_dir():
        raise InvalidInput("proofs directory", str(d),
                           "an existing directory of proof files (the proofs/ folder of a regret checkout, "
                           "beside the package installed with pip install -e)")
    proofs = [load_file(p) for p in _proof_files(d)]
    if not proofs:
        raise InvalidInput("proofs directory", str(d), "a directory holding at least one proof file (*.py with PROOF)")
    names = [p.name for p in proofs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InvalidInput("proof names", dup, "unique names across proof files")
    return sorted(proofs, key=lambda p: p.name)


def select(proofs: list[Proof], names=None) -> list[Proof]:
    """The proofs named in ``names`` (all when empty); an unknown name is an InvalidInput."""
    if not names:
        return list(proofs)
    by_name = {p.name: p for p in proofs}
    out = []
    for n in names:
        if n not in by_name:
            raise InvalidInput("proof", n, f"one of {sorted(by_name)}")
        out.append(by_name[n])
    return out


def run_all(names=None, directory=None) -> list[ProofResult]:
    return [p.run() for p in select(discover(directory), names)]


# -- small sympy helpers the proof files share ----------------------------------------------------------

def closed_sum(expr, limits):
    """``sympy.summation(expr, limits)`` with the generic branch of a Piecewise answer (sympy splits
    off degenerate parameter values such as β = 1 or |γ| ≥ 1; the proofs state their ranges)."""
    import sympy as sp

    def generic(pw):
        """The first branch whose condition is not an equality (|γ| < 1 for a series, else 'True')."""
        for value, cond in pw.args:
            if not isinstance(cond, sp.Eq):
                return value
        return pw.args[-1][0]

    out = sp.summation(expr, limits)
    return out.replace(lambda e: isinstance(e, sp.Piecewise), generic)
