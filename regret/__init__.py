"""regret — measure the regret of online optimizers exactly, and check published bounds against it.

    >>> import regret
    >>> opt = regret.optimizer("amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt")
    >>> res = regret.run(opt, regret.problem("reddi", C=3), T=10_000)
"""
import os as _os
import sys as _sys

__version__ = "0.1.0"
__all__ = ["run", "RunResult", "optimizer", "problem", "from_arrays", "family", "Family", "box", "ball",
           "simplex", "unbounded", "default_checkpoints", "InvalidInput", "UnboundedComparator",
           "SolverFailure", "OPTIMIZERS", "Optimizer", "run_many", "from_trajectory", "from_losses", "ArrayOptimizer",
           "load"]

# The API is imported on first use: an attribute (``regret.run``, ``from regret import run``) or the
# first import of a module of the package (:class:`_APIFirst`) loads it, the same modules in the same
# order as an eager import. ``import regret`` alone — the pytest plugin regret.testing.plugin does it
# in every pytest session — imports neither numba nor the engine.
_API = (("domains", ("ball", "box", "simplex", "unbounded")), ("engine", ("RunResult", "default_checkpoints")),
        ("runs", ("run", "run_many")), ("errors", ("InvalidInput", "SolverFailure", "UnboundedComparator")),
        ("losses", ("Family", "family")), ("optimizers", ("OPTIMIZERS", "Optimizer", "optimizer")),
        ("optimizers.arrays", ("ArrayOptimizer",)), ("problems", ("from_arrays", "problem")),
        ("trajectory", ("from_losses", "from_trajectory")), ("sweep.store", ("load",)))
_api = "not loaded"


def _load_api() -> None:
    global _api
    if _api != "not loaded":  # loaded, or loading (a module of the API imports from regret)
        return
    import importlib

    _api = "loading"
    try:
        _install_cache_policy()
        for module, names in _API:
            mod = importlib.import_module(f".{module}", __name__)
            globals().update({name: getattr(mod, name) for name in names})
        _api = "loaded"
    finally:
        if _api == "loading":
            _api = "not loaded"
    if _APIFirst in _sys.meta_path:
        _sys.meta_path.remove(_APIFirst)


def __getattr__(name):
    if not name.startswith("__"):
        _load_api()
        if name in globals():
            return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


def _install_cache_policy() -> None:
    """regret/engine/kernel_cache.py — where and on what regret's compiled functions are cached on disk,
    and what happens on a read-only install or with a damaged cache file — in place before any module
    that compiles is imported: a compiled function locates its cache when it is decorated. It is loaded
    on its own: an import through its package would first run regret/engine/__init__.py, whose imports
    decorate most of them."""
    name = f"{__name__}.engine.kernel_cache"
    if name in _sys.modules:
        return
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    spec = PathFinder.find_spec(name, [_os.path.join(__path__[0], "engine")])
    module = module_from_spec(spec)
    _sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del _sys.modules[name]
        raise


class _APIFirst:
    """The first import of a module of the package other than regret.testing (the pytest plugin and
    helpers, which import the rest when used) loads the API first, then hands that module over as the
    import made it — as an eager ``regret/__init__.py`` did (the modules of the package import each
    other in that order: regret.problems first is a circular import). A meta path finder: the spec
    is the one the other finders give, its loader wrapped."""

    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):  # get_code, get_source, is_package, get_resource_reader, …
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._loader, name)

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if (_api != "not loaded" or not fullname.startswith(f"{__name__}.")
                or fullname == f"{__name__}.testing" or fullname.startswith(f"{__name__}.testing.")):
            return None
        for finder in _sys.meta_path:
            find = getattr(finder, "find_spec", None) if finder is not cls else None
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = cls(spec.loader)
                return spec
        return None

    def create_module(self, spec):
        import importlib

        _load_api()
        module = _sys.modules.get(spec.name) or importlib.import_module(spec.name)
        self._spec = module.__spec__  # the import system puts this loader's spec on it: put it back
        return module

    def exec_module(self, module):
        module.__spec__ = self._spec


if _api == "not loaded" and _APIFirst not in _sys.meta_path:
    _sys.meta_path.insert(0, _APIFirst)
