"""One truthful view per audience and date: what each reader sees is true for that audience and that day.

The sample branch goes through the real pipeline (load -> scope -> compute -> pages) and
the real templates; each test reads the page text a person would read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from support import REPO

from generator import pipeline
from generator.compute.scoring import compute_scores, parse_period
from generator.load.validate import load_project
from generator.model.spec import SANHUI_YIKE
from generator.site.render import make_env, render_page

NOV = dt.date(2026, 11, 30)
MARCH = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def project():
    loaded = load_project(REPO)
    assert loaded.ok, loaded.problems
    return loaded.project


@pytest.fixture(scope="module")
def env():
    return make_env(REPO)


def pages_text(env, result, *paths: str) -> dict[str, str]:
    """path -> the rendered page as text (tags removed, whitespace squeezed)."""
    specs = {p.path: p for p in result.pages}
    # <wbr> marks where a line may break between words: not a space a reader sees
    return {p: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_page(env, specs[p]).replace("<wbr>", ""))) for p in paths}


def with_branch(project, **changes):
    return dataclasses.replace(project, branches=(dataclasses.replace(project.branches[0], **changes),))


# 1 -------------------------------------------------------------------------------------

def test_the_public_home_page_counts_only_public_activities(project, env):
    branch = project.branches[0]
    november = [a for a in branch.activities if a.date.strftime("%Y-%m") == "2026-11" and a.type in SANHUI_YIKE]
    assert len(november) >= 2
    hidden = november[0]
    acts = tuple(dataclasses.replace(a, audience="committee") if a is hidden else a for a in branch.activities)
    changed = with_branch(project, activities=acts)
    public = pages_text(env, pipeline.site(changed, NOV, "public"), "index.md")["index.md"]
    committee = pages_text(env, pipeline.site(changed, NOV, "committee"), "index.md")["index.md"]
    assert f"11 月三会一课 {len(november) - 1} 次" in public
    assert f"11 月三会一课 {len(november)} 次" in committee
    month = "activities/2026-11.md"
    assert hidden.title not in pages_text(env, pipeline.site(changed, NOV, "public"), month)[month]


# 2 -------------------------------------------------------------------------------------

def test_as_of_shows_the_world_as_of_that_day(project, env):
    branch = project.branches[0]
    assert any(p.date > MARCH for p in branch.points), "the sample should have later ledger entries"
    result = pipeline.site(project, MARCH, "party")
    figures = result.branches[0].figures
    # the 2026 roll is computed from the ledger up to 31 March only
    # on 31 March nobody knew yet who would leave in June: a later `left` is not known then
    trimmed = dataclasses.replace(branch, points=tuple(p for p in branch.points if p.date <= MARCH),
                                  members=tuple(dataclasses.replace(m, left=m.left if m.left and m.left <= MARCH else None)
                                                for m in branch.members if m.joined <= MARCH))
    expected = compute_scores(trimmed, parse_period("2026"), figures.weights)
    assert [s.total for s in figures.scores["year"].members] == [s.total for s in expected.members]
    everything = compute_scores(branch, parse_period("2026"), figures.weights)
    assert [s.total for s in figures.scores["year"].members] != [s.total for s in everything.members]
    # no activity, news item, dues month or 四个一 record after the day in any page
    months = {p.path for p in result.pages if p.path.startswith("activities/20")}
    assert months and max(months) == "activities/2026-03.md"
    assert all(p.path[len("news/"):len("news/") + 10] <= "2026-03-31" for p in result.pages
               if p.path.startswith("news/20"))
    assert max(s.month for s in figures.dues) == "2026-03"
    assert all(f.date <= MARCH for f in result.branches[0].branch.four_ones)
    text = pages_text(env, result, "honor-roll/index.md", "dues/index.md")
    assert "2026 年度（截至 3 月 31 日）" in text["honor-roll/index.md"]
    assert "本期尚未结束" in text["honor-roll/index.md"]
    assert "2026 年 4 月" not in text["dues/index.md"]


def test_a_transfer_or_a_finished_task_after_the_day_has_not_happened_yet(project):
    branch = project.branches[0]
    leaver = branch.members[3]
    members = tuple(dataclasses.replace(m, left=dt.date(2026, 6, 30)) if m is leaver else m for m in branch.members)
    result = pipeline.site(with_branch(project, members=members), MARCH, "party")
    assert f"members/{leaver.id}.md" in {p.path for p in result.pages}
    duty = next(d for d in branch.duties if d.done is not None)
    result = pipeline.site(project, duty.done - dt.timedelta(days=1), "committee")
    row = next(r for r in result.branches[0].figures.duties.rows if r.id == duty.id)
    assert row.status != "已完成" and row.done is None


# 3 -------------------------------------------------------------------------------------

def test_the_discipline_veto_holds_for_the_year_of_the_matter_only(project):
    branch = project.branches[0]
    disciplined = next(m for m in branch.members if m.private.discipline)
    assert "2026" in disciplined.private.discipline
    nov = pipeline.site(project, NOV, "committee").branches[0].figures
    assert not nov.scores["year"].of(disciplined.id).eligible
    # the same matter dated a year earlier no longer bars 2026
    members = tuple(dataclasses.replace(m, private=dataclasses.replace(m.private, discipline="2025年3月 诫勉谈话（示例）"))
                    if m is disciplined else m for m in branch.members)
    moved = pipeline.site(with_branch(project, members=members), NOV, "committee").branches[0].figures
    assert moved.scores["year"].of(disciplined.id).eligible
    # before the matter happened, nobody could know of it
    feb = pipeline.site(project, dt.date(2026, 2, 28), "committee").branches[0].figures
    assert feb.scores["month"].of(disciplined.id).eligible


def test_the_published_rule_says_the_veto_lasts_for_the_year_of_the_matter(project, env):
    text = pages_text(env, pipeline.site(project, NOV, "public"), "evaluation/index.md", "print/honor-roll.md")
    assert "处分所在年度的各期（月、季、年）都不进入金榜题名" in text["evaluation/index.md"]
    assert "受纪律处分的党员，处分所在年度的各期都不上榜" in text["print/honor-roll.md"]


def test_a_discipline_entry_without_a_date_is_reported(tmp_path, run_dangjian):
    import shutil

    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / "data" / "members.yml"
    text = path.read_text(encoding="utf-8")
    assert "discipline: 2026年3月 诫勉谈话（示例）" in text
    path.write_text(text.replace("discipline: 2026年3月 诫勉谈话（示例）", "discipline: 诫勉谈话（示例）"), encoding="utf-8")
    done = run_dangjian("check", tmp_path)
    assert done.returncode == 1
    line = next(k for k, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "诫勉谈话" in ln)
    assert re.search(r"data/members\.yml:\d+: “discipline”（纪律处分情况）有 1 条没有写日期", done.stderr)
    assert "（示例）" not in done.stderr  # the private text itself is never printed
    assert line


# 4 -------------------------------------------------------------------------------------

def test_the_public_honor_roll_reveals_no_rank_outside_the_top_n(project, env):
    for as_of in (NOV, dt.date(2026, 10, 31), dt.date(2026, 9, 30)):
        result = pipeline.site(project, as_of, "public")
        archive = [p.path for p in result.pages if p.path.startswith("honor-roll/") and p.path != "honor-roll/index.md"]
        assert len(archive) >= 8, archive  # every past month, quarter and year keeps its page
        texts = pages_text(env, result, "index.md", "honor-roll/index.md", "screen/index.md", *archive)
        for path, text in texts.items():
            assert not re.search(r"[↑↓]\s*\d", text), (as_of, path)
        assert "新上榜" in texts["honor-roll/index.md"] or "连续上榜" in texts["honor-roll/index.md"]
        roll_names = {e.name for r in result.branches[0].figures.rolls.values() for e in r.entries}
        others = {m.name for m in result.branches[0].branch.members} - roll_names
        robust = re.findall(r"稳健性：[^。]*。", texts["honor-roll/index.md"])
        assert robust and not any(name in r for r in robust for name in others), (as_of, robust)


def test_party_builds_keep_the_exact_moves(project, env):
    result = pipeline.site(project, NOV, "party")
    entries = [e for r in result.branches[0].figures.rolls.values() for e in r.entries if e.change]
    assert entries, "the sample should have a move in places on some roll"
    text = pages_text(env, result, "honor-roll/index.md")["honor-roll/index.md"]
    assert re.search(r"[↑↓]\d", text)


# 5 -------------------------------------------------------------------------------------

def test_member_pages_explain_every_period_and_add_up_as_printed(project, env):
    result = pipeline.site(project, NOV, "party")
    figures = result.branches[0].figures
    specs = {p.path: p for p in result.pages}
    checked = 0
    for m in result.branches[0].branch.members:
        spec = specs.get(f"members/{m.id}.md")
        if spec is None:
            continue
        html = render_page(env, spec)
        # a member kept off the roll has no scores outside the committee (17.6)
        kinds = [k for k in ("year", "quarter", "month") if (s := figures.scores[k].of(m.id)) is not None and s.eligible]
        for kind in kinds:
            key = figures.scores[kind].period.key
            assert f'id="积分-{key}"' in html, (m.id, key)
        assert not kinds or ("不低于 0" in html and "四舍五入" in html and "同分同名次" in html)
        for table in re.findall(r'<table class="dj-table dj-score">.*?</table>', html, flags=re.S):
            shown = [float(x) for x in re.findall(r'<td class="dj-num dj-contribution"[^>]*>([\d.]+)</td>', table)]
            ahp = float(re.search(r'<td class="dj-num dj-ahp-total">([\d.]+)</td>', table).group(1))
            total = float(re.search(r'<td class="dj-num dj-score-total">([\d.]+)</td>', table).group(1))
            ded = re.search(r'<td class="dj-num dj-deduction-total">−([\d.]+)</td>', table)
            assert round(sum(shown), 2) == ahp, (m.id, shown, ahp)
            assert round(max(ahp - (float(ded.group(1)) if ded else 0.0), 0.0), 2) == total
            checked += 1
    assert checked >= 3 * 20


def test_the_honor_roll_page_says_which_periods_are_partial(project, env):
    text = pages_text(env, pipeline.site(project, NOV, "public"), "honor-roll/index.md")["honor-roll/index.md"]
    assert "2026 年 11 月" in text and "2026 年 11 月（截至" not in text  # November is complete on the 30th
    assert "2026 年第 4 季度（截至 11 月 30 日）" in text and "2026 年度（截至 11 月 30 日）" in text


# 6, 7 ----------------------------------------------------------------------------------

def test_the_robustness_statement_says_what_was_tested(project, env):
    result = pipeline.site(project, NOV, "public")
    text = pages_text(env, result, "honor-roll/index.md")["honor-roll/index.md"]
    rolls = result.branches[0].figures.rolls
    for roll in rolls.values():
        r = roll.robustness
        assert r.draws == 1000
        if r.changed:
            assert f"其中 {r.changed} 次（{r.share * 100:.1f}%）前 {roll.size} 名名单（不计顺序）会有变化" in text
    assert "22 项指标的权重同时随机上下浮动（每项在 ±10% 内均匀抽取，再归一化），共抽取 1000 次" in text
    assert "同分时总分高者得，仍相同则并列" in text


# 8 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [("scores",), ("export", "scores", "-o", "out.xlsx")])
def test_an_impossible_date_is_a_chinese_message_not_a_traceback(command, run_dangjian, tmp_path):
    done = run_dangjian(*command[:1], *command[1:2], str(REPO), *command[2:], "--as-of", "2026-13-01", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--as-of 应写成 YYYY-MM-DD" in done.stderr and "2026-13-01" in done.stderr


def test_commands_on_a_party_committee_project_need_a_branch(tmp_path, run_dangjian):
    from support import make_multi

    root = make_multi(tmp_path / "org")
    sheet = tmp_path / "points.csv"
    sheet.write_text("日期,姓名,指标,分值,事由\n2026-11-20,周立新,L1,1,政治学习\n", encoding="utf-8")
    for command in (("scores", str(root)), ("export", "honor-roll", str(root), "-o", str(tmp_path / "h.xlsx")),
                    ("import", "points", str(sheet), str(root))):
        done = run_dangjian(*command)
        assert done.returncode == 2, (command, done.stderr)
        assert "请用 --branch 指定支部代号" in done.stderr and "b1、b2" in done.stderr
    done = run_dangjian("scores", str(root), "--branch", "b2", "--period", "2026-09", "--as-of", "2026-11-30")
    assert done.returncode == 0, done.stderr
    assert "示例第2党支部" in done.stdout
    done = run_dangjian("scores", str(root), "--branch", "b9")
    assert done.returncode == 2 and "没有代号为“b9”的支部" in done.stderr


# 17.6: a high score missing from the roll tells of a disciplinary matter -----------------

def test_party_member_pages_show_no_scores_of_a_member_kept_off_the_roll(project, env):
    branch = project.branches[0]
    vetoed = next(m for m in branch.members if m.private.discipline)
    page = f"members/{vetoed.id}.md"
    party = {p.path: p for p in pipeline.site(project, NOV, "party").pages}
    committee = {p.path: p for p in pipeline.site(project, NOV, "committee").pages}
    assert party[page].context["scores"] == [] and party[page].context["charts"]["radar"] is None
    assert committee[page].context["scores"] and committee[page].context["charts"]["radar"] is not None
    text = re.sub(r"<[^>]+>", " ", render_page(env, party[page]))
    assert "不参加排名" not in text and "积分：" not in text
    others = [p for path, p in party.items() if path.startswith("members/m") and path != page and p.context.get("scores")]
    assert len(others) >= 20  # everyone else keeps their scores



# issue 13: the month boundary and the archive --------------------------------------------

def test_in_a_months_first_days_the_last_complete_month_is_published(project, env):
    result = pipeline.site(project, dt.date(2026, 12, 2), "public")
    figures = result.branches[0].figures
    assert figures.rolls["month"].period.key == "2026-12"
    assert figures.published["month"].period.key == "2026-11" and not figures.published["month"].partial
    home = pages_text(env, result, "index.md")["index.md"]
    assert "2026 年 11 月" in home and "2026 年 12 月" not in home
    board = next(p for p in result.pages if p.path == "print/honor-roll.md")
    assert board.title.startswith("2026 年 11 月")
    honor = pages_text(env, result, "honor-roll/index.md")["honor-roll/index.md"]
    assert "新的一期刚开始，积分还在登记：先公布已经结束的2026 年 11 月的榜单" in honor


def test_an_empty_running_month_shows_the_last_complete_one(project):
    quiet = with_branch(project, points=tuple(p for p in project.branches[0].points if p.date < dt.date(2026, 11, 1)))
    figures = pipeline.site(quiet, dt.date(2026, 11, 20), "public").branches[0].figures
    assert not figures.rolls["month"].entries
    assert figures.published["month"].period.key == "2026-10" and figures.published["month"].entries


def test_every_past_period_keeps_its_roll_page_linked_from_the_honor_roll(project, env):
    result = pipeline.site(project, NOV, "public")
    keys = {r.period.key for r in result.branches[0].figures.archive}
    assert {"2025-12", "2026-10", "2026-11", "2025-Q4", "2026-Q3", "2025"} <= keys and "2026-Q4" not in keys
    specs = {p.path: p for p in result.pages}
    html = render_page(env, specs["honor-roll/index.md"])
    for key in keys:
        assert f'href="{key.lower()}/"' in html, key
    october = pages_text(env, result, "honor-roll/2026-10.md")["honor-roll/2026-10.md"]
    expected = next(r for r in result.branches[0].figures.archive if r.period.key == "2026-10")
    assert "2026 年 10 月金榜题名" in october and all(e.name in october for e in expected.entries)


def test_a_chosen_period_is_the_one_printed(project):
    result = pipeline.site(project, NOV, "public", publish="2026-10")
    notice = next(p for p in result.pages if p.path == "print/honor-roll.md")
    assert notice.title.startswith("2026 年 10 月") and notice.context["honor"]["key"] == "2026-10"
