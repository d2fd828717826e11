"""Report `zhang-2022`: Zhang, Chen, Shi, Sun & Luo, "Adam Can Converge Without Any Modification On
Update Rules" (NeurIPS 2022, arXiv:2208.09632) — Adam's (β1, β2) phase diagram on their function (2.5)
for n = 10, 20, 50 components; and the region of Reddi et al.'s Theorems 1–2 (ICLR 2018), R(T)/T over
(β1, β2) on the period-C sequences as C grows.

The point of both papers, in one picture each: Reddi et al. choose the problem after (β1, β2) and
Adam fails; Zhang et al. fix the problem first and find that Adam converges once β2 is large enough,
with a divergence region for small β2 that grows with n.
"""
from __future__ import annotations

import numpy as np

from ..engine.frame import to_frame
from ..optimizers import optimizer
from ..plots import phase_figure
from ..problems import problem
from ..runs import run_many
from .claims import Claim, reproduced
from .markdown import fmt

TITLE = "Zhang et al. (NeurIPS 2022) and Reddi et al. (ICLR 2018): where in (β1, β2) Adam converges"
QUESTION = """
On Zhang et al.'s function (2.5), does Adam (without bias correction, α_k = α/√k, random reshuffling)
diverge for small β2 and converge for large β2, with a divergence region that grows with the number of
components n? And on Reddi et al.'s sequences f_t = Cx every C-th round, −x otherwise: for which
(β1, β2) is the average regret R(T)/T bounded away from 0, and how does that region change with C?
"""

NS = (10, 20, 50)
BETA1 = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
BETA2 = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.995, 0.999)
ALPHA = 0.1  # η0: the paper's figures do not show it (our choice)
T_ZHANG = 50_000  # the paper's heatmaps: 50k iterations
T_LONG = 500_000  # the same grid ten times longer: transients against divergence
SEEDS = 3  # reshuffling orders
START = 0.0  # x_1 (not stated in the paper; our choice): |x_1 − x*| = 2
CONVERGED = 0.05  # |x_T − x*| below this: converged
CS = (3, 10, 30, 100)  # Reddi et al.: C = period (Theorem 1 is C = 3, Theorem 2's construction period C)
BETA2_REDDI = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)
T_REDDI = 300_000
ALPHA_REDDI = 0.5


def _adam(b1: float, b2: float, alpha: float):
    """Adam in the form both papers analyse: no bias correction, ε = 0, α_k = α/√k."""
    return optimizer("adam", alpha=alpha, beta1=b1, beta2=b2, eps=0.0, schedule="sqrt", bias_correction=False)


def _reach_text(reach: float) -> str:
    if reach >= 100.0:
        return ("the runs that diverge reach the end of the interval, |x| = 100, and are held there by the "
                "projection (Zhang et al.'s Adam is unconstrained: theirs would go on); the converging cells "
                "never come near it.")
    return f"the largest |x_t| of any run is {fmt(reach)}, inside the interval."


def _set(values) -> str:
    return "{" + ", ".join(f"{v:g}" for v in values) + "}"


def _grid(alpha: float, beta2s) -> list:
    return [_adam(b1, b2, alpha) for b2 in beta2s for b1 in BETA1]


def _zhang_rows(T: int):
    """The tidy rows (regret.load's format) of the grid on every n at horizon T, and the largest |x_t|."""
    import pandas as pd

    frames, reach = [], 0.0
    for n in NS:
        res = run_many(_grid(ALPHA, BETA2), _zhang(n), T=T, seeds=SEEDS,
                       checkpoints=np.array([T]), record_losses=False)
        df = to_frame(res)
        df["problem"] = f"n = {n}"  # the panel's title
        # the log colour scale draws |x_T − x*| below 1e-6 (0 included: a run that lands on x*) as 1e-6
        df["distance_floored"] = np.maximum(df["distance_to_x_star"], FLOOR)
        frames.append(df)
        reach = max(reach, max(float(np.abs(np.concatenate([r.x_min.ravel(), r.x_max.ravel()])).max())
                               for r in res))
    return pd.concat(frames, ignore_index=True), reach


def _zhang(n: int):
    return problem("zhang", n=n, x0=START)


FLOOR = 1e-6


def _cells(df, n: int):
    """(β1, β2, mean |x_T − x*| over seeds) of the grid on n components."""
    last = df[(df["problem"] == f"n = {n}") & (df["t"] == df["T"])]
    g = last.groupby(["opt.beta1", "opt.beta2"])["distance_to_x_star"].mean()
    return [(b1, b2, float(v)) for (b1, b2), v in g.items()]


def _counts(df) -> dict:
    """Per n: cells that diverged (end farther from x* than x_1), that converged, and in between."""
    out = {}
    for n in NS:
        cells = _cells(df, n)
        out[n] = {"diverged": sum(v > abs(START + 2.0) for _, _, v in cells),
                  "converged": sum(v < CONVERGED for _, _, v in cells), "cells": len(cells), "all": cells}
    return out


def _reddi_rows():
    import pandas as pd

    frames = []
    for C in CS:
        res = run_many(_grid(ALPHA_REDDI, BETA2_REDDI), problem("reddi", C=C, period=C), T=T_REDDI,
                       checkpoints=np.array([T_REDDI]), record_losses=False)
        df = to_frame(res)
        # R(T)/T against the rate of a learner that sits at +1: per period 2(C − (C − 1)) = 2, so 2/C
        # (C = 3, period 3: the hand-derived limit 2(C − 2)/3 = 2/3 of Theorem 1)
        df["relative_average_regret"] = df["regret_over_T"] / (2.0 * (C - (C - 1)) / C)
        df["problem"] = f"C = {C}"
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def build(rep) -> tuple[str, str]:
    rep.setting("Adam", "no bias correction, ε = 0, α_k = α/√k, no weighted projection (the form both papers analyse)")
    rep.setting("Zhang et al. (2.5)", f"f_i = c_i·h, c_0 = n/(n−1), c_i = −1/(n−1)², x* = −2; n ∈ {_set(NS)}; random "
                                      f"reshuffling, seeds 0..{SEEDS - 1}; x_1 = {START:g}; α = {ALPHA} (our choice: the "
                                      f"paper's figures do not give η0); T = {T_ZHANG:,} (the paper's) and {T_LONG:,}")
    rep.setting("grid", f"β1 ∈ {{{', '.join(f'{b:g}' for b in BETA1)}}}, β2 ∈ {{{', '.join(f'{b:g}' for b in BETA2)}}}")
    rep.setting("Reddi et al.", f"f_t = Cx if t mod C = 1, else −x, on [−1, 1], x_1 = 1, C ∈ {_set(CS)}; α = "
                                f"{ALPHA_REDDI}; T = {T_REDDI:,}; β2 ∈ {{{', '.join(f'{b:g}' for b in BETA2_REDDI)}}}")
    rep.setting("verdict thresholds", f"converged: |x_T − x*| < {CONVERGED}; diverged: |x_T − x*| > |x_1 − x*| = 2 "
                                      "(the run ends farther from x* than it started); mean over seeds")

    # -- 1. Zhang et al.'s phase diagram -------------------------------------------------------------------
    rep.say(f"zhang: {len(NS)} × {len(BETA1) * len(BETA2)} cells × {SEEDS} seeds, T={T_ZHANG}")
    df, reach = _zhang_rows(T_ZHANG)
    counts = _counts(df)
    rep.section("1. Function (2.5): |x_T − x*| over (β1, β2) after 50,000 iterations", f"""
f = (1/n) Σ_i f_i on R with f_i = c_i·h, h(z) = z for z ≥ −1 and (z + 2)²/2 − 3/2 below (Zhang et al.
eq. 2.5 with a = 1/(n−1)²): one pass over the components adds up to h, minimised at x* = −2, but
n − 1 of the n components push x upwards. Adam with small β2 follows the recent gradients and is
carried up; with large β2 its v_t averages over a whole pass and it converges. The interval
[−100, 100] that keeps the comparator finite is never reached: the largest |x_t| of any run is
{fmt(reach)}. Red cells would mark a non-finite loss (none); the dashed curve is β1 = √β2 (Zhang
et al.'s Theorem 2.2 asks β1 < √β2, i.e. the region above-left of it).""")
    fig = phase_figure(df, value="distance_floored", by="problem", log=True, width="double",
                       label=r"$|x_{T+1} - x^*|$ (floor $10^{-6}$)")
    rep.figure(fig, "zhang_phase_50k", f"|x_T − x*| (mean over {SEEDS} reshuffling seeds) after T = {T_ZHANG:,} "
                                       "iterations, n = 10, 20, 50; log colour scale")
    rep.table(("n", "cells", "diverged (|x_T − x*| > 2)", f"converged (< {CONVERGED})", "in between"),
              [(n, c["cells"], c["diverged"], c["converged"], c["cells"] - c["diverged"] - c["converged"])
               for n, c in counts.items()])

    rep.say(f"zhang: the same grid at T={T_LONG}")
    df_long, reach_long = _zhang_rows(T_LONG)
    counts_long = _counts(df_long)
    rep.section("2. The same grid after 500,000 iterations", f"""
Cells that are neither converged nor diverged at T = 50,000 lie at large β2: without bias correction
v_t starts at (1 − β2)g² and takes ~1/(1 − β2) rounds to reach its average, so the first steps are
α/√(1 − β2) long and the run is still settling. Ten times longer: {_reach_text(reach_long)}""")
    fig = phase_figure(df_long, value="distance_floored", by="problem", log=True, width="double",
                       label=r"$|x_{T+1} - x^*|$ (floor $10^{-6}$)")
    rep.figure(fig, "zhang_phase_500k", f"|x_T − x*| (mean over {SEEDS} seeds) after T = {T_LONG:,} iterations")
    rep.table(("n", "cells", "diverged", "converged", "in between"),
              [(n, c["cells"], c["diverged"], c["converged"], c["cells"] - c["diverged"] - c["converged"])
               for n, c in counts_long.items()])

    small = {n: [v for b1, b2, v in counts[n]["all"] if b2 == BETA2[0] and b1 == 0.0][0] for n in NS}
    safe = {n: [(b1, b2, v) for b1, b2, v in counts_long[n]["all"] if b2 >= 0.95 and b1 < np.sqrt(b2)] for n in NS}
    safe_ok = {n: sum(v < CONVERGED for _, _, v in cells) for n, cells in safe.items()}
    safe_50k = {n: sum(v < CONVERGED for b1, b2, v in counts[n]["all"] if b2 >= 0.95 and b1 < np.sqrt(b2))
                for n in NS}
    # diverged: farther from x* than x_1 at both horizons, and farther at the later one
    div = [sum(v50 > 2.0 and v500 > 2.0 and v500 > v50 for (_, _, v50), (_, _, v500)
               in zip(counts[n]["all"], counts_long[n]["all"])) for n in NS]
    rep.claim(
        Claim("Adam diverges for small β2", f"β1 = 0, β2 = {BETA2[0]}, T = {T_ZHANG:,}",
              reproduced(all(v > 2.0 for v in small.values())),
              "; ".join(f"n = {n}: |x_T − x*| = {fmt(v)}" for n, v in small.items()), source="§2, Thm 2.3"),
        Claim("Adam converges for large β2 with β1 < √β2", f"β2 ≥ 0.95, β1 < √β2, T = {T_LONG:,}",
              reproduced(all(safe_ok[n] == len(safe[n]) for n in NS)),
              "; ".join(f"n = {n}: {safe_ok[n]}/{len(safe[n])} cells converged at T = {T_LONG:,} "
                        f"({safe_50k[n]} at T = {T_ZHANG:,})" for n in NS), source="§2, Thm 2.2"),
        Claim("The divergence region grows with n", f"the grid above; diverged: |x_T − x*| > 2 at T = "
              f"{T_ZHANG:,} and at T = {T_LONG:,}, and larger at the later",
              reproduced(div[0] < div[1] < div[2]),
              ", ".join(f"n = {n}: {d} diverged cells" for n, d in zip(NS, div)), source="§2, Fig. 2.4"))

    # -- 3. Reddi et al.: R(T)/T over (β1, β2) as C grows ----------------------------------------------------
    rep.say(f"reddi: C in {CS}, T={T_REDDI}")
    dr = _reddi_rows()
    rep.section("3. Reddi et al.'s sequences: R(T)/T over (β1, β2) for C = 3, 10, 30, 100", """
f_t(x) = Cx when t mod C = 1, else −x, on [−1, 1] (Theorem 1 is C = 3 with period 3; Theorem 2's
construction has period C): one period adds up to x, so x* = −1, and a learner that sits at +1 pays
2 per period, R(T)/T = 2/C (2/3 at C = 3, Theorem 1's limit). The colour is R(T)/T divided by that
rate: about 1 where Adam is carried to +1, about 0 where it finds x* = −1.""")
    fig = phase_figure(dr, value="relative_average_regret", by="problem", width="double",
                       label=r"$R(T)/T \div (2/C)$", vmax=1.2)
    rep.figure(fig, "reddi_region", f"R(T)/T ÷ (2/C) at T = {T_REDDI:,} over (β1, β2), for C = 3, 10, 30, 100")
    last = dr[dr["t"] == dr["T"]]
    bad = {C: int((g["relative_average_regret"] > 0.5).sum()) for C, g in last.groupby("problem", sort=False)}
    worst = last.groupby(["opt.beta1", "opt.beta2"])["relative_average_regret"].max()
    every = bool((worst > 0.5).all())
    outside = last[(last["relative_average_regret"] > 0.5) & (last["opt.beta1"] >= np.sqrt(last["opt.beta2"]))]
    rep.table(("C", "cells with R(T)/T > half of 2/C", "cells"), [(C, n, len(BETA1) * len(BETA2_REDDI))
                                                                  for C, n in bad.items()])
    rep.claim(
        Claim("Adam has non-zero average regret (C = 3, β1 = 0, β2 = 1/(1+C²) = 0.1)", f"T = {T_REDDI:,}",
              reproduced(float(last[(last["problem"] == "C = 3") & (last["opt.beta1"] == 0.0) &
                                    (last["opt.beta2"] == 0.1)]["relative_average_regret"].iloc[0]) > 0.9),
              "R(T)/T ÷ (2/3) = " + fmt(float(last[(last["problem"] == "C = 3") & (last["opt.beta1"] == 0.0) &
                                                  (last["opt.beta2"] == 0.1)]["relative_average_regret"].iloc[0])),
              source="Thm 1"),
        Claim("for every β1 < √β2 some problem of the family gives non-zero average regret",
              f"every grid cell with β1 < √β2, C ∈ {_set(CS)}",
              reproduced(bool((worst[[b1 < np.sqrt(b2) for b1, b2 in worst.index]] > 0.5).all())),
              f"cells with R(T)/T above half of 2/C: {', '.join(f'{C}: {n}' for C, n in bad.items())} of "
              f"{len(worst)} — the region grows with C; " + ("every cell of the grid fails for some C" if every else
                                                           "some cells fail for no C of the grid")
              + f"; {len(outside)} failing (cell, C) pairs lie outside β1 < √β2, where the theorem says nothing",
              source="Thm 2"))

    shows = f"""
On Zhang et al.'s function (2.5) Adam diverges for small β2 (at β1 = 0, β2 = {BETA2[0]}: |x_T − x*| =
{', '.join(fmt(v) for v in small.values())} for n = 10, 20, 50) and converges once β2 is large enough,
and the divergence region grows with n ({', '.join(str(d) for d in div)} of {len(BETA1) * len(BETA2)}
cells for n = 10, 20, 50 end farther from x* than they started at both horizons, and farther at the later). Cells with large β2 that are not yet settled after the paper's 50,000
iterations converge by T = {T_LONG:,}. On Reddi et al.'s sequences the region of non-vanishing average
regret grows with C until, at C = 100, it covers the whole grid: the order of the quantifiers is the
difference between the two papers — fix (β1, β2) first and a bad problem exists (Reddi), fix the
problem first and a good β2 exists (Zhang)."""
    does_not = f"""
A grid of {len(BETA1)} × {len(BETA2)} points, three reshuffling seeds and finite horizons: the
boundary of the regions is located only to the grid's resolution, and Zhang et al.'s analytical
thresholds (γ1(n) of Theorem 2.2, the divergence region of Theorem 2.3) are not computed here. The
paper's step size η0 and start point are not known to us (α = {ALPHA}, x_1 = {START:g} are our choices);
other choices move the boundaries. "Diverged" means the run ends farther from x* than it started
after T rounds, not a proof that it goes to infinity. Adam here is the analysed form (no bias
correction, ε = 0); PyTorch's default Adam differs in both. For Reddi et al. the diagram fixes C per
panel, while Theorem 2 chooses C after (β1, β2); cells where Adam fails with β1 ≥ √β2 are outside the
theorem's statement, not counterexamples to it."""
    return shows, does_not
