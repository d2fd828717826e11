"""Report ``kingma-ba-2015`` (the package regret/report/kingma_ba_2015/) on a reduced setting, passed explicitly:
the sections and verdict rows it must produce, the statuses that are known independently, and the
comparison rules of its verdicts."""
from __future__ import annotations

import numpy as np
import pytest

from regret.report import Report
from regret.report import kingma_ba_2015 as K
from regret.report.claims import as_good, beats, similar

SMALL = K.Setting(T=300, seeds=(0, 1), tuning_seed=1000, alphas=(0.1, 1.0), bc_alphas=(0.01, 0.1),
                  bc_beta2=(0.99, 0.9999), bc_seeds=(0,), short=50, checkpoints=6, reddi_T=500,
                  l2=1e-2)


class Recording(Report):
    """A Report that keeps each figure's plotted-numbers table instead of rendering PDF/PNG (the
    rendering is the plots layer's business and is tested there)."""

    def figure(self, plot, stem, caption):
        self.files[f"{stem}.csv"] = plot.table.to_csv().encode("utf-8")
        self.parts.append(f"![{caption}]({stem}.png)\n")


@pytest.fixture(scope="module")
def built():
    rep = Recording("kingma-ba-2015", K.TITLE, K.QUESTION, "regret report kingma-ba-2015", progress=lambda m: None)
    shows, does_not = K.build(rep, SMALL)
    return rep, shows, does_not


def rows(rep, prefix):
    return [v for v in rep.verdicts if v[0].startswith(prefix)]


def test_sections_figures_and_tables(built):
    rep, shows, does_not = built
    md = "\n".join(rep.parts)
    for title in ("## How to read the verdicts", "## (a) Dense features", "## (b) Sparse features",
                  "## (c) Bias correction", "## (d) The effective step", "## (e) Theorem 4.1"):
        assert title in md
    for stem in ("a-alpha-grid", "a-regret", "b-alpha-grid", "b-regret", "c-bias-correction", "d-effective-step",
                 "e-theorem-4-1"):
        assert f"({stem}.png)" in md
        assert rep.files[f"{stem}.csv"].count(b"\n") > 2  # header and plotted rows
    for stem in ("a-tuning", "a-evaluation", "b-tuning", "b-evaluation", "c-grid", "d-effective-step"):
        assert f"{stem}.csv" in rep.files
    # every (method, α) of the grid is in the tuning table, the same grid for every method
    tuning = rep.files["a-tuning.csv"].decode().strip().split("\n")[1:]
    assert len(tuning) == len(K.METHODS) * len(SMALL.alphas)
    assert sum(line.endswith("True") for line in tuning) == len(K.METHODS)  # one chosen α per method
    for part in ("(a)", "(b)", "(c)", "(d)", "(e)"):
        assert part in shows
    assert "analogues" in does_not


def test_verdict_rows(built):
    rep, _, _ = built
    statuses = {"HOLDS", "VIOLATED", "NOT APPLICABLE", "INCONCLUSIVE", "SUPPORTED", "NOT SUPPORTED",
                "FALSE IN GENERAL"}
    assert all(v[2] in statuses for v in rep.verdicts)
    assert len(rows(rep, "§6.1/Fig. 1 left")) == 3
    assert len(rows(rep, "§6.1/Fig. 1 right")) == 4
    # (c): Adam against each of the two variants, per β2 and horizon, plus the two grid-wide claims
    assert len(rows(rep, "§6.4: Adam (bias-corrected) beats")) == 2 * len(SMALL.bc_beta2) * 2
    assert len(rows(rep, "§6.4")) == 2 * len(SMALL.bc_beta2) * 2 + 2
    # (d): B_t is the exact supremum over all gradient sequences (proofs/effective_step_adam.py), so
    # no measured step can exceed it; one row per group of runs (Adam, AdaMax per problem; 2 per β2 in c)
    sup_rows = rows(rep, "proofs/effective_step")
    assert len(sup_rows) == 4 + 2 * len(SMALL.bc_beta2)
    assert all(v[2] == "HOLDS" for v in sup_rows)
    assert len(rows(rep, "§2.1")) == 2 + len(SMALL.bc_beta2)
    assert len(rows(rep, "§7.1")) == 2
    # AdaMax's |Δ_t| ≤ α holds on the runs but its exact supremum is above α (1 + 1e-3 …): never a bare HOLDS
    for v in rows(rep, "§7.1"):
        assert v[2] in ("FALSE IN GENERAL", "VIOLATED") and "supremum" in v[3]


def test_theorem_4_1_statuses(built):
    rep, _, _ = built
    thm = rows(rep, "Theorem 4.1")
    assert len(thm) == 5
    # ε = 0, λ = 1 − 1e-8: the third term alone is d·D∞²·G∞·√(1−β2)/(2α(1−β1)(1−λ)²) ≥ 1e16·G∞ here,
    # while R(T) ≤ Σ_t f_t(x_t) is a few hundred at T = 300 — every hypothesis holds, so HOLDS.
    eps0 = [v for v in thm if "ε=0" in v[1]]
    assert [v[2] for v in eps0] == ["HOLDS", "HOLDS"]
    # Adam as used in practice has ε = 1e-8 and λ = 1: both hypotheses fail by construction.
    practice = [v for v in thm if "as run in" in v[1]]
    assert [v[2] for v in practice] == ["NOT APPLICABLE", "NOT APPLICABLE"]
    assert all("epsilon" in v[3] and "lambda" in v[3] for v in practice)
    # Reddi et al.'s sequence: measured 207.8 > printed bound 169.7 at T = 300 (the table of docs/sources.md §S1.7).
    reddi = [v for v in thm if "Reddi" in v[1]]
    assert len(reddi) == 1 and reddi[0][2] == "VIOLATED"
    assert "../reddi-2018/README.md" in reddi[0][1]


def test_comparison_rules():
    # paired per seed: every seed must agree for SUPPORTED / NOT SUPPORTED
    assert beats([1.0, 2.0], [1.5, 2.5]) == "SUPPORTED"
    assert beats([2.0, 3.0], [1.5, 2.5]) == "NOT SUPPORTED"
    assert beats([1.0, 3.0], [1.5, 2.5]) == "INCONCLUSIVE"
    # "as good as" within the factor 1.25: 1.2 ≤ 1.25·1 holds, 1.3 > 1.25·1 fails
    assert as_good([1.2, 2.4], [1.0, 2.0]) == "SUPPORTED"
    assert as_good([1.3, 2.6], [1.0, 2.0]) == "NOT SUPPORTED"
    assert as_good([1.2, 2.6], [1.0, 2.0]) == "INCONCLUSIVE"
    assert similar([1.0, 2.0], [1.2, 2.4]) == "SUPPORTED"
    assert similar([1.0, 2.0], [1.3, 2.6]) == "NOT SUPPORTED"  # B is not as good as A


def test_setting_is_explicit():
    # the committed report is the default; a reduced one is only ever passed in
    assert K.build.__defaults__ == (K.FULL,)
    assert K.FULL == K.Setting()
    cps = K.checkpoints(SMALL)
    assert cps[0] == 1 and cps[-1] == SMALL.T and SMALL.short in cps and np.all(np.diff(cps) > 0)
