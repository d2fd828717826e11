"""Phase diagrams from a sweep's rows (regret.plots.phase) and `regret sweep --plot`."""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import regret
from regret.cli import main
from regret.plots.phase import grid, phase_figure

GRID = ["--optimizer", "adam:beta1=0|0.5|0.9,beta2=0.1|0.5|0.99,alpha=0.5,schedule=sqrt,bias_correction=false",
        "--problem", "reddi:C=3", "--T", "3000", "--quiet"]


def test_the_grid_holds_each_configurations_value_at_T(tmp_path):
    assert main(["sweep", *GRID, "--out", str(tmp_path / "s"), "--seeds", "2"]) == 0
    df = regret.load(str(tmp_path / "s"))
    xs, ys, Z, D = grid(df)
    assert xs.tolist() == [0.0, 0.5, 0.9] and ys.tolist() == [0.1, 0.5, 0.99] and not D.any()
    for i, b2 in enumerate(ys):
        for j, b1 in enumerate(xs):
            opt = regret.optimizer("adam", beta1=b1, beta2=b2, alpha=0.5, schedule="sqrt", bias_correction=False)
            ref = regret.run(opt, regret.problem("reddi", C=3), 3000, seeds=2, record_losses=False)
            assert Z[i, j] == (ref.regret[:, -1] / 3000).mean()
    # Reddi et al. Theorem 1 at (β1, β2) = (0, 0.1 = 1/(1 + C²)): R(T)/T near 2(C − 2)/3 = 2/3
    assert abs(Z[0, 0] - 2 / 3) < 0.01


def test_diverged_cells_are_marked_never_given_a_number():
    rows = []
    for b1 in (0.0, 0.5):
        for b2 in (0.1, 0.9):
            bad = b1 == 0.5 and b2 == 0.1
            for seed in (0, 1):
                rows.append({"cell": f"{b1}-{b2}", "optimizer": "adam", "opt.beta1": b1, "opt.beta2": b2,
                             "problem": "p", "T": 10, "t": 10, "seed": seed,
                             "regret_over_T": np.nan if bad and seed else b1 + b2, "diverged": bad and seed == 1})
    df = pd.DataFrame(rows)
    xs, ys, Z, D = grid(df)
    assert D.tolist() == [[False, True], [False, False]]
    assert np.isnan(Z[0, 1]) and Z[1, 1] == 1.4
    p = phase_figure(df)
    roles = {b[3] for b in p.table.blocks}
    assert roles == {"value", "diverged", "curve"}
    div = [b for b in p.table.blocks if b[3] == "diverged" and b[1] == "beta2=0.1"][0]
    assert div[5].tolist() == [0.0, 1.0]
    legend = p.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()][-1] == "diverged"


def test_one_configuration_per_grid_point():
    df = pd.DataFrame([{"cell": c, "optimizer": "adam", "opt.beta1": 0.0, "opt.beta2": 0.5, "opt.alpha": a,
                        "problem": "p", "T": 10, "t": 10, "seed": 0, "regret_over_T": a, "diverged": False}
                       for c, a in (("a", 0.1), ("b", 0.2))])
    with pytest.raises(regret.InvalidInput, match="opt.alpha"):
        grid(df)


def test_sweep_plot_writes_the_diagram_and_its_numbers(tmp_path, capsys):
    out = tmp_path / "phase.pdf"
    assert main(["sweep", *GRID, "--out", str(tmp_path / "s"), "--plot", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phase.csv", "phase.pdf", "phase.png", "s"]
    with open(tmp_path / "phase.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    values = [r for r in rows if r["role"] == "value"]
    assert len(values) == 9 and {r["role"] for r in rows} == {"value", "diverged", "curve"}
    df = regret.load(str(tmp_path / "s"))
    last = df[(df.t == df["T"]) & (df["opt.beta1"] == 0.0) & (df["opt.beta2"] == 0.1)]
    got = next(float(r["y"]) for r in values if r["series"] == "beta2=0.1" and float(r["x"]) == 0.0)
    assert got == pytest.approx(float(last.regret_over_T.iloc[0]), rel=1e-15)


@pytest.mark.parametrize("extra, field", [(["--phase", "beta1,alpha"], "--phase"), (["--phase", "beta1"], "--phase"),
                                          (["--value", "nope"], "--value"), (["--plot", "x.txt"], "--plot")])
def test_bad_plot_options_are_one_line_before_any_work(tmp_path, capsys, extra, field):
    argv = ["sweep", *GRID, "--out", str(tmp_path / "s")]
    if "--plot" not in extra:
        argv += ["--plot", str(tmp_path / "p.pdf")]
    assert main(argv + extra) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"regret: error: {field}="), err
    assert not (tmp_path / "s").exists()
