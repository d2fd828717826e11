"""Code of one's own, named on the command line or in Python as ``module:NAME`` or
``path/to/file.py:NAME``: an optimizer class, a theorem, a problem spec or an adversary."""
from __future__ import annotations

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
        mod_name = f"regret_user_{os.path.splitext(os.path.basename(path))[0]}_{digest}"
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


__all__ = ["import_attribute"]
