"""From a scoped branch and its computed figures to page specs.

A `PageSpec` names the output path, the title, the template in `theme/dangjian/` and
the data the template may show. The branch has already been cut down to the build's
audience and date (`scope.scope_branch`) and every figure computed once
(`compute.BranchFigures`); this module only formats. A page context holds views only
(no private member fields), so no template can leak what it never receives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator.compute import dates
from generator.compute.branch import PERIOD_KINDS, BranchFigures
from generator.model.records import Activity, Branch, Document, Member
from generator.model.spec import MEETING_TYPES
from generator.model.visibility import Visibility
from generator.pages import routes
from generator.pages.figures import all_figures
from generator.pages.routes import activity_month_page
from generator.pages.scores import evaluation_view, honor_view, member_score_view
from generator.pages.text import markdown_to_html, plain_excerpt


@dataclass(frozen=True)
class PageSpec:
    path: str  # source path inside the site, e.g. "members/m01.md"
    title: str
    template: str  # file name under theme/dangjian/
    context: Mapping[str, Any] = field(default_factory=dict)
    nav: str | None = None  # a title when the page is a top-level section in the navigation
    prefix: str = ""  # the branch's folder in a 党委 site: page links in templates are relative to it


# -- public views ---------------------------------------------------------------

def activity_page(a: Activity) -> str:
    """Where an activity is shown: its month's page, at its own anchor."""
    return routes.activity_page(a.id, a.date)


def member_view(m: Member, committee_roles: dict[str, str]) -> dict:
    return {
        "id": m.id, "name": m.name, "gender": m.gender, "joined": m.joined, "status": m.status,
        "post": m.post, "group": m.group, "role": committee_roles.get(m.id),
        "page": routes.member_page(m.id),
    }


def activity_view(a: Activity, names: dict[str, str]) -> dict:
    return {
        "id": a.id, "type": a.type, "date": a.date, "title": a.title, "place": a.place,
        "host": names.get(a.host) if a.host else None,
        "leader": names.get(a.leader) if a.leader else None,
        "speaker": names.get(a.speaker) if a.speaker else None,
        "first_topic": a.first_topic,
        "attendees": [names[m] for m in a.attendees if m in names],
        "attendee_ids": tuple(m for m in a.attendees if m in names),
        "absent_count": len(a.absent),
        "summary_html": markdown_to_html(a.summary or ""),
        "wuyou": list(a.wuyou) if a.wuyou is not None else None,
        "wuyou_complete": dates.wuyou_complete(a),
        "honorees": [names[m] for m in a.honorees if m in names],
        "steps": list(a.steps),
        "reflections": [{"name": names.get(r.member, r.member), "member": r.member, "text": r.text} for r in a.reflections],
        "photos": list(a.photos),
        "page": activity_page(a),
        "record_page": routes.meeting_record_page(a.id) if a.type in MEETING_TYPES else None,
    }


def document_view(d: Document, names: dict[str, str], section: str) -> dict:
    meta = dict(d.meta)
    author = meta.get("author")
    assert author is None or isinstance(author, str)  # a "person" field, which fields.py reads as text
    return {
        "id": d.id, "title": d.title, "date": d.date, "meta": meta,
        "author": names.get(author, author) if author else None,  # a member's name, or a non-member's as written
        "body_html": markdown_to_html(d.body), "excerpt": plain_excerpt(d.body),
        "photos": [photo for _, photo in d.photos],
        "page": routes.document_page(section, d.id),
    }


# -- the pages -------------------------------------------------------------------

@dataclass(frozen=True)
class BranchViews:
    """The views of one scoped branch's records, made once per build.

    The site pages, the print pages and the big screen all show them; making them once
    converts each record's Markdown once.
    """

    names: Mapping[str, str]
    members: tuple[dict, ...]  # on the roll at the as-of date
    activities: tuple[dict, ...]  # held by the as-of date, newest first
    regulations: tuple[dict, ...]
    news: tuple[dict, ...]  # published by the as-of date, newest first


def branch_views(branch: Branch, as_of: dt.date) -> BranchViews:
    roles = {seat.member: seat.role for seat in branch.committee}
    names = {m.id: m.name for m in branch.members}
    activities, news = branch.activities, branch.news
    newest_first = lambda v: (v["date"], v["id"])  # noqa: E731
    return BranchViews(
        names=MappingProxyType(names),
        members=tuple(member_view(m, roles) for m in dates.current_members(branch, as_of)),
        activities=tuple(sorted((activity_view(a, names) for a in activities), key=newest_first, reverse=True)),
        regulations=tuple(document_view(d, names, "regulations") for d in branch.regulations),
        news=tuple(sorted((document_view(d, names, "news") for d in news), key=newest_first, reverse=True)),
    )


def build_pages(branch: Branch, computed: BranchFigures, audience: str = "public",
                member_charts: Mapping[str, Any] | None = None, views: BranchViews | None = None) -> tuple[PageSpec, ...]:
    """Every generated page of one branch, for one audience.

    Individual scores are shown to the branch's members (audience party and above);
    the public build shows the honor roll only, never a full ranking.
    """
    as_of = computed.as_of
    views = views or branch_views(branch, as_of)
    names = views.names
    a_views, r_views, n_views, m_views = list(views.activities), list(views.regulations), list(views.news), list(views.members)

    common = {
        "branch": {"id": branch.id, "name": branch.name, "organization": branch.organization,
                   "motto": branch.motto, "intro_html": markdown_to_html(branch.intro or "")},
        "as_of": as_of,
        "audience": audience,
    }

    def spec(path, title, template, nav=None, **context):
        return PageSpec(path, title, template, MappingProxyType({**common, **context}), nav)

    reflections = [
        {**r, "activity": a["title"], "date": a["date"], "page": a["page"]}
        for a in a_views for r in a["reflections"]
    ][:6]
    by_month = _group_by_month(a_views)
    pages = [
        spec(routes.HOME, branch.name, "kanban.html", nav="管理看板",
             figures=all_figures(computed, branch.theme_day),
             dynamics=a_views[:6],
             disclosure=n_views[:3],
             regulations=r_views,
             reflections=reflections,
             birthdays=computed.soon_birthdays,
             honor=honor_view(computed.published["month"], {v["id"]: v["page"] for v in m_views}, audience) if computed.weights else None),
        spec(routes.MEMBERS, "党员名册", "members.html", nav="党员名册",
             members=m_views, committee=[{"role": s.role, "name": names.get(s.member, s.member)} for s in branch.committee]),
        spec(routes.ACTIVITIES, "组织生活", "activities.html", nav="组织生活/活动记录", months=by_month),
        spec(routes.REGULATIONS, "特色制度", "regulations.html", nav="特色制度", regulations=r_views),
        spec(routes.NEWS, "宣传报道", "news.html", nav="宣传报道", news=n_views),
    ]
    page_of = {v["id"]: v["page"] for v in m_views}
    ref_pages = {a["id"]: a["page"] for a in a_views}
    if computed.weights:
        pages.append(spec(routes.EVALUATION, "评价体系", "evaluation.html", nav="评价体系",
                          evaluation=evaluation_view(branch, computed)))
        rolls = [{**honor_view(computed.published[k], page_of, audience),
                  "standing_in": computed.published[k] is not computed.rolls[k]} for k in PERIOD_KINDS]
        archive = [{"kind": kind, "label": label, "rolls": [
                       {"period": roll.period.label, "page": routes.honor_archive_page(roll.period.key), "size": len(roll.entries)}
                       for roll in computed.archive if roll.period.kind == kind]}
                   for kind, label in (("month", "月度"), ("quarter", "季度"), ("year", "年度"))]
        pages.append(spec(routes.HONOR_ROLL, "金榜题名", "honor_roll.html", nav="金榜题名", rolls=rolls,
                          archive=[group for group in archive if group["rolls"]]))
        pages += [spec(routes.honor_archive_page(roll.period.key), f"{roll.period.label}金榜题名", "honor_roll_period.html",
                       roll=honor_view(roll, page_of, audience)) for roll in computed.archive]
    attended: dict[str, list[dict]] = {}  # member id -> activities attended, newest first
    for a in a_views:
        for member_id in a["attendee_ids"]:
            attended.setdefault(member_id, []).append(a)
    show_scores = Visibility(audience).individual_figures and computed.weights is not None
    radars = member_charts or {}
    pages += [spec(v["page"], v["name"], "member.html", member=v,
                   activities=attended.get(v["id"], [])[:10],
                   scores=[view for kind in PERIOD_KINDS
                           if (view := member_score_view(branch, computed.scores[kind], v["id"], ref_pages, audience))] if show_scores else [],
                   charts={"radar": radars.get(v["id"])})
              for v in m_views]
    for k, m in enumerate(by_month):  # newest first
        pages.append(spec(m["page"], f"{m['label']}组织生活", "activities_month.html",
                          month=m["month"], activities=list(reversed(m["activities"])),
                          newer=by_month[k - 1] if k else None,
                          older=by_month[k + 1] if k + 1 < len(by_month) else None))
    pages += [spec(v["page"], v["title"], "document.html", doc=v, section="特色制度") for v in r_views]
    pages += [spec(v["page"], v["title"], "document.html", doc=v, section="宣传报道") for v in n_views]
    return tuple(pages)


def _group_by_month(views: list[dict]) -> list[dict]:
    """Activity views (newest first) grouped by month, newest month first."""
    months: dict[str, list[dict]] = {}
    for v in views:
        months.setdefault(dates.month_key(v["date"]), []).append(v)
    return [{"month": k, "label": dates.month_label(k), "page": activity_month_page(k), "activities": items}
            for k, items in months.items()]
