"""`dangjian serve` running for a test, and reading its pages over HTTP."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .cli import cli_command, inherited_env
from .sample import AS_OF, REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds}s")


class Preview:
    """A running `dangjian serve`: its address, and once it has stopped, what it printed."""

    def __init__(self, base: str):
        self.base = base
        self.terminal = ""


@contextlib.contextmanager
def preview(project: Path, as_of: str = AS_OF, temp: Path | None = None) -> Iterator[Preview]:
    """`dangjian serve` on a free port for the block, stopped afterwards (as a service manager stops it:
    SIGTERM) with its output kept; `temp`: the system's temporary folder as the preview sees it."""
    port = free_port()
    folders = {name: str(temp) for name in ("TMPDIR", "TEMP", "TMP")} if temp is not None else {}
    proc = subprocess.Popen(
        cli_command("serve", project, "--as-of", as_of, "--addr", f"127.0.0.1:{port}"),
        cwd=REPO, env=inherited_env(**folders), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    served = Preview(f"http://127.0.0.1:{port}/")
    try:
        yield served
    finally:
        proc.terminate()
        try:
            served.terminal, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            served.terminal, _ = proc.communicate()
