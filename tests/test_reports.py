"""Reports: the committed reports/reddi-2018 is reproduced by a rebuild from scratch (its CSVs, its
verdicts and its README byte for byte), and the report writer is deterministic (two builds of the same
report give byte-identical files apart from metadata.json)."""
import filecmp
import json
import os

import numpy as np
import pytest

from regret import report
from regret.plots import regret_curve
from regret.report.builder import Report

ROOT = os.path.join(os.path.dirname(__file__), "..", "reports")


def _files(d):
    return sorted(f for f in os.listdir(d) if f != "metadata.json")


def test_reddi_2018_rebuilt_from_scratch_equals_the_committed_report(tmp_path):
    committed = os.path.join(ROOT, "reddi-2018")
    assert os.path.isdir(committed), "reports/reddi-2018 is committed (regret report reddi-2018)"
    built = report.build("reddi-2018", root=str(tmp_path), progress=lambda m: None)
    assert _files(built) == _files(committed)
    for name in _files(committed):
        if name.endswith((".csv", ".md")):  # the numbers, the verdicts and the prose
            assert filecmp.cmp(os.path.join(built, name), os.path.join(committed, name), shallow=False), name
    meta = json.load(open(os.path.join(built, "metadata.json")))
    assert meta["report"] == "reddi-2018" and meta["command"] == "regret report reddi-2018"
    rows = open(os.path.join(built, "verdicts.csv")).read().splitlines()
    assert rows[0] == "claim,setting,verdict,evidence" and len(rows) > 5
    # the headline verdicts (independently derived in tests/test_reddi.py and docs/sources.md §S1.7)
    text = open(os.path.join(built, "verdicts.csv")).read()
    assert "Kingma & Ba Thm 4.1" in text and ",VIOLATED," in text


def test_zhang_2022_rebuilt_from_scratch_equals_the_committed_report(tmp_path):
    """Built by `regret report --all` like the others; its verdicts are REPRODUCED on the committed
    grid (tests/test_zhang.py checks single cells of the same diagram independently)."""
    committed = os.path.join(ROOT, "zhang-2022")
    built = report.build("zhang-2022", root=str(tmp_path), progress=lambda m: None)
    assert _files(built) == _files(committed)
    for name in _files(committed):
        if name.endswith((".csv", ".md")):
            assert filecmp.cmp(os.path.join(built, name), os.path.join(committed, name), shallow=False), name
    verdicts = open(os.path.join(built, "verdicts.csv")).read().splitlines()[1:]
    assert len(verdicts) == 5 and all(",REPRODUCED," in row for row in verdicts)
    assert "zhang-2022" in report.REPORTS


def test_report_progress_says_the_time_so_far_against_the_previous_build(tmp_path):
    import io

    from regret.cli.report import previous_seconds, steps

    assert previous_seconds(str(tmp_path), "zhang-2022") is None
    (tmp_path / "zhang-2022").mkdir()
    (tmp_path / "zhang-2022" / "metadata.json").write_text(json.dumps({"build_seconds": 42.4}))
    assert previous_seconds(str(tmp_path), "zhang-2022") == 42.4
    out = io.StringIO()
    steps(42.4, out)("[zhang-2022] a step")
    steps(None, out)("[x] first build")
    assert out.getvalue().splitlines() == ["[0 s of about 42 s] [zhang-2022] a step", "[0 s] [x] first build"]
    assert previous_seconds(ROOT, "zhang-2022") > 0  # the committed report records its build time


def _tiny(rep):
    t = np.unique(np.round(np.logspace(0, 3, 12)).astype(int))
    vals = np.sqrt(t)[None, :] * np.array([[1.0], [1.2], [0.9]])
    rep.setting("what", "a synthetic √T curve")
    rep.figure(regret_curve(("sqrt", t, vals), width="single"), "curve", "a √T curve")
    rep.table(("a", "b"), [["1", "2"]])
    rep.verdict("claim", "setting", "HOLDS", "evidence")
    return "shows", "does not show"


def test_two_builds_of_a_report_are_byte_identical(tmp_path):
    dirs = []
    for k in range(2):
        rep = Report("tiny", "Tiny", "Is the writer deterministic?", "regret report tiny", progress=lambda m: None)
        shows, not_shown = _tiny(rep)
        dirs.append(rep.write(str(tmp_path / f"b{k}"), shows, not_shown))
    assert _files(dirs[0]) == _files(dirs[1]) == ["README.md", "curve.csv", "curve.pdf", "curve.png", "verdicts.csv"]
    for name in _files(dirs[0]):
        assert filecmp.cmp(os.path.join(dirs[0], name), os.path.join(dirs[1], name), shallow=False), name
    meta = [json.load(open(os.path.join(d, "metadata.json"))) for d in dirs]
    assert meta[0]["output_dir"] != meta[1]["output_dir"]  # paths live in the metadata only
    readme = open(os.path.join(dirs[0], "README.md")).read()
    assert str(tmp_path) not in readme


def test_a_failed_build_leaves_the_previous_report_untouched(tmp_path):
    rep = Report("tiny", "Tiny", "q", "regret report tiny", progress=lambda m: None)
    shows, not_shown = _tiny(rep)
    target = rep.write(str(tmp_path), shows, not_shown)
    before = {n: open(os.path.join(target, n), "rb").read() for n in os.listdir(target)}
    bad = Report("tiny", "Tiny", "q", "regret report tiny", progress=lambda m: None)
    bad.files["x.png"] = object()  # not bytes: writing fails half-way
    with pytest.raises(TypeError):
        bad.write(str(tmp_path), "s", "n")
    after = {n: open(os.path.join(target, n), "rb").read() for n in os.listdir(target)}
    assert before == after
    assert [n for n in os.listdir(tmp_path) if n.startswith(".tmp")] == []


def test_unknown_report_is_a_clear_error():
    with pytest.raises(ValueError, match="report='nope' is invalid"):
        report.module("nope")


def test_claims_table_rows_markdown_and_csv():
    from regret.report.claims import Claim, ClaimsTable, beats, compare, holds

    table = ClaimsTable()
    table.add(compare("A beats B", beats, [1.0, 2.0], [1.5, 2.5], "toy, 2 seeds", source="§1"),
              Claim("a bound", "toy", holds(False), "measured 3 > 2"))
    assert table.rows()[0][:3] == ("§1: A beats B", "toy, 2 seeds", "SUPPORTED")
    assert table.rows()[0][3] == "R(T): 1.5 ± 0.5 vs 2 ± 0.5; R_A/R_B per seed 0.667–0.8"
    assert table.rows()[1] == ("a bound", "toy", "VIOLATED", "measured 3 > 2")
    assert table.tally() == {"SUPPORTED": 1, "VIOLATED": 1}
    assert table.to_csv().splitlines()[0] == "claim,setting,verdict,evidence"
    assert table.markdown().splitlines()[2].startswith("| §1: A beats B | toy, 2 seeds | SUPPORTED |")
    assert ClaimsTable().markdown() == "(none)"
    with pytest.raises(TypeError):
        table.add(("claim", "setting", "HOLDS", "evidence"))
