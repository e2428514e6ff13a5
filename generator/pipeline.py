"""The whole way through, once: files -> problems or model -> scoped view -> figures -> pages.

Engine-independent: the mkdocs adapter and the command line both call `run`. Each
branch is scoped once (`scope.scope_branch`: audience and date), computed once
(`compute.compute_branch`) and then only formatted into pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from generator.compute.branch import BranchFigures, compute_branch
from generator.load.validate import load_project
from generator.model.problems import Problem
from generator.model.records import Branch, Project
from generator.model.scope import scope_branch
from generator.pages.branch import PageSpec, branch_views, build_pages
from generator.pages.meetings import meeting_pages
from generator.pages.organization import branch_summary, organization_pages
from generator.pages.practices import member_radar_paths, practice_pages
from generator.pages.printed import print_pages


@dataclass(frozen=True)
class BranchResult:
    """One branch as the build's audience may see it on the as-of date, and its figures."""

    branch: Branch  # scoped: nothing after as_of, nothing above the audience
    figures: BranchFigures


@dataclass(frozen=True)
class SiteResult:
    """What a build renders: the model, the as-of date, the audience, each branch's view and every page."""

    project: Project
    as_of: dt.date
    audience: str
    pages: tuple[PageSpec, ...]
    branches: tuple[BranchResult, ...]


@dataclass(frozen=True)
class Outcome:
    result: SiteResult | None
    problems: tuple[Problem, ...]
    reminders: tuple[Problem, ...] = ()


def view(branch: Branch, as_of: dt.date, audience: str, publish: str | None = None) -> BranchResult:
    """Scope a branch to an audience and a date, and compute its figures: once per build."""
    scoped = scope_branch(branch, audience, as_of)
    return BranchResult(scoped, compute_branch(scoped, as_of, publish))


def site(project: Project, as_of: dt.date, audience: str = "public", publish: str | None = None) -> SiteResult:
    """Every page of a loaded project for one audience and one date (`publish`: see `compute_branch`)."""
    pages: list[PageSpec] = []
    summaries = []
    results = []
    for whole in project.branches:
        result = view(whole, as_of, audience, publish)
        results.append(result)
        branch, computed = result.branch, result.figures
        radars = member_radar_paths(branch, computed, audience)
        views = branch_views(branch, as_of)
        own = build_pages(branch, computed, audience, member_charts=radars, views=views)
        own += practice_pages(branch, computed, audience)
        own += meeting_pages(branch, computed, audience, views.names)
        own += print_pages(branch, computed, audience, views=views)  # paper and the lobby screen; no nav entries
        if project.multi:
            # each branch lives under its own folder; the 党委 overview is the home page
            own = tuple(replace(spec, path=f"{branch.id}/{spec.path}", prefix=f"{branch.id}/", nav=None) for spec in own)
            summaries.append(branch_summary(branch, computed))
        pages.extend(own)
    if project.organization is not None:
        pages[:0] = organization_pages(project.organization, summaries, as_of, audience)
    return SiteResult(project, as_of, audience, tuple(pages), tuple(results))


def run(root: Path | str, as_of: dt.date, audience: str = "public", publish: str | None = None) -> Outcome:
    loaded = load_project(root)
    if not loaded.ok or loaded.project is None:
        return Outcome(None, loaded.problems, loaded.reminders)
    return Outcome(site(loaded.project, as_of, audience, publish), (), loaded.reminders)
