"""The built-in algorithms, one file each: the spec (hyperparameters, defaults, citation) and the
per-coordinate update written as its paper writes it. Every module here is discovered by
:mod:`regret.optimizers.registry`; adding a file adds an algorithm."""
