"""A hierarchy of AHP comparison matrices: weights from the goal down to the leaves.

The functions here work on data already read from YAML (plain dicts and lists);
reading the file is the caller's business.  Two shapes are accepted.

1. The plain form, any depth::

       labels: [甲, 乙, 丙]
       matrix:                 # row i, column j: how much more important labels[i] is than labels[j]
         - [1, 3, "1/5"]
         - ["1/3", 1, "1/7"]
         - [5, 7, 1]
       children:               # optional: a node per label that is broken down further
         甲: {labels: [...], matrix: [...]}

2. The project's hierarchy file (``data/evaluation.yml``)::

       title: 党员积分评价体系
       method: eigenvector     # or geometric
       cr_threshold: 0.10      # or "saaty_size"
       ri: saaty
       matrix: [[...]]         # the dimensions compared, in the order of `dimensions`
       dimensions:
         - code: L
           name: 学习力
           matrix: [[...]]     # the indicators compared, in the order of `indicators`
           indicators:
             - {code: L1, name: 政治学习·第一议题出勤, cap: 12, unit: 次}

   Labels are the dimension and indicator names; their codes are kept beside them.

In either form a node may give ``raters: {委员甲: [[...]], 委员乙: [[...]]}`` instead
of ``matrix``: each rater's matrix is analysed on its own (its CR is reported) and
the matrices are combined by the entrywise geometric mean (AIJ); the combined
matrix is the one whose weights and CR count.

A node with a single item needs no matrix.  Mistakes in the data become errors
with a ``where`` path (``children.甲.matrix``, ``dimensions[2].raters.委员乙``) and a
Chinese message; nothing here raises for bad data.
"""

from __future__ import annotations

import math
import types
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.compute.ahp import (
    DEFAULT_THRESHOLD,
    METHODS,
    RI_TABLES,
    AHPError,
    AHPResult,
    aggregate_aij,
    analyse,
    build_matrix,
    fraction_text,
)

__all__ = [
    "Leaf",
    "NodeResult",
    "RaterResult",
    "TreeIssue",
    "TreeResult",
    "all_consistent",
    "analyse_tree",
    "tree_to_json",
    "tree_to_text",
]

_DEFAULT_METHOD = "eigenvector"
_DEFAULT_RI = "saaty"
_DEFAULT_THRESHOLD_NAME = "fixed"

_METHOD_NAMES = {"eigenvector": "特征向量法", "geometric": "行几何平均法"}
_RI_NAMES = {
    "saaty": "Saaty (1980)",
    "saaty_1980": "Saaty (1980)",
    "saaty_2005": "Saaty (2005)",
    "donegan_dodd": "Donegan & Dodd (1991)",
}


@dataclass(frozen=True)
class TreeIssue:
    """An error or warning: ``where`` is a path into the data, ``message`` Chinese."""

    where: str
    message: str


@dataclass(frozen=True)
class RaterResult:
    """One rater's own matrix, analysed for their consistency."""

    name: str
    result: AHPResult | None
    errors: tuple[TreeIssue, ...] = ()


@dataclass(frozen=True)
class NodeResult:
    """One comparison matrix of the hierarchy and the nodes below it.

    ``name`` is the label this node breaks down (None for the goal); ``where`` is
    its path in the data ("" for the goal).  ``result`` is None when the node's
    matrix could not be used; its ``errors`` say why.  ``children`` maps a label
    of this node to the node that breaks that label down.
    """

    where: str
    name: str | None
    labels: tuple[str, ...]
    codes: tuple[str | None, ...]
    result: AHPResult | None
    raters: tuple[RaterResult, ...] = ()
    children: Mapping[str, NodeResult] = field(
        default_factory=lambda: types.MappingProxyType({}), hash=False)
    errors: tuple[TreeIssue, ...] = ()
    warnings: tuple[TreeIssue, ...] = ()

    def walk(self):
        """This node and every node below it, depth first in label order."""
        yield self
        for label in self.labels:
            if label in self.children:
                yield from self.children[label].walk()


@dataclass(frozen=True)
class Leaf:
    """An item at the bottom of the hierarchy.

    ``path`` runs from a label of the goal's matrix down to the leaf's own label;
    ``codes`` runs beside it (None where the data gave no code).  ``local`` is the
    leaf's weight in its own matrix; ``global_`` is the product of the local weights
    along the path.
    """

    path: tuple[str, ...]
    codes: tuple[str | None, ...]
    local: float
    global_: float

    @property
    def label(self) -> str:
        return self.path[-1]

    @property
    def code(self) -> str | None:
        return self.codes[-1]


@dataclass(frozen=True)
class TreeResult:
    """The whole hierarchy analysed.

    ``errors`` and ``warnings`` gather those of every node and of the top-level
    options.  ``method``, ``ri`` and ``threshold`` are the settings used (after
    arguments have overridden the file).
    """

    title: str | None
    method: str
    ri: str
    threshold: str | float
    root: NodeResult
    leaves: tuple[Leaf, ...]
    errors: tuple[TreeIssue, ...]
    warnings: tuple[TreeIssue, ...]


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    method: str
    ri: str
    threshold: str | float


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _label_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def _check_labels(labels: tuple[str, ...], where: str, errors: list[TreeIssue]) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            errors.append(TreeIssue(where, f"比较对象“{label}”出现了不止一次，名称必须各不相同"))
        seen.add(label)


def _analyse_matrix_spec(
    spec: Mapping[str, Any],
    labels: tuple[str, ...],
    where: str,
    settings: Settings,
    errors: list[TreeIssue],
    warnings: list[TreeIssue],
) -> tuple[AHPResult | None, tuple[RaterResult, ...]]:
    """Analyse the `matrix` or `raters` of one node."""
    n = len(labels)
    has_matrix = spec.get("matrix") is not None
    has_raters = spec.get("raters") is not None
    if has_matrix and has_raters:
        errors.append(TreeIssue(where, "matrix 和 raters 只能写一个：要么一个判断矩阵，要么每位评委一个"))
        return None, ()
    if not has_matrix and not has_raters:
        if n == 1:
            return _run(((1.0,),), labels, _join(where, "matrix"), settings, errors), ()
        errors.append(TreeIssue(_join(where, "matrix"),
                                f"缺少判断矩阵：{n} 个比较对象需要一个 {n}×{n} 的 matrix（或 raters）"))
        return None, ()

    if has_matrix:
        matrix_where = _join(where, "matrix")
        build = build_matrix(spec["matrix"], n)
        _collect(build, matrix_where, labels, errors, warnings)
        if build.matrix is None:
            return None, ()
        return _run(build.matrix, labels, matrix_where, settings, errors), ()

    raters_where = _join(where, "raters")
    raters_spec = spec["raters"]
    if not isinstance(raters_spec, Mapping) or not raters_spec:
        errors.append(TreeIssue(raters_where, "raters 应写成“评委姓名: 判断矩阵”的映射，至少一位评委"))
        return None, ()
    rater_results: list[RaterResult] = []
    matrices = []
    for rater, rows in raters_spec.items():
        rater_where = _join(raters_where, str(rater))
        rater_errors: list[TreeIssue] = []
        build = build_matrix(rows, n)
        _collect(build, rater_where, labels, rater_errors, warnings)
        result = None
        if build.matrix is not None:
            result = _run(build.matrix, labels, rater_where, settings, rater_errors)
            matrices.append(build.matrix)
        errors.extend(rater_errors)
        rater_results.append(RaterResult(str(rater), result, tuple(rater_errors)))
    if len(matrices) != len(raters_spec):
        # A group judgment without one of its members is not the group's judgment.
        return None, tuple(rater_results)
    combined = aggregate_aij(matrices)
    return _run(combined, labels, raters_where, settings, errors), tuple(rater_results)


def _collect(build, where: str, labels: tuple[str, ...], errors: list[TreeIssue],
             warnings: list[TreeIssue]) -> None:
    def text(issue) -> str:
        names = []
        if issue.row is not None and issue.row < len(labels):
            names.append(labels[issue.row])
        if issue.col is not None and issue.col < len(labels) and issue.col != issue.row:
            names.append(labels[issue.col])
        if len(names) == 2:
            return f"{issue.message}（{names[0]} 比 {names[1]}）"
        return issue.message

    errors.extend(TreeIssue(where, text(issue)) for issue in build.errors)
    warnings.extend(TreeIssue(where, text(issue)) for issue in build.warnings)


def _run(matrix, labels: tuple[str, ...], where: str, settings: Settings,
         errors: list[TreeIssue]) -> AHPResult | None:
    try:
        return analyse(matrix, labels, method=settings.method, ri=settings.ri,
                       threshold=settings.threshold)
    except AHPError as exc:
        errors.append(TreeIssue(where, str(exc)))
        return None


def _plain_node(spec: Any, where: str, name: str | None, settings: Settings,
                errors: list[TreeIssue], warnings: list[TreeIssue]) -> NodeResult:
    own_errors: list[TreeIssue] = []
    own_warnings: list[TreeIssue] = []

    def done(labels=(), result=None, raters=(), children=None) -> NodeResult:
        errors.extend(own_errors)
        warnings.extend(own_warnings)
        return NodeResult(
            where=where, name=name, labels=tuple(labels), codes=(None,) * len(labels),
            result=result, raters=raters,
            children=types.MappingProxyType(dict(children or {})),
            errors=tuple(own_errors), warnings=tuple(own_warnings))

    if not isinstance(spec, Mapping):
        own_errors.append(TreeIssue(where or "(根)", "这里应是一个包含 labels 和 matrix 的映射"))
        return done()
    labels_where = _join(where, "labels")
    raw_labels = spec.get("labels")
    if not _is_list(raw_labels) or not raw_labels:
        own_errors.append(TreeIssue(labels_where, "缺少 labels：请列出要比较的对象，如 [甲, 乙, 丙]"))
        return done()
    labels = []
    for k, raw in enumerate(raw_labels):
        text = _label_text(raw)
        if text is None:
            own_errors.append(TreeIssue(labels_where, f"第{k + 1}个比较对象的名称无效：{raw!r}"))
            text = f"#{k + 1}"
        labels.append(text)
    labels = tuple(labels)
    _check_labels(labels, labels_where, own_errors)

    result, raters = (None, ())
    if not own_errors:
        result, raters = _analyse_matrix_spec(spec, labels, where, settings, own_errors, own_warnings)

    children: dict[str, NodeResult] = {}
    raw_children = spec.get("children")
    children_where = _join(where, "children")
    if raw_children is not None:
        if not isinstance(raw_children, Mapping):
            own_errors.append(TreeIssue(children_where, "children 应写成“比较对象: 下一层”的映射"))
        else:
            for key, child_spec in raw_children.items():
                label = _label_text(key) or str(key)
                child_where = _join(children_where, label)
                if label not in labels:
                    own_errors.append(TreeIssue(
                        child_where, f"“{label}”不在本层的 labels 里（{'、'.join(labels)}），无法挂接下一层"))
                    continue
                children[label] = _plain_node(child_spec, child_where, label, settings, errors, warnings)
    return done(labels, result, raters, children)


def _project_tree(data: Mapping[str, Any], settings: Settings, errors: list[TreeIssue],
                  warnings: list[TreeIssue]) -> NodeResult:
    root_errors: list[TreeIssue] = []
    root_warnings: list[TreeIssue] = []
    dimensions = data.get("dimensions")
    if not _is_list(dimensions) or not dimensions:
        root_errors.append(TreeIssue("dimensions", "dimensions 应是一个列表，列出各个维度"))
        errors.extend(root_errors)
        return NodeResult("", None, (), (), None, errors=tuple(root_errors))

    labels: list[str] = []
    codes: list[str | None] = []
    children: dict[str, NodeResult] = {}
    for k, dimension in enumerate(dimensions):
        where = f"dimensions[{k}]"
        if not isinstance(dimension, Mapping):
            root_errors.append(TreeIssue(where, "每个维度应是一个映射，包含 code、name、matrix 和 indicators"))
            labels.append(f"#{k + 1}")
            codes.append(None)
            continue
        code = _label_text(dimension.get("code"))
        name = _label_text(dimension.get("name")) or code
        if name is None:
            root_errors.append(TreeIssue(where, f"第{k + 1}个维度缺少 name（名称）"))
            name = f"#{k + 1}"
        labels.append(name)
        codes.append(code)
        children[name] = _dimension_node(dimension, where, name, settings, errors, warnings)

    labels_t = tuple(labels)
    _check_labels(labels_t, "dimensions", root_errors)
    _check_codes(codes, "dimensions", root_errors)
    result = None
    if not root_errors:
        result, raters = _analyse_matrix_spec(data, labels_t, "", settings, root_errors, root_warnings)
    else:
        raters = ()
    errors[:0] = root_errors
    warnings[:0] = root_warnings
    return NodeResult("", None, labels_t, tuple(codes), result, raters,
                      types.MappingProxyType(children), tuple(root_errors), tuple(root_warnings))


def _check_codes(codes: list[str | None], where: str, errors: list[TreeIssue]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code is None:
            continue
        if code in seen:
            errors.append(TreeIssue(where, f"编号 {code} 出现了不止一次，编号必须各不相同"))
        seen.add(code)


def _dimension_node(dimension: Mapping[str, Any], where: str, name: str, settings: Settings,
                    errors: list[TreeIssue], warnings: list[TreeIssue]) -> NodeResult:
    own_errors: list[TreeIssue] = []
    own_warnings: list[TreeIssue] = []
    indicators = dimension.get("indicators")
    indicators_where = _join(where, "indicators")
    labels: list[str] = []
    codes: list[str | None] = []
    if not _is_list(indicators) or not indicators:
        own_errors.append(TreeIssue(indicators_where, f"维度“{name}”没有列出指标（indicators）"))
    else:
        for k, indicator in enumerate(indicators):
            if not isinstance(indicator, Mapping):
                own_errors.append(TreeIssue(f"{indicators_where}[{k}]", "每个指标应是一个映射，包含 code 和 name"))
                labels.append(f"#{k + 1}")
                codes.append(None)
                continue
            code = _label_text(indicator.get("code"))
            label = _label_text(indicator.get("name")) or code
            if label is None:
                own_errors.append(TreeIssue(f"{indicators_where}[{k}]", f"维度“{name}”的第{k + 1}个指标缺少 name（名称）"))
                label = f"#{k + 1}"
            labels.append(label)
            codes.append(code)
    labels_t = tuple(labels)
    _check_labels(labels_t, indicators_where, own_errors)
    _check_codes(codes, indicators_where, own_errors)
    result, raters = None, ()
    if not own_errors:
        result, raters = _analyse_matrix_spec(dimension, labels_t, where, settings, own_errors, own_warnings)
    errors.extend(own_errors)
    warnings.extend(own_warnings)
    return NodeResult(where, name, labels_t, tuple(codes), result, raters,
                      types.MappingProxyType({}), tuple(own_errors), tuple(own_warnings))


def read_settings(data: Mapping[str, Any], method: str | None = None, ri: str | None = None,
                  threshold: str | float | None = None) -> tuple[Settings, list[TreeIssue]]:
    """The method, RI table and CR threshold of an evaluation file: the one reader of these keys.

    `dangjian check` and `dangjian ahp` both call it, so a value one accepts the other
    accepts too. Arguments given on the command line win over the file. A bad value is
    an issue (keyed by its name, for the caller's line number) and the default is used.
    """
    errors: list[TreeIssue] = []
    chosen_method = method if method is not None else data.get("method", _DEFAULT_METHOD)
    if not isinstance(chosen_method, str) or chosen_method not in METHODS:
        errors.append(TreeIssue("method", f"权重算法“{chosen_method}”不可用：请写 eigenvector（特征向量法）或 geometric（几何平均法）"))
        chosen_method = _DEFAULT_METHOD

    chosen_ri = ri if ri is not None else data.get("ri", _DEFAULT_RI)
    if not isinstance(chosen_ri, str) or chosen_ri not in RI_TABLES:
        errors.append(TreeIssue("ri", f"随机一致性指标表“{chosen_ri}”不可用：请从 {'、'.join(RI_TABLES)} 中选"))
        chosen_ri = _DEFAULT_RI

    chosen = threshold if threshold is not None else data.get("cr_threshold", _DEFAULT_THRESHOLD_NAME)
    if isinstance(chosen, str) and chosen.strip() not in ("fixed", "saaty_size"):
        try:
            chosen = float(chosen)
        except ValueError:
            pass
    elif isinstance(chosen, str):
        chosen = chosen.strip()
    valid = (chosen in ("fixed", "saaty_size")) or (
        isinstance(chosen, (int, float)) and not isinstance(chosen, bool)
        and math.isfinite(chosen) and 0 < chosen < 1)
    if not valid:
        errors.append(TreeIssue("cr_threshold", "一致性阈值 cr_threshold 应是 0 到 1 之间的数（通常 0.10）、fixed（固定取 0.10）"
                                                "或 saaty_size（按阶数取 0.05/0.08/0.10）"))
        chosen = _DEFAULT_THRESHOLD_NAME
    if isinstance(chosen, int):
        chosen = float(chosen)
    return Settings(chosen_method, chosen_ri, chosen), errors


def _leaves(node: NodeResult, path: tuple[str, ...], codes: tuple[str | None, ...],
            weight: float) -> list[Leaf]:
    if node.result is None:
        return []
    leaves: list[Leaf] = []
    for label, code, local in zip(node.labels, node.codes, node.result.weights):
        global_ = weight * local
        child = node.children.get(label)
        if child is None:
            leaves.append(Leaf(path + (label,), codes + (code,), local, global_))
        else:
            leaves.extend(_leaves(child, path + (label,), codes + (code,), global_))
    return leaves


def analyse_tree(data: Any, method: str | None = None, ri: str | None = None,
                 threshold: str | float | None = None) -> TreeResult:
    """Analyse every matrix of a hierarchy and the global weights of its leaves.

    ``method``, ``ri`` and ``threshold`` override ``method``, ``ri`` and
    ``cr_threshold`` in the data; the defaults are eigenvector, saaty and "fixed"
    (CR < 0.10).  Never raises for bad data: see ``TreeResult.errors``.
    """
    errors: list[TreeIssue] = []
    warnings: list[TreeIssue] = []
    if not isinstance(data, Mapping):
        errors.append(TreeIssue("(根)", "层次结构应是一个映射（键: 值），如 labels、matrix、children"))
        root = NodeResult("", None, (), (), None, errors=tuple(errors))
        return TreeResult(None, method or _DEFAULT_METHOD, ri or _DEFAULT_RI,
                          threshold if threshold is not None else _DEFAULT_THRESHOLD_NAME,
                          root, (), tuple(errors), ())
    settings, issues = read_settings(data, method, ri, threshold)
    errors.extend(issues)
    title = _label_text(data.get("title"))
    if "dimensions" in data:
        root = _project_tree(data, settings, errors, warnings)
    else:
        root = _plain_node(data, "", None, settings, errors, warnings)
    leaves = tuple(_leaves(root, (), (), 1.0))
    return TreeResult(title, settings.method, settings.ri, settings.threshold, root, leaves,
                      tuple(errors), tuple(warnings))


def all_consistent(result: TreeResult) -> bool:
    """True when there are no errors and every matrix that counts is consistent.

    For group judgments the combined (AIJ) matrix counts; an individual rater's
    CR is reported but does not decide.
    """
    if result.errors:
        return False
    return all(node.result is not None and node.result.consistent for node in result.root.walk())


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def _node_json(node: NodeResult) -> dict[str, Any]:
    r = node.result
    most = None
    if r is not None and r.most_inconsistent is not None:
        m = r.most_inconsistent
        most = {"row": m.row_label, "col": m.col_label, "value": m.value, "suggested": m.suggested}
    return {
        "labels": list(node.labels),
        "weights": list(r.weights) if r is not None else None,
        "lambda_max": r.lambda_max if r is not None else None,
        "ci": r.ci if r is not None else None,
        "cr": r.cr if r is not None else None,
        "consistent": r.consistent if r is not None else None,
        "most_inconsistent": most,
        "children": {label: _node_json(node.children[label])
                     for label in node.labels if label in node.children},
    }


def tree_to_json(result: TreeResult) -> dict[str, Any]:
    """A JSON-ready dict: the goal's node, its ``children`` recursively, ``leaves``,
    and ``errors`` when there are any.  Floats are not rounded."""
    out = _node_json(result.root)
    out["leaves"] = [{"path": list(leaf.path), "local": leaf.local, "global": leaf.global_}
                     for leaf in result.leaves]
    if result.errors:
        out["errors"] = [{"where": e.where, "message": e.message} for e in result.errors]
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _threshold_text(threshold: str | float) -> str:
    if threshold == "saaty_size":
        return "CR < 0.05（3 阶）、0.08（4 阶）、0.10（更大）"
    if threshold == "fixed":
        return f"CR < {DEFAULT_THRESHOLD:.2f}"
    value = float(threshold)
    return f"CR < {value:.2f}" if round(value, 2) == value else f"CR < {value:g}"


def _result_lines(r: AHPResult, indent: str = "  ") -> list[str]:
    lines = []
    width = max(_width("比较对象"), *(_width(label) for label in r.labels)) + 2
    lines.append(f"{indent}{_pad('比较对象', width)}权重")
    for label, weight in zip(r.labels, r.weights):
        lines.append(f"{indent}{_pad(label, width)}{weight:.4f}")
    verdict = "一致" if r.consistent else "不一致"
    lines.append(f"{indent}λmax = {r.lambda_max:.4f}    CI = {r.ci:.4f}    RI = {r.ri:.2f}    "
                 f"CR = {r.cr:.4f}    是否一致：{verdict}（阈值 {r.threshold:.2f}）")
    m = r.most_inconsistent
    if m is not None and not r.consistent:
        if abs(m.suggested - m.value) <= 1e-9 * m.value:
            lines.append(f"{indent}最不一致的判断：{m.row_label} 比 {m.col_label} = {fraction_text(m.value)}，"
                         f"按权重推算约为 {fraction_text(m.implied)}，已是标度上最接近的值；请同时检查其他判断")
        else:
            lines.append(f"{indent}最不一致的判断：{m.row_label} 比 {m.col_label} = {fraction_text(m.value)}，"
                         f"建议改为 {m.suggested_text} 左右（按权重推算约为 {fraction_text(m.implied)}）")
    return lines


def tree_to_text(result: TreeResult) -> str:
    """A readable Chinese report: one block per matrix, then the leaves' global weights."""
    lines: list[str] = []
    lines.append(result.title or "AHP 层次分析")
    lines.append(f"方法：{_METHOD_NAMES.get(result.method, result.method)}；随机一致性指标表：{_RI_NAMES.get(result.ri, result.ri)}；"
                 f"一致性要求：{_threshold_text(result.threshold)}")
    for node in result.root.walk():
        lines.append("")
        heading = "目标层" if node.name is None else " / ".join(_node_path(result.root, node))
        lines.append(f"【{heading}】")
        if node.result is not None:
            lines.extend(_result_lines(node.result))
        else:
            lines.append("  （判断矩阵有错误，未能计算权重）")
        for rater in node.raters:
            if rater.result is None:
                lines.append(f"  评委 {rater.name}：矩阵有错误")
            else:
                rr = rater.result
                lines.append(f"  评委 {rater.name}：CR = {rr.cr:.4f}，{'一致' if rr.consistent else '不一致'}")
        if node.raters:
            lines.append("  （以上权重来自各评委判断的几何平均合成矩阵）")

    if result.leaves:
        lines.append("")
        lines.append("【最底层的全局权重】")
        names = [" / ".join(leaf.path) for leaf in result.leaves]
        width = max(_width("路径"), *(_width(name) for name in names)) + 2
        lines.append(f"  {_pad('路径', width)}局部权重  全局权重")
        for name, leaf in zip(names, result.leaves):
            lines.append(f"  {_pad(name, width)}{leaf.local:.4f}    {leaf.global_:.4f}")
        lines.append(f"  {_pad('合计', width)}          {sum(leaf.global_ for leaf in result.leaves):.4f}")

    if result.warnings:
        lines.append("")
        lines.append("【提醒】")
        lines.extend(f"  {w.where}：{w.message}" for w in result.warnings)
    if result.errors:
        lines.append("")
        lines.append("【错误】")
        lines.extend(f"  {e.where}：{e.message}" for e in result.errors)
    lines.append("")
    lines.append("结论：" + ("全部判断矩阵满足一致性要求" if all_consistent(result)
                            else "存在错误或不满足一致性要求的判断矩阵，请修改后再使用"))
    return "\n".join(lines) + "\n"


def _node_path(root: NodeResult, target: NodeResult) -> list[str]:
    def search(node: NodeResult, path: list[str]) -> list[str] | None:
        if node is target:
            return path
        for label in node.labels:
            child = node.children.get(label)
            if child is not None:
                found = search(child, path + [label])
                if found is not None:
                    return found
        return None

    return search(root, []) or [target.name or ""]
