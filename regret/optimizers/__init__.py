"""Online optimizers exactly as published: one validated spec per algorithm.

A spec holds the hyperparameters (validated when it is built; an invalid value raises
:class:`regret.errors.InvalidInput`, a ``ValueError`` naming the field, the value and the allowed
range) and knows how to pack them into the float vector the compiled step reads
(:mod:`regret.optimizers.steps`, where every update is written out line by line with its source).

    >>> import regret
    >>> regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    Adam(alpha=0.5, beta1=0.0, beta2=0.1, eps=1e-08, eps_mode='outside', bias_correction=True, lam=1.0, schedule='sqrt')

Step-size schedules α_t: ``"constant"`` (α), ``"sqrt"`` (α/√t, the schedule of every regret
theorem here), or an array of length ≥ T giving α_1, α_2, ... .
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, fields

import numpy as np

from ..errors import InvalidInput, require
from . import steps as S

_EPS_MODES = {"outside": S.EPS_OUTSIDE, "inside": S.EPS_INSIDE, "hat": S.EPS_HAT}


def _unit_interval_open_right(v) -> bool:
    return 0.0 <= v < 1.0


# field name -> (check, allowed text)
_RULES = {
    "alpha": (lambda v: math.isfinite(v) and v > 0, "a finite number > 0"),
    "beta1": (_unit_interval_open_right, "a number in [0, 1)"),
    "beta2": (_unit_interval_open_right, "a number in [0, 1)"),
    "rho": (_unit_interval_open_right, "a number in [0, 1)"),
    "momentum": (_unit_interval_open_right, "a number in [0, 1)"),
    "eps": (lambda v: math.isfinite(v) and v >= 0, "a finite number ≥ 0"),
    "lam": (lambda v: 0.0 < v <= 1.0, "a number in (0, 1] (β1,t = β1·λ^(t−1); 1 keeps β1 constant)"),
}


@dataclass(frozen=True, eq=False)
class Optimizer:
    """Base spec: ``alpha`` and ``schedule`` are common to all algorithms."""

    name = "optimizer"
    code = -1
    adaptive = False  # projects in the weighted metric Π_{X, diag(w)} (Reddi et al.)

    def __post_init__(self):
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in _RULES:
                if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
                    raise InvalidInput(f"{self.name}.{f.name}", v, "a number")
                ok, allowed = _RULES[f.name]
                if not ok(float(v)):
                    raise InvalidInput(f"{self.name}.{f.name}", v, allowed)
                object.__setattr__(self, f.name, float(v))
        if hasattr(self, "eps_mode"):
            require(self.eps_mode in self._eps_modes(), f"{self.name}.eps_mode", self.eps_mode,
                    f"one of {list(self._eps_modes())}")
        if hasattr(self, "bias_correction"):
            require(isinstance(self.bias_correction, (bool, np.bool_)), f"{self.name}.bias_correction",
                    self.bias_correction, "true or false")
        sched = self.schedule
        if isinstance(sched, str):
            require(sched in ("constant", "sqrt"), f"{self.name}.schedule", sched,
                    "'constant', 'sqrt' or an array of step sizes")
        else:
            arr = np.asarray(sched, dtype=np.float64)
            require(arr.ndim == 1 and arr.size > 0, f"{self.name}.schedule", f"array of shape {arr.shape}",
                    "a non-empty 1-D array of step sizes α_1, α_2, …")
            bad = np.flatnonzero(~(np.isfinite(arr) & (arr > 0)))
            if bad.size:  # name the first offending entry: schedule[i] holds α_{i+1}
                raise InvalidInput(f"{self.name}.schedule[{int(bad[0])}]", float(arr[bad[0]]),
                                   "finite step sizes α_t > 0")
            object.__setattr__(self, "schedule", arr)

    @staticmethod
    def _eps_modes():
        return ("outside", "inside")

    # -- what the compiled engine reads ------------------------------------------------------------
    def hp_vector(self) -> np.ndarray:
        hp = np.zeros(S.N_HP)
        hp[S.HP_ALPHA] = self.alpha
        hp[S.HP_BETA1] = getattr(self, "beta1", 0.0)
        hp[S.HP_BETA2] = getattr(self, "beta2", 0.0)
        hp[S.HP_EPS] = getattr(self, "eps", 0.0)
        hp[S.HP_LAM] = getattr(self, "lam", 1.0)
        hp[S.HP_MOMENTUM] = getattr(self, "momentum", 0.0)
        hp[S.HP_RHO] = getattr(self, "rho", 0.0)
        hp[S.HP_EPS_MODE] = _EPS_MODES[getattr(self, "eps_mode", "outside")]
        hp[S.HP_BIAS] = 1.0 if self._bias() else 0.0
        hp[S.HP_SCHEDULE] = self.schedule_code
        hp[S.HP_WEIGHTED] = 1.0 if self.adaptive else 0.0
        return hp

    def _bias(self) -> bool:
        return bool(getattr(self, "bias_correction", False))

    @property
    def schedule_code(self) -> int:
        if isinstance(self.schedule, str):
            return S.SCHED_CONSTANT if self.schedule == "constant" else S.SCHED_SQRT
        return S.SCHED_ARRAY

    def alphas(self, T: int) -> np.ndarray:
        """α_1..α_T as an array (the compiled loop evaluates constant/sqrt schedules itself)."""
        t = np.arange(1, T + 1, dtype=np.float64)
        if self.schedule_code == S.SCHED_CONSTANT:
            return np.full(T, self.alpha)
        if self.schedule_code == S.SCHED_SQRT:
            return self.alpha / np.sqrt(t)
        require(len(self.schedule) >= T, f"{self.name}.schedule", f"array of length {len(self.schedule)}",
                f"at least T={T} step sizes")
        return np.asarray(self.schedule[:T], dtype=np.float64)

    def schedule_array(self, T: int) -> np.ndarray:
        """The array the engine receives: the user's α_t for array schedules, else a placeholder."""
        if self.schedule_code == S.SCHED_ARRAY:
            return self.alphas(T)
        return np.zeros(1)

    # -- presentation --------------------------------------------------------------------------------
    def hyperparameters(self) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.tolist() if isinstance(v, np.ndarray) else v
        return out

    def label(self) -> str:
        """Name and the hyperparameters that differ from the defaults, e.g. adam(alpha=0.5, beta1=0)."""
        parts = []
        defaults = {f.name: f.default for f in fields(self)}
        for k, v in self.hyperparameters().items():
            if not isinstance(v, list) and v == defaults.get(k):
                continue
            if isinstance(v, list):
                v = f"array[{len(v)}]"
            parts.append(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}")
        return f"{self.name}(" + ", ".join(parts) + ")"

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" if not isinstance(v, np.ndarray) else f"{k}=array[{len(v)}]"
                          for k, v in ((f.name, getattr(self, f.name)) for f in fields(self)))
        return f"{type(self).__name__}({inner})"

    def replace(self, **changes) -> "Optimizer":
        return dataclasses.replace(self, **changes)

    # -- value semantics: two specs are equal when they run the same algorithm with the same numbers --
    def _key(self) -> tuple:
        return (type(self),) + tuple(
            (f.name, tuple(v.tolist()) if isinstance(v, np.ndarray) else v)
            for f, v in ((f, getattr(self, f.name)) for f in fields(self)))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Optimizer):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True, eq=False, repr=False)
class SGD(Optimizer):
    """Online (projected) gradient descent, Zinkevich (ICML 2003) Algorithm 1: x ← Π_X(x − α_t g)."""

    name = "sgd"
    code = S.SGD
    alpha: float = 0.01
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class Momentum(Optimizer):
    """Heavy-ball momentum (Polyak 1964): v ← μv + α_t g; x ← Π_X(x − v). Equals torch
    ``SGD(momentum=μ)`` for a constant α."""

    name = "momentum"
    code = S.MOMENTUM
    alpha: float = 0.01
    momentum: float = 0.9
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class Nesterov(Optimizer):
    """Nesterov momentum in torch's form (Sutskever et al. 2013): b ← μb + g; x ← Π_X(x − α_t(g + μb))."""

    name = "nesterov"
    code = S.NESTEROV
    alpha: float = 0.01
    momentum: float = 0.9
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class AdaGrad(Optimizer):
    """Diagonal AdaGrad, Duchi, Hazan & Singer (JMLR 2011) Fig. 1: G ← G + g²;
    x ← Π_{X,√G}(x − α_t g/(√G + ε)) ('outside', torch) or g/√(G + ε) ('inside', optax)."""

    name = "adagrad"
    code = S.ADAGRAD
    adaptive = True
    alpha: float = 0.01
    eps: float = 1e-10
    eps_mode: str = "outside"
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012, lecture 6.5): G ← ρG + (1−ρ)g²; x ← Π(x − α_t g/(√G + ε))."""

    name = "rmsprop"
    code = S.RMSPROP
    adaptive = True
    alpha: float = 0.01
    rho: float = 0.99
    eps: float = 1e-8
    eps_mode: str = "outside"
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class RMSPropMomentum(Optimizer):
    """RMSProp with a momentum buffer and no bias correction (torch ``RMSprop(momentum=μ)``), the
    baseline of Kingma & Ba §6.4: G ← ρG + (1−ρ)g²; b ← μb + g/(√G + ε); x ← Π(x − α_t b)."""

    name = "rmsprop_momentum"
    code = S.RMSPROP_MOMENTUM
    adaptive = True
    alpha: float = 0.01
    rho: float = 0.99
    momentum: float = 0.9
    eps: float = 1e-8
    eps_mode: str = "outside"
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class Adam(Optimizer):
    """Adam, Kingma & Ba (ICLR 2015, arXiv:1412.6980v9) Algorithm 1, with the decaying
    β1,t = β1 λ^{t−1} of Theorem 4.1 (λ = 1: constant β1, the algorithm as used in practice).

    eps_mode: 'outside' — α m̂/(√v̂ + ε) (Algorithm 1, torch, optax); 'inside' — α m̂/√(v̂ + ε);
    'hat' — §2's efficient order α √(1−β2^t)/(1−β1^t) · m/(√v + ε̂) with ε̂ = eps (TF1, river).
    bias_correction=False drops m̂, v̂ (Reddi et al.'s "Adam", ICLR 2018 §2)."""

    name = "adam"
    code = S.ADAM
    adaptive = True
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    eps_mode: str = "outside"
    bias_correction: bool = True
    lam: float = 1.0
    schedule: object = "constant"

    @staticmethod
    def _eps_modes():
        return ("outside", "inside", "hat")


@dataclass(frozen=True, eq=False, repr=False)
class AdaMax(Optimizer):
    """AdaMax, Kingma & Ba Algorithm 2 (§7.1): u ← max(β2u, |g|); x ← x − (α/(1−β1^t)) m/u; no ε."""

    name = "adamax"
    code = S.ADAMAX
    adaptive = True
    alpha: float = 0.002
    beta1: float = 0.9
    beta2: float = 0.999
    lam: float = 1.0
    schedule: object = "constant"

    def _bias(self) -> bool:
        return True  # 1/(1 − β1^t) is part of Algorithm 2


@dataclass(frozen=True, eq=False, repr=False)
class AMSGrad(Optimizer):
    """AMSGrad, Reddi, Kale & Kumar (ICLR 2018) Algorithm 2: v̂ ← max(v̂, v), no bias correction,
    x ← Π_{X,√V̂}(x − α_t m/√v̂). bias_correction=True gives torch's ``Adam(amsgrad=True)``
    (max of the raw v, then both corrections with the current t)."""

    name = "amsgrad"
    code = S.AMSGRAD
    adaptive = True
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 0.0
    lam: float = 1.0
    bias_correction: bool = False
    schedule: object = "constant"


@dataclass(frozen=True, eq=False, repr=False)
class AdamX(Optimizer):
    """AdamX, Phuong & Phong (IEEE Access 2019, arXiv:1904.03590) Algorithm 2: AMSGrad with
    v̂_t = max((1−β1,t)²/(1−β1,t−1)² v̂_{t−1}, v_t)."""

    name = "adamx"
    code = S.ADAMX
    adaptive = True
    alpha: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 0.0
    lam: float = 1.0
    schedule: object = "constant"


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, RMSPropMomentum, Adam, AdaMax,
                              AMSGrad, AdamX)
}


def optimizer(name: str, **hyperparameters) -> Optimizer:
    """Optimizer spec by name, e.g. ``optimizer("amsgrad", alpha=0.5, beta1=0, beta2=0.1)``."""
    if isinstance(name, Optimizer):
        return name.replace(**hyperparameters) if hyperparameters else name
    require(name in OPTIMIZERS, "optimizer", name, f"one of {sorted(OPTIMIZERS)}")
    cls = OPTIMIZERS[name]
    allowed = [f.name for f in fields(cls)]
    for k in hyperparameters:
        require(k in allowed, f"{name} hyperparameter", k, f"one of {allowed}")
    return cls(**hyperparameters)
