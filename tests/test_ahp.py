"""Tests of the AHP engine against published examples and the project's default hierarchy.

Published figures come from tests/data/ahp-examples.json (sources cited in the file).
Each case gives its own tolerance: the last published decimal place.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml

from generator.compute.ahp import (
    RI_TABLES,
    SAATY_SCALE,
    AHPError,
    aggregate_aij,
    analyse,
    fraction_text,
    nearest_on_scale,
    random_index,
)
from generator.compute.ahp_tree import (
    all_consistent,
    analyse_tree,
    tree_to_json,
    tree_to_text,
)
from generator.load.hierarchy import read_hierarchy
from generator.load.judgments import JudgmentError, build_matrix, parse_judgment

EXAMPLES = json.loads((Path(__file__).parent / "data" / "ahp-examples.json").read_text(encoding="utf-8"))
CASES = {case["id"]: case for case in EXAMPLES["cases"]}


def tree_of(data, **options):
    """The hierarchy read as `dangjian ahp` reads a file, then analysed."""
    return analyse_tree(read_hierarchy(data, **options))


def case_matrix(case) -> np.ndarray:
    build = build_matrix(case["matrix_fractions"], len(case["labels"]))
    assert build.errors == ()
    return build.matrix


def exact_matrix(case) -> np.ndarray:
    """The same matrix computed independently of build_matrix, with Fraction."""
    return np.array([[float(Fraction(x)) for x in row] for row in case["matrix_fractions"]])


# ---------------------------------------------------------------------------
# Published examples
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", list(CASES))
def test_build_matrix_reads_published_matrix_exactly(case_id):
    case = CASES[case_id]
    assert np.array_equal(case_matrix(case), exact_matrix(case))


@pytest.mark.parametrize("case_id", list(CASES))
def test_eigenvector_weights_match_published(case_id):
    case = CASES[case_id]
    result = analyse(case_matrix(case), case["labels"])
    assert result.labels == tuple(case["labels"])
    assert len(result.weights) == len(case["expected_weights"])
    for got, want in zip(result.weights, case["expected_weights"]):
        assert abs(got - want) <= case["tolerance"], (case_id, result.weights)
    assert math.isclose(sum(result.weights), 1.0, abs_tol=1e-12)


PUBLISHED_CONSISTENCY = [
    (case_id, key)
    for case_id, case in CASES.items()
    for key in ("lambda_max", "ci", "cr")
    if case[f"expected_{key}"] is not None
]


@pytest.mark.parametrize("case_id,key", PUBLISHED_CONSISTENCY)
def test_consistency_figures_match_published(case_id, key):
    case = CASES[case_id]
    result = analyse(case_matrix(case), case["labels"], ri="saaty")
    assert abs(getattr(result, key) - case[f"expected_{key}"]) <= case["tolerance"]


def test_published_consistency_figures_exist():
    # Guard against the parametrised test above silently shrinking to nothing.
    assert len(PUBLISHED_CONSISTENCY) == 6


def test_ri_used_for_published_examples_is_saaty_1980():
    for n, ri in EXAMPLES["meta"]["ri_tables"]["saaty_1980"].items():
        assert RI_TABLES["saaty"][int(n)] == ri
        assert RI_TABLES["saaty_1980"][int(n)] == ri


def test_house_criteria_most_inconsistent_pair_is_neighborhood_vs_general_condition():
    case = CASES["saaty1990_house_criteria_8x8"]
    result = analyse(case_matrix(case), case["labels"])
    m = result.most_inconsistent
    assert (m.row_label, m.col_label) == tuple(case["expected_most_inconsistent_pair"])
    assert (m.row, m.col) == (2, 6)
    assert m.value == 6.0
    w = result.weights
    assert math.isclose(m.epsilon, 6.0 * w[6] / w[2], rel_tol=1e-12)
    assert math.isclose(m.implied, w[2] / w[6], rel_tol=1e-12)
    # w_Neighborhood / w_General condition is about 1.13: the nearest scale value is 1.
    assert m.suggested == 1.0
    assert m.suggested_text == "1"
    # It really is the largest deviation among all pairs.
    a = case_matrix(case)
    deviations = [abs(math.log(a[i, j] * w[j] / w[i])) for i in range(8) for j in range(8) if i != j]
    assert math.isclose(abs(math.log(m.epsilon)), max(deviations), rel_tol=1e-12)


def test_house_criteria_is_inconsistent_and_drinks_consistent():
    house = CASES["saaty1990_house_criteria_8x8"]
    transport = CASES["saaty1990_house_transportation_3x3"]
    drinks = CASES["saaty2008_drinks_7x7"]
    leader = CASES["wikipedia_leader_criteria_4x4"]
    assert not analyse(case_matrix(house), house["labels"]).consistent
    assert not analyse(case_matrix(transport), transport["labels"]).consistent
    assert analyse(case_matrix(drinks), drinks["labels"]).consistent
    assert analyse(case_matrix(leader), leader["labels"]).consistent


def test_suggestion_for_house_transportation():
    case = CASES["saaty1990_house_transportation_3x3"]
    m = analyse(case_matrix(case), case["labels"]).most_inconsistent
    assert (m.row_label, m.col_label) == ("House A", "House C")
    assert m.suggested_text == "1/3"


# ---------------------------------------------------------------------------
# Geometric mean method
# ---------------------------------------------------------------------------

# How far the row-geometric-mean weights lie from the eigenvector weights on the
# published examples.  For n = 3 the two methods coincide exactly (Crawford &
# Williams 1985); acceptably consistent matrices differ in the third decimal; the
# deliberately inconsistent 8x8 house matrix differs by up to 0.04.
GEOMETRIC_VS_EIGENVECTOR = {
    "saaty1990_house_transportation_3x3": 1e-12,
    "saaty2008_drinks_7x7": 0.003,
    "wikipedia_leader_criteria_4x4": 0.002,
    "saaty1990_house_criteria_8x8": 0.045,
}


@pytest.mark.parametrize("case_id", list(GEOMETRIC_VS_EIGENVECTOR))
def test_geometric_weights_close_to_eigenvector(case_id):
    case = CASES[case_id]
    a = case_matrix(case)
    ev = analyse(a, case["labels"], method="eigenvector")
    gm = analyse(a, case["labels"], method="geometric")
    diff = max(abs(x - y) for x, y in zip(ev.weights, gm.weights))
    assert diff <= GEOMETRIC_VS_EIGENVECTOR[case_id]
    assert gm.method == "geometric"
    assert math.isclose(sum(gm.weights), 1.0, abs_tol=1e-12)
    # Same verdict on consistency for every published example.
    assert gm.consistent == ev.consistent


def test_geometric_weights_equal_hand_computed_geometric_means():
    a = [[1, 3, "1/2", 4],
         ["1/3", 1, "1/5", 2],
         [2, 5, 1, 6],
         ["1/4", "1/2", "1/6", 1]]
    # Products of the rows: 6, 2/15, 60, 1/48; fourth roots, normalised.
    roots = [6 ** 0.25, (2 / 15) ** 0.25, 60 ** 0.25, (1 / 48) ** 0.25]
    expected = [r / sum(roots) for r in roots]
    result = analyse(build_matrix(a).matrix, ["a", "b", "c", "d"], method="geometric")
    for got, want in zip(result.weights, expected):
        assert math.isclose(got, want, rel_tol=1e-12)
    # lambda_max for the geometric method: the mean of (A w)_i / w_i.
    m = build_matrix(a).matrix
    w = np.array(expected)
    assert math.isclose(result.lambda_max, float(np.mean(m @ w / w)), rel_tol=1e-12)
    assert math.isclose(result.ci, (result.lambda_max - 4) / 3, rel_tol=1e-12)
    assert math.isclose(result.cr, result.ci / 0.90, rel_tol=1e-12)


# ---------------------------------------------------------------------------
# The project's default hierarchy (DOMAIN.md)
# ---------------------------------------------------------------------------

DOMAIN_DIMENSIONS = [
    [1, 1, 2, 2, 2],
    [1, 1, 2, 2, 2],
    ["1/2", "1/2", 1, 1, "1/2"],
    ["1/2", "1/2", 1, 1, "1/2"],
    ["1/2", "1/2", 2, 2, 1],
]


def test_domain_dimension_matrix():
    result = analyse(build_matrix(DOMAIN_DIMENSIONS).matrix, ["学习力", "执行力", "创新力", "组织力", "服务力"])
    assert [round(w, 3) for w in result.weights] == [0.283, 0.283, 0.123, 0.123, 0.190]
    assert round(result.cr, 2) == 0.02
    assert result.consistent


# Within-dimension judgments from DOMAIN.md.  Where DOMAIN.md leaves a pair open
# (L2/L3 against L5, E3 against E5, S3 against S4) the tests use 2, 1 and 1.
DOMAIN_YAML = """
title: 党员积分评价体系
method: eigenvector
cr_threshold: 0.10
ri: saaty
matrix:
  - [1, 1, 2, 2, 2]
  - [1, 1, 2, 2, 2]
  - ["1/2", "1/2", 1, 1, "1/2"]
  - ["1/2", "1/2", 1, 1, "1/2"]
  - ["1/2", "1/2", 2, 2, 1]
dimensions:
  - code: L
    name: 学习力
    matrix:
      - [1, 2, 2, 1, 3]
      - [1, 1, "1/2", 2]
      - [1, "1/2", 2]
      - [1, 3]
      - [1]
    indicators:
      - {code: L1, name: 政治学习·第一议题出勤, cap: 12, unit: 次}
      - {code: L2, name: 领学, cap: 2, unit: 次}
      - {code: L3, name: 心得感悟, cap: 4, unit: 条}
      - {code: L4, name: 微课/党课主讲, cap: 1, unit: 次}
      - {code: L5, name: 应知应会测试, cap: 100, unit: 分}
  - code: E
    name: 执行力
    matrix:
      - [1, 1, 2, 1, 2]
      - [~, 1, 2, 1, 2]
      - [~, ~, 1, "1/2", 1]
      - [~, ~, ~, 1, 2]
      - [~, ~, ~, ~, 1]
    indicators:
      - {code: E1, name: 三会一课出勤, cap: 12, unit: 次}
      - {code: E2, name: 主题党日出勤, cap: 12, unit: 次}
      - {code: E3, name: 零点行动按时交纳党费, cap: 12, unit: 月}
      - {code: E4, name: 一岗双责/5W2H 任务按期完成, cap: 4, unit: 项}
      - {code: E5, name: 组织生活会·民主评议参与, cap: 1, unit: 次}
  - code: I
    name: 创新力
    matrix:
      - [1, "1/2", "1/2", 2]
      - [2, 1, 1, 3]
      - [2, 1, 1, 3]
      - ["1/2", "1/3", "1/3", 1]
    indicators:
      - {code: I1, name: 诸葛亮会金点子, cap: 4, unit: 条}
      - {code: I2, name: 攻坚团队贡献, cap: 2, unit: 次}
      - {code: I3, name: 创新成果, cap: 1, unit: 项}
      - {code: I4, name: 党建+业务融合案例, cap: 1, unit: 个}
  - code: O
    name: 组织力
    matrix:
      - [1, 2, 3, 2]
      - ["1/2", 1, 2, 1]
      - ["1/3", "1/2", 1, "1/2"]
      - ["1/2", 1, 2, 1]
    indicators:
      - {code: O1, name: 主办活动, cap: 1, unit: 次}
      - {code: O2, name: 宣传报道, cap: 4, unit: 篇}
      - {code: O3, name: 看板/党务公开供稿, cap: 4, unit: 篇}
      - {code: O4, name: 谈心·帮带·政治生日组织, cap: 4, unit: 次}
  - code: S
    name: 服务力
    matrix:
      - [1, 1, 2, 2]
      - [1, 1, 2, 2]
      - ["1/2", "1/2", 1, 1]
      - ["1/2", "1/2", 1, 1]
    indicators:
      - {code: S1, name: 志愿服务时长, cap: 20, unit: 小时}
      - {code: S2, name: 服务基层/办实事, cap: 4, unit: 件}
      - {code: S3, name: 示范岗/先锋岗履职, cap: 1, unit: 次}
      - {code: S4, name: 表彰荣誉, cap: 1, unit: 项}
"""


@pytest.fixture
def domain_data():
    return yaml.safe_load(DOMAIN_YAML)


def test_project_form_default_hierarchy(domain_data):
    tree = tree_of(domain_data)
    assert tree.errors == ()
    assert tree.title == "党员积分评价体系"
    assert len(tree.leaves) == 22
    assert math.isclose(sum(leaf.global_ for leaf in tree.leaves), 1.0, abs_tol=1e-12)
    assert [leaf.code for leaf in tree.leaves] == [
        "L1", "L2", "L3", "L4", "L5", "E1", "E2", "E3", "E4", "E5",
        "I1", "I2", "I3", "I4", "O1", "O2", "O3", "O4", "S1", "S2", "S3", "S4"]
    first = tree.leaves[0]
    assert first.path == ("学习力", "政治学习·第一议题出勤")
    assert first.codes == ("L", "L1")
    root = tree.root
    assert root.labels == ("学习力", "执行力", "创新力", "组织力", "服务力")
    assert root.codes == ("L", "E", "I", "O", "S")
    assert [round(w, 3) for w in root.result.weights] == [0.283, 0.283, 0.123, 0.123, 0.190]
    learning = root.children["学习力"]
    assert math.isclose(first.global_, root.result.weights[0] * learning.result.weights[0], rel_tol=1e-12)
    assert first.local == learning.result.weights[0]
    # Every dimension's local weights sum to 1, so each dimension's leaves sum to its weight.
    for k, label in enumerate(root.labels):
        total = sum(leaf.global_ for leaf in tree.leaves if leaf.path[0] == label)
        assert math.isclose(total, root.result.weights[k], rel_tol=1e-12)
    assert all_consistent(tree)


def test_project_form_weights_do_not_depend_on_matrix_shape(domain_data):
    # The L and E matrices are written as an upper triangle and with ~ below the
    # diagonal; writing them out in full must change nothing.
    full = yaml.safe_load(DOMAIN_YAML)
    full["dimensions"][0]["matrix"] = [
        [1, 2, 2, 1, 3], ["1/2", 1, 1, "1/2", 2], ["1/2", 1, 1, "1/2", 2],
        [1, 2, 2, 1, 3], ["1/3", "1/2", "1/2", "1/3", 1]]
    full["dimensions"][1]["matrix"] = [
        [1, 1, 2, 1, 2], [1, 1, 2, 1, 2], ["1/2", "1/2", 1, "1/2", 1],
        [1, 1, 2, 1, 2], ["1/2", "1/2", 1, "1/2", 1]]
    a = tree_of(domain_data)
    b = tree_of(full)
    assert [leaf.global_ for leaf in a.leaves] == pytest.approx([leaf.global_ for leaf in b.leaves], abs=1e-15)


def test_project_form_settings_from_file_and_overrides(domain_data):
    domain_data["method"] = "geometric"
    domain_data["cr_threshold"] = "saaty_size"
    tree = tree_of(domain_data)
    assert tree.method == "geometric"
    assert tree.threshold == "saaty_size"
    assert tree.root.result.method == "geometric"
    assert tree.root.children["创新力"].result.threshold == 0.08  # 4x4
    overridden = tree_of(domain_data, method="eigenvector", ri="donegan_dodd", threshold=0.2)
    assert overridden.method == "eigenvector"
    assert overridden.root.result.ri == RI_TABLES["donegan_dodd"][5]
    assert overridden.root.result.threshold == 0.2


def test_project_form_text_and_json(domain_data):
    tree = tree_of(domain_data)
    out = tree_to_json(tree)
    json.dumps(out, ensure_ascii=False, allow_nan=False)
    assert set(out["children"]) == {"学习力", "执行力", "创新力", "组织力", "服务力"}
    assert out["children"]["学习力"]["labels"][0] == "政治学习·第一议题出勤"
    text = tree_to_text(tree)
    assert "党员积分评价体系" in text
    assert "【学习力】" in text
    assert "学习力 / 政治学习·第一议题出勤" in text


# ---------------------------------------------------------------------------
# Small matrices, RI tables, thresholds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["eigenvector", "geometric"])
def test_order_one_and_two_are_consistent(method):
    one = analyse([[1]], ["只有一项"], method=method)
    assert one.weights == (1.0,)
    assert (one.ci, one.ri, one.cr) == (0.0, 0.0, 0.0)
    assert one.consistent and one.most_inconsistent is None
    two = analyse(build_matrix([[1, 3], ["1/3", 1]]).matrix, ["甲", "乙"], method=method)
    assert two.weights == pytest.approx((0.75, 0.25), abs=1e-12)
    assert (two.ci, two.cr) == (0.0, 0.0)
    assert two.lambda_max == pytest.approx(2.0, abs=1e-12)
    assert two.consistent and two.most_inconsistent is None
    # Even an extreme judgment is consistent for n = 2.
    assert analyse([[1, 30], [1 / 30, 1]], ["甲", "乙"], method=method, threshold=1e-9).consistent


def test_saaty_random_index_table():
    assert RI_TABLES["saaty"] == {
        1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
        9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
    for name, table in RI_TABLES.items():
        assert table[1] == table[2] == 0.0, name
        assert all(table[n] > 0 for n in table if n >= 3), name
    assert len(RI_TABLES) >= 2


def test_other_ri_table_changes_cr_only():
    case = CASES["saaty1990_house_criteria_8x8"]
    a = case_matrix(case)
    saaty = analyse(a, case["labels"], ri="saaty")
    dd = analyse(a, case["labels"], ri="donegan_dodd")
    assert saaty.weights == dd.weights and saaty.ci == dd.ci
    assert dd.ri == 1.3171
    assert dd.cr == pytest.approx(saaty.ci / 1.3171, rel=1e-12)
    custom = analyse(a, case["labels"], ri={8: 2.0})
    assert custom.cr == pytest.approx(saaty.ci / 2.0, rel=1e-12)


def test_ri_table_without_the_order_raises():
    a = np.ones((16, 16))
    with pytest.raises(AHPError, match="16 阶"):
        analyse(a, [str(i) for i in range(16)], ri="saaty")
    assert analyse(a, [str(i) for i in range(16)], ri="donegan_dodd").cr == 0.0
    with pytest.raises(AHPError):
        random_index(5, "no_such_table")


def test_thresholds():
    # CR of this 3x3 matrix is about 0.056: under 0.10, over Saaty's 0.05 for n = 3.
    a = build_matrix([[1, 3, "1/5"], ["1/3", 1, "1/7"], [5, 7, 1]]).matrix
    labels = ["甲", "乙", "丙"]
    fixed = analyse(a, labels)
    assert 0.05 < fixed.cr < 0.10
    assert fixed.threshold == 0.10 and fixed.consistent
    sized = analyse(a, labels, threshold="saaty_size")
    assert sized.threshold == 0.05 and not sized.consistent
    leader = CASES["wikipedia_leader_criteria_4x4"]
    assert analyse(case_matrix(leader), leader["labels"], threshold="saaty_size").threshold == 0.08
    house = CASES["saaty1990_house_criteria_8x8"]
    assert analyse(case_matrix(house), house["labels"], threshold="saaty_size").threshold == 0.10
    assert analyse(a, labels, threshold=0.0559).consistent is (fixed.cr < 0.0559)
    assert analyse(a, labels, threshold=0.2).consistent
    # The limit is strict: CR equal to the threshold is not consistent.
    assert not analyse(a, labels, threshold=fixed.cr).consistent
    with pytest.raises(AHPError):
        analyse(a, labels, threshold="loose")
    with pytest.raises(AHPError):
        analyse(a, labels, threshold=-0.1)


def test_analyse_rejects_invalid_input():
    with pytest.raises(AHPError):
        analyse([[1, 2], [2, 1]], ["a", "b"])  # not reciprocal
    with pytest.raises(AHPError):
        analyse([[1, 2, 3], [0.5, 1, 1]], ["a", "b"])  # not square
    with pytest.raises(AHPError):
        analyse([[1, 2], [0.5, 1]], ["a"])  # labels do not match
    with pytest.raises(AHPError):
        analyse([[1, -2], [-0.5, 1]], ["a", "b"])
    with pytest.raises(AHPError):
        analyse([[1, 2], [0.5, 1]], ["a", "b"], method="power")


def test_result_is_frozen_and_uses_tuples():
    case = CASES["wikipedia_leader_criteria_4x4"]
    result = analyse(case_matrix(case), case["labels"])
    assert isinstance(result.weights, tuple) and isinstance(result.labels, tuple)
    assert isinstance(result.matrix, tuple) and isinstance(result.matrix[0], tuple)
    with pytest.raises(AttributeError):
        result.cr = 0.0  # type: ignore[misc]
    hash(result)


# ---------------------------------------------------------------------------
# Reading judgments
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value,expected", [
    (3, 3.0), (0.5, 0.5), (1.26, 1.26), ("3", 3.0), ("1/3", 1 / 3), ("1.26", 1.26),
    ("  1 / 5 ", 0.2), ("1/9", 1 / 9), ("12", 12.0), ("１／３", 1 / 3), ("2.5/5", 0.5),
    (Fraction(1, 7), 1 / 7), (np.float64(4.0), 4.0), (np.int64(2), 2.0),
])
def test_parse_judgment_accepts(value, expected):
    assert parse_judgment(value) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("value", [
    0, -3, "0", "-1/3", "abc", "", "   ", None, True, False, "1/0", "nan", "inf", float("nan"),
    float("inf"), "1/2/3", "3 5", "1,5", [1], {"a": 1}, "三",
])
def test_parse_judgment_rejects(value):
    with pytest.raises(JudgmentError) as info:
        parse_judgment(value)
    assert info.value.message
    assert str(info.value) == info.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)  # Chinese


def test_parse_judgment_message():
    with pytest.raises(JudgmentError) as info:
        parse_judgment("abc")
    assert info.value.message == '比较值必须是正数，如 3 或 "1/3"，这里是 \'abc\''
    with pytest.raises(JudgmentError) as info:
        parse_judgment(-2)
    assert info.value.message == '比较值必须是正数，如 3 或 "1/3"，这里是 -2'


@pytest.mark.parametrize("x,text", [
    (3, "3"), (1.0, "1"), (1 / 3, "1/3"), (0.5, "1/2"), (1 / 9, "1/9"), (9, "9"),
    (2 ** (1 / 3), "1.26"), (6 ** 0.5, "2.45"), (0.4, "0.4"), (0.333, "0.333"),
])
def test_fraction_text(x, text):
    assert fraction_text(x) == text


def test_nearest_on_scale():
    assert len(SAATY_SCALE) == 17
    assert nearest_on_scale(1.1275) == 1.0
    assert nearest_on_scale(1.45) == 2.0  # nearer to 2 than to 1 on a log scale
    assert nearest_on_scale(0.327) == pytest.approx(1 / 3)
    assert nearest_on_scale(50) == 9.0
    assert nearest_on_scale(0.001) == pytest.approx(1 / 9)


# ---------------------------------------------------------------------------
# Building matrices from what users write
# ---------------------------------------------------------------------------


FULL_3 = [[1, 3, 0.2], [1 / 3, 1, 1 / 7], [5, 7, 1]]


def test_build_upper_triangle_rows_of_decreasing_length():
    build = build_matrix([[1, 3, "1/5"], [1, "1/7"], [1]], 3)
    assert build.errors == () and build.warnings == ()
    assert np.allclose(build.matrix, FULL_3, rtol=1e-15)
    assert build.ok


def test_build_lower_entries_left_empty():
    build = build_matrix([[1, 3, "1/5"], [None, 1, "1/7"], ["", "  ", 1]], 3)
    assert build.errors == ()
    assert np.allclose(build.matrix, FULL_3, rtol=1e-15)
    # The lower triangle given and the upper omitted works as well.
    build = build_matrix([[1, None, None], ["1/3", 1, None], [5, 7, 1]])
    assert build.errors == ()
    assert np.allclose(build.matrix, FULL_3, rtol=1e-15)


def test_build_result_is_read_only_and_exactly_reciprocal():
    build = build_matrix([[1, 3, "1/5"], [0.333, 1, 0.143], [5, 7, 1]])
    assert build.errors == ()
    with pytest.raises(ValueError):
        build.matrix[0, 1] = 5.0
    m = build.matrix
    assert np.allclose(m * m.T, 1.0, rtol=0, atol=1e-15)
    assert m[1, 0] == 1 / 3  # the upper entry wins; the rounded 0.333 is replaced


def test_build_non_reciprocal_lower_entry_names_row_and_column():
    build = build_matrix([[1, 2, 4], ["1/2", 1, 3], ["1/4", 2, 1]], 3)
    assert build.matrix is None
    assert len(build.errors) == 1
    issue = build.errors[0]
    assert (issue.row, issue.col) == (2, 1)
    assert issue.message == "第2行第3列是 3，第3行第2列应为 1/3，却是 2"


def test_build_reciprocal_tolerance():
    # A rounded decimal is accepted within 1 %, an exact value must be exact.
    assert build_matrix([[1, 3], [0.333, 1]]).errors == ()
    assert build_matrix([[1, "1/3"], ["3.01", 1]]).errors == ()
    assert build_matrix([[1, 3], [0.3, 1]]).errors != ()
    assert build_matrix([[1, 3], [0.32, 1]]).errors != ()  # 4 % off
    assert build_matrix([[1, 3], ["2/7", 1]]).errors != ()


def test_build_diagonal_must_be_one():
    build = build_matrix([[1, 3], ["1/3", 2]])
    assert build.matrix is None
    assert [(e.row, e.col) for e in build.errors] == [(1, 1)]
    assert "对角线" in build.errors[0].message and "第2行第2列" in build.errors[0].message
    # An empty diagonal counts as 1.
    assert build_matrix([[None, 3], [None, ""]]).errors == ()


def test_build_non_square():
    build = build_matrix([[1, 3, 5], ["1/3", 1], ["1/5", 1, 1]], 3)
    assert build.matrix is None
    assert [(e.row, e.col) for e in build.errors] == [(1, None)]
    assert "第2行应有 3 个数" in build.errors[0].message
    build = build_matrix([[1, 3], ["1/3", 1]], 3)
    assert build.matrix is None
    assert build.errors[0].row is None and "3 行" in build.errors[0].message
    build = build_matrix([[1, 2, 3], [1, 2, 3]])
    assert build.matrix is None


def test_build_bad_entries_are_located():
    build = build_matrix([[1, "abc", 3], [None, 1, 0], [None, None, 1]])
    assert build.matrix is None
    assert sorted((e.row, e.col) for e in build.errors) == [(0, 1), (1, 2)]
    assert all(e.message.startswith(f"第{e.row + 1}行第{e.col + 1}列") for e in build.errors)
    build = build_matrix([[1, None], [None, 1]])
    assert build.matrix is None and "都没有填写" in build.errors[0].message


def test_build_outside_scale_is_a_warning():
    build = build_matrix([[1, 12, "1/9"], [None, 1, 0.111], [None, None, 1]])
    assert build.errors == ()
    assert build.matrix is not None
    assert [(w.row, w.col) for w in build.warnings] == [(0, 1)]
    assert "1/9" in build.warnings[0].message and "12" in build.warnings[0].message


@pytest.mark.parametrize("rows", [None, "1,2;3,4", 5, [], [None], [[1, 2], "ab"], {"a": 1}, [[[1]]]])
def test_build_never_raises(rows):
    build = build_matrix(rows)
    assert build.matrix is None and build.errors


# ---------------------------------------------------------------------------
# Group judgments
# ---------------------------------------------------------------------------


def test_aggregate_aij_two_raters():
    a = build_matrix([[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]).matrix
    b = build_matrix([[1, 5, 3], ["1/5", 1, "1/4"], ["1/3", 4, 1]]).matrix
    g = aggregate_aij([a, b])
    assert np.allclose(g, np.sqrt(a * b), rtol=1e-14)
    assert g[0, 1] == pytest.approx(math.sqrt(15))
    assert np.allclose(g * g.T, 1.0, rtol=0, atol=1e-14)
    assert np.all(np.diag(g) == 1.0)
    assert not g.flags.writeable
    # Weighted: rater a counts twice as much as b.
    weighted = aggregate_aij([a, b], weights=[2, 1])
    assert np.allclose(weighted, a ** (2 / 3) * b ** (1 / 3), rtol=1e-14)
    with pytest.raises(AHPError):
        aggregate_aij([a, np.ones((2, 2))])
    with pytest.raises(AHPError):
        aggregate_aij([])


# ---------------------------------------------------------------------------
# The hierarchy
# ---------------------------------------------------------------------------

PLAIN = {
    "labels": ["甲", "乙", "丙"],
    "matrix": [[1, 3, "1/5"], ["1/3", 1, "1/7"], [5, 7, 1]],
    "children": {
        "甲": {"labels": ["甲一", "甲二"], "matrix": [[1, 3], [None, 1]]},
        "丙": {
            "labels": ["丙一", "丙二", "丙三"],
            "matrix": [[1, 2, 4], [1, 2], [1]],
            "children": {"丙一": {"labels": ["x", "y"], "matrix": [[1, 1], [1, 1]]}},
        },
    },
}


def test_plain_form_with_children():
    tree = tree_of(PLAIN)
    assert tree.errors == ()
    assert [leaf.path for leaf in tree.leaves] == [
        ("甲", "甲一"), ("甲", "甲二"), ("乙",), ("丙", "丙一", "x"), ("丙", "丙一", "y"),
        ("丙", "丙二"), ("丙", "丙三")]
    root = tree.root.result
    c = tree.root.children["丙"].result
    leaf_x = tree.leaves[3]
    assert leaf_x.local == 0.5
    assert leaf_x.global_ == pytest.approx(root.weights[2] * c.weights[0] * 0.5, rel=1e-12)
    assert tree.leaves[0].global_ == pytest.approx(root.weights[0] * 0.75, rel=1e-12)
    assert tree.leaves[2].global_ == root.weights[1]
    assert sum(leaf.global_ for leaf in tree.leaves) == pytest.approx(1.0, abs=1e-12)
    assert tree.leaves[0].codes == (None, None)
    assert all_consistent(tree)


def test_plain_form_json_keys_exactly():
    out = tree_to_json(tree_of(PLAIN))
    node_keys = {"labels", "weights", "lambda_max", "ci", "cr", "consistent", "most_inconsistent", "children"}
    assert set(out) == node_keys | {"leaves"}
    assert set(out["most_inconsistent"]) == {"row", "col", "value", "suggested"}
    assert out["most_inconsistent"]["row"] in PLAIN["labels"]
    assert list(out["children"]) == ["甲", "丙"]
    a = out["children"]["甲"]
    assert set(a) == node_keys
    assert a["most_inconsistent"] is None  # n < 3
    assert a["children"] == {}
    assert set(out["children"]["丙"]["children"]["丙一"]) == node_keys
    assert out["leaves"][0] == {"path": ["甲", "甲一"], "local": pytest.approx(0.75),
                                "global": pytest.approx(out["weights"][0] * 0.75)}
    assert all(set(leaf) == {"path", "local", "global"} for leaf in out["leaves"])
    assert isinstance(out["weights"][0], float) and isinstance(out["consistent"], bool)
    json.dumps(out, ensure_ascii=False, allow_nan=False)


def test_raters_node_combined_by_aij():
    data = {
        "labels": ["甲", "乙", "丙"],
        "raters": {
            "委员甲": [[1, 3, 5], [1, 2], [1]],
            "委员乙": [[1, 5, 3], [1, "1/4"], [1]],
        },
    }
    tree = tree_of(data)
    assert tree.errors == ()
    node = tree.root
    assert [r.name for r in node.raters] == ["委员甲", "委员乙"]
    a = build_matrix(data["raters"]["委员甲"]).matrix
    b = build_matrix(data["raters"]["委员乙"]).matrix
    expected = analyse(np.sqrt(a * b), data["labels"])
    assert node.result.weights == pytest.approx(expected.weights, rel=1e-12)
    assert node.result.cr == pytest.approx(expected.cr, rel=1e-9)
    assert node.raters[0].result.cr == pytest.approx(analyse(a, data["labels"]).cr, rel=1e-12)
    assert node.raters[1].result.cr == pytest.approx(analyse(b, data["labels"]).cr, rel=1e-12)
    text = tree_to_text(tree)
    assert "委员甲" in text and "委员乙" in text


def test_a_judgment_whose_reciprocal_overflows_is_refused_at_its_cell():
    # 1e-310 is a positive number but 1/1e-310 is no float: the raters' group mean of it raised
    with pytest.raises(JudgmentError) as info:
        parse_judgment(1e-310)
    assert info.value.message == '比较值 1e-310 太小，反过来的比较值超出了能计算的范围：请写 1/9～9 之间的数，如 3 或 "1/3"'
    data = {"labels": ["甲", "乙", "丙"],
            "raters": {"委员甲": [[1, 2, 3], [1, 2], [1]], "委员乙": [[1, 1e-310, 2], [1, 1], [1]]}}
    tree = tree_of(data)
    assert [(e.where, e.message) for e in tree.errors] == [(
        "raters.委员乙",
        '第1行第2列：比较值 1e-310 太小，反过来的比较值超出了能计算的范围：请写 1/9～9 之间的数，如 3 或 "1/3"（甲 比 乙）')]
    assert tree.root.result is None and tree.root.raters[0].result is not None


def test_raters_with_a_broken_matrix():
    data = {"labels": ["甲", "乙"], "raters": {"委员甲": [[1, 3], [None, 1]], "委员乙": [[1, "x"], [None, 1]]}}
    tree = tree_of(data)
    assert tree.root.result is None
    assert [e.where for e in tree.errors] == ["raters.委员乙"]
    assert tree.root.raters[0].result is not None
    assert not all_consistent(tree)


def test_broken_trees_give_errors_not_exceptions():
    data = {
        "labels": ["甲", "乙", "丙"],
        "matrix": [[1, 3, "1/5"], ["1/3", 1, "1/7"], [5, 7, 1]],
        "children": {
            "甲": {"labels": ["a", "b", "c"], "matrix": [[1, 2], [None, 1]]},   # 3 labels, 2x2 matrix
            "乙": {"labels": ["d", "e"]},                                       # matrix missing
            "丁": {"labels": ["f", "g"], "matrix": [[1, 2], [None, 1]]},       # unknown label
            "丙": "not a node",
        },
    }
    tree = tree_of(data)
    where = {e.where for e in tree.errors}
    assert {"children.甲.matrix", "children.乙.matrix", "children.丁", "children.丙"} <= where
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in tree.errors)
    assert tree.root.result is not None  # the goal's own matrix is fine
    assert not all_consistent(tree)
    out = tree_to_json(tree)
    assert {e["where"] for e in out["errors"]} == where
    assert out["children"]["甲"]["weights"] is None
    json.dumps(out, ensure_ascii=False, allow_nan=False)
    text = tree_to_text(tree)
    assert "children.乙.matrix" in text


@pytest.mark.parametrize("data", [
    None, [], "labels: [a]", {}, {"labels": "甲乙"}, {"labels": ["甲", "甲"], "matrix": [[1, 1], [1, 1]]},
    {"labels": ["甲", "乙"], "matrix": [[1, 2], [None, 1]], "raters": {"x": [[1, 2], [None, 1]]}},
    {"labels": ["甲", "乙"], "raters": []},
    {"labels": ["甲", "乙"], "matrix": [[1, 2], [None, 1]], "children": ["甲"]},
    {"dimensions": []}, {"dimensions": [{"code": "L", "name": "学习力"}]}, {"dimensions": ["L"]},
    {"dimensions": [{"code": "L", "name": "学习力", "indicators": [{"code": "L1", "name": "甲"}]}],
     "method": "magic", "ri": "nobody", "cr_threshold": "strict"},
    {"labels": [str(i) for i in range(16)], "matrix": np.ones((16, 16)).tolist()},
])
def test_structurally_broken_data_never_raises(data):
    tree = tree_of(data)
    assert tree.errors
    assert not all_consistent(tree)
    json.dumps(tree_to_json(tree), ensure_ascii=False, allow_nan=False)
    assert "错误" in tree_to_text(tree)


def test_single_item_needs_no_matrix_and_codes_are_kept():
    data = {
        "matrix": [[1, 2], [None, 1]],
        "dimensions": [
            {"code": "A", "name": "甲", "indicators": [{"code": "A1", "name": "甲一"}]},
            {"code": "B", "name": "乙", "matrix": [[1, "1/2"], [None, 1]],
             "indicators": [{"code": "B1", "name": "乙一"}, {"code": "B2", "name": "乙二"}]},
        ],
    }
    tree = tree_of(data)
    assert tree.errors == ()
    assert [(leaf.code, round(leaf.global_, 6)) for leaf in tree.leaves] == [
        ("A1", round(2 / 3, 6)), ("B1", round(1 / 9, 6)), ("B2", round(2 / 9, 6))]


def test_project_form_errors_have_paths(domain_data):
    domain_data["dimensions"][2]["matrix"] = [[1, 2], [None, 1]]
    domain_data["dimensions"][4]["indicators"][1]["code"] = "S1"
    tree = tree_of(domain_data)
    where = {e.where for e in tree.errors}
    assert "dimensions[2].matrix" in where
    assert "dimensions[4].indicators" in where
    # The remaining dimensions are still analysed; leaves of broken nodes are left out.
    assert len(tree.leaves) == 22 - 4 - 4
    assert not all_consistent(tree)


def test_text_report_of_inconsistent_matrix():
    case = CASES["saaty1990_house_criteria_8x8"]
    tree = tree_of({"labels": case["labels"], "matrix": case["matrix_fractions"]})
    assert not all_consistent(tree)
    text = tree_to_text(tree)
    for word in ("权重", "λmax", "CI", "CR", "是否一致", "不一致"):
        assert word in text
    assert "最不一致的判断：Neighborhood 比 General condition = 6，建议改为 1 左右" in text
    assert "0.1691" in text
    out = tree_to_json(tree)
    assert out["most_inconsistent"] == {"row": "Neighborhood", "col": "General condition",
                                        "value": 6.0, "suggested": 1.0}
    assert out["consistent"] is False
    assert "errors" not in out


def test_text_report_of_consistent_hierarchy_has_no_suggestion():
    tree = tree_of(PLAIN)
    text = tree_to_text(tree)
    assert "最不一致的判断" not in text
    assert "全部判断矩阵满足一致性要求" in text


def test_compute_reads_no_user_text():
    """Judgments are read in load/ (judgments, hierarchy, evaluation); compute/ does the maths on numbers."""
    from generator.compute import ahp, ahp_tree

    compute = Path(ahp.__file__).parent
    readers = [p.name for p in sorted(compute.glob("*.py"))
               if "generator.load" in p.read_text(encoding="utf-8")]
    assert readers == []
    assert {"parse_judgment", "build_matrix", "read_settings"} & (set(dir(ahp)) | set(dir(ahp_tree))) == set()
