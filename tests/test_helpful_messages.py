"""Messages that help a secretary who is not a programmer (issue 13).

Each mistake names the nearest valid choice ("是不是 …？"), full-width characters are
named as such, and data the build would silently ignore is a reminder: it stops
nothing, but the secretary reads about it. The project is the checker's small base
fixture with one change per test; every message is asserted word for word.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import copy_sample, run_cli

from generator.load.validate import load_project

BASE = Path(__file__).resolve().parent / "fixtures" / "base"
ACTIVITIES = "data/activities/2026-09.yml"
POINTS = "data/points/2026-09.yml"


@pytest.fixture
def project(tmp_path) -> Path:
    return shutil.copytree(BASE, tmp_path / "project")


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(project: Path, reminders: bool = False) -> list[str]:
    loaded = load_project(project)
    return [str(p) for p in (loaded.reminders if reminders else loaded.problems)]


# -- the nearest valid choice --------------------------------------------------------------

def test_a_chinese_key_is_told_its_english_key(project):
    edit(project, ACTIVITIES, "  date: 2026-09-08\n", "  日期: 2026-09-08\n")
    assert f"{ACTIVITIES}:14: 活动中没有“日期”这一项：请写成英文的 date（日期）" in messages(project)


def test_a_misspelt_key_is_told_the_key_it_looks_like(project):
    edit(project, ACTIVITIES, "  leader: m02\n", "  leeder: m02\n")
    assert f"{ACTIVITIES}:16: 活动中没有“leeder”这一项：是不是 leader（领学人）？请改正拼写" in messages(project)


def test_an_indicator_in_lower_case_or_by_its_name_is_told_its_code(project):
    edit(project, POINTS, "indicator: L2,", "indicator: l2,")
    edit(project, POINTS, "indicator: S1,", "indicator: 志愿服务时长,")
    found = [m for m in messages(project) if m.startswith(POINTS)]
    assert found[0].startswith(f"{POINTS}:2: 指标“l2”不在评价体系 data/evaluation.yml 中：是不是 L2（")
    assert found[1].startswith(f"{POINTS}:4: 指标“志愿服务时长”不在评价体系 data/evaluation.yml 中：是不是 S1（")


def test_a_name_with_a_space_or_one_character_off_is_told_the_roster_name(project):
    edit(project, ACTIVITIES, "  attendees: [m01, m02, m03, m04]\n", "  attendees: [m01, 李 示例, 王示列, m04]\n")
    found = messages(project)
    assert f"{ACTIVITIES}:18: “attendees”（出席人员）“李 示例”不在党员名册 data/members.yml 中：是不是“李示例”？请改成名册里的写法" in found
    assert f"{ACTIVITIES}:18: “attendees”（出席人员）“王示列”不在党员名册 data/members.yml 中：是不是“王示例”？请改成名册里的写法" in found


def test_an_id_one_character_off_is_not_guessed(project):
    edit(project, ACTIVITIES, "  attendees: [m01, m02, m03, m04]\n", "  attendees: [m01, m02, m03, m05]\n")
    assert f"{ACTIVITIES}:18: “attendees”（出席人员）“m05”不在党员名册 data/members.yml 中：请核对编号或姓名，或先在名册中添加" \
        in messages(project)


def test_midnight_written_as_24_00_is_told_the_next_day(project):
    edit(project, "data/dues/2026-09.yml", "paid_at: 2026-09-01 00:05", "paid_at: 2026-09-01 24:00")
    assert "data/dues/2026-09.yml:4: “paid_at”（交纳时间）“2026-09-01 24:00”：一天的时刻到 23:59 为止，" \
           "24:00 请写成次日 0 点，即 2026-09-02 00:00" in messages(project)


# -- full-width characters, named as such ------------------------------------------------------

def test_full_width_digits_and_dashes_in_a_date_are_named(project):
    edit(project, ACTIVITIES, "  date: 2026-09-08\n", "  date: ２０２６－０９－０８\n")
    assert f"{ACTIVITIES}:14: “date”（日期）“２０２６－０９－０８”用了全角数字、全角符号：请改成半角的 2026-09-08" in messages(project)


def test_a_full_width_comma_in_a_list_is_named(project):
    edit(project, ACTIVITIES, "  attendees: [m01, m02, m03, m04]\n", "  attendees: [m01，m02, m03, m04]\n")
    assert any("用了全角逗号或顿号" in m and m.startswith(f"{ACTIVITIES}:18:") for m in messages(project)), messages(project)


def test_a_full_width_space_indent_is_named(project):
    edit(project, ACTIVITIES, "  leader: m02\n", "　leader: m02\n")
    found = messages(project)
    assert any("全角空格" in m and m.startswith(f"{ACTIVITIES}:16:") for m in found), found


# -- data that would be silently ignored: reminders ----------------------------------------------

def test_an_empty_months_file_made_in_advance_is_a_reminder(project):
    (project / "data/points/2026-10.yml").write_text("", encoding="utf-8")
    loaded = load_project(project)
    assert loaded.ok
    assert [str(r) for r in loaded.reminders] == [
        "data/points/2026-10.yml: 提醒：文件是空的，还没有积分台账：生成时跳过它，填好后自动计入"]


def test_an_upper_case_suffix_is_read_and_reminded(project):
    (project / POINTS).rename(project / "data/points/2026-09.YML")
    loaded = load_project(project)
    assert loaded.ok and len(loaded.project.branches[0].points) == 3  # read as usual
    assert "data/points/2026-09.YML: 提醒：扩展名是大写的 .YML：已照常读取；请改名为 2026-09.yml，与其他文件一致" \
        in [str(r) for r in loaded.reminders]


def test_a_news_date_that_differs_from_its_file_name_is_reminded(project):
    news = "data/news/2026-09-01-one.md"
    edit(project, news, "date: 2026-09-01", "date: 2026-09-03")
    assert any(r.startswith(f"{news}:") and "2026-09-01 与 date: 2026-09-03 不一致" in r for r in messages(project, reminders=True))


def test_a_member_named_after_leaving_is_reminded(project):
    edit(project, "data/members.yml", "  post: 财务专员\n", "  post: 财务专员\n  left: 2026-09-10\n")
    found = messages(project, reminders=True)
    assert any(r.startswith(f"{ACTIVITIES}:") and "王示例（m03）2026-09-10 已转出，却写在 2026-09-15 这次活动的名单里" in r
               for r in found), found


def test_a_stale_probation_and_a_future_joining_are_reminded(project):
    edit(project, "data/members.yml", "  joined: 2026-03-10\n", "  joined: 2025-03-10\n")
    found = messages(project, reminders=True)
    assert any("赵示例 自 2025-03-10 起为预备党员，预备期已满一年" in r for r in found), found
    edit(project, "data/members.yml", "  joined: 2019-09-15\n", "  joined: 2999-09-15\n")
    assert any("王示例 的入党时间 2999-09-15 还没到" in r for r in messages(project, reminders=True))



def test_a_joining_is_future_or_not_by_the_build_day(project):
    """A build `--as-of` a past day reminds of a joining after that day, the site's "today", not the clock's."""
    import datetime as dt

    from generator import pipeline

    edit(project, "data/members.yml", "  joined: 2019-09-15\n", "  joined: 2026-09-20\n")
    before, on = (pipeline.run(project, dt.date(2026, 9, day)).reminders for day in (19, 20))
    assert any("王示例 的入党时间 2026-09-20 还没到" in str(r) for r in before), before
    assert not any("王示例 的入党时间" in str(r) for r in on), on

# -- the command line ----------------------------------------------------------------------

def dangjian(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args, timeout=60)


def test_help_and_usage_errors_are_in_chinese():
    help_text = dangjian("build", "-h").stdout
    assert help_text.startswith("用法：dangjian build") and "显示本帮助并退出" in help_text and "选项" in help_text
    assert "usage:" not in help_text and "show this help" not in help_text and "options:" not in help_text
    wrong = dangjian("build", "--bogus")
    assert wrong.returncode == 2
    assert "dangjian: 错误：不认识的参数：--bogus（用 dangjian -h 查看可用的命令和参数）" in wrong.stderr
    choice = dangjian("build", "--audience", "everyone")
    assert "参数 --audience 的值 'everyone' 不可选：请从 'public', 'party', 'committee' 中选一个" in choice.stderr
    assert "error:" not in wrong.stderr + choice.stderr


def test_a_ledger_ref_to_no_activity_is_reminded(project):
    edit(project, POINTS, "note: 政治学习领学}", "note: 政治学习领学, ref: 2026-09-zhengzhi-xuexi}")
    loaded = load_project(project)
    assert loaded.ok
    assert [str(r) for r in loaded.reminders] == [
        f"{POINTS}:2: 提醒：ref 写的活动编号“2026-09-zhengzhi-xuexi”在 data/activities/ 里找不到：这条积分照常计分，"
        "但不会链接到活动；请核对编号（活动的 id，或“日期-序号”如 2026-09-15-1）"]


def test_a_news_author_from_outside_the_branch_is_written_as_text(project):
    import datetime as dt

    from generator import pipeline
    from generator.site.render import make_env, render_page

    news = "data/news/2026-09-01-one.md"
    edit(project, news, "author: m02", "author: 机关党委宣传组 陈记者")
    loaded = load_project(project)
    assert loaded.ok, loaded.problems
    result = pipeline.site(loaded.project, dt.date(2026, 9, 30), "public")
    page = next(p for p in result.pages if p.path == "news/2026-09-01-one.md")
    assert "机关党委宣传组 陈记者" in render_page(make_env(project), page)
    edit(project, news, "author: 机关党委宣传组 陈记者", "author: 李示例")
    assert load_project(project).project.branches[0].news[0].get("author") == "m02"  # a member is still found by name


def test_curly_quotes_around_a_name_are_named(project):
    edit(project, ACTIVITIES, "  host: m01\n", "  host: “张示例”\n")
    assert any("这里用了中文引号：姓名不用加引号，直接写 张示例" in m for m in messages(project)), messages(project)


def test_an_ambiguous_or_id_like_author_is_still_a_problem(project):
    news = "data/news/2026-09-01-one.md"
    edit(project, news, "author: m02", "author: m09")
    assert any(m.startswith(f"{news}:") and "“m09”不在党员名册" in m for m in messages(project)), messages(project)


def test_a_reminder_does_not_fail_a_strict_mkdocs_build(tmp_path):
    project = copy_sample(tmp_path / "sample")
    news = sorted((project / "data/news").glob("*.md"))[0]
    text = news.read_text(encoding="utf-8")
    day = news.name[:10]
    news.write_text(text.replace(f"date: {day}", f"date: {day[:8]}28", 1), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "DANGJIAN_AS_OF": "2026-11-20"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "提醒：文件名的日期" in done.stderr


# -- records the site marks as wanting: reminders (issue 31) ----------------------------------------

def test_a_political_birthday_missing_steps_is_reminded(project):
    edit(project, ACTIVITIES, "回顾重要点滴, 寄语再接再厉, ", "")
    assert messages(project, reminders=True) == [
        f"{ACTIVITIES}:20: 提醒：政治生日“九月政治生日会”（2026-09-16）的 steps 少了 2 个步骤：回顾重要点滴、寄语再接再厉："
        "办过的请补记（写法与这八个步骤一致：主持人介绍情况、重读入党申请书、畅谈入党初心、回顾重要点滴、寄语再接再厉、"
        "重温入党誓词、歌唱我的祖国、定格珍贵瞬间），没办的请下次补齐"]


def test_an_overdue_duty_is_reminded_as_of_the_build_day(project):
    import datetime as dt

    from generator import pipeline

    edit(project, "data/duties.yml", "when: 2099-10-31", "when: 2026-10-31")
    before, after = ([str(r) for r in pipeline.run(project, dt.date(2026, month, day), "committee").reminders
                      if r.path.startswith("data/")] for month, day in ((10, 31), (11, 1)))
    assert before == []
    assert after == [
        "data/duties.yml:11: 提醒：责任事项“更新党员信息库”的期限 2026-10-31 已过（截至 2026-11-01），status 还是“进行中”："
        "已完成的请把 status 改为 已完成 并写上 done 日期；延期的请改 when"]


def test_a_review_dated_before_the_regulation_took_effect_is_reminded(project):
    edit(project, "data/regulations/one.md", "last_review: 2026-06-01", "last_review: 2025-06-01")
    assert messages(project, reminders=True) == [
        "data/regulations/one.md:6: 提醒：上次评估日期 last_review: 2025-06-01 早于施行日期 effective: 2026-01-01："
        "下次评估日期从上次评估算起，会提前到期，请核对这两个日期"]


# -- a news item's photos are checked like an activity's (issue 31) -----------------------------

NEWS = "data/news/2026-09-01-one.md"


def test_a_news_photo_that_is_missing_or_outside_content_is_a_problem_at_its_line(project):
    edit(project, NEWS, "author: m02\n", "author: m02\nphotos:\n  - photos/missing.jpg\n  - ../secret.jpg\n  - photos/notes.txt\n")
    assert messages(project) == [
        f"{NEWS}:7: 照片路径“../secret.jpg”不在 content/ 里：请把照片放进 content/（例如 content/photos/），"
        "这里写它在 content/ 下的路径，如 photos/2026-07-01.jpg",
        f"{NEWS}:8: “photos/notes.txt”不是图片：照片请用 jpg、jpeg、png、webp、gif 格式",
        f"{NEWS}:6: 照片 content/photos/missing.jpg 不存在：请把照片放进 content/ 的这个位置，或改正路径（注意大小写）",
    ]


def test_a_news_photo_is_shown_on_the_news_page_and_the_item(project, tmp_path, run_dangjian):
    from PIL import Image

    (project / "content/photos").mkdir()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(project / "content/photos/news-1.jpg", "JPEG")
    edit(project, NEWS, "author: m02\n", "author: m02\nphotos: [photos/news-1.jpg]\n")
    done = run_dangjian("build", project, "-o", tmp_path / "site", "--as-of", "2026-09-30")
    assert done.returncode == 0, done.stderr
    listing = (tmp_path / "site/news/index.html").read_text(encoding="utf-8")
    item = (tmp_path / "site/news/2026-09-01-one/index.html").read_text(encoding="utf-8")
    picture = '<img src="../photos/news-1.jpg" alt="支部开展九月主题党日（1）" loading="lazy">'
    assert picture in listing, re.findall(r"<img[^>]*>", listing)
    assert picture.replace("../", "../../") in item, re.findall(r"<img[^>]*>", item)
    assert (tmp_path / "site/photos/news-1.jpg").is_file()
