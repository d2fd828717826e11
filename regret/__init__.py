"""regret — measure the regret of online optimizers exactly, and check published bounds against it.

    >>> import regret
    >>> opt = regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    >>> res = regret.run(opt, regret.problem("reddi", C=3), T=10_000)
"""
from .domains import ball, box, simplex, unbounded
from .engine import RunResult, default_checkpoints
from .runs import run, run_many
from .errors import InvalidInput, SolverFailure, UnboundedComparator
from .losses import Family, family
from .optimizers import OPTIMIZERS, Optimizer, optimizer
from .optimizers.arrays import ArrayOptimizer
from .problems import from_arrays, problem
from .trajectory import from_losses, from_trajectory

__version__ = "0.1.0"
__all__ = ["run", "RunResult", "optimizer", "problem", "from_arrays", "family", "Family", "box", "ball",
           "simplex", "unbounded", "default_checkpoints", "InvalidInput", "UnboundedComparator",
           "SolverFailure", "OPTIMIZERS", "Optimizer", "run_many", "from_trajectory", "from_losses", "ArrayOptimizer"]
