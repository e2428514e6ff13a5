"""Everything a branch's pages need that is computed rather than copied: one frozen value.

Pure: the branch and the build's "today" in, results out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Branch
from .practices import DuesStats, dues_stats
from .scoring import (
    HonorRoll, Period, Scores, Weights, compute_scores, honor_roll, ledger_of, period_containing, weights_of,
)

PERIOD_KINDS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Computed:
    weights: Weights | None
    scores: dict  # period kind -> Scores for the period containing as_of
    rolls: dict  # period kind -> HonorRoll
    dues: tuple[DuesStats, ...] = ()  # each recorded month up to as_of, oldest first

    def current(self, kind: str) -> Scores | None:
        return self.scores.get(kind)


def compute_branch(branch: Branch, as_of: dt.date) -> Computed:
    dues = dues_stats(branch, as_of)  # the home page, the dues page, paper and screen all show it
    if branch.evaluation is None:
        return Computed(None, {}, {}, dues)
    weights = weights_of(branch.evaluation)
    ledger = ledger_of(branch, weights)
    scores: dict[str, Scores] = {}
    rolls: dict[str, HonorRoll] = {}
    for kind in PERIOD_KINDS:
        period: Period = period_containing(as_of, kind)
        scores[kind] = compute_scores(branch, period, weights, ledger)
        previous = compute_scores(branch, period.previous(), weights, ledger)
        rolls[kind] = honor_roll(scores[kind], previous, branch.honor_roll_size)
    return Computed(weights, scores, rolls, dues)
