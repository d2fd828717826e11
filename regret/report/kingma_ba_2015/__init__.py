"""Report ``kingma-ba-2015``: the claims of Kingma & Ba, "Adam: A Method for Stochastic Optimization"
(ICLR 2015, arXiv:1412.6980v9), put to the test on convex online problems.

Parts (issue 4, "Reports", item 2), one module each:

(a) §6.1 / Figure 1 left: online multiclass logistic regression on scikit-learn's digits with
    α_t = α/√t. Adam, AdaGrad, SGD-Nesterov, RMSProp and AdaMax, each with its α chosen from one
    grid on a separate tuning seed, then regret curves over the evaluation seeds (:mod:`.evaluation`).
(b) §6.1 / Figure 1 right: sparse bag-of-words features with 50 % dropout, with the same protocol
    (:mod:`.evaluation`).
(c) §6.4 / Figure 4: bias correction. Adam, Adam without bias correction and RMSProp with momentum,
    for β2 ∈ {0.99, 0.999, 0.9999} over an α grid, at a short and a long horizon (:mod:`.bias_correction`).
(d) §2.1: the effective step |Δ_t|/α_t measured (``RunResult.step_ratio``, :mod:`regret.theory.audit`),
    against the stated bound and against the exact supremum of proofs/effective_step_adam.py
    (:mod:`.effective_step`).
(e) §4 Theorem 4.1: the bound against measured regret where its hypotheses hold
    (:func:`regret.theory.get` ``("kingma-ba-4.1")``), and a pointer to Reddi et al.'s sequence
    (:mod:`.theorem_4_1`).

:mod:`.setting` holds every choice (the :class:`Setting`, the methods, the problems), :mod:`.text` the
prose that spans the parts (how to read the verdicts, the closing statements); the claims and their
verdict rules are :mod:`regret.report.claims`, the figures :mod:`regret.plots`.

Every number comes from the :class:`Setting` (all seeds fixed), so two builds write the same files.
:data:`FULL` is the committed report. A smaller setting, such as the tests', is passed to
:func:`build` explicitly.
"""
from __future__ import annotations

from . import bias_correction, effective_step, evaluation, theorem_4_1
from .setting import BC_METHODS, FULL, METHODS, NAMES, Setting, add_settings, checkpoints, problems
from .text import closing, how_to_read

TITLE = "Kingma & Ba (ICLR 2015), Adam: the paper's claims on convex online problems"
QUESTION = """
Do the claims of Kingma & Ba (2015, arXiv:1412.6980v9) hold on convex online problems, where the
regret can be measured exactly? The claims tested are: (a) on dense logistic regression, Adam converges
like SGD with Nesterov momentum and both beat AdaGrad (§6.1, Figure 1 left); (b) on sparse features
with dropout, the adaptive methods beat SGD-type methods (§6.1, Figure 1 right); (c) bias correction
matters when β2 is close to 1 (§6.4, Figure 4); (d) the bound on the effective step (§2.1); and
(e) the regret bound of Theorem 4.1 (§4).
"""


def build(report, setting: Setting = FULL):
    """Run (a)–(e) with ``setting`` and add them to ``report``; return (shows, does_not_show)."""
    s = setting
    cps = checkpoints(s)
    probs = problems(s)
    add_settings(report, s, cps)
    how_to_read(report)
    found = {}
    found["a"] = evaluation.build(report, s, cps, probs["digits"], "digits", "a")
    found["b"] = evaluation.build(report, s, cps, probs["sparse-logistic"], "sparse-logistic", "b")
    found["c"] = bias_correction.build(report, s, cps, probs["sparse-logistic"])
    found["d"] = effective_step.build(report, s, found)
    found["e"] = theorem_4_1.build(report, s, cps, probs, found)
    return closing(s, found)


__all__ = ["BC_METHODS", "FULL", "METHODS", "NAMES", "QUESTION", "TITLE", "Setting", "build", "checkpoints"]
