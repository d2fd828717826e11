"""Writing a report directory: README.md, figures (PDF + PNG + CSV of the plotted numbers),
verdicts.csv, metadata.json.

Reproducibility: the Markdown, the figures and the CSVs depend only on the report's settings (and
the library versions, which the README names); wall times, timestamps, the machine and paths go to
metadata.json alone. Two builds on one machine are byte-identical. On a machine with another CPU
the last digits of numbers computed through exp/log or BLAS may differ (glibc's libm and OpenBLAS
choose CPU-specific kernels; measured: the kingma-ba-2015 report rebuilt on a second AMD EPYC host
changed regret values at ~1e-16 relative and comparator certificates in their 3rd digit, and
bounds-gallery's PNGs were re-rasterized with a few bytes changed although its CSVs were identical;
the verdicts were identical); metadata.json records the CPU that built a report. The directory is built under a temporary name beside the target and swapped
into place at the end in one atomic step (:func:`swap_into_place`), so an interrupted build leaves the
previous report untouched, a reader always finds a complete report, and two concurrent writers both
succeed (the last one wins).
"""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import require
from .claims import Claim, ClaimsTable
from .markdown import fmt, md_table  # noqa: F401  (fmt: re-exported, regret.report.builder.fmt)


def cpu() -> dict:
    """The CPU model, the instruction-set extensions that change floating-point code paths (glibc's
    libm and BLAS pick FMA / AVX-512 kernels by them), and numpy's BLAS: on another CPU the last
    digits of some numbers of a report may differ (never its verdicts), and this says which CPU
    built it."""
    model, flags = platform.processor() or "", set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and not model:
                    model = value.strip()
                elif key.strip() == "flags":
                    flags = set(value.split())
                    break
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # numpy's config format is not a stable API
        blas = "unknown"
    return {"model": model, "fp_extensions": sorted(flags & {"fma", "avx2", "avx512f"}), "numpy_blas": blas}


def versions() -> dict:
    import cvxpy
    import matplotlib
    import numba
    import scipy
    import sympy

    from .. import __version__

    return {"regret": __version__, "numpy": np.__version__, "scipy": scipy.__version__, "numba": numba.__version__,
            "sympy": sympy.__version__, "cvxpy": cvxpy.__version__, "matplotlib": matplotlib.__version__}


@dataclass
class Report:
    """Accumulates one report's Markdown, files and claims (:mod:`regret.report.claims`, the verdict
    table); :meth:`write` puts them in place."""

    name: str
    title: str
    question: str
    command: str
    progress: object = print
    parts: list = field(default_factory=list)
    files: dict = field(default_factory=dict)  # relative name -> bytes
    claims: ClaimsTable = field(default_factory=ClaimsTable)
    settings: list = field(default_factory=list)
    started: float = field(default_factory=time.time)

    # -- content -------------------------------------------------------------------------------------
    def say(self, msg: str) -> None:
        self.progress(f"[{self.name}] {msg}")

    def section(self, title: str, text: str = "") -> None:
        self.parts.append(f"## {title}\n")
        if text:
            self.parts.append(text.strip() + "\n")

    def text(self, md: str) -> None:
        self.parts.append(md.strip() + "\n")

    def table(self, headers, rows) -> None:
        self.parts.append(md_table(headers, rows) + "\n")

    def code(self, text: str) -> None:
        self.parts.append("```\n" + text.rstrip() + "\n```\n")

    def setting(self, key: str, value: str) -> None:
        self.settings.append((key, value))

    def figure(self, plot, stem: str, caption: str) -> None:
        """Render ``plot`` (a :class:`regret.plots.Plot`) as ``stem``.pdf/.png with ``stem``.csv, and
        embed the PNG with links to the PDF and the CSV of the plotted numbers."""
        from ..plots import io as pio

        require(stem.replace("-", "").replace("_", "").isalnum(), "figure name", stem, "letters, digits, - and _")
        for fmt_ in ("pdf", "png"):
            self.files[f"{stem}.{fmt_}"] = pio.render(plot.figure, fmt_)
        self.files[f"{stem}.csv"] = plot.table.to_csv().encode("utf-8")
        self.parts.append(f"![{caption}]({stem}.png)\n\n*{caption}* ([PDF]({stem}.pdf), [numbers]({stem}.csv))\n")

    def csv(self, stem: str, headers, rows) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(headers)
        w.writerows(rows)
        self.files[f"{stem}.csv"] = buf.getvalue().encode("utf-8")

    def claim(self, *claims: Claim) -> None:
        """Rows of the report's verdict table (and of verdicts.csv), in this order."""
        self.claims.add(*claims)

    def verdict(self, claim: str, setting: str, status: str, evidence: str) -> None:
        """One row of the verdict table from its four cells (a :class:`Claim` without a source)."""
        self.claim(Claim(claim, setting, status, evidence))

    @property
    def verdicts(self) -> list[tuple]:
        """The verdict table's rows: (claim, setting, verdict, evidence)."""
        return self.claims.rows()

    # -- output -------------------------------------------------------------------------------------
    def markdown(self, shows: str, does_not_show: str) -> str:
        head = [f"# {self.title}\n", f"**Question.** {self.question.strip()}\n",
                "**Reproduce.** Generated by `regret`, never edited by hand:\n", f"```\n{self.command}\n```\n",
                "The same command on the same machine writes the same files. On another CPU the last digits of "
                "numbers computed through exp/log or BLAS, and some pixels of the PNGs, may differ (the verdicts "
                "do not); metadata.json names the CPU that built this report.\n"]
        if self.settings:
            head.append("**Settings.**\n")
            head.append(md_table(("setting", "value"), self.settings) + "\n")
        vers = versions()
        head.append("**Versions.** " + ", ".join(f"{k} {v}" for k, v in vers.items()) + "\n")
        head.append("## Verdicts\n")
        head.append(self.claims.markdown() + "\n")
        head.append("## What this shows\n")
        head.append(shows.strip() + "\n")
        head.append("## What this does not show\n")
        head.append(does_not_show.strip() + "\n")
        return "\n".join(head + self.parts)

    def write(self, root: str, shows: str, does_not_show: str) -> str:
        """Write ROOT/NAME/ and return its path: atomically for readers, safely against another writer.

        The report is written into a temporary directory beside the target (``.tmp-NAME-*``), then
        swapped in by :func:`swap_into_place`: a reader of ROOT/NAME finds the previous report or the
        new one, each complete; of two concurrent writers the last one wins and neither fails. A failure,
        Ctrl-C or SIGTERM before the swap leaves the previous report untouched and no temporary."""
        from ..files import cleanup_on_sigterm, file_mode

        target = os.path.join(root, self.name)
        os.makedirs(root, exist_ok=True)
        with cleanup_on_sigterm():
            tmp, trash = None, []
            try:
                tmp = tempfile.mkdtemp(dir=root, prefix=f".tmp-{self.name}-")
                files = dict(self.files)
                files["README.md"] = self.markdown(shows, does_not_show).encode("utf-8")
                files["verdicts.csv"] = self.claims.to_csv().encode("utf-8")
                meta = {"report": self.name, "command": self.command, "versions": versions(),
                        "python": platform.python_version(), "machine": platform.machine(),
                        "processor": platform.processor(), "cpu": cpu(), "cpu_count": os.cpu_count(),
                        "built_at_unix": time.time(), "build_seconds": round(time.time() - self.started, 3),
                        "output_dir": os.path.abspath(target), "files": sorted(files)}
                files["metadata.json"] = (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode("utf-8")
                mode = file_mode()
                for rel, data in files.items():
                    with open(os.path.join(tmp, rel), "wb") as fh:
                        fh.write(data)
                    os.chmod(os.path.join(tmp, rel), mode)
                os.chmod(tmp, file_mode(directory=True))
                trash = swap_into_place(tmp, target)
            finally:
                # the temporary directory: after a swap it holds the previous report (or is gone)
                for path in ([tmp] if tmp else []) + trash:
                    shutil.rmtree(path, ignore_errors=True)
        return target


def _exchange_function():
    """Linux's renameat2(…, RENAME_EXCHANGE): swap two paths in one atomic step (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2

    def exchange(a: str, b: str) -> None:
        if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), a, None, b)

    return exchange


_EXCHANGE = _exchange_function()


def swap_into_place(new: str, target: str) -> list:
    """Put the directory ``new`` at ``target`` (same parent). Returns the directories to delete
    afterwards; ``new`` itself then names the previous ``target`` (or nothing) and is deleted too.

    With an atomic exchange (Linux renameat2 RENAME_EXCHANGE) ``target`` never stops existing once it
    exists, and two writers each exchange their own directory in (the last wins). Without it — another
    system, or a file system that refuses the exchange — the previous directory is renamed to a
    ``.tmp-*`` name and ``new`` renamed into place, retried while another writer gets in between
    (``target`` is then missing for that moment)."""
    global _EXCHANGE
    trash = []
    parent, name = os.path.split(os.path.abspath(target))
    for _ in range(10_000):
        if _EXCHANGE is not None and os.path.isdir(target):
            try:
                _EXCHANGE(new, target)
                return trash
            except FileNotFoundError:
                pass  # removed meanwhile: rename below
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
                    raise
                _EXCHANGE = None  # this file system cannot: rename aside and into place
        try:
            os.rename(new, target)  # succeeds when nothing (or an empty directory) is at target
            return trash
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
        if _EXCHANGE is None:
            aside = os.path.join(parent, f".tmp-{name}-old-{os.urandom(6).hex()}")
            try:
                os.rename(target, aside)
                trash.append(aside)
            except FileNotFoundError:
                pass  # another writer moved it first
    raise OSError(errno.EBUSY, "could not put the report in place (too many concurrent writers)", target)
