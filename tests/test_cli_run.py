"""`regret run`: the table, --json (schema regret.run/1), --save, and bad input (one line on stderr,
exit status 2, no traceback, no file written)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import regret
from regret.cli import main

REDDI = ["run", "--optimizer", "adam:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt,bias_correction=false",
         "--optimizer", "amsgrad:alpha=0.5,beta1=0,beta2=0.1,schedule=sqrt", "--problem", "reddi:C=3",
         "--T", "3e4", "--seeds", "2", "--quiet"]


def test_table_names_each_optimizer_and_reddi_numbers(capsys):
    assert main(REDDI) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("problem reddi:C=3: linear losses on box [-1, 1]^1, T=30000, seeds 0..1")
    adam = next(l for l in lines if l.startswith("adam("))
    ams = next(l for l in lines if l.startswith("amsgrad("))
    def regret_over_T(line):  # the R(T) column (mean ± std) divided by T
        return float(line.split(")", 1)[1].split("±")[0]) / 30000

    def x_final(line):
        return float(line.rsplit("[", 1)[1].rstrip("]\n "))

    # Adam: R(T)/T → 2(C−2)/3 = 2/3 and x → +1 (hand derivation, Reddi et al. Thm 1); AMSGrad: → 0, x → −1
    assert abs(regret_over_T(adam) - 2 / 3) < 0.01 and x_final(adam) > 0.99
    assert regret_over_T(ams) < 0.01 and x_final(ams) < -0.99


def test_json_follows_the_documented_schema(capsys):
    assert main(REDDI + ["--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "regret.run/1" and doc["T"] == 30000 and doc["seeds"] == [0, 1]
    assert [r["optimizer"] for r in doc["results"]] == ["adam", "amsgrad"]
    for r in doc["results"]:
        for key in ("regret", "regret_over_T", "regret_over_sqrt_T", "comparator_loss", "learner_loss"):
            assert set(r[key]) == {"mean", "min", "max", "std", "ci95"}
            lo, hi = r[key]["ci95"]
            assert lo <= r[key]["mean"] <= hi
        # where the iterates end: Adam at +1, AMSGrad at x* = −1 (the distance 2 and 0), every seed
        assert len(r["x_final_mean"]) == 1 and len(r["x_final_ci95"]) == 1
        assert r["distance_to_x_star"]["mean"] == pytest.approx(2.0 if r["optimizer"] == "adam" else 0.0, abs=0.02)
        assert len(r["regret_per_seed"]) == 2 and len(r["certificate"]) == 2
        assert r["regret"]["mean"] == pytest.approx(r["learner_loss"]["mean"] - r["comparator_loss"]["mean"])
        assert r["regret_over_T"]["mean"] == pytest.approx(r["regret"]["mean"] / 30000)
        assert r["x_star"] == [[-1.0], [-1.0]]  # Σ f_t has positive slope: x* = −1 (the paper's minimiser)
    assert doc["results"][0]["hyperparameters"]["bias_correction"] is False


def test_save_writes_the_documented_arrays(tmp_path, capsys):
    path = tmp_path / "run.npz"
    assert main(REDDI + ["--save", str(path)]) == 0
    with np.load(path) as z:
        assert z["opt0_regret"].shape == (2, z["checkpoints"].size)
        np.testing.assert_allclose(z["opt0_regret"], z["opt0_learner_loss"] - z["opt0_comparator_loss"])
        assert json.loads(str(z["meta"]))["schema"] == "regret.run/1"
        assert z["opt1_x_final"].shape == (2, 1)
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no temporary file left


def test_save_parquet_writes_the_rows_of_a_sweep_store(tmp_path, capsys):
    """--save FILE.parquet: one row per (optimizer, seed, checkpoint) in the sweep store's columns,
    the same numbers as the .npz of the same run."""
    import pandas as pd

    assert main(REDDI + ["--save", str(tmp_path / "run.parquet")]) == 0
    assert main(REDDI + ["--save", str(tmp_path / "run.npz")]) == 0
    df = pd.read_parquet(tmp_path / "run.parquet")
    with np.load(tmp_path / "run.npz") as z:
        K = z["checkpoints"].size
        assert len(df) == 2 * 2 * K
        for j, name in enumerate(("adam", "amsgrad")):
            rows = df[df["optimizer"] == name]
            assert np.array_equal(rows["regret"].to_numpy(), z[f"opt{j}_regret"].reshape(-1))
            assert np.array_equal(rows["t"].to_numpy(), np.tile(z["checkpoints"], 2))
            assert np.array_equal(rows["sum_sqrt_T_vhat"].to_numpy(), z[f"opt{j}_sum_sqrt_T_vhat"].reshape(-1))
    assert not df.loc[df["optimizer"] == "adam", "opt.bias_correction"].any()  # given as false (default: true)
    import pyarrow.parquet as pq

    meta = pq.read_metadata(tmp_path / "run.parquet").metadata
    assert json.loads(meta[b"regret.run"])["schema"] == "regret.run/1"


def _bad_npz(tmp_path, **arrays):
    p = tmp_path / "bad.npz"
    np.savez(p, **arrays)
    return str(p)


@pytest.mark.parametrize("args, needle", [
    (["--optimizer", "adamw"], "optimizer='adamw' is invalid"),
    (["--optimizer", "adam:beta1=1"], "adam.beta1=1 is invalid: a number in [0, 1)"),
    (["--optimizer", "adam:alpha=0"], "adam.alpha=0 is invalid: a finite number > 0"),
    (["--optimizer", "adam:alpha=-1"], "adam.alpha=-1 is invalid"),
    (["--optimizer", "adam:beta1"], "--optimizer='adam:beta1' is invalid"),
    (["--optimizer", "adam:gamma=1"], "adam hyperparameter='gamma' is invalid"),
    (["--T", "0"], "--T='0' is invalid"),
    (["--T", "-5"], "--T='-5' is invalid"),
    (["--T", "1.5"], "--T='1.5' is invalid"),
    (["--problem", "nope"], "problem='nope' is invalid"),
    (["--seeds", "0"], "--seeds='0' is invalid"),
    (["--save", "out.txt"], "--save='out.txt' is invalid"),
])
def test_bad_input_is_one_line_and_exit_2(args, needle, tmp_path, capsys):
    base = {"--optimizer": "adam", "--problem": "reddi", "--T": "100"}
    argv = ["run"]
    given = dict(zip(args[::2], args[1::2]))
    for k, v in {**base, **given}.items():
        argv += [k, v]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(argv + ["--quiet"]) == 2
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("regret: error: ") and needle in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("arrays, needle", [
    (dict(A=np.array([[1.0], [np.nan]]), family=np.array("linear")), "A="),
    (dict(A=np.array([[1.0], [np.inf]]), family=np.array("linear")), "A="),
    (dict(A=np.ones(3), family=np.array("linear")), "A="),
    (dict(A=np.ones((3, 2)), b=np.ones(2), family=np.array("least_squares")), "b="),
    (dict(A=np.ones((3, 2)), family=np.array("quadratic")), "family='quadratic'"),
    (dict(A=np.ones((3, 2))), "npz keys="),
])
def test_bad_npz_files_exit_2_without_output(arrays, needle, tmp_path, capsys):
    path = _bad_npz(tmp_path, **arrays)
    out = tmp_path / "out.npz"
    code = main(["run", "--optimizer", "sgd", "--problem", f"npz:path={path}", "--T", "2", "--save", str(out),
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and needle in err, err
    assert not out.exists()


def test_the_console_script_prints_no_traceback(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "regret")
    p = subprocess.run([exe, "run", "--optimizer", "adam:beta1=2", "--problem", "reddi", "--T", "10"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == "regret: error: adam.beta1=2 is invalid: a number in [0, 1)\n"


def test_rows_name_what_varies_and_one_seed_has_no_spread(capsys):
    """Two Adams that differ in β2 only: both rows name β2, the default 0.999 included; with one seed
    the spread is "n/a", never "± 0"."""
    argv = ["run", "--optimizer", "adam:alpha=0.1", "--optimizer", "adam:alpha=0.1,beta2=0.9", "--problem",
            "linear:d=2", "--T", "300", "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "adam(beta2=0.999, alpha=0.1)" in out and "adam(beta2=0.9, alpha=0.1)" in out
    assert "± n/a" in out and "± 0 " not in out and not out.rstrip().endswith("± 0")
    assert main(argv + ["--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"][0]["regret"]["std"] is None  # undefined for one seed: null, not 0


def test_the_interval_and_the_final_distance():
    from scipy import stats

    from regret.engine.result import ci95

    v = np.array([1.0, 2.5, 0.3, 4.0, 2.2])
    lo, hi = stats.t.interval(0.95, v.size - 1, loc=v.mean(), scale=stats.sem(v))
    assert ci95(v) == pytest.approx((lo, hi), rel=1e-12) and np.isnan(ci95(v[:1])).all()
    res = regret.run("sgd", regret.problem("linear", d=2), T=200, seeds=3)
    np.testing.assert_allclose(res.distance_to_x_star, np.linalg.norm(res.x_final - res.x_star[:, -1], axis=1))
    df = res.to_frame()
    at_T = df[df["t"] == 200]
    np.testing.assert_array_equal(at_T["distance_to_x_star"].to_numpy(), res.distance_to_x_star)
    assert df[df["t"] < 200]["distance_to_x_star"].isna().all()
