"""Paper for the meeting: a 会议通知 and a 签到表 per planned or recorded meeting.

The 签到表 lists everyone expected (应到) from the roster on the meeting's day, with a
column to sign, the members already excused (请假, with the reason where the scope kept
it: the committee's) and blank rows for leave asked on the day; a QR code opens the
meeting's 纪实 page on the intranet, when mkdocs.yml gives the site's address.

Both name people from the roster, which is the branch's: they are made for members and
the committee only (`Visibility.meeting_papers`), never for the whole unit. The site
carries them for the meetings from the start of last month on (planned ones included);
`dangjian pdf --sign-in ID` makes them for any meeting (`only=`). The same sheet as
Excel (`tools/attendance.py`) uses `sheet_view` too, so paper and workbook list the same names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import MappingProxyType

from generator.compute import dates
from generator.compute.practices import add_months
from generator.model.records import Activity, Branch
from generator.model.spec import MEETING_TYPES
from generator.model.visibility import Visibility
from generator.pages import routes
from generator.pages.branch import PageSpec

NOTICE_TEMPLATE = "print_notice.html"
SIGN_IN_TEMPLATE = "print_sign_in.html"
TEMPLATES = (NOTICE_TEMPLATE, SIGN_IN_TEMPLATE)  # paper: no navigation, no table of contents, not searched
SIGN_IN_TYPES = tuple(t for t in MEETING_TYPES if t != "谈心谈话")  # a talk is two people: no sheet to sign
BLANK_LEAVE_ROWS = 3  # for leave asked on the day


def expected(branch: Branch, a: Activity) -> tuple[str, ...]:
    """Member ids expected at a meeting (应到), in roster order: the committee for a 支委会,
    the host's 党小组 for a 党小组会 (the branch when the host has none), else every member on
    the roll that day; anyone the record names besides (列席, transferred since) is added."""
    roll = dates.current_members(branch, a.date)
    if a.type == "支委会":
        seats = {s.member for s in branch.committee}
        roll = tuple(m for m in roll if m.id in seats)
    elif a.type == "党小组会":
        group = next((m.group for m in branch.members if m.id == a.host), None)
        if group:
            roll = tuple(m for m in roll if m.group == group)
    ids = [m.id for m in roll]
    named = [m for m in (*a.attendees, *a.absent) if m not in ids]
    order = {m.id: k for k, m in enumerate(branch.members)}
    return tuple(sorted([*ids, *named], key=lambda m: order.get(m, len(order))))


def sheet_view(branch: Branch, a: Activity) -> dict:
    """One meeting's notice and sign-in sheet, as the scoped branch shows it."""
    names = {m.id: m.name for m in branch.members}

    def name(member_id: str | None) -> str | None:
        return names.get(member_id, member_id) if member_id else None

    reasons = {e.member: e.reason for e in a.excused}
    people = [{"id": m, "name": name(m), "excused": m in reasons, "reason": reasons.get(m)} for m in expected(branch, a)]
    return {
        "id": a.id, "type": a.type, "title": a.title, "date": a.date, "place": a.place,
        "host": name(a.host), "recorder": name(a.recorder), "agenda": list(a.agenda),
        "people": people, "excused": [p for p in people if p["excused"]],
        "blank_leave_rows": BLANK_LEAVE_ROWS,
        "record_page": routes.meeting_record_page(a.id),
        "notice_page": routes.notice_print_page(a.id),
        "sign_in_page": routes.sign_in_print_page(a.id),
    }


def meetings_with_papers(branch: Branch, planned: Iterable[Activity], as_of: dt.date,
                         only: str | None = None) -> list[Activity]:
    """The meetings that get paper on the site: from the first of last month on, planned ones too
    (a 党委's years of meetings would add thousands of pages nobody prints again); `only`: that one."""
    since = add_months(as_of.replace(day=1), -1)
    chosen = [a for a in (*branch.activities, *planned) if a.type in SIGN_IN_TYPES
              and (a.id == only if only is not None else a.date >= since)]
    return sorted(chosen, key=lambda a: (a.date, a.id))


def paper_list(branch: Branch, planned: Iterable[Activity], as_of: dt.date, audience: str) -> list[dict]:
    """The meetings with a notice and a sign-in sheet, for the list on the compliance page."""
    if not Visibility(audience).meeting_papers:
        return []
    return [{"title": a.title, "type": a.type, "date": a.date, "planned": a.date > as_of,
             "notice_page": routes.notice_print_page(a.id), "sign_in_page": routes.sign_in_print_page(a.id)}
            for a in meetings_with_papers(branch, planned, as_of)]


def sign_in_pages(branch: Branch, planned: Iterable[Activity], as_of: dt.date, audience: str,
                  only: str | None = None) -> tuple[PageSpec, ...]:
    """The notice and the sign-in sheet of each meeting with paper; none for the whole unit."""
    if not Visibility(audience).meeting_papers:
        return ()
    common = {"branch": {"id": branch.id, "name": branch.name, "organization": branch.organization},
              "as_of": as_of, "audience": audience}
    pages = []
    for a in meetings_with_papers(branch, planned, as_of, only):
        view = sheet_view(branch, a)
        context = MappingProxyType({**common, "meeting": view})
        pages.append(PageSpec(view["notice_page"], f"会议通知：{a.title}", NOTICE_TEMPLATE, context))
        pages.append(PageSpec(view["sign_in_page"], f"签到表：{a.title}", SIGN_IN_TEMPLATE, context))
    return tuple(pages)
