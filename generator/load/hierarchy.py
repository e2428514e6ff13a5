"""Reading a hierarchy of comparison matrices for `dangjian ahp`, from data already read from YAML.

Two shapes are accepted.

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
of ``matrix``: each rater's matrix is kept for its own CR, and the matrices are
combined by the entrywise geometric mean (AIJ); the combined matrix is the one that counts.

A node with a single item needs no matrix. Mistakes in the data become errors with a
``where`` path (``children.甲.matrix``, ``dimensions[2].raters.委员乙``) and a Chinese
message; nothing here raises for bad data. A matrix the maths could not use (an order
the RI table lacks) is an error here too, so `compute/ahp_tree.py` gets only what it can use.
`dangjian check` reads `data/evaluation.yml` with line numbers in `load/evaluation.py`;
both take `method`, `ri` and `cr_threshold` from `read_settings`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from generator.compute.ahp import METHODS, RI_TABLES, AHPError, aggregate_aij, analyse
from generator.load.judgments import MatrixBuild, MatrixIssue, build_matrix
from generator.model.hierarchy import Hierarchy, Judgments, Matrix, Node, Rater, Settings, TreeIssue

__all__ = ["numbers", "read_hierarchy", "read_settings"]

_DEFAULT_METHOD = "eigenvector"
_DEFAULT_RI = "saaty"
_DEFAULT_THRESHOLD_NAME = "fixed"

_UNUSABLE = Judgments(None)


def numbers(matrix: np.ndarray) -> Matrix:
    """A matrix as the model keeps it: rows of plain floats, the same values."""
    return tuple(tuple(float(x) for x in row) for row in matrix)


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


def read_hierarchy(data: Any, method: str | None = None, ri: str | None = None,
                   threshold: str | float | None = None) -> Hierarchy:
    """Every matrix of a hierarchy as numbers, and what is wrong with the data.

    ``method``, ``ri`` and ``threshold`` override ``method``, ``ri`` and
    ``cr_threshold`` in the data; the defaults are eigenvector, saaty and "fixed"
    (CR < 0.10). Never raises for bad data: see ``Hierarchy.errors``.
    """
    errors: list[TreeIssue] = []
    warnings: list[TreeIssue] = []
    if not isinstance(data, Mapping):
        errors.append(TreeIssue("(根)", "层次结构应是一个映射（键: 值），如 labels、matrix、children"))
        settings = Settings(method or _DEFAULT_METHOD, ri or _DEFAULT_RI,
                            threshold if threshold is not None else _DEFAULT_THRESHOLD_NAME)
        return Hierarchy(None, settings, Node("", None, (), (), _UNUSABLE), tuple(errors), ())
    settings, issues = read_settings(data, method, ri, threshold)
    errors.extend(issues)
    if "dimensions" in data:
        root = _project_tree(data, settings, errors, warnings)
    else:
        root = _plain_node(data, "", None, settings, errors, warnings)
    return Hierarchy(_label_text(data.get("title")), settings, root, tuple(errors), tuple(warnings))


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


def _check_codes(codes: list[str | None], where: str, errors: list[TreeIssue]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code is None:
            continue
        if code in seen:
            errors.append(TreeIssue(where, f"编号 {code} 出现了不止一次，编号必须各不相同"))
        seen.add(code)


def _usable(matrix: Any, labels: tuple[str, ...], where: str, settings: Settings,
            errors: list[TreeIssue]) -> bool:
    """Whether the maths can use a well-formed matrix (it cannot when, say, the RI table lacks its order)."""
    try:
        analyse(matrix, labels, method=settings.method, ri=settings.ri, threshold=settings.threshold)
    except AHPError as exc:
        errors.append(TreeIssue(where, str(exc)))
        return False
    return True


def _judgments(spec: Mapping[str, Any], labels: tuple[str, ...], where: str, settings: Settings,
               errors: list[TreeIssue], warnings: list[TreeIssue]) -> Judgments:
    """The `matrix` or `raters` of one node."""
    n = len(labels)
    has_matrix = spec.get("matrix") is not None
    has_raters = spec.get("raters") is not None
    if has_matrix and has_raters:
        errors.append(TreeIssue(where, "matrix 和 raters 只能写一个：要么一个判断矩阵，要么每位评委一个"))
        return _UNUSABLE
    if not has_matrix and not has_raters:
        if n == 1:
            one = ((1.0,),)
            return Judgments(one if _usable(one, labels, _join(where, "matrix"), settings, errors) else None)
        errors.append(TreeIssue(_join(where, "matrix"),
                                f"缺少判断矩阵：{n} 个比较对象需要一个 {n}×{n} 的 matrix（或 raters）"))
        return _UNUSABLE

    if has_matrix:
        matrix_where = _join(where, "matrix")
        build = build_matrix(spec["matrix"], n)
        _collect(build, matrix_where, labels, errors, warnings)
        if build.matrix is None or not _usable(build.matrix, labels, matrix_where, settings, errors):
            return _UNUSABLE
        return Judgments(numbers(build.matrix))

    raters_where = _join(where, "raters")
    raters_spec = spec["raters"]
    if not isinstance(raters_spec, Mapping) or not raters_spec:
        errors.append(TreeIssue(raters_where, "raters 应写成“评委姓名: 判断矩阵”的映射，至少一位评委"))
        return _UNUSABLE
    raters: list[Rater] = []
    matrices = []
    for rater, rows in raters_spec.items():
        rater_where = _join(raters_where, str(rater))
        build = build_matrix(rows, n)
        _collect(build, rater_where, labels, errors, warnings)
        own = None
        if build.matrix is not None:
            if _usable(build.matrix, labels, rater_where, settings, errors):
                own = numbers(build.matrix)
            matrices.append(build.matrix)
        raters.append(Rater(str(rater), own))
    if len(matrices) != len(raters_spec):
        # A group judgment without one of its members is not the group's judgment.
        return Judgments(None, tuple(raters))
    combined = aggregate_aij(matrices)
    usable = _usable(combined, labels, raters_where, settings, errors)
    return Judgments(numbers(combined) if usable else None, tuple(raters))


def _collect(build: MatrixBuild, where: str, labels: tuple[str, ...], errors: list[TreeIssue],
             warnings: list[TreeIssue]) -> None:
    def text(issue: MatrixIssue) -> str:
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


def _plain_node(spec: Any, where: str, name: str | None, settings: Settings,
                errors: list[TreeIssue], warnings: list[TreeIssue]) -> Node:
    # a node's own issues follow those of the nodes below it, as they are found
    own_errors: list[TreeIssue] = []
    own_warnings: list[TreeIssue] = []

    def done(labels: tuple[str, ...] = (), judgments: Judgments = _UNUSABLE,
             children: tuple[Node, ...] = ()) -> Node:
        errors.extend(own_errors)
        warnings.extend(own_warnings)
        return Node(where, name, labels, (None,) * len(labels), judgments, children)

    if not isinstance(spec, Mapping):
        own_errors.append(TreeIssue(where or "(根)", "这里应是一个包含 labels 和 matrix 的映射"))
        return done()
    labels_where = _join(where, "labels")
    raw_labels = spec.get("labels")
    if not _is_list(raw_labels) or not raw_labels:
        own_errors.append(TreeIssue(labels_where, "缺少 labels：请列出要比较的对象，如 [甲, 乙, 丙]"))
        return done()
    names = []
    for k, raw in enumerate(raw_labels):
        text = _label_text(raw)
        if text is None:
            own_errors.append(TreeIssue(labels_where, f"第{k + 1}个比较对象的名称无效：{raw!r}"))
            text = f"#{k + 1}"
        names.append(text)
    labels = tuple(names)
    _check_labels(labels, labels_where, own_errors)

    judgments = _UNUSABLE
    if not own_errors:
        judgments = _judgments(spec, labels, where, settings, own_errors, own_warnings)

    children: list[Node] = []
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
                children.append(_plain_node(child_spec, child_where, label, settings, errors, warnings))
    return done(labels, judgments, tuple(children))


def _project_tree(data: Mapping[str, Any], settings: Settings, errors: list[TreeIssue],
                  warnings: list[TreeIssue]) -> Node:
    # the goal's issues come first, before the settings' and the dimensions'
    root_errors: list[TreeIssue] = []
    root_warnings: list[TreeIssue] = []
    dimensions = data.get("dimensions")
    if not _is_list(dimensions) or not dimensions:
        root_errors.append(TreeIssue("dimensions", "dimensions 应是一个列表，列出各个维度"))
        errors.extend(root_errors)
        return Node("", None, (), (), _UNUSABLE)

    labels: list[str] = []
    codes: list[str | None] = []
    children: list[Node] = []
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
        children.append(_dimension_node(dimension, where, name, settings, errors, warnings))

    labels_t = tuple(labels)
    _check_labels(labels_t, "dimensions", root_errors)
    _check_codes(codes, "dimensions", root_errors)
    judgments = _UNUSABLE
    if not root_errors:
        judgments = _judgments(data, labels_t, "", settings, root_errors, root_warnings)
    errors[:0] = root_errors
    warnings[:0] = root_warnings
    return Node("", None, labels_t, tuple(codes), judgments, tuple(children))


def _dimension_node(dimension: Mapping[str, Any], where: str, name: str, settings: Settings,
                    errors: list[TreeIssue], warnings: list[TreeIssue]) -> Node:
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
    judgments = _UNUSABLE
    if not own_errors:
        judgments = _judgments(dimension, labels_t, where, settings, own_errors, own_warnings)
    errors.extend(own_errors)
    warnings.extend(own_warnings)
    return Node(where, name, labels_t, tuple(codes), judgments)
