"""The sympy symbols of the quantities the regret theorems speak of.

One symbol per quantity, shared by every theorem, so that two theorems that use the same quantity
mean the same thing (and a value computed from a run is looked up by its symbol):

| symbol | quantity | value taken from a run |
| --- | --- | --- |
| T | horizon (the checkpoint T') | the checkpoint |
| d | dimension | ``run.d`` |
| α, η | step size (α_t = α/√t, or η constant) | ``optimizer.alpha`` |
| β1, β2, λ, ε | Adam-type hyperparameters; β1,t = β1 λ^{t−1} | the optimizer spec (``lam``) |
| δ | AdaGrad's H_t = δI + diag(s_t) | AdaGrad's ``eps`` |
| D, D∞ | ℓ2 / ℓ∞ diameter bounds | the domain's diameters, or the observed extent (see :mod:`.context`) |
| G, G∞ | gradient bounds ‖g_t‖₂ ≤ G, ‖g_t‖∞ ≤ G∞ | max over the played points (``run.G``, ``run.G_inf``) |
| C | the counterexamples' large gradient | the problem's parameter |
| t_0 | a constant a paper only asserts to exist (Phuong & Phong's t_0) | none: the theorem's ``unknowns`` give its least value |
| t, i | the round and the coordinate, bound inside the run statistics' sums | — |

The run statistics inside the bounds (Σ_i ‖g_{1:T,i}‖₂, Σ_i √(T v̂_{T,i}), …) are the symbols of
:mod:`regret.theory.statistics`; docs/extending.md ("Your own bound") lists every name a bound may
use and how each is measured.

Every symbol carries the sign the papers assume (positive, or non-negative for β1, ε, δ), which is
what lets sympy take limits in T without case splits.
"""
from __future__ import annotations

import sympy as sp

T = sp.Symbol("T", positive=True, integer=True)
t = sp.Symbol("t", positive=True, integer=True)
i = sp.Symbol("i", positive=True, integer=True)
d = sp.Symbol("d", positive=True, integer=True)
alpha = sp.Symbol("alpha", positive=True)
eta = sp.Symbol("eta", positive=True)
beta1 = sp.Symbol("beta_1", nonnegative=True)
beta2 = sp.Symbol("beta_2", nonnegative=True)
lam = sp.Symbol("lambda", positive=True)
eps = sp.Symbol("epsilon", nonnegative=True)
delta = sp.Symbol("delta", nonnegative=True)
D = sp.Symbol("D", positive=True)
D_inf = sp.Symbol("D_infty", positive=True)
G = sp.Symbol("G", positive=True)
G_inf = sp.Symbol("G_infty", positive=True)
C = sp.Symbol("C", positive=True)
t0 = sp.Symbol("t_0", positive=True, integer=True)

# indexed objects, for the displayed definitions of the run statistics
g_ = sp.IndexedBase("g")
vhat_ = sp.IndexedBase(r"\hat{v}")
mhat_ = sp.IndexedBase(r"\hat{m}")
beta1t_ = sp.IndexedBase(r"\beta_{1}")
gnorm_ = sp.Function(r"\|g_{1:T,i}\|_2")
gnorm_.__module__ = __name__  # an undefined sympy function has none, and help() of this module needs one

NAMES = {  # CLI/JSON names of the symbols
    T: "T", d: "d", alpha: "alpha", eta: "eta", beta1: "beta1", beta2: "beta2", lam: "lambda",
    eps: "epsilon", delta: "delta", D: "D", D_inf: "D_inf", G: "G", G_inf: "G_inf", C: "C", t0: "t0",
}


def name(sym: sp.Symbol) -> str:
    """The plain-text name of a symbol (``beta1`` for β1)."""
    return NAMES.get(sym, str(sym))


# what help() shows: the symbols, not the indexed objects of the displayed definitions
__all__ = ["T", "t", "i", "d", "alpha", "eta", "beta1", "beta2", "lam", "eps", "delta", "D", "D_inf", "G", "G_inf",
           "C", "t0", "NAMES", "name"]
