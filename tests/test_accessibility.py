"""Everyone can read it (issue 32): WCAG 2.1 AA on every page, in the browser a reader uses.

axe-core (the npm package, installed by .ci/run into .ci/npm/, or named by AXE_CORE_JS; never
fetched while the tests run) checks every page of four sites in headless Chromium: the
sample's public and party builds and a small 党委 made by `dangjian synth`, at 1280×900,
and the pages read most on a phone at 390×844. A serious or critical finding fails the
test with the rule, the page and the element. The member page's points table must fit a
phone with the current month first, and the 5W2H table's 状态 must be in view on a desktop.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from support import AS_OF, REPO, copy_sample, inherited_env, run_cli
from support.browser import page_urls, serve, unavailable

AXE_DEFAULT = REPO / ".ci" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP, PHONE = (1280, 900), (390, 844)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_source() -> str:
    path = Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)
    if not path.is_file():
        unavailable(f"axe-core is not installed at {path} (npm install --prefix .ci/npm axe-core@4.14, as .ci/run does; or set AXE_CORE_JS)")
    return path.read_text(encoding="utf-8")


def _build(root: Path, out: Path, audience: str) -> Path:
    done = run_cli("build", root, "-o", out, "--as-of", AS_OF, "--audience", audience, cwd=REPO, env=inherited_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Each of the four sites, built when a test first asks for it."""
    made: dict[str, Path] = {}
    top = tmp_path_factory.mktemp("a11y")

    def site(name: str) -> Path:
        if name not in made:
            project, audience = name.rsplit("-", 1)
            root = top / project
            if not root.exists():
                if project == "sample":
                    copy_sample(root)
                else:
                    done = run_cli("synth", "-o", root, "--branches", "2", "--members", "24", "--years", "1", cwd=REPO, timeout=300)
                    assert done.returncode == 0, done.stderr
            made[name] = _build(root, top / f"site-{name}", audience)
        return made[name]

    return site


def axe_findings(browser, site: Path, paths: list[str] | None, viewport: tuple[int, int]) -> list[str]:
    """'rule (impact): page element' for each serious or critical node axe finds."""
    script = axe_source()
    found = []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        urls = page_urls(site, base) if paths is None else [base + p for p in paths]
        for url in urls:
            page.goto(url, wait_until="load")
            page.add_script_tag(content=script)
            for v in page.evaluate(RUN_AXE, AXE_TAGS):
                found += [f"{v['id']} ({v['impact']}): {url[len(base):] or '/'} {target}" for target in v["nodes"]]
        context.close()
    return found


def summary(found: list[str]) -> str:
    rules = Counter(f.split(":", 1)[0] for f in found)
    return f"{len(found)} serious/critical: {dict(rules)}; e.g.\n" + "\n".join(found[:15])


@pytest.mark.parametrize("name", ["sample-public", "sample-party", "synth-public", "synth-party"])
def test_every_page_passes_axe_wcag21_aa_on_a_desktop(browser, sites, name):
    found = axe_findings(browser, sites(name), None, DESKTOP)
    assert not found, summary(found)


@pytest.mark.parametrize("name", ["sample-public", "sample-party"])
def test_pages_read_on_a_phone_pass_axe(browser, sites, name):
    found = axe_findings(browser, sites(name), ["", "honor-roll/", "members/m01/"], PHONE)
    assert not found, summary(found)


def test_the_report_and_the_notice_read_on_a_phone_without_sideways_scrolling(browser, sites):
    """The 月度简报 and the 公示 are printable sheets, 182 mm wide; on a phone they reflow to its width
    (WCAG 1.4.10), a wide table scrolling inside itself. The board stays a poster."""
    site = sites("sample-public")
    with serve(site) as base:
        page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
        for path in ("print/report/", "print/honor-roll/"):
            page.goto(base + path, wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0], path
            assert page.locator("h1").first.is_visible()
        page.close()


def test_member_points_fit_a_phone_with_the_current_month_first(browser, sites):
    site = sites("sample-party")
    with serve(site) as base:
        page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
        page.goto(base + "members/m01/", wait_until="load")
        periods = page.eval_on_selector_all("h2[id^='积分-']", "hs => hs.map(h => h.id)")
        assert periods == ["积分-2026-11", "积分-2026-Q4", "积分-2026"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        # every figure a reader needs, 贡献 above all, lies inside the screen and is not clipped by its table
        cut = page.evaluate("""() => [...document.querySelectorAll('table.dj-score td, table.dj-score tfoot th')]
            .filter(c => c.getClientRects().length)
            .filter(c => { const r = c.getBoundingClientRect(), t = c.closest('table').getBoundingClientRect();
                           return r.left < 0 || r.right > innerWidth || r.right > t.right + 1; })
            .map(c => c.dataset.label || c.textContent.trim())""")
        assert cut == []
        shown = page.eval_on_selector("table.dj-score tbody tr", "tr => [...tr.children].filter(c => c.getClientRects().length).map(c => c.dataset.label || 'name')")
        assert "贡献" in shown and "累计" in shown
        page.close()


def test_the_5w2h_status_column_is_in_view_at_1440(browser, sites):
    site = sites("sample-party")
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + "duties/", wait_until="load")
        right, table_right, scrolls = page.evaluate("""() => { const t = document.querySelector('table.dj-p-duties');
            const th = [...t.querySelectorAll('thead th')].find(h => h.textContent.trim() === '状态');
            return [th.getBoundingClientRect().right, t.getBoundingClientRect().right, t.scrollWidth > t.clientWidth + 1]; }""")
        assert right <= table_right and right <= 1440 and not scrolls
        page.close()


def test_print_documents_load_the_print_font_only_for_print(browser, sites):
    site = sites("sample-public")
    if not list((site / "assets" / "fonts").glob("*.ttf")):
        unavailable("no Chinese font installed, so the site has no print font (Debian: apt-get install fonts-noto-cjk)")
    with serve(site) as base:
        for media, wanted in (("screen", False), ("print", True)):
            context = browser.new_context()
            page = context.new_page()
            fonts: list[str] = []
            page.on("request", lambda r: r.url.endswith(".ttf") and fonts.append(r.url))
            page.emulate_media(media=media)
            page.goto(base + "print/board/", wait_until="load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            assert bool(fonts) == wanted, (media, fonts)
            context.close()


def test_every_page_is_described_by_its_own_text(sites):
    site = sites("sample-party")
    described = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "<title>" in text and 'http-equiv="refresh"' not in text and path.name != "404.html":
            found = re.search(r'<meta name="description" content="([^"]*)">', text)
            described[path.relative_to(site).as_posix()] = html.unescape(found.group(1)) if found else ""
    assert len(described) > 100 and not [p for p, d in described.items() if not d.strip()]
    assert described["members/m01/index.html"].startswith("周立新：支部职务 支部书记 岗位 综合办公室主任")
    assert described["index.html"].startswith("云溪示例能源有限公司机关第一党支部：中共云溪示例能源有限公司机关委员会 ｜ 岗位在哪里，阵地就在哪里")
    assert all(len(d) <= 120 for d in described.values())


def test_a_notice_with_ties_past_the_top_n_still_fits_one_sheet_with_its_seal(browser, sites, tmp_path):
    """8 names under 前 5 名 (three more tied with the fifth): the real template, rendered with such a roll."""
    import dataclasses
    import datetime as dt

    from pypdf import PdfReader

    from generator import pipeline
    from generator.site.render import make_env, render_page
    from generator.tools.pdf import print_page, with_print_pages

    site = sites("sample-public")
    root = site.parent / "sample"
    result = with_print_pages(pipeline.run(root, dt.date.fromisoformat(AS_OF), "public").result)
    spec = next(p for p in result.pages if p.template == "print_honor_roll.html")
    honor = dict(spec.context["honor"])
    entries = list(honor["entries"])
    assert len(entries) == 5
    honor["entries"] = entries + [{**entries[-1], "name": name} for name in ("甲测试", "乙测试", "丙测试")]
    body = render_page(make_env(root), dataclasses.replace(spec, context={**spec.context, "honor": honor}))
    page = site / "print" / "honor-roll" / "index.html"
    frame = page.read_text(encoding="utf-8")
    start = frame.index(">", frame.index('<article class="md-content__inner md-typeset"')) + 1
    end = frame.index("</article>", start)
    (tmp_path / "ties").mkdir()
    page.with_name("ties.html").write_text(frame[:start] + body + frame[end:], encoding="utf-8")
    with serve(site) as base:
        pdf = tmp_path / "ties.pdf"
        pdf.write_bytes(print_page(browser, base + "print/honor-roll/ties.html"))
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    assert len(pages) == 1, [len(p) for p in pages]
    text = "".join(pages[0].split())
    assert all(n in text for n in ("甲测试", "乙测试", "丙测试", "盖章", "计分办法")), text


LONG_NOTE = ("志愿服务 4 小时：在社区服务中心协助开展老年人智能手机使用培训、防范电信网络诈骗宣传和重阳节慰问走访，"
             "全程记录并整理了服务台账")


def test_a_long_record_note_wraps_inside_the_member_s_table_on_a_phone_and_a_desktop(browser, tmp_path):
    root = copy_sample(tmp_path / "long-note")
    ledger = root / "data/points/2026-11.yml"
    text = ledger.read_text(encoding="utf-8")
    line = "  member: m01\n  indicator: S1\n  points: 4\n  note: 志愿服务 4 小时\n"
    assert text.count(line) == 1
    ledger.write_text(text.replace(line, line.replace("志愿服务 4 小时", LONG_NOTE)), encoding="utf-8")
    site = _build(root, tmp_path / "site", "party")
    with serve(site) as base:
        for width, height in (PHONE, DESKTOP):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "members/m01/", wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            # the note is read whole and every figure beside it stays in the table: nothing scrolls sideways
            note, scrolls, cut = page.evaluate("""() => {
                const rec = [...document.querySelectorAll('.dj-rec')].find(s => s.textContent.includes('重阳节'));
                const table = rec.closest('table').getBoundingClientRect(), r = rec.getBoundingClientRect();
                const cells = [...rec.closest('table').querySelectorAll('td, tfoot th')].filter(c => c.getClientRects().length)
                    .filter(c => { const b = c.getBoundingClientRect(); return b.left < 0 || b.right > innerWidth || b.right > table.right + 1; });
                return [r.left >= table.left && r.right <= table.right + 1,
                        [...document.querySelectorAll('.dj-scroll')].some(d => d.scrollWidth > d.clientWidth + 1),
                        cells.map(c => c.dataset.label || c.textContent.trim())]; }""")
            assert (width, note, scrolls, cut) == (width, True, False, [])
            page.close()
