"""`dangjian plan 2026-12`: a draft of next month's activities file for the secretary to complete.

Every entry is commented out, so the new file is an empty month (which `check` accepts with a
reminder) until the secretary fills one in and removes its "# ". The draft comes from the
committee's agenda (`pipeline.view`): the meetings due by frequency, the fixed 主题党日 day,
the month's 政治生日 and what was left open before it. An existing file is never touched.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.compute import dates
from generator.compute.calendar import Due
from generator.pages.todo import describe

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CN_MONTHS = "一二三四五六七八九十"


def _cn_month(month: int) -> str:
    return _CN_MONTHS[month - 1] if month <= 10 else "十" + _CN_MONTHS[month - 11]


def _entry(kind: str, day: dt.date, title: str, extra: tuple[str, ...] = ()) -> list[str]:
    return ["# - type: " + kind, f"#   date: {day.isoformat()}", f"#   title: {title}", "#   place: ",
            "#   host: ", "#   attendees: []", *extra, ""]


def draft(branch_name: str, theme_day: int, month: str, agenda: tuple[Due, ...], as_of: dt.date) -> str:
    year, number = int(month[:4]), int(month[5:])
    first, last = dt.date(year, number, 1), dates.last_day(year, number)
    inside = [d for d in agenda if d.status != "held" and d.start <= last and d.end >= first]
    before = [d for d in agenda if d.status == "overdue" and d.end < first]
    meetings = [d for d in inside if d.kind == "meeting"]
    birthdays = [d for d in inside if d.kind == "birthday"]
    planned = [d for d in inside if d.kind == "activity"]
    lines = [
        f"# {branch_name} {year} 年 {number} 月的活动（dangjian plan 于 {as_of.isoformat()} 起草）。",
        "# 下面每一项都还是注释（行首有“# ”），不会出现在网站上。开展一项活动后，去掉这一项每行开头的“# ”，",
        "# 补全地点、主持人、出席人员和内容，再运行 dangjian check。没有开展的项删掉即可。",
    ]
    if meetings:
        lines.append("# 按组织生活频次，本月还应开展：" + "；".join(describe(d) for d in meetings) + "。")
    if birthdays:
        lines.append("# 本月政治生日：" + "、".join(f"{d.name}（{d.start.month}月{d.start.day}日，入党 {d.count} 周年）" for d in birthdays) + "。")
    if planned:
        lines.append("# 已经写好的本月活动：" + "；".join(f"{d.start.isoformat()} {describe(d)}" for d in planned) + "。")
    if before:
        lines.append("# 此前未完成（已逾期）：" + "；".join(f"{describe(d)}（应于 {d.end.isoformat()} 前）" for d in before) + "。")
    lines.append("")
    theme = dt.date(year, number, min(theme_day, last.day))
    lines += _entry("主题党日", theme, f"{_cn_month(number)}月主题党日",
                    ("#   wuyou: {theme: true, record: true, reflection: true, evaluation: true, support: true}",))
    for d in meetings:
        lines += _entry(d.subject, first, f"{d.subject}（请改为会议主题和日期）",
                        ("#   recorder: ", "#   agenda: []", "#   decisions: []"))
    if birthdays:
        lines += _entry("政治生日", birthdays[0].start, "、".join(d.name for d in birthdays) + "同志政治生日",
                        (f"#   honorees: [{', '.join(d.subject for d in birthdays)}]",))
    return "\n".join(lines)
