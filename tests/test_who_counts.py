"""Who counts in a period (issue 31): a member counts from the day they joined the branch
(`transferred_in`, else the 入党 date) to the day they left. Caps are pro-rated to the months
present; a member who left before a period's end is scored but not ranked in it.
"""

from __future__ import annotations

import datetime as dt

from support import MONTH_END_DATE as AS_OF
from support import REPO, copy_sample, run_cli

from generator.compute.period import period_scores
from generator.compute.scoring import parse_period
from generator.load.validate import load_project


def scores(branch, key: str):
    return period_scores(branch, parse_period(key), AS_OF).scores


def test_a_member_who_joined_in_may_is_measured_against_the_months_since():
    branch = load_project(REPO).project.branches[0]
    m24 = scores(branch, "2026").of("m24")  # 入党 (and so in the branch) 2026-05-08
    assert m24 is not None and m24.months == 8 and round(m24.total, 2) == 23.43  # 15.62 against 12 months
    q2 = scores(branch, "2026-Q2").of("m24")
    assert q2 is not None and q2.months == 2 and round(q2.total, 2) == 26.83  # 19.38 against 3 months


def test_a_member_who_left_is_not_ranked_after_leaving():
    branch = load_project(REPO).project.branches[0]  # m17 left on 2026-06-30
    year = scores(branch, "2026").of("m17")
    assert year is not None and year.months == 6 and year.rank == 0 and not year.eligible
    june = scores(branch, "2026-06").of("m17")
    assert june is not None and june.rank > 0  # still here on June's last day
    assert scores(branch, "2026-07").of("m17") is None


def test_a_transfer_in_counts_from_its_day_and_keeps_the_political_birthday(tmp_path):
    root = copy_sample(tmp_path / "p")
    members = root / "data/members.yml"
    text = members.read_text(encoding="utf-8")
    members.write_text(text.replace("- id: m10\n", "- id: m10\n  transferred_in: 2026-07-01\n", 1), encoding="utf-8")
    branch = load_project(root).project.branches[0]
    m10 = branch.member("m10")
    assert m10.arrived == dt.date(2026, 7, 1) and m10.joined == dt.date(2011, 12, 9)
    assert scores(branch, "2026-06").of("m10") is None  # not 24th with 0 before arriving
    year = scores(branch, "2026").of("m10")
    assert year is not None and year.months == 6
    # records dated before the transfer-in (the sample has them) are not counted
    july_on = scores(branch, "2026-Q3").of("m10")
    assert july_on is not None and year.raw == tuple(
        a + b for a, b in zip(july_on.raw, scores(branch, "2026-Q4").of("m10").raw))


def test_a_transfer_in_before_the_party_joining_date_is_reported(tmp_path):
    root = copy_sample(tmp_path / "p")
    members = root / "data/members.yml"
    text = members.read_text(encoding="utf-8").replace("- id: m24\n", "- id: m24\n  transferred_in: 2026-01-02\n", 1)
    members.write_text(text, encoding="utf-8")
    done = run_cli("check", root)
    line = text.split("\n").index("  transferred_in: 2026-01-02") + 1
    assert done.returncode == 1
    assert [x for x in done.stderr.splitlines() if ": 提醒：" not in x and not x.startswith("以上")][0] == (
        f"data/members.yml:{line}: 转入日期 2026-01-02 早于入党时间 2026-05-08：请核对"
        "（入党时间用于政治生日，转入日期是组织关系转入本支部的日期）")


def test_a_branch_is_measured_from_its_first_month_here():
    """since: 2025-12 in data/branch.yml: the 2025 year holds one month of records, and its caps one month."""
    branch = load_project(REPO).project.branches[0]
    assert branch.since == dt.date(2025, 12, 1)
    year, december = scores(branch, "2025"), scores(branch, "2025-12")
    assert [(s.member, s.months, round(s.total, 2)) for s in year.members] == [
        (s.member, 1, round(s.total, 2)) for s in december.members]
    assert round(year.of("m01").total, 2) == 41.95  # 4.08 when measured against 12 months


def test_a_since_that_is_no_month_is_reported(tmp_path):
    root = copy_sample(tmp_path / "p")
    path = root / "data/branch.yml"
    text = path.read_text(encoding="utf-8").replace("since: 2025-12", "since: 2025年12月")
    path.write_text(text, encoding="utf-8")
    done = run_cli("check", root)
    line = text.split("\n").index("since: 2025年12月") + 1
    assert done.returncode == 1
    assert [x for x in done.stderr.splitlines() if ": 提醒：" not in x and not x.startswith("以上")][0] == (
        f"data/branch.yml:{line}: since 应写成“年-月”，如 2025-12（本支部开始在这里记录的第一个月），实际是“2025年12月”")
