"""Pure computations for the 管理看板: headline figures and the three columns.

No I/O, no clock: `as_of` is the build's "today". Results are frozen values.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .model import Activity, Branch, Member
from .spec import SANHUI_YIKE


@dataclass(frozen=True)
class Figure:
    """One number on the board, with its status colour and the page that explains it."""

    key: str
    label: str
    value: str
    note: str
    status: str  # "ok" | "warn" | "bad" | "info"
    link: str  # the page that shows its records, e.g. "dues/index.md"


@dataclass(frozen=True)
class Birthday:
    member: str
    name: str
    date: dt.date
    years: int


def current_members(branch: Branch, as_of: dt.date) -> tuple[Member, ...]:
    """Members on the roll on `as_of`: joined by then and not transferred out."""
    return tuple(m for m in branch.members if m.joined <= as_of and (m.left is None or m.left > as_of))


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


def headline_figures(branch: Branch, as_of: dt.date) -> tuple[Figure, ...]:
    """The strip of this period's figures on the home page."""
    month = month_key(as_of)
    this_month = activities_in_month(branch, month)
    theme_days = [a for a in this_month if a.type == "主题党日"]
    complete = [a for a in theme_days if wuyou_complete(a)]
    if theme_days:
        status = "ok" if len(complete) == len(theme_days) else "warn"
        td_value, td_note = f"{len(theme_days)} 次", f"五有齐全 {len(complete)}/{len(theme_days)}"
    else:
        late = as_of.day > branch.theme_day
        status = "bad" if late else "info"
        td_value = "未开展"
        td_note = f"固定日 {branch.theme_day} 日已过" if late else f"固定日为每月 {branch.theme_day} 日"
    sanhui = [a for a in this_month if a.type in SANHUI_YIKE]
    members = current_members(branch, as_of)
    birthdays = upcoming_birthdays(branch, as_of)
    next_bd = birthdays[0] if birthdays else None
    return (
        Figure("members", "在册党员", f"{len(members)} 名", f"支委 {len(branch.committee)} 名", "info", "members/index.md"),
        Figure("theme_day", f"{as_of.month} 月主题党日", td_value, td_note, status, "activities/index.md"),
        Figure("sanhui", f"{as_of.month} 月三会一课", f"{len(sanhui)} 次", "支委会、党员大会、党小组会、党课", "info", "activities/index.md"),
        Figure(
            "birthday", "下一个政治生日",
            f"{next_bd.date.month} 月 {next_bd.date.day} 日" if next_bd else "近期无",
            f"{next_bd.name}，入党 {next_bd.years} 周年" if next_bd else "60 天内没有",
            "info", "members/index.md",
        ),
    )


def latest(items, as_of: dt.date, count: int, key=lambda x: x.date):
    """The newest `count` items dated on or before `as_of`, newest first."""
    return tuple(sorted((i for i in items if key(i) <= as_of), key=key, reverse=True)[:count])
