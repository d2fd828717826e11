"""The cvxpy solve ladder shared by the cvxpy route (:mod:`.cvx`) and the working set of the
non-smooth families (:mod:`.nonsmooth`: its QPs, and any LP/SOCP its direct HiGHS or Clarabel call
failed or did not certify): the installed solvers in a fixed order, each solution projected onto X
and certified with our own bound, the first certified optimum accepted.

Solver statuses other than ``optimal`` are never accepted; an ``infeasible`` verdict on a non-empty
domain is a solver failure; the next installed solver is tried (Clarabel, then ECOS, SCS, OSQP;
HiGHS first for pure LPs). If every solver fails, :class:`regret.errors.SolverFailure` is raised.
"""
from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
import warnings

import numpy as np

from ..errors import SolverFailure

SOLVER_OPTIONS = {
    "CLARABEL": dict(tol_gap_abs=1e-11, tol_gap_rel=1e-11, tol_feas=1e-11, max_iter=400),
    "ECOS": dict(abstol=1e-10, reltol=1e-10, feastol=1e-10, max_iters=400),
    "SCS": dict(eps_abs=1e-10, eps_rel=1e-10, max_iters=200000),
    "OSQP": dict(eps_abs=1e-10, eps_rel=1e-10, max_iter=400000, polish=True),
    "HIGHS": {"highs_options": {"output_flag": False}},
}
ACCEPT_RTOL = 1e-7  # stop trying solvers once the certificate is below this (relative)
REJECT_RTOL = 1e-4  # a solution certified no better than this is a failure


@functools.lru_cache(maxsize=None)
def installed_solvers() -> tuple:
    import cvxpy as cp

    return tuple(cp.installed_solvers())


@functools.lru_cache(maxsize=None)
def solver_order(lp: bool, large: bool = False) -> list[str]:
    """Installed solvers in the order tried: for LPs HiGHS's dual simplex first (exact vertices and
    multipliers) unless the LP is large (then Clarabel's interior point first: the simplex method
    needed 30 s for a 20 000-row hinge LP here, Clarabel 2.5 s)."""
    inst = set(installed_solvers())
    if lp:
        pref = ["CLARABEL", "HIGHS", "ECOS", "SCS"] if large else ["HIGHS", "CLARABEL", "ECOS", "SCS"]
    else:
        pref = ["CLARABEL", "ECOS", "SCS", "OSQP"]
    return [s for s in pref if s in inst]


@contextlib.contextmanager
def _quiet_stdout():
    """HiGHS prints its banner on stdout from C++ whatever the options; keep the CLI's stdout clean
    (a file-descriptor-level redirect for the duration of one solve)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            try:
                yield
            finally:
                os.dup2(saved, fd)
    finally:
        os.close(saved)


def run_solvers(problem, xvar, lp, dom, certify, what, large=False):
    """Solve ``problem`` with the installed solvers in order until one returns status optimal and a
    certificate ≤ ACCEPT_RTOL·max(1, |F|); ``certify(x̂) → (F(x̂), certificate)`` on the feasible x̂
    (the solver's point projected onto X). Returns (F, x̂, certificate, solver); raises SolverFailure
    when no solver gives a certified optimum (REJECT_RTOL). A point, value or certificate that is not
    finite is never accepted nor kept as the best so far."""
    import cvxpy as cp

    best, tried = None, []
    for solver in solver_order(lp, large):
        try:
            with warnings.catch_warnings(), (_quiet_stdout() if solver == "HIGHS" else contextlib.nullcontext()):
                warnings.simplefilter("ignore")
                problem.solve(solver=solver, **SOLVER_OPTIONS.get(solver, {}))
        except Exception as exc:  # unsupported problem class or a solver crash
            tried.append(f"{solver}: {exc.__class__.__name__}")
            continue
        if problem.status != cp.OPTIMAL or xvar.value is None:
            # "infeasible" on a non-empty domain is a solver failure as well
            tried.append(f"{solver}: {problem.status}")
            continue
        x = np.asarray(xvar.value, dtype=np.float64).reshape(-1)
        if dom.bounded:
            x = dom.project(x)
        if not np.all(np.isfinite(x)):
            tried.append(f"{solver}: a non-finite point")
            continue
        f, cert = certify(x)
        if not (math.isfinite(f) and math.isfinite(cert)):
            # never compared (NaN < anything is False) and never accepted
            tried.append(f"{solver}: F = {f!r}, certificate {cert!r} (not finite)")
            continue
        if best is None or cert < best[2]:
            best = (f, x, cert, solver)
        if cert <= ACCEPT_RTOL * max(1.0, abs(f)):
            break
        tried.append(f"{solver}: certificate {cert:.3g}")
    if best is None or not best[2] <= REJECT_RTOL * max(1.0, abs(best[0])):
        raise SolverFailure(f"{what}: no certified optimum ({'; '.join(tried) or 'no solver installed'})")
    return best


__all__ = ["run_solvers", "solver_order", "installed_solvers", "SOLVER_OPTIONS", "ACCEPT_RTOL", "REJECT_RTOL"]
