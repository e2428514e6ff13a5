"""Writing an output folder all at once: build beside it, then swap.

A build that fails, or is killed, never touches the previous output: the new site is
built in a hidden sibling folder and only renamed into place once complete. Hidden
leftovers of a killed build are removed by the next build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

_PREFIX = ".dangjian-"


def _stale(out: Path) -> Iterator[Path]:
    parent = out.parent
    if parent.is_dir():
        for p in parent.iterdir():
            if p.name.startswith(f"{_PREFIX}{out.name}."):
                yield p


def write_atomically(out: Path, produce: Callable[[Path], None]) -> None:
    """Call `produce(tmp)` to fill a fresh folder, then put it at `out` in one rename.

    If `produce` raises, `out` is left exactly as it was and the folder is removed.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    for old in sorted(_stale(out)):
        if ".previous-" in old.name and not out.exists():
            os.rename(old, out)  # a build killed mid-swap: the old site comes back
        else:
            shutil.rmtree(old, ignore_errors=True)
    tmp = out.parent / f"{_PREFIX}{out.name}.building-{os.getpid()}"
    try:
        produce(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = out.parent / f"{_PREFIX}{out.name}.previous-{os.getpid()}"
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
