"""Existing records: those a data file already holds, by their identity within the file, and what a
sheet's record would change in one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.load.fields import Checker, Clean
from generator.load.yamlio import YDict, YList, read_yaml
from generator.model.records import Branch
from generator.tools.importing.kinds import RECORD_SHAPES
from generator.tools.importing.records import Record, _members_index


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
