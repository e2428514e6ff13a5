"""One truthful view of a branch: what a reader of one audience may know on one day.

`scope_branch(branch, audience, as_of)` is the only place where records are filtered
by audience and by date. Everything after it (compute, pages, charts, exports) reads
the scoped branch and may take every record in it at face value:

- no record dated after `as_of`: activities, news, 四个一, ledger entries, dues
  payments, team problems opened later, members who joined later, disciplinary
  matters dated later; a duty or problem finished after `as_of` is still open in it,
  and a transfer out dated after `as_of` has not happened yet;
- no record above `audience` (activities, news, regulations, duties, team problems);
  a ledger entry above it keeps its points (the score is the same for every reader)
  but loses its note and its ref: a deduction's reason is the committee's;
- for the public, no activity's absentees: beside the list of those present, a count
  of the absent names them to anyone holding the roster; outside the committee, no
  reason for an absence (病假, 事假: the committee's, like a deduction's reason).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from generator.model.records import Activity, Branch, DuesMonth, Member, PointEntry, Team
from generator.model.spec import visible
from generator.model.visibility import Visibility

# A disciplinary matter names its date: "2026年3月 诫勉谈话", "2026-03-15 …", "2026年 …".
_MATTER_DATE = re.compile(r"(\d{4})\s*(?:[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(\d{1,2}))?)?")


def matter_date(line: str) -> dt.date | None:
    """The date a disciplinary matter names (its first year, month and day), or None.

    A missing month or day counts as the first; an impossible one is ignored.
    """
    m = _MATTER_DATE.search(line)
    if not m or not 1900 <= int(m.group(1)) <= 2999:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    if not 1 <= month <= 12:
        return dt.date(year, 1, 1)  # the month is impossible, and so the day means nothing
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, 1)


def discipline_matters(text: str | None) -> tuple[tuple[dt.date | None, str], ...]:
    """Each line of a member's `discipline` text with the date it names."""
    return tuple((matter_date(line), line.strip()) for line in (text or "").splitlines() if line.strip())


def veto_years(text: str | None) -> frozenset[int]:
    """The calendar years in which a member's disciplinary matters keep them off the honor roll.

    The 金榜题名 regulation removes a member for the year of the matter, not for ever. A
    matter without a date (which `check` reports) counts for every year, as the safer reading.
    """
    return frozenset(day.year if day else 0 for day, _ in discipline_matters(text))


def vetoed(text: str | None, year: int) -> bool:
    years = veto_years(text)
    return year in years or 0 in years


def _member_as_of(m: Member, as_of: dt.date) -> Member:
    left = m.left if m.left is not None and m.left <= as_of else None
    discipline = m.private.discipline
    if discipline:
        kept = [line for day, line in discipline_matters(discipline) if day is None or day <= as_of]
        discipline = "\n".join(kept) or None
    if left == m.left and discipline == m.private.discipline:
        return m
    return replace(m, left=left, private=replace(m.private, discipline=discipline))


def _team_as_of(t: Team, audience: str, as_of: dt.date) -> Team:
    problems = []
    for p in t.problems:
        if p.opened > as_of or not visible(audience, p.audience):
            continue
        if p.solved is not None and p.solved > as_of:
            p = replace(p, status="攻坚中", solved=None, outcome=None)
        problems.append(p)
    return replace(t, problems=tuple(problems))


def _dues_as_of(month: DuesMonth, cutoff: dt.datetime) -> DuesMonth:
    payments = tuple(p for p in month.payments if p.paid_at <= cutoff)
    return month if len(payments) == len(month.payments) else replace(month, payments=payments)


def _activity_for(a: Activity, audience: str) -> Activity:
    view = Visibility(audience)
    if not view.absentees and (a.absent or a.excused):
        return replace(a, absent=(), excused=())
    if not view.committee_papers and any(e.reason for e in a.excused):
        return replace(a, excused=tuple(replace(e, reason=None) for e in a.excused))
    return a


def _entry_for(p: PointEntry, audience: str) -> PointEntry:
    return p if visible(audience, p.audience) or (p.note is None and p.ref is None) else replace(p, note=None, ref=None)


def scope_branch(branch: Branch, audience: str, as_of: dt.date) -> Branch:
    """The branch as a reader of `audience` may know it on `as_of` (see the module's docstring)."""
    month = f"{as_of.year:04d}-{as_of.month:02d}"
    cutoff = dt.datetime.combine(as_of, dt.time.max)
    duties = []
    for d in branch.duties:
        if not visible(audience, d.audience):
            continue
        if d.done is not None and d.done > as_of:
            d = replace(d, status="进行中", done=None)
        duties.append(d)
    return replace(
        branch,
        members=tuple(_member_as_of(m, as_of) for m in branch.members if m.arrived <= as_of),
        activities=tuple(_activity_for(a, audience) for a in branch.activities if a.date <= as_of and visible(audience, a.audience)),
        teams=tuple(_team_as_of(t, audience, as_of) for t in branch.teams if t.founded is None or t.founded <= as_of),
        duties=tuple(duties),
        four_ones=tuple(f for f in branch.four_ones if f.date <= as_of),
        dues=tuple(_dues_as_of(d, cutoff) for d in branch.dues if d.month <= month),
        points=tuple(_entry_for(p, audience) for p in branch.points if p.date <= as_of),
        regulations=tuple(d for d in branch.regulations if visible(audience, d.audience)),
        news=tuple(d for d in branch.news if d.date <= as_of and visible(audience, d.audience)),
    )


def planned(branch: Branch, audience: str, as_of: dt.date) -> tuple[tuple[Activity, ...], tuple[str, ...]]:
    """What a reader of `audience` may know is planned after `as_of`: the activities already
    written for later days (without attendance: it has not happened) and the months named as
    零点行动 months (the committee's: the branch keeps the month a surprise).

    The only other place, beside `scope_branch`, that looks at a record's audience and date;
    the calendar feeds, 本月待办 and the reminders read the future from here.
    """
    activities = tuple(replace(a, attendees=(), absent=(), excused=(), reflections=(), photos=())
                       for a in branch.activities if a.date > as_of and visible(audience, a.audience))
    month = f"{as_of.year:04d}-{as_of.month:02d}"
    zero = tuple(d.month for d in branch.dues if d.zero_hour and d.month > month) if Visibility(audience).committee_papers else ()
    return activities, zero
