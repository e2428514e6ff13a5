"""Headings: the row that names a sheet's columns, found by their usual Chinese names or by a
mapping file; a sheet laid out otherwise (layouts.py) is first read as a plain table."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.load.yamlio import YDict, read_yaml
from generator.model.records import Evaluation
from generator.tools import layouts
from generator.tools.importing.cells import _blank, cell_text
from generator.tools.importing.kinds import HEADINGS, KIND_LABELS, KINDS, key_labels
from generator.tools.importing.sheets import Table, column_letter

HEADER_SCAN_ROWS = 20

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
