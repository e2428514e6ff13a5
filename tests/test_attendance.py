"""Attendance earns its points (issue 13): work once, not twice.

`attendance:` in data/evaluation.yml gives each activity type's attendees their points;
the ledger keeps only what no record implies. The sample's ledger was migrated (934 of
1,565 entries removed, its scores byte-identical for every month, quarter and year):
here the earned entries are written back into a ledger without the rules, and every
score must come out the same. A ledger line that repeats an earned one would count
twice and is a problem; a bad rule is reported at its line.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from support import REPO, copy_sample, run_cli

from generator.compute.period import period_scores
from generator.load.validate import load_project

PERIODS = ("2025-12", "2026-03", "2026-07", "2026-11", "2026-Q1", "2026-Q3", "2025", "2026")




def scores(project) -> dict:
    import datetime as dt

    from generator.compute.scoring import parse_period

    branch = project.branches[0]
    as_of = dt.date(2026, 11, 30)
    out = {}
    for key in PERIODS:
        result = period_scores(branch, parse_period(key), as_of)
        s, roll = result.scores, result.roll
        out[key] = ([(m.member, round(m.total, 9), tuple(round(d, 9) for d in m.dimension_scores)) for m in s.members],
                    [(e.member, e.rank) for e in roll.entries])
    return out


def test_the_sample_ledger_no_longer_repeats_attendance():
    branch = load_project(REPO).project.branches[0]
    # an activity role's entry (test_earn.py) has the activity's title after its 事由
    attended = [p for p in branch.points if p.src.path.startswith("data/activities/") and "：" not in (p.note or "")]
    written = [p for p in branch.points if p.src.path.startswith("data/points/")]
    assert len(attended) == 934 and len(written) == 241
    ledger = "".join(path.read_text(encoding="utf-8") for path in (REPO / "data/points").glob("*.yml"))
    assert "主题党日出勤" not in ledger and "政治学习出勤" not in ledger


def test_earned_points_score_exactly_as_the_same_lines_written_in_the_ledger(tmp_path):
    with_rules = load_project(REPO).project
    root = copy_sample(tmp_path / "p")
    evaluation = root / "data/evaluation.yml"
    text = evaluation.read_text(encoding="utf-8")
    evaluation.write_text(text[:text.index("\nattendance:")] + "\n", encoding="utf-8")  # no attendance, no earn
    for p in with_rules.branches[0].points:
        if not p.src.path.startswith("data/points/"):  # each earned entry, written as a secretary used to
            month = root / f"data/points/{p.date:%Y-%m}.yml"
            with month.open("a", encoding="utf-8") as f:
                f.write(f"\n- {{date: {p.date}, member: {p.member}, indicator: {p.indicator}, points: {p.points:g}, "
                        f"note: {p.note}, ref: {p.ref}}}\n")
    by_hand = load_project(root)
    assert by_hand.ok, by_hand.problems[:3]
    assert len(by_hand.project.branches[0].points) == len(with_rules.branches[0].points)
    assert scores(by_hand.project) == scores(with_rules)


def check(root: Path) -> subprocess.CompletedProcess:
    return run_cli("check", root)


def test_a_ledger_line_repeating_an_earned_one_is_a_problem(tmp_path):
    root = copy_sample(tmp_path / "p")
    activities = (root / "data/activities/2026-11.yml").read_text(encoding="utf-8")
    line = activities.split("\n").index("- id: 2026-11-zhiweihui") + 1
    with (root / "data/points/2026-11.yml").open("a", encoding="utf-8") as f:
        f.write("\n- {date: 2026-11-03, member: m01, indicator: E1, points: 1, note: 支委会出勤}\n")
    done = check(root)
    assert done.returncode == 1
    last = len((root / "data/points/2026-11.yml").read_text(encoding="utf-8").rstrip("\n").split("\n"))
    problems = [x for x in done.stderr.splitlines() if ": 提醒：" not in x and not x.startswith("以上")]  # the sample's reminders come first
    assert problems[0] == (
        f"data/points/2026-11.yml:{last}: 这条积分已由 data/activities/2026-11.yml:{line} 的出席名单自动计入"
        "（评价体系 attendance 中的“支委会出勤”）：请删除这一条，否则会计两次")


@pytest.mark.parametrize(("rule", "message"), [
    ("  主题党课: {indicator: E2, points: 1}", "attendance 中的“主题党课”不是活动类型：是不是“主题党日”？"),
    ("  志愿服务: {indicator: s1, points: 1}", "attendance 中“志愿服务”的指标“s1”不在评价体系中：是不是 S1？请写指标代码"),
    ("  志愿服务: {indicator: S1, points: 0}", "attendance 中“志愿服务”的分值应是大于 0 的数字，实际是整数“0”"),
    ("  志愿服务: E2", "attendance 中“志愿服务”应写成 {indicator: 指标代码, points: 分值}（可加 note: 事由），实际是文字“E2”"),
])
def test_a_bad_rule_is_reported_at_its_line(tmp_path, rule, message):
    root = copy_sample(tmp_path / "p")
    evaluation = root / "data/evaluation.yml"
    head, tail = evaluation.read_text(encoding="utf-8").split("\nattendance:\n")
    evaluation.write_text(f"{head}\nattendance:\n{rule}\n{tail}", encoding="utf-8")
    done = check(root)
    assert done.returncode == 1
    line = len(f"{head}\nattendance:\n".split("\n"))
    assert any(x.startswith(f"data/evaluation.yml:{line}: {message}") for x in done.stderr.splitlines()), done.stderr
    assert re.search(r"共发现 \d+ 个问题", done.stderr)
