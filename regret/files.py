"""Writing files so that nothing is left half-written: every output path checked before any work;
the files of one command written to temporary ``.tmp-*`` names beside their targets, given the mode
the user's umask gives a new file, and renamed into place together (or none), with the temporaries
removed on any failure, Ctrl-C or SIGTERM; ``durable=True`` also flushes them to disk before the
rename (a sweep's store survives a power cut, not only a kill).

A bottom-layer module (it imports nothing of regret but its errors): the command line, the plots,
the reports and the sweep store all write through it.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading

from .errors import InvalidInput

TMP_PREFIX = ".tmp-"  # every temporary's name starts with it; readers of a directory skip such names


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


def write_together(files: dict, durable: bool = False) -> None:
    """Write ``files`` ({path: bytes, or a function writing to a binary file object}) all or none:
    each to a temporary ``.tmp-*`` file beside its target (with the mode the umask gives a new file),
    then all renamed into place (``durable``: each flushed to disk before, and its directory after). A file that already exists is kept (hard-linked aside) until every
    rename has succeeded, so a failure at any point — an exception, Ctrl-C, SIGTERM — leaves every
    target as it was and no temporary behind."""
    staged, backups, renamed, directories = [], {}, [], set()
    mode = file_mode()
    path = None
    with cleanup_on_sigterm():
        try:
            for path, data in files.items():
                path = os.fspath(path)
                directory = os.path.dirname(os.path.abspath(path))
                fd, tmp = tempfile.mkstemp(dir=directory, prefix=TMP_PREFIX, suffix="-" + os.path.basename(path))
                staged.append((tmp, path))
                directories.add(directory)
                with os.fdopen(fd, "wb") as fh:
                    if callable(data):
                        data(fh)
                    else:
                        fh.write(data)
                    if durable:
                        fh.flush()
                        os.fsync(fh.fileno())
                os.chmod(tmp, mode)
            if len(staged) > 1:
                for tmp, path in staged:
                    if os.path.isfile(path):
                        backups[path] = _keep_aside(path)
            for tmp, path in staged:
                os.replace(tmp, path)
                renamed.append(path)
            if durable:
                for directory in directories:
                    _fsync_dir(directory)
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
        bak = os.path.join(directory, f"{TMP_PREFIX}{os.urandom(6).hex()}-old-{base}")
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


def _fsync_dir(d: str) -> None:
    """Flush a directory's entries (the renames) to disk, where the system allows it."""
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["Terminated", "umask", "file_mode", "cleanup_on_sigterm", "write_together", "check_output", "check_outputs",
           "TMP_PREFIX"]
