"""The disk cache of the engine's compiled kernels, keyed on every source they embed.

numba keys a cached function on its own source file only, but a cached kernel carries
the machine code of every compiled function it calls: after an edit of an optimizer's file, losses.py or
domains.py alone, ``run_one`` would keep running the old updates. The kernels of every file that
calls :func:`register_dependent_cache` (regret/engine/loop.py, regret/engine/loop_1d.py, regret/engine/loop_wide.py,
bench/kernels.py) are keyed on the contents of
all the files whose compiled code they embed (:data:`KERNEL_SOURCES`).
"""
from __future__ import annotations

import glob
import hashlib
import os

from numba.core import caching

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE = os.path.dirname(_HERE)
# the sources whose compiled functions the engine's kernels call (and so carry in their cache): the
# engine's own loop modules, the losses, the domains, the no-adversary hook, and every file of
# regret/optimizers (the protocol, the generated dispatch and each algorithm's update)
KERNEL_SOURCES = (tuple(os.path.join(_PACKAGE, f) for f in ("domains.py", "losses.py",
                                                             os.path.join("problems", "no_adversary.py")))
                  + tuple(os.path.join(_HERE, f) for f in ("accounting.py", "borrow.py", "loop_1d.py",
                                                           "loop_wide.py", "loop.py"))
                  + tuple(sorted(glob.glob(os.path.join(_PACKAGE, "optimizers", "*.py"))
                                 + glob.glob(os.path.join(_PACKAGE, "optimizers", "algorithms", "*.py")))))


def source_stamp(py_file, sources=None) -> bytes:
    """sha256 over the contents of ``py_file`` and of ``sources`` (default :data:`KERNEL_SOURCES`)."""
    h = hashlib.sha256()
    for path in (os.path.abspath(py_file),) + tuple(KERNEL_SOURCES if sources is None else sources):
        st = os.stat(path)
        h.update(caching._hash_source_file(path, st.st_mtime, st.st_size))
    return h.digest()


class _KeyedOnKernelSources:
    """Cache locator mixin: the stamp that invalidates a cached function covers the kernel sources,
    for the files registered with :func:`register_dependent_cache` (others: numba's own locators).

    The loops rebuilt for a user's algorithm (:mod:`regret.engine.kernel_set`) are the same functions of
    the same files with another dispatch: their ``__regret_table_key__`` (a hash of the algorithm's
    sources) puts their cache in a directory of its own and enters their stamp, so a built-in loop
    and a user's never read each other's compiled code."""

    files: set = set()
    _table_key = None

    def get_source_stamp(self):
        stamp = source_stamp(self._py_file)
        return stamp if self._table_key is None else stamp + self._table_key.encode()

    def get_cache_path(self):
        path = super().get_cache_path()
        return path if self._table_key is None else os.path.join(path, f"table-{self._table_key[:20]}")

    @classmethod
    def from_function(cls, py_func, py_file):
        if os.path.abspath(py_file) not in _KeyedOnKernelSources.files:
            return None
        self = super().from_function(py_func, py_file)  # numba's own checks (CACHE_DIR set, writable…)
        key = getattr(py_func, "__regret_table_key__", None)
        if self is None or key is None:
            return self
        self._table_key = key
        try:
            self.ensure_cache_path()
        except OSError:
            return None
        return self


class _UserProvidedKeyed(_KeyedOnKernelSources, caching.UserProvidedCacheLocator):
    """NUMBA_CACHE_DIR set."""


class _InTreeKeyed(_KeyedOnKernelSources, caching.InTreeCacheLocator):
    """__pycache__ beside the source."""


class _UserWideKeyed(_KeyedOnKernelSources, caching.UserWideCacheLocator):
    """The user-wide cache numba falls back to when the package's directory is read-only."""


def register_dependent_cache(py_file) -> None:
    """Key the cached kernels defined in ``py_file`` (call before its ``@njit(cache=True)``
    decorators run) on :data:`KERNEL_SOURCES` as well as on ``py_file`` itself."""
    _KeyedOnKernelSources.files.add(os.path.abspath(py_file))
    classes = caching.CacheImpl._locator_classes
    if _UserProvidedKeyed not in classes:
        classes[:0] = [_UserProvidedKeyed, _InTreeKeyed, _UserWideKeyed]
