"""Bad input through the Python API raises regret.InvalidInput (a ValueError) whose message names the
offending field and the value it had (docs/architecture.md, "Conventions")."""
from __future__ import annotations

import numpy as np
import pytest

import regret
from regret.errors import InvalidInput

REDDI = regret.problem("reddi")
BOX2 = regret.box(2)


def user_instance(**kw):
    return regret.from_arrays("linear", BOX2, [[1.0, 2.0], [0.5, -1.0]], **kw)


CASES = [
    # horizon
    ("T zero", lambda: regret.run("sgd", REDDI, 0), "T", "0"),
    ("T negative", lambda: regret.run("sgd", REDDI, -5), "T", "-5"),
    ("T fractional", lambda: regret.run("sgd", REDDI, 2.5), "T", "2.5"),
    ("T text", lambda: regret.run("sgd", REDDI, "10"), "T", "'10'"),
    ("T bool", lambda: regret.run("sgd", REDDI, True), "T", "True"),
    ("T beyond the instance", lambda: regret.run("sgd", user_instance(), 5), "T", "5"),
    ("T zero in instance()", lambda: REDDI.instance(0), "T", "0"),
    # problems and their parameters
    ("unknown problem in run", lambda: regret.run("sgd", "cubic", 10), "problem", "'cubic'"),
    ("unknown problem", lambda: regret.problem("cubic"), "problem", "'cubic'"),
    ("problem of the wrong type", lambda: regret.run("sgd", 5, 10), "problem", "5"),
    ("unknown parameter", lambda: regret.problem("reddi", gamma=2), "reddi parameter", "'gamma'"),
    ("fixed parameter", lambda: regret.problem("reddi-fig1", C=3.0), "reddi-fig1 parameter", "'C'"),
    ("parameter out of range", lambda: regret.run("sgd", regret.problem("reddi", C=-1.0), 10), "C", "-1.0"),
    ("parameter text", lambda: regret.problem("reddi", C="big"), "C", "'big'"),
    ("parameter None", lambda: regret.problem("logistic", flip=None), "flip", "None"),
    ("integer parameter fractional", lambda: regret.problem("linear", d=2.5), "d", "2.5"),
    ("dimension zero", lambda: regret.run("sgd", regret.problem("linear", d=0), 5), "d", "0"),
    ("unknown domain name", lambda: regret.run("sgd", regret.problem("linear", domain="cube"), 5),
     "domain", "'cube'"),
    # optimizers
    ("unknown optimizer", lambda: regret.run("adamw", REDDI, 10), "optimizer", "'adamw'"),
    ("unknown hyperparameter", lambda: regret.optimizer("adam", gamma=1.0), "adam hyperparameter", "'gamma'"),
    ("hyperparameter out of range", lambda: regret.optimizer("adam", beta1=1.0), "adam.beta1", "1.0"),
    ("schedule too short", lambda: regret.run(regret.optimizer("sgd", schedule=[0.1, 0.2]), REDDI, 5),
     "sgd.schedule", "length 2"),
    # start point
    ("x0 outside the domain", lambda: regret.run("sgd", REDDI, 10, x0=[2.0]), "x0", "[2.0]"),
    ("x0 outside (instance)", lambda: regret.run("sgd", user_instance(x0=[3.0, 0.0]), 2), "x0", "[3.0, 0.0]"),
    ("x0 wrong shape", lambda: regret.run("sgd", REDDI, 10, x0=[0.0, 0.0]), "x0", "(2,)"),
    ("x0 wrong shape (instance)", lambda: regret.run("sgd", user_instance(x0=[0.0, 0.0, 0.0]), 2),
     "x0", "(3,)"),
    ("x0 NaN", lambda: regret.run("sgd", REDDI, 10, x0=[np.nan]), "x0", "nan"),
    ("x0 text", lambda: regret.run("sgd", REDDI, 10, x0="a"), "x0", "'a'"),
    # data
    ("NaN in A", lambda: regret.from_arrays("linear", BOX2, [[1.0, np.nan]]), "A", "nan"),
    ("inf in b", lambda: regret.from_arrays("least_squares", BOX2, [[1.0, 2.0]], [np.inf]), "b", "inf"),
    ("text in A", lambda: regret.from_arrays("linear", BOX2, [["1", "x"]]), "A", "'x'"),
    ("A not 2-D", lambda: regret.from_arrays("linear", BOX2, [1.0, 2.0]), "A", "(2,)"),
    ("b of the wrong length", lambda: regret.from_arrays("least_squares", BOX2, [[1.0, 2.0]], [1.0, 2.0]),
     "b", "(2,)"),
    ("labels not ±1", lambda: regret.from_arrays("logistic", BOX2, [[1.0, 2.0]], [0.0]), "b", "0.0"),
    ("dimension mismatch", lambda: regret.from_arrays("linear", regret.box(3), [[1.0, 2.0]]),
     "domain dimension", "3"),
    ("not a domain", lambda: regret.from_arrays("linear", None, [[1.0, 2.0]]), "domain", "None"),
    ("unknown family", lambda: regret.from_arrays("cubic", BOX2, [[1.0, 2.0]]), "loss", "'cubic'"),
    ("fractional row index", lambda: user_instance(idx=[0.5]), "idx", "float64"),
    ("row index out of range", lambda: user_instance(idx=[0, 2]), "idx", "0..1"),
    # run options
    ("negative seed", lambda: regret.run("sgd", REDDI, 5, seed=-1), "seed", "-1"),
    ("zero seeds", lambda: regret.run("sgd", REDDI, 5, seeds=0), "seeds", "0"),
    ("checkpoint 0", lambda: regret.run("sgd", REDDI, 5, checkpoints=[0, 3]), "checkpoints", "[0, 3]"),
    ("checkpoint beyond T", lambda: regret.run("sgd", REDDI, 5, checkpoints=[6]), "checkpoints", "[6]"),
    ("fractional checkpoints", lambda: regret.run("sgd", REDDI, 5, checkpoints=[1.5]), "checkpoints", "[1.5]"),
]


@pytest.mark.parametrize("call,field,value", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_invalid_input_naming_field_and_value(call, field, value):
    with pytest.raises(InvalidInput) as err:
        call()
    e = err.value
    assert isinstance(e, ValueError)
    assert e.field == field, str(e)
    msg = str(e)
    assert msg.startswith(f"{field}="), msg  # the message names the field first ...
    assert value in msg, msg  # ... then the value it had ...
    assert "is invalid:" in msg and len(e.allowed) > 0  # ... and what is allowed
    assert "\n" not in msg  # one line (the CLI prints it as is)


def test_good_input_around_the_bad_cases_runs():
    """The boundaries of the cases above are accepted (so the checks are not over-eager)."""
    res = regret.run("sgd", REDDI, 1, x0=[-1.0], checkpoints=[1])
    assert res.T == 1 and res.x_start[0, 0] == -1.0
    res = regret.run("sgd", user_instance(x0=[1.0, -1.0], idx=np.array([1, 0, 1])), 3, comparator=False)
    assert res.losses.shape == (1, 3)
    assert regret.problem("reddi", C=3, period=4).instance(4).A.shape == (4, 1)
