"""`regret sweep --dask`: the same sweep on a real dask.distributed LocalCluster gives the store the
local executor gives, value for value; and a bad address is one line before any work."""
from __future__ import annotations

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
