"""Reading a built site as a browser would, without one: links, feed links, scripts."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

ATOM = "{http://www.w3.org/2005/Atom}"


def broken_links(site: Path) -> list[str]:
    """Links to a page or file that is not there, or to an anchor (#id) the page lacks."""
    broken = []
    texts: dict[Path, str] = {}

    def text_of(path: Path) -> str:
        if path not in texts:
            texts[path] = path.read_text(encoding="utf-8")
        return texts[path]

    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served from any depth, so mkdocs links it from the root
            continue
        for href in re.findall(r'href="([^"?]*)"', text_of(page)):
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            path, _, fragment = href.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
            elif fragment and target.suffix == ".html" and f'id="{unquote(fragment)}"' not in text_of(target):
                broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    return broken


FEED_LINK = re.compile(r'\n  <link rel="alternate feed" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')


def head_feeds(site: Path, under: str = "") -> dict[str, str]:
    """The Atom feeds every page under `under` links in its head (name -> path in the site);
    each page must link the same ones, to files that are there and carry the linked title."""
    found = None
    for page in sorted((site / under).rglob("*.html")):
        if page.name == "404.html":  # mkdocs renders it without a page: it links no feed
            continue
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        links = {}
        for title, href in FEED_LINK.findall(head):
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{page}: {href}"
            assert ET.parse(target).getroot().findtext(f"{ATOM}title") == html.unescape(title)
            links[html.unescape(title).rpartition(" · ")[2]] = target.relative_to(site.resolve()).as_posix()
        assert found is None or links == found, page
        found = links
    return found or {}


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
FRAMES = {"iframe", "frame", "frameset", "object", "embed"}


class PageScan(HTMLParser):
    """The scripts of a page and every dangerous construct in it, as the browser parses it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.findings: list[str] = []
        self._script: list[str] | None = None
        self._script_src = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("title", "textarea"):  # raw text for the browser: no tags inside
            self.set_cdata_mode(tag)
        if tag == "script":
            self._script, self._script_src = [], dict(attrs).get("src") or ""
        if tag in FRAMES:
            self.findings.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.findings.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc":
                self.findings.append(f"<{tag} srcdoc={value!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(f"src={self._script_src}" if self._script_src else "".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
