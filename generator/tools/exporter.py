"""`dangjian export`: formatted Excel workbooks for the committee's reports.

- `scores`: each member's 五力 scores, AHP score, deductions, total and rank — the same
  figures as `dangjian scores --json` (built from `score_table.scores_json`, never
  recomputed here). The full ranking is for the committee; a `party` export has no
  rank column and leaves out the members kept off the roll; nothing of it is public
  (the public sees the honor roll only).
- `honor-roll`: 金榜题名 and the 五力之星 of the period.
- `dues`: per month aggregates — members due, payers, paid within the month, on-time
  share, zero-hour month; the monthly total only for the committee (outside it, two
  months' totals one payer apart would give that member's dues). Never an individual
  amount, never who owes.

Every sheet has a title row (branch and period), a bold frozen header row, column
widths that fit Chinese text, and numbers stored as numbers. Every cell is written by
`put`, which stores text as text: a name can never become a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.atomic import atomic_write
from generator.compute.period import period_scores, scores_json
from generator.compute.scoring import Period, members_in_period, parse_period
from generator.model.records import Branch
from generator.model.scope import scope_branch
from generator.model.visibility import Visibility

EXPORTS = ("scores", "honor-roll", "dues")
DEFAULT_AUDIENCE = {"scores": "committee", "honor-roll": "public", "dues": "public"}
SCORE_FORMAT = "0.00"
SHARE_FORMAT = "0.0%"


class ExportError(Exception):
    """A request that cannot be met; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Column:
    heading: str
    number_format: str | None = None


def _display_width(value: Any) -> int:
    text = value if isinstance(value, str) else (f"{value:.2f}" if isinstance(value, float) else str(value))
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


FORMULA_STARTS = ("=", "+", "-", "@")  # what Excel, WPS and LibreOffice read as the start of a formula


def put(ws, row: int, column: int, value: Any):
    """Write one cell; every sheet cell goes through here.

    openpyxl stores any text beginning with "=" as a live formula: a member named
    `=HYPERLINK(...)` would send data away when clicked. Text is always stored as text,
    and text that looks like a formula also gets Excel's quote prefix, so that editing
    the cell in Excel or WPS does not turn it into a formula either.
    """
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def add_table(book, name: str, title: str, columns: list[Column], rows: list[list[Any]], first: bool = False):
    """One sheet: title row, bold frozen header row, data rows with number formats."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws = book.active if first else book.create_sheet()
    ws.title = name
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    if len(columns) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.row_dimensions[1].height = 24
    fill = PatternFill("solid", fgColor="F2DCDB")
    line = Side(style="thin", color="999999")
    for k, col in enumerate(columns, start=1):
        cell = put(ws, 2, k, col.heading)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = Border(bottom=line)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r, row in enumerate(rows, start=3):
        for k, value in enumerate(row, start=1):
            cell = put(ws, r, k, value)
            if columns[k - 1].number_format and isinstance(value, (int, float)):
                cell.number_format = columns[k - 1].number_format
    for k, col in enumerate(columns, start=1):
        widest = max([_display_width(col.heading)] + [_display_width(row[k - 1]) for row in rows if row[k - 1] is not None])
        ws.column_dimensions[get_column_letter(k)].width = min(max(widest + 2, 6), 50)
    ws.freeze_panes = "A3"
    return ws


def _scores(branch: Branch, period: Period, as_of: dt.date):
    """Exactly what `dangjian scores` computes, as its JSON."""
    result = period_scores(branch, period, as_of)
    return scores_json(result.scores, result.roll), result.roll


def scores_book(branch: Branch, period: Period, audience: str, as_of: dt.date):
    import openpyxl

    view = Visibility(audience)
    if not view.individual_figures:
        raise ExportError("完整的积分排名不对全单位公开：公开范围请导出金榜题名（dangjian export honor-roll），"
                          "或用 --audience party / committee 导出党内使用的积分表")
    data, _ = _scores(branch, period, as_of)
    dims = data["dimensions"]
    ranked = view.full_ranking
    members = data["members"]
    if ranked:
        members = sorted(members, key=lambda m: (m["rank"] is None, m["rank"] or 0, m["id"]))
    else:  # a high score missing from the roll would tell the branch of a disciplinary matter
        members = [m for m in members if m["rank"] is not None]
    columns = ([Column("名次")] if ranked else []) + [Column("编号"), Column("姓名")] + \
        [Column(d, SCORE_FORMAT) for d in dims] + \
        [Column("AHP得分", SCORE_FORMAT), Column("扣分", SCORE_FORMAT), Column("总分", SCORE_FORMAT)]
    if ranked:
        columns.append(Column("备注"))
    rows = []
    for m in members:
        row = ([m["rank"]] if ranked else []) + [m["id"], m["name"]] + [m["dimensions"][d] for d in dims] + \
            [m["ahp_total"], m["deductions"], m["total"]]
        if ranked:
            row.append("不参加排名" if m["rank"] is None else None)
        rows.append(row)
    book = openpyxl.Workbook()
    add_table(book, "积分", f"{branch.name}　{period.label}党员积分（满分 100）", columns, rows, first=True)
    return book


def _move(entry: dict, exact: bool) -> str:
    """How an entry stands against the previous period; the public learns only 新上榜 / 连续上榜."""
    change = entry["change"]
    if not exact:
        return "连续上榜" if entry["stayed"] else "新上榜"
    return "新上榜" if change is None else ("持平" if change == 0 else (f"上升 {change} 位" if change > 0 else f"下降 {-change} 位"))


def honor_book(branch: Branch, period: Period, audience: str, as_of: dt.date):
    import openpyxl

    data, roll = _scores(branch, period, as_of)
    exact = Visibility(audience).individual_figures
    columns = [Column("名次"), Column("姓名"), Column("总分", SCORE_FORMAT), Column("名次变化" if exact else "比上期")]
    rows = [[e["rank"], e["name"], e["total"], _move(e, exact)] for e in data["honor_roll"]]
    book = openpyxl.Workbook()
    add_table(book, "金榜题名", f"{branch.name}　{period.label}金榜题名", columns, rows, first=True)
    star_rows = [[s.title, "、".join(name for _, name in s.members) + ("（并列）" if s.tied else ""), s.score]
                 for s in roll.stars]
    add_table(book, "五力之星", f"{branch.name}　{period.label}五力之星",
              [Column("称号"), Column("姓名"), Column("维度得分", SCORE_FORMAT)], star_rows)
    return book


def dues_rows(branch: Branch, period: Period, with_total: bool) -> list[list[Any]]:
    """Per month: month, members due, payers, paid within the month, on-time share, zero-hour
    month, paid in the first hour (zero-hour months); for the committee also the total amount
    (when every amount is known). Outside the committee a total is never shown: two months'
    totals a payer apart would give that member's dues, and so their income."""
    rows = []
    for month in sorted(branch.dues, key=lambda d: d.month):
        month_period = parse_period(month.month)
        assert month_period is not None  # validate.py accepts only YYYY-MM months
        if not (period.start <= month_period.start <= period.end):
            continue
        due = len(members_in_period(branch, month_period))
        payers = len(month.payments)
        on_time = sum(1 for p in month.payments if p.paid_at.strftime("%Y-%m") == month.month)
        first_hour = None
        if month.zero_hour:
            midnight = dt.datetime(month_period.start.year, month_period.start.month, 1)
            first_hour = sum(1 for p in month.payments if midnight <= p.paid_at < midnight + dt.timedelta(hours=1))
        row = [month.month, due, payers, on_time, (on_time / due) if due else None, "是" if month.zero_hour else "否", first_hour]
        if with_total:
            known = [p.amount for p in month.payments if p.amount is not None]
            row.append(float(sum(known)) if known and len(known) == payers else None)
        rows.append(row)
    return rows


def dues_book(branch: Branch, period: Period, audience: str):
    import openpyxl

    with_total = Visibility(audience).committee_papers
    columns = [Column("月份"), Column("应交人数", "0"), Column("交纳人数", "0"), Column("当月按时交纳人数", "0"),
               Column("按时交纳率", SHARE_FORMAT), Column("零点行动月"), Column("零点后一小时内交纳人数", "0")]
    if with_total:
        columns.append(Column("合计金额（元）", "0.00"))
    book = openpyxl.Workbook()
    add_table(book, "党费收缴", f"{branch.name}　{period.label}党费收缴情况（汇总）", columns,
              dues_rows(branch, period, with_total), first=True)
    return book


def export(what: str, branch: Branch, period: Period, audience: str, out: Path, as_of: dt.date) -> Path:
    if what == "scores":
        book = scores_book(branch, period, audience, as_of)
    elif what == "honor-roll":
        book = honor_book(branch, period, audience, as_of)
    elif what == "dues":
        book = dues_book(scope_branch(branch, audience, as_of), period, audience)
    else:
        raise ExportError(f"不认识的导出内容“{what}”：可选 {'、'.join(EXPORTS)}")
    if out.suffix.lower() != ".xlsx":
        raise ExportError(f"输出文件应以 .xlsx 结尾，实际是“{out}”")
    buffer = io.BytesIO()
    book.save(buffer)
    return atomic_write(out, buffer.getvalue())
