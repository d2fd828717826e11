"""The benchmark's own pieces that its numbers rest on (the benchmark itself is run by CI as
`python -m bench --quick`, untimed): the plain reference loops compute what the engine computes, and
the AVX2 build really leaves AVX-512 out."""
import os
import subprocess
import sys

import numpy as np

import regret
from bench import kernels

ROOT = os.path.join(os.path.dirname(__file__), "..")


def test_the_plain_full_round_computes_the_engines_numbers():
    """Adam with α/√t on Reddi et al.'s sequence: the plain loop and the engine agree to rounding on the
    final point, Σ f_t, Σ g², min/max x, the time average, max |g| and the effective step."""
    T = 3000
    x, loss, sq, lo, hi, xs, gmax, rmax = kernels.plain_adam_reddi(T, 3.0, 0.5, 0.9, 0.999, 1e-8)
    r = regret.run(regret.optimizer("adam", alpha=0.5, schedule="sqrt"), regret.problem("reddi", C=3), T=T,
                   comparator=False)
    np.testing.assert_allclose([x, loss, sq, lo, hi, xs / T, gmax, rmax],
                               [r.x_final[0, 0], r.learner_loss[0, -1], r.grad_sq[0, -1, 0], r.x_min[0, -1, 0],
                                r.x_max[0, -1, 0], r.x_average[0, 0], r.G_inf[0, -1], r.step_ratio[0, -1]],
                               rtol=1e-12, atol=1e-12)


def test_the_plain_update_is_the_engines_adam_update():
    g = np.random.default_rng(2).standard_normal(50)
    x_plain, x_engine = np.zeros(50), np.zeros(50)
    kernels.plain_adam_update(0.001, 0.9, 0.999, 1e-8, g, x_plain, 200)
    adam = regret.optimizer("adam")
    from regret.optimizers.registry import BUILTIN_TABLE

    kernels.update_only(BUILTIN_TABLE.code_of(adam), adam.hp_vector(BUILTIN_TABLE.n_hp), adam.schedule_array(200), g,
                        x_engine, 200)
    np.testing.assert_allclose(x_engine, x_plain, rtol=1e-12, atol=1e-15)


def test_the_avx2_build_has_no_avx512_instruction():
    """`python -m bench --isa avx2` compiles for a Haswell with the host's AVX-512 features off: in that
    environment numba hands LLVM the CPU haswell with AVX-512 disabled (so no AVX-512 instruction can
    be emitted) and AVX2 enabled, and a vectorized loop uses no zmm register."""
    from bench.__main__ import avx2_environment

    code = ("import numpy as np\nfrom numba import njit\nfrom numba.core.registry import cpu_target\n"
            "@njit\ndef f(a, b):\n    for i in range(a.shape[0]):\n        a[i] = a[i] * 1.5 + b[i]\n"
            "a = np.ones(64); f(a, a)\nasm = next(iter(f.inspect_asm().values()))\n"
            "cg = cpu_target.target_context.codegen()\n"
            "print(cg._get_host_cpu_name(), '+avx512f' in cg._tm_features, '+avx2' in cg._tm_features, 'zmm' in asm)\n"
            "from bench.__main__ import compile_target\nprint(compile_target()['isa'])")
    out = subprocess.run([sys.executable, "-c", code], env=avx2_environment(), cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    cpu, avx512, avx2, zmm, isa = out.stdout.split()
    assert (cpu, avx512, avx2, zmm, isa) == ("haswell", "False", "True", "False", "AVX2")
