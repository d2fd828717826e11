"""The disk cache of regret's compiled functions: where numba caches them, what a cached kernel is keyed on,
and what happens when no directory can be written or a cache file is damaged.

Keyed on every source a kernel embeds. numba keys a cached function on its own source file only, but a
cached kernel carries the machine code of every compiled function it calls: after an edit of an
optimizer's file, losses.py or domains.py alone, ``run_one`` would keep running the old updates. The
kernels of every file that calls :func:`register_dependent_cache` (regret/engine/carry.py, regret/engine/loop.py,
regret/engine/loop_1d.py, regret/engine/loop_wide.py, bench/kernels.py) are keyed on the contents of all
the files whose compiled code they embed (:data:`KERNEL_SOURCES`) in every place numba may cache them
(``numba.core.caching.CacheImpl._locator_classes``): ``NUMBA_CACHE_DIR``, the ``__pycache__`` beside the
source, the user-wide directory numba falls back to when the package's directory is read-only, and the
user-wide directory of a package imported from a zip archive. numba's fifth locator, for functions typed
at an IPython prompt, never applies: regret's kernels (a user algorithm's loops too) are functions of the
package's files. A kernel that none of these can place is compiled in memory, never cached by one of
numba's own locators (which would key it on its own file only).

No writable directory at all (a read-only install without a writable home or ``NUMBA_CACHE_DIR``): numba
refuses to decorate a cached function ("no locator available"); regret's functions are compiled in memory
in every process instead, with one warning.

A damaged cache file (a truncated ``.nbi`` or ``.nbc``): numba raises from every later call; regret's
entry is discarded, with one warning, and the function recompiled.

regret/__init__.py installs all this before the first module of the package is imported (a function
locates its cache when it is decorated); the numba functions of other packages are left as numba makes them.
"""
from __future__ import annotations

import functools
import glob
import hashlib
import os
import pickle
import posixpath
import sys
import warnings
import zipfile
from pathlib import Path, PurePosixPath

from numba.core import caching

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE = os.path.dirname(_HERE)


def _in_zip(path):
    """(archive, member) when ``path`` names a file inside a zip archive (a package imported by
    zipimport), else None."""
    parts = Path(path).parts
    for i in range(1, len(parts)):
        if parts[i].endswith(".zip") and os.path.isfile(os.path.join(*parts[: i + 1])):
            return os.path.join(*parts[: i + 1]), PurePosixPath(*parts[i + 1:]).as_posix()
    return None


def _python_files(directory) -> list:
    """The ``.py`` files of one directory of the package, in a zip archive too."""
    if os.path.isdir(directory):
        return glob.glob(os.path.join(directory, "*.py"))
    archive = _in_zip(directory)
    if archive is None:
        return []
    with zipfile.ZipFile(archive[0]) as zf:
        names = zf.namelist()
    return [os.path.join(directory, posixpath.basename(n)) for n in names
            if n.endswith(".py") and posixpath.dirname(n) == archive[1]]


# the sources whose compiled functions the engine's kernels call (and so carry in their cache): the
# engine's own loop modules, the losses, the domains, the no-adversary hook, and every file of
# regret/optimizers (the protocol, the generated dispatch and each algorithm's update)
KERNEL_SOURCES = (tuple(os.path.join(_PACKAGE, f) for f in ("domains.py", "losses.py",
                                                             os.path.join("problems", "no_adversary.py")))
                  + tuple(os.path.join(_HERE, f) for f in ("accounting.py", "borrow.py", "carry.py", "loop_1d.py",
                                                           "loop_wide.py", "loop.py"))
                  + tuple(sorted(_python_files(os.path.join(_PACKAGE, "optimizers"))
                                 + _python_files(os.path.join(_PACKAGE, "optimizers", "algorithms")))))


@functools.lru_cache(maxsize=None)
def _hash_zip_member(zip_path, member, st_mtime, st_size):
    with zipfile.ZipFile(zip_path) as zf:
        return hashlib.sha256(zf.read(member)).digest()


def _digest(path) -> bytes:
    """sha256 of a source file's contents (numba's own, memoized on its mtime and size), or of a member
    of a zip archive."""
    try:
        st = os.stat(path)
    except OSError:
        archive = _in_zip(path)
        if archive is None:
            raise
        st = os.stat(archive[0])
        return _hash_zip_member(*archive, st.st_mtime, st.st_size)
    return caching._hash_source_file(path, st.st_mtime, st.st_size)


def source_stamp(py_file, sources=None) -> bytes:
    """sha256 over the contents of ``py_file`` and of ``sources`` (default :data:`KERNEL_SOURCES`)."""
    h = hashlib.sha256()
    for path in (os.path.abspath(py_file),) + tuple(KERNEL_SOURCES if sources is None else sources):
        h.update(_digest(path))
    return h.digest()


class KernelCacheWarning(UserWarning):
    """A compiled function of regret could not use its disk cache as usual (the message says why)."""


_warned: set = set()


def _warn_once(kind: str, message: str) -> None:
    if kind not in _warned:
        _warned.add(kind)
        warnings.warn(message, KernelCacheWarning, stacklevel=3)


def _registered(py_file) -> bool:
    return py_file is not None and os.path.abspath(py_file) in _KeyedOnKernelSources.files


def _owned(py_file) -> bool:
    """A file of the package, or one registered with :func:`register_dependent_cache` (bench/kernels.py)."""
    return py_file is not None and (os.path.abspath(py_file).startswith(_PACKAGE + os.sep) or _registered(py_file))


# ------------------------------------------------------------------------------------------------
# where a function of regret is cached: numba's locators, keyed on KERNEL_SOURCES for the kernels
# ------------------------------------------------------------------------------------------------
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
        if not _registered(py_file):
            return None
        self = super().from_function(py_func, py_file)  # numba's own checks (CACHE_DIR set, writable, a zip…)
        if self is None:
            return None
        self._table_key = getattr(py_func, "__regret_table_key__", None)
        try:
            self.ensure_cache_path()  # a user table's own directory; numba's zip locator checks nothing
        except OSError:
            return None
        return self


class _UserProvidedKeyed(_KeyedOnKernelSources, caching.UserProvidedCacheLocator):
    """NUMBA_CACHE_DIR set."""


class _InTreeKeyed(_KeyedOnKernelSources, caching.InTreeCacheLocator):
    """__pycache__ beside the source."""


class _UserWideKeyed(_KeyedOnKernelSources, caching.UserWideCacheLocator):
    """The user-wide cache numba falls back to when the package's directory is read-only."""


_ZipCacheLocator = getattr(caching, "ZipCacheLocator", None)  # numba ≥ 0.61
if _ZipCacheLocator is not None:
    class _ZipKeyed(_KeyedOnKernelSources, _ZipCacheLocator):
        """A package imported from a zip archive (the user-wide directory; the stamp reads the members)."""
else:  # pragma: no cover
    _ZipKeyed = None


class _NoDiskCache(caching._CacheLocator):
    """The locator of last resort of regret's own files: no directory can be written (``NUMBA_CACHE_DIR``,
    the package's ``__pycache__``, the user-wide cache directory), where numba would refuse to decorate
    the function. Its cache neither loads nor saves (:func:`_load_overload`): the function is compiled in
    memory in every process, and the first such function warns once."""

    def __init__(self, py_func, py_file):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno

    @staticmethod
    def _applies(py_file) -> bool:
        return _owned(py_file)

    @classmethod
    def from_function(cls, py_func, py_file):
        if not cls._applies(py_file):
            return None
        _warn_once("no-disk-cache", _no_disk_cache_message())
        return cls(py_func, py_file)

    def ensure_cache_path(self):
        raise OSError(f"{type(self).__name__}: regret's compiled functions are not cached on disk")

    def get_cache_path(self):
        return os.path.join(os.path.dirname(self._py_file), "__pycache__")  # never read nor written

    def get_source_stamp(self):
        return None

    def get_disambiguator(self):
        return str(self._lineno)


class _KernelWithoutDiskCache(_NoDiskCache):
    """Right after the keyed locators: a kernel of a registered file that none of them can place is
    compiled in memory, never cached by numba's own locators (keyed on its own file only; and a user
    table's loops would share the built-in loops' index)."""

    @staticmethod
    def _applies(py_file) -> bool:
        return _registered(py_file)


def _no_disk_cache_message() -> str:
    from numba.core import config
    from numba.misc.appdirs import AppDirs

    places = ([f"NUMBA_CACHE_DIR={config.CACHE_DIR}"] if config.CACHE_DIR else []) + [
        f"the package's __pycache__ directories ({_PACKAGE})",
        f"the user cache directory ({AppDirs(appname='numba', appauthor=False).user_cache_dir})"]
    return ("regret: compiled kernels are not cached on disk, no writable cache directory (" + ", ".join(places)
            + "): they are compiled again in every process; set NUMBA_CACHE_DIR to a writable directory")


# ------------------------------------------------------------------------------------------------
# loading and saving a cache of regret's: no disk cache, damaged files, a failed write
# ------------------------------------------------------------------------------------------------
def _numba(name):
    """numba's own ``Cache.<name>`` (also when this module is loaded again)."""
    method = getattr(caching.Cache, name)
    return getattr(method, "_numba", method)


_numba_load_overload, _numba_save_overload, _numba_flush = (_numba(n) for n in ("load_overload", "save_overload",
                                                                                 "flush"))


def _regrets(cache) -> bool:
    return _owned(getattr(cache._impl.locator, "_py_file", None))


def _off(cache) -> bool:
    """No disk cache: the last-resort locator, or a kernel placed by a locator that ignores
    KERNEL_SOURCES (NUMBA_CACHE_LOCATOR_CLASSES replaces numba's list, and regret's with it)."""
    locator = cache._impl.locator
    return isinstance(locator, _NoDiskCache) or (_registered(getattr(locator, "_py_file", None))
                                                 and not isinstance(locator, _KeyedOnKernelSources))


def _load_overload(self, sig, target_context):
    if not _regrets(self):
        return _numba_load_overload(self, sig, target_context)
    if _off(self):
        return None
    try:
        return _numba_load_overload(self, sig, target_context)
    except Exception:
        if not _discard_if_corrupted(self._cache_file):
            raise
        return None  # a miss: the dispatcher compiles and saves a fresh entry


def _save_overload(self, sig, data):
    if not _regrets(self):
        return _numba_save_overload(self, sig, data)
    if _off(self):
        return None
    try:
        _numba_save_overload(self, sig, data)
    except OSError as e:  # a full disk, a directory made read-only since: the function is compiled, run it
        _warn_once("unwritable", f"regret: a compiled kernel could not be written to its disk cache ({e}); "
                                 "it is compiled again in the next process")
    except Exception:
        if not _discard_if_corrupted(self._cache_file):
            raise
    return None


def _flush(self):
    if _regrets(self) and _off(self):
        return None
    return _numba_flush(self)


def _discard_if_corrupted(cache_file) -> bool:
    """Whether ``cache_file`` (numba's ``IndexDataCacheFile`` of one function) holds an entry that
    cannot be read back (a truncated or overwritten ``.nbi`` or ``.nbc``). If so the entry is removed —
    the index and its data files when the index is damaged — and a warning is issued (once)."""
    index = cache_file._index_path
    try:
        with open(index, "rb") as f:
            version = pickle.load(f)
            rest = f.read()
        if version != cache_file._version:
            return False  # another numba's index: numba reads no further
        stamp, overloads = pickle.loads(rest)
        if not isinstance(overloads, dict):
            raise TypeError(f"an index of {type(overloads).__name__}")
    except OSError:
        return False
    except Exception:
        base = os.path.basename(index)[:-len(".nbi")]
        try:
            data = [os.path.join(cache_file._cache_path, n) for n in os.listdir(cache_file._cache_path)
                    if n.startswith(base + ".") and n.endswith(".nbc") and n[len(base) + 1:-4].isdigit()]
        except OSError:
            data = []
        damaged = [index] + data
    else:
        if stamp != cache_file._source_stamp:
            return False  # stale: numba reads no further
        bad = {}
        for key, name in overloads.items():
            try:
                with open(cache_file._data_path(name), "rb") as f:
                    pickle.loads(f.read())
            except OSError:
                continue
            except Exception:
                bad[key] = name
        if not bad:
            return False
        try:
            cache_file._save_index({k: v for k, v in overloads.items() if k not in bad})
        except OSError:
            pass
        damaged = [cache_file._data_path(name) for name in bad.values()]
    for path in damaged:
        try:
            os.remove(path)
        except OSError:
            pass
    _warn_once("corrupted", f"regret: discarded a corrupted compiled-kernel cache entry ({damaged[0]}); recompiling")
    return True


def _install() -> None:
    """Put regret's locators in numba's list (the keyed ones first, the last resort last) and its
    guards on numba's cache (idempotent)."""
    classes = caching.CacheImpl._locator_classes
    if _UserProvidedKeyed not in classes:
        keyed = [_UserProvidedKeyed, _InTreeKeyed, _UserWideKeyed] + ([_ZipKeyed] if _ZipKeyed else [])
        classes[:0] = keyed + [_KernelWithoutDiskCache]
        classes.append(_NoDiskCache)
    for guard, numba_method in ((_load_overload, _numba_load_overload), (_save_overload, _numba_save_overload),
                                (_flush, _numba_flush)):
        guard._numba = numba_method
        setattr(caching.Cache, numba_method.__name__, guard)


_install()


def register_dependent_cache(py_file) -> None:
    """Key the cached kernels defined in ``py_file`` (call before its ``@njit(cache=True)``
    decorators run) on :data:`KERNEL_SOURCES` as well as on ``py_file`` itself."""
    _KeyedOnKernelSources.files.add(os.path.abspath(py_file))
    _install()
    # regret/__init__.py loads this module before its package (regret.engine) exists: bind it there
    package = sys.modules.get(__name__.rpartition(".")[0])
    if package is not None and getattr(package, "kernel_cache", None) is not sys.modules.get(__name__):
        setattr(package, "kernel_cache", sys.modules[__name__])
