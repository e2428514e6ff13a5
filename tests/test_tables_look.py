"""Every kanban table and figure card looks finished on screen (issue 13), as Chromium draws it.

mkdocs-material styles only tables without a class, and every table we generate has
the class `dj-table`: left alone they had no rules, no padding and no zebra rows. The
sample's party site is built once; on each page holding a `dj-table` the browser
must report cell padding and rule lines, right-aligned numbers, and on a phone a page
that does not scroll sideways, its wide tables scrolling in their own boxes.
Screenshots go to tests/artefacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import MONTH_END as AS_OF
from support import REPO, copy_sample, inherited_env, run_cli
from support.browser import ARTEFACTS, LINE_BREAKS, serve

VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the browser's own measure of each dj-table and its cells
MEASURE = """() => [...document.querySelectorAll('table.dj-table')].map(t => {
  const cell = t.querySelector('tbody td') || t.querySelector('td');
  const style = cell ? getComputedStyle(cell) : null;
  const nums = [...t.querySelectorAll('td.dj-num')].map(c => getComputedStyle(c).textAlign);
  return {
    classes: t.className,
    padding: style ? parseFloat(style.paddingLeft) : 0,
    rule: style ? parseFloat(style.borderTopWidth) : 0,
    frame: parseFloat(getComputedStyle(t).borderTopWidth),
    overflow: getComputedStyle(t).overflowX,
    wide: t.scrollWidth > t.clientWidth + 1,
    right: t.getBoundingClientRect().right,
    nums: nums,
  };
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("tables"))
    done = run_cli("build", root, "-o", root / "site", "--as-of", AS_OF, "--audience", "committee", cwd=REPO, env=inherited_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    return root / "site"


def table_pages(site: Path) -> dict[tuple[str, str], str]:
    """One page per kind of table in each section (the first that has it): {(section, classes): path}."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).parent.as_posix()
        if rel.startswith(("print", "screen")):
            continue  # paper and the lobby screen have their own stylesheets (tests/test_print_css.py)
        for classes in re.findall(r'<table[^>]*class="(dj-table[^"]*)"', path.read_text(encoding="utf-8")):
            found.setdefault((rel.split("/")[0], classes), "" if rel == "." else rel + "/")
    return found


def test_the_sample_has_every_kind_of_table(site):
    assert len(set(table_pages(site).values())) >= 10, table_pages(site)
    assert len(table_pages(site)) >= 14, table_pages(site)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_table_is_styled_and_a_phone_page_never_scrolls_sideways(browser, site, viewport):
    width, height = VIEWPORTS[viewport]
    pages = table_pages(site)
    ARTEFACTS.mkdir(exist_ok=True)
    unstyled, cut_off = [], []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for path in sorted(set(pages.values())):
            page.goto(base + path, wait_until="load")
            for table in page.evaluate(MEASURE):
                if table["padding"] < 4 or table["rule"] < 0.5 or table["frame"] < 0.5:
                    unstyled.append((path, table["classes"], table["padding"], table["rule"]))
                if any(align not in ("right", "end") for align in table["nums"]):
                    unstyled.append((path, table["classes"], "numbers not right-aligned"))
                if table["wide"] and table["overflow"] != "auto":
                    cut_off.append((path, table["classes"], "wide but not scrollable"))
                if table["right"] > width + 1:
                    cut_off.append((path, table["classes"], f"reaches x={table['right']:.0f}"))
            sideways = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            if sideways > 1:
                cut_off.append((path, "page", f"scrolls {sideways}px sideways"))
            name = re.sub(r"\W+", "-", path).strip("-") or "home"
            page.locator("table.dj-table").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTEFACTS / f"table-{name}-{viewport}.png"))
        context.close()
    assert not unstyled, unstyled
    assert not cut_off, cut_off


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_figure_cards_never_break_inside_a_word(browser, site, viewport):
    width, height = VIEWPORTS[viewport]
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        bad = []
        for path in ("", "practices/"):
            page.goto(base + path, wait_until="load")
            values = page.evaluate(LINE_BREAKS, ".dj-figure-value")
            assert len(values) >= 4, path
            bad += [(path, v["text"], "the figure wraps") for v in values if v["breaks"]]
            for el in page.evaluate(LINE_BREAKS, ".dj-figure-label, .dj-figure-note"):
                inside = [b["pair"] for b in el["breaks"] if b["inside"] and not b["pair"][0].isspace()]
                bad += [(path, el["text"], b) for b in inside]
        page.goto(base, wait_until="load")
        page.screenshot(path=str(ARTEFACTS / f"cards-home-{viewport}.png"))
        context.close()
    assert not bad, bad
