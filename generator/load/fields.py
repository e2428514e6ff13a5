"""Checking one record against its `Shape`, collecting every problem.

`Checker.record(node, shape)` returns a dict of clean Python values for the keys that
were valid (None for the record when it is not a mapping at all) and appends a
`Problem` for each mistake, with the line of the offending key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from generator.load.yamlio import YDict, YList, line_of
from generator.model.problems import Problem
from generator.model.spec import AUDIENCE_ALIASES, AUDIENCES, ID_PATTERN, Field, Shape

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_ID = re.compile(ID_PATTERN)

# Bidi controls reorder the text around them on a page: a name written "周\u202e立新" is shown
# as "周新立". Refused where a text names someone or something (names, ids, references to
# members), so that a name reads as written; free text may keep them (a quotation in Uyghur
# or Arabic script can need them).
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMING_KINDS = ("id", "member", "members", "person")

TYPE_NAMES = {dict: "一组键值", list: "列表", str: "文字", int: "整数", float: "数字", bool: "true/false"}


def describe(value: Any) -> str:
    if value is None:
        return "空值"
    for typ, name in TYPE_NAMES.items():
        if isinstance(value, typ) and not (typ is int and isinstance(value, bool)):
            return f"{name}“{_short(value)}”" if typ in (str, int, float) else name
    return type(value).__name__


def _where(f: Field) -> str:
    """How a message names a field; made only for a message, not for every value."""
    return f"“{f.key}”（{f.label}）"


def _short(value: Any, limit: int = 30) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


@functools.lru_cache(maxsize=4096)  # a ledger repeats the same few hundred dates
def parse_date(text: str) -> dt.date | None:
    if not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_month(text: str) -> tuple[int, int] | None:
    if not _MONTH.match(text):
        return None
    year, month = int(text[:4]), int(text[5:])
    return (year, month) if 1 <= month <= 12 else None


# -- suggestions: the nearest valid choice, said in the message ---------------------------

_QUOTES = "“”‘’「」"


def half_width(text: str) -> str:
    """Full-width digits, letters, punctuation and spaces as the half-width ones they look like."""
    return unicodedata.normalize("NFKC", text).replace("－", "-").replace("—", "-")


def full_width_note(text: str) -> str:
    """What a value's full-width characters are, named for a secretary; "" when there are none."""
    found = []
    if any(ch in text for ch in "“”‘’"):
        found.append("中文引号")
    if "，" in text:
        found.append("全角逗号“，”")
    if "\u3000" in text:
        found.append("全角空格")
    if any("０" <= ch <= "９" for ch in text):
        found.append("全角数字")
    if any(ch in text for ch in "－：．／"):
        found.append("全角符号")
    return "、".join(found)


def nearest(text: str, choices, cutoff: float = 0.6) -> str | None:
    """The choice a slip of the keyboard most likely meant: same letters in another case,
    full-width characters, stray spaces, or one character off."""
    choices = list(choices)
    plain = half_width(text).strip(_QUOTES + " ").replace(" ", "")
    for choice in choices:
        if plain == choice or plain.lower() == str(choice).lower():
            return choice
    close = difflib.get_close_matches(plain, choices, n=1, cutoff=cutoff)
    return close[0] if close else None


def key_hint(key: str, shape: Shape) -> str:
    labels = {f.label: f.key for f in shape.fields}
    if key.strip() in labels:
        return f"请写成英文的 {labels[key.strip()]}（{key.strip()}）"
    guess = nearest(key, [f.key for f in shape.fields], cutoff=0.75)
    if guess is None:
        return ""
    note = full_width_note(key)
    if note:
        return f"这里用了{note}：请写成 {guess}"
    return f"是不是 {guess}（{shape.by_key[guess].label}）？请改正拼写"


class Clean(dict):
    """The valid values of one record, remembering the record as written.

    `given(key)` says whether the user wrote the key at all (valid or not), so a rule
    never reports a mistyped value a second time as missing; `line_of(key)` points a
    rule about one field at that field's line.
    """

    node: Any = None
    line: int = 0

    def given(self, key: str) -> bool:
        return isinstance(self.node, dict) and key in self.node and self.node[key] not in (None, "")

    def line_of(self, key: str) -> int:
        return self.node.line_of(key) if isinstance(self.node, YDict) else self.line

    def item_line(self, key: str, index: int) -> int:
        items = self.node.get(key) if isinstance(self.node, dict) else None
        return items.line_of(index) if isinstance(items, YList) else self.line_of(key)


class Checker:
    """Collects problems for one file while turning its records into clean values."""

    def __init__(self, rel: str, resolve_member: Callable[[str], str | None] | None = None):
        self.rel = rel
        self.problems: list[Problem] = []
        self.resolve_member = resolve_member

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel, line, message))

    # -- records ---------------------------------------------------------------
    def record(self, node: Any, shape: Shape, line: int) -> Clean | None:
        if not isinstance(node, dict):
            self.add(line, f"这里应是一条{shape.label}记录（若干“名称: 值”），实际是{describe(node)}")
            return None
        assert isinstance(node, YDict)  # yamlio reads every mapping into a YDict, with the line of each key
        out = Clean()
        out.node, out.line = node, line_of(node, line)
        for key in node:
            if key not in shape.by_key:
                known = "、".join(f.key for f in shape.fields)
                hint = key_hint(str(key), shape)
                self.add(node.line_of(key), f"{shape.label}中没有“{key}”这一项：" + (hint or f"请检查拼写，可用的项有 {known}"))
        key_lines = node.key_lines
        for f in shape.fields:
            if f.key not in node:
                if f.required:
                    self.add(line_of(node, line), f"{shape.label}缺少“{f.key}”（{f.label}）：请补上")
                continue
            value = self.value(node[f.key], f, key_lines[f.key])
            if value is not None:
                out[f.key] = value
        return out

    def records(self, node: Any, shape: Shape, line: int, what: str) -> list[tuple[Clean, int]]:
        """A list of records; returns (clean values, line) for each readable one."""
        if node is None:
            return []
        if not isinstance(node, list):
            self.add(line, f"{what}应是一个列表（每项以“- ”开头），实际是{describe(node)}")
            return []
        out = []
        for index, item in enumerate(node):
            item_line = node.line_of(index) if isinstance(node, YList) else line
            clean = self.record(item, shape, item_line)
            if clean is not None:
                out.append((clean, line_of(item, item_line)))
        return out

    # -- values ----------------------------------------------------------------
    def value(self, raw: Any, f: Field, line: int) -> Any:
        kind = f.kind
        if raw is None or raw == "":
            if f.required:
                self.add(line, f"{_where(f)}不能为空")
            return None
        if (kind in _NAMING_KINDS or f.key == "name") and self.turns_text(raw, f, line):
            return None
        if kind in ("str", "text"):
            if isinstance(raw, bool) or isinstance(raw, (dict, list)):
                self.add(line, f"{_where(f)}应是文字，实际是{describe(raw)}")
                return None
            text = str(raw).strip()
            if kind == "str" and "\n" in text:
                self.add(line, f"{_where(f)}应是一行文字")
                return None
            if f.longest is not None and len(text) > f.longest:
                self.add(line, f"{_where(f)}“{_short(text)}”有 {len(text)} 个字，最多 {f.longest} 个字："
                               f"请只写{f.label}本身")
                return None
            return text
        if kind == "id":
            text = str(raw).strip()
            if isinstance(raw, bool) or not _ID.match(text):
                self.add(line, f"{_where(f)}“{_short(raw)}”只能由英文字母、数字、- 和 _ 组成（不超过 64 个字符），如 m01")
                return None
            return text
        if kind in ("int", "number"):
            if (isinstance(raw, bool) or not isinstance(raw, (int, float)) or (kind == "int" and not isinstance(raw, int))
                    or not math.isfinite(raw)):
                want = "整数" if kind == "int" else "数字"
                self.add(line, f"{_where(f)}应是{want}，实际是{describe(raw)}")
                return None
            if f.minimum is not None and raw < f.minimum:
                self.add(line, f"{_where(f)}不能小于 {f.minimum:g}，这里是 {raw}")
                return None
            return raw
        if kind == "bool":
            if not isinstance(raw, bool):
                self.add(line, f"{_where(f)}应写 true（是）或 false（否），实际是{describe(raw)}")
                return None
            return raw
        if kind == "date":
            text = str(raw).strip()
            day = parse_date(text)
            if day is None:
                plain = half_width(text).strip(_QUOTES + " ")
                if _DATE.match(text):
                    self.add(line, f"{_where(f)}“{text}”不是日历上存在的日期：请核对月份和日")
                elif parse_date(plain) is not None:
                    self.add(line, f"{_where(f)}“{text}”用了{full_width_note(text) or '全角字符'}：请改成半角的 {plain}")
                else:
                    self.add(line, f"{_where(f)}应写成 YYYY-MM-DD，如 2026-09-15，实际是“{_short(raw)}”")
            return day
        if kind == "datetime":
            text = str(raw).strip()
            m = _DATETIME.match(text)
            day = parse_date(m.group(1)) if m else None
            if m is None or day is None:
                plain = half_width(text).strip(_QUOTES + " ")
                if plain != text and _DATETIME.match(plain):
                    self.add(line, f"{_where(f)}“{text}”用了{full_width_note(text) or '全角字符'}：请改成半角的 {plain}")
                else:
                    self.add(line, f"{_where(f)}应写成 YYYY-MM-DD HH:MM，如 2026-03-01 00:05，实际是“{_short(raw)}”")
                return None
            hour, minute, second = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
            if (hour, minute, second) == (24, 0, 0):
                self.add(line, f"{_where(f)}“{text}”：一天的时刻到 23:59 为止，24:00 请写成次日 0 点，即 {day + dt.timedelta(days=1)} 00:00")
                return None
            if hour > 23 or minute > 59 or second > 59:
                self.add(line, f"{_where(f)}“{text}”的时刻不存在：小时 0–23，分钟 0–59")
                return None
            return dt.datetime(day.year, day.month, day.day, hour, minute, second)
        if kind == "choice":
            text = str(raw).strip()
            if text not in f.choices:
                guess = nearest(text, f.choices, cutoff=0.5)
                hint = f"是不是“{guess}”？" if guess else ""
                self.add(line, f"{_where(f)}“{_short(raw)}”不是可选的值：{hint}请从 {'、'.join(f.choices)} 中选一个")
                return None
            return text
        if kind == "audience":
            text = AUDIENCE_ALIASES.get(str(raw).strip(), str(raw).strip())
            if text not in AUDIENCES:
                self.add(line, f"{_where(f)}“{_short(raw)}”不是可选的值：请写 public（公开）、party（党内）或 committee（支委）")
                return None
            return text
        if kind == "member":
            return self.member(raw, _where(f), line)
        if kind == "person":  # a member (by id or name) or, when the roster has nobody by that name, just a name
            text = str(raw).strip()
            if isinstance(raw, (dict, list, bool)) or not text:
                self.add(line, f"{_where(f)}应写党员编号或姓名，实际是{describe(raw)}")
                return None
            found = self.resolve_member(text) if self.resolve_member else None
            if found == "":
                self.add(line, f"{_where(f)}“{text}”在名册中有重名：请改写党员编号")
                return None
            if found is None and self.resolve_member is not None and _ID.fullmatch(text):
                # an id-like word (m09) names no one outside the roster: a mistyped member id
                self.add(line, f"{_where(f)}“{text}”不在党员名册 data/members.yml 中：" + self._member_hint(text))
                return None
            return found or text
        if kind in ("members", "strings"):
            where = _where(f)
            if not isinstance(raw, list):
                example = "[m01, m02]" if kind == "members" else "[第一项, 第二项]"
                self.add(line, f"{where}应是一个列表，如 {example}，实际是{describe(raw)}")
                return None
            out = []
            for index, item in enumerate(raw):
                item_line = raw.line_of(index) if isinstance(raw, YList) else line
                if kind == "members":
                    value = self.member(item, where, item_line)
                elif isinstance(item, (dict, list)) or item is None:
                    self.add(item_line, f"{where}的每一项应是文字，实际是{describe(item)}")
                    value = None
                else:
                    value = str(item).strip()
                if value is not None:
                    out.append(value)
            if kind == "members":
                seen = set()
                for value in out:
                    if value in seen:
                        self.add(line, f"{where}中同一党员（{value}）出现了两次")
                    seen.add(value)
            return tuple(out)
        if kind == "object":
            return self.record(raw, f.nested, line)
        if kind == "objects":
            return self.records(raw, f.nested, line, _where(f))
        raise AssertionError(f"unknown field kind {kind}")

    def turns_text(self, raw: Any, f: Field, line: int) -> bool:
        """Whether a name, id or reference holds a bidi control (see `_BIDI`); reported once per value."""
        items = raw if isinstance(raw, list) else [raw]
        for index, item in enumerate(items):
            match = _BIDI.search(item) if isinstance(item, str) else None
            if match is not None:
                at = raw.line_of(index) if isinstance(raw, YList) else line
                self.add(at, f"{_where(f)}里有一个看不见的文字方向控制符 U+{ord(match.group()):04X}：它会让网页上的文字倒过来或换位显示，"
                             "姓名、名称和编号里不能有它，请删除（删不干净时把这几个字删掉重新输入）")
                return True
        return False

    def member(self, raw: Any, where: str, line: int) -> str | None:
        if isinstance(raw, (dict, list, bool)) or raw is None:
            self.add(line, f"{where}应写党员编号或姓名，实际是{describe(raw)}")
            return None
        text = str(raw).strip()
        if self.resolve_member is None:
            return text
        found = self.resolve_member(text)
        if found is None:
            self.add(line, f"{where}“{text}”不在党员名册 data/members.yml 中：" + self._member_hint(text))
        elif found == "":
            self.add(line, f"{where}“{text}”在名册中有重名：请改写党员编号")
            return None
        return found

    def _member_hint(self, text: str) -> str:
        if any(q in text for q in _QUOTES):
            return f"这里用了中文引号：姓名不用加引号，直接写 {text.strip(_QUOTES)}；确需引号时请用英文引号 \"\""
        if "，" in text or "、" in text:
            return "这里把几名党员写在了一起（用了全角逗号或顿号）：列表请用半角逗号分隔，如 [m01, m02]"
        ids, names = getattr(self.resolve_member, "known", ((), ()))
        # an id one character off is another person: ids only by case, width or spaces; names also one character off
        guess = nearest(text, ids, cutoff=1.0) or nearest(text, names, cutoff=0.6)
        if guess is not None:
            return f"是不是“{guess}”？请改成名册里的写法"
        return "请核对编号或姓名，或先在名册中添加"
