"""Everything a branch's pages need that is computed rather than copied: one frozen value.

Pure: a branch already scoped to one audience and date (`scope.scope_branch`) and that
date in, `BranchFigures` out. Numbers and records only: no display text, no page paths.
Every page, print page, chart and export of the branch formats these same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from generator.compute import dates, practices
from generator.compute.dates import Birthday
from generator.compute.scoring import HonorRoll, Scores, Weights, ledger_of, period_containing, period_roll, weights_of
from generator.model.records import Branch
from generator.model.spec import SANHUI_YIKE

PERIOD_KINDS = ("month", "quarter", "year")
HOME_BIRTHDAY_DAYS = 31  # the home page lists the political birthdays of the coming month
NEXT_BIRTHDAY_DAYS = 60  # the headline figure looks this far ahead


@dataclass(frozen=True)
class Headline:
    """The figures of the home page's strip, for the month of `as_of`."""

    members: int  # on the roll on `as_of`
    committee: int
    theme_days: int  # 主题党日 held this month
    theme_days_complete: int  # of them, with all 五有
    theme_day_passed: bool  # the branch's fixed day has passed this month
    sanhui: int  # 三会一课 held this month
    next_birthday: Birthday | None


@dataclass(frozen=True)
class BranchFigures:
    """One branch's computed figures for one audience and one date."""

    as_of: dt.date
    headline: Headline
    weights: Weights | None
    scores: Mapping[str, Scores]  # period kind -> scores of the period containing as_of
    previous: Mapping[str, Scores]  # period kind -> scores of the period before it
    rolls: Mapping[str, HonorRoll]  # period kind -> honor roll
    dues: tuple[practices.DuesStats, ...]  # each recorded month up to as_of, oldest first
    reviews: tuple[practices.RegulationReview, ...]
    execution: practices.ExecutionEvaluation
    duties: practices.DutyTable
    four_ones: practices.FourOnesMatrix
    teams: practices.TeamBoard
    birthdays: tuple[practices.UpcomingBirthday, ...]  # the next 12 months
    soon_birthdays: tuple[Birthday, ...]  # the next HOME_BIRTHDAY_DAYS days
    ceremonies: tuple[practices.CeremonyCheck, ...]
    birthday_coverage: practices.BirthdayCoverage
    activity_counts: tuple[tuple[str, tuple[int, ...]], ...]  # (month, counts per practices.ACTIVITY_GROUPS)

    def current(self, kind: str) -> Scores | None:
        return self.scores.get(kind)


def headline(branch: Branch, as_of: dt.date) -> Headline:
    this_month = dates.activities_in_month(branch, dates.month_key(as_of))
    theme_days = [a for a in this_month if a.type == "主题党日"]
    birthdays = dates.upcoming_birthdays(branch, as_of, days=NEXT_BIRTHDAY_DAYS)
    return Headline(
        members=len(dates.current_members(branch, as_of)),
        committee=len(branch.committee),
        theme_days=len(theme_days),
        theme_days_complete=sum(dates.wuyou_complete(a) for a in theme_days),
        theme_day_passed=as_of.day > branch.theme_day,
        sanhui=sum(a.type in SANHUI_YIKE for a in this_month),
        next_birthday=birthdays[0] if birthdays else None,
    )


def compute_branch(branch: Branch, as_of: dt.date) -> BranchFigures:
    """Every figure of a scoped branch, each computed once."""
    scores: dict[str, Scores] = {}
    previous: dict[str, Scores] = {}
    rolls: dict[str, HonorRoll] = {}
    weights = weights_of(branch.evaluation) if branch.evaluation is not None else None
    if weights is not None:
        ledger = ledger_of(branch, weights)
        for kind in PERIOD_KINDS:
            scores[kind], previous[kind], rolls[kind] = period_roll(branch, period_containing(as_of, kind), weights, as_of, ledger)
    return BranchFigures(
        as_of=as_of,
        headline=headline(branch, as_of),
        weights=weights,
        scores=MappingProxyType(scores),
        previous=MappingProxyType(previous),
        rolls=MappingProxyType(rolls),
        dues=practices.dues_stats(branch, as_of),
        reviews=practices.regulation_reviews(branch, as_of),
        execution=practices.execution_evaluation(branch, as_of),
        duties=practices.duty_table(branch, as_of),
        four_ones=practices.four_ones_matrix(branch, as_of),
        teams=practices.team_board(branch, as_of),
        birthdays=practices.birthday_calendar(branch, as_of),
        soon_birthdays=dates.upcoming_birthdays(branch, as_of, days=HOME_BIRTHDAY_DAYS),
        ceremonies=practices.ceremony_checks(branch),
        birthday_coverage=practices.birthday_coverage(branch, as_of),
        activity_counts=practices.activity_counts(branch, as_of),
    )
