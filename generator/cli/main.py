"""The `dangjian` command: check, build, serve and create a branch's kanban site.

Every mistake in the user's files is printed as `path:line: message` with exit status
1 and no traceback; exit status 2 means the command itself was used wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import signal
import sys
from pathlib import Path

import jinja2

from generator import assembly, environment, pipeline, settings
from generator.atomic import stage
from generator.cli import failures
from generator.cli.chinese_argparse import ChineseParser
from generator.cli.common import as_of_date, print_problems, project_folder, usage_error
from generator.load.validate import is_organization
from generator.model.problems import TerminalSafe, report, report_reminders
from generator.model.spec import AUDIENCES


def cmd_check(args) -> int:
    from generator.load.validate import load_project

    loaded = load_project(project_folder(args.dir))
    print_problems(loaded.problems, loaded.reminders)
    if loaded.problems:
        return 1
    project = loaded.project
    assert project is not None  # load_project gives a project whenever it reports no problem
    branches = project.branches
    name = project.organization.name + f"（{len(branches)} 个支部）" if project.organization is not None else branches[0].name
    # earned by the evaluation's attendance and earn rules: every entry not written in a points/ file
    earned = sum(1 for b in branches for p in b.points if p.src.path.split("/")[-2:-1] != ["points"])
    print(f"检查通过：{name}，党员 {len({m.id for b in branches for m in b.members})} 名，"
          f"活动 {sum(len(b.activities) for b in branches)} 条，积分 {sum(len(b.points) for b in branches)} 条"
          + (f"（其中 {earned} 条由出席名单等记录自动计入）" if earned else "") + "。")
    return 0


def cmd_build(args) -> int:
    if args.merge:
        return _merge(args)
    shard = None
    if args.shard:
        shard = assembly.parse_shard(args.shard)
        if shard is None:
            return usage_error(f"--shard 写成“第几份/共几份”，如 1/3，这里是“{args.shard}”")
    root = project_folder(args.dir)
    with _one_at_a_time(root):
        return _build(args, root, shard)


def _one_at_a_time(root: Path):
    """A 党委's builds take turns with its part cache (see assembly.locked); a branch's need not."""
    return assembly.locked(root) if is_organization(root) else contextlib.nullcontext()


def _build(args, root: Path, shard: tuple[int, int] | None) -> int:
    from generator.assembly import write_atomically
    from generator.site.mkdocs_adapter import ENGINE_ERRORS, build_site

    as_of = as_of_date(args.as_of)
    outcome = pipeline.run(root, as_of, args.audience, in_parts=True)
    print_problems(outcome.problems, outcome.reminders)
    if outcome.problems:
        print("数据有误，网站没有生成；原有的网站保持不变。", file=sys.stderr)
        return 1
    result = outcome.result
    assert result is not None  # pipeline.run gives a result whenever it reports no problem
    if shard and not result.project.multi:
        return usage_error("--shard 只用于多支部（党委）项目：单个支部的网站一次生成即可")
    out = Path(args.output) if args.output else root / "site"
    stats: list[assembly.Stats] = []
    plans = [_plan(root, result, shard)] if result.project.multi else []

    def produce(tmp: Path) -> None:
        if not result.project.multi:
            build_site(root, result, tmp, strict=args.strict)
            return
        stats.append(_build_parts(root, result, tmp, plans[0], shard, strict=args.strict, jobs=args.jobs))

    try:
        if result.project.multi and not shard:  # a whole 党委 site: only its changed parts are replaced
            build_part = functools.partial(_build_part, build_site, args.strict)
            stats.append(assembly.publish(root, result, out, build_part, plans[0], jobs=args.jobs))
        else:
            write_atomically(out, produce)
    except ENGINE_ERRORS as exc:
        print(f"mkdocs.yml: 网站生成失败：{exc}", file=sys.stderr)
        print("原有的网站保持不变。", file=sys.stderr)
        return 1
    except jinja2.TemplateError as exc:
        filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)  # a syntax error has them
        where = f"{filename}:{lineno}" if filename else "theme/"
        print(f"{where}: 页面模板出错：{exc}。如果改过 theme/ 下的模板，请检查这一行", file=sys.stderr)
        print("原有的网站保持不变。", file=sys.stderr)
        return 1
    except assembly.AssembleError as exc:
        print(f"dangjian: {exc}", file=sys.stderr)
        return 1
    what = "分片" if shard else "网站"
    if stats:  # a 党委: its parts; the pages of reused parts were not made again
        built, reused = stats[0].built, stats[0].reused
        parts = f"{len(built)} 个部分重新生成，{len(reused)} 个沿用上次的结果" if reused else f"{len(built)} 个部分"
        print(f"{what}已生成：{out}（党委总览和 {len(result.project.branch_ids)} 个支部，数据截至 {result.as_of}；{parts}）")
    else:
        print(f"{what}已生成：{out}（{len(result.pages)} 个自动生成的页面，数据截至 {result.as_of}）")
    if shard:
        print(f"这是第 {shard[0]} 份（共 {shard[1]} 份）：全部分片生成后，用 dangjian build --merge 分片文件夹… -o 网站文件夹 合并")
    return 0


def _plan(root: Path, result: pipeline.SiteResult, shard: tuple[int, int] | None) -> assembly.Plan:
    """Which parts of a 党委 site to make (this shard's), and which the cache holds."""
    from generator.site.mkdocs_adapter import data_commit

    names = assembly.part_names(result.project)
    parts = assembly.shard_of(names, *shard) if shard else names
    return assembly.plan(root, parts, result.as_of, result.audience, data_commit(root), settings.current().environ)


def _build_parts(root: Path, result, tmp: Path, plan: assembly.Plan, shard: tuple[int, int] | None,
                 strict: bool = False, jobs: int | None = None) -> assembly.Stats:
    """A 党委 site, or one shard of it: the overview and the branches built as parts (generator/assembly.py)."""
    from generator.site.mkdocs_adapter import build_site

    build_part = functools.partial(_build_part, build_site, strict)
    stats = assembly.build_parts(root, result, tmp, build_part, plan, jobs=jobs)
    if shard:
        assembly.write_manifest(tmp, result, shard, plan)
    else:
        assembly.finish(tmp, plan.keys.values())
    return stats


def _build_part(build_site, strict: bool, root: Path, result, folder: Path, part: str, stamp: str) -> None:
    build_site(root, result, folder, strict=strict, part=part, chart_workers=0, stamp=stamp)


def _merge(args) -> int:
    from generator.assembly import write_atomically

    if not args.output:
        return usage_error("--merge 要用 -o 指定合并后的网站文件夹，如 dangjian build --merge shard-1 shard-2 -o site")
    folders = [Path(d) for d in args.merge]
    out = Path(args.output)
    manifests: list[dict] = []
    try:
        write_atomically(out, lambda tmp: manifests.append(assembly.merge(folders, tmp)))
    except assembly.AssembleError as exc:
        print(f"dangjian: {exc}", file=sys.stderr)
        print("合并没有完成；原有的网站保持不变。", file=sys.stderr)
        return 1
    print(f"网站已合并：{out}（{len(folders)} 个分片，数据截至 {manifests[0]['as_of']}）")
    return 0


def cmd_serve(args) -> int:
    root = project_folder(args.dir)
    print(f"预览地址：http://{args.addr}/ （修改 data/、content/ 或 theme/ 后浏览器自动刷新；按 Ctrl+C 结束）")
    return _serve(root, as_of_date(args.as_of), args.audience, args.addr)


@contextlib.contextmanager
def _stopped_like_ctrl_c():
    """A preview stopped otherwise than by Ctrl+C (the console window closed: SIGBREAK on Windows, SIGHUP
    elsewhere; a service manager's SIGTERM) still removes its working folder, as after Ctrl+C."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    names = ("SIGTERM", "SIGHUP", "SIGBREAK")
    before = {name: signal.signal(getattr(signal, name), interrupt) for name in names if hasattr(signal, name)}
    try:
        yield
    finally:
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)


def _serve(root: Path, as_of: dt.date, audience: str, addr: str) -> int:
    """One preview server for a branch and a 党委 (generator/tools/preview.py): it answers only
    to its own address, where mkdocs' server answers any Host (DNS rebinding)."""
    from generator.site.mkdocs_adapter import ENGINE_ERRORS, build_site
    from generator.tools import preview

    built_once: list[Path] = []  # the first build runs before the server's thread starts; later ones do not fork beside it

    def build(folder: Path) -> str | None:
        with _one_at_a_time(root):
            return _preview_build(folder)

    def _preview_build(folder: Path) -> str | None:
        outcome = pipeline.run(root, as_of, audience, in_parts=True)
        if outcome.reminders:
            print(report_reminders(outcome.reminders), file=sys.stderr)
        if outcome.problems:
            return report(outcome.problems)
        assert outcome.result is not None  # pipeline.run gives a result whenever it reports no problem
        if not outcome.result.project.multi:
            try:
                build_site(root, outcome.result, folder)
            except (*ENGINE_ERRORS, jinja2.TemplateError) as exc:
                return f"网站生成失败：{exc}"
            return None
        jobs = 1 if built_once else None  # a 党委: rebuild only the parts a save changed
        built_once.append(folder)
        try:
            stats = _build_parts(root, outcome.result, folder, _plan(root, outcome.result, None), None, jobs=jobs)
        except (*ENGINE_ERRORS, jinja2.TemplateError, assembly.AssembleError) as exc:
            return f"网站生成失败：{exc}"
        print(f"{len(stats.built)} 个部分重新生成，{len(stats.reused)} 个沿用", end="；", flush=True)
        return None

    host, _, port = addr.rpartition(":")
    if not port.isdigit():
        return usage_error(f"--addr 写成 主机:端口，如 127.0.0.1:8000，这里是“{addr}”")
    try:
        with _stopped_like_ctrl_c():
            preview.serve(root, build, host or "127.0.0.1", int(port))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"dangjian: 无法在 {addr} 上预览（{exc.strerror or exc}）：这个端口可能已被占用，请用 --addr 换一个，如 127.0.0.1:8001",
              file=sys.stderr)
        return 1
    return 0


def cmd_new(args) -> int:
    from generator.tools.scaffold import new_project

    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        return usage_error(f"“{target}”已存在且不是空文件夹：请换一个名字")
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
    build.add_argument("--jobs", type=int, help="多支部项目同时检查和生成几个支部（默认：CPU 核数，最多 8）")
    build.add_argument("--shard", metavar="I/N",
                       help="多支部项目分到 N 台机器上生成，这台生成第 I 份，如 1/3；再用 --merge 合并")
    build.add_argument("--merge", nargs="+", metavar="DIR",
                       help="把各台机器 --shard 生成的文件夹合并成完整网站（用 -o 指定输出文件夹）")
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
    failures.safe_console()
    # Whatever is printed may quote a secretary's text, a file name or an engine's error: no
    # ESC sequence or bidi control in it may reach the terminal as a command.
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(sys.stdout), TerminalSafe(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    # the one place the command line reads the environment: everything below is handed these settings
    settings.use(environment.settings(os.environ, jobs=getattr(args, "jobs", None)))
    stage("started")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a full disk, a read-only folder, no permission: the user's to fix, not a bug
        if isinstance(exc, BrokenPipeError):  # output piped into `head` and the like
            sys.stderr.close()
            return 0
        print(failures.describe(exc, getattr(args, "output", None) or getattr(args, "dir", None)), file=sys.stderr)
        return 1

