"""One period's scores and honor roll for the command line and exports (`scores`, `export`).

The same scope and the same computation as the site: the branch is cut to the
committee's view as of the given date (`scope.scope_branch`), so a ledger entry dated
after it counts nowhere, and the honor roll is the one the site shows for that period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.compute.scoring import HonorRoll, Period, Scores, period_roll, weights_of
from generator.model.records import Branch, Project
from generator.model.scope import scope_branch


@dataclass(frozen=True)
class PeriodScores:
    branch: Branch  # scoped to the committee as of `as_of`
    scores: Scores
    roll: HonorRoll


def period_scores(branch: Branch, period: Period, as_of: dt.date) -> PeriodScores:
    scoped = scope_branch(branch, "committee", as_of)
    if scoped.evaluation is None:
        raise ValueError("the branch has no evaluation system")  # validate always gives one
    scores, _, roll = period_roll(scoped, period, weights_of(scoped.evaluation), as_of)
    return PeriodScores(scoped, scores, roll)


def scores_json(scores: Scores, roll: HonorRoll) -> dict:
    dims = [d[1] for d in scores.weights.dimensions]
    return {
        "period": scores.period.key,
        "dimensions": dims,
        "members": [
            {"id": s.member, "name": s.name,
             "dimensions": dict(zip(dims, s.dimension_scores)),
             "ahp_total": s.ahp_total, "deductions": s.deductions, "total": s.total,
             "rank": s.rank if s.eligible else None}
            for s in scores.members
        ],
        "honor_roll": [{"id": e.member, "name": e.name, "rank": e.rank, "total": e.total, "change": e.change,
                        "stayed": e.stayed}
                       for e in roll.entries],
    }


def choose_branches(project: Project, branch_id: str | None) -> tuple[tuple[Branch, ...], str | None]:
    """The branch a command works on: the only one, or the one `--branch` names in a 党委 project.

    Returns (branches, None), or ((), a message saying what to write) when the choice is
    missing or wrong: a 党委 project is never silently taken to mean its first branch.
    """
    ids = [b.id for b in project.branches]
    if branch_id is not None:
        chosen = tuple(b for b in project.branches if b.id == branch_id)
        if not chosen:
            return (), f"没有代号为“{branch_id}”的支部：可选 {'、'.join(ids)}"
        return chosen, None
    if project.multi:
        return (), (f"这是党委项目，有 {len(ids)} 个支部：请用 --branch 指定支部代号（如 --branch {ids[0]}），"
                    f"可选 {'、'.join(ids)}")
    return project.branches, None
