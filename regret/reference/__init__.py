"""The exact, slow path: the whole online loop in plain Python and numpy, nothing compiled.

* :class:`regret.ArrayOptimizer` — an algorithm as init/update on numpy arrays (optax-like); every
  built-in has one in its own file (``spec.on_arrays()``), written from its paper independently of
  the compiled update;
* :func:`run` — the loop (:mod:`regret.reference.loop`): same arguments, validation, statistics and
  :class:`regret.RunResult` as :func:`regret.engine.run`; ``regret.run`` takes this path by itself
  for an ArrayOptimizer;
* :mod:`regret.reference.losses`, :mod:`regret.reference.projections` — the losses and the
  (weighted) projections from their formulas and KKT conditions.

It is slow (a Python loop over rounds: about 9·10³ rounds a second at d = 1, 1.5·10³ at d = 10) and it is the engine's test
oracle: the compiled loops must agree with it on every optimizer × loss family × domain.
"""
from ..optimizers.arrays import ArrayOptimizer
from .loop import run

__all__ = ["ArrayOptimizer", "run"]
