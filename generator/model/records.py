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
    transferred_in: dt.date | None = None  # joined this branch; None: on the 入党 date

    @property
    def arrived(self) -> dt.date:
        """The day the member joined this branch: they count from it, while 政治生日 follows `joined`."""
        return self.transferred_in or self.joined


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
    date: dt.date | None = None  # when it was put forward; None: the 课题's 立项日期


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


# What an `earn:` rule may name, and what it reads: an activity role, a news item's author,
# an idea, a payment, a duty, or a 四个一 item.
EARNING_RECORDS = {
    "领学": "活动的领学人（leader）",
    "主讲": "活动的主讲人（speaker）",
    "主办": "活动的主持/主办人（host）",
    "宣传报道": "宣传报道的作者（news 的 author）",
    "金点子": "攻坚课题中提出的金点子（teams.yml 的 ideas，采纳与否都算）",
    "按时交纳党费": "按时交纳当月党费（dues 的交纳时间）",
    "按期完成责任": "责任清单事项按期完成（duties.yml 中完成日期不晚于 when）",
    "一堂微课": "四个一：一堂微课",
    "一次主办": "四个一：一次主办",
    "一次领学": "四个一：一次领学",
    "一句心得": "四个一：一句心得",
}
ACTIVITY_ROLES = {"领学": "leader", "主讲": "speaker", "主办": "host"}


@dataclass(frozen=True)
class EarningRule:
    """A kind of record earns its member points, so the ledger need not repeat it.

    Rules apply in the order written: a record earns under the first rule that takes it,
    and one member earning one indicator on one day from several records counts once.
    """

    record: str  # a key of EARNING_RECORDS
    indicator: str
    points: float
    note: str  # the ledger's 事由 for the earned points
    src: Src
    activities: tuple[str, ...] = ()  # activity roles only: the activity types it covers; () for every type
    by_day: int | None = None  # 按时交纳党费: paid by this day of the month; None: by the month's last day


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
    earn: tuple[EarningRule, ...] = ()


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
    photos: tuple[tuple[Src, str], ...] = ()  # a news item's pictures, each with the line that names it

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
    since: dt.date | None = None  # the first day of the first month the branch keeps its records here

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
