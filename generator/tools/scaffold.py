"""`dangjian new`: a fresh branch project with small valid data that builds at once."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.load.validate import DEFAULTS_DIR

_MKDOCS = """\
# 网站设置。支部名称等信息写在 data/branch.yml；这里一般只需改 site_name。
site_name: {name}
docs_dir: content
site_dir: site
theme:
  name: material
  language: zh
  font: false
  palette:
    primary: red
    accent: red
  features:
    - navigation.tabs
    - search.highlight
plugins:
  - search:
      separator: '[\\s\\u200b\\-_,:!=\\[\\]()"`/]+|\\.(?!\\d)'
  - dangjian
markdown_extensions:
  - tables
  - attr_list
  - md_in_html
  - admonition
"""

_BRANCH = """\
# 支部信息。改完后运行 dangjian check 检查。
id: branch1                 # 支部代号：英文字母或数字，用于网址
name: {name}
organization: 上级党委名称
founded: {year}-01-01
since: {month}              # 开始在这里记录的第一个月：此前的月份不计入积分满分
motto: 精益求精，担当作为
committee:                  # 支部委员会：member 写党员编号
  - {{member: m01, role: 支部书记}}
  - {{member: m02, role: 组织委员}}
theme_day: 15               # 每月主题党日固定日
honor_roll_size: 5          # 金榜题名每期上榜人数
news_plan: 12               # 年度宣传报道计划篇数
"""

_MEMBERS = """\
# 党员名册：每人一项，以“- id:”开头。
# 手机号码、身份证号、住址、党费基数、民主评议等次、纪律处分情况只用于内部统计，网站上永不显示。
- id: m01
  name: 张示例
  gender: 男
  joined: 2005-07-01
  status: 正式党员
  post: 办公室主任
- id: m02
  name: 李示例
  gender: 女
  joined: 2012-06-20
  status: 正式党员
  post: 人力资源专员
- id: m03
  name: 王示例
  gender: 男
  joined: 2019-10-15
  status: 正式党员
  post: 财务专员
"""

_ACTIVITIES = """\
# {month} 月的活动：主题党日、政治学习、三会一课、政治生日等，每项以“- type:”开头。
- type: 主题党日
  date: {month}-{day:02d}
  title: 主题党日示例活动
  host: m01
  attendees: [m01, m02, m03]
  wuyou: {{theme: true, record: true, reflection: true, evaluation: true, support: true}}
  reflections:
    - {{member: m02, text: 第一次参加主题党日，很有收获。}}
  # 活动照片：放进 content/photos/，再去掉下一行开头的 # 写上它在 content/ 下的路径。
  # photos: [photos/{month}-{day:02d}-1.jpg]
# 支委会、党员大会、党小组会、党课等会议可写完整的会议纪实：记录人、议程、决议、请假人员及原因（原因只有支委会能看到）。
- type: 支委会
  date: {month}-{day:02d}
  title: 支委会示例会议
  host: m01
  recorder: m02
  attendees: [m01, m02]
  excused:
    - {{member: m03, reason: 外出培训}}
  agenda:
    - 研究本月主题党日安排
  decisions:
    - 主题党日由 m01 主持
"""

_POINTS = """\
# {month} 月的积分台账：每得一次分记一条，写日期、党员（编号或姓名）、指标代码、分值和事由。
# 有记录可查的分不用记：出席活动（attendance）和领学、主讲、主办、宣传报道、金点子、按时交纳党费、按期完成责任、
# 四个一（earn）由 evaluation.yml 按记录自动计入；台账只记志愿服务时长、应知应会测试、扣分等没有其他记录的。
# 指标代码见 evaluation.yml（L2 领学、S1 志愿服务时长……）；扣分的 indicator 写“扣分”，points 写扣几分（正数）。
# ref 写相关活动的编号（活动的 id，或“日期-序号”如 {month}-{day:02d}-1），没有就不写。
- date: {month}-{day:02d}
  member: m02
  indicator: L3
  points: 1
  note: 主题党日活动感悟
  ref: {month}-{day:02d}-1
"""

_DUES = """\
# {month} 月的党费交纳：每人一条，写交纳时间（年-月-日 时:分）；零点行动的月份写 zero_hour: true。
# amount（金额）只用于内部核对，网站上只显示人数和比例。
zero_hour: false
payments:
  - {{member: m01, paid_at: {month}-01 08:30, amount: 50}}
  - {{member: m02, paid_at: {month}-01 09:10, amount: 30}}
  - {{member: m03, paid_at: {month}-02 10:00, amount: 20}}
"""

_FOUR_ONES = """\
# {year} 年的“四个一”：一堂微课、一次主办、一次领学、一句心得，每完成一项记一条。
- {{member: m01, item: 一次主办, date: {month}-{day:02d}, title: 主题党日示例活动}}
- {{member: m02, item: 一句心得, date: {month}-{day:02d}, title: 第一次参加主题党日，很有收获。}}
"""

_TEAMS = """\
# 诸葛亮会攻坚团队：每个团队一段，problems 是团队攻坚的课题（status：待攻坚、攻坚中、已破解）。
- id: team1
  name: 示例攻坚小组
  lead: m01
  members: [m01, m02, m03]
  founded: {month}-01
  focus: 围绕业务难题开展攻坚。
  problems:
    - id: tp-01
      title: 示例课题
      status: 攻坚中
      opened: {month}-01
      owner: m02
      ideas:
        - {{member: m03, text: 示例金点子。}}
"""

_DUTIES = """\
# 责任制：items 是 5W2H 责任清单（what 做什么、why 为什么、who 谁来做、when 何时完成、
# where 在哪里、how 怎么做、how_much 做到什么程度；status：未开始、进行中、已完成），posts 是“一岗双责”。
items:
  - id: zr-01
    what: 制定年度支部工作要点
    why: 明确全年目标
    who: [m01]
    when: {year}-12-31
    how: 支委会讨论后报上级党委
    status: 进行中
posts:
  - {{member: m01, business: 办公室全面工作, party: 支部全面工作}}
  - {{member: m02, business: 人力资源, party: 组织工作}}
"""

_REGULATION = """\
---
# 制度：两行 --- 之间写编号、名称、版本、施行日期、上次评估日期和评估周期（月），下面写正文。
number: ZD-01
title: 主题党日制度
version: "1.0"
effective: {year}-01-01
last_review: {year}-01-01
review_months: 12
---

## 一、固定时间

支部每月 15 日开展主题党日活动。
"""

_NEWS = """\
---
# 宣传报道：文件名以日期开头（与 date 一致），两行 --- 之间写标题、日期、作者，下面写正文。
title: 支部开展主题党日活动
date: {month}-{day:02d}
author: m02
# 报道照片：放进 content/photos/，再去掉下一行开头的 # 写上它在 content/ 下的路径。
# photos: [photos/{month}-{day:02d}-zhuti-dangri.jpg]
---

支部全体党员参加了主题党日活动。
"""

_ABOUT = """\
# 关于本支部

在这里介绍支部的基本情况、特色和联系方式。本页是普通的 Markdown 文件，可以自由修改。
"""


def new_project(target: Path, name: str, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    month = f"{today.year:04d}-{today.month:02d}"
    data = target / "data"
    (data / "activities").mkdir(parents=True, exist_ok=True)
    (target / "content").mkdir(parents=True, exist_ok=True)
    (target / "mkdocs.yml").write_text(_MKDOCS.format(name=name), encoding="utf-8")
    (data / "branch.yml").write_text(_BRANCH.format(name=name, year=today.year - 10, month=month), encoding="utf-8")
    (data / "members.yml").write_text(_MEMBERS, encoding="utf-8")
    day = min(today.day, 15)
    values = {"month": month, "day": day, "year": today.year}
    files = {
        f"activities/{month}.yml": _ACTIVITIES, f"points/{month}.yml": _POINTS, f"dues/{month}.yml": _DUES,
        f"four-ones/{today.year}.yml": _FOUR_ONES, "teams.yml": _TEAMS, "duties.yml": _DUTIES,
        "regulations/zhuti-dangri.md": _REGULATION, f"news/{month}-{day:02d}-zhuti-dangri.md": _NEWS,
    }
    for rel, template in files.items():  # one commented example of every kind of file, valid as it is
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_text(template.format(**values), encoding="utf-8")
    # 组织生活频次: the 支部工作条例 defaults, written out so that a branch sees what it may change
    (data / "frequencies.yml").write_text((DEFAULTS_DIR / "frequencies.yml").read_text(encoding="utf-8")
                                          .replace("要改动，把本文件复制为 data/frequencies.yml 再修改", "可按本支部的要求修改"),
                                          encoding="utf-8")
    # the built-in evaluation, scoring rules included: what a branch without its own file is scored by
    shutil.copyfile(DEFAULTS_DIR / "evaluation.yml", data / "evaluation.yml")
    (target / "content" / "about.md").write_text(_ABOUT, encoding="utf-8")
    (target / ".gitignore").write_text("site/\n.dangjian-*\n", encoding="utf-8")
