"""`dangjian pdf`: the board poster, the honor-roll notice and the monthly report as PDF files.

The three documents are ordinary pages of the site (`print_pages.py`), built by the normal
build so that they share its templates, fonts, charts and data. The site is built into a
temporary folder, served on 127.0.0.1 by the standard library's http.server in a thread,
and each page is printed by headless Chromium through Playwright. The browser is the
one already on the computer (Chromium, Chrome or Edge, see `browser_candidates`), never
one downloaded by `playwright install`. Nothing leaves the machine: Chromium starts with background networking off and
every request to another host is refused.

This module knows nothing of mkdocs: the site engine's `build_site` is a parameter.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from generator.atomic import atomic_write
from generator.compute import dates
from generator.pages.branch import PageSpec
from generator.pages.printed import print_pages, printed_month
from generator.pages.routes import PRINT_BOARD as BOARD
from generator.pages.routes import PRINT_HONOR as HONOR
from generator.pages.routes import PRINT_REPORT as REPORT
from generator.pages.routes import ledger_print_page, page_url
from generator.pipeline import SiteResult
from generator.tools import fonts

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TIMEOUT_MS = 60_000


class PdfError(Exception):
    """A reason, in Chinese, why the PDF files could not be made."""


@dataclass(frozen=True)
class Document:
    page: str  # the page's source path in the site, e.g. "print/board.md"
    file: str  # the PDF's file name
    what: str  # its name for people


@dataclass(frozen=True)
class Printed:
    document: Document
    path: Path
    size: int  # bytes
    seconds: float


def _prefix(result: SiteResult, branch) -> str:
    """A branch's folder in a 党委 site with several branches; "" for a single branch."""
    return f"{branch.id}/" if getattr(result.project, "multi", False) else ""


def documents(result: SiteResult) -> tuple[Document, ...]:
    """The PDFs to make: three per branch (in a folder per branch when there are several)."""
    months = {b.branch.id: printed_month(b.figures) for b in result.branches}
    docs = []
    for branch in result.project.branches:
        p = _prefix(result, branch)
        month = months.get(branch.id) or dates.month_key(result.as_of)
        docs += [
            Document(p + BOARD, p + "board.pdf", "看板海报（A3 横向）"),
            Document(p + HONOR, p + "honor-roll.pdf", "金榜题名公示（A4）"),
            Document(p + REPORT, p + f"report-{month}.pdf", "月度党建简报（A4）"),
        ]
    return tuple(docs)


def ledger_documents(result: SiteResult, quarter_key: str) -> tuple[Document, ...]:
    """The quarter's bound 台账 of each branch that held meetings in it (`dangjian pdf --ledger`)."""
    have = {p.path for p in result.pages}
    docs = []
    for branch in result.project.branches:
        p = _prefix(result, branch)
        page = p + ledger_print_page(quarter_key)
        if page in have:
            docs.append(Document(page, p + f"ledger-{quarter_key}.pdf", "会议记录台账（A4）"))
    return tuple(docs)


def sign_in_documents(result: SiteResult, activity_id: str) -> tuple[SiteResult, tuple[Document, ...]]:
    """A meeting's notice and sign-in sheet (`dangjian pdf --sign-in`), with their pages added to
    `result` when the site carries none for it (a meeting before last month); () when no branch
    of the build's audience has a meeting of that id."""
    from generator.pages.routes import notice_print_page, sign_in_print_page
    from generator.pages.sign_in import sign_in_pages

    have = {p.path for p in result.pages}
    for scoped in result.branches:
        p = _prefix(result, scoped.branch)
        specs = sign_in_pages(scoped.branch, scoped.planned, result.as_of, result.audience, only=activity_id)
        if not specs:
            continue
        if p:
            specs = tuple(dataclasses.replace(s, path=p + s.path, prefix=p) for s in specs)
        added = tuple(s for s in specs if s.path not in have)
        docs = (Document(p + notice_print_page(activity_id), p + f"notice-{activity_id}.pdf", "会议通知（A4）"),
                Document(p + sign_in_print_page(activity_id), p + f"sign-in-{activity_id}.pdf", "签到表（A4）"))
        return dataclasses.replace(result, pages=result.pages + added), docs
    return result, ()


# Where browsers that can print headless are installed, most wanted first. Any Chromium-based
# browser will do: Debian's and the domestic distributions' (统信 UOS, 麒麟) Chromium, Chrome, Edge.
LINUX_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
                  "microsoft-edge-stable")
LINUX_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium",
               "/usr/lib64/chromium-browser/chromium-browser", "/snap/bin/chromium", "/opt/google/chrome/chrome",
               "/opt/microsoft/msedge/msedge")
WINDOWS_PATHS = (  # under %PROGRAMFILES%, %PROGRAMFILES(X86)% and %LOCALAPPDATA% (a per-user install)
    r"Google\Chrome\Application\chrome.exe", r"Microsoft\Edge\Application\msedge.exe",
    r"Chromium\Application\chrome.exe",
)
MAC_APPS = ("Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium",
            "Microsoft Edge.app/Contents/MacOS/Microsoft Edge")


def browser_candidates(platform: str, folders: Mapping[str, str], which: Callable[[str], str | None],
                       home: Path) -> list[str]:
    """The browser paths to try on `platform` (`sys.platform`), in order; `folders` are Windows' system folders."""
    if platform == "win32":
        bases = [folders[k] for k in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA") if k in folders]
        found = [which(name) for name in ("chrome", "msedge", "chromium")]
        return [p for p in found if p] + [str(Path(base) / rel) for rel in WINDOWS_PATHS for base in bases]
    if platform == "darwin":
        return [str(base / app) for app in MAC_APPS for base in (Path("/Applications"), home / "Applications")]
    found = [which(name) for name in LINUX_COMMANDS]
    return [p for p in found if p] + list(LINUX_PATHS)


def find_chromium(given: str | None = None, folders: Mapping[str, str] = MappingProxyType({})) -> str | None:
    """The browser to use: `given` (--chromium, else $CHROMIUM), else the first of `browser_candidates`
    that is there; `folders` are Windows' system folders (the caller's settings)."""
    candidates = [given] if given else browser_candidates(sys.platform, folders, shutil.which, Path.home())
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    return None


def check_playwright() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise PdfError("缺少 Python 包 playwright（它随本工具一起安装）：请重新安装本工具，"
                       "或运行 python -m pip install playwright。不需要运行 playwright install，程序使用电脑上已有的浏览器。") from None


def missing_chromium_message(given: str | None = None, platform: str = sys.platform) -> str:
    """Why there is no browser, and what to install on this kind of system."""
    if given:
        return f"找不到浏览器“{given}”：请检查 --chromium 或环境变量 CHROMIUM 给出的路径。"
    install = {
        "win32": "请安装 Microsoft Edge（Windows 10/11 自带）或 Google Chrome",
        "darwin": "请安装 Google Chrome、Chromium 或 Microsoft Edge",
    }.get(platform, "请安装 Chromium：Debian/Ubuntu/统信 UOS/麒麟 运行 sudo apt-get install chromium fonts-noto-cjk"
                    "（有的系统叫 chromium-browser），或安装 Google Chrome、Microsoft Edge")
    return f"找不到可以打印 PDF 的浏览器（Chromium、Chrome 或 Edge）。{install}；装在别处时用 --chromium 或环境变量 CHROMIUM 指定浏览器程序的路径。"


def with_print_pages(result: SiteResult) -> SiteResult:
    """The result with the print pages, when the pipeline has not already added them."""
    have = {p.path for p in result.pages}
    extra: list[PageSpec] = []
    for scoped in result.branches:  # each branch as the build's audience sees it, figures computed once
        p = _prefix(result, scoped.branch)
        if p + BOARD in have:
            continue
        specs = print_pages(scoped.branch, scoped.figures, result.audience)
        if p:
            specs = tuple(dataclasses.replace(s, path=p + s.path, prefix=p) for s in specs)
        extra.extend(s for s in specs if s.path not in have)
    return dataclasses.replace(result, pages=result.pages + tuple(extra)) if extra else result


# -- a local server and a browser ---------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; yields the base URL ending in "/"."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="dangjian-pdf-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def chromium(executable: str, env: Mapping[str, str] | None = None) -> Iterator[object]:
    """A headless Chromium (a playwright Browser) started from `executable`, with the environment
    `env` (default: this process's)."""
    check_playwright()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS,
                                        env=dict(env) if env is not None else None)
        except PlaywrightError as exc:
            raise PdfError(f"Chromium 浏览器（{executable}）启动失败：{str(exc).splitlines()[0]}") from None
        try:
            yield browser
        finally:
            browser.close()


def print_page(browser, url: str) -> bytes:
    """One page as PDF, laid out for print, its paper size taken from the page's @page rule."""
    local = urlsplit(url).netloc
    context = browser.new_context()
    try:
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == local
                      or urlsplit(route.request.url).scheme in ("data", "blob") else route.abort())
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.emulate_media(media="print")
        response = page.goto(url, wait_until="load")
        if response is None or not response.ok:
            raise PdfError(f"页面打不开：{url}（{response.status if response else '无响应'}）")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.wait_for_function("() => Array.from(document.images).every(img => img.complete)")
        return page.pdf(prefer_css_page_size=True, print_background=True, outline=False, tagged=True)
    finally:
        context.close()


# -- the command's work -------------------------------------------------------------

def _add_print_fonts(site: Path) -> fonts.PrintFonts:
    """The print font into the site (`fonts.py`; the engine may have put it there already); without one, say so once."""
    made = fonts.write_print_fonts(site / fonts.SITE_FOLDER)
    if not made.fonts and made.missing:  # none missing: the system's own Chinese font prints (Windows, macOS)
        print(f"dangjian: {made.missing}", file=sys.stderr, flush=True)
    return made


@contextlib.contextmanager
def _print_font_for_chromium(made: fonts.PrintFonts, folder: Path, work: Path,
                             environ: Mapping[str, str]) -> Iterator[Mapping[str, str] | None]:
    """The environment (`environ` and FONTCONFIG_FILE) in which Chromium also finds the print font through
    fontconfig, for "Noto Sans CJK SC"; None (its own) when there is no print font.

    The charts are SVG images, and an image cannot use the page's @font-face: their text
    would again be Type 3 glyphs copied out as radicals. Elsewhere than Linux the variable
    is not read, and the charts keep the system's font.
    """
    if not made.fonts:
        yield None
        return
    before = environ.get("FONTCONFIG_FILE")
    conf = atomic_write(work / "fonts.conf", fonts.fontconfig(folder, work / "fontconfig-cache", before))
    # handed to the browser alone: this process's environment stays as it is, for `serve`'s threads and the rest
    yield {**environ, "FONTCONFIG_FILE": str(conf)}


def make_pdfs(root: Path, result: SiteResult, out_dir: Path, build_site: Callable[[Path, SiteResult, Path], None],
              executable: str, docs: tuple[Document, ...] | None,
              environ: Mapping[str, str]) -> list[Printed]:
    """Build the site into a temporary folder, print `docs` (default: the three documents), write them into `out_dir`.
    `environ` is the environment the entry point was started with: the browser's, with the print font's fontconfig.

    Every PDF is made before any is written, and each is written by a rename: a failure
    leaves the files already in `out_dir` as they were.
    """
    result = with_print_pages(result)
    docs = documents(result) if docs is None else docs
    made: list[tuple[Document, bytes, float]] = []
    with tempfile.TemporaryDirectory(prefix="dangjian-pdf-") as tmp:
        site = Path(tmp) / "site"
        build_site(root, result, site)  # a whole site: its engine writes screen/version.json too
        print_fonts = _add_print_fonts(site)
        with (serve(site) as base,
              _print_font_for_chromium(print_fonts, site / fonts.SITE_FOLDER, Path(tmp), environ) as env,
              chromium(executable, env) as browser):
            for doc in docs:
                start = time.monotonic()
                data = print_page(browser, base + page_url(doc.page))
                made.append((doc, data, time.monotonic() - start))
    out = []
    for doc, data, seconds in made:
        target = out_dir / doc.file
        atomic_write(target, data)
        out.append(Printed(doc, target, len(data), seconds))
    return out
