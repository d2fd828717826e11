"""Shared helpers of the subcommands: spec parsing ("name:key=value,key=value"), "did you mean"
suggestions, and writing outputs — every output path checked before any work, all the files of one
command written to temporary names beside their targets and renamed into place together (or none),
with the temporaries removed on any failure, Ctrl-C or SIGTERM."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading

import numpy as np

from ..errors import InvalidInput, did_you_mean  # noqa: F401  (did_you_mean: the subcommands use it from here)

# The largest horizon --T accepts: every whole number up to 2^53 is exact in float64 ("1e15" is), and
# beyond it the engine's int64 round counters and the accumulated float64 sums lose meaning.
MAX_T = 2 ** 53


# -- names ------------------------------------------------------------------------------------------
def with_suggestion(exc: InvalidInput, choices) -> InvalidInput:
    """``exc`` with a "did you mean" hint for its value among ``choices`` appended (if there is one)."""
    hint = did_you_mean(exc.value, choices)
    if not hint or "did you mean" in exc.allowed:
        return exc
    return InvalidInput(exc.field, exc.value, exc.allowed + hint)


# -- specs ------------------------------------------------------------------------------------------
def parse_value(text: str):
    """'0.5' → 0.5, '3' → 3, 'true' → True, 'sqrt' → 'sqrt'."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip()


SPEC_FORM = "NAME or NAME:key=value,key=value"


def parse_spec(text: str, what: str, known=None) -> tuple[str, dict]:
    """'adam:alpha=0.5,beta1=0' → ('adam', {'alpha': 0.5, 'beta1': 0}).

    With ``known`` (the names that stand alone, e.g. the built-in optimizers), any other name may be
    ``module:Class`` or ``file.py:Class`` (a user's algorithm): 'mymod:MyOpt:alpha=0.1' →
    ('mymod:MyOpt', {'alpha': 0.1}); the part after the first ':' is the class when it is a
    Python identifier. A ':' with nothing after it (``adam:``) and a key given twice
    (``adam:alpha=0.1,alpha=0.2``) are errors, not defaults or last-wins."""
    if not isinstance(text, str):
        raise InvalidInput(what, text, SPEC_FORM)
    name, colon, rest = text.partition(":")
    head, colon2, tail = rest.partition(":")
    if known is not None and colon and name.strip() not in known and head.strip().isidentifier():
        name, colon, rest = f"{name.strip()}:{head.strip()}", colon2, tail
    name = name.strip()
    if not name:
        raise InvalidInput(what, text, SPEC_FORM)
    params = {}
    if colon:
        if not rest.strip():
            raise InvalidInput(what, text, f"{SPEC_FORM} (nothing follows the ':': drop it, or give key=value)")
        for item in rest.split(","):
            key, eq, value = item.partition("=")
            key = key.strip()
            if not eq or not key or not value.strip():
                raise InvalidInput(what, text, f"{SPEC_FORM} (each item key=value; {item.strip()!r} is not)")
            if key in params:
                raise InvalidInput(what, text, f"{SPEC_FORM} with each key once ({key!r} is given twice)")
            params[key] = parse_value(value)
    return name, params


def parse_positive_int(text: str, field: str, maximum: int | None = None) -> int:
    """'5' → 5; anything else (0, −1, 2.5, 'x', above ``maximum``) is an InvalidInput naming ``field``."""
    allowed = "a positive integer" + (f" ≤ {maximum}" if maximum is not None else "")
    if isinstance(text, (bool, float)):
        raise InvalidInput(field, text, allowed)
    try:
        v = int(text)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput(field, text, allowed) from None
    if v < 1 or (maximum is not None and v > maximum):
        raise InvalidInput(field, text, allowed)
    return v


def parse_T(text: str) -> int:
    """'1e6' → 1000000; T must be a positive whole number (at most 2^53)."""
    allowed = "a positive whole number such as 1000 or 1e6 (at most 2^53)"
    if isinstance(text, bool):
        raise InvalidInput("--T", text, allowed)
    try:
        v = float(text)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput("--T", text, allowed) from None
    if not v.is_integer() or v < 1 or v > MAX_T:
        raise InvalidInput("--T", text, allowed)
    return int(v)


def make_optimizer(text: str, field: str = "--optimizer"):
    """The optimizer a spec names, every hyperparameter name checked (with a "did you mean")."""
    from dataclasses import fields

    from ..optimizers import OPTIMIZERS, optimizer, resolve

    name, params = parse_spec(text, field, known=OPTIMIZERS)
    cls = resolve(name)
    allowed = [f.name for f in fields(cls)]
    for k in params:
        if k not in allowed:
            raise InvalidInput(f"{cls.name} hyperparameter", k, f"one of {allowed}{did_you_mean(k, allowed)}")
    return optimizer(cls, **params)


def make_problem(text: str, T: int, field: str = "--problem"):
    """The problem a spec names, its parameters checked by building a small instance before any work
    (:func:`regret.problems.check`), so that no error of the problem comes after the progress line."""
    from ..problems import ADVERSARIES, PROBLEMS, check, problem

    name, params = parse_spec(text, field, known=PROBLEMS + ADVERSARIES)
    spec = problem(name, **params)
    check(spec, T)
    return spec


# -- outputs ----------------------------------------------------------------------------------------
class Terminated(KeyboardInterrupt):
    """SIGTERM arrived while output files were being written (the temporaries are removed)."""


def umask() -> int:
    """The process's umask (read without changing it where /proc allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def file_mode(directory: bool = False) -> int:
    """The mode ``open()`` would give a new file (0o666) or ``mkdir`` a directory (0o777) under the
    user's umask: temporaries (mkstemp: 0600, mkdtemp: 0700) get it before they are renamed."""
    return (0o777 if directory else 0o666) & ~umask()


@contextlib.contextmanager
def cleanup_on_sigterm():
    """While the block runs, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) so that the
    ``except``/``finally`` clauses that remove temporaries run, as they do for Ctrl-C. Installed only
    in the main thread and only over the default disposition (a handler of the user's is left alone),
    and only around the writing of files: a Python-level handler runs only between bytecodes, so one
    installed for the whole command would delay a SIGTERM sent during a compiled run until the run
    ends — there, nothing is written yet and the default action (exit at once) is what is wanted."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    fired = []

    def handler(signum, frame):
        if not fired:  # once: a second SIGTERM must not interrupt the clean-up of the first
            fired.append(signum)
            raise Terminated()

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _unlink(path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def write_together(files: dict) -> None:
    """Write ``files`` ({path: bytes, or a function writing to a binary file object}) all or none:
    each to a temporary ``.tmp-*`` file beside its target (with the mode the umask gives a new file),
    then all renamed into place. A file that already exists is kept (hard-linked aside) until every
    rename has succeeded, so a failure at any point — an exception, Ctrl-C, SIGTERM — leaves every
    target as it was and no temporary behind."""
    staged, backups, renamed = [], {}, []
    mode = file_mode()
    path = None
    with cleanup_on_sigterm():
        try:
            for path, data in files.items():
                path = os.fspath(path)
                directory = os.path.dirname(os.path.abspath(path))
                fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix="-" + os.path.basename(path))
                staged.append((tmp, path))
                with os.fdopen(fd, "wb") as fh:
                    if callable(data):
                        data(fh)
                    else:
                        fh.write(data)
                os.chmod(tmp, mode)
            if len(staged) > 1:
                for tmp, path in staged:
                    if os.path.isfile(path):
                        backups[path] = _keep_aside(path)
            for tmp, path in staged:
                os.replace(tmp, path)
                renamed.append(path)
        except BaseException as exc:
            if isinstance(exc, OSError):
                exc.target = path  # the output that failed (its temporary is exc.filename)
            for path in reversed(renamed):  # undo: the previous file back, or no file
                if path in backups:
                    os.replace(backups.pop(path), path)
                else:
                    _unlink(path)
            for tmp, _ in staged:
                _unlink(tmp)
            raise
        finally:
            for bak in backups.values():
                _unlink(bak)


def _keep_aside(path: str) -> str:
    """A second name (``.tmp-*-old-NAME`` beside it) for the existing file ``path``: a hard link, or a
    copy where the file system has none."""
    directory, base = os.path.split(os.path.abspath(path))
    for _ in range(100):
        bak = os.path.join(directory, f".tmp-{os.urandom(6).hex()}-old-{base}")
        try:
            os.link(path, bak)
            return bak
        except FileExistsError:
            continue
        except OSError:
            shutil.copy2(path, bak)
            return bak
    raise FileExistsError(path)


def check_output(path, field: str, exts=None, case_sensitive: bool = True) -> str:
    """Refuse, before any work, an output path that could not be written: a wrong extension, a
    directory that does not exist or is not writable, a name that is a directory."""
    if not isinstance(path, str) or not path.strip():
        raise InvalidInput(field, path, "a file name" + (f" ending in {' or '.join(exts)}" if exts else ""))
    if exts:
        name = path if case_sensitive else path.lower()
        if not name.endswith(tuple(exts)):
            raise InvalidInput(field, path, f"a file name ending in {' or '.join(exts)}")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise InvalidInput(field, path, f"a file in an existing directory ({directory} is not one)")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InvalidInput(field, path, f"a file in a directory you can write ({directory} is not writable)")
    if os.path.isdir(path):
        raise InvalidInput(field, path, "a file name (it names a directory)")
    if os.path.lexists(path) and not os.path.isfile(path):
        raise InvalidInput(field, path, "a regular file (it names something else)")
    return path


def check_outputs(paths: dict) -> None:
    """``paths`` {path: field}: each checked by :func:`check_output`, and no file written twice."""
    seen = {}
    for path, field in paths.items():
        check_output(path, field)
        real = os.path.realpath(path)
        if real in seen:
            raise InvalidInput(field, path, f"a file no other output writes ({seen[real]} writes it too)")
        seen[real] = field


def commit(files: dict, fields: dict) -> None:
    """:func:`write_together` for a subcommand: ``fields`` {path: option} names the option of each
    file, so a failure to write (a directory that vanished, a full disk) is one line naming it."""
    try:
        write_together(files)
    except OSError as exc:
        target = getattr(exc, "target", None) or next(iter(files), "")
        raise InvalidInput(fields.get(target, "output"), str(target),
                           f"a file that can be written ({exc.strerror or exc}); nothing was written") from None


def json_safe(obj):
    """``obj`` with numpy scalars and arrays as plain Python, NaN as null and ±inf as the strings
    "inf"/"-inf": JSON has no NaN or infinity (``json.dumps`` would write the non-standard ``NaN``)."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        if f != f:
            return None
        if f in (float("inf"), float("-inf")):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.ndarray):
        return json_safe(obj.tolist())
    return obj
