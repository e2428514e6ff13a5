"""Serving a built site on localhost and opening it in headless Chromium (playwright).

The browser is the system's Chromium (Debian's package), never one downloaded by
`playwright install`: it is found on PATH as `chromium` or `chromium-browser`, or given
by the environment variable CHROMIUM. Without Chromium or the playwright package the
browser tests are skipped with the reason, except in CI (CI=true), where a browser
test that cannot run is a failure, not a silent pass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
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


def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 (a free port) in a thread: the same server `dangjian pdf` uses."""
    from generator.pdf import serve as shipped_serve

    return shipped_serve(folder)


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
