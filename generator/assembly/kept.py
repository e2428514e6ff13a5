"""The cache of built parts: one entry per audience and part, under the key it was built for.

An entry is the part's folder (`site/`), a branch's summary for the overview, and a sealed
listing of its files with the part's key: a planted or damaged page is never published.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from generator import seal
from generator.assembly.files import link_or_copy, manifest_of, relative_files, signatures
from generator.atomic import exclusive

SUMMARY = "summary.json"  # beside a cached branch: what the overview shows of it
_LISTING = "manifest"


def store(root: Path) -> seal.Store:
    return seal.Store(root, "sites")


def folder_name(part: str) -> str:
    """A part's folder name in the work folder and the cache."""
    return part or "_overview"


def _entry(audience: str, part: str) -> str:
    """One entry per audience and part: the three versions a CI builds do not push each other out."""
    return f"{audience}/{folder_name(part)}"


def keep(root: Path, audience: str, part: str, key: str, built: Path, summary: dict | None) -> None:
    """Keep a built part (and a branch's summary) under its key, sealed: a planted page is never published.
    The cache is a help, not a need: a part that cannot be kept is built again next time."""
    if not seal.enabled():
        return
    try:
        _keep(store(root), _entry(audience, part), key, built, summary)
    except OSError:
        pass


def _keep(kept: seal.Store, entry: str, key: str, built: Path, summary: dict | None) -> None:
    target = kept.path(entry)
    fresh = target.with_name(target.name + f".new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(built, fresh / "site", copy_function=link_or_copy)
    if summary is not None:
        (fresh / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    files = relative_files(fresh)
    listing = json.dumps({"key": key, "files": manifest_of(fresh, files), "stat": signatures(fresh, files)},
                         sort_keys=True).encode()
    (fresh / _LISTING).write_bytes(kept.sealed(f"{entry}/{_LISTING}", listing))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(fresh, target)


def held(root: Path, audience: str, part: str, key: str) -> tuple[Path, dict] | None:
    """The cached part's folder and its sealed listing, when it was stored under `key` (its files are
    checked by `intact`)."""
    if not seal.enabled():
        return None
    kept, entry = store(root), _entry(audience, part)
    folder = kept.path(entry)
    try:
        listing = kept.unsealed(f"{entry}/{_LISTING}", (folder / _LISTING).read_bytes())
    except OSError:
        return None
    stored = json.loads(listing) if listing is not None else None
    return (folder, stored) if stored is not None and stored.get("key") == key else None


def intact(folder: Path, stored: dict) -> bool:
    """Whether every file of a cached part is as its sealed listing says: by inode, size and time, else
    by its bytes (walking and stat'ing a 1,200-member 党委's 13,000 files takes half a second)."""
    try:
        files = [rel for rel in relative_files(folder) if rel != _LISTING]
        return signatures(folder, files) == stored.get("stat") or manifest_of(folder, files) == stored.get("files")
    except OSError:
        return False


def summary_of(folder: Path) -> dict:
    """A kept branch's summary (see `keep`)."""
    return json.loads((folder / SUMMARY).read_text(encoding="utf-8"))


def locked(root: Path):
    """Builds of one project take turns with its part cache: none reads an entry another replaces."""
    folder = store(root).folder
    folder.mkdir(parents=True, exist_ok=True)
    return exclusive(folder, "另一个 dangjian 命令正在生成这个党委项目：等它完成后再继续……")
