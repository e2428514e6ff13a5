"""The lobby's big screen (issue 6): screen/ at 1920×1080.

No scrollbars, no Material header or navigation, every panel shown in turn (screenshots
in tests/artefacts/), nothing fetched from outside the local server, and the page reloads
itself when the build writes a new screen/version.json.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from support import REPO
from support.browser import ARTEFACTS

PANELS = ("figures", "honor", "dynamics", "reflections", "dues-birthdays")


# -- no browser ---------------------------------------------------------------------

def test_the_script_and_styles_fetch_nothing_from_outside():
    for name in ("screen.js", "screen.css"):
        text = (REPO / "theme" / "assets" / name).read_text(encoding="utf-8")
        assert not re.search(r"https?:|//[a-z]|@import", text), name
    html = (REPO / "theme" / "dangjian" / "screen.html").read_text(encoding="utf-8")
    assert not re.search(r"https?:", html)
    assert [p for p in re.findall(r'data-panel="([^"]+)"', html)] == list(PANELS)


def test_the_version_changes_with_any_file_of_the_site_and_only_then(tmp_path):
    from generator.pages.printed import SCREEN_VERSION
    from generator.site.screen import site_version, write_screen_version

    site = tmp_path / "site"
    (site / "members").mkdir(parents=True)
    (site / "index.html").write_text("<p>看板</p>", encoding="utf-8")
    (site / "members" / "index.html").write_text("<p>名册</p>", encoding="utf-8")
    (site / "sitemap.xml").write_text("2026-11-20", encoding="utf-8")
    first = write_screen_version(site)
    assert json.loads((site / SCREEN_VERSION).read_text(encoding="utf-8")) == {"version": first}
    assert write_screen_version(site) == first  # the version file itself does not count
    (site / "sitemap.xml").write_text("2026-11-21", encoding="utf-8")
    assert site_version(site) == first  # nor the sitemap's build date
    (site / "members" / "index.html").write_text("<p>名册（新）</p>", encoding="utf-8")
    assert site_version(site) != first


# -- in Chromium --------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.slow
def test_each_panel_in_turn_without_scrollbars_or_navigation(browser, print_site, print_base_url):
    local = urlsplit(print_base_url).netloc
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    outside, errors = [], []
    context.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).netloc not in (local, "")
               and urlsplit(r.url).scheme not in ("data", "blob") else None)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    ARTEFACTS.mkdir(exist_ok=True)
    try:
        page.goto(print_base_url + "screen/?seconds=2.5", wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).display") == "none"
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-tabs')).display") == "none"
        size = float(page.evaluate("() => getComputedStyle(document.querySelector('.dj-screen')).fontSize")[:-2])
        assert size >= 32, f"body text {size}px: too small to read across a room"
        seen = []
        for name in PANELS:
            page.wait_for_function(  # the panel's turn, after the cross-fade
                f"() => Number(getComputedStyle(document.querySelector('[data-panel=\"{name}\"]')).opacity) === 1",
                timeout=15_000)
            state = page.evaluate("""() => {
                const s = document.scrollingElement;
                const shown = [...document.querySelectorAll('.dj-screen-panel')]
                    .filter(p => getComputedStyle(p).visibility === 'visible' && Number(getComputedStyle(p).opacity) > 0.5)
                    .map(p => p.dataset.panel);
                const panel = document.querySelector('.dj-screen-panel.is-active');
                return {shown, sh: s.scrollHeight, sw: s.scrollWidth, h: innerHeight, w: innerWidth,
                        clipped: panel.scrollHeight > panel.clientHeight + 1};
            }""")
            assert state["shown"] == [name], state
            assert state["sh"] <= state["h"] and state["sw"] <= state["w"], state
            assert not state["clipped"], f"panel {name} is taller than the screen"
            page.screenshot(path=str(ARTEFACTS / f"screen-{name}-1920x1080.png"))
            seen.append(name)
        assert seen == list(PANELS)
        page.wait_for_function("() => document.querySelector('.dj-screen').dataset.current === 'figures'", timeout=10_000)
    finally:
        context.close()
    assert not outside, outside
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.slow
def test_the_screen_reloads_itself_after_a_rebuild(browser, print_site, print_base_url):
    from generator.pages.printed import SCREEN_VERSION

    version = print_site / SCREEN_VERSION
    before = version.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(print_base_url + "screen/?seconds=60&poll=0.5", wait_until="load")
        page.evaluate("() => { window.__stale = true; }")
        page.wait_for_timeout(1500)  # polled at least twice: no reload while nothing changed
        assert page.evaluate("() => window.__stale === true")
        with page.expect_navigation(timeout=10_000):
            version.write_text(json.dumps({"version": "rebuilt"}), encoding="utf-8")
        assert page.evaluate("() => window.__stale === undefined")
    finally:
        version.write_text(before, encoding="utf-8")
        page.close()
