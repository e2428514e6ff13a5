"""Reminders: things that build, but that the secretary should look at before publishing.

Unlike a problem, a reminder stops nothing (`check` exits 0). Each names the file and
the record's line:
- text that the whole unit will read and that looks like a mobile number or a resident
  ID number (printed masked, since the reminder lands in CI logs too);
- records the build counts for nobody: a member named after the day they left; a
  ledger entry whose `ref` names no activity (its link and its audience are lost);
- a roster that has gone stale: a 入党 date in the future, a 预备党员 whose year of
  probation ended before the branch's newest record.
Reminders about single files (an empty month's file, an upper-case `.YML`, a news
date that differs from its file name) are made while the file is read (load/validate.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from generator.model.problems import Problem, reminder
from generator.model.records import Activity, Branch, Document, Duty, Src
from generator.model.spec import BIRTHDAY_STEPS
from generator.model.visibility import PUBLIC

if TYPE_CHECKING:
    from generator.load.validate import Facts

# A mainland mobile number (11 digits from 13x to 19x, optionally split 3-4-4) and a
# resident ID number (18 characters with a plausible birth date); not inside longer digit runs.
_PATTERNS = (
    ("手机号码", re.compile(r"(?<![\d])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\d])")),
    ("身份证号", re.compile(r"(?<![\dXx])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")),
)
_SKIP_FIELDS = {"id", "src", "audience", "kind", "who", "attendees", "absent", "honorees", "photos", "member"}


def branch_reminders(branch: Branch) -> list[Problem]:
    """The reminders that follow from a branch's files alone (the branch cache keeps them)."""
    found = _after_leaving(branch) + _unknown_refs(branch) + _short_ceremonies(branch)
    for src, text in _public_texts(branch):
        for what, pattern in _PATTERNS:
            for match in pattern.finditer(text):
                found.append(reminder(src.path, src.line, f"全单位公开的内容里有像{what}的“{_masked(match.group())}”："
                                                          "请确认应当公开；不该公开就删去，或把这条记录的 audience 改为 party"))
    return found


def dated_reminders(branches: Iterable[Facts], today: dt.date | None = None) -> tuple[Problem, ...]:
    """The reminders that depend on the day as well (from each branch's `Facts`)."""
    today = today or dt.date.today()
    return tuple(r for branch in branches for r in (*_stale_roster(branch, today), *_overdue_duties(branch, today)))


def _masked(number: str) -> str:
    digits = re.sub(r"[ -]", "", number)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _public_texts(branch: Branch) -> Iterator[tuple[Src, str]]:
    records: tuple[Activity | Document | Duty, ...] = (*branch.activities, *branch.news, *branch.regulations, *branch.duties)
    for record in records:
        if PUBLIC.sees(record.audience):
            yield from ((record.src, text) for text in _strings(record))
    for team in branch.teams:
        for problem in team.problems:
            if PUBLIC.sees(problem.audience):
                yield from ((problem.src, text) for text in _strings(problem))


def _strings(value, depth: int = 0) -> Iterator[str]:
    """Every text in a record, its nested records and its front matter, but not ids and references."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and depth < 4:
        for field in dataclasses.fields(value):
            if field.name not in _SKIP_FIELDS:
                yield from _strings(getattr(value, field.name), depth + 1)
    elif isinstance(value, (tuple, list)) and depth < 4:
        for item in value:
            yield from _strings(item, depth + 1)


def _after_leaving(branch: Branch) -> list[Problem]:
    left = {m.id: (m.name, m.left) for m in branch.members if m.left is not None}
    found = []
    for a in branch.activities:
        for member_id in sorted({*a.attendees, *a.honorees} & left.keys()):
            name, day = left[member_id]
            if a.date > day:
                found.append(reminder(a.src.path, a.src.line, f"{name}（{member_id}）{day} 已转出，却写在 {a.date} 这次活动的名单里："
                                                               "请核对名单，或核对名册中的 left 日期"))
    for p in branch.points:
        if p.member in left and p.date > left[p.member][1]:
            name, day = left[p.member]
            found.append(reminder(p.src.path, p.src.line, f"{name}（{p.member}）{day} 已转出，这条积分却记在转出之后（{p.date}）："
                                                           "请核对党员，或核对名册中的 left 日期"))
    return found


def _short_ceremonies(branch: Branch) -> list[Problem]:
    """A 政治生日 record without all eight steps: the site marks it incomplete, and the secretary
    should hear why before a member reads it there."""
    found = []
    for a in branch.activities:
        if a.type != "政治生日":
            continue
        written = {s.strip() for s in a.steps}
        missing = [s for s in BIRTHDAY_STEPS if s not in written]
        if missing and written <= set(BIRTHDAY_STEPS):  # a step not among the eight is an error that lists them already
            found.append(reminder(a.src.path, a.src.line, f"政治生日“{a.title}”（{a.date}）的 steps 少了 {len(missing)} 个步骤："
                                                           f"{'、'.join(missing)}：办过的请补记（写法与这八个步骤一致："
                                                           f"{'、'.join(BIRTHDAY_STEPS)}），没办的请下次补齐"))
    return found


def _overdue_duties(branch: Facts, today: dt.date) -> list[Problem]:
    return [reminder(d.src.path, d.src.line, f"责任事项“{d.what}”的期限 {d.when} 已过（截至 {today}），status 还是“{d.status}”："
                                             "已完成的请把 status 改为 已完成 并写上 done 日期；延期的请改 when")
            for d in branch.open_duties if d.when < today]


def _stale_roster(branch: Facts, today: dt.date) -> list[Problem]:
    """A 入党 date after today; a probation that ended before the newest record (the data's own
    "now": the same files give the same reminders on any day)."""
    newest = branch.newest or today
    found = []
    for m in branch.members:
        if m.joined > today:
            found.append(reminder(m.src.path, m.src.line, f"{m.name} 的入党时间 {m.joined} 还没到：在那天之前网站不显示这名党员，"
                                                           "请核对 joined"))
        elif m.status == "预备党员" and m.left is None and _years_later(m.joined, 1) < newest:
            found.append(reminder(m.src.path, m.src.line, f"{m.name} 自 {m.joined} 起为预备党员，预备期已满一年："
                                                           "按期转正的，请把 status 改为 正式党员"))
    return found


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _unknown_refs(branch: Branch) -> list[Problem]:
    ids = {a.id for a in branch.activities}
    return [reminder(p.src.path, p.src.line, f"ref 写的活动编号“{p.ref}”在 data/activities/ 里找不到：这条积分照常计分，"
                                             "但不会链接到活动；请核对编号（活动的 id，或“日期-序号”如 2026-09-15-1）")
            for p in branch.points if p.ref and p.ref not in ids]
