"""What the compiled engine reads of an optimizer, and where.

Hyperparameter vector (one float64 vector per optimizer configuration, built by
:meth:`regret.optimizers.Optimizer.hp_vector`): a header the engine itself reads, then the
algorithm's own hyperparameters in the order its spec declares them (from :data:`HP_FIRST_OWN` on;
:class:`regret.optimizers.registry.Table` fixes the vector's length for a table of algorithms).

| slot | meaning | read by |
| --- | --- | --- |
| HP_ALPHA | α (the base step size) | α_t schedules |
| HP_SCHEDULE | constant α, α/√t, or the user's array α_1, α_2, … | α_t schedules |
| HP_WEIGHTED | 1 when the projection is in the algorithm's metric (Reddi et al.'s Π_{X,√V̂}) | projections |
| HP_BETA1, HP_LAM | β1 and λ of β1,t = β1 λ^{t−1} (Kingma & Ba §4) | round scalars |
| HP_BETA2 | β2 of the bias correction 1 − β2^t | round scalars |
| HP_BIAS | 1 when the bias corrections 1 − β1^t, 1 − β2^t are computed (else both are 1) | round scalars |

Round scalars (``sc``, advanced once per round by :func:`regret.optimizers.steps.schedules`):
β1,t, 1 − β1^t, 1 − β2^t, λ^{t−1} and β1,t−1.
"""
from __future__ import annotations

HP_ALPHA, HP_SCHEDULE, HP_WEIGHTED, HP_BETA1, HP_BETA2, HP_LAM, HP_BIAS = range(7)
HP_FIRST_OWN = 7
# the header's hyperparameter names (a spec field of this name fills the slot)
HEADER_FIELDS = {"alpha": HP_ALPHA, "beta1": HP_BETA1, "beta2": HP_BETA2, "lam": HP_LAM}

# step-size schedules α_t
SCHED_CONSTANT, SCHED_SQRT, SCHED_ARRAY = 0, 1, 2

# round scalars
SC_BETA1_T, SC_BC1, SC_BC2, SC_LAM_POW, SC_BETA1_PREV = 0, 1, 2, 3, 4
N_SC = 5

# the quantities of round t an update, a projection weight or a second moment may ask for by name,
# besides its state and its hyperparameters
ROUND_NAMES = ("g", "alpha_t", "t", "beta1_t", "beta1_prev", "bc1", "bc2")

# many one-dimensional runs at once (regret.engine.lanes): each run is one lane of a group of LANES,
# and a group's per-round quantities sit lane by lane in one array — quantity q of lane l at
# q·LANES + l — so that the update's loop over the lanes reads consecutive numbers and vectorizes.
# LANES ≥ 16: below 16 iterations LLVM treats a loop as too short for the run-time checks that the
# group's arrays do not overlap, and leaves it scalar (measured: 8 lanes stayed scalar, 16 vectorized).
LANES = 16
LANE_G, LANE_ALPHA_T, LANE_BETA1_T, LANE_BETA1_PREV, LANE_BC1, LANE_BC2, LANE_DELTA = range(7)
N_LANE = 7
