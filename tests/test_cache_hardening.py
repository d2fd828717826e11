"""The disk cache of regret's compiled kernels when the install is not the developer's checkout (issue 11):
a read-only package directory, a package imported from a zip archive, damaged cache files, no writable
directory at all; and a pytest plugin that imports nothing heavy.

Every scenario runs fresh processes on a copy of the package (never the checkout's own cache) holding two
probes: ``regret/_cache_probe.py``, a cached kernel registered as the engine's loops are
(``register_dependent_cache``) whose machine code embeds a function appended to the copy's
``regret/optimizers/steps.py``; and ``regret/_cache_probe_plain.py``, a cached function of the package
that numba's own locators place. They compile in well under a second, where the engine's loops take a
minute — and the child checks that the engine's loops get the same locator as the probe.

Read-only is real where it can be: ``chmod`` for a user who is not root; as root (where chmod stops no
write), the child runs as ``nobody`` through ``setpriv``; without setpriv it is simulated in the child
(every creation, write, rename or removal of a file under the read-only directories fails with EACCES,
as the kernel would refuse it). ``REGRET_TEST_READ_ONLY=simulated`` forces the simulation.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "regret"
NOBODY = 65534

STEPS_PROBE = '''

@njit(cache=True, error_model="numpy", inline="always")
def _cache_probe_constant():  # tests/test_cache_hardening.py
    return 1.0
'''
KERNEL_PROBE = '''"""tests/test_cache_hardening.py: a cached kernel embedding compiled code of optimizers/steps.py."""
from numba import njit

from regret.engine.kernel_cache import register_dependent_cache
from regret.optimizers import steps

register_dependent_cache(__file__)


@njit(cache=True)
def probe(x):
    return steps._cache_probe_constant() * x
'''
PLAIN_PROBE = '''"""tests/test_cache_hardening.py: a cached function of the package, placed by numba's locators."""
from numba import njit


@njit(cache=True)
def plain(x):
    return x + 1.0
'''
# the child: use the package as a user does, report what happened as one JSON line
CHILD = r'''
import json, os, sys, warnings

roots = os.environ.get("SIMULATED_READ_ONLY")
if roots:  # EACCES for every creation, write, rename or removal under these directories
    import builtins, errno, io
    roots = [os.path.realpath(r) + os.sep for r in roots.split(os.pathsep)]

    def _ro(path):
        try:
            p = os.path.realpath(os.fspath(path))
        except TypeError:
            return False
        return any((p + os.sep).startswith(r) for r in roots)

    def _deny(path):
        raise PermissionError(errno.EACCES, "Permission denied (simulated read-only)", os.fspath(path))

    def _guard(fn, writes):
        def guarded(*args, **kwargs):
            for path in writes(*args, **kwargs):
                if _ro(path):
                    _deny(path)
            return fn(*args, **kwargs)
        return guarded

    _WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    _mkdir = os.mkdir

    def _mkdir_ro(path, mode=0o777, *, dir_fd=None):
        if _ro(path):
            if os.path.exists(path):
                raise FileExistsError(errno.EEXIST, "File exists", os.fspath(path))
            _deny(path)
        return _mkdir(path, mode, dir_fd=dir_fd)

    os.mkdir = _mkdir_ro
    os.open = _guard(os.open, lambda path, flags, *a, **k: [path] if flags & _WRITE else [])
    builtins.open = io.open = _guard(builtins.open, lambda file, mode="r", *a, **k:
                                     [file] if isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+")
                                     else [])
    for name in ("replace", "rename"):
        setattr(os, name, _guard(getattr(os, name), lambda src, dst, *a, **k: [src, dst]))
    for name in ("remove", "unlink", "rmdir"):
        setattr(os, name, _guard(getattr(os, name), lambda path, *a, **k: [path]))

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import regret
    regret.optimizer  # the API: every compiled function of the package is decorated
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher
    from regret import _cache_probe, _cache_probe_plain, domains
    from regret.engine import kernel_cache, loop, loop_1d, loop_wide
    value, plain = _cache_probe.probe(3.0), _cache_probe_plain.plain(3.0)


def locator(fn):
    return type(fn._cache._impl.locator).__name__


print(json.dumps({
    "value": value, "plain": plain,
    "warnings": [str(w.message) for w in caught if str(w.message).startswith("regret:")],
    "probe_locator": locator(_cache_probe.probe), "plain_locator": locator(_cache_probe_plain.plain),
    "engine_locators": sorted({locator(f) for f in (loop.run_one, loop.run_batch, loop_1d.run_1d, loop_wide.run_wide)}),
    "domains_locators": sorted({locator(f) for f in vars(domains).values()
                                if isinstance(f, Dispatcher) and not isinstance(f._cache, NullCache)}),
    "hits": [sum(f.stats.cache_hits.values()) for f in (_cache_probe.probe, _cache_probe_plain.plain)],
    "steps_is_a_kernel_source": any(p.endswith(os.path.join("optimizers", "steps.py"))
                                    for p in kernel_cache.KERNEL_SOURCES),
}))
'''


def _copy_package(site: Path) -> Path:
    """The package (without caches) and its probes under ``site``; returns the copy's steps.py."""
    pkg = site / "regret"
    shutil.copytree(PACKAGE, pkg, ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    steps = pkg / "optimizers" / "steps.py"
    steps.write_text(steps.read_text() + STEPS_PROBE)
    (pkg / "_cache_probe.py").write_text(KERNEL_PROBE)
    (pkg / "_cache_probe_plain.py").write_text(PLAIN_PROBE)
    return steps


def _edit_steps(steps: Path, zip_to: Path | None = None) -> None:
    """The edit of the issue: a constant of steps.py changes, so the probe's answer must double."""
    mode = steps.stat().st_mode
    steps.chmod(mode | stat.S_IWUSR)
    text = steps.read_text()
    assert STEPS_PROBE in text
    steps.write_text(text.replace(STEPS_PROBE, STEPS_PROBE.replace("return 1.0", "return 2.0")))
    steps.chmod(mode)
    if zip_to is not None:
        _zip(steps.parents[2], zip_to)


def _zip(site: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted((site / "regret").rglob("*.py")):
            zf.write(path, path.relative_to(site).as_posix())


def _read_only(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _writable_again(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        if not p.is_symlink():
            p.chmod(p.stat().st_mode | stat.S_IWUSR)


class Sandbox:
    """A directory every child can read, and how a child is made unable to write (see the module's
    docstring): ``mode`` is "chmod", "nobody" or "simulated"."""

    def __init__(self, root: Path, mode: str):
        self.root, self.mode = root, mode
        self.child = root / "child.py"
        self.child.write_text(CHILD)
        self.times: list = []

    def dir(self, name: str, writable_by_child: bool = True) -> Path:
        path = self.root / name
        path.mkdir(parents=True)
        if self.mode == "nobody" and writable_by_child:
            os.chown(path, NOBODY, NOBODY)
        if not writable_by_child and self.mode == "chmod":
            path.chmod(0o555)
        return path

    def run(self, pythonpath: Path, home: Path, read_only=(), numba_cache_dir: Path | None = None,
            as_user: bool = True) -> dict:
        """Run the child with ``pythonpath`` first on sys.path; ``read_only``: directories it cannot write."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH", "SIMULATED_READ_ONLY")}
        env.update(PYTHONPATH=str(pythonpath), HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
        if numba_cache_dir is not None:
            env["NUMBA_CACHE_DIR"] = str(numba_cache_dir)
        cmd = [sys.executable, str(self.child)]
        if read_only and self.mode == "simulated":
            env["SIMULATED_READ_ONLY"] = os.pathsep.join(map(str, read_only))
        if read_only and self.mode == "nobody" and as_user:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"] + cmd
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=self.root, env=env, capture_output=True, text=True, timeout=600)
        self.times.append(round(time.perf_counter() - t0, 1))
        assert p.returncode == 0, f"child failed ({self.mode}):\n{p.stderr[-4000:]}"
        return json.loads(p.stdout.strip().splitlines()[-1])


@functools.lru_cache(maxsize=None)
def _mode() -> str:
    """How a child is kept from writing: "chmod" if chmod stops this user, else (root) "nobody" if
    setpriv can run Python as nobody, else "simulated"."""
    forced = os.environ.get("REGRET_TEST_READ_ONLY")
    if forced:
        return forced
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "chmod-probe"
        probe.mkdir(mode=0o555)
        try:
            (probe / "x").touch()
        except PermissionError:
            return "chmod"
        finally:
            probe.chmod(0o755)
    if os.geteuid() == 0 and shutil.which("setpriv"):
        p = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--",
                            sys.executable, "-c", "import numba"], capture_output=True, cwd="/")
        if p.returncode == 0:
            return "nobody"
    return "simulated"


@pytest.fixture
def sandbox():
    # not pytest's tmp_path: its parent directories are private to the user, and a child running as
    # nobody must read the copy of the package
    root = Path(tempfile.mkdtemp(prefix="regret-cache-"))
    root.chmod(0o755)
    box = Sandbox(root, _mode())
    yield box
    print(f"child processes ({box.mode}): {box.times} s")
    _writable_again(root)
    shutil.rmtree(root, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# 1. a kernel is keyed on the sources it embeds in every place numba may cache it
# ------------------------------------------------------------------------------------------------
def test_read_only_install_recompiles_a_kernel_after_an_edit_of_steps(sandbox):
    """The issue's repro: the package directory cannot be written, so numba caches in the user-wide
    directory (~/.cache/numba); after an edit of steps.py a kernel that embeds it must not be loaded
    stale from there."""
    site = sandbox.dir("site")
    steps = _copy_package(site)
    _read_only(site)
    home = sandbox.dir("home")
    first = sandbox.run(site, home, read_only=[site])
    assert first["value"] == 3.0 and first["warnings"] == []
    assert first["probe_locator"] == "_UserWideKeyed" and first["engine_locators"] == ["_UserWideKeyed"]
    assert list(home.rglob("_cache_probe.probe-*.nbi")), "the kernel was not cached in the user-wide directory"
    _edit_steps(steps)
    second = sandbox.run(site, home, read_only=[site])
    assert second["value"] == 6.0, "a stale kernel was loaded from the user-wide cache after steps.py changed"
    assert second["hits"][0] == 0
    assert not list(site.rglob("*.nbi")), "the read-only package directory was written"


def test_zip_install_recompiles_a_kernel_after_an_edit_of_steps(sandbox):
    """A package imported from a zip archive: numba's zip locator keys a function on its own member
    of the archive only (the kernel came back stale); regret's reads every kernel source in the archive."""
    site = sandbox.dir("site")
    steps = _copy_package(site)
    archive = sandbox.root / "regret.zip"
    _zip(site, archive)
    home = sandbox.dir("home")
    first = sandbox.run(archive, home)
    assert first["value"] == 3.0 and first["warnings"] == []
    assert first["probe_locator"] == "_ZipKeyed" and first["engine_locators"] == ["_ZipKeyed"]
    assert first["steps_is_a_kernel_source"]
    _edit_steps(steps, zip_to=archive)
    second = sandbox.run(archive, home)
    assert second["value"] == 6.0, "a stale kernel was loaded from the cache of a zipped package after steps.py changed"
    assert second["hits"][0] == 0


# ------------------------------------------------------------------------------------------------
# 2. a damaged cache file is a miss, not a crash
# ------------------------------------------------------------------------------------------------
def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_truncated_cache_file_is_discarded_and_recompiled(sandbox):
    """Truncated .nbc (the kernel's data) and .nbi (the plain function's index): numba raised an
    UnpicklingError / EOFError from every later call. Now: one warning, the right answer, and the
    next process loads the rewritten entries."""
    site = sandbox.dir("site")
    _copy_package(site)
    cache = sandbox.dir("cache")
    home = sandbox.dir("home")
    warm = sandbox.run(site, home, numba_cache_dir=cache)
    assert (warm["value"], warm["plain"], warm["warnings"]) == (3.0, 4.0, [])
    assert warm["probe_locator"] == "_UserProvidedKeyed" and warm["plain_locator"] == "UserProvidedCacheLocator"
    (kernel_data,) = cache.rglob("_cache_probe.probe-*.nbc")
    (plain_index,) = cache.rglob("_cache_probe_plain.plain-*.nbi")
    _truncate(kernel_data)
    _truncate(plain_index)
    damaged = sandbox.run(site, home, numba_cache_dir=cache)
    assert (damaged["value"], damaged["plain"]) == (3.0, 4.0)
    assert len(damaged["warnings"]) == 1, damaged["warnings"]
    assert damaged["warnings"][0].startswith("regret: discarded a corrupted compiled-kernel cache entry")
    assert damaged["warnings"][0].endswith("recompiling")
    again = sandbox.run(site, home, numba_cache_dir=cache)
    assert (again["value"], again["plain"], again["warnings"]) == (3.0, 4.0, [])
    assert again["hits"] == [1, 1], "the recompiled entries were not written back"


# ------------------------------------------------------------------------------------------------
# 3. no writable directory: compiled in memory, one warning
# ------------------------------------------------------------------------------------------------
def test_no_writable_cache_directory_compiles_in_memory_with_one_warning(sandbox):
    """A read-only package, HOME not writable, NUMBA_CACHE_DIR under a directory that is not writable:
    numba refused to decorate the first cached function at import ("cannot cache function
    '_project_box': no locator available"). Now the package imports and runs, uncached, one warning."""
    site = sandbox.dir("site")
    _copy_package(site)
    _read_only(site)
    home = sandbox.dir("home", writable_by_child=False)
    out = sandbox.run(site, home, read_only=[site, home], numba_cache_dir=home / "numba-cache")
    assert (out["value"], out["plain"]) == (3.0, 4.0)
    assert len(out["warnings"]) == 1, out["warnings"]
    assert out["warnings"][0].startswith("regret: compiled kernels are not cached on disk")
    assert out["engine_locators"] == ["_KernelWithoutDiskCache"] and out["probe_locator"] == "_KernelWithoutDiskCache"
    assert out["domains_locators"] == ["_NoDiskCache"] and out["plain_locator"] == "_NoDiskCache"
    assert out["hits"] == [0, 0]
    assert not [p for p in sandbox.root.rglob("*") if p.suffix in (".nbi", ".nbc")], "a cache file was written"


def test_regret_locators_come_first_and_a_kernel_never_reaches_numbas_unkeyed_ones():
    """In process: the keyed locators, then the kernels' last resort, precede numba's own; regret's
    last resort comes after numba's (other packages' functions never reach it)."""
    from numba.core import caching

    from regret.engine import kernel_cache as kc

    names = [c.__name__ for c in caching.CacheImpl._locator_classes]
    first_numba = names.index("UserProvidedCacheLocator")
    assert names[:first_numba] == ["_UserProvidedKeyed", "_InTreeKeyed", "_UserWideKeyed", "_ZipKeyed",
                                   "_KernelWithoutDiskCache"]
    assert names[-1] == "_NoDiskCache"
    assert {"InTreeCacheLocator", "UserWideCacheLocator", "IPythonCacheLocator", "ZipCacheLocator"} < set(names)
    assert kc._NoDiskCache.from_function(lambda: None, os.path.join(os.getcwd(), "not_regret.py")) is None


# ------------------------------------------------------------------------------------------------
# 4. the pytest plugin imports nothing heavy
# ------------------------------------------------------------------------------------------------
HEAVY = ("numba", "numpy", "sympy", "regret.engine", "regret.domains", "regret.theory")


def test_the_pytest_plugin_imports_neither_numba_nor_the_engine(tmp_path):
    """pytest loads regret.testing.plugin in every session where regret is installed: it imported the
    whole package (numba, the engine's compiled functions; ~1 s, and a crash on a read-only install)."""
    code = ("import sys, regret.testing.plugin\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]", f"imported by the plugin: {p.stdout}"
    # in a pytest session: the fixture is there, and resolving it still compiles nothing
    (tmp_path / "test_uses_plugin.py").write_text(
        "import sys\n\n"
        "def test_fixture(regret_check):\n"
        "    assert regret_check.__name__ == 'check_bound'\n"
        "    assert not [m for m in ('numba', 'regret.engine') if m in sys.modules]\n")
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_uses_plugin.py"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
