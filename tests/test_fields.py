"""Unit tests of the field checker: each kind's accepted values and exact messages."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.load.fields import Checker, describe, parse_date, parse_month
from generator.load.yamlio import parse_yaml_text
from generator.model import spec
from generator.model.problems import Problem
from generator.model.spec import Field, Shape

REL = "data/x.yml"
ROSTER = {"m01": "m01", "m02": "m02", "张示例": "m01", "李示例": "m02", "王示例": ""}  # "" = two members share the name


def resolve(text: str) -> str | None:
    return ROSTER.get(text)


def check(field: Field, raw, line: int = 7, resolver=resolve):
    """(clean value, messages) for one value at `line`."""
    checker = Checker(REL, resolver)
    value = checker.value(raw, field, line)
    assert all(p.path == REL for p in checker.problems)
    return value, [(p.line, p.message) for p in checker.problems]


def yaml(text: str):
    parsed = parse_yaml_text(text, REL)
    assert parsed.problems == ()
    return parsed.value


def accepts(field: Field, raw, expected):
    value, problems = check(field, raw)
    assert problems == []
    assert value == expected
    return value


def rejects(field: Field, raw, message: str, line: int = 7):
    value, problems = check(field, raw, line)
    assert value is None
    assert problems == [(line, message)]


# -- helpers ------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (None, "空值"), (True, "true/false"), (False, "true/false"), (3, "整数“3”"), (1.5, "数字“1.5”"),
    ("文字", "文字“文字”"), ("长" * 31, "文字“" + "长" * 30 + "…”"), ([1], "列表"), ({"a": 1}, "一组键值"),
])
def test_describe(value, text):
    assert describe(value) == text


@pytest.mark.parametrize("text, expected", [
    ("2026-09-15", dt.date(2026, 9, 15)), ("2024-02-29", dt.date(2024, 2, 29)),
    ("2026-02-29", None), ("2026-02-30", None), ("2026-13-01", None), ("2026/09/15", None),
    ("2026-9-15", None), ("20260915", None), ("2026-09-15 08:00", None), ("", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2026-09", (2026, 9)), ("2026-12", (2026, 12)), ("2026-13", None), ("2026-00", None),
    ("2026-9", None), ("九月", None), ("2026-09-01", None),
])
def test_parse_month(text, expected):
    assert parse_month(text) == expected


# -- empty values --------------------------------------------------------------------

@pytest.mark.parametrize("raw", [None, ""])
def test_required_value_may_not_be_empty(raw):
    rejects(Field("title", "str", "主题", required=True), raw, "“title”（主题）不能为空")


@pytest.mark.parametrize("kind", ["str", "int", "date", "member", "members", "object"])
def test_optional_empty_value_is_skipped(kind):
    assert check(Field("x", kind, "某项"), None) == (None, [])


# -- str / text ---------------------------------------------------------------------

STR = Field("title", "str", "主题")
TEXT = Field("summary", "text", "内容纪要")


@pytest.mark.parametrize("raw, expected", [("  主题党日 ", "主题党日"), (2026, "2026"), (1.5, "1.5")])
def test_str_accepts_text_and_numbers(raw, expected):
    accepts(STR, raw, expected)


@pytest.mark.parametrize("raw, described", [(True, "true/false"), ([1], "列表"), ({"a": 1}, "一组键值")])
def test_str_rejects_other_values(raw, described):
    rejects(STR, raw, f"“title”（主题）应是文字，实际是{described}")


def test_str_is_one_line_but_text_may_have_many():
    rejects(STR, "第一行\n第二行", "“title”（主题）应是一行文字")
    accepts(TEXT, "第一行\n第二行\n", "第一行\n第二行")


# -- id ---------------------------------------------------------------------------

ID = Field("id", "id", "编号", required=True)
ID_MESSAGE = "“id”（编号）“{}”只能由英文字母、数字、- 和 _ 组成（不超过 64 个字符），如 m01"


@pytest.mark.parametrize("raw, expected", [("m01", "m01"), ("zr-2026_01", "zr-2026_01"), (7, "7"), ("a" * 64, "a" * 64)])
def test_id_accepts(raw, expected):
    accepts(ID, raw, expected)


@pytest.mark.parametrize("raw, shown", [
    ("../../index", "../../index"), ("m 01", "m 01"), ("-m01", "-m01"), ("党员01", "党员01"),
    ("a" * 65, "a" * 30 + "…"), (True, "True"),
])
def test_id_rejects(raw, shown):
    rejects(ID, raw, ID_MESSAGE.format(shown))


# -- int / number ---------------------------------------------------------------------

DAY = Field("theme_day", "int", "主题党日固定日", minimum=1)
POINTS = Field("points", "number", "分值", required=True, minimum=0)


def test_int_accepts_whole_numbers():
    accepts(DAY, 15, 15)


@pytest.mark.parametrize("raw, described", [
    (15.5, "数字“15.5”"), ("每月15日", "文字“每月15日”"), (True, "true/false"), ([15], "列表"),
])
def test_int_rejects(raw, described):
    rejects(DAY, raw, f"“theme_day”（主题党日固定日）应是整数，实际是{described}")


def test_int_minimum():
    rejects(DAY, 0, "“theme_day”（主题党日固定日）不能小于 1，这里是 0")


@pytest.mark.parametrize("raw", [0, 1, 2.5])
def test_number_accepts(raw):
    accepts(POINTS, raw, raw)


@pytest.mark.parametrize("raw, described", [("一分", "文字“一分”"), (False, "true/false"), ("3", "文字“3”")])
def test_number_rejects(raw, described):
    rejects(POINTS, raw, f"“points”（分值）应是数字，实际是{described}")


def test_number_minimum():
    rejects(POINTS, -2, "“points”（分值）不能小于 0，这里是 -2")
    rejects(POINTS, -0.5, "“points”（分值）不能小于 0，这里是 -0.5")


@pytest.mark.parametrize("raw", [float("nan"), float("inf")], ids=["nan", "inf"])
def test_number_rejects_nan_and_infinity(raw):
    value, problems = check(POINTS, raw)
    assert value is None
    assert len(problems) == 1


# -- bool ---------------------------------------------------------------------------

THEME = Field("theme", "bool", "有主题")


@pytest.mark.parametrize("raw", [True, False])
def test_bool_accepts(raw):
    assert check(THEME, raw) == (raw, [])


@pytest.mark.parametrize("raw, described", [("yes", "文字“yes”"), ("是", "文字“是”"), (1, "整数“1”")])
def test_bool_rejects(raw, described):
    rejects(THEME, raw, f"“theme”（有主题）应写 true（是）或 false（否），实际是{described}")


def test_yes_from_a_file_is_refused_with_its_line():
    node = yaml("- type: 主题党日\n  wuyou:\n    theme: yes\n    record: true\n")
    checker = Checker(REL, resolve)
    clean = checker.record(node[0], spec.ACTIVITY, node.line_of(0))
    assert clean["wuyou"] == {"record": True}
    assert checker.problems[-1] == Problem(REL, 3, "“theme”（有主题）应写 true（是）或 false（否），实际是文字“yes”")


# -- date / datetime -------------------------------------------------------------------

DATE = Field("date", "date", "日期", required=True)
PAID = Field("paid_at", "datetime", "交纳时间", required=True)


@pytest.mark.parametrize("raw", ["2026-09-15", " 2026-09-15 "])
def test_date_accepts(raw):
    accepts(DATE, raw, dt.date(2026, 9, 15))


@pytest.mark.parametrize("raw", ["2026-02-30", "2026-13-01", "2026-00-10"])
def test_date_not_on_the_calendar(raw):
    rejects(DATE, raw, f"“date”（日期）“{raw}”不是日历上存在的日期：请核对月份和日")


@pytest.mark.parametrize("raw, shown", [
    ("2026/09/15", "2026/09/15"), ("2026-9-8", "2026-9-8"), ("2026年9月15日", "2026年9月15日"),
    (20260915, "20260915"), ("2026-09-15 08:00", "2026-09-15 08:00"), ("2026-09", "2026-09"),
])
def test_date_wrong_format(raw, shown):
    rejects(DATE, raw, f"“date”（日期）应写成 YYYY-MM-DD，如 2026-09-15，实际是“{shown}”")


@pytest.mark.parametrize("raw, expected", [
    ("2026-09-01 00:05", dt.datetime(2026, 9, 1, 0, 5)),
    ("2026-09-01 8:30", dt.datetime(2026, 9, 1, 8, 30)),
    ("2026-09-01T08:30:15", dt.datetime(2026, 9, 1, 8, 30, 15)),
])
def test_datetime_accepts(raw, expected):
    accepts(PAID, raw, expected)


@pytest.mark.parametrize("raw", ["2026-09-01 25:00", "2026-09-01 12:60", "2026-09-01 23:59:60"])
def test_datetime_time_that_does_not_exist(raw):
    rejects(PAID, raw, f"“paid_at”（交纳时间）“{raw}”的时刻不存在：小时 0–23，分钟 0–59")


@pytest.mark.parametrize("raw", ["2026-09-01", "2026-02-30 08:00", "2026/09/01 08:00", "9月1日 0点5分"])
def test_datetime_wrong_format(raw):
    rejects(PAID, raw, f"“paid_at”（交纳时间）应写成 YYYY-MM-DD HH:MM，如 2026-03-01 00:05，实际是“{raw}”")


# -- choice / audience -----------------------------------------------------------------

TYPE = spec.ACTIVITY.by_key["type"]
AUDIENCE = spec.AUDIENCE


def test_choice_accepts():
    accepts(TYPE, " 主题党日 ", "主题党日")


def test_choice_rejects_with_every_choice_listed():
    rejects(TYPE, "主题党课", "“type”（活动类型）“主题党课”不是可选的值：是不是“主题党日”？请从 "
            "主题党日、政治学习、支委会、党员大会、党小组会、党课、组织生活会、民主评议、谈心谈话、政治生日、志愿服务、其他 中选一个")


@pytest.mark.parametrize("raw, expected", [
    ("public", "public"), ("party", "party"), ("committee", "committee"),
    ("公开", "public"), (" 党内 ", "party"), ("支委", "committee"), ("支委会", "committee"),
])
def test_audience_accepts_english_and_chinese(raw, expected):
    accepts(AUDIENCE, raw, expected)


@pytest.mark.parametrize("raw", ["全体党员", "Public", "private"])
def test_audience_rejects(raw):
    rejects(AUDIENCE, raw, f"“audience”（公开范围）“{raw}”不是可选的值：请写 public（公开）、party（党内）或 committee（支委）")


# -- member / members -------------------------------------------------------------------

HOST = spec.ACTIVITY.by_key["host"]
ATTENDEES = spec.ACTIVITY.by_key["attendees"]
NOT_IN_ROSTER = "“{key}”（{label}）“{text}”不在党员名册 data/members.yml 中：请核对编号或姓名，或先在名册中添加"


@pytest.mark.parametrize("raw", ["m01", "张示例", " m01 "])
def test_member_by_id_or_unique_name(raw):
    accepts(HOST, raw, "m01")


def test_member_unknown():
    value, problems = check(HOST, "张三")
    assert value is None
    assert problems == [(7, NOT_IN_ROSTER.format(key="host", label="主持/主办人", text="张三"))]


def test_member_ambiguous_name():
    rejects(HOST, "王示例", "“host”（主持/主办人）“王示例”在名册中有重名：请改写党员编号")


@pytest.mark.parametrize("raw, described", [(None, "空值"), (True, "true/false"), (["m01"], "列表"), ({"id": "m01"}, "一组键值")])
def test_member_must_be_an_id_or_a_name(raw, described):
    checker = Checker(REL, resolve)
    assert checker.member(raw, "“host”（主持/主办人）", 7) is None
    assert checker.problems == [Problem(REL, 7, f"“host”（主持/主办人）应写党员编号或姓名，实际是{described}")]


def test_member_without_a_roster_is_kept_as_written():
    assert check(HOST, 42, resolver=None) == ("42", [])


def test_members_are_resolved_item_by_item_with_their_lines():
    node = yaml("attendees:\n  - m01\n  - 李示例\n  - 张三\n  - [m02]\n")
    value, problems = check(ATTENDEES, node["attendees"], line=node.line_of("attendees"))
    assert value == ("m01", "m02")
    assert problems == [
        (4, NOT_IN_ROSTER.format(key="attendees", label="出席人员", text="张三")),
        (5, "“attendees”（出席人员）应写党员编号或姓名，实际是列表"),
    ]


def test_members_must_be_a_list():
    rejects(ATTENDEES, "m01, m02", "“attendees”（出席人员）应是一个列表，如 [m01, m02]，实际是文字“m01, m02”")


def test_members_same_person_twice():
    value, problems = check(ATTENDEES, ["m01", "m02", "张示例"])
    assert value == ("m01", "m02", "m01")
    assert problems == [(7, "“attendees”（出席人员）中同一党员（m01）出现了两次")]


# -- strings ---------------------------------------------------------------------------

STEPS = spec.ACTIVITY.by_key["steps"]


def test_strings_accepts_a_list_of_text():
    accepts(STEPS, ["重温入党誓词", 2026, " 歌唱我的祖国 "], ("重温入党誓词", "2026", "歌唱我的祖国"))


def test_strings_item_that_is_not_text_has_its_line():
    node = yaml("steps:\n  - 重温入党誓词\n  - {a: 1}\n  -\n")
    value, problems = check(STEPS, node["steps"], line=1)
    assert value == ("重温入党誓词",)
    assert problems == [
        (3, "“steps”（完成的环节）的每一项应是文字，实际是一组键值"),
        (4, "“steps”（完成的环节）的每一项应是文字，实际是空值"),
    ]


def test_strings_must_be_a_list():
    value, problems = check(STEPS, "重温入党誓词")
    assert value is None
    assert len(problems) == 1
    assert problems[0][1].startswith("“steps”（完成的环节）应是一个列表，")
    assert problems[0][1].endswith("实际是文字“重温入党誓词”")


def test_strings_message_does_not_suggest_member_ids():
    _, problems = check(STEPS, "重温入党誓词")
    assert "m01" not in problems[0][1]


# -- records -----------------------------------------------------------------------------

SEAT = spec.COMMITTEE_SEAT


def test_record_returns_clean_values():
    node = yaml("member: 张示例\nrole: 支部书记\n")
    checker = Checker(REL, resolve)
    assert checker.record(node, SEAT, node.line) == {"member": "m01", "role": "支部书记"}
    assert checker.problems == []


def test_record_unknown_key_is_reported_at_its_line():
    node = yaml("# 支委\nmember: m01\nrool: 支部书记\n")
    checker = Checker(REL, resolve)
    assert checker.record(node, SEAT, node.line) == {"member": "m01"}
    assert checker.problems == [
        Problem(REL, 3, "支委成员中没有“rool”这一项：是不是 role（职务）？请改正拼写"),
        Problem(REL, 2, "支委成员缺少“role”（职务）：请补上"),
    ]


def test_record_that_is_not_a_mapping():
    checker = Checker(REL, resolve)
    assert checker.record("m01 支部书记", SEAT, 9) is None
    assert checker.problems == [Problem(REL, 9, "这里应是一条支委成员记录（若干“名称: 值”），实际是文字“m01 支部书记”")]


def test_nested_object_and_objects_keep_lines():
    node = yaml(
        "- type: 主题党日\n"
        "  date: 2026-09-15\n"
        "  title: 测试\n"
        "  wuyou: {theme: true, recrod: true}\n"
        "  reflections:\n"
        "    - {member: m02, text: 有收获}\n"
        "    - {member: m09}\n"
    )
    checker = Checker(REL, resolve)
    clean = checker.record(node[0], spec.ACTIVITY, node.line_of(0))
    assert clean["wuyou"] == {"theme": True}
    assert clean["reflections"] == [({"member": "m02", "text": "有收获"}, 6), ({}, 7)]
    assert checker.problems == [
        Problem(REL, 4, "五有中没有“recrod”这一项：是不是 record（有记录）？请改正拼写"),
        Problem(REL, 7, NOT_IN_ROSTER.format(key="member", label="党员", text="m09")),
        Problem(REL, 7, "感悟缺少“text”（感悟内容）：请补上"),
    ]


def test_records_of_none_is_empty():
    checker = Checker(REL, resolve)
    assert checker.records(None, SEAT, 1, "支委") == []
    assert checker.problems == []


def test_records_must_be_a_list():
    checker = Checker(REL, resolve)
    assert checker.records({"member": "m01"}, SEAT, 4, "“committee”（支部委员会）") == []
    assert checker.problems == [
        Problem(REL, 4, "“committee”（支部委员会）应是一个列表（每项以“- ”开头），实际是一组键值")]


def test_records_give_each_item_its_line():
    node = yaml("# 名册\n- {id: m01, name: 张示例, joined: 2005-07-01}\n\n- id: m02\n  name: 李示例\n  joined: 2012-06-20\n- 王示例\n")
    checker = Checker(REL)
    out = checker.records(node, spec.MEMBER, node.line, "党员名册")
    assert [line for _, line in out] == [2, 4]
    assert [values["id"] for values, _ in out] == ["m01", "m02"]
    assert checker.problems == [Problem(REL, 7, "这里应是一条党员记录（若干“名称: 值”），实际是文字“王示例”")]


# -- every declared field can be checked ---------------------------------------------------

SHAPES = [value for value in vars(spec).values() if isinstance(value, Shape)]


@pytest.mark.parametrize("field", [f for shape in SHAPES for f in shape.fields], ids=lambda f: f.key)
def test_every_declared_kind_is_handled(field):
    checker = Checker(REL, resolve)
    checker.value(None, field, 1)
    checker.value("一段文字", field, 1)  # never an exception, whatever the kind


def test_a_key_with_no_near_match_lists_every_key():
    node = yaml("member: m01\nrole: 支部书记\nxyz: 1\n")
    checker = Checker(REL, resolve)
    checker.record(node, SEAT, node.line)
    assert checker.problems == [Problem(REL, 3, "支委成员中没有“xyz”这一项：请检查拼写，可用的项有 member、role")]


def test_a_name_longer_than_any_real_name_is_refused_saying_how_long_it_is():
    """A whole sentence pasted into 姓名 would stretch every table it appears in (issue 30.11)."""
    name = spec.MEMBER.by_key["name"]
    accepts(name, "阿卜杜热合曼·阿卜杜克热木", "阿卜杜热合曼·阿卜杜克热木")
    assert check(name, "张" * 41) == (None, [(7, f"“name”（姓名）“{'张' * 30}…”有 41 个字，最多 40 个字：请只写姓名本身")])
