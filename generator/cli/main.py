"""The `dangjian` command: check, build, serve and create a branch's kanban site.

Every mistake in the user's files is printed as `path:line: message` with exit status
1 and no traceback; exit status 2 means the command itself was used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from pathlib import Path

import jinja2

from generator import pipeline
from generator.cli.chinese_argparse import ChineseParser
from generator.model.problems import report, report_reminders
from generator.model.spec import AUDIENCES


def _as_of(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(_usage_error(f"--as-of 应写成 YYYY-MM-DD，如 2026-09-30，实际是“{text}”"))


def _usage_error(message: str) -> int:
    print(f"dangjian: {message}", file=sys.stderr)
    return 2


def _project(text: str) -> Path:
    root = Path(text)
    if not root.is_dir():
        raise SystemExit(_usage_error(f"找不到文件夹“{text}”"))
    return root


def _print_problems(problems, reminders=()) -> None:
    if reminders:
        print(report_reminders(reminders), file=sys.stderr)
    if problems:
        print(report(problems), file=sys.stderr)


def cmd_check(args) -> int:
    from generator.load.validate import load_project

    loaded = load_project(_project(args.dir))
    _print_problems(loaded.problems, loaded.reminders)
    if loaded.problems:
        return 1
    project = loaded.project
    branches = project.branches
    name = project.organization.name + f"（{len(branches)} 个支部）" if project.multi else branches[0].name
    earned = sum(1 for b in branches for p in b.points if "activities/" in p.src.path)  # by the attendance rules
    print(f"检查通过：{name}，党员 {len({m.id for b in branches for m in b.members})} 名，"
          f"活动 {sum(len(b.activities) for b in branches)} 条，积分 {sum(len(b.points) for b in branches)} 条"
          + (f"（其中 {earned} 条由出席名单自动计入）" if earned else "") + "。")
    return 0


def cmd_build(args) -> int:
    from generator.site.mkdocs_adapter import ENGINE_ERRORS, build_site
    from generator.site.output import write_atomically

    root = _project(args.dir)
    outcome = pipeline.run(root, _as_of(args.as_of), args.audience)
    _print_problems(outcome.problems, outcome.reminders)
    if outcome.problems:
        print("数据有误，网站没有生成；原有的网站保持不变。", file=sys.stderr)
        return 1
    out = Path(args.output) if args.output else root / "site"
    # The model lives until the process ends: the garbage collector need not scan it
    # again while thousands of pages are rendered (a one-shot command, not `serve`).
    gc.freeze()
    try:
        write_atomically(out, lambda tmp: build_site(root, outcome.result, tmp, strict=args.strict))
    except ENGINE_ERRORS as exc:
        print(f"mkdocs.yml: 网站生成失败：{exc}", file=sys.stderr)
        print("原有的网站保持不变。", file=sys.stderr)
        return 1
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if getattr(exc, "filename", None) else "theme/"
        print(f"{where}: 页面模板出错：{exc}。如果改过 theme/ 下的模板，请检查这一行", file=sys.stderr)
        print("原有的网站保持不变。", file=sys.stderr)
        return 1
    print(f"网站已生成：{out}（{len(outcome.result.pages)} 个自动生成的页面，数据截至 {outcome.result.as_of}）")
    return 0


def cmd_serve(args) -> int:
    from generator.site.mkdocs_adapter import serve_site

    root = _project(args.dir)
    as_of = _as_of(args.as_of).isoformat()
    print(f"预览地址：http://{args.addr}/ （修改 data/、content/ 或 theme/ 后浏览器自动刷新；按 Ctrl+C 结束）")
    serve_site(root, as_of, args.audience, args.addr)
    return 0


def cmd_new(args) -> int:
    from generator.tools.scaffold import new_project

    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        return _usage_error(f"“{target}”已存在且不是空文件夹：请换一个名字")
    new_project(target, name=args.name)
    print(f"已新建支部项目：{target}\n下一步：cd {target} && dangjian build .")
    return 0


def parser() -> argparse.ArgumentParser:
    p = ChineseParser(prog="dangjian", description="精益党建看板：把支部的记录生成看板网站")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    check = sub.add_parser("check", help="检查数据，列出全部问题")
    check.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="检查数据并生成网站")
    build.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    build.add_argument("-o", "--output", help="输出文件夹（默认 DIR/site）")
    build.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD），默认当天")
    build.add_argument("--audience", choices=AUDIENCES, default="public", help="面向谁：public 全单位（默认）、party 党员、committee 支委")
    build.add_argument("--strict", action="store_true", help="mkdocs 的警告也按错误处理")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="本机预览，修改后自动刷新")
    serve.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    serve.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD）")
    serve.add_argument("--audience", choices=AUDIENCES, default="public")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", help="新建一个支部项目")
    new.add_argument("dir", help="新项目的文件夹")
    new.add_argument("--name", default="示例党支部", help="支部名称")
    new.set_defaults(func=cmd_new)

    _register_more(sub)
    return p


def _register_more(sub) -> None:
    """Commands that live in their own modules."""
    from generator.cli import commands

    commands.register(sub)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0

