"""The whole way through, once: files -> problems or model -> computed pages.

Engine-independent: the mkdocs adapter and the command line both call `run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .compute import compute_branch
from .model import Project
from .organization import branch_summary, organization_pages
from .pages import PageSpec, branch_views, build_pages
from .practice_pages import member_radar_paths, practice_pages
from .print_pages import print_pages
from .problems import Problem
from .validate import load_project


@dataclass(frozen=True)
class SiteResult:
    """What a build renders: the model, the as-of date, the audience and every page."""

    project: Project
    as_of: dt.date
    audience: str
    pages: tuple[PageSpec, ...]


@dataclass(frozen=True)
class Outcome:
    result: SiteResult | None
    problems: tuple[Problem, ...]


def run(root: Path | str, as_of: dt.date, audience: str = "public") -> Outcome:
    loaded = load_project(root)
    if not loaded.ok:
        return Outcome(None, loaded.problems)
    project = loaded.project
    pages: list[PageSpec] = []
    summaries = []
    for branch in project.branches:
        computed = compute_branch(branch, as_of)
        radars = member_radar_paths(branch, computed, as_of, audience)
        views = branch_views(branch, as_of, audience)
        own = build_pages(branch, computed, as_of, audience, member_charts=radars, views=views)
        own += practice_pages(branch, computed, as_of, audience)
        own += print_pages(branch, computed, as_of, audience, views=views)  # paper and the lobby screen; no nav entries
        if project.multi:
            # each branch lives under its own folder; the 党委 overview is the home page
            own = tuple(replace(spec, path=f"{branch.id}/{spec.path}", prefix=f"{branch.id}/", nav=None) for spec in own)
            summaries.append(branch_summary(branch, computed, as_of, audience))
        pages.extend(own)
    if project.multi:
        pages[:0] = organization_pages(project.organization, summaries, as_of, audience)
    return Outcome(SiteResult(project, as_of, audience, tuple(pages)), ())
