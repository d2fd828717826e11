"""The engine: the compiled online loop and what runs it.

    validation and allocation   prepare.py (Setup), record.py (Record: the loops' outputs)
    one optimizer, many seeds   run.py (run)
    many optimizers × seeds     batch.py (run_many: one compiled call per table)
    the compiled loops          loop.py (arrays), loop_1d.py (d = 1, on scalars), loop_wide.py
                                (d ≥ 2^16, parallel over coordinates); accounting.py (the bookkeeping
                                they share); borrow.py (arrays without reference counts)
    per table of algorithms     kernel_set.py (the built-ins' loops; a user's algorithm's copy)
    disk cache                  kernel_cache.py (keyed on every source a kernel embeds)

Results carry no comparator: :func:`regret.run` and :func:`regret.run_many` (:mod:`regret.runs`)
add it, so the engine imports nothing above it.
"""
from .batch import run_many
from .prepare import default_checkpoints, instances
from .record import Record
from .result import RunResult
from .run import run

__all__ = ["run", "run_many", "RunResult", "Record", "default_checkpoints", "instances"]
