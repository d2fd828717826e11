"""The compiled online loop: play x_t, suffer f_t(x_t), differentiate, step, project.

One kernel serves every (optimizer × loss family × domain): it dispatches on small integer codes
inside the loop (DESIGN.md, "Performance model"), so a fresh machine compiles it once, and the
disk cache (numba ``cache=True``) makes later processes start warm.

What is recorded at each checkpoint T' (the theorems' statistics):
* Σ_{t≤T'} f_t(x_t), by Neumaier's compensated summation (the regret is an O(√T) difference of
  O(T) sums);
* Σ_{t≤T'} g_{t,i}² per coordinate (so ‖g_{1:T',i}‖₂), max_t ‖g_t‖₂ and max_t ‖g_t‖∞;
* the optimizer's second-moment state v̂_{T',i} (Adam: v_t/(1−β2^t); AMSGrad/AdamX: the running max;
  AdaMax: u_t; AdaGrad/RMSProp: their accumulator);
* max_{t≤T'} max_i |Δ_{t,i}|/α_t, the effective step of Kingma & Ba §2.1;
* the coordinate-wise min and max of the played points x_1..x_{T'} (observed D, D∞).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .domains import project_inplace
from .losses import value_grad
from .optimizers import steps as S


@njit(cache=True, error_model="numpy")
def run_one(opt_code, hp, alpha_arr, loss_code, lp, A, b, idx, dom_code, P, r, x0, cps,
            losses, iterates, vhat_hist,
            cum_loss, gsq, vhat_cp, gmax2, gmaxinf, ratio_max, xmin, xmax, x_final):
    """Run T = len(idx) rounds from x_1 = x0. Output arrays are preallocated by the caller; the
    optional records (losses, iterates, vhat_hist) are written when their first dimension is > 0."""
    T = idx.shape[0]
    d = x0.shape[0]
    x = x0.copy()
    g = np.zeros(d)
    w = np.ones(d)
    St = np.zeros((4, d))
    sc = np.zeros(S.N_SC)
    sc[S.SC_LAM_POW] = 1.0
    if hp[S.HP_BIAS] == 0.0:
        sc[S.SC_BC1] = 1.0
        sc[S.SC_BC2] = 1.0
    weighted = hp[S.HP_WEIGHTED] != 0.0
    sched = int(hp[S.HP_SCHEDULE])
    alpha = hp[S.HP_ALPHA]
    opt = int(opt_code)
    want_losses = losses.shape[0] > 0
    want_iterates = iterates.shape[0] > 0
    want_state = vhat_hist.shape[0] > 0
    if want_iterates:
        iterates[0, :] = x
    run_sum = 0.0
    run_comp = 0.0
    g2max = 0.0
    ginf = 0.0
    rmax = 0.0
    sq = np.zeros(d)
    lo = x.copy()
    hi = x.copy()
    k = 0
    for t in range(1, T + 1):
        row = idx[t - 1]
        # the learner plays x_t; f_t is revealed; the learner suffers f_t(x_t) and receives g_t
        f = value_grad(loss_code, lp, A, row, b, x, g)
        if want_losses:
            losses[t - 1] = f
        s = run_sum + f  # Neumaier's compensated sum
        if abs(run_sum) >= abs(f):
            run_comp += (run_sum - s) + f
        else:
            run_comp += (f - s) + run_sum
        run_sum = s
        n2 = 0.0
        for i in range(d):
            gi = g[i]
            sq[i] += gi * gi
            n2 += gi * gi
            if abs(gi) > ginf:
                ginf = abs(gi)
            if x[i] < lo[i]:
                lo[i] = x[i]
            elif x[i] > hi[i]:
                hi[i] = x[i]
        if n2 > g2max:
            g2max = n2
        # the optimizer maps (state, g_t, t) to x_{t+1}
        if sched == S.SCHED_CONSTANT:
            alpha_t = alpha
        elif sched == S.SCHED_SQRT:
            alpha_t = alpha / math.sqrt(t)
        else:
            alpha_t = alpha_arr[t - 1]
        ratio = S.step(opt, hp, t, alpha_t, x, g, St, sc, w)
        if ratio > rmax:
            rmax = ratio
        project_inplace(dom_code, x, w, weighted, P, r)
        if want_iterates:
            iterates[t, :] = x
        if want_state:
            vhat_hist[t - 1, :] = St[S.VHAT]
        if k < cps.shape[0] and t == cps[k]:
            cum_loss[k] = run_sum + run_comp
            gsq[k, :] = sq
            vhat_cp[k, :] = St[S.VHAT]
            gmax2[k] = math.sqrt(g2max)
            gmaxinf[k] = ginf
            ratio_max[k] = rmax
            xmin[k, :] = lo
            xmax[k, :] = hi
            k += 1
    x_final[:] = x


@njit(cache=True, error_model="numpy", parallel=True)
def run_batch(opt_codes, hps, alpha_arrs, data_of_run, loss_code, lp, A3, b2, idx2, dom_code, P, r,
              x0s, cps, losses, cum_loss, gsq, vhat_cp, gmax2, gmaxinf, ratio_max, xmin, xmax,
              x_final):
    """Many runs in one call, in parallel over runs. Run j uses configuration (opt_codes[j], hps[j],
    alpha_arrs[j]) on the data set data_of_run[j] of the stacked (A3, b2, idx2). Runs share nothing,
    so every result is bit-identical to the same run made alone, whatever the thread count."""
    R = opt_codes.shape[0]
    d = x0s.shape[1]
    no_iter = np.zeros((0, d))
    for j in prange(R):
        s = data_of_run[j]
        run_one(opt_codes[j], hps[j], alpha_arrs[j], loss_code, lp, A3[s], b2[s], idx2[s], dom_code, P, r,
                x0s[j], cps, losses[j], no_iter, no_iter, cum_loss[j], gsq[j], vhat_cp[j], gmax2[j],
                gmaxinf[j], ratio_max[j], xmin[j], xmax[j], x_final[j])
