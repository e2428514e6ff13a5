"""A 党委 site built in parts: in parallel, reused when unchanged, or shared out across CI runners.

A part is one run of the site engine (`build_part(root, result, folder, part)`, passed in,
so that this module knows nothing of mkdocs):

- the overview (`OVERVIEW`): the 党委 pages, content/ and the theme's files, its search
  index, sitemap and 404 page; it shows the branches' summaries only, no person;
- a branch (its id): the branch's folder with its own search index, and its charts.

Parts never write the same file, except charts, which are named by their content. The
site is the union of its parts plus `screen/version.json`, written last from the parts' keys.

`build_parts` builds the parts it is given in a pool of processes (generator/pool.py). The parent holds the
checked 党委 only (`pipeline.parts_site`): each branch's worker reads and pages its own branch
and hands back its summary, from which the overview is made. It keeps each part in `.dangjian-cache/sites/`
under a key of everything it is made from; a later build with one branch changed copies
the others back. `publish` puts a whole site at its output folder: when the folder holds what
the last build put there (a sealed record in the cache says which parts, under which keys), only
the changed parts' entries are exchanged in place; otherwise the site is made anew beside it and
swapped in whole (generator/site/output.py). A shard (`--shard I/N`) builds a fixed share of the parts and leaves a
manifest; `merge` checks that the shards fit together and assembles them, byte for byte
the site a single machine builds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import multiprocessing.queues
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator import bundled, environment, pipeline, pool, seal
from generator.atomic import atomic_write, exclusive
from generator.load.validate import read_branch
from generator.model.records import Project
from generator.pages.printed import SCREEN_VERSION
from generator.pipeline import SiteResult
from generator.site.output import update_in_place, write_atomically

OVERVIEW = ""  # the part of the 党委's own pages (the site engine's adapter names it by this too)
MANIFEST = ".dangjian-shard.json"
SUMMARY = "summary.json"  # beside a cached branch: what the overview shows of it
CACHE = Path(".dangjian-cache") / "sites"
_PACKAGE = Path(__file__).resolve().parent
_SHARED_FILES = ("assets/charts/",)  # more than one part may write these: the same bytes under the same name

BuildPart = Callable[[Path, SiteResult, Path, str, str], None]  # root, result, folder, part, its 数据版本


class AssembleError(Exception):
    """Shards that do not make one site; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Stats:
    built: tuple[str, ...]  # parts rendered by this build
    reused: tuple[str, ...]  # parts copied from the cache
    places: Mapping[str, Places]  # where each part's files went (see `_places`)


def part_names(project: Project) -> tuple[str, ...]:
    """The overview first, then every branch in id order."""
    return (OVERVIEW, *project.branch_ids)


def parse_shard(text: str) -> tuple[int, int] | None:
    """"2/3" -> (2, 3): the second of three shards; None when malformed."""
    index, _, count = text.partition("/")
    if not (index.strip().isdigit() and count.strip().isdigit()):
        return None
    i, n = int(index), int(count)
    return (i, n) if 1 <= i <= n else None


def shard_of(names: Sequence[str], index: int, count: int) -> tuple[str, ...]:
    """The parts shard `index` of `count` builds: every count-th in id order (the overview is in shard 1)."""
    return tuple(names[index - 1::count])


# -- what a part is made of ---------------------------------------------------------------

def _files(folder: Path) -> list[str]:
    """Every file under `folder` as a sorted relative posix path (os.walk: a 党委 site has tens of
    thousands, and sorting Path objects alone took a second)."""
    found: list[str] = []
    top = str(folder)
    for directory, _, names in os.walk(top):
        rel = directory[len(top) + 1:]
        prefix = rel.replace(os.sep, "/") + "/" if rel else ""
        found.extend(prefix + name for name in names)
    return sorted(found)


def _tree(folder: Path) -> list[Path]:
    return [folder / rel for rel in _files(folder)]


def _engine_digest() -> bytes:
    """This package's code and templates and the site engine's versions: a change rebuilds every part."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(seal.package_digest())
    theme = [] if bundled.THEME.is_relative_to(_PACKAGE) else _tree(bundled.THEME)  # inside the package once installed
    for path in theme:
        if path.suffix in (".py", ".html", ".css", ".js", ".yml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(bundled.THEME.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "nh3", "pillow", "fonttools"):
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=\0".encode())
    h.update(sys.version.encode())
    from generator.tools import fonts  # the overview carries the print font made from the installed one

    for source in fonts.find_sources():
        st = source.path.stat()
        h.update(f"{source.path}\0{source.index}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.digest()


def _digests(root: Path) -> dict[str, bytes]:
    """The sha256 of every file a part may be made of: mkdocs.yml, theme/, content/, data/.

    A file whose inode, size and modification time are those of the last build keeps its digest
    (`.dangjian-cache/digests`, sealed): a 党委's six thousand files are stat'ed, not read.
    """
    rels = [rel for rel in ("mkdocs.yml",) if (root / rel).is_file()]
    for top in ("theme", "content", "data"):
        rels += [f"{top}/{rel}" for rel in _files(root / top)]
    known = _known_digests(root)
    racy = time.time_ns() - 2_000_000_000  # written this recently, a file may change again within its mtime's tick
    out, keep = {}, {}
    for rel, signature in _signatures(root, rels).items():
        entry = known.get(rel)
        digest = (bytes.fromhex(entry[3]) if entry and entry[:3] == signature
                  else hashlib.sha256((root / rel).read_bytes()).digest())
        out[rel] = digest
        if signature[2] < racy:  # its mtime
            keep[rel] = [*signature, digest.hex()]
    if keep != known:
        _store_digests(root, keep)
    return out


_DIGESTS = Path(".dangjian-cache") / "digests"


def _known_digests(root: Path) -> dict[str, list]:
    listing = seal.read(root / _DIGESTS, "input-digests")
    return json.loads(listing) if listing is not None else {}


def _store_digests(root: Path, digests: dict[str, list]) -> None:
    seal.write(root / _DIGESTS, "input-digests", json.dumps(digests, sort_keys=True).encode())


def _inputs_of(part: str, rel: str) -> bool:
    """Whether a part's bytes depend on the file `rel`: the overview sums up every branch."""
    return part == OVERVIEW or _owner(rel) in (None, part)


def _owner(rel: str) -> str | None:
    """The branch whose part alone (with the overview) reads the file `rel`; None for a file that every
    part reads (mkdocs.yml, theme/, content/, data/*.yml), OVERVIEW for one that only the overview reads."""
    if not rel.startswith("data/") or rel.count("/") == 1:
        return None
    folders = rel.split("/")
    return folders[2] if folders[1] == "branches" and len(folders) > 3 else OVERVIEW


def _inputs(files: Iterable[str], parts: Iterable[str]) -> dict[str, list[str]]:
    """Each part's input files, sorted: sorted once, and shared out in one pass (a 党委 has thousands
    of files and tens of parts)."""
    every = sorted(files)
    common: list[str] = []
    own: dict[str, list[str]] = {}
    for rel in every:
        owner = _owner(rel)
        if owner is None:
            common.append(rel)
        else:
            own.setdefault(owner, []).append(rel)
    return {part: every if part == OVERVIEW else sorted(common + own.get(part, [])) for part in parts}


_ENV_TAG = re.compile(r"!ENV\s+(\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_]*)")


def _settings_environment(root: Path) -> list[list]:
    """The environment variables mkdocs.yml reads (`!ENV NAME`, `!ENV [NAME, OTHER, default]`) and
    their values: every part's bytes depend on them as on the file itself."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return []
    names: set[str] = set()
    for tag in _ENV_TAG.findall(text):
        names.update(name.strip().strip("'\"") for name in tag.strip("[]").split(","))  # a default too: harmless
    return [[name, os.environ.get(name)] for name in sorted(names)]


@dataclass(frozen=True)
class Plan:
    """Each part's key, and where the parts whose key is unchanged were kept."""

    keys: Mapping[str, str]
    # the cache's parts sealed under these keys, and their sealed listings: their files are checked as the others render
    held: Mapping[str, tuple[Path, dict]]
    code: str  # the digest of the code and the site engine that made the keys
    stamps: Mapping[str, str]  # each part's 数据版本 (see `part_stamps`)
    head: str  # the data's commit: shards of one site must share it
    files: Mapping[str, bytes]  # the digest of every input file the keys were made from


def part_stamps(root: Path, parts: Sequence[str], head: str) -> dict[str, str]:
    """Each part's 数据版本 for its footers: the newest commit that changed one of its inputs.

    A branch nobody touched keeps its stamp across commits, so its pages keep their bytes and the
    cache serves it in the next CI run too. Without git (or history) every part gets `head`.
    """
    stamps = dict.fromkeys(parts, head)
    if not head:
        return stamps
    open_parts = set(parts)
    found: dict[str, str] = {}
    try:
        # newest first, read as it comes: a long history is read only as far back as the oldest part needs
        with subprocess.Popen(["git", "-C", str(root), "-c", "core.quotePath=false", "log", "--format=%x00%h", "--name-only", "--relative", "--",
                               "mkdocs.yml", "theme", "content", "data"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, encoding="utf-8", errors="replace") as log:
            commit = ""
            for line in log.stdout or ():
                line = line.strip()
                if line.startswith("\0"):
                    commit = line[1:]
                elif line and commit:
                    for part in [p for p in open_parts if _inputs_of(p, line)]:
                        found[part] = commit
                        open_parts.discard(part)
                    if not open_parts:
                        log.kill()
                        break
    except OSError:
        return stamps
    # (a shallow clone's oldest commit lists every file: it stamps what no later commit touched;
    # a part whose files were never committed is stamped with the head)
    return {part: found.get(part, head) for part in parts}


def plan(root: Path, parts: Iterable[str], as_of: dt.date, audience: str, head: str) -> Plan:
    """The key of each part: a digest of everything its bytes depend on (the site's settings, theme
    and content/, the data it shows, the as-of date, the audience, its 数据版本 printed in every
    footer, and the code), and which parts the cache holds under that key. `head` is the data's commit."""
    engine = _engine_digest()
    files = _digests(root)
    parts = tuple(parts)
    stamps = part_stamps(root, parts, head)
    settings = _settings_environment(root)
    keys = {}
    for part, inputs in _inputs(files, parts).items():
        h = hashlib.sha256(engine)
        h.update(json.dumps([part, as_of.isoformat(), audience, stamps[part], settings]).encode())
        for rel in inputs:
            h.update(rel.encode() + b"\0" + files[rel])
        keys[part] = h.hexdigest()
    held = {part: found for part, key in keys.items() if (found := _held(root, audience, part, key)) is not None}
    return Plan(MappingProxyType(keys), MappingProxyType(held), engine.hex(), MappingProxyType(stamps), head,
                MappingProxyType(files))


def _settled(root: Path, plan: Plan, parts: Iterable[str]) -> list[str]:
    """The `parts` none of whose input files changed since `plan` was made. A part whose files were
    edited while it was built (a save during `serve`) may show either version: it is published,
    as the next build replaces it, but not kept under a key that names the other."""
    now = _digests(root)
    changed = [rel for rel in now.keys() | plan.files.keys() if now.get(rel) != plan.files.get(rel)]
    return [part for part in parts if not any(_inputs_of(part, rel) for rel in changed)]


# -- the cache of built parts ---------------------------------------------------------------

def _folder(part: str) -> str:
    """A part's folder name in the work folder and the cache."""
    return part or "_overview"


def _cache_dir(root: Path, audience: str, part: str) -> Path:
    """One entry per audience and part: the three versions a CI builds do not push each other out."""
    return root / CACHE / audience / _folder(part)


def _manifest_of(folder: Path, files: Iterable[str]) -> dict[str, str]:
    return {rel: hashlib.sha256((folder / rel).read_bytes()).hexdigest() for rel in files}


def _signatures(folder: Path, files: Iterable[str]) -> dict[str, list[int]]:
    """Each file's inode, size and modification time: a file written, replaced or restored from
    elsewhere (a CI cache, a checkout) has another, and only then are its bytes hashed again."""
    top = str(folder)
    return {rel: [(st := os.stat(f"{top}/{rel}")).st_ino, st.st_size, st.st_mtime_ns] for rel in files}


def _store(root: Path, audience: str, part: str, key: str, built: Path, summary: dict | None) -> None:
    """Keep a built part (and a branch's summary) under its key, sealed: a planted page is never published.
    The cache is a help, not a need: a part that cannot be kept is built again next time."""
    if environment.cache_disabled() or not seal.available():
        return
    try:
        _keep(_cache_dir(root, audience, part), audience, part, key, built, summary)
    except OSError:
        pass


def _keep(target: Path, audience: str, part: str, key: str, built: Path, summary: dict | None) -> None:
    fresh = target.with_name(target.name + f".new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(built, fresh / "site", copy_function=_link_or_copy)
    if summary is not None:
        (fresh / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    files = _files(fresh)
    listing = json.dumps({"key": key, "files": _manifest_of(fresh, files), "stat": _signatures(fresh, files)},
                         sort_keys=True).encode()
    (fresh / "manifest").write_bytes(seal.seal(listing, f"site-part:{audience}:{part}"))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(fresh, target)


def _held(root: Path, audience: str, part: str, key: str) -> tuple[Path, dict] | None:
    """The cached part's folder and its sealed listing, when it was stored under `key` (its files are
    checked by `_intact`)."""
    if environment.cache_disabled() or not seal.available():
        return None
    folder = _cache_dir(root, audience, part)
    try:
        listing = seal.unseal((folder / "manifest").read_bytes(), f"site-part:{audience}:{part}")
    except OSError:
        return None
    stored = json.loads(listing) if listing is not None else None
    return (folder, stored) if stored is not None and stored.get("key") == key else None


def _intact(folder: Path, stored: dict) -> bool:
    """Whether every file of a cached part is as its sealed listing says: by inode, size and time, else
    by its bytes (walking and stat'ing a 1,200-member 党委's 13,000 files takes half a second)."""
    try:
        files = [rel for rel in _files(folder) if rel != "manifest"]
        return _signatures(folder, files) == stored.get("stat") or _manifest_of(folder, files) == stored.get("files")
    except OSError:
        return False


# -- building -------------------------------------------------------------------------------

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
    folder = job.work / _folder(part)
    job.build_part(job.root, result, folder, part, job.stamps[part])
    for rel in _files(folder):  # the run also rendered the overview's pages, for its navigation
        if not rel.startswith((f"{part}/", *_SHARED_FILES)):
            (folder / rel).unlink()
    return part, summary


def _build_overview(summaries: Mapping[str, dict]) -> str:
    job = _JOB
    assert job is not None
    job.build_part(job.root, pipeline.overview_part(job.site, summaries), job.work / _folder(OVERVIEW), OVERVIEW,
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
        reused = {part: folder for part, (folder, stored) in plan.held.items() if _intact(folder, stored)}
        missing = [part for part in plan.keys if part not in reused]
        start(_build_branch, [part for part in plan.held if part not in reused and part != OVERVIEW])
        branches = [part for part in missing if part != OVERVIEW]
        known = {part: json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
                 for part, folder in reused.items() if part != OVERVIEW}
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


def _copy_into(source: Path, target: Path, clash: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every file of `source` into `target`, which are returned; a file already there is a clash,
    unless it is a chart."""
    made: set[Path] = set()
    files = [rel for rel in _files(source) if rel not in skip]
    for rel in files:
        path, dest = source / rel, target / rel
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        try:
            _link_or_copy(path, dest)
        except FileExistsError:
            if rel.startswith(_SHARED_FILES) and dest.read_bytes() == path.read_bytes():
                continue
            raise AssembleError(f"{rel}: {clash}") from None
    return files


def _link_or_copy(source, target) -> None:
    """A hard link where both are on one file system (a cached part is never written in place), else a
    copy; FileExistsError when `target` is there already."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        with open(source, "rb") as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst)


_CLASH = "两个部分都生成了这个文件：请检查 content/ 里是否有与支部代号同名的文件夹"


def build_parts(root: Path, result: SiteResult, out: Path, build_part: BuildPart, plan: Plan,
                jobs: int | None = None) -> Stats:
    """Build the parts of `plan` into the empty folder `out`: the reused ones from the cache, the
    rest in `jobs` processes (default: every core). `result` is the checked 党委 (`pipeline.parts_site`)."""
    out.mkdir(parents=True, exist_ok=True)
    with _made(root, result, build_part, plan, jobs, out.parent) as (done, sources):
        places = {part: _places(part, _copy_into(sources[part], out, _CLASH)) for part in plan.keys}
    return Stats(done, _others(plan, done), MappingProxyType(places))


def _others(plan: Plan, done: Sequence[str]) -> tuple[str, ...]:
    """The parts a build reused: all but those it rendered."""
    return tuple(part for part in plan.keys if part not in done)


@contextlib.contextmanager
def _made(root: Path, result: SiteResult, build_part: BuildPart, plan: Plan, jobs: int | None,
          beside: Path) -> Iterator[tuple[tuple[str, ...], dict[str, Path]]]:
    """The parts this build renders (kept in the cache as they come), and each part's folder:
    rendered in a work folder beside `beside`'s children, or reused from the cache."""
    # hidden, and git-ignored with the rest of .dangjian-*, should a killed build leave it behind
    with tempfile.TemporaryDirectory(prefix=".dangjian-parts-", dir=beside) as tmp:
        work = Path(tmp)
        reused, summaries = _render(root, result, build_part, work, plan, jobs)
        done = tuple(part for part in plan.keys if part not in reused)
        for part in _settled(root, plan, done) if done and not environment.cache_disabled() else ():
            _store(root, result.audience, part, plan.keys[part], work / _folder(part), summaries.get(part))
        sources = {part: work / _folder(part) for part in done}
        sources.update({part: folder / "site" for part, folder in reused.items()})
        yield done, sources


# -- publishing a whole site: anew, or in place ---------------------------------------------

@dataclass(frozen=True)
class Places:
    """Where a part's files are in the site: `entries`, each replaced whole when the part changes
    (a branch: its folder; the overview: its top-level files and folders, those in assets/ one by
    one), and the `charts` it shares with other parts."""

    entries: tuple[str, ...]
    charts: tuple[str, ...]


def _places(part: str, files: Iterable[str]) -> Places:
    entries, charts = set(), []
    for rel in files:
        if rel.startswith(_SHARED_FILES):
            charts.append(rel)
        else:
            first, _, rest = rel.partition("/")
            entries.add(f"{first}/{rest.partition('/')[0]}" if first == "assets" and rest else first)
    return Places(tuple(sorted(entries)), tuple(sorted(charts)))


def publish(root: Path, result: SiteResult, out: Path, build_part: BuildPart, plan: Plan,
            jobs: int | None = None) -> Stats:
    """The whole site of `plan` at `out`. When `out` holds what the last build published there, only
    the parts that changed are replaced, in place (a 党委's site is tens of thousands of files:
    linking them all into a new folder took seconds); otherwise the site is made anew and swapped in
    whole. Either way `out` ends up byte for byte the same."""
    out = out.resolve()
    stats = None
    if out.is_dir() and (record := _published(root, result.audience, out)) is not None:
        stats = update_in_place(out, functools.partial(_update, root, result, out, build_part, plan, jobs, record))
    if stats is None:
        made: list[Stats] = []

        def produce(tmp: Path) -> None:
            made.append(build_parts(root, result, tmp, build_part, plan, jobs))
            finish(tmp, plan.keys.values())

        _forget(root, result.audience)
        write_atomically(out, produce)
        stats = made[0]
    _remember(root, result.audience, out, {part: (plan.keys[part], stats.places[part]) for part in plan.keys})
    return stats


def _update(root: Path, result: SiteResult, out: Path, build_part: BuildPart, plan: Plan, jobs: int | None,
            record: Mapping[str, tuple[str, Places]], staging: Path,
            replace: Callable[[Sequence[str], Sequence[str]], None]) -> Stats | None:
    """Replace in `out` the parts whose key is not the one `record` says `out` holds; None when the
    site has other parts than the record (a branch added or removed): it is then made anew."""
    if set(record) != set(plan.keys):
        return None
    places = {part: place for part, (_, place) in record.items()}
    with _made(root, result, build_part, plan, jobs, staging) as (done, sources):
        # a part rendered again under the same key is replaced too: its cached files were damaged,
        # and they are the published ones (hard links)
        changed = [part for part in plan.keys if part in done or record[part][0] != plan.keys[part]]
        if not changed:
            return Stats((), _others(plan, done), MappingProxyType(places))
        for part in changed:
            places[part] = _places(part, _copy_into(sources[part], staging, _CLASH))
    entries = [entry for part in changed for entry in places[part].entries]
    gone = {entry for part in changed for entry in record[part][1].entries} - set(entries)
    charts = {chart for place in places.values() for chart in place.charts}
    present = set(f"{_SHARED_FILES[0]}{name}" for name in _names(out / _SHARED_FILES[0]))
    _forget(root, result.audience)  # first: a replacement cut short leaves no record, and the next build starts anew
    replace(entries + sorted({c for part in changed for c in places[part].charts} - present),
            sorted(gone) + sorted(present - charts))
    finish(out, plan.keys.values())
    return Stats(done, _others(plan, done), MappingProxyType(places))


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


_RECORD = "published"  # beside the audience's parts: what an output folder holds


def _published(root: Path, audience: str, out: Path) -> dict[str, tuple[str, Places]] | None:
    """Each part's key and places in `out`, when the last build of this audience published `out`
    and it is still that folder (not replaced, restored or copied since)."""
    listing = seal.read(root / CACHE / audience / _RECORD, f"published:{audience}")
    if listing is None:
        return None
    try:
        st = out.stat()
    except OSError:
        return None
    record = json.loads(listing)
    if record["out"] != [str(out), st.st_dev, st.st_ino]:
        return None
    return {part: (key, Places(tuple(entries), tuple(charts))) for part, (key, entries, charts) in record["parts"].items()}


def _remember(root: Path, audience: str, out: Path, parts: Mapping[str, tuple[str, Places]]) -> None:
    """Without the record (caching off, a read-only project) the next build makes the whole site anew."""
    st = out.stat()
    listing = {"out": [str(out), st.st_dev, st.st_ino],
               "parts": {part: [key, list(p.entries), list(p.charts)] for part, (key, p) in parts.items()}}
    seal.write(root / CACHE / audience / _RECORD, f"published:{audience}", json.dumps(listing, ensure_ascii=False).encode())


def _forget(root: Path, audience: str) -> None:
    with contextlib.suppress(OSError):
        (root / CACHE / audience / _RECORD).unlink()


def locked(root: Path):
    """Builds of one project take turns with its part cache: none reads an entry another replaces."""
    folder = root / CACHE
    folder.mkdir(parents=True, exist_ok=True)
    return exclusive(folder, "另一个 dangjian 命令正在生成这个党委项目：等它完成后再继续……")


def finish(out: Path, keys: Iterable[str]) -> None:
    """The last step over a whole site: the big screens' version file, from the parts' keys (the
    same keys make the same bytes; hashing a 党委 site's every file took over a second)."""
    version = hashlib.sha256(json.dumps(sorted(keys)).encode()).hexdigest()
    atomic_write(out / SCREEN_VERSION, json.dumps({"version": version}) + "\n")


# -- shards -----------------------------------------------------------------------------------

_FIELDS = {"shard": list, "parts": list, "keys": list, "all": list, "as_of": str, "audience": str, "stamp": str,
           "code": str}


def write_manifest(out: Path, result: SiteResult, shard: tuple[int, int], plan: Plan) -> None:
    manifest = {
        "shard": list(shard), "parts": list(plan.keys), "keys": list(plan.keys.values()),
        "all": list(part_names(result.project)),
        "as_of": result.as_of.isoformat(), "audience": result.audience, "stamp": plan.head, "code": plan.code,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def merge(shards: Sequence[Path], out: Path) -> dict:
    """Assemble the shards' folders into `out` (empty); returns the common manifest."""
    manifests = []
    for folder in shards:
        try:
            m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise AssembleError(f"{folder}: 不是 dangjian build --shard 生成的文件夹（缺少 {MANIFEST}）") from None
        if not isinstance(m, dict) or any(not isinstance(m.get(k), t) for k, t in _FIELDS.items()):
            raise AssembleError(f"{folder}/{MANIFEST}: 内容不完整：请重新生成这个分片")
        manifests.append((folder, m))
    first_folder, first = manifests[0]
    for folder, m in manifests[1:]:
        for field, what in (("all", "支部"), ("as_of", "数据截至日期"), ("audience", "面向的读者"), ("stamp", "数据版本"),
                            ("code", "程序版本")):
            if m[field] != first[field]:
                raise AssembleError(f"{folder}: 与 {first_folder} 的{what}不同：各分片要用同一份数据、同样的 --as-of 和 --audience 生成")
    counts = {part: 0 for part in first["all"]}
    for folder, m in manifests:
        for part in m["parts"]:
            if part not in counts:
                raise AssembleError(f"{folder}: 分片里的“{part}”不是这个党委的支部：请检查分片是否来自同一个项目")
            counts[part] += 1
    missing = [p or "党委总览" for p, n in counts.items() if n == 0]
    twice = [p or "党委总览" for p, n in counts.items() if n > 1]
    if missing:
        raise AssembleError(f"缺少这些部分：{'、'.join(missing)}：请把所有分片（1/N 到 N/N）的文件夹都交给 --merge")
    if twice:
        raise AssembleError(f"这些部分出现在不止一个分片里：{'、'.join(twice)}：每个分片只给一次")
    out.mkdir(parents=True, exist_ok=True)
    for folder, _ in manifests:
        _copy_into(folder, out, "两个分片都有这个文件：请检查分片是否来自同一次生成", skip=(MANIFEST, SCREEN_VERSION))
    finish(out, [key for _, m in manifests for key in m["keys"]])
    return first
