"""`dangjian plan 2026-12`: a draft of next month's activities file for the secretary to complete.

Every entry is commented out, so the new file is an empty month (which `check` accepts with a
reminder) until the secretary fills one in and removes its "# ". The draft comes from the
committee's agenda (`pipeline.view`): the meetings due by frequency, the fixed 主题党日 day,
the month's 政治生日 and what was left open before it. An existing file is never touched.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from generator.compute import dates
from generator.compute.calendar import Due
from generator.pages.todo import describe

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CN_MONTHS = "一二三四五六七八九十"


def register(sub) -> None:
    p = sub.add_parser("plan", help="按组织生活频次、主题党日固定日、政治生日和上月未完成事项，起草某月的活动文件")
    p.add_argument("month", help="月份，如 2026-12")
    p.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    p.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD）")
    p.add_argument("--branch", help="党委项目中的支部代号（党委项目必须写）")
    p.set_defaults(func=cmd_plan)


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


def cmd_plan(args) -> int:
    from generator import pipeline
    from generator.atomic import atomic_write
    from generator.cli.failures import describe as describe_os_error
    from generator.cli.main import _as_of, _usage_error
    from generator.compute.period import choose_branches
    from generator.load.validate import load_project
    from generator.model.problems import report

    found = _MONTH.match(args.month)
    if not found or not 1 <= int(found.group(2)) <= 12:
        return _usage_error(f"月份应写成 YYYY-MM，如 2026-12，实际是“{args.month}”")
    as_of = _as_of(args.as_of)
    root = Path(args.dir)
    loaded = load_project(root, today=as_of)
    if loaded.problems or loaded.project is None:
        print(report(loaded.problems), file=sys.stderr)
        return 1
    branches, message = choose_branches(loaded.project, args.branch)
    if message:
        return _usage_error(message)
    branch = branches[0]
    folder = Path("data", "branches", branch.id) if loaded.project.multi else Path("data")
    rel = (folder / "activities" / f"{args.month}.yml").as_posix()
    target = root / rel
    if target.exists():
        print(f"{rel}:1: {args.month} 的活动文件已经存在，plan 不会覆盖它：请直接编辑这个文件，或先把它改名后再运行一次", file=sys.stderr)
        return 1
    agenda = pipeline.view(branch, as_of, "committee").agenda  # the file is the committee's working copy
    year, number = int(args.month[:4]), int(args.month[5:])
    if (year, number) > (as_of.year, as_of.month):  # a month ahead: its agenda as of its first day
        start = dt.date(year, number, 1)
        later = pipeline.view(branch, start, "committee").agenda
        agenda = tuple({d.key: d for d in [*agenda, *later]}.values())  # last month's open items are overdue by then
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, draft(branch.name, branch.theme_day, args.month, agenda, as_of) + "\n")
    except OSError as exc:
        print(describe_os_error(exc, target), file=sys.stderr)
        return 1
    print(f"已起草 {rel}：每一项都是注释，开展后去掉行首的“# ”并补全，再运行 dangjian check")
    return 0
