"""AHP points: from the ledger to each member's score, the honor roll and its robustness.

The rule (DOMAIN.md, and the comments in data/evaluation.yml):
- an indicator's raw value is the sum of the member's ledger points for it in the period;
- its value is min(raw / (cap × months in the period), 1);
- a dimension score is 100 × Σ local weight × value over the dimension's indicators;
- the AHP total is 100 × Σ global weight × value (= Σ dimension weight × dimension score);
- deductions (扣分) are subtracted outside the AHP; the final score is never below 0;
- a member with a disciplinary matter is scored but never on the honor roll.

Everything is computed for the whole ledger at once with numpy; nothing here reads
files or the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from .ahp_tree import TreeResult, analyse_tree
from .kanban import last_day
from .model import Branch, Evaluation, Member

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (2026-09), a quarter (2026-Q3) or a year (2026)."""

    start: dt.date
    end: dt.date  # inclusive
    key: str
    kind: str  # "month" | "quarter" | "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year} 年 {self.start.month} 月"
        if self.kind == "quarter":
            return f"{self.start.year} 年第 {(self.start.month - 1) // 3 + 1} 季度"
        return f"{self.start.year} 年度"

    def previous(self) -> "Period":
        return period_containing(self.start - dt.timedelta(days=1), self.kind)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period | None:
    m = _PERIOD.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        return Period(dt.date(year, month, 1), last_day(year, month), f"{year:04d}-{month:02d}", "month")
    if m.group(3):
        q = int(m.group(3))
        return Period(dt.date(year, 3 * q - 2, 1), last_day(year, 3 * q), f"{year:04d}-Q{q}", "quarter")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", "year")


def period_containing(day: dt.date, kind: str) -> Period:
    if kind == "month":
        return parse_period(f"{day.year:04d}-{day.month:02d}")
    if kind == "quarter":
        return parse_period(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")
    return parse_period(f"{day.year:04d}")


# -- weights -------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorWeight:
    code: str
    name: str
    dimension: str  # dimension code
    cap: float
    unit: str
    local: float
    global_: float


@dataclass(frozen=True)
class Weights:
    dimensions: tuple[tuple[str, str, float], ...]  # (code, name, weight)
    indicators: tuple[IndicatorWeight, ...]
    tree: TreeResult


def weights_of(evaluation: Evaluation) -> Weights:
    tree = analyse_tree(evaluation.data)
    leaves = {leaf.code: leaf for leaf in tree.leaves}
    root = tree.root.result
    dims = tuple((d.code, d.name, float(root.weights[k])) for k, d in enumerate(evaluation.dimensions))
    indicators = tuple(
        IndicatorWeight(i.code, i.name, d.code, i.cap, i.unit, float(leaves[i.code].local), float(leaves[i.code].global_))
        for d in evaluation.dimensions for i in d.indicators
    )
    return Weights(dims, indicators, tree)


# -- scores --------------------------------------------------------------------

@dataclass(frozen=True)
class MemberScore:
    member: str
    name: str
    raw: tuple[float, ...]  # per indicator, in Weights.indicators order
    values: tuple[float, ...]  # min(raw / cap, 1)
    dimension_scores: tuple[float, ...]  # 0–100 within each dimension
    ahp_total: float  # 0–100
    deductions: float
    total: float  # ahp_total − deductions, not below 0
    eligible: bool  # False when a disciplinary matter keeps the member off the honor roll
    rank: int  # among eligible members (1, 2, 2, 4); 0 when not eligible


@dataclass(frozen=True)
class Scores:
    period: Period
    weights: Weights
    members: tuple[MemberScore, ...]  # in roster order

    def of(self, member_id: str) -> MemberScore | None:
        return next((s for s in self.members if s.member == member_id), None)


def members_in_period(branch: Branch, period: Period) -> tuple[Member, ...]:
    return tuple(m for m in branch.members
                 if m.joined <= period.end and (m.left is None or m.left >= period.start))


def competition_ranks(totals: np.ndarray) -> np.ndarray:
    """1, 2, 2, 4 ranking of `totals` (higher is better), compared at 0.01 points."""
    rounded = np.round(totals, 2)
    return 1 + (rounded[None, :] > rounded[:, None]).sum(axis=1)


@dataclass(frozen=True)
class Ledger:
    """The points ledger as columns, made once per branch and shared by every period."""

    member_ids: tuple[str, ...]  # every member of the roster, in roster order
    codes: tuple[str, ...]  # indicator codes; index len(codes) means a deduction
    who: np.ndarray  # member index per entry
    what: np.ndarray  # indicator index per entry
    points: np.ndarray
    day: np.ndarray  # proleptic ordinal of the entry's date


def ledger_of(branch: Branch, weights: Weights) -> Ledger:
    member_index = {m.id: k for k, m in enumerate(branch.members)}
    codes = tuple(i.code for i in weights.indicators)
    code_index = {c: k for k, c in enumerate(codes)}
    entries = branch.points
    count = len(entries)
    return Ledger(
        tuple(member_index), codes,
        np.fromiter((member_index[p.member] for p in entries), dtype=np.int64, count=count),
        np.fromiter((code_index.get(p.indicator, len(codes)) for p in entries), dtype=np.int64, count=count),
        np.fromiter((p.points for p in entries), dtype=np.float64, count=count),
        np.fromiter((p.date.toordinal() for p in entries), dtype=np.int64, count=count),
    )


def compute_scores(branch: Branch, period: Period, weights: Weights, ledger: Ledger | None = None) -> Scores:
    ledger = ledger if ledger is not None else ledger_of(branch, weights)
    members = members_in_period(branch, period)
    roster_index = {m: k for k, m in enumerate(ledger.member_ids)}
    rows = np.array([roster_index[m.id] for m in members], dtype=np.int64)
    n_all, n_i = len(ledger.member_ids), len(ledger.codes)

    inside = (ledger.day >= period.start.toordinal()) & (ledger.day <= period.end.toordinal())
    # Column n_i collects deductions.
    cells = ledger.who[inside] * (n_i + 1) + ledger.what[inside]
    raw_all = np.bincount(cells, weights=ledger.points[inside], minlength=n_all * (n_i + 1)).reshape(n_all, n_i + 1)[rows]
    raw, deductions = raw_all[:, :n_i], raw_all[:, n_i]
    scored = score_matrix(raw, deductions, weights, period.months)
    eligible = np.array([not m.private.discipline for m in members], dtype=bool)
    ranks = np.zeros(len(members), dtype=np.int64)
    if eligible.any():
        ranks[eligible] = competition_ranks(scored.total[eligible])
    # whole arrays to Python numbers at once, not element by element
    raw_rows, value_rows, dim_rows = raw.tolist(), scored.values.tolist(), scored.dimension_scores.tolist()
    ahp, deducted, total = scored.ahp_total.tolist(), deductions.tolist(), scored.total.tolist()
    ok, rank = eligible.tolist(), ranks.tolist()
    return Scores(period, weights, tuple(
        MemberScore(m.id, m.name, tuple(raw_rows[k]), tuple(value_rows[k]), tuple(dim_rows[k]),
                    ahp[k], deducted[k], total[k], ok[k], rank[k])
        for k, m in enumerate(members)
    ))


@dataclass(frozen=True)
class ScoreArrays:
    values: np.ndarray
    dimension_scores: np.ndarray
    ahp_total: np.ndarray
    total: np.ndarray


def score_matrix(raw: np.ndarray, deductions: np.ndarray, weights: Weights, months: int) -> ScoreArrays:
    """The scoring rule on a members × indicators matrix of raw ledger sums."""
    caps = np.array([i.cap for i in weights.indicators]) * months
    local = np.array([i.local for i in weights.indicators])
    glob = np.array([i.global_ for i in weights.indicators])
    dim_codes = [d[0] for d in weights.dimensions]
    membership = np.array([[i.dimension == d for d in dim_codes] for i in weights.indicators], dtype=np.float64)
    values = np.minimum(raw / caps, 1.0)
    dimension_scores = 100.0 * (values * local) @ membership
    ahp_total = 100.0 * values @ glob
    total = np.maximum(ahp_total - deductions, 0.0)
    return ScoreArrays(values, dimension_scores, ahp_total, total)


# -- honor roll ------------------------------------------------------------------

@dataclass(frozen=True)
class HonorEntry:
    member: str
    name: str
    rank: int
    total: float
    change: int | None  # previous rank − rank (positive: moved up); None: not ranked before


@dataclass(frozen=True)
class Star:
    dimension: str  # code
    title: str  # 学习之星
    member: str
    name: str
    score: float


@dataclass(frozen=True)
class WeightShift:
    dimension: str
    factor: float  # 0.9 or 1.1
    entering: tuple[str, ...]  # names
    leaving: tuple[str, ...]


@dataclass(frozen=True)
class HonorRoll:
    period: Period
    size: int
    entries: tuple[HonorEntry, ...]
    stars: tuple[Star, ...]
    shifts: tuple[WeightShift, ...]  # only the ±10% moves that change a name


def honor_roll(scores: Scores, previous: Scores | None, size: int) -> HonorRoll:
    ranked = sorted((s for s in scores.members if s.eligible and s.total > 0), key=lambda s: (s.rank, s.member))
    prev_rank = {s.member: s.rank for s in previous.members if s.eligible and s.total > 0} if previous else {}
    entries = tuple(
        HonorEntry(s.member, s.name, s.rank, s.total,
                   (prev_rank[s.member] - s.rank) if s.member in prev_rank else None)
        for s in ranked if s.rank <= size
    )
    stars = []
    for k, (code, name, _) in enumerate(scores.weights.dimensions):
        best = max((s for s in scores.members if s.eligible and s.dimension_scores[k] > 0),
                   key=lambda s: (round(s.dimension_scores[k], 2), round(s.total, 2), [-ord(ch) for ch in s.member]),
                   default=None)
        if best is not None:
            stars.append(Star(code, name.rstrip("力") + "之星", best.member, best.name, best.dimension_scores[k]))
    return HonorRoll(scores.period, size, entries, tuple(stars), weight_shifts(scores, size))


def weight_shifts(scores: Scores, size: int, step: float = 0.10) -> tuple[WeightShift, ...]:
    """Would the honor roll change if one dimension's weight moved by ±`step` (renormalised)?"""
    eligible = [s for s in scores.members if s.eligible]
    if not eligible:
        return ()
    dims = np.array([[*s.dimension_scores] for s in eligible])
    deductions = np.array([s.deductions for s in eligible])
    base_w = np.array([d[2] for d in scores.weights.dimensions])
    names = [s.name for s in eligible]

    def top(w: np.ndarray) -> set[str]:
        totals = np.maximum(dims @ w - deductions, 0.0)
        ranks = competition_ranks(totals)
        return {names[k] for k in range(len(names)) if ranks[k] <= size and totals[k] > 0}

    base = top(base_w)
    shifts = []
    for k, (code, _, _) in enumerate(scores.weights.dimensions):
        for factor in (1 - step, 1 + step):
            w = base_w.copy()
            w[k] *= factor
            moved = top(w / w.sum())
            if moved != base:
                shifts.append(WeightShift(code, factor, tuple(sorted(moved - base)), tuple(sorted(base - moved))))
    return tuple(shifts)
