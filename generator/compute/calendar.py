"""What is due, when, and for whom: the branch's calendar before the meeting.

Pure: a branch already scoped to one audience and date (`scope.scope_branch`), what is
planned after that date (`scope.planned`) and the date in, frozen `Due` items out. The
calendar feeds, 本月待办, `dangjian remind` and `dangjian plan` all read these same items,
so a reminder can never say more than the page of the same audience.

Each item carries the lowest audience that may see its kind (`KIND_AUDIENCE`): the fixed
主题党日 day and the public activities are everyone's; political birthdays and meetings due
by frequency are the branch's; reviews, duties, overdue items, the end of a 预备期 and the
planned 零点行动 month are the committee's. `items` never returns one above the audience.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.compute import compliance, dates
from generator.compute.practices import add_months, birthday_calendar, duty_table, regulation_reviews
from generator.model.records import Activity, Branch
from generator.model.spec import AUDIENCES, visible
from generator.model.visibility import Visibility

KIND_AUDIENCE = {
    "activity": "public",  # the activity's own audience is stricter where it says so
    "theme_day": "public",
    "birthday": "party",
    "meeting": "party",
    "review": "committee",
    "duty": "committee",
    "probation": "committee",
    "zero_hour": "committee",
    "dues": "committee",
}
STATUSES = ("held", "planned", "due", "overdue")
PROBATION_YEARS = 1  # 预备期 is one year from the day of joining (党章 第七条)
FEED_MONTHS = 12  # the feeds look this far ahead


@dataclass(frozen=True)
class Due:
    key: str  # the item's identity across builds and audiences: the feeds' UID is made from it
    kind: str  # one of KIND_AUDIENCE
    start: dt.date
    end: dt.date  # inclusive; the day it must be done by
    status: str  # one of STATUSES
    subject: str  # an activity type, a member id, a regulation or duty id, a month "YYYY-MM"
    name: str  # the record's own words: a title, a member's name, a regulation's title
    count: int = 0  # years of membership (birthday), times still needed (meeting)
    ref: str | None = None  # the activity that fulfils it or is it, once recorded
    audience: str = "public"

    @property
    def open(self) -> bool:
        return self.status in ("due", "overdue")


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _theme_days(branch: Branch, as_of: dt.date, first: dt.date, last: dt.date, held: dict[str, Activity]) -> list[Due]:
    out = []
    month = _month_start(first)
    while month <= last:
        end = dates.last_day(month.year, month.month)
        day = month.replace(day=min(branch.theme_day, end.day))
        key = dates.month_key(month)
        done = held.get(key)
        status = "held" if done else ("overdue" if end < as_of else ("due" if day <= as_of else "planned"))
        out.append(Due(f"theme-day/{key}", "theme_day", day, day, status, "主题党日", "主题党日", ref=done.id if done else None))
        month = add_months(month, 1)
    return out


def _meetings(branch: Branch, as_of: dt.date, first: dt.date, last: dt.date) -> list[Due]:
    out = []
    for year in range(first.year, last.year + 1):
        for row in compliance.calendar(branch, year, as_of).rows:
            kind = row.frequency.type
            if kind == "主题党日":  # the fixed day's own item says it
                continue
            for cell in row.cells:
                if cell.status in ("done", "unrecorded") or cell.end < first or cell.start > last:
                    continue
                status = {"due": "due", "overdue": "overdue"}.get(cell.status, "planned")
                out.append(Due(f"meeting/{kind}/{cell.start:%Y-%m}", "meeting", cell.start, cell.end, status,
                               kind, kind, count=cell.needed - cell.held))
    return out


def items(branch: Branch, audience: str, as_of: dt.date, first: dt.date, last: dt.date,
          planned: tuple[Activity, ...] = (), zero_hour: tuple[str, ...] = (), overdue: bool = True) -> tuple[Due, ...]:
    """Every item of `audience` falling from `first` to `last` (inclusive), soonest first.

    `overdue`: also the open items from before `first` that are still not done (committee).
    """
    level = AUDIENCES.index(audience)
    allowed = {k for k, a in KIND_AUDIENCE.items() if AUDIENCES.index(a) <= level}
    out: list[Due] = []
    held_theme: dict[str, Activity] = {}
    for a in sorted(branch.activities, key=lambda a: (a.date, a.id)):
        if a.type == "主题党日":
            held_theme.setdefault(dates.month_key(a.date), a)
    for a in [*branch.activities, *planned]:
        if first <= a.date <= last and visible(audience, a.audience):
            status = "held" if a.date <= as_of else "planned"
            out.append(Due(f"activity/{a.id}", "activity", a.date, a.date, status, a.type, a.title, ref=a.id, audience=a.audience))
    out += _theme_days(branch, as_of, first, last, held_theme)
    if "meeting" in allowed:
        out += _meetings(branch, as_of, first, last)
    if "birthday" in allowed:
        for b in birthday_calendar(branch, max(first, _month_start(as_of))):  # the ones to come
            if b.date <= last:
                status = "held" if b.held else ("due" if b.date <= as_of else "planned")
                out.append(Due(f"birthday/{b.member}/{b.date.year}", "birthday", b.date, b.date, status, b.member, b.name,
                               count=b.years, ref=b.held))
    if "review" in allowed:
        for r in regulation_reviews(branch, as_of):
            if r.next_review <= last:
                out.append(Due(f"review/{r.id}/{r.next_review}", "review", r.next_review, r.next_review,
                               "overdue" if r.overdue else "due", r.id, r.title))
    if "duty" in allowed:
        for row in duty_table(branch, as_of).rows:
            if row.status != "已完成" and row.when <= last:
                out.append(Due(f"duty/{row.id}", "duty", row.when, row.when, "overdue" if row.overdue else "due", row.id, row.what))
    if "probation" in allowed:
        for m in dates.current_members(branch, as_of):
            if m.status == "预备党员":
                day = dates.anniversary(m.joined, m.joined.year + PROBATION_YEARS)
                if day <= last:
                    out.append(Due(f"probation/{m.id}/{m.joined}", "probation", day, day, "overdue" if day < as_of else "due", m.id, m.name))
    if "zero_hour" in allowed:
        for named in zero_hour:
            day = dt.date.fromisoformat(named + "-01")
            if first <= day <= last:
                out.append(Due(f"zero-hour/{named}", "zero_hour", day, day, "planned", named, named))
    if "dues" in allowed:
        recorded = {d.month for d in branch.dues if d.payments}
        month = _month_start(first)
        while month <= last:
            key = dates.month_key(month)
            end = dates.last_day(month.year, month.month)
            status = "held" if key in recorded else ("overdue" if end < as_of else ("due" if month <= as_of else "planned"))
            out.append(Due(f"dues/{key}", "dues", month, end, status, key, key))
            month = add_months(month, 1)
    late = overdue and Visibility(audience).committee_papers
    kept = [d for d in out if d.kind in allowed and (first <= d.end and d.start <= last or late and d.status == "overdue")]
    if not Visibility(audience).committee_papers:  # what is overdue is the committee's to know
        kept = [d for d in kept if d.status != "overdue"]
    for d in kept:  # each kind's own audience, and an activity's own
        assert AUDIENCES.index(KIND_AUDIENCE[d.kind]) <= level and visible(audience, d.audience), d
    unique = {d.key: d for d in kept}
    return tuple(sorted(unique.values(), key=lambda d: (d.end, d.kind, d.key)))  # by the day it must be done by


def this_and_next_month(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """本月待办's window: from the first of the as-of month to the end of the next."""
    following = add_months(_month_start(as_of), 1)
    return _month_start(as_of), dates.last_day(following.year, following.month)


def feed_window(branch: Branch, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The feeds' window: from the branch's first record (or the as-of month) to FEED_MONTHS ahead."""
    first = compliance.first_record(branch.activities) or _month_start(as_of)
    ahead = add_months(_month_start(as_of), FEED_MONTHS)
    return min(first, _month_start(as_of)), ahead - dt.timedelta(days=1)
