"""The compiled online loop: play x_t, suffer f_t(x_t), differentiate, step, project.

One kernel serves every (optimizer × loss family × domain): it dispatches on small integer codes
inside the loop (docs/architecture.md, "Performance model"), so a fresh machine compiles it once, and the
disk cache (numba ``cache=True``) makes later processes start warm.

What is recorded at each checkpoint T' (the theorems' statistics):
* Σ_{t≤T'} f_t(x_t), by Neumaier's compensated summation (the regret is an O(√T) difference of
  O(T) sums);
* Σ_{t≤T'} g_{t,i}² per coordinate (so ‖g_{1:T',i}‖₂), max_t ‖g_t‖₂ and max_t ‖g_t‖∞;
* the optimizer's second-moment state v̂_{T',i} (Adam: v_t/(1−β2^t); AMSGrad/AdamX: the running max;
  AdaMax: u_t; AdaGrad/RMSProp: their accumulator);
* max_{t≤T'} max_i |Δ_{t,i}|/α_t, the effective step of Kingma & Ba §2.1;
* the coordinate-wise min and max of the played points x_1..x_{T'} (observed D, D∞).

Cost model (measured with ``python -m bench``; bench/README.md). At small d a round is not
arithmetic but calls: numba increments and decrements the reference count of every array argument
of every compiled call (an atomic operation each) and prunes them only in small functions, so the
dispatching kernels a round calls (``value_grad``, ``steps.step``, ``project_inplace``) cost ~30
atomics per round. :func:`_rounds` therefore hands them *borrowed* arrays (:func:`_borrowed`: no
reference count, kept alive by :func:`run_one`), calls no projection on R^d and the box clip
directly, and makes no array temporaries per round (records are copied element by element). The
per-round kernels are inlined, and the steps' update loops vectorize (they write only the
algorithm's state). At d = 1 the rounds go to :func:`regret.engine.loop_1d.rounds_1d`, the same round on
scalars (bench/README.md).

Disk cache: see :mod:`regret.engine.kernel_cache`.
"""
from __future__ import annotations


import numpy as np
from numba import njit, prange

from . import carry as C, loop_1d
from .accounting import checkpoint, checkpoint_coordinate, compensated_add, next_row, observe, track_step
from .borrow import borrowed as _borrowed
from ..domains import BOX, UNBOUNDED, _project_box, project_inplace
from ..losses import value_grad
from .kernel_cache import register_dependent_cache
from ..optimizers import steps as S
from ..problems import no_adversary as ADV  # an adaptive adversary's loops rebind it (regret.engine.kernel_set)

# the engine's kernels are keyed on every source they embed (regret/engine/kernel_cache.py)
register_dependent_cache(__file__)


@njit(cache=True, error_model="numpy")
def run_one(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps,
            losses, iterates, vhat_history,
            learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """Run rounds t_first..t_last, round t on data row idx[(t − 1) mod len(idx)], from the state in
    (vec, St, acc, pos) (:class:`regret.engine.carry.Carry`: x_1 and nothing else before round 1),
    which it leaves as round t_last + 1 finds it. Output arrays are preallocated by the caller, for
    all T rounds; the optional records (losses, iterates, vhat_history) are written when their first
    dimension is > 0."""
    S.check_code(opt_code)  # an algorithm outside the table is an error, never another algorithm
    _rounds(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
            vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
            vec[C.X], vec[C.G], vec[C.W], St, acc, vec[C.SQ], vec[C.LO], vec[C.HI], vec[C.XS], pos)


@njit(cache=True, error_model="numpy")
def run_one_adversarial(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps,
                        adv_params, adv_state, losses, iterates, vhat_history,
                        learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final, vec, St, acc, pos):
    """:func:`run_one` against an adaptive adversary (:mod:`regret.problems.adversary`): at the start
    of round t, ``ADV.choose`` writes row idx[t−1] of (A, b) from x_t, its parameters and its state
    (which the caller keeps from one chunk of rounds to the next)."""
    S.check_code(opt_code)
    _rounds(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
            vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
            vec[C.X], vec[C.G], vec[C.W], St, acc, vec[C.SQ], vec[C.LO], vec[C.HI], vec[C.XS], pos, adv_params, adv_state)


@njit(cache=True, error_model="numpy")
def _rounds(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, t_first, t_last, dom_code, P, r, cps, losses, iterates,
            vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio, x_min, x_max, x_final,
            x, g, w, St, sc, sq, lo, hi, xs, pos, adv_params=None, adv_state=None):
    """Rounds t_first..t_last of :func:`run_one` on its carried arrays: x = x_t, g, w, St (the
    optimizer's state rows), sc (its round scalars, then the running sums: the ``acc`` of
    :mod:`regret.engine.carry`), sq, lo, hi, xs, pos. The arrays the per-round kernels receive are
    borrowed (:func:`_borrowed`): the caller keeps them alive. With an adversary (``adv_params``,
    ``adv_state``), ``ADV.choose`` writes each round's data row before it is read; without one,
    ``ADV`` is :mod:`regret.problems.no_adversary` and the call compiles to nothing."""
    n_idx = idx.shape[0]  # round t uses idx[(t − 1) mod n_idx]: a periodic sequence passes one period
    j_idx = pos[C.J_IDX]
    k = pos[C.K]
    d = x.shape[0]
    hp = _borrowed(hp)
    lp = _borrowed(lp)
    A = _borrowed(A)
    b = _borrowed(b)
    P = _borrowed(P)
    x = _borrowed(x)
    g = _borrowed(g)
    w = _borrowed(w)
    St = _borrowed(St)
    sc = _borrowed(sc)
    box_lo = P[0]
    box_hi = P[1]
    weighted = hp[S.HP_WEIGHTED] != 0.0
    sched = int(hp[S.HP_SCHEDULE])
    alpha = hp[S.HP_ALPHA]
    opt = int(opt_code)
    want_losses = losses.shape[0] > 0
    want_iterates = iterates.shape[0] > 0
    want_state = vhat_history.shape[0] > 0
    if want_iterates and t_first == 1:
        for i in range(d):
            iterates[0, i] = x[i]
    run_sum, run_comp, g2max, ginf, rmax, dmax = sc[C.RUN_SUM], sc[C.RUN_COMP], sc[C.G2MAX], sc[C.GINF], sc[C.RMAX], \
        sc[C.DMAX]
    for t in range(t_first, t_last + 1):
        row, j_idx = next_row(idx, j_idx, n_idx)
        ADV.choose(t, x, adv_params, adv_state, A, b, row)  # an adaptive adversary picks f_t from x_t
        # the learner plays x_t; f_t is revealed; the learner suffers f_t(x_t) and receives g_t
        f = value_grad(loss_code, lp, A, row, b, x, g)
        if want_losses:
            losses[t - 1] = f
        run_sum, run_comp = compensated_add(run_sum, run_comp, f)
        n2 = 0.0
        for i in range(d):
            gi = g[i]
            sq[i], lo[i], hi[i], xs[i], ginf = observe(gi, x[i], sq[i], lo[i], hi[i], xs[i], ginf)
            n2 += gi * gi
        if n2 > g2max:
            g2max = n2
        # the optimizer maps (state, g_t, t) to x_{t+1}
        alpha_t = S.step_size(sched, alpha, alpha_arr, t)
        big = S.step(opt, hp, t, alpha_t, x, g, St, sc)  # max_i |Δ_{t,i}|
        # the effective step max_t max_i |Δ_{t,i}|/α_t; with a constant α the division waits for the
        # checkpoint: max_t fl(|Δ_t|/α) = fl(max_t |Δ_t| / α), as rounding is monotone
        dmax, rmax = track_step(sched, big, alpha_t, dmax, rmax)
        # Π_X (weighted by w for the adaptive methods); R^d needs none, and a box is a clip in
        # every metric, so it skips the dispatch (the same _project_box project_inplace calls)
        if dom_code == BOX:
            _project_box(x, box_lo, box_hi)
        elif dom_code != UNBOUNDED:
            if weighted:
                S.weights(opt, hp, t, sc[S.SC_BC1], sc[S.SC_BC2], St, w, 0, d)
            project_inplace(dom_code, x, w, weighted, P, r)
        if want_iterates:
            for i in range(d):
                iterates[t, i] = x[i]
        if want_state:
            S.second_moments(opt, hp, t, sc[S.SC_BC1], sc[S.SC_BC2], St, vhat_history[t - 1], 0, d)
        if k < cps.shape[0] and t == cps[k]:
            checkpoint(k, run_sum, run_comp, g2max, ginf, sched, alpha, dmax, rmax, learner_loss, G, G_inf,
                       step_ratio)
            for i in range(d):
                checkpoint_coordinate(k, i, sq[i], lo[i], hi[i], grad_sq, x_min, x_max)
            S.second_moments(opt, hp, t, sc[S.SC_BC1], sc[S.SC_BC2], St, vhat[k], 0, d)
            k += 1
    sc[C.RUN_SUM], sc[C.RUN_COMP], sc[C.G2MAX], sc[C.GINF], sc[C.RMAX], sc[C.DMAX] = run_sum, run_comp, g2max, ginf, \
        rmax, dmax
    pos[C.K] = k
    pos[C.J_IDX] = j_idx
    for i in range(d):
        x_final[i] = x[i]


@njit(cache=True, error_model="numpy", parallel=True)
def run_batch(opt_codes, hps, alpha_arrs, data_of_run, loss_code, lp, A3, b2, idx2, t_first, t_last, dom_code, P, r,
              cps, losses, iterates, vhat_history, learner_loss, grad_sq, vhat, G, G_inf, step_ratio,
              x_min, x_max, x_final, vec, St, acc, pos):
    """Rounds t_first..t_last of many runs in one call, in parallel over runs (numba ``prange``;
    docs/architecture.md, "Performance model": at small d, parallelize over runs, not coordinates).
    Run j uses configuration (opt_codes[j], hps[j], alpha_arrs[j]) on data set data_of_run[j] of the
    stacked (A3, b2, idx2), carries its state in row j of (vec, St, acc, pos)
    (:class:`regret.engine.carry.Carry`) and writes row j of every output. The optional records have
    first dimension R or 0 (``losses``: (R, T) or (0, 0); ``iterates``: (R, T+1, d) or (0, 0, d);
    ``vhat_history``: (R, T, d) or (0, 0, d)).

    The inputs every run reads (lp, A, b, P) reach the per-round kernels borrowed (:func:`_rounds`),
    so the threads never write a shared reference count (with counted arrays, 2 threads ran slower
    than 1). Runs share nothing else, and each is :func:`run_one` itself, so every result is
    bit-identical to the same run made alone, whatever the thread count or batch composition."""
    R = opt_codes.shape[0]
    d = vec.shape[2]
    no_loss = np.zeros(0)
    no_rows = np.zeros((0, d))
    one_d = loop_1d.is_1d(d, loss_code)  # as Kernels.kernel_for chooses for a single run
    for j in prange(R):
        s = data_of_run[j]
        lj = losses[j] if losses.shape[0] > 0 else no_loss
        ij = iterates[j] if iterates.shape[0] > 0 else no_rows
        vj = vhat_history[j] if vhat_history.shape[0] > 0 else no_rows
        if one_d:
            loop_1d.run_1d(opt_codes[j], hps[j], alpha_arrs[j], loss_code, lp, A3[s], b2[s], idx2[s], t_first, t_last,
                           dom_code, P, r, cps, lj, ij, vj, learner_loss[j], grad_sq[j], vhat[j], G[j], G_inf[j],
                           step_ratio[j], x_min[j], x_max[j], x_final[j], vec[j], St[j], acc[j], pos[j])
        else:
            run_one(opt_codes[j], hps[j], alpha_arrs[j], loss_code, lp, A3[s], b2[s], idx2[s], t_first, t_last,
                    dom_code, P, r, cps, lj, ij, vj, learner_loss[j], grad_sq[j], vhat[j], G[j], G_inf[j],
                    step_ratio[j], x_min[j], x_max[j], x_final[j], vec[j], St[j], acc[j], pos[j])
