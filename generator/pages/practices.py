"""Pages of the seven practices (七个一): from the practices' values to page specs.

Like pages.py, this is where the model is cut down for rendering: contexts hold plain
dicts made here (names, dates, shares), never model objects, and never a record above
the build's audience. Dues appear as aggregates; per-member payment times only in
party and committee builds, and only for payments made (never a list of who owes).
Charts are `charts.ChartSpec` values under the context key "charts"; the site engine
collects them with `charts.chart_specs` and draws them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from generator.compute import dates, practices
from generator.compute.branch import BranchFigures
from generator.model.records import Branch
from generator.model.spec import BIRTHDAY_STEPS, PROBLEM_STATUSES
from generator.model.visibility import Visibility
from generator.pages import charts, routes
from generator.pages.branch import PageSpec
from generator.pages.branch import activity_page as page_of_activity
from generator.pages.figures import practice_figures
from generator.pages.routes import BIRTHDAYS, DUES, DUTIES, OVERVIEW, REVIEW, TEAMS
from generator.pages.text import markdown_to_html


def _share(s: practices.Share) -> dict:
    return {"done": s.done, "total": s.total, "value": s.value}


def _clock(minutes: int) -> str:
    """Minutes after 00:00 on the 1st as text: "3 分钟", "2 小时 5 分", "3 天 4 小时"."""
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 24 * 60:
        h, m = divmod(minutes, 60)
        return f"{h} 小时" + (f" {m} 分" if m else "")
    d, rest = divmod(minutes, 24 * 60)
    return f"{d} 天" + (f" {rest // 60} 小时" if rest // 60 else "")


def practice_pages(branch: Branch, computed: BranchFigures, audience: str = "public") -> tuple[PageSpec, ...]:
    """The overview of the seven practices and one page per practice section."""
    as_of = computed.as_of
    names = {m.id: m.name for m in branch.members}
    on_roll = {m.id for m in dates.current_members(branch, as_of)}
    activity_pages = {a.id: page_of_activity(a) for a in branch.activities}

    def person(member_id: str | None) -> dict | None:
        if not member_id:
            return None
        return {"name": names.get(member_id, member_id),
                "page": routes.member_page(member_id) if member_id in on_roll else None}

    def people(ids) -> list[dict | None]:
        return [person(m) for m in ids]

    def activity_page(activity_id: str) -> str | None:
        return activity_pages.get(activity_id)

    common = {
        "branch": {"id": branch.id, "name": branch.name, "organization": branch.organization},
        "as_of": as_of,
        "audience": audience,
        "members_build": Visibility(audience).individual_figures,
    }

    def spec(path, title, template, nav=None, **context):
        return PageSpec(path, title, template, MappingProxyType({**common, **context}), nav)

    stats = computed.dues
    pages = [
        spec(OVERVIEW, "七个一工作法", "practice_overview.html", nav="七个一/概览",
             figures=practice_figures(computed), sections=_sections(computed),
             charts={"radar": charts.branch_radar_chart(computed),
                     "activities": charts.activity_counts_chart(computed)},
             activity_span=charts.activity_span(computed)),
        spec(REVIEW, "制度执行评估", "practice_regulations.html",
             **regulations_context(computed, activity_page)),
        spec(DUTIES, "一个责任制", "practice_duties.html", nav="七个一/责任制",
             **duties_context(branch, computed, person)),
        spec(TEAMS, "攻坚团队", "practice_teams.html", nav="七个一/攻坚团队",
             **teams_context(computed, person, people)),
        spec(BIRTHDAYS, "政治生日", "practice_birthdays.html", nav="七个一/政治生日",
             **birthdays_context(computed, person, activity_page)),
        spec(DUES, "零点行动", "practice_dues.html", nav="七个一/零点行动",
             **dues_context(stats, audience, person)),
    ]
    return tuple(pages)


def member_radar_paths(branch: Branch, computed: BranchFigures, audience: str) -> dict[str, charts.ChartSpec]:
    """member id -> the member's 五力 radar chart (party and committee builds; empty for public).

    Put the spec into the member page's context as `charts={"radar": spec}` so that
    `charts.chart_specs` finds it; the template shows `url(charts.radar.path)`.
    """
    return charts.member_radar_charts(branch, computed, audience)


def _sections(computed) -> list[dict]:
    return [
        {"name": "一组特色制度", "tool": "标准化", "page": REVIEW,
         "what": "政治学习、宣传报道、主题党日、党员积分四项制度，按期评估、用台账检验执行"},
        {"name": "一个责任制", "tool": "5W2H", "page": DUTIES,
         "what": "一岗双责，责任清单写明做什么、为什么、谁来做、何时、何地、怎么做、做到什么程度；人人完成四个一"},
        {"name": "一个活动阵地", "tool": "管理看板", "page": routes.HOME,
         "what": "支部动态、党务公开、活动感悟三个栏目，线上线下同步"},
        {"name": "一批攻坚团队", "tool": "诸葛亮会", "page": TEAMS,
         "what": "围绕业务难题组建团队，课题从待攻坚到已破解，金点子记在提出人名下"},
        {"name": "一次政治生日", "tool": "流程管理", "page": BIRTHDAYS,
         "what": "在党员入党纪念日前后举行，八个规定环节一个不少"},
        {"name": "一次零点行动", "tool": "准时制", "page": DUES,
         "what": "随机选定一个月，当月 1 日零点全体党员争先交纳党费；平时按月按时交纳"},
        {"name": "一套评价体系", "tool": "AHP 积分管理", "page": routes.EVALUATION if computed and computed.weights else None,
         "what": "学习力、执行力、创新力、组织力、服务力五个维度 22 项指标，积分排名金榜题名"},
    ]


# -- 一组特色制度 ------------------------------------------------------------------

def regulations_context(computed: BranchFigures, activity_page=None) -> dict:
    """Review dates and the execution evaluation; also usable on the regulations index page."""
    activity_page = activity_page or (lambda _id: None)
    reviews = [{
        "id": r.id, "number": r.number, "title": r.title, "version": r.version, "effective": r.effective,
        "last_review": r.last_review, "review_months": r.review_months, "next_review": r.next_review,
        "days_left": r.days_left, "overdue": r.overdue, "due_soon": r.due_soon,
        "page": routes.document_page("regulations", r.id),
    } for r in computed.reviews]
    ev = computed.execution

    def governing(measure: str) -> str:
        """The branch's own regulations whose `measures:` name this check (no names built in)."""
        return "、".join(f"《{r.title}》" for r in computed.reviews if measure in r.measures) or "（未指定制度）"

    def shortfalls(items):
        return [{"date": s.date, "title": s.title, "missing": list(s.missing), "page": activity_page(s.id)} for s in items]

    evaluation: dict[str, Any] = {
        "year": ev.year,
        "since": ev.start,
        # what the totals add up, as the printed report and the Word report both head them
        "span": f"{ev.year} 年" + (f"自 {ev.start.month} 月起" if ev.start else "") + "累计",
        "rows": [
            {"key": "wuyou", "rule": governing("五有"), "measure": "主题党日五有齐全", **_share(ev.wuyou), "target": 1.0,
             "unit": "次", "shortfalls": shortfalls(ev.wuyou_shortfalls)},
            {"key": "first_topic", "rule": governing("第一议题"), "measure": "政治学习落实第一议题", **_share(ev.first_topic), "target": 1.0,
             "unit": "次", "shortfalls": shortfalls(ev.first_topic_shortfalls)},
            {"key": "news", "rule": governing("宣传报道"), "measure": f"宣传报道完成年度计划（按进度应完成 {ev.news_expected} 篇）",
             **_share(ev.news), "target": (ev.news_expected / ev.news.total) if ev.news.total else None,
             "unit": "篇", "shortfalls": []},
            {"key": "ledger", "rule": governing("积分台账"), "measure": "每月建立积分台账", **_share(ev.ledger), "target": 1.0,
             "unit": "个月", "shortfalls": [{"date": None, "title": dates.month_label(m), "missing": ["积分台账"], "page": None}
                                             for m in ev.ledger_missing]},
        ],
    }
    for row in evaluation["rows"]:
        value, target = row["value"], row["target"]
        row["status"] = "info" if value is None or target is None else (
            "ok" if value >= target - 1e-9 else ("warn" if value >= 0.8 * target else "bad"))
    return {"reviews": reviews, "evaluation": evaluation,
            "overdue": sum(r["overdue"] for r in reviews), "due_soon": sum(r["due_soon"] for r in reviews),
            "due_soon_days": practices.DUE_SOON_DAYS}


# -- 一个责任制 ----------------------------------------------------------------------

def duties_context(branch: Branch, computed: BranchFigures, person) -> dict:
    table = computed.duties
    rows = [{
        "id": r.id, "what": r.what, "why": r.why, "who": [person(m) for m in r.who], "when": r.when,
        "where": r.where, "how_html": markdown_to_html(r.how or ""), "how_much": r.how_much,
        "status": r.status, "done": r.done, "overdue": r.overdue, "days_overdue": r.days_overdue,
        "done_late": r.done_late,
    } for r in table.rows]
    matrix = computed.four_ones
    on_roll = {m.id for m in dates.current_members(branch, computed.as_of)}
    return {
        "duties": rows,
        "duty_counts": {"total": table.total, "overdue": table.overdue, "completed": table.completed,
                        "open": table.total - table.completed},
        "posts": [{"member": person(p.member), "business": p.business, "party": p.party} for p in branch.posts
                  if p.member in on_roll],
        "four_ones": {
            "year": matrix.year,
            "items": list(matrix.items),
            "rows": [{"member": person(r.member), "complete": r.complete,
                      "cells": [None if c is None else {"date": c.date, "title": c.title, "count": c.count} for c in r.cells]}
                     for r in matrix.rows],
            "coverage": _share(matrix.coverage),
            "per_item": [_share(s) for s in matrix.per_item],
            "complete_members": _share(matrix.complete_members),
            "expected": matrix.expected,
        },
    }


# -- 一批攻坚团队 ----------------------------------------------------------------------

def teams_context(computed: BranchFigures, person, people) -> dict:
    board = computed.teams

    def card(c: practices.ProblemCard) -> dict:
        return {
            "id": c.id, "team": c.team_name, "title": c.title, "status": c.status, "opened": c.opened,
            "solved": c.solved, "owner": person(c.owner), "members": people(c.members),
            "outcome_html": markdown_to_html(c.outcome or ""), "days": c.days,
            "ideas": [{"author": person(i.member), "text": i.text, "adopted": i.adopted} for i in c.ideas],
        }

    return {
        "teams": [{
            "id": t.id, "name": t.name, "lead": person(t.lead), "members": people(t.members), "founded": t.founded,
            "focus": t.focus, "counts": dict(zip(PROBLEM_STATUSES, t.counts)),
        } for t in board.teams],
        "columns": [{"status": s, "cards": [card(c) for c in cards]} for s, cards in board.columns],
        "credits": [{"author": person(m), "ideas": list(texts), "problems": [c.title for c in problems]}
                    for m, problems, texts in board.credits],
        "open_count": board.open_count,
    }


# -- 一次政治生日 ----------------------------------------------------------------------

def birthdays_context(computed: BranchFigures, person, activity_page) -> dict:
    calendar = computed.birthdays
    months: dict[str, list] = {}
    for b in calendar:
        months.setdefault(dates.month_key(b.date), []).append({
            "member": person(b.member), "date": b.date, "years": b.years, "days_away": b.days_away,
            "held": activity_page(b.held) if b.held else None, "is_held": b.held is not None,
        })
    checks = computed.ceremonies
    coverage = computed.birthday_coverage
    return {
        "calendar": [{"month": k, "label": dates.month_label(k), "birthdays": v} for k, v in months.items()],
        "calendar_count": len(calendar),
        "steps": list(BIRTHDAY_STEPS),
        "ceremonies": [{
            "date": c.date, "title": c.title, "page": activity_page(c.id), "honorees": [person(m) for m in c.honorees],
            "done": list(c.done), "missing": list(c.missing), "extra": list(c.extra), "complete": c.complete,
        } for c in checks],
        "ceremony_share": _share(practices.Share(sum(c.complete for c in checks), len(checks))),
        "coverage": _share(coverage.share),
        "without": [{"member": person(m), "date": d} for m, d in coverage.without],
    }


# -- 一次零点行动 ----------------------------------------------------------------------

def dues_context(stats: tuple[practices.DuesStats, ...], audience: str, person) -> dict:
    """Aggregates for everyone; payment times per member only for member builds, payers only."""
    show_people = Visibility(audience).individual_figures

    def month(s: practices.DuesStats) -> dict:
        view = {
            "month": s.month, "label": dates.month_label(s.month), "zero_hour": s.zero_hour, "closed": s.closed,
            "expected": s.expected, "payers": s.payers,
            "first_minutes": _share(s.first_minutes), "first_hour": _share(s.first_hour),
            "first_day": _share(s.first_day), "on_time": _share(s.on_time),
            "median": _clock(s.median_minutes) if s.median_minutes is not None else None,
            "payments": None,
        }
        if show_people:
            view["payments"] = [{"member": person(t.member), "paid_at": t.paid_at.strftime("%Y-%m-%d %H:%M"),
                                 "after": _clock(t.minutes), "minutes": t.minutes, "on_time": t.on_time}
                                for t in s.payments]
        return view

    months = [month(s) for s in stats]
    events = [{**month(s), "chart": charts.zero_hour_chart(s)} for s in stats if s.zero_hour]
    ordinary = [s for s in stats if not s.zero_hour and s.closed]
    ordinary_on_time = practices.Share(sum(s.on_time.done for s in ordinary), sum(s.on_time.total for s in ordinary))
    ordinary_first_day = practices.Share(sum(s.first_day.done for s in ordinary), sum(s.first_day.total for s in ordinary))
    return {
        "months": list(reversed(months)),
        "events": events,
        "ordinary": {"months": len(ordinary), "on_time": _share(ordinary_on_time), "first_day": _share(ordinary_first_day)},
        "first_minutes": practices.ZERO_HOUR_FIRST_MINUTES,
        "show_people": show_people,
        "charts": {"trend": charts.dues_trend_chart(stats),
                   "events": [e["chart"] for e in events if e["chart"] is not None]},
    }
