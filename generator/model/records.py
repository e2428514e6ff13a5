"""The frozen model of a project: what the validator builds and everything after reads.

Every record keeps `src` (file and line) so that a later stage can still point the
user at the record. Collections are tuples; nothing here changes after validation.
Private fields (DOMAIN.md) live in `MemberPrivate` and `Payment.amount`, apart from
what pages may show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.hierarchy import Judgments, Settings


@dataclass(frozen=True)
class Src:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class MemberPrivate:
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    dues_base: float | None = None
    review_grade: str | None = None
    discipline: str | None = None


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    joined: dt.date
    gender: str | None
    status: str
    post: str | None
    group: str | None
    left: dt.date | None
    private: MemberPrivate
    src: Src


@dataclass(frozen=True)
class CommitteeSeat:
    member: str
    role: str


@dataclass(frozen=True)
class Reflection:
    member: str
    text: str


@dataclass(frozen=True)
class Absence:
    """A member absent with leave, and why: the reason is the committee's (DOMAIN.md)."""

    member: str
    reason: str | None


@dataclass(frozen=True)
class Activity:
    id: str
    type: str
    date: dt.date
    title: str
    place: str | None
    host: str | None
    leader: str | None
    speaker: str | None
    first_topic: str | None
    attendees: tuple[str, ...]
    absent: tuple[str, ...]
    summary: str | None
    wuyou: tuple[tuple[str, bool], ...] | None
    honorees: tuple[str, ...]
    steps: tuple[str, ...]
    reflections: tuple[Reflection, ...]
    photos: tuple[str, ...]
    audience: str
    src: Src
    # the meeting record (纪实); `absent` already holds every member in `excused`
    recorder: str | None = None
    agenda: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    excused: tuple[Absence, ...] = ()


@dataclass(frozen=True)
class Idea:
    member: str
    text: str
    adopted: bool


@dataclass(frozen=True)
class TeamProblem:
    id: str
    title: str
    status: str
    opened: dt.date
    solved: dt.date | None
    owner: str | None
    members: tuple[str, ...]
    outcome: str | None
    ideas: tuple[Idea, ...]
    audience: str
    src: Src


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    lead: str
    members: tuple[str, ...]
    founded: dt.date | None
    focus: str | None
    problems: tuple[TeamProblem, ...]
    src: Src


@dataclass(frozen=True)
class Duty:
    id: str
    what: str
    why: str | None
    who: tuple[str, ...]
    when: dt.date
    where: str | None
    how: str | None
    how_much: str | None
    status: str
    done: dt.date | None
    audience: str
    src: Src


@dataclass(frozen=True)
class PostDuty:
    member: str
    business: str
    party: str


@dataclass(frozen=True)
class FourOne:
    member: str
    item: str
    date: dt.date
    title: str
    src: Src


@dataclass(frozen=True)
class Payment:
    member: str
    paid_at: dt.datetime
    amount: float | None  # private: reveals the income band
    src: Src


@dataclass(frozen=True)
class DuesMonth:
    month: str  # YYYY-MM
    zero_hour: bool
    payments: tuple[Payment, ...]
    src: Src


@dataclass(frozen=True)
class PointEntry:
    date: dt.date
    member: str
    indicator: str  # an indicator code, or DEDUCTION
    points: float
    note: str | None
    ref: str | None
    src: Src
    audience: str = "party"  # who may read the note and the ref; the points count for everyone


DEDUCTION = "扣分"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    cap: float
    unit: str
    records: str


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    indicators: tuple[Indicator, ...]
    judgments: Judgments  # its indicators compared, in their order


@dataclass(frozen=True)
class AttendanceRule:
    """Being among an activity's 出席人员 earns points: the ledger need not repeat it."""

    activity_type: str
    indicator: str
    points: float
    note: str  # the ledger's 事由 for the earned points, e.g. 主题党日出勤


@dataclass(frozen=True)
class Frequency:
    """A kind of meeting and how often it is due (data/frequencies.yml)."""

    type: str  # an activity type
    every: str  # 每月 | 每季度 | 每年
    times: int
    basis: str | None
    src: Src


@dataclass(frozen=True)
class Evaluation:
    """The AHP hierarchy, read and checked: every matrix is there and consistent."""

    title: str
    dimensions: tuple[Dimension, ...]
    judgments: Judgments  # the dimensions compared, in their order
    settings: Settings
    src: Src
    attendance: tuple[AttendanceRule, ...] = ()


@dataclass(frozen=True)
class Document:
    """A regulation or news item: Markdown body with its front matter fields."""

    id: str
    kind: str  # "regulation" | "news"
    title: str
    date: dt.date
    meta: tuple[tuple[str, object], ...]
    body: str
    audience: str
    src: Src

    def get(self, key: str, default=None):
        return dict(self.meta).get(key, default)


@dataclass(frozen=True)
class Branch:
    id: str
    name: str
    organization: str
    founded: dt.date | None
    motto: str | None
    intro: str | None
    committee: tuple[CommitteeSeat, ...]
    theme_day: int
    honor_roll_size: int
    news_plan: int
    members: tuple[Member, ...]
    activities: tuple[Activity, ...]
    teams: tuple[Team, ...]
    duties: tuple[Duty, ...]
    posts: tuple[PostDuty, ...]
    four_ones: tuple[FourOne, ...]
    dues: tuple[DuesMonth, ...]
    points: tuple[PointEntry, ...]
    evaluation: Evaluation | None
    regulations: tuple[Document, ...]
    news: tuple[Document, ...]
    frequencies: tuple[Frequency, ...] = ()  # how often each kind of meeting is due

    def member(self, member_id: str) -> Member:
        return next(m for m in self.members if m.id == member_id)


@dataclass(frozen=True)
class Organization:
    """The 党委 above several branches (data/organization.yml)."""

    name: str
    intro: str | None


@dataclass(frozen=True)
class Project:
    """One branch (data/ holds its files) or a 党委 with several (data/branches/<id>/)."""

    root: str
    branches: tuple[Branch, ...]
    organization: Organization | None = None
    # a 党委's branches that were read only for the checks across the project, not in full: a build
    # in parts reads each one again in the part that shows it (generator/assembly/)
    others: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        return self.organization is not None

    @property
    def branch_ids(self) -> tuple[str, ...]:
        """Every branch's id, those read in full and the others, in id order."""
        return tuple(sorted([*(b.id for b in self.branches), *self.others]))
