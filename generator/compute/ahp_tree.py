"""A hierarchy of AHP comparison matrices: weights from the goal down to the leaves.

Works on a `Hierarchy` of numbers (generator/model/hierarchy.py), as `load/` reads it from
`data/evaluation.yml` or from a file given to `dangjian ahp`; reading and its messages are
`load/`'s business. Every matrix that counts is analysed; for a group judgment (`raters`)
the combined matrix decides and each rater's own CR is reported beside it. A node whose
judgments could not be read has no result, and its leaves are left out.
"""

from __future__ import annotations

import types
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.compute.ahp import DEFAULT_THRESHOLD, AHPResult, analyse, fraction_text
from generator.model.hierarchy import Hierarchy, Matrix, Node, Settings, TreeIssue

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

_METHOD_NAMES = {"eigenvector": "特征向量法", "geometric": "行几何平均法"}
_RI_NAMES = {
    "saaty": "Saaty (1980)",
    "saaty_1980": "Saaty (1980)",
    "saaty_2005": "Saaty (2005)",
    "donegan_dodd": "Donegan & Dodd (1991)",
}


@dataclass(frozen=True)
class RaterResult:
    """One rater's own matrix, analysed for their consistency."""

    name: str
    result: AHPResult | None


@dataclass(frozen=True)
class NodeResult:
    """One comparison matrix of the hierarchy and the nodes below it.

    ``name`` is the label this node breaks down (None for the goal); ``where`` is
    its path in the data ("" for the goal).  ``result`` is None when the node's
    matrix could not be used (the tree's ``errors`` say why).  ``children`` maps a
    label of this node to the node that breaks that label down.
    """

    where: str
    name: str | None
    labels: tuple[str, ...]
    codes: tuple[str | None, ...]
    result: AHPResult | None
    raters: tuple[RaterResult, ...] = ()
    children: Mapping[str, NodeResult] = field(
        default_factory=lambda: types.MappingProxyType({}), hash=False)

    def walk(self) -> Iterator[NodeResult]:
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

    ``errors`` and ``warnings`` are those found reading it.  ``method``, ``ri`` and
    ``threshold`` are the settings used (after arguments have overridden the file).
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
# Analysis
# ---------------------------------------------------------------------------


def _analysed(matrix: Matrix | None, labels: tuple[str, ...], settings: Settings) -> AHPResult | None:
    if matrix is None:
        return None
    return analyse(matrix, labels, method=settings.method, ri=settings.ri, threshold=settings.threshold)


def _node(node: Node, settings: Settings) -> NodeResult:
    judgments = node.judgments
    # a later child of the same name replaces an earlier one, in the earlier one's place
    children = {child.name or "": _node(child, settings) for child in node.children}
    return NodeResult(
        node.where, node.name, node.labels, node.codes, _analysed(judgments.matrix, node.labels, settings),
        tuple(RaterResult(r.name, _analysed(r.matrix, node.labels, settings)) for r in judgments.raters),
        types.MappingProxyType(children))


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


def analyse_tree(hierarchy: Hierarchy) -> TreeResult:
    """Analyse every matrix of a hierarchy and the global weights of its leaves."""
    settings = hierarchy.settings
    root = _node(hierarchy.root, settings)
    leaves = tuple(_leaves(root, (), (), 1.0))
    return TreeResult(hierarchy.title, settings.method, settings.ri, settings.threshold, root, leaves,
                      hierarchy.errors, hierarchy.warnings)


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
