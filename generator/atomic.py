"""Write a file so that a reader sees the old bytes or the new, never half of them;
and let one writer at a time into a folder that several commands may write at once."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from generator import settings

LOCK_FILE = ".dangjian-lock"  # in the locked folder; an empty file, left in place (removing it would race)


def atomic_write(target: Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) next to `target` under a temporary name, then rename it over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target


@contextlib.contextmanager
def exclusive(folder: Path, waiting: str) -> Iterator[None]:
    """Hold a lock on the existing folder `folder` for the block, through the file `LOCK_FILE` in it.

    When another process holds it, `waiting` (Chinese, for the user) is printed once
    and this one waits its turn. The lock is the operating system's (flock on Linux and
    macOS, msvcrt on Windows, through filelock) and goes with the process: a killed
    command never leaves the folder locked.
    """
    lock = FileLock(folder / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(waiting, file=sys.stderr, flush=True)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def stage(name: str) -> None:
    """A named moment of a build (started, loading, rendering, writing), for the test that kills
    a build at that moment (tests/test_atomic_kill.py): a kill timed by the clock came after the
    swap on a fast machine. With DANGJIAN_TEST_PAUSE set to "name:marker-file" the process makes
    the marker there and waits to be killed (ten minutes at most); otherwise this does nothing."""
    wanted, _, marker = settings.current().test_pause.partition(":")
    if wanted == name and marker:
        Path(marker).touch()
        time.sleep(600)
