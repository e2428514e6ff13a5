"""Issue 14.1 and 14.2: the 支部工作条例 compliance calendar and the meeting records (纪实).

The calendar says, per kind of meeting and per period, whether it was held (green), is
still due (amber) or is overdue (red); the committee sees it, other readers see how many
were held. A meeting's record page shows the standard 会议记录 form; who was absent is
the party's, why is the committee's. A quarter's meetings are bound into one 台账.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from support import REPO, copy_sample, inherited_env, run_cli

from generator import pipeline
from generator.compute import compliance
from generator.load.validate import load_project
from generator.model.scope import scope_branch
from generator.site.render import make_env, render_page

NOV = dt.date(2026, 11, 30)
REASON = "赴外地参加集团物资采购培训班"  # m09's reason in the sample's 2026-09-dahui
RECORD = "records/2026-09-dahui.md"


def dangjian(*args: str | Path) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, env=inherited_env(), timeout=600)


def page(root: Path, result, path: str) -> str:
    spec = next(p for p in result.pages if p.path == path)
    return render_page(make_env(root), spec)


def cells(html: str, year: int) -> dict[tuple[str, str], str]:
    """(kind of meeting, period label) -> status, read from the rendered calendar of one year."""
    section = html.split(f'<h2 id="y{year}">', 1)[1].split("<h2", 1)[0]
    out = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", section, re.S):
        kind, rest = row
        for label, status in re.findall(r'title="([^："]+)：([^（"]+)（', rest):
            out[(kind, label)] = status
    return out


@pytest.fixture(scope="module")
def sample():
    loaded = load_project(REPO)
    assert loaded.ok, loaded.problems
    return loaded.project


@pytest.fixture(scope="module")
def builds(sample):
    return {a: pipeline.site(sample, NOV, a) for a in ("public", "party", "committee")}


# -- the compliance calendar ------------------------------------------------------------

def test_the_default_frequencies_are_the_regulations(sample):
    wanted = {"支委会": "每月", "党小组会": "每月", "主题党日": "每月", "党员大会": "每季度", "党课": "每季度",
              "组织生活会": "每年", "民主评议": "每年", "谈心谈话": "每年"}
    assert {f.type: f.every for f in sample.branches[0].frequencies} == wanted


def test_a_month_without_its_meeting_is_overdue_for_the_committee(tmp_path):
    root = copy_sample(tmp_path / "p")
    path = root / "data/activities/2026-10.yml"
    text = path.read_text(encoding="utf-8")
    # the October 支委会 was never held: take its record out
    start = text.index("- id: 2026-10-zhiweihui")
    end = text.index("\n- id:", start + 1)
    path.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    result = pipeline.site(loaded.project, NOV, "committee")
    seen = cells(page(root, result, "compliance/index.md"), 2026)
    assert seen[("支委会", "10月")] == "已逾期"
    assert seen[("支委会", "9月")] == "已完成"
    assert seen[("支委会", "12月")] == "未到期"
    assert seen[("谈心谈话", "全年")] == "待开展"  # the year is running and none was held
    assert seen[("党员大会", "第四季度")] == "已完成"


def test_before_the_first_record_nothing_is_called_overdue(sample, builds):
    seen = cells(page(REPO, builds["committee"], "compliance/index.md"), 2025)
    assert seen[("支委会", "3月")] == "无记录"  # the sample's records begin in December 2025
    assert seen[("组织生活会", "全年")] == "无记录"
    assert seen[("支委会", "12月")] == "已完成"


def test_the_public_sees_how_many_were_held_not_the_calendar(builds):
    html = page(REPO, builds["public"], "compliance/index.md")
    assert "dj-c-overdue" not in html and "dj-c-done" not in html
    assert "仅支委会可见" in html
    row = re.search(r'<th scope="row">支委会</th>.*?<td class="dj-num">(\d+) 次</td>', html.split('id="y2026"')[1], re.S)
    assert row and row.group(1) == "11"  # January to November


def test_a_branch_may_set_its_own_frequencies(tmp_path):
    root = copy_sample(tmp_path / "p")
    (root / "data/frequencies.yml").write_text("- type: 党课\n  every: 每月\n  times: 2\n", encoding="utf-8")
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    branch = scope_branch(loaded.project.branches[0], "committee", NOV)
    (year,) = [c for c in compliance.calendars(branch, NOV) if c.year == 2026]
    (row,) = year.rows
    assert row.frequency.type == "党课" and len(row.cells) == 12
    # one 党课 a quarter is not two a month; November is still running on the 30th
    assert [c.status for c in row.cells] == ["overdue"] * 10 + ["due", "upcoming"]


def test_mistakes_in_the_frequencies_file_are_named_by_line(tmp_path):
    root = copy_sample(tmp_path / "p")
    (root / "data/frequencies.yml").write_text(
        "- type: 支委会\n  every: 每周\n- type: 党课\n  every: 每季度\n- type: 党课\n  every: 每年\n- type: 党小组\n  every: 每月\n",
        encoding="utf-8")
    done = dangjian("check", root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    err = done.stderr
    assert re.search(r"data/frequencies\.yml:2: .*每周.*每月、每季度、每年", err), err
    assert re.search(r"data/frequencies\.yml:5: .*党课.*两次", err), err
    assert re.search(r"data/frequencies\.yml:7: .*党小组", err), err


# -- meeting records ----------------------------------------------------------------------

def test_the_record_page_has_the_standard_form(builds):
    html = page(REPO, builds["committee"], RECORD)
    for label, value in (("主持人", "周立新"), ("记录人", "陈慧敏"), ("应到人数", "23 人"), ("实到人数", "22 人")):
        assert re.search(rf"<th scope=\"row\">{label}</th><td[^>]*>{value}</td>", html), label
    agenda = html.split("会议议程", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<li>(.*?)</li>", agenda) == ["书记通报第三季度支部工作", "组织委员通报党费收缴和积分情况", "通报制度执行评估初步结果"]
    assert "第四季度开展党建看板共建主题党日" in html.split("会议决议", 1)[1]


@pytest.mark.parametrize("audience, name_shown, reason_shown", [
    ("public", False, False), ("party", True, False), ("committee", True, True)])
def test_who_was_absent_and_why_follow_the_audience(builds, audience, name_shown, reason_shown):
    html = page(REPO, builds[audience], RECORD)
    absent_row = re.search(r"缺席人员.*?</tr>", html, re.S)
    assert (absent_row is not None and "梁志远" in absent_row.group(0)) == name_shown
    assert (REASON in html) == reason_shown
    assert ("应到人数" in html) == (audience != "public")  # with no absentees the public would read 应到 = 实到


def test_an_absence_reason_is_in_no_byte_of_a_party_or_public_site(tmp_path):
    for audience in ("public", "party"):
        out = tmp_path / audience
        done = dangjian("build", REPO, "-o", out, "--as-of", NOV.isoformat(), "--audience", audience)
        assert done.returncode == 0, done.stderr
        leaked = [p for p in out.rglob("*") if p.is_file() and REASON.encode() in p.read_bytes()]
        assert leaked == [], audience
    assert (tmp_path / "party" / "records/2026-09-dahui/index.html").is_file()


def test_each_meeting_links_to_its_record_and_others_do_not(builds):
    html = page(REPO, builds["public"], "activities/2026-09.md")
    assert html.count("会议纪实（标准格式") == 5  # September: 支委会, 党小组会, 主题党日, 党课, 党员大会
    assert "records/2026-09-dahui/" in html
    assert not any(p.path == "records/2026-09-xuexi.md" for p in builds["public"].pages)  # 政治学习 is no minuted meeting


def test_a_reason_for_someone_present_is_a_mistake(tmp_path):
    root = copy_sample(tmp_path / "p")
    path = root / "data/activities/2026-09.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    - member: m09\n      reason:", "    - member: m01\n      reason: 病假\n    - member: m09\n      reason:", 1)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("    - member: m01")].count("\n") + 1
    done = dangjian("check", root)
    assert done.returncode == 1
    assert f"data/activities/2026-09.yml:{line}: " in done.stderr and "m01" in done.stderr, done.stderr


def test_the_quarters_ledger_binds_its_meetings_in_date_order(sample, builds):
    result = builds["committee"]
    html = page(REPO, result, "print/ledger-2026-q3.md")
    titles = re.findall(r'<section class="dj-ledger-record" id="([^"]+)">', html)
    branch = scope_branch(sample.branches[0], "committee", NOV)
    expected = [a.id for a in branch.activities
                if dt.date(2026, 7, 1) <= a.date <= dt.date(2026, 9, 30) and a.type in
                ("支委会", "党员大会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议", "谈心谈话")]
    assert titles == expected and len(titles) == 11
    assert REASON in html
    contents = html.split('class="dj-ledger-contents"', 1)[1].split("</table>", 1)[0]
    assert contents.count("<tr>") == 1 + 11


def test_before_since_nothing_is_red_and_a_partial_year_says_so(tmp_path):
    """`since: 2026-11`: a branch that starts keeping its records here in November (its older records
    came along) is not red for October, and its year says where it starts (issue 31)."""
    root = copy_sample(tmp_path / "p")
    branch = root / "data/branch.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("since: 2025-12", "since: 2026-11"), encoding="utf-8")
    path = root / "data/activities/2026-10.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: 2026-10-zhiweihui")
    path.write_text(text[:start] + text[text.index("\n- id:", start + 1) + 1:], encoding="utf-8")
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    result = pipeline.site(loaded.project, NOV, "committee")
    html = page(root, result, "compliance/index.md")
    assert '<h2 id="y2026">2026 年（自 2026 年 11 月起）</h2>' in html and 'id="y2025"' not in html
    seen = cells(html, 2026)
    assert seen[("支委会", "10月")] == "无记录" and seen[("支委会", "11月")] == "已完成"
    assert "已逾期" not in seen.values(), seen
    practice = page(root, result, "regulations/review.md")
    assert "2026 年执行情况（自 2026 年 11 月起）" in practice
    assert "按进度应完成 1 篇" in practice  # a plan of 12 a year is 2 for November and December
    sample = page(REPO, pipeline.site(load_project(REPO).project, NOV, "committee"), "compliance/index.md")
    assert '<h2 id="y2025">2025 年（自 2025 年 12 月起）</h2>' in sample and '<h2 id="y2026">2026 年</h2>' in sample
