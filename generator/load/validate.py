"""Load and validate a project's `data/` folder into the frozen model.

`load_project(root)` reads every file, checks every record and returns the model
together with *all* problems found; it never stops at the first one and never raises
for a mistake in the user's files. The model is only usable when there are no problems.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Collection
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from generator import bundled, settings
from generator.atomic import stage
from generator.compute.dates import last_day
from generator.load import advice, boundary
from generator.load.cache import cached, cached_pickle, unpickle
from generator.load.fields import Checker, Clean, describe, nearest, parse_month
from generator.load.pictures import picture_problems
from generator.load.yamlio import YDict, read_markdown, read_yaml
from generator.model import spec
from generator.model.problems import Problem, reminder
from generator.model.records import (
    ACTIVITY_ROLES,
    DEDUCTION,
    Absence,
    Activity,
    Branch,
    CommitteeSeat,
    Document,
    DuesMonth,
    Duty,
    EarningRule,
    Evaluation,
    FourOne,
    Frequency,
    Idea,
    Member,
    MemberPrivate,
    Organization,
    Payment,
    PointEntry,
    PostDuty,
    Project,
    Reflection,
    Src,
    Team,
    TeamProblem,
)
from generator.model.scope import discipline_matters

DEFAULTS_DIR = bundled.DEFAULTS  # the default evaluation and frequencies, found through the package

# Where each kind of record lives under data/.
SINGLE_FILES = ("branch.yml", "members.yml", "evaluation.yml", "teams.yml", "duties.yml", "frequencies.yml")
MONTH_FOLDERS = ("activities", "dues", "points")
YEAR_FOLDERS = ("four-ones",)
MARKDOWN_FOLDERS = ("regulations", "news")
BRANCHES = "branches"
ORGANIZATION_FILES = ("organization.yml", "evaluation.yml", BRANCHES, "README.md")
_SLUG = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]{0,80}$")

# Default audience per record kind (DOMAIN.md: 党务公开 follows relevance).
DEFAULT_AUDIENCE = {
    "activity": "public", "problem": "public", "duty": "party",
    "regulation": "public", "news": "public", "point": "party", "deduction": "committee",
}


@dataclass(frozen=True)
class Loaded:
    project: Project | None
    problems: tuple[Problem, ...]
    reminders: tuple[Problem, ...] = ()  # worth a look, but nothing is stopped (load/advice.py)

    @property
    def ok(self) -> bool:
        return self.project is not None and not self.problems


@dataclass(frozen=True)
class Facts:
    """What the checks across a project read of a branch: its members, the photos its activities
    and news name (and where), and the date of its newest record. A 党委's branch that a build does not page
    is read as these only (see `load_project`)."""

    id: str
    members: tuple[Member, ...]
    photos: tuple[tuple[Src, str], ...]
    newest: dt.date | None
    open_duties: tuple[Duty, ...] = ()  # not 已完成: overdue or not depends on the build's day


def facts_of(branch: Branch) -> Facts:
    dated = [*(a.date for a in branch.activities), *(p.date for p in branch.points), *(d.date for d in branch.news)]
    photos = (*((a.src, photo) for a in branch.activities for photo in a.photos), *(p for d in branch.news for p in d.photos))
    return Facts(branch.id, branch.members, tuple(photos),
                 max(dated, default=None), tuple(d for d in branch.duties if d.status != "已完成"))


# which of a 党委's branches to read in full, given every branch's id (the folders' names)
Choose = Callable[[tuple[str, ...]], Collection[str]]


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while records pile up.

    A large project makes millions of small dicts and lists that all stay alive; the
    collector would walk them again and again (a tenth of the loading time) only to
    find nothing: loading makes no reference cycles worth collecting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_project(root: Path | str, choose: Choose | None = None, today: dt.date | None = None) -> Loaded:
    """Read and check a project: every problem at once, or the model.

    `today` is the day the reminders about dates are made for (a build's `--as-of`; default: today).

    `choose(ids)` says which of a 党委's branches to read in full (default: all); the project holds
    only those, and names the others in `Project.others`. Every branch is checked all the same: the
    checks across branches read its `Facts`, and its own problems and reminders come from the cache.
    """
    with _collector_paused():
        loaded, facts = _load_project(Path(root), choose)
    found = loaded.problems
    if loaded.project is not None:  # they read content/ and the clock, which the branch cache does not key on
        found += (_missing_photos(Path(root), facts) + picture_problems(Path(root)) + _long_pages(Path(root))
                  + advice.dated_reminders(facts, today))
    return replace(loaded, problems=tuple(p for p in found if not p.reminder),
                   reminders=tuple(sorted({p for p in found if p.reminder})))


def _missing_photos(root: Path, facts: list[Facts]) -> tuple[Problem, ...]:
    """Each `photos:` entry with no picture at that place in content/ (checked on every load: not cached)."""
    return tuple(
        Problem(src.path, src.line, f"照片 content/{photo} 不存在：请把照片放进 content/ 的这个位置，或改正路径（注意大小写）")
        for branch in facts for src, photo in branch.photos
        # a path outside content/ or not a picture is already a problem of its own line
        if spec.is_image(photo) and boundary.inside(root / "content", photo) and not (root / "content" / photo).is_file())


def _long_pages(root: Path) -> tuple[Problem, ...]:
    """A reminder for each page of content/ longer than the search index keeps (mkdocs publishes them all)."""
    found: list[Problem] = []
    seen: set[str] = set()
    for folder, folders, names in os.walk(root / "content", followlinks=True):
        real = os.path.realpath(folder)
        folders[:] = [] if real in seen else sorted(f for f in folders if not f.startswith("."))
        seen.add(real)
        for name in sorted(n for n in names if n.endswith(".md") and not n.startswith(".")):
            path = Path(folder) / name
            if path.stat().st_size > spec.SEARCH_PAGE_CHARS:  # never fewer bytes than characters
                chars = len(path.read_text(encoding="utf-8", errors="replace"))
                if chars > spec.SEARCH_PAGE_CHARS:
                    found.append(_long_text(_rel(root, path), 1, chars))
    return tuple(found)


def _long_text(rel: str, line: int, chars: int) -> Problem:
    return reminder(rel, line, f"正文很长（约 {chars // 10_000} 万字）：站内搜索只收录每篇开头的 "
                               f"{spec.SEARCH_PAGE_CHARS // 10_000} 万字，后面的内容搜不到（网页上照常全文显示）；"
                               "要让全文都能搜到，请把它拆成几篇")


def _load_project(root: Path, choose: Choose | None) -> tuple[Loaded, list[Facts]]:
    problems: list[Problem] = []
    data = root / "data"
    if not data.is_dir():
        return Loaded(None, (Problem("data", 0, "找不到 data 文件夹：请在支部项目的根目录运行，或用 dangjian new 新建项目"),)), []
    refused = boundary.scan(root)
    if refused:  # nothing is opened while a link leads out of the project or a file can not be read safely
        return Loaded(None, refused), []
    problems += boundary.content(root)
    stage("loading")
    if is_organization(root):
        return _load_organization(root, data, problems, choose)
    branch = _load_branch(root, data, problems, DEFAULTS_DIR / "evaluation.yml")
    if branch is None:
        return Loaded(None, tuple(problems)), []
    return Loaded(Project(str(root), (branch,)), tuple(problems)), [facts_of(branch)]


def is_organization(root: Path) -> bool:
    """A 党委 project (data/branches/ holds its branches), not a single branch."""
    return (root / "data" / BRANCHES).is_dir()


def _load_organization(root: Path, data: Path, problems: list[Problem], choose: Choose | None) -> tuple[Loaded, list[Facts]]:
    """A 党委 project: data/organization.yml, a shared evaluation.yml and one folder per branch."""
    for path in sorted(data.iterdir()):
        if not path.name.startswith(".") and path.name not in ORGANIZATION_FILES:
            problems.append(Problem(_rel(root, path), 0, f"多支部项目的 data 下只放 {'、'.join(ORGANIZATION_FILES)}：各支部的文件请放进 data/branches/支部代号/"))
    node = _read_mapping(root, data / "organization.yml", problems, required=True)
    organization = None
    if node is not None:
        checker = Checker(_rel(root, data / "organization.yml"))
        values = checker.record(node, spec.ORGANIZATION, node.line)
        problems.extend(checker.problems)
        if values and "name" in values:
            organization = Organization(values["name"], values.get("intro"))
    fallback = _shared_evaluation(data)
    branches, facts = [], []
    folders = sorted(p for p in (data / BRANCHES).iterdir() if p.is_dir() and not p.name.startswith("."))
    whole = set(choose(tuple(f.name for f in folders))) if choose is not None else {f.name for f in folders}
    for folder, (loaded, found) in zip(folders, _load_branches(root, folders, fallback, whole)):
        problems.extend(found)
        if loaded is not None:
            if loaded.id != folder.name:
                problems.append(Problem(_rel(root, folder / "branch.yml"), 1, f"支部代号 id 应与文件夹名一致：文件夹是 {folder.name}，这里写的是 {loaded.id}"))
            if isinstance(loaded, Branch):
                branches.append(loaded)
                loaded = facts_of(loaded)
            facts.append(loaded)
    _check_people_across_branches(facts, problems)
    if not facts and not problems:
        problems.append(Problem(_rel(root, data / BRANCHES), 0, "还没有任何支部：请在 data/branches/ 下为每个支部建一个文件夹"))
    others = tuple(f.id for f in facts if f.id not in {b.id for b in branches})
    project = Project(str(root), tuple(branches), organization, others) if organization else None
    return Loaded(project, tuple(problems)), facts


def _shared_evaluation(data: Path) -> Path:
    """The evaluation.yml a 党委's branch falls back on: the 党委's own, else the default one."""
    shared = data / "evaluation.yml"
    return shared if shared.exists() else DEFAULTS_DIR / "evaluation.yml"


def read_branch(root: Path | str, branch_id: str) -> Branch | None:
    """One branch of a 党委 project that `load_project` has checked, in full: from the branch cache,
    which the check filled (a part of the site reads its own branch so, not the whole project).
    None when its files no longer pass the check (changed since)."""
    root = Path(root)
    data = root / "data"
    job: _Job = (root, data / BRANCHES / branch_id, _shared_evaluation(data), True)
    branch, found = _load_branch_job(job)
    return branch if isinstance(branch, Branch) and not any(not p.reminder for p in found) else None


_Job = tuple[Path, Path, Path, bool]  # root, the branch's folder, the evaluation.yml it falls back on, whether in full


def _load_branches(root: Path, folders: list[Path], fallback: Path,
                   whole: Collection[str]) -> list[tuple[Branch | Facts | None, list[Problem]]]:
    """Each branch read on its own (in full, or the `Facts` of those not in `whole`), in parallel
    processes when there are many.

    Branches share nothing while loading, so a 党委 with dozens of them uses every core;
    DANGJIAN_WORKERS=1 reads them one after another.
    """
    jobs: list[_Job] = [(root, folder, fallback, folder.name in whole) for folder in folders]
    workers = settings.current().workers
    if workers <= 1 or len(jobs) < 4:
        return [_load_branch_job(job) for job in jobs]
    from generator import pool as processes

    with processes.executor(min(workers, len(jobs))) as pool:
        pickled = pool.map(_pickled_branch_job, jobs)
        # each result is unpickled as it arrives, while the workers read on
        return [unpickle(data, partial(_load_branch_job, job)) for job, data in zip(jobs, pickled)]


def _load_branch_job(job: _Job) -> tuple[Branch | Facts | None, list[Problem]]:
    """One branch (or its facts) and its problems, reused from .dangjian-cache/ when none of its files changed."""
    root, folder, fallback, whole = job
    inputs = _branch_inputs(folder, fallback)
    with _collector_paused():
        if whole:
            return cached(root, "branches", inputs, partial(_load_branch_fresh, root, folder, fallback))
        return cached(root, "facts", inputs, partial(_facts_fresh, root, inputs, folder, fallback))


def _pickled_branch_job(job: _Job) -> bytes:
    """`_load_branch_job` in a worker process, left pickled for the parent (see `cached_pickle`)."""
    root, folder, fallback, whole = job
    inputs = _branch_inputs(folder, fallback)
    with _collector_paused():
        if whole:
            return cached_pickle(root, "branches", inputs, partial(_load_branch_fresh, root, folder, fallback))
        return cached_pickle(root, "facts", inputs, partial(_facts_fresh, root, inputs, folder, fallback))


def _facts_fresh(root: Path, inputs: list[Path], data: Path, fallback_evaluation: Path) -> tuple[Facts | None, list[Problem]]:
    """A branch's facts and problems, from the whole branch (itself cached: the next build may page it)."""
    branch, found = cached(root, "branches", inputs, partial(_load_branch_fresh, root, data, fallback_evaluation))
    return (facts_of(branch) if branch is not None else None), found


def _branch_inputs(data: Path, fallback_evaluation: Path) -> list[Path]:
    inputs = [p for p in data.rglob("*") if p.is_file()]
    if fallback_evaluation.exists():
        inputs.append(fallback_evaluation)
    return inputs


def _load_branch_fresh(root: Path, data: Path, fallback_evaluation: Path) -> tuple[Branch | None, list[Problem]]:
    found: list[Problem] = []
    return _load_branch(root, data, found, fallback_evaluation), found


def _check_people_across_branches(branches: list[Facts], problems: list[Problem]) -> None:
    """The same member id in two branches is one person who moved: name and 入党 date must agree."""
    first: dict[str, Member] = {}
    for branch in branches:
        for m in branch.members:
            seen = first.setdefault(m.id, m)
            if seen is not m and (seen.name, seen.joined) != (m.name, m.joined):
                problems.append(Problem(m.src.path, m.src.line,
                                        f"党员编号 {m.id} 在 {seen.src.path} 中是 {seen.name}（入党 {seen.joined}）：同一编号必须是同一个人，请改用新编号"))


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _load_branch(root: Path, data: Path, problems: list[Problem], fallback_evaluation: Path) -> Branch | None:
    _check_unknown_files(root, data, problems)

    info = _branch_info(root, data / "branch.yml", problems)
    before = len(problems)
    members, written = _members(root, data / "members.yml", problems)
    # References resolve against every record written in the roster, even one with a
    # mistake of its own, so one bad record is reported once, not at every mention.
    # With an unreadable roster every reference would fail too: report the roster only.
    resolve = _member_resolver(written) if written or len(problems) == before else None
    evaluation = _evaluation(root, data / "evaluation.yml", problems, fallback_evaluation)
    activities = _activities(root, data / "activities", resolve, problems)
    teams = _teams(root, data / "teams.yml", resolve, problems)
    duties, posts = _duties(root, data / "duties.yml", resolve, problems)
    four_ones = _four_ones(root, data / "four-ones", resolve, problems)
    dues = _dues(root, data / "dues", resolve, problems)
    codes = {i.code: i.name for d in evaluation.dimensions for i in d.indicators} if evaluation else {}  # code -> name
    points = _points(root, data / "points", resolve, codes, {a.id: a.audience for a in activities}, problems)
    frequencies = _frequencies(root, data / "frequencies.yml", problems)
    regulations = _documents(root, data / "regulations", "regulation", spec.REGULATION, "effective", resolve, problems)
    news = _documents(root, data / "news", "news", spec.NEWS, "date", resolve, problems)
    records = _Records(activities, news, teams, dues, duties, four_ones)
    points = _with_earned(points, records, evaluation, problems)
    if info is None:
        return None
    committee = _resolve_committee(root, data / "branch.yml", info, resolve, problems)
    branch = Branch(
        id=info.get("id", "branch"),
        name=info.get("name", ""),
        organization=info.get("organization", ""),
        founded=info.get("founded"),
        motto=info.get("motto"),
        intro=info.get("intro"),
        committee=committee,
        theme_day=info.get("theme_day", 15),
        honor_roll_size=info.get("honor_roll_size", 5),
        news_plan=info.get("news_plan", 12),
        members=tuple(members),
        activities=tuple(activities),
        teams=tuple(teams),
        duties=tuple(duties),
        posts=tuple(posts),
        four_ones=tuple(four_ones),
        dues=tuple(dues),
        points=tuple(points),
        evaluation=evaluation,
        regulations=tuple(regulations),
        news=tuple(news),
        frequencies=frequencies,
        since=info.get("since"),
    )
    problems += advice.branch_reminders(branch)  # kept with the cached branch: they depend on its files only
    return branch


def _check_unknown_files(root: Path, data: Path, problems: list[Problem]) -> None:
    known_dirs = set(MONTH_FOLDERS + YEAR_FOLDERS + MARKDOWN_FOLDERS)
    for path in sorted(data.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            if path.name not in known_dirs:
                problems.append(Problem(_rel(root, path), 0, f"data 下不认识“{path.name}”文件夹：可用的文件夹有 {'、'.join(sorted(known_dirs))}"))
        elif path.name not in SINGLE_FILES and path.name.lower() != "readme.md":
            problems.append(Problem(_rel(root, path), 0, f"data 下不认识“{path.name}”：可用的文件有 {'、'.join(SINGLE_FILES)}；按月记录请放进对应文件夹"))


def _read_mapping(root: Path, path: Path, problems: list[Problem], required: bool, empty_ok: str = "") -> YDict | None:
    """A file of "name: value" pairs; `empty_ok` names what a month's file holds, which may be made early."""
    rel = _rel(root, path)
    if not path.exists():
        if required:
            problems.append(Problem(rel, 0, "缺少这个文件：请新建它（可参考 dangjian new 生成的示例）"))
        return None
    value = _read_value(path, rel, problems, empty_ok)
    if value is not None and not isinstance(value, YDict):  # yamlio reads every mapping into a YDict
        problems.append(Problem(rel, getattr(value, "line", 1), f"文件内容应是若干“名称: 值”，实际是{describe(value)}"))
        return None
    return value


def _read_list(root: Path, path: Path, problems: list[Problem], what: str, empty_ok: bool = False) -> Any:
    """A file's list of records; `empty_ok` for a month's file, which may be made before the month."""
    return _read_value(path, _rel(root, path), problems, what if empty_ok else "")


def _read_value(path: Path, rel: str, problems: list[Problem], empty_ok: str) -> Any:
    """A YAML file's value, or None when it is unreadable or empty. An empty file is a problem,
    or, when `empty_ok` names what a month's file will hold, only a reminder."""
    parsed = read_yaml(path, rel)
    problems.extend(parsed.problems)
    if parsed.value is None and not parsed.problems:
        if empty_ok:
            problems.append(reminder(rel, 0, f"文件是空的，还没有{empty_ok}：生成时跳过它，填好后自动计入"))
        else:
            problems.append(Problem(rel, 0, "文件是空的：请填写内容，或删除这个文件"))
    return parsed.value


def _branch_info(root: Path, path: Path, problems: list[Problem]) -> dict | None:
    node = _read_mapping(root, path, problems, required=True)
    if node is None:
        return None
    checker = Checker(_rel(root, path))
    info = checker.record(node, spec.BRANCH, node.line)
    if info is not None and "since" in info:
        month = parse_month(str(info["since"]).strip())
        if month is None:
            checker.add(info.line_of("since"), f"since 应写成“年-月”，如 2025-12（本支部开始在这里记录的第一个月），实际是“{info['since']}”")
            del info["since"]
        else:
            info["since"] = dt.date(*month, 1)
    problems.extend(checker.problems)
    return info


def _resolve_committee(root, path, info, resolve, problems) -> tuple[CommitteeSeat, ...]:
    seats = []
    checker = Checker(_rel(root, path), resolve)
    for seat, line in info.get("committee", []):
        if "member" not in seat:
            continue  # already reported as missing
        member = checker.member(seat["member"], "“member”（党员）", line)
        if member and "role" in seat:
            seats.append(CommitteeSeat(member, seat["role"]))
    problems.extend(checker.problems)
    return tuple(seats)


def _members(root: Path, path: Path, problems: list[Problem]) -> tuple[list[Member], list[tuple[str, str | None]]]:
    """The valid members, and (id, name) of every record that has an id."""
    rel = _rel(root, path)
    if not path.exists():
        problems.append(Problem(rel, 0, "缺少党员名册：请新建 data/members.yml"))
        return [], []
    node = _read_list(root, path, problems, "党员名册")
    if node is None:
        return [], []
    checker = Checker(rel)
    members: list[Member] = []
    written: list[tuple[str, str | None]] = []
    seen: dict[str, int] = {}
    for values, line in checker.records(node, spec.MEMBER, getattr(node, "line", 1), "党员名册"):
        if "id" in values:
            written.append((values["id"], values.get("name")))
        if not {"id", "name", "joined"} <= values.keys():
            continue
        if values["id"] in seen:
            checker.add(line, f"党员编号“{values['id']}”重复（第 {seen[values['id']]} 行已用过）：每人的编号必须唯一")
            continue
        seen[values["id"]] = line
        # the matter's text is private: the message names the line, never the text
        undated = sum(day is None for day, _ in discipline_matters(values.get("discipline")))
        if undated:
            checker.add(line, f"“discipline”（纪律处分情况）有 {undated} 条没有写日期：每条请以年月开头，如“2026年3月 诫勉谈话”；"
                              "金榜题名按处分所在年度取消资格")
        arrived = values.get("transferred_in")
        if arrived is not None and arrived < values["joined"]:
            checker.add(values.line_of("transferred_in"), f"转入日期 {arrived} 早于入党时间 {values['joined']}：请核对"
                                                          "（入党时间用于政治生日，转入日期是组织关系转入本支部的日期）")
            continue
        if arrived is not None and values.get("left") is not None and values["left"] < arrived:
            checker.add(values.line_of("left"), f"转出日期 {values['left']} 早于转入日期 {arrived}：请核对")
            continue
        private = MemberPrivate(**{f.key: values.get(f.key) for f in spec.MEMBER.fields if f.private})
        members.append(Member(
            id=values["id"], name=values["name"], joined=values["joined"],
            gender=values.get("gender"), status=values.get("status", "正式党员"),
            post=values.get("post"), group=values.get("group"), left=values.get("left"),
            private=private, src=Src(rel, line), transferred_in=arrived,
        ))
    problems.extend(checker.problems)
    return members, written


def _member_resolver(written: list[tuple[str, str | None]]):
    by_id = {member_id: member_id for member_id, _ in written}
    by_name: dict[str, str] = {}
    for member_id, name in written:
        if name and by_name.get(name) != member_id:
            by_name[name] = "" if name in by_name else member_id

    def resolve(text: str) -> str | None:
        if text in by_id:
            return text
        return by_name.get(text)

    resolve.known = (tuple(by_id), tuple(by_name))  # type: ignore[attr-defined]  # for "是不是…？" in messages
    return resolve


def _month_files(root: Path, folder: Path, problems: list[Problem], pattern: str) -> list[tuple[Path, str]]:
    """Files named YYYY-MM.yml (or YYYY.yml) in `folder`; others are problems."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        stem, suffix = path.stem, path.suffix
        if suffix != suffix.lower() and suffix.lower() in (".yml", ".yaml"):
            problems.append(reminder(_rel(root, path), 0, f"扩展名是大写的 {suffix}：已照常读取；请改名为 {stem}{suffix.lower()}，与其他文件一致"))
            suffix = suffix.lower()
        if suffix not in (".yml", ".yaml"):
            example = "2026-09.yml" if pattern == "month" else "2026.yml"
            problems.append(Problem(_rel(root, path), 0, f"这里只放 YAML 文件（如 {example}）：图片请放到 content/ 下"))
            continue
        ok = (
            parse_month(stem) is not None if pattern == "month" else re.fullmatch(r"\d{4}", stem) is not None
        )
        if not ok:
            example = "2026-09.yml" if pattern == "month" else "2026.yml"
            problems.append(Problem(_rel(root, path), 0, f"文件名应是{'年月' if pattern == 'month' else '年份'}，如 {example}：请改名"))
            continue
        out.append((path, stem))
    return out


def _in_period(day: dt.date, period: str) -> bool:
    return day.isoformat().startswith(period)


def _activities(root: Path, folder: Path, resolve, problems: list[Problem]) -> list[Activity]:
    out: list[Activity] = []
    seen: dict[str, str] = {}
    for path, month in _month_files(root, folder, problems, "month"):
        rel = _rel(root, path)
        node = _read_list(root, path, problems, "活动记录", empty_ok=True)
        if node is None:
            continue
        checker = Checker(rel, resolve)
        records = checker.records(node, spec.ACTIVITY, getattr(node, "line", 1), "活动记录")
        numbers = _day_numbers(records, month)
        for index, (v, line) in enumerate(records):
            if not {"type", "date", "title"} <= v.keys():
                continue
            day = v["date"]
            if not _in_period(day, month):
                checker.add(v.line_of("date"), f"日期 {day} 不在本文件的月份 {month} 内：请移到 data/activities/{day.isoformat()[:7]}.yml")
                continue
            activity_id = v.get("id") or f"{day.isoformat()}-{numbers[index]}"
            if activity_id in seen:
                checker.add(line, f"活动编号“{activity_id}”重复（{seen[activity_id]} 已用过）：请换一个编号")
                continue
            seen[activity_id] = f"{rel}:{line}"
            _check_activity_rules(checker, v, line)
            _check_photos(checker, root, v)
            wuyou = v.get("wuyou")
            excused = tuple(Absence(r["member"], r.get("reason")) for r, _ in v.get("excused", []) if "member" in r)
            absent = tuple(v.get("absent", ())) + tuple(e.member for e in excused if e.member not in v.get("absent", ()))
            out.append(Activity(
                id=activity_id, type=v["type"], date=day, title=v["title"], place=v.get("place"),
                host=v.get("host"), leader=v.get("leader"), speaker=v.get("speaker"),
                first_topic=v.get("first_topic"), attendees=v.get("attendees", ()), absent=absent,
                summary=v.get("summary"),
                wuyou=tuple((k, bool(wuyou.get(k, False))) for k in spec.WUYOU_KEYS) if wuyou is not None else None,
                honorees=v.get("honorees", ()), steps=v.get("steps", ()),
                reflections=tuple(Reflection(r["member"], r["text"]) for r, _ in v.get("reflections", []) if {"member", "text"} <= r.keys()),
                photos=v.get("photos", ()),
                audience=_activity_audience(v),
                src=Src(rel, line),
                recorder=v.get("recorder"), agenda=v.get("agenda", ()), decisions=v.get("decisions", ()),
                excused=excused,
            ))
        problems.extend(checker.problems)
    return sorted(out, key=lambda a: (a.date, a.id))


def _activity_audience(v) -> str:
    return v.get("audience", "committee" if v["type"] in spec.COMMITTEE_BY_DEFAULT else DEFAULT_AUDIENCE["activity"])


def _day_numbers(records: list[tuple[Any, int]], month: str) -> dict[int, int]:
    """The number in the automatic id ("2026-11-20-2") of each record, by its index in `records`.

    A day's records are numbered public ones first, then party, then committee, each in the
    file's order. A record's number so depends only on records every reader of it can see:
    no gap tells a reader that a meeting above them took place that day, and a record has one
    id in every build, so a link or a ledger entry's ref means the same for every audience.
    """
    per_day: dict[dt.date, list[tuple[int, int]]] = {}
    for index, (v, _) in enumerate(records):
        if {"type", "date", "title"} <= v.keys() and _in_period(v["date"], month):
            per_day.setdefault(v["date"], []).append((spec.AUDIENCES.index(_activity_audience(v)), index))
    return {index: n for day in per_day.values() for n, (_, index) in enumerate(sorted(day), 1)}


def _check_photos(checker: Checker, root: Path, v) -> None:
    for index, photo in enumerate(v.get("photos", ())):
        line = v.item_line("photos", index)
        if not boundary.inside(root / "content", photo):
            checker.add(line, f"照片路径“{photo}”不在 content/ 里：请把照片放进 content/（例如 content/photos/），"
                              "这里写它在 content/ 下的路径，如 photos/2026-07-01.jpg")
        elif not spec.is_image(photo):
            checker.add(line, f"“{photo}”不是图片：照片请用 {'、'.join(s.lstrip('.') for s in spec.IMAGE_SUFFIXES)} 格式")



def _check_activity_rules(checker: Checker, v: Clean, line: int) -> None:
    both = set(v.get("attendees", ())) & set(v.get("absent", ()))
    for member in sorted(both):
        checker.add(line, f"党员 {member} 同时写在出席和缺席名单里：请只保留一处")
    seen: set[str] = set()
    for r, r_line in v.get("excused", []):
        member = r.get("member")
        if member in set(v.get("attendees", ())):
            checker.add(r_line, f"党员 {member} 写在出席名单里，又写了请假原因：请只保留一处")
        elif member in seen:
            checker.add(r_line, f"党员 {member} 的请假原因写了两次：请合并为一条")
        seen.add(member)
    if v["type"] == "主题党日" and not v.given("wuyou"):
        checker.add(line, "主题党日要写明“五有”落实情况：请加上 wuyou（theme/record/reflection/evaluation/support，各写 true 或 false）")
    if v["type"] == "政治生日":
        if not v.given("honorees"):
            checker.add(line, "政治生日要写明过生日的党员：请加上 honorees，如 [m03]")
        for index, step in enumerate(v.get("steps", ())):
            if step not in spec.BIRTHDAY_STEPS:
                checker.add(v.item_line("steps", index), f"政治生日环节“{step}”不是八个规定环节之一：请从 {'、'.join(spec.BIRTHDAY_STEPS)} 中选")


def _teams(root: Path, path: Path, resolve, problems: list[Problem]) -> list[Team]:
    if not path.exists():
        return []
    rel = _rel(root, path)
    node = _read_list(root, path, problems, "攻坚团队")
    if node is None:
        return []
    checker = Checker(rel, resolve)
    teams, seen = [], {}
    for v, line in checker.records(node, spec.TEAM, getattr(node, "line", 1), "攻坚团队"):
        if not {"id", "name", "lead"} <= v.keys():
            continue
        if v["id"] in seen:
            checker.add(line, f"团队编号“{v['id']}”重复：请换一个编号")
            continue
        seen[v["id"]] = line
        problems_of_team = []
        for p, pline in v.get("problems", []):
            if not {"id", "title", "status", "opened"} <= p.keys():
                continue
            if p["id"] in seen:
                checker.add(pline, f"课题编号“{p['id']}”重复：请换一个编号")
                continue
            seen[p["id"]] = pline
            if p["status"] == "已破解" and not p.given("solved"):
                checker.add(pline, "已破解的课题要写破解日期 solved")
            if p.get("solved") and p["solved"] < p["opened"]:
                checker.add(pline, f"破解日期 {p['solved']} 早于立项日期 {p['opened']}：请核对")
            _idea_dates(checker, p)
            problems_of_team.append(TeamProblem(
                id=p["id"], title=p["title"], status=p["status"], opened=p["opened"], solved=p.get("solved"),
                owner=p.get("owner"), members=p.get("members", ()), outcome=p.get("outcome"),
                ideas=tuple(Idea(i["member"], i["text"], i.get("adopted", False), i.get("date")) for i, _ in p.get("ideas", []) if {"member", "text"} <= i.keys()),
                audience=p.get("audience", DEFAULT_AUDIENCE["problem"]), src=Src(rel, pline),
            ))
        teams.append(Team(
            id=v["id"], name=v["name"], lead=v["lead"], members=v.get("members", ()), founded=v.get("founded"),
            focus=v.get("focus"), problems=tuple(problems_of_team), src=Src(rel, line),
        ))
    problems.extend(checker.problems)
    return teams


def _idea_dates(checker: Checker, problem: Clean) -> None:
    """An idea is put forward while its 课题 is open: a date outside it would earn points in the wrong month."""
    opened, solved = problem["opened"], problem.get("solved")
    for idea, _ in problem.get("ideas", []):
        date = idea.get("date")
        if date is None:
            continue
        where = idea.line_of("date")
        if date < opened:
            checker.add(where, f"金点子的提出日期 {date} 早于课题“{problem['title']}”的立项日期 {opened}："
                               "请核对这两个日期，金点子只能在课题立项后提出")
        elif solved and date > solved:
            checker.add(where, f"金点子的提出日期 {date} 晚于课题“{problem['title']}”的破解日期 {solved}："
                               "请核对这两个日期；课题破解后提出的金点子请记到新的课题下")


def _frequencies(root: Path, path: Path, problems: list[Problem]) -> tuple[Frequency, ...]:
    """How often each kind of meeting is due: the branch's file, or the 支部工作条例 defaults."""
    if path.exists():
        rel = _rel(root, path)
        node = _read_list(root, path, problems, "组织生活频次")
    else:
        rel = "data/frequencies.yml（内置默认）"
        node = read_yaml(DEFAULTS_DIR / "frequencies.yml", rel).value
    if node is None:
        return ()
    checker = Checker(rel, None)
    out: dict[str, Frequency] = {}
    for v, line in checker.records(node, spec.FREQUENCY, getattr(node, "line", 1), "组织生活频次"):
        if not {"type", "every"} <= v.keys():
            continue
        if v["type"] in out:
            checker.add(line, f"活动类型“{v['type']}”的频次写了两次（{out[v['type']].src} 已写过）：请只保留一条")
            continue
        out[v["type"]] = Frequency(v["type"], v["every"], v.get("times", 1), v.get("basis"), Src(rel, line))
    problems.extend(checker.problems)
    return tuple(out.values())


def _duties(root: Path, path: Path, resolve, problems: list[Problem]) -> tuple[list[Duty], list[PostDuty]]:
    node = _read_mapping(root, path, problems, required=False)
    if node is None:
        return [], []
    rel = _rel(root, path)
    checker = Checker(rel, resolve)
    v = checker.record(node, spec.DUTIES, node.line) or Clean()
    duties, seen = [], {}
    for d, line in v.get("items", []):
        if not {"id", "what", "who", "when", "status"} <= d.keys():
            continue
        if d["id"] in seen:
            checker.add(line, f"责任事项编号“{d['id']}”重复：请换一个编号")
            continue
        seen[d["id"]] = line
        if d["status"] == "已完成" and not d.given("done"):
            checker.add(line, "已完成的事项要写完成日期 done")
        duties.append(Duty(
            id=d["id"], what=d["what"], why=d.get("why"), who=d["who"], when=d["when"], where=d.get("where"),
            how=d.get("how"), how_much=d.get("how_much"), status=d["status"], done=d.get("done"),
            audience=d.get("audience", DEFAULT_AUDIENCE["duty"]), src=Src(rel, line),
        ))
    posts = [PostDuty(p["member"], p["business"], p["party"]) for p, _ in v.get("posts", []) if {"member", "business", "party"} <= p.keys()]
    problems.extend(checker.problems)
    return duties, posts


def _four_ones(root: Path, folder: Path, resolve, problems: list[Problem]) -> list[FourOne]:
    out = []
    for path, year in _month_files(root, folder, problems, "year"):
        rel = _rel(root, path)
        node = _read_list(root, path, problems, "四个一记录", empty_ok=True)
        if node is None:
            continue
        checker = Checker(rel, resolve)
        for v, line in checker.records(node, spec.FOUR_ONE, getattr(node, "line", 1), "四个一记录"):
            if "date" in v and not _in_period(v["date"], year):
                checker.add(v.line_of("date"), f"日期 {v['date']} 不在本文件的年份 {year} 内：请移到 data/four-ones/{v['date'].year}.yml")
                continue
            if not {"member", "item", "date", "title"} <= v.keys():
                continue
            out.append(FourOne(v["member"], v["item"], v["date"], v["title"], Src(rel, line)))
        problems.extend(checker.problems)
    return sorted(out, key=lambda f: (f.date, f.member, f.item))


def _dues(root: Path, folder: Path, resolve, problems: list[Problem]) -> list[DuesMonth]:
    out = []
    for path, month in _month_files(root, folder, problems, "month"):
        rel = _rel(root, path)
        node = _read_mapping(root, path, problems, required=True, empty_ok="党费记录")
        if node is None:
            continue
        checker = Checker(rel, resolve)
        v = checker.record(node, spec.DUES_MONTH, node.line)
        if v is None or "payments" not in v:
            problems.extend(checker.problems)
            continue
        payments: list[Payment] = []
        seen: dict[str, int] = {}
        for p, line in v["payments"]:
            if not {"member", "paid_at"} <= p.keys():
                continue
            if p["member"] in seen:
                checker.add(line, f"党员 {p['member']} 本月交纳了两次（第 {seen[p['member']]} 行）：请合并为一条")
                continue
            seen[p["member"]] = line
            if p["paid_at"].date().isoformat()[:7] < month:
                checker.add(line, f"交纳时间 {p['paid_at']:%Y-%m-%d %H:%M} 早于本月 {month}：请核对")
                continue
            payments.append(Payment(p["member"], p["paid_at"], p.get("amount"), Src(rel, line)))
        out.append(DuesMonth(month, v.get("zero_hour", False), tuple(payments), Src(rel, node.line)))
        problems.extend(checker.problems)
    return out


def _points(root: Path, folder: Path, resolve, codes: dict[str, str], activity_audience: dict[str, str],
            problems: list[Problem]) -> list[PointEntry]:
    out = []
    for path, month in _month_files(root, folder, problems, "month"):
        rel = _rel(root, path)
        node = _read_list(root, path, problems, "积分台账", empty_ok=True)
        if node is None:
            continue
        checker = Checker(rel, resolve)
        for v, line in checker.records(node, spec.POINT, getattr(node, "line", 1), "积分台账"):
            if not {"date", "member", "indicator", "points"} <= v.keys():
                continue
            if not _in_period(v["date"], month):
                checker.add(v.line_of("date"), f"日期 {v['date']} 不在本文件的月份 {month} 内：请移到 data/points/{v['date'].isoformat()[:7]}.yml")
                continue
            if codes and v["indicator"] not in codes and v["indicator"] != DEDUCTION:
                by_name = {name: code for code, name in codes.items()}  # a ledger may name the indicator
                guess = by_name.get(v["indicator"].strip()) or nearest(v["indicator"], codes, cutoff=0.9)
                hint = f"是不是 {guess}（{codes[guess]}）？" if guess in codes else ""
                checker.add(v.line_of("indicator"), f"指标“{v['indicator']}”不在评价体系 data/evaluation.yml 中：{hint}"
                                                    f"请写指标代码（如 {min(codes)}），扣分写“扣分”")
                continue
            own = v.get("audience", DEFAULT_AUDIENCE["deduction" if v["indicator"] == DEDUCTION else "point"])
            audience = spec.stricter(own, activity_audience.get(v.get("ref") or "", own))  # never more open than its activity
            out.append(PointEntry(v["date"], v["member"], v["indicator"], float(v["points"]), v.get("note"), v.get("ref"),
                                  Src(rel, line), audience))
        problems.extend(checker.problems)
    return sorted(out, key=lambda p: (p.date, p.member, p.indicator))


@dataclass(frozen=True)
class _Records:
    """The records that `earn:` rules read."""

    activities: list[Activity]
    news: list[Document]
    teams: list[Team]
    dues: list[DuesMonth]
    duties: list[Duty]
    four_ones: list[FourOne]


def _earned_by_rule(rule: EarningRule, records: _Records, claimed: set[tuple[str, str]]):
    """(member, day, 事由, ref, src, audience) of each record the rule reads; a record `claimed` by an earlier rule is skipped."""
    if rule.record in ACTIVITY_ROLES:
        role = ACTIVITY_ROLES[rule.record]
        for a in records.activities:
            member = getattr(a, role)
            if member and (not rule.activities or a.type in rule.activities) and (rule.record, a.id) not in claimed:
                claimed.add((rule.record, a.id))
                yield member, a.date, f"{rule.note}：{a.title}", a.id, a.src, a.audience
    elif rule.record == "宣传报道":
        for n in records.news:
            if n.get("author"):
                yield n.get("author"), n.date, f"{rule.note}：{n.title}", None, n.src, n.audience
    elif rule.record == "金点子":
        for team in records.teams:
            for p in team.problems:
                for idea in p.ideas:
                    adopted = "（已采纳）" if idea.adopted else ""
                    yield idea.member, idea.date or p.opened, f"{rule.note}{adopted}：{p.title}", None, p.src, p.audience
    elif rule.record == "按时交纳党费":
        for month in records.dues:
            year, number = int(month.month[:4]), int(month.month[5:7])
            deadline = dt.date(year, number, rule.by_day) if rule.by_day else last_day(year, number)
            for pay in month.payments:
                if dt.date(year, number, 1) <= pay.paid_at.date() <= deadline:
                    yield pay.member, pay.paid_at.date(), f"{rule.note}：{number} 月", None, pay.src, DEFAULT_AUDIENCE["point"]
    elif rule.record == "按期完成责任":
        for d in records.duties:
            if d.status == "已完成" and d.done is not None and d.done <= d.when:
                for member in d.who:
                    yield member, d.done, f"{rule.note}：{d.what}", None, d.src, d.audience
    else:  # a 四个一 item
        for f in records.four_ones:
            if f.item == rule.record:
                yield f.member, f.date, f"{rule.note}：{f.title}", None, f.src, DEFAULT_AUDIENCE["point"]


def _with_earned(ledger: list[PointEntry], records: _Records, evaluation: Evaluation | None,
                 problems: list[Problem]) -> list[PointEntry]:
    """The ledger and the points the evaluation's `attendance` and `earn` rules give for the records.

    An earned entry has the record's date, file and line, the activity's id as `ref`, and the
    record's audience (never more open than the ledger's default). `earn` rules apply in the
    order written; one member earning one indicator on one day from several records (the
    activity's 领学人 and a 四个一 一次领学) counts once. A ledger line that repeats an earned
    entry would count twice: it is a problem, named with the record it repeats.
    """
    if evaluation is None:
        return ledger
    attendance = {r.activity_type: r for r in evaluation.attendance}
    earned: list[tuple[PointEntry, str]] = [  # with what to tell a ledger line that repeats it
        (PointEntry(a.date, member, attends.indicator, attends.points, attends.note, a.id, a.src,
                    spec.stricter(DEFAULT_AUDIENCE["point"], a.audience)),
         f"的出席名单自动计入（评价体系 attendance 中的“{attends.note}”）")
        for a in records.activities if (attends := attendance.get(a.type)) for member in a.attendees]
    claimed: set[tuple[str, str]] = set()
    once: set[tuple[str, str, dt.date]] = set()
    for rule in evaluation.earn:
        for member, day, note, ref, src, audience in _earned_by_rule(rule, records, claimed):
            if (member, rule.indicator, day) in once:
                continue
            once.add((member, rule.indicator, day))
            earned.append((PointEntry(day, member, rule.indicator, rule.points, note, ref, src,
                                      spec.stricter(DEFAULT_AUDIENCE["point"], audience)),
                           f"自动计入（评价体系 earn 中的“{rule.record}”，{rule.src}）"))
    if not earned:
        return ledger
    by_key: dict[tuple, list[tuple[PointEntry, str]]] = {}
    for e, why in earned:
        by_key.setdefault((e.date, e.member, e.indicator), []).append((e, why))
    for p in ledger:
        twin = next(((e, why) for e, why in by_key.get((p.date, p.member, p.indicator), ())
                     if p.ref in (None, e.ref)), None)
        if twin is not None:
            problems.append(Problem(p.src.path, p.src.line, f"这条积分已由 {twin[0].src} {twin[1]}：请删除这一条，否则会计两次"))
    return sorted([*ledger, *(e for e, _ in earned)], key=lambda p: (p.date, p.member, p.indicator))


def _documents(root, folder, kind, shape, date_key, resolve, problems) -> list[Document]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        rel = _rel(root, path)
        if path.suffix != ".md":
            problems.append(Problem(rel, 0, "这里只放 Markdown 文件（.md）：图片请放到 content/ 下"))
            continue
        if not _SLUG.match(path.stem):
            problems.append(Problem(rel, 0, "文件名只能用汉字、英文字母、数字、- 和 _：请改名（文件名会成为网址）"))
            continue
        doc = read_markdown(path, rel)
        problems.extend(doc.problems)
        if doc.meta is None:
            if not doc.problems:
                problems.append(Problem(rel, 1, "信息头是空的：请在两行 --- 之间写标题、日期等"))
            continue
        checker = Checker(rel, resolve)
        v = checker.record(doc.meta, shape, 2)
        problems.extend(checker.problems)
        if v is None or not {f.key for f in shape.fields if f.required} <= v.keys():
            continue
        named = re.match(r"(\d{4}-\d{2}-\d{2})-", path.stem)
        for measure in v.get("measures", ()) if kind == "regulation" else ():
            if measure not in spec.EXECUTION_MEASURES:
                problems.append(Problem(rel, doc.meta.line_of("measures") if isinstance(doc.meta, YDict) else 2,
                                        f"measures 中的“{measure}”不是执行评估指标：请从 {'、'.join(spec.EXECUTION_MEASURES)} 中选"))
        if kind == "news" and named and named.group(1) != v[date_key].isoformat():
            problems.append(reminder(rel, doc.meta.line_of(date_key) if isinstance(doc.meta, YDict) else 2,
                                     f"文件名的日期 {named.group(1)} 与 date: {v[date_key]} 不一致：网站按 date 排序和归档，"
                                     "请改正其中一个"))
        if kind == "regulation" and v.get("last_review") and v["last_review"] < v["effective"]:
            problems.append(reminder(rel, doc.meta.line_of("last_review") if isinstance(doc.meta, YDict) else 2,
                                     f"上次评估日期 last_review: {v['last_review']} 早于施行日期 effective: {v['effective']}："
                                     "下次评估日期从上次评估算起，会提前到期，请核对这两个日期"))
        if kind == "news":
            pictures = Checker(rel, resolve)
            _check_photos(pictures, root, v)
            problems.extend(pictures.problems)
        if len(doc.body) > spec.SEARCH_PAGE_CHARS:
            problems.append(_long_text(rel, doc.body_line, len(doc.body)))
        out.append(Document(
            id=path.stem, kind=kind, title=v["title"], date=v[date_key],
            meta=tuple(sorted((k, val) for k, val in v.items() if k != "photos")), body=doc.body,
            audience=v.get("audience", DEFAULT_AUDIENCE[kind]), src=Src(rel, 1),
            photos=tuple((Src(rel, v.item_line("photos", i)), photo) for i, photo in enumerate(v.get("photos", ()))),
        ))
    return out


def _evaluation(root: Path, path: Path, problems: list[Problem], fallback: Path) -> Evaluation | None:
    from generator.load.evaluation import check_evaluation

    if not path.exists() and fallback == DEFAULTS_DIR / "evaluation.yml":
        rel = "data/evaluation.yml（内置默认）"
        node = read_yaml(fallback, rel).value
    else:
        path = path if path.exists() else fallback
        node = _read_mapping(root, path, problems, required=True)
        rel = _rel(root, path)
    if node is None:
        return None
    evaluation, found = check_evaluation(node, rel)
    problems.extend(found)
    return evaluation
