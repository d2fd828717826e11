"""Issue 11, "nothing lost": every output path is checked before any work, the files of one command are
written together or not at all, a failure (or Ctrl-C, or SIGTERM) leaves no temporary file and every
earlier file as it was, outputs get the user's umask, and a report directory is swapped into place
atomically — safe against a concurrent writer, complete for every reader."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from regret import plots
from regret.cli import main
from regret.report import builder
from regret.report.builder import Report

RUN = ["run", "--optimizer", "amsgrad:alpha=0.5,beta1=0,beta2=0.1", "--problem", "reddi:C=3", "--T", "200"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable


def _temps(d) -> list[str]:
    return sorted(n for n in os.listdir(d) if n.startswith(".tmp"))


def _snapshot(d) -> dict:
    return {n: open(os.path.join(d, n), "rb").read() for n in sorted(os.listdir(d))
            if os.path.isfile(os.path.join(d, n))}


# -- item 1: data loss ------------------------------------------------------------------------------
def test_a_bad_plot_path_stops_the_command_before_it_replaces_the_saved_run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(RUN + ["--save", "results.npz", "--quiet"]) == 0
    first = (tmp_path / "results.npz").read_bytes()
    capsys.readouterr()
    other = ["run", "--optimizer", "amsgrad:alpha=0.1,beta1=0,beta2=0.1", "--problem", "reddi:C=3", "--T", "200"]
    assert main(other + ["--save", "results.npz", "--plot", "missing_dir/fig.pdf"]) == 2
    err = capsys.readouterr().err
    # one line, before the progress line (nothing ran), naming the option and the path
    assert err.splitlines() == [err.strip()] and err.startswith("regret: error: --plot='missing_dir/fig.pdf'"), err
    assert (tmp_path / "results.npz").read_bytes() == first
    assert sorted(os.listdir(tmp_path)) == ["results.npz"]


def test_the_outputs_of_one_command_are_committed_together_or_not_at_all(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "results.npz").write_bytes(b"the first run")
    real = os.replace

    def replace(src, dst, *a, **kw):  # the disk fills up when the last file (the CSV) is renamed
        if str(dst).endswith("fig.csv"):
            raise OSError(28, "No space left on device", str(src))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    assert main(RUN + ["--save", "results.npz", "--plot", "fig.pdf", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--plot='fig.csv'" in err and "No space left" in err, err
    assert sorted(os.listdir(tmp_path)) == ["results.npz"]  # no figure, no temporary
    assert (tmp_path / "results.npz").read_bytes() == b"the first run"  # put back


def test_regret_plot_leaves_no_figure_when_the_csv_cannot_be_written(tmp_path, monkeypatch):
    fig, ax = plots.base.new_figure(1, "single")
    table = plots.PlotTable()
    table.add("p", "s", "s", "mean", [1, 2], [1.0, 2.0])
    ax[0].plot([1, 2], [1.0, 2.0])
    (tmp_path / "fig.pdf").write_bytes(b"an earlier figure")
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda s, d, *a: (_ for _ in ()).throw(IsADirectoryError(21, "Is a directory", d))
                        if str(d).endswith(".csv") else real(s, d, *a))
    with pytest.raises(OSError):
        plots.save(fig, table, str(tmp_path / "fig.pdf"))
    assert sorted(os.listdir(tmp_path)) == ["fig.pdf"]
    assert (tmp_path / "fig.pdf").read_bytes() == b"an earlier figure"


def test_regret_plot_refuses_an_unwritable_csv_before_running(tmp_path, capsys):
    os.mkdir(tmp_path / "fig.csv")  # the CSV's name is taken by a directory
    assert main(["plot"] + RUN[1:] + ["--out", str(tmp_path / "fig.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out=" in err and "fig.csv" in err and "directory" in err, err
    assert sorted(os.listdir(tmp_path)) == ["fig.csv"]


def test_run_plot_writes_the_three_documented_files(tmp_path, capsys):
    assert main(RUN + ["--plot", str(tmp_path / "x.png"), "--quiet"]) == 0
    assert sorted(os.listdir(tmp_path)) == ["x.csv", "x.pdf", "x.png"]
    docs = open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8").read()
    assert "`--plot fig.png` writes fig.pdf, fig.png and fig.csv" in docs


def test_outputs_get_the_users_umask(tmp_path, capsys):
    old = os.umask(0o027)
    try:
        assert main(RUN + ["--save", str(tmp_path / "r.npz"), "--plot", str(tmp_path / "f.pdf"), "--quiet"]) == 0
    finally:
        os.umask(old)
    modes = {n: os.stat(tmp_path / n).st_mode & 0o777 for n in os.listdir(tmp_path)}
    assert modes == {"r.npz": 0o640, "f.pdf": 0o640, "f.png": 0o640, "f.csv": 0o640}


# -- item 2: SIGTERM --------------------------------------------------------------------------------
def _wait_for(stream, needle, proc, seconds=120):
    """Read ``stream`` line by line until a line contains ``needle``."""
    end = time.time() + seconds
    while time.time() < end:
        line = stream.readline()
        if needle in line:
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"{needle!r} never came (exit {proc.poll()})")


def test_sigterm_while_the_outputs_are_written_leaves_no_temporary(tmp_path):
    """A real process killed by SIGTERM in the middle of writing --save: the temporary is removed, the
    earlier results.npz is untouched, exit 143 with one line."""
    (tmp_path / "results.npz").write_bytes(b"the first run")
    script = textwrap.dedent("""
        import sys, time
        import numpy as np
        from regret.cli import main

        def slow_savez(fh, **arrays):  # half a file, then a pause long enough to be killed in
            fh.write(b"PK half a zip")
            fh.flush()
            print("writing", flush=True)
            time.sleep(120)

        np.savez_compressed = slow_savez
        sys.exit(main(sys.argv[1:]))
    """)
    proc = subprocess.Popen([PY, "-c", script] + RUN + ["--save", "results.npz", "--plot", "fig.pdf", "--quiet"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(proc.stdout, "writing", proc)
        assert _temps(tmp_path), "the temporary exists while it is written"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143 and err == "regret: terminated\n", (proc.returncode, err)
    assert sorted(os.listdir(tmp_path)) == ["results.npz"]
    assert (tmp_path / "results.npz").read_bytes() == b"the first run"


def test_sigterm_during_a_long_run_ends_it_at_once_with_nothing_written(tmp_path):
    """`python -m regret run --T 1e9 --save x.npz` killed during the run: it ends at once (the compiled
    loop is not waited for) and leaves no file."""
    proc = subprocess.Popen([PY, "-m", "regret", "run", "--optimizer", "adam", "--problem", "reddi", "--T", "1e9",
                             "--save", "x.npz"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        _wait_for(proc.stderr, "[1/1]", proc)  # the progress line: the run has started
        time.sleep(0.5)
        start = time.time()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert time.time() - start < 10
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGTERM
    assert os.listdir(tmp_path) == []


# -- item 2: concurrent report writers ------------------------------------------------------------
WRITER = textwrap.dedent("""
    import os, sys, time
    from regret.report.builder import Report

    root, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    open(os.path.join(root, "..", f"ready-{who}"), "w").close()
    while not os.path.exists(os.path.join(root, "..", "go")):
        time.sleep(0.005)
    for k in range(n):
        rep = Report("tiny", "Tiny", "q", "regret report tiny", progress=lambda m: None)
        rep.text(f"written by {who}, build {k}")
        rep.csv("numbers", ("k",), [[k]] * 200)
        rep.verdict("claim", "setting", "HOLDS", "evidence")
        rep.write(root, "shows", "does not show")
""")


def _read_report(target) -> str | None:
    """The report as a reader sees it: every file complete, or the failure."""
    try:
        readme = open(os.path.join(target, "README.md"), encoding="utf-8").read()
        meta = json.load(open(os.path.join(target, "metadata.json"), encoding="utf-8"))
        rows = open(os.path.join(target, "numbers.csv"), encoding="utf-8").read().splitlines()
        verdicts = open(os.path.join(target, "verdicts.csv"), encoding="utf-8").read()
    except (OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if "written by" not in readme or meta["report"] != "tiny" or len(rows) != 201 or "HOLDS" not in verdicts:
        return "incomplete"
    return None


def test_two_concurrent_writers_and_a_reader(tmp_path):
    root = tmp_path / "reports"
    root.mkdir()
    target = root / "tiny"
    procs = [subprocess.Popen([PY, "-c", WRITER, str(root), who, "150"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
    try:
        end = time.time() + 120
        while not all((tmp_path / f"ready-{w}").exists() for w in "ab"):
            assert time.time() < end and all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            time.sleep(0.01)
        (tmp_path / "go").touch()
        seen, failures = 0, []
        while any(p.poll() is None for p in procs):
            if seen or target.exists():  # from the first write on, the report never disappears
                problem = _read_report(target)
                if problem:
                    failures.append(problem)
                seen += 1
            time.sleep(0.0002)  # leave the two cores to the writers
        results = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            p.kill()
    assert [p.returncode for p in procs] == [0, 0], results
    assert failures == [], failures[:5]
    assert seen > 0 and _read_report(target) is None
    assert _temps(root) == []


def test_writers_without_an_atomic_exchange_still_both_succeed(tmp_path, monkeypatch):
    """Where renameat2(RENAME_EXCHANGE) is missing, the fallback (rename aside, rename into place, retry)
    lets concurrent writers both succeed and leaves one complete report and no temporary."""
    monkeypatch.setattr(builder, "_EXCHANGE", None)
    errors = []

    def write(who):
        try:
            for k in range(25):
                rep = Report("tiny", "Tiny", "q", "regret report tiny", progress=lambda m: None)
                rep.text(f"written by {who}, build {k}")
                rep.csv("numbers", ("k",), [[k]] * 200)
                rep.verdict("claim", "setting", "HOLDS", "evidence")
                rep.write(str(tmp_path), "shows", "does not show")
        except Exception as exc:  # noqa: BLE001 — the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _read_report(tmp_path / "tiny") is None and _temps(tmp_path) == []


def test_report_refuses_an_unusable_out_before_building(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["report", "reddi-2018", "--out", str(tmp_path / "file")]) == 2
    assert main(["report", "reddi-2018", "--out", str(tmp_path / "no" / "such")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(e.startswith("regret: error: --out=") for e in err), err
    assert os.listdir(tmp_path) == ["file"]
