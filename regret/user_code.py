"""Code of one's own, named on the command line or in Python as ``module:NAME`` or
``path/to/file.py:NAME``: an optimizer class, a theorem, a problem spec or an adversary."""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import importlib.util
import os
import sys

from .errors import InvalidInput, require


def import_attribute(target: str, field: str = "optimizer"):
    """``module:NAME`` or ``path/to/file.py:NAME`` → that attribute of the module (imported; a file
    is imported once per process). Failures are InvalidInput naming ``field``."""
    module_name, _, attr = target.rpartition(":")
    if module_name.endswith(".py"):
        path = os.path.abspath(module_name)
        require(os.path.isfile(path), field, target, "FILE.py:NAME with an existing FILE.py")
        # one module per file, named after its path: two files of the same name stay two modules
        digest = hashlib.sha1(path.encode()).hexdigest()[:10]
        mod_name = f"{PREFIX}{os.path.splitext(os.path.basename(path))[0]}_{digest}"
        if mod_name not in sys.modules:
            spec = importlib.util.spec_from_file_location(mod_name, path)
            mod = importlib.util.module_from_spec(spec)
            sys.modules[mod_name] = mod  # dataclasses look their module up while the class is built
            try:
                spec.loader.exec_module(mod)
            except Exception as e:  # the user's file: say what failed, in one line
                del sys.modules[mod_name]
                raise InvalidInput(field, target, f"a file that imports ({type(e).__name__}: {e})") from None
        mod = sys.modules[mod_name]
    else:
        if os.getcwd() not in sys.path and "" not in sys.path:  # as `python -m` would find it
            sys.path.append(os.getcwd())
        try:
            mod = importlib.import_module(module_name)
        except Exception as e:  # the user's module: say what failed, in one line
            raise InvalidInput(field, target, f"module:NAME with a module that imports "
                                              f"({type(e).__name__}: {e})") from None
    require(bool(attr) and hasattr(mod, attr), field, target, f"a name that {module_name} defines")
    return getattr(mod, attr)


PREFIX = "regret_user_"  # the module name of a file imported by path: regret_user_<stem>_<digest of the path>


class Portable:
    """An object of a class from a user's file, made to travel to another process (a Dask worker)
    that never imported the file: the module's name, the file's path and source, the class's name and
    the object's fields. :meth:`restore` imports the source there under the same module name (so the
    class is the same class there) and rebuilds the object; the worker needs neither the file nor the
    same file system."""

    def __init__(self, obj):
        cls = type(obj)
        mod = sys.modules[cls.__module__]
        self.module, self.path, self.qualname = cls.__module__, getattr(mod, "__file__", None), cls.__qualname__
        with open(self.path, encoding="utf-8") as fh:
            self.source = fh.read()
        self.fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}

    def restore(self):
        if self.module not in sys.modules:
            mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(self.module, loader=None,
                                                                                  origin=self.path))
            mod.__file__ = self.path
            sys.modules[self.module] = mod  # dataclasses look their module up while the class is built
            exec(compile(self.source, self.path, "exec"), mod.__dict__)
        obj = sys.modules[self.module]
        for part in self.qualname.split("."):
            obj = getattr(obj, part)
        return obj(**self.fields)


def portable(obj):
    """``obj`` as it can be sent to another process: a :class:`Portable` for an object of a class from
    a user's file (imported by path, :func:`import_attribute`), else ``obj`` itself (pickled by
    reference to an importable module)."""
    return Portable(obj) if type(obj).__module__.startswith(PREFIX) else obj


def restored(obj):
    """The inverse of :func:`portable`."""
    return obj.restore() if isinstance(obj, Portable) else obj


__all__ = ["import_attribute", "portable", "restored", "Portable", "PREFIX"]
