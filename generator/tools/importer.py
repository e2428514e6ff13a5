"""`dangjian import`: records from a branch's Excel or CSV sheets into `data/`.

Three kinds of sheet: the roster (花名册 → data/members.yml), a points ledger
(积分表 → data/points/YYYY-MM.yml by date) and the dues platform's export
(党费缴纳明细 → data/dues/YYYY-MM.yml by the month the dues are for, by default
the month of payment).

The rules, in the order a user meets them:
- headings are recognised by their usual Chinese names; a mapping file names others;
- every bad cell is reported as `FILE.xlsx:Sheet!C12: message`, all at once, and
  nothing is written;
- a cell's text passes the same field checks as a hand-written data file, and what
  `check` finds in an imported record is told at the cell it came from;
- text a spreadsheet would run as a formula (=, +, -, @) is pointed out;
- a sheet reaching past 100,000 rows or 256 columns is refused, not read into memory;
- people in points and dues sheets are found in the roster by name (or 党员编号);
- an existing record is never changed or dropped silently: an identical one is skipped,
  a different one is a conflict, applied only with `--update`;
- columns the site never needs (身份证号, 手机号码 …) stay out of the repository unless
  `--keep-private`, and then only in the private fields of the record's shape;
- records are appended to the YAML text, so the user's comments and layout survive;
- the result is validated with `load_project` in a copy of data/ before any file is
  replaced, and `--dry-run` prints the diff and writes nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from generator.atomic import atomic_write
from generator.load.fields import Checker, Clean
from generator.load.yamlio import YDict, YList, control_name, first_control, parse_yaml_text, read_yaml
from generator.model import spec
from generator.model.problems import Problem, one_line, report
from generator.model.records import DEDUCTION, Branch, Evaluation
from generator.tools import layouts
from generator.tools.exporter import FORMULA_STARTS

KINDS = ("roster", "points", "dues", "activities", "attendance")
KIND_LABELS = {"roster": "党员名册", "points": "积分台账", "dues": "党费交纳记录", "activities": "活动记录",
               "attendance": "签到表"}
# The shape of a sheet's row, and of the record it lands in (a 签到表's row is one person of an activity).
ROW_SHAPES = {"roster": spec.MEMBER, "points": spec.POINT, "dues": spec.PAYMENT, "activities": spec.ACTIVITY,
              "attendance": spec.ABSENCE}
RECORD_SHAPES = {**ROW_SHAPES, "attendance": spec.ACTIVITY}
HEADER_SCAN_ROWS = 20
# Far beyond any branch's roster, ledger or dues export (65,536 rows was all old .xls held);
# a sheet reaching past them is refused rather than read into memory.
MAX_ROWS = 100_000
MAX_COLUMNS = 256
TOTAL_ROW_WORDS = ("合计", "总计", "小计")

# Usual headings of each column, per kind. Keys are spec field keys, plus
# `member_id` (a member's 编号 in a points or dues sheet) and `month` (the month the
# dues are for). Headings are compared after `_norm` (no spaces, no "(元)" suffix).
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "id": ("编号", "党员编号"),
        "name": ("姓名", "党员姓名"),
        "gender": ("性别",),
        "joined": ("入党时间", "入党日期", "入党年月日"),
        "status": ("党员类别", "人员类别", "党籍状态", "党员身份", "政治面貌"),
        "confirmed": ("转正时间", "转正日期"),
        "post": ("岗位", "职务", "工作岗位", "岗位职务", "部门及职务", "工作单位及职务", "单位及职务", "现工作单位及职务"),
        "unit": ("工作单位", "现工作单位", "所在单位", "单位"),
        "group": ("党小组", "所在党小组"),
        "left": ("转出日期", "转出时间"),
        "phone": ("手机号码", "手机号", "手机", "联系电话", "电话"),
        "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
        "address": ("家庭住址", "住址", "家庭地址", "现住址"),
        "dues_base": ("党费基数", "月收入", "党费计算基数"),
        "review_grade": ("民主评议等次", "评议等次", "民主评议结果"),
        "discipline": ("纪律处分情况", "纪律处分", "处分情况"),
    },
    "points": {
        "date": ("日期", "积分日期", "得分日期", "时间"),
        "member": ("姓名", "党员", "党员姓名"),
        "member_id": ("党员编号",),
        "indicator": ("指标", "指标代码", "积分指标", "积分项目", "评价指标", "项目", "考核项目", "加减分项目", "积分内容"),
        "points": ("分值", "积分", "得分", "分数", "加减分", "积分分值"),
        "note": ("事项", "事由", "积分事由", "事项说明", "说明", "备注", "备注说明", "情况说明", "具体事由"),
        "ref": ("相关活动编号", "活动编号", "相关活动"),
    },
    "dues": {
        "member": ("姓名", "党员", "党员姓名", "缴费人", "交纳人"),
        "member_id": ("党员编号",),
        "paid_at": ("缴费时间", "交纳时间", "缴纳时间", "支付时间", "交费时间", "缴费日期时间"),
        "paid_on": ("缴纳日期", "缴费日期", "交纳日期", "交费日期", "支付日期"),
        "amount": ("金额", "缴费金额", "交纳金额", "缴纳金额", "实缴金额", "实交金额"),
        "month": ("所属月份", "党费月份", "缴费月份", "交纳月份", "所属期", "月份", "所属月"),
        "year": ("年份", "年度", "所属年份", "缴费年份"),
    },
    "activities": {
        "date": ("日期", "活动日期", "时间", "活动时间", "会议时间"),
        "type": ("活动类型", "类型", "会议类型", "活动形式"),
        "title": ("主题", "活动主题", "会议主题", "活动名称", "会议名称"),
        "place": ("地点", "活动地点", "会议地点"),
        "host": ("主持人", "主持", "主办人"),
        "leader": ("领学人",),
        "speaker": ("主讲人", "授课人"),
        "first_topic": ("第一议题",),
        "recorder": ("记录人",),
        "attendees": ("参加人员", "出席人员", "参会人员", "参加人"),
        "absent": ("缺席人员", "缺席"),
        "wuyou": ("五有", "五有落实", "五有落实情况"),
        "summary": ("内容纪要", "纪要", "主要内容", "活动内容", "内容"),
    },
    "attendance": {
        "member": ("姓名", "党员姓名", "党员"),
        "member_id": ("党员编号",),
        "sign": ("签到", "签名", "本人签字", "签字", "签到情况", "出席情况", "是否参加", "是否出席", "签到栏"),
        "reason": ("请假原因", "缺席原因", "备注", "说明"),
    },
}

# Columns a branch's export often has that are not imported, each with the true reason the user is told.
_NOT_ON_SITE = "网站没有这一项"
_ROW_NUMBER = "只是行号"
_THIS_BRANCH = "导入的就是本支部"
IGNORED_HEADINGS: dict[str, str] = {
    "序号": _ROW_NUMBER, "行号": _ROW_NUMBER,
    "出生日期": _NOT_ON_SITE, "出生年月": _NOT_ON_SITE, "民族": _NOT_ON_SITE, "籍贯": _NOT_ON_SITE,
    "学历": _NOT_ON_SITE, "学位": _NOT_ON_SITE, "参加工作时间": _NOT_ON_SITE, "工号": _NOT_ON_SITE, "部门": _NOT_ON_SITE,
    "所在支部": _THIS_BRANCH, "支部": _THIS_BRANCH, "所在党支部": _THIS_BRANCH, "党组织名称": _THIS_BRANCH,
    "缴费方式": _NOT_ON_SITE, "支付方式": _NOT_ON_SITE, "订单号": _NOT_ON_SITE, "交易流水号": _NOT_ON_SITE,
    "应缴金额": "应缴金额反映个人收入，不存入数据文件", "缴费状态": "是否交纳已由缴费时间是否为空表示",
    "状态": "是否交纳已由缴费时间是否为空表示",
    # the other labels of a 党员信息采集表
    "毕业院校": _NOT_ON_SITE, "入党介绍人": _NOT_ON_SITE, "简历": _NOT_ON_SITE, "填表日期": _NOT_ON_SITE, "填表人": _NOT_ON_SITE,
    "照片": "照片请放在 content/ 下，由活动记录的 photos 引用",
    "家庭主要成员": "属于个人隐私（家庭情况），网站永不保存", "奖惩情况": "表彰请记入积分台账（表彰荣誉），处分请写入纪律处分情况",
    "合计": "网站按交纳记录自己合计", "小计": "网站按交纳记录自己合计", "全年合计": "网站按交纳记录自己合计",
}
# Keys read from a sheet that are no field of a record: a member's 编号 in a points or dues sheet,
# the month dues are for, and the date a probationary member became a full one (it sets 党员类别).
# A dues sheet may give only the day of payment (paid_on) and the year apart from the month.
PSEUDO_KEYS = {"member_id": ("党员编号", "id"), "month": ("所属月份", "month"), "confirmed": ("转正时间", "date"),
               "paid_on": ("缴纳日期", "day"), "year": ("年份", "year"), "sign": ("签到", "sign"),
               "unit": ("工作单位", "str")}
# How a day without a time of payment is written: the day's last minute, so that the payment is never
# counted earlier than it was; whether it was on time (within the month) does not depend on the minute.
DAY_ONLY_TIME = dt.time(23, 59)
TICKS = ("√", "✓", "✔", "☑", "是", "已交", "已缴")

GENDER_ALIASES = {"男性": "男", "女性": "女"}
# 政治面貌 as party systems export it; the other values of that column name people who are not members.
STATUS_ALIASES = {"正式": "正式党员", "预备": "预备党员", "中共党员": "正式党员", "中共正式党员": "正式党员",
                  "中国共产党党员": "正式党员", "中共预备党员": "预备党员", "中国共产党预备党员": "预备党员"}
NOT_MEMBERS = ("群众", "共青团员", "中共团员", "民主党派", "无党派人士", "无党派")

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                        r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?(?:\.\d+)?)?$")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff·]+(?:\s+[\u4e00-\u9fff·]+)*")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")


# -- reading a sheet ------------------------------------------------------------------

@dataclass
class Table:
    """The cells of one sheet, with enough to name a cell as the user sees it."""

    display: str  # the file name as the user typed it
    sheet: str | None  # None for CSV
    rows: list[list[Any]]  # rows[0] is row 1
    encoding: str | None = None
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, for a hint
    # a sheet of another layout read as a plain table (layouts.py): each cell's place in the sheet itself
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> str:
        """`C12` (row 1-based, col 0-based), the cell as the user finds it in the sheet."""
        row, col = self.origin.get((row, col), (row, col))
        return f"{column_letter(col)}{row}"

    def ref(self, row: int, col: int) -> str:
        """`FILE.xlsx:Sheet!C12` (row 1-based, col 0-based); `FILE.csv:C12` for CSV."""
        cell = self.cell(row, col)
        return f"{self.display}:{self.sheet}!{cell}" if self.sheet is not None else f"{self.display}:{cell}"


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class SheetError(Exception):
    """The sheet cannot be read at all (not a cell's problem)."""


def decode_csv(raw: bytes, display: str) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (BOM or not) strictly first, then GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8（带 BOM）"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030（GBK）"
    except UnicodeDecodeError:
        raise SheetError(f"{display}: 无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）："
                           "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入")


def _without_trailing_blanks(row: list[Any]) -> list[Any]:
    width = len(row)
    while width and _blank(row[width - 1]):
        width -= 1
    return row[:width]


def _ooxml_text(value: Any) -> Any:
    """Excel writes a character XML cannot hold (U+000B from Word's Shift+Enter) as `_x000B_`;
    openpyxl leaves the escape in the text, where no check would see the character."""
    if isinstance(value, str) and "_x" in value:
        from openpyxl.utils.escape import unescape

        return unescape(value)
    return value


def bounded_rows(rows: Iterable[Sequence[Any]], display: str, sheet: str | None,
                 clean: Callable[[Any], Any] | None = None) -> list[list[Any]]:
    """The rows of a sheet, read one at a time, without trailing blank cells and rows.

    A cell far outside any roster or ledger (a stray keystroke at XFD1048576, or a sheet
    made to exhaust memory) stops the reading with a message, before anything is kept.
    """
    out: list[list[Any]] = []
    for number, row in enumerate(rows, start=1):
        if not row:
            continue
        if number > MAX_ROWS or len(row) > MAX_COLUMNS:
            cell = f"{column_letter(len(row) - 1)}{number}"
            where = f"{display}:{sheet}!{cell}" if sheet is not None else f"{display}:{cell}"
            what = f"工作表“{sheet}”" if sheet is not None else "这个文件"
            raise SheetError(f"{where}: {what}在第 {number} 行、{column_letter(len(row) - 1)} 列还有内容或格式，远远超出一份名册或台账的范围"
                             f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），无法导入：请只选中有数据的行和列，"
                             "复制到一个新的工作表（或新文件）再导入")
        kept = _without_trailing_blanks(list(row))
        if kept:
            if clean is not None:
                kept = [clean(v) for v in kept]
            out.extend([] for _ in range(number - 1 - len(out)))
            out.append(kept)
    return out


def read_table(path: Path, display: str, sheet_name: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SheetError(f"{display}: 找不到这个文件：请检查文件名和所在文件夹")
    if suffix == ".csv":
        if sheet_name is not None:
            raise SheetError(f"{display}: CSV 文件只有一张表，不用写 --sheet")
        text, encoding = decode_csv(path.read_bytes(), display)
        # an empty CSV field is nothing at all (no formatting): trailing ones do not widen the row
        fields = (_without_trailing_blanks(r) for r in csv.reader(io.StringIO(text, newline="")))
        return Table(display, None, bounded_rows(fields, display, None), encoding)
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, data_only=True, read_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SheetError(f"{display}: 无法打开这个 Excel 文件（{type(exc).__name__}）：请用 Excel 打开确认后另存为 .xlsx 再导入")
        try:
            names = tuple(book.sheetnames)
            if sheet_name is not None and sheet_name not in names:
                raise SheetError(f"{display}: 没有名为“{sheet_name}”的工作表：这个文件的工作表有 {'、'.join(names)}")
            sheet = book[sheet_name] if sheet_name is not None else book.worksheets[0]
            # The declared size (`<dimension ref="A1:XFD1048576"/>`) is whatever the writing program
            # claims; trusting it pads every row to it. Without it a row is as wide as its last cell.
            sheet.reset_dimensions()
            rows = bounded_rows(sheet.iter_rows(values_only=True), display, sheet.title, _ooxml_text)
            return Table(display, sheet.title, rows, sheets=names)
        finally:
            book.close()
    if suffix == ".xls":
        raise SheetError(f"{display}: 不支持旧版 .xls 格式：请在 Excel 中“另存为 → Excel 工作簿（.xlsx）”后再导入")
    raise SheetError(f"{display}: 只能导入 .xlsx 或 .csv 文件")


# -- headings -------------------------------------------------------------------------

def _norm(heading: Any) -> str:
    text = unicodedata.normalize("NFKC", str(heading or ""))
    text = re.sub(r"\(.*?\)", "", text)  # 金额(元) -> 金额 (NFKC turned （） into ())
    return re.sub(r"\s+", "", text).lstrip("*").lower()


@dataclass
class Columns:
    header_row: int  # 1-based
    by_key: dict[str, int]  # field key -> column
    headings: dict[int, str]  # column -> heading text as written
    ignored: list[tuple[str, str]]  # (heading, why it is not imported)


def field_of(kind: str, key: str) -> spec.Field | None:
    return ROW_SHAPES[kind].by_key.get(key)


def key_labels(kind: str) -> dict[str, str]:
    out = {}
    for key in HEADINGS[kind]:
        f = field_of(kind, key)
        out[key] = f.label if f else PSEUDO_KEYS[key][0]
    return out


WORDS_SECTION = "指标"


def read_mapping(path: Path, display: str, kind: str, words: dict[str, str] | None = None,
                 evaluation: Evaluation | None = None) -> tuple[dict[str, str | None], list[str]]:
    """A mapping file: `表格里的列名: 字段` (spec key or its Chinese label; `忽略` or empty to skip),
    and for a points ledger a section `指标:` of `本支部的说法: 指标名称、代码或扣分`, kept in `words`."""
    parsed = read_yaml(path, display) if path.is_file() else None
    if parsed is None:
        return {}, [f"{display}: 找不到映射文件：请检查文件名"]
    errors = [str(p) for p in parsed.problems]
    node = parsed.value
    if errors:
        return {}, errors
    if not isinstance(node, dict):
        return {}, [f"{display}:1: 映射文件应写成若干“表格列名: 字段”，如 “人员姓名: name”"]
    assert isinstance(node, YDict)  # yamlio reads every mapping into a YDict, with the line of each key
    labels = key_labels(kind)
    by_label = {v: k for k, v in labels.items()}
    out: dict[str, str | None] = {}
    for heading, target in node.items():
        line = node.line_of(heading)
        if str(heading).strip() == WORDS_SECTION and isinstance(target, YDict):
            errors.extend(_read_words(target, display, kind, words, evaluation))
            continue
        if target is None or str(target).strip() in ("", "忽略", "ignore"):
            out[_norm(heading)] = None
            continue
        text = str(target).strip()
        # the field's key, its label, or any usual heading of it (人员姓名: 姓名 in a points sheet too)
        key = text if text in labels else by_label.get(text) or {h: k for k, hs in HEADINGS[kind].items() for h in hs}.get(text)
        if key is None:
            choices = "、".join(f"{k}（{v}）" for k, v in labels.items())
            errors.append(f"{display}:{line}: “{heading}”要对应的“{text}”不是{KIND_LABELS[kind]}的字段：可用的有 {choices}")
            continue
        out[_norm(heading)] = key
    return out, errors


def _read_words(node: YDict, display: str, kind: str, words: dict[str, str] | None,
                evaluation: Evaluation | None) -> list[str]:
    if kind != "points" or words is None:
        return [f"{display}:{node.line_of(next(iter(node), ''))}: “{WORDS_SECTION}:”一节只用于导入积分台账（points）：请删除这一节，或导入积分台账时再用"]
    errors = []
    for said, target in node.items():
        code = layouts.word_target(str(target or ""), evaluation)
        if code is None:
            names = "、".join(f"“{layouts.indicator_label(i)}”" for d in (evaluation.dimensions if evaluation else ())
                             for i in d.indicators)
            errors.append(f"{display}:{node.line_of(said)}: “{said}”要对应的“{target}”不是评价体系中的指标：请写指标名称或代码（{names}），扣分写“扣分”")
            continue
        words[re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(said)))] = code
    return errors


def find_columns(table: Table, kind: str, mapping: dict[str, str | None]) -> tuple[Columns | None, list[str]]:
    known: dict[str, str | None] = {_norm(h): key for key, hs in HEADINGS[kind].items() for h in hs}
    known.update(mapping)
    best, best_count = None, 0
    for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        count = sum(1 for cell in row if known.get(_norm(cell)))
        if count > best_count:
            best, best_count = index, count
    labels = key_labels(kind)
    if best is None or best_count < 2:
        return None, [no_heading(table, kind)]
    errors = []
    by_key: dict[str, int] = {}
    headings: dict[int, str] = {}
    ignored: list[tuple[str, str]] = []
    row = table.rows[best]
    for col, cell in enumerate(row):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        key = known.get(_norm(cell))
        if key is None:
            ignored.append((text, not_imported_reason(cell, mapping)))
            continue
        if key in by_key:
            errors.append(f"{table.ref(best + 1, col)}: “{text}”和 {column_letter(by_key[key])} 列都对应“{labels[key]}”：请删除或改名其中一列")
            continue
        by_key[key] = col
        headings[col] = text
    for key in _required(kind):
        if key not in by_key and not (key == "member" and "member_id" in by_key) and not (key == "paid_at" and "paid_on" in by_key):
            names = "、".join(HEADINGS[kind][key])
            errors.append(f"{table.display}: 缺少“{labels[key]}”列：表头应有 {names} 之一；列名不同时请用 --mapping 指定")
    return Columns(best + 1, by_key, headings, ignored), errors


def no_heading(table: Table, kind: str) -> str:
    """Why no heading row was found, with what the sheet does begin with and the import it looks made for."""
    wanted = "、".join(HEADINGS[kind][k][0] for k in _required(kind))
    first = next((i for i, row in enumerate(table.rows[:HEADER_SCAN_ROWS]) if row), None)
    seen = ""
    if first is not None:
        cells = [cell_text(c) for c in table.rows[first] if not _blank(c)]
        seen = f"（第 {first + 1} 行是“{'、'.join(cells[:6])}{'…' if len(cells) > 6 else ''}”）"

    def fits(other: str) -> int:
        known = {_norm(h) for hs in HEADINGS[other].values() for h in hs}
        return max((sum(1 for c in row if _norm(c) in known) for row in table.rows[:HEADER_SCAN_ROWS]), default=0)

    other = max((k for k in KINDS if k != kind), key=fits)
    hint = (f"；这张表看起来是{KIND_LABELS[other]}：请用 dangjian import {other}" if fits(other) >= 2 else "")
    return (f"{table.display}: 在前 {HEADER_SCAN_ROWS} 行找不到{KIND_LABELS[kind]}的表头{seen}：表头应包含 {wanted} 等列；"
            f"列名不同时请用 --mapping 指定，如“人员姓名: 姓名”{hint}")


def not_imported_reason(heading: Any, mapping: dict[str, str | None]) -> str:
    norm = _norm(heading)
    if norm in mapping:
        return "映射文件写明忽略"
    reasons = {_norm(h): why for h, why in IGNORED_HEADINGS.items()}
    return reasons.get(norm, "不认识这个列名，要导入请用 --mapping 指定它对应的字段")


def not_imported_line(ignored: list[tuple[str, str]]) -> str:
    """`未导入的列：民族、籍贯（网站没有这一项）；序号（只是行号）`: each column with its own reason."""
    by_reason: dict[str, list[str]] = {}
    for heading, why in ignored:
        by_reason.setdefault(why, []).append(heading)
    return "未导入的列：" + "；".join(f"{'、'.join(hs)}（{why}）" for why, hs in by_reason.items())


def recognise_layout(table: Table, kind: str, mapping: dict[str, str | None]) -> tuple[Table, layouts.Reshaped | None]:
    """The sheet as the plain table the rest reads, when it is laid out otherwise (layouts.py)."""
    known = {_norm(h): key for key, hs in HEADINGS[kind].items() for h in hs} | mapping
    reshaped = None
    if kind == "dues":
        def member_key(cell: Any) -> str | None:
            key = known.get(_norm(cell)) if isinstance(cell, str) else None
            return key if key in ("member", "member_id") else None

        reshaped = layouts.dues_register(table.rows, member_key, table.sheet, table.display)
    if kind == "roster":
        ignored = {_norm(h) for h in IGNORED_HEADINGS}
        reshaped = layouts.person_form(table.rows, lambda cell: known.get(_norm(cell)),
                                       lambda cell: _norm(cell) in ignored, table.sheets, table.sheet)
    if kind == "attendance":
        reshaped = layouts.side_by_side(table.rows, lambda cell: known.get(_norm(cell)) == "member")
    if reshaped is None:
        return table, None
    return dataclasses.replace(table, rows=reshaped.rows, origin=reshaped.origin), reshaped


def _required(kind: str) -> tuple[str, ...]:
    return {"roster": ("name", "joined"), "points": ("date", "member", "indicator", "points"),
            "dues": ("member", "paid_at"), "activities": ("date", "type", "title"), "attendance": ("member", "sign")}[kind]


# -- cell values ----------------------------------------------------------------------

class CellError(Exception):
    pass


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def cell_date(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    # Excel keeps 2021.10 typed in a number cell as 2021.1: a year and month is read with two decimals
    text = f"{value:.2f}" if isinstance(value, float) and not value.is_integer() else unicodedata.normalize("NFKC", cell_text(value))
    m = _DATE_TEXT.match(text)
    if m and not m.group(4) or m and int(m.group(4)) == 0 and int(m.group(5)) == 0:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise CellError(f"“{label}”“{text}”不是日历上存在的日期：请核对月份和日")
    if m:
        raise CellError(f"“{label}”只要日期，不要时刻，实际是“{text}”：请改成如 2026-09-15")
    month = year_month(text)
    if month is not None:  # 2021.07: the 1st of the month (read_rows says so in a note)
        return month
    raise CellError(f"“{label}”应是日期，如 2026-09-15，实际是“{text}”：请改成 年-月-日 的写法，或把单元格设为日期格式")


def year_month(text: str) -> dt.date | None:
    """The first day of a year-and-month cell (2021.07, 2021-07, 2021年7月), or None."""
    m = _MONTH_TEXT.match(text)
    month = int(m.group(2) or m.group(3)) if m else 0
    return dt.date(int(m.group(1)), month, 1) if m and 1 <= month <= 12 else None


def cell_datetime(value: Any, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, dt.date):
        raise CellError(f"“{label}”只有日期、缺少时刻：请写成如 2026-09-01 00:05（零点行动按分钟统计）")
    text = unicodedata.normalize("NFKC", cell_text(value))
    m = _DATE_TEXT.match(text)
    if not m:
        raise CellError(f"“{label}”应是日期和时刻，如 2026-09-01 00:05，实际是“{text}”：请改正")
    if not m.group(4):
        raise CellError(f"“{label}”只有日期、缺少时刻：请写成如 2026-09-01 00:05（零点行动按分钟统计）")
    try:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)),
                           int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
    except ValueError:
        raise CellError(f"“{label}”“{text}”不是存在的日期或时刻：请核对月、日（小时 0–23，分钟 0–59）")


def cell_month(value: Any, label: str) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = unicodedata.normalize("NFKC", cell_text(value))
    m = _MONTH_TEXT.match(text)
    month = int(m.group(2) or m.group(3)) if m else 0
    alone = re.fullmatch(r"(\d{1,2})\s*月?份?", text)
    if alone and 1 <= int(alone.group(1)) <= 12:  # 9 or 9月 beside a 年份 column: to_records adds the year
        return f"{int(alone.group(1)):02d}"
    if not m or not 1 <= month <= 12:
        raise CellError(f"“{label}”应是年月，如 2026-09，实际是“{text}”：请改正")
    return f"{int(m.group(1)):04d}-{month:02d}"


def cell_day(value: Any, label: str) -> dt.date | dt.datetime:
    """The day of a payment, with its time when the cell has one (a date cell of Excel reads as midnight)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None) if value.time() != dt.time(0) else value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError(f"“{label}”这一格是数字“{cell_text(value)}”（像是金额），不是交纳日期：网站按交纳日期判断是否按时交纳，"
                        "请写交纳日期，如 2026-03-05")
    text = unicodedata.normalize("NFKC", cell_text(value))
    if text in TICKS:
        raise CellError(f"“{label}”这一格只写了“{text}”，没有交纳日期：网站按交纳日期判断是否按时交纳，请写交纳日期，如 2026-03-05")
    m = _DATE_TEXT.match(text)
    if m and m.group(4):
        return cell_datetime(value, label)
    return cell_date(value, label)


def cell_number(value: Any, label: str, minimum: float | None) -> int | float:
    if isinstance(value, bool):
        raise CellError(f"“{label}”应是数字，实际是“{cell_text(value)}”")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = unicodedata.normalize("NFKC", cell_text(value))
        cleaned = re.sub(r"[¥￥,元分\s]", "", text)
        try:
            number = float(cleaned)
        except ValueError:
            raise CellError(f"“{label}”应是数字，实际是“{text}”：请只写数字，如 1 或 0.5")
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if minimum is not None and number < minimum:
        raise CellError(f"“{label}”不能小于 {minimum:g}，这里是 {number}")
    return number


def convert(kind: str, key: str, value: Any) -> Any:
    """One cell to the value a data file holds; raises CellError with a Chinese message."""
    f = field_of(kind, key)
    label = f.label if f else key_labels(kind)[key]
    fkind = f.kind if f else PSEUDO_KEYS[key][1]
    if fkind == "date":
        return cell_date(value, label)
    if fkind == "datetime":
        return cell_datetime(value, label)
    if fkind == "month":
        return cell_month(value, label)
    if fkind == "day":
        return cell_day(value, label)
    if fkind == "sign":  # a tick, a signature or 请假: attendance_records reads it
        return cell_text(value)
    if fkind == "year":
        year = cell_number(value, label, None)
        if not (isinstance(year, int) and 1950 <= year <= 2100):
            raise CellError(f"“{label}”应是四位数的年份，如 2026，实际是“{cell_text(value)}”")
        return year
    if fkind in ("int", "number"):
        if key == "points":  # a negative number is a deduction (to_records makes it 扣分 and positive)
            return cell_number(value, label, None)
        return cell_number(value, label, f.minimum if f else None)
    text = cell_text(value)
    if key in ("name", "member") and _CJK_NAME.fullmatch(text):
        text = re.sub(r"\s+", "", text)  # 王　伟 aligned with a full-width space in the sheet is 王伟
    if key in ("id_number", "phone") and isinstance(value, float) and not value.is_integer():
        raise CellError(f"“{label}”被 Excel 当成了数字（{value}），末几位可能已丢失：请把这一列设为“文本”格式后重新录入")
    if key == "id_number" and isinstance(value, (int, float)) and len(text) >= 16:
        raise CellError(f"“{label}”被 Excel 当成了数字，18 位号码的末几位会丢失：请把这一列设为“文本”格式后重新录入")
    if fkind == "choice":
        text = GENDER_ALIASES.get(text, STATUS_ALIASES.get(text, text))
        if key == "type":
            from generator.tools.import_activities import activity_type

            text = activity_type(text)
        if key == "status" and text in NOT_MEMBERS:
            raise CellError(f"“{label}”是“{text}”，不是党员：党员名册只收本支部党员，请删除这一行")
        assert f is not None  # every choice is a field of spec.py: PSEUDO_KEYS has none
        if text not in f.choices:
            raise CellError(f"“{label}”“{text}”不是可选的值：请写 {'、'.join(f.choices)} 之一")
        return text
    if fkind == "id" and f is None:  # 党员编号 in a points or dues sheet, found in the roster later
        if not re.match(spec.ID_PATTERN, text):
            raise CellError(f"“{label}”“{text}”只能由英文字母、数字、- 和 _ 组成，如 m01")
        return text
    if fkind == "str" and "\n" in text:
        raise CellError(f"“{label}”应是一行文字：请删除单元格里的换行")
    return text


def field_checked(kind: str, key: str, value: Any) -> Any:
    """`value` after the checks a hand-written data file gets (load/fields.py), so that a sheet
    from elsewhere is held to the same rules as YAML; raises CellError with their messages."""
    f = field_of(kind, key)
    if f is None or f.kind in ("member", "members", "object"):  # names and 五有 are read into ids and keys later
        return value
    control = first_control(value) if isinstance(value, str) else None
    if control is not None:  # in a YAML file the reader refuses these before the fields are checked
        raise CellError(f"这个单元格里有一个看不见的控制字符 {control_name(control)}")
    checker = Checker("")
    checked = checker.value(value, f, 0)
    if checker.problems:
        raise CellError("；".join(problem.message for problem in checker.problems))
    return value if checked is None else checked


# -- rows into records ------------------------------------------------------------------

@dataclass
class Row:
    number: int  # 1-based row in the sheet
    values: dict[str, Any]  # field key -> clean value
    cols: dict[str, int]  # field key -> column


@dataclass
class Record:
    """A record bound for one data file, with where it came from."""

    rel: str  # data/points/2026-09.yml
    key: tuple  # identity within its file
    fields: dict[str, Any]  # ordered as written
    row: Row
    names: dict[str, str] = field(default_factory=dict)  # member id -> name, for a comment
    remarks: dict[str, str] = field(default_factory=dict)  # field key -> a comment on its line
    soft: tuple[str, ...] = ()  # fields written for a new record only, never compared with an existing one


def read_rows(table: Table, kind: str, cols: Columns, keep_private: bool, errors: list[str],
              notes: list[str] | None = None) -> list[Row]:
    """The sheet's rows as clean values; cell mistakes go to `errors`, guesses the user should see to `notes`."""
    private = {f.key for f in ROW_SHAPES[kind].fields if f.private}
    rows = []
    for index in range(cols.header_row, len(table.rows)):
        raw = table.rows[index]
        number = index + 1
        cells = {key: (raw[col] if col < len(raw) else None) for key, col in cols.by_key.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        first = next((cell_text(v) for v in raw if not _blank(v)), "")
        if first in TOTAL_ROW_WORDS:
            continue
        values: dict[str, Any] = {}
        for key, value in cells.items():
            # a 签到表's 请假原因 says who was excused; attendance_records keeps the reason only with --keep-private
            if key in private and not keep_private and kind != "attendance":
                continue
            col = cols.by_key[key]
            if _blank(value):
                # an empty date of payment is a member who has not paid (to_records counts them)
                if key in _required(kind) and not (key == "member" and "member_id" in cols.by_key) and key not in ("paid_at", "sign"):
                    label = key_labels(kind)[key]
                    errors.append(f"{table.ref(number, col)}: “{label}”是空的：请填写，或删除这一行")
                continue
            try:
                converted = convert(kind, key, value)
                if key == "points" and converted < 0:  # a deduction: held to the same checks as its positive points
                    values[key] = -field_checked(kind, key, -converted)
                else:
                    values[key] = field_checked(kind, key, converted)
            except CellError as exc:
                errors.append(f"{table.ref(number, col)}: {exc}")
                continue
            text = f"{value:.2f}" if isinstance(value, float) and not value.is_integer() else unicodedata.normalize("NFKC", cell_text(value))
            if notes is not None and isinstance(values[key], dt.date) and not isinstance(value, dt.date) and year_month(text):
                label = key_labels(kind)[key]
                notes.append(f"{table.ref(number, col)}: “{label}”“{text}”只有年月，按 {values[key]}（当月 1 日）导入；知道具体日期的请改正")
            if notes is not None and looks_like_formula(kind, key, values[key]):
                label = key_labels(kind)[key]
                notes.append(f"{table.ref(number, col)}: “{label}”“{values[key]}”以“{values[key][0]}”开头，"
                             "在 Excel 或 WPS 里可能被当成公式执行（如点击后把数据发往别处的链接）：请核对这一格是否本该如此；"
                             "dangjian 导出的表格总把它当作文字")
        rows.append(Row(number, values, dict(cols.by_key)))
    return rows


def looks_like_formula(kind: str, key: str, value: Any) -> bool:
    """A name or text that a spreadsheet program would run as a formula if it were typed into a cell.
    Private fields never reach a workbook (and a phone number may well start with +)."""
    f = field_of(kind, key)
    return (f is not None and f.kind in ("str", "text", "member") and not f.private and isinstance(value, str)
            and len(value) > 1 and value.startswith(FORMULA_STARTS))


def _members_index(branch: Branch) -> tuple[dict[str, str], dict[str, list[str]]]:
    names = {m.id: m.name for m in branch.members}
    by_name: dict[str, list[str]] = {}
    for m in branch.members:
        by_name.setdefault(m.name, []).append(m.id)
    return names, by_name


def resolve_member(row: Row, table: Table, branch: Branch, errors: list[str]) -> str | None:
    names, by_name = _members_index(branch)
    member_id = row.values.get("member_id")
    name = row.values.get("member")
    if member_id is not None:
        if member_id not in names:
            errors.append(f"{table.ref(row.number, row.cols['member_id'])}: 党员编号“{member_id}”不在党员名册 data/members.yml 中：请核对编号，或先导入名册")
            return None
        if name is not None and names[member_id] != name:
            errors.append(f"{table.ref(row.number, row.cols['member'])}: 编号 {member_id} 在名册中是“{names[member_id]}”，表格写的是“{name}”：请核对是谁")
            return None
        return member_id
    if name is None:
        return None
    found = by_name.get(name, [])
    if not found:
        errors.append(f"{table.ref(row.number, row.cols['member'])}: “{name}”不在党员名册 data/members.yml 中：请核对姓名，或先用 dangjian import roster 导入名册")
        return None
    if len(found) > 1:
        errors.append(f"{table.ref(row.number, row.cols['member'])}: 名册中有 {len(found)} 名党员叫“{name}”（{'、'.join(found)}）：请在表格中加一列“党员编号”写明是谁")
        return None
    return found[0]


def probation_agrees(v: dict[str, Any], row: Row, table: Table, errors: list[str]) -> bool:
    """A 转正时间 makes the member a full one: it fills an empty 党员类别 and must agree with a written one."""
    confirmed = v["confirmed"]
    if confirmed < v["joined"]:
        errors.append(f"{table.ref(row.number, row.cols['confirmed'])}: 转正时间 {confirmed} 早于入党时间 {v['joined']}：请核对这两格")
        return False
    if v.get("status") == "预备党员":
        errors.append(f"{table.ref(row.number, row.cols['status'])}: 写的是“预备党员”，但已有转正时间 {confirmed}：已转正的请改为“正式党员”（或“中共党员”），未转正的请清空转正时间")
        return False
    v["status"] = "正式党员"
    return True


def _next_ids(branch: Branch):
    """m25, m26, … following the roster's own numbering."""
    pattern = re.compile(r"^([A-Za-z]+)(\d+)$")
    found = [m for m in (pattern.match(member.id) for member in branch.members) if m]
    prefixes = [m.group(1) for m in found]
    prefix = max(set(prefixes), key=prefixes.count) if prefixes else "m"
    same = [m for m in found if m.group(1) == prefix]
    width = max((len(m.group(2)) for m in same), default=2)
    number = max((int(m.group(2)) for m in same), default=0)
    used = {m.id for m in branch.members}
    while True:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in used:
            used.add(candidate)
            yield candidate


def points_row(row: Row, table: Table, branch: Branch, words: dict[str, str],
               errors: list[str]) -> tuple[str | None, int | float, str | None]:
    """A ledger row's indicator, points and note. An item in words (参加主题党日) is matched to its
    indicator and kept as the note when the row has none; a negative number is a deduction, which
    the data file writes as 扣分 with the points positive and the item's words in the note."""
    v = row.values
    item, points, note = v.get("indicator"), v.get("points", 0), v.get("note")
    if item is None:
        return None, points, note
    match = layouts.match_indicator(item, branch.evaluation, words)
    deduction = points < 0 or match.code == DEDUCTION
    if match.code is None and not deduction:
        errors.append(f"{table.ref(row.number, row.cols['indicator'])}: {match.problem}")
        return None, points, note
    if deduction:
        said = None if layouts.DEDUCTION_WORDS.fullmatch(item) else item
        return DEDUCTION, abs(points), "：".join(t for t in (said, note) if t) or None
    return match.code, points, note if note or not match.by_words else item


def to_records(kind: str, rows: list[Row], table: Table, branch: Branch, keep_private: bool,
               errors: list[str], words: dict[str, str] | None = None, notes: list[str] | None = None) -> list[Record]:
    if kind in ("activities", "attendance"):
        from generator.tools import import_activities

        if kind == "activities":
            return import_activities.activity_records(rows, table, branch, errors)
        recorded = {(a.date, a.type) for a in branch.activities}
        return import_activities.attendance_records(rows, table, branch, keep_private, errors,
                                                    notes if notes is not None else [], recorded)
    names, by_name = _members_index(branch)
    records: list[Record] = []
    seen: dict[tuple, int] = {}

    def once(key: tuple, row: Row, col_key: str, what: str) -> bool:
        if key in seen:
            errors.append(f"{table.ref(row.number, row.cols.get(col_key, 0))}: 与第 {seen[key]} 行重复（{what}）：请删除重复的一行")
            return False
        seen[key] = row.number
        return True

    unpaid: list[tuple[str, str]] = []  # (cell, "F5 张示例 2026-09")
    day_only: list[str] = []
    if kind == "roster":
        new_ids = _next_ids(branch)
        order = [f.key for f in spec.MEMBER.fields if keep_private or not f.private]
        for row in rows:
            v = row.values
            if "name" not in v or "joined" not in v:
                continue
            if "confirmed" in v and not probation_agrees(v, row, table, errors):
                continue
            if "unit" in v:  # a party system's 工作单位 beside its 职务: the post is both (财务部科长)
                v["post"] = v.get("post", "") if v.get("post", "").startswith(v["unit"]) else v["unit"] + v.get("post", "")
                row.cols.setdefault("post", row.cols["unit"])
            if "id" in v:
                member_id = v["id"]
                if not once(("id", member_id), row, "id", f"编号 {member_id}"):
                    continue
            else:
                if not once(("name", v["name"]), row, "name",
                            f"姓名“{v['name']}”；若是两名同名党员，请加一列“党员编号”区分"):
                    continue
                existing = by_name.get(v["name"], [])
                if len(existing) > 1:
                    errors.append(f"{table.ref(row.number, row.cols['name'])}: 名册中已有 {len(existing)} 名党员叫“{v['name']}”（{'、'.join(existing)}）：请加一列“党员编号”写明是谁")
                    continue
                member_id = existing[0] if existing else next(new_ids)
            values = {"id": member_id, **{k: v[k] for k in order if k in v and k != "id"}}
            records.append(Record("data/members.yml", (member_id,), values, row))
        return records

    for row in rows:
        member = resolve_member(row, table, branch, errors)
        v = row.values
        if kind == "points":
            indicator, points, note = points_row(row, table, branch, words or {}, errors)
            if member is None or indicator is None or not {"date", "points"} <= v.keys():
                continue
            key: tuple = (v["date"], member, indicator, note or "")
            assert branch.evaluation is not None  # load_project reports a problem when a branch has none (a missing file falls back to the default)
            named = {member: names[member], **{i.code: i.name for d in branch.evaluation.dimensions for i in d.indicators
                                               if i.code == indicator}}
            said = f"{named[indicator]}（{indicator}）" if indicator in named else indicator
            if not once(key, row, "member" if "member" in row.cols else "member_id",
                        f"{names[member]} {v['date']} {said}{' ' + note if note else ''}"):
                continue
            values = {"date": v["date"], "member": member, "indicator": indicator, "points": points}
            if note:
                values["note"] = note
            if v.get("ref"):
                values["ref"] = v["ref"]
            rel = f"data/points/{v['date']:%Y-%m}.yml"
            records.append(Record(rel, key, values, row, named))
        else:
            paid_col = row.cols.get("paid_at", row.cols.get("paid_on", 0))
            paid, month, remarks = dues_row(row, table, errors)
            if member is None or month is False:
                continue
            if paid is None:  # an empty date is a member who has not paid: no record, as in a hand-written month
                unpaid.append((table.ref(row.number, paid_col), f"{table.cell(row.number, paid_col)} {names[member]}{' ' + month if month else ''}"))
                continue
            month = month or f"{paid:%Y-%m}"
            if f"{paid:%Y-%m}" < month:
                errors.append(f"{table.ref(row.number, paid_col)}: 交纳时间 {paid:%Y-%m-%d %H:%M} 早于所属月份 {month}：请核对")
                continue
            if remarks:
                day_only.append(table.ref(row.number, paid_col))
            key = (month, member)
            if not once(key, row, "member" if "member" in row.cols else "member_id",
                        f"{names[member]} {month} 月党费交纳了两次"):
                continue
            values = {"member": member, "paid_at": paid}
            if keep_private and "amount" in v:
                values["amount"] = v["amount"]
            records.append(Record(f"data/dues/{month}.yml", key, values, row, {member: names[member]}, remarks))
    if notes is not None and unpaid:
        notes.append(f"{unpaid[0][0]}: 有 {len(unpaid)} 条没有缴纳日期（{'；'.join(who for _ref, who in unpaid[:5])}"
                     f"{' 等' if len(unpaid) > 5 else ''}），记为未交纳：交纳记录只写已交纳的党员，网站按交纳人数统计交纳率；已交纳的请补上日期")
    if notes is not None and day_only:
        notes.append(f"{day_only[0]}: 有 {len(day_only)} 条只有缴纳日期、没有时刻，按当天 {DAY_ONLY_TIME:%H:%M} 记（数据文件里注明“表格只有日期”）："
                     "是否按时只看是否在所属月份内交纳，不受影响；零点行动月（zero_hour: true）按分钟统计，这些交纳只算当天交纳，"
                     "不计入前几分钟和第一小时：零点行动月请导入缴费平台带时刻的明细")
    return records


def dues_row(row: Row, table: Table, errors: list[str]) -> tuple[dt.datetime | None, str | None | Literal[False], dict[str, str]]:
    """A dues row's time of payment (None: not paid), the month it is for (False: a problem was told)
    and the remarks its record carries: a day without a time is that day's last minute, said in a comment."""
    v = row.values
    month = v.get("month")
    if month is not None and len(month) == 2:  # 9月 beside 年份 2026
        if "year" not in v:
            errors.append(f"{table.ref(row.number, row.cols['month'])}: “所属月份”只写了 {int(month)} 月，没有年份：请加一列“年份”，或写成 2026-{month}")
            return None, False, {}
        month = f"{v['year']:04d}-{month}"
    elif month is not None and "year" in v and month[:4] != f"{v['year']:04d}":
        errors.append(f"{table.ref(row.number, row.cols['year'])}: 年份 {v['year']} 与所属月份 {month} 不一致：请核对")
        return None, False, {}
    paid = v.get("paid_at") or v.get("paid_on")
    if isinstance(paid, dt.date) and not isinstance(paid, dt.datetime):
        return dt.datetime.combine(paid, DAY_ONLY_TIME), month, {"paid_at": f"表格只有日期，按当天 {DAY_ONLY_TIME:%H:%M} 记"}
    return paid, month, {}


# -- existing records -------------------------------------------------------------------

@dataclass
class Existing:
    node: YDict  # the record as read, with key lines
    values: dict[str, Any]  # clean values, references resolved to ids
    line: int


def _resolver(branch: Branch) -> Callable[[str], str | None]:
    names, by_name = _members_index(branch)

    def resolve(text: str) -> str | None:
        if text in names:
            return text
        found = by_name.get(text, [])
        return found[0] if len(found) == 1 else ("" if found else None)

    return resolve


def existing_records(root: Path, rel: str, kind: str, branch: Branch) -> dict[tuple, Existing]:
    path = root / rel
    if not path.exists():
        return {}
    return records_in(read_yaml(path, rel).value, rel, kind, branch)


def _record_list(node: Any, kind: str) -> YList | None:
    if kind == "dues":
        node = node.get("payments") if isinstance(node, dict) else None
    return node if isinstance(node, YList) else None


def records_in(node: Any, rel: str, kind: str, branch: Branch) -> dict[tuple, Existing]:
    """The records of one data file's text, by their identity within the file."""
    node = _record_list(node, kind)
    if node is None:
        return {}
    shape = RECORD_SHAPES[kind]
    checker = Checker(rel, _resolver(branch))
    out: dict[tuple, Existing] = {}
    for index, item in enumerate(node):
        if not isinstance(item, YDict):
            continue
        v = checker.record(item, shape, node.line_of(index)) or Clean()
        key: tuple
        if kind == "roster" and "id" in v:
            key = (v["id"],)
        elif kind == "points" and {"date", "member", "indicator"} <= v.keys():
            key = (v["date"], v["member"], v["indicator"], v.get("note") or "")
        elif kind == "dues" and "member" in v:
            key = (Path(rel).stem, v["member"])
        elif kind in ("activities", "attendance") and {"date", "type"} <= v.keys():
            key = (v["date"], v["type"])
        else:
            continue
        out.setdefault(key, Existing(item, v, node.line_of(index)))
    return out


@dataclass
class Change:
    key: str
    old: Any
    new: Any


def _comparable(value: Any) -> Any:
    """A value as read from a data file, in the form a sheet's value has: lists, not tuples or (record, line) pairs."""
    if isinstance(value, (list, tuple)):
        return [_comparable(v[0] if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], dict) else v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if v is not None}
    return value


def differences(record: Record, existing: Existing) -> list[Change]:
    out = []
    for key, new in record.fields.items():
        old = existing.values.get(key)
        if key in record.soft or _comparable(old) == _comparable(new):
            continue
        if old != new:
            out.append(Change(key, old, new))
    return out


# -- writing YAML text ---------------------------------------------------------------------

def _flow_item(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow_item(v)}" for k, v in value.items()) + "}"
    text = yaml_scalar(value)
    return text if re.fullmatch(r"[\w\u4e00-\u9fff.-]+", text) or text.startswith('"') else json.dumps(str(value), ensure_ascii=False)


def yaml_scalar(value: Any) -> str:
    if isinstance(value, (list, tuple)):  # a list of people or of excused members, on one line
        return "[" + ", ".join(_flow_item(v) for v in value) + "]"
    if isinstance(value, dict):
        return _flow_item(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text and text == text.strip() and "\n" not in text and "\t" not in text:
        ours = parse_yaml_text(f"k: {text}\n", "-")
        try:
            theirs = yaml.safe_load(f"k: {text}\n")
        except yaml.YAMLError:
            theirs = None
        if not ours.problems and ours.value == {"k": text} and theirs == {"k": text}:
            return text
    return json.dumps(text, ensure_ascii=False)


def render_record(values: dict[str, Any], indent: int, names: dict[str, str],
                  remarks: dict[str, str] | None = None) -> list[str]:
    lines = []
    for index, (key, value) in enumerate(values.items()):
        prefix = " " * indent + ("- " if index == 0 else "  ")
        line = f"{prefix}{key}: {yaml_scalar(value)}"
        if key in ("member", "indicator") and value in names and names[value] != value:
            line += f"    # {names[value]}"
        if remarks and key in remarks:
            line += f"    # {remarks[key]}"
        lines.append(line)
    return lines


def _header(kind: str, rel: str, source: str) -> str:
    stem = Path(rel).stem
    if kind == "roster":
        return ("# 党员名册：每人一项，以“- id:”开头。\n"
                f"# 由 dangjian import 从“{source}”导入，可以直接修改。\n"
                "# 手机号码、身份证号、住址、党费基数、民主评议等次、纪律处分情况只用于内部统计，网站上永不显示。\n")
    year, month = int(stem[:4]), int(stem[5:7])
    if kind in ("activities", "attendance"):
        return (f"# {year}年{month}月活动记录：每项活动一段，写 type（活动类型）、date（日期）、title（主题）等；人员写党员编号。\n"
                f"# 由 dangjian import 从“{source}”导入，可以直接修改；主题党日的 wuyou 写五有落实情况。\n")
    if kind == "points":
        return (f"# {year}年{month}月积分台账：每得一次分记一段，写日期、党员编号、指标代码、分值和事由。\n"
                f"# 由 dangjian import 从“{source}”导入。扣分的 indicator 写“扣分”，points 写扣几分（正数）。\n")
    return (f"# {year}年{month}月党费交纳记录：每名党员一段，写交纳时间（YYYY-MM-DD HH:MM）。\n"
            f"# 由 dangjian import 从“{source}”导入。金额属于个人隐私，网站只公布交纳人数和按时交纳率。\n"
            "# 零点行动月请在 payments 上面加一行 zero_hour: true。\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _list_layout(lines: list[str], item_lines: list[int]) -> tuple[int, bool]:
    """Column of the items' dash, and whether items are separated by a blank line."""
    if not item_lines:
        return 0, True
    first = lines[item_lines[0] - 1]
    dash = _indent(first)
    blank = len(item_lines) < 2 or not lines[item_lines[1] - 2].strip()
    return dash, blank


def _block_end(lines: list[str], start: int, indent: int, dash_ok: bool) -> int:
    """Index (0-based) after the last content line of the block opened at line index `start`."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        text = lines[index]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        col = _indent(text)
        if col > indent or (dash_ok and col == indent and stripped.startswith("-")):
            end = index + 1
            continue
        break
    return end


def append_records(text: str | None, kind: str, rel: str, records: list[Record], source: str) -> str:
    """The file's text with `records` appended, comments and layout kept."""
    if text is None:
        head = _header(kind, rel, source) + "\n"
        body = [] if kind != "dues" else ["payments:"]
        dash = 2 if kind == "dues" else 0
        chunks = []
        for r in records:
            chunks.append("\n".join(render_record(r.fields, dash, r.names, r.remarks)))
        joiner = "\n\n"
        out = head + ("\n".join(body) + "\n" if body else "") + joiner.join(chunks) + "\n"
        return out
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    parsed = parse_yaml_text(text, rel)
    node = parsed.value
    if kind == "dues":
        key_line = node.line_of("payments") - 1
        payments = node.get("payments")
        if not isinstance(payments, YList) or not payments:
            lines[key_line] = re.sub(r"payments:.*$", "payments:", lines[key_line])
            dash, blank, insert_at = _indent(lines[key_line]) + 2, True, key_line + 1
        else:
            dash, blank = _list_layout(lines, payments.item_lines)
            insert_at = _block_end(lines, key_line, _indent(lines[key_line]), dash_ok=dash == _indent(lines[key_line]))
    else:
        items = node.item_lines if isinstance(node, YList) else []
        if isinstance(node, YList) and not node:
            lines = [ln for ln in lines if ln.strip() != "[]"]
        dash, blank = _list_layout(lines, items)
        insert_at = len(lines)
        while insert_at > 0 and not lines[insert_at - 1].strip():
            insert_at -= 1
        insert_at = max(insert_at, 0)
    new: list[str] = []
    for r in records:
        if blank and (new or (insert_at > 0 and lines[insert_at - 1].strip() and not lines[insert_at - 1].rstrip().endswith(":"))):
            new.append("")
        new.extend(render_record(r.fields, dash, r.names, r.remarks))
    lines[insert_at:insert_at] = new
    return "\n".join(lines) + "\n"


_KEY_LINE = r"^(\s*(?:-\s+)?){key}:(\s*)(.*?)(\s+#.*)?$"


def update_records(text: str, updates: list[tuple[Existing, Record, list[Change]]]) -> tuple[str, list[str]]:
    """Apply changes to existing records in place, line by line; returns the text and refusals."""
    lines = text.split("\n")
    refused: list[str] = []
    edits: list[tuple[int, str, str, int]] = []  # (line index, kind, new text, order), applied bottom-up
    for existing, record, changes in updates:
        node = existing.node
        key_lines = sorted(node.key_lines.values())
        for change in changes:
            rendered = yaml_scalar(change.new)
            if change.key in node.key_lines:
                index = node.key_lines[change.key] - 1
                m = re.match(_KEY_LINE.format(key=re.escape(change.key)), lines[index])
                if not m or m.group(3) in ("", "|", ">", "|-", ">-") or m.group(3)[:1] in "[{\"'" and not _one_line(m.group(3)):
                    refused.append(f"{record.rel}:{index + 1}: “{change.key}”不是单行写法，无法自动修改：请手工改为 {rendered}")
                    continue
                edits.append((index, "replace", f"{m.group(1)}{change.key}:{m.group(2) or ' '}{rendered}{m.group(4) or ''}", len(edits)))
            else:
                last = key_lines[-1] - 1
                first_line = lines[existing.line - 1]
                if re.match(r"^\s*-\s*\{", first_line):
                    refused.append(f"{record.rel}:{existing.line}: 这条记录是单行写法，无法自动添加“{change.key}”：请手工添加 {change.key}: {rendered}")
                    continue
                col = _indent(first_line) + 2
                end = _block_end(lines, last, col - 1, dash_ok=False) if last + 1 < len(lines) else last + 1
                edits.append((end, "insert", f"{' ' * col}{change.key}: {rendered}", len(edits)))
    # Bottom-up keeps earlier indexes valid; inserts at one index go in reverse so they end up in order.
    for index, action, new, _ in sorted(edits, key=lambda e: (e[0], e[1] == "replace", e[3]), reverse=True):
        if action == "replace":
            lines[index] = new
        else:
            lines.insert(index, new)
    return "\n".join(lines), refused


def _one_line(value: str) -> bool:
    try:
        yaml.safe_load(f"k: {value}")
        return True
    except yaml.YAMLError:
        return False


# -- the command ----------------------------------------------------------------------------

@dataclass
class Plan:
    texts: dict[str, str]  # rel -> new text (only changed files)
    originals: dict[str, str | None]  # rel -> old text, None for a new file
    added: int
    same: int
    conflicts: list[str]
    refused: list[str]
    updated: int
    fresh: list[Record] = field(default_factory=list)  # the records added, for --dry-run's table
    changed: list[tuple[str, int, list[Change]]] = field(default_factory=list)  # (rel, line, changes) written
    filled: int = 0  # records whose empty fields the sheet fills in (no --update needed)
    notes: list[str] = field(default_factory=list)  # fills that could not be written (one-line records)
    origins: dict[tuple[str, int], str] = field(default_factory=dict)  # (rel, line) written -> the sheet's cell


def _column(row: Row, key: str) -> int:
    """The column `key` came from; for the record as a whole, the column that says whose it is."""
    cols = row.cols
    if key == "member" and key not in cols:
        key = "member_id"
    whose = next((cols[k] for k in ("name", "member", "member_id") if k in cols), min(cols.values(), default=0))
    return cols.get(key, whose)


def sheet_origins(text: str, rel: str, kind: str, branch: Branch, table: Table, fresh: list[Record],
                  records: list[Record]) -> dict[tuple[str, int], str]:
    """Each line of the planned text that holds a record from the sheet, mapped to that record's cell,
    so that whatever `check` finds in it is told as the cell the user has to correct."""
    node = parse_yaml_text(text, rel).value
    items = _record_list(node, kind)
    origins: dict[tuple[str, int], str] = {}

    def note(item: Any, line: int, r: Record) -> None:
        origins[(rel, line)] = table.ref(r.row.number, _column(r.row, ""))
        for key, key_line in getattr(item, "key_lines", {}).items():
            origins[(rel, key_line)] = table.ref(r.row.number, _column(r.row, key))

    written = records_in(node, rel, kind, branch)
    for r in records:
        found = written.get(r.key)
        if found is not None:
            note(found.node, found.line, r)
    if items is not None and fresh:  # appended last, in order: found even when a value is refused
        start = len(items) - len(fresh)
        for index, r in enumerate(fresh):
            note(items[start + index], items.line_of(start + index), r)
    return origins


def plan_import(root: Path, kind: str, table: Table, cols: Columns, records: list[Record], branch: Branch,
                update: bool) -> Plan:
    by_file: dict[str, list[Record]] = {}
    for r in records:
        by_file.setdefault(r.rel, []).append(r)
    texts, originals = {}, {}
    added = same = updated = filled = 0
    conflicts: list[str] = []
    refused: list[str] = []
    all_fresh: list[Record] = []
    changed: list[tuple[str, int, list[Change]]] = []
    notes: list[str] = []
    origins: dict[tuple[str, int], str] = {}
    source = Path(table.display).name
    labels = {f.key: f.label for shape in (spec.MEMBER, spec.POINT, spec.PAYMENT, spec.ACTIVITY) for f in shape.fields}
    for rel in sorted(by_file):
        path = root / rel
        old_text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n") if path.exists() else None
        existing = existing_records(root, rel, kind, branch)
        fresh: list[Record] = []
        updates = []
        for r in by_file[rel]:
            found = existing.get(r.key)
            if found is None:
                fresh.append(r)
                continue
            changes = differences(r, found)
            if not changes:
                same += 1
                continue
            if all(c.old is None for c in changes):  # the sheet fills in what the file left empty: nothing to overrule
                updates.append((found, r, changes))
                continue
            where = table.ref(r.row.number, r.row.cols.get(changes[0].key, r.row.cols.get("member", r.row.cols.get("name", 0))))
            detail = "；".join(
                f"{labels.get(c.key, c.key)} “{yaml_scalar(c.old) if c.old is not None else '（空）'}” → “{yaml_scalar(c.new)}”"
                for c in changes)
            conflicts.append(f"{where}: 与 {rel}:{found.line} 的已有记录不同：{detail}")
            updates.append((found, r, changes))
        text = old_text
        fills = [u for u in updates if all(c.old is None for c in u[2])]
        overrules = [u for u in updates if u not in fills]
        if overrules and update:
            assert text is not None  # a record was found in the file, so the file exists
            text, refused_here = update_records(text, overrules)
            refused.extend(refused_here)
            updated += len(overrules)
            changed.extend((rel, found.line, changes) for found, _r, changes in overrules)
        for fill in fills:  # one by one: a fill that can not be written is a note, not a reason to stop
            assert text is not None  # as above
            filled_text, refused_here = update_records(text, [fill])
            if refused_here:
                notes.extend(refused_here)
                continue
            text = filled_text
            filled += 1
            changed.append((rel, fill[0].line, fill[2]))
        if fresh:
            text = append_records(text, kind, rel, fresh, source)
            added += len(fresh)
            all_fresh.extend(fresh)
        if text is not None and text != old_text:  # text is None only for a file neither there nor written
            texts[rel] = text
            originals[rel] = old_text
            origins.update(sheet_origins(text, rel, kind, branch, table, fresh, by_file[rel]))
    return Plan(texts, originals, added, same, conflicts, refused, updated, all_fresh, changed, filled, notes, origins)


def _width(text: str) -> int:
    """Columns a terminal gives the text: two for each Chinese character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(cell) for cell in column) for column in zip(header, *rows)]
    return ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip() for row in (header, *rows)]


def plan_table(plan: Plan, kind: str) -> str:
    """What --dry-run would write, as tables a secretary reads: the records added, then each change."""
    labels = {**{f.key: f.label for f in RECORD_SHAPES[kind].fields}, **key_labels(kind)}
    out = []
    if plan.fresh:
        keys = list(dict.fromkeys(k for r in plan.fresh for k in r.fields))
        rows = [[r.rel] + [_shown(r.fields.get(k), r.names) for k in keys] for r in plan.fresh]
        out.append(f"将新增 {len(plan.fresh)} 条：")
        out += ["  " + line for line in _table_lines(["文件"] + [labels.get(k, k) for k in keys], rows)]
    if plan.changed:
        rows = [[f"{rel}:{line}", labels.get(c.key, c.key), _shown(c.old, {}) if c.old is not None else "（空）", _shown(c.new, {})]
                for rel, line, changes in plan.changed for c in changes]
        out.append(f"将修改 {len(plan.changed)} 条：")
        out += ["  " + line for line in _table_lines(["记录", "项目", "原来", "改为"], rows)]
    return "\n".join(out)


def _shown(value: Any, names: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value in names:
        return f"{names[value]}（{value}）"
    return yaml_scalar(value).strip('"')


def validate_in_copy(root: Path, plan: Plan) -> list[Problem]:
    from generator.load.validate import load_project

    with tempfile.TemporaryDirectory(prefix="dangjian-import-") as tmp:
        copy = Path(tmp)
        shutil.copytree(root / "data", copy / "data")
        # the checks look for each activity's photos in content/ (and refuse a link to it): the copy
        # holds the project's own files, hard-linked where the file system allows, so nothing is copied twice
        if (root / "content").is_dir():
            shutil.copytree(root / "content", copy / "content", copy_function=_link_or_copy)
        for rel, text in plan.texts.items():
            target = copy / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return list(load_project(copy).problems)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another drive, or a file system without hard links
        shutil.copy2(source, target)


def write_plan(root: Path, plan: Plan) -> None:
    """Replace each changed file in one rename (each file is either old or new, never half)."""
    for rel, text in plan.texts.items():
        atomic_write(root / rel, text)


_REF = re.compile(r":(?:[^:]*!)?([A-Z]+)(\d+): ")


def _cell_order(message: str) -> tuple[int, int, int]:
    """Messages in the order of the sheet: by row, then column."""
    m = _REF.search(message)
    if not m:
        return (0, 0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return (1, int(m.group(2)), col)


@dataclass
class Result:
    status: int
    out: list[str]
    err: list[str]


def run_import(kind: str, file: str, root: Path, dry_run: bool = False, mapping: str | None = None,
               keep_private: bool = False, update: bool = False, branch_id: str | None = None,
               sheet: str | None = None) -> Result:
    from generator.compute.period import choose_branches
    from generator.load.validate import load_project

    out: list[str] = []
    err: list[str] = []
    if kind not in KINDS:
        return Result(2, out, [f"dangjian: 不认识的导入类型“{kind}”：可选 roster（名册）、points（积分）、dues（党费）、"
                               "activities（活动清单）、attendance（签到表）"])
    loaded = load_project(root)
    if loaded.problems or loaded.project is None:
        err.append(report(loaded.problems))
        err.append("项目现有数据有问题：请先修正上面的问题（dangjian check），再导入。")
        return Result(1, out, err)
    branches, message = choose_branches(loaded.project, branch_id)
    if message:
        return Result(2, out, [f"dangjian: {message}"])
    branch = branches[0]
    # a 党委 project keeps each branch's files under data/branches/<id>/
    data_dir = f"data/branches/{branch.id}/" if loaded.project.multi else "data/"
    try:
        table = read_table(Path(file), file, sheet)
    except SheetError as exc:
        return Result(1, out, [str(exc)])
    col_map: dict[str, str | None] = {}
    words: dict[str, str] = {}
    if mapping:
        col_map, mapping_errors = read_mapping(Path(mapping), mapping, kind, words, branch.evaluation)
        if mapping_errors:
            return Result(1, out, mapping_errors + ["映射文件有误，没有导入任何记录。"])
    where = f"工作表“{table.sheet}”" if table.sheet is not None else f"编码 {table.encoding}"
    table, layout = recognise_layout(table, kind, col_map)
    if layout is not None and layout.problem:
        return Result(1, out, [layout.problem, "没有导入任何记录。"])
    cols, errors = find_columns(table, kind, col_map)
    if cols is None:
        others = [name for name in table.sheets if name != table.sheet]
        hint = ([f"这个文件还有工作表 {'、'.join(others)}：要导入其中一张，请加 --sheet 工作表名，如 --sheet {others[0]}"]
                if others and sheet is None else [])
        return Result(1, out, errors + hint + ["没有导入任何记录。"])
    if layout is not None:
        out.append(f"读取 {file}（{where}），识别为{layout.layout}。")
        cols.ignored[:0] = [(h, not_imported_reason(h, col_map)) for h in layout.dropped]
        cols.headings.update(layout.shown)
    else:
        out.append(f"读取 {file}（{where}），表头在第 {cols.header_row} 行。")
    labels = key_labels(kind)
    private = {f.key for f in ROW_SHAPES[kind].fields if f.private}
    labels = {**labels, "confirmed": "党员类别（填了转正时间即为正式党员）", "unit": "工作岗位（与职务合起来）", "year": "所属月份（与月份合起来）",
              "paid_on": f"交纳时间（只有日期的按当天 {DAY_ONLY_TIME:%H:%M} 记）"}
    out.append("导入的列：" + "、".join(f"{cols.headings[c]}→{labels[k]}" for k, c in cols.by_key.items()
                                   if keep_private or k not in private))
    skipped_private = [cols.headings[c] for k, c in cols.by_key.items() if k in private and not keep_private]
    if skipped_private:
        out.append(f"未导入的隐私列：{'、'.join(skipped_private)}（属于个人隐私，默认不存入数据文件；确需保存时加 --keep-private，只存入网站永不显示的隐私字段）")
    if cols.ignored:
        out.append(not_imported_line(cols.ignored))
    if errors:
        return Result(1, out, errors + ["表头有误，没有导入任何记录。"])
    notes: list[str] = []
    rows = read_rows(table, kind, cols, keep_private, errors, notes)
    records = [dataclasses.replace(r, rel=data_dir + r.rel[len("data/"):])
               for r in to_records(kind, rows, table, branch, keep_private, errors, words, notes)]
    if errors:
        err.extend(one_line(message) for message in sorted(errors, key=_cell_order))
        err.append(f"共 {len(errors)} 处问题，没有导入任何记录：请改正表格后重新导入。")
        return Result(1, out, err)
    plan = plan_import(root, kind, table, cols, records, branch, update)
    if plan.conflicts and not update:
        err.extend(plan.conflicts)
        err.append(f"{len(plan.conflicts)} 条记录与已有记录不同，没有导入任何记录：核对无误后加 --update 用表格的值覆盖，或先改正表格。")
        return Result(1, out, err)
    if plan.refused:
        err.extend(plan.refused)
        err.append("有的修改无法自动完成，没有导入任何记录。")
        return Result(1, out, err)
    out.extend("提示：" + one_line(note) for note in sorted(notes, key=_cell_order))
    out.extend("提示：" + note for note in plan.notes)
    summary = f"{KIND_LABELS[kind]}：表格 {len(records)} 条，新增 {plan.added} 条，已有且相同 {plan.same} 条"
    if plan.filled:
        summary += f"，补填空项 {plan.filled} 条"
    if update:
        summary += f"，修改 {plan.updated} 条"
    if not plan.texts:
        out.append(summary + "。没有需要写入的内容。")
        return Result(0, out, err)
    problems = validate_in_copy(root, plan)
    if problems:
        # what `check` finds in a record from the sheet is told at the sheet's cell, where it is corrected
        in_sheet = [f"{plan.origins[(p.path, p.line)]}: {p.message}" for p in problems if (p.path, p.line) in plan.origins]
        elsewhere = [p for p in problems if (p.path, p.line) not in plan.origins]
        err.extend(one_line(message) for message in sorted(in_sheet, key=_cell_order))
        if elsewhere:
            err.append(report(elsewhere))
        err.append("导入后的数据通不过检查，没有写入任何文件。")
        return Result(1, out, err)
    if dry_run:
        out.append(plan_table(plan, kind))
        out.append(summary + "。（--dry-run：只显示将要做的修改，没有写入任何文件）")
        return Result(0, out, err)
    write_plan(root, plan)
    out.append(summary + "。已写入：" + "、".join(plan.texts))
    out.append("导入后的数据已通过检查。")
    return Result(0, out, err)
