"""`dangjian import`: a sheet read, checked and planned into data files; the result is validated with
`load_project` in a copy of data/ before any file is replaced, and `--dry-run` prints what would be
written and writes nothing."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.atomic import atomic_write
from generator.load.yamlio import parse_yaml_text
from generator.model import spec
from generator.model.problems import Problem, one_line, report
from generator.model.records import Branch
from generator.tools.importing.existing import Change, _record_list, differences, existing_records, records_in
from generator.tools.importing.headings import Columns, find_columns, not_imported_line, not_imported_reason, read_mapping, recognise_layout
from generator.tools.importing.kinds import KIND_LABELS, KINDS, RECORD_SHAPES, ROW_SHAPES, key_labels
from generator.tools.importing.records import DAY_ONLY_TIME, Record, Row, read_rows, to_records
from generator.tools.importing.sheets import SheetError, Table, read_table
from generator.tools.importing.yaml_text import append_records, update_records, yaml_scalar


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
