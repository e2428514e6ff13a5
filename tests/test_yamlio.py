"""Unit tests of the loader: line numbers, encodings, the YAML choices, front matter."""

from __future__ import annotations

import pytest

from generator.load.yamlio import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    YDict,
    YList,
    decode,
    line_of,
    parse_yaml_text,
    read_markdown,
    read_yaml,
    split_front_matter,
)
from generator.model.problems import Problem

REL = "data/x.yml"
GBK_HINT = "文件不是 UTF-8 编码（看起来是 GBK/GB18030，Windows 记事本或 Excel 的默认编码）：请用“另存为 → 编码 UTF-8”重新保存"
MISSING_COLON = "YAML 格式错误：缺少冒号：每一项应写成“名称: 值”，冒号后留一个空格"


def parse(text: str, base_line: int = 0):
    parsed = parse_yaml_text(text, REL, base_line)
    return parsed.value, parsed.problems


def one_problem(text: str, base_line: int = 0) -> Problem:
    value, problems = parse(text, base_line)
    assert value is None
    assert len(problems) == 1, problems
    return problems[0]


# -- line numbers ---------------------------------------------------------------

MEMBERS = """\
# 名册
- id: m01
  name: 张示例

- id: m02
  name: 李示例
  groups:
    - 第一党小组
    - 第二党小组
"""


def test_mappings_and_sequences_keep_their_lines():
    value, problems = parse(MEMBERS)
    assert problems == ()
    assert isinstance(value, YList) and value.line == 2
    assert value.item_lines == [2, 5]
    first, second = value
    assert isinstance(first, YDict)
    assert (first.line, first.line_of("id"), first.line_of("name")) == (2, 2, 3)
    assert second.key_lines == {"id": 5, "name": 6, "groups": 7}
    assert second["groups"].line == 8
    assert second["groups"].item_lines == [8, 9]


def test_line_of_falls_back_to_the_container():
    value, _ = parse(MEMBERS)
    assert value[0].line_of("phone") == 2  # a missing key: the record's line
    assert value.line_of(5) == value.line == 2  # an item past the end
    assert value.line_of(-1) == 2
    assert line_of(value[1]) == 5
    assert line_of("张示例", 7) == 7
    assert line_of(None) == 0


def test_flow_style_items_have_their_own_lines():
    value, _ = parse("items:\n  - {a: 1}\n  - [1,\n     2]\n  - {b: 2}\n")
    assert value["items"].item_lines == [2, 3, 5]
    assert value["items"][0].line_of("a") == 2


def test_base_line_shifts_every_line():
    value, _ = parse("a: 1\nb:\n  - x\n", base_line=4)
    assert value.line == 5
    assert value.key_lines == {"a": 5, "b": 6}
    assert value["b"].item_lines == [7]


def test_keys_are_always_text():
    value, problems = parse("1: a\n2.5: b\n")
    assert problems == ()
    assert list(value) == ["1", "2.5"]


# -- encodings and line endings ---------------------------------------------------

def test_bom_is_accepted():
    text, problems = decode("\ufeffid: m01\nname: 张示例\n".encode("utf-8"), REL)
    assert problems == []
    assert text == "id: m01\nname: 张示例\n"
    value, _ = parse(text)
    assert value.key_lines == {"id": 1, "name": 2}


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["windows", "old-mac"])
def test_other_line_endings_are_accepted(newline):
    raw = newline.join(["- id: m01", "  name: 张示例", "- id: m02", ""]).encode("utf-8")
    text, problems = decode(raw, REL)
    assert problems == []
    assert "\r" not in text
    value, _ = parse(text)
    assert value.item_lines == [1, 3]
    assert value[0]["name"] == "张示例"


def test_read_yaml_accepts_bom_and_crlf(tmp_path):
    path = tmp_path / "members.yml"
    path.write_bytes("\ufeff- id: m01\r\n  name: 张示例\r\n".encode("utf-8"))
    parsed = read_yaml(path, "data/members.yml")
    assert parsed.problems == ()
    assert parsed.value == [{"id": "m01", "name": "张示例"}]
    assert parsed.value[0].line_of("name") == 2


def test_gbk_is_named_with_the_line_of_the_first_bad_byte():
    raw = "id: m01\nname: 张示例\n".encode("gbk")
    assert decode(raw, REL) == (None, [Problem(REL, 2, GBK_HINT)])


def test_undecodable_bytes():
    assert decode(b"id: m01\n\x80\n", REL) == (
        None, [Problem(REL, 2, "文件不是 UTF-8 编码，也无法识别：请用文本编辑器以 UTF-8 编码重新保存")])


def test_binary_file():
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert decode(raw, REL) == (
        None, [Problem(REL, 0, "这是一个二进制文件，不是文本：请确认没有把图片、Word 或 Excel 文件放错位置")])


def test_too_large_file():
    text, problems = decode(b"#" * (MAX_FILE_BYTES + 1), REL)
    assert text is None
    assert problems == [Problem(REL, 0, "文件过大（5 MB，上限 5 MB）：请按月份拆分成多个文件")]


def test_unreadable_file(tmp_path):
    parsed = read_yaml(tmp_path / "no-such.yml", REL)
    assert parsed.value is None
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == 0
    assert parsed.problems[0].message.startswith("无法读取文件：")


# -- the loader's choices ------------------------------------------------------------

def test_dates_stay_text():
    value, problems = parse(
        "joined: 2005-07-01\nimpossible: 2026-02-30\nmonth: 2026-09\npaid_at: 2026-09-01 00:05\n"
        "iso: 2026-09-01T08:30:00Z\n")
    assert problems == ()
    assert value == {
        "joined": "2005-07-01", "impossible": "2026-02-30", "month": "2026-09",
        "paid_at": "2026-09-01 00:05", "iso": "2026-09-01T08:30:00Z",
    }


@pytest.mark.parametrize("word", ["yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n"])
def test_yes_no_stay_text(word):
    value, problems = parse(f"a: {word}\n")
    assert problems == ()
    assert value["a"] == word


@pytest.mark.parametrize("word, expected", [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
])
def test_true_false_are_booleans(word, expected):
    value, _ = parse(f"a: {word}\n")
    assert value["a"] is expected


def test_numbers_and_null():
    value, _ = parse("a: 15\nb: 0.5\nc: -2\nd: ~\ne:\nf: null\n")
    assert value == {"a": 15, "b": 0.5, "c": -2, "d": None, "e": None, "f": None}
    assert type(value["a"]) is int and type(value["b"]) is float


def test_leading_zeros_and_colons_stay_text():
    value, _ = parse("id: 010\ncode: 007\ntime: 1:30\n")
    assert value == {"id": "010", "code": "007", "time": "1:30"}


def test_empty_document_is_none_without_problems():
    assert parse("") == (None, ())
    assert parse("# 只有注释\n\n") == (None, ())


def test_duplicate_keys_are_reported_at_the_second_key():
    value, problems = parse("- id: m01\n  post: 会计\n  name: 张示例\n  post: 出纳\n")
    assert value == [{"id": "m01", "post": "出纳", "name": "张示例"}]
    assert value[0].line_of("post") == 4
    assert problems == (Problem(REL, 4, "“post”在同一层写了两次：请删除或合并重复的一项（后写的会覆盖先写的）"),)


def test_duplicate_keys_in_front_matter_have_file_lines():
    doc = split_front_matter("---\ntitle: 一\ndate: 2026-09-01\ntitle: 二\n---\n正文\n", "data/news/a.md")
    assert doc.meta["title"] == "二"
    assert doc.problems == (
        Problem("data/news/a.md", 4, "“title”在同一层写了两次：请删除或合并重复的一项（后写的会覆盖先写的）"),)


def test_an_alias_is_refused_at_its_line():
    text = "- &a [哈, 哈, 哈]\n- &b [*a, *a, *a]\n- [*b, *b, *b]\n"
    assert one_problem(text) == Problem(
        REL, 2, "不支持 YAML 别名（*a）：请把内容直接写出来，不要用 & 和 * 引用")


def test_a_merge_key_alias_is_refused():
    text = "base: &base {place: 党员活动室}\nday:\n  <<: *base\n  title: 主题党日\n"
    assert one_problem(text).line == 3


def test_an_anchor_alone_is_harmless():
    assert parse("a: &x 1\nb: 2\n") == ({"a": 1, "b": 2}, ())


def test_nesting_depth_limit():
    assert parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)[1] == ()
    text = "a: 1\nb: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"  # the mapping adds one level
    assert one_problem(text) == Problem(REL, 2, f"嵌套层数超过 {MAX_DEPTH} 层：请检查缩进，数据不需要这么深的层次")


def test_very_deep_nesting_does_not_crash():
    problem = one_problem("[" * 5000 + "]" * 5000)
    assert problem.line == 1
    assert "嵌套层数" in problem.message


# -- syntax errors ---------------------------------------------------------------------

@pytest.mark.parametrize("text, line, message", [
    ("- type: 政治学习\n\ttitle: x\n", 2,
     "YAML 格式错误：不能用 Tab 缩进，也不能以 @ 或 ` 开头：请改用空格缩进，或给值加引号"),
    ('a: 1\ntitle: "九月\n\nb: 2\n', 2, "YAML 格式错误：引号没有闭合：请检查这一行的引号是否成对"),
    ("title: 学习: 重要讲话\n", 1, "YAML 格式错误：这一行多了一个冒号：值里含有冒号时，请把整个值用引号括起来"),
    ("- a: 1\n  b: 2\n c: 3\n", 3, "YAML 格式错误：缩进不一致：同一层的条目应对齐，请检查这一行的空格数"),
    ("a: @m01\n", 1, "YAML 格式错误：不能用 Tab 缩进，也不能以 @ 或 ` 开头：请改用空格缩进，或给值加引号"),
], ids=["tab", "unclosed-quote", "colon-in-value", "less-indented", "at-sign"])
def test_syntax_errors(text, line, message):
    assert one_problem(text) == Problem(REL, line, message)


def test_syntax_error_lines_are_shifted_in_front_matter():
    doc = split_front_matter("---\ntitle: x\n\tdate: 2026-09-01\n---\n", "data/news/a.md")
    assert doc.meta is None
    assert [p.line for p in doc.problems] == [3]


@pytest.mark.parametrize("text", [
    "a: 1\nb:c\nd: 2\n",
    "a: 1\nb:c\n\n# 注释\nd: 2\n",
], ids=["next-line", "after-comment"])
def test_missing_space_after_colon_is_reported_at_its_line(text):
    assert one_problem(text) == Problem(REL, 2, MISSING_COLON)


def test_unclosed_bracket_is_reported_where_it_opens():
    problem = one_problem("a: 1\nb: [m01, m02\nc: 3\n")
    assert problem.line == 2
    assert "expected" not in problem.message


def test_second_document_is_explained_in_chinese():
    problem = one_problem("- a: 1\n---\n- a: 2\n")
    assert problem.line == 2
    assert "found another document" not in problem.message


# -- front matter ----------------------------------------------------------------------

def test_front_matter_and_body_line():
    doc = split_front_matter("---\ntitle: 标题\ndate: 2026-09-01\n---\n\n正文\n", "data/news/a.md")
    assert doc.problems == ()
    assert doc.meta == {"title": "标题", "date": "2026-09-01"}
    assert doc.meta.line == 2
    assert doc.meta.key_lines == {"title": 2, "date": 3}
    assert doc.body == "\n正文\n"
    assert doc.body_line == 5


def test_front_matter_may_end_with_dots_and_have_trailing_spaces():
    doc = split_front_matter("--- \ntitle: x\n...\nbody", "a.md")
    assert (doc.meta, doc.body, doc.body_line, doc.problems) == ({"title": "x"}, "body", 4, ())


def test_only_the_first_closing_line_ends_the_front_matter():
    doc = split_front_matter("---\ntitle: x\n---\n一\n\n---\n\n二\n", "a.md")
    assert doc.meta == {"title": "x"}
    assert doc.body == "一\n\n---\n\n二\n"
    assert doc.body_line == 4


def test_empty_front_matter():
    doc = split_front_matter("---\n---\n正文\n", "a.md")
    assert (doc.meta, doc.body, doc.body_line, doc.problems) == (None, "正文\n", 3, ())


def test_no_front_matter():
    doc = split_front_matter("# 标题\n\n正文\n", "a.md")
    assert doc.meta is None
    assert doc.body == "# 标题\n\n正文\n"
    assert doc.problems == (
        Problem("a.md", 1, "文件开头缺少信息头：第一行应是 ---，随后写标题、日期等信息，再以 --- 结束"),)


def test_front_matter_never_closed():
    doc = split_front_matter("---\ntitle: x\ndate: 2026-09-01\n\n正文\n", "a.md")
    assert doc.meta is None
    assert doc.problems == (Problem("a.md", 1, "信息头没有结束：请在标题、日期等信息之后加一行 ---"),)


def test_read_markdown_with_bom_and_crlf(tmp_path):
    path = tmp_path / "one.md"
    path.write_bytes("\ufeff---\r\ntitle: 标题\r\n---\r\n正文\r\n".encode("utf-8"))
    doc = read_markdown(path, "data/regulations/one.md")
    assert doc.problems == ()
    assert doc.meta == {"title": "标题"}
    assert doc.meta.line_of("title") == 2
    assert (doc.body, doc.body_line) == ("正文\n", 4)


def test_read_markdown_in_gbk(tmp_path):
    path = tmp_path / "one.md"
    path.write_bytes("---\ntitle: 标题\n---\n".encode("gbk"))
    doc = read_markdown(path, "data/regulations/one.md")
    assert doc.meta is None
    assert doc.problems == (Problem("data/regulations/one.md", 2, GBK_HINT),)
