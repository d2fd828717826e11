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
    assert sum(len(blocks(p)) for p in PAGES) >= 7  # the regex finds them: extending.md 5, theory.md 2


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)])
def test_every_python_example_of_the_page_runs(page, capsys, monkeypatch):
    # a module of its own, as a reader's script is __main__ (dataclasses look their module up)
    module = types.ModuleType(f"docs_example_{os.path.basename(page).replace('.', '_')}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = vars(module)
    for k, code in enumerate(blocks(page)):
        try:
            exec(compile(code, f"{page} (python block {k + 1})", "exec"), namespace)
        except Exception as e:  # name the page and the block
            raise AssertionError(f"{page}, python block {k + 1} failed: {type(e).__name__}: {e}") from e


def test_the_problem_catalogue_of_docs_cli_is_the_generated_one():
    from regret.problems import catalogue

    with open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8") as fh:
        text = fh.read()
    start = text.index("<!-- problem catalogue: generated -->\n") + len("<!-- problem catalogue: generated -->\n")
    end = text.index("<!-- end of problem catalogue -->")
    assert text[start:end] == catalogue(), "docs/cli.md's catalogue is stale: paste regret.problems.catalogue()"
