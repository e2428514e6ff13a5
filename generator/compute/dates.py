"""Pure computations for the 管理看板: who is on the roll, months, anniversaries.

No I/O, no clock: `as_of` is the build's "today". Results are frozen values.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from generator.model.records import Activity, Branch, Member
from generator.model.spec import MEETING_TYPES


@dataclass(frozen=True)
class Birthday:
    member: str
    name: str
    date: dt.date
    years: int


def current_members(branch: Branch, as_of: dt.date) -> tuple[Member, ...]:
    """Members on the roll on `as_of`: arrived in the branch by then and not transferred out."""
    return tuple(m for m in branch.members if m.arrived <= as_of and (m.left is None or m.left > as_of))


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(month: str) -> str:
    """"2026-03" as the pages print it: "2026 年 3 月"."""
    return f"{month[:4]} 年 {int(month[5:7])} 月"


def last_day(year: int, month: int) -> dt.date:
    """The last day of a month (the one place that works it out)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def activities_in_month(branch: Branch, month: str) -> tuple[Activity, ...]:
    return tuple(a for a in branch.activities if month_key(a.date) == month)


def wuyou_complete(activity: Activity) -> bool:
    return activity.wuyou is not None and all(ok for _, ok in activity.wuyou)


def anniversary(joined: dt.date, year: int) -> dt.date:
    """The joining anniversary in `year`; 29 February falls on 28 February otherwise."""
    try:
        return joined.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def next_anniversary(joined: dt.date, as_of: dt.date) -> dt.date:
    """The first joining anniversary on or after `as_of`."""
    day = anniversary(joined, as_of.year)
    return day if day >= as_of else anniversary(joined, as_of.year + 1)


def upcoming_birthdays(branch: Branch, as_of: dt.date, days: int = 60) -> tuple[Birthday, ...]:
    """Political birthdays from `as_of` (inclusive) within `days` days, soonest first."""
    out = []
    for m in current_members(branch, as_of):
        day = next_anniversary(m.joined, as_of)
        if (day - as_of).days <= days and day.year > m.joined.year:
            out.append(Birthday(m.id, m.name, day, day.year - m.joined.year))
    return tuple(sorted(out, key=lambda b: (b.date, b.member)))


def meetings_between(branch: Branch, start: dt.date, end: dt.date) -> tuple[Activity, ...]:
    """The minuted meetings (spec.MEETING_TYPES) held from `start` to `end` inclusive: a 台账's content."""
    return tuple(a for a in branch.activities if a.type in MEETING_TYPES and start <= a.date <= end)
