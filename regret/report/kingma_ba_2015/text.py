"""The prose of the kingma-ba-2015 report that spans its parts: how to read the verdicts, and the two
closing statements (what the report shows, what it does not show), written from the parts' findings."""
from __future__ import annotations

from ..claims import FALSE_IN_GENERAL, SIMILAR
from ..markdown import fmt
from .setting import NAMES, Setting, alpha_text


def how_to_read(report) -> None:
    report.section("How to read the verdicts", f"""
Two kinds of statements are checked.

*Bounds* (parts d and e) are mathematical statements. **HOLDS** means every hypothesis holds and the
measured quantity is within the bound at every checkpoint and seed. **VIOLATED** means every hypothesis
holds and the measurement exceeds the bound. **NOT APPLICABLE** means a hypothesis fails (it is named).
These are the statuses of `regret.theory`.

*Empirical claims* (parts a–c) compare methods. Each seed gives the same loss sequence to every method,
so the comparison is paired. The measure is the regret R(T) at the horizon.
- "A beats B" is **SUPPORTED** if R_A(T) < R_B(T) on every seed, and **NOT SUPPORTED** if
  R_A(T) > R_B(T) on every seed.
- "A is as good as B" (the paper's "similar", "as fast as", "equal or better") is **SUPPORTED** if
  R_A(T) ≤ {SIMILAR}·R_B(T) on every seed, and **NOT SUPPORTED** if R_A(T) > {SIMILAR}·R_B(T) on every seed.
- "A and B are similar" needs "as good as" in both directions.
- Anything in between is **INCONCLUSIVE**.

The factor {SIMILAR} is this report's choice; the paper gives no tolerance. The ratios are printed so
that a reader can apply another one. Parts a–c test **analogues** of the paper's experiments: other
data, online rounds instead of minibatches, regret instead of training cost. A SUPPORTED there means the
claim carries over to the convex analogue; it does not reproduce the paper's figure.
""")


def closing(s: Setting, f: dict) -> tuple[str, str]:
    """(shows, does_not_show) from the findings ``f`` of parts a–e."""
    def vline(claims):
        return "; ".join(f"{c.text} — **{c.verdict}**" for c in claims)

    a, b, c, d, e = f["a"], f["b"], f["c"], f["d"], f["e"]
    Ra, Rb = a["R"], b["R"]

    def c_status(b2, h, other):
        return c["beats"][(b2, h, other)].verdict

    regard, best = c["regardless"], c["best_claim"]
    d_viol = [k for k in d["checks"] if k.claim.verdict == "VIOLATED"]
    d_hold = [k for k in d["checks"] if k.claim.verdict != "VIOLATED"]
    d_general = [k for k in d_hold if k.claim.verdict == FALSE_IN_GENERAL]
    ev = {k: e[k]["verdict"] for k in ("digits", "sparse-logistic")}
    ratio = {k: float(e[k]["full"][:, -1].mean() / e[k]["R"][:, -1].mean()) for k in ev}
    t12 = {k: float((e[k]["terms"][0] + e[k]["terms"][1])[:, -1].mean() / e[k]["cum"][:, -1].mean()) for k in ev}
    mean = lambda R, k: fmt(float(R[k].mean()))  # noqa: E731
    avg_a = {k: float(r.learner_loss[:, -1].mean() / s.T) for k, r in a["runs"].items()}
    spread = 100 * (max(avg_a.values()) / min(avg_a.values()) - 1)
    lo_a, hi_a = min(avg_a, key=avg_a.get), max(avg_a, key=avg_a.get)
    nest_over = {k: float(Rb["nesterov"].mean() / Rb[k].mean()) for k in ("adagrad", "adam")}
    kl = c["horizons"][-1][1]
    a0 = s.bc_alphas[0]
    small = [b2 for b2 in s.bc_beta2 if c["runs"][("adam-nobc", b2, a0)].regret[:, kl].mean()
             < c["runs"][("adam", b2, a0)].regret[:, kl].mean()]
    small_text = (f"At the smallest α = {alpha_text(a0)}, Adam without bias correction has the lower mean "
                  f"regret at T = {s.T} for β2 = {', '.join(map(str, small))}: below its best α, the larger "
                  "early steps of the uncorrected moments help." if small else
                  f"At the smallest α = {alpha_text(a0)} too, bias-corrected Adam has the lower mean regret.")
    shows = f"""
- **(a) digits, dense features, α_t = α/√t, tuned α, {len(s.seeds)} seeds, T = {s.T}.** {vline(a['claims'])}.
  Final regret (mean): Adam {mean(Ra, 'adam')}, AdaGrad {mean(Ra, 'adagrad')}, SGD-Nesterov
  {mean(Ra, 'nesterov')}, RMSProp {mean(Ra, 'rmsprop')}, AdaMax {mean(Ra, 'adamax')}. The average losses
  (1/T)Σ_t f_t(x_t) of the tuned methods lie within {spread:.1f}% of each other ({NAMES[lo_a]}
  {fmt(avg_a[lo_a])} to {NAMES[hi_a]} {fmt(avg_a[hi_a])}).
- **(b) sparse bag-of-words with 50% dropout.** {vline(b['claims'])}. Final regret (mean): Adam
  {mean(Rb, 'adam')}, AdaGrad {mean(Rb, 'adagrad')}, SGD-Nesterov {mean(Rb, 'nesterov')}, RMSProp
  {mean(Rb, 'rmsprop')}, AdaMax {mean(Rb, 'adamax')}. SGD-Nesterov's regret is {nest_over['adagrad']:.2f}×
  AdaGrad's and {nest_over['adam']:.2f}× Adam's: the paper's "large margin" on IMDB is measured there in
  training cost, at a far higher sparsity.
- **(c) bias correction, sparse-logistic.** At each method's best α, bias-corrected Adam against Adam
  without bias correction, per β2 = {', '.join(map(str, s.bc_beta2))}:
  short horizon T = {s.short}: {', '.join(c_status(b2, s.short, 'adam-nobc') for b2 in s.bc_beta2)};
  long horizon T = {s.T}: {', '.join(c_status(b2, s.T, 'adam-nobc') for b2 in s.bc_beta2)}.
  Against RMSProp+momentum, short: {', '.join(c_status(b2, s.short, 'rmsprop_momentum') for b2 in s.bc_beta2)};
  long: {', '.join(c_status(b2, s.T, 'rmsprop_momentum') for b2 in s.bc_beta2)}.
  "Best results with β2 close to 1 and bias correction": **{best.verdict}** ({best.evidence}).
  "Equal or better regardless of hyper-parameters" (same β2 and α): **{regard.verdict}** ({regard.evidence}).
  {small_text}
- **(d) effective step.** The stated bound α·P(β1, β2) of §2.1 is exceeded in
  {len(d_viol)} of {len(d_viol) + len(d_hold)} groups of runs
  ({'; '.join(f'{k.problem} {k.runs}: {fmt(k.measured, 3)} > {fmt(k.P, 3)}' for k in d_viol) or 'none'}). Every
  measured step stays below the exact supremum B_t of proofs/effective_step_adam.py. Where the stated
  bound held, it is still false in general in {len(d_general)} of {len(d_hold)} groups (marked FALSE IN
  GENERAL: the exact supremum exceeds it, so other gradient sequences break it:
  {'; '.join(f'{k.problem} {k.runs}: sup B = {fmt(k.sup, 4)} > {fmt(k.P, 4)}' for k in d_general) or 'none'}).
- **(e) Theorem 4.1.** With ε = 0 and λ = 1 − 10⁻⁸ it **{ev['digits'].status}** on digits and
  **{ev['sparse-logistic'].status}** on sparse-logistic. It holds vacuously: the bound is
  {fmt(ratio['digits'], 2)} and {fmt(ratio['sparse-logistic'], 2)} times the measured regret. Even its
  λ-free terms 1 + 2 are {fmt(t12['digits'], 3)} and {fmt(t12['sparse-logistic'], 3)} times the cumulative
  loss Σ_t f_t(x_t), which bounds R(T) trivially. Adam as used in practice (ε > 0, λ = 1) is outside the
  theorem (NOT APPLICABLE). On Reddi et al.'s sequence, where every hypothesis holds, the bound is
  **{e['reddi'].status}**.
"""
    does_not = f"""
- Parts (a)–(c) are convex, online analogues of the paper's experiments. They use other data (digits,
  not MNIST; synthetic bag-of-words, not IMDB; a convex problem, not a VAE), one example per round and
  regret against the best fixed point. They neither reproduce nor refute the paper's figures on its
  own data and models.
- α is tuned on one seed over a grid of {len(s.alphas)} values ({len(s.bc_alphas)} in (c)); other
  hyperparameters (β1, β2, ρ, μ, ε) stay at their defaults. A denser grid or tuning more parameters could
  reorder methods whose regrets are within a few percent.
- {len(s.seeds)} (part c: {len(s.bc_seeds)}) seeds give paired comparisons, not population statements.
  "SUPPORTED" means "on every seed tried". The similarity factor {SIMILAR} is this report's convention.
- The sparse problem is much less sparse than a 10,000-word BoW, and its ridge term makes every
  gradient coordinate nonzero (small). A sparser problem could widen the adaptive methods' lead.
- Part (d) measures the steps that occurred on these problems. The exact supremum, and the fact that P
  fails for some gradient sequence, are proved in proofs/effective_step_adam.py, not measured here.
- Part (e) shows where Theorem 4.1 is numerically true (here, vacuously) and points to where it is false.
  It does not repair the proof.
"""
    return shows, does_not
