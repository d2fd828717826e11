"""docs/sources.md is where the citations of the code point: every "docs/sources.md §Sx.y" of the
repository names a section that exists, every theorem cites one and is listed there, and no
docstring or page cites a literature file the users do not have."""
from __future__ import annotations

import os
import re

import pytest

from regret import theory

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), os.pardir))
SOURCES = os.path.join(ROOT, "docs", "sources.md")
# what the users have: the package, its docs, tests, proofs and examples (reports/ is generated from
# the citations by `regret report`, and follows them when rebuilt)
SCANNED = ["regret", "docs", "tests", "proofs", "examples", "README.md"]
SECTION_REF = re.compile(r"§S(\d+(?:\.\d+)?)|–S(\d+(?:\.\d+)?)")


def _text(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _files():
    for entry in SCANNED:
        top = os.path.join(ROOT, entry)
        if os.path.isfile(top):
            yield top
            continue
        for base, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            yield from (os.path.join(base, n) for n in sorted(names) if n.endswith((".py", ".md")))


def _sections():
    return set(re.findall(r"^## S(\d+(?:\.\d+)?) ", _text(SOURCES), re.M))


def test_the_sections_are_numbered_headings_of_their_own():
    secs = _sections()
    assert {"1.5", "1.7", "2.3", "2.7", "2.8", "3.1", "4.2", "5", "7"} <= secs
    headings = re.findall(r"^## S(\d+(?:\.\d+)?) ", _text(SOURCES), re.M)
    assert len(headings) == len(set(headings)), "a section number is used twice"


def test_every_section_reference_of_the_repository_exists():
    secs = _sections()
    seen, bad = 0, []
    for path in _files():
        for m in SECTION_REF.finditer(_text(path)):
            seen += 1
            if (m.group(1) or m.group(2)) not in secs:
                bad.append(f"{os.path.relpath(path, ROOT)}: §S{m.group(1) or m.group(2)}")
    assert seen > 40 and not bad, bad


@pytest.mark.parametrize("thm", theory.all(), ids=lambda t: t.key)
def test_every_theorem_cites_its_section_and_is_listed(thm):
    secs = _sections()
    cited = [m.group(1) for m in re.finditer(r"docs/sources\.md §S(\d+(?:\.\d+)?)", thm.citation)]
    assert cited and all(s in secs for s in cited), thm.citation
    table = _text(SOURCES).split("## ", 1)[0]
    assert f"`{thm.key}`" in table


def test_no_page_or_docstring_cites_a_file_outside_the_repository():
    """The literature notes the theorems were first encoded from are not shipped: a citation must name
    docs/sources.md (docs/theory.md is the repository's own page)."""
    # (the patterns are split so that this file does not match itself)
    private = re.compile(r"(?<!docs/)(?<!\]\()\btheory" + r"\.md\b|" + "reference" + " notes")
    bad = [f"{os.path.relpath(path, ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
           for path in _files() for text in [_text(path)] for m in private.finditer(text)]
    assert not bad, bad
