"""Parts (a) and (b) of the kingma-ba-2015 report, §6.1 / Figure 1: every method's α tuned on one
seed over one grid, then its regret on the evaluation seeds, on dense (digits) and on sparse
(bag-of-words with dropout) features; the paper's comparisons as claims."""
from __future__ import annotations

import numpy as np

from ... import analysis
from ...plots import Curve, Sweep, SweepPanel, regret_figure, sweep_figure
from ...runs import run_many
from ..claims import as_good, beats, compare, mean_se, similar
from ..markdown import fmt
from .setting import METHODS, Setting, alpha_text, spec

# The claims of each part: (source, setting, [(claim, rule, method A, method B)]).
CLAIMS = {
    "a": ("§6.1/Fig. 1 left", "digits, T={T}, {n} seeds, tuned α (convex analogue)", [
        ("Adam converges faster than AdaGrad", beats, "adam", "adagrad"),
        ("SGD-Nesterov converges faster than AdaGrad", beats, "nesterov", "adagrad"),
        ("Adam is similar to SGD-Nesterov", similar, "adam", "nesterov"),
    ]),
    "b": ("§6.1/Fig. 1 right", "sparse-logistic (50% dropout), T={T}, {n} seeds, tuned α (in spirit)", [
        ("AdaGrad beats SGD-Nesterov (\"by a large margin\")", beats, "adagrad", "nesterov"),
        ("Adam beats SGD-Nesterov", beats, "adam", "nesterov"),
        ("Adam converges as fast as AdaGrad", as_good, "adam", "adagrad"),
        ("RMSProp beats SGD-Nesterov", beats, "rmsprop", "nesterov"),
    ]),
}


def tune(report, s: Setting, prob, label: str):
    """Final average loss (1/T)Σf_t(x_t) of every (method, α) on the tuning seed, and the α each method
    gets. On one seed every method sees the same losses and the same comparator, so ranking by average
    loss is ranking by regret."""
    specs = [spec(name, a) for name, _, _ in METHODS for a in s.alphas]
    report.say(f"{label}: tuning {len(specs)} (method, α) pairs on seed {s.tuning_seed}, T = {s.T}")
    res = run_many(specs, prob, T=s.T, seeds=[s.tuning_seed], comparator=False, record_losses=False)
    avg = {}
    for sp, r in zip(specs, res):
        avg.setdefault(sp.name, []).append(float(r.learner_loss[0, -1] / s.T))
    chosen = {name: s.alphas[int(np.argmin(v))] for name, v in avg.items()}
    return avg, chosen


def build(report, s: Setting, cps, prob, label: str, part: str) -> dict:
    """Part ``part`` ("a" or "b") on problem ``prob`` (named ``label``): the section, its tables, CSVs,
    figures and claims. Returns the runs, the chosen α, the tuning losses, R(T) per method and the claims."""
    avg, chosen = tune(report, s, prob, label)
    specs = [spec(name, chosen[name]) for name, _, _ in METHODS]
    report.say(f"{label}: evaluating the tuned methods on seeds {list(s.seeds)} with the comparator")
    runs = run_many(specs, prob, T=s.T, seeds=list(s.seeds), checkpoints=cps, record_losses=False)
    runs = {sp.name: r for sp, r in zip(specs, runs)}
    R = {k: r.regret[:, -1] for k, r in runs.items()}
    comp_avg = float(np.mean(runs["adam"].comparator_loss[:, -1]) / s.T)

    if part == "a":
        report.section("(a) Dense features: multiclass logistic regression on digits (Figure 1 left, convex analogue)",
                       text_a(s))
    else:
        report.section("(b) Sparse features with 50% dropout (Figure 1 right, in spirit)", text_b(s, prob))

    rows = []
    for name, nice, _ in METHODS:
        a = chosen[name]
        edge = " (grid edge)" if a in (s.alphas[0], s.alphas[-1]) else ""
        r = runs[name]
        fit = analysis.growth_exponent(r, tail=0.1, n_boot=1000, seed=0)
        ci = f" [{fit.ci[0]:.2f}, {fit.ci[1]:.2f}]" if fit.ci is not None else ""
        rows.append((nice, alpha_text(a) + edge, fmt(min(avg[name])), mean_se(R[name]),
                     mean_se(R[name] / s.T), mean_se(r.learner_loss[:, -1] / s.T), f"{fit.exponent:.2f}{ci}"))
    report.text(f"Tuning: the final average loss (1/T)Σ_t f_t(x_t) on tuning seed {s.tuning_seed} for every α "
                f"of the grid (all numbers in `{part}-tuning.csv`, plotted below). Evaluation: the chosen α on "
                f"seeds {', '.join(map(str, s.seeds))}, mean ± standard error over seeds. The best fixed "
                f"comparator's average loss is {fmt(comp_avg)}. The growth exponent p is fitted to R(T) ∝ T^p over the "
                "last decade of checkpoints, with a 95% bootstrap interval over seeds.")
    report.table(("method", "α (chosen)", "tuning avg. loss", f"R(T), T={s.T}", "R(T)/T", "avg. loss (1/T)Σf_t(x_t)",
                  "exponent p [95% CI]"), rows)
    report.csv(f"{part}-tuning", ("method", "alpha", "average_loss_tuning_seed", "chosen"),
               [(name, repr(a), repr(v), a == chosen[name]) for name, _, _ in METHODS
                for a, v in zip(s.alphas, avg[name])])
    report.csv(f"{part}-evaluation", ("method", "alpha", "seed", "regret_T", "average_loss", "comparator_average_loss"),
               [(name, repr(chosen[name]), seed, repr(float(runs[name].regret[j, -1])),
                 repr(float(runs[name].learner_loss[j, -1] / s.T)),
                 repr(float(runs[name].comparator_loss[j, -1] / s.T)))
                for name, _, _ in METHODS for j, seed in enumerate(s.seeds)])
    grid = [Sweep(name, nice, avg[name], chosen=s.alphas.index(chosen[name])) for name, nice, _ in METHODS]
    report.figure(sweep_figure(s.alphas, [SweepPanel("alpha_grid", f"{label}, $T$ = {s.T}", grid)], aspect=0.62,
                               ylabel="average loss, tuning seed", role="average_loss", legend_cols=3),
                  f"{part}-alpha-grid",
                  f"({part}) {label}: final average loss on the tuning seed against α, for every method "
                  "(filled ring: the chosen α)")
    curves = [Curve(name, runs[name].checkpoints, runs[name].regret,
                    legend=f"{nice} ($\\alpha$={alpha_text(chosen[name])})") for name, nice, _ in METHODS]
    report.figure(regret_figure(curves, band="se"), f"{part}-regret",
                  f"({part}) {label}: regret R(T), R(T)/T and R(T)/√T of the tuned methods, α_t = α/√t "
                  "(AdaGrad: constant α in Duchi et al.'s form, see the text). The legend's exponents are "
                  "fitted over the upper half of the log T range, the table's over the last decade")

    source, setting, table = CLAIMS[part]
    setting = setting.format(T=s.T, n=len(s.seeds))
    claims = [compare(text, rule, R[a], R[b], setting, source) for text, rule, a, b in table]
    report.claim(*claims)
    return {"runs": runs, "chosen": chosen, "avg": avg, "R": R, "claims": claims, "comparator_avg": comp_avg}


def text_a(s: Setting) -> str:
    return f"""
**Claim** (§6.1): on L2-regularized multiclass logistic regression (MNIST) with α_t = α/√t, "Adam yields
similar convergence as SGD with momentum and both converge faster than Adagrad" (Figure 1 left). The
step sizes there were chosen from a dense grid.

**Here.** scikit-learn's digits (1797 images of 8×8 pixels scaled to [0, 1], plus a bias feature; 10
classes, so d = 650) are replayed as an online stream: one example per round, and each epoch's order is
drawn from the seed. Every round adds the ridge term (l2/2)‖x‖² with l2 = {s.l2}. The iterates are
projected onto the L2 ball of radius 10: a bounded feasible set, which the comparator and Theorem 4.1
need. Every method runs at α_t = α/√t with its paper's other defaults:
- Adam and AdaMax: β1 = 0.9, β2 = 0.999.
- RMSProp: ρ = 0.99.
- SGD-Nesterov: μ = 0.9.

AdaGrad is Duchi et al.'s x ← Π(x − α g/√Σg²) with a *constant* α. Reddi et al. write AdaGrad as
ψ_t = diag(Σg²)/t with α/√t, which is the same update, and K&B §5 reach it as the limit of Adam with
α/√t. A further 1/√t on top of Σg² would be a different, slower method.

**What differs from the paper.**
- Data: digits (d = 650) instead of MNIST (d = 7850).
- One example per round instead of minibatches of 128.
- The projection onto a ball, which the paper does not use.
- The measure: regret against the best fixed point in hindsight. The paper plots training cost per
  epoch.
- Length: T = {s.T} rounds of one example each, about {s.T / 1797:.0f} passes over the data.
"""


def text_b(s: Setting, prob) -> str:
    inst = prob.instance(s.T, s.seeds[0])
    nnz = float(np.mean(np.count_nonzero(inst.A, axis=1)))
    return f"""
**Claim** (§6.1): on bag-of-words features of IMDB reviews (the 10,000 most frequent words, 50% dropout
noise), "Adagrad outperforms SGD with Nesterov momentum by a large margin both with and without dropout
noise. Adam converges as fast as Adagrad" (Figure 1 right, which also shows RMSProp). It is the sparse-
gradient argument of Duchi et al.: adaptive methods learn rare features, SGD does not.

**Here.** The problem is `sparse-logistic`: binary logistic regression on synthetic bag-of-words
documents.
- Vocabulary: d = 200 words with Zipf(1.1) frequencies, 20 word draws per document.
- Labels: the sign of a sparse teacher.
- Every round is a fresh document with fresh 50% inverted dropout.
- Ridge term l2 = {s.l2}, L2 ball of radius 10.

The protocol is the one of (a). A row has {nnz:.1f} nonzero features of 200 on average (seed
{s.seeds[0]}), which is {100 * nnz / 200:.1f}%. The gradient of the data term has the same support;
the ridge term adds l2·x to every coordinate.

**What differs from the paper.**
- The features are synthetic, with a 50× smaller vocabulary. A 10,000-word BoW vector is far sparser.
- One example per round, and regret instead of training cost.
- Only the dropout variant is run.

So this is the paper's claim "in spirit", at a moderate sparsity.
"""
