"""Ledger entries have an audience (issue 17.5): a deduction's reason is the committee's.

Points count for every reader (the scores are the same in every build); the note and
the link to the activity are shown only to the entry's audience. A deduction is
committee-only unless it says otherwise, and an entry that refers to an activity is
never more open than that activity.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import copy_sample

from generator import pipeline
from generator.load.validate import load_project
from generator.site.render import make_env, render_page

NOV = dt.date(2026, 11, 30)
DEDUCTION_NOTE = "2月党费逾期至次月交纳"  # m19's deduction in data/points/2026-03.yml
SECRET_MEETING = "2026-11-zhiweihui"
SECRET_NOTE = "支委会记录（研究人选）"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("ledger"))
    # the 11-03 支委会 becomes committee-only; a ledger entry refers to it with a note of its own
    activities = root / "data/activities/2026-11.yml"
    text = activities.read_text(encoding="utf-8")
    text = text.replace(f"- id: {SECRET_MEETING}\n", f"- id: {SECRET_MEETING}\n  audience: committee\n", 1)
    activities.write_text(text, encoding="utf-8")
    with (root / "data/points/2026-11.yml").open("a", encoding="utf-8") as f:
        f.write(f"\n- {{date: 2026-11-03, member: m02, indicator: O1, points: 1, note: {SECRET_NOTE}, ref: {SECRET_MEETING}}}\n")
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    return root, loaded.project


def member_pages(root: Path, result) -> str:
    env = make_env(root)
    return "\n".join(render_page(env, p) for p in result.pages if p.template == "member.html")


@pytest.fixture(scope="module")
def builds(project):
    root, loaded = project
    return {audience: pipeline.site(loaded, NOV, audience) for audience in ("party", "committee")}


def test_a_deductions_reason_is_for_the_committee_only(project, builds):
    root, _ = project
    party = member_pages(root, builds["party"])
    assert DEDUCTION_NOTE not in party
    assert "（事由仅支委会可见）" in party
    assert DEDUCTION_NOTE in member_pages(root, builds["committee"])


def test_an_entry_about_a_committee_meeting_is_as_closed_as_the_meeting(project, builds):
    root, loaded = project
    entry = next(p for p in loaded.branches[0].points if p.ref == SECRET_MEETING and p.note == SECRET_NOTE)
    assert entry.audience == "committee"
    party = member_pages(root, builds["party"])
    assert SECRET_NOTE not in party and SECRET_MEETING not in party
    assert SECRET_NOTE in member_pages(root, builds["committee"])


def test_the_points_count_the_same_for_every_reader(builds):
    def totals(result):
        figures = result.branches[0].figures
        return {kind: [(s.member, s.total) for s in scores.members] for kind, scores in figures.scores.items()}

    assert totals(builds["party"]) == totals(builds["committee"])


def test_a_ledger_entry_may_name_its_own_audience(tmp_path):
    root = copy_sample(tmp_path / "p")
    points = root / "data/points/2026-03.yml"
    points.write_text(points.read_text(encoding="utf-8").replace(
        f"  note: {DEDUCTION_NOTE}\n", f"  note: {DEDUCTION_NOTE}\n  audience: party\n", 1), encoding="utf-8")
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    assert DEDUCTION_NOTE in member_pages(root, pipeline.site(loaded.project, NOV, "party"))
