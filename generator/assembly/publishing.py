"""Publishing a whole 党委 site at its output folder: anew, or only its changed parts in place.

When the folder holds what the last build put there (a sealed record in the cache says which
parts, under which keys), only the changed parts' entries are exchanged in place; otherwise the
site is made anew beside it and swapped in whole (generator/assembly/output.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from generator.assembly import kept
from generator.assembly.files import SHARED_FILES, copy_into
from generator.assembly.output import update_in_place, write_atomically
from generator.assembly.parts import CLASH, BuildPart, Places, Stats, build_parts, made, others, places
from generator.assembly.planning import Plan
from generator.atomic import atomic_write
from generator.pages.printed import SCREEN_VERSION
from generator.pipeline import SiteResult


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
        whole: list[Stats] = []

        def produce(tmp: Path) -> None:
            whole.append(build_parts(root, result, tmp, build_part, plan, jobs))
            finish(tmp, plan.keys.values())

        _forget(root, result.audience)
        write_atomically(out, produce)
        stats = whole[0]
    _remember(root, result.audience, out, {part: (plan.keys[part], stats.places[part]) for part in plan.keys})
    return stats


def _update(root: Path, result: SiteResult, out: Path, build_part: BuildPart, plan: Plan, jobs: int | None,
            record: Mapping[str, tuple[str, Places]], staging: Path,
            replace: Callable[[Sequence[str], Sequence[str]], None]) -> Stats | None:
    """Replace in `out` the parts whose key is not the one `record` says `out` holds; None when the
    site has other parts than the record (a branch added or removed): it is then made anew."""
    if set(record) != set(plan.keys):
        return None
    where = {part: place for part, (_, place) in record.items()}
    with made(root, result, build_part, plan, jobs, staging) as (done, sources):
        # a part rendered again under the same key is replaced too: its cached files were damaged,
        # and they are the published ones (hard links)
        changed = [part for part in plan.keys if part in done or record[part][0] != plan.keys[part]]
        if not changed:
            return Stats((), others(plan, done), MappingProxyType(where))
        for part in changed:
            where[part] = places(part, copy_into(sources[part], staging, CLASH))
    entries = [entry for part in changed for entry in where[part].entries]
    gone = {entry for part in changed for entry in record[part][1].entries} - set(entries)
    charts = {chart for place in where.values() for chart in place.charts}
    present = set(f"{SHARED_FILES[0]}{name}" for name in _names(out / SHARED_FILES[0]))
    _forget(root, result.audience)  # first: a replacement cut short leaves no record, and the next build starts anew
    replace(entries + sorted({c for part in changed for c in where[part].charts} - present),
            sorted(gone) + sorted(present - charts))
    finish(out, plan.keys.values())
    return Stats(done, others(plan, done), MappingProxyType(where))


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _record(audience: str) -> str:
    return f"{audience}/published"  # beside the audience's parts: what an output folder holds


def _published(root: Path, audience: str, out: Path) -> dict[str, tuple[str, Places]] | None:
    """Each part's key and places in `out`, when the last build of this audience published `out`
    and it is still that folder (not replaced, restored or copied since)."""
    listing = kept.store(root).read(_record(audience))
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
    kept.store(root).write(_record(audience), json.dumps(listing, ensure_ascii=False).encode())


def _forget(root: Path, audience: str) -> None:
    with contextlib.suppress(OSError):
        kept.store(root).path(_record(audience)).unlink()


def finish(out: Path, keys: Iterable[str]) -> None:
    """The last step over a whole site: the big screens' version file, from the parts' keys (the
    same keys make the same bytes; hashing a 党委 site's every file took over a second)."""
    version = hashlib.sha256(json.dumps(sorted(keys)).encode()).hexdigest()
    atomic_write(out / SCREEN_VERSION, json.dumps({"version": version}) + "\n")
