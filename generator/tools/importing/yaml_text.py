"""Writing YAML text: records appended to a data file's text and changes made in place, line by line,
so that the user's comments and layout survive."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from generator.load.yamlio import YList, parse_yaml_text
from generator.tools.importing.existing import Change, Existing
from generator.tools.importing.records import Record


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
