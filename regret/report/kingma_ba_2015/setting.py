"""The choices of the kingma-ba-2015 report: the :class:`Setting` (horizons, seeds, grids), the
methods of each part with their fixed hyperparameters, and the problems; the report's "Settings"
table."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine import default_checkpoints
from ...optimizers import optimizer
from ...problems import problem


@dataclass(frozen=True)
class Setting:
    """Every choice the report makes. :data:`FULL` is the committed report; tests pass a smaller one."""

    T: int = 20_000  # rounds of every run in (a)–(e)
    seeds: tuple = (0, 1, 2, 3, 4)  # evaluation seeds of (a), (b), (e)
    tuning_seed: int = 1000  # α is chosen on this seed only, never on an evaluation seed
    alphas: tuple = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # the grid every method gets in (a), (b)
    bc_alphas: tuple = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)  # the grid of (c)
    bc_beta2: tuple = (0.99, 0.999, 0.9999)
    bc_seeds: tuple = (0, 1, 2)
    short: int = 2000  # the short horizon of (c)
    l2: float = 1e-3  # ridge term (l2/2)‖x‖² in every round (K&B: "L2-regularized" logistic regression)
    checkpoints: int = 20  # log-spaced checkpoints of the regret curves (plus `short` and T)
    lam: float = 1.0 - 1e-8  # Theorem 4.1's λ in (e): the paper's example "λ = 1 − 10^-8"
    reddi_T: int = 10_000  # horizon of the Theorem 4.1 check on Reddi et al.'s sequence


FULL = Setting()

# The methods of (a) and (b): (optimizer, name in the text, fixed hyperparameters).
METHODS = (
    ("adam", "Adam", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "schedule": "sqrt"}),
    ("adagrad", "AdaGrad", {"eps": 1e-10, "schedule": "constant"}),
    ("nesterov", "SGD-Nesterov", {"momentum": 0.9, "schedule": "sqrt"}),
    ("rmsprop", "RMSProp", {"rho": 0.99, "eps": 1e-8, "schedule": "sqrt"}),
    ("adamax", "AdaMax", {"beta1": 0.9, "beta2": 0.999, "schedule": "sqrt"}),
)
NAMES = {m[0]: m[1] for m in METHODS}

# The variants of (c): (key, name in the text).
BC_METHODS = (("adam", "Adam"), ("adam-nobc", "Adam, no bias correction"),
              ("rmsprop_momentum", "RMSProp+momentum"))


def alpha_text(a: float) -> str:
    return f"{a:g}"


def checkpoints(s: Setting) -> np.ndarray:
    """The rounds at which every run of the report records its regret: log-spaced, plus the short
    horizon of (c) and T."""
    cps = np.union1d(default_checkpoints(s.T, s.checkpoints), [s.short, s.T])
    return cps[(cps >= 1) & (cps <= s.T)].astype(np.int64)


def problems(s: Setting) -> dict:
    return {"digits": problem("digits", l2=s.l2), "sparse-logistic": problem("sparse-logistic", l2=s.l2)}


def spec(name: str, alpha: float):
    """A method of (a), (b) at step size ``alpha``."""
    kw = dict(next(m[2] for m in METHODS if m[0] == name))
    return optimizer(name, alpha=alpha, **kw)


def bc_spec(key: str, beta2: float, alpha: float):
    """A variant of (c) at ``beta2`` and step size ``alpha``."""
    if key == "adam":
        return optimizer("adam", alpha=alpha, beta1=0.9, beta2=beta2, schedule="sqrt")
    if key == "adam-nobc":
        return optimizer("adam", alpha=alpha, beta1=0.9, beta2=beta2, schedule="sqrt", bias_correction=False)
    return optimizer("rmsprop_momentum", alpha=alpha, rho=beta2, momentum=0.9, schedule="sqrt")


def add_settings(report, s: Setting, cps) -> None:
    """The report's "Settings" table."""
    report.setting("rounds T", f"{s.T} (every run; the digits set of 1797 rows is replayed in a fresh "
                               f"seeded order each epoch, {s.T / 1797:.1f} epochs)")
    report.setting("evaluation seeds", ", ".join(map(str, s.seeds)) + " (parts a, b, e); "
                   + ", ".join(map(str, s.bc_seeds)) + " (part c)")
    report.setting("tuning seed", f"{s.tuning_seed} (α is chosen here, never on an evaluation seed)")
    report.setting("α grid (a, b)", ", ".join(map(alpha_text, s.alphas)) + " — the same grid for every method")
    report.setting("α grid (c)", ", ".join(map(alpha_text, s.bc_alphas)))
    report.setting("β2 (c)", ", ".join(map(str, s.bc_beta2)))
    report.setting("horizons (c)", f"short T = {s.short}, long T = {s.T}")
    report.setting("problems", f"digits:l2={s.l2} (multiclass logistic, 65 features × 10 classes, d = 650, "
                               f"L2 ball of radius 10); sparse-logistic:l2={s.l2} (d = 200, 20 Zipf(1.1) words "
                               "per document, 50% inverted dropout, L2 ball of radius 10)")
    report.setting("checkpoints", f"{cps.size} rounds from 1 to {s.T}, log-spaced (plus {s.short})")
    report.setting("Theorem 4.1 (e)", "Adam with ε = 0 and β1,t = β1·λ^(t−1), λ = 1 − 10⁻⁸ (the paper's example)")
