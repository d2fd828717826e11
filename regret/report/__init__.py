"""Reports about the literature `regret` implements, written to ``reports/NAME/`` by
``regret report NAME`` (or ``--all``) and committed; never edited by hand.

Each report module defines ``TITLE``, ``QUESTION`` and ``build(report)``, which runs what the report
needs, adds sections, figures and verdicts to the :class:`~regret.report.builder.Report`, and returns
the two closing statements (what the report shows, what it does not show).
"""
from __future__ import annotations

import importlib
import os

from ..errors import did_you_mean, require
from .builder import Report

REPORTS = {"reddi-2018": "reddi_2018", "kingma-ba-2015": "kingma_ba_2015", "bounds-gallery": "bounds_gallery",
           "zhang-2022": "zhang_2022"}


def module(name: str):
    require(name in REPORTS, "report", name, lambda: f"one of {sorted(REPORTS)} (or --all){did_you_mean(name, REPORTS)}")
    return importlib.import_module(f".{REPORTS[name]}", __name__)


def build(name: str, root: str = "reports", progress=print) -> str:
    """Build report ``name`` into ``root``/``name``; return the directory written."""
    mod = module(name)
    require(os.path.isdir(os.path.dirname(os.path.abspath(root)) or "."), "--out", root,
            "a directory whose parent exists")
    rep = Report(name, mod.TITLE, mod.QUESTION, f"regret report {name}", progress=progress)
    shows, does_not_show = mod.build(rep)
    path = rep.write(root, shows, does_not_show)
    rep.say(f"written {path}")
    return path


__all__ = ["REPORTS", "Report", "build", "module"]
