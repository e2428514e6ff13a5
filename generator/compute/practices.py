"""The seven practices (七个一) measured from the records: pure computations.

Each function takes the frozen branch (and the build's "today", `as_of`) and returns
frozen values. No I/O, no clock. Nothing here carries a private field: dues are
reduced to payment times and shares, never amounts or bases.

Audience and date: every function takes a branch already cut down by
`scope.scope_branch`, so it counts every record it is given; none filters again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.compute import dates
from generator.model.records import Activity, Branch, Document, Idea, Member
from generator.model.spec import BIRTHDAY_STEPS, FOUR_ONES, PROBLEM_STATUSES, SANHUI_YIKE, WUYOU_LABELS

DEFAULT_REVIEW_MONTHS = 12
DUE_SOON_DAYS = 60  # a regulation whose review falls within this many days is "due soon"
ZERO_HOUR_FIRST_MINUTES = 5  # "the first minutes" of a 零点行动



@dataclass(frozen=True)
class Share:
    """`done` out of `total`; `value` is None when there is nothing to count."""

    done: int
    total: int

    @property
    def value(self) -> float | None:
        return self.done / self.total if self.total else None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the month's last day when needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, dates.last_day(year, month).day))


def month_end(month: str) -> dt.date:
    return dates.last_day(int(month[:4]), int(month[5:7]))


def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def months_back(as_of: dt.date, count: int) -> tuple[str, ...]:
    """The `count` months ending with the month of `as_of`, oldest first."""
    first = add_months(as_of.replace(day=1), 1 - count)
    return tuple(dates.month_key(add_months(first, k)) for k in range(count))


# -- 一组特色制度 ------------------------------------------------------------------

@dataclass(frozen=True)
class RegulationReview:
    id: str
    number: str
    title: str
    version: str
    effective: dt.date
    last_review: dt.date | None
    review_months: int
    next_review: dt.date
    days_left: int  # negative when overdue
    overdue: bool
    due_soon: bool
    measures: tuple[str, ...] = ()  # the execution evaluation's checks this regulation is measured by


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def regulation_review(doc: Document, as_of: dt.date) -> RegulationReview:
    """Next review = (last review, else effective date) + review period (default 12 months)."""
    effective = _as_date(doc.get("effective")) or doc.date
    last = _as_date(doc.get("last_review"))
    months = doc.get("review_months") or DEFAULT_REVIEW_MONTHS
    months = int(months) if int(months) > 0 else DEFAULT_REVIEW_MONTHS
    next_review = add_months(last or effective, months)
    days_left = (next_review - as_of).days
    return RegulationReview(
        doc.id, str(doc.get("number") or ""), doc.title, str(doc.get("version") or ""),
        effective, last, months, next_review, days_left,
        overdue=next_review < as_of, due_soon=0 <= days_left <= DUE_SOON_DAYS,
        measures=tuple(doc.get("measures") or ()),
    )


def regulation_reviews(branch: Branch, as_of: dt.date) -> tuple[RegulationReview, ...]:
    reviews = [regulation_review(d, as_of) for d in branch.regulations]
    return tuple(sorted(reviews, key=lambda r: (r.number, r.id)))


@dataclass(frozen=True)
class Shortfall:
    """A record that misses a rule: the activity and what it lacks."""

    id: str
    date: dt.date
    title: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ExecutionEvaluation:
    """制度执行评估 for the calendar year of `as_of`, up to `as_of`."""

    year: int
    wuyou: Share  # 主题党日 meeting all 五有
    wuyou_shortfalls: tuple[Shortfall, ...]
    first_topic: Share  # 政治学习 with a 第一议题
    first_topic_shortfalls: tuple[Shortfall, ...]
    news: Share  # articles published against branch.news_plan
    news_expected: int  # the plan pro rata to `as_of`
    ledger: Share  # months with a points ledger
    ledger_missing: tuple[str, ...]  # YYYY-MM without a single ledger entry
    start: dt.date | None = None  # the branch's first month (`since:`), when the year began before it


def _year_activities(branch: Branch, as_of: dt.date, kind: str) -> list[Activity]:
    return sorted((a for a in branch.activities if a.type == kind and a.date.year == as_of.year),
                  key=lambda a: (a.date, a.id))


def _counted_from(branch: Branch, as_of: dt.date) -> dt.date:
    """The first day of `as_of`'s year that counts: 1 January, or the branch's `since:` when later (a day
    after `as_of`, maybe next year, while the branch has not started keeping its records here)."""
    return max(dt.date(as_of.year, 1, 1), branch.since or dt.date.min)


def execution_evaluation(branch: Branch, as_of: dt.date) -> ExecutionEvaluation:
    # measured from `since` on: records that came along from before the branch kept them here are no shortfall,
    # and before it nothing is owed yet
    start = _counted_from(branch, as_of)
    this_year = start.year == as_of.year  # else the branch starts next year: nothing is counted yet
    theme_days = [a for a in _year_activities(branch, as_of, "主题党日") if a.date >= start]
    wuyou_short = tuple(
        Shortfall(a.id, a.date, a.title,
                  tuple(WUYOU_LABELS[k] for k, ok in (a.wuyou or ()) if not ok) if a.wuyou is not None else ("未记录五有",))
        for a in theme_days if not dates.wuyou_complete(a)
    )
    studies = [a for a in _year_activities(branch, as_of, "政治学习") if a.date >= start]
    topic_short = tuple(Shortfall(a.id, a.date, a.title, ("第一议题",)) for a in studies if not (a.first_topic or "").strip())
    news = [d for d in branch.news if d.date.year == as_of.year and d.date >= start]
    first = start.month if this_year else 1  # none missing before since
    # the yearly plan counts for the months the branch is here: one that starts in November owes two months' news
    year_start, year_end = dt.date(as_of.year, first, 1), dt.date(as_of.year, 12, 31)
    elapsed = max((as_of - year_start).days + 1, 0) / ((year_end - year_start).days + 1)
    plan = 0 if as_of < start else int(branch.news_plan * (13 - first) / 12 + 0.5)
    months = tuple(f"{as_of.year:04d}-{m:02d}" for m in range(first, as_of.month + 1) if this_year)
    with_ledger = {dates.month_key(p.date) for p in branch.points}
    missing = tuple(m for m in months if m not in with_ledger)
    return ExecutionEvaluation(
        as_of.year,
        Share(len(theme_days) - len(wuyou_short), len(theme_days)), wuyou_short,
        Share(len(studies) - len(topic_short), len(studies)), topic_short,
        Share(len(news), plan), int(plan * elapsed + 0.5),
        Share(len(months) - len(missing), len(months)), missing,
        dt.date(as_of.year, first, 1) if first > 1 else None,
    )


# -- 一个责任制 (5W2H) -------------------------------------------------------------

@dataclass(frozen=True)
class DutyRow:
    id: str
    what: str
    why: str | None
    who: tuple[str, ...]  # member ids
    when: dt.date
    where: str | None
    how: str | None
    how_much: str | None
    status: str
    done: dt.date | None
    overdue: bool  # not 已完成 and `when` has passed
    days_overdue: int
    done_late: bool  # 已完成 after `when`


@dataclass(frozen=True)
class DutyTable:
    rows: tuple[DutyRow, ...]
    overdue: int
    completed: int

    @property
    def total(self) -> int:
        return len(self.rows)


def duty_table(branch: Branch, as_of: dt.date) -> DutyTable:
    rows = []
    for d in sorted(branch.duties, key=lambda d: (d.when, d.id)):
        finished = d.status == "已完成"
        overdue = not finished and d.when < as_of
        rows.append(DutyRow(
            d.id, d.what, d.why, d.who, d.when, d.where, d.how, d.how_much, d.status, d.done,
            overdue, (as_of - d.when).days if overdue else 0,
            finished and d.done is not None and d.done > d.when,
        ))
    return DutyTable(tuple(rows), sum(r.overdue for r in rows), sum(r.status == "已完成" for r in rows))


@dataclass(frozen=True)
class FourOneCell:
    date: dt.date
    title: str
    count: int  # how many records of this item the member has this year


@dataclass(frozen=True)
class FourOnesRow:
    member: str
    name: str
    cells: tuple[FourOneCell | None, ...]  # in FOUR_ONES order; None is a gap

    @property
    def complete(self) -> bool:
        return all(c is not None for c in self.cells)


@dataclass(frozen=True)
class FourOnesMatrix:
    year: int
    items: tuple[str, ...]
    rows: tuple[FourOnesRow, ...]
    coverage: Share  # filled cells / all cells
    per_item: tuple[Share, ...]  # members who did each item
    complete_members: Share
    expected: float  # the share of the year gone by on `as_of`


def four_ones_matrix(branch: Branch, as_of: dt.date) -> FourOnesMatrix:
    """Members on the roll on `as_of` × the four items, from the records of `as_of`'s year."""
    members = dates.current_members(branch, as_of)
    records = [f for f in branch.four_ones if f.date.year == as_of.year]
    rows = []
    for m in members:
        cells = []
        for item in FOUR_ONES:
            mine = sorted((f for f in records if f.member == m.id and f.item == item), key=lambda f: f.date)
            cells.append(FourOneCell(mine[0].date, mine[0].title, len(mine)) if mine else None)
        rows.append(FourOnesRow(m.id, m.name, tuple(cells)))
    filled = sum(c is not None for r in rows for c in r.cells)
    per_item = tuple(Share(sum(r.cells[k] is not None for r in rows), len(rows)) for k in range(len(FOUR_ONES)))
    # the share of the year the branch has been here: one that starts in November is not behind in March's terms
    # (none at all while the branch has not started here: `since:` may name next year's January)
    year_start = _counted_from(branch, as_of)
    days_in_year = (dt.date(as_of.year + 1, 1, 1) - year_start).days
    pace = ((as_of - year_start).days + 1) / days_in_year if year_start <= as_of else 0.0
    return FourOnesMatrix(as_of.year, FOUR_ONES, tuple(rows), Share(filled, len(rows) * len(FOUR_ONES)),
                          per_item, Share(sum(r.complete for r in rows), len(rows)), pace)


# -- 一批攻坚团队 (诸葛亮会) ------------------------------------------------------

@dataclass(frozen=True)
class ProblemCard:
    id: str
    team: str
    team_name: str
    title: str
    status: str
    opened: dt.date
    solved: dt.date | None
    owner: str | None
    members: tuple[str, ...]
    outcome: str | None
    ideas: tuple[Idea, ...]
    days: int  # days from opening to solving, or to `as_of` while open


@dataclass(frozen=True)
class TeamCard:
    id: str
    name: str
    lead: str
    members: tuple[str, ...]
    founded: dt.date | None
    focus: str | None
    counts: tuple[int, ...]  # problems per status, in PROBLEM_STATUSES order


@dataclass(frozen=True)
class TeamBoard:
    teams: tuple[TeamCard, ...]
    columns: tuple[tuple[str, tuple[ProblemCard, ...]], ...]  # (status, cards) in PROBLEM_STATUSES order
    credits: tuple[tuple[str, tuple[ProblemCard, ...], tuple[str, ...]], ...]  # (member, problems, adopted idea texts)

    @property
    def open_count(self) -> int:
        return sum(len(cards) for status, cards in self.columns if status != "已破解")


def team_board(branch: Branch, as_of: dt.date) -> TeamBoard:
    cards = []
    teams = []
    for t in branch.teams:
        problems = list(t.problems)
        for p in problems:
            end = p.solved if p.status == "已破解" and p.solved else as_of
            cards.append(ProblemCard(
                p.id, t.id, t.name, p.title, p.status, p.opened, p.solved if p.status == "已破解" else None,
                p.owner, p.members, p.outcome, p.ideas,
                max((end - p.opened).days, 0),
            ))
        teams.append(TeamCard(t.id, t.name, t.lead, t.members, t.founded, t.focus,
                              tuple(sum(p.status == s for p in problems) for s in PROBLEM_STATUSES)))
    columns = tuple(
        (s, tuple(sorted((c for c in cards if c.status == s),
                         key=lambda c: ((c.solved or c.opened), c.id), reverse=(s == "已破解"))))
        for s in PROBLEM_STATUSES
    )
    order = {m.id: k for k, m in enumerate(branch.members)}
    credit: dict[str, list] = {}
    for c in cards:
        for i in c.ideas:
            if i.adopted:
                credit.setdefault(i.member, []).append((c, i.text))
    credits = tuple(
        (m, tuple(dict.fromkeys(c for c, _ in items)), tuple(text for _, text in items))
        for m, items in sorted(credit.items(), key=lambda kv: order.get(kv[0], len(order)))
    )
    return TeamBoard(tuple(teams), columns, credits)


# -- 一次政治生日 ------------------------------------------------------------------

@dataclass(frozen=True)
class UpcomingBirthday:
    member: str
    name: str
    date: dt.date
    years: int
    days_away: int
    held: str | None  # the 政治生日 record already held for this anniversary, if any


HELD_BEFORE_DAYS = 60  # a ceremony this many days before an anniversary counts for it


def birthday_calendar(branch: Branch, as_of: dt.date) -> tuple[UpcomingBirthday, ...]:
    """Each member's next 入党 anniversary from `as_of` (inclusive) for the next 12 months."""
    horizon = add_months(as_of, 12)
    ceremonies = sorted((a for a in branch.activities if a.type == "政治生日"), key=lambda a: (a.date, a.id))
    out = []
    for m in dates.current_members(branch, as_of):
        day = dates.next_anniversary(m.joined, as_of)
        if day < horizon and day.year > m.joined.year:
            held = next((a.id for a in ceremonies
                         if m.id in a.honorees and (day - a.date).days <= HELD_BEFORE_DAYS), None)
            out.append(UpcomingBirthday(m.id, m.name, day, day.year - m.joined.year, (day - as_of).days, held))
    return tuple(sorted(out, key=lambda b: (b.date, b.member)))


@dataclass(frozen=True)
class CeremonyCheck:
    id: str
    date: dt.date
    title: str
    honorees: tuple[str, ...]
    done: tuple[bool, ...]  # per BIRTHDAY_STEPS
    missing: tuple[str, ...]
    extra: tuple[str, ...]  # steps written that are not one of the eight

    @property
    def complete(self) -> bool:
        return not self.missing


def ceremony_checks(branch: Branch) -> tuple[CeremonyCheck, ...]:
    """Every 政治生日 record up to `as_of`, newest first, checked against the eight steps."""
    out = []
    for a in branch.activities:
        if a.type != "政治生日":
            continue
        written = {s.strip() for s in a.steps}
        done = tuple(step in written for step in BIRTHDAY_STEPS)
        out.append(CeremonyCheck(
            a.id, a.date, a.title, a.honorees, done,
            tuple(s for s, ok in zip(BIRTHDAY_STEPS, done) if not ok),
            tuple(s for s in a.steps if s.strip() not in BIRTHDAY_STEPS),
        ))
    return tuple(sorted(out, key=lambda c: (c.date, c.id), reverse=True))


@dataclass(frozen=True)
class BirthdayCoverage:
    """Members whose anniversary fell in the last 12 months, and how many had a ceremony."""

    share: Share
    without: tuple[tuple[str, dt.date], ...]  # (member, anniversary) with no ceremony found


def birthday_coverage(branch: Branch, as_of: dt.date) -> BirthdayCoverage:
    start = add_months(as_of, -12)
    if branch.since is not None:  # an anniversary before the branch kept its records here is not a missed ceremony
        start = max(start, branch.since - dt.timedelta(days=1))
    ceremonies = [a for a in branch.activities if a.type == "政治生日" and start < a.date]
    honoured = {m for a in ceremonies for m in a.honorees}
    due = []
    for m in dates.current_members(branch, as_of):
        day = dates.anniversary(m.joined, as_of.year)
        if day > as_of:
            day = dates.anniversary(m.joined, as_of.year - 1)
        if start < day <= as_of and day.year > m.joined.year:
            due.append((m.id, day))
    without = tuple(sorted(((m, d) for m, d in due if m not in honoured), key=lambda x: (x[1], x[0])))
    return BirthdayCoverage(Share(len(due) - len(without), len(due)), without)


# -- 一次零点行动 ------------------------------------------------------------------

@dataclass(frozen=True)
class PaymentTime:
    """One payment reduced to what may be shown: who, when, how long after 00:00 on the 1st."""

    member: str
    paid_at: dt.datetime
    minutes: int
    on_time: bool  # paid by the end of the month


@dataclass(frozen=True)
class DuesStats:
    month: str
    zero_hour: bool
    closed: bool  # the month has ended on `as_of`
    expected: int  # members on the roll during the month (and anyone else who paid)
    payers: int
    first_minutes: Share  # within ZERO_HOUR_FIRST_MINUTES minutes of 00:00 on the 1st
    first_hour: Share
    first_day: Share
    on_time: Share  # by the end of the month
    median_minutes: int | None
    payments: tuple[PaymentTime, ...]  # fastest first; per-member data, for member builds only


def members_in_month(branch: Branch, month: str) -> tuple[Member, ...]:
    start, end = month_start(month), month_end(month)
    return tuple(m for m in branch.members if m.arrived <= end and (m.left is None or m.left >= start))


def dues_stats(branch: Branch, as_of: dt.date) -> tuple[DuesStats, ...]:
    """Each recorded month, oldest first (the scope has dropped later months and payments)."""
    out = []
    for month in sorted(branch.dues, key=lambda d: d.month):
        start = dt.datetime.combine(month_start(month.month), dt.time.min)
        deadline = dt.datetime.combine(month_end(month.month), dt.time.max)
        first: dict[str, dt.datetime] = {}
        for p in month.payments:
            if p.member not in first or p.paid_at < first[p.member]:
                first[p.member] = p.paid_at
        times = tuple(sorted(
            (PaymentTime(m, at, max(int((at - start).total_seconds() // 60), 0), at <= deadline) for m, at in first.items()),
            key=lambda t: (t.paid_at, t.member),
        ))
        expected = len({m.id for m in members_in_month(branch, month.month)} | set(first))

        def within(minutes: int) -> Share:
            return Share(sum(t.minutes < minutes for t in times), expected)

        minutes = sorted(t.minutes for t in times)
        out.append(DuesStats(
            month.month, month.zero_hour, month_end(month.month) < as_of, expected, len(times),
            within(ZERO_HOUR_FIRST_MINUTES), within(60), within(24 * 60),
            Share(sum(t.on_time for t in times), expected),
            minutes[(len(minutes) - 1) // 2] if minutes else None,
            times,
        ))
    return tuple(out)


# -- activity counts, 五力 -----------------------------------------------------------

ACTIVITY_GROUPS = ("主题党日", "政治学习", "三会一课", "其他")


def activity_group(kind: str) -> str:
    if kind in ("主题党日", "政治学习"):
        return kind
    return "三会一课" if kind in SANHUI_YIKE else "其他"


def activity_counts(branch: Branch, as_of: dt.date, months: int = 12) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(month, counts per ACTIVITY_GROUPS) for the `months` months ending with `as_of`'s; none before
    the branch's `since:` (a month before it is not a month without meetings: no records were kept here)."""
    first = dates.month_key(branch.since) if branch.since else ""
    keys = tuple(k for k in months_back(as_of, months) if k >= first)  # none while the branch has not started here
    counts = {k: [0] * len(ACTIVITY_GROUPS) for k in keys}
    for a in branch.activities:
        k = dates.month_key(a.date)
        if k in counts:
            counts[k][ACTIVITY_GROUPS.index(activity_group(a.type))] += 1
    return tuple((k, tuple(counts[k])) for k in keys)


@dataclass(frozen=True)
class Radar:
    labels: tuple[str, ...]  # dimension names
    values: tuple[float, ...]  # 0–100
    period: str
    count: int  # members averaged (1 for one member)


def branch_radar(computed) -> Radar | None:
    """The average 五力 dimension scores of the members ranked in the year of `as_of`.

    A member kept off the roll is left out: the party sees every other member's scores,
    and an average over all of them, with its count, would give that member's away.
    """
    scores = computed.current("year") if computed is not None else None
    ranked = [s for s in scores.members if s.eligible] if scores is not None else []
    if scores is None or not ranked:
        return None
    n = len(ranked)
    dims = scores.weights.dimensions
    values = tuple(sum(s.dimension_scores[k] for s in ranked) / n for k in range(len(dims)))
    return Radar(tuple(name for _, name, _ in dims), values, scores.period.label, n)


def member_radar(computed, member_id: str) -> Radar | None:
    scores = computed.current("year") if computed is not None else None
    s = scores.of(member_id) if scores is not None else None
    if scores is None or s is None:
        return None
    return Radar(tuple(name for _, name, _ in scores.weights.dimensions), tuple(s.dimension_scores), scores.period.label, 1)
