"""Reading judgments as people write them: "3", "1/3", "0.333", a matrix as rows or an upper triangle.

A user's typing mistakes become `MatrixIssue` values with Chinese messages (which row, which
column, what to write), never exceptions; the matrix that comes out is a read-only, exactly
reciprocal array of numbers, the only thing `compute/ahp.py` is handed. Orientation as in
`compute/ahp.py`: row i, column j = how much more important item i is than item j.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from generator.compute.ahp import fraction_text

__all__ = [
    "JudgmentError",
    "MatrixBuild",
    "MatrixIssue",
    "build_matrix",
    "parse_judgment",
]


_SCALE_MIN = 1.0 / 9.0
_SCALE_MAX = 9.0
# A judgment of 0.111 means 1/9; do not warn about it.
_SCALE_SLACK = 0.01

# Reciprocity: exact entries ("3" against "1/3") must agree to 1e-6 (relative);
# an entry written as a rounded decimal ("0.333" against "3") gets 1 %.
_RECIPROCAL_TOL_EXACT = 1e-6
_RECIPROCAL_TOL_DECIMAL = 0.01

_EXAMPLE = '如 3 或 "1/3"'


class JudgmentError(ValueError):
    """One comparison value could not be read; ``message`` is in Chinese."""

    def __init__(self, value: Any, message: str) -> None:
        super().__init__(message)
        self.value = value
        self.message = message


@dataclass(frozen=True)
class MatrixIssue:
    """A problem found in a user's matrix.

    ``row`` and ``col`` are 0-based (None when the issue concerns the whole matrix
    or a whole row); the Chinese ``message`` counts from 1, as people do.
    """

    row: int | None
    col: int | None
    message: str


@dataclass(frozen=True)
class MatrixBuild:
    """The outcome of ``build_matrix``: a read-only matrix, or None plus errors."""

    matrix: np.ndarray | None = field(compare=False, hash=False)
    errors: tuple[MatrixIssue, ...] = ()
    warnings: tuple[MatrixIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return self.matrix is not None and not self.errors



# ---------------------------------------------------------------------------
# Reading judgments
# ---------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _shown(value: Any) -> str:
    """How a raw value is quoted back to the user."""
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _bad(value: Any) -> JudgmentError:
    return JudgmentError(value, f"比较值必须是正数，{_EXAMPLE}，这里是 {_shown(value)}")


def _plain_number(text: str, original: Any) -> float:
    text = text.strip()
    if not _NUMBER_RE.fullmatch(text):
        raise _bad(original)
    return float(text)


def parse_judgment(value: Any) -> float:
    """Read one comparison value: 3, 0.5, "3", "1/3", "1.26", " 1 / 5 ".

    Full-width characters ("１／３") are accepted.  Zero, negative numbers,
    non-numbers, infinities, NaN, booleans and numbers so small that their
    reciprocal overflows raise ``JudgmentError`` with a Chinese message.  Other
    values outside 1/9..9 are returned as they are (the matrix builder warns
    about them).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise JudgmentError(value, f"缺少比较值：请填写一个正数，{_EXAMPLE}")
    if isinstance(value, (bool, np.bool_)):
        raise _bad(value)
    if isinstance(value, (int, float, Fraction, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if "/" in text:
            parts = text.split("/")
            if len(parts) != 2:
                raise _bad(value)
            numerator = _plain_number(parts[0], value)
            denominator = _plain_number(parts[1], value)
            if denominator == 0:
                raise JudgmentError(value, f"比较值的分母不能为 0，这里是 {_shown(value)}")
            number = numerator / denominator
        else:
            number = _plain_number(text, value)
    else:
        raise _bad(value)
    if not math.isfinite(number) or number <= 0:
        raise _bad(value)
    if math.isinf(1.0 / number):
        # the same judgment the other way round would be no number: nothing could be computed from it
        raise JudgmentError(value, f"比较值 {_shown(value)} 太小，反过来的比较值超出了能计算的范围：请写 1/9～9 之间的数，{_EXAMPLE}")
    return number



# ---------------------------------------------------------------------------
# Building a matrix from what a user wrote
# ---------------------------------------------------------------------------

_MISSING = object()


def _is_missing(raw: Any) -> bool:
    return raw is _MISSING or raw is None or (isinstance(raw, str) and not raw.strip())


def _written_as_decimal(raw: Any) -> bool:
    """True when a value was typed as a (possibly rounded) decimal such as 0.333."""
    if isinstance(raw, str):
        return "." in raw
    if isinstance(raw, (float, np.floating)):
        return not float(raw).is_integer()
    return False


def _raw_text(raw: Any) -> str:
    """A raw value as the user wrote it, for messages."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, (float, np.floating)):
        return f"{float(raw):g}"
    return str(raw)


def _cell(r: int, c: int) -> str:
    return f"第{r + 1}行第{c + 1}列"


def _is_row(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def build_matrix(rows: Any, n: int | None = None) -> MatrixBuild:
    """Turn rows as written by a user into a positive reciprocal matrix.

    Accepted shapes (n = number of items compared; ``n=None`` takes len(rows)):

    * a full n x n matrix; entries below (or above) the diagonal may be left
      empty (None or "") and are filled with the reciprocal of their mirror;
    * the upper triangle only, diagonal included: row i has n - i entries
      (row 0 has n, the last row has 1).

    The diagonal must be 1 (an empty diagonal entry counts as 1).  When both
    a_ij and a_ji are given they must be reciprocal; the entry above the
    diagonal is then kept and the one below set to its exact reciprocal.
    Entries outside 1/9..9 are accepted with a warning.  Nothing is raised for a
    user's mistake: the result carries ``errors`` and ``matrix`` is None.
    """
    errors: list[MatrixIssue] = []
    warnings: list[MatrixIssue] = []

    def fail(row: int | None, col: int | None, message: str) -> MatrixBuild:
        errors.append(MatrixIssue(row, col, message))
        return MatrixBuild(None, tuple(errors), tuple(warnings))

    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        return fail(None, None, '矩阵应写成若干行，每行是一个列表，如 [[1, 3], ["1/3", 1]]')
    if n is None:
        n = len(rows)
    if n < 1:
        return fail(None, None, "至少需要一个比较对象，矩阵不能为空")
    if len(rows) != n:
        return fail(None, None, f"矩阵应有 {n} 行（每个比较对象一行），这里有 {len(rows)} 行")
    for i, row in enumerate(rows):
        if not _is_row(row):
            errors.append(MatrixIssue(i, None, f"第{i + 1}行应是一个列表，如 [1, 3, \"1/5\"]，这里是 {_shown(row)}"))
    if errors:
        return MatrixBuild(None, tuple(errors), ())

    lengths = [len(row) for row in rows]
    full = all(length == n for length in lengths)
    triangle = not full and all(length == n - i for i, length in enumerate(lengths))
    if not (full or triangle):
        for i, length in enumerate(lengths):
            if length != n:
                errors.append(MatrixIssue(
                    i, None,
                    f"第{i + 1}行应有 {n} 个数（矩阵不是 {n}×{n} 的方阵），这里有 {length} 个；"
                    f"也可以只写上三角：第{i + 1}行写 {n - i} 个数",
                ))
        return MatrixBuild(None, tuple(errors), ())

    raw = [[_MISSING] * n for _ in range(n)]
    for i, row in enumerate(rows):
        for k, entry in enumerate(row):
            j = k if full else i + k
            raw[i][j] = entry

    values: list[list[float | None]] = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if _is_missing(raw[i][j]):
                continue
            try:
                values[i][j] = parse_judgment(raw[i][j])
            except JudgmentError as exc:
                errors.append(MatrixIssue(i, j, f"{_cell(i, j)}：{exc.message}"))

    for i in range(n):
        diagonal = values[i][i]
        if _is_missing(raw[i][i]):
            values[i][i] = 1.0
        elif diagonal is not None and abs(diagonal - 1.0) > 1e-9:
            errors.append(MatrixIssue(
                i, i, f"{_cell(i, i)}在对角线上，应为 1（自己和自己同等重要），却是 {_raw_text(raw[i][i])}"))

    for i in range(n):
        for j in range(i + 1, n):
            upper_missing, lower_missing = _is_missing(raw[i][j]), _is_missing(raw[j][i])
            if upper_missing and lower_missing:
                errors.append(MatrixIssue(
                    i, j, f"{_cell(i, j)}和{_cell(j, i)}都没有填写，至少要填其中一个"))
                continue
            upper, lower = values[i][j], values[j][i]
            if (not upper_missing and upper is None) or (not lower_missing and lower is None):
                continue  # unreadable entry, already reported
            if upper is not None and lower is not None:
                tol = (_RECIPROCAL_TOL_DECIMAL
                       if _written_as_decimal(raw[i][j]) or _written_as_decimal(raw[j][i])
                       else _RECIPROCAL_TOL_EXACT)
                if abs(upper * lower - 1.0) > tol:
                    errors.append(MatrixIssue(
                        j, i,
                        f"{_cell(i, j)}是 {_raw_text(raw[i][j])}，{_cell(j, i)}应为 "
                        f"{fraction_text(1.0 / upper)}，却是 {_raw_text(raw[j][i])}"))
                    continue
            if upper is not None:  # when both are given, the entry above the diagonal is kept
                given_at, given = (i, j), upper
                values[j][i] = 1.0 / upper
            elif lower is not None:
                given_at, given = (j, i), lower
                values[i][j] = 1.0 / lower
            else:
                continue  # neither was written: reported above
            if given < _SCALE_MIN * (1 - _SCALE_SLACK) or given > _SCALE_MAX * (1 + _SCALE_SLACK):
                r, c = given_at
                warnings.append(MatrixIssue(
                    r, c, f"{_cell(r, c)}是 {_raw_text(raw[r][c])}，超出了 Saaty 标度 1/9～9 的范围"))

    if errors:
        return MatrixBuild(None, tuple(errors), tuple(warnings))
    matrix = np.array(values, dtype=float)
    matrix.setflags(write=False)
    return MatrixBuild(matrix, (), tuple(warnings))
