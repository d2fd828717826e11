"""``python -m bench [--quick] [--out DIR] [--only SECTION,...]`` — the benchmark, in one process
(the numpy peer and the `regret run` latencies in subprocesses), written to DIR/results.json and
DIR/results.md (default bench/results/). See bench/README.md for what each section measures."""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

import regret
from regret import engine
from regret.engine import loop, loop_wide
from regret.engine.carry import Carry
from regret.engine.kernel_set import kernels_for
from regret.optimizers import steps as S
from regret.optimizers.registry import BUILTIN_TABLE

from . import kernels, peers

OPTS = ("sgd", "adagrad", "adam", "adamax", "amsgrad")
DIMS = (1, 10, 1000, 10**6)
ADAM_BYTES = 56  # x, m, v, g read + x, m, v written, float64 (docs/architecture.md, "Performance model")
# what a full round of Adam must move per coordinate, float64 (bench/README.md, "Bytes of a full round"):
# read the data row a_t, x, m, v and the statistics Σg², min x, max x, Σx; write x, m, v and the statistics
FULL_ROUND_BYTES = 8 * (1 + 1 + 2 + 4) + 8 * (1 + 2 + 4)
SECTIONS = ("stream", "engine", "user", "torch", "numpy", "optax", "batch", "chunks", "sweep", "comparator",
            "comparator_run", "cli")


def _timed(fn, repeats):
    """(wall median, wall min, process-CPU median) seconds of fn() over ``repeats`` calls, after one
    untimed warm-up call. For a single-threaded fn on a shared machine the CPU time is the more
    faithful figure (it excludes the time other processes held the core)."""
    fn()
    ts, cs = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
        cs.append(time.process_time() - c0)
    return statistics.median(ts), min(ts), statistics.median(cs)


def _median(fn, repeats):
    """(median, min) wall seconds of fn() over ``repeats`` calls, after one untimed warm-up call."""
    return _timed(fn, repeats)[:2]


# ------------------------------------------------------------------------------------------------
# machine
# ------------------------------------------------------------------------------------------------
def machine() -> dict:
    import numba
    import scipy
    from threadpoolctl import threadpool_info

    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count(),
            "numpy": np.__version__, "numba": numba.__version__, "scipy": scipy.__version__,
            "regret": regret.__version__, "numba_threads": numba.config.NUMBA_NUM_THREADS,
            "numba_threading_layer": None, **peers.versions()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in lscpu.splitlines():
            key, _, val = line.partition(":")
            if key.strip() in ("Model name", "L1d cache", "L2 cache", "L3 cache", "CPU(s)", "Hypervisor vendor"):
                info[key.strip()] = val.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    info["blas"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
                    for p in threadpool_info()]
    info["compile_target"] = compile_target()
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    info["OPENBLAS_L2_SIZE"] = os.environ.get("OPENBLAS_L2_SIZE")
    return info


def compile_target() -> dict:
    """What numba compiles the kernels for: the CPU name and features it hands LLVM (the host's, or
    NUMBA_CPU_NAME / NUMBA_CPU_FEATURES), the widest vector instruction set among them, and the host's."""
    import numba
    from llvmlite import binding as llvm

    host = llvm.get_host_cpu_features().flatten()
    feats = numba.config.CPU_FEATURES if numba.config.CPU_FEATURES is not None else host
    native = numba.config.CPU_NAME is None and numba.config.CPU_FEATURES is None
    return {"cpu_name": numba.config.CPU_NAME or llvm.get_host_cpu_name(), "isa": _isa(feats),
            "host_isa": _isa(host), "host_cpu_name": llvm.get_host_cpu_name(),
            "build": "native" if native else f"NUMBA_CPU_NAME={numba.config.CPU_NAME}, NUMBA_CPU_FEATURES set"}


def _isa(features: str) -> str:
    on = {f[1:] for f in features.split(",") if f.startswith("+")}
    return "AVX-512" if "avx512f" in on else "AVX2" if "avx2" in on else "AVX" if "avx" in on else "SSE"


def avx2_environment() -> dict:
    """The environment of an AVX2 build on this host: LLVM told the CPU is a Haswell and every AVX-512
    (and AMX) feature of the host switched off, AVX2 and FMA kept — numba then emits no AVX-512
    instruction, so an AVX-512 machine measures what an AVX2-only machine runs."""
    from llvmlite import binding as llvm

    feats = [("-" + f[1:]) if f.startswith("+") and f[1:].startswith(("avx512", "amx")) else f
             for f in llvm.get_host_cpu_features().flatten().split(",")]
    return {**os.environ, "NUMBA_CPU_NAME": "haswell", "NUMBA_CPU_FEATURES": ",".join(feats)}


def _l3_bytes(info) -> int:
    txt = info.get("L3 cache", "")
    try:
        num, unit = txt.split()[:2]
        return int(float(num) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit])
    except (ValueError, KeyError):
        return 32 * 2**20


# ------------------------------------------------------------------------------------------------
# sections
# ------------------------------------------------------------------------------------------------
def stream(info, quick) -> dict:
    """STREAM copy and triad on arrays of ≥ 4× the L3 size; the Adam bound 56 B / bandwidth."""
    import numba

    n = max(4 * _l3_bytes(info) // 8, 1 << 20) if not quick else 1 << 22
    a, b, c = np.zeros(n), np.ones(n), np.full(n, 2.0)
    out = {"n": n, "array_MiB": n * 8 / 2**20}
    reps = 10 if not quick else 3
    for label, fn, nbytes in (("numpy copy", lambda: np.copyto(a, b), 16),
                              ("copy 1 thread", lambda: kernels.stream_copy(a, b), 16),
                              ("triad 1 thread", lambda: kernels.stream_triad(a, b, c, 3.0), 24)):
        med, best = _median(fn, reps)
        out[label] = {"GB/s best": nbytes * n / best / 1e9, "GB/s median": nbytes * n / med / 1e9}
    before = numba.get_num_threads()
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    for label, fn, nbytes in (("copy 2 threads", lambda: kernels.stream_copy_par(a, b), 16),
                              ("triad 2 threads", lambda: kernels.stream_triad_par(a, b, c, 3.0), 24)):
        med, best = _median(fn, reps)
        out[label] = {"GB/s best": nbytes * n / best / 1e9, "GB/s median": nbytes * n / med / 1e9}
    numba.set_num_threads(before)
    for th in ("1 thread", "2 threads"):
        bw = out[f"triad {th}"]["GB/s best"]
        out[f"adam bound ns/coord {th}"] = ADAM_BYTES / bw
        out[f"full round bound ns/coord {th}"] = FULL_ROUND_BYTES / bw
    return out


def _instance(d, T):
    """d = 1: Reddi et al.'s problem (linear on [−1, 1]); d ≤ 1000: 64 Gaussian linear rows replayed
    on [−1, 1]^d; d = 10^6: 4 rows replayed on R^d (no projection)."""
    if d == 1:
        return regret.problem("reddi", C=3).instance(T, 0)
    rng = np.random.default_rng(d)
    rows = 64 if d <= 1000 else 4
    dom = regret.box(d) if d <= 1000 else regret.unbounded(d)
    return regret.from_arrays("linear", dom, rng.standard_normal((rows, d)), idx=rng.integers(0, rows, T))


def _full_call(opt, inst, T, kernel=None):
    cps = engine.default_checkpoints(T)
    d, K = inst.d, cps.size
    kernels, code = kernels_for(opt)  # the built-ins' loops, or the user optimizer's own copy
    hp, alpha = opt.hp_vector(kernels.table.n_hp), opt.schedule_array(T)
    fam, dom = inst.family, inst.domain
    x0, idx = inst.start(), inst.idx[:T]
    outs = [np.zeros(K), np.zeros((K, d)), np.zeros((K, d)), np.zeros(K), np.zeros(K), np.zeros(K),
            np.zeros((K, d)), np.zeros((K, d)), np.zeros(d)]
    empty = np.zeros((0, d))

    if kernel is None:  # the engine's loop for d (kernel_for), but serial at d = 10^6 (see _wide_section)
        kernel = kernels.run_one if loop_wide.is_wide(d, fam.code) else kernels.kernel_for(d, fam.code)

    def call():  # all T rounds in one compiled call, from a fresh carry (regret.engine.carry)
        carry = Carry.start(x0[None], hp[None], kernels.table.n_state)
        kernel(code, hp, alpha, fam.code, fam.params, inst.A, inst.b, idx, 1, T, dom.code, dom.P,
               float(dom.r), cps, np.zeros(0), empty, empty, *outs, *carry.of(0))
    return call


ENGINE_T = {1: (2_000_000, 5_000_000), 10: (1_000_000, 2_000_000), 1000: (20_000, 40_000), 10**6: (20, 20)}


def engine_section(quick) -> dict:
    """ns per round and per coordinate-step: full rounds (regret.engine.loop.run_one: loss, gradient,
    statistics, step, projection, Neumaier sum) and update-only (bench.kernels.update_only)."""
    res = {}
    reps = 5 if not quick else 2
    for d in DIMS:
        T_full, T_upd = ENGINE_T[d]
        if quick:
            T_full, T_upd = max(T_full // 20, 2), max(T_upd // 20, 2)
        inst = _instance(d, T_full)
        g = np.random.default_rng(1).standard_normal(d)
        for name in OPTS:
            opt = regret.optimizer(name)
            med, best, cpu = _timed(_full_call(opt, inst, T_full), reps)
            x = np.zeros(d)
            hp, alpha = opt.hp_vector(BUILTIN_TABLE.n_hp), opt.schedule_array(T_upd)
            umed, ubest, ucpu = _timed(lambda: kernels.update_only(BUILTIN_TABLE.code_of(opt), hp, alpha, g, x, T_upd), reps)
            res[f"{name} d={d}"] = {
                "d": d, "optimizer": name, "T_full": T_full, "T_update": T_upd,
                "full ns/round median": med / T_full * 1e9, "full ns/round min": best / T_full * 1e9,
                "full ns/coord median": med / T_full / d * 1e9, "full cpu ns/round median": cpu / T_full * 1e9,
                "update cpu ns/step median": ucpu / T_upd * 1e9,
                "update ns/step median": umed / T_upd * 1e9, "update ns/step min": ubest / T_upd * 1e9,
                "update ns/coord median": umed / T_upd / d * 1e9, "update ns/coord min": ubest / T_upd / d * 1e9}
    res.update(_plain_section(quick))
    res.update(_wide_section(quick))
    return res


def _plain_section(quick) -> dict:
    """The engine beside the plain numba loops of bench.kernels, measured alternately: the d = 1 full
    round of Adam with α/√t on Reddi et al.'s sequence, and Adam's update at d = 1000."""
    T = 2_000_000 if not quick else 100_000
    reps = 7 if not quick else 2
    opt = regret.optimizer("adam", alpha=0.5, schedule="sqrt")
    engine_call = _full_call(opt, _instance(1, T), T)
    plain_call = lambda: kernels.plain_adam_reddi(T, 3.0, 0.5, 0.9, 0.999, 1e-8)  # noqa: E731
    eng, pla = [], []
    for _ in range(reps):  # alternately, so that a change in the machine's load hits both
        eng.append(_timed(engine_call, 1)[0])
        pla.append(_timed(plain_call, 1)[0])
    e, p = statistics.median(eng) / T * 1e9, statistics.median(pla) / T * 1e9
    out = {"plain d=1": {"T": T, "engine ns/round median": e, "plain ns/round median": p, "engine / plain": e / p}}
    # the default call a user makes, end to end (instance, records, comparator), against the kernel
    # alone on the same rounds (the full round measured just above, same optimizer and sequence)
    T_e2e = 10_000_000 if not quick else 200_000
    kern = _full_call(opt, _instance(1, T_e2e), T_e2e)
    ends, kerns = [], []
    for _ in range(3 if not quick else 1):
        ends.append(_timed(lambda: regret.run(opt, regret.problem("reddi", C=3), T=T_e2e), 1)[0])
        kerns.append(_timed(kern, 1)[0])
    out["end to end d=1"] = {"T": T_e2e, "regret.run ns/round median": statistics.median(ends) / T_e2e * 1e9,
                             "kernel ns/round median": statistics.median(kerns) / T_e2e * 1e9,
                             "end to end / kernel": statistics.median(ends) / statistics.median(kerns)}
    d, Tu = 1000, (40_000 if not quick else 2_000)
    g = np.random.default_rng(1).standard_normal(d)
    adam = regret.optimizer("adam")
    hp, alpha = adam.hp_vector(BUILTIN_TABLE.n_hp), adam.schedule_array(Tu)
    eu, pu = [], []
    for _ in range(reps):
        eu.append(_timed(lambda: kernels.update_only(BUILTIN_TABLE.code_of(adam), hp, alpha, g, np.zeros(d), Tu), 1)[0])
        pu.append(_timed(lambda: kernels.plain_adam_update(0.001, 0.9, 0.999, 1e-8, g, np.zeros(d), Tu), 1)[0])
    e, p = statistics.median(eu) / Tu / d * 1e9, statistics.median(pu) / Tu / d * 1e9
    out["plain update d=1000"] = {"T": Tu, "engine ns/coord median": e, "plain ns/coord median": p,
                                  "engine / plain": e / p}
    return out


WIDE_T = {10**6: 20, 10**7: 4}  # rounds per timing at d = 10^6 and 10^7 (10^7: 80 MB per array, 320 MB for x, m, v, g)


def _wide_section(quick) -> dict:
    """Adam at d = 10^6 and 10^7 through the parallel-over-coordinates kernels
    (regret.engine.loop_wide.run_wide, the engine's path at d ≥ WIDE_D; bench.kernels.update_only_wide),
    1 and 2 threads."""
    out = {}
    for d, T in WIDE_T.items():
        out.update(_wide_at(d, T if not quick else 2, 5 if not quick else 2))
    return out


def _wide_at(d, T, reps) -> dict:
    import numba

    inst = _instance(d, T)
    opt = regret.optimizer("adam")
    hp, alpha = opt.hp_vector(BUILTIN_TABLE.n_hp), opt.schedule_array(T)
    g = np.random.default_rng(1).standard_normal(d)
    full = _full_call(opt, inst, T, kernel=loop_wide.run_wide)
    x, St = np.zeros(d), np.zeros((S.N_ROWS, d))
    part = np.zeros(loop_wide.n_chunks(d), dtype=np.int64)
    # the same update in Kingma & Ba's §2 "efficient order" (eps_mode="hat"); both make one division
    # and one square root per coordinate (m̂, v̂ as the moments times the round's 1/(1 − β^t)), torch's
    # fused kernel two divisions (bench/README.md)
    hat = regret.optimizer("adam", eps_mode="hat")
    hhp, Sh = hat.hp_vector(BUILTIN_TABLE.n_hp), np.zeros((S.N_ROWS, d))
    calls = {"update": lambda: kernels.update_only_wide(BUILTIN_TABLE.code_of(opt), hp, alpha, g, x, T, St, part),
             "update hat": lambda: kernels.update_only_wide(BUILTIN_TABLE.code_of(hat), hhp, alpha, g, x, T, Sh, part)}
    torch_error = None
    try:  # torch's fused Adam on the same d (made once; its threads set below), timed in turn with the engine
        step = peers.torch_stepper("adam", "fused", d, 1)
        torch = sys.modules["torch"]
        torch_threads = torch.get_num_threads()
        calls["torch fused"] = lambda: [step() for _ in range(T)]
    except Exception as exc:  # torch not installed, or no fused Adam on this build: the torch section says so
        torch, torch_error = None, f"{type(exc).__name__}: {exc}"[:160]
    out = {}
    before = numba.get_num_threads()
    try:
        for threads in (1, 2):
            if threads > numba.config.NUMBA_NUM_THREADS:
                continue
            numba.set_num_threads(threads)
            if torch is not None:
                torch.set_num_threads(threads)
            med, best, _ = _timed(full, reps)
            try:
                times = _alternately(calls, reps)
            except Exception as exc:  # torch failing here (e.g. out of memory) must not lose the engine's rows
                if "torch fused" not in calls:
                    raise
                torch_error = f"{type(exc).__name__}: {exc}"[:160]
                del calls["torch fused"]
                times = _alternately(calls, reps)
            out[f"adam wide d={d} threads={threads}"] = {
                "d": d, "threads": threads, "T": T, "full ns/coord median": med / T / d * 1e9,
                "full ns/coord min": best / T / d * 1e9, "update ns/coord min": min(times["update"]) / T / d * 1e9,
                **{f"{k} ns/coord median": statistics.median(v) / T / d * 1e9 for k, v in times.items()},
                **({"torch fused error": torch_error} if torch_error else {})}
    finally:
        numba.set_num_threads(before)
        if torch is not None:
            torch.set_num_threads(torch_threads)
    return out


def _alternately(calls: dict, repeats: int) -> dict:
    """Wall seconds of each call, ``repeats`` times, taking the calls in turn (after one untimed warm-up
    call each), so that a change in the machine's load hits all alike."""
    for fn in calls.values():
        fn()
    times = {k: [] for k in calls}
    for _ in range(repeats):
        for k, fn in calls.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return times


def user_section(quick) -> dict:
    """A user's optimizer through the open door beside the built-in it copies: bench/user_adam.py
    is Adam's arithmetic as a plain Python function, outside the built-in table, so it runs in its
    own copy of the loops (regret.engine.kernel_set). Full rounds, the same problem and T, measured
    alternately (built-in, user, built-in, …) so that drift of the machine hits both alike."""
    from .user_adam import UserAdam

    res = {}
    reps = 7 if not quick else 2
    for d in (1, 1000):
        T = ENGINE_T[d][0] if not quick else max(ENGINE_T[d][0] // 20, 2)
        inst = _instance(d, T)
        calls = {"builtin": _full_call(regret.optimizer("adam"), inst, T), "user": _full_call(UserAdam(), inst, T)}
        times = _alternately(calls, reps)  # the warm-up call compiles (or loads from the disk cache)
        b, u = statistics.median(times["builtin"]), statistics.median(times["user"])
        res[f"adam d={d}"] = {"d": d, "T": T, "builtin ns/round median": b / T * 1e9,
                              "user ns/round median": u / T * 1e9, "user / builtin": u / b}
    return res


TORCH_STEPS = {1: 2000, 10: 2000, 1000: 1000, 10**6: 10}


def torch_section(quick) -> dict:
    res = {}
    reps = 5 if not quick else 2
    for d in DIMS:
        steps = TORCH_STEPS[d] if not quick else max(TORCH_STEPS[d] // 10, 3)
        for name in OPTS:
            for mode in peers.TORCH_MODES:
                for threads in ((1, 2) if (d == 10**6 and name == "adam") else (1,)):
                    if d == 10**6 and name == "adam" and mode == "fused" and threads == 1:  # and at 10^7, once
                        for th in (1, 2):
                            try:
                                med, best = peers.torch_step(name, mode, 10**7, max(2, steps // 5), th, reps)
                                res[f"adam fused d=10000000 threads={th}"] = {
                                    "d": 10**7, "optimizer": name, "mode": mode, "threads": th,
                                    "ns/step median": med * 1e9, "ns/coord median": med * 1e9 / 10**7}
                            except Exception as exc:
                                res[f"adam fused d=10000000 threads={th}"] = {"unsupported": f"{type(exc).__name__}"}
                    key = f"{name} {mode} d={d} threads={threads}"
                    try:
                        med, best = peers.torch_step(name, mode, d, steps, threads, reps)
                        res[key] = {"d": d, "optimizer": name, "mode": mode, "threads": threads,
                                    "ns/step median": med * 1e9, "ns/step min": best * 1e9,
                                    "ns/coord median": med * 1e9 / d, "ns/coord min": best * 1e9 / d}
                    except Exception as exc:  # e.g. fused not implemented for this optimizer/dtype on CPU
                        res[key] = {"d": d, "optimizer": name, "mode": mode, "threads": threads,
                                    "unsupported": f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"}
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    return res


NUMPY_STEPS = {1: 20000, 10: 20000, 1000: 5000, 10**6: 10}


def numpy_section(quick) -> dict:
    """The vectorized numpy Adam loop, in a subprocess whose environment has OPENBLAS_CORETYPE and
    OPENBLAS_L2_SIZE removed (both together; see the env notes), reported with the BLAS it loaded."""
    env = dict(os.environ)
    removed = [k for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if env.pop(k, None) is not None]
    res = {"unset_in_subprocess": removed}
    for d in DIMS:
        steps = NUMPY_STEPS[d] if not quick else max(NUMPY_STEPS[d] // 10, 3)
        cmd = [sys.executable, "-m", "bench.peers", "numpy", str(d), str(steps), "5" if not quick else "2"]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600,
                             cwd=Path(__file__).resolve().parent.parent)
        if out.returncode != 0:
            res[f"adam d={d}"] = {"error": out.stderr.strip().splitlines()[-1:]}
            continue
        got = json.loads(out.stdout)
        res[f"adam d={d}"] = {"d": d, "ns/step median": got["median"] * 1e9, "ns/step min": got["min"] * 1e9,
                              "ns/coord median": got["median"] * 1e9 / d}
        res["threadpools"] = [{k: p.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
                              for p in got["threadpools"]]
    return res


OPTAX_STEPS = {1: (20000, 200000), 10: (20000, 200000), 1000: (5000, 50000), 10**6: (10, 20)}


def optax_section(quick) -> dict:
    try:
        import optax  # noqa: F401
    except ImportError:
        return {"absent": "optax/jax not installed (pip install jax optax)"}
    res = {}
    for d in DIMS:
        s_step, s_scan = OPTAX_STEPS[d]
        if quick:
            s_step, s_scan = max(s_step // 10, 3), max(s_scan // 10, 3)
        a = peers.optax_adam(d, s_step, 5 if not quick else 2)
        b = peers.optax_adam(d, s_scan, 5 if not quick else 2) if s_scan != s_step else a
        res[f"adam d={d}"] = {"d": d, "jit_step ns/step median": a["jit_step"][0] * 1e9,
                              "jit_step ns/step min": a["jit_step"][1] * 1e9,
                              "scan ns/step median": b["scan"][0] * 1e9, "scan ns/step min": b["scan"][1] * 1e9,
                              "scan ns/coord median": b["scan"][0] * 1e9 / d, "steps": [s_step, s_scan]}
    return res


def batch_section(quick) -> dict:
    """Rounds per second of many one-dimensional runs: 10^4 Adam configurations (α, β2 on a grid) × T
    rounds of Reddi et al.'s problem (d = 1), on 1 and 2 threads, through the loop run_many takes for
    them (regret.engine.lanes: one SIMD lane per run) and through regret.engine.loop.run_batch (one run
    per thread, the loop of every other batch), measured alternately."""
    import numba

    from regret.engine import lanes

    R = 10_000 if not quick else 1000
    T = 20_000 if not quick else 200
    inst = regret.problem("reddi", C=3).instance(T, 0)
    alphas = np.logspace(-3, 0, 100)
    beta2s = np.linspace(0.1, 0.999, R // 100)
    opts = [regret.optimizer("adam", alpha=float(a), beta1=0.0, beta2=float(b2), schedule="sqrt")
            for a in alphas for b2 in beta2s]
    cps = np.array([T])
    d, K = 1, 1
    hps = np.stack([o.hp_vector(BUILTIN_TABLE.n_hp) for o in opts])
    args = (np.array([BUILTIN_TABLE.code_of(o) for o in opts], dtype=np.int64), hps,
            np.zeros((R, 1)), np.zeros(R, dtype=np.int64), inst.family.code, inst.family.params, inst.A[None],
            inst.b[None], inst.idx[None, :T].copy(), 1, T, inst.domain.code, inst.domain.P, float(inst.domain.r),
            cps, np.zeros((0, 0)), np.zeros((0, 0, d)), np.zeros((0, 0, d)),
            np.zeros((R, K)), np.zeros((R, K, d)), np.zeros((R, K, d)), np.zeros((R, K)), np.zeros((R, K)),
            np.zeros((R, K)), np.zeros((R, K, d)), np.zeros((R, K, d)), np.zeros((R, d)))
    x0s = np.tile(inst.start(), (R, 1))
    groups = lanes.groups_of([(int(c), ()) for c in args[0]])
    res = {"configurations": R, "T": T, "d": 1}
    before = numba.get_num_threads()
    for th in (1, 2):
        numba.set_num_threads(min(th, numba.config.NUMBA_NUM_THREADS))
        times = {"lanes": [], "run_batch": []}
        for _ in range(3):  # alternately, so that a change of the machine's load hits both
            for name, fn in (("lanes", lambda: lanes.run_lanes_linear_box_sqrt(groups, *args, *Carry.start(
                    x0s, hps, S.N_ROWS).all())), ("run_batch", lambda: loop.run_batch(*args, *Carry.start(
                    x0s, hps, S.N_ROWS).all()))):
                times[name].append(_median(fn, 1)[0])
        med, best = statistics.median(times["lanes"]), min(times["lanes"])
        gen = statistics.median(times["run_batch"])
        res[f"threads={th}"] = {"rounds/s median": R * T / med, "rounds/s best": R * T / best,
                                "ns/round/thread median": med / (R * T) * th * 1e9,
                                "run_batch rounds/s median": R * T / gen, "lanes / run_batch speed": gen / med}
    numba.set_num_threads(before)
    return res


def _generic_cvxpy(inst, T):
    """min_{x∈X} Σ_{t≤T} f_t(x) written out row by row in cvxpy — the loss family's own cvxpy
    expression (regret.losses.Family.cvxpy_total) over the T rows played, the domain's constraints —
    solved by Clarabel; returns (value of our own objective at the solution, solver status)."""
    import cvxpy as cp

    rows = inst.idx[:T]
    A, b = inst.A[rows], inst.b[rows]
    x = cp.Variable(inst.d)
    prob = cp.Problem(cp.Minimize(inst.family.cvxpy_total(x, A, b)), inst.domain.cvxpy_constraints(x))
    prob.solve(solver="CLARABEL")
    return float(inst.family.total(x.value, A, b)), prob.status


CHUNK_CASES = (("reddi", 1, 40_000_000), ("linear", 10, 4_000_000), ("linear", 1000, 40_000))


def chunks_section(quick) -> dict:
    """What cutting a run into compiled calls (regret/engine/carry.py) and drawing a progress bar
    between them cost: regret.engine.run (Adam, no per-round record) as one call for all T rounds,
    in the default chunks, and in the default chunks with a visible bar (tqdm, into /dev/null),
    timed in rotation so that the three see the same machine load."""
    import contextlib
    import io

    from regret import progress
    from regret.engine import carry

    out = {}
    reps = 9 if not quick else 2
    for name, d, T in CHUNK_CASES:
        T = T if not quick else T // 20
        prob = regret.problem("reddi", C=3) if name == "reddi" else regret.problem("linear", d=d, domain="box")

        def once(work, shown):
            carry.WORK_PER_CALL = work
            sink = io.StringIO()
            with progress.shown(shown), contextlib.redirect_stderr(sink):
                engine.run("adam", prob, T, record_losses=False)

        default = carry.WORK_PER_CALL
        ways = {"one call": (1 << 62, False), "chunks": (default, False), "chunks + bar": (default, True)}
        times = {k: [] for k in ways}
        try:
            once(default, False)  # compile / load
            for _ in range(reps):
                for k, (work, shown) in ways.items():
                    t0 = time.perf_counter()
                    once(work, shown)
                    times[k].append(time.perf_counter() - t0)
        finally:
            carry.WORK_PER_CALL = default
        med = {k: statistics.median(v) for k, v in times.items()}
        best = {k: min(v) for k, v in times.items()}
        out[f"{name} d={d}"] = {"d": d, "T": T, "calls": len(list(carry.chunks(T, d))),
                                **{f"{k} s median": v for k, v in med.items()},
                                **{f"{k} s min": v for k, v in best.items()},
                                "chunks / one call": med["chunks"] / med["one call"],
                                "chunks + bar / one call": med["chunks + bar"] / med["one call"],
                                "chunks / one call (min)": best["chunks"] / best["one call"],
                                "chunks + bar / one call (min)": best["chunks + bar"] / best["one call"]}
    return out


SWEEP_TOML = """T = {T}
seeds = 1
checkpoints = 10

[[optimizer]]
name = "adam"
beta1 = 0.0
schedule = "sqrt"
alpha = {alphas}
beta2 = {beta2s}

[[problem]]
name = "reddi"
C = 3
"""


def sweep_section(quick) -> dict:
    """`regret sweep` end to end against the compiled kernel it runs: a grid of 10^4 Adam
    configurations (α × β2) on Reddi et al.'s problem (d = 1), T = 10^5, one seed, the comparator at
    10 checkpoints, the Parquet store included; then the same command again on the finished store
    (the resume: every cell skipped). Beside it, the loop the sweep runs them in
    (regret.engine.lanes.run_lanes_linear_box_sqrt) on the same 10^4 configurations in one call: the
    ceiling the sweep's overheads are measured against."""
    n_a, n_b, T = (100, 100, 100_000) if not quick else (20, 10, 10_000)
    alphas = [float(a) for a in np.logspace(-3, 0, n_a)]
    beta2s = [float(b) for b in np.linspace(0.1, 0.999, n_b)]
    R = n_a * n_b
    opts = [regret.optimizer("adam", alpha=a, beta1=0.0, beta2=b, schedule="sqrt") for a in alphas for b in beta2s]
    inst = regret.problem("reddi", C=3).instance(T, 0)
    hps = np.stack([o.hp_vector(BUILTIN_TABLE.n_hp) for o in opts])
    cps = engine.default_checkpoints(T, 10)
    K, d = cps.size, 1
    args = (np.array([BUILTIN_TABLE.code_of(o) for o in opts], dtype=np.int64), hps, np.zeros((R, 1)), np.zeros(R, dtype=np.int64),
            inst.family.code, inst.family.params, inst.A[None], inst.b[None], inst.kernel_rows(T)[None].copy(), 1, T,
            inst.domain.code, inst.domain.P, float(inst.domain.r), cps, np.zeros((0, 0)), np.zeros((0, 0, d)),
            np.zeros((0, 0, d)), np.zeros((R, K)), np.zeros((R, K, d)), np.zeros((R, K, d)), np.zeros((R, K)),
            np.zeros((R, K)), np.zeros((R, K)), np.zeros((R, K, d)), np.zeros((R, K, d)), np.zeros((R, d)))
    x0s = np.tile(inst.start(), (R, 1))
    from regret.engine import lanes

    groups = lanes.groups_of([(int(c), ()) for c in args[0]])
    kernel_s, _ = _median(lambda: lanes.run_lanes_linear_box_sqrt(groups, *args, *Carry.start(x0s, hps, S.N_ROWS).all()), 1)
    exe = str(Path(sys.executable).parent / "regret")
    res = {"cells": R, "T": T, "d": 1, "kernel rounds/s": R * T / kernel_s}
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "sweep.toml"
        cfg.write_text(SWEEP_TOML.format(T=T, alphas=alphas, beta2s=beta2s))
        cmd = [exe, "sweep", str(cfg), "--out", str(Path(tmp) / "store"), "--quiet"]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        res["sweep s"] = time.perf_counter() - t0
        res["exit status"] = out.returncode
        res["sweep rounds/s"] = R * T / res["sweep s"]
        res["sweep / kernel"] = res["sweep rounds/s"] / res["kernel rounds/s"]
        resumes = []
        for _ in range(3 if not quick else 1):
            t0 = time.perf_counter()
            again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            resumes.append(time.perf_counter() - t0)
        res["resume s median"] = statistics.median(resumes)
        res["resume said"] = again.stderr.strip().splitlines()[-1] if again.stderr.strip() else ""
        t0 = time.perf_counter()
        subprocess.run([exe, "--help"], capture_output=True, timeout=300)
        res["regret --help s"] = time.perf_counter() - t0
        # the same grid on a LocalCluster of 2 one-thread workers (cluster start-up included)
        t0 = time.perf_counter()
        out = subprocess.run([exe, "sweep", str(cfg), "--out", str(Path(tmp) / "dask"), "--quiet", "--dask",
                              "local:2"], capture_output=True, text=True, timeout=3600)
        res["dask local:2 s"] = time.perf_counter() - t0
        res["dask exit status"] = out.returncode
        res["dask / local"] = res["dask local:2 s"] / res["sweep s"]
        # and on a cluster that is already running (the tcp:// case: a scheduler and 2 one-thread
        # workers, started and warmed before the clock starts — by a sweep of 4 cells of the same kind,
        # so that the workers have loaded the compiled loops from the disk cache, as a cluster that has
        # run a sweep before has; a fresh local process loads them within its timing)
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            warm = Path(tmp) / "warm.toml"
            warm.write_text(SWEEP_TOML.format(T=1000, alphas=alphas[:2], beta2s=beta2s[:2]))
            subprocess.run([exe, "sweep", str(warm), "--out", str(Path(tmp) / "dask-warm"), "--quiet", "--dask",
                            cluster.scheduler_address], capture_output=True, text=True, timeout=600)
            t0 = time.perf_counter()
            out = subprocess.run([exe, "sweep", str(cfg), "--out", str(Path(tmp) / "dask-tcp"), "--quiet",
                                  "--dask", cluster.scheduler_address], capture_output=True, text=True, timeout=3600)
            res["dask running cluster s"] = time.perf_counter() - t0
            res["dask running cluster exit status"] = out.returncode
        res["dask running cluster / local"] = res["dask running cluster s"] / res["sweep s"]
    return res


def comparator_section(quick) -> dict:
    """Best fixed comparator at one checkpoint T on a box, the dimensions of the comparator-strategy measurements (docs/architecture.md)
    (linear d = 100, least squares d = 10): the fast route (closed form / sufficient statistics),
    the package's cvxpy route (one DPP problem over those statistics) and generic cvxpy on Σ_t f_t
    written row by row, for T = 10^3…10^6 (the row-by-row problem at T = 10^6: ~30 s and 8.5 GB of
    memory here). Fast and package routes: median of 3; generic cvxpy: one solve. The rows are drawn
    before any route is timed (every route then reads the same rows in memory: a stream drawn whole
    is read as views of those rows), so no route pays for generating the data."""
    from regret.comparator import best_fixed

    Ts = (1000, 10_000, 100_000, 1_000_000) if not quick else (1000, 10_000)
    generic_max = 1_000_000
    warm = regret.problem("least_squares", d=2, domain="box").instance(20, 0)
    _generic_cvxpy(warm, 20)  # import cvxpy and load Clarabel outside the timings
    best_fixed(warm, [20], method="cvxpy")
    res = {}
    for fam, fast, d in (("linear", "closed_form", 100), ("least_squares", "sufficient_statistics", 10)):
        for T in Ts:
            inst = regret.problem(fam, d=d, domain="box").instance(T, 0)
            inst.A  # the rows in memory before any timing (see the docstring)
            row = {"family": fam, "T": T, "d": d, "fast route": fast}
            got = {}
            row["fast s"] = _median(lambda: got.update(cf=best_fixed(inst, [T], method=fast)), 3)[0]
            row["fast value"] = float(got["cf"].value[0])
            row["fast certificate"] = float(got["cf"].certificate[0])
            row["package cvxpy s"] = _median(lambda: got.update(pc=best_fixed(inst, [T], method="cvxpy")), 3)[0]
            row["package cvxpy value"] = float(got["pc"].value[0])
            if T <= generic_max:
                t0 = time.perf_counter()
                value, status = _generic_cvxpy(inst, T)
                row["generic cvxpy s"] = time.perf_counter() - t0
                row["generic cvxpy value"] = value
                row["generic cvxpy status"] = status
                row["speedup"] = row["generic cvxpy s"] / row["fast s"]
                row["|difference| / max(1, |F*|)"] = abs(value - row["fast value"]) / max(1.0, abs(row["fast value"]))
            else:
                row["generic cvxpy"] = f"not run above T = {generic_max} (time budget)"
            res[f"{fam} T={T}"] = row
    return res


def comparator_run_section(quick) -> dict:
    """The comparator against the run it serves, at 40 checkpoints (regret.run's default): logistic
    d = 10, T = 10^6 (a smooth family) and hinge d = 10, T = 10^5 (piecewise linear). The run's time
    is the engine's (comparator=False), the comparator's is the curve's own wall time."""
    from regret.comparator import best_fixed

    res = {}
    for fam, T in (("logistic", 1_000_000 if not quick else 20_000), ("hinge", 100_000 if not quick else 5_000)):
        spec = regret.problem(fam, d=10)
        opt = regret.optimizer("adam", alpha=0.05)
        regret.run(opt, spec, T=min(T, 1000), comparator=False)  # compiled outside the timing
        t0 = time.perf_counter()
        run = regret.run(opt, spec, T=T, comparator=False)
        run_s = time.perf_counter() - t0
        curve = best_fixed(run.instances[0], run.checkpoints)
        res[f"{fam} d=10 T={T}"] = {"family": fam, "T": T, "checkpoints": int(run.checkpoints.size), "run s": run_s,
                                    "comparator s": curve.seconds, "comparator / run": curve.seconds / run_s,
                                    "method": curve.method, "certificate max": float(curve.certificate.max())}
    return res


def cli_section(quick) -> dict:
    """Wall time of `regret run --optimizer adam --problem reddi --T 1000` as a subprocess: first
    run with an empty NUMBA_CACHE_DIR (every kernel compiles), then warm runs with that cache."""
    exe = str(Path(sys.executable).parent / "regret")
    cmd = [exe, "run", "--optimizer", "adam", "--problem", "reddi", "--T", "1000", "--quiet"]
    res = {"command": " ".join(["regret"] + cmd[1:])}
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        res["first run s (empty cache)"] = time.perf_counter() - t0
        res["exit status"] = out.returncode
        warm = []
        for _ in range(3 if not quick else 1):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
            warm.append(time.perf_counter() - t0)
        res["warm run s median"] = statistics.median(warm)
        res["warm run s all"] = warm
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import regret"], capture_output=True, timeout=300)
    res["python -c 'import regret' s"] = time.perf_counter() - t0
    return res


# ------------------------------------------------------------------------------------------------
# targets and report
# ------------------------------------------------------------------------------------------------
def targets(r) -> list[dict]:
    out = []

    def add(name, value, goal, ok, note=""):
        out.append({"target": name, "measured": value, "goal": goal, "met": ok, "note": note})

    e = r.get("engine", {})
    t = r.get("torch", {})
    o = r.get("optax", {})
    s = r.get("stream", {})
    if "adam d=1" in e:
        full1 = e["adam d=1"]["full ns/round median"]
        add("d=1 Adam full round, median ns", round(full1, 2), "≤ 10", full1 <= 10)
        td = t.get("adam default d=1 threads=1", {}).get("ns/step median")
        if td:
            add("torch.optim default Adam / engine full round (d=1)", round(td / full1, 1), "≥ 5000", td / full1 >= 5000)
        os_ = o.get("adam d=1", {}).get("scan ns/step median")
        if os_:
            add("optax lax.scan Adam / engine full round (d=1)", round(os_ / full1, 2), "≥ 4", os_ / full1 >= 4)
    if "plain d=1" in e:
        ratio = e["plain d=1"]["engine / plain"]
        add("d=1 Adam full round (α/√t, Reddi's sequence) / plain numba loop", round(ratio, 2), "≤ 0.6", ratio <= 0.6)
    if "plain update d=1000" in e:
        ratio = e["plain update d=1000"]["engine / plain"]
        add("Adam update-only d=1000 / plain numba loop", round(ratio, 2), "≤ 1.0", ratio <= 1.0)
    if "end to end d=1" in e:
        ratio = e["end to end d=1"]["end to end / kernel"]
        add(f"regret.run(adam α/√t, reddi, T={e['end to end d=1']['T']:.0e}) default call / the kernel's full round",
            round(ratio, 2), "≤ 1.3", ratio <= 1.3)
    for dd, th in ((10**6, 1), (10**6, 2), (10**7, 1), (10**7, 2)):
        # the engine's wide update and torch's fused Adam timed in turn (_wide_at); the torch section's
        # own figure, measured minutes apart, only where torch could not be timed beside it
        row = e.get(f"adam wide d={dd} threads={th}", {})
        w, tf = row.get("update ns/coord median"), row.get("torch fused ns/coord median")
        how = "timed in turn"
        if w and not tf:
            tf, how = t.get(f"adam fused d={dd} threads={th}", {}).get("ns/coord median"), "separate sections"
        if w and tf:
            add(f"d=1e{len(str(dd)) - 1} Adam update-only vs torch fused ({th} thread{'s' if th > 1 else ''}, "
                f"{how}), ns/coord", f"{w:.2f} vs {tf:.2f}", "engine ≤ torch", w <= tf)
    for dd in (10**6, 10**7):  # the same wide update rows against the STREAM estimate of their 56 B
        for th in (1, 2):
            w = e.get(f"adam wide d={dd} threads={th}", {}).get("update ns/coord median")
            bound = s.get(f"adam bound ns/coord {th} thread{'s' if th > 1 else ''}")
            if w and bound:
                add(f"d=1e{len(str(dd)) - 1} Adam update-only / bandwidth bound ({th} thread{'s' if th > 1 else ''})",
                    round(w / bound, 2), "≤ 1.3", w / bound <= 1.3)
    full_bound = s.get("full round bound ns/coord 1 thread")
    if full_bound and "adam d=1000000" in e:
        full = e["adam d=1000000"]["full ns/coord median"]
        add(f"d=1e6 Adam full round / bandwidth bound of its {FULL_ROUND_BYTES} B (1 thread)",
            round(full / full_bound, 2), "≤ 2", full / full_bound <= 2)
    for key, row in r.get("user", {}).items():
        add(f"user optimizer with Adam's arithmetic / built-in Adam, full round, {key.split()[-1]}",
            round(row["user / builtin"], 3), "≤ 1.5", row["user / builtin"] <= 1.5)
    b = r.get("batch", {})
    if "threads=2" in b:
        rps = b["threads=2"]["rounds/s median"]
        add("batched d=1, 2 threads, rounds/s", f"{rps:.3g}", "≥ 2e8", rps >= 2e8)
        add("batched d=1, 2 threads, rounds/s, aim (one SIMD lane per run)", f"{rps:.3g}", "10^9", rps >= 1e9)
    c = r.get("comparator", {})
    for fam in ("linear", "least_squares"):
        row = c.get(f"{fam} T=100000", {})
        if "speedup" in row:
            diff = row["|difference| / max(1, |F*|)"]
            add(f"comparator {fam} T=1e5: generic cvxpy time / fast route", round(row["speedup"], 1), "≥ 100",
                row["speedup"] >= 100)
            add(f"comparator {fam} T=1e5: |F_fast − F_generic| / max(1,|F|)", f"{diff:.2e}", "≤ 1e-7", diff <= 1e-7)
    for row in r.get("comparator_run", {}).values():
        goal = 3.0 if row["family"] == "logistic" else 10.0
        add(f"comparator / run, {row['family']} d=10 T={row['T']:.0e}, {row['checkpoints']} checkpoints",
            round(row["comparator / run"], 2), f"≤ {goal:g}", row["comparator / run"] <= goal)
    cl = r.get("cli", {})
    if "warm run s median" in cl:
        add("warm `regret run` wall s", round(cl["warm run s median"], 3), "< 1.0", cl["warm run s median"] < 1.0)
    if "first run s (empty cache)" in cl:
        v = cl["first run s (empty cache)"]
        add("cold first `regret run` (every kernel compiles) wall s", round(v, 1), "≤ 10", v <= 10)
    return out


def _fmt(v, nd=3):
    if v is None:  # not measured (a peer missing from this machine)
        return "—"
    if isinstance(v, float):
        return f"{v:.{nd}g}"
    return str(v)


def markdown(r) -> str:
    m = r["machine"]
    blas = ", ".join(f"{b['internal_api']} {b['version']} ({b['architecture']})" for b in m["blas"])
    L = [f"# regret benchmark — {r['started']}", "",
         f"Command: `{r['command']}` ({r['duration_s']:.0f} s). Machine: {m.get('Model name')}, {m.get('CPU(s)')} CPUs "
         f"({m.get('Hypervisor vendor') or 'bare metal'}), L3 {m.get('L3 cache')}; Python {m['python']}, numpy "
         f"{m['numpy']}, numba {m['numba']}, torch {m.get('torch')}, jax {m.get('jax')}, optax {m.get('optax')}; "
         f"BLAS: {blas}; numba threading layer: {m.get('numba_threading_layer')}.",
         f"Instruction set compiled for: **{m['compile_target']['isa']}** ({m['compile_target']['build']} build, "
         f"LLVM CPU {m['compile_target']['cpu_name']}) on a host with {m['compile_target']['host_isa']} "
         f"({m['compile_target']['host_cpu_name']}).",
         f"Load average (1, 5, 15 min) before: {r['load_before']}, after: {r['load_after']} "
         f"(other processes share the {m['cores']} cores: a load above ~1 inflates wall times).", ""]
    L += ["## Targets (ratios from this run)", "", "| target | measured | goal | met |", "| --- | --- | --- | --- |"]
    for t in r["targets"]:
        L.append(f"| {t['target']} | {t['measured']} | {t['goal']} | {'yes' if t['met'] else 'NO'} |")
    if "stream" in r:
        s = r["stream"]
        L += ["", f"## Memory bandwidth (STREAM-style, arrays of {s['array_MiB']:.0f} MiB)", "",
              "| kernel | GB/s best | GB/s median |", "| --- | --- | --- |"]
        for k, v in s.items():
            if isinstance(v, dict):
                L.append(f"| {k} | {v['GB/s best']:.1f} | {v['GB/s median']:.1f} |")
        L += ["", f"Adam bound ({ADAM_BYTES} B per coordinate-step / triad bandwidth): "
              f"{s['adam bound ns/coord 1 thread']:.2f} ns/coord (1 thread), "
              f"{s['adam bound ns/coord 2 threads']:.2f} ns/coord (2 threads)."]
    if "engine" in r:
        L += ["", "## Engine (median ns; full round = loss + gradient + statistics + step + projection)", "",
              "Wall time; in brackets the process CPU time, which excludes what other processes took.", "",
              "| optimizer | d | full ns/round | full ns/coord | update-only ns/step | update-only ns/coord |",
              "| --- | --- | --- | --- | --- | --- |"]
        for v in r["engine"].values():
            if "threads" in v or "optimizer" not in v:
                continue
            L.append(f"| {v['optimizer']} | {v['d']} | {_fmt(v['full ns/round median'])} "
                     f"[{_fmt(v['full cpu ns/round median'])}] | {_fmt(v['full ns/coord median'])} | "
                     f"{_fmt(v['update ns/step median'])} [{_fmt(v['update cpu ns/step median'])}] | "
                     f"{_fmt(v['update ns/coord median'])} |")
        pl, pu = r["engine"].get("plain d=1"), r["engine"].get("plain update d=1000")
        if pl and pu:
            L += ["", "Beside the plain numba loops of `bench/kernels.py` (the same work written the straightforward "
                  "way; measured alternately):", "", "| what | engine | plain loop | engine / plain |",
                  "| --- | --- | --- | --- |",
                  f"| d = 1 Adam full round, α/√t, Reddi's sequence (ns/round) | {_fmt(pl['engine ns/round median'])} | "
                  f"{_fmt(pl['plain ns/round median'])} | {pl['engine / plain']:.2f} |",
                  f"| Adam update-only, d = 1000 (ns/coord) | {_fmt(pu['engine ns/coord median'])} | "
                  f"{_fmt(pu['plain ns/coord median'])} | {pu['engine / plain']:.2f} |"]
        wide = [v for v in r["engine"].values() if "threads" in v]
        if wide:
            L += ["", "Adam at d = 10^6 and 10^7 parallel over coordinates (`regret.engine.loop_wide`, the engine's "
                  "path at d ≥ 2^16; chunks of 4096 coordinates):", "",
                  "| d | threads | full ns/coord | update-only ns/coord | update-only, §2's efficient order "
                  "(eps_mode='hat') | torch fused Adam, timed in turn with the two before |",
                  "| --- | --- | --- | --- | --- | --- |"]
            for v in wide:
                L.append(f"| {v['d']:.0e} | {v['threads']} | {_fmt(v['full ns/coord median'])} | "
                         f"{_fmt(v['update ns/coord median'])} | {_fmt(v.get('update hat ns/coord median'))} | "
                         f"{_fmt(v.get('torch fused ns/coord median'))} |")
    if "user" in r:
        L += ["", "## A user's optimizer (bench/user_adam.py: Adam's arithmetic, outside the built-in table) beside the "
                  "built-in Adam, full rounds (median ns per round, measured alternately)", "",
              "| d | built-in Adam | user optimizer | user / built-in |", "| --- | --- | --- | --- |"]
        for v in r["user"].values():
            L.append(f"| {v['d']} | {_fmt(v['builtin ns/round median'])} | {_fmt(v['user ns/round median'])} | "
                     f"{_fmt(v['user / builtin'])} |")
    if "torch" in r:
        L += ["", "## torch.optim, float64, update-only (median ns per step; per coordinate in brackets)", "",
              "| optimizer | d | threads | default | foreach | fused |", "| --- | --- | --- | --- | --- | --- |"]
        seen = set()
        for v in r["torch"].values():
            key = (v["optimizer"], v["d"], v["threads"])
            if key in seen:
                continue
            seen.add(key)
            cells = []
            for mode in peers.TORCH_MODES:
                x = r["torch"].get(f"{v['optimizer']} {mode} d={v['d']} threads={v['threads']}", {})
                cells.append("unsupported" if "unsupported" in x else
                             (f"{_fmt(x['ns/step median'])} [{_fmt(x['ns/coord median'])}]" if x else "—"))
            L.append(f"| {v['optimizer']} | {v['d']} | {v['threads']} | " + " | ".join(cells) + " |")
        unsup = sorted({v["unsupported"] for v in r["torch"].values() if "unsupported" in v})
        if unsup:
            L += ["", "Unsupported modes: " + "; ".join(unsup)]
    if "numpy" in r or "optax" in r:
        L += ["", "## Adam, update-only: numpy loop and optax (median ns per step)", "",
              "| d | numpy loop | optax jitted step | optax lax.scan | engine update-only | engine full round |",
              "| --- | --- | --- | --- | --- | --- |"]
        for d in DIMS:
            n = r.get("numpy", {}).get(f"adam d={d}", {})
            o = r.get("optax", {}).get(f"adam d={d}", {})
            e = r.get("engine", {}).get(f"adam d={d}", {})
            L.append(f"| {d} | {_fmt(n.get('ns/step median', '—'))} | {_fmt(o.get('jit_step ns/step median', '—'))} | "
                     f"{_fmt(o.get('scan ns/step median', '—'))} | {_fmt(e.get('update ns/step median', '—'))} | "
                     f"{_fmt(e.get('full ns/round median', '—'))} |")
        if "numpy" in r:
            L += ["", f"numpy subprocess: removed from its environment: {r['numpy'].get('unset_in_subprocess') or 'nothing (neither variable was set)'}; "
                  f"BLAS there: {r['numpy'].get('threadpools')}."]
    if "batch" in r:
        b = r["batch"]
        L += ["", f"## Batched runs: {b['configurations']} Adam configurations × T = {b['T']}, d = 1 — one SIMD lane "
              "per run (regret.engine.lanes, what run_many takes for them) beside one run per thread "
              "(regret.engine.loop.run_batch), measured alternately", "",
              "| threads | lanes rounds/s (median) | ns per round per thread | run_batch rounds/s | lanes / run_batch |",
              "| --- | --- | --- | --- | --- |"]
        for th in (1, 2):
            v = b.get(f"threads={th}")
            if v:
                L.append(f"| {th} | {v['rounds/s median']:.3g} | {v['ns/round/thread median']:.3g} | "
                         f"{v.get('run_batch rounds/s median', float('nan')):.3g} | "
                         f"{v.get('lanes / run_batch speed', float('nan')):.2f} |")
    if "chunks" in r:
        L += ["", "## A run in compiled chunks, with and without a progress bar (Adam, regret.engine.run, no records)",
              "", "Median (min) seconds over runs timed in rotation.", "",
              "| problem | d | T | calls | one call s | chunks s | chunks + bar s | chunks / one call | "
              "chunks + bar / one call |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for k, v in r["chunks"].items():
            L.append(f"| {k.split()[0]} | {v['d']} | {v['T']} | {v['calls']} | "
                     f"{v['one call s median']:.3f} ({v['one call s min']:.3f}) | "
                     f"{v['chunks s median']:.3f} ({v['chunks s min']:.3f}) | "
                     f"{v['chunks + bar s median']:.3f} ({v['chunks + bar s min']:.3f}) | "
                     f"{v['chunks / one call']:.3f} ({v['chunks / one call (min)']:.3f}) | "
                     f"{v['chunks + bar / one call']:.3f} ({v['chunks + bar / one call (min)']:.3f}) |")
    if "sweep" in r:
        s = r["sweep"]
        L += ["", f"## `regret sweep`: {s['cells']} Adam configurations × T = {s['T']}, d = 1, comparator at 10 "
              "checkpoints, Parquet store included", "",
              f"Whole command (a subprocess, import and grid included): {s['sweep s']:.1f} s, "
              f"{s['sweep rounds/s']:.3g} rounds/s; the compiled kernel on the same configurations in one call: "
              f"{s['kernel rounds/s']:.3g} rounds/s (sweep / kernel = {s['sweep / kernel']:.2f}). "
              f"The same command on the finished store (every cell skipped): {s['resume s median']:.2f} s "
              f"(`regret --help` alone: {s['regret --help s']:.2f} s). The same sweep with `--dask local:2` "
              f"(a LocalCluster of 2 one-thread workers, its start-up included): {s['dask local:2 s']:.1f} s, "
              f"{s['dask / local']:.2f} × the local executor; with `--dask tcp://…` to a cluster of 2 one-thread "
              f"workers already running: {s['dask running cluster s']:.1f} s, "
              f"{s['dask running cluster / local']:.2f} × the local executor."]
    if "comparator" in r:
        L += ["", "## Comparator at checkpoint T (box; linear d = 100, least squares d = 10)", "",
              "Generic cvxpy: Σ_t f_t written row by row (Family.cvxpy_total over the T rows played), Clarabel. "
              "Package cvxpy: regret.comparator's cvxpy route (one DPP problem over the sufficient statistics).", "",
              "Note: `_median` runs one untimed warm-up call first, so the fast and package routes are timed "
              "warm (numpy/cvxpy loaded).", "",
              "| family | T | fast route | fast s | package cvxpy s | generic cvxpy s | speedup vs generic | "
              "relative difference |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for v in r["comparator"].values():
            L.append(f"| {v['family']} | {v['T']} | {v['fast route']} | {v['fast s']:.4g} | "
                     f"{v['package cvxpy s']:.4g} | {_fmt(v.get('generic cvxpy s', 'not run'))} | "
                     f"{_fmt(v.get('speedup', '—'))} | {_fmt(v.get('|difference| / max(1, |F*|)', '—'))} |")
    if "comparator_run" in r:
        L += ["", "## The comparator against the run it serves (40 checkpoints, the default)", "",
              "| problem | run s | comparator s | comparator / run | route |", "| --- | --- | --- | --- | --- |"]
        for row in r["comparator_run"].values():
            L.append(f"| {row['family']} d=10, T={row['T']} | {row['run s']:.3g} | {row['comparator s']:.3g} | "
                     f"{row['comparator / run']:.2f} | {row['method'][:60]} |")
    if "engine" in r and "end to end d=1" in r["engine"]:
        x = r["engine"]["end to end d=1"]
        L += ["", f"`regret.run(adam(α=0.5, α/√t), reddi C=3, T={x['T']:.0e})` with its defaults: "
                  f"{x['regret.run ns/round median']:.3g} ns/round end to end, {x['kernel ns/round median']:.3g} for the "
                  f"kernel's full round alone ({x['end to end / kernel']:.2f}×)."]
    if "cli" in r:
        c = r["cli"]
        imp = c["python -c 'import regret' s"]
        L += ["", "## `regret run` latency (subprocess wall time)", "",
              f"`{c['command']}`: first run with an empty NUMBA_CACHE_DIR {c['first run s (empty cache)']:.1f} s; "
              f"warm {c['warm run s median']:.2f} s (median of {len(c['warm run s all'])}); "
              f"`python -c 'import regret'` {imp:.2f} s."]
    if r.get("errors"):
        L += ["", "## Sections that failed", ""] + [f"- {k}: {v}" for k, v in r["errors"].items()]
    return "\n".join(L) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes (checks the harness in ~1 min)")
    p.add_argument("--out", default=None,
                   help="output directory [bench/results; bench/results/avx2 with --isa avx2]")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {','.join(SECTIONS)}")
    p.add_argument("--isa", choices=("native", "avx2"), default="native",
                   help="compile the kernels for this machine (native) or as for an AVX2-only CPU (avx2: "
                        "NUMBA_CPU_NAME=haswell with the host's AVX-512 features off) [native]")
    args = p.parse_args(argv)
    if args.out is None:  # the AVX2 build's results beside the native build's, never over them
        args.out = str(Path(__file__).resolve().parent / "results" / ("avx2" if args.isa == "avx2" else ""))
    if args.isa == "avx2" and os.environ.get("NUMBA_CPU_NAME") != "haswell":
        # numba reads the target at import: run this command again in an environment that sets it
        again = [sys.executable, "-m", "bench"] + list(argv if argv is not None else sys.argv[1:])
        again += ["--out", args.out]
        return subprocess.run(again, env=avx2_environment()).returncode
    only = [s for s in args.only.split(",") if s]
    for s in only:
        if s not in SECTIONS:
            p.error(f"--only: unknown section {s!r}; one of {','.join(SECTIONS)}")
    t_start = time.perf_counter()
    r = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
         "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
         "load_before": [round(x, 2) for x in os.getloadavg()], "machine": machine(), "errors": {}}
    funcs = {"stream": lambda: stream(r["machine"], args.quick), "engine": lambda: engine_section(args.quick),
             "user": lambda: user_section(args.quick), "torch": lambda: torch_section(args.quick), "numpy": lambda: numpy_section(args.quick),
             "optax": lambda: optax_section(args.quick), "batch": lambda: batch_section(args.quick),
             "chunks": lambda: chunks_section(args.quick), "sweep": lambda: sweep_section(args.quick),
             "comparator": lambda: comparator_section(args.quick),
             "comparator_run": lambda: comparator_run_section(args.quick), "cli": lambda: cli_section(args.quick)}
    for name in SECTIONS:
        if name not in only:
            continue
        t0 = time.perf_counter()
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        try:
            r[name] = funcs[name]()
        except Exception as exc:  # one failing peer must not lose the other sections
            r["errors"][name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        print(f"[bench] {name} done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    r["load_after"] = [round(x, 2) for x in os.getloadavg()]
    try:
        import numba

        r["machine"]["numba_threading_layer"] = numba.threading_layer()
    except ValueError:  # no parallel kernel ran
        pass
    r["duration_s"] = time.perf_counter() - t_start
    r["targets"] = targets(r)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for fname, text in (("results.json", json.dumps(r, indent=1, default=str)), ("results.md", markdown(r))):
        tmp = out / (fname + ".tmp")
        tmp.write_text(text)
        tmp.replace(out / fname)
    print(markdown(r))
    # a section that failed for another reason than an optional peer that is not installed (torch,
    # jax, optax) is a broken harness: the exit status says so (CI runs `python -m bench --quick`)
    optional = ("No module named 'torch'", "No module named 'jax'", "No module named 'optax'")
    broken = {k: e for k, e in r["errors"].items() if not (e.startswith("ModuleNotFoundError") and
                                                            any(m in e for m in optional))}
    for k, e in broken.items():
        print(f"bench: section {k} failed: {e}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
