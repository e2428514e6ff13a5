"""AHP points: from the ledger to each member's score, the honor roll and its robustness.

The rule (DOMAIN.md, and the comments in data/evaluation.yml):
- an indicator's raw value is the sum of the member's ledger points for it in the period;
- its value is min(raw / (cap × months), 1), months being those of the period the member
  was in the branch (from the month of their transfer-in to the month they left);
- a dimension score is 100 × Σ local weight × value over the dimension's indicators;
- the AHP total is 100 × Σ global weight × value (= Σ dimension weight × dimension score);
- deductions (扣分) are subtracted outside the AHP; the final score is never below 0;
- a member with a disciplinary matter is scored but not on the honor roll of any period
  of the matter's year; a member who left before the period's end is scored for the months
  present but not ranked.

Everything is computed for the whole ledger at once with numpy; nothing here reads
files or the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from generator.compute.ahp_tree import TreeResult, analyse_tree
from generator.compute.dates import last_day
from generator.model.hierarchy import Hierarchy, Node
from generator.model.records import Branch, Evaluation, Member
from generator.model.scope import vetoed
from generator.model.visibility import Visibility

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

    def previous(self) -> Period:
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
        key = f"{day.year:04d}-{day.month:02d}"
    elif kind == "quarter":
        key = f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    else:
        key = f"{day.year:04d}"
    period = parse_period(key)
    assert period is not None  # a key made from a date always parses
    return period


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


def hierarchy_of(evaluation: Evaluation) -> Hierarchy:
    """The evaluation as the AHP engine's hierarchy: the dimensions, each broken down into its indicators."""
    dims = evaluation.dimensions
    return Hierarchy(evaluation.title, evaluation.settings, Node(
        "", None, tuple(d.name for d in dims), tuple(d.code for d in dims), evaluation.judgments,
        tuple(Node(f"dimensions[{k}]", d.name, tuple(i.name for i in d.indicators),
                   tuple(i.code for i in d.indicators), d.judgments) for k, d in enumerate(dims))))


def weights_of(evaluation: Evaluation) -> Weights:
    tree = analyse_tree(hierarchy_of(evaluation))
    leaves = {leaf.code: leaf for leaf in tree.leaves}
    root = tree.root.result
    if root is None:
        raise ValueError("the dimensions' judgments were not read: load/evaluation.py returns no such evaluation")
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
    eligible: bool  # False when a disciplinary matter keeps the member off the honor roll, or they left
    rank: int  # among eligible members (1, 2, 2, 4); 0 when not eligible
    months: int = 0  # the period's months the member was in the branch: each cap is per month
    vetoed: bool = False  # a disciplinary matter of the period's year (one reason for not `eligible`)

    def shown_to(self, audience: str) -> bool:
        """Whether a build for `audience` shows this member's scores: outside the committee, a member
        kept off the roll by a matter has none (a high score missing from the roll would tell of it)."""
        return not self.vetoed or Visibility(audience).full_ranking


@dataclass(frozen=True)
class Scores:
    period: Period
    weights: Weights
    members: tuple[MemberScore, ...]  # in roster order

    def of(self, member_id: str) -> MemberScore | None:
        return next((s for s in self.members if s.member == member_id), None)


def members_in_period(branch: Branch, period: Period) -> tuple[Member, ...]:
    return tuple(m for m in branch.members
                 if m.arrived <= period.end and (m.left is None or m.left >= period.start))


def months_present(member: Member, period: Period, since: dt.date | None = None) -> int:
    """The months of `period` the member was in the branch for at least a day (1 to period.months),
    from `since`, the branch's first month here, on."""
    first = max(member.arrived, period.start, since or period.start)
    last = min(member.left or period.end, period.end)
    return max((last.year - first.year) * 12 + last.month - first.month + 1, 1)


def left_before_end(member: Member, period: Period) -> bool:
    return member.left is not None and member.left < period.end


def competition_ranks(totals: np.ndarray) -> np.ndarray:
    """1, 2, 2, 4 ranking of `totals` (higher is better), compared at 0.01 points.

    Members run along the first axis; a members × draws array is ranked column by column.
    """
    rounded = np.round(totals, 2)
    n = rounded.shape[0]
    columns = rounded.reshape(n, -1)
    # A rank is 1 + how many are strictly higher. Counted by sorting each column rather than by
    # comparing every pair, so memory grows with members, not members² (5,000 members × 1,000
    # draws took 25 GB that way).
    order = np.argsort(columns, axis=0, kind="stable")
    ascending = np.take_along_axis(columns, order, axis=0)
    positions = np.broadcast_to(np.arange(n)[:, None], ascending.shape)
    run_ends = np.ones(ascending.shape, dtype=bool)  # the last of each run of equal totals
    run_ends[:-1] = ascending[:-1] != ascending[1:]
    last_equal = np.minimum.accumulate(np.where(run_ends, positions, n)[::-1], axis=0)[::-1]
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, n - last_equal, axis=0)
    return ranks.reshape(rounded.shape)


@dataclass(frozen=True)
class Ledger:
    """The points ledger as columns, made once per branch and shared by every period."""

    member_ids: tuple[str, ...]  # every member of the roster, in roster order
    codes: tuple[str, ...]  # indicator codes; index len(codes) means a deduction
    who: np.ndarray  # member index per entry
    what: np.ndarray  # indicator index per entry
    points: np.ndarray
    day: np.ndarray  # proleptic ordinal of the entry's date
    arrived: np.ndarray  # per roster member: ordinal of the day they arrived in the branch
    left: np.ndarray  # per roster member: ordinal of the day they left (date.max's while still here)


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
        np.array([m.arrived.toordinal() for m in branch.members], dtype=np.int64),
        np.array([(m.left or dt.date.max).toordinal() for m in branch.members], dtype=np.int64),
    )


def compute_scores(branch: Branch, period: Period, weights: Weights, ledger: Ledger | None = None) -> Scores:
    ledger = ledger if ledger is not None else ledger_of(branch, weights)
    members = members_in_period(branch, period)
    roster_index = {m: k for k, m in enumerate(ledger.member_ids)}
    rows = np.array([roster_index[m.id] for m in members], dtype=np.int64)
    n_all, n_i = len(ledger.member_ids), len(ledger.codes)

    inside = (ledger.day >= period.start.toordinal()) & (ledger.day <= period.end.toordinal())
    # a member counts from the day they arrived in the branch to the day they left: nothing outside it
    inside &= (ledger.day >= ledger.arrived[ledger.who]) & (ledger.day <= ledger.left[ledger.who])
    # Column n_i collects deductions.
    cells = ledger.who[inside] * (n_i + 1) + ledger.what[inside]
    raw_all = np.bincount(cells, weights=ledger.points[inside], minlength=n_all * (n_i + 1)).reshape(n_all, n_i + 1)[rows]
    raw, deductions = raw_all[:, :n_i], raw_all[:, n_i]
    months = [months_present(m, period, branch.since) for m in members]
    scored = score_matrix(raw, deductions, weights, np.array(months, dtype=np.float64))
    # the veto applies to the year its matter is dated in (a period lies within one year); a member
    # who left is not ranked against those who stayed the whole period
    matters = [vetoed(m.private.discipline, period.start.year) for m in members]
    eligible = np.array([not v and not left_before_end(m, period) for m, v in zip(members, matters)], dtype=bool)
    ranks = np.zeros(len(members), dtype=np.int64)
    if eligible.any():
        ranks[eligible] = competition_ranks(scored.total[eligible])
    # whole arrays to Python numbers at once, not element by element
    raw_rows, value_rows, dim_rows = raw.tolist(), scored.values.tolist(), scored.dimension_scores.tolist()
    ahp, deducted, total = scored.ahp_total.tolist(), deductions.tolist(), scored.total.tolist()
    ok, rank = eligible.tolist(), ranks.tolist()
    return Scores(period, weights, tuple(
        MemberScore(m.id, m.name, tuple(raw_rows[k]), tuple(value_rows[k]), tuple(dim_rows[k]),
                    ahp[k], deducted[k], total[k], ok[k], rank[k], months[k], matters[k])
        for k, m in enumerate(members)
    ))


@dataclass(frozen=True)
class ScoreArrays:
    values: np.ndarray
    dimension_scores: np.ndarray
    ahp_total: np.ndarray
    total: np.ndarray


def score_matrix(raw: np.ndarray, deductions: np.ndarray, weights: Weights, months: np.ndarray | int) -> ScoreArrays:
    """The scoring rule on a members × indicators matrix of raw ledger sums; `months` per member (or one for all)."""
    caps = np.array([i.cap for i in weights.indicators]) * np.reshape(np.asarray(months, dtype=np.float64), (-1, 1))
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

ROBUSTNESS_DRAWS = 1000  # joint random draws of all indicator weights
ROBUSTNESS_SPREAD = 0.10  # each weight moves by up to ±10% in a draw, then all are renormalised
ROBUSTNESS_SEED = 20180101  # a fixed seed: the same data give the same statement on every build
_RANK_CELLS = 1 << 20  # members × draws ranked at once in `robustness`


@dataclass(frozen=True)
class HonorEntry:
    member: str
    name: str
    rank: int
    total: float
    change: int | None  # previous rank − rank (positive: moved up); None: not ranked before
    stayed: bool  # on the previous period's roll too (连续上榜); all the public may learn of moves


@dataclass(frozen=True)
class Star:
    """The best score in one dimension; several members share it (并列) when still tied after the tie-break."""

    dimension: str  # code
    title: str  # 学习之星
    members: tuple[tuple[str, str], ...]  # (id, name), roster order
    score: float

    @property
    def tied(self) -> bool:
        return len(self.members) > 1


@dataclass(frozen=True)
class Robustness:
    """How often the roll's names change when all weights move together at random.

    `draws` joint draws; in each, every indicator's global weight is multiplied by a
    factor drawn uniformly from [1 − spread, 1 + spread] and the weights renormalised
    to sum 1. `changed` counts the draws whose top-`size` names (in any order) differ
    from the published roll. `entering` names eligible members outside the roll that
    some draw puts on it, with their counts: for party and committee builds only.
    """

    draws: int
    spread: float
    changed: int
    entering: tuple[tuple[str, int], ...]  # (name, draws), most often first

    @property
    def share(self) -> float:
        return self.changed / self.draws if self.draws else 0.0


@dataclass(frozen=True)
class HonorRoll:
    period: Period
    size: int
    entries: tuple[HonorEntry, ...]
    stars: tuple[Star, ...]
    robustness: Robustness | None  # None when nobody is ranked
    through: dt.date  # the last day the roll counts: the period's end, or as_of before it

    @property
    def partial(self) -> bool:
        """The period has not ended on the build's date: months or days are still to come."""
        return self.through < self.period.end


def _on_roll(totals: np.ndarray, size: int) -> np.ndarray:
    """Who is on a roll of `size` by the published rule: rank ≤ size and a score above 0 (any shape `competition_ranks` takes)."""
    return (competition_ranks(totals) <= size) & (np.round(totals, 2) > 0)


def honor_roll(scores: Scores, previous: Scores | None, size: int, as_of: dt.date | None = None) -> HonorRoll:
    ranked = sorted((s for s in scores.members if s.eligible and s.total > 0), key=lambda s: (s.rank, s.member))
    prev_rank = {s.member: s.rank for s in previous.members if s.eligible and s.total > 0} if previous else {}
    entries = tuple(
        HonorEntry(s.member, s.name, s.rank, s.total,
                   (prev_rank[s.member] - s.rank) if s.member in prev_rank else None,
                   prev_rank.get(s.member, size + 1) <= size)
        for s in ranked if s.rank <= size
    )
    through = min(as_of, scores.period.end) if as_of is not None else scores.period.end
    return HonorRoll(scores.period, size, entries, stars_of(scores), robustness(scores, size), through)


def period_roll(branch: Branch, period: Period, weights: Weights, as_of: dt.date,
                ledger: Ledger | None = None) -> tuple[Scores, Scores, HonorRoll]:
    """A period's scores, the previous period's, and the period's honor roll: what the site and `scores` show."""
    ledger = ledger if ledger is not None else ledger_of(branch, weights)
    scores = compute_scores(branch, period, weights, ledger)
    previous = compute_scores(branch, period.previous(), weights, ledger)
    return scores, previous, honor_roll(scores, previous, branch.honor_roll_size, as_of)


def stars_of(scores: Scores) -> tuple[Star, ...]:
    """Each dimension's star: the highest dimension score; a tie goes to the higher total; still tied, shared."""
    stars = []
    eligible = [s for s in scores.members if s.eligible]
    for k, (code, name, _) in enumerate(scores.weights.dimensions):
        contenders = [s for s in eligible if s.dimension_scores[k] > 0]
        if not contenders:
            continue
        best = max((round(s.dimension_scores[k], 2), round(s.total, 2)) for s in contenders)
        winners = [s for s in contenders if (round(s.dimension_scores[k], 2), round(s.total, 2)) == best]
        stars.append(Star(code, name.rstrip("力") + "之星", tuple((s.member, s.name) for s in winners),
                          winners[0].dimension_scores[k]))
    return tuple(stars)


def robustness(scores: Scores, size: int, draws: int = ROBUSTNESS_DRAWS, spread: float = ROBUSTNESS_SPREAD,
               seed: int = ROBUSTNESS_SEED) -> Robustness | None:
    """Would the roll's names change under joint random moves of every weight? (See `Robustness`.)"""
    eligible = [s for s in scores.members if s.eligible]
    if not eligible:
        return None
    values = np.array([s.values for s in eligible], dtype=np.float64)
    deductions = np.array([s.deductions for s in eligible], dtype=np.float64)
    base_w = np.array([i.global_ for i in scores.weights.indicators], dtype=np.float64)
    base = _on_roll(np.maximum(100.0 * values @ base_w - deductions, 0.0), size)
    if not base.any():
        return None
    rng = np.random.default_rng(seed)
    w = base_w * rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, len(base_w)))
    w /= w.sum(axis=1, keepdims=True)
    totals = np.maximum(100.0 * values @ w.T - deductions[:, None], 0.0)  # members × draws
    on = np.empty(totals.shape, dtype=bool)
    block = max(1, _RANK_CELLS // len(eligible))  # the ranking's temporaries stay a few MB, however many members
    for first in range(0, draws, block):
        on[:, first:first + block] = _on_roll(totals[:, first:first + block], size)
    changed = (on != base[:, None]).any(axis=0)
    counts = on[~base].sum(axis=1).tolist()
    outside = [s.name for s, b in zip(eligible, base.tolist()) if not b]
    entering = tuple(sorted(((n, c) for n, c in zip(outside, counts) if c), key=lambda x: (-x[1], x[0])))
    return Robustness(draws, spread, int(changed.sum()), entering)
