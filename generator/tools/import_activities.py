"""`dangjian import activities` and `import attendance`: a month's activity list and a 签到表.

An activity list has a row per activity (日期, 活动类型, 主题, 地点, 主持人, 参加人员 …) and becomes
entries of data/activities/YYYY-MM.yml. A 签到表 has a row per member with a tick or a signature
(blank: absent; 请假: excused), the activity's date, type and theme written above the table; it fills
in who attended the activity already recorded for that day, or records a new one.
An activity is the same one when its date and type are the same, so a re-import adds nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from generator.model import spec
from generator.model.records import Branch
from generator.tools.importing.cells import CellError, cell_date, cell_text
from generator.tools.importing.records import Record, Row
from generator.tools.importing.sheets import Table

TYPE_ALIASES = {"支部委员会": "支委会", "支部委员会会议": "支委会", "支部党员大会": "党员大会", "党员大会会议": "党员大会",
                "党小组会议": "党小组会", "主题党日活动": "主题党日", "政治理论学习": "政治学习", "集中学习": "政治学习",
                "专题党课": "党课", "组织生活会议": "组织生活会", "民主评议党员": "民主评议", "志愿服务活动": "志愿服务"}
EVERYONE = ("全体党员", "全体")
ABSENT_WORDS = ("缺席", "未到", "×", "✗", "否", "无")
EXCUSED_WORDS = ("请假", "公假", "病假", "事假", "出差")
ALL_WUYOU = ("齐全", "全部", "五有齐全", "是", "√", "✓")
_SPLIT = re.compile(r"[、,，;；\s]+")
# labels above a 签到表's table: the activity's own particulars
_INFO_LABELS = {"date": ("时间", "日期", "活动时间", "会议时间", "活动日期"), "type": ("类型", "活动类型", "会议类型"),
                "title": ("主题", "活动主题", "会议主题", "学习内容", "会议内容"), "place": ("地点", "活动地点", "会议地点")}


def activity_type(text: str) -> str:
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return TYPE_ALIASES.get(plain, plain)


def _people(text: str, row: Row, table: Table, key: str, branch: Branch, on: dt.date | None,
            errors: list[str]) -> list[str] | None:
    """Names (全体党员 for every member on the roster that day) as member ids, in the sheet's order."""
    names = [n for n in _SPLIT.split(text) if n]
    if names and all(n in EVERYONE for n in names):
        return [m.id for m in branch.members if m.joined <= (on or m.joined) and not (m.left and on and m.left <= on)]
    by_name: dict[str, list[str]] = {}
    for m in branch.members:
        by_name.setdefault(m.name, []).append(m.id)
    ids = {m.id for m in branch.members}
    out: list[str] = []
    bad = False
    label = spec.ACTIVITY.by_key[key].label
    for name in names:
        found = [name] if name in ids else by_name.get(name, [])
        if len(found) != 1:
            why = "不在党员名册 data/members.yml 中：请核对姓名" if not found else f"在名册中有 {len(found)} 人（{'、'.join(found)}）：请改写党员编号"
            errors.append(f"{table.ref(row.number, row.cols[key])}: “{label}”中的“{name}”{why}")
            bad = True
        elif found[0] not in out:
            out.append(found[0])
    return None if bad else out


def _wuyou(text: str, row: Row, table: Table, errors: list[str]) -> dict[str, bool] | None:
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if plain in ALL_WUYOU:
        return {k: True for k in spec.WUYOU_KEYS}
    found = {k: spec.WUYOU_LABELS[k] in plain for k in spec.WUYOU_KEYS}
    if not any(found.values()):
        errors.append(f"{table.ref(row.number, row.cols['wuyou'])}: “五有”写的是“{text}”：请写“齐全”，或写出做到的几项，如“有主题、有记录、有感悟”")
        return None
    return found


def activity_records(rows: list[Row], table: Table, branch: Branch, errors: list[str]) -> list[Record]:
    """A month's activity list: one entry a row."""
    records: list[Record] = []
    seen: dict[tuple, int] = {}
    members = {m.id: m.name for m in branch.members}
    for row in rows:
        v = row.values
        if not {"date", "type", "title"} <= v.keys():
            continue
        key = (v["date"], v["type"])
        if key in seen:
            errors.append(f"{table.ref(row.number, row.cols['type'])}: 与第 {seen[key]} 行是同一天的{v['type']}：同一天开了两次的，"
                          "请把第二次的活动类型或日期核对后分开记录")
            continue
        seen[key] = row.number
        values: dict[str, Any] = {"type": v["type"], "date": v["date"], "title": v["title"]}
        ok = True
        for f in spec.ACTIVITY.fields:
            if f.key in values or f.key not in v:
                continue
            if f.kind == "member":
                people = _people(v[f.key], row, table, f.key, branch, v["date"], errors)
                if people is not None and len(people) != 1:
                    errors.append(f"{table.ref(row.number, row.cols[f.key])}: “{f.label}”只写一个人，实际是“{v[f.key]}”")
                if people is None or len(people) != 1:
                    ok = False
                    continue
                values[f.key] = people[0]
            elif f.kind == "members":
                people = _people(v[f.key], row, table, f.key, branch, v["date"], errors)
                if people is None:
                    ok = False
                    continue
                values[f.key] = people
            elif f.key == "wuyou":
                wuyou = _wuyou(v[f.key], row, table, errors)
                if wuyou is None:
                    ok = False
                    continue
                values[f.key] = wuyou
            else:
                values[f.key] = v[f.key]
        if v["type"] == "主题党日" and "wuyou" not in values:
            errors.append(f"{table.ref(row.number, row.cols['type'])}: 主题党日要写明“五有”落实情况：请加一列“五有”，"
                          "写“齐全”或写出做到的几项（有主题、有记录、有感悟、有评价、有保障）")
            ok = False
        if ok:
            named = {i: members[i] for k in ("host", "recorder") if k in values for i in [values[k]]}
            records.append(Record(f"data/activities/{v['date']:%Y-%m}.yml", key, values, row, named))
    return records


def _info(table: Table, above: int) -> dict[str, tuple[Any, int, int]]:
    """The activity's particulars written above a 签到表's table: `主题：…` in one cell, or a label
    cell with its value to the right. Returns key -> (value, row, col)."""
    labels = {label: key for key, names in _INFO_LABELS.items() for label in names}
    out: dict[str, tuple[Any, int, int]] = {}
    for number, row in enumerate(table.rows[:above], start=1):
        for col, cell in enumerate(row):
            if not isinstance(cell, str):
                continue
            text = cell.strip()
            m = re.match(r"^([^：:]{1,6})[：:]\s*(.*)$", text)
            if m and m.group(1).strip() in labels and m.group(2).strip():
                out.setdefault(labels[m.group(1).strip()], (m.group(2).strip(), number, col))
                continue
            key = labels.get(text.rstrip("：:"))
            if key and col + 1 < len(row) and not (row[col + 1] is None or cell_text(row[col + 1]) == ""):
                out.setdefault(key, (row[col + 1], number, col + 1))
    return out


def attendance_records(rows: list[Row], table: Table, branch: Branch, keep_private: bool,
                       errors: list[str], notes: list[str], existing: set[tuple]) -> list[Record]:
    """A 签到表: who attended (a tick or a signature), who was absent (blank) and who was excused (请假)."""
    first = min((r.number for r in rows), default=2)
    above = max(first - 2, 0)  # the rows before the heading row
    info = _info(table, above)
    heading = " ".join(cell_text(c) for r in table.rows[:above] for c in r if c is not None)
    where = table.ref(1, 0)
    kind = activity_type(str(info["type"][0])) if "type" in info else next(
        (t for t in sorted(spec.ACTIVITY_TYPES, key=len, reverse=True) if t in heading or
         any(a in heading for a, b in TYPE_ALIASES.items() if b == t)), None)
    if kind not in spec.ACTIVITY_TYPES:
        errors.append(f"{where}: 看不出这张签到表是哪一类活动：请在表格上方写明，如“活动类型：主题党日”（可选 {'、'.join(spec.ACTIVITY_TYPES)}）")
        return []
    try:
        if "date" in info:
            on = cell_date(info["date"][0], "活动时间")
        else:
            m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", heading)
            if not m:
                raise CellError("看不出活动是哪一天：请在表格上方写明，如“时间：2026年9月15日”")
            on = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except (CellError, ValueError) as exc:
        cell = table.ref(info["date"][1], info["date"][2]) if "date" in info else where
        errors.append(f"{cell}: {exc}")
        return []
    title = cell_text(info["title"][0]) if "title" in info else re.sub(r"签到(表|簿|册)$", "", cell_text(table.rows[0][0]) if table.rows and table.rows[0] else "") or kind
    attendees: list[str] = []
    absent: list[str] = []
    excused: list[dict[str, str]] = []
    from generator.tools.importing.records import resolve_member

    for row in rows:
        member = resolve_member(row, table, branch, errors)
        if member is None:
            continue
        sign = cell_text(row.values.get("sign", ""))
        reason = row.values.get("reason")
        said = sign + (reason or "")
        if any(w in said for w in EXCUSED_WORDS):
            excused.append({"member": member, **({"reason": reason or sign} if keep_private else {})})
        elif not sign or sign in ABSENT_WORDS:
            absent.append(member)
        else:
            attendees.append(member)
    if not attendees and not absent and not excused:
        return []
    key = (on, kind)
    if kind == "主题党日" and key not in existing:
        errors.append(f"{where}: 这张签到表的主题党日（{on}）在 data/activities/{on:%Y-%m}.yml 中还没有记录：主题党日要写明“五有”，"
                      "请先用 dangjian import activities 导入本月活动清单（带“五有”列），或先在活动记录中写好这次主题党日，再导入签到表")
        return []
    values: dict[str, Any] = {"type": kind, "date": on, "title": title}
    if "place" in info:
        values["place"] = cell_text(info["place"][0])
    values["attendees"] = attendees
    if absent:
        values["absent"] = absent
    if excused:
        values["excused"] = excused
    whole = Row(rows[0].number if rows else 1, values, dict(rows[0].cols) if rows else {})
    notes.append(f"{where}: 签到表记为 {on} 的{kind}：出席 {len(attendees)} 人，缺席 {len(absent)} 人，请假 {len(excused)} 人"
                 + ("" if keep_private or not excused else "（请假原因属于隐私，默认不导入；要存入只有支委会能看到的请假原因，加 --keep-private）"))
    return [Record(f"data/activities/{on:%Y-%m}.yml", key, values, whole, soft=("title", "place"))]
