"""Non-finite results are errors or clearly marked diverged runs, never numbers (issue 11).

* Data so large that Σ_t f_t overflows float64 on a bounded domain (rows of 1e308) are refused
  before anything runs (InvalidInput naming the field; the CLI: one line, exit 2, nothing on stdout).
* Every certificate computation is NaN-safe: a NaN or overflowing quantity gives a NaN certificate,
  never 0 (``max(0.0, nan)`` is 0.0), and a curve with a non-finite value or certificate raises
  NonFiniteComparator naming the checkpoint.
* The first-order comparator rejects a stalled solve whose certificate stays above the cvxpy route's
  REJECT_RTOL·max(1, |F|) after the cvxpy fallback.
* A learner whose loss stops being finite is a diverged run: ``diverged``, ``diverged_at``, regret
  NaN from there on, ``summary()["status"]`` "diverged at T'=…".
"""
import json
import math

import numpy as np
import pytest

import regret
from regret import domains
from regret.cli import main
from regret.comparator import ComparatorCurve, certificates as C, first_order_curve, linear_closed_form, smooth
from regret.comparator.cvx import _certify
from regret.comparator.nonsmooth import best_dual_bound, dual_bound
from regret.comparator.objective import Block
from regret.comparator.solvers import REJECT_RTOL, run_solvers
from regret.errors import InvalidInput, NonFiniteComparator, SolverFailure
from regret.problems import from_arrays
from regret.problems.adversary import Adversary

BIG = np.full((4, 2), 1e308)  # issue 11, repro 1: ⟨a, x⟩ on the box overflows (R = inf, F* = −inf, cert 0)
ALTERNATING = np.array([[1e308], [-1e308]] * 3)  # repro 2: each f_t finite, Σ_t f_t overflows ("nan ± 0")


# -- the two repros: refused up front -------------------------------------------------------------
@pytest.mark.parametrize("A", [BIG, ALTERNATING], ids=["1e308 rows", "alternating ±1e308 rows"])
def test_overflowing_data_are_refused_by_from_arrays(A):
    with pytest.raises(InvalidInput) as err:
        from_arrays("linear", domains.box(A.shape[1], -1.0, 1.0), A)
    assert err.value.field == "A" and "1e+308" in str(err.value)


def test_overflowing_targets_name_b():
    # least squares: ½(⟨a, x⟩ − b)² with b = 1e200 overflows whatever x is
    with pytest.raises(InvalidInput) as err:
        from_arrays("least_squares", domains.ball(2, 1.0), np.ones((3, 2)), np.full(3, 1e200))
    assert err.value.field == "b"


def test_the_scale_check_counts_rounds_and_leaves_ordinary_data_alone():
    A = np.full((2, 1), 1e299)
    from_arrays("linear", domains.box(1), A)  # |Σ f_t| ≤ 2e299: representable
    with pytest.raises(InvalidInput):
        from_arrays("linear", domains.box(1), A, idx=np.zeros(100, dtype=np.int64))  # 1e301 over 100 rounds
    inst = from_arrays("least_squares", domains.ball(3, 10.0), np.ones((5, 3)), np.ones(5))
    assert inst.T == 5


def _npz(tmp_path, A, name):
    path = tmp_path / f"{name}.npz"
    np.savez(path, A=A, family=np.array("linear"), domain=np.array("box"))
    return str(path)


@pytest.mark.parametrize("A", [BIG, ALTERNATING], ids=["1e308 rows", "alternating ±1e308 rows"])
@pytest.mark.parametrize("fmt", [[], ["--json"]], ids=["table", "json"])
def test_cli_refuses_overflowing_data_with_one_line_exit_2(A, fmt, tmp_path, capsys):
    path = _npz(tmp_path, A, "big")
    code = main(["run", "--optimizer", "sgd", "--problem", f"npz:path={path}", "--T", str(A.shape[0]),
                 "--quiet"] + fmt)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert out == ""  # no table, no regret, no certificate
    assert err.count("\n") == 1 and err.startswith("regret: error: A='entries up to 1e+308 in magnitude' is invalid")
    assert "R(T) would be inf or NaN" in err


# -- certificates: NaN in, NaN out (never 0) --------------------------------------------------------
BOX = domains.box(2, -1.0, 1.0)
NAN_G = np.array([np.nan, 0.0])


def test_nonneg_never_turns_nan_into_zero():
    assert C.nonneg(-1e-17) == 0.0 and C.nonneg(2.0) == 2.0
    assert math.isnan(C.nonneg(math.nan)) and math.isnan(C.nonneg(-math.inf))
    assert C.nonneg(math.inf) == math.inf
    assert max(0.0, math.nan) == 0.0  # the pitfall these replace


@pytest.mark.parametrize("dom", [BOX, domains.ball(2, 1.0), domains.simplex(2, 1.0), domains.unbounded(2)],
                         ids=["box", "ball", "simplex", "unbounded"])
def test_fw_gap_of_a_nan_gradient_is_nan(dom):
    x = dom.default_start() if dom.bounded else np.zeros(2)
    assert math.isnan(C.fw_gap(dom, x, NAN_G))


def test_fw_gap_that_overflows_is_not_a_finite_number():
    g = np.array([1e308, 1e308])
    assert not math.isfinite(C.fw_gap(BOX, np.ones(2), g))  # ⟨g, x − s⟩ = 4e308


@pytest.mark.parametrize("dom", [BOX, domains.unbounded(2)], ids=["box", "unbounded"])
def test_strong_convexity_gap_and_gap_of_a_nan_gradient_are_nan(dom):
    x = np.zeros(2)
    assert math.isnan(C.strong_convexity_gap(dom, x, NAN_G, 1.0))
    assert math.isnan(C.gap(dom, x, NAN_G, 1.0))
    assert math.isnan(C.gap(dom, x, NAN_G, 0.0))


def test_gap_is_nan_whichever_of_its_two_bounds_is_nan():
    # a NaN point: the FW gap is NaN; Python's min(fw, sc) would depend on the order
    x = np.array([np.nan, 0.0])
    assert math.isnan(C.gap(BOX, x, np.array([1.0, 1.0]), 1.0))


def test_min_linear_plus_ridge_of_nan_or_overflow_is_nan():
    assert math.isnan(C.min_linear_plus_ridge(BOX, NAN_G, 0.0))
    assert math.isnan(C.min_linear_plus_ridge(BOX, NAN_G, 1.0))
    assert math.isnan(C.min_linear_plus_ridge(BOX, np.array([1e308, 1e308]), 1.0))  # −2e308 overflows


def test_within_is_false_for_non_finite_certificates_and_values():
    assert C.within(1e-10, 1.0, 1e-9)
    assert not C.within(math.nan, 1.0, 1e-9) and not C.within(math.inf, 1.0, 1e-9)
    assert not C.within(0.0, math.nan, 1e-9) and not C.within(0.0, -math.inf, 1e-9)


def test_dual_bounds_of_nan_multipliers_are_nan_and_nan_candidates_are_left_out():
    A, b, c = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0]), np.ones(2)
    u_nan = np.array([np.nan, 1.0])
    assert math.isnan(dual_bound("hinge", A, b, c, u_nan, BOX, 0.0))
    assert math.isnan(dual_bound("absolute", A, b, c, u_nan, BOX, 0.0))
    # at a point with every margin at the kink no candidate is snapped: NaN, never a bound
    x_kink = np.array([1.0, -1.0])  # 1 − b⟨a, x⟩ = 0 on both rows
    assert math.isnan(best_dual_bound("hinge", A, b, c, u_nan, x_kink, BOX, 0.0))
    # away from the kinks the snapped multipliers are numbers: a valid bound, whatever order
    x = np.zeros(2)  # margins 1: u = c
    lb = best_dual_bound("hinge", A, b, c, u_nan, x, BOX, 0.0)
    assert math.isfinite(lb) and lb <= 2.0 + 1e-12  # F* ≤ F(0) = 2


def test_cvx_certify_of_a_nan_point_is_nan_not_zero():
    inst = from_arrays("hinge", BOX, np.eye(2), np.array([1.0, -1.0]))
    block = Block(inst.family, inst.A, inst.b, np.ones(2))
    f, cert = _certify(inst, block, np.array([np.nan, 0.0]), None, block.n)
    assert math.isnan(cert)  # was max(0.0, nan − lb) = 0.0


def test_run_solvers_never_accepts_a_nan_certificate():
    import cvxpy as cp

    x = cp.Variable(2)
    prob = cp.Problem(cp.Minimize(cp.sum_squares(x - 0.5)), [x >= -1, x <= 1])
    with pytest.raises(SolverFailure, match="not finite"):
        run_solvers(prob, x, False, BOX, lambda xh: (math.nan, math.nan), "test problem")
    with pytest.raises(SolverFailure, match="not finite"):
        run_solvers(prob, x, False, BOX, lambda xh: (0.5, math.inf), "test problem")


def test_a_curve_with_a_non_finite_value_or_certificate_raises_naming_the_checkpoint():
    cps = np.array([3, 7])
    ok = np.array([1.0, 2.0])
    with pytest.raises(NonFiniteComparator, match=r"T'=7.*-inf") as err:
        ComparatorCurve(cps, np.array([1.0, -np.inf]), np.zeros((2, 1)), ok, method="test")
    assert err.value.checkpoint == 7 and isinstance(err.value, SolverFailure)
    with pytest.raises(NonFiniteComparator, match=r"T'=3.*certificate.*nan"):
        ComparatorCurve(cps, ok, np.zeros((2, 1)), np.array([np.nan, 0.0]), method="test")


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_closed_form_on_overflowing_rows_raises_instead_of_certificate_0():
    # the rows an adversary writes are not validated up front: overwrite a valid instance's rows
    inst = from_arrays("linear", BOX, np.ones((4, 2)))
    inst.A[:] = 1e308
    with pytest.raises(NonFiniteComparator, match=r"T'=1"):
        linear_closed_form(inst, np.array([1, 2, 4]))


# -- the first-order route rejects a stalled solve --------------------------------------------------
def _stall(monkeypatch):
    monkeypatch.setattr(smooth, "NEWTON_MAXIT", 0)
    monkeypatch.setattr(smooth, "SPG_MAXIT", 0)


def _logistic():
    return regret.problem("logistic", d=3).instance(T=200, seed=0)


def test_a_stalled_first_order_solve_falls_back_to_cvxpy(monkeypatch):
    _stall(monkeypatch)
    inst = _logistic()
    curve = first_order_curve(inst, np.array([50, 200]))
    assert "cvxpy at 2 checkpoints" in curve.solver
    assert np.all(curve.certificate <= REJECT_RTOL * np.maximum(1.0, np.abs(curve.value)))


def test_a_stalled_first_order_solve_without_fallback_is_rejected(monkeypatch):
    from regret.comparator import cvx

    _stall(monkeypatch)

    def no_cvxpy(self):
        raise SolverFailure("cvxpy: no solver (test)")

    monkeypatch.setattr(cvx.CvxCurve, "solve", no_cvxpy)
    with pytest.raises(SolverFailure, match=r"first-order comparator at T'=50 .*certificate .* > 0.0001"):
        first_order_curve(_logistic(), np.array([50, 200]))


def test_an_unstalled_first_order_solve_is_unaffected(monkeypatch):
    from regret.comparator import cvx

    def no_cvxpy(self):
        raise AssertionError("the fallback is not needed")

    monkeypatch.setattr(cvx.CvxCurve, "solve", no_cvxpy)
    curve = first_order_curve(_logistic(), np.array([50, 200]))
    assert np.all(curve.certificate <= 1e-6 * np.maximum(1.0, np.abs(curve.value)))


# -- a learner that diverges ------------------------------------------------------------------------
def _exploding(T=400):
    """½(x − 1)² on R, SGD with α = 10: x_{t+1} − 1 = −9(x_t − 1), the loss overflows near t = 163."""
    return from_arrays("least_squares", domains.unbounded(1), np.ones((1, 1)), np.ones(1),
                       idx=np.zeros(T, dtype=np.int64))


@pytest.mark.parametrize("record_losses", [True, False])
def test_a_diverged_run_is_marked_and_its_regret_is_nan(record_losses):
    cps = np.array([10, 100, 200, 400])
    res = regret.run(regret.optimizer("sgd", alpha=10.0), _exploding(), T=400, checkpoints=cps,
                     record_losses=record_losses)
    assert res.diverged.tolist() == [True]
    at = int(res.diverged_at[0])
    assert (100 < at <= 200) if record_losses else at == 200
    if record_losses:
        assert np.isfinite(res.losses[0, :at - 1].sum()) and not np.isfinite(res.losses[0, :at].sum())
    R = res.regret[0]
    assert np.all(np.isfinite(R[:2])) and np.all(np.isnan(R[2:]))  # exact before, NaN (not ±inf) after
    assert np.all(np.isfinite(res.comparator_loss))  # the data's comparator is still well defined
    sm = res.summary()
    assert sm["status"] == f"diverged at T'={at} (seed 0)" and sm["diverged"] == [True]
    for key in ("regret", "regret_over_T", "regret_over_sqrt_T", "learner_loss"):
        assert all(math.isnan(x) for v in sm[key].values() for x in (v if isinstance(v, list) else [v])), key
    assert math.isnan(sm["regret_per_seed"][0])


def test_a_run_that_did_not_diverge_says_ok():
    res = regret.run(regret.optimizer("sgd", alpha=0.1), _exploding(), T=400)
    assert res.diverged.tolist() == [False] and res.diverged_at.tolist() == [0]
    assert res.summary()["status"] == "ok" and np.all(np.isfinite(res.regret))


def test_a_diverged_adversarial_run_gets_a_comparator_up_to_the_divergence():
    # the adversary writes its row from x_t: once x_t overflows its rows are inf/NaN, and no
    # comparator exists after that; attach_comparator must not crash
    def choose(t, x, params, state, A, b, row):
        A[row, 0] = x[0] + 1.0
        b[row] = 1.0

    adv = Adversary("grow", "least_squares", domains.unbounded(1), choose)
    res = regret.run(regret.optimizer("sgd", alpha=10.0), adv, T=200, checkpoints=np.array([2, 5, 200]))
    assert res.diverged.tolist() == [True]
    at = int(res.diverged_at[0])
    assert 5 < at <= 200
    assert np.all(np.isfinite(res.regret[0, :2])) and math.isnan(res.regret[0, 2])
    assert "undefined: the learner diverged" in res.comparator[0].method
    assert res.summary()["status"].startswith("diverged at T'=")


def test_cli_json_marks_a_diverged_run(tmp_path, capsys):
    path = tmp_path / "explode.npz"
    np.savez(path, A=np.ones((1, 1)), b=np.ones(1), family=np.array("least_squares"),
             domain=np.array("unbounded"), idx=np.zeros(400, dtype=np.int64))
    code = main(["run", "--optimizer", "sgd:alpha=10", "--problem", f"npz:path={path}", "--T", "400",
                 "--checkpoints", "8", "--quiet", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    def strict(token):  # JSON has no NaN or Infinity: a strict parser must read the output
        raise AssertionError(f"non-standard JSON token {token}")

    r = json.loads(out, parse_constant=strict)["results"][0]
    assert r["status"].startswith("diverged at T'=") and r["diverged"] == [True]
    for key in ("regret", "regret_over_T", "regret_over_sqrt_T", "learner_loss"):
        assert all(x is None for v in r[key].values() for x in (v if isinstance(v, list) else [v])), key  # null
    assert r["regret_per_seed"] == [None]


def test_cli_table_prints_the_status_of_a_diverged_run(tmp_path, capsys):
    """The table shows "diverged at T'=…" in the R(T) column, never "nan ± nan"."""
    path = tmp_path / "explode.npz"
    np.savez(path, A=np.ones((1, 1)), b=np.ones(1), family=np.array("least_squares"),
             domain=np.array("unbounded"), idx=np.zeros(400, dtype=np.int64))
    code = main(["run", "--optimizer", "sgd:alpha=10", "--optimizer", "sgd:alpha=0.1", "--problem",
                 f"npz:path={path}", "--T", "400", "--checkpoints", "8", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and "nan ±" not in out.lower()  # x_(T+1) itself may be nan: it is what was played
    diverged = next(line for line in out.splitlines() if line.startswith("sgd(alpha=10)"))
    fine = next(line for line in out.splitlines() if line.startswith("sgd(alpha=0.1)"))
    assert "diverged at T'=" in diverged and "diverged" not in fine
