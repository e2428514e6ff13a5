"""Reminders: things that build, but that the secretary should look at before publishing.

Unlike a problem, a reminder stops nothing (`check` exits 0). Each names the file and
the record's line. Today: text that the whole unit will read and that looks like a
mobile number or a resident ID number; the number itself is printed masked, since the
reminder lands in CI logs too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from generator.model.problems import Problem
from generator.model.records import Activity, Branch, Document, Duty, Project, Src

# A mainland mobile number (11 digits from 13x to 19x, optionally split 3-4-4) and a
# resident ID number (18 characters with a plausible birth date); not inside longer digit runs.
_PATTERNS = (
    ("手机号码", re.compile(r"(?<![\d])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\d])")),
    ("身份证号", re.compile(r"(?<![\dXx])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")),
)
_SKIP_FIELDS = {"id", "src", "audience", "kind", "who", "attendees", "absent", "honorees", "photos", "member"}


def reminders(project: Project) -> tuple[Problem, ...]:
    found: list[Problem] = []
    for branch in project.branches:
        for src, text in _public_texts(branch):
            for what, pattern in _PATTERNS:
                for match in pattern.finditer(text):
                    found.append(Problem(src.path, src.line, f"提醒：全单位公开的内容里有像{what}的“{_masked(match.group())}”："
                                                             "请确认应当公开；不该公开就删去，或把这条记录的 audience 改为 party"))
    return tuple(sorted(set(found)))


def _masked(number: str) -> str:
    digits = re.sub(r"[ -]", "", number)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _public_texts(branch: Branch) -> Iterator[tuple[Src, str]]:
    records: tuple[Activity | Document | Duty, ...] = (*branch.activities, *branch.news, *branch.regulations, *branch.duties)
    for record in records:
        if record.audience == "public":
            yield from ((record.src, text) for text in _strings(record))
    for team in branch.teams:
        for problem in team.problems:
            if problem.audience == "public":
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
