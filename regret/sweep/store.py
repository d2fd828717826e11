"""The results store of a sweep: a directory of Parquet part files, one per finished task.

    OUT/parts/<task>.parquet   tidy rows (regret/engine/frame.py) of the cells one task ran
    OUT/summary.parquet        one row per cell at its horizon T (rewritten after each sweep)

A part file is written under a temporary name beginning with ``.`` in the same directory, flushed
to disk and renamed (an atomic replace on POSIX): a reader — :func:`load`, or the next run of the
sweep deciding what is left to do — lists only names that end in ``.parquet`` and do not begin with
``.``, so a process killed at any moment (``kill -9`` included) leaves at worst a temporary that is
never read as data and is removed by the next run. A cell is done when its rows are in a part file;
a sweep run again runs only the cells that are not (:func:`done_cells`).

Provenance travels in every part's Parquet metadata (key ``regret.sweep``): the store's schema, the
versions of regret, numpy, numba and pyarrow, the machine, and the configuration of every cell of
the part.
"""
from __future__ import annotations

import functools
import json
import os
import platform

from ..files import TMP_PREFIX, write_together

PARTS = "parts"
SUMMARY = "summary.parquet"
META_KEY = b"regret.sweep"


def _is_part(name: str) -> bool:
    return name.endswith(".parquet") and not name.startswith(".")


def part_paths(root: str) -> list[str]:
    """The finished part files of the store at ``root`` (sorted by name)."""
    d = os.path.join(root, PARTS)
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return []
    return [os.path.join(d, n) for n in sorted(names) if _is_part(n)]


def remove_temporaries(root: str) -> int:
    """Delete what an interrupted writer left (names beginning with '.'); returns how many."""
    d = os.path.join(root, PARTS)
    n = 0
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return 0
    for name in names:
        if name.startswith(TMP_PREFIX):
            try:
                os.unlink(os.path.join(d, name))
                n += 1
            except FileNotFoundError:
                pass
    return n


def done_cells(root: str) -> set:
    """The keys of every cell whose rows are in a finished part file: the cells its provenance names
    (the footer of each file only), or — a part written without it — its ``cell`` column."""
    import pyarrow.parquet as pq

    done = set()
    for path in part_paths(root):
        meta = pq.read_metadata(path).metadata or {}
        if META_KEY in meta:
            done.update(json.loads(meta[META_KEY])["cells"])
        else:
            done.update(pq.read_table(path, columns=["cell"]).column("cell").unique().to_pylist())
    return done


def provenance(cells) -> dict:
    """The metadata of a part: schema, versions, machine and each cell's configuration."""
    return {**_machine(), "cells": {c.key: c.config() for c in cells}}


@functools.lru_cache(maxsize=None)
def _machine() -> dict:
    """Schema, versions and machine (the same for every part a process writes)."""
    import numba
    import numpy
    import pyarrow

    from .. import __version__
    from .grid import SCHEMA

    return {"schema": SCHEMA, "regret": __version__, "numpy": numpy.__version__, "numba": numba.__version__,
            "pyarrow": pyarrow.__version__, "python": platform.python_version(), "machine": platform.machine(),
            "processor": _cpu_name()}


def provenance_json(cells) -> str:
    """``json.dumps(provenance(cells), sort_keys=True)``'s content, built from each cell's canonical
    JSON (already made for its key) instead of encoding every configuration again: 10^4 cells cost
    0.2 s that way. ("cells" sorts before every other key.)"""
    head = json.dumps(_machine(), sort_keys=True)
    unique = {c.key: c for c in cells}  # a key once, as the dict of provenance() holds it
    body = ", ".join(f'"{k}": {unique[k].canonical}' for k in sorted(unique))
    return '{"cells": {' + body + '}, ' + head[1:]


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_part(root: str, name: str, table, cells) -> str:
    """Write ``table`` (a pyarrow Table) as part ``name`` of the store, atomically; returns its path."""
    d = os.path.join(root, PARTS)
    os.makedirs(d, exist_ok=True)
    meta = dict(table.schema.metadata or {})
    meta[META_KEY] = provenance_json(cells).encode()
    return write_parquet(table.replace_schema_metadata(meta), os.path.join(d, f"{name}.parquet"))


def write_parquet(table, path: str) -> str:
    """Write ``table`` to ``path`` atomically and durably (:func:`regret.files.write_together`): a
    temporary ``.tmp-*`` beside it, flushed to disk, given the user's umask and renamed; removed if
    anything fails on the way."""
    import pyarrow.parquet as pq

    write_together({path: lambda fh: pq.write_table(table, fh)}, durable=True)
    return path


def read_table(root: str, columns=None, final: bool = False):
    """Every part of the store as one pyarrow Table (columns unified across parts; a (cell, seed,
    checkpoint) row that two parts hold is kept once). ``columns``: read only these columns (a name
    ending in "." stands for every column it begins, e.g. "opt."); ``final``: only the rows of the
    last checkpoint t = T. Both are applied part by part, so a reader of one figure's numbers never
    holds the whole store."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    paths = part_paths(root)
    if not paths:
        from ..errors import InvalidInput

        raise InvalidInput("path", root, "a sweep's results directory (it has no finished part files under "
                                         f"{PARTS}/)")
    tables = []
    for p in paths:
        names = None
        if columns is not None:
            names = [n for n in pq.read_schema(p).names
                     if any(n.startswith(c) if c.endswith(".") else n == c for c in columns)]
        extra = [] if names is None or not final else [c for c in ("t", "T") if c not in names]
        t = pq.read_table(p, columns=None if names is None else names + extra)
        if final:  # the filter needs t and T; they leave again if they were not asked for
            t = t.filter(pc.equal(t["t"], t["T"])).drop_columns(extra)
        tables.append(t)
    return concat(tables)


def concat(tables):
    """Tables whose columns may differ (another algorithm's hyperparameters: null where absent) as
    one; a column that is a number in one part and text or a bool in another becomes text."""
    import pyarrow as pa

    kinds = {}
    for t in tables:
        for f in t.schema:
            if not pa.types.is_null(f.type):
                kinds.setdefault(f.name, set()).add(f.type)
    target = {}
    for name, types in kinds.items():
        if len(types) > 1:
            numeric = all(pa.types.is_integer(x) or pa.types.is_floating(x) for x in types)
            target[name] = pa.float64() if numeric else pa.string()
    out = []
    for t in tables:
        t = t.replace_schema_metadata(None)
        for name, typ in target.items():
            if name in t.column_names and t.schema.field(name).type != typ:
                t = t.set_column(t.column_names.index(name), name, t.column(name).cast(typ))
        out.append(t)
    return pa.concat_tables(out, promote_options="permissive")


def load(root: str, columns=None, final: bool = False):
    """The results of the sweep stored at ``root`` as a pandas DataFrame, one row per (cell, seed,
    checkpoint), sorted by cell order of appearance, seed and checkpoint; ``columns`` and ``final``
    read a part of it (:func:`read_table`)."""
    if columns is not None:
        columns = tuple(dict.fromkeys(("cell", "seed", "t", *columns)))  # the row's identity
    df = read_table(root, columns, final).to_pandas()
    df = df.drop_duplicates(subset=["cell", "seed", "t"], keep="first")
    return df.reset_index(drop=True)


__all__ = ["load", "read_table", "done_cells", "part_paths", "write_part", "write_parquet", "remove_temporaries",
           "provenance"]
