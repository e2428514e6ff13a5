"""A meeting's 签到表 as Excel, ticked by hand, and back as the meeting's attendance.

`dangjian export sign-in ID -o 签到表.xlsx` writes the sheet the print page shows (the same
names, `pages.sign_in.sheet_view`) with a column to tick 出席 and one to tick 请假; a recorded
meeting's attendance is ticked already. Every cell goes through the exporter's `put`, so a
name is never a formula. The sheet names its meeting and branch in its second row.

`dangjian import attendance 签到表.xlsx` reads it back into the meeting's record in
data/activities/: `attendees`, `absent` (expected, not ticked) and `excused` (请假, with the
reason written beside it). The rules:
- every bad cell is told at its cell (`签到表.xlsx:签到表!D7: …`), all at once, and nothing is written;
- an unknown meeting id, or a sheet not made by `export sign-in`, is refused;
- a meeting whose record already lists its attendance is left alone: the same attendance is
  "nothing to write" (a re-import changes nothing), a different one is refused, never merged;
- the meeting's lines are added to the YAML text (comments and layout stay), and the result
  must pass `check` in a copy of data/ before the file is replaced in one rename.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.atomic import atomic_write
from generator.model.problems import one_line, report
from generator.model.records import Activity, Branch
from generator.model.visibility import Visibility
from generator.pages.sign_in import SIGN_IN_TYPES, sheet_view
from generator.tools.exporter import Column, ExportError, add_table, put

SHEET = "签到表"
MEETING_LABEL = "会议编号"
BRANCH_LABEL = "支部代号"
HEADINGS = ("序号", "党员编号", "姓名", "出席（打√）", "请假（打√）", "请假原因", "签名")
TICKS = {"√", "✓", "✔", "☑", "v", "V", "1", "是", "y", "Y", "yes", "Yes", "YES", "TRUE", "True", "true", "出席", "请假"}
NOT_TICKED = {"", "×", "✗", "x", "X", "0", "否", "n", "N", "no", "No", "NO", "FALSE", "False", "false"}
DEFAULT_AUDIENCE = "committee"  # the committee keeps the attendance; the reasons for leave are theirs


@dataclass
class Result:
    status: int
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)


def find_meeting(branch: Branch, planned: tuple[Activity, ...], activity_id: str) -> Activity | None:
    return next((a for a in (*branch.activities, *planned) if a.id == activity_id and a.type in SIGN_IN_TYPES), None)


# -- export -----------------------------------------------------------------------

def sign_in_book(branch: Branch, a: Activity):
    """The workbook of one meeting's sign-in sheet, from a branch scoped to the audience."""
    import openpyxl
    from openpyxl.styles import Font

    view = sheet_view(branch, a)
    present = set(a.attendees)
    rows = [[k, p["id"], p["name"], "√" if p["id"] in present else None, "√" if p["excused"] else None, p["reason"], None]
            for k, p in enumerate(view["people"], start=1)]
    book = openpyxl.Workbook()
    ws = add_table(book, SHEET, f"{branch.name}　{a.title}签到表", [Column(h) for h in HEADINGS], rows, first=True)
    # the meeting's identity in row 2, above the headings: the import finds its record by it
    ws.insert_rows(2)
    for col, value in enumerate((MEETING_LABEL, a.id, BRANCH_LABEL, branch.id, "日期", a.date.isoformat()), start=1):
        put(ws, 2, col, value).font = Font(bold=col % 2 == 1)
    ws.freeze_panes = "A4"
    return book


def export_sign_in(branch: Branch, planned: tuple[Activity, ...], activity_id: str, audience: str, out: Path) -> Path:
    if not Visibility(audience).meeting_papers:
        raise ExportError("签到表列出党员姓名，不对全单位公开：请用 --audience party 或 --audience committee（默认）")
    if out.suffix.lower() != ".xlsx":
        raise ExportError(f"签到表导出为 Excel：输出文件应以 .xlsx 结尾，如 -o 签到表.xlsx，实际是“{out}”")
    a = find_meeting(branch, planned, activity_id)
    if a is None:
        raise ExportError(unknown_meeting(branch, planned, activity_id))
    buffer = io.BytesIO()
    sign_in_book(branch, a).save(buffer)
    return atomic_write(out, buffer.getvalue())


def unknown_meeting(branch: Branch, planned: tuple[Activity, ...], activity_id: str) -> str:
    ids = [a.id for a in sorted((*branch.activities, *planned), key=lambda a: (a.date, a.id)) if a.type in SIGN_IN_TYPES]
    listed = "、".join(ids[-8:]) if ids else "无"
    return (f"没有编号为“{activity_id}”的会议：请核对 data/activities/ 里会议的 id（最近的会议有：{listed}）。"
            "谈心谈话没有签到表。")


def export_command(args, as_of: dt.date) -> int:
    """`dangjian export sign-in ID [DIR] -o FILE.xlsx` (the command line's positional DIR holds the ID)."""
    import sys

    from generator import pipeline
    from generator.compute.period import choose_branches
    from generator.load.validate import load_project

    activity_id, folder = args.dir, args.extra or "."
    if activity_id == ".":
        print("dangjian: 请写会议编号：dangjian export sign-in 会议编号 -o 签到表.xlsx，如 2026-12-zhiweihui", file=sys.stderr)
        return 1
    root = Path(folder)
    if not root.is_dir():
        print(f"dangjian: 找不到文件夹“{folder}”", file=sys.stderr)
        return 2
    loaded = load_project(root)
    if loaded.problems or loaded.project is None:
        print(report(loaded.problems), file=sys.stderr)
        print("数据有误，没有导出。", file=sys.stderr)
        return 1
    branches, message = choose_branches(loaded.project, args.branch)
    if message:
        print(f"dangjian: {message}", file=sys.stderr)
        return 2
    audience = args.audience or DEFAULT_AUDIENCE
    seen = pipeline.view(branches[0], as_of, audience)
    try:
        out = export_sign_in(seen.branch, seen.planned, activity_id, audience, Path(args.output))
    except ExportError as exc:
        print(f"dangjian: {exc}", file=sys.stderr)
        return 1
    print(f"已导出：{out}（{branches[0].name}，会议 {activity_id} 的签到表，面向 {audience}）。"
          f"在“出席”或“请假”列打 √，用 dangjian import attendance {out.name} 导回为出席名单。")
    return 0


# -- import -----------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _heading(value: Any) -> str:
    return re.sub(r"[\s（(].*$", "", _text(value))  # "出席（打√）" -> "出席"


@dataclass
class Marked:
    attendees: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    excused: list[tuple[str, str | None]] = field(default_factory=list)


def read_sheet(table, branch_of, errors: list[str]) -> tuple[str | None, str | None, Marked]:
    """(meeting id, branch id, the ticks) of a sign-in sheet; problems at their cells into `errors`.
    `branch_of(branch_id)` gives the branch whose roster the ids and names are looked up in."""
    rows = table.rows
    meeting = branch_id = None
    header = None
    for r, row in enumerate(rows[:10]):
        cells = [_text(v) for v in row]
        for c, text in enumerate(cells[:-1]):
            if text == MEETING_LABEL:
                meeting = cells[c + 1] or None
            elif text == BRANCH_LABEL:
                branch_id = cells[c + 1] or None
        if {"党员编号", "出席"} <= {_heading(v) for v in row}:
            header = r
            break
    marked = Marked()
    if meeting is None or header is None:
        errors.append(f"{table.display}: 这不是 dangjian export sign-in 导出的签到表（第 2 行写明“{MEETING_LABEL}”，"
                      f"其下有“党员编号”“出席”两列）：请先用 dangjian export sign-in 会议编号 -o 签到表.xlsx 导出，在导出的表上打勾")
        return meeting, branch_id, marked
    branch = branch_of(branch_id)
    if branch is None:
        return meeting, branch_id, marked
    cols = {_heading(v): c for c, v in enumerate(rows[header])}
    names = {m.id: m.name for m in branch.members}
    by_name: dict[str, list[str]] = {}
    for m in branch.members:
        by_name.setdefault(m.name, []).append(m.id)
    seen: set[str] = set()

    def cell(row: list, key: str) -> Any:
        c = cols.get(key)
        return row[c] if c is not None and c < len(row) else None

    def ticked(row: list, r: int, key: str) -> bool:
        text = _text(cell(row, key))
        if text in TICKS:
            return True
        if text not in NOT_TICKED:
            errors.append(f"{table.ref(r + 1, cols[key])}: “{text}”看不出是否打勾：打勾的写 √，没有的留空")
        return False

    for r in range(header + 1, len(rows)):
        row = rows[r]
        member, name = _text(cell(row, "党员编号")), _text(cell(row, "姓名"))
        if not member and not name:
            continue
        if not member:
            found = by_name.get(name, [])
            if len(found) != 1:
                errors.append(f"{table.ref(r + 1, cols['姓名'])}: “{name}”" + ("不在名册中" if not found else "在名册中重名")
                              + "：请在“党员编号”列写上编号")
                continue
            member = found[0]
        elif member not in names:
            errors.append(f"{table.ref(r + 1, cols['党员编号'])}: “{member}”不在党员名册中：请核对编号，或先在名册中添加")
            continue
        if member in seen:
            errors.append(f"{table.ref(r + 1, cols['党员编号'])}: {names[member]}（{member}）在表中出现了两次：请删去一行")
            continue
        seen.add(member)
        present, leave = ticked(row, r, "出席"), "请假" in cols and ticked(row, r, "请假")
        if present and leave:
            errors.append(f"{table.ref(r + 1, cols['出席'])}: {names[member]}同时打了“出席”和“请假”：请只留一个")
        elif present:
            marked.attendees.append(member)
        elif leave:
            marked.excused.append((member, _text(cell(row, "请假原因")) or None))
        else:
            marked.absent.append(member)
    if not errors and not marked.attendees:
        errors.append(f"{table.display}: “出席”列没有一个人打勾：请在出席的人那一行打 √ 后再导入")
    return meeting, branch_id, marked


def _same(a: Activity, marked: Marked) -> bool:
    excused = {e.member: e.reason for e in a.excused}
    return (set(a.attendees) == set(marked.attendees) and set(a.absent) - set(excused) == set(marked.absent)
            and excused == dict(marked.excused))


_ITEM = re.compile(r"^(\s*-\s+)")
_EMPTY = re.compile(r"^\s*(attendees|absent|excused)\s*:\s*(\[\s*\])?\s*(#.*)?$")


def record_lines(marked: Marked, indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}attendees: [{', '.join(marked.attendees)}]"]
    if marked.absent:
        lines.append(f"{pad}absent: [{', '.join(marked.absent)}]")
    if marked.excused:
        lines.append(f"{pad}excused:")
        for member, reason in marked.excused:
            said = f", reason: {json.dumps(reason, ensure_ascii=False)}" if reason else ""
            lines.append(f"{pad}  - {{member: {member}{said}}}")
    return lines


def with_attendance(text: str, a: Activity, marked: Marked) -> str | None:
    """The file's text with the meeting's attendance added after its last line (an empty
    `attendees: []` of a draft replaced); None when the record is not written as a block."""
    from generator.load.yamlio import parse_yaml_text

    parsed = parse_yaml_text(text, a.src.path)
    items = parsed.value if isinstance(parsed.value, list) else []
    lines = text.splitlines()
    starts = [getattr(items, "item_lines", [])[k] for k in range(len(items))]
    index = next((k for k, item in enumerate(items) if isinstance(item, dict) and item.get("id", None) == a.id
                  or getattr(item, "line", None) == a.src.line), None)
    if index is None:
        return None
    first = starts[index]
    found = _ITEM.match(lines[first - 1])
    if found is None:
        return None
    indent = len(found.group(1))
    end = (starts[index + 1] - 1) if index + 1 < len(starts) else len(lines)
    body = list(range(first, end + 1))
    # the record's last line: not the blank lines and the next record's heading comments after it
    while len(body) > 1 and (not lines[body[-1] - 1].strip()
                             or (lines[body[-1] - 1].lstrip().startswith("#")
                                 and len(lines[body[-1] - 1]) - len(lines[body[-1] - 1].lstrip()) < indent)):
        body.pop()
    if lines[first - 1][indent:].lstrip().startswith("{"):
        return None  # a record written on one line in braces
    drop = {n for n in body if n != first and _EMPTY.match(lines[n - 1])}
    out = [line for n, line in enumerate(lines, start=1) if n not in drop and n <= body[-1]]
    out += record_lines(marked, indent)
    out += lines[body[-1]:]
    newline = "\r\n" if "\r\n" in text else "\n"  # a file saved on Windows keeps its line endings
    return newline.join(out) + (newline if text.endswith("\n") else "")


def _checked_in_copy(root: Path, rel: str, text: str) -> list:
    from generator.load.validate import load_project

    with tempfile.TemporaryDirectory(prefix="dangjian-attendance-") as tmp:
        copy = Path(tmp)
        shutil.copytree(root / "data", copy / "data")
        (copy / rel).write_text(text, encoding="utf-8")
        return list(load_project(copy).problems)


def exported_sheet(file: str, sheet: str | None = None) -> bool:
    """Whether `file` is a sign-in sheet `dangjian export sign-in` wrote (it names its meeting); another
    签到表 is read by the importer's own layouts (generator/tools/import_activities.py)."""
    from generator.tools.importing.sheets import SheetError, read_table

    try:
        table = read_table(Path(file), file, sheet)
    except (SheetError, OSError):
        return False
    return any(str(v).strip() == MEETING_LABEL for row in table.rows[:10] for v in row if v is not None)


def import_attendance(file: str, root: Path, dry_run: bool = False, branch_id: str | None = None,
                      sheet: str | None = None) -> Result:
    from generator.compute.period import choose_branches
    from generator.load.validate import load_project
    from generator.tools.importing.sheets import SheetError, read_table

    result = Result(1)
    loaded = load_project(root)
    if loaded.problems or loaded.project is None:
        result.err += [report(loaded.problems), "项目现有数据有问题：请先修正上面的问题（dangjian check），再导入。"]
        return result
    project = loaded.project
    try:
        table = read_table(Path(file), file, sheet)
    except SheetError as exc:
        result.err.append(str(exc))
        return result
    chosen: list[Branch] = []

    def branch_of(sheet_branch: str | None) -> Branch | None:
        branches, message = choose_branches(project, branch_id or (sheet_branch if project.multi else None))
        if message:
            result.err.append(f"dangjian: {message}")
            return None
        chosen.append(branches[0])
        return branches[0]

    errors: list[str] = []
    meeting, _, marked = read_sheet(table, branch_of, errors)
    if errors or not chosen or meeting is None:
        result.err += [one_line(e) for e in errors] + [f"共 {len(errors)} 处问题，没有导入：请改正表格后重新导入。" if errors else "没有导入。"]
        return result
    branch = chosen[0]
    a = next((x for x in branch.activities if x.id == meeting and x.type in SIGN_IN_TYPES), None)
    if a is None:
        result.err += [f"{table.display}: {unknown_meeting(branch, (), meeting)}", "没有导入。"]
        return result
    result.out.append(f"读取 {file}：{a.date} {a.type}“{a.title}”，出席 {len(marked.attendees)} 人，"
                      f"请假 {len(marked.excused)} 人，缺席 {len(marked.absent)} 人。")
    if a.attendees or a.absent or a.excused:
        if _same(a, marked):
            result.status = 0
            result.out.append(f"{a.src}: 这次会议已经登记了同样的出席情况，没有需要写入的内容。")
            return result
        result.err += [f"{a.src}: 这次会议已经登记了出席情况（出席 {len(a.attendees)} 人），与表格不同：请核对；"
                       "要以表格为准，先删去这条记录的 attendees、absent 和 excused 几行，再导入", "没有导入。"]
        return result
    path = root / a.src.path
    raw = path.read_bytes()
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    text = raw.decode("utf-8-sig")
    changed = with_attendance(text, a, marked)
    if changed is None:
        result.err += [f"{a.src}: 这条记录写在一行的大括号里，无法自动添加出席人员：请改成每项一行（- id: …）的写法后再导入", "没有导入。"]
        return result
    changed = bom + changed
    problems = _checked_in_copy(root, a.src.path, changed)
    if problems:
        result.err += [report(problems), "导入后的数据通不过检查，没有写入任何文件。"]
        return result
    result.status = 0
    if dry_run:
        result.out += ["将写入 " + a.src.path + "：", *record_lines(marked, 2), "（--dry-run：只显示将要做的修改，没有写入任何文件）"]
        return result
    atomic_write(path, changed)
    result.out.append(f"已写入 {a.src.path}（{a.title}的出席人员），导入后的数据已通过检查。")
    return result
