"""The bad-input corpus (issue 11): every bad input the `regret` command takes, one case each, through
the CLI (in process: exit status 2, exactly one line on stderr naming the field — before any progress
line, so before any work —, no traceback, no file created or changed) and, where the Python API takes
the same input, through the API (regret.InvalidInput naming the field). Plus property tests: the spec
parser, parse_T and the problems' parameters, fed arbitrary strings and numbers, raise InvalidInput
and nothing else."""
from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import regret
from regret import report as reports, theory
from regret.plots import io as plot_io
from regret.theory import proofs_runner
from regret.cli import main
from regret.cli.util import parse_positive_int, parse_spec, parse_T
from regret.errors import InvalidInput
from regret.falsify import falsify
from regret.optimizers import OPTIMIZERS
from regret.problems import ADVERSARIES, PROBLEMS, check, parameters, problem

D = "{D}"  # the directory of the corpus's input files (replaced in each argv)


def opt(spec):  # the API's route for a --optimizer spec: parse it, then regret.optimizer
    name, params = parse_spec(spec, "--optimizer", known=OPTIMIZERS)
    return regret.optimizer(name, **params)


def prob(spec, T=10):  # the API's route for a --problem spec: parse, regret.problem, check before work
    name, params = parse_spec(spec, "--problem", known=PROBLEMS + ADVERSARIES)
    check(problem(name, **params), T)


RUN = ["run", "--optimizer", "adam", "--problem", "reddi", "--T", "10"]
PLOT = ["plot", "--optimizer", "adam", "--problem", "reddi", "--T", "10", "--out", "fig.pdf"]
VERIFY = ["verify", "reddi-1"]


def run_with(**over):
    """`regret run` with some options replaced (``opt`` → --optimizer …); extra options appended."""
    argv = list(RUN)
    for key, value in over.items():
        flag = "--" + key.replace("_", "-") if key != "T" else "--T"
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    return argv


def npz_case(name, field, T=10, needle=None):
    spec = f"npz:path={D}/{name}.npz"
    return (f"npz {name}", run_with(problem=spec, T=str(T)), field,
            (lambda d: prob(spec.replace(D, d), T)), needle)


# (id, argv, field the error names, API call taking the data directory (or None), a text the message has)
CASES = [
    # --optimizer: names
    ("optimizer unknown", run_with(optimizer="adamw"), "optimizer", lambda d: opt("adamw"), None),
    ("optimizer typo", run_with(optimizer="adma"), "optimizer", lambda d: opt("adma"), "did you mean"),
    ("optimizer case", run_with(optimizer="Adam"), "optimizer", lambda d: opt("Adam"), "did you mean 'adam'"),
    ("optimizer empty", run_with(optimizer=""), "--optimizer", lambda d: opt(""), None),
    ("optimizer blank", run_with(optimizer="   "), "--optimizer", lambda d: opt("   "), None),
    ("optimizer no name", run_with(optimizer=":alpha=1"), "--optimizer", lambda d: opt(":alpha=1"), None),
    ("optimizer missing file", run_with(optimizer="nofile.py:X"), "optimizer", lambda d: opt("nofile.py:X"), None),
    ("optimizer missing class", run_with(optimizer="regret:NoSuchOptimizer"), "optimizer",
     lambda d: opt("regret:NoSuchOptimizer"), None),
    ("optimizer not a class", run_with(optimizer="os:sep"), "optimizer", lambda d: opt("os:sep"), None),
    ("optimizer missing module", run_with(optimizer="no_such_module_xyz:Opt"), "optimizer",
     lambda d: opt("no_such_module_xyz:Opt"), None),
    ("optimizer file without class", run_with(optimizer=f"{D}/empty.py:Opt"), "optimizer",
     lambda d: opt(f"{d}/empty.py:Opt"), None),
    # --optimizer: spec syntax
    ("spec empty after colon", run_with(optimizer="adam:"), "--optimizer", lambda d: opt("adam:"), "nothing follows"),
    ("spec blank after colon", run_with(optimizer="adam: "), "--optimizer", lambda d: opt("adam: "), None),
    ("spec duplicate key", run_with(optimizer="adam:alpha=0.1,alpha=0.2"), "--optimizer",
     lambda d: opt("adam:alpha=0.1,alpha=0.2"), "given twice"),
    ("spec duplicate key spaced", run_with(optimizer="adam:alpha=0.1, alpha =0.2"), "--optimizer",
     lambda d: opt("adam:alpha=0.1, alpha =0.2"), "given twice"),
    ("spec key without value", run_with(optimizer="adam:alpha"), "--optimizer", lambda d: opt("adam:alpha"), None),
    ("spec value without key", run_with(optimizer="adam:=1"), "--optimizer", lambda d: opt("adam:=1"), None),
    ("spec empty value", run_with(optimizer="adam:alpha="), "--optimizer", lambda d: opt("adam:alpha="), None),
    ("spec empty item", run_with(optimizer="adam:alpha=1,,beta1=0"), "--optimizer",
     lambda d: opt("adam:alpha=1,,beta1=0"), None),
    ("spec trailing comma", run_with(optimizer="adam:alpha=1,"), "--optimizer", lambda d: opt("adam:alpha=1,"), None),
    ("spec user class empty", run_with(optimizer="regret.optimizers:Adam:"), "--optimizer",
     lambda d: opt("regret.optimizers:Adam:"), None),
    # --optimizer: hyperparameters
    ("hyperparameter unknown", run_with(optimizer="adam:gamma=1"), "adam hyperparameter",
     lambda d: opt("adam:gamma=1"), None),
    ("hyperparameter typo", run_with(optimizer="adam:alpah=0.1"), "adam hyperparameter",
     lambda d: opt("adam:alpah=0.1"), "did you mean 'alpha'"),
    ("hyperparameter of another optimizer", run_with(optimizer="sgd:beta1=0.9"), "sgd hyperparameter",
     lambda d: opt("sgd:beta1=0.9"), None),
    ("alpha zero", run_with(optimizer="adam:alpha=0"), "adam.alpha", lambda d: opt("adam:alpha=0"), None),
    ("alpha negative", run_with(optimizer="adam:alpha=-1"), "adam.alpha", lambda d: opt("adam:alpha=-1"), None),
    ("alpha inf", run_with(optimizer="adam:alpha=inf"), "adam.alpha", lambda d: opt("adam:alpha=inf"), None),
    ("alpha nan", run_with(optimizer="adam:alpha=nan"), "adam.alpha", lambda d: opt("adam:alpha=nan"), None),
    ("alpha text", run_with(optimizer="sgd:alpha=fast"), "sgd.alpha", lambda d: opt("sgd:alpha=fast"), None),
    ("alpha bool", run_with(optimizer="sgd:alpha=true"), "sgd.alpha", lambda d: opt("sgd:alpha=true"), None),
    ("beta1 one", run_with(optimizer="adam:beta1=1"), "adam.beta1", lambda d: opt("adam:beta1=1"), None),
    ("beta1 negative", run_with(optimizer="amsgrad:beta1=-0.1"), "amsgrad.beta1",
     lambda d: opt("amsgrad:beta1=-0.1"), None),
    ("beta2 above one", run_with(optimizer="adam:beta2=1.5"), "adam.beta2", lambda d: opt("adam:beta2=1.5"), None),
    ("eps negative", run_with(optimizer="adam:eps=-1"), "adam.eps", lambda d: opt("adam:eps=-1"), None),
    ("eps_mode unknown", run_with(optimizer="adam:eps_mode=sideways"), "adam.eps_mode",
     lambda d: opt("adam:eps_mode=sideways"), None),
    ("schedule unknown", run_with(optimizer="adam:schedule=cubic"), "adam.schedule",
     lambda d: opt("adam:schedule=cubic"), None),
    ("bias_correction text", run_with(optimizer="adam:bias_correction=maybe"), "adam.bias_correction",
     lambda d: opt("adam:bias_correction=maybe"), None),
    ("lam above one", run_with(optimizer="adam:lam=2"), "adam.lam", lambda d: opt("adam:lam=2"), None),
    ("adagrad alpha zero", run_with(optimizer="adagrad:alpha=0"), "adagrad.alpha",
     lambda d: opt("adagrad:alpha=0"), None),
    ("second optimizer bad", run_with() + ["--optimizer", "sgd:alpha=-2"], "sgd.alpha",
     lambda d: opt("sgd:alpha=-2"), None),
    # --problem: names and syntax
    ("problem unknown", run_with(problem="nope"), "problem", lambda d: prob("nope"), None),
    ("problem typo", run_with(problem="reddy"), "problem", lambda d: prob("reddy"), "did you mean 'reddi'"),
    ("problem typo 2", run_with(problem="logistc"), "problem", lambda d: prob("logistc"), "did you mean 'logistic'"),
    ("problem empty", run_with(problem=""), "--problem", lambda d: prob(""), None),
    ("problem empty after colon", run_with(problem="reddi:"), "--problem", lambda d: prob("reddi:"), None),
    ("problem duplicate key", run_with(problem="reddi:C=3,C=4"), "--problem", lambda d: prob("reddi:C=3,C=4"),
     "given twice"),
    ("problem item without =", run_with(problem="reddi:C"), "--problem", lambda d: prob("reddi:C"), None),
    ("problem user file missing", run_with(problem="nofile.py:SPEC"), "problem", lambda d: prob("nofile.py:SPEC"),
     None),
    ("problem user name missing", run_with(problem=f"{D}/empty.py:SPEC"), "problem",
     lambda d: prob(f"{d}/empty.py:SPEC"), None),
    ("problem user object wrong", run_with(problem=f"{D}/empty.py:VALUE"), "problem",
     lambda d: prob(f"{d}/empty.py:VALUE"), None),
    # --problem: parameters (all before the progress line)
    ("parameter unknown", run_with(problem="reddi:gamma=2"), "reddi parameter", lambda d: prob("reddi:gamma=2"), None),
    ("parameter typo", run_with(problem="reddi:CC=1"), "reddi parameter", lambda d: prob("reddi:CC=1"),
     "did you mean 'C'"),
    ("parameter fixed", run_with(problem="reddi-fig1:C=3"), "reddi-fig1 parameter",
     lambda d: prob("reddi-fig1:C=3"), "fixed"),
    ("reddi C negative", run_with(problem="reddi:C=-1"), "C", lambda d: prob("reddi:C=-1"), None),
    ("reddi C inf", run_with(problem="reddi:C=inf"), "C", lambda d: prob("reddi:C=inf"), "finite"),
    ("reddi C -inf", run_with(problem="reddi:C=-inf"), "C", lambda d: prob("reddi:C=-inf"), None),
    ("reddi C nan", run_with(problem="reddi:C=nan"), "C", lambda d: prob("reddi:C=nan"), None),
    ("reddi C huge int", run_with(problem="reddi:C=" + "9" * 400), "C", lambda d: prob("reddi:C=" + "9" * 400),
     None),
    ("reddi C text", run_with(problem="reddi:C=big"), "C", lambda d: prob("reddi:C=big"), None),
    ("reddi C bool", run_with(problem="reddi:C=true"), "C", lambda d: prob("reddi:C=true"), None),
    ("reddi period 1", run_with(problem="reddi:period=1"), "period", lambda d: prob("reddi:period=1"), None),
    ("reddi period fractional", run_with(problem="reddi:period=2.5"), "period",
     lambda d: prob("reddi:period=2.5"), None),
    ("reddi s zero", run_with(problem="reddi:s=0"), "s", lambda d: prob("reddi:s=0"), None),
    ("reddi x0 outside", run_with(problem="reddi:x0=2"), "x0", lambda d: prob("reddi:x0=2"), None),
    ("stochastic p above one", run_with(problem="reddi-stochastic:p=1.5"), "p",
     lambda d: prob("reddi-stochastic:p=1.5"), None),
    ("stochastic delta negative", run_with(problem="reddi-stochastic:delta=-1"), "delta",
     lambda d: prob("reddi-stochastic:delta=-1"), None),
    ("linear d zero", run_with(problem="linear:d=0"), "d", lambda d: prob("linear:d=0"), None),
    ("linear d fractional", run_with(problem="linear:d=2.5"), "d", lambda d: prob("linear:d=2.5"), None),
    ("linear domain unknown", run_with(problem="linear:domain=cube"), "domain", lambda d: prob("linear:domain=cube"),
     None),
    ("linear domain unbounded", run_with(problem="linear:domain=unbounded"), "domain",
     lambda d: prob("linear:domain=unbounded"), None),
    ("linear dist unknown", run_with(problem="linear:dist=uniform"), "dist", lambda d: prob("linear:dist=uniform"),
     None),
    ("linear radius negative", run_with(problem="linear:radius=-1"), "radius", lambda d: prob("linear:radius=-1"),
     None),
    ("linear drift nan", run_with(problem="linear:drift=nan"), "drift", lambda d: prob("linear:drift=nan"), None),
    ("linear drift overflowing", run_with(problem="linear:drift=1e300"), "A", lambda d: prob("linear:drift=1e300"),
     "finite in float64"),
    ("rademacher d zero", run_with(problem="rademacher:d=0"), "d", lambda d: prob("rademacher:d=0"), None),
    ("logistic flip too large", run_with(problem="logistic:flip=0.7"), "flip", lambda d: prob("logistic:flip=0.7"),
     None),
    ("logistic flip bool", run_with(problem="logistic:flip=true"), "flip", lambda d: prob("logistic:flip=true"),
     None),
    ("logistic unbounded without l2", run_with(problem="logistic:domain=unbounded"), "l2",
     lambda d: prob("logistic:domain=unbounded"), None),
    ("hinge radius zero", run_with(problem="hinge:radius=0"), "radius", lambda d: prob("hinge:radius=0"), None),
    ("sparse d one", run_with(problem="sparse-logistic:d=1"), "d", lambda d: prob("sparse-logistic:d=1"), None),
    ("sparse dropout one", run_with(problem="sparse-logistic:dropout=1"), "dropout",
     lambda d: prob("sparse-logistic:dropout=1"), None),
    ("sparse zipf zero", run_with(problem="sparse-logistic:zipf=0"), "zipf", lambda d: prob("sparse-logistic:zipf=0"),
     None),
    ("sparse words zero", run_with(problem="sparse-logistic:words=0"), "words",
     lambda d: prob("sparse-logistic:words=0"), None),
    ("sparse docs negative", run_with(problem="sparse-logistic:docs=-1"), "docs",
     lambda d: prob("sparse-logistic:docs=-1"), None),
    ("digits radius negative", run_with(problem="digits:radius=-1"), "radius", lambda d: prob("digits:radius=-1"),
     None),
    ("least_squares noise negative", run_with(problem="least_squares:noise=-1"), "noise",
     lambda d: prob("least_squares:noise=-1"), None),
    ("huber domain unknown", run_with(problem="huber:domain=sphere"), "domain", lambda d: prob("huber:domain=sphere"),
     None),
    ("absolute d text", run_with(problem="absolute:d=ten"), "d", lambda d: prob("absolute:d=ten"), None),
    ("orthogonal d two", run_with(problem="orthogonal:d=2"), "orthogonal.d", lambda d: prob("orthogonal:d=2"), None),
    ("orthogonal G zero", run_with(problem="orthogonal:G=0"), "orthogonal.G", lambda d: prob("orthogonal:G=0"), None),
    ("orthogonal radius inf", run_with(problem="orthogonal:radius=inf"), "orthogonal.radius",
     lambda d: prob("orthogonal:radius=inf"), None),
    ("orthogonal unknown parameter", run_with(problem="orthogonal:k=1"), "orthogonal parameter",
     lambda d: prob("orthogonal:k=1"), None),
    # --problem npz:path=FILE
    ("npz without path", run_with(problem="npz"), "path", lambda d: prob("npz"), None),
    ("npz missing file", run_with(problem=f"npz:path={D}/missing.npz"), "path",
     lambda d: prob(f"npz:path={d}/missing.npz"), None),
    ("npz unknown parameter", run_with(problem=f"npz:path={D}/good.npz,rows=3"), "npz parameter",
     lambda d: prob(f"npz:path={d}/good.npz,rows=3"), None),
    npz_case("garbage", "path"),
    npz_case("nan", "A"),
    npz_case("inf_b", "b"),
    npz_case("a1d", "A"),
    npz_case("nofamily", "npz keys"),
    npz_case("noA", "npz keys"),
    npz_case("quadratic", "family"),
    npz_case("nob", "npz keys", needle="only linear losses may omit"),
    npz_case("b_transposed", "b", needle="transposed"),
    npz_case("A_transposed", "T", T=20, needle="save A.T"),
    npz_case("few_rows", "T", T=20, needle="idx"),
    npz_case("x0_transposed", "x0", needle="transposed"),
    npz_case("x0_text", "x0"),
    npz_case("cube", "domain"),
    npz_case("radius_text", "radius"),
    npz_case("radius_vector", "radius"),
    npz_case("l2_text", "l2"),
    npz_case("idx_float", "idx"),
    npz_case("idx_range", "idx"),
    npz_case("labels", "b", needle="±1"),
    npz_case("multiclass_labels", "b"),
    npz_case("objects", "A"),
    npz_case("huge", "A", needle="finite in float64"),
    # --T, --seeds, --checkpoints
    ("T zero", run_with(T="0"), "--T", lambda d: regret.run("sgd", "reddi", 0), None),
    ("T negative", run_with(T="-5"), "--T", lambda d: regret.run("sgd", "reddi", -5), None),
    ("T fractional", run_with(T="1.5"), "--T", lambda d: regret.run("sgd", "reddi", 1.5), None),
    ("T text", run_with(T="abc"), "--T", lambda d: regret.run("sgd", "reddi", "abc"), None),
    ("T empty", run_with(T=""), "--T", lambda d: parse_T(""), None),
    ("T nan", run_with(T="nan"), "--T", lambda d: regret.run("sgd", "reddi", float("nan")), None),
    ("T inf", run_with(T="inf"), "--T", lambda d: regret.run("sgd", "reddi", float("inf")), None),
    ("T overflow", run_with(T="1e400"), "--T", lambda d: parse_T("1e400"), None),
    ("T above 2^53", run_with(T="1e17"), "--T", lambda d: parse_T("1e17"), None),
    ("T hex", run_with(T="0x10"), "--T", lambda d: parse_T("0x10"), None),
    ("seeds zero", run_with(seeds="0"), "--seeds", lambda d: regret.run("sgd", "reddi", 5, seeds=0), None),
    ("seeds negative", run_with(seeds="-1"), "--seeds", lambda d: parse_positive_int("-1", "--seeds"), None),
    ("seeds fractional", run_with(seeds="1.5"), "--seeds", lambda d: regret.run("sgd", "reddi", 5, seeds=1.5), None),
    ("seeds text", run_with(seeds="two"), "--seeds", lambda d: regret.run("sgd", "reddi", 5, seeds="two"), None),
    ("checkpoints zero", run_with(checkpoints="0"), "--checkpoints",
     lambda d: parse_positive_int("0", "--checkpoints"), None),
    ("checkpoints float", run_with(checkpoints="1e3"), "--checkpoints",
     lambda d: parse_positive_int("1e3", "--checkpoints"), None),
    ("checkpoints too many", run_with(checkpoints="100000000"), "--checkpoints", None, "≤ 1000000"),
    # outputs of `regret run`
    ("save extension", run_with(save="out.txt"), "--save", None, None),
    ("save empty", run_with(save=""), "--save", None, None),
    ("save missing directory", run_with(save="missing/out.npz"), "--save", None, "existing directory"),
    ("save is a directory", run_with(save=f"{D}/adir.npz"), "--save", None, "directory"),
    ("plot extension", run_with(plot="fig.jpg"), "--plot", None, None),
    ("plot svg in run", run_with(plot="fig.svg"), "--plot", None, None),
    ("plot missing directory", run_with(plot="missing/fig.pdf"), "--plot", None, "existing directory"),
    ("plot csv is a directory", run_with(plot=f"{D}/taken.pdf"), "--plot", None, "taken.csv"),
    ("save missing directory beside good plot", run_with(save="missing/r.npz", plot="fig.pdf"), "--save", None,
     None),
    # argparse
    ("run without problem", ["run", "--optimizer", "adam", "--T", "10"], "--problem", None, "required"),
    ("run without optimizer", ["run", "--problem", "reddi", "--T", "10"], "--optimizer", None, "required"),
    ("run option without value", RUN[:-1], "--T", None, None),
    ("run unknown option", run_with() + ["--bogus"], "arguments", None, None),
    ("run option typo", run_with() + ["--sede", "2"], "arguments", None, "did you mean '--seeds'"),
    ("subcommand typo", ["rnu"], "command", None, "did you mean 'run'"),
    ("no subcommand", [], "command", None, None),
    # `regret plot`
    ("plot kind", PLOT + ["--kind", "surface"], "--kind", None, None),
    ("plot band", PLOT + ["--band", "sd"], "--band", None, None),
    ("plot formats unknown", PLOT + ["--formats", "pdf,bmp"], "--formats",
     lambda d: plot_io.figure_files("x.pdf", formats=["pdf", "bmp"]), None),
    ("plot formats empty", PLOT + ["--formats", ","], "--formats", None, None),
    ("plot width text", PLOT + ["--width", "huge"], "--width", None, None),
    ("plot width zero", PLOT + ["--width", "0"], "--width", None, None),
    ("plot width too large", PLOT + ["--width", "50"], "--width", None, None),
    ("plot coords text", PLOT + ["--coords", "a,b"], "--coords", None, None),
    ("plot coords out of range", PLOT + ["--coords", "5"], "--coords", None, "0..0"),
    ("plot coords negative", PLOT + ["--coords", "-1"], "--coords", None, None),
    ("plot coords repeated", ["plot", "--optimizer", "adam", "--problem", "linear:d=3", "--T", "10", "--out",
                              "fig.pdf", "--coords", "1,1"], "--coords", None, None),
    ("plot step bound negative", PLOT + ["--step-bound", "-1"], "--step-bound", None, None),
    ("plot step bound inf", PLOT + ["--step-bound", "inf"], "--step-bound", None, None),
    ("plot step bound text", PLOT + ["--step-bound", "big"], "--step-bound", None, None),
    ("plot out extension", PLOT[:-1] + ["fig.jpg"], "--out", lambda d: plot_io.figure_files("fig.jpg"), None),
    ("plot out missing directory", PLOT[:-1] + ["missing/fig.pdf"], "--out", None, "existing directory"),
    ("plot out png taken by a directory", PLOT[:-1] + [f"{D}/taken.pdf"], "--out", None, "directory"),
    ("plot without out", PLOT[:-2], "--out", None, "required"),
    ("plot seeds zero", PLOT + ["--seeds", "0"], "--seeds", None, None),
    ("plot T zero", ["plot", "--optimizer", "adam", "--problem", "reddi", "--T", "0", "--out", "fig.pdf"], "--T",
     None, None),
    ("plot problem typo", ["plot", "--optimizer", "adam", "--problem", "hubr", "--T", "10", "--out", "fig.pdf"],
     "problem", lambda d: prob("hubr"), "did you mean 'huber'"),
    ("plot optimizer duplicate key", ["plot", "--optimizer", "sgd:alpha=1,alpha=1", "--problem", "reddi", "--T",
                                      "10", "--out", "fig.pdf"], "--optimizer", lambda d: opt("sgd:alpha=1,alpha=1"),
     None),
    ("plot problem parameter", ["plot", "--optimizer", "adam", "--problem", "linear:domain=cube", "--T", "10",
                                "--out", "fig.pdf"], "domain", lambda d: prob("linear:domain=cube"), None),
    ("plot traces too long", ["plot", "--optimizer", "adam", "--problem", "reddi", "--T", "1e9", "--out", "fig.pdf",
                              "--kind", "traces"], "--T", None, None),
    # `regret verify`
    ("theorem unknown", ["verify", "no-such-theorem"], "theorem", lambda d: theory.get("no-such-theorem"), None),
    ("theorem typo", ["verify", "kingma-ba-41"], "theorem", lambda d: theory.get("kingma-ba-41"), "did you mean"),
    ("theorem missing", ["verify"], "theorem", None, None),
    ("theorem file missing", ["verify", "nosuch.py:X"], "theorem", lambda d: theory.get("nosuch.py:X"), None),
    ("theorem not a theorem", ["verify", "regret:run"], "theorem", lambda d: theory.get("regret:run"), None),
    ("theorem twice", VERIFY + ["--theorem", "reddi-1"], "--theorem", None, None),
    ("bound unknown name", ["verify", "--bound", "5*Q"], "bound", lambda d: theory.bound("5*Q"), None),
    ("bound unbalanced", ["verify", "--bound", "sqrt(T"], "bound", lambda d: theory.bound("sqrt(T"), None),
    ("bound code", ["verify", "--bound", "__import__('os')"], "bound", lambda d: theory.bound("__import__('os')"),
     None),
    ("bound without run", ["verify", "--bound", "T"], "--optimizer", None, None),
    ("verify tail zero", VERIFY + ["--tail", "0"], "--tail", None, None),
    ("verify tail text", VERIFY + ["--tail", "last"], "--tail", None, None),
    ("verify tail above one", VERIFY + ["--tail", "2"], "--tail", None, None),
    ("verify diameters", VERIFY + ["--diameters", "wide"], "--diameters", None, None),
    ("verify expect", VERIFY + ["--expect", "MAYBE"], "--expect", None, None),
    ("verify expect typo", VERIFY + ["--expect", "HOLD"], "--expect", None, "did you mean 'HOLDS'"),
    ("verify T zero", VERIFY + ["--T", "0"], "--T", None, None),
    ("verify seeds zero", VERIFY + ["--seeds", "0"], "--seeds", None, None),
    ("verify checkpoints zero", VERIFY + ["--checkpoints", "0"], "--checkpoints", None, None),
    ("verify optimizer unknown", VERIFY + ["--optimizer", "adamw"], "optimizer", lambda d: opt("adamw"), None),
    ("verify optimizer empty spec", VERIFY + ["--optimizer", "amsgrad:"], "--optimizer", lambda d: opt("amsgrad:"),
     None),
    ("verify problem parameter", VERIFY + ["--problem", "reddi:C=-1"], "C", lambda d: prob("reddi:C=-1"), None),
    ("verify problem typo", VERIFY + ["--problem", "reddi:c=3"], "reddi parameter", lambda d: prob("reddi:c=3"),
     "did you mean 'C'"),
    # `regret prove`
    ("proof unknown", ["prove", "no-such-proof"], "proof", None, None),
    ("proof typo", ["prove", "gama-psd"], "proof", None, "did you mean 'gamma-psd'"),
    ("proofs directory missing", ["prove", "--dir", f"{D}/no-proofs"], "proofs directory",
     lambda d: proofs_runner.discover(f"{d}/no-proofs"), None),
    ("proofs directory empty", ["prove", "--dir", f"{D}/adir.npz"], "proofs directory",
     lambda d: proofs_runner.discover(f"{d}/adir.npz"), None),
    # `regret report`
    ("report unknown", ["report", "nope"], "report", lambda d: reports.module("nope"), None),
    ("report typo", ["report", "redi-2018"], "report", lambda d: reports.module("redi-2018"),
     "did you mean 'reddi-2018'"),
    ("report neither name nor all", ["report"], "report", None, None),
    ("report name and all", ["report", "reddi-2018", "--all"], "report", None, None),
    ("report out is a file", ["report", "reddi-2018", "--out", f"{D}/good.npz"], "--out", None, None),
    ("report out parent missing", ["report", "reddi-2018", "--out", "missing/reports"], "--out", None, None),
    ("report target is a file", ["report", "reddi-2018", "--out", f"{D}/reports"], "--out", None, "is a file"),
    # `regret sweep`: every value checked before the store is created
    ("sweep optimizer unknown", ["sweep", "--optimizer", "adamw", "--problem", "reddi", "--T", "1e3", "--out", "st"],
     "optimizer", None, "did you mean"),
    ("sweep grid value not a number", ["sweep", "--optimizer", "adam:beta2=0.9|x", "--problem", "reddi", "--T", "1e3",
                                       "--out", "st"], "adam.beta2", None, None),
    ("sweep T zero", ["sweep", "--optimizer", "adam", "--problem", "reddi", "--T", "0", "--out", "st"], "--T", None, None),
    ("sweep problem parameter", ["sweep", "--optimizer", "adam", "--problem", "reddi:C=-1", "--T", "1e3", "--out", "st"],
     "C", None, None),
    ("sweep seeds zero", ["sweep", "--optimizer", "adam", "--problem", "reddi", "--T", "1e3", "--seeds", "0",
                          "--out", "st"], "--seeds", None, None),
    ("sweep dask no workers", ["sweep", "--optimizer", "adam", "--problem", "reddi", "--T", "1e3", "--out", "st",
                               "--dask", "local:0"], "--dask", None, None),
    ("sweep plot format", ["sweep", "--optimizer", "adam", "--problem", "reddi", "--T", "1e3", "--out", "st",
                           "--plot", "x.gif"], "--plot", None, None),
    # `regret falsify`
    ("falsify T too large", ["falsify", "kingma-ba-4.1", "--T", "1e9"], "--T",
     lambda d: falsify("kingma-ba-4.1", T=10 ** 9), None),
    ("falsify budget infinite", ["falsify", "kingma-ba-4.1", "--budget", "inf"], "--budget",
     lambda d: falsify("kingma-ba-4.1", budget=float("inf")), None),
    ("falsify optimizer unknown", ["falsify", "kingma-ba-4.1", "--optimizer", "adamw"], "optimizer",
     lambda d: falsify("kingma-ba-4.1", "adamw"), "did you mean"),
    ("falsify vary unknown", ["falsify", "kingma-ba-4.1", "--vary", "gamma"], "--vary",
     lambda d: falsify("kingma-ba-4.1", vary=("gamma",)), None),
    ("falsify family unknown", ["falsify", "kingma-ba-4.1", "--families", "zigzag"], "--families",
     lambda d: falsify("kingma-ba-4.1", families=("zigzag",)), None),
    ("falsify an expectation", ["falsify", "hazan-3.2"], "theorem", lambda d: falsify("hazan-3.2"), None),
    ("falsify seed negative", ["falsify", "kingma-ba-4.1", "--seed", "-1"], "--seed",
     lambda d: falsify("kingma-ba-4.1", seed=-1), None),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The input files the corpus refers to (``{D}``)."""
    d = tmp_path_factory.mktemp("corpus-inputs")
    lin = np.array("linear")

    def save(name, **arrays):
        np.savez(d / f"{name}.npz", **arrays)

    save("good", A=np.ones((3, 2)), family=lin)
    (d / "garbage.npz").write_text("not a zip file")
    save("nan", A=np.array([[1.0], [np.nan]]), family=lin)
    save("inf_b", A=np.ones((2, 1)), b=np.array([1.0, np.inf]), family=np.array("least_squares"))
    save("a1d", A=np.ones(3), family=lin)
    save("nofamily", A=np.ones((3, 2)))
    save("noA", family=lin)
    save("quadratic", A=np.ones((3, 2)), family=np.array("quadratic"))
    save("nob", A=np.ones((30, 2)), family=np.array("least_squares"))
    save("b_transposed", A=np.ones((2, 30)), b=np.ones(30), family=np.array("least_squares"))
    save("A_transposed", A=np.ones((2, 30)), family=lin)
    save("few_rows", A=np.ones((5, 2)), family=lin)
    save("x0_transposed", A=np.ones((30, 2)), x0=np.zeros(30), family=lin)
    save("x0_text", A=np.ones((30, 2)), x0=np.array(["a", "b"]), family=lin)
    save("cube", A=np.ones((30, 2)), family=lin, domain=np.array("cube"))
    save("radius_text", A=np.ones((30, 2)), family=lin, radius=np.array("big"))
    save("radius_vector", A=np.ones((30, 2)), family=lin, radius=np.ones(2))
    save("l2_text", A=np.ones((30, 2)), b=np.ones(30), family=np.array("least_squares"), l2=np.array("x"))
    save("idx_float", A=np.ones((3, 2)), family=lin, idx=np.array([0.5] * 10))
    save("idx_range", A=np.ones((3, 2)), family=lin, idx=np.array([0, 5] * 5))
    save("labels", A=np.ones((30, 2)), b=np.zeros(30), family=np.array("logistic"))
    save("multiclass_labels", A=np.ones((30, 2)), b=np.full(30, 7.0), family=np.array("multiclass"),
         classes=np.array(3))
    save("objects", A=np.array([[1.0, "x"]], dtype=object), family=lin)
    save("huge", A=np.full((30, 2), 1e308), family=lin, domain=np.array("box"))
    (d / "empty.py").write_text("VALUE = 3\n")
    (d / "adir.npz").mkdir()
    (d / "taken.csv").mkdir()  # the CSV of a figure named taken.pdf
    (d / "reports").mkdir()
    (d / "reports" / "reddi-2018").write_text("a file where the report directory would go")
    return d


def _tree(root) -> dict:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            st_ = os.lstat(p)
            out[os.path.relpath(p, root)] = (st_.st_mode, st_.st_size, st_.st_mtime_ns)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cli(case, data, tmp_path, monkeypatch, capsys):
    _, argv, field, _, needle = case
    argv = [a.replace(D, str(data)) for a in argv]
    monkeypatch.chdir(tmp_path)
    before = _tree(data)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (code, err)
    assert err.count("\n") == 1 and err.endswith("\n"), err  # one line: no progress line, nothing ran
    assert err.startswith(f"regret: error: {field}="), err
    assert "is invalid: " in err and "Traceback" not in err
    if needle:
        assert needle in err, err
    assert out == ""
    assert os.listdir(tmp_path) == [], "a file was created"
    assert _tree(data) == before, "an input was changed"


API = [c for c in CASES if c[3] is not None]
API_FIELD = {"--T": "T", "--seeds": "seeds", "--formats": "formats", "--out": "path", "--budget": "budget",
             "--vary": "vary", "--families": "family", "--seed": "seed"}  # the API's names


@pytest.mark.parametrize("case", API, ids=[c[0] for c in API])
def test_api(case, data):
    _, _, field, call, needle = case
    with pytest.raises(InvalidInput) as err:
        call(str(data))
    assert err.value.field in (field, API_FIELD.get(field)), str(err.value)
    assert "\n" not in str(err.value)
    if needle:  # the hint ("did you mean …", the rows/columns of an .npz) is the API's, not only the CLI's
        assert needle in str(err.value), str(err.value)


def test_the_corpus_is_large_and_covers_every_subcommand():
    assert len(CASES) >= 100 and len(API) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)
    firsts = {c[1][0] for c in CASES if c[1]}
    from regret.cli import SUBCOMMANDS

    assert set(SUBCOMMANDS) - {"bench"} <= firsts  # `regret bench` is the benchmark's own command line


def test_python_dash_m_regret_is_the_command():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "regret", "run", "--optimizer", "adam:alpah=1", "--problem", "reddi",
                        "--T", "10"], capture_output=True, text=True)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("regret: error: adam hyperparameter='alpah' is invalid:") and p.stderr.count("\n") == 1


# -- properties: arbitrary text and numbers give InvalidInput, never another exception ----------------
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPEC_TEXT = st.one_of(st.text(), st.text(alphabet=":=, abcdeimlpshrt_.0123456789-+einfa", max_size=40),
                      st.builds(lambda n, kv: n + ":" + kv, st.sampled_from(list(OPTIMIZERS) + list(PROBLEMS)),
                                st.text(alphabet="=,:alphbet12.0x -", max_size=30)))


@SETTINGS
@given(text=SPEC_TEXT, known=st.sampled_from([None, list(OPTIMIZERS), PROBLEMS + ADVERSARIES]))
def test_the_spec_parser_raises_only_invalid_input(text, known):
    try:
        name, params = parse_spec(text, "--optimizer", known=known)
    except InvalidInput as exc:
        assert exc.field == "--optimizer" and "\n" not in str(exc)
        return
    assert isinstance(name, str) and name == name.strip() and name
    assert all(isinstance(k, str) and k for k in params)


NUMBERS = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none(),
                    st.sampled_from(["1e6", "1e400", "-0", "1_000", "nan", "inf", " 7 ", "9" * 5000, "0x10"]))


@SETTINGS
@given(value=NUMBERS)
def test_parse_T_and_parse_positive_int_raise_only_invalid_input(value):
    for parse in (parse_T, lambda v: parse_positive_int(v, "--seeds")):
        try:
            n = parse(value)
        except InvalidInput:
            continue
        assert isinstance(n, int) and 1 <= n <= 2 ** 53 or parse is not parse_T


VALUES = st.one_of(st.floats(), st.integers(-5, 2000), st.booleans(), st.none(),
                   st.text(max_size=6), st.sampled_from(["box", "ball", "simplex", "unbounded", "gaussian"]))


@SETTINGS
@given(name=st.sampled_from([p for p in PROBLEMS if p not in ("npz", "digits")] + list(ADVERSARIES)),
       data=st.data(), T=st.integers(1, 50))
def test_problem_parameters_raise_only_invalid_input(name, data, T):
    keys = [k for k in parameters(name) if not (name == "reddi-fig1" and k in ("C", "period", "s"))]
    params = {k: data.draw(VALUES, label=k) for k in data.draw(st.lists(st.sampled_from(keys), unique=True,
                                                                        max_size=3), label="keys")}
    try:
        check(problem(name, **params), T)
    except InvalidInput:
        pass


@SETTINGS
@given(name=st.sampled_from(sorted(OPTIMIZERS)), data=st.data())
def test_optimizer_hyperparameters_raise_only_invalid_input(name, data):
    from dataclasses import fields

    from regret.cli.util import make_optimizer

    keys = [f.name for f in fields(regret.optimizers.resolve(name))] + ["gamma"]
    chosen = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=4), label="keys")
    text = st.one_of(st.floats().map(repr), st.integers(-3, 10 ** 6).map(str), st.sampled_from(
        ["true", "false", "sqrt", "constant", "inside", "outside", "hat", "x", "1e400", "-0.0", "nan"]))
    spec = name + (":" + ",".join(f"{k}={data.draw(text, label=k)}" for k in chosen) if chosen else "")
    try:
        make_optimizer(spec)
    except InvalidInput:
        pass
