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

from generator.compute import compliance, dates, practices
from generator.compute.dates import Birthday
from generator.compute.scoring import (
    HonorRoll,
    Ledger,
    Period,
    Scores,
    Weights,
    ledger_of,
    period_containing,
    period_roll,
    weights_of,
)
from generator.model.records import Branch
from generator.model.spec import SANHUI_YIKE

PERIOD_KINDS = ("month", "quarter", "year")
# In a period's first days the ledger of the one before is still being entered: the home
# page, the board and the 公示 show the last complete period until then.
GRACE_DAYS = 5
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
    rolls: Mapping[str, HonorRoll]  # period kind -> honor roll of the period containing as_of
    published: Mapping[str, HonorRoll]  # period kind -> the roll to show: `rolls`, or the last complete one
    archive: tuple[HonorRoll, ...]  # every complete period since the first ledger entry, newest first
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
    compliance: tuple[compliance.Calendar, ...]  # the 支部工作条例 calendar of each year, newest first
    # The month the paper (board, 公示, report) is about: the one `dangjian pdf --period` asked for,
    # or the month of as_of. One field so that the three documents cannot disagree.
    print_month: str = ""

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


def compute_branch(branch: Branch, as_of: dt.date, publish: str | None = None) -> BranchFigures:
    """Every figure of a scoped branch, each computed once.

    `publish` names a period ("2026-10", "2026-Q3") whose roll is published instead of the
    default one of its kind (`dangjian pdf --period`); `published_keys` lists the choices.
    """
    scores: dict[str, Scores] = {}
    previous: dict[str, Scores] = {}
    rolls: dict[str, HonorRoll] = {}
    archive: tuple[HonorRoll, ...] = ()
    weights = weights_of(branch.evaluation) if branch.evaluation is not None else None
    if weights is not None:
        ledger = ledger_of(branch, weights)
        for kind in PERIOD_KINDS:
            scores[kind], previous[kind], rolls[kind] = period_roll(branch, period_containing(as_of, kind), weights, as_of, ledger)
        archive = _archive(branch, weights, as_of, ledger)
    by_key = {roll.period.key: roll for roll in archive}
    published = {kind: _published(roll, as_of, by_key) for kind, roll in rolls.items()}
    chosen = by_key.get(publish or "") or next((r for r in rolls.values() if r.period.key == publish), None)
    if chosen is not None:
        published[chosen.period.kind] = chosen
    return BranchFigures(
        as_of=as_of,
        headline=headline(branch, as_of),
        weights=weights,
        scores=MappingProxyType(scores),
        previous=MappingProxyType(previous),
        rolls=MappingProxyType(rolls),
        published=MappingProxyType(published),
        archive=archive,
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
        compliance=compliance.calendars(branch, as_of),
        print_month=chosen.period.key if chosen is not None and chosen.period.kind == "month" else dates.month_key(as_of),
    )


def _following(period: Period) -> Period:
    return period_containing(period.end + dt.timedelta(days=1), period.kind)


def _archive(branch: Branch, weights: Weights, as_of: dt.date, ledger: Ledger) -> tuple[HonorRoll, ...]:
    """The honor roll of every month, quarter and year that has ended by `as_of`, since the first ledger entry."""
    if not branch.points:
        return ()
    first = min(p.date for p in branch.points)
    rolls = []
    for kind in PERIOD_KINDS:
        period = period_containing(first, kind)
        while period.end <= as_of:
            rolls.append(period_roll(branch, period, weights, as_of, ledger)[2])
            period = _following(period)
    return tuple(sorted(rolls, key=lambda r: (r.period.end, -(r.period.end - r.period.start).days), reverse=True))


def _published(current: HonorRoll, as_of: dt.date, complete: Mapping[str, HonorRoll]) -> HonorRoll:
    """The roll a reader is shown: the running period's, except in its first GRACE_DAYS days or
    while nobody is on it, when the last complete period's (if it has anyone) is shown instead."""
    early = (as_of - current.period.start).days < GRACE_DAYS
    if current.entries and not early:
        return current
    last = complete.get(current.period.previous().key)
    return last if last is not None and last.entries else current


def published_keys(figures: BranchFigures) -> tuple[str, ...]:
    """The periods whose roll can be published: every complete one and the running ones."""
    return tuple(dict.fromkeys([*(r.period.key for r in figures.rolls.values()), *(r.period.key for r in figures.archive)]))
