"""An AHP hierarchy as numbers: the judgments a file holds, read once.

`load/` turns what a user typed ("1/3", an upper triangle, several raters) into these
frozen values and says what was wrong with it; `compute/` does the maths on them and
reads nothing else. A matrix is a tuple of rows: row i, column j = how much more
important labels[i] is than labels[j], positive and reciprocal.
"""

from __future__ import annotations

from dataclasses import dataclass

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Settings:
    """How weights and consistency are computed (`method`, `ri`, `cr_threshold` in the file)."""

    method: str = "eigenvector"  # "eigenvector" | "geometric"
    ri: str = "saaty"  # a table of compute.ahp.RI_TABLES
    threshold: str | float = "fixed"  # "fixed" (CR < 0.10), "saaty_size", or a number between 0 and 1


@dataclass(frozen=True)
class Rater:
    """One rater's own matrix; None when it could not be read or used."""

    name: str
    matrix: Matrix | None


@dataclass(frozen=True)
class Judgments:
    """The pairwise comparisons of one set of items.

    `matrix` is the one that counts: as written, or the raters' matrices combined by
    their entrywise geometric mean (AIJ); None when it cannot be used (the reader said
    why). `raters` keeps each rater's own matrix, for their own CR.
    """

    matrix: Matrix | None
    raters: tuple[Rater, ...] = ()


@dataclass(frozen=True)
class Node:
    """One comparison of the hierarchy and the nodes that break its labels down.

    `where` is the node's path in the data ("" for the goal, "dimensions[2]",
    "children.甲"); `name` the label it breaks down (None for the goal). Each child's
    `name` is one of `labels`.
    """

    where: str
    name: str | None
    labels: tuple[str, ...]
    codes: tuple[str | None, ...]
    judgments: Judgments
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class TreeIssue:
    """An error or warning: ``where`` is a path into the data, ``message`` Chinese."""

    where: str
    message: str


@dataclass(frozen=True)
class Hierarchy:
    """A whole hierarchy as read, with what reading it found.

    Where an error concerns a node, that node's judgments are None: the maths skips it
    and reports the rest.
    """

    title: str | None
    settings: Settings
    root: Node
    errors: tuple[TreeIssue, ...] = ()
    warnings: tuple[TreeIssue, ...] = ()
