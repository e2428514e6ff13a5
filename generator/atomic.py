"""Write a file so that a reader sees the old bytes or the new, never half of them;
and let one writer at a time into a folder that several commands may write at once."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from generator import environment

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the commands run one at a time there
    fcntl = None  # type: ignore[assignment]


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
    """Hold an advisory lock on the existing folder `folder` for the block (no file is made).

    When another process holds it, `waiting` (Chinese, for the user) is printed once
    and this one waits its turn. The lock goes with the process: a killed command
    never leaves the folder locked.
    """
    if fcntl is None:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def stage(name: str) -> None:
    """A named moment of a build (started, loading, rendering, writing), for the test that kills
    a build at that moment (tests/test_atomic_kill.py): a kill timed by the clock came after the
    swap on a fast machine. With DANGJIAN_TEST_PAUSE set to "name:marker-file" the process makes
    the marker there and waits to be killed (ten minutes at most); otherwise this does nothing."""
    wanted, _, marker = environment.get(environment.TEST_PAUSE).partition(":")
    if wanted == name and marker:
        Path(marker).touch()
        time.sleep(600)
