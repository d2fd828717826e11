"""Differential conformance of the compiled optimizer steps against torch.optim (CPU, float64).

Design: both implementations receive the SAME fixed
gradient sequence. On our side the losses are unconstrained linear, f_t(x) = ⟨a_t, x⟩ on R^d
(``regret.from_arrays("linear", regret.unbounded(d), A, x0=x0)``), so g_t = a_t whatever x_t is and
no projection happens; on torch's side ``p.grad = a_t`` then ``opt.step()``. Full iterate
trajectories x_1..x_{T+1} are compared, and the optimizer state where our engine exposes it
(``record_state=True`` → ``RunResult.vhat_history[t−1]`` = the state after the t-th update).

Torch is pinned to its single-tensor for-loop (``foreach=False``), the branch torch itself treats
as ground truth; every peer runs in float64.

Error measure. Each coordinate's trajectory is compared relative to its own scale:
    err = max_i max_t |x_ours[t,i] − x_torch[t,i]| / max_t |x_torch[t,i]|.
A pointwise relative error is meaningless where a trajectory crosses 0 (x_t = x_1 + Σ_s Δ_s is
rounded at the scale of |x|, not of the difference), and the normwise form is what an accumulation
of T roundings of size ulp(max|x|) predicts: about T·1.1e-16 ≈ 3e-14 at T = 300, so the tolerance
1e-12 leaves room for the ulp-level differences of torch's fused kernels (addcmul_/addcdiv_/lerp_
may round once where we round twice) and nothing more. Positive states (v, u, G) are compared
pointwise with rtol 1e-12.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import regret

torch = pytest.importorskip("torch")  # the peer (the `test` extra of pyproject.toml pins 2.13.0)

T, D = 300, 4
RTOL = 1e-12
X0 = np.array([1.5, -2.5, 3.5, -4.5])


# ------------------------------------------------------------------------------------------------
# gradient sequences, one row a_t per round, t = 1..T
# ------------------------------------------------------------------------------------------------
def _sequences() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20260101)
    t = np.arange(1, T + 1)
    seqs = {}
    seqs["constant"] = np.tile([0.5, -1.0, 2.0, 0.1], (T, 1))
    # Reddi, Kale & Kumar Thm 1: C when t mod 3 = 1, else −1 (a different C per coordinate)
    C = np.array([3.0, 4.0, 10.0, 1010.0])
    seqs["reddi"] = np.where((t % 3 == 1)[:, None], C[None, :], -1.0)
    seqs["shrinking"] = rng.standard_normal((T, D)) / t[:, None]
    seqs["normal"] = rng.standard_normal((T, D))
    seqs["large"] = 1e6 * rng.standard_normal((T, D))
    seqs["tiny"] = 1e-8 * rng.standard_normal((T, D))  # |g| ≈ ε of Adam's default
    # exact zeros only after a coordinate's first non-zero gradient: every algorithm allows this
    sparse = rng.standard_normal((T, D))
    sparse[1:][rng.random((T - 1, D)) < 0.5] = 0.0
    seqs["sparse"] = sparse
    # exact zeros from the start (leading zeros, one coordinate never touched): torch computes
    # 0/(0 + ε), which is 0 only for ε > 0, so this one is used for methods with ε > 0 only
    zeros = rng.standard_normal((T, D))
    zeros[:10, 0] = 0.0
    zeros[::2, 1] = 0.0
    zeros[:, 2] = 0.0
    zeros[rng.random(T) < 0.3, 3] = 0.0
    seqs["zeros"] = zeros
    return seqs


SEQS = _sequences()


# ------------------------------------------------------------------------------------------------
# the pairs: (our spec, torch optimizer factory, ε > 0?, state map)
# A state map takes (torch state dict, t) and returns what our engine records as v̂_t.
# ------------------------------------------------------------------------------------------------
def _adam_vhat(beta2):
    # our Adam records v̂_t = v_t/(1 − β2^t) (Kingma & Ba Alg. 1); torch keeps the raw EMA v_t in
    # exp_avg_sq and applies 1/√(1 − β2^t) inside the denominator
    return lambda st, t: st["exp_avg_sq"].numpy() / (1.0 - beta2 ** t)


def _amsgrad_vhat(st, t):
    # torch Adam(amsgrad=True) keeps max_s v_s of the RAW v; our amsgrad
    # records the same running max (bias correction applied afterwards, with the current t)
    return st["max_exp_avg_sq"].numpy()


def _adamax_u(st, t):
    # u_t = max(β2 u_{t−1}, |g_t| + ε) in torch; with ε = 0 this is Kingma & Ba Alg. 2's u_t
    return st["exp_inf"].numpy()


def _adagrad_sum(st, t):
    # G_t = Σ_{s≤t} g_s² (torch's `sum`, initial_accumulator_value = 0)
    return st["sum"].numpy()


def _rmsprop_sq(st, t):
    # G_t = ρ G_{t−1} + (1 − ρ) g_t² (torch's `square_avg`; torch calls ρ "alpha")
    return st["square_avg"].numpy()


def _cases():
    T_ = torch.optim
    return {
        "adam-defaults": (regret.optimizer("adam"),
                          lambda P: T_.Adam(P, foreach=False), True, _adam_vhat(0.999)),
        "adam-b0.5-b0.9-eps1e-3": (
            regret.optimizer("adam", alpha=0.01, beta1=0.5, beta2=0.9, eps=1e-3),
            lambda P: T_.Adam(P, lr=0.01, betas=(0.5, 0.9), eps=1e-3, foreach=False), True, _adam_vhat(0.9)),
        "amsgrad-torch": (
            regret.optimizer("amsgrad", alpha=0.01, eps=1e-8, bias_correction=True),
            lambda P: T_.Adam(P, lr=0.01, amsgrad=True, foreach=False), True, _amsgrad_vhat),
        "amsgrad-torch-b0.5-b0.9-eps1e-3": (
            regret.optimizer("amsgrad", alpha=0.01, beta1=0.5, beta2=0.9, eps=1e-3, bias_correction=True),
            lambda P: T_.Adam(P, lr=0.01, betas=(0.5, 0.9), eps=1e-3, amsgrad=True, foreach=False), True,
            _amsgrad_vhat),
        "adamax": (regret.optimizer("adamax", alpha=0.002),
                   lambda P: T_.Adamax(P, lr=0.002, eps=0.0, foreach=False), False, _adamax_u),
        "adagrad": (regret.optimizer("adagrad", alpha=0.01, eps=1e-10),
                    lambda P: T_.Adagrad(P, lr=0.01, lr_decay=0.0, initial_accumulator_value=0.0, eps=1e-10,
                                         foreach=False), True, _adagrad_sum),
        "rmsprop-eps0": (regret.optimizer("rmsprop", alpha=0.01, rho=0.99, eps=0.0),
                         lambda P: T_.RMSprop(P, lr=0.01, alpha=0.99, eps=0.0, foreach=False), False, _rmsprop_sq),
        "rmsprop-eps1e-8": (regret.optimizer("rmsprop", alpha=0.01, rho=0.99, eps=1e-8),
                            lambda P: T_.RMSprop(P, lr=0.01, alpha=0.99, eps=1e-8, foreach=False), True,
                            _rmsprop_sq),
        "rmsprop-momentum-eps0": (
            regret.optimizer("rmsprop_momentum", alpha=0.01, rho=0.99, momentum=0.9, eps=0.0),
            lambda P: T_.RMSprop(P, lr=0.01, alpha=0.99, eps=0.0, momentum=0.9, foreach=False), False, _rmsprop_sq),
        "rmsprop-momentum-eps1e-8": (
            regret.optimizer("rmsprop_momentum", alpha=0.01, rho=0.9, momentum=0.5, eps=1e-8),
            lambda P: T_.RMSprop(P, lr=0.01, alpha=0.9, eps=1e-8, momentum=0.5, foreach=False), True, _rmsprop_sq),
        "sgd": (regret.optimizer("sgd", alpha=0.01),
                lambda P: T_.SGD(P, lr=0.01, foreach=False), True, None),
        # ours: v ← μv + α g, x ← x − v;  torch: b ← μb + g, x ← x − lr·b;  v = α·b for constant α
        "momentum": (regret.optimizer("momentum", alpha=0.01, momentum=0.9),
                     lambda P: T_.SGD(P, lr=0.01, momentum=0.9, foreach=False), True, None),
        "nesterov": (regret.optimizer("nesterov", alpha=0.01, momentum=0.9),
                     lambda P: T_.SGD(P, lr=0.01, momentum=0.9, nesterov=True, foreach=False), True, None),
    }


CASES = _cases()
PAIRS = [(c, s) for c in CASES for s in SEQS if CASES[c][2] or s != "zeros"]


# ------------------------------------------------------------------------------------------------
def run_ours(opt, A, x0=X0):
    inst = regret.from_arrays("linear", regret.unbounded(A.shape[1]), A, x0=x0)
    res = regret.run(opt, inst, T=A.shape[0], record_iterates=True, record_state=True, comparator=False)
    return res.iterates[0], res.vhat_history[0]


def run_torch(make, A, x0=X0, state_map=None, before_step=None):
    """x_1..x_{T+1} (and the mapped state after each step) from torch, fed p.grad = a_t."""
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = make([p])
    xs, states = [x0.copy()], []
    for t, a in enumerate(A, start=1):
        if before_step is not None:
            before_step(opt, t)
        p.grad = torch.tensor(a, dtype=torch.float64)
        opt.step()
        xs.append(p.detach().numpy().copy())
        if state_map is not None:
            states.append(np.array(state_map(opt.state[p], t), dtype=np.float64))
    return np.array(xs), (np.array(states) if state_map is not None else None)


def normwise_error(ours, ref) -> float:
    """max over coordinates of max_t |ours − ref| / max_t |ref| (see the module docstring)."""
    scale = np.max(np.abs(ref), axis=0)
    assert np.all(scale > 0)
    return float(np.max(np.max(np.abs(ours - ref), axis=0) / scale))


def compare(case: str, seq: str):
    """(trajectory error, state error or None) of one pair; used by the tests and by __main__."""
    opt, make, _, state_map = CASES[case]
    A = SEQS[seq]
    X, V = run_ours(opt, A)
    Y, W = run_torch(make, A, state_map=state_map)
    assert np.all(np.isfinite(Y)), "torch produced NaN/inf: this sequence is outside its domain"
    traj = normwise_error(X, Y)
    state = None
    if state_map is not None:
        np.testing.assert_allclose(V, W, rtol=RTOL, atol=0.0)
        nz = W != 0
        assert np.array_equal(V != 0, nz)
        state = float(np.max(np.abs(V[nz] - W[nz]) / W[nz])) if nz.any() else 0.0
    return traj, state


@pytest.mark.parametrize("case,seq", PAIRS, ids=[f"{c}-{s}-torch{torch.__version__}-f64-foreach0" for c, s in PAIRS])
def test_trajectory_and_state_match_torch(case, seq):
    traj, _ = compare(case, seq)
    assert traj <= RTOL, f"{case} on {seq}: normwise relative error {traj:.3g}"


def test_iterates_actually_move():
    """The comparison is not vacuous: on every sequence each method moves every coordinate that
    received a gradient by at least 100× the tolerance (relative to the trajectory’s scale): an
    error of 1 % in the steps would fail the comparison."""
    for case, seq in PAIRS:
        X, _ = run_ours(CASES[case][0], SEQS[seq])
        moved = np.max(np.abs(X - X0), axis=0)
        scale = np.max(np.abs(X), axis=0)
        touched = np.any(SEQS[seq] != 0, axis=0)
        assert np.all(moved[touched] > 1e2 * RTOL * scale[touched]), (case, seq)
        assert np.all(moved[~touched] == 0.0), (case, seq)


def test_amsgrad_variant_is_named():
    """Our paper-mode AMSGrad (no bias correction, Reddi et al. Alg. 2) is NOT torch's variant:
    on a shrinking sequence the two trajectories differ far beyond rounding, so the conformance
    above really exercises the ``bias_correction=True`` switch."""
    A = SEQS["shrinking"]
    X, _ = run_ours(regret.optimizer("amsgrad", alpha=0.01, eps=1e-8, bias_correction=False), A)
    Y, _ = run_torch(lambda P: torch.optim.Adam(P, lr=0.01, amsgrad=True, foreach=False), A)
    assert normwise_error(X, Y) > 1e-3


# ------------------------------------------------------------------------------------------------
# Adam eps_mode='hat': Kingma & Ba (arXiv:1412.6980v9) §2, "efficient order of computation"
# ------------------------------------------------------------------------------------------------
def adam_hat_plain(A, x0, alpha, beta1, beta2, eps_hat):
    """§2's order written out in plain Python floats, independent of the compiled step:
        m_t ← β1 m_{t−1} + (1 − β1) g_t ;  v_t ← β2 v_{t−1} + (1 − β2) g_t²
        α_t ← α·√(1 − β2^t)/(1 − β1^t) ;   θ_t ← θ_{t−1} − α_t·m_t/(√v_t + ε̂)"""
    x = [float(v) for v in x0]
    m = [0.0] * len(x)
    v = [0.0] * len(x)
    out = [list(x)]
    for t, row in enumerate(A.tolist(), start=1):
        a_t = alpha * math.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
        for i, g in enumerate(row):
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            x[i] = x[i] - a_t * m[i] / (math.sqrt(v[i]) + eps_hat)
        out.append(list(x))
    return np.array(out)


HAT = dict(alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-3)


@pytest.mark.parametrize("seq", ["normal", "tiny", "reddi", "zeros", "large"])
def test_adam_hat_equals_plain_efficient_order(seq):
    A = SEQS[seq]
    X, _ = run_ours(regret.optimizer("adam", eps_mode="hat", **HAT), A)
    Y = adam_hat_plain(A, X0, HAT["alpha"], HAT["beta1"], HAT["beta2"], HAT["eps"])
    assert normwise_error(X, Y) <= RTOL


@pytest.mark.parametrize("seq", ["normal", "tiny", "zeros"])
def test_adam_hat_equals_torch_with_per_step_eps(seq):
    """α√(1−β2^t)/(1−β1^t)·m/(√v + ε̂) = α·m̂/(√v̂ + ε̂/√(1−β2^t)): 'hat' with ε̂ is the Algorithm-1
    form (torch) with ε_t = ε̂/√(1 − β2^t), set in torch's param group before each step.
    (Equivalently, Algorithm 1 with ε is 'hat' with ε̂_t = ε√(1 − β2^t), docs/sources.md §S1.2.)"""
    A = SEQS[seq]
    X, _ = run_ours(regret.optimizer("adam", eps_mode="hat", **HAT), A)

    def set_eps(opt, t):
        opt.param_groups[0]["eps"] = HAT["eps"] / math.sqrt(1.0 - HAT["beta2"] ** t)

    Y, _ = run_torch(lambda P: torch.optim.Adam(P, lr=HAT["alpha"], betas=(HAT["beta1"], HAT["beta2"]),
                                                eps=HAT["eps"], foreach=False), A, before_step=set_eps)
    assert normwise_error(X, Y) <= RTOL


def test_adam_hat_differs_from_outside():
    """The two placements of ε are really different algorithms when |g| is comparable to ε, so the
    tests above could tell them apart."""
    A = SEQS["tiny"] * 1e5  # |g| ≈ 1e-3 = ε̂
    X_hat, _ = run_ours(regret.optimizer("adam", eps_mode="hat", **HAT), A)
    X_out, _ = run_ours(regret.optimizer("adam", eps_mode="outside", **HAT), A)
    assert normwise_error(X_hat, X_out) > 1e-4


if __name__ == "__main__":  # the table of measured errors for the report
    print(f"torch {torch.__version__}, float64, foreach=False, T={T}, d={D}")
    print(f"{'pair':36s} {'max traj err':>12s} {'max state err':>13s}  (worst sequence)")
    for case in CASES:
        rows = [(s, *compare(case, s)) for c, s in PAIRS if c == case]
        worst = max(rows, key=lambda r: r[1])
        st = [r[2] for r in rows if r[2] is not None]
        print(f"{case:36s} {worst[1]:12.2e} {max(st) if st else float('nan'):13.2e}  ({worst[0]})")
