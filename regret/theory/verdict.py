"""Verdicts: the outcome of checking a theorem against a run, with the numbers behind it.

| status | meaning |
| --- | --- |
| HOLDS | every hypothesis holds and the statement holds at every asserted checkpoint and seed, with the comparator's error bar counted against it |
| VIOLATED | every hypothesis holds and the statement fails beyond the error bar (first violation reported: seed, T', measured, bound, ratio) |
| NOT APPLICABLE | some hypothesis fails (named, with its numbers) |
| INCONCLUSIVE | a hypothesis or a quantity is unknown, or the bound lies inside the error bar |

A verdict is never HOLDS while a hypothesis is unknown: the absence of evidence is reported as such.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..text import table as text_table

HOLDS, VIOLATED, NOT_APPLICABLE, INCONCLUSIVE = "HOLDS", "VIOLATED", "NOT APPLICABLE", "INCONCLUSIVE"
STATUSES = (HOLDS, VIOLATED, NOT_APPLICABLE, INCONCLUSIVE)

_RELATION = {"upper": "≤", "lower": "≥", "expectation": "= (in expectation)",
             "lower-expectation": "≥ (in expectation)", "limit": "→"}


@dataclass(eq=False, repr=False)
class Verdict:
    theorem: str
    title: str
    kind: str  # upper | lower | expectation | lower-expectation | limit
    status: str
    reason: str
    hypotheses: list = field(default_factory=list)
    checkpoints: np.ndarray | None = None
    seeds: list = field(default_factory=list)
    measured: np.ndarray | None = None  # (S, K)
    band: np.ndarray | None = None  # (S, K) half-width of the measurement's error bar
    bound: np.ndarray | None = None  # (S, K)
    asserted: np.ndarray | None = None  # (K,) checkpoints the statement speaks of
    first_violation: dict | None = None
    worst: dict | None = None
    power: dict | None = None  # statements about expectations: the decision rule's false alarms and power
    values: dict = field(default_factory=dict)
    measured_name: str = "R(T)"
    variable: str = "T"  # what ``checkpoints`` hold: T, or a limit's hyperparameter (regret.theory.limit)
    limit: dict | None = None  # limit statements: the fitted rate of |M − c| (regret.theory.limit.RateFit)

    def __bool__(self) -> bool:
        return self.status == HOLDS

    def __eq__(self, other):
        """``verdict == "HOLDS"`` compares the status (pytest then prints the table on failure)."""
        if isinstance(other, str):
            return self.status == other
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<Verdict {self.theorem}: {self.status}>"

    # -- presentation ------------------------------------------------------------------------------
    def hypotheses_table(self) -> str:
        rows = [("hypothesis", "status", "numbers")]
        for h in self.hypotheses:
            nums = ", ".join(f"{k}={_fmt(v)}" for k, v in h.numbers.items())
            if h.note:
                nums = f"{nums}; {h.note}" if nums else h.note
            rows.append((h.statement, h.status, nums))
        return text_table(rows)

    def checkpoint_table(self, max_rows: int = 12) -> str:
        if self.measured is None or self.bound is None:
            return "(no measurements)"
        if self.kind == "limit":
            return self._limit_table(max_rows)
        K = self.measured.shape[1]
        ks = _pick(K, max_rows)
        fv = self.first_violation
        if fv is not None:
            k_fv = int(np.searchsorted(self.checkpoints, fv.get("checkpoint", fv["T"])))
            ks = sorted(set(ks) | {k_fv})
        expect = self.kind in ("expectation", "lower-expectation")
        head = ("T", f"{self.measured_name} (mean)" if expect or self.measured.shape[0] > 1 else self.measured_name,
                "± err", "bound", "ratio", "")
        rows = [head]
        for k in ks:
            m = self.measured[:, k]
            b = self.bound[:, k]
            err = self.band[:, k] if self.band is not None else np.zeros_like(m)
            ratio = _ratio(m, b, self.kind)
            mark = "" if self.asserted is None or self.asserted[k] else "(not asserted)"
            T_k = int(self.checkpoints[k])
            if fv and T_k == fv["T"]:
                mark = "← first violation"
            elif fv and T_k == fv.get("checkpoint"):
                mark = "← first violated checkpoint"
            if fv and fv.get("exact") and fv["T"] not in [int(c) for c in self.checkpoints] and \
                    int(fv["T"]) < T_k and (len(rows) == 1 or int(rows[-1][0]) < int(fv["T"])):
                # the exact round, between two checkpoints: the one seed's numbers (see regret.theory.exact)
                rows.append((str(int(fv["T"])), _fmt(fv["measured"]), _fmt(fv["error_bar"]), _fmt(fv["bound"]),
                             _fmt(fv["ratio"]), f"← first violation (seed {fv['seed']}, between checkpoints)"))
            rows.append((str(T_k), _fmt(float(np.mean(m))), _fmt(float(np.max(err))),
                         _fmt(float(np.mean(b))), _fmt(ratio), mark))
        return text_table(rows)

    def _limit_table(self, max_rows: int) -> str:
        """A limit statement: M, its limit and the worst seed's gap |M − c| along the variable."""
        x = np.asarray(self.checkpoints, dtype=np.float64)
        S = self.measured.shape[0]
        rows = [(self.variable, f"{self.measured_name} (mean)" if S > 1 else self.measured_name, "± err", "limit",
                 "|M − limit| (worst seed)", "")]
        for k in _pick(x.size, max_rows):
            m, b = self.measured[:, k], self.bound[:, k]
            xs = str(int(x[k])) if self.variable == "T" else _fmt(x[k])
            rows.append((xs, _fmt(float(np.mean(m))), _fmt(float(np.max(self.band[:, k]))), _fmt(float(np.mean(b))),
                         _fmt(float(np.max(np.abs(m - b)))), "in the fit" if self.asserted[k] else ""))
        return text_table(rows)

    def table(self) -> str:
        lines = [f"{self.theorem}: {self.title}",
                 f"statement: {self.measured_name} {_RELATION.get(self.kind, self.kind)} "
                 + (f"{_fmt(self.limit['limit'])} as {self.variable} → {self.limit['toward']}" if self.limit else "bound"),
                 "", self.hypotheses_table(), "", self.checkpoint_table(), ""]
        if self.values:
            lines.append("values: " + ", ".join(f"{k}={_fmt(v)}" for k, v in self.values.items()))
        lines.append(f"verdict: {self.status} — {self.reason}")
        return "\n".join(lines)

    __str__ = table

    def to_dict(self) -> dict:
        def arr(a):
            return None if a is None else np.asarray(a, dtype=np.float64).tolist()

        return {
            "theorem": self.theorem, "title": self.title, "kind": self.kind, "status": self.status,
            "reason": self.reason, "hypotheses": [h.to_dict() for h in self.hypotheses],
            "checkpoints": None if self.checkpoints is None else [
                int(c) if self.variable == "T" else float(c) for c in self.checkpoints],
            "variable": self.variable, "limit": self.limit,
            "seeds": list(self.seeds), "measured": arr(self.measured), "error_bar": arr(self.band),
            "bound": arr(self.bound),
            "asserted": None if self.asserted is None else [bool(a) for a in self.asserted],
            "first_violation": self.first_violation, "worst": self.worst, "power": self.power, "values": self.values,
        }


def _ratio(m, b, kind):
    m, b = float(np.mean(m)), float(np.mean(b))
    if b == 0:
        return float("inf") if m > 0 else float("nan")
    return m / b


def _pick(K: int, n: int) -> list:
    """About n evenly spread checkpoint indices, always the first and the last."""
    return sorted(set(np.round(np.linspace(0, K - 1, min(n, K))).astype(int).tolist()))


def _fmt(v) -> str:
    if isinstance(v, dict):
        return "[" + ", ".join(f"{k} {_fmt(x)}" for k, x in v.items()) + "]"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return str(v)
    v = float(v)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return str(v)
    if v == 0:
        return "0"
    if abs(v) >= 1e5 or abs(v) < 1e-3:
        return f"{v:.4g}"
    return f"{v:.4f}".rstrip("0").rstrip(".") if abs(v) < 10 else f"{v:.1f}"
