"""The claims table of a report: what a paper claims (and where), where the report tested it, the
verdict and the measured evidence. One :class:`Claim` is one row of the README's "Verdicts" table and
of verdicts.csv; :class:`ClaimsTable` writes both.

    >>> from regret.report.claims import Claim, beats, compare
    >>> c = compare("Adam beats AdaGrad", beats, [1.0, 2.0], [1.5, 2.5], "toy, 2 seeds", source="§6.1")
    >>> c.claim, c.verdict
    ('§6.1: Adam beats AdaGrad', 'SUPPORTED')

Verdicts come from three places, each with one helper here:

* a theorem of :mod:`regret.theory`: :meth:`Claim.of_theorem` takes the status of its ``check`` (HOLDS,
  VIOLATED, NOT APPLICABLE, INCONCLUSIVE) and, unless told otherwise, its reason as the evidence;
* a paired comparison of two methods over seeds: :func:`compare` with a rule (:func:`beats`,
  :func:`as_good`, :func:`similar`: SUPPORTED, NOT SUPPORTED, INCONCLUSIVE), the evidence being the
  means ± standard error and the per-seed ratio;
* a measured condition: :func:`holds`, :func:`reproduced`, :func:`supported` name a boolean's verdict;
  :data:`FALSE_IN_GENERAL` marks a bound that held on the runs although a proof shows that other
  sequences break it (a per-run HOLDS never endorses it).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..text import csv_text
from .markdown import fmt, md_table

COLUMNS = ("claim", "setting", "verdict", "evidence")
SIMILAR = 1.25  # "as good as" / "similar": within this factor (kingma-ba-2015's convention)


@dataclass(frozen=True)
class Claim:
    """One claim and its verdict. ``source`` is where the claim is made (a section, a figure, a
    theorem key); the table's claim column reads "source: text" (just the text without a source)."""

    text: str
    setting: str
    verdict: str
    evidence: str
    source: str = ""

    @property
    def claim(self) -> str:
        return f"{self.source}: {self.text}" if self.source else self.text

    @property
    def row(self) -> tuple:
        """The row of the verdict table: claim, setting, verdict, evidence (:data:`COLUMNS`)."""
        return (self.claim, self.setting, self.verdict, self.evidence)

    @classmethod
    def of_theorem(cls, text: str, setting: str, verdict, evidence: str | None = None, source: str = "") -> "Claim":
        """A theorem's :class:`regret.theory.Verdict` as a claim: its status, with its reason as the
        evidence unless ``evidence`` is given."""
        return cls(text, setting, verdict.status, verdict.reason if evidence is None else evidence, source)


@dataclass
class ClaimsTable:
    """The claims of one report, in the order they were added."""

    claims: list = field(default_factory=list)

    def add(self, *claims: Claim) -> None:
        for c in claims:
            if not isinstance(c, Claim):
                raise TypeError(f"a claims table holds regret.report.claims.Claim rows, not {type(c).__name__}")
            self.claims.append(c)

    def __iter__(self):
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def rows(self) -> list[tuple]:
        return [c.row for c in self.claims]

    def tally(self) -> dict:
        """How many claims have each verdict."""
        return dict(Counter(c.verdict for c in self.claims))

    def markdown(self) -> str:
        return md_table(COLUMNS, self.rows()) if self.claims else "(none)"

    def to_csv(self) -> str:
        return csv_text(COLUMNS, self.rows())


# -- verdicts of measured conditions ---------------------------------------------------------------
FALSE_IN_GENERAL = "FALSE IN GENERAL"  # held on the runs, but a proof (an exact supremum) shows it can fail


def holds(ok: bool) -> str:
    return "HOLDS" if ok else "VIOLATED"


def reproduced(ok: bool) -> str:
    return "REPRODUCED" if ok else "NOT REPRODUCED"


def supported(ok: bool) -> str:
    return "SUPPORTED" if ok else "NOT SUPPORTED"


# -- paired comparisons over seeds -------------------------------------------------------------------
def beats(Ra, Rb) -> str:
    """"A beats B" on paired seeds: SUPPORTED if R_A < R_B on every seed, NOT SUPPORTED if R_A > R_B on
    every seed, else INCONCLUSIVE."""
    Ra, Rb = np.asarray(Ra), np.asarray(Rb)
    if np.all(Ra < Rb):
        return "SUPPORTED"
    if np.all(Ra > Rb):
        return "NOT SUPPORTED"
    return "INCONCLUSIVE"


def as_good(Ra, Rb, factor: float = SIMILAR) -> str:
    """"A is as good as B" ("similar", "as fast as", "equal or better"): SUPPORTED if
    R_A ≤ factor·R_B on every seed, NOT SUPPORTED if R_A > factor·R_B on every seed, else INCONCLUSIVE."""
    Ra, Rb = np.asarray(Ra), np.asarray(Rb)
    if np.all(Ra <= factor * Rb):
        return "SUPPORTED"
    if np.all(Ra > factor * Rb):
        return "NOT SUPPORTED"
    return "INCONCLUSIVE"


def similar(Ra, Rb, factor: float = SIMILAR) -> str:
    """"A and B are similar": each is as good as the other (both directions of :func:`as_good`)."""
    one, two = as_good(Ra, Rb, factor), as_good(Rb, Ra, factor)
    if one == two == "SUPPORTED":
        return "SUPPORTED"
    if "NOT SUPPORTED" in (one, two):
        return "NOT SUPPORTED"
    return "INCONCLUSIVE"


def mean_se(v) -> str:
    """"mean ± standard error" of per-seed values (just the mean for one seed)."""
    v = np.asarray(v, dtype=np.float64)
    if v.size < 2:
        return fmt(float(v.mean()))
    return f"{fmt(float(v.mean()))} ± {fmt(float(v.std(ddof=1) / np.sqrt(v.size)), 2)}"


def ratio_text(Ra, Rb) -> str:
    r = np.asarray(Ra) / np.asarray(Rb)
    return f"R_A/R_B per seed {fmt(float(r.min()), 3)}–{fmt(float(r.max()), 3)}"


def compare(text: str, rule, Ra, Rb, setting: str, source: str = "", lead: str = "R(T): ",
            notes: tuple = ("", "")) -> Claim:
    """The claim "A <rule> B" on paired per-seed measurements ``Ra``, ``Rb``: its verdict is
    ``rule(Ra, Rb)``, its evidence "<lead><mean ± s.e. of A><note A> vs <mean ± s.e. of B><note B>;
    R_A/R_B per seed <min>–<max>"."""
    evidence = f"{lead}{mean_se(Ra)}{notes[0]} vs {mean_se(Rb)}{notes[1]}; {ratio_text(Ra, Rb)}"
    return Claim(text, setting, rule(Ra, Rb), evidence, source)


__all__ = ["COLUMNS", "SIMILAR", "Claim", "ClaimsTable", "as_good", "beats", "compare", "holds", "mean_se",
           "ratio_text", "reproduced", "similar", "supported"]
