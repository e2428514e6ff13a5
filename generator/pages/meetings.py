"""Pages of the meeting 台账: each meeting's record (纪实), the compliance calendar and the quarterly ledger.

Like the other page modules this only formats a scoped branch and its figures. What a
reader may see of a meeting follows the scope: the public has no absentees, the party
sees who was absent but not why, the committee sees why (`scope.scope_branch` removed
the rest). The compliance calendar (done / due / overdue per period) is the committee's
working tool; other readers see how many of each kind of meeting were held.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from generator.compute import compliance, dates
from generator.compute.branch import BranchFigures
from generator.compute.scoring import Period, period_containing
from generator.model.records import Activity, Branch
from generator.model.spec import MEETING_TYPES
from generator.model.visibility import Visibility
from generator.pages import routes
from generator.pages.branch import BranchViews, PageSpec
from generator.pages.text import markdown_to_html

LEDGER_TEMPLATE = "print_ledger.html"


def record_view(a: Activity, names: Mapping[str, str], audience: str, summary_html: str | None = None) -> dict:
    """One meeting in the standard 会议记录 layout, as the audience may read it (`summary_html`: the
    minutes already converted for the activity's own view, else converted here)."""

    def name(member_id: str | None) -> str | None:
        return names.get(member_id, member_id) if member_id else None

    reasons = {e.member: e.reason for e in a.excused if e.reason}
    seen = Visibility(audience)
    return {
        "id": a.id, "type": a.type, "title": a.title, "date": a.date, "place": a.place,
        "host": name(a.host), "recorder": name(a.recorder), "speaker": name(a.speaker), "leader": name(a.leader),
        "first_topic": a.first_topic,
        "present": len(a.attendees),
        # the public scope holds no absentees: there the number expected would only repeat the number present
        "expected": len(a.attendees) + len(a.absent) if seen.absentees else None,
        "attendees": [name(m) for m in a.attendees],
        "absent": [{"name": name(m), "reason": reasons.get(m)} for m in a.absent],
        # members see who was absent; why, only the committee: the page says so rather than look incomplete
        "reasons_withheld": bool(a.absent) and not seen.committee_papers,
        "agenda": list(a.agenda), "decisions": list(a.decisions),
        "summary_html": markdown_to_html(a.summary or "") if summary_html is None else summary_html,
        "page": routes.meeting_record_page(a.id),
        "activity_page": routes.activity_page(a.id, a.date),
    }


def _cell(c: compliance.Cell) -> dict:
    return {"label": c.label, "status": c.status, "status_label": compliance.STATUS_LABELS[c.status],
            "held": c.held, "needed": c.needed, "months": c.months}


def compliance_view(calendars: tuple[compliance.Calendar, ...], audience: str) -> list[dict]:
    """Each year's rows; the cells' statuses only for the committee, held counts for everyone."""
    full = Visibility(audience).committee_papers
    return [{
        "year": cal.year,
        "since": cal.start,
        "counts": {s: cal.count(s) for s in compliance.STATUSES} if full else None,
        "rows": [{"type": r.frequency.type, "every": r.frequency.every, "times": r.frequency.times,
                  "basis": r.frequency.basis, "held": r.held,
                  "cells": [_cell(c) for c in r.cells] if full else None} for r in cal.rows],
    } for cal in calendars]


def ledger_title(period: Period) -> str:
    """The 台账's name on its cover, the printed page and the Word document."""
    return f"{period.label}组织生活会议记录台账"


def ledger_periods(branch: Branch) -> tuple[Period, ...]:
    """Each quarter with at least one meeting in the scoped branch, newest first."""
    quarters = {period_containing(a.date, "quarter").key: period_containing(a.date, "quarter")
                for a in branch.activities if a.type in MEETING_TYPES}
    return tuple(sorted(quarters.values(), key=lambda p: p.start, reverse=True))


def _records(branch: Branch, audience: str, views: BranchViews) -> dict[str, dict]:
    """activity id -> the record view of each meeting, its minutes taken from the activity's view."""
    minutes = {v["id"]: v["summary_html"] for v in views.activities}
    return {a.id: record_view(a, views.names, audience, minutes.get(a.id))
            for a in branch.activities if a.type in MEETING_TYPES}


def meeting_pages(branch: Branch, computed: BranchFigures, audience: str, views: BranchViews,
                  papers: list[dict] | None = None) -> tuple[PageSpec, ...]:
    """The compliance page and one record page per meeting (`papers`: the meetings with a notice
    and a sign-in sheet, `sign_in.paper_list`, listed on the compliance page)."""
    common = {
        "branch": {"id": branch.id, "name": branch.name, "organization": branch.organization},
        "as_of": computed.as_of,
        "audience": audience,
    }

    def spec(path, title, template, nav=None, **context):
        return PageSpec(path, title, template, MappingProxyType({**common, **context}), nav)

    ledgers = [{"label": p.label, "key": p.key, "page": routes.ledger_print_page(p.key),
                "count": len(dates.meetings_between(branch, p.start, p.end))} for p in ledger_periods(branch)]
    pages = [spec(routes.COMPLIANCE, "组织生活落实情况", "compliance.html", nav="组织生活/落实情况",
                  years=compliance_view(computed.compliance, audience), ledgers=ledgers, papers=papers or [],
                  # the calendar's legend goes with the statuses, which only the committee sees
                  statuses=[{"status": s, "label": compliance.STATUS_LABELS[s]} for s in compliance.STATUSES
                            if Visibility(audience).committee_papers])]
    pages += [spec(routes.meeting_record_page(r["id"]), f"{r['title']}（会议纪实）", "meeting_record.html", record=r)
              for r in _records(branch, audience, views).values()]
    return tuple(pages)


# the 台账's handling notice, on the committee's copy only: the Word ledger and the printed one say the same
COMMITTEE_NOTICE = "本台账为支委会工作资料，含缺席人员的请假原因，请妥善保管，不对外公开。"


def ledger_print_pages(branch: Branch, audience: str, views: BranchViews, common: Mapping) -> tuple[PageSpec, ...]:
    """One bound 台账 per quarter with meetings: a cover, a list of contents and every meeting's record."""
    pages = []
    by_id = _records(branch, audience, views)
    for p in ledger_periods(branch):
        records = [by_id[a.id] for a in dates.meetings_between(branch, p.start, p.end)]
        pages.append(PageSpec(routes.ledger_print_page(p.key), ledger_title(p), LEDGER_TEMPLATE,
                              MappingProxyType({**common, "period": p.label, "records": records,
                                                "notice": COMMITTEE_NOTICE if Visibility(audience).committee_papers else None}), None))
    return tuple(pages)
