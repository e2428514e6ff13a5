"""Whether each required meeting was held: the 支部工作条例 calendar, one frozen value per year.

Pure: a scoped branch (its activities and `frequencies`) and the as-of date in, a
`Calendar` per year out. A year is cut into the periods of each frequency (12 months,
4 quarters or the whole year); each period of each kind of meeting is

- `done`: held at least `times` times in the period;
- `due`: the period is running and the meeting is not yet held enough (amber);
- `overdue`: the period has ended without it (red);
- `upcoming`: the period has not begun;
- `unrecorded`: the period ended and began before the branch's first month here (`since:` in
  branch.yml, else the month of its first record): nothing can be said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.records import Activity, Branch, Frequency

STATUSES = ("done", "due", "overdue", "upcoming", "unrecorded")
STATUS_LABELS = {"done": "已完成", "due": "待开展", "overdue": "已逾期", "upcoming": "未到期", "unrecorded": "无记录"}
_MONTHS_PER = {"每月": 1, "每季度": 3, "每年": 12}


@dataclass(frozen=True)
class Cell:
    label: str  # 1月, 第一季度, 全年
    start: dt.date
    end: dt.date  # inclusive
    held: int
    needed: int
    status: str  # one of STATUSES
    months: int  # how many month columns the cell spans


@dataclass(frozen=True)
class Row:
    frequency: Frequency
    cells: tuple[Cell, ...]

    @property
    def held(self) -> int:
        return sum(c.held for c in self.cells)

    @property
    def overdue(self) -> int:
        return sum(c.status == "overdue" for c in self.cells)


@dataclass(frozen=True)
class Calendar:
    year: int
    rows: tuple[Row, ...]
    start: dt.date | None = None  # the branch's first month, when the year began before it

    def count(self, status: str) -> int:
        return sum(c.status == status for r in self.rows for c in r.cells)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _label(year_month: int, span: int) -> str:
    if span == 1:
        return f"{year_month}月"
    if span == 3:
        return f"第{'一二三四'[(year_month - 1) // 3]}季度"
    return "全年"


def _status(start: dt.date, end: dt.date, held: int, needed: int, as_of: dt.date, first: dt.date | None) -> str:
    if held >= needed:
        return "done"
    if start > as_of:
        return "upcoming"
    if end >= as_of:
        return "due"
    if first is None or start < first:
        return "unrecorded"  # it may have been held before the branch kept records here
    return "overdue"


def _row(frequency: Frequency, held_on: list[dt.date], year: int, as_of: dt.date, first: dt.date | None) -> Row:
    span = _MONTHS_PER[frequency.every]
    cells = []
    for month in range(1, 13, span):
        start, end = dt.date(year, month, 1), _month_end(year, month + span - 1)
        held = sum(start <= day <= end for day in held_on)
        status = _status(start, end, held, frequency.times, as_of, first)
        cells.append(Cell(_label(month, span), start, end, held, frequency.times, status, span))
    return Row(frequency, tuple(cells))


def first_record(activities: tuple[Activity, ...]) -> dt.date | None:
    """The first day of the month of the branch's first recorded activity."""
    days = [a.date for a in activities]
    return min(days).replace(day=1) if days else None


def first_month(branch: Branch) -> dt.date | None:
    """The first month the branch answers for: `since:` when written (records kept elsewhere
    before it), else the month of its first recorded activity."""
    return branch.since or first_record(branch.activities)


def calendar(branch: Branch, year: int, as_of: dt.date) -> Calendar:
    first = first_month(branch)
    rows = []
    for frequency in branch.frequencies:
        held_on = [a.date for a in branch.activities if a.type == frequency.type]
        rows.append(_row(frequency, held_on, year, as_of, first))
    return Calendar(year, tuple(rows), first if first is not None and first.year == year and first.month > 1 else None)


def calendars(branch: Branch, as_of: dt.date) -> tuple[Calendar, ...]:
    """A calendar for every year from the branch's first month to the as-of year, newest first."""
    first = first_month(branch)
    if first is None or not branch.frequencies:
        return ()
    return tuple(calendar(branch, year, as_of) for year in range(as_of.year, first.year - 1, -1))
