"""regret.plots: the CSV holds exactly the plotted numbers, renders are byte-identical, ``ax=``
composes with a user's Axes, the legend's exponent is an ordinary least-squares fit, bad input
raises InvalidInput."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from matplotlib.figure import Figure

import regret
from regret import plots
from regret.errors import InvalidInput
from regret.plots import io as pio

T_GRID = np.unique(np.round(np.logspace(0, 4, 30)).astype(np.int64))


def synthetic_curves(S=5, seed=0):
    """Two curves with known growth: 2·T^0.5 and 0.3·T (times seed noise), one with early negatives."""
    rng = np.random.default_rng(seed)
    t = T_GRID.astype(np.float64)
    a = 2.0 * np.sqrt(t) * (1 + 0.1 * rng.standard_normal((S, t.size)))
    b = 0.3 * t * (1 + 0.05 * rng.standard_normal((S, t.size))) - 2.0  # ≤ 0 for the first rounds
    return [plots.Curve("slow", T_GRID, a), plots.Curve("linear", T_GRID, b)]


def lines_of(ax):
    return [(ln.get_xdata(orig=False).astype(np.float64), ln.get_ydata(orig=False).astype(np.float64))
            for ln in ax.get_lines()]


def csv_blocks(rows, panel, roles):
    """Consecutive runs of rows of one panel with a role in ``roles``, as (x, y) arrays."""
    out, cur, key = [], None, None
    for r in rows:
        if r["panel"] != panel or r["role"] not in roles:
            continue
        k = (r["series"], r["role"], r["label"])
        if k != key:
            cur = ([], [])
            out.append(cur)
            key = k
        cur[0].append(r["x"])
        cur[1].append(r["y"])
    return [(np.array(x), np.array(y)) for x, y in out]


def same(a, b):
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


LINE_ROLES = {"mean", "reference", "bound", "trace", "comparator", "step", "projected_step", "limit", "gamma",
              "zero", "fail"}


# -- the CSV holds exactly the numbers drawn --------------------------------------------------------------------
def test_csv_is_exactly_the_plotted_lines_and_bands(tmp_path):
    curves = synthetic_curves()
    bound = 5.0 * np.sqrt(T_GRID.astype(float))
    bound[:3] = np.inf  # not drawn: a bound whose hypotheses fail early
    p = plots.regret_figure(curves, bounds={"toy bound": bound}, band="bootstrap", n_boot=500)
    out = p.save(tmp_path / "fig.pdf")
    assert set(out) == {"pdf", "png", "csv"} and all(os.path.getsize(f) > 0 for f in out.values())
    rows = plots.read_csv(out["csv"])
    assert list(rows[0]) == list(pio.COLUMNS)
    assert set(p.axes) == {"regret", "regret_over_T", "regret_over_sqrtT"}
    for panel, ax in p.axes.items():
        drawn = lines_of(ax)
        written = csv_blocks(rows, panel, LINE_ROLES)
        assert len(drawn) == len(written) > 0
        for (dx, dy), (cx, cy) in zip(drawn, written):
            assert same(dx, cx) and same(dy, cy)
        # bands: every (t, lower) and (t, upper) in the CSV is a vertex of the drawn polygon, and vice versa
        lows = csv_blocks(rows, panel, {"band_lower"})
        highs = csv_blocks(rows, panel, {"band_upper"})
        assert len(ax.collections) == len(lows) == len(highs) == 2
        for coll, (lx, ly), (hx, hy) in zip(ax.collections, lows, highs):
            verts = np.concatenate([pth.vertices for pth in coll.get_paths()])
            drawn_pts = {(float(x), float(y)) for x, y in verts}
            for x, y in [*zip(lx, ly), *zip(hx, hy)]:
                if np.isfinite(y):
                    assert (x, y) in drawn_pts
    # the linear curve starts negative: a gap (nan) on the log axis, the value itself in R/T
    lin_log = [b for b in p.table.select(panel="regret", series="linear", role="mean")][0][5]
    lin_lin = [b for b in p.table.select(panel="regret_over_T", series="linear", role="mean")][0][5]
    mean_b = curves[1].values.mean(axis=0)
    assert np.isnan(lin_log[0]) and mean_b[0] < 0
    np.testing.assert_allclose(lin_lin, mean_b / T_GRID, rtol=1e-14)
    assert any("not drawn" in n for n in p.notes)
    # the bound: inf → nan (not drawn); elsewhere the values given
    b = p.table.select(panel="regret", role="bound")[0][5]
    assert np.all(np.isnan(b[:3])) and np.array_equal(b[3:], bound[3:])


def test_csv_numbers_round_trip_exactly(tmp_path):
    vals = np.array([[0.1, 1 / 3, 2.0 ** -40, 1e300, 7.0]])
    t = np.array([1, 2, 3, 4, 5])
    p = plots.regret_curve([("c", t, vals)], normalize="sqrtT", band=None)
    out = p.save(tmp_path / "r.png", formats=["png"])
    rows = [r for r in plots.read_csv(out["csv"]) if r["role"] == "mean"]
    np.testing.assert_array_equal([r["y"] for r in rows], vals[0] / np.sqrt(t))
    assert [r["x"] for r in rows] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_band_se_and_bootstrap():
    c = synthetic_curves(S=6)[0]
    p = plots.regret_curve(c, normalize="T", band="se")
    mean = p.table.select(role="mean")[0][5]
    hi = p.table.select(role="band_upper")[0][5]
    lo = p.table.select(role="band_lower")[0][5]
    v = c.values / T_GRID  # independent: s/√S with the sample standard deviation
    se = np.sqrt(((v - v.mean(0)) ** 2).sum(0) / (v.shape[0] - 1)) / np.sqrt(v.shape[0])
    np.testing.assert_allclose(hi - mean, se, rtol=1e-12)
    np.testing.assert_allclose(mean - lo, se, rtol=1e-12)
    b1 = plots.regret_curve(c, band="bootstrap", boot_seed=3).table.select(role="band_upper")[0][5]
    b2 = plots.regret_curve(c, band="bootstrap", boot_seed=3).table.select(role="band_upper")[0][5]
    b3 = plots.regret_curve(c, band="bootstrap", boot_seed=4).table.select(role="band_upper")[0][5]
    assert np.array_equal(b1, b2) and not np.array_equal(b1, b3)
    # a 95 % percentile interval of the mean lies within the range of the seed values
    assert np.all(b1 <= c.values.max(0)) and np.all(b1 >= c.values.mean(0))
    one = plots.regret_curve(("one", T_GRID, c.values[:1]), band="se")
    assert not one.table.select(role="band_upper") and len(one.axes["regret"].collections) == 0


# -- the fitted exponent ---------------------------------------------------------------------------------------
def test_fitted_exponent_matches_polyfit_and_legend():
    curves = synthetic_curves(S=4, seed=7)
    p = plots.regret_curve(curves, fit_tail=0.05)
    legend = [txt.get_text() for txt in p.axes["regret"].get_legend().get_texts()]
    t = T_GRID.astype(np.float64)
    for c in curves:
        m = c.values.mean(axis=0)
        tail = (t >= 0.05 * t[-1]) & (m > 0)  # the checkpoints T' ≥ fit_tail·T (regret.analysis's tail)
        ref = np.polyfit(np.log(t[tail]), np.log(m[tail]), 1)[0]
        fit = p.fits[c.label]
        assert fit["n"] == tail.sum() and fit["slope"] == pytest.approx(ref, abs=1e-12)
        shown = [s for s in legend if s.startswith(c.label + ":")]
        assert len(shown) == 1
        assert float(re.search(r"T\^\{(-?[0-9.]+)\}", shown[0]).group(1)) == float(f"{ref:.2f}")
    # exact power laws: the slope is the exponent (closed form)
    for pw in (0.5, 1.0, 0.25):
        f = plots.fit_exponent(t, 3.0 * t ** pw)
        assert f["slope"] == pytest.approx(pw, abs=1e-12) and f["intercept"] == pytest.approx(np.log(3.0), abs=1e-10)
    assert plots.fit_exponent([1, 2], [1.0, 2.0]) is None  # fewer than 3 points


def test_reference_slopes_have_slopes_half_and_one():
    p = plots.regret_curve(synthetic_curves())
    (sx, sy), = [(b[4], b[5]) for b in p.table.select(role="reference", series="c*sqrt(T)")]
    (lx, ly), = [(b[4], b[5]) for b in p.table.select(role="reference", series="c*T")]
    assert np.log(sy[1] / sy[0]) / np.log(sx[1] / sx[0]) == pytest.approx(0.5)
    assert np.log(ly[1] / ly[0]) / np.log(lx[1] / lx[0]) == pytest.approx(1.0)


# -- determinism -----------------------------------------------------------------------------------------------
def _render_all(path, formats=("pdf", "png"), companions=True):
    p = plots.regret_figure(synthetic_curves(), band="bootstrap", bounds={"b": lambda t: 4 * np.sqrt(t)},
                            companions=companions)
    return p.save(path, formats=list(formats))


def test_two_renders_are_byte_identical(tmp_path):
    a = _render_all(tmp_path / "a.pdf", ("pdf", "svg"), companions=False)
    b = _render_all(tmp_path / "b.pdf", ("pdf", "svg"), companions=False)
    for fmt in ("pdf", "svg", "csv"):
        assert open(a[fmt], "rb").read() == open(b[fmt], "rb").read(), fmt
    pdf = open(a["pdf"], "rb").read()
    assert b"CreationDate" not in pdf and b"Matplotlib" not in pdf


def test_renders_in_separate_processes_are_byte_identical(tmp_path):
    """Two fresh processes with different hash seeds (set iteration order must not leak into files)."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from test_plots import _render_all
        _render_all(sys.argv[1])
    """)
    outs = [tmp_path / "p0.pdf", tmp_path / "p1.pdf"]
    procs = [subprocess.Popen([sys.executable, "-c", script, str(stem)],
                              env=dict(os.environ, PYTHONHASHSEED=hashseed))
             for stem, hashseed in zip(outs, ("1", "12345"))]
    assert [pr.wait(timeout=300) for pr in procs] == [0, 0]
    for fmt in ("pdf", "png", "csv"):
        a = open(outs[0].with_suffix("." + fmt), "rb").read()
        b = open(outs[1].with_suffix("." + fmt), "rb").read()
        assert a == b, fmt
    png = open(outs[0].with_suffix(".png"), "rb").read()
    assert b"Software" not in png and b"matplotlib" not in png.lower()


# -- composition with a user's Axes ---------------------------------------------------------------------------
def test_ax_composition():
    fig = Figure(figsize=(7, 5))
    a0, a1, a2, a3 = fig.subplots(2, 2).ravel()
    a0.plot([1, 2], [3, 4], label="mine")
    a0.set_title("user panel")
    p = plots.regret_curve(synthetic_curves(), ax=a1, normalize="sqrtT")
    assert p.figure is fig and p.axes["regret_over_sqrtT"] is a1
    assert len(a0.get_lines()) == 1 and a0.get_title() == "user panel"
    assert len(a1.get_lines()) == 2 and a1.get_xscale() == "log" and a1.get_yscale() == "linear"
    t = np.arange(1, 101)
    g = np.sin(t)[:, None] * np.array([[1.0, 2.0]])
    q = plots.gamma_audit(t, g, ax=a2, label="x")
    assert q.figure is fig and q.axes["gamma"] is a2
    # failing rounds: where the smallest entry is negative (computed independently here)
    fails = q.table.select(role="fail")[0][4]
    assert np.array_equal(fails, t[np.minimum(np.sin(t), 2 * np.sin(t)) < 0])
    # a second audit on the same Axes keeps the first
    plots.gamma_audit(t, np.cos(t), ax=a2, label="y", index=1)
    assert len(a2.get_lines()) == 6
    # the user's figure saves through the same writer
    table = plots.PlotTable()
    table.extend(p.table)
    table.extend(q.table)
    data = pio.render(fig, "png")
    assert data == pio.render(fig, "png")


def test_figure_widths_and_styles():
    p1 = plots.regret_figure(synthetic_curves(), companions=False)
    p3 = plots.regret_figure(synthetic_curves())
    assert p1.figure.get_size_inches()[0] == pytest.approx(3.25)
    assert p3.figure.get_size_inches()[0] == pytest.approx(6.75)
    st = [plots.style.series_style(i) for i in range(8)]
    # distinct in grayscale: no two of the first eight share a line style or a marker
    assert len({repr(s["linestyle"]) for s in st}) == 8 and len({s["marker"] for s in st}) == 8
    # Okabe & Ito (2008) colours, in hex as published
    assert set(plots.style.PALETTE) == {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                                        "#CC79A7", "#000000"}
    # text is set in the paper style's sizes, whatever the user's rcParams
    ax = p3.axes["regret"]
    assert ax.xaxis.label.get_fontsize() == 8


# -- traces from a real run ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reddi_runs():
    prob = regret.problem("reddi", C=3)
    adam = regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt", bias_correction=False)
    sgd = regret.optimizer("sgd", alpha=0.5, schedule="sqrt")
    return [regret.run(o, prob, T=3000, record_iterates=True) for o in (adam, sgd)]


def test_iterate_traces_and_decimation(reddi_runs, tmp_path):
    r = reddi_runs[0]
    p = plots.iterate_traces(r, max_points=200)
    ax = p.axes["iterates"]
    (tx, ty), (cx, cy) = lines_of(ax)
    assert tx.size <= 202 and tx[0] == 1 and tx[-1] == r.T + 1
    X = r.iterates[0, :, 0]
    np.testing.assert_array_equal(ty, X[tx.astype(int) - 1])  # the points drawn are iterates
    assert ty.min() == X.min() and ty.max() == X.max()  # the envelope keeps the extremes
    assert np.all(cy == r.x_star[0, -1, 0])
    full = plots.iterate_traces(r, max_points=None)
    assert lines_of(full.axes["iterates"])[0][0].size == r.T + 1
    out = p.save(tmp_path / "tr.png", formats=["png"])
    rows = plots.read_csv(out["csv"])
    for (dx, dy), (wx, wy) in zip(lines_of(ax), csv_blocks(rows, "iterates", LINE_ROLES)):
        assert same(dx, wx) and same(dy, wy)


def test_projected_step_agrees_with_engine_when_nothing_is_projected():
    """SGD on linear losses inside a large box: no projection, so the per-round step from the iterates
    (a second method) must reproduce the engine's running max of |Δ_t|/α_t at every checkpoint."""
    r = regret.run(regret.optimizer("sgd", alpha=1e-3, schedule="sqrt"), regret.problem("linear", d=3),
                   T=500, record_iterates=True, comparator=False)
    assert np.all(np.abs(r.iterates) < 0.5)  # never near the boundary of [−1, 1]^3
    step = plots.projected_step(r)
    running = np.maximum.accumulate(step)[r.checkpoints - 1]
    np.testing.assert_allclose(running, r.step_ratio[0], rtol=1e-12)
    p = plots.effective_step(r, per_round=True, bound=1.0)
    roles = [b[3] for b in p.table.blocks]
    assert roles == ["projected_step", "step", "limit"]


def test_gamma_audit_of_a_regret_audit():
    """The panel of a regret.theory.audit.GammaAudit marks exactly the audit's failing rounds."""
    from regret.theory import audit

    opt = regret.optimizer("adam", alpha=0.5, beta1=0.0, beta2=0.1, schedule="sqrt", bias_correction=False)
    run = regret.run(opt, regret.problem("reddi", C=3), T=300, seeds=2, record_state=True, comparator=False)
    a = audit.gamma(run)
    assert a.failures > 0
    p = plots.gamma_audit_of(a, max_points=None, max_markers=10_000, series="adam")
    fail = p.table.select(role="fail")[0]
    np.testing.assert_array_equal(fail[4], a.failing_rounds)
    line = p.table.select(role="gamma")[0]
    np.testing.assert_array_equal(line[4], np.arange(2, 301))
    np.testing.assert_array_equal(line[5], a.gamma.min(axis=(0, 2)))
    legend = [x.get_text() for x in p.axes["gamma"].get_legend().get_texts()]
    assert any(f"at {a.failing_rounds.size} rounds" in x for x in legend)
    with pytest.raises(InvalidInput, match="audit"):
        plots.gamma_audit_of(np.zeros(3))


def test_traces_figure_and_effective_step_csv(reddi_runs, tmp_path):
    p = plots.traces_figure(reddi_runs, bound={"K&B": 1.0})
    assert set(p.axes) == {"iterates[adam]", "effective_step[adam]", "iterates[sgd]", "effective_step[sgd]"}
    out = p.save(tmp_path / "t.pdf", formats=["pdf"])
    rows = plots.read_csv(out["csv"])
    for panel, ax in p.axes.items():
        for (dx, dy), (wx, wy) in zip(lines_of(ax), csv_blocks(rows, panel, LINE_ROLES), strict=True):
            assert same(dx, wx) and same(dy, wy)


def test_plot_runs_writes_pdf_png_csv(reddi_runs, tmp_path):
    out = plots.plot_runs(reddi_runs, tmp_path / "runs.pdf")
    assert sorted(out) == ["csv", "pdf", "png"]
    assert open(out["pdf"], "rb").read(5) == b"%PDF-" and open(out["png"], "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    rows = [r for r in plots.read_csv(out["csv"]) if r["panel"] == "regret" and r["role"] == "mean"]
    adam = np.array([r["y"] for r in rows if r["series"] == "adam"])
    np.testing.assert_array_equal(adam, reddi_runs[0].regret[0])  # one seed: the mean is the run
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")]


def test_duplicate_optimizer_names_get_distinct_labels():
    prob = regret.problem("reddi", C=3)
    rs = [regret.run(regret.optimizer("sgd", alpha=a, schedule="sqrt"), prob, T=200) for a in (0.1, 0.5)]
    p = plots.regret_curve(rs)
    assert set(p.fits) == {"sgd alpha=0.1", "sgd alpha=0.5"}


# -- bad input ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, field", [
    ({"band": "sd"}, "band"),
    ({"level": 2.0}, "level"),
    ({"n_boot": 5}, "n_boot"),
    ({"normalize": "log"}, "normalize"),
    ({"fit_tail": 0.0}, "fit_tail"),
    ({"ax": "axes"}, "ax"),
    ({"bounds": {"b": np.ones(3)}}, "bound 'b': values"),
    ({"width": "triple"}, "width"),
])
def test_bad_curve_options(kwargs, field):
    with pytest.raises(InvalidInput) as e:
        plots.regret_curve(synthetic_curves(), **kwargs)
    assert e.value.field == field


@pytest.mark.parametrize("args, field", [
    (("c", [1, 2, 3], [[1.0, 2.0]]), "c: values"),
    (("c", [1, 3, 2], [1.0, 2.0, 3.0]), "c: t"),
    (("c", [0, 1, 2], [1.0, 2.0, 3.0]), "c: t"),
    (("c", [1, 2, 3], [1.0, np.nan, 3.0]), "c: values"),
    (("", [1, 2], [1.0, 2.0]), "label"),
])
def test_bad_curves(args, field):
    with pytest.raises(InvalidInput) as e:
        plots.Curve(*args)
    assert e.value.field == field


def test_bad_inputs_elsewhere(reddi_runs, tmp_path, monkeypatch):
    with pytest.raises(InvalidInput, match="labels"):
        plots.regret_curve([("a", [1, 2], [1.0, 2.0]), ("a", [1, 2], [1.0, 3.0])])
    with pytest.raises(InvalidInput, match="results"):
        plots.regret_curve([])
    no_cmp = regret.run("sgd", regret.problem("reddi", C=3), T=50, comparator=False)
    with pytest.raises(InvalidInput, match="comparator=True"):
        plots.regret_curve(no_cmp)
    no_it = regret.run("sgd", regret.problem("reddi", C=3), T=50)
    with pytest.raises(InvalidInput, match="record_iterates"):
        plots.iterate_traces(no_it)
    with pytest.raises(InvalidInput, match="coords"):
        plots.iterate_traces(reddi_runs[0], coords=[1])
    with pytest.raises(InvalidInput, match="seed"):
        plots.iterate_traces(reddi_runs[0], seed=9)
    with pytest.raises(InvalidInput, match="bound"):
        plots.effective_step(reddi_runs, bound=-1.0)
    t = np.arange(1, 11)
    with pytest.raises(InvalidInput, match="gamma"):
        plots.gamma_audit(t, np.ones(9))
    with pytest.raises(InvalidInput, match="fails"):
        plots.gamma_audit(t, np.ones(10), fails=np.ones(10))
    with pytest.raises(InvalidInput, match="max_points"):
        plots.iterate_traces(reddi_runs[0], max_points=2)
    p = plots.regret_curve(synthetic_curves())
    with pytest.raises(InvalidInput, match="path"):
        p.save(tmp_path / "x.jpg")
    with pytest.raises(InvalidInput, match="formats"):
        p.save(tmp_path / "x.pdf", formats=["bmp"])
    with pytest.raises(InvalidInput, match="existing directory"):
        p.save(tmp_path / "missing" / "x.pdf")
    # PGF needs TeX for text metrics: without one, a clear error and nothing written (all or nothing)
    monkeypatch.setattr(pio.shutil, "which", lambda name: None)
    with pytest.raises(InvalidInput, match="TeX"):
        p.save(tmp_path / "y.pdf", pgf=True)
    with pytest.raises(InvalidInput, match="usetex"):
        plots.regret_curve(synthetic_curves(), usetex=True)
    assert not [f for f in os.listdir(tmp_path) if f.startswith("y.") or f.startswith(".tmp-")]


def test_envelope_indices():
    from regret.plots.base import envelope_indices

    rng = np.random.default_rng(1)
    y = rng.standard_normal(10_000)
    idx = envelope_indices(y, 100)
    assert idx.size <= 102 and idx[0] == 0 and idx[-1] == y.size - 1 and np.all(np.diff(idx) > 0)
    assert y[idx].min() == y.min() and y[idx].max() == y.max()
    # each of the 50 buckets keeps its own minimum and maximum
    for seg in np.array_split(np.arange(y.size), 50):
        assert seg[np.argmin(y[seg])] in idx and seg[np.argmax(y[seg])] in idx
    x = np.arange(1, y.size + 1)
    idx_log = envelope_indices(y, 100, x, log=True)
    assert np.all(np.isin(np.arange(10), idx_log))  # early rounds kept on a log axis
    assert np.array_equal(envelope_indices(y[:50], 100), np.arange(50))


def test_pgf_render_passes_only_what_matplotlibs_pgf_backend_accepts(monkeypatch):
    """PGF needs TeX, which CI does not have: check instead that render() hands the PGF backend only
    keywords its writer takes (it once passed metadata=None, which the backend rejects with a
    TypeError: found by compiling a `regret plot --pgf` figure with pdflatex)."""
    import inspect

    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pgf import FigureCanvasPgf

    from regret.plots import io as pio

    accepted = inspect.signature(FigureCanvasPgf._print_pgf_to_fh)
    seen = {}

    def fake_savefig(buf, **kwargs):
        seen.update(kwargs)
        fmt = kwargs.pop("format")
        kwargs.pop("dpi", None)
        accepted.bind(None, buf, **kwargs)  # raises TypeError on a keyword the writer does not take
        buf.write(fmt.encode())

    monkeypatch.setattr(pio, "check_pgf", lambda: None)
    fig = plt.figure()
    monkeypatch.setattr(fig, "savefig", fake_savefig)
    assert pio.render(fig, "pgf") == b"pgf"
    assert seen == {"format": "pgf"}
    plt.close(fig)


# -- the figures the reports compose: sweeps, effective step against its bounds, panels side by side ------------
def test_sweep_figure_draws_means_bands_and_the_chosen_point(tmp_path):
    x = [0.01, 0.1, 1.0]
    per_seed = np.array([[3.0, 1.0, 2.0], [3.5, 1.5, 2.5]])
    panels = [plots.SweepPanel("grid", "T = 100", [plots.Sweep("adam", "Adam", per_seed, chosen=1),
                                                   plots.Sweep("sgd", "SGD", [4.0, 2.0, 0.5])])]
    p = plots.sweep_figure(x, panels, ylabel="loss")
    rows = plots.read_csv(p.save(tmp_path / "sweep.pdf")["csv"])
    drawn, written = lines_of(p.axes["grid"]), csv_blocks(rows, "grid", {"mean", "chosen"})
    assert len(drawn) == len(written) == 3  # Adam's mean, its chosen point, SGD
    for (dx, dy), (cx, cy) in zip(drawn, written):
        assert same(dx, cx) and same(dy, cy)
    np.testing.assert_array_equal(written[0][1], per_seed.mean(axis=0))
    assert written[1][0].tolist() == [0.1] and written[1][1].tolist() == [1.25]
    se = per_seed.std(axis=0, ddof=1) / np.sqrt(2)
    np.testing.assert_array_equal(csv_blocks(rows, "grid", {"band_lower"})[0][1], per_seed.mean(axis=0) - se)
    assert len(p.axes["grid"].collections) == 1  # one band: SGD has a single value per α
    with pytest.raises(InvalidInput, match="values"):
        plots.sweep_figure(x, [plots.SweepPanel("g", "t", [plots.Sweep("a", "A", [1.0, 2.0])])])


def test_step_bounds_figure_csv_is_the_drawn_lines(tmp_path):
    t = np.array([1, 10, 100])
    panels = [plots.StepPanel(f"beta2={b2}", f"b2 = {b2}",
                              [plots.StepSeries("adam", "Adam", t, np.array([1.0, 2.0, 2.5]),
                                                t, np.array([1.0, 3.0, 4.0]))],
                              plots.StepLimit(3.16, "stated bound $P$", (1, 100), series="P", label="stated bound P"))
              for b2 in (0.99, 0.999)]
    p = plots.step_bounds_figure(panels)
    rows = plots.read_csv(p.save(tmp_path / "steps.pdf")["csv"])
    assert set(p.axes) == {"beta2=0.99", "beta2=0.999"}
    for panel, ax in p.axes.items():
        drawn, written = lines_of(ax), csv_blocks(rows, panel, LINE_ROLES)
        assert len(drawn) == len(written) == 3
        for (dx, dy), (cx, cy) in zip(drawn, written):
            assert same(dx, cx) and same(dy, cy)
    assert [r["role"] for r in rows if r["panel"] == "beta2=0.99"] == ["step"] * 3 + ["bound"] * 3 + ["limit"] * 2
    assert {r["label"] for r in rows if r["role"] == "limit"} == {"stated bound P"}


def test_regret_panels_share_one_legend_without_fitted_exponents():
    curves = synthetic_curves()
    panels = [plots.RegretPanel(f"p{k}", f"panel {k}", [curves[k]], [plots.Bound("bound", 10 * np.sqrt(T_GRID))])
              for k in range(2)]
    p = plots.regret_panels(panels, legend_title="two panels")
    assert set(p.axes) == {"p0", "p1"}
    (legend,) = p.figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["slow", "bound"]
    assert legend.get_title().get_text() == "two panels"
    # the CSV keeps the fitted exponent of each panel's curve in its label
    assert all("∝ T^" in b[2] for b in p.table.select(role="mean"))  # as plain text


def test_figure_conventions_for_a_paper():
    """At 3.25 in (one column) the legend takes at most a quarter of the height even with many
    entries; the exponent's fit range is in the legend's title; the reference slopes lie below the
    curves over the fitted tail in dash patterns no series or bound uses; the CSV has each seed's own
    values and plain-text labels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    curves = [plots.Curve(f"opt{k}", T_GRID, np.vstack([(1 + 0.1 * k + 0.01 * s) * np.sqrt(T_GRID)
                                                       for s in range(3)]), legend=f"optimizer number {k}",
                          seeds=[10, 11, 12]) for k in range(7)]
    p = plots.regret_figure(curves, companions=False, bounds={"bound $\\frac{3}{2}GD\\sqrt{T}$": 40 * np.sqrt(T_GRID)})
    fig = p.figure
    assert fig.get_size_inches()[0] == pytest.approx(3.25)
    renderer = FigureCanvasAgg(fig).get_renderer()
    (legend,) = fig.legends
    assert legend.get_window_extent(renderer).height / fig.bbox.height <= 0.25
    fit = p.fits["opt0"]
    assert f"fitted on {int(fit['t_lo'])} ≤ T ≤ {int(fit['t_hi'])}" in legend.get_title().get_text()
    refs = p.table.select(role="reference")
    lowest = min(b[5][b[4] >= refs[0][4][0]].min() for b in p.table.select(role="mean"))
    assert all(b[5][0] == pytest.approx(lowest / 3) for b in refs)
    ax = p.axes["regret"]
    series_styles = {repr(s) for s in plots.style.LINESTYLES + plots.style.BOUND_LINESTYLES}
    ref_lines = [ln for ln in ax.get_lines() if ln.get_label() in (r"$c\sqrt{T}$", r"$cT$")]
    assert len(ref_lines) == 2 and all(ln.get_color() == plots.style.REFERENCE_COLOR for ln in ref_lines)
    assert {repr(s) for s in plots.style.REFERENCE_LINESTYLES}.isdisjoint(series_styles)
    seeds = p.table.select(series="opt3", role="seed=11")
    assert len(seeds) == 1 and np.allclose(seeds[0][5], (1.31) * np.sqrt(T_GRID))
    assert all("$" not in b[2] and "\\" not in b[2] for b in p.table.blocks)
    with pytest.raises(regret.InvalidInput, match="reference_style"):
        plots.regret_figure(curves, companions=False, reference_style={"linestyles": ("-", (0, (1, 4)))})
