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
    (data / "branch.yml").write_text(_BRANCH.format(name=name, year=today.year - 10), encoding="utf-8")
    (data / "members.yml").write_text(_MEMBERS, encoding="utf-8")
    (data / "activities" / f"{month}.yml").write_text(
        _ACTIVITIES.format(month=month, day=min(today.day, 15)), encoding="utf-8")
    shutil.copyfile(DEFAULTS_DIR / "evaluation.yml", data / "evaluation.yml")
    (target / "content" / "about.md").write_text(_ABOUT, encoding="utf-8")
    (target / ".gitignore").write_text("site/\n.dangjian-*\n", encoding="utf-8")
