"""The 党委 overview of a multi-branch project: branches compared on their practices.

Only branch-level figures are compared; no member is ranked across branches.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from generator.compute.branch import BranchFigures
from generator.model.records import Branch, Organization
from generator.pages import routes
from generator.pages.branch import PageSpec
from generator.pages.figures import all_figures
from generator.pages.text import markdown_to_html

# The figures compared across branches, by Figure.key, in column order.
COMPARED = ("theme_day", "sanhui")


def branch_summary(branch: Branch, computed: BranchFigures) -> dict:
    """A scoped branch's figures for the overview: counts and shares, no person."""
    return {
        "id": branch.id,
        "name": branch.name,
        "members": computed.headline.members,
        "page": routes.branch_home(branch.id),
        "figures": [{"label": f.label, "value": f.value, "note": f.note, "status": f.status,
                     "link": f"/{branch.id}/{f.link}"}
                    for f in all_figures(computed, branch.theme_day) if f.key not in ("members", "birthday")],
    }


def organization_pages(organization: Organization, summaries: list[dict], as_of: dt.date, audience: str) -> tuple[PageSpec, ...]:
    context = MappingProxyType({
        "organization": {"name": organization.name, "intro_html": markdown_to_html(organization.intro or "")},
        "branches": summaries,
        "total_members": sum(s["members"] for s in summaries),
        "as_of": as_of,
        "audience": audience,
    })
    return (PageSpec(routes.HOME, organization.name, "organization.html", context, nav="党委总览"),)
