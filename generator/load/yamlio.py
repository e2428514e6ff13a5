"""Reading the branch's YAML and Markdown files so that every value keeps its line.

Mappings come back as `YDict` and sequences as `YList`; both remember the line where
they start and the line of each key or item, so a later check can say
`data/members.yml:14: ...`. Nothing here raises for a user's mistake: a file that
cannot be read comes back as `Parsed(None, problems)`.

Deliberate choices (documented in the README):
- dates stay strings (YAML would turn 2026-02-30 into a crash, and 2026-09 into a number);
- only true/false are booleans (YAML 1.1's yes/no/on/off are plain words here);
- aliases (*name) are refused: they are how a "billion laughs" file explodes;
- a UTF-8 byte-order mark and Windows or old-Mac line endings are accepted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, SequenceNode

from generator.model.problems import Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40


class YDict(dict):
    """A mapping from a YAML file, with `line` and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):
    """A sequence from a YAML file, with `line` and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader with line-keeping containers and the choices listed above."""

    def __init__(self, stream: str, base_line: int):
        super().__init__(stream)
        self.base_line = base_line
        self.duplicates: list[tuple[int, str]] = []
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(
                event.start_mark.line + 1 + self.base_line,
                f"不支持 YAML 别名（*{event.anchor}）：请把内容直接写出来，不要用 & 和 * 引用",
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            event = self.peek_event()
            raise _Refused(
                event.start_mark.line + 1 + self.base_line,
                f"嵌套层数超过 {MAX_DEPTH} 层：请检查缩进，数据不需要这么深的层次",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _line(self, node) -> int:
        return node.start_mark.line + 1 + self.base_line

    def construct_yaml_map(self, node: MappingNode):
        data = YDict()
        data.line = self._line(node)
        data.key_lines = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in data:
                self.duplicates.append((self._line(key_node), key))
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = self._line(key_node)

    def construct_yaml_seq(self, node: SequenceNode):
        data = YList()
        data.line = self._line(node)
        data.item_lines = [self._line(n) for n in node.value]
        yield data
        data.extend(self.construct_object(n, deep=True) for n in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)
# Keep dates as text, only true/false as booleans, and only plain decimal numbers as
# numbers (YAML 1.1 reads 010 as 8, 1:30 as 90 and .nan as a number).
_OWN_TAGS = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _OWN_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789.")
)


_CParser: type[CParser] | None
try:  # libyaml, when PyYAML was built with it (the usual wheels are); yaml.cyaml imports it from here
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover
    _CParser = None
else:
    _CParser = CParser


class _Slow(Exception):
    """The fast reader met something only the full loader should judge."""


_SCALARS: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:str": lambda v: v,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": lambda v: v.lower() == "true",
    "tag:yaml.org,2002:null": lambda v: None,
}
# `_Loader`'s implicit resolvers by first character, as `Resolver.resolve` looks them up.
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
    if first is not None
}


@functools.lru_cache(maxsize=4096)  # a ledger repeats the same dates, numbers and keys
def _resolve_plain(text: str):
    """An unquoted, untagged scalar's value, resolved exactly as `_Loader` resolves it."""
    for tag, regexp in _IMPLICIT.get(text[:1], _WILDCARD):
        if regexp.match(text):
            convert = _SCALARS.get(tag)
            if convert is None:  # `<<` or `=`: let the full loader explain
                raise _Slow
            return convert(text)
    return text


def _parse_fast(text: str, base_line: int):
    """(value, duplicates) through libyaml, or None when the full loader must explain.

    Builds the values straight from libyaml's events, without composing nodes: several
    times faster on large ledgers. Anything unusual (a tag, an anchor or alias, a
    mapping as a key, excessive depth, a second document, any syntax error) goes to
    the full loader, which refuses or explains it with the user's line.
    """
    if _CParser is None:  # pragma: no cover - PyYAML built without libyaml
        return None
    parser = _CParser(text)
    try:
        return _build_from_events(parser.get_event, base_line)
    except (yaml.YAMLError, _Slow):
        return None
    finally:
        parser.dispose()


_NO_KEY = object()


def _build_from_events(next_event, base_line: int):
    """The document's value and its duplicate keys, from libyaml's events."""
    if type(next_event()) is not StreamStartEvent:
        raise _Slow
    event = next_event()
    if type(event) is StreamEndEvent:
        return None, []
    if type(event) is not DocumentStartEvent:
        raise _Slow
    base_line += 1  # libyaml counts lines from 0
    duplicates: list = []
    root = None
    stack: list = []  # the open mappings and sequences, innermost last
    parent: Any = None  # stack[-1]: a YDict or a YList, told apart by in_list (cheaper than a type check per value)
    in_list = False  # whether parent is a sequence
    key = _NO_KEY  # in a mapping: the key read, waiting for its value
    key_line = 0
    while True:
        event = next_event()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Slow
            value = event.value
            if event.implicit[0] and _IMPLICIT.get(value[:1], _WILDCARD):  # plain, and may not be text
                value = _resolve_plain(value)
            line = event.start_mark.line + base_line
            if in_list:
                parent.append(value)
                parent.item_lines.append(line)
            elif key is not _NO_KEY:
                parent[key] = value
                parent.key_lines[key] = key_line
                key = _NO_KEY
            elif parent is None:  # the whole document is one scalar
                root = value
                break
            else:
                key = value if type(value) is str else str(value)
                key_line = line
                if key in parent:
                    duplicates.append((line, key))
            continue
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            if not stack:
                break
            parent = stack[-1]
            in_list = type(parent) is YList
            continue
        if kind is MappingStartEvent:
            value = YDict()
            value.key_lines = {}
        elif kind is SequenceStartEvent:
            value = YList()
            value.item_lines = []
        else:  # an alias, or anything else unexpected
            raise _Slow
        # A collection as deep as MAX_DEPTH is left to the full loader, so no scalar
        # needs a depth check of its own.
        if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH - 1:
            raise _Slow
        # Placed in its parent as a scalar is above: written out twice, not a function call,
        # because this loop runs once for every value of every file.
        line = value.line = event.start_mark.line + base_line
        if in_list:
            parent.append(value)
            parent.item_lines.append(line)
        elif key is not _NO_KEY:
            parent[key] = value
            parent.key_lines[key] = key_line
            key = _NO_KEY
        elif parent is None:
            root = value
        else:  # a mapping or sequence as a key
            raise _Slow
        stack.append(value)
        parent = value
        in_list = kind is SequenceStartEvent
    if type(next_event()) is not DocumentEndEvent or type(next_event()) is not StreamEndEvent:
        raise _Slow
    return root, duplicates


_SYNTAX_HINTS = (
    ("but found another document", "这一行的 --- 开始了第二份内容：一个文件只能写一份，记录之间用空行分隔即可，请删去这一行"),
    ("while parsing a flow sequence", "方括号没有闭合：请检查这一行的 [ 和 ] 是否成对"),
    ("while parsing a flow mapping", "花括号没有闭合：请检查这一行的 { 和 } 是否成对"),
    ("mapping values are not allowed", "这一行多了一个冒号：值里含有冒号时，请把整个值用引号括起来"),
    ("cannot start any token", "不能用 Tab 缩进，也不能以 @ 或 ` 开头：请改用空格缩进，或给值加引号"),
    ("could not find expected ':'", "缺少冒号：每一项应写成“名称: 值”，冒号后留一个空格"),
    ("found unexpected end of stream", "引号没有闭合：请检查这一行的引号是否成对"),
    ("while scanning a quoted scalar", "引号没有闭合：请检查这一行的引号是否成对"),
    ("expected <block end>", "缩进不一致：同一层的条目应对齐，请检查这一行的空格数"),
    ("did not find expected key", "缩进不一致：同一层的条目应对齐，请检查这一行的空格数"),
    ("did not find expected '-' indicator", "列表缩进不一致：每个“- ”应与同级对齐"),
    ("found duplicate anchor", "锚点（&名称）重复了"),
    ("found undefined alias", "不支持 YAML 别名（*名称）"),
)


_NO_SPACE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*:(?![\s/])\S")


def _missing_space_line(lines: list[str], error_line: int) -> int | None:
    """The line, at or just above a syntax error, that reads `key:value` with no space."""
    for index in range(min(error_line, len(lines) - 1), max(error_line - 4, -1), -1):
        if _NO_SPACE.match(lines[index]):
            return index
    return None


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, hint in _SYNTAX_HINTS:
        if needle in text:
            return f"YAML 格式错误：{hint}"
    return f"YAML 格式错误（{(exc.problem or exc.context or '').strip()}）：请检查这一行的缩进、冒号和引号"


@dataclass(frozen=True)
class Parsed:
    """One YAML document: its value (None when unreadable or empty) and its problems."""

    value: Any
    problems: tuple[Problem, ...]


# Characters that are not text. PyYAML refuses them with a traceback, Excel and Word files
# can not hold the C0 ones, and a terminal obeys ESC: refused wherever they are written, raw
# or as a YAML escape ("\x01"), so that no output ever meets one. Tab and line breaks are text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {
    "\x0b": "（Word 里 Shift+回车 产生的换行）：请删除它或换成普通换行",
    "\x0c": "（Word 里的分页符）：请删除它或换成普通换行",
    "\x1b": "（ESC，终端的颜色控制符）：请删除它",
    "\x7f": "（DEL 删除符）：请删除它",
    "\x85": "（NEL 换行符，多见于从网页或其他编码转来的文字）：请删除它或换成普通换行",
}
_NOT_A_CHARACTER = "（不是文字，多半是编码转换出错留下的）：请删除它"


def first_control(text: str) -> str | None:
    """The first control character in `text` (the kinds `invisible_characters` takes out), or None."""
    match = _CONTROL.search(text)
    return match.group() if match else None


def control_name(ch: str) -> str:
    """`U+000B（Word 里 Shift+回车 产生的换行）：请删除它…`: the character and what to do about it."""
    if ch in _CONTROL_NAMES:
        what = _CONTROL_NAMES[ch]
    elif ch in "\ufffe\uffff" or "\ud800" <= ch <= "\udfff":
        what = _NOT_A_CHARACTER
    else:
        what = "：请删除它"
    return f"U+{ord(ch):04X}{what}"


def invisible_characters(text: str, rel: str, base_line: int = 0) -> tuple[str, list[Problem]]:
    """The text without control characters, and a problem for each kind of them on each line.

    They are taken out (not replaced), so the rest of the file is still read and every other
    problem in it reported at once; the file still does not pass.
    """
    if _CONTROL.search(text) is None:
        return text, []
    found: dict[tuple[int, str], list[str]] = {}
    for number, line in enumerate(text.split("\n"), 1 + base_line):
        for match in _CONTROL.finditer(line):
            # what precedes it, so that the secretary can find a character the editor does not show
            before = _CONTROL.sub("", line[: match.start()]).strip()[-12:]
            found.setdefault((number, match.group()), []).append(before)
    problems = []
    for (number, ch), befores in found.items():
        where = f"在“{befores[0]}”之后" if befores[0] else "开头"
        many = f"等 {len(befores)} 处有" if len(befores) > 1 else "有一个"
        problems.append(Problem(rel, number, f"这一行{where}{many}看不见的控制字符 {control_name(ch)}"))
    return _CONTROL.sub("", text), problems


def _escaped_controls(value: Any, rel: str, line: int = 0, key: str = "") -> list[Problem]:
    """A problem for each value that a YAML escape (`\\x01`, `\\e`) made hold a control character."""
    if isinstance(value, str):
        match = _CONTROL.search(value)
        if match is None:
            return []
        where = f"“{key}”的值里" if key else "这一行"
        return [Problem(rel, line, f"{where}用转义写了一个看不见的控制字符 {control_name(match.group())}")]
    out: list[Problem] = []
    if isinstance(value, YDict):
        for k, v in value.items():
            if (match := _CONTROL.search(k)) is not None:
                out.append(Problem(rel, value.line_of(k), f"这一项的名称里用转义写了一个看不见的控制字符 {control_name(match.group())}"))
            out += _escaped_controls(v, rel, value.line_of(k), k)
    elif isinstance(value, YList):
        for index, item in enumerate(value):
            out += _escaped_controls(item, rel, value.line_of(index), key)
    return out


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (a BOM is allowed), any line ending; a clear problem otherwise."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(rel, 0, f"文件过大（{len(raw) // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）：请按月份拆分成多个文件")]
    if b"\x00" in raw[:8192] or b"\x00" in raw:
        return None, [Problem(rel, 0, "这是一个二进制文件，不是文本：请确认没有把图片、Word 或 Excel 文件放错位置")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            hint = "文件不是 UTF-8 编码（看起来是 GBK/GB18030，Windows 记事本或 Excel 的默认编码）：请用“另存为 → 编码 UTF-8”重新保存"
        except UnicodeDecodeError:
            hint = "文件不是 UTF-8 编码，也无法识别：请用文本编辑器以 UTF-8 编码重新保存"
        return None, [Problem(rel, line, hint)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_yaml_text(text: str, rel: str, base_line: int = 0) -> Parsed:
    """Parse one YAML document; `base_line` shifts line numbers (front matter)."""
    text, found = invisible_characters(text, rel, base_line)
    parsed = _parse_yaml_text(text, rel, base_line)
    if "\\" in text:  # only a double-quoted escape can make a control character now
        found += _escaped_controls(parsed.value, rel)
    return Parsed(parsed.value, tuple(found) + parsed.problems) if found else parsed


def _parse_yaml_text(text: str, rel: str, base_line: int) -> Parsed:
    fast = _parse_fast(text, base_line)
    if fast is not None:
        value, duplicates = fast
        return Parsed(value, _duplicate_problems(rel, duplicates))
    loader = _Loader(text, base_line)
    try:
        value = loader.get_single_data()
    except _Refused as exc:
        return Parsed(None, (Problem(rel, exc.line, exc.message),))
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket, or a key without ": ", is reported where it
        # starts, not where PyYAML gave up.
        context = exc.context or ""
        opening = any(k in context for k in ("quoted scalar", "flow sequence", "flow mapping", "simple key"))
        mark = (exc.context_mark if opening else None) or exc.problem_mark or exc.context_mark
        lines = text.split("\n")
        line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
        if mark is not None and "：" in line_text and "could not find expected ':'" in (exc.problem or ""):
            line = mark.line + 1 + base_line
            return Parsed(None, (Problem(rel, line, "YAML 格式错误：这一行用了中文冒号“：”：请改成英文冒号“:”，冒号后留一个空格"),))
        if mark is not None and line_text.lstrip(" ").startswith("\u3000"):
            line = mark.line + 1 + base_line
            return Parsed(None, (Problem(rel, line, "YAML 格式错误：这一行用全角空格“　”缩进：请删掉它，改用半角空格"),))
        missing = _missing_space_line(lines, mark.line if mark else 0)
        if missing is not None:
            return Parsed(None, (Problem(rel, missing + 1 + base_line, "YAML 格式错误：缺少冒号：每一项应写成“名称: 值”，冒号后留一个空格"),))
        if "mapping values are not allowed" in (exc.problem or "") and line_text.count(": ") <= 1:
            # one "key: value" that PyYAML cannot place: it is indented deeper than its neighbours
            assert mark is not None  # PyYAML's scanner marks where it refuses a mapping value
            line = mark.line + 1 + base_line
            return Parsed(None, (Problem(rel, line, "YAML 格式错误：缩进不一致：同一层的条目应对齐，请检查这一行的空格数"),))
        line = (mark.line + 1 if mark else 0) + base_line
        return Parsed(None, (Problem(rel, line, _syntax_message(exc)),))
    except yaml.YAMLError as exc:
        return Parsed(None, (Problem(rel, base_line, f"YAML 格式错误：{exc}"),))
    except RecursionError:
        return Parsed(None, (Problem(rel, base_line, "嵌套层数过深：请检查缩进"),))
    finally:
        loader.dispose()
    return Parsed(value, _duplicate_problems(rel, loader.duplicates))


def _duplicate_problems(rel: str, duplicates) -> tuple[Problem, ...]:
    return tuple(
        Problem(rel, line, f"“{key}”在同一层写了两次：请删除或合并重复的一项（后写的会覆盖先写的）")
        for line, key in duplicates
    )


def read_yaml(path: Path, rel: str) -> Parsed:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Parsed(None, (Problem(rel, 0, f"无法读取文件：{exc.strerror}"),))
    text, problems = decode(raw, rel)
    if text is None:
        return Parsed(None, tuple(problems))
    return parse_yaml_text(text, rel)


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file with YAML front matter between two `---` lines."""

    meta: Any
    body: str
    body_line: int
    problems: tuple[Problem, ...]


def read_markdown(path: Path, rel: str) -> MarkdownDoc:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return MarkdownDoc(None, "", 1, (Problem(rel, 0, f"无法读取文件：{exc.strerror}"),))
    text, problems = decode(raw, rel)
    if text is None:
        return MarkdownDoc(None, "", 1, tuple(problems))
    text, problems = invisible_characters(text, rel)  # in the body too: it goes into Word and the pages
    doc = split_front_matter(text, rel)
    return MarkdownDoc(doc.meta, doc.body, doc.body_line, tuple(problems) + doc.problems) if problems else doc


def split_front_matter(text: str, rel: str) -> MarkdownDoc:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return MarkdownDoc(
            None, text, 1,
            (Problem(rel, 1, "文件开头缺少信息头：第一行应是 ---，随后写标题、日期等信息，再以 --- 结束"),),
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            head = "\n".join(lines[1:index])
            parsed = parse_yaml_text(head, rel, base_line=1)
            body = "\n".join(lines[index + 1:])
            return MarkdownDoc(parsed.value, body, index + 2, parsed.problems)
    return MarkdownDoc(
        None, "", 1,
        (Problem(rel, 1, "信息头没有结束：请在标题、日期等信息之后加一行 ---"),),
    )
