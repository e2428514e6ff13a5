"""Rows into records: a sheet's rows as clean values, then as the records of data files; people in
points and dues sheets are found in the roster by name (or 党员编号), and text a spreadsheet would
run as a formula is pointed out."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.model import spec
from generator.model.records import DEDUCTION, Branch
from generator.tools import layouts
from generator.tools.exporter import FORMULA_STARTS
from generator.tools.importing.cells import CellError, _blank, cell_text, convert, field_checked, year_month
from generator.tools.importing.headings import Columns, _required
from generator.tools.importing.kinds import ROW_SHAPES, field_of, key_labels
from generator.tools.importing.sheets import Table

TOTAL_ROW_WORDS = ("合计", "总计", "小计")
# How a day without a time of payment is written: the day's last minute, so that the payment is never
# counted earlier than it was; whether it was on time (within the month) does not depend on the minute.
DAY_ONLY_TIME = dt.time(23, 59)


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
