"""`regret falsify`: search loss sequences for a counterexample to a theorem.

    regret falsify kingma-ba-4.1                       # a counterexample within the default 120 s
    regret falsify zinkevich-1 --budget 300 --out zink  # none: the best measured/bound ratio found
    regret falsify reddi-4 --families periodic,spikes --T 5000 --evaluations 20000
    regret falsify reddi-cor1 --vary beta1,beta2,lam  # the hyperparameters searched too

Searches periodic, spike, geometric, mixture and adaptive families of linear losses on [−1, 1] (docs/falsify.md)
with scipy's differential evolution, every candidate checked against the theorem's hypotheses, for the
largest measured/bound ratio with the theorem's default optimizer (or --optimizer). A counterexample
is rounded to the fewest digits that still violate and written to --out: counterexample.npz (replay:
the command printed), verdict.txt, the figure counterexample.pdf/.png/.csv and search.log.
Without one it prints the best ratio found, where, and the search log.

Exit status: 0 when the outcome is the expected one (``--expect``, default not-falsified; ``falsified``
documents a known counterexample; ``any``), 1 otherwise, 2 on invalid input.
"""
from __future__ import annotations

import io
import json
import os

from ..errors import InvalidInput
from ..files import check_output
from .util import commit, json_safe, make_optimizer, parse_positive_int, parse_T

SCHEMA = "regret.falsify/1"
EXPECT = ("not-falsified", "falsified", "any")
OUT_FILES = ("counterexample.npz", "verdict.txt", "search.log", "counterexample.pdf", "counterexample.png",
             "counterexample.csv")


def add_parser(sub) -> None:
    doc = __doc__.split("\n\n")
    p = sub.add_parser("falsify", help="search loss sequences for a counterexample to a theorem",
                       description=doc[0] + "\n\n" + doc[2], epilog=doc[3],
                       formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("theorem", help="theorem key (see regret verify --list), or FILE.py:NAME")
    p.add_argument("--optimizer", metavar="NAME[:k=v,...]", help="optimizer spec [the theorem's default]")
    p.add_argument("--budget", default="120", help="seconds of search [120]")
    p.add_argument("--evaluations", help="stop after this many sequences (with --budget: whichever comes first)")
    p.add_argument("--T", default="2000", help="the horizon of every candidate [2000]")
    p.add_argument("--families", default="periodic,spikes,geometric,mixture,adaptive",
                   help="families searched, in turn [periodic,spikes,geometric,mixture,adaptive]")
    p.add_argument("--vary", default="", metavar="HP,HP",
                   help="hyperparameters of the optimizer searched too (alpha, beta1, beta2, lam), where the "
                        "theorem quantifies over them [none]")
    p.add_argument("--seed", default="0", help="seed of the search [0]")
    p.add_argument("--out", metavar="DIR", help="write the counterexample's files into DIR (an existing directory)")
    p.add_argument("--expect", default="not-falsified", choices=EXPECT,
                   help="the outcome that makes the exit status 0 [not-falsified]")
    p.add_argument("--json", action="store_true", help=f"print JSON (schema {SCHEMA})")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=main)


def _budget(text: str) -> float:
    try:
        v = float(text)
    except (TypeError, ValueError):
        raise InvalidInput("--budget", text, "a number of seconds > 0") from None
    if not (v > 0 and v < float("inf")):
        raise InvalidInput("--budget", text, "a number of seconds > 0")
    return v


def build(args) -> dict:
    """Validate everything before any work (bad input → one line, exit 2)."""
    from .. import theory
    from ..falsify.search import check_families, check_kind, check_vary

    thm = check_kind(theory.get(args.theorem), "theorem", args.theorem)
    opt = make_optimizer(args.optimizer) if args.optimizer else thm.default.optimizer_spec()
    families = check_families([f.strip() for f in args.families.split(",") if f.strip()], "--families")
    vary = check_vary(opt, [v.strip() for v in args.vary.split(",") if v.strip()], "--vary")
    T = parse_T(args.T)
    if not 2 <= T <= 10 ** 7:
        raise InvalidInput("--T", args.T, "a horizon in 2..1e7")
    out = None
    if args.out is not None:
        if not os.path.isdir(args.out):
            raise InvalidInput("--out", args.out, "an existing directory")
        out = {os.path.join(args.out, name): "--out" for name in OUT_FILES}
        for path in out:
            check_output(path, "--out")
    return {"thm": thm, "opt": opt, "families": families, "T": T, "out": out, "vary": vary,
            "budget": _budget(args.budget),
            "evaluations": None if args.evaluations is None else parse_positive_int(args.evaluations, "--evaluations"),
            "seed": 0 if args.seed == "0" else parse_positive_int(args.seed, "--seed")}


def replay_command(search, path: str) -> str:
    from ..falsify import optimizer_spec_text

    return (f"regret verify {search.theorem} --problem npz:path={path} --optimizer "
            f"'{optimizer_spec_text(search.optimizer)}' --T {search.best.T} --expect VIOLATED")


def main(args) -> int:
    from ..falsify import falsify

    cfg = build(args)
    search = falsify(cfg["thm"], cfg["opt"], budget=cfg["budget"], evaluations=cfg["evaluations"], T=cfg["T"],
                     families=cfg["families"], seed=cfg["seed"], vary=cfg["vary"])
    text = [search.summary()]
    if search.falsified:
        npz = os.path.join(args.out, "counterexample.npz") if args.out else "counterexample.npz"
        text += ["", search.verdict.table(), "", "replay: " + replay_command(search, npz)]
    text += ["", "search log:"] + ["  " + line for line in search.log]
    if search.falsified and cfg["out"]:
        _write(search, args.out, "\n".join(text) + "\n")
    if args.json:
        doc = {"schema": SCHEMA, **search.to_dict()}
        if search.falsified:
            doc["replay"] = replay_command(search, npz)
        print(json.dumps(json_safe(doc), allow_nan=False))
    else:
        print("\n".join(text))
    expected = {"not-falsified": not search.falsified, "falsified": search.falsified, "any": True}[args.expect]
    return 0 if expected else 1


def _write(search, out: str, verdict_text: str) -> None:
    import numpy as np

    from ..falsify import counterexample_npz
    from ..plots import regret_figure
    from ..plots.io import render_files

    arrays = counterexample_npz(search)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    v = search.verdict
    fig = regret_figure([search.run], bounds={f"{search.theorem} bound": (search.run.checkpoints, v.bound.mean(axis=0))},
                        companions=False, title=f"{search.theorem}: a counterexample")
    files = {os.path.join(out, "counterexample.npz"): buf.getvalue(),
             os.path.join(out, "verdict.txt"): verdict_text.encode(),
             os.path.join(out, "search.log"): ("\n".join(search.log) + "\n").encode()}
    files.update(render_files(fig.figure, fig.table, os.path.join(out, "counterexample.pdf")))
    commit(files, {p: "--out" for p in files})
