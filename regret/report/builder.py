"""Writing a report directory: README.md, figures (PDF + PNG + CSV of the plotted numbers),
verdicts.csv, metadata.json.

Reproducibility: the Markdown, the figures and the CSVs depend only on the report's settings (and
the library versions, which the README names); wall times, timestamps, the machine and paths go to
metadata.json alone. Two builds on one machine are byte-identical. On a machine with another CPU
the last digits of numbers computed through exp/log or BLAS may differ (glibc's libm and OpenBLAS
choose CPU-specific kernels; measured: the kingma-ba-2015 report rebuilt on a second AMD EPYC host
changed regret values at ~1e-16 relative and comparator certificates in their 3rd digit, and
bounds-gallery's PNGs were re-rasterized with a few bytes changed although its CSVs were identical;
the verdicts were identical); metadata.json records the CPU that built a report. The directory is built under a temporary name beside the target and renamed
into place at the end, so an interrupted build leaves the previous report untouched.
"""
from __future__ import annotations

import csv
import io
import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import require

VERDICT_COLUMNS = ("claim", "setting", "verdict", "evidence")


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


def fmt(v, digits: int = 4) -> str:
    """Numbers for prose and tables: 4 significant digits, plain integers as integers."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v != v:
        return "nan"
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    return f"{v:.{digits}g}"


def md_table(headers, rows) -> str:
    def cell(x):
        return str(x).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


@dataclass
class Report:
    """Accumulates one report's Markdown, files and verdicts; :meth:`write` puts them in place."""

    name: str
    title: str
    question: str
    command: str
    progress: object = print
    parts: list = field(default_factory=list)
    files: dict = field(default_factory=dict)  # relative name -> bytes
    verdicts: list = field(default_factory=list)
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

    def verdict(self, claim: str, setting: str, status: str, evidence: str) -> None:
        """One row of the report's verdict table (and of verdicts.csv)."""
        self.verdicts.append((claim, setting, status, evidence))

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
        head.append(md_table(VERDICT_COLUMNS, self.verdicts) + "\n" if self.verdicts else "(none)\n")
        head.append("## What this shows\n")
        head.append(shows.strip() + "\n")
        head.append("## What this does not show\n")
        head.append(does_not_show.strip() + "\n")
        return "\n".join(head + self.parts)

    def write(self, root: str, shows: str, does_not_show: str) -> str:
        """Write reports/NAME/ atomically; return its path."""
        target = os.path.join(root, self.name)
        os.makedirs(root, exist_ok=True)
        tmp = tempfile.mkdtemp(dir=root, prefix=f".tmp-{self.name}-")
        try:
            files = dict(self.files)
            files["README.md"] = self.markdown(shows, does_not_show).encode("utf-8")
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(VERDICT_COLUMNS)
            w.writerows(self.verdicts)
            files["verdicts.csv"] = buf.getvalue().encode("utf-8")
            meta = {"report": self.name, "command": self.command, "versions": versions(),
                    "python": platform.python_version(), "machine": platform.machine(),
                    "processor": platform.processor(), "cpu": cpu(), "cpu_count": os.cpu_count(),
                    "built_at_unix": time.time(), "build_seconds": round(time.time() - self.started, 3),
                    "output_dir": os.path.abspath(target), "files": sorted(files)}
            files["metadata.json"] = (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode("utf-8")
            for rel, data in files.items():
                with open(os.path.join(tmp, rel), "wb") as fh:
                    fh.write(data)
                os.chmod(os.path.join(tmp, rel), 0o644)
            os.chmod(tmp, 0o755)
            old = None
            if os.path.exists(target):
                old = tempfile.mkdtemp(dir=root, prefix=f".old-{self.name}-")
                os.rmdir(old)
                os.replace(target, old)
            os.replace(tmp, target)
            if old:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return target
