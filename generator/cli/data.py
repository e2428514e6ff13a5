"""Subcommands for data in and sites out: `import`, `export`, `schema`, `publish`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.model.spec import AUDIENCES

# Shown by `dangjian import --help`: each layout a branch already has, as a few cells (| between columns).
IMPORT_LAYOUTS = """\
roster 党员名册（花名册或党员系统导出，表头上面可以有标题行）：
  姓名 | 性别 | 政治面貌     | 入党时间   | 转正时间   | 工作单位及职务 | 公民身份号码
  韩立新 | 男 | 中共党员     | 2001-06-20 | 2002-06-20 | 财务部科长     | （隐私列，默认不导入）
  程雪 | 女   | 中共预备党员 | 2026-03-15 |            | 办公室文员     |
roster 一人一表的党员信息采集表（标签格右边写内容），导入这一名党员：
  姓名 | 赵建国 | 性别 | 男 | 民族 | 汉族
  入党时间 | 2005-06-30 | 政治面貌 | 中共党员
points 积分台账（指标写代码、名称或本支部的说法；负数是扣分）：
  日期       | 姓名   | 积分项目         | 分值 | 备注说明
  2026-09-15 | 张示例 | 参加主题党日     | 1    | 9月主题党日
  2026-09-25 | 张示例 | 无故缺席组织生活 | -2   | 9月党小组会
dues 党费明细（缴费时间带时刻最好；只有缴纳日期的按当天 23:59 记；日期空着的记为未交纳）：
  姓名   | 年份 | 月份 | 缴纳日期   （或：党员姓名 | 缴费月份 | 缴费时间 2026-09-01 00:00:41）
  张示例 | 2026 | 9    | 2026-09-05
dues 按月份列的党费登记表（标题写年份，每格写交纳日期）：
  2026年党费收缴登记表
  姓名   | 1月      | 2月      | … | 12月
  张示例 | 2026-1-6 | 2026-2-3 | … |
activities 活动清单（人员写姓名，用顿号分开，可写“全体党员”；主题党日要有“五有”列）：
  日期       | 活动类型 | 主题             | 主持人 | 参加人员             | 五有
  2026-09-15 | 主题党日 | 重温入党誓词     | 张示例 | 张示例、李示例       | 齐全
attendance 签到表（表格上方写活动时间、类型和主题；签到格打勾或签名，空着是缺席，写“请假”是请假）：
  时间：2026年9月8日   活动类型：政治学习   主题：学习《支部工作条例》
  姓名   | 签到
  张示例 | √
  李示例 | 请假
"""


def register(sub) -> None:
    what = "从 Excel（.xlsx）或 CSV 导入名册、积分、党费、活动清单或签到表到 data/"
    imp = sub.add_parser("import", help=what, description=what + "。认得的表格样式（每种举一个小例子）：",
                         epilog=IMPORT_LAYOUTS, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("kind", choices=("roster", "points", "dues", "activities", "attendance"), metavar="KIND",
                     help="roster 党员名册、points 积分台账、dues 党费交纳明细、activities 活动清单、"
                          "attendance 签到表（单位自己的签到表，或 dangjian export sign-in 导出后打好勾的）")
    imp.add_argument("file", metavar="FILE", help="要导入的 .xlsx 或 .csv 文件（CSV 可以是 UTF-8 或 GBK 编码）")
    imp.add_argument("dir", nargs="?", default=".", metavar="DIR", help="支部项目文件夹（默认当前文件夹）")
    imp.add_argument("--dry-run", action="store_true", help="只显示将要新增或修改的内容，不写入文件")
    imp.add_argument("--sheet", help="导入 Excel 文件中的哪一张工作表（默认第一张）")
    imp.add_argument("--mapping", help="映射文件（YAML）：每行“表格列名: 字段”，用于不常见的列名；积分台账可加一节“指标:”，"
                                       "每行“本支部的说法: 指标名称”，如“帮带新同志: 谈心·帮带·政治生日组织”")
    imp.add_argument("--keep-private", action="store_true",
                     help="把身份证号、手机号码等隐私列也存入名册的隐私字段（默认不导入；网站永不显示）")
    imp.add_argument("--update", action="store_true", help="已有记录与表格不同时，用表格的值修改（默认只报告，不修改）")
    imp.add_argument("--branch", help="党委项目中的支部代号（党委项目必须写）")
    imp.set_defaults(func=cmd_import)

    what = "导出 Excel 报表（积分、金榜题名、党费收缴汇总）或 Word 文档（月度党建简报、会议记录台账）"
    exp = sub.add_parser("export", help=what, description=what + "。Word 文档可以直接修改后报送，数字与网站相同。")
    exp.add_argument("what", choices=("scores", "honor-roll", "dues", "report", "ledger", "sign-in"), metavar="WHAT",
                     help="Excel：scores 党员积分、honor-roll 金榜题名、dues 党费收缴汇总、"
                          "sign-in 一次会议的签到表（dangjian export sign-in 会议编号 [DIR] -o 签到表.xlsx）；"
                          "Word：report 月度党建简报、ledger 会议记录台账")
    exp.add_argument("dir", nargs="?", default=".", metavar="DIR", help="支部项目文件夹（默认当前文件夹）；sign-in 先写会议编号")
    exp.add_argument("extra", nargs="?", help=argparse.SUPPRESS)  # sign-in's DIR after its meeting id
    exp.add_argument("--period", help="期间：月 2026-09、季度 2026-Q3 或年度 2026（默认 --as-of 所在月；dues 默认所在年，"
                                      "ledger 默认所在季度）；report 只能写月份")
    exp.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD），默认当天")
    exp.add_argument("--audience", choices=AUDIENCES,
                     help="给谁看：scores 默认 committee（含名次）；party 不含名次；honor-roll、dues、report 默认 public；"
                          "ledger 默认 committee（含请假原因），party 不含原因，public 不含缺席人员")
    exp.add_argument("-o", "--output", required=True, help="输出文件：Excel 报表写 .xlsx，report 和 ledger 写 .docx")
    exp.add_argument("--branch", help="党委项目中的支部代号（党委项目必须写）")
    exp.set_defaults(func=cmd_export)

    sch = sub.add_parser("schema", help="生成数据文件的 JSON Schema（供 VS Code 等编辑器提示和检查）")
    sch.add_argument("-o", "--output", default="schemas", help="输出文件夹（默认 schemas/）")
    sch.set_defaults(func=cmd_schema)

    pub = sub.add_parser("publish", help="把生成好的网站发布到网站目录（原子切换，可回退）",
                         usage="dangjian publish SITE_DIR TARGET_DIR [--keep 5]\n       dangjian publish --rollback TARGET_DIR")
    pub.add_argument("paths", nargs="+", metavar="PATH",
                     help="网站文件夹和发布目录；回退时只写发布目录")
    pub.add_argument("--keep", type=int, default=5, help="保留最近几个版本（默认 5）")
    pub.add_argument("--rollback", action="store_true", help="回退到上一个版本")
    pub.set_defaults(func=cmd_publish)


def _fail(message: str, status: int) -> int:
    print(message, file=sys.stderr)
    return status


def cmd_import(args) -> int:
    from generator.tools.importing.command import run_import

    root = Path(args.dir)
    if not root.is_dir():
        return _fail(f"dangjian: 找不到文件夹“{args.dir}”", 2)
    from generator.tools import attendance
    from generator.tools.attendance import exported_sheet, import_attendance
    from generator.tools.importing import command as importing

    result: attendance.Result | importing.Result
    if args.kind == "attendance" and exported_sheet(args.file, args.sheet):  # `dangjian export sign-in`, ticked
        result = import_attendance(args.file, root, dry_run=args.dry_run, branch_id=args.branch, sheet=args.sheet)
    else:
        result = run_import(args.kind, args.file, root, dry_run=args.dry_run, mapping=args.mapping,
                            keep_private=args.keep_private, update=args.update, branch_id=args.branch, sheet=args.sheet)
    for line in result.out:
        print(line)
    for line in result.err:
        print(line, file=sys.stderr)
    return result.status


def cmd_export(args) -> int:
    from generator.cli.common import as_of_date

    if args.what == "sign-in":  # generator/tools/attendance.py
        from generator.tools.attendance import export_command

        return export_command(args, as_of_date(args.as_of))
    if args.extra is not None:
        return _fail(f"dangjian: 多余的参数“{args.extra}”：{args.what} 只写一个项目文件夹", 2)
    from generator.compute.period import choose_branches
    from generator.compute.scoring import parse_period, period_containing
    from generator.load.validate import load_project
    from generator.model.problems import report
    from generator.tools import word
    from generator.tools.exporter import DEFAULT_AUDIENCE, ExportError, export

    as_of = as_of_date(args.as_of)
    is_word = args.what in word.WORD_EXPORTS
    bad_input = 1 if is_word else 2  # the Excel kinds keep their usage-error status
    out = Path(args.output)
    if is_word and out.suffix.lower() != word.SUFFIX:
        return _fail(f"dangjian: {args.what} 导出 Word 文档：输出文件应以 .docx 结尾，如 -o 简报.docx，实际是“{args.output}”", 1)
    if not is_word and out.suffix.lower() == word.SUFFIX:
        return _fail(f"dangjian: {args.what} 导出 Excel 表格：输出文件应以 .xlsx 结尾；Word 文档请导出 report 或 ledger", 2)
    if args.period:
        period = parse_period(args.period)
        if period is None:
            return _fail(f"dangjian: --period 应写成 2026-09、2026-Q3 或 2026，实际是“{args.period}”", bad_input)
    elif is_word:
        period = word.default_period(args.what, as_of)
    else:
        period = period_containing(as_of, "year" if args.what == "dues" else "month")
    if is_word:
        try:
            word.drawn_up(args.what, period, as_of)  # refuse a period it cannot draw up before reading the project
        except word.WordError as exc:
            return _fail(f"dangjian: {exc}", 1)
    root = Path(args.dir)
    if not root.is_dir():
        return _fail(f"dangjian: 找不到文件夹“{args.dir}”", 2)
    loaded = load_project(root)
    if loaded.problems:
        print(report(loaded.problems), file=sys.stderr)
        return _fail("数据有误，没有导出。", 1)
    assert loaded.project is not None  # load_project gives a project whenever it reports no problem
    branches, message = choose_branches(loaded.project, args.branch)
    if message:
        return _fail(f"dangjian: {message}", 2)
    branch = branches[0]
    if is_word:
        audience = args.audience or word.DEFAULT_AUDIENCE[args.what]
        try:
            written = word.write_word(args.what, branch, period, audience, out, as_of)
        except word.WordError as exc:
            return _fail(f"dangjian: {exc}", 1)
        print(f"已导出：{written.path}（{written.what}，{branch.name}，{period.label}，面向 {audience}）")
        return 0
    audience = args.audience or DEFAULT_AUDIENCE[args.what]
    try:
        out = export(args.what, branch, period, audience, out, as_of)
    except ExportError as exc:
        return _fail(f"dangjian: {exc}", 2)
    print(f"已导出：{out}（{branch.name}，{period.label}，面向 {audience}）")
    return 0


def cmd_schema(args) -> int:
    from generator.tools.schemas import write_schemas

    written = write_schemas(Path(args.output))
    print(f"已生成 {len(written)} 个 JSON Schema：{args.output}")
    return 0


def cmd_publish(args) -> int:
    from generator.tools.publish import PublishError, publish, rollback

    try:
        if args.rollback:
            if len(args.paths) != 1:
                return _fail("dangjian: 回退时只写发布目录：dangjian publish --rollback TARGET_DIR", 2)
            outcome = rollback(Path(args.paths[0]))
            print(f"已回退：current → releases/{outcome.release}")
            return 0
        if len(args.paths) != 2:
            return _fail("dangjian: 用法：dangjian publish SITE_DIR TARGET_DIR [--keep 5]", 2)
        outcome = publish(Path(args.paths[0]), Path(args.paths[1]), keep=args.keep)
    except PublishError as exc:
        return _fail(f"dangjian: {exc}", 1)
    print(f"已发布：current → releases/{outcome.release}" +
          (f"；删除了较早的版本 {'、'.join(outcome.removed)}" if outcome.removed else ""))
    return 0
