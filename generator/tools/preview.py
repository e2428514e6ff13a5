"""`dangjian serve`, for a branch and a 党委: rebuild on every save, and reload the browser.

mkdocs' own live preview renders the whole site on every save: half a minute for a
1,200-member 党委. Here a 党委's site is built in parts (`generator.assembly`), so a save in
one branch renders that branch and the overview and copies the rest from the cache.
mkdocs' server also answers a request for any host name, so a page elsewhere could read a
committee preview through a name rebound to 127.0.0.1; this one answers only its own names.
The finished site is served from a folder on 127.0.0.1; each HTML page is sent with a
small script that asks `/.dangjian-preview` for the build number every second and
reloads the page when it changes. The script is added by the server only: the built
site is byte for byte what `dangjian build` writes. With mistakes in the data, the
browser shows them (escaped) and the terminal prints them; the last good site is not
served meanwhile, so nothing half-checked is shown.

This module knows nothing of mkdocs: `build(tmp)` (the command's) makes a site or raises.
"""

from __future__ import annotations

import html
import http.server
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from generator import bundled
from generator.atomic import LOCK_FILE

POLL_SECONDS = 0.5
WORK_PREFIX = "dangjian-preview-"  # the preview's working folder in the system's temporary folder
STALE_SECONDS = 60  # a folder younger than this may be a preview that has not taken its lock yet
VERSION_PATH = "/.dangjian-preview"
_RELOAD = (b"<script>(function(){var v=null;setInterval(function(){fetch('" + VERSION_PATH.encode() + b"',"
           b"{cache:'no-store'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)"
           b"location.reload();v=t}).catch(function(){})},1000)})();</script>")
WATCHED = ("data", "content", "theme", "mkdocs.yml")
_LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")


def snapshot(root: Path) -> tuple:
    """Every watched file's path, size and modification time: a save changes it."""
    out = []
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for p in files:
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((p.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


class _State:
    def __init__(self):
        self.folder: Path | None = None  # the current site
        self.problems = ""  # the data's problems, when the last build could not be made
        self.pages: frozenset[str] = frozenset()  # the last good site's pages ("b01/", "members/m01/")
        self.version = 0
        self.lock = threading.Lock()


def _pages(folder: Path) -> Iterator[str]:
    for index in folder.rglob("index.html"):
        rel = index.parent.relative_to(folder).as_posix()
        yield "" if rel == "." else rel + "/"


def _handler(state: _State, empty: Path, names: tuple[str, ...], themes: tuple[Path, ...]):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            with state.lock:  # each request reads the site that is current when it arrives
                folder = state.folder
            super().__init__(*args, directory=str(folder or empty), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def parse_request(self):
            # here, before any method's handler, so that no method answers a page elsewhere
            # that reaches the preview by a rebound name
            if not super().parse_request():
                return False
            given = self.headers.get("Host") or ""
            host = given.rpartition(":")[0] if given.rpartition(":")[2].isdigit() else given
            if host.strip("[]").lower() not in names:
                self.send_error(403)
                return False
            return True

        def do_GET(self):
            if self.path.split("?")[0] == VERSION_PATH:
                return self._send(str(state.version).encode(), "text/plain; charset=utf-8")
            if state.problems:  # no site: the problems at the site's address, styled by the theme, nothing else
                asked = self.path.split("?")[0]
                style = next((d / asked[1:] for d in themes if asked.startswith("/assets/") and ".." not in asked
                              and (d / asked[1:]).is_file()), None)
                if style is not None:
                    return self._send(style.read_bytes(), self.guess_type(str(style)))
                page = ("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>数据有误，请修改</title>"
                        "<link rel=\"stylesheet\" href=\"/assets/dangjian.css\">"
                        "<main><h1>数据有误，请修改</h1><p>保存修改后本页会自动刷新。</p>"
                        f"<pre class=\"dj-problems\">{html.escape(state.problems)}</pre></main>")
                # a page of the last good site shows them where the reader is; any other address is not found
                status = 200 if asked.lstrip("/").removesuffix("index.html") in state.pages | {""} else 404
                return self._send(page.encode() + _RELOAD, "text/html; charset=utf-8", status)
            path = Path(self.translate_path(self.path))
            if path.is_dir() and not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # a redirect to "folder/": the page's relative links need it
            if path.is_dir():
                path = path / "index.html"
            missing = not path.exists() and (Path(self.directory) / "404.html").is_file()
            if missing:  # the site's own page, in Chinese, as a web server set up for the site shows it
                path = Path(self.directory) / "404.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes()
                at = body.rfind(b"</body>")
                body = body[:at] + _RELOAD + body[at:] if at >= 0 else body + _RELOAD
                return self._send(body, "text/html; charset=utf-8", 404 if missing else 200)
            return super().do_GET()

        def _send(self, body: bytes, kind: str, status: int = 200):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(root: Path, build: Callable[[Path], str | None], host: str, port: int,
          say: Callable[[str], None] = print) -> None:
    """Build, serve on host:port, and rebuild on every save until interrupted.

    `build(folder)` makes the site in the new folder `folder` and returns None, or returns
    the problems' report (and leaves no site).
    """
    state = _State()
    sweep(Path(tempfile.gettempdir()))
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    held = FileLock(work / LOCK_FILE)  # says "a preview is using this folder" to the next one's sweep
    held.acquire()
    themes = (root / "theme", bundled.THEME)  # the problems' page is styled by the project's theme, else ours
    server = http.server.ThreadingHTTPServer((host, port), _handler(state, work, (*_LOCAL_NAMES, host.lower()), themes))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="dangjian-preview", daemon=True)

    def rebuild() -> None:
        folder = work / f"site-{state.version + 1}"
        start = time.monotonic()
        problems = build(folder)
        pages = state.pages if problems else frozenset(_pages(folder))
        with state.lock:
            old, state.folder = state.folder, (None if problems else folder)
            state.problems = problems or ""
            state.pages = pages
            state.version += 1
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        if problems:
            shutil.rmtree(folder, ignore_errors=True)
        if problems:
            print(problems, file=sys.stderr)
        else:
            say(f"已更新（{time.monotonic() - start:.1f} 秒）")

    try:
        seen = snapshot(root)
        rebuild()
        thread.start()
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(root)
            if now != seen:
                seen = now
                rebuild()
    finally:
        server.shutdown()
        server.server_close()
        held.release()  # first: Windows removes no file that is open
        shutil.rmtree(work, ignore_errors=True)


def sweep(temp: Path) -> None:
    """Remove what previews that never cleaned up left behind (a console window closed, the process
    killed): each working folder whose lock no running preview holds, 15 MB or more apiece."""
    for folder in temp.glob(WORK_PREFIX + "*"):
        try:
            if not folder.is_dir() or time.time() - folder.stat().st_mtime < STALE_SECONDS:
                continue
        except OSError:
            continue
        lock = FileLock(folder / LOCK_FILE)
        try:
            lock.acquire(timeout=0)
        except (Timeout, OSError):
            continue  # a running preview's, or not ours to open
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            lock.release()
        shutil.rmtree(folder, ignore_errors=True)  # the lock file itself, on Windows
