"""Report `reddi-2018`: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond" (ICLR 2018,
arXiv:1904.09237) reproduced — Adam vs AMSGrad on Theorem 1's sequence, on Figure 1's period-101
sequence and on Theorem 3's stochastic sequence; Kingma & Ba's Theorem 4.1 against the measured
regret; Reddi et al.'s Theorem 4 against AMSGrad; the Γ_t audit of the step their paper showed false.
"""
from __future__ import annotations

import numpy as np

from .. import analysis, theory
from ..engine.result import ci95
from ..theory import audit
from ..runs import run
from ..optimizers import optimizer
from ..plots import gamma_audit_of, iterate_traces, regret_figure
from ..problems import problem
from .claims import Claim, holds, reproduced
from .markdown import fmt

TITLE = "Reddi, Kale & Kumar (ICLR 2018): Adam's regret is linear on their sequences; AMSGrad's is not"
QUESTION = """
Does Adam, run as Reddi et al. state it, really suffer linear regret on the loss sequences of their
Theorem 1, Figure 1 and Theorem 3, while AMSGrad's regret is sublinear? Where exactly does Kingma &
Ba's Theorem 4.1 (Adam's O(√T) bound) break on Theorem 1's sequence, does Reddi et al.'s corrected
Theorem 4 bound hold for AMSGrad there, and does the Γ_t ⪰ 0 step of Kingma & Ba's proof fail?
"""

T_THM1 = 1_000_000
T_FIG1 = 1_000_000
T_STOCH = 1_000_000
SEEDS_STOCH = 10
T_AUDIT = 3_000


def _adam(**kw):
    """Reddi et al.'s Adam (§2): no bias correction, no ε, projection onto F."""
    return optimizer("adam", bias_correction=False, eps=0.0, schedule="sqrt", **kw)


def _amsgrad(**kw):
    return optimizer("amsgrad", schedule="sqrt", **kw)


def _rates_row(name, res) -> list:
    fit = analysis.growth_exponent(res)
    R = res.regret[:, -1]
    return [name, fmt(float(R.mean())), fmt(float(R.mean() / res.T)), fmt(float(R.mean() / np.sqrt(res.T))),
            _exponent(fit), fmt(float(res.x_final[:, 0].mean()))]


def _exponent(fit) -> str:
    if fit.ci is None:
        return f"{fit.exponent:.3f} (one sequence: no interval over seeds)"
    return f"{fit.exponent:.3f} [{fit.ci[0]:.3f}, {fit.ci[1]:.3f}]"


RATE_HEADERS = ("optimizer", "R(T)", "R(T)/T", "R(T)/√T", "growth exponent [95% CI over seeds]", "x_(T+1) (mean over seeds)")


def build(rep) -> tuple[str, str]:
    rep.setting("Theorem 1", f"C = 3, β1 = 0, β2 = 1/(1+C²) = 0.1, α_t = 0.5/√t, x_1 = 1, F = [−1, 1], T = {T_THM1:,}")
    rep.setting("Figure 1 (online)", f"1010x every 101st round else −10x, β1 = 0.9, β2 = 0.99, α_t = 0.5/√t "
                                     f"(our choice: the paper gives neither α nor T), x_1 = 1, T = {T_FIG1:,}")
    rep.setting("Theorem 3 / Figure 1 (stochastic)", f"1010x w.p. 0.01 else −10x, β1 = 0.9, β2 = 0.99, "
                                                     f"α_t = 0.5/√t, x_1 = 0, T = {T_STOCH:,}, seeds 0..{SEEDS_STOCH - 1}")
    rep.setting("Adam", "Reddi et al.'s form (§2): no bias correction, ε = 0, projection onto F")
    rep.setting("AMSGrad", "Reddi et al. Algorithm 2: no bias correction, ε = 0, weighted projection")
    rep.setting("growth exponent", "log-log least squares over the last 10% of the checkpoints (in log T), "
                                   "95% bootstrap interval over seeds (seeded)")

    # -- 1. Theorem 1 ---------------------------------------------------------------------------------
    rep.say(f"Theorem 1: Adam and AMSGrad, T={T_THM1}")
    p1 = problem("reddi", C=3)
    adam1 = run(_adam(alpha=0.5, beta1=0.0, beta2=0.1), p1, T=T_THM1, record_losses=False)
    ams1 = run(_amsgrad(alpha=0.5, beta1=0.0, beta2=0.1), p1, T=T_THM1, record_losses=False)
    rep.section("1. Theorem 1: f_t(x) = 3x if t mod 3 = 1, else −x, on [−1, 1]", """
The best fixed point is x* = −1. Per 3-round block, playing x = +1 costs C − 2 = 1 while x* earns
−(C − 2), so if Adam sits at +1 at every block start its regret grows as 2(C − 2)/3 · T = (2/3)·T
(hand derivation; docs/sources.md §S2.3).""")
    rep.table(RATE_HEADERS, [_rates_row("Adam", adam1), _rates_row("AMSGrad", ams1)])
    rep.figure(regret_figure([adam1, ams1]), "thm1_regret",
               "Theorem 1 sequence: R(T), R(T)/T and R(T)/√T for Adam and AMSGrad (one deterministic run each)")
    limit = 2 * (3 - 2) / 3
    r_adam = float(adam1.regret[0, -1] / adam1.T)
    r_ams = float(ams1.regret[0, -1] / ams1.T)
    rep.claim(Claim("Adam has non-zero average regret (Thm 1)", "C=3, β1=0, β2=0.1, α_t=0.5/√t",
                    reproduced(abs(r_adam - limit) < 0.01),
                    f"R(T)/T = {fmt(r_adam)} at T = {T_THM1:,} (hand-derived limit 2/3); "
                    f"x_(T+1) = {fmt(adam1.x_final[0, 0])}"),
              Claim("AMSGrad's average regret → 0 on Thm 1's sequence", "same", reproduced(r_ams < 0.01),
                    f"R(T)/T = {fmt(r_ams)}, growth exponent {analysis.growth_exponent(ams1).exponent:.3f}"))

    # -- 2. Figure 1, online ---------------------------------------------------------------------------
    rep.say(f"Figure 1 online: T={T_FIG1}")
    p2 = problem("reddi-fig1")
    adam2 = run(_adam(alpha=0.5, beta1=0.9, beta2=0.99), p2, T=T_FIG1, record_losses=False, record_iterates=True)
    ams2 = run(_amsgrad(alpha=0.5, beta1=0.9, beta2=0.99), p2, T=T_FIG1, record_losses=False, record_iterates=True)
    rep.section("2. Figure 1 (online): f_t(x) = 1010x every 101st round, else −10x", """
x* = −1. Per 101-round period, x = +1 costs 1010 − 100·10 = 10 and x* = −1 earns −10, so if Adam
sits at +1, R(T)/T → 20/101 ≈ 0.198 (hand derivation; docs/sources.md §S2.10). The paper reports neither α nor T; we use α_t = 0.5/√t
(the schedule of the theorems) for both methods and T = 10^6.""")
    rep.table(RATE_HEADERS, [_rates_row("Adam", adam2), _rates_row("AMSGrad", ams2)])
    rep.figure(regret_figure([adam2, ams2]), "fig1_online_regret",
               "Figure 1 online sequence: R(T), R(T)/T and R(T)/√T")
    it_a = iterate_traces(adam2, width="single")
    rep.figure(it_a, "fig1_online_adam_iterates", "Figure 1 online sequence: Adam's iterate x_t (x*_T dashed)")
    it_m = iterate_traces(ams2, width="single")
    rep.figure(it_m, "fig1_online_amsgrad_iterates", "Figure 1 online sequence: AMSGrad's iterate x_t (x*_T dashed)")
    r2a = float(adam2.regret[0, -1] / adam2.T)
    r2m = float(ams2.regret[0, -1] / ams2.T)
    rep.claim(Claim("Adam: R_t/t ↛ 0 and x_t → +1 (Fig. 1 online)", "β1=0.9, β2=0.99, α_t=0.5/√t",
                    reproduced(r2a > 0.15 and adam2.x_final[0, 0] > 0.99),
                    f"R(T)/T = {fmt(r2a)} (limit 20/101 = {fmt(20 / 101)}), x_(T+1) = {fmt(adam2.x_final[0, 0])}"),
              Claim("AMSGrad: R_t/t → 0 and x_t → −1 (Fig. 1 online)", "same",
                    reproduced(r2m < 0.05 and ams2.x_final[0, 0] < -0.99),
                    f"R(T)/T = {fmt(r2m)}, exponent {analysis.growth_exponent(ams2).exponent:.3f}, "
                    f"x_(T+1) = {fmt(ams2.x_final[0, 0])}"))

    # -- 3. Theorem 3 / Figure 1, stochastic --------------------------------------------------------------
    rep.say(f"Theorem 3 stochastic: T={T_STOCH}, {SEEDS_STOCH} seeds")
    p3 = problem("reddi-stochastic")
    adam3 = run(_adam(alpha=0.5, beta1=0.9, beta2=0.99), p3, T=T_STOCH, seeds=SEEDS_STOCH, record_losses=False,
                record_iterates=True)
    ams3 = run(_amsgrad(alpha=0.5, beta1=0.9, beta2=0.99), p3, T=T_STOCH, seeds=SEEDS_STOCH, record_losses=False,
               record_iterates=True)
    rep.section("3. Theorem 3 / Figure 1 (stochastic): f_t(x) = 1010x w.p. 0.01, else −10x", """
E f_t(x) = (0.01·1010 − 0.99·10)·x = 0.2x, so the stochastic optimum is x* = −1. Theorem 3 says Adam
does not converge to it. We measure the final iterates over seeds (x_1 = 0, as in the proof) and the
regret against the best fixed point of each realized sequence.""")
    rows = []
    for name, res in (("Adam", adam3), ("AMSGrad", ams3)):
        xs = res.x_final[:, 0]
        rows.append([name, fmt(float(xs.mean())), fmt(float(xs.min())), fmt(float(xs.max())),
                     fmt(float((res.regret[:, -1] / res.T).mean()))])
    rep.table(("optimizer", "mean x_(T+1) over seeds", "min", "max", "mean R(T)/T"), rows)
    rep.figure(iterate_traces(adam3, width="single"), "thm3_adam_iterates",
               "Theorem 3 stochastic sequence, seed 0: Adam's iterate x_t")
    rep.figure(iterate_traces(ams3, width="single"), "thm3_amsgrad_iterates",
               "Theorem 3 stochastic sequence, seed 0: AMSGrad's iterate x_t")
    xa, xm = adam3.x_final[:, 0], ams3.x_final[:, 0]
    # stated from the statistics over the seeds: the mean's 95% interval and how many seeds end where
    lo, hi = ci95(xm)
    side, near = int((xm < 0).sum()), int((xm < -0.9).sum())
    ams_status = "REPRODUCED" if near == xm.size else ("PARTLY REPRODUCED" if hi < 0 else "NOT REPRODUCED")
    ams_side = f"on x*'s side (x < 0) in {side} of {xm.size} seeds"
    rep.claim(Claim("Adam does not converge to x* = −1 (Thm 3)", f"Fig. 1 stochastic, {SEEDS_STOCH} seeds",
                    reproduced(xa.min() > 0), f"x_(T+1) ∈ [{fmt(xa.min())}, {fmt(xa.max())}] over seeds"),
              Claim("AMSGrad converges to x* = −1 (Fig. 1 stochastic)", "same", ams_status,
                    f"at T = {T_STOCH:,}: mean x_(T+1) {fmt(float(xm.mean()))} (95% CI [{fmt(lo)}, {fmt(hi)}]), "
                    f"in [{fmt(xm.min())}, {fmt(xm.max())}] over seeds; {ams_side}, within 0.1 of −1 in {near} "
                    "(slow at this α; the paper's α is unknown)"))

    # -- 4. Kingma & Ba Theorem 4.1 on Theorem 1's sequence --------------------------------------------------
    rep.say("Kingma & Ba Theorem 4.1 vs measured regret")
    kb = theory.get("kingma-ba-4.1")
    kb_opt = optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, eps=0.0, lam=0.5, schedule="sqrt",
                       bias_correction=True)
    kb_run = kb.run(kb_opt, p1, T=T_THM1)
    v_kb = kb.check(kb_run)
    rep.section("4. Kingma & Ba's Theorem 4.1 against the measured regret", f"""
Theorem 4.1 (arXiv:1412.6980v9, as printed) bounds Adam's regret by O(√T) under hypotheses that
Theorem 1's instance satisfies: bounded gradients (G∞ = 3), bounded iterates (projection onto
[−1, 1]), γ = β1²/√β2 = 0 < 1, α_t = α/√t; the decay λ of β1,t = β1 λ^(t−1) enters only the third
term (with β1 = 0 every β1,t is 0 whatever λ; we take λ = 0.5 as docs/sources.md §S1.7 does). The theorem
speaks of Algorithm 1, so this run is Adam *with* bias correction (and ε = 0, projected onto [−1, 1]
as Reddi et al. do to keep the iterates bounded); it ends at +1 like Reddi et al.'s form. The bound is
evaluated with the run's own statistics (Σ_i √(T v̂_(T,i)), Σ_i ‖g_(1:T,i)‖₂, observed D, D∞). The
sympy-derived order of the bound is {kb.order()}.""")
    rep.code(v_kb.table())
    rep.figure(regret_figure([kb_run], bounds={"Kingma & Ba Thm 4.1 (as printed)": kb.bound(kb_run)[0]},
                             companions=False, width="single"),
               "kb41_vs_regret", "Adam on Theorem 1's sequence: measured R(T) against Kingma & Ba's Theorem 4.1 bound")
    fv = v_kb.first_violation or {}
    rep.claim(Claim.of_theorem("R(T) ≤ bound (O(√T))", "Thm 1 sequence, Adam (bias-corrected, ε = 0), λ = 0.5", v_kb,
                               f"first violation at T = {fv.get('T', '—')} (measured/bound = "
                               f"{fmt(fv.get('ratio', float('nan')))}); at T = {T_THM1:,}: R = "
                               f"{fmt(float(kb_run.regret[0, -1]))} vs bound {fmt(float(kb.bound(kb_run)[0, -1]))}",
                               source="Kingma & Ba Thm 4.1"))

    # -- 5. Reddi Theorem 4 for AMSGrad -------------------------------------------------------------------------
    rep.say("Reddi et al. Theorem 4 vs AMSGrad")
    r4 = theory.get("reddi-4")
    r4_run = r4.run(_amsgrad(alpha=0.5, beta1=0.0, beta2=0.1), p1, T=T_THM1)
    v_r4 = r4.check(r4_run)
    rep.section("5. Reddi et al.'s Theorem 4 (AMSGrad, corrected constants) on the same sequence", f"""
We encode the arXiv (revised) version (c) of Theorem 4 (docs/sources.md §S2.7): the only one consistent
with the corrected proofs; its order in T, derived by sympy, is {r4.order()}.""")
    rep.code(v_r4.table())
    rep.figure(regret_figure([r4_run], bounds={"Reddi et al. Thm 4 (corrected)": r4.bound(r4_run)[0]},
                             companions=False, width="single"),
               "reddi4_vs_regret", "AMSGrad on Theorem 1's sequence: measured R(T) against Reddi et al.'s Theorem 4 bound")
    rep.claim(Claim.of_theorem("AMSGrad's R(T) ≤ bound", "Thm 1 sequence, AMSGrad β1=0, β2=0.1, α_t=0.5/√t",
                               v_r4, source="Reddi et al. Thm 4"))

    # -- 6. The Γ_t audit -----------------------------------------------------------------------------------------
    rep.say(f"Γ_t audit, T={T_AUDIT}")
    a_adam = audit.gamma(run(_adam(alpha=0.5, beta1=0.0, beta2=0.1), p1, T=T_AUDIT, record_state=True,
                             comparator=False))
    a_ams = audit.gamma(run(_amsgrad(alpha=0.5, beta1=0.0, beta2=0.1), p1, T=T_AUDIT, record_state=True,
                            comparator=False))
    rep.section("6. The step of Kingma & Ba's proof that Reddi et al. showed false: Γ_t ⪰ 0", """
Kingma & Ba's telescoping needs Γ_(t+1) = √V_(t+1)/α_(t+1) − √V_t/α_t ⪰ 0 (Reddi et al. eq. (2)).
We evaluate Γ_t on every round of Theorem 1's run (V = the optimizer's own v̂: Adam without bias
correction uses v_t, AMSGrad the running max; regret.theory.audit). proofs/gamma_psd.py proves Γ_2 < 0 for
every C > 2 symbolically.""")
    rep.table(("optimizer", "rounds checked", "rounds with Γ_t < 0", "first failing t", "most negative Γ_t"),
              [[name, str(a.summary()["checked"]), str(a.summary()["failing_rounds"]), str(a.first_round or "—"),
                fmt(a.most_negative)] for name, a in (("Adam", a_adam), ("AMSGrad", a_ams))])
    rep.figure(gamma_audit_of(a_adam, label="Adam", width="single"), "gamma_adam",
               "Γ_t along Adam's run on Theorem 1's sequence (× = rounds where Γ_t < 0)")
    rep.figure(gamma_audit_of(a_ams, label="AMSGrad", width="single"), "gamma_amsgrad",
               "Γ_t along AMSGrad's run on the same sequence (never negative)")
    rep.claim(Claim("Γ_t ⪰ 0 (step of K&B's proof) for Adam", f"Thm 1 sequence, T = {T_AUDIT}", holds(a_adam.holds),
                    a_adam.text()),
              Claim("Γ_t ⪰ 0 for AMSGrad (by construction)", "same", holds(a_ams.holds), a_ams.text()))

    shows = f"""
On all three of Reddi et al.'s sequences Adam (in their form: no bias correction, projection onto
[−1, 1]) ends at the worst point x = +1 and its average regret stays bounded away from zero
(R(T)/T = {fmt(r_adam)} on Theorem 1's sequence, {fmt(r2a)} on Figure 1's), while AMSGrad's growth
exponent is about 1/2 and it ends near x* = −1 on the deterministic sequences (on the stochastic one it
ends {ams_side} at T = {T_STOCH:,}: slowly at our α). Kingma & Ba's Theorem 4.1, evaluated with the run's own
statistics, is exceeded from T = {fv.get('T', '—')} on (bias-corrected Adam, the theorem's own
algorithm, with all of its hypotheses checked); Reddi et al.'s corrected Theorem 4 holds for
AMSGrad at every checkpoint. The Γ_t ⪰ 0 step fails for Adam from round {a_adam.first_round} on (in
{a_adam.summary()['failing_rounds']} of {T_AUDIT - 1} rounds) and never for AMSGrad."""
    does_not = """
These are the paper's own instances with β2 = 1/(1+C²) (Theorem 1) or Figure 1's β's; they do not
show that Adam fails on typical problems, nor that it fails for every (β1, β2) on these sequences
(Zhang et al. 2022 show that tuning β2 to the problem restores convergence). Figure 1's step size
and horizon are our choice (the paper does not state them), so the AMSGrad curve's speed is not
comparable to the paper's plot. Adam with bias correction and ε > 0 is not covered here (the
bias-corrected variant behaves the same on Theorem 1's sequence: tests/test_reddi.py). A HOLDS verdict
is a measurement on these runs, not a proof."""
    return shows, does_not
