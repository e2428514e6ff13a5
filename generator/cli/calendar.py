"""`dangjian plan` and `dangjian remind`: the branch's calendar before the meeting (generator/tools/plan.py,
generator/tools/remind.py do the work; this module reads the command line and reports)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from generator.cli import failures
from generator.cli.common import as_of_date, one_branch, usage_error


def register_plan(sub) -> None:
    p = sub.add_parser("plan", help="按组织生活频次、主题党日固定日、政治生日和上月未完成事项，起草某月的活动文件")
    p.add_argument("month", help="月份，如 2026-12")
    p.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    p.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD）")
    p.add_argument("--branch", help="党委项目中的支部代号（党委项目必须写）")
    p.set_defaults(func=cmd_plan)


def cmd_plan(args) -> int:
    from generator import pipeline
    from generator.atomic import atomic_write
    from generator.tools.plan import MONTH, draft

    found = MONTH.match(args.month)
    if not found or not 1 <= int(found.group(2)) <= 12:
        return usage_error(f"月份应写成 YYYY-MM，如 2026-12，实际是“{args.month}”")
    as_of = as_of_date(args.as_of)
    root = Path(args.dir)
    branch, project, status = one_branch(root, args.branch, as_of)
    if branch is None:
        return status
    folder = Path("data", "branches", branch.id) if project.multi else Path("data")
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
        print(failures.describe(exc, target), file=sys.stderr)
        return 1
    print(f"已起草 {rel}：每一项都是注释，开展后去掉行首的“# ”并补全，再运行 dangjian check")
    return 0


def register_remind(sub) -> None:
    p = sub.add_parser("remind", help="列出今后几天要办的事：组织生活、主题党日、政治生日、制度复审、责任清单等；可发邮件或 webhook")
    p.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    p.add_argument("--days", type=int, default=7, help="看今后几天（默认 7）")
    p.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD）")
    p.add_argument("--audience", choices=("public", "party", "committee"), default="public",
                   help="收件人是谁：public 全单位（默认）、party 本支部党员、committee 支委会；提醒里只有这些人能看的内容")
    p.add_argument("--branch", help="党委项目中的支部代号（党委项目必须写）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--dry-run", action="store_true", help="只打印，不发送（即使设置了邮件或 webhook）")
    p.set_defaults(func=cmd_remind)


def cmd_remind(args) -> int:
    from generator import environment, pipeline, settings
    from generator.load.site_url import site_url_of
    from generator.tools.remind import SendError, as_json, as_text, due_soon, post_webhook, send_mail

    as_of = as_of_date(args.as_of)
    if args.days < 0 or args.days > 366:
        return usage_error(f"--days 应是 0 到 366 之间的天数，实际是“{args.days}”")
    root = Path(args.dir)
    branch, project, status = one_branch(root, args.branch, as_of)
    if branch is None:
        return status
    result = pipeline.view(branch, as_of, args.audience)
    chosen = due_soon(result.agenda, as_of, args.days)
    site_url = site_url_of(root)
    prefix = f"{branch.id}/" if project.multi else ""
    text = as_text(branch.name, args.audience, as_of, args.days, chosen, site_url, prefix)
    payload = as_json(branch.name, args.audience, as_of, args.days, chosen, site_url, prefix)
    print(json.dumps(payload, ensure_ascii=False, indent=2) if args.json else text)
    sending = settings.current().sending
    configured = sending.smtp_host or sending.webhook_url
    if args.dry_run or not configured:
        print(f"（只打印，没有发送：{'用了 --dry-run' if args.dry_run else '没有设置邮件服务器 ' + environment.SMTP_HOST + ' 或 ' + environment.WEBHOOK_URL}）", file=sys.stderr)
        return 0
    if not chosen:
        print("没有待办事项，不发送。", file=sys.stderr)
        return 0
    subject = f"{branch.name}：今后 {args.days} 天待办 {len(chosen)} 项"
    try:
        done = []
        if sending.smtp_host:
            done.append(send_mail(subject, text, as_of, sending))
        if sending.webhook_url:
            done.append(post_webhook(sending.webhook_url, text, payload))
    except SendError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("；".join(done), file=sys.stderr)
    return 0
