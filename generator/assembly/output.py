"""Writing an output folder all at once: build beside it, then swap.

A build that fails, or is killed, never touches the previous output: the new site is
built in a hidden sibling folder and exchanged with the old one in a single step
(renameat2 RENAME_EXCHANGE on Linux; two renames elsewhere). Hidden
leftovers of a killed build are removed by the next build. Two builds into one parent
folder take turns (an advisory lock on that folder): neither deletes the other's
half-built site.

`update_in_place` is the other way for a site made of parts (a 党委's, generator/assembly/publishing.py):
the few entries a build changed are made beside the site and exchanged with their old
selves one at a time. Between two exchanges (milliseconds) a reader may see a new part
beside an old one, never a half-written file or a missing page.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from generator.atomic import exclusive

_PREFIX = ".dangjian-"
T = TypeVar("T")


def _stale(out: Path) -> Iterator[Path]:
    parent = out.parent
    if parent.is_dir():
        for p in parent.iterdir():
            if p.name.startswith(f"{_PREFIX}{out.name}."):
                yield p


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):  # Windows and macOS: no renameat2 (and no CDLL(None) on Windows)
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def write_atomically(out: Path, produce: Callable[[Path], None]) -> None:
    """Call `produce(tmp)` to fill a fresh folder, then put it at `out` in one rename.

    If `produce` raises, `out` is left exactly as it was and the folder is removed.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _turn(out):
        _write(out, produce)


def _turn(out: Path):
    return exclusive(out.parent, f"另一个 dangjian 命令正在“{out.parent}”里生成网站：等它完成后再继续……")


def _clear(out: Path) -> None:
    for old in sorted(_stale(out)):
        if ".previous-" in old.name and not out.exists():
            os.rename(old, out)  # a build killed mid-swap: the old site comes back
        else:
            shutil.rmtree(old, ignore_errors=True)


def _write(out: Path, produce: Callable[[Path], None]) -> None:
    _clear(out)
    tmp = out.parent / f"{_PREFIX}{out.name}.building-{os.getpid()}"
    try:
        produce(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = out.parent / f"{_PREFIX}{out.name}.previous-{os.getpid()}"
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old site
        return
    if out.exists():
        os.rename(out, previous)
    try:
        os.rename(tmp, out)
    except BaseException:
        if previous.exists():
            os.rename(previous, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(previous)


def update_in_place(out: Path, update: Callable[[Path, Callable[[Sequence[str], Sequence[str]], None]], T]) -> T:
    """Call `update(staging, replace)`: `staging` is an empty folder beside `out` (on its file system),
    and `replace(names, gone)` puts each `staging/name` (a relative path: a file or a folder) at
    `out/name`, one exchange at a time, and takes each `out/name` in `gone` away. Whatever was
    replaced or taken away is deleted with `staging` afterwards; `out` must exist."""
    out = out.resolve()
    with _turn(out):
        _clear(out)
        staging = out.parent / f"{_PREFIX}{out.name}.staging-{os.getpid()}"
        staging.mkdir()
        try:
            return update(staging, lambda names, gone: _replace(out, staging, names, gone))
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _replace(out: Path, staging: Path, names: Sequence[str], gone: Sequence[str]) -> None:
    for name in names:
        new, target = staging / name, out / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(new, target)
        elif not _exchange(new, target):  # staging/name now holds the old entry, unless unsupported:
            os.rename(target, new.with_name(new.name + ".replaced"))
            os.rename(new, target)
    away = staging / ".gone"
    away.mkdir(exist_ok=True)
    for n, name in enumerate(gone):
        with contextlib.suppress(FileNotFoundError):
            os.rename(out / name, away / str(n))
