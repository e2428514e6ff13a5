"""Text that is not what it seems (issue 30, items 6 and 11).

Control characters (what Word's Shift+Enter pastes, ESC, DEL, U+FFFE …) are refused where
they are written, raw or as a YAML escape, so that no page, export or terminal meets one.
Bidi controls (U+202E …) are refused in names, ids and references to members. Each rule is
planted in every text field of every record kind of generator/model/spec.py that the sample
branch writes on a line of its own, and `check` must name each place exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import copy_sample

from generator.load.yamlio import YDict, YList, parse_yaml_text
from generator.model import spec

pytestmark = pytest.mark.slow

TEXT_KINDS = ("str", "text", "id", "member", "person")
LIST_KINDS = ("strings", "members")
NAMING_KINDS = ("id", "member", "members", "person")
TOP = [  # (glob under data/, shape, whether the file is a list of records)
    ("branch.yml", spec.BRANCH, False), ("members.yml", spec.MEMBER, True),
    ("activities/*.yml", spec.ACTIVITY, True), ("teams.yml", spec.TEAM, True),
    ("duties.yml", spec.DUTIES, False), ("four-ones/*.yml", spec.FOUR_ONE, True),
    ("dues/*.yml", spec.DUES_MONTH, False), ("points/*.yml", spec.POINT, True),
    ("frequencies.yml", spec.FREQUENCY, True),
    ("regulations/*.md", spec.REGULATION, False), ("news/*.md", spec.NEWS, False),
]
CONTROLS = {
    "\x0b": "U+000B（Word 里 Shift+回车 产生的换行）：请删除它或换成普通换行",
    "\x01": "U+0001：请删除它",
    "\x1b": "U+001B（ESC，终端的颜色控制符）：请删除它",
    "\x7f": "U+007F（DEL 删除符）：请删除它",
    "\ufffe": "U+FFFE（不是文字，多半是编码转换出错留下的）：请删除它",
}
BIDI = "\u202e"
BIDI_MESSAGE = ("里有一个看不见的文字方向控制符 U+202E：它会让网页上的文字倒过来或换位显示，"
                "姓名、名称和编号里不能有它，请删除（删不干净时把这几个字删掉重新输入）")


def sample(where: Path) -> Path:
    """The sample branch, with the text fields it does not write: an activity's photos and a news item's."""
    from PIL import Image

    root = copy_sample(where)
    (root / "content" / "photos").mkdir(exist_ok=True)
    Image.new("RGB", (4, 4)).save(root / "content" / "photos" / "p1.png")
    path = root / "data" / "activities" / "2026-11.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^(  summary: .*)$", r"\1\n  photos: [photos/p1.png]", text, count=1, flags=re.M), encoding="utf-8")
    news = sorted((root / "data" / "news").glob("*.md"))[0]
    text = news.read_text(encoding="utf-8")
    news.write_text(re.sub(r"^(author: .*)$", r"\1\nphotos: [photos/p1.png]", text, count=1, flags=re.M), encoding="utf-8")
    return root


def places(root: Path):
    """(path, line, shape, field, value, rest) of the first text value of each field, one per line.

    `rest` is None for a value alone on its line, else the other items of a flow list (`[m01, m02]`)."""
    seen: set[tuple[str, str]] = set()
    for pattern, shape, many in TOP:
        for path in sorted((root / "data").glob(pattern)):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".md":
                end = text.index("\n---", 3)
                node = parse_yaml_text(text[4:end], "x", base_line=1).value
            else:
                node = parse_yaml_text(text, "x").value
            lines = text.split("\n")
            for record in (node if many else [node]):
                yield from _walk(path, lines, record, shape, seen)


def _walk(path, lines, node, shape, seen):
    if not isinstance(node, YDict):
        return
    for f in shape.fields:
        if f.key not in node:
            continue
        value, line = node[f.key], node.line_of(f.key)
        if f.kind in ("object", "objects"):
            for item in (value if isinstance(value, YList) else [value]):
                yield from _walk(path, lines, item, f.shape, seen)
        elif (shape.name, f.key) in seen:
            continue
        elif f.kind in TEXT_KINDS and isinstance(value, str) and re.match(rf"^\s*(- )?{f.key}: ", lines[line - 1]):
            seen.add((shape.name, f.key))
            yield path, line, shape, f, value, None
        elif f.kind in LIST_KINDS and isinstance(value, YList) and value and isinstance(value[0], str):
            seen.add((shape.name, f.key))
            if value.line_of(0) != line:  # a block list: its first item, on a line of its own
                yield path, value.line_of(0), shape, f, value[0], None
            elif re.match(rf"^\s*(- )?{f.key}: \[.*\]\s*(#.*)?$", lines[line - 1]):  # a flow list on the key's line
                yield path, line, shape, f, value[0], list(value[1:])


def set_value(path: Path, line: int, written: str, rest: list | None = None) -> str:
    """Line `line` with its value (or a flow list's first item) replaced by `written`; returns what precedes it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    head = re.match(r"^(\s*(?:- )?(?:[a-z_]+: )?)", lines[line - 1]).group(1)
    if rest is not None:
        head += "["
        written = ", ".join([written] + [json.dumps(item, ensure_ascii=False) for item in rest]) + "]"
    lines[line - 1] = head + written
    path.write_text("\n".join(lines), encoding="utf-8")
    return head


def all_text_fields() -> set[tuple[str, str]]:
    out, stack = set(), [shape for _, shape, _ in TOP]
    while stack:
        shape = stack.pop()
        for f in shape.fields:
            if f.kind in TEXT_KINDS + LIST_KINDS:
                out.add((shape.name, f.key))
            elif f.shape is not None:
                stack.append(f.shape)
    return out


def check(run_dangjian, root: Path):
    done = run_dangjian("check", root)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    return done.stderr.splitlines()


def test_the_sample_writes_every_text_field_of_every_record_kind(tmp_path):
    """Otherwise the tests below would leave places out."""
    found = {(shape.name, f.key) for _, _, shape, f, _, _ in places(sample(tmp_path / "p"))}
    assert all_text_fields() - found == set()


def test_control_characters_are_refused_everywhere_raw_and_escaped(tmp_path, run_dangjian):
    root = sample(tmp_path / "p")
    expected = []
    for n, (path, line, _, f, value, rest) in enumerate(list(places(root))):
        ch, name = list(CONTROLS.items())[n % len(CONTROLS)]
        rel = path.relative_to(root).as_posix()
        planted = "甲" + ch + value
        if n % 2:  # raw in the file, inside quotes
            head = set_value(path, line, '"' + planted.replace("\\", "\\\\").replace('"', '\\"') + '"', rest)
            before = (head + '"甲').strip()[-12:]
            expected.append(f"{rel}:{line}: 这一行在“{before}”之后有一个看不见的控制字符 {name}")
        else:  # a YAML escape: "\u000b"
            set_value(path, line, json.dumps(planted, ensure_ascii=True), rest)
            expected.append(f"{rel}:{line}: “{f.key}”的值里用转义写了一个看不见的控制字符 {name}")
    # and the bodies of Markdown documents
    for folder in ("news", "regulations"):
        path = sorted((root / "data" / folder).glob("*.md"))[0]
        with path.open("a", encoding="utf-8") as out:
            out.write("\n正文\x0b第二行\n")
        line = path.read_text(encoding="utf-8").count("\n")
        expected.append(f"{path.relative_to(root).as_posix()}:{line}: 这一行在“正文”之后有一个看不见的控制字符 {CONTROLS[chr(11)]}")
    report = check(run_dangjian, root)
    assert [line for line in expected if line not in report] == []
    # every value but the ids still checks: the rest of each file is read (ids with an escape are also not ids)
    assert all("\x1b" not in line and "\x7f" not in line for line in report)


def test_escaped_control_characters_reach_no_export(tmp_path, run_dangjian):
    """`check` used to pass them, and the Excel and Word exports crashed."""
    root = sample(tmp_path / "p")
    path, line, _, f, value, _ = next(p for p in places(root) if p[3].key == "title" and "activities" in p[0].as_posix())
    set_value(path, line, json.dumps(value + "\x01", ensure_ascii=True))
    rel = path.relative_to(root).as_posix()
    for kind, target in (("report", "r.docx"), ("scores", "s.xlsx")):
        done = run_dangjian("export", kind, root, "--period", "2026-11", "--as-of", "2026-11-20", "-o", tmp_path / target)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert f"{rel}:{line}: “title”的值里用转义写了一个看不见的控制字符 U+0001：请删除它" in done.stderr.splitlines()
        assert not (tmp_path / target).exists()


def test_bidi_controls_are_refused_in_every_name_id_and_member_reference(tmp_path, run_dangjian):
    root = sample(tmp_path / "p")
    expected = []
    for path, line, _, f, value, rest in list(places(root)):
        if f.kind in NAMING_KINDS or f.key == "name":
            set_value(path, line, json.dumps(value[:1] + BIDI + value[1:], ensure_ascii=False), rest)
            expected.append(f"{path.relative_to(root).as_posix()}:{line}: “{f.key}”（{f.label}）{BIDI_MESSAGE}")
    assert len(expected) >= 15
    report = check(run_dangjian, root)
    assert [line for line in expected if line not in report] == []


def test_bidi_controls_stay_allowed_in_free_text(tmp_path, run_dangjian):
    """A quotation in Uyghur or Arabic script may need them; only names must read as written."""
    root = sample(tmp_path / "p")
    path, line, _, f, value, _ = next(p for p in places(root) if p[3].key == "summary")
    set_value(path, line, json.dumps(value + " \u202bمرحبا\u202c", ensure_ascii=False))
    done = run_dangjian("check", root)
    assert done.returncode == 0, done.stderr


def test_nothing_printed_reaches_the_terminal_as_a_command(tmp_path, run_dangjian):
    """ESC recolours the secretary's terminal and U+202E turns the line around: both are shown as escapes."""
    done = run_dangjian("check", tmp_path / "项目\x1b[31m红\u202e")
    assert done.returncode == 2
    assert done.stderr == f"dangjian: 找不到文件夹“{tmp_path}/项目\\x1b[31m红\\u202e”\n"


def test_serve_shows_the_control_character_instead_of_hanging(tmp_path):
    """PyYAML's exception used to escape the load: the preview never showed a page."""
    from support.serve import preview, wait_for

    root = sample(tmp_path / "p")
    members = root / "data" / "members.yml"
    text = members.read_text(encoding="utf-8")
    line = text[:text.index("  post: 综合办公室主任")].count("\n") + 1
    members.write_text(text.replace("  post: 综合办公室主任", "  post: 综合办公室\v主任", 1), encoding="utf-8")
    with preview(root) as served:
        page = wait_for(served.base, f"data/members.yml:{line}:")
    assert (f"data/members.yml:{line}: 这一行在“post: 综合办公室”之后有一个看不见的控制字符 "
            "U+000B（Word 里 Shift+回车 产生的换行）：请删除它或换成普通换行") in page
