"""`regret prove`: the table, --json, --list, -v, the exit status (0 only if all hold) and errors."""
import json
import textwrap

from regret.cli import main

FAST = "sum-inverse-sqrt"  # a fast proof of the real proofs/ directory


def _proof_dir(tmp_path, body_true=True, body_error=False):
    good = """
        import sympy as sp
        from regret.theory.proofs_runner import Proof

        def check(ctx):
            x = sp.Symbol("x")
            ctx.identity("square of a sum", (x + 1) ** 2, x ** 2 + 2 * x + 1)

        PROOF = Proof("toy-good", "(x+1)² = x² + 2x + 1", "algebra", check)
    """
    bad = """
        import sympy as sp
        from regret.theory.proofs_runner import Proof

        def check(ctx):
            x = sp.Symbol("x")
            ctx.identity("square of a sum, wrong", (x + 1) ** 2, x ** 2 + 1)

        PROOF = Proof("toy-bad", "(x+1)² = x² + 1", "nowhere", check)
    """
    err = """
        from regret.theory.proofs_runner import Proof

        def check(ctx):
            raise RuntimeError("cannot evaluate step 1")

        PROOF = Proof("toy-error", "raises", "nowhere", check)
    """
    (tmp_path / "good.py").write_text(textwrap.dedent(good))
    if not body_true:
        (tmp_path / "bad.py").write_text(textwrap.dedent(bad))
    if body_error:
        (tmp_path / "err.py").write_text(textwrap.dedent(err))
    return str(tmp_path)


def test_one_real_proof_table(capsys):
    assert main(["prove", FAST, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert FAST in out and "HOLDS" in out and "symbolic" in out and "1/1 proofs hold" in out


def test_json_schema(capsys):
    assert main(["prove", FAST, "--json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "regret.prove/1" and data["all_hold"] is True
    (p,) = data["proofs"]
    assert p["name"] == FAST and p["status"] == "HOLDS" and p["steps"] and p["citation"]
    assert all(s["holds"] for s in p["steps"])


def test_list_names_every_proof(capsys):
    assert main(["prove", "--list", "--json"]) == 0
    names = {p["name"] for p in json.loads(capsys.readouterr().out)["proofs"]}
    assert {"gamma-psd", "bias-correction", "reddi-theorem-1-mechanism", "kingma-ba-lemma-10.4"} <= names
    assert main(["prove", "--list"]) == 0
    assert "gamma-psd" in capsys.readouterr().out


def test_failing_proof_exits_1_and_names_the_step(tmp_path, capsys):
    d = _proof_dir(tmp_path, body_true=False)
    assert main(["prove", "--dir", d, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "toy-bad" in out and "FAILS" in out and "[FAIL]" in out and "square of a sum, wrong" in out
    assert "residual = 2*x" in out
    assert main(["prove", "--dir", d, "--json", "--quiet"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["all_hold"] is False
    bad = next(p for p in data["proofs"] if p["name"] == "toy-bad")
    assert bad["failed_steps"] == ["square of a sum, wrong"]
    assert main(["prove", "toy-good", "--dir", d, "--quiet"]) == 0


def test_error_proof_exits_1(tmp_path, capsys):
    d = _proof_dir(tmp_path, body_error=True)
    assert main(["prove", "--dir", d, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "cannot evaluate step 1" in out


def test_verbose_prints_steps(tmp_path, capsys):
    d = _proof_dir(tmp_path)
    assert main(["prove", "--dir", d, "-v", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "[ok  ] (symbolic) square of a sum" in out


def test_bad_input_exit_2(tmp_path, capsys):
    assert main(["prove", "no-such-proof"]) == 2
    err = capsys.readouterr().err
    assert "proof='no-such-proof'" in err and "gamma-psd" in err
    assert main(["prove", "--dir", str(tmp_path / "missing")]) == 2
    assert "proofs directory" in capsys.readouterr().err
