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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Screenshots the browser tests keep for a person to look at (not under version control).
ARTEFACTS = Path(__file__).resolve().parent.parent / "artefacts"
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
    from generator.tools.pdf import serve as shipped_serve

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


def page_urls(site: Path, base_url: str) -> list[str]:
    """The URL of every HTML page of a built site."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        urls.append(base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


@dataclass
class Visit:
    """What opening pages one after another in the browser saw."""

    requests: list[str] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)  # (page, request) leaving the local server
    errors: list[tuple[str, str]] = field(default_factory=list)  # (page, console error or failed request)
    seconds: float = 0.0


def visit_offline(browser, urls: list[str], base_url: str) -> Visit:
    """Open every URL; record requests that leave `base_url`'s server and every error."""
    local = urlsplit(base_url).netloc
    seen = Visit()
    current = {"url": ""}

    def on_request(request):
        seen.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != local:
            seen.outside.append((current["url"], request.url))

    def on_console(message):
        if message.type == "error":
            seen.errors.append((current["url"], message.text))

    context = browser.new_context()
    context.on("request", on_request)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.errors.append((current["url"], f"uncaught: {exc}")))
    # Requests cut off by going on to the next page are aborted, not failed.
    page.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED"
            or seen.errors.append((current["url"], f"request failed: {r.url} {r.failure}")))
    page.on("response", lambda r: r.status >= 400 and seen.errors.append((current["url"], f"HTTP {r.status}: {r.url}")))
    started = time.monotonic()
    for url in urls:
        current["url"] = url
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            seen.errors.append((url, f"HTTP {response and response.status}"))
    page.wait_for_timeout(500)  # the last page's search worker and late requests
    seen.seconds = time.monotonic() - started
    context.close()
    return seen


def need_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    if chromium_path() is None:
        unavailable("Chromium is not installed (Debian: apt-get install chromium; or set CHROMIUM=/path/to/chromium)")


# Where the browser broke each line of an element: the characters either side of each break,
# and whether they are in one text node (the page marks word boundaries with <wbr>, which
# ends a text node: a break inside one node that is not at a space is inside a word).
LINE_BREAKS = """(selector) => [...document.querySelectorAll(selector)].map(el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const out = []; let prevTop = null, prevChar = '', prevNode = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (!r.width) continue;
      if (prevTop !== null && r.top > prevTop + 2) out.push({pair: prevChar + '|' + node.data[i], inside: node === prevNode});
      prevTop = r.top; prevChar = node.data[i]; prevNode = node;
    }
  }
  return {text: el.textContent.trim(), breaks: out};
})"""
