"""The disk cache of the engine's compiled kernels, keyed on every source they embed.

numba keys a cached function on its own source file only, but a cached kernel carries
the machine code of every compiled function it calls: after an edit of steps.py, losses.py or
domains.py alone, ``run_one`` would keep running the old updates. The kernels of every file that
calls :func:`register_dependent_cache` (regret/loop.py, regret/loop_1d.py, regret/loop_wide.py,
bench/kernels.py) are keyed on the contents of
all the files whose compiled code they embed (:data:`KERNEL_SOURCES`).
"""
from __future__ import annotations

import hashlib
import os

from numba.core import caching

_HERE = os.path.dirname(os.path.abspath(__file__))
# the sources whose compiled functions the engine's kernels call (and so carry in their cache)
KERNEL_SOURCES = tuple(os.path.join(_HERE, f) for f in
                       ("domains.py", "losses.py", os.path.join("optimizers", "steps.py"), "accounting.py", "borrow.py",
                        "loop_1d.py", "loop_wide.py", "loop.py"))


def source_stamp(py_file, sources=None) -> bytes:
    """sha256 over the contents of ``py_file`` and of ``sources`` (default :data:`KERNEL_SOURCES`)."""
    h = hashlib.sha256()
    for path in (os.path.abspath(py_file),) + tuple(KERNEL_SOURCES if sources is None else sources):
        st = os.stat(path)
        h.update(caching._hash_source_file(path, st.st_mtime, st.st_size))
    return h.digest()


class _KeyedOnKernelSources:
    """Cache locator mixin: the stamp that invalidates a cached function covers the kernel sources,
    for the files registered with :func:`register_dependent_cache` (others: numba's own locators)."""

    files: set = set()

    def get_source_stamp(self):
        return source_stamp(self._py_file)

    @classmethod
    def from_function(cls, py_func, py_file):
        if os.path.abspath(py_file) not in _KeyedOnKernelSources.files:
            return None
        return super().from_function(py_func, py_file)


class _UserProvidedKeyed(_KeyedOnKernelSources, caching.UserProvidedCacheLocator):
    """NUMBA_CACHE_DIR set."""


class _InTreeKeyed(_KeyedOnKernelSources, caching.InTreeCacheLocator):
    """__pycache__ beside the source."""


def register_dependent_cache(py_file) -> None:
    """Key the cached kernels defined in ``py_file`` (call before its ``@njit(cache=True)``
    decorators run) on :data:`KERNEL_SOURCES` as well as on ``py_file`` itself."""
    _KeyedOnKernelSources.files.add(os.path.abspath(py_file))
    classes = caching.CacheImpl._locator_classes
    if _UserProvidedKeyed not in classes:
        classes[:0] = [_UserProvidedKeyed, _InTreeKeyed]
