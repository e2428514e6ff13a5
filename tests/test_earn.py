"""Records earn their points (issue 31): every fact entered once.

`earn:` in data/evaluation.yml maps recorded roles and facts to an indicator and points,
as `attendance:` does for attendees (test_attendance.py): an activity's 领学人, 主讲人 and
主办人, a news item's author, ideas, dues paid on time, duties finished on time, the 四个一.
Rules apply in the order written and one fact counts once. The sample's ledger was
migrated (390 entries removed): its scores changed only where the ledger had missed a
fact (two payments of July 2026's dues).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from support import REPO, copy_sample, run_cli

from generator.compute.period import period_scores
from generator.compute.scoring import parse_period
from generator.load.validate import load_project


def check(root: Path) -> subprocess.CompletedProcess:
    return run_cli("check", root)


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def test_the_sample_records_earn_what_its_ledger_no_longer_repeats():
    branch = load_project(REPO).project.branches[0]
    by_source = Counter(p.src.path.split("/")[1] for p in branch.points)
    assert by_source == {"activities": 1002, "dues": 251, "points": 241, "four-ones": 37, "teams.yml": 18,
                         "news": 10, "duties.yml": 8}
    notes = " ".join(p.note or "" for p in branch.points if p.src.path.startswith("data/points/"))
    for fact in ("宣传报道", "金点子", "按时交纳", "按期完成", "一堂微课", "组织政治生日", "领学", "主讲党课"):
        assert fact not in notes, fact


def test_a_payment_the_ledger_missed_now_scores():
    """m20 paid July's dues on 07-02, by the 15th, yet the ledger had only the 零点行动 payers of 07-01."""
    branch = load_project(REPO).project.branches[0]
    scores = period_scores(branch, parse_period("2026-07"), dt.date(2026, 11, 30)).scores
    m20 = scores.of("m20")
    e3 = [i.code for i in scores.weights.indicators].index("E3")
    assert m20 is not None and m20.raw[e3] == 1.0 and round(m20.total, 2) == 22.55  # 19.01 before
    paid = [p for p in branch.points if p.member == "m20" and p.indicator == "E3" and p.date == dt.date(2026, 7, 2)]
    assert [(str(p.src), p.note) for p in paid] == [
        (f"data/dues/2026-07.yml:{line_of(REPO / 'data/dues/2026-07.yml', '  - member: m20    # 范思琪')}",
         "按时交纳党费：7 月")]


def test_one_fact_recorded_twice_counts_once():
    """m10 led the study of 07-07, written on the activity and in 四个一: one L2, from the activity (the first rule)."""
    branch = load_project(REPO).project.branches[0]
    day = dt.date(2026, 7, 7)
    assert any(f.member == "m10" and f.item == "一次领学" and f.date == day for f in branch.four_ones)
    led = [p for p in branch.points if (p.member, p.indicator, p.date) == ("m10", "L2", day)]
    assert [(p.src.path, p.ref) for p in led] == [("data/activities/2026-07.yml", "2026-07-xuexi")]
    # the host of a 政治生日 earns O4 (组织政治生日) by the first rule that names it, not O1 as well
    hosted = {p.indicator for p in branch.points if p.member == "m18" and p.date == dt.date(2026, 7, 1)
              and p.src.path.startswith("data/activities/")}
    assert "O4" in hosted and "O1" not in hosted


def test_a_ledger_line_repeating_an_earned_fact_is_a_problem(tmp_path):
    root = copy_sample(tmp_path / "p")
    ledger = root / "data/points/2026-10.yml"
    with ledger.open("a", encoding="utf-8") as f:
        f.write("\n- {date: 2026-10-16, member: m06, indicator: O2, points: 1, note: 宣传报道}\n")
    done = check(root)
    assert done.returncode == 1
    last = len(ledger.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    rule = line_of(root / "data/evaluation.yml", "  - {record: 宣传报道, indicator: O2, points: 1}")
    assert [x for x in done.stderr.splitlines() if ": 提醒：" not in x and not x.startswith("以上")][0] == (
        f"data/points/2026-10.yml:{last}: 这条积分已由 data/news/2026-10-16-aiguo-jiaoyu.md:1 自动计入"
        f"（评价体系 earn 中的“宣传报道”，data/evaluation.yml:{rule}）：请删除这一条，否则会计两次")


def test_an_idea_without_a_date_counts_on_its_problem_s_opening_day(tmp_path):
    root = copy_sample(tmp_path / "p")
    teams = root / "data/teams.yml"
    teams.write_text(teams.read_text(encoding="utf-8").replace("          date: 2025-12-17\n", "", 1), encoding="utf-8")
    branch = load_project(root).project.branches[0]
    assert [p.date for p in branch.points if p.member == "m19" and p.indicator == "I1"] == [dt.date(2025, 12, 10)]


@pytest.mark.parametrize(("rule", "message"), [
    ("  - {record: 领学人, indicator: L2, points: 1}",
     "earn 中的记录“领学人”无法计分：是不是“领学”？请从 领学、主讲、主办、宣传报道、金点子、按时交纳党费、按期完成责任、"
     "一堂微课、一次主办、一次领学、一句心得 中选"),
    ("  - {record: 宣传报道, indicator: o2, points: 1}", "earn 中“宣传报道”的指标“o2”不在评价体系中：是不是 O2？请写指标代码"),
    ("  - {record: 金点子, indicator: I1, points: 0}", "earn 中“金点子”的分值 points 应是大于 0 的数字，实际是整数“0”"),
    ("  - {record: 金点子, activity: 主题党日, indicator: I1, points: 1}",
     "earn 中“金点子”不是活动中的角色，不能写 activity：只有 领学、主讲、主办 可以限定活动类型"),
    ("  - {record: 主办, activity: 主题党课, indicator: O1, points: 1}", "earn 中的“主题党课”不是活动类型：是不是“主题党日”？请从 主题党日、政治学习、支委会、党员大会、党小组会、党课、"
     "组织生活会、民主评议、谈心谈话、政治生日、志愿服务、其他 中选"),
    ("  - {record: 一句心得, indicator: L3, points: 1, by_day: 15}",
     "by_day 只用于“按时交纳党费”，写每月几日前交纳算按时（1 到 28 的整数），不写为月底前"),
    ("  - {record: 领学, indicator: L2, points: 2}",
     "earn 中“领学”已由第 {first} 行的规则计分：同一条记录只按先写的规则计一次，请删除或合并这一行"),
])
def test_a_bad_earn_rule_is_reported_at_its_line(tmp_path, rule, message):
    root = copy_sample(tmp_path / "p")
    evaluation = root / "data/evaluation.yml"
    first = line_of(evaluation, "  - {record: 领学, indicator: L2, points: 1}")
    text = evaluation.read_text(encoding="utf-8").rstrip("\n") + "\n" + rule + "\n"
    evaluation.write_text(text, encoding="utf-8")
    done = check(root)
    assert done.returncode == 1
    line = len(text.rstrip("\n").split("\n"))
    assert f"data/evaluation.yml:{line}: {message.format(first=first)}" in done.stderr.splitlines(), done.stderr


def test_a_new_project_writes_the_rules_and_its_news_earns_by_them(fresh_project):
    text = (fresh_project / "data/evaluation.yml").read_text(encoding="utf-8")
    assert "  - {record: 宣传报道, indicator: O2, points: 1}" in text.split("\nearn:\n")[1]
    branch = load_project(fresh_project).project.branches[0]
    assert [(p.member, p.src.path.split("/")[1]) for p in branch.points if p.indicator == "O2"] == [("m02", "news")]


def test_an_idea_dated_outside_its_problem_is_reported_at_its_date(tmp_path):
    root = copy_sample(tmp_path / "p")
    teams = root / "data/teams.yml"
    text = teams.read_text(encoding="utf-8")
    for old, new in (("date: 2025-12-17", "date: 2025-12-01"), ("date: 2025-12-22", "date: 2026-05-01")):
        assert text.count(old) == 1
        text = text.replace(old, new)
    teams.write_text(text, encoding="utf-8")
    title = "上级改革政策多、解读慢，业务部门“看不懂、用不上”"
    early, late = line_of(teams, "          date: 2025-12-01"), line_of(teams, "          date: 2026-05-01")
    done = check(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = done.stderr.splitlines()
    assert (f"data/teams.yml:{early}: 金点子的提出日期 2025-12-01 早于课题“{title}”的立项日期 2025-12-10："
            "请核对这两个日期，金点子只能在课题立项后提出") in errors, done.stderr
    assert (f"data/teams.yml:{late}: 金点子的提出日期 2026-05-01 晚于课题“{title}”的破解日期 2026-04-20："
            "请核对这两个日期；课题破解后提出的金点子请记到新的课题下") in errors, done.stderr


def test_a_branch_without_its_own_evaluation_is_scored_by_the_rules_dangjian_new_writes(fresh_project):
    from generator.load.validate import DEFAULTS_DIR

    written = fresh_project / "data/evaluation.yml"
    assert written.read_text(encoding="utf-8") == (DEFAULTS_DIR / "evaluation.yml").read_text(encoding="utf-8")
    with_file = load_project(fresh_project).project.branches[0]
    written.unlink()
    loaded = load_project(fresh_project)
    assert loaded.ok, [str(p) for p in loaded.problems]
    branch = loaded.project.branches[0]
    earned = Counter((p.member, p.indicator) for p in branch.points)
    assert earned == Counter((p.member, p.indicator) for p in with_file.points)
    # the sample's 主题党日: attended by all three, hosted by m01; m02's news item; m03's idea
    assert {("m01", "E2"), ("m02", "E2"), ("m03", "E2"), ("m02", "O2"), ("m03", "I1")} <= set(earned)
