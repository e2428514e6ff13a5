"""The files of a site's parts: listed, fingerprinted and linked together into one site."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

SHARED_FILES = ("assets/charts/",)  # more than one part may write these: the same bytes under the same name


class AssembleError(Exception):
    """Shards that do not make one site; the message is Chinese and says what to do."""


def relative_files(folder: Path) -> list[str]:
    """Every file under `folder` as a sorted relative posix path (os.walk: a 党委 site has tens of
    thousands, and sorting Path objects alone took a second)."""
    found: list[str] = []
    top = str(folder)
    for directory, _, names in os.walk(top):
        rel = directory[len(top) + 1:]
        prefix = rel.replace(os.sep, "/") + "/" if rel else ""
        found.extend(prefix + name for name in names)
    return sorted(found)


def tree(folder: Path) -> list[Path]:
    return [folder / rel for rel in relative_files(folder)]


def manifest_of(folder: Path, files: Iterable[str]) -> dict[str, str]:
    return {rel: hashlib.sha256((folder / rel).read_bytes()).hexdigest() for rel in files}


def signatures(folder: Path, files: Iterable[str]) -> dict[str, list[int]]:
    """Each file's inode, size and modification time: a file written, replaced or restored from
    elsewhere (a CI cache, a checkout) has another, and only then are its bytes hashed again."""
    top = str(folder)
    return {rel: [(st := os.stat(f"{top}/{rel}")).st_ino, st.st_size, st.st_mtime_ns] for rel in files}


def copy_into(source: Path, target: Path, clash: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every file of `source` into `target`, which are returned; a file already there is a clash,
    unless it is a chart."""
    made: set[Path] = set()
    files = [rel for rel in relative_files(source) if rel not in skip]
    for rel in files:
        path, dest = source / rel, target / rel
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        try:
            link_or_copy(path, dest)
        except FileExistsError:
            if rel.startswith(SHARED_FILES) and dest.read_bytes() == path.read_bytes():
                continue
            raise AssembleError(f"{rel}: {clash}") from None
    return files


def link_or_copy(source, target) -> None:
    """A hard link where both are on one file system (a cached part is never written in place), else a
    copy; FileExistsError when `target` is there already."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        with open(source, "rb") as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst)
