"""The whole way through, once: files -> problems or model -> scoped view -> figures -> pages.

Engine-independent: the mkdocs adapter and the command line both call `run`. Each
branch is scoped once (`scope.scope_branch`: audience and date), computed once
(`compute.compute_branch`) and then only formatted into pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from generator.compute import calendar
from generator.compute.branch import BranchFigures, compute_branch
from generator.load.validate import load_project
from generator.model.problems import Problem, reminder
from generator.model.records import Activity, Branch, Project
from generator.model.scope import planned, scope_branch
from generator.pages.branch import PageSpec, branch_views, build_pages
from generator.pages.meetings import meeting_pages
from generator.pages.organization import branch_summary, organization_pages
from generator.pages.practices import member_radar_paths, practice_pages
from generator.pages.printed import print_pages
from generator.pages.sign_in import paper_list, sign_in_pages
from generator.pages.todo import todo_pages


@dataclass(frozen=True)
class BranchResult:
    """One branch as the build's audience may see it on the as-of date, and its figures."""

    branch: Branch  # scoped: nothing after as_of, nothing above the audience
    figures: BranchFigures
    agenda: tuple[calendar.Due, ...] = ()  # what is due, held and planned, for the feeds and 本月待办
    planned: tuple[Activity, ...] = ()  # activities written for later days (`scope.planned`): their paper is printed before


@dataclass(frozen=True)
class SiteResult:
    """What a build renders: the model, the as-of date, the audience, each branch's view and every page."""

    project: Project
    as_of: dt.date
    audience: str
    pages: tuple[PageSpec, ...]
    branches: tuple[BranchResult, ...]  # every branch this result pages
    summaries: Mapping[str, dict] = field(default_factory=dict)  # a 党委's branch id -> its summary for the overview


@dataclass(frozen=True)
class Outcome:
    result: SiteResult | None
    problems: tuple[Problem, ...]
    reminders: tuple[Problem, ...] = ()


def view(branch: Branch, as_of: dt.date, audience: str, publish: str | None = None) -> BranchResult:
    """Scope a branch to an audience and a date, and compute its figures: once per build."""
    scoped = scope_branch(branch, audience, as_of)
    later, zero_hour = planned(branch, audience, as_of)
    first, last = calendar.feed_window(scoped, as_of)
    agenda = calendar.items(scoped, audience, as_of, first, last, later, zero_hour)
    return BranchResult(scoped, compute_branch(scoped, as_of, publish), agenda, later)


def site(project: Project, as_of: dt.date, audience: str = "public", publish: str | None = None) -> SiteResult:
    """Every page of a loaded project for one audience and one date (`publish`: see `compute_branch`)."""
    pages: list[PageSpec] = []
    summaries: dict[str, dict] = {}
    results = []
    for whole in project.branches:
        result = view(whole, as_of, audience, publish)
        results.append(result)
        pages.extend(_branch_pages(result, as_of, audience, project.multi))
        if project.multi:
            summaries[whole.id] = branch_summary(result.branch, result.figures)
    if project.organization is not None:
        pages[:0] = organization_pages(project.organization, [summaries[i] for i in project.branch_ids], as_of, audience)
    return SiteResult(project, as_of, audience, tuple(pages), tuple(results), MappingProxyType(summaries))


def _branch_pages(result: BranchResult, as_of: dt.date, audience: str, multi: bool) -> tuple[PageSpec, ...]:
    branch, computed = result.branch, result.figures
    radars = member_radar_paths(branch, computed, audience)
    views = branch_views(branch, as_of)
    own = build_pages(branch, computed, audience, member_charts=radars, views=views)
    own += practice_pages(branch, computed, audience)
    own += meeting_pages(branch, computed, audience, views, papers=paper_list(branch, result.planned, as_of, audience))
    own += print_pages(branch, computed, audience, views=views)  # paper and the lobby screen; no nav entries
    own += todo_pages(branch, result.agenda, as_of, audience)
    own += sign_in_pages(branch, result.planned, as_of, audience)  # members' and committee's only
    if multi:
        # each branch lives under its own folder; the 党委 overview is the home page
        own = tuple(replace(spec, path=f"{branch.id}/{spec.path}", prefix=f"{branch.id}/", nav=None) for spec in own)
    return own


# -- a 党委 site built in parts (generator/assembly/) ---------------------------------------------
#
# The build checks every branch (`run(..., in_parts=True)`) but keeps none in full: each branch's
# part reads, scopes and pages its own branch (`branch_part`), in a worker of its own, and hands
# back its summary; the overview's part is made from the summaries alone (`overview_part`). So a
# 党委 of any size is held one branch at a time.

OVERVIEW = ""  # the overview's part, beside the branches' parts named by their ids (the site engine's adapter renders it by this name)

def parts_site(project: Project, as_of: dt.date, audience: str) -> SiteResult:
    """A checked 党委 before its parts: the overview's pages named but empty (each branch's part
    renders them for its navigation, and keeps none of them), and no branch yet."""
    assert project.organization is not None
    return SiteResult(project, as_of, audience, organization_pages(project.organization, [], as_of, audience), ())


def branch_part(site: SiteResult, branch: Branch, publish: str | None = None) -> SiteResult:
    """`site` (see `parts_site`) with one branch's pages, its view, and its summary for the overview."""
    result = view(branch, site.as_of, site.audience, publish)
    return replace(site, pages=site.pages + _branch_pages(result, site.as_of, site.audience, multi=True),
                   branches=(result,),
                   summaries=MappingProxyType({branch.id: branch_summary(result.branch, result.figures)}))


def overview_part(site: SiteResult, summaries: Mapping[str, dict]) -> SiteResult:
    """`site` (see `parts_site`) with the overview's pages, which show every branch's summary."""
    organization = site.project.organization
    assert organization is not None
    ordered = [summaries[i] for i in site.project.branch_ids]
    return replace(site, pages=organization_pages(organization, ordered, site.as_of, site.audience),
                   summaries=MappingProxyType(dict(summaries)))


def run(root: Path | str, as_of: dt.date, audience: str = "public", publish: str | None = None,
        in_parts: bool = False) -> Outcome:
    """Load, check and page a project. `in_parts`: a 党委 is only checked, and comes back as its
    `parts_site`, to be built part by part (a single branch is paged as usual)."""
    loaded = load_project(root, _nothing_in_full if in_parts else None, today=as_of)
    if not loaded.ok or loaded.project is None:
        return Outcome(None, loaded.problems, loaded.reminders)
    project = loaded.project
    made = parts_site(project, as_of, audience) if in_parts and project.multi else site(project, as_of, audience, publish)
    return Outcome(made, (), loaded.reminders + _no_address_for_qr(root, made))


def _no_address_for_qr(root: Path | str, made: SiteResult) -> tuple[Problem, ...]:
    """A reminder when sign-in sheets are printed without the site's address: their QR code needs it."""
    from generator.load.site_url import site_url_of
    from generator.pages.sign_in import SIGN_IN_TEMPLATE

    if not any(p.template == SIGN_IN_TEMPLATE for p in made.pages) or site_url_of(Path(root)):
        return ()
    return (reminder("mkdocs.yml", 1, "没有写 site_url（网站在内网上的地址），会议签到表上就没有打开会议纪实的二维码："
                                      "请在 mkdocs.yml 加一行，如 site_url: http://dangjian.example.cn/"),)


def _nothing_in_full(ids: tuple[str, ...]) -> frozenset[str]:
    """The loader's `choose` for a 党委 built in parts: check every branch, keep none in full."""
    return frozenset()
