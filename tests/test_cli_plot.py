"""`regret plot` (and `regret run --plot`): files written, the CSV equals the regret of the same run
made through the Python API, same command → same bytes, bad input → one line on stderr and exit 2."""
from __future__ import annotations

import os

import numpy as np
import pytest

import regret
from regret import plots
from regret.cli import main

ADAM = "adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt,bias_correction=false"
AMS = "amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt"
BASE = ["plot", "--optimizer", ADAM, "--optimizer", AMS, "--problem", "reddi:C=3", "--T", "2000", "--quiet"]


def test_regret_figure_and_csv_match_the_api(tmp_path, capsys):
    out = tmp_path / "reddi.pdf"
    assert main(BASE + ["--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / f"reddi.{e}") for e in ("pdf", "png", "csv")]
    rows = plots.read_csv(tmp_path / "reddi.csv")
    prob = regret.problem("reddi", C=3)
    cps = regret.default_checkpoints(2000, 40)
    for spec, name in ((dict(name="adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt", bias_correction=False),
                        "adam"),
                       (dict(name="amsgrad", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt"), "amsgrad")):
        res = regret.run(regret.optimizer(spec.pop("name"), **spec), prob, T=2000, checkpoints=cps)
        for panel, div in (("regret", 1.0), ("regret_over_T", cps), ("regret_over_sqrtT", np.sqrt(cps))):
            got = [r for r in rows if r["panel"] == panel and r["series"] == name and r["role"] == "mean"]
            assert [r["x"] for r in got] == cps.astype(float).tolist()
            want = res.regret[0] / div
            if panel == "regret":
                want = np.where(want > 0, want, np.nan)
            np.testing.assert_array_equal([r["y"] for r in got], want)


def test_same_command_same_bytes(tmp_path):
    for sub in ("a", "b"):
        os.mkdir(tmp_path / sub)
        assert main(BASE + ["--seeds", "2", "--band", "bootstrap", "--no-companions", "--formats", "pdf,png",
                            "--out", str(tmp_path / sub / "f.png")]) == 0
    for ext in ("pdf", "png", "csv"):
        assert (tmp_path / "a" / f"f.{ext}").read_bytes() == (tmp_path / "b" / f"f.{ext}").read_bytes(), ext


def test_traces_step_and_gamma_kinds(tmp_path):
    assert main(BASE + ["--kind", "traces", "--step-bound", "1", "--formats", "png",
                        "--out", str(tmp_path / "tr.png")]) == 0
    rows = plots.read_csv(tmp_path / "tr.csv")
    assert {r["panel"] for r in rows} == {"iterates[adam]", "effective_step[adam]", "iterates[amsgrad]",
                                         "effective_step[amsgrad]"}
    assert {r["y"] for r in rows if r["role"] == "limit"} == {1.0}
    assert main(BASE + ["--kind", "step", "--formats", "pdf", "--out", str(tmp_path / "st.pdf")]) == 0
    rows = plots.read_csv(tmp_path / "st.csv")
    # the paper's bound for Adam (Kingma & Ba §2.1): β1 = 0, β2 = 0.1 → (1−β1)/√(1−β2) = 1/√0.9 > 1
    assert {r["series"] for r in rows if r["role"] == "step"} == {"adam", "amsgrad"}
    assert {r["y"] for r in rows if r["role"] == "limit"} == {1 / np.sqrt(0.9)}
    assert main(BASE + ["--kind", "gamma", "--T", "300", "--formats", "pdf", "--out", str(tmp_path / "g.pdf")]) == 0
    rows = plots.read_csv(tmp_path / "g.csv")
    fails = {r["series"]: [] for r in rows}
    for r in rows:
        if r["role"] == "fail":
            fails[r["series"]].append(r["x"])
    assert fails["amsgrad"] == [] and len(fails["adam"]) > 0  # AMSGrad's max keeps Γ_t ⪰ 0 (Reddi et al. §4)
    assert sorted(os.listdir(tmp_path)) == ["g.csv", "g.pdf", "st.csv", "st.pdf", "tr.csv", "tr.png"]


def test_run_plot_option_writes_the_figure(tmp_path, capsys):
    out = tmp_path / "run.pdf"
    assert main(["run", "--optimizer", AMS, "--problem", "reddi:C=3", "--T", "500", "--quiet",
                 "--plot", str(out)]) == 0
    assert out.exists() and (tmp_path / "run.png").exists() and (tmp_path / "run.csv").exists()


@pytest.mark.parametrize("extra, field", [
    (["--kind", "surface"], "--kind"),
    (["--band", "sd"], "--band"),
    (["--formats", "pdf,bmp"], "--formats"),
    (["--width", "huge"], "--width"),
    (["--coords", "a,b"], "--coords"),
    (["--step-bound", "-1"], "--step-bound"),
    (["--seeds", "0"], "--seeds"),
    (["--T", "0"], "--T"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, extra, field):
    args = BASE + ["--out", str(tmp_path / "x.pdf")] + extra
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("regret: error: ") and field in err
    assert os.listdir(tmp_path) == []


def test_bad_output_name_and_pgf_without_tex(tmp_path, capsys, monkeypatch):
    assert main(BASE + ["--out", str(tmp_path / "x.jpg")]) == 2
    assert "--out" in capsys.readouterr().err
    monkeypatch.setattr(plots.io.shutil, "which", lambda name: None)
    assert main(BASE + ["--pgf", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "TeX" in err and err.count("\n") == 1
    assert os.listdir(tmp_path) == []  # nothing written half
