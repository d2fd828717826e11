"""Part (d) of the kingma-ba-2015 report, §2.1 (and §7.1 for AdaMax): the effective step |Δ_t|/α_t
measured in every Adam-family run of (a)–(c), against the stated bound P(β1, β2) and against the exact
supremum B_t of proofs/effective_step_adam.py."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...plots import StepLimit, StepPanel, StepSeries, step_bounds_figure
from ...theory import audit
from ..claims import FALSE_IN_GENERAL, Claim, holds
from ..markdown import fmt
from .setting import BC_METHODS, Setting, alpha_text


@dataclass(frozen=True)
class StepCheck:
    """The stated bound checked on one group of runs: its claim, the largest measured |Δ_t|/α_t, the
    stated bound P and the exact supremum B."""

    claim: Claim
    problem: str
    runs: str
    measured: float
    P: float
    sup: float


def build(report, s: Setting, found: dict) -> dict:
    """Audit the steps of the runs of (a)–(c) (``found``); add the section, its table, CSV, figure and
    claims. Returns the checks of the stated bound and the table rows."""
    report.say("(d) effective step audit")
    report.section("(d) The effective step |Δ_t| (§2.1)", TEXT)
    rows, csv_rows, checks = [], [], []
    for prob, label, runs in _groups(s, found):
        audits = [audit.effective_steps(r) for r in runs]
        measured = max(a.max_ratio for a in audits)
        opt = runs[0].optimizer
        P = audits[0].paper_bound
        nobc = opt.name == "adam" and not opt.bias_correction
        sup = max(float(a.sup[-1]) for a in audits)
        within = all(a.within_sup for a in audits)
        first = [a.first_exceeding_checkpoint for a in audits if a.first_exceeding_checkpoint is not None]
        over = measured > P * (1 + 1e-12)
        paper_text = "not stated (§2.1 speaks of Algorithm 1)" if nobc else fmt(P)
        rows.append((prob, label, fmt(measured), paper_text, fmt(sup),
                     "—" if nobc else ("yes, by T'=" + str(min(first)) if over else "no"),
                     "yes" if within else "NO"))
        csv_rows.append((prob, label, repr(measured), "" if nobc else repr(P), repr(sup), within))
        if not nobc:
            source, text = ("§7.1", "AdaMax |Δ_t| ≤ α") if opt.name == "adamax" else ("§2.1", "|Δ_t| ≤ α·P(β1, β2)")
            exceeded = f", exceeded by checkpoint T'={min(first)}" if over else ""
            evidence = f"max |Δ|/α_t = {fmt(measured)} vs P = {fmt(P)}{exceeded}; exact sup B = {fmt(sup)}"
            verdict = holds(not over)
            if not over and sup > P * (1 + 1e-12):
                # a run that stays within P does not endorse a bound that other gradient sequences break
                verdict = FALSE_IN_GENERAL
                evidence = (f"held on these runs (max |Δ|/α_t = {fmt(measured)} ≤ P = {fmt(P)}), but the exact "
                            f"supremum over gradient sequences is B = {fmt(sup)} > P: other sequences exceed it")
            claim = Claim(text, f"{prob}: {label}", verdict, evidence, source)
            report.claim(claim)
            checks.append(StepCheck(claim, prob, label, measured, P, sup))
        report.claim(Claim("|Δ_t|/α_t ≤ B_t (exact supremum)", f"{prob}: {label}", holds(within),
                           f"max |Δ|/α_t = {fmt(measured)} ≤ sup B = {fmt(sup)}" if within
                           else f"max |Δ|/α_t = {fmt(measured)} > B", source="proofs/effective_step"))
    report.table(("problem", "runs", "max |Δ|/α_t", "stated bound P", "exact sup max_t B_t", "exceeds P?",
                  "within B_t?"), rows)
    report.csv("d-effective-step", ("problem", "runs", "max_step_ratio", "paper_bound_P", "sup_B", "within_sup"),
               csv_rows)
    report.figure(_step_figure(s, found["c"]), "d-effective-step",
                  "(d) sparse-logistic: running maximum of |Δ_t|/α_t (over the α grid and seeds of (c)) against "
                  "the stated bound P and the exact supremum max_{s≤t} B_s")
    return {"checks": checks, "rows": rows}


def _groups(s: Setting, found: dict) -> list:
    """(problem, label, runs) of every group of Adam-family runs of (a)–(c)."""
    groups = []
    for part, prob in (("a", "digits"), ("b", "sparse-logistic")):
        runs = found[part]["runs"]
        groups.append((prob, f"Adam, α={alpha_text(found[part]['chosen']['adam'])} ({part})", [runs["adam"]]))
        groups.append((prob, f"AdaMax, α={alpha_text(found[part]['chosen']['adamax'])} ({part})", [runs["adamax"]]))
    c = found["c"]
    for b2 in s.bc_beta2:
        groups.append(("sparse-logistic", f"Adam, β2={b2}, all α (c)",
                       [c["runs"][("adam", b2, a)] for a in s.bc_alphas]))
        groups.append(("sparse-logistic", f"Adam without bias correction, β2={b2}, all α (c)",
                       [c["runs"][("adam-nobc", b2, a)] for a in s.bc_alphas]))
    return groups


def _step_figure(s: Setting, c: dict):
    """Per β2 of (c): Adam's and uncorrected Adam's running maximum step over the α grid and seeds,
    their exact suprema (the closed form, on a dense log grid of t) and the stated bound P."""
    td = np.unique(np.round(np.logspace(0, np.log10(s.T), 200)).astype(np.int64))
    panels = []
    for b2 in s.bc_beta2:
        series = []
        for m, nice in BC_METHODS[:2]:
            rs = [c["runs"][(m, b2, a)] for a in s.bc_alphas]
            sup = np.maximum.accumulate(audit.step_sup(rs[0].optimizer, s.T))[td - 1]
            series.append(StepSeries(m, nice, np.asarray(rs[0].checkpoints),
                                     np.max([r.step_ratio.max(axis=0) for r in rs], axis=0), td, sup))
        limit = StepLimit(audit.paper_step_bound(0.9, b2), "stated bound $P(\\beta_1,\\beta_2)$ (§2.1)", (1, s.T),
                          series="P", label="stated bound P (§2.1)")
        panels.append(StepPanel(f"beta2={b2}", f"$\\beta_1$ = 0.9, $\\beta_2$ = {b2}", series, limit))
    return step_bounds_figure(panels)


TEXT = """
**Claim** (§2.1, with ε = 0): the effective step Δ_t = α·m̂_t/√v̂_t satisfies
|Δ_t| ≤ α·(1−β1)/√(1−β2) if (1−β1) > √(1−β2), and |Δ_t| ≤ α otherwise. Call this bound α·P(β1, β2).
The paper gives no proof. For AdaMax (§7.1) it states |Δ_t| ≤ α.

**What is true.** [proofs/effective_step_adam.py](../../proofs/effective_step_adam.py) (see
[docs/proofs.md](../../docs/proofs.md)) derives the exact supremum over all gradient sequences:

B_t = (1−β1)/(1−β1^t) · √((1−β2^t)/(1−β2)) · √(Σ_{k<t} (β1²/β2)^k)

(without the bias-correction factors for Adam without bias correction). P bounds the step for every
sequence only when β1 = 0 or β1 = β2. With β1 = 0.9 and β2 = 0.999, B_t tends to 7.27 while P = 3.16.
[proofs/effective_step_adamax.py](../../proofs/effective_step_adamax.py) does the same for AdaMax.
There the supremum is A_t = (1−β1)/(1−β1^t)·Σ_{k<t}(β1/β2)^k, which tends to 999/990 ≈ 1.0091 for
β1 = 0.9 and β2 = 0.999. So §7.1's |Δ_t| ≤ α fails for some sequence too, by less than 1%.

**Measured here.** The largest |Δ_{t,i}|/α_t over rounds, coordinates and seeds, before the projection
(`RunResult.step_ratio`; `regret.theory.audit.effective_steps`), in every Adam-family run of (a)–(c). These
runs have ε = 1e-8, but m̂_t and v̂_t depend on the gradients alone. On the same gradients,
|m̂_t|/√v̂_t (the ε = 0 step) is at least the measured |m̂_t|/(√v̂_t + ε). The §2.1 inequality is a
statement about m̂_t/√v̂_t for whatever gradients arrive, so a measured ratio above P is a
counterexample to it.
"""
