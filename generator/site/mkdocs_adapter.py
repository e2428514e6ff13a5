"""The one module that knows mkdocs.

It runs the engine-independent pipeline once per build, hands mkdocs the generated
pages as in-memory files (nothing is written into `content/`) and fills each one's
body from our Jinja templates. Everything else in the package would survive a change
of site engine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import html
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from generator import environment, pipeline, settings
from generator.atomic import stage
from generator.model.problems import Problem, report, report_reminders
from generator.model.spec import SEARCH_PAGE_CHARS, is_image
from generator.pages.printed import TEMPLATES as PRINTED_TEMPLATES
from generator.pages.sign_in import TEMPLATES as PAPER_TEMPLATES
from generator.pages.text import INTRANET_HTML, clean_page
from generator.pipeline import OVERVIEW  # `build_site(part=OVERVIEW)`: a 党委 site's own pages, content/, the theme's files
from generator.site import drawing, pictures, segmenter
from generator.site.compiled import KeptTemplates
from generator.site.description import page_description
from generator.site.render import DEFAULT_THEME_DIR, css_string_of_html, make_env, render_page
from generator.site.screen import write_screen_version

log = logging.getLogger("mkdocs.plugins.dangjian")



PROSE_TEMPLATES = ("document.html",)  # an article or a regulation: the secretary's text, as long as it was written
PRINT_TEMPLATES = PRINTED_TEMPLATES + PAPER_TEMPLATES  # pages for paper: no navigation, not searched
DETAIL_TEMPLATES = ("member.html", "activities_month.html", "document.html", "honor_roll_period.html", "meeting_record.html")


class DangjianConfig(Config):
    as_of = c.Type(str, default="")
    """The build's "today" (YYYY-MM-DD); empty means the current date."""
    audience = c.Choice(("public", "party", "committee"), default="public")
    """Who the site is for: public (whole unit), party (branch members), committee."""


class DangjianPlugin(BasePlugin[DangjianConfig]):
    """mkdocs plugin `dangjian`: generated kanban pages from `data/`.

    An entry point when someone runs `mkdocs build` or `mkdocs serve` by hand (no `preset`): then,
    like the command line, it reads the environment once, into the settings everything below is
    handed (generator/settings.py). Under `dangjian build` the command line has done so already.
    """

    def __init__(self) -> None:
        super().__init__()
        self.preset: pipeline.SiteResult | None = None  # set by `dangjian build`
        self.serving = False
        self.result: pipeline.SiteResult | None = None
        self.problems: tuple[Problem, ...] = ()
        self.specs: dict = {}
        self.drawing: drawing.BackgroundDrawing | None = None
        self.part: str | None = None  # set by `build_site`: a 党委 site's overview (OVERVIEW) or one branch's id
        self.stamp: str | None = None  # set by `build_site`: the part's 数据版本 (else the data's commit)
        self.dated: dt.date | None = None  # set by `build_site`: the day the sitemap is dated (else mkdocs' build day)
        self.prose_pages: set[str] = set()  # URLs of the pages one long text can fill (see `_capped_search_docs`)
        self.feed_links: dict[str, tuple[dict, ...]] = {}  # a branch's folder ("" for one branch) -> its Atom feeds

    @property
    def branch_run(self) -> bool:
        """This run builds one branch of a 党委 site (see `build_site`)."""
        return self.part not in (None, OVERVIEW)

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        self.root = root
        if self.preset is not None:
            self.result, self.problems = self.preset, ()
        else:
            # `mkdocs build/serve` run by hand: this is the entry point, and takes these two from the environment
            chosen = environment.settings(os.environ)
            settings.use(chosen)
            as_of_text = self.config.as_of or chosen.as_of
            audience = chosen.audience or self.config.audience
            as_of = dt.date.fromisoformat(as_of_text) if as_of_text else dt.date.today()
            outcome = pipeline.run(root, as_of, audience)
            self.result, self.problems = outcome.result, outcome.problems
            if outcome.reminders:  # on stderr, not as mkdocs warnings: a reminder must not fail `mkdocs build --strict`
                print(report_reminders(outcome.reminders), file=sys.stderr)
            if self.problems and not self.serving:
                raise PluginError("数据有误，网站没有生成：\n" + report(self.problems))
            if self.problems:  # serving: the browser shows them, and so does the terminal
                log.warning("数据有误，预览页列出了这些问题：\n%s", report(self.problems))
        config.use_directory_urls = True  # page links are computed for directory URLs
        # the project's own theme/ first (its overrides win, as in render.theme_dirs), then the bundled default
        theme_dirs = config.theme.dirs
        own = root / "theme"
        overridden = bool(config.theme.custom_dir)
        if not overridden and own.is_dir():
            theme_dirs.insert(0, str(own))
            overridden = True
        if str(DEFAULT_THEME_DIR) not in [str(Path(d)) for d in theme_dirs]:
            theme_dirs.insert(1 if overridden else 0, str(DEFAULT_THEME_DIR))
        _ensure_unicode_anchors(config)
        self.env = make_env(root)
        self.env.globals["site_url"] = config.site_url or None  # the QR codes on the sign-in sheets open pages there
        self.specs = {}  # the instance lives across rebuilds under `serve`
        if self.result is not None:
            project = self.result.project
            # one place for the name: data/branch.yml (or organization.yml for a 党委)
            name = project.organization.name if project.organization is not None else project.branches[0].name
            # the theme prints it as HTML; as Markup, mkdocs-material's `| e` (the header's tooltip)
            # does not escape it a second time
            config.site_name = Markup(html.escape(name))
            self.specs = {spec.path: spec for spec in part_pages(self.result, self.part)}
            if config.nav is None:
                config.nav = _nav(self.result.pages) + _content_pages(Path(config.docs_dir))
            self.feed_links = _feed_links(self.result)
            if self.branch_run:  # 404.html is the overview's; the branch's sitemap lists its own pages
                config.theme.static_templates = {"sitemap.xml"} if config.site_url else set()
        config.extra["dangjian"] = {
            "as_of": self.result.as_of.isoformat() if self.result else "",
            "audience": self.result.audience if self.result else "",
            "commit": data_commit(root) if self.stamp is None else self.stamp,
        }
        return config

    def on_pre_build(self, config):
        # before any page is rendered (the pages' word breaks segment too), after the search
        # plugin's on_config (it loads a dictionary of the site's own, if one is set)
        _memoize_segmentation(_reuse_enabled())
        segmenter.use_disk_dictionary(_reuse_enabled())

    def on_files(self, files, config):
        if self.result is None:
            # serving with bad data: one page that lists the problems, and none of content/
            # (a refused link there must not be followed while the secretary mends it)
            config.nav = None
            docs = os.path.abspath(config.docs_dir)
            theme_only = [f for f in files if f.src_dir is None or os.path.abspath(f.src_dir) != docs]
            return Files([*theme_only, File.generated(config, "index.md", content=_problem_page(self.problems))])
        multi = self.result.project.multi
        for path, spec in self.specs.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"content/{path}: 与自动生成的页面重名，请改名或删除这个文件")
            # mkdocs and the theme print titles as HTML: the branch's text must arrive escaped
            front: dict[str, object] = {"title": html.escape(spec.title)}
            if spec.template in ("kanban.html", "practice_teams.html", "practice_duties.html", "organization.html") + PRINT_TEMPLATES:
                front["hide"] = ["navigation", "toc"]
            if spec.template in PRINT_TEMPLATES or (multi and spec.template in DETAIL_TEMPLATES):
                # A 党委 site indexes its section pages (they list every title); indexing
                # thousands of detail pages made the index too big to load on a phone.
                front["search"] = {"exclude": True}
            stub = "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n"
            files.append(File.generated(config, path, content=stub))
        from generator.tools.feeds import site_files  # the calendar and news feeds beside the pages

        for path, data in site_files(self.result, config.site_url).items():
            files.append(File.generated(config, path, content=data))
        if self.branch_run:
            # one branch of a 党委 site: its pages, and content/'s pages only for the navigation they
            # head; the theme's files, content/'s pictures and the overview's outputs are the overview run's
            docs = os.path.abspath(config.docs_dir)
            return Files([f for f in files if f.generated_by is not None
                          or (f.src_dir is not None and os.path.abspath(f.src_dir) == docs and f.src_uri.endswith(".md"))])
        _web_pictures(files, config)
        # Charts are drawn only when their data changed (cached by content hash), in
        # other processes while the pages render; on_post_build copies them in.
        if self.drawing is None or (self.preset is None and self.drawing.pages is not self.result.pages):
            self.drawing = drawing.BackgroundDrawing(self.result.pages, self.root)
        return files

    def on_env(self, env, config, files):
        if self.dated is not None:  # every page is made by now, and the sitemap is rendered next
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.update_date = self.dated.isoformat()  # the sitemap's <lastmod>, and its .gz's mtime
        env.bytecode_cache = KeptTemplates(self.root)  # the theme's templates, compiled once
        self.frames = FrameCache()
        env.globals["dangjian_reuse"] = self.frames.reuse
        env.globals["dangjian_reuse_titled"] = self.frames.reuse_titled
        env.filters["css_string"] = css_string_of_html  # mkdocs' texts are HTML: page titles, site_name
        return env

    def on_pre_page(self, page, config, files):
        if page.file.src_uri in self.specs:
            page.__class__ = _GeneratedPage
        return page

    def on_template_context(self, context, template_name, config):
        return self._dated(context)

    def _dated(self, context):
        if self.dated is not None:
            context["build_date_utc"] = dt.datetime.fromtimestamp(_epoch(self.dated), dt.timezone.utc)
        return context

    def on_page_context(self, context, page, config, nav):
        self._dated(context)
        spec = self.specs.get(page.file.src_uri)
        if spec is None or spec.template in PROSE_TEMPLATES:
            self.prose_pages.add(page.url)
        # a 党委's own pages (and content/'s) belong to no branch, and so link no feed
        context["dangjian_feeds"] = self.feed_links.get(spec.prefix if spec is not None else "", ())
        if self.branch_run and spec is not None and spec.prefix:
            # the branch's own search index lives in its folder (see `build_site`)
            context["base_url"] = get_relative_url(spec.prefix, page.url)
        return context

    def on_page_content(self, html, page, config, files):
        stage("rendering")
        spec = self.specs.get(page.file.src_uri)
        if spec is None:  # a page of content/: written by the branch, cleaned like its records
            body = clean_page(html, intranet_html=(page.meta or {}).get(INTRANET_HTML) is True)
        else:
            body = render_page(self.env, spec)
        if not (page.meta or {}).get("description"):  # a content/ page's own front matter wins
            page.meta["description"] = page_description(body, str(page.meta.get("title") or page.title or ""),
                                                        str(config.site_name))
        return body

    def on_post_page(self, output, page, config):
        stage("writing")  # the theme's files and the pages before this one are in the new folder
        return output

    def on_post_build(self, config):
        if self.result is None:
            return
        site = Path(config.site_dir)
        assert self.drawing is not None  # on_files set it up for the result's pages
        for site_path, svg in self.drawing.files().items():
            target = site / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(svg)
        log.debug("charts: %d drawn, %d reused", self.drawing.drawn, len(self.drawing.specs) - self.drawing.drawn)
        if self.part in (None, OVERVIEW):  # the theme's files are the overview's in a 党委 site
            _add_print_fonts(site)
        if self.part is None and self.preset is None:  # mkdocs run by hand; build_site writes it after the index is capped
            write_screen_version(config.site_dir)  # the big screen polls it and reloads when the site changed

    def on_build_error(self, error):
        if self.drawing is not None:
            self.drawing.close()

    def on_serve(self, server, config, builder):
        for folder in ("data", "theme"):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server


class FrameCache:
    """Parts of mkdocs-material's page frame rendered once and reused, not once per page.

    The header, navigation, tabs, stylesheets, scripts and the theme's configuration come
    out the same for every page that is outside the navigation, has no table of contents
    and sits in the same folder (links are relative to it), but for the title in the
    header. A 党委 site has thousands of such pages (members, activity months, news), so
    the frame cost stops growing with them. `theme/main.html` wraps those blocks in
    `dangjian_reuse`; a test builds with DANGJIAN_NO_REUSE=1 and compares every byte.
    """

    def __init__(self) -> None:
        self.parts: dict[tuple, Any] = {}  # a block, or a titled block as the text before and after its title
        self.reused = 0
        self.enabled = _reuse_enabled()

    def _key(self, context, name: str) -> tuple | None:
        """The cache key of a block on this page, or None when it must be rendered."""
        page = context.get("page")
        if not self.enabled or page is None or page.toc.items or page.parent is not None or page.is_homepage:
            return None
        nav = context.get("nav")
        if nav is not None and page in nav.pages:
            return None
        folder = posixpath.dirname(page.url.rstrip("/"))
        return (name, folder, context.get("base_url"), tuple((page.meta or {}).get("hide") or ()))

    @pass_context
    def reuse(self, context, name: str, block):
        key = self._key(context, name)
        if key is None:
            return block()
        part = self.parts.get(key)
        if part is None:
            part = self.parts[key] = block()
        else:
            self.reused += 1
        return part

    @pass_context
    def reuse_titled(self, context, name: str, block):
        """Like `reuse`, for a block that shows the page title once (the header)."""
        key = self._key(context, name)
        if key is None:
            return block()
        page = context["page"]
        title = str((page.meta or {}).get("title") or page.title or "")
        around = self.parts.get(key)
        if around is not None:
            self.reused += 1
            return around[0] + title + around[1]
        out = block()
        if title and out.count(title) == 1:  # else: rendered again for the next page
            at = out.index(title)
            self.parts[key] = (out[:at], out[at + len(title):])
        return out


class _GeneratedPage(Page):
    """One of our pages. Its body comes from our templates (`on_page_content`), and its Markdown is the
    stub's front matter only: mkdocs need not set up a Markdown run for it (half a millisecond a page,
    13,000 pages in a 党委 site). An empty body and table of contents, as that run gives."""

    def render(self, config, files) -> None:
        if self.markdown is None or self.markdown.strip():
            super().render(config, files)
            return
        self.content, self.toc, self._title_from_render = "", get_toc([]), None
        self.present_anchor_ids, self.links_to_anchors = set(), {}


@contextlib.contextmanager
def _no_theme_files() -> Iterator[None]:
    """A branch's run of a 党委 site keeps none of the theme's files (the overview's run has them all,
    see `on_files`): mkdocs need not list the theme's hundreds of files for it first (0.2 s a run)."""
    listing = Files.add_files_from_theme
    Files.add_files_from_theme = lambda self, env, config: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Files.add_files_from_theme = listing  # type: ignore[method-assign]


def _reuse_enabled() -> bool:
    """DANGJIAN_NO_REUSE=1 renders every frame and segments every text anew, with the dictionary
    jieba loads itself (for tests: the bytes must be the same)."""
    return settings.current().reuse_frames


def _memoize_segmentation(on: bool = True) -> None:
    """The search index segments Chinese with jieba, text by text: the same names, types
    and phrases thousands of times on a 党委 site. jieba is deterministic, so each distinct
    run of characters is segmented once and the words reused (`on=False` undoes it)."""
    try:
        import jieba
    except ImportError:
        return
    original = getattr(jieba.cut, "dangjian_original", jieba.cut)
    if not on:
        jieba.cut = original
        return
    if jieba.cut is not original:
        return

    @functools.lru_cache(maxsize=1 << 16)
    def cut_once(sentence) -> tuple:
        return tuple(original(sentence))

    def memo_cut(sentence, *args, **kwargs):
        if args or kwargs:
            return original(sentence, *args, **kwargs)
        return iter(cut_once(sentence))

    vars(memo_cut)["dangjian_original"] = original  # a function attribute, which mypy does not model
    jieba.cut = memo_cut


def _ensure_unicode_anchors(config) -> None:
    """Chinese headings get readable anchors (#党员名册), not #_1."""
    from pymdownx.slugs import slugify

    if "toc" not in config.markdown_extensions:
        config.markdown_extensions.append("toc")
    toc = config.mdx_configs.setdefault("toc", {})
    toc.setdefault("slugify", slugify(case="lower"))
    toc.setdefault("permalink", True)


def _nav(pages) -> list:
    """Section pages only; a title "组/名称" puts the page under a group tab."""
    nav: list = []
    groups: dict[str, list] = {}
    for spec in pages:
        if not spec.nav:
            continue
        group, _, title = spec.nav.rpartition("/")
        if not group:
            nav.append({title: spec.path})
        elif group in groups:
            groups[group].append({title: spec.path})
        else:
            groups[group] = [{title: spec.path}]
            nav.append({group: groups[group]})
    return nav


def _feed_links(result: pipeline.SiteResult) -> dict[str, tuple[dict, ...]]:
    """Each branch's Atom feeds as this build writes them (its audience's), by the branch's folder,
    for the <link rel="alternate"> in the head of the branch's pages (feed readers find them there)."""
    from generator.tools.feeds import ATOM_FEEDS, feed_title

    out = {}
    for b in result.branches:
        prefix = f"{b.branch.id}/" if result.project.multi else ""
        out[prefix] = tuple({"title": feed_title(b.branch.name, title), "path": prefix + path} for path, title in ATOM_FEEDS)
    return out


def _content_pages(docs_dir: Path) -> list[str]:
    if not docs_dir.is_dir():
        return []
    return sorted(p.name for p in docs_dir.glob("*.md") if p.name != "index.md")


def _web_pictures(files: Files, config) -> None:
    """Every picture of content/ published as `pictures.web_copy` makes it (no GPS, camera or time), every HTML page cleaned."""
    docs = os.path.abspath(config.docs_dir)
    for f in list(files):
        if f.src_dir is not None and os.path.abspath(f.src_dir) == docs and is_image(f.src_uri):
            assert f.abs_src_path is not None  # mkdocs sets it for every file read from a folder
            try:
                data = pictures.web_copy(Path(f.abs_src_path))
            except pictures.PhotoError as exc:
                raise PluginError(f"content/{f.src_uri}: {exc}") from None
            files.remove(f)
            files.append(File.generated(config, f.src_uri, content=data))
        elif f.src_dir is not None and os.path.abspath(f.src_dir) == docs and f.src_uri.lower().endswith((".html", ".htm")):
            # an HTML page of the branch's is cleaned as its Markdown pages are (load/boundary.py
            # has checked that it is UTF-8 text); it is no longer a whole document, so it says its charset
            assert f.abs_src_path is not None
            page = clean_page(Path(f.abs_src_path).read_text(encoding="utf-8-sig"))
            files.remove(f)
            files.append(File.generated(config, f.src_uri, content='<!DOCTYPE html>\n<meta charset="utf-8">\n' + page))


def _add_print_fonts(site: Path) -> None:
    """The print font and its OFL.txt into assets/fonts/ (print.css loads it); nothing without a Chinese font."""
    from generator.tools import fonts

    fonts.write_print_fonts(site / fonts.SITE_FOLDER)


def _problem_page(problems) -> str:
    # raw, escaped HTML: a message quoting the secretary's text can not close a code fence or open a tag
    lines = ["# 数据有误，请修改", "", "保存修改后本页会自动刷新。", "",
             f'<pre class="dj-problems">{html.escape(report(problems))}</pre>', ""]
    return "\n".join(lines)


def data_commit(root: Path) -> str:
    """The data's commit, when the project is a git repository (shown in every footer)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
            capture_output=True, encoding="utf-8", errors="replace", timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:  # jieba (Chinese search segmentation) resets its own log level on import
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass


def part_pages(result: pipeline.SiteResult, part: str | None) -> tuple:
    """The pages one mkdocs run renders: all (None), a 党委 site's overview (OVERVIEW) or one branch.

    A branch's run renders the overview's pages too (the navigation links them) but keeps none of them.
    """
    if part is None:
        return result.pages
    if part == OVERVIEW:
        return tuple(p for p in result.pages if not p.prefix)
    return tuple(p for p in result.pages if p.prefix in ("", f"{part}/"))


def build_site(root: Path, result: pipeline.SiteResult, site_dir: Path, strict: bool = False,
               part: str | None = None, chart_workers: int | None = None, stamp: str | None = None) -> None:
    """Build the site for `result` into `site_dir` with mkdocs (which must not exist yet).

    `part` builds one part of a 党委 site (see `generator.assembly`): OVERVIEW (the 党委 pages,
    content/ and the theme's files) or a branch's id (that branch's folder, its own search
    index in it, and its charts). `chart_workers=0` draws every chart in this process. `stamp` is
    the 数据版本 its footers print (default: the data's commit).
    """
    from mkdocs.commands.build import build

    # Missing charts start drawing in other processes now, while mkdocs starts up.
    own = [p for p in part_pages(result, part) if part in (None, OVERVIEW) or p.prefix]
    charts = drawing.BackgroundDrawing(own, root, workers=chart_workers)
    try:
        _quiet_mkdocs()
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        plugin = config.plugins.get("dangjian")
        if plugin is None:
            raise ConfigurationError("mkdocs.yml 的 plugins 中缺少 dangjian：请加上 - dangjian")
        plugin.preset, plugin.drawing, plugin.part, plugin.stamp = result, charts, part, stamp
        plugin.dated = result.as_of  # the site is the same bytes on any day
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with _no_theme_files() if part not in (None, OVERVIEW) else contextlib.nullcontext():
                build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        charts.close()
    if part not in (None, OVERVIEW):
        _branch_search_index(site_dir, f"{part}/", plugin.prose_pages)
    else:
        _cap_search_index(site_dir / "search" / "search_index.json", plugin.prose_pages)
    if part is not None and config.site_url:  # without a site_url mkdocs' sitemap lists no page
        _part_sitemap(site_dir, part, config.site_url, result)
    if part is None:  # a 党委 site's parts: the assembler writes it over the whole (generator/assembly/)
        write_screen_version(site_dir)  # of the site's final bytes: the big screen reloads when they change


def _branch_search_index(site_dir: Path, prefix: str, prose: Collection[str] = ()) -> None:
    """Move a branch run's search index into the branch's folder, with its own pages only,
    located from there (the branch's pages give that folder as the search's base)."""
    source = site_dir / "search" / "search_index.json"
    if not source.is_file():
        return
    index = json.loads(source.read_text(encoding="utf-8"))
    index["docs"] = [{**doc, "location": doc["location"][len(prefix):]}
                     for doc in _capped_search_docs(index.get("docs", []), prose)
                     if doc.get("location", "").startswith(prefix)]
    target = site_dir / prefix / "search" / "search_index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    shutil.rmtree(site_dir / "search")


def _cap_search_index(path: Path, prose: Collection[str]) -> None:
    """`_capped_search_docs` over a whole site's index, rewritten only when a page was cut."""
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = index.get("docs", [])
    capped = _capped_search_docs(docs, prose)
    if capped != docs:
        index["docs"] = capped
        path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")  # as mkdocs-material writes it


_TAG = re.compile(r"<[^>]*>")
_CUT_ENTITY = re.compile(r"&[#\w]*$")
SEARCH_GAP = "\u200b"  # mkdocs-material's mark between the words jieba found: not text


def _capped_search_docs(docs: list[dict], prose: Collection[str]) -> list[dict]:
    """The search index's entries with each prose page's text cut after SEARCH_PAGE_CHARS characters.

    Every reader's browser downloads the whole index at the first search: one 4 MB article made
    it 13 MB. An article or regulation (and a page of content/) is found by its beginning, which
    stays; `check` reminds of each such text (generator/load/validate.py). Pages that list records
    (the roster, the news list) are left whole: every name and title on them must stay findable.
    """
    left: dict[str, int] = {}
    out = []
    for doc in docs:
        page = doc.get("location", "").split("#", 1)[0]
        if page not in prose:
            out.append(doc)
            continue
        budget = left.get(page, SEARCH_PAGE_CHARS)
        if budget <= 0:
            continue  # a later section of a page already cut
        original = doc.get("text", "")
        text, used = _cut_text(original, budget)
        left[page] = budget - used
        out.append(doc if text is original else {**doc, "text": text})
    return out


def _cut_text(text: str, budget: int) -> tuple[str, int]:
    """(`text` cut after `budget` visible characters with "……" added, or whole; visible characters kept).

    Tags and the word marks are not counted, and a cut falls between tags, never inside one.
    """
    seen = start = 0
    for tag in [*_TAG.finditer(text), None]:
        end = tag.start() if tag is not None else len(text)
        run = text[start:end]
        visible = len(run) - run.count(SEARCH_GAP)
        if seen + visible > budget:
            keep = budget - seen
            cut = keep
            while cut - run.count(SEARCH_GAP, 0, cut) < keep:  # the marks met on the way do not count
                cut += keep - (cut - run.count(SEARCH_GAP, 0, cut))
            return text[:start] + _CUT_ENTITY.sub("", run[:cut]) + "……", budget
        seen += visible
        if tag is None:
            break
        start = tag.end()
    return text, seen


_SITEMAP_URL = re.compile(r"<url>.*?</url>", re.S)
_SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _part_sitemap(site_dir: Path, part: str, site_url: str, result: pipeline.SiteResult) -> None:
    """A 党委 site's sitemaps, made by its parts alone: each branch's folder has its own (a sitemap
    may list the pages under its folder), and the overview's sitemap.xml is the index of those and of
    its own pages' (sitemap-overview.xml)."""
    made = site_dir / "sitemap.xml"
    text = made.read_text(encoding="utf-8")
    if part == OVERVIEW:
        os.replace(made, site_dir / "sitemap-overview.xml")
        listed = ["sitemap-overview.xml", *(f"{branch}/sitemap.xml" for branch in result.project.branch_ids)]
        entries = "".join(f"\n    <sitemap>\n         <loc>{html.escape(site_url + rel)}</loc>\n"
                          f"         <lastmod>{result.as_of.isoformat()}</lastmod>\n    </sitemap>" for rel in listed)
        _write_sitemap(site_dir, f"{_SITEMAP_HEAD}<sitemapindex {_SITEMAP_NS}>{entries}\n</sitemapindex>", result.as_of)
    else:
        made.unlink()
        (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
        own = "".join(f"\n    {url}" for url in _SITEMAP_URL.findall(text) if f"<loc>{html.escape(site_url)}{part}/" in url)
        _write_sitemap(site_dir / part, f"{_SITEMAP_HEAD}<urlset {_SITEMAP_NS}>{own}\n</urlset>", result.as_of)


def _write_sitemap(folder: Path, text: str, as_of: dt.date) -> None:
    """sitemap.xml and, as mkdocs does, sitemap.xml.gz, dated in its header by the as-of day."""
    data = text.encode("utf-8")
    (folder / "sitemap.xml").write_bytes(data)
    with open(folder / "sitemap.xml.gz", "wb") as raw, \
            gzip.GzipFile(fileobj=raw, filename="sitemap.xml.gz", mode="wb", mtime=_epoch(as_of)) as packed:
        packed.write(data)


def _epoch(as_of: dt.date) -> int:
    return int(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc).timestamp())


ENGINE_ERRORS = (Abort, ConfigurationError, PluginError)
