"""Analytic Hierarchy Process (AHP): the maths of one pairwise comparison matrix.

Orientation, stated once and used everywhere in this project:

    row i, column j  =  how much more important labels[i] is than labels[j].

So ``a[i][j] = 3`` reads "labels[i] is moderately more important than labels[j]",
and the matrix must be reciprocal: ``a[j][i] = 1/a[i][j]``, with 1 on the diagonal.
Judgments use Saaty's 1-9 scale (1 equal, 3 moderate, 5 strong, 7 very strong,
9 extreme; 2, 4, 6, 8 in between; reciprocals for the other direction).

What is computed (Saaty 1980, 1990):

* weights: the principal right eigenvector of the matrix, normalised to sum 1
  (``method="eigenvector"``), or the normalised geometric mean of each row
  (``method="geometric"``; Crawford, G. & Williams, C. (1985) "A note on the
  analysis of subjective judgment matrices", J. Math. Psychology 29(4):387-405);
* lambda_max: the principal eigenvalue.  For the geometric method it is estimated
  as the mean of (A w)_i / w_i over the rows, which is exactly the eigenvalue when
  w is the eigenvector and the usual estimate when w is the geometric-mean vector;
  either way it is >= n for a positive reciprocal matrix;
* CI = (lambda_max - n) / (n - 1) and CR = CI / RI(n), RI being a published random
  index (see ``RI_TABLES``).  A matrix of order 1 or 2 is always consistent (CR 0);
* the most inconsistent judgment: the pair (i, j) whose
  epsilon_ij = a_ij * w_j / w_i lies furthest from 1 (largest |ln epsilon_ij|),
  with the value on Saaty's scale nearest to w_i / w_j as a suggestion (Saaty 2003,
  "Decision-making with the AHP: why is the principal eigenvector necessary",
  EJOR 145(1):85-91).

Everything here is a pure function on numbers: no I/O, no module state is changed,
results are frozen dataclasses holding tuples.  Reading what a user typed ("1/3", a
triangle of rows) is ``generator/load/judgments.py``'s business.  ``analyse`` expects a
valid matrix and raises ``AHPError`` (a ``ValueError``) when given something that is not one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "AHPError",
    "AHPResult",
    "DEFAULT_THRESHOLD",
    "InconsistentJudgment",
    "METHODS",
    "RI_TABLES",
    "SAATY_SCALE",
    "aggregate_aij",
    "analyse",
    "consistency_threshold",
    "fraction_text",
    "nearest_on_scale",
    "random_index",
]

# ---------------------------------------------------------------------------
# Published constants
# ---------------------------------------------------------------------------

# Random index RI(n): the mean consistency index of random reciprocal matrices of
# order n filled from the 1-9 scale.  RI(1) = RI(2) = 0 in every table (matrices of
# order 1 and 2 are always consistent).
_SAATY_1980: dict[int, float] = {
    # Saaty, T.L. (1980) The Analytic Hierarchy Process, McGraw-Hill; n = 1..10 are
    # the values quoted in Saaty (1990) "How to make a decision: the analytic
    # hierarchy process", EJOR 48(1):9-26, and used for that paper's published
    # CRs (see tests/data/ahp-examples.json).  n = 11..15 are the extension
    # printed with the 1980 table (computed from smaller samples, hence the dip
    # at n = 12).
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
    9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}

RI_TABLES: dict[str, dict[int, float]] = {
    # Saaty (1980), see above: the project's default.
    "saaty": _SAATY_1980,
    # The same table under the name used by tests/data/ahp-examples.json.
    "saaty_1980": _SAATY_1980,
    # Saaty, T.L. (2005) Theory and Applications of the Analytic Network Process,
    # RWS Publications, Pittsburgh, p. 31 (as transcribed in the AHPy project,
    # random_index='saaty').
    "saaty_2005": {
        1: 0.0, 2: 0.0, 3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40,
        9: 1.45, 10: 1.49, 11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59,
    },
    # Donegan, H.A. & Dodd, F.J. (1991) "A note on Saaty's random indexes",
    # Mathematical and Computer Modelling 15(10):135-137,
    # doi:10.1016/0895-7177(91)90098-R (as transcribed in the AHPy project,
    # random_index='dd'; only the consecutive orders 3..20 are kept here).
    "donegan_dodd": {
        1: 0.0, 2: 0.0, 3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519,
        8: 1.3171, 9: 1.3733, 10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643,
        14: 1.4822, 15: 1.4969, 16: 1.5078, 17: 1.5153, 18: 1.5262, 19: 1.5313,
        20: 1.5371,
    },
}

# Saaty's rule of thumb: CR < 0.10 is acceptable (Saaty 1980; Saaty 1990, EJOR
# 48(1):9-26).
DEFAULT_THRESHOLD = 0.10

# Size-dependent limits: 0.05 for n = 3, 0.08 for n = 4, 0.10 for larger matrices
# (Saaty, T.L. (1994) "How to make a decision: the analytic hierarchy process",
# Interfaces 24(6):19-43).  Orders 1 and 2 have CR 0 and pass any limit.
_SAATY_SIZE_THRESHOLDS: dict[int, float] = {3: 0.05, 4: 0.08}

# Saaty's fundamental scale 1/9 .. 1/2, 1 .. 9 (Saaty 1980; Saaty 2008,
# Int. J. Services Sciences 1(1):83-98, Table 1).
SAATY_SCALE: tuple[float, ...] = tuple(
    [1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)]
)

METHODS: tuple[str, ...] = ("eigenvector", "geometric")

# Tolerance for accepting a matrix handed to ``analyse`` as reciprocal.
_ANALYSE_RECIPROCAL_TOL = 1e-6

# ---------------------------------------------------------------------------
# Errors and result types
# ---------------------------------------------------------------------------


class AHPError(ValueError):
    """A programming-level misuse (not a typing mistake by a user).

    The message is in Chinese because it may still reach a user through the
    tree functions, which catch it and report it as an error.
    """


@dataclass(frozen=True)
class InconsistentJudgment:
    """The judgment that disagrees most with the weights (Saaty's epsilon_ij).

    ``value`` is a_ij as entered; ``implied`` is w_i / w_j, the value that would
    agree with the weights; ``suggested`` is ``implied`` rounded to the nearest
    value on Saaty's scale (nearest on a log scale, the scale being one of
    ratios), ``suggested_text`` its written form ("1/3", "5");
    ``epsilon`` = a_ij * w_j / w_i.  Always ``row < col``.
    """

    row: int
    col: int
    row_label: str
    col_label: str
    value: float
    implied: float
    suggested: float
    suggested_text: str
    epsilon: float


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of one comparison matrix."""

    labels: tuple[str, ...]
    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    ri: float
    cr: float
    threshold: float
    consistent: bool
    most_inconsistent: InconsistentJudgment | None
    method: str
    ri_table: str
    matrix: tuple[tuple[float, ...], ...]

    @property
    def n(self) -> int:
        return len(self.labels)

    def weight_of(self, label: str) -> float:
        return self.weights[self.labels.index(label)]


# ---------------------------------------------------------------------------
# The scale
# ---------------------------------------------------------------------------


def nearest_on_scale(x: float) -> float:
    """The value of Saaty's scale (1/9 .. 1/2, 1 .. 9) nearest to x on a log scale."""
    if not x > 0:
        raise AHPError(f"比较值必须是正数，这里是 {x}")
    log_x = math.log(x)
    return min(SAATY_SCALE, key=lambda s: abs(math.log(s) - log_x))


def fraction_text(x: float) -> str:
    """Write a judgment as people do: "3", "1/3", or a short decimal "1.26"."""
    x = float(x)
    if not math.isfinite(x) or x <= 0:
        return f"{x:g}"
    rounded = round(x)
    if rounded >= 1 and abs(x - rounded) <= 1e-6 * x:
        return str(int(rounded))
    inverse = 1.0 / x
    rounded_inverse = round(inverse)
    if rounded_inverse >= 2 and abs(inverse - rounded_inverse) <= 1e-6 * inverse:
        return f"1/{int(rounded_inverse)}"
    return f"{x:.3g}"


# ---------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------


def random_index(n: int, table: str | Mapping[int, float] = "saaty") -> float:
    """RI(n) from a named table in ``RI_TABLES`` or from a mapping n -> RI."""
    if n <= 2:
        return 0.0
    if isinstance(table, str):
        if table not in RI_TABLES:
            names = "、".join(RI_TABLES)
            raise AHPError(f"未知的随机一致性指标表 {table!r}，可用的有：{names}")
        values: Mapping[int, float] = RI_TABLES[table]
        name = table
    else:
        values = table
        name = "自定义"
    if n not in values:
        raise AHPError(f"随机一致性指标表 {name} 没有 {n} 阶的 RI 值，无法计算 CR；"
                       f"请减少比较对象或换一个 RI 表")
    return float(values[n])


def consistency_threshold(threshold: str | float, n: int) -> float:
    """The CR limit: "fixed" (0.10), "saaty_size" (0.05/0.08/0.10) or a number."""
    if isinstance(threshold, str):
        if threshold == "fixed":
            return DEFAULT_THRESHOLD
        if threshold == "saaty_size":
            return _SAATY_SIZE_THRESHOLDS.get(n, DEFAULT_THRESHOLD)
        raise AHPError(f'未知的一致性阈值 {threshold!r}，应为 "fixed"、"saaty_size" 或一个数，如 0.1')
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)):
        raise AHPError(f'未知的一致性阈值 {threshold!r}，应为 "fixed"、"saaty_size" 或一个数，如 0.1')
    value = float(threshold)
    if not (math.isfinite(value) and value > 0):
        raise AHPError(f"一致性阈值必须是正数，这里是 {threshold!r}")
    return value


def _checked_matrix(matrix: Any, labels: Sequence[str]) -> np.ndarray:
    try:
        a = np.array(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AHPError(f"判断矩阵必须由数字组成：{exc}") from exc
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise AHPError(f"判断矩阵必须是非空方阵，这里的形状是 {a.shape}")
    n = a.shape[0]
    if len(labels) != n:
        raise AHPError(f"比较对象有 {len(labels)} 个，矩阵却是 {n}×{n}")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise AHPError("判断矩阵的每个数都必须是有限的正数")
    if not np.allclose(a * a.T, 1.0, rtol=0.0, atol=_ANALYSE_RECIPROCAL_TOL):
        raise AHPError("判断矩阵必须互反：a[j][i] = 1/a[i][j]，对角线为 1")
    return a


def _eigenvector_weights(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal right eigenvector (normalised to sum 1) and its eigenvalue."""
    eigenvalues, eigenvectors = np.linalg.eig(a)
    # Perron-Frobenius: a positive matrix has a simple real eigenvalue of largest
    # modulus, with a positive eigenvector.
    k = int(np.argmax(eigenvalues.real))
    vector = eigenvectors[:, k].real
    weights = vector / vector.sum()
    return weights, float(eigenvalues[k].real)


def _geometric_weights(a: np.ndarray) -> np.ndarray:
    """Row geometric means normalised to sum 1 (Crawford & Williams 1985)."""
    means = np.exp(np.log(a).mean(axis=1))
    return means / means.sum()


def _most_inconsistent(a: np.ndarray, w: np.ndarray, labels: Sequence[str]) -> InconsistentJudgment:
    n = a.shape[0]
    best: tuple[float, int, int] | None = None
    for i in range(n):
        for j in range(i + 1, n):
            deviation = abs(math.log(a[i, j] * w[j] / w[i]))
            if best is None or deviation > best[0]:
                best = (deviation, i, j)
    assert best is not None
    _, i, j = best
    implied = float(w[i] / w[j])
    suggested = nearest_on_scale(implied)
    return InconsistentJudgment(
        row=i, col=j, row_label=labels[i], col_label=labels[j],
        value=float(a[i, j]), implied=implied, suggested=suggested,
        suggested_text=fraction_text(suggested),
        epsilon=float(a[i, j] * w[j] / w[i]),
    )


def analyse(
    matrix: Any,
    labels: Sequence[str],
    method: str = "eigenvector",
    ri: str | Mapping[int, float] = "saaty",
    threshold: str | float = "fixed",
) -> AHPResult:
    """Weights, lambda_max, CI, CR and the most inconsistent judgment of a matrix.

    ``matrix`` must be a positive reciprocal square matrix (as ``build_matrix``
    returns); ``labels[i]`` names row and column i.  ``method`` is "eigenvector"
    (Saaty) or "geometric" (row geometric mean).  ``ri`` names a table of
    ``RI_TABLES`` or is a mapping n -> RI.  ``threshold`` is "fixed" (CR < 0.10),
    "saaty_size" (0.05 for n = 3, 0.08 for n = 4, else 0.10) or a number.
    Raises ``AHPError`` for an invalid matrix or option.
    """
    labels = tuple(str(label) for label in labels)
    a = _checked_matrix(matrix, labels)
    n = a.shape[0]
    if method not in METHODS:
        raise AHPError(f'未知的权重计算方法 {method!r}，应为 "eigenvector"（特征向量法）或 "geometric"（几何平均法）')
    limit = consistency_threshold(threshold, n)
    ri_value = random_index(n, ri)
    ri_name = ri if isinstance(ri, str) else "custom"

    if method == "eigenvector":
        w, lambda_max = _eigenvector_weights(a)
    else:
        w = _geometric_weights(a)
        lambda_max = float(np.mean((a @ w) / w))

    if n <= 2:
        # Any positive reciprocal matrix of order 1 or 2 is consistent.
        ci = 0.0
        cr = 0.0
    else:
        # lambda_max >= n holds for every positive reciprocal matrix; a tiny
        # negative CI is rounding noise.
        ci = max(0.0, (lambda_max - n) / (n - 1))
        cr = ci / ri_value

    return AHPResult(
        labels=labels,
        weights=tuple(float(x) for x in w),
        lambda_max=float(lambda_max),
        ci=float(ci),
        ri=float(ri_value),
        cr=float(cr),
        threshold=limit,
        consistent=bool(cr < limit),
        most_inconsistent=_most_inconsistent(a, w, labels) if n >= 3 else None,
        method=method,
        ri_table=ri_name,
        matrix=tuple(tuple(float(x) for x in row) for row in a),
    )


def aggregate_aij(matrices: Sequence[Any], weights: Sequence[float] | None = None) -> np.ndarray:
    """Group judgment by aggregating individual judgments (AIJ).

    Entrywise geometric mean of the raters' matrices (Forman, E. & Peniwati, K.
    (1998) "Aggregating individual judgments and priorities with the analytic
    hierarchy process", EJOR 108(1):165-169); with ``weights`` (one positive number
    per rater) the weighted geometric mean.  The geometric mean of reciprocal
    matrices is reciprocal.  The result is a new read-only array.
    """
    if len(matrices) == 0:
        raise AHPError("至少需要一位评委的判断矩阵")
    stack = [np.array(m, dtype=float) for m in matrices]
    shape = stack[0].shape
    if len(shape) != 2 or shape[0] != shape[1]:
        raise AHPError(f"判断矩阵必须是方阵，这里的形状是 {shape}")
    for m in stack:
        if m.shape != shape:
            raise AHPError(f"各评委的矩阵大小必须相同：{shape} 与 {m.shape}")
        if not np.all(np.isfinite(m)) or np.any(m <= 0):
            raise AHPError("判断矩阵的每个数都必须是有限的正数")
    if weights is None:
        rater_weights = np.full(len(stack), 1.0 / len(stack))
    else:
        rater_weights = np.array(weights, dtype=float)
        if rater_weights.shape != (len(stack),) or np.any(rater_weights <= 0):
            raise AHPError("评委权重必须是正数，每位评委一个")
        rater_weights = rater_weights / rater_weights.sum()
    logs = np.stack([np.log(m) for m in stack])
    result = np.exp(np.tensordot(rater_weights, logs, axes=1))
    result.setflags(write=False)
    return result
