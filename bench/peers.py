"""The peers, measured on the same update-only task as :func:`bench.kernels.update_only`: T steps
of an optimizer with a fixed gradient, in float64, from x = 0 (torch.optim, a vectorized numpy
loop, optax). Each function returns seconds per step (the median of ``repeats`` timed blocks)."""
from __future__ import annotations

import json
import os
import statistics
import sys
import time

import numpy as np

# the torch.optim class and arguments for each of the benchmark's optimizers (defaults otherwise)
TORCH = {"sgd": ("SGD", {"lr": 0.01}), "adagrad": ("Adagrad", {"lr": 0.01}), "adam": ("Adam", {"lr": 1e-3}),
         "adamax": ("Adamax", {"lr": 2e-3}), "amsgrad": ("Adam", {"lr": 1e-3, "amsgrad": True})}
TORCH_MODES = ("default", "foreach", "fused")


def _median_time(block, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        block()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def torch_step(name: str, mode: str, d: int, steps: int, threads: int, repeats: int = 5):
    """torch.optim in float64 on CPU: ``mode`` 'default' (the constructor's defaults: the per-tensor
    for-loop on CPU), 'foreach' (foreach=True) or 'fused' (fused=True). Returns (s/step median,
    s/step min) or raises (e.g. a mode the optimizer does not support)."""
    step = torch_stepper(name, mode, d, threads)

    def block():
        for _ in range(steps):
            step()

    med, best = _median_time(block, repeats)
    return med / steps, best / steps


def torch_stepper(name: str, mode: str, d: int, threads: int):
    """The ``step`` of a warmed-up torch.optim optimizer of one float64 parameter of d coordinates
    with a fixed gradient (as :func:`torch_step` times it), to time beside another kernel."""
    import torch

    torch.set_num_threads(threads)
    cls_name, kw = TORCH[name]
    kw = dict(kw)
    if mode == "foreach":
        kw["foreach"] = True
    elif mode == "fused":
        kw["fused"] = True
    p = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    p.grad = torch.from_numpy(np.random.default_rng(0).standard_normal(d))
    opt = getattr(torch.optim, cls_name)([p], **kw)
    for _ in range(3):
        opt.step()
    return opt.step


def numpy_adam_step(d: int, steps: int, repeats: int = 5):
    """Adam (Kingma & Ba Algorithm 1, ε outside) as a vectorized numpy loop, in place (out=),
    one temporary; returns (s/step median, s/step min)."""
    rng = np.random.default_rng(0)
    g = rng.standard_normal(d)
    x = np.zeros(d)
    m = np.zeros(d)
    v = np.zeros(d)
    tmp = np.empty(d)
    b1, b2, lr, eps = 0.9, 0.999, 1e-3, 1e-8
    state = {"t": 0}

    def step():
        state["t"] += 1
        t = state["t"]
        np.multiply(m, b1, out=m)
        np.multiply(g, 1 - b1, out=tmp)
        np.add(m, tmp, out=m)
        np.multiply(v, b2, out=v)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, 1 - b2, out=tmp)
        np.add(v, tmp, out=v)
        np.divide(v, 1 - b2 ** t, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.add(tmp, eps, out=tmp)
        np.divide(m, tmp, out=tmp)
        np.multiply(tmp, -lr / (1 - b1 ** t), out=tmp)
        np.add(x, tmp, out=x)

    for _ in range(3):
        step()

    def block():
        for _ in range(steps):
            step()

    med, best = _median_time(block, repeats)
    return med / steps, best / steps


def optax_adam(d: int, steps: int, repeats: int = 5):
    """optax.adam in float64 (jax_enable_x64): a jitted step called from a Python loop, and the
    whole loop as one jitted lax.scan. Returns {'jit_step': (med, min), 'scan': (med, min)} in
    s/step, compile excluded."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import optax

    opt = optax.adam(1e-3)
    g = jnp.asarray(np.random.default_rng(0).standard_normal(d))
    params = jnp.zeros(d, dtype=jnp.float64)
    state = opt.init(params)

    @jax.jit
    def step(p, s):
        u, s = opt.update(g, s, p)
        return optax.apply_updates(p, u), s

    @jax.jit
    def scan(p, s):
        def body(c, _):
            return step(*c), None

        return jax.lax.scan(body, (p, s), None, length=steps)[0]

    out = {}
    carry = step(params, state)
    jax.block_until_ready(carry)

    def block_step():
        c = (params, state)
        for _ in range(steps):
            c = step(*c)
        jax.block_until_ready(c)

    out["jit_step"] = tuple(t / steps for t in _median_time(block_step, repeats))
    jax.block_until_ready(scan(params, state))

    def block_scan():
        jax.block_until_ready(scan(params, state))

    out["scan"] = tuple(t / steps for t in _median_time(block_scan, repeats))
    return out


def versions() -> dict:
    out = {}
    for mod in ("torch", "jax", "jaxlib", "optax"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # not installed: the peer is reported as absent
            out[mod] = None
    return out


if __name__ == "__main__":
    # subprocess entry for the numpy peer: python -m bench.peers numpy D STEPS REPEATS
    kind, d, steps, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    assert kind == "numpy"
    from threadpoolctl import threadpool_info

    med, best = numpy_adam_step(d, steps, repeats)
    print(json.dumps({"median": med, "min": best, "threadpools": threadpool_info(),
                      "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                      "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}))
