"""`regret sweep --dask`: the same sweep on a real dask.distributed LocalCluster gives the store the
local executor gives, value for value; and a bad address is one line before any work."""
from __future__ import annotations

from pathlib import Path

import pytest

import regret
from regret.cli import main

GRID = ["--optimizer", "adam:beta2=0.9|0.99,alpha=0.1|0.5", "--optimizer", "sgd:alpha=0.1|0.2",
        "--problem", "linear:d=3|5", "--T", "3000", "--seeds", "2", "--checkpoints", "6", "--quiet"]


def test_a_local_cluster_fills_the_store_the_local_executor_fills(tmp_path, capsys):
    pytest.importorskip("distributed")
    assert main(["sweep", *GRID, "--out", str(tmp_path / "local")]) == 0
    assert main(["sweep", *GRID, "--out", str(tmp_path / "dask"), "--dask", "local:2"]) == 0
    a = regret.load(str(tmp_path / "local")).sort_values(["cell", "seed", "t"]).reset_index(drop=True)
    b = regret.load(str(tmp_path / "dask")).sort_values(["cell", "seed", "t"]).reset_index(drop=True)
    assert len(a) == 12 * 2 * 6 and a.columns.tolist() == b.columns.tolist()
    for col in a.columns:
        assert a[col].equals(b[col]), col
    capsys.readouterr()
    # resuming a dask-made store locally runs nothing
    assert main(["sweep", *GRID[:-1], "--out", str(tmp_path / "dask")]) == 0
    assert "0 run in 0 task(s)" in capsys.readouterr().out


@pytest.mark.parametrize("address", ["local:0", "local:x", "cluster", "tcp://"])
def test_a_bad_address_is_one_line(tmp_path, capsys, address):
    assert main(["sweep", *GRID, "--out", str(tmp_path / "o"), "--dask", address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("regret: error: --dask="), err
    assert not (tmp_path / "o").exists()


# tests/user_optimizers.py, copied where no worker has imported it
USER_FILE = (Path(__file__).parent / "user_optimizers.py").read_text()


def test_a_users_optimizer_file_runs_on_the_workers(tmp_path, capsys):
    """The workers never imported the user's file: its optimizer travels as its source
    (regret.user_code.Portable) and the dask store equals the local one. Before, the workers failed
    to unpickle the class ("No module named 'regret_user_…'")."""
    pytest.importorskip("distributed")
    path = tmp_path / "my_opts.py"
    path.write_text(USER_FILE)
    grid = ["--optimizer", f"{path}:SignSGD:alpha=0.1|0.3", "--optimizer", "adam", "--problem", "reddi",
            "--T", "1000", "--checkpoints", "5", "--quiet"]
    assert main(["sweep", *grid, "--out", str(tmp_path / "local")]) == 0
    assert main(["sweep", *grid, "--out", str(tmp_path / "dask"), "--dask", "local:2"]) == 0
    a = regret.load(str(tmp_path / "local")).sort_values(["cell", "seed", "t"]).reset_index(drop=True)
    b = regret.load(str(tmp_path / "dask")).sort_values(["cell", "seed", "t"]).reset_index(drop=True)
    assert sorted(a["label"].unique()) == ["adam()", "sign_sgd(alpha=0.1)", "sign_sgd(alpha=0.3)"]
    for col in a.columns:
        assert a[col].equals(b[col]), col


def test_a_portable_optimizer_needs_neither_the_file_nor_its_module(tmp_path):
    """Pickled, the file deleted, restored in a fresh process: the same optimizer, and it runs."""
    import pickle
    import subprocess
    import sys

    from regret.cli.util import make_optimizer
    from regret.user_code import portable

    path = tmp_path / "gone.py"
    path.write_text(USER_FILE)
    blob = tmp_path / "opt.pickle"
    blob.write_bytes(pickle.dumps(portable(make_optimizer(f"{path}:SignSGD:alpha=0.25"))))
    path.unlink()
    code = ("import pickle, sys, regret\nfrom regret.user_code import restored\n"
            f"opt = restored(pickle.loads(open({str(blob)!r}, 'rb').read()))\n"
            "print(opt.label(), float(regret.run(opt, regret.problem('reddi'), 300).regret[0, -1]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    label, R = out.stdout.split()[0], float(out.stdout.split()[-1])
    assert label == "sign_sgd(alpha=0.25)" and R > 0
