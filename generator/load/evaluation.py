"""Checking `data/evaluation.yml`: structure, indicator codes, every comparison matrix,
the `attendance` rules (the points an activity's attendees earn without a ledger line) and
the `earn` rules (the points other records earn: roles, news, ideas, dues, duties, 四个一).

Read once, into the typed `Evaluation` that scoring works on: every matrix as numbers.
The judgments are read by `judgments.py` and the AHP maths is `compute/ahp.py`'s; this
module maps their findings back to the lines of the user's file, so an inconsistent
matrix fails the build with the file, the line, the matrix, its CR and the judgment to change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from generator.compute import ahp
from generator.load.fields import describe, nearest
from generator.load.hierarchy import numbers, read_settings
from generator.load.judgments import build_matrix
from generator.load.yamlio import YDict, YList
from generator.model.hierarchy import Judgments, Rater, Settings
from generator.model.problems import Problem
from generator.model.records import (
    ACTIVITY_ROLES,
    EARNING_RECORDS,
    AttendanceRule,
    Dimension,
    EarningRule,
    Evaluation,
    Indicator,
    Src,
)
from generator.model.spec import ACTIVITY_TYPES

_TOP_KEYS = {"title", "method", "cr_threshold", "ri", "matrix", "raters", "dimensions", "attendance", "earn"}
_EARN_KEYS = {"record", "activity", "indicator", "points", "note", "by_day"}
_DIM_KEYS = {"code", "name", "matrix", "raters", "indicators"}
_IND_KEYS = {"code", "name", "cap", "unit", "records"}

_Add = Callable[[int, str], None]


def check_evaluation(node: YDict, rel: str) -> tuple[Evaluation | None, list[Problem]]:
    problems: list[Problem] = []

    def add(line: int, message: str) -> None:
        problems.append(Problem(rel, line, message))

    for key in node:
        if key not in _TOP_KEYS:
            add(node.line_of(key), f"评价体系中没有“{key}”这一项：可用的项有 {'、'.join(sorted(_TOP_KEYS))}")
    # the same reader as `dangjian ahp`: one rule for method, ri and cr_threshold
    settings, issues = read_settings(node)
    for issue in issues:
        add(node.line_of(issue.where), issue.message)

    dims_node = node.get("dimensions")
    if not isinstance(dims_node, list) or not dims_node:
        add(node.line_of("dimensions"), "评价体系缺少维度列表 dimensions：请按默认的五力写出各维度及其指标")
        return None, problems

    dimensions: list[Dimension] = []
    codes: dict[str, int] = {}
    for index, dim in enumerate(dims_node):
        dline = dims_node.line_of(index) if isinstance(dims_node, YList) else node.line
        if not isinstance(dim, YDict):
            add(dline, f"每个维度应写 code、name、matrix、indicators，实际是{describe(dim)}")
            continue
        for key in dim:
            if key not in _DIM_KEYS:
                add(dim.line_of(key), f"维度中没有“{key}”这一项：可用的项有 {'、'.join(sorted(_DIM_KEYS))}")
        code, name = str(dim.get("code", "")).strip(), str(dim.get("name", "")).strip()
        if not code or not name:
            add(dline, "维度要写代码 code 和名称 name，如 code: L, name: 学习力")
            continue
        indicators, written = _indicators(dim, name, codes, add)
        # the matrix is checked against every indicator written, even one with a bad cap
        judgments = _check_matrix(dim, f"维度“{name}”的指标", written, settings, add)
        dimensions.append(Dimension(code, name, tuple(indicators), judgments))
        if code in codes:
            add(dline, f"代码“{code}”重复：维度和指标的代码都必须唯一")
        codes[code] = dline

    judgments = _check_matrix(node, "五个维度", [d.name for d in dimensions], settings, add,
                              expected=len(dims_node))
    indicator_codes = [i.code for d in dimensions for i in d.indicators]
    attendance = _attendance(node, indicator_codes, add)
    earn = _earn(node, indicator_codes, rel, add)
    if problems:
        return None, problems
    return Evaluation(str(node.get("title", "党员积分评价体系")), tuple(dimensions), judgments, settings,
                      Src(rel, node.line), attendance, earn), problems


def _earn(node: YDict, codes: list[str], rel: str, add: _Add) -> tuple[EarningRule, ...]:
    """`earn:` a list of {record, indicator, points, ...}: what each kind of record earns, in precedence order."""
    rules = node.get("earn")
    if rules is None:
        return ()
    shape = "{record: 记录, indicator: 指标代码, points: 分值}"
    if not isinstance(rules, list):
        add(node.line_of("earn"), f"earn 应是若干行“- {shape}”，实际是{describe(rules)}")
        return ()
    out: list[EarningRule] = []
    taken: dict[tuple[str, str], int] = {}  # (record, activity type or "") -> the line of the rule that takes it
    for index, rule in enumerate(rules):
        line = rules.line_of(index) if isinstance(rules, YList) else node.line_of("earn")
        if not isinstance(rule, dict):
            add(line, f"earn 的每一行应写成 {shape}，实际是{describe(rule)}")
            continue
        extra = sorted(str(k) for k in rule if k not in _EARN_KEYS)
        if extra:
            add(line, f"earn 的规则中没有“{'、'.join(extra)}”这一项：可用的项有 {'、'.join(sorted(_EARN_KEYS))}")
            continue
        record = str(rule.get("record", "")).strip()
        if record not in EARNING_RECORDS:
            guess = nearest(record, EARNING_RECORDS, cutoff=0.5)
            add(line, f"earn 中的记录“{record}”无法计分：{f'是不是“{guess}”？' if guess else ''}"
                      f"请从 {'、'.join(EARNING_RECORDS)} 中选")
            continue
        indicator, points = str(rule.get("indicator", "")).strip(), rule.get("points")
        if indicator not in codes:
            guess = nearest(indicator, codes, cutoff=0.9)
            add(line, f"earn 中“{record}”的指标“{indicator}”不在评价体系中：{f'是不是 {guess}？' if guess else ''}请写指标代码")
            continue
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points < math.inf:
            add(line, f"earn 中“{record}”的分值 points 应是大于 0 的数字，实际是{describe(points)}")
            continue
        written = rule.get("activity")
        kinds = tuple(str(k).strip() for k in (written if isinstance(written, list) else [written] if written else []))
        if kinds and record not in ACTIVITY_ROLES:
            add(line, f"earn 中“{record}”不是活动中的角色，不能写 activity：只有 {'、'.join(ACTIVITY_ROLES)} 可以限定活动类型")
            continue
        wrong = [k for k in kinds if k not in ACTIVITY_TYPES]
        if wrong:
            guess = nearest(wrong[0], ACTIVITY_TYPES, cutoff=0.5)
            add(line, f"earn 中的“{wrong[0]}”不是活动类型：{f'是不是“{guess}”？' if guess else ''}请从 {'、'.join(ACTIVITY_TYPES)} 中选")
            continue
        by_day = rule.get("by_day")
        if by_day is not None and (record != "按时交纳党费" or isinstance(by_day, bool) or not isinstance(by_day, int)
                                   or not 1 <= by_day <= 28):
            add(line, "by_day 只用于“按时交纳党费”，写每月几日前交纳算按时（1 到 28 的整数），不写为月底前")
            continue
        # a record already taken by an earlier rule would never earn here: say so rather than ignore the rule
        scope = kinds or ("",)
        earlier = next((taken[(record, k)] for k in scope if (record, k) in taken), None)
        if earlier is None and kinds:
            earlier = taken.get((record, ""))
        if earlier is not None:
            add(line, f"earn 中“{record}”已由第 {earlier} 行的规则计分：同一条记录只按先写的规则计一次，请删除或合并这一行")
            continue
        for k in scope:
            taken[(record, k)] = line
        note = str(rule.get("note") or record)
        out.append(EarningRule(record, indicator, float(points), note, Src(rel, line), kinds, by_day))
    return tuple(out)


def _attendance(node: YDict, codes: list[str], add: _Add) -> tuple[AttendanceRule, ...]:
    """`attendance:` activity type -> {indicator, points, note}: the points each attendee earns."""
    rules = node.get("attendance")
    if rules is None:
        return ()
    if not isinstance(rules, dict):
        add(node.line_of("attendance"), f"attendance 应是“活动类型: {{indicator: 指标代码, points: 分值}}”的若干行，实际是{describe(rules)}")
        return ()
    out = []
    for kind, rule in rules.items():
        line = rules.line_of(kind) if isinstance(rules, YDict) else node.line_of("attendance")
        if kind not in ACTIVITY_TYPES:
            guess = nearest(str(kind), ACTIVITY_TYPES, cutoff=0.5)
            add(line, f"attendance 中的“{kind}”不是活动类型：{f'是不是“{guess}”？' if guess else ''}请从 {'、'.join(ACTIVITY_TYPES)} 中选")
            continue
        if not isinstance(rule, dict) or not {"indicator", "points"} <= rule.keys() or set(rule) - {"indicator", "points", "note"}:
            add(line, f"attendance 中“{kind}”应写成 {{indicator: 指标代码, points: 分值}}（可加 note: 事由），实际是{describe(rule)}")
            continue
        indicator, points = str(rule["indicator"]).strip(), rule["points"]
        if indicator not in codes:
            guess = nearest(indicator, codes, cutoff=0.9)
            add(line, f"attendance 中“{kind}”的指标“{indicator}”不在评价体系中：{f'是不是 {guess}？' if guess else ''}请写指标代码")
            continue
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points < math.inf:
            add(line, f"attendance 中“{kind}”的分值应是大于 0 的数字，实际是{describe(points)}")
            continue
        out.append(AttendanceRule(kind, indicator, float(points), str(rule.get("note") or f"{kind}出勤")))
    return tuple(out)


def _indicators(dim: YDict, dim_name: str, codes: dict[str, int], add: _Add) -> tuple[list[Indicator], list[str]]:
    """The valid indicators, and the names of all that were written with a code and name."""
    items = dim.get("indicators")
    if not isinstance(items, list) or not items:
        add(dim.line_of("indicators"), f"维度“{dim_name}”没有指标：请在 indicators 下列出指标")
        return [], []
    out, written = [], []
    for index, item in enumerate(items):
        line = items.line_of(index) if isinstance(items, YList) else dim.line
        if not isinstance(item, dict):
            add(line, f"指标应写成 {{code: L1, name: 名称, cap: 1, unit: 次}}，实际是{describe(item)}")
            continue
        for key in item:
            if key not in _IND_KEYS:
                add(line, f"指标中没有“{key}”这一项：可用的项有 {'、'.join(sorted(_IND_KEYS))}")
        code, name, cap = str(item.get("code", "")).strip(), str(item.get("name", "")).strip(), item.get("cap")
        if not code or not name:
            add(line, "指标要写代码 code 和名称 name")
            continue
        written.append(name)
        if code in codes:
            add(line, f"代码“{code}”重复：维度和指标的代码都必须唯一")
        codes[code] = line
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) or cap <= 0:
            add(line, f"指标 {code} 的 cap（每月满分所需的次数或分值）应是正数，实际是{describe(cap)}")
            continue
        out.append(Indicator(code, name, float(cap), str(item.get("unit", "次")), str(item.get("records", ""))))
    return out, written


def _check_matrix(node: YDict, what: str, labels: list[str], settings: Settings, add: _Add,
                  expected: int | None = None) -> Judgments:
    """The node's judgments as numbers; a matrix that cannot be used is reported and comes back as None."""
    unusable = Judgments(None)
    n = expected if expected is not None else len(labels)
    has_matrix, has_raters = "matrix" in node, "raters" in node
    if has_matrix == has_raters:
        add(node.line, f"{what}要写一个判断矩阵 matrix（或多人打分 raters），两者只写一个")
        return unusable
    if has_matrix:
        rows = node["matrix"]
        matrix = _build(rows, n, what, node.line_of("matrix"), add)
        raters: list[tuple[str, np.ndarray]] = []
    else:
        raters_node = node["raters"]
        if not isinstance(raters_node, YDict) or not raters_node:
            add(node.line_of("raters"), f"{what}的 raters 应写成“打分人: 判断矩阵”")
            return unusable
        built = [(name, _build(raters_node[name], n, f"{what}（{name} 的打分）", raters_node.line_of(name), add))
                 for name in raters_node]
        raters = [(name, m) for name, m in built if m is not None]
        if len(raters) != len(built):
            return unusable
        matrix = ahp.aggregate_aij([m for _, m in raters])
    if matrix is None or len(labels) != n:
        return unusable
    method, ri, threshold = settings.method, settings.ri, settings.threshold
    try:
        result = ahp.analyse(matrix, labels, method=method, ri=ri, threshold=threshold)
    except ahp.AHPError as exc:  # e.g. more items than the RI table covers
        add(node.line_of("matrix" if has_matrix else "raters"), f"{what}的判断矩阵无法计算：{exc}")
        return unusable
    if not result.consistent:
        line = node.line_of("matrix" if has_matrix else "raters")
        mi = result.most_inconsistent
        detail = ""
        if mi is not None:
            detail = (f"最不一致的判断是第 {mi.row + 1} 行第 {mi.col + 1} 列（{mi.row_label} 比 {mi.col_label} = "
                      f"{ahp.fraction_text(mi.value)}），建议改为 {mi.suggested_text} 左右")
        rater_text = ""
        if raters:
            rater_text = "；各打分人的 CR：" + "、".join(
                f"{name} {ahp.analyse(m, labels, method=method, ri=ri, threshold=threshold).cr:.3f}" for name, m in raters)
        add(line, f"{what}的判断矩阵不一致：CR = {result.cr:.3f}，应小于 {result.threshold:.2f}。{detail}{rater_text}")
        return unusable
    return Judgments(numbers(matrix), tuple(Rater(str(name), numbers(m)) for name, m in raters))


def _build(rows: Any, n: int, what: str, line: int, add: _Add) -> np.ndarray | None:
    if not isinstance(rows, list):
        add(line, f"{what}的判断矩阵应是 {n} 行的列表，每行 {n} 个数")
        return None
    build = build_matrix([list(r) if isinstance(r, list) else r for r in rows], n)
    for issue in build.errors:
        where = rows.line_of(issue.row) if (isinstance(rows, YList) and issue.row is not None) else line
        add(where, f"{what}的判断矩阵：{issue.message}")
    return build.matrix if not build.errors else None
