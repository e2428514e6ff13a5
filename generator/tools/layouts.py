"""Recognising the sheets branches already keep, for `dangjian import`.

A party system's export, a points ledger written in words, a month-per-column dues register or a
one-person 信息采集表 is turned into the plain table `importing` reads (one heading row, one record a
row), keeping for every cell the cell it came from, so that every message still names the cell the
user sees. Indicator words (参加主题党日, 志愿服务) are matched to the evaluation's indicators here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.load.fields import nearest
from generator.model.records import DEDUCTION, Evaluation, Indicator

# Words a ledger wraps around an indicator's own name: 参加主题党日 is 主题党日出勤.
_LEADING = ("参加", "参与", "出席", "完成", "开展", "提交", "撰写", "担任", "按时")
_TRAILING = ("出勤", "活动", "情况", "参与")
DEDUCTION_WORDS = re.compile(r"\s*(扣分|扣分项|扣减|减分)\s*")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _core(text: str) -> str:
    core = _plain(text)
    changed = True
    while changed:
        changed = False
        for word in _LEADING:
            if core.startswith(word) and len(core) > len(word) + 1:
                core, changed = core[len(word):], True
        for word in _TRAILING:
            if core.endswith(word) and len(core) > len(word) + 1:
                core, changed = core[: -len(word)], True
    return core


def _record_items(indicator: Indicator) -> list[str]:
    """`支委会、党员大会、党小组会、党课出勤` names four records; the last word belongs to each."""
    items = [i for i in re.split(r"[、，,；;/]", indicator.records) if i.strip()]
    return [re.sub(r"（.*?）|\(.*?\)", "", i).strip() for i in items]


def indicator_label(indicator: Indicator) -> str:
    return f"{indicator.name}（{indicator.code}）"


@dataclass
class IndicatorMatch:
    code: str | None  # an indicator code, DEDUCTION, or None when nothing matched
    problem: str | None = None  # what to tell the user when code is None
    by_words: bool = False  # matched by name or record words, not written as a code


def match_indicator(text: str, evaluation: Evaluation | None, words: dict[str, str]) -> IndicatorMatch:
    """The indicator `text` names: its code, its Chinese name, one of its records (志愿服务 is S1's),
    a branch's own words from the mapping file, or the same words with 参加… / …出勤 around them."""
    indicators = [i for d in evaluation.dimensions for i in d.indicators] if evaluation else []
    plain = _plain(text)
    if DEDUCTION_WORDS.fullmatch(plain):
        return IndicatorMatch(DEDUCTION)
    codes = {i.code.upper(): i for i in indicators}
    if plain.upper() in codes:
        return IndicatorMatch(codes[plain.upper()].code)
    code = re.match(r"^([A-Za-z]\d{1,2})(?![A-Za-z0-9])", plain)
    if code and code.group(1).upper() in codes:  # "E2 主题党日出勤", "S1志愿服务"
        return IndicatorMatch(codes[code.group(1).upper()].code)
    if plain in words:
        return IndicatorMatch(words[plain], by_words=True)
    exact = _unique(i for i in indicators if plain == _plain(i.name) or plain in map(_plain, _record_items(i)))
    if exact:
        return _one(text, exact)
    core = _core(text)
    loose = _unique(i for i in indicators
                    if core in (_core(i.name), *map(_core, _record_items(i))))
    if loose:
        return _one(text, loose)
    names = {i.name: i for i in indicators} | {r: i for i in indicators for r in _record_items(i)}
    guess = nearest(plain, list(names), cutoff=0.5)
    hint = f"是不是“{indicator_label(names[guess])}”？" if guess else ""
    examples = "、".join(f"“{i.name}”" for i in indicators[:2])
    example = guess and names[guess].name or (indicators[0].name if indicators else "指标名称")
    return IndicatorMatch(None, (
        f"“{text}”对不上评价体系 data/evaluation.yml 中的任何指标：{hint}请写指标名称（如 {examples}）或代码；"
        f"扣分写“扣分”，或把分值写成负数；本支部惯用的说法可以写进映射文件的“指标:”下，如“{text}: {example}”，"
        "导入时加 --mapping 映射文件"))


def _unique(found: Iterable[Indicator]) -> list[Indicator]:
    return list({i.code: i for i in found}.values())


def _one(text: str, found: list[Indicator]) -> IndicatorMatch:
    if len(found) == 1:
        return IndicatorMatch(found[0].code, by_words=True)
    which = "或".join(f"“{indicator_label(i)}”" for i in found)
    return IndicatorMatch(None, f"“{text}”可能是{which}：请写指标名称，或在映射文件的“指标:”下写明它对应哪一项")


def word_target(target: str, evaluation: Evaluation | None) -> str | None:
    """A mapping file's `说法: 指标` target (code, Chinese name or 扣分) as a code, or None."""
    plain = _plain(target)
    if plain == DEDUCTION:
        return DEDUCTION
    for i in (i for d in evaluation.dimensions for i in d.indicators) if evaluation else ():
        if plain.upper() == i.code.upper() or plain == _plain(i.name):
            return i.code
    return None


# -- a month-per-column dues register ---------------------------------------------------

_MONTH_HEADING = re.compile(r"^(?:(\d{4})\s*[年\-./]\s*)?(\d{1,2})\s*月份?$")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年")
SCAN_ROWS = 20


@dataclass
class Reshaped:
    """A sheet laid out differently, as the plain table `importing` reads, and where each cell came from."""

    rows: list[list[Any]]
    origin: dict[tuple[int, int], tuple[int, int]]  # (row, col) in `rows` (row 1-based) -> the same in the sheet
    layout: str  # what was recognised, as the user is told
    dropped: list[str]  # headings of the sheet left out of `rows`
    problem: str | None = None  # the layout was recognised but cannot be read: what to do
    shown: dict[int, str] = field(default_factory=dict)  # column of `rows` -> its heading as the user sees it


def _month_heading(cell: Any) -> tuple[int | None, int] | None:
    m = _MONTH_HEADING.match(_plain(str(cell))) if isinstance(cell, str) else None
    if m and 1 <= int(m.group(2)) <= 12:
        return (int(m.group(1)) if m.group(1) else None, int(m.group(2)))
    return None


def dues_register(rows: list[list[Any]], member_key: Callable[[Any], str | None], sheet: str | None,
                  display: str) -> Reshaped | None:
    """One row per member and a column per month (1月 … 12月), each cell the day that month's dues were
    paid (empty: not paid), as one row per member and month. None when the sheet is not laid out so."""
    found_at = next((index for index, row in enumerate(rows[:SCAN_ROWS])
                     if sum(1 for cell in row if _month_heading(cell)) >= 3 and any(member_key(c) for c in row)), None)
    if found_at is None:
        return None
    index, header, row = found_at, found_at + 1, rows[found_at]
    months = {col: m for col, cell in enumerate(row) if (m := _month_heading(cell))}
    members = {col: key for col, cell in enumerate(row) if (key := member_key(cell))}
    years = {y for y, _ in months.values() if y}
    title = " ".join(str(c) for r in rows[:index] for c in r if c is not None) + f" {sheet or ''} {display}"
    in_title = _YEAR_IN_TITLE.search(title)
    bare = any(y is None for y, _ in months.values())
    year = (years.pop() if len(years) == 1 else int(in_title.group(1)) if in_title and not years else None) if bare else 0
    dropped = [str(cell).strip() for col, cell in enumerate(row)
               if col not in months and col not in members and cell is not None and str(cell).strip()]
    first_month = min(months)
    layout = f"按月份列登记的党费登记表（第 {header} 行是表头，{len(months)} 个月份列）"
    if year is None:
        return Reshaped([], {}, layout, dropped,
                        f"{display}:{_ref(sheet, header, first_month)}: 这是按月份列登记的党费登记表，但月份列“{row[first_month]}”没有写年份，"
                        "标题里也没有：请在标题行写上年份（如“2026年党费收缴登记表”），或把月份列写成“2026年1月”")
    member_cols = sorted(members)
    out: list[list[Any]] = [[row[c] for c in member_cols] + ["所属月份", "缴纳日期"]]
    origin = {(1, i): (header, c) for i, c in enumerate(member_cols)}
    origin[(1, len(member_cols))] = (header, first_month)
    origin[(1, len(member_cols) + 1)] = (header, first_month)
    for number in range(header + 1, len(rows) + 1):
        cells = rows[number - 1]
        who = [cells[c] if c < len(cells) else None for c in member_cols]
        if all(c is None or not str(c).strip() for c in who):
            continue
        for col, (own_year, month) in sorted(months.items()):
            out.append([*who, f"{own_year or year:04d}-{month:02d}", cells[col] if col < len(cells) else None])
            new = len(out)
            origin.update({(new, i): (number, c) for i, c in enumerate(member_cols)})
            origin[(new, len(member_cols))] = (header, col)
            origin[(new, len(member_cols) + 1)] = (number, col)
    spans = f"{row[first_month]}…{row[max(months)]}"
    shown = {len(member_cols): spans, len(member_cols) + 1: f"{spans}各格的日期"}
    return Reshaped(out, origin, layout + (f"，按 {year} 年导入" if bare else ""), dropped, shown=shown)


def _ref(sheet: str | None, row: int, col: int) -> str:
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{sheet}!{letters}{row}" if sheet is not None else f"{letters}{row}"


# -- a one-person form (党员信息采集表) ---------------------------------------------------

def _text(cell: Any) -> str:
    return str(cell).strip() if cell is not None else ""


def person_form(rows: list[list[Any]], label_key: Callable[[Any], str | None], other_label: Callable[[Any], bool],
                sheets: tuple[str, ...], sheet: str | None) -> Reshaped | None:
    """A form for one person: label cells (姓名, 性别, 入党时间 …) each with its value in the cell to its
    right, over several rows. None unless at least three labels with values sit on at least two rows
    (a table's heading row has its labels on one row, and its values below them)."""
    pairs: dict[str, tuple[int, int, int | None]] = {}  # key -> (row, label col, value col)
    consumed: set[tuple[int, int]] = set()
    dropped: list[str] = []
    for number, row in enumerate(rows[:SCAN_ROWS * 2], start=1):
        col = 0
        while col < len(row):
            key = label_key(row[col]) if isinstance(row[col], str) else None
            if key is None and not (isinstance(row[col], str) and other_label(row[col])):
                col += 1
                continue
            value = next((c for c in range(col + 1, min(col + 4, len(row)))
                          if _text(row[c]) and not label_key(row[c]) and not other_label(row[c])), None)
            stop = next((c for c in range(col + 1, len(row)) if label_key(row[c]) or other_label(row[c])), len(row))
            value = value if value is not None and value < stop else None
            consumed.add((number, col))
            if value is not None:
                consumed.add((number, value))
            if key is None:
                dropped.append(_text(row[col]))
            elif key not in pairs:
                pairs[key] = (number, col, value)
            col = (value if value is not None else col) + 1
    if len(pairs) < 3 or len({r for r, _, _ in pairs.values()}) < 2:
        return None
    title = next((_text(c) for r in rows[:3] for c in r if re.search(r"(采集|登记|信息)表", _text(c))), "党员信息采集表")
    out: list[list[Any]] = [[], []]
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for index, (number, col, value) in enumerate(pairs.values()):
        out[0].append(rows[number - 1][col])
        out[1].append(rows[number - 1][value] if value is not None else None)
        origin[(1, index)] = (number, col)
        origin[(2, index)] = (number, value if value is not None else col + 1)
    others = [name for name in sheets if name != sheet]
    layout = (f"一人一表的“{title}”（标签格右边是填写的内容），导入这一名党员"
              + (f"；其他人的表在工作表 {'、'.join(others)} 里的，请逐张导入：--sheet 工作表名" if others else ""))
    return Reshaped(out, origin, layout, dropped)


# -- a 签到表 with two or three columns of names side by side ------------------------------

def side_by_side(rows: list[list[Any]], member_key: Callable[[Any], bool]) -> Reshaped | None:
    """A 签到表 printed as 姓名 | 签到 | 姓名 | 签到 to fit the page, as one column of names. The rows
    above the heading (the activity's date, type and theme) are kept where they are."""
    found_at = next((i for i, row in enumerate(rows[:SCAN_ROWS]) if sum(1 for c in row if member_key(c)) >= 2), None)
    if found_at is None:
        return None
    header = rows[found_at]
    starts = [col for col, cell in enumerate(header) if member_key(cell)]
    ends = [*starts[1:], len(header)]
    width = ends[0] - starts[0]
    out = [list(r) for r in rows[:found_at + 1]]
    out[found_at] = header[starts[0]:ends[0]]
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for start, end in zip(starts, ends):
        for number in range(found_at + 2, len(rows) + 1):
            cells = rows[number - 1][start:min(end, start + width)]
            if all(c is None or not str(c).strip() for c in cells):
                continue
            out.append(cells)
            origin.update({(len(out), i): (number, start + i) for i in range(len(cells))})
    return Reshaped(out, origin, f"{len(starts)} 栏并排的签到表（第 {found_at + 1} 行是表头）", [])
