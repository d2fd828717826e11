"""`regret sweep` and regret.sweep: grids, content-hashed cells, the Parquet store, kill -9 and resume."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import regret
from regret import sweep
from regret.cli import main
from regret.cli.sweep import parse_grid_spec
from regret.sweep import execute, store

GRID = ["--optimizer", "adam:beta2=0.9|0.99|0.999,alpha=0.1|0.5", "--problem", "reddi:C=3", "--T", "2000",
        "--seeds", "2", "--checkpoints", "5"]


def test_a_grid_spec_is_the_product_of_its_alternatives():
    name, params = parse_grid_spec("adam:beta2=0.9|0.99|0.999,alpha=0.1|0.5", "--optimizer")
    assert name == "adam" and params == {"beta2": [0.9, 0.99, 0.999], "alpha": [0.1, 0.5]}
    cells = sweep.cells([(name, params)], [("reddi", {"C": 3})], [100], seeds=2)
    assert len(cells) == 6
    got = {(c.optimizer.beta2, c.optimizer.alpha) for c in cells}
    assert got == {(b, a) for b in (0.9, 0.99, 0.999) for a in (0.1, 0.5)}
    # a swept hyperparameter is in every label, the default 0.999 included
    labels = [c.label() for c in cells]
    assert "adam(alpha=0.1, beta2=0.999)" in labels and all("beta2=" in lab for lab in labels)


def test_a_cell_is_its_full_configuration():
    base = sweep.cells([("adam", {})], [("reddi", {"C": 3})], [100], seeds=2)[0]
    # the defaults are part of the configuration: naming one changes nothing
    assert sweep.cells([("adam", {"beta2": 0.999})], [("reddi", {"C": 3, "period": 3})], [100], seeds=2)[0].key \
        == base.key
    # a duplicate configuration in one grid runs once
    assert len(sweep.cells([("adam", {}), ("adam", {"beta2": 0.999})], [("reddi", {"C": 3})], [100], 2)) == 1
    changed = [sweep.cells([("adam", {"beta2": 0.99})], [("reddi", {"C": 3})], [100], 2)[0],
               sweep.cells([("adam", {})], [("reddi", {"C": 4})], [100], 2)[0],
               sweep.cells([("adam", {})], [("reddi", {"C": 3})], [101], 2)[0],
               sweep.cells([("adam", {})], [("reddi", {"C": 3})], [100], 3)[0],
               sweep.cells([("adam", {})], [("reddi", {"C": 3})], [100], 2, checkpoints=11)[0],
               sweep.cells([("adam", {})], [("reddi", {"C": 3})], [100], 2, comparator=False)[0]]
    assert len({c.key for c in changed} | {base.key}) == 7
    cfg = base.config()
    assert cfg["regret"] == regret.__version__ and cfg["schema"] == "regret.sweep/3"
    import hashlib
    import json

    for c in changed + [base]:  # the key is the hash of the canonical JSON of the configuration
        text = json.dumps(c.config(), sort_keys=True, separators=(",", ":"))
        assert c.key == hashlib.sha256(text.encode()).hexdigest()[:24]
    assert cfg["optimizer"]["hyperparameters"]["beta2"] == 0.999 and cfg["problem"]["parameters"]["period"] == 3
    # the key does not depend on the process (no hash randomization, no object ids)
    code = ("from regret import sweep; print(sweep.cells([('adam', {})], [('reddi', {'C': 3})], [100], 2)[0].key)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONHASHSEED="123")).stdout.strip()
    assert out == base.key


def test_the_store_holds_what_regret_run_computes(tmp_path, capsys):
    assert main(["sweep", *GRID, "--out", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "adam(alpha=0.5, beta2=0.999)" in out
    df = regret.load(str(tmp_path))
    assert len(df) == 6 * 2 * 5 and df["cell"].nunique() == 6
    cps = regret.default_checkpoints(2000, 5)
    for (b2, a), g in df.groupby(["opt.beta2", "opt.alpha"]):
        ref = regret.run(regret.optimizer("adam", beta2=b2, alpha=a), regret.problem("reddi", C=3), 2000, seeds=2,
                         checkpoints=cps, record_losses=False)
        g = g.sort_values(["seed", "t"])
        assert np.array_equal(g["t"].to_numpy(), np.tile(cps, 2))
        assert np.array_equal(g["regret"].to_numpy(), ref.regret.reshape(-1))
        assert np.array_equal(g["learner_loss"].to_numpy(), ref.learner_loss.reshape(-1))
        assert np.array_equal(g["certificate"].to_numpy(), ref.certificate.reshape(-1))
        assert np.array_equal(g["sum_sqrt_T_vhat"].to_numpy(), ref.sum_sqrt_T_vhat.reshape(-1))
        # RunResult.to_frame gives the same rows
        fr = ref.to_frame()
        assert np.array_equal(fr["regret"].to_numpy(), g["regret"].to_numpy())
    summ = sweep.summarize(df)
    assert len(summ) == 6 and (summ["seeds"] == 2).all()
    assert (summ["regret_std"] == 0.0).all()  # reddi is deterministic: both seeds give the same sequence
    meta = __import__("pyarrow.parquet", fromlist=["x"]).read_metadata(store.part_paths(str(tmp_path))[0]).metadata
    prov = __import__("json").loads(meta[b"regret.sweep"])
    assert prov["regret"] == regret.__version__ and len(prov["cells"]) == 6 and "numba" in prov


def test_running_it_again_runs_nothing(tmp_path, capsys):
    assert main(["sweep", *GRID, "--out", str(tmp_path), "--quiet"]) == 0
    before = {p: os.path.getmtime(p) for p in store.part_paths(str(tmp_path))}
    capsys.readouterr()
    assert main(["sweep", *GRID, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 run in 0 task(s)" in out and "6 already in" in out
    assert {p: os.path.getmtime(p) for p in store.part_paths(str(tmp_path))} == before
    # a larger grid over the same store runs only the new cells
    grid = [a.replace("0.1|0.5", "0.1|0.5|0.7") for a in GRID]
    assert main(["sweep", *grid, "--out", str(tmp_path)]) == 0
    assert "3 run in" in capsys.readouterr().out
    assert regret.load(str(tmp_path))["cell"].nunique() == 9


def test_a_single_seed_has_no_spread(tmp_path, capsys):
    grid = ["--optimizer", "sgd:alpha=0.1", "--problem", "linear:d=2", "--T", "300", "--out", str(tmp_path)]
    assert main(["sweep", *grid, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "± n/a" in out and "± 0" not in out


def test_toml_and_command_line_name_the_same_cells(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text(textwrap.dedent("""
        T = 2000
        seeds = 2
        checkpoints = 5

        [[optimizer]]
        name = "adam"
        beta2 = [0.9, 0.99, 0.999]
        alpha = [0.1, 0.5]

        [[problem]]
        name = "reddi"
        C = 3
    """))
    from_toml = sorted(c.key for c in sweep.from_toml(str(cfg)))
    args = __import__("argparse").Namespace(config=None, optimizer=[GRID[1]], problem=[GRID[3]], T=GRID[5],
                                            seeds=GRID[7], checkpoints=GRID[9], no_comparator=False)
    from regret.cli.sweep import build

    assert sorted(c.key for c in build(args)) == from_toml


@pytest.mark.parametrize("argv, field, needle", [
    (["--optimizer", "adam:alpha=0.1|"], "--optimizer", "none empty"),
    (["--optimizer", "adam:alpha=0.1|0.1"], "--optimizer", "repeats"),
    (["--optimizer", "adam:alpah=0.1|0.2"], "adam hyperparameter", "did you mean 'alpha'"),
    (["--optimizer", "adam:beta2=0.9|2"], "adam.beta2", None),
    (["--problem", "reddi:C=3|-1"], "C", None),
    (["--T", "1e3|x"], "--T", None),
    (["--seeds", "0"], "--seeds", None),
])
def test_bad_grids_are_one_line_before_any_work(tmp_path, capsys, argv, field, needle):
    base = dict(zip(GRID[::2], GRID[1::2]))
    base.update(dict(zip(argv[::2], argv[1::2])))
    full = [x for kv in base.items() for x in kv]
    assert main(["sweep", *full, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"regret: error: {field}="), err
    if needle:
        assert needle in err
    assert not (tmp_path / "out").exists()


def test_bad_toml_is_one_line(tmp_path, capsys):
    cfg = tmp_path / "s.toml"
    cfg.write_text('T = 100\nseed = 2\n[[optimizer]]\nname = "adam"\n[[problem]]\nname = "reddi"\n')
    assert main(["sweep", str(cfg), "--out", str(tmp_path / "o")]) == 2
    assert "config key='seed' is invalid" in capsys.readouterr().err
    cfg.write_text("T = [100\n")
    assert main(["sweep", str(cfg), "--out", str(tmp_path / "o")]) == 2
    assert "valid TOML" in capsys.readouterr().err
    assert main(["sweep", str(cfg), "--optimizer", "adam", "--out", str(tmp_path / "o")]) == 2
    assert "not both" in capsys.readouterr().err


KILL_SCRIPT = """
import sys
from regret import sweep
from regret.sweep import execute
execute.TASK_CELLS = 1  # one cell per task: a part file per cell
cells = sweep.cells([("adam", {"alpha": [0.01 * k for k in range(1, 41)]})], [("linear", {"d": 3})], [20000],
                    seeds=[0, 1, 2])
sweep.run(cells, sys.argv[1])
print("finished", flush=True)
"""


def test_kill_9_and_resume_gives_the_uninterrupted_values(tmp_path):
    """kill -9 while tasks are being written; the rerun runs only what is missing and the store then
    equals the store of a run that was never interrupted (value for value)."""
    script = tmp_path / "s.py"
    script.write_text(KILL_SCRIPT)
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    proc = subprocess.Popen([sys.executable, str(script), str(killed)], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(store.part_paths(str(killed))) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    n_parts = len(store.part_paths(str(killed)))
    assert 3 <= n_parts < 40, n_parts  # killed in the middle
    # a writer killed inside a write leaves a temporary: never read as data, removed by the rerun
    (killed / "parts" / ".tmp-abandoned.parquet").write_bytes(b"PAR1 half a file")
    assert regret.load(str(killed))["cell"].nunique() == n_parts
    subprocess.run([sys.executable, str(script), str(killed)], check=True, capture_output=True)
    assert not any(n.startswith(".tmp-") for n in os.listdir(killed / "parts"))
    subprocess.run([sys.executable, str(script), str(whole)], check=True, capture_output=True)
    a = regret.load(str(killed)).sort_values(["cell", "seed", "t"]).reset_index(drop=True)
    b = regret.load(str(whole)).sort_values(["cell", "seed", "t"]).reset_index(drop=True)
    assert len(a) == 40 * 3 * 10 and a["cell"].nunique() == 40
    assert a.columns.tolist() == b.columns.tolist()
    for col in a.columns:
        assert a[col].equals(b[col]), col


def test_tasks_group_cells_by_problem_and_cut_them_by_work(monkeypatch):
    cells = sweep.cells([("adam", {"alpha": [0.1, 0.2, 0.3]}), ("sgd", {"alpha": [0.1, 0.2]})],
                        [("reddi", {"C": [3, 5]})], [1000, 2000], seeds=2)
    monkeypatch.setattr(execute, "TASK_WORK", 2000 * 2 * 2)  # two cells of T = 2000, four of T = 1000
    ts = execute.tasks(cells)
    assert sorted(c.key for t in ts for c in t) == sorted(c.key for c in cells)
    for t in ts:
        assert len({execute.group_key(c) for c in t}) == 1
        assert len(t) <= (4 if t[0].T == 1000 else 2)


def test_parts_with_different_columns_load_as_one_table():
    """Another algorithm's hyperparameters are null where absent; a column that is a number in one
    part and a bool or text in another becomes text; ints and floats become floats."""
    import pyarrow as pa

    a = pa.table({"cell": ["a"], "opt.alpha": [0.1], "opt.flag": [True], "opt.k": [1]})
    b = pa.table({"cell": ["b"], "opt.alpha": [0.2], "opt.flag": [0.5], "opt.k": [2.5], "opt.only_b": ["x"]})
    t = store.concat([a, b])
    assert t.column("opt.alpha").to_pylist() == [0.1, 0.2]
    assert t.column("opt.flag").to_pylist() == ["true", "0.5"]
    assert t.column("opt.k").to_pylist() == [1.0, 2.5]
    assert t.column("opt.only_b").to_pylist() == [None, "x"]
    from regret.engine.frame import _one_kind

    assert _one_kind([0.1, None, 2]) == [0.1, None, 2] and _one_kind([True, 0.5]) == ["True", "0.5"]


def test_a_figure_reads_only_its_rows_and_columns(tmp_path):
    """load(columns=…, final=True) — what `regret sweep --plot` reads — holds exactly the last-checkpoint
    rows and the asked columns of the full store, part by part (two algorithms: parts with different
    opt.* columns)."""
    cells = sweep.cells([("adam", {"beta2": [0.9, 0.99]}), ("sgd", {"alpha": [0.1, 0.2]})], [("reddi", {"C": 3})],
                        [300], seeds=2, checkpoints=6)
    sweep.run(cells, str(tmp_path))
    full = regret.load(str(tmp_path))
    part = regret.load(str(tmp_path), columns=("opt.", "T", "regret_over_T"), final=True)
    assert set(part.columns) == {"cell", "seed", "t", "T", "regret_over_T"} | {c for c in full.columns
                                                                                 if c.startswith("opt.")}
    want = full[full["t"] == full["T"]][list(part.columns)].reset_index(drop=True)
    assert len(part) == 4 * 2 and (part["t"] == 300).all()
    assert part.equals(want)


def test_a_long_table_is_cut_and_says_where_the_rest_is(tmp_path):
    cells = sweep.cells([("sgd", {"alpha": [0.01 * k for k in range(1, 8)]})], [("reddi", {"C": 3})], [50], seeds=1)
    rep = sweep.run(cells, str(tmp_path))
    from regret.sweep.summary import table

    text = table(rep.summary, keys=rep.keys, limit=3)
    assert text.count("sgd(") == 3 and "and 4 more configurations" in text and "summary.parquet" in text
    assert table(rep.summary, keys=rep.keys).count("sgd(") == 7


def test_a_cluster_gets_several_tasks_per_worker(monkeypatch):
    """For a cluster the cells are cut finer (at least `at_least` tasks) but never below MIN_TASK_WORK."""
    cells = sweep.cells([("adam", {"alpha": [0.01 * k for k in range(1, 41)]})], [("reddi", {"C": 3})], [1000],
                        seeds=1)
    assert len(execute.tasks(cells)) == 1
    monkeypatch.setattr(execute, "MIN_TASK_WORK", 1000 * 5)
    ts = execute.tasks(cells, at_least=8)
    assert len(ts) == 8 and all(len(t) == 5 for t in ts)
    monkeypatch.setattr(execute, "MIN_TASK_WORK", 1000 * 20)
    assert len(execute.tasks(cells, at_least=8)) == 2


def test_a_parts_metadata_is_the_json_of_its_provenance():
    """write_part records provenance_json(cells), built from each cell's canonical JSON (the text its
    key hashes): it must parse to exactly provenance(cells), configurations with defaults included."""
    import json

    from regret.sweep import cells as make_cells
    from regret.sweep.store import provenance, provenance_json

    grid = make_cells([("adam", {"beta2": [0.9, 0.999], "alpha": 0.1}), ("sgd", {})],
                      [("reddi", {"C": [2, 3]})], [100, 1000], seeds=2, checkpoints=5)
    assert len(grid) == 12
    assert json.loads(provenance_json(grid)) == json.loads(json.dumps(provenance(grid), sort_keys=True))
    for c in grid:  # the canonical text is the configuration the key names
        assert json.loads(c.canonical) == json.loads(json.dumps(c.config()))
