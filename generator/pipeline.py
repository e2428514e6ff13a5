"""The whole way through, once: files -> problems or model -> scoped view -> figures -> pages.

Engine-independent: the mkdocs adapter and the command line both call `run`. Each
branch is scoped once (`scope.scope_branch`: audience and date), computed once
(`compute.compute_branch`) and then only formatted into pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType

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
    branches: tuple[BranchResult, ...]  # every branch, but those whose pages were reused
    summaries: Mapping[str, dict] = field(default_factory=dict)  # a 党委's branch id -> its summary for the overview


@dataclass(frozen=True)
class Outcome:
    result: SiteResult | None
    problems: tuple[Problem, ...]
    reminders: tuple[Problem, ...] = ()


def view(branch: Branch, as_of: dt.date, audience: str, publish: str | None = None) -> BranchResult:
    """Scope a branch to an audience and a date, and compute its figures: once per build."""
    scoped = scope_branch(branch, audience, as_of)
    return BranchResult(scoped, compute_branch(scoped, as_of, publish))


@dataclass(frozen=True)
class Selection:
    """Which parts of a 党委 site a build makes (see generator/assemble.py): the branches to page,
    the summaries already known of others (kept from an earlier build), and whether the overview
    is wanted (it needs every branch's summary)."""

    page: frozenset[str]
    summaries: Mapping[str, dict]
    overview: bool

    def whole(self, ids: tuple[str, ...]) -> frozenset[str]:
        """The branches the build must read in full: those it pages, and those the overview sums up
        anew. The others are only checked (`load_project`)."""
        return self.page | {i for i in ids if self.overview and i not in self.summaries}


def site(project: Project, as_of: dt.date, audience: str = "public", publish: str | None = None,
         selection: Selection | None = None) -> SiteResult:
    """Every page of a loaded project for one audience and one date (`publish`: see `compute_branch`),
    or of the `selection` of a 党委 site's parts."""
    pages: list[PageSpec] = []
    summaries: dict[str, dict] = dict(selection.summaries) if selection else {}
    results = []
    for whole in project.branches:  # with a selection, only those it needs (`Selection.whole`)
        if selection is not None and whole.id not in selection.page:
            if selection.overview and whole.id not in summaries:  # computed for the overview's figures only
                result = view(whole, as_of, audience, publish)
                summaries[whole.id] = branch_summary(result.branch, result.figures)
            continue
        result = view(whole, as_of, audience, publish)
        results.append(result)
        branch, computed = result.branch, result.figures
        radars = member_radar_paths(branch, computed, audience)
        views = branch_views(branch, as_of)
        own = build_pages(branch, computed, audience, member_charts=radars, views=views)
        own += practice_pages(branch, computed, audience)
        own += meeting_pages(branch, computed, audience, views)
        own += print_pages(branch, computed, audience, views=views)  # paper and the lobby screen; no nav entries
        if project.multi:
            # each branch lives under its own folder; the 党委 overview is the home page
            own = tuple(replace(spec, path=f"{branch.id}/{spec.path}", prefix=f"{branch.id}/", nav=None) for spec in own)
            summaries[branch.id] = branch_summary(branch, computed)
        pages.extend(own)
    if project.organization is not None:
        # without the overview in this build its page is still named, empty, for the branches' navigation
        wanted = selection is None or selection.overview
        ordered = [summaries[i] for i in project.branch_ids] if wanted else []
        pages[:0] = organization_pages(project.organization, ordered, as_of, audience)
    return SiteResult(project, as_of, audience, tuple(pages), tuple(results), MappingProxyType(summaries))


def run(root: Path | str, as_of: dt.date, audience: str = "public", publish: str | None = None,
        select: Callable[[tuple[str, ...]], Selection] | None = None) -> Outcome:
    """Load, check and page a project; `select(ids)` chooses, from its branches' ids, the parts of a
    党委 site to make, and so which branches are read in full."""
    chosen: list[Selection] = []
    loaded = load_project(root, None if select is None else partial(_choose, select, chosen), today=as_of)
    if not loaded.ok or loaded.project is None:
        return Outcome(None, loaded.problems, loaded.reminders)
    selection = chosen[0] if chosen else None
    return Outcome(site(loaded.project, as_of, audience, publish, selection), (), loaded.reminders)


def _choose(select: Callable[[tuple[str, ...]], Selection], chosen: list[Selection], ids: tuple[str, ...]) -> frozenset[str]:
    """The loader's `choose`: the selection for these branches, kept in `chosen` for the pages."""
    chosen.append(select(ids))
    return chosen[-1].whole(ids)
