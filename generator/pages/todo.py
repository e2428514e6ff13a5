"""Due items (`compute.calendar.Due`) in words, with the page where each is recorded once done.

One wording for every place that shows them: 本月待办 (committee, printable), the calendar
feeds and `dangjian remind`. A feed or a reminder therefore says what the page of the same
audience says, and nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import MappingProxyType

from generator.compute import calendar, dates
from generator.compute.calendar import Due
from generator.model.records import Branch
from generator.model.visibility import Visibility
from generator.pages import routes
from generator.pages.branch import PageSpec

STATUS_LABELS = {"held": "已完成", "planned": "已安排", "due": "待办", "overdue": "已逾期"}
KIND_LABELS = {"activity": "活动", "theme_day": "主题党日", "meeting": "组织生活", "birthday": "政治生日", "review": "制度复审",
               "duty": "责任清单", "probation": "预备期满", "zero_hour": "零点行动", "dues": "党费收缴"}


def _period(d: Due) -> str:
    months = (d.end.year - d.start.year) * 12 + d.end.month - d.start.month + 1
    if months == 1:
        return f"{d.start.month}月"
    if months == 3:
        return f"第{'一二三四'[(d.start.month - 1) // 3]}季度"
    return f"{d.start.year}年"


def describe(d: Due) -> str:
    """One line for a person: what is due (the record's own words where it has them)."""
    if d.kind == "activity":
        return d.name if d.subject in d.name else f"{d.subject}：{d.name}"
    if d.kind == "theme_day":
        return f"主题党日（{d.start.month}月{d.start.day}日）"
    if d.kind == "meeting":
        return f"{d.subject}：{_period(d)}还应召开 {d.count} 次（{d.end.month}月{d.end.day}日前）"
    if d.kind == "birthday":
        return f"{d.name}同志政治生日（入党 {d.count} 周年）"
    if d.kind == "review":
        return f"制度复审：{d.name}"
    if d.kind == "duty":
        return f"责任清单到期：{d.name}"
    if d.kind == "probation":
        return f"{d.name}同志预备期满，讨论按期转正"
    if d.kind == "zero_hour":
        return f"零点行动：{dates.month_label(d.subject)} 1 日 0 时交纳党费"
    if d.kind == "dues":
        return f"收缴党费（{dates.month_label(d.subject)}）"
    raise ValueError(d.kind)


def record_page(d: Due) -> str:
    """The page (within the branch) where the item is recorded, or will be once done."""
    if d.kind == "activity" and d.ref and d.status == "held":
        return routes.activity_page(d.ref, d.start)
    if d.kind in ("activity", "theme_day", "meeting"):
        return routes.activity_page(d.ref, d.start) if d.ref else routes.activity_month_page(dates.month_key(d.start))
    return {"birthday": routes.BIRTHDAYS, "review": routes.REVIEW, "duty": routes.DUTIES, "probation": routes.member_page(d.subject),
            "zero_hour": routes.DUES, "dues": routes.DUES}[d.kind]


def when(d: Due) -> str:
    if d.start == d.end:
        return f"{d.start.month}月{d.start.day}日"
    return f"{d.end.month}月{d.end.day}日前"


def view(d: Due) -> dict:
    return {"key": d.key, "kind": d.kind, "kind_label": KIND_LABELS[d.kind], "text": describe(d), "when": when(d),
            "start": d.start, "end": d.end, "status": d.status, "status_label": STATUS_LABELS[d.status],
            "page": record_page(d), "year": d.start.year}


def todo_items(agenda: Iterable[Due], as_of: dt.date) -> tuple[Due, ...]:
    """本月待办: what is open this month and next, and everything overdue; held activities are records, not tasks."""
    first, last = calendar.this_and_next_month(as_of)
    return tuple(d for d in agenda
                 if d.kind != "activity" and (d.status == "overdue" or d.end >= first and d.start <= last))


FEED_SCOPES = {
    "public": "全单位公开的活动和每月主题党日",
    "party": "全单位公开的活动、每月主题党日、党内活动、党员的政治生日和按频次应开的会议",
    "committee": "全部活动、主题党日、政治生日、应开和逾期的会议、制度复审、责任清单到期、预备期满、零点行动月和党费收缴",
}


def feeds_page(audience: str) -> PageSpec:
    """订阅日历: the feeds sit beside this page, so its links hold in a branch's folder too."""
    name = lambda path: path.rpartition("/")[2]  # noqa: E731
    context = {"calendar": name(routes.CALENDAR_FEED), "calendar_label": name(routes.CALENDAR_FEED),
               "calendar_scope": FEED_SCOPES[audience], "activities": name(routes.ACTIVITIES_FEED), "news": name(routes.NEWS_FEED)}
    return PageSpec(routes.FEEDS, "订阅日历", "feeds.html", MappingProxyType(context))


def todo_pages(branch: Branch, agenda: tuple[Due, ...], as_of: dt.date, audience: str) -> tuple[PageSpec, ...]:
    """订阅日历 for every audience; 本月待办 for the committee (everything on it is its business)."""
    if not Visibility(audience).committee_papers:
        return (feeds_page(audience),)
    chosen = todo_items(agenda, as_of)
    groups = []
    for status in ("overdue", "due", "planned", "held"):
        rows = [view(d) for d in chosen if d.status == status]
        if rows:
            groups.append({"status": status, "label": STATUS_LABELS[status], "rows": rows})
    first, last = calendar.this_and_next_month(as_of)
    context = {
        "branch": {"id": branch.id, "name": branch.name}, "as_of": as_of, "audience": audience,
        "window": f"{first.year}年{first.month}月至{last.month}月" if first.year == last.year else f"{first.year}年{first.month}月至{last.year}年{last.month}月",
        "groups": groups, "open": sum(d.status in ("due", "overdue") for d in chosen),
        "overdue": sum(d.status == "overdue" for d in chosen), "feed": routes.CALENDAR_FEED,
    }
    return PageSpec(routes.TODO, "本月待办", "todo.html", MappingProxyType(context), "组织生活/本月待办"), feeds_page(audience)
