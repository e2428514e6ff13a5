"""The 党委 overview of a multi-branch project: branches compared on their practices.

Only branch-level figures are compared; no member is ranked across branches.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from . import kanban
from .compute import Computed
from .model import Branch, Organization
from .pages import PageSpec
from .practices import practice_figures
from .text import markdown_to_html

# The figures compared across branches, by Figure.key, in column order.
COMPARED = ("theme_day", "sanhui")


def branch_summary(branch: Branch, computed: Computed, as_of: dt.date, audience: str) -> dict:
    figures = kanban.headline_figures(branch, as_of) + practice_figures(branch, computed, as_of, audience)
    return {
        "id": branch.id,
        "name": branch.name,
        "members": len(kanban.current_members(branch, as_of)),
        "page": f"/{branch.id}/index.md",
        "figures": [{"label": f.label, "value": f.value, "note": f.note, "status": f.status,
                     "link": f"/{branch.id}/{f.link}"}
                    for f in figures if f.key not in ("members", "birthday")],
    }


def organization_pages(organization: Organization, summaries: list[dict], as_of: dt.date, audience: str) -> tuple[PageSpec, ...]:
    context = MappingProxyType({
        "organization": {"name": organization.name, "intro_html": markdown_to_html(organization.intro or "")},
        "branches": summaries,
        "total_members": sum(s["members"] for s in summaries),
        "as_of": as_of,
        "audience": audience,
    })
    return (PageSpec("index.md", organization.name, "organization.html", context, nav="党委总览"),)
