"""Publishing safely (issue 5): the built site works offline in a real browser.

The sample is built once, served on 127.0.0.1 and every HTML page is opened in headless
Chromium: no request may leave the local server (an intranet has no internet; a
request outside is also a leak of who reads what) and no page may log a console error.
The home page is photographed on a desktop and on a phone (tests/artefacts/), its three
columns must be visible side by side or stacked without overlap, and the search box must
find a two-character word from inside a sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import AS_OF, REPO, copy_sample, inherited_env, run_cli
from support.browser import ARTEFACTS, page_urls, serve, visit_offline

COLUMNS = ("支部动态", "党务公开", "活动感悟")
VIEWPORTS = {"desktop": (1920, 1080), "phone": (390, 844)}
pytestmark = [pytest.mark.browser, pytest.mark.slow]
OUTSIDE_IMAGES = ('\n\n![外网图片](http://127.0.0.2:9/a.png) ![无协议](//127.0.0.2:9/b.png)\n\n'
                  '<img src="https://127.0.0.2:9/c.png">\n')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("offline"))
    # a news item that embeds pictures from other hosts: they must not load (issue 17.3)
    news = sorted((root / "data/news").glob("*.md"))[-1]
    news.write_text(news.read_text(encoding="utf-8") + OUTSIDE_IMAGES, encoding="utf-8")
    result = run_cli("build", root, "-o", root / "site", "--as-of", AS_OF, cwd=REPO, env=inherited_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


def test_every_page_loads_from_the_local_server_only_and_logs_no_error(browser, site, base_url):
    urls = page_urls(site, base_url)
    assert len(urls) > 60  # every generated page: kanban, sections, members, activity months, news
    seen = visit_offline(browser, urls, base_url)
    print(f"\n{len(urls)} pages, {len(seen.requests)} requests, {seen.seconds:.1f} s")
    assert not seen.outside, f"{len(seen.outside)} requests leave the local server, e.g. {seen.outside[:5]}"
    assert not seen.errors, f"{len(seen.errors)} console errors, e.g. {seen.errors[:5]}"
    assert len(seen.requests) >= len(urls)


def boxes_overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_page_columns_and_search(browser, base_url, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base_url, wait_until="load")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"home-{viewport}-{width}x{height}.png"), full_page=True)

    boxes = {}
    for title in COLUMNS:
        column = page.locator("section.dj-column", has=page.locator(f"h2:text-is('{title}')"))
        assert column.count() == 1, f"{viewport}: column {title} not found once"
        assert column.is_visible(), f"{viewport}: column {title} is not visible"
        box = column.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, f"{viewport}: column {title} is {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{viewport}: column {title} is cut off: {box}"
        boxes[title] = box
    for k, a in enumerate(COLUMNS):
        for b in COLUMNS[k + 1:]:
            assert not boxes_overlap(boxes[a], boxes[b]), f"{viewport}: {a} {boxes[a]} overlaps {b} {boxes[b]}"
    if viewport == "desktop":  # three columns side by side on a wide screen
        assert len({round(b["y"]) for b in boxes.values()}) == 1, boxes

    search = page.locator("input.md-search__input")
    if not search.is_visible():  # on a phone the search box opens from the header icon
        page.locator("label.md-header__button[for='__search']").click()
    search.fill("党费")
    # Chinese comes from an input method: the text arrives as one input event and the
    # committing key's keyup follows; material's search on a phone waits for that keyup.
    search.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15000)
    # A result that has the word itself, not only its first character.
    assert results.filter(has_text="党费").count() >= 1, f"{viewport}: no result contains 党费"
    page.screenshot(path=str(ARTEFACTS / f"search-{viewport}-{width}x{height}.png"))
    context.close()
