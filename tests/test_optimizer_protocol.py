"""The optimizer protocol and the table the engine dispatches through: every built-in is discovered
from its own file, checked against the protocol, and dispatched by a generated branch that names
it; anything outside the table is refused with a clear error — never run as another algorithm."""
from __future__ import annotations

import os
import pkgutil
from dataclasses import dataclass

import numpy as np
import pytest

import regret
from regret.engine import kernel_set
from regret.engine.carry import Carry
from regret.errors import InvalidInput
from regret.optimizers import Optimizer, algorithms, steps as S
from regret.optimizers.registry import BUILTIN_TABLE, Table, check_protocol


def test_every_file_of_the_algorithms_package_is_one_builtin():
    files = sorted(m.name for m in pkgutil.iter_modules(algorithms.__path__))
    assert len(files) == len(BUILTIN_TABLE.algorithms) == len(regret.OPTIMIZERS)
    assert sorted(cls.__module__.rsplit(".", 1)[1] for cls in BUILTIN_TABLE.algorithms) == files
    for code, cls in enumerate(BUILTIN_TABLE.algorithms):
        assert BUILTIN_TABLE.code_of(cls) == code == BUILTIN_TABLE.code_of(cls())
        assert regret.OPTIMIZERS[cls.name] is cls


def test_generated_dispatch_names_every_algorithm_in_its_branch():
    src = S.BUILTIN.source
    for code, cls in enumerate(BUILTIN_TABLE.algorithms):
        assert f"if code == {code}:  # {cls.name}" in src
    assert "raise ValueError" in src  # check_code


@dataclass(frozen=True, eq=False, repr=False)
class _NotInTheTable(Optimizer):
    """What a new user wrote before the protocol: a subclass with no update. It used to run as AdamX."""

    name = "mine"
    alpha: float = 0.1
    schedule: object = "constant"


def test_an_optimizer_outside_the_table_is_refused_not_run_as_another():
    inst = regret.problem("reddi", C=3)
    for call in (lambda: regret.run(_NotInTheTable(), inst, 10, comparator=False),
                 lambda: regret.run_many([_NotInTheTable()], inst, 10, comparator=False)):
        with pytest.raises(InvalidInput) as e:
            call()
        assert e.value.field in ("optimizer", "_NotInTheTable.update")


@pytest.mark.parametrize("d", [1, 3])
def test_a_code_outside_the_table_is_an_error_in_the_compiled_loop(d):
    """The compiled loops check the code on entry (the Python side refuses it before)."""
    inst = regret.from_arrays("linear", regret.box(d, -1.0, 1.0), np.ones((2, d)))
    K = 1
    hp = regret.optimizer("sgd").hp_vector(BUILTIN_TABLE.n_hp)
    args = (len(BUILTIN_TABLE.algorithms), hp, np.zeros(1), inst.family.code,
            inst.family.params, inst.A, inst.b, inst.idx, 1, inst.T, inst.domain.code, inst.domain.P, 0.0,
            np.array([2]), np.zeros(0), np.zeros((0, d)), np.zeros((0, d)), np.zeros(K), np.zeros((K, d)),
            np.zeros((K, d)), np.zeros(K), np.zeros(K), np.zeros(K), np.zeros((K, d)), np.zeros((K, d)), np.zeros(d),
            *Carry.start(np.zeros((1, d)), hp[None], BUILTIN_TABLE.n_state).of(0))
    with pytest.raises(ValueError, match="outside the table"):
        kernel_set.BUILTIN.kernel_for(d, inst.family.code)(*args)


def _spec(**attrs):
    ns = {"name": "probe", "__annotations__": {"alpha": float, "schedule": object}, "alpha": 0.1,
          "schedule": "constant", **attrs}
    return dataclass(frozen=True, eq=False, repr=False)(type("Probe", (Optimizer,), ns))


def test_protocol_errors_name_the_offending_part():
    def upd(m, g, alpha_t, beta9):
        return m, -alpha_t * g

    with pytest.raises(InvalidInput, match="beta9") as e:
        check_protocol(_spec(state=("m",), update=upd))
    assert e.value.field == "Probe.update parameter"
    with pytest.raises(InvalidInput) as e:
        check_protocol(_spec(state=("m",)))
    assert e.value.field == "Probe.update"
    with pytest.raises(InvalidInput) as e:
        check_protocol(_spec(state=("g",), update=lambda g, alpha_t: -alpha_t * g))
    assert e.value.field == "Probe.state"
    with pytest.raises(InvalidInput, match="one algorithm per name"):
        Table([BUILTIN_TABLE.algorithms[0], BUILTIN_TABLE.algorithms[0]])


def test_hyperparameter_vector_follows_the_declared_fields():
    """The header slots the engine reads, then the algorithm's own fields in declaration order;
    strings as their index in ``choices``, bools as 0/1."""
    adam = regret.optimizer("adam", alpha=0.5, beta1=0.3, beta2=0.7, eps=1e-4, eps_mode="hat", lam=0.9,
                            bias_correction=False, schedule="sqrt")
    hp = adam.hp_vector(BUILTIN_TABLE.n_hp)
    slots = type(adam).hp_slots()
    assert hp.shape == (S.N_HP,)
    assert [hp[slots[k]] for k in ("alpha", "beta1", "beta2", "lam", "eps", "eps_mode", "bias_correction")] == \
        [0.5, 0.3, 0.7, 0.9, 1e-4, 2.0, 0.0]
    assert hp[S.HP_SCHEDULE] == S.SCHED_SQRT and hp[S.HP_WEIGHTED] == 1.0
    assert regret.optimizer("adamax").hp_vector(BUILTIN_TABLE.n_hp)[S.HP_BIAS] == 1.0  # Algorithm 2 always corrects


def test_kernel_cache_is_keyed_on_every_optimizer_file():
    from regret.engine.kernel_cache import KERNEL_SOURCES

    for cls in BUILTIN_TABLE.algorithms:
        path = os.path.abspath(__import__(cls.__module__, fromlist=["_"]).__file__)
        assert path in KERNEL_SOURCES
