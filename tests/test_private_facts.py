"""Facts about people that the public must not read or infer (issue 17.7).

- 民主评议, 谈心谈话 and 组织生活会 are about people: without an audience they are the committee's;
- text the whole unit reads that looks like a mobile or an ID number is a reminder in `check`;
- a public page lists who attended, so it prints no count of the absent beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from support import REPO, copy_sample, inherited_env, run_cli

from generator import pipeline
from generator.load.validate import load_project
from generator.site.render import make_env, render_page

NOV = dt.date(2026, 11, 30)
MOBILE, ID_NUMBER = "13912345678", "110101199003071234"




def add_activities(root: Path, text: str) -> int:
    """Append records to data/activities/2026-11.yml; the line of the first one."""
    path = root / "data/activities/2026-11.yml"
    old = path.read_text(encoding="utf-8")
    path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return old.rstrip("\n").count("\n") + 3


MEETINGS = """\
- id: 2026-11-pingyi
  type: 民主评议
  date: 2026-11-25
  title: 补充民主评议
  attendees: [m01, m02]
- id: 2026-11-tanxin
  type: 谈心谈话
  date: 2026-11-26
  title: 谈心谈话（示例）
  attendees: [m01, m03]
- id: 2026-11-shenghuohui
  type: 组织生活会
  date: 2026-11-27
  title: 专题组织生活会
  attendees: [m01, m02, m03]
- id: 2026-11-shenghuohui-gongkai
  type: 组织生活会
  date: 2026-11-28
  title: 组织生活会情况通报
  attendees: [m01]
  audience: public
"""


def test_meetings_about_people_are_the_committees_unless_the_record_says_otherwise(tmp_path):
    root = copy_sample(tmp_path / "p")
    add_activities(root, MEETINGS)
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    audience = {a.id: a.audience for a in loaded.project.branches[0].activities}
    assert [audience[k] for k in ("2026-11-pingyi", "2026-11-tanxin", "2026-11-shenghuohui")] == ["committee"] * 3
    assert audience["2026-11-shenghuohui-gongkai"] == "public"
    public = pipeline.site(loaded.project, NOV, "public")
    month = next(p for p in public.pages if p.path == "activities/2026-11.md")
    titles = {a["title"] for a in month.context["activities"]}
    assert "组织生活会情况通报" in titles and not titles & {"补充民主评议", "谈心谈话（示例）", "专题组织生活会"}


def test_public_text_that_looks_like_a_mobile_or_id_number_is_a_reminder(tmp_path):
    root = copy_sample(tmp_path / "p")
    line = add_activities(root, f"""\
- id: 2026-11-zhiyuan-x
  type: 志愿服务
  date: 2026-11-24
  title: 社区志愿服务
  summary: 联系人 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}，登记身份证 {ID_NUMBER}。
  attendees: [m01]
- id: 2026-11-zhiyuan-y
  type: 志愿服务
  date: 2026-11-24
  title: 党内通知
  summary: 联系人 {MOBILE}
  attendees: [m01]
  audience: party
""")
    done = run_cli("check", root, cwd=REPO, env=inherited_env())
    assert done.returncode == 0, done.stderr  # a reminder stops nothing
    reminders = [x for x in done.stderr.splitlines() if "提醒：全单位公开" in x and x.startswith("data/")]
    assert reminders == [
        f"data/activities/2026-11.yml:{line}: 提醒：全单位公开的内容里有像手机号码的“139****5678”："
        "请确认应当公开；不该公开就删去，或把这条记录的 audience 改为 party",
        f"data/activities/2026-11.yml:{line}: 提醒：全单位公开的内容里有像身份证号的“110***********1234”："
        "请确认应当公开；不该公开就删去，或把这条记录的 audience 改为 party",
    ], done.stderr
    assert MOBILE not in done.stderr and ID_NUMBER not in done.stderr  # CI logs are read widely too
    assert "检查通过" in done.stdout


def test_the_sample_reminds_only_of_what_its_pages_show_on_purpose():
    """The sample keeps two incomplete 政治生日 and two overdue duties (the site marks them); nothing else."""
    loaded = load_project(REPO, today=dt.date(2026, 11, 20))
    assert loaded.ok
    assert [str(p).split("（")[0] for p in loaded.reminders] == [
        "data/activities/2026-04.yml:62: 提醒：政治生日“梁志远、汪浩然同志政治生日”",
        "data/activities/2026-08.yml:63: 提醒：政治生日“高明轩、袁梦洁同志政治生日”",
        "data/duties.yml:75: 提醒：责任事项“开展四项特色制度执行评估”的期限 2026-09-30 已过",
        "data/duties.yml:85: 提醒：责任事项“入党积极分子培养联系”的期限 2026-10-31 已过",
    ]


@pytest.mark.parametrize(("audience", "shown"), [("public", False), ("party", True)])
def test_a_public_page_prints_no_absence_count_beside_the_attendees(audience, shown):
    loaded = load_project(REPO)
    absent = [a for a in loaded.project.branches[0].activities if a.absent and a.audience == "public"]
    assert absent, "the sample has public activities with absentees"
    month = f"activities/{absent[0].date:%Y-%m}.md"
    result = pipeline.site(loaded.project, NOV, audience)
    page = next(p for p in result.pages if p.path == month)
    text = re.sub(r"<[^>]+>", " ", render_page(make_env(REPO), page))
    assert ("缺席" in text) is shown


SAME_DAY = """\
- type: 谈心谈话
  date: 2026-11-20
  title: 支委谈心（同日）
  attendees: [m01, m02]
- type: 党小组会
  date: 2026-11-20
  title: 党小组学习（同日）
  attendees: [m01, m03]
  audience: party
- type: 志愿服务
  date: 2026-11-20
  title: 社区志愿服务（同日）
  attendees: [m01, m04]
  audience: public
"""


def test_automatic_activity_ids_reveal_no_meeting_the_reader_cannot_see(tmp_path):
    # The committee's talk is written first that day; a reader must not learn of it from
    # a gap in the numbers (#2026-11-20-2 with no -1), in anchors, links or page paths.
    root = copy_sample(tmp_path / "p")
    add_activities(root, SAME_DAY)
    loaded = load_project(root)
    assert loaded.ok, loaded.problems
    env = make_env(root)
    seen = {}
    for audience in ("public", "party", "committee"):
        result = pipeline.site(loaded.project, NOV, audience)
        text = " ".join([p.path for p in result.pages] + [render_page(env, p) for p in result.pages if "2026-11" in p.path])
        seen[audience] = sorted(set(re.findall(r"2026-11-20-\d+", text)))
    assert seen == {
        "public": ["2026-11-20-1"],
        "party": ["2026-11-20-1", "2026-11-20-2"],
        "committee": ["2026-11-20-1", "2026-11-20-2", "2026-11-20-3"],
    }
    ids = {a.title: a.id for a in loaded.project.branches[0].activities if a.date == dt.date(2026, 11, 20)}
    # one id per record in every build, so a link to a public record is the same for everyone
    assert ids == {"社区志愿服务（同日）": "2026-11-20-1", "党小组学习（同日）": "2026-11-20-2", "支委谈心（同日）": "2026-11-20-3"}
