"""Every ```python block of README.md and docs/*.md runs: the blocks of one page are executed in
order in one namespace, as a reader would paste them (a block preceded by the line
``<!-- no-run -->`` is shown only). A page whose examples stop working fails here."""
from __future__ import annotations

import os
import re
import sys
import types

import pytest

ROOT = os.path.join(os.path.dirname(__file__), os.pardir)
PAGES = ["README.md"] + sorted(os.path.join("docs", f) for f in os.listdir(os.path.join(ROOT, "docs"))
                               if f.endswith(".md"))
BLOCK = re.compile(r"(<!-- no-run -->\s*)?```python\n(.*?)```", re.S)


def blocks(page):
    with open(os.path.join(ROOT, page), encoding="utf-8") as fh:
        text = fh.read()
    return [m.group(2) for m in BLOCK.finditer(text) if not m.group(1)]


def test_the_pages_have_examples_to_run():
    assert sum(len(blocks(p)) for p in PAGES) >= 7  # the regex finds them: docs/extending.md 6, docs/theory.md 2


def script(page) -> tuple[str, list]:
    """The page's blocks as a reader's script file: one file (under the system's temporary directory,
    named after the page) holding every block in order; returns its path and each block's first line.
    A file, not text typed at a prompt: a user optimizer or adversary defined in it has a source file,
    so its compiled loops are cached on disk (keyed on that source) and a later run starts warm."""
    import tempfile

    texts = blocks(page)
    starts, line = [], 0
    for code in texts:
        starts.append(line)
        line += code.count("\n") + 1
    text = "\n".join(texts)
    folder = os.path.join(tempfile.gettempdir(), "regret-docs-examples")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, os.path.basename(page).replace(".", "_") + ".py")
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if old != text:  # rewritten only when the page changed: the file's contents key the caches
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    return path, starts


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)])
def test_every_python_example_of_the_page_runs(page, capsys, monkeypatch):
    # a module of its own, as a reader's script is __main__ (dataclasses look their module up)
    module = types.ModuleType(f"docs_example_{os.path.basename(page).replace('.', '_')}")
    path, starts = script(page)
    module.__file__ = path
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = vars(module)
    for k, code in enumerate(blocks(page)):
        try:  # compiled at its own lines of the script file, so tracebacks and inspect find the source
            exec(compile("\n" * starts[k] + code, path, "exec"), namespace)
        except Exception as e:  # name the page and the block
            raise AssertionError(f"{page}, python block {k + 1} failed: {type(e).__name__}: {e}") from e


def test_the_problem_catalogue_of_docs_cli_is_the_generated_one():
    from regret.problems import catalogue

    with open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8") as fh:
        text = fh.read()
    start = text.index("<!-- problem catalogue: generated -->\n") + len("<!-- problem catalogue: generated -->\n")
    end = text.index("<!-- end of problem catalogue -->")
    assert text[start:end] == catalogue(), "docs/cli.md's catalogue is stale: paste regret.problems.catalogue()"


def _between(page, start, end):
    with open(os.path.join(ROOT, page), encoding="utf-8") as fh:
        text = fh.read()
    i = text.index(start) + len(start)
    return text[i:text.index(end, i)]


def test_the_hypothesis_catalogue_of_docs_extending_is_the_generated_one():
    from regret.theory.hypotheses import catalogue

    table = _between("docs/extending.md", "<!-- hypothesis catalogue: generated -->\n",
                     "<!-- end of hypothesis catalogue -->")
    assert table == catalogue(), "docs/extending.md's hypothesis catalogue is stale: paste hypotheses.catalogue()"


def test_every_public_hypothesis_constructor_is_in_the_catalogue_with_its_three_parts():
    """A function of regret.theory.hypotheses that returns a Hypothesis is a constructor a user may
    attach to a Theorem: it must be in CONSTRUCTORS (so in the generated table) and its docstring must
    say what it states, what it checks on a run ("On a run:") and when it is unknown ("Unknown:")."""
    import inspect

    from regret.theory import hypotheses as H

    public = {name for name, fn in inspect.getmembers(H, inspect.isfunction)
              if fn.__module__ == H.__name__ and not name.startswith("_")
              and inspect.signature(fn).return_annotation in ("Hypothesis", H.Hypothesis)}
    assert public == {fn.__name__ for fn in H.CONSTRUCTORS}
    assert set(H.__all__) >= public | {"Hypothesis", "HypothesisResult", "catalogue"}
    for fn in H.CONSTRUCTORS:
        assert all(H._docstring_parts(fn)), f"{fn.__name__}: docstring without a statement, 'On a run:' or 'Unknown:'"
    # help() shows the module, the Hypothesis class and every constructor
    import pydoc

    text = pydoc.render_doc(H, renderer=pydoc.plaintext)
    assert "class Hypothesis" in text and all(f"{fn.__name__}(" in text for fn in H.CONSTRUCTORS)


def test_the_bound_names_table_of_docs_extending_names_every_allowed_name():
    """Every symbol a bound may use (regret.theory.bound_namespace) has a row in the table of "Your
    own bound" under one of its names, and every name of that table is allowed."""
    import re

    from regret.theory import bound_namespace

    table = _between("docs/extending.md", "| name | meaning | measured as |\n", "\n\n")
    shown = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", "\n".join(row.split("|")[1] for row in table.splitlines())))
    from regret.theory import statistics as ST

    ns = bound_namespace()
    assert shown <= set(ns), sorted(shown - set(ns))
    # a user's file may register statistics of its own (examples/adabelief.py does, in this process
    # when its test ran first): the table documents the package's
    foreign = {str(sym) for sym, stat in ST.REGISTRY.items()
               if not getattr(stat.evaluate, "__module__", "regret").startswith("regret")}
    missing = {str(sym) for sym in set(ns.values()) if getattr(sym, "is_Symbol", False)
               and not any(ns.get(name) is sym for name in shown)} - foreign
    assert not missing, f"no row for {sorted(missing)}"


def test_the_theorem_fields_and_kinds_of_docs_extending_are_the_codes():
    import dataclasses
    import re

    from regret.theory import Theorem
    from regret.theory.base import KINDS, RTOL, Z_CRIT

    with open(os.path.join(ROOT, "docs", "extending.md"), encoding="utf-8") as fh:
        text = fh.read()
    fields = _between("docs/extending.md", "| field | meaning |\n", "\n\n")
    assert [re.match(r"\| `(\w+)`", row).group(1) for row in fields.splitlines()[1:]] == \
        [f.name for f in dataclasses.fields(Theorem)]
    kinds = _between("docs/extending.md", "| kind | asserted | shown as | decided by |\n", "\n\n")
    assert [re.match(r"\| `([\w-]+)`", row).group(1) for row in kinds.splitlines()[1:]] == list(KINDS)
    assert float(re.search(r"`Z_CRIT` = ([0-9.e+-]+)", text).group(1)) == Z_CRIT
    assert float(re.search(r"`RTOL` = ([0-9.e+-]+)", text).group(1)) == RTOL
