"""Every page prints well from the browser (Ctrl+P) on A4 (issue 6).

Ordinary pages of the sample (the home page, the roster, an activity) are printed by
Chromium with the print stylesheet: A4, nothing of the navigation, the tabs or the search
box in the PDF apart from what the page body itself says, and the branch, the as-of date
and the page number in the margins. The first pages are kept as PNGs in tests/artefacts/.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import types
from pathlib import Path

import jinja2
import pytest
from support import AS_OF, REPO
from support.browser import ARTEFACTS, unavailable
from support.printing import A4_PORTRAIT, close

CSS = REPO / "theme" / "assets" / "print.css"
NAV_WORDS = ("党员名册", "组织生活", "评价体系", "特色制度", "宣传报道", "金榜题名", "七个一", "搜索")


# -- no browser ---------------------------------------------------------------------

def test_the_stylesheet_sets_a4_margins_page_numbers_and_hides_the_frame():
    css = CSS.read_text(encoding="utf-8")
    page = css[css.index("@page {"):]
    assert "size: A4 portrait" in page
    assert "@bottom-right" in page and "counter(page)" in page and "counter(pages)" in page
    for frame in (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-nav", ".md-top",
                  ".headerlink"):
        assert re.search(re.escape(frame) + r"\b[^{]*\{\s*display: none !important", css, re.S) or \
            re.search(re.escape(frame) + r"[ ,\n]", css.split("display: none !important")[0]), frame
    assert "break-inside: avoid" in css
    assert "http:" not in css and "https:" not in css and "@import" not in css  # offline


def render_margins(title, as_of="2026-11-20", site="某党支部"):
    """theme/dangjian/print_margins.html as mkdocs renders it (its environment does not autoescape)."""
    from generator.site.render import css_string_of_html

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(REPO / "theme")))
    env.filters["css_string"] = css_string_of_html  # as the plugin's on_env sets it
    page = types.SimpleNamespace(title=title) if title is not None else None
    return env.get_template("dangjian/print_margins.html").render(
        page=page, config={"site_name": site, "extra": {"dangjian": {"as_of": as_of}}})


def test_margins_carry_title_branch_and_date_as_css_strings():
    out = render_margins("党员名册")
    assert out.count("<style") == 1 and out.count("</style>") == 1
    assert '@top-left { content: "党员名册"; }' in out
    assert '@top-right { content: "某党支部 · 数据截至 2026-11-20"; }' in out
    assert '"某党支部"' in render_margins(None, as_of="")  # no page (404) and no date


def test_margins_cannot_be_broken_out_of_by_a_title():
    out = render_margins('a"b\\c</style><script>alert(1)</script>\nx')
    assert out.count("</style>") == 1 and "<script>" not in out
    assert r'content: "a\"b\\c\3c /style>\3c script>alert(1)\3c /script> x";' in out


NAME = 'A&B "第一"党支部 <i>x</i>'


def css_text(literal: str) -> str:
    """What a CSS string literal (the quotes included) prints: its escapes decoded."""
    body = literal[1:-1]
    assert '"' not in re.sub(r"\\.", "", body), literal  # one string: no quote left unescaped
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], body)


@pytest.mark.slow
def test_a_site_name_with_markup_characters_prints_as_written(tmp_path, run_dangjian):
    from support import copy_sample

    root = copy_sample(tmp_path / "p")
    branch = root / "data/branch.yml"
    text = branch.read_text(encoding="utf-8")
    branch.write_text(re.sub(r"(?m)^name: .*$", "name: '" + NAME + "'", text, count=1), encoding="utf-8")
    done = run_dangjian("build", root, "--as-of", AS_OF, "--audience", "party")
    assert done.returncode == 0, done.stderr
    home = (root / "site/index.html").read_text(encoding="utf-8")
    margins = re.search(r'@top-right \{ content: ("(?:[^"\\]|\\.)*"); \}', home)
    assert margins and css_text(margins[1]) == f"{NAME} · 数据截至 {AS_OF}"
    tooltip = re.search(r'title="([^"]*)" class="md-header__button md-logo"', home)
    assert tooltip and html.unescape(tooltip[1]) == NAME  # the browser decodes an attribute once
    ledger = next((root / "site/print").glob("ledger-*/index.html")).read_text(encoding="utf-8")
    tops = [css_text(m) for m in re.findall(r'@top-right \{ content: ("(?:[^"\\]|\\.)*"); \}', ledger)]
    assert tops[-1] == NAME  # the ledger's own margins (autoescaped by our templates), after the frame's
    for page in (home, ledger):
        assert "<i>x</i>" not in page  # the name's "<" is never markup


# -- printed by Chromium ------------------------------------------------------------

def an_activity(site: Path) -> str:
    return sorted(p.parent.name for p in (site / "activities").glob("*/index.html"))[0]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("which", ["home", "members", "activity"])
def test_printed_page_has_no_navigation_and_has_margins(browser, print_site, print_base_url, which):
    from pypdf import PdfReader

    path = {"home": "", "members": "members/", "activity": f"activities/{an_activity(print_site)}/"}[which]
    page = browser.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(print_base_url + path, wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        for frame in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-search"):
            shown = page.evaluate(f"() => {{ const e = document.querySelector('{frame}'); "
                                  "return e ? getComputedStyle(e).display : 'none'; }")
            assert shown == "none", f"{frame} is printed on {which}"
        body = page.evaluate("() => document.querySelector('.md-content__inner').innerText")
        title = page.evaluate("() => document.title")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    out = ARTEFACTS / f"print-{which}.pdf"
    ARTEFACTS.mkdir(exist_ok=True)
    out.write_bytes(pdf)
    reader = PdfReader(out)
    pages = len(reader.pages)
    assert all(close((float(p.mediabox.width), float(p.mediabox.height)), A4_PORTRAIT) for p in reader.pages)
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    branch = title.split(" - ")[-1]
    page_title = title.split(" - ")[0]
    margins = f"{page_title} {branch} · 数据截至 {AS_OF}"
    assert f"数据截至 {AS_OF}" in text, "the as-of date in the margin"
    assert branch in text, "the branch in the margin"
    assert "第 1 页" in text and f"共 {pages} 页" in text, "page numbers in the margin"
    for word in NAV_WORDS:  # a navigation word may appear only where the page body or the margins say it
        allowed = body.count(word) + pages * margins.count(word)
        assert text.count(word) <= allowed, f"{which}: “{word}” printed {text.count(word)} times, body and margins say it {allowed}"
    if shutil.which("pdftoppm"):
        done = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(out),
                               str(out.with_suffix(""))], capture_output=True, timeout=120)
        assert done.returncode == 0
    elif __import__("browser").in_ci():
        unavailable("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
