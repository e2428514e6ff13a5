"""Serving a built site on localhost and opening it in headless Chromium (playwright).

The browser is the system's Chromium (Debian's package), never one downloaded by
`playwright install`: it is found on PATH as `chromium` or `chromium-browser`, or given
by the environment variable CHROMIUM. Without Chromium or the playwright package the
browser tests are skipped with the reason, except in CI (CI=true), where a browser
test that cannot run is a failure, not a silent pass.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str):
    """Skip the test with `reason`, or fail it in CI."""
    if in_ci():
        pytest.fail(f"CI=true but the browser test cannot run: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    given = os.environ.get("CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that navigates on drops the connections of the page it leaves.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1 (a free port); yields the base URL with a slash.

    The same server as `python -m http.server`, run in a thread of the test process so
    that the port is chosen by the system (no race) and nothing outlives the test.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (playwright `Browser`), or a skip/fail with the reason."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed (Debian: apt-get install chromium; or set CHROMIUM=/path/to/chromium)")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            unavailable(f"Chromium at {path} does not start: {exc}")
        try:
            yield browser
        finally:
            browser.close()
