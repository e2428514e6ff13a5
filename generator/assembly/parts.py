"""Rendering a 党委 site's parts in a pool of processes (generator/pool.py), or taking them from the cache.

The parent holds the checked 党委 only (`pipeline.parts_site`): each branch's worker reads and
pages its own branch and hands back its summary, from which the overview is made.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.queues
import os
import queue
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator import pipeline, pool, seal
from generator.assembly import kept
from generator.assembly.files import SHARED_FILES, AssembleError, copy_into, relative_files
from generator.assembly.planning import Plan, settled
from generator.load.validate import read_branch
from generator.pipeline import OVERVIEW, SiteResult

BuildPart = Callable[[Path, SiteResult, Path, str, str], None]  # root, result, folder, part, its 数据版本

CLASH = "两个部分都生成了这个文件：请检查 content/ 里是否有与支部代号同名的文件夹"


@dataclass(frozen=True)
class Places:
    """Where a part's files are in the site: `entries`, each replaced whole when the part changes
    (a branch: its folder; the overview: its top-level files and folders, those in assets/ one by
    one), and the `charts` it shares with other parts."""

    entries: tuple[str, ...]
    charts: tuple[str, ...]


def places(part: str, files: Iterable[str]) -> Places:
    entries, charts = set(), []
    for rel in files:
        if rel.startswith(SHARED_FILES):
            charts.append(rel)
        else:
            first, _, rest = rel.partition("/")
            entries.add(f"{first}/{rest.partition('/')[0]}" if first == "assets" and rest else first)
    return Places(tuple(sorted(entries)), tuple(sorted(charts)))


@dataclass(frozen=True)
class Stats:
    built: tuple[str, ...]  # parts rendered by this build
    reused: tuple[str, ...]  # parts copied from the cache
    places: Mapping[str, Places]  # where each part's files went (see `places`)


@dataclass(frozen=True)
class _Job:
    """What each worker is started with (`pool.executor`'s initargs), and what the parent uses when it
    renders the parts itself."""

    root: Path
    site: SiteResult  # the checked 党委 (`pipeline.parts_site`)
    build_part: BuildPart
    work: Path  # where each part is rendered, in its own folder
    stamps: Mapping[str, str]
    summaries: queue.SimpleQueue | multiprocessing.queues.Queue  # (branch, summary), as soon as each is known


_JOB: _Job | None = None  # in a worker: set once by `_start_worker`, from the arguments it was started with


def _start_worker(job: _Job) -> None:
    global _JOB
    _JOB = job


def _branch_part(part: str) -> SiteResult:
    job = _JOB
    assert job is not None
    branch = read_branch(job.root, part)
    if branch is None:
        raise AssembleError(f"data/branches/{part}: 这个支部的文件在生成途中改动了：请再生成一次")
    return pipeline.branch_part(job.site, branch)


def _summarize(part: str) -> tuple[str, dict]:
    """A branch's summary only: the overview of a shard shows the branches other shards build."""
    return part, _branch_part(part).summaries[part]


def _build_branch(part: str) -> tuple[str, dict]:
    """Read, page and render one branch; its summary goes to the parent before the pages are rendered,
    so that the overview need not wait for them."""
    job = _JOB
    assert job is not None
    result = _branch_part(part)
    summary = result.summaries[part]
    job.summaries.put((part, summary))
    if isinstance(job.summaries, multiprocessing.queues.Queue):
        job.summaries.cancel_join_thread()  # a hint: the future's result says it too, and a worker must not wait to exit
    folder = job.work / kept.folder_name(part)
    job.build_part(job.root, result, folder, part, job.stamps[part])
    for rel in relative_files(folder):  # the run also rendered the overview's pages, for its navigation
        if not rel.startswith((f"{part}/", *SHARED_FILES)):
            (folder / rel).unlink()
    return part, summary


def _build_overview(summaries: Mapping[str, dict]) -> str:
    job = _JOB
    assert job is not None
    job.build_part(job.root, pipeline.overview_part(job.site, summaries), job.work / kept.folder_name(OVERVIEW), OVERVIEW,
                   job.stamps[OVERVIEW])
    return OVERVIEW


def _render(root: Path, site: SiteResult, build_part: BuildPart, work: Path, plan: Plan,
            jobs: int | None) -> tuple[dict[str, Path], dict[str, dict]]:
    """Render into `work` the parts the cache does not hold, in `jobs` processes (default: every core),
    and check the held ones' files meanwhile (a damaged one is rendered too). The overview starts as
    soon as every branch's summary is known. Returns the reused parts' folders and the rendered
    branches' summaries."""
    global _JOB
    missing = [part for part in plan.keys if part not in plan.held]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(missing) or 1))
    # the workers are given the checked 党委 when they start, and tell their summaries on the channel
    job = _Job(root, site, build_part, work, plan.stamps, pool.channel(jobs > 1))
    _JOB = job  # the parent's own: the serial path renders here, and the loop below reads the channel
    executor = pool.executor(jobs, _start_worker, (job,)) if jobs > 1 else None
    futures: list[Future] = []

    def start(task: Callable[[str], tuple[str, dict]], parts: Iterable[str]) -> None:
        if executor is not None:
            futures.extend(executor.submit(task, part) for part in parts)

    try:
        start(_build_branch, [part for part in missing if part != OVERVIEW])
        reused = {part: folder for part, (folder, stored) in plan.held.items() if kept.intact(folder, stored)}
        missing = [part for part in plan.keys if part not in reused]
        start(_build_branch, [part for part in plan.held if part not in reused and part != OVERVIEW])
        branches = [part for part in missing if part != OVERVIEW]
        known = {part: kept.summary_of(folder) for part, folder in reused.items() if part != OVERVIEW}
        # the overview of one shard of several sums up the others' branches too
        others = ([part for part in site.project.branch_ids if part not in known and part not in branches]
                  if OVERVIEW in missing else [])
        start(_summarize, others)
        found: dict[str, dict] = {}
        if executor is None:
            found.update(_build_branch(part) for part in branches)
            found.update(_summarize(part) for part in others)
        while len(found) < len(branches) + len(others):
            with contextlib.suppress(queue.Empty):
                part, summary = job.summaries.get(timeout=0.05)
                found[part] = summary
            found.update(future.result() for future in futures if future.done())  # a worker's error is raised here
        if OVERVIEW in missing:
            if executor is None:
                _build_overview({**known, **found})
            else:
                futures.append(executor.submit(_build_overview, {**known, **found}))
        for future in futures:
            future.result()
    except BaseException:
        for future in futures:  # the pool would otherwise render every other part before it stops
            future.cancel()
        raise
    finally:
        if executor is not None:
            executor.shutdown()
        _JOB = None
    return reused, {part: found[part] for part in branches}


def build_parts(root: Path, result: SiteResult, out: Path, build_part: BuildPart, plan: Plan,
                jobs: int | None = None) -> Stats:
    """Build the parts of `plan` into the empty folder `out`: the reused ones from the cache, the
    rest in `jobs` processes (default: every core). `result` is the checked 党委 (`pipeline.parts_site`)."""
    out.mkdir(parents=True, exist_ok=True)
    with made(root, result, build_part, plan, jobs, out.parent) as (done, sources):
        where = {part: places(part, copy_into(sources[part], out, CLASH)) for part in plan.keys}
    return Stats(done, others(plan, done), MappingProxyType(where))


def others(plan: Plan, done: Sequence[str]) -> tuple[str, ...]:
    """The parts a build reused: all but those it rendered."""
    return tuple(part for part in plan.keys if part not in done)


@contextlib.contextmanager
def made(root: Path, result: SiteResult, build_part: BuildPart, plan: Plan, jobs: int | None,
         beside: Path) -> Iterator[tuple[tuple[str, ...], dict[str, Path]]]:
    """The parts this build renders (kept in the cache as they come), and each part's folder:
    rendered in a work folder beside `beside`'s children, or reused from the cache."""
    # hidden, and git-ignored with the rest of .dangjian-*, should a killed build leave it behind
    with tempfile.TemporaryDirectory(prefix=".dangjian-parts-", dir=beside) as tmp:
        work = Path(tmp)
        reused, summaries = _render(root, result, build_part, work, plan, jobs)
        done = tuple(part for part in plan.keys if part not in reused)
        for part in settled(root, plan, done) if done and seal.enabled() else ():
            kept.keep(root, result.audience, part, plan.keys[part], work / kept.folder_name(part), summaries.get(part))
        sources = {part: work / kept.folder_name(part) for part in done}
        sources.update({part: folder / "site" for part, folder in reused.items()})
        yield done, sources
