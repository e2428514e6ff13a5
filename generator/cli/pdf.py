"""The `pdf` subcommand: print the board poster, the honor-roll notice and the monthly report."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from generator.model.spec import AUDIENCES


def register(sub) -> None:
    what = "生成可打印的 PDF：看板海报（A3 横向）、金榜题名公示和月度党建简报（A4）"
    pdf = sub.add_parser("pdf", help=what, description=what + "。用本机的 Chromium 浏览器离线打印，不联网。")
    pdf.add_argument("dir", nargs="?", default=".", help="支部项目文件夹（默认当前文件夹）")
    pdf.add_argument("-o", "--output", help="PDF 输出文件夹（默认 DIR/pdf）")
    pdf.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD），默认当天；简报按这一天所在的月份")
    pdf.add_argument("--audience", choices=AUDIENCES,
                     help="面向谁：public 全单位（默认，张贴用）、party 党员、committee 支委（--sign-in 默认 committee）")
    pdf.add_argument("--period", help="公示和看板用哪个月的金榜题名，如 2026-11（默认：本月；每月 1 日到 5 日用上个月）")
    pdf.add_argument("--ledger", metavar="QUARTER",
                     help="改为生成一个季度的会议记录台账（封面、目录、每次会议一页），如 2026-Q3；请假原因只在 --audience committee 时印出")
    pdf.add_argument("--sign-in", metavar="ID",
                     help="改为生成一次会议的会议通知和签到表（A4，带打开会议纪实的二维码），写会议编号，如 2026-12-zhiweihui；"
                          "需要 mkdocs.yml 写明 site_url；签到表列出党员姓名，只用 --audience party 或 committee（默认）")
    pdf.add_argument("--chromium", help="浏览器程序的路径（默认自动查找电脑上的 Chromium、Chrome 或 Edge）")
    pdf.set_defaults(func=cmd_pdf)


EDITIONS = {"public": "公开版", "party": "党员版", "committee": "支委会版"}  # how a message names the build it looked in


def sign_in_refusal(root: Path, audience: str) -> str | None:
    """Why `--sign-in` cannot print for this project and audience, before anything is built."""
    from generator.load.site_url import site_url_of
    from generator.model.visibility import Visibility

    if not Visibility(audience).meeting_papers:
        return "dangjian: 签到表列出党员姓名，不对全单位公开：请用 --audience party 或 --audience committee（默认）"
    if site_url_of(root) is None:
        return ("mkdocs.yml:1: 没有写 site_url（网站在内网上的地址），签到表上的二维码无从打开会议纪实：请在 mkdocs.yml "
                "加一行，如 site_url: http://dangjian.example.cn/，再生成。没有生成 PDF。")
    return None


def unknown_meeting(result, activity_id: str) -> str:
    """No meeting of that id for this audience: say which ids there are."""
    from generator.pages.sign_in import meetings_with_papers

    ids = [a.id for b in result.branches for a in meetings_with_papers(b.branch, b.planned, result.as_of)]
    listed = "、".join(ids[-8:]) if ids else "无"
    version = EDITIONS[result.audience]
    return (f"dangjian: 没有编号为“{activity_id}”的会议（{version}，截至 {result.as_of}）：请核对 data/activities/ 里会议的 id。"
            f"上月以来和已安排的会议有：{listed}。没有生成 PDF。")


def cmd_pdf(args) -> int:
    import jinja2

    from generator import pipeline, settings
    from generator.cli.common import as_of_date, print_problems, project_folder, usage_error
    from generator.compute.branch import published_keys
    from generator.compute.scoring import parse_period
    from generator.pages.meetings import ledger_periods
    from generator.tools.pdf import (
        PdfError,
        check_playwright,
        find_chromium,
        ledger_documents,
        make_pdfs,
        missing_chromium_message,
    )

    root = project_folder(args.dir)
    as_of = as_of_date(args.as_of)
    args.audience = args.audience or ("committee" if args.sign_in else "public")
    if args.sign_in:
        refused = sign_in_refusal(root, args.audience)
        if refused:
            print(refused, file=sys.stderr)
            return 1
    chosen = settings.current()
    executable = find_chromium(args.chromium or chosen.chromium, chosen.system_folders)
    if executable is None:
        print(f"dangjian: {missing_chromium_message(args.chromium or chosen.chromium)}", file=sys.stderr)
        return 1
    try:
        check_playwright()
    except PdfError as exc:
        print(f"dangjian: {exc}", file=sys.stderr)
        return 1
    period = parse_period(args.period) if args.period else None
    if args.period and (period is None or period.kind != "month"):  # the 公示 and the board are monthly
        return usage_error(f"--period 写月份，如 2026-11（公示和看板按月），这里是“{args.period}”")
    ledger = parse_period(args.ledger) if args.ledger else None
    if args.ledger and (ledger is None or ledger.kind != "quarter"):  # the 台账 is bound by quarter
        return usage_error(f"--ledger 写季度，如 2026-Q3（台账按季度汇编），这里是“{args.ledger}”")
    outcome = pipeline.run(root, as_of, args.audience, period.key if period else None)
    print_problems(outcome.problems, outcome.reminders)
    if outcome.problems:
        print("数据有误，PDF 没有生成；原有的文件保持不变。", file=sys.stderr)
        return 1
    result = outcome.result
    assert result is not None  # pipeline.run gives a result whenever it reports no problem
    if period is not None:
        known = [key for b in result.branches for key in published_keys(b.figures)]
        if period.key not in known:
            first = min((k for k in known if len(k) == 7 and "Q" not in k), default="—")
            return usage_error(f"{period.label}没有金榜题名（积分台账从 {first} 起，截至 {as_of}）：请换一期")
    docs = None
    if args.sign_in:
        from generator.tools.pdf import sign_in_documents

        made, docs = sign_in_documents(result, args.sign_in)
        if not docs:
            print(unknown_meeting(result, args.sign_in), file=sys.stderr)
            return 1
        result = made
    if ledger is not None:
        docs = ledger_documents(result, ledger.key)
        if not docs:
            have = sorted({p.key for b in result.branches for p in ledger_periods(b.branch)})
            choices = "、".join(have) if have else "无"
            version = EDITIONS[args.audience]
            return usage_error(f"{ledger.label}没有会议记录（截至 {as_of}，{version}里有会议的季度：{choices}）：请换一个季度")
    out = Path(args.output) if args.output else root / "pdf"
    from generator.site.mkdocs_adapter import ENGINE_ERRORS, build_site

    start = time.monotonic()
    try:
        printed = make_pdfs(root, result, out, build_site, executable, docs, chosen.environ)
    except PdfError as exc:
        print(f"dangjian: {exc}", file=sys.stderr)
        return 1
    except ENGINE_ERRORS as exc:
        print(f"mkdocs.yml: 网站生成失败：{exc}", file=sys.stderr)
        return 1
    except jinja2.TemplateError as exc:
        filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)  # a syntax error has them
        where = f"{filename}:{lineno}" if filename else "theme/"
        print(f"{where}: 页面模板出错：{exc}。如果改过 theme/ 下的模板，请检查这一行", file=sys.stderr)
        return 1
    for p in printed:
        print(f"已生成 {p.path}：{p.document.what}，{p.size / 1024:.0f} KB")
    print(f"共 {len(printed)} 个 PDF，用时 {time.monotonic() - start:.1f} 秒（数据截至 {result.as_of}）")
    return 0
