"""Print and display (issue 6): `dangjian pdf` makes the board poster, the honor-roll notice
and the monthly report with headless Chromium, from pages of the normal build.

The PDFs of the sample are checked as a reader would: paper size and orientation, every
font embedded as a font file (no Type 3 glyphs), the Chinese text extractable as it was
written, with no CJK radical in place of a character (branch, 金榜题名, the names that
`dangjian scores` ranks), and the first page of each kept as a PNG in tests/artefacts/.
The helpers the other print/screen tests share are in tests/support/printing.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from support import AS_OF, REPO, copy_sample, inherited_env, run_cli
from support.browser import ARTEFACTS, need_browser, unavailable
from support.printing import A3_LANDSCAPE, A4_PORTRAIT, build_print_site, close, sample_copy


def dangjian(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, env=inherited_env(**(env or {})), timeout=timeout)


def need_cjk_font() -> None:
    """The print font is made from the installed Noto Sans CJK SC, Regular and Bold."""
    from generator.tools import fonts

    if {s.weight for s in fonts.find_sources()} != set(fonts.WEIGHTS):
        unavailable("Noto Sans CJK SC Regular and Bold are not installed (Debian: apt-get install fonts-noto-cjk)")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)


def radicals(text: str) -> list[str]:
    """CJK radicals (U+2E80–U+2FDF) and compatibility ideographs (U+F900–U+FAFF): never the character meant."""
    return sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF or 0xF900 <= ord(c) <= 0xFAFF})


# -- unit tests: no browser --------------------------------------------------------

def test_publicity_period_counts_five_working_days():
    from generator.pages.printed import working_days

    assert working_days(dt.date(2026, 11, 20), 5) == (dt.date(2026, 11, 20), dt.date(2026, 11, 26))  # Fri..Thu
    assert working_days(dt.date(2026, 11, 21), 5) == (dt.date(2026, 11, 23), dt.date(2026, 11, 27))  # Sat -> Mon
    assert working_days(dt.date(2026, 11, 23), 1) == (dt.date(2026, 11, 23), dt.date(2026, 11, 23))


def test_print_pages_have_no_navigation_and_public_contexts_only():
    from generator import pipeline
    from generator.pages.printed import BOARD, HONOR, REPORT, SCREEN, TEMPLATES, print_pages
    from generator.pages.routes import ledger_print_page

    result = pipeline.run(REPO, dt.date.fromisoformat(AS_OF), "public").result
    branch = result.project.branches[0]
    specs = print_pages(result.branches[0].branch, result.branches[0].figures, "public")
    ledgers = [ledger_print_page(q) for q in ("2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4")]  # newest first
    assert [s.path for s in specs] == [BOARD, HONOR, REPORT, SCREEN, *ledgers]
    assert {s.template for s in specs} == set(TEMPLATES)
    assert all(s.nav is None for s in specs)
    text = repr([dict(s.context) for s in specs])
    assert "paid_at" not in text  # dues as aggregates only, even on paper
    for m in branch.members:  # private fields never reach a context
        for private in (m.private.phone, m.private.id_number, m.private.address):
            if private:
                assert str(private) not in text


def test_missing_chromium_is_a_clear_chinese_message(tmp_path):
    result = dangjian("pdf", str(REPO), "-o", str(tmp_path / "pdf"), "--as-of", AS_OF,
                      "--chromium", str(tmp_path / "no-such-chromium"))
    assert result.returncode == 1
    missing = tmp_path / "no-such-chromium"
    assert f"dangjian: 找不到浏览器“{missing}”：请检查 --chromium 或环境变量 CHROMIUM 给出的路径。" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "pdf").exists()


def test_pdf_help_is_in_chinese():
    result = dangjian("pdf", "--help")
    assert result.returncode == 0
    assert "A3" in result.stdout and "--as-of" in result.stdout and "--audience" in result.stdout


# -- the PDFs of the sample --------------------------------------------------------

@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    need_browser()
    root = sample_copy(tmp_path_factory.mktemp("pdf"))
    out = root / "pdf"
    out.mkdir()
    (out / "report-2026-10.pdf").write_bytes(b"%PDF- last month's report\n")  # must be left alone
    start = time.monotonic()
    result = dangjian("pdf", str(root), "--as-of", AS_OF)
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    files = {p.name: p for p in out.glob("*.pdf")}
    assert set(files) == {"board.pdf", "honor-roll.pdf", "report-2026-11.pdf", "report-2026-10.pdf"}, result.stdout
    assert files["report-2026-10.pdf"].read_bytes() == b"%PDF- last month's report\n"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"
    print(f"\n{result.stdout.strip()}\n(the command took {seconds:.1f} s)")
    return files


def page_sizes(path: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(path).pages]


@pytest.mark.browser
@pytest.mark.slow
def test_paper_sizes_and_orientation(pdfs):
    board = page_sizes(pdfs["board.pdf"])
    assert len(board) == 1 and close(board[0], A3_LANDSCAPE), board  # one poster
    honor = page_sizes(pdfs["honor-roll.pdf"])
    assert len(honor) == 1 and close(honor[0], A4_PORTRAIT), honor  # one notice, one sheet
    report = page_sizes(pdfs["report-2026-11.pdf"])
    assert 1 <= len(report) <= 6 and all(close(s, A4_PORTRAIT) for s in report), report


def fonts_of(path: Path) -> list[dict]:
    """Every font used on every page (also inside form XObjects), resolved."""
    from pypdf import PdfReader

    found: dict[int, dict] = {}

    def walk(resources, depth=0):
        if resources is None or depth > 5:
            return
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is not None:
            for ref in fonts.get_object().values():
                found[id(ref.get_object())] = ref.get_object()
        xobjects = resources.get("/XObject")
        if xobjects is not None:
            for ref in xobjects.get_object().values():
                x = ref.get_object()
                if x.get("/Subtype") == "/Form":
                    walk(x.get("/Resources"), depth + 1)

    for page in PdfReader(path).pages:
        walk(page.get("/Resources"))
    return list(found.values())


def descriptor(font):
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    d = font.get("/FontDescriptor")
    return d.get_object() if d is not None else None


def has_font_file(font) -> bool:
    d = descriptor(font)
    return d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def family(font) -> str:
    d = descriptor(font)
    return str(d.get("/FontFamily") or d.get("/FontName")) if d is not None else str(font.get("/BaseFont"))


def type3(fonts: list[dict]) -> list[dict]:
    """Fonts of glyph procedures, without a font file: what Chromium makes of a CFF font such as Noto Sans CJK."""
    return [f for f in fonts if f.get("/Subtype") == "/Type3"]


@pytest.mark.browser
@pytest.mark.slow
def test_every_font_is_a_font_file_and_the_chinese_one_is_the_print_font(pdfs):
    need_cjk_font()
    for name in ("board.pdf", "honor-roll.pdf", "report-2026-11.pdf"):
        fonts = fonts_of(pdfs[name])
        assert fonts, name
        assert not type3(fonts), f"{name}: {len(type3(fonts))} Type 3 fonts (glyphs without a font file)"
        missing = [family(f) for f in fonts if not has_font_file(f)]
        assert not missing, f"{name}: fonts not embedded: {missing}"
        families = {family(f) for f in fonts}
        assert any(f.endswith("+DangjianPrintSans-Regular") for f in families), families
        assert any(f.endswith("+DangjianPrintSans-Bold") for f in families), families  # headings: the Bold face, not a smeared Regular
        assert not [f for f in families if "CJK" in f], f"{name}: glyphs from the installed font, not the print font: {families}"


@pytest.mark.browser
@pytest.mark.slow
def test_text_copies_out_as_characters_not_radicals(pdfs):
    need_cjk_font()
    for name in ("board.pdf", "honor-roll.pdf", "report-2026-11.pdf"):
        text = pdf_text(pdfs[name])
        assert "月" in text and "日" in text, name
        assert not radicals(text), f"{name}: {radicals(text)}"


@pytest.fixture(scope="module")
def honor_names() -> list[str]:
    done = run_cli("scores", ".", "--period", "2026-11", "--as-of", AS_OF, "--json", cwd=REPO)
    assert done.returncode == 0, done.stderr
    names = [e["name"] for e in json.loads(done.stdout)["honor_roll"]]
    assert names
    return names


def branch_name() -> str:
    import yaml

    return yaml.safe_load((REPO / "data" / "branch.yml").read_text(encoding="utf-8"))["name"]


@pytest.mark.browser
@pytest.mark.slow
def test_text_is_chinese_and_names_the_honor_roll(pdfs, honor_names):
    need_cjk_font()
    branch = branch_name()
    honor = pdf_text(pdfs["honor-roll.pdf"])
    for needed in (branch, "金榜题名", "公示期", "2026年11月20日", "2026年11月26日", "盖章", *honor_names):
        assert needed in honor, needed
    positions = [honor.index(n) for n in honor_names]
    assert positions == sorted(positions), "names in rank order"
    board = pdf_text(pdfs["board.pdf"])
    for needed in (branch, "支部动态", "党务公开", "活动感悟", "金榜题名", "政治生日", "攻坚", *honor_names):
        assert needed in board, needed
    report = pdf_text(pdfs["report-2026-11.pdf"])
    for needed in (branch, "月度党建简报", "2026 年 11 月", "金榜题名", "零点行动", "政治生日", "攻坚团队", "特色制度",
                   "责任制", *honor_names):
        assert needed in report, needed


@pytest.mark.browser
@pytest.mark.slow
def test_the_site_carries_the_print_font_and_a_browser_prints_with_it(print_site, print_base_url, browser):
    """Printing from the browser (no `dangjian pdf`) uses the font files in the site, with their licence."""
    from pypdf import PdfReader

    from generator.pages.routes import PRINT_HONOR, page_url

    need_cjk_font()
    folder = print_site / "assets" / "fonts"
    assert sorted(p.name for p in folder.iterdir()) == ["DangjianPrintSans-Bold.ttf", "DangjianPrintSans-Regular.ttf", "OFL.txt"]
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence and "Noto Sans CJK SC" in licence
    page = browser.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(print_base_url + page_url(PRINT_HONOR), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        data = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    target = print_site.parent / "browser-honor-roll.pdf"
    target.write_bytes(data)
    fonts = fonts_of(target)
    assert not type3(fonts), [family(f) for f in fonts]
    assert {family(f).split("+")[-1] for f in fonts} >= {"DangjianPrintSans-Regular", "DangjianPrintSans-Bold"}
    text = "\n".join(p.extract_text() or "" for p in PdfReader(target).pages)
    assert "金榜题名" in text and "月" in text and not radicals(text), radicals(text)


@pytest.mark.browser
@pytest.mark.slow
def test_without_a_chinese_font_the_pdfs_are_made_and_it_says_so_once(tmp_path):
    """A machine with only Latin fonts: no print font, one message in Chinese, the PDFs all the same."""
    import matplotlib

    from generator.tools import fonts

    need_browser()
    if shutil.which("fc-list") is None:
        unavailable("fontconfig's fc-list is not installed: fonts cannot be hidden from the program")
    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu, shipped with matplotlib
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{latin}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>\n',
                    encoding="utf-8")
    env = {"FONTCONFIG_FILE": str(conf), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert subprocess.run(["fc-list", ":lang=zh-cn"], env={**os.environ, **env}, capture_output=True, text=True).stdout == ""
    out = tmp_path / "pdf"
    done = dangjian("pdf", str(REPO), "-o", str(out), "--as-of", AS_OF, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(fonts.NO_FONT) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["board.pdf", "honor-roll.pdf", "report-2026-11.pdf"]
    assert not (tmp_path / "cache" / "dangjian" / "fonts").exists()  # nothing converted, nothing cached


@pytest.mark.browser
@pytest.mark.slow
def test_first_pages_as_png(pdfs):
    if shutil.which("pdftoppm") is None:
        unavailable("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    ARTEFACTS.mkdir(exist_ok=True)
    for name in ("board.pdf", "honor-roll.pdf", "report-2026-11.pdf"):
        stem = ARTEFACTS / f"pdf-{Path(name).stem}"
        done = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdfs[name]),
                               str(stem)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        png = stem.with_suffix(".png")
        assert png.stat().st_size > 10_000, f"{png.name} looks empty"


def test_a_party_committee_site_gets_three_documents_per_branch(tmp_path):
    from support import make_multi

    from generator import pipeline
    from generator.tools.pdf import documents, with_print_pages

    root = make_multi(tmp_path / "multi")
    result = with_print_pages(pipeline.run(root, dt.date.fromisoformat(AS_OF)).result)
    paths = {p.path: p for p in result.pages}
    docs = documents(result)
    assert [d.file for d in docs] == ["b1/board.pdf", "b1/honor-roll.pdf", "b1/report-2026-11.pdf",
                                      "b2/board.pdf", "b2/honor-roll.pdf", "b2/report-2026-11.pdf"]
    for d in docs:
        assert d.page in paths and paths[d.page].prefix == d.page.split("/")[0] + "/"
    assert with_print_pages(result) is result  # added once


def test_a_period_without_a_roll_is_refused_in_chinese(run_dangjian, tmp_path):
    need_browser()
    for period, message in (("2020-01", "2020 年 1 月没有金榜题名（积分台账从 2025-12 起"),
                            ("2026-13", "--period 写月份，如 2026-11（公示和看板按月）"),
                            ("2026-Q3", "--period 写月份，如 2026-11（公示和看板按月）")):
        done = run_dangjian("pdf", REPO, "--as-of", "2026-11-30", "--period", period, "-o", tmp_path / "pdf")
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert not (tmp_path / "pdf").exists()


def test_a_chosen_period_prints_that_months_report_and_board():
    """`pdf --period 2026-11` on 12-07 (issue 31): the 公示, the board and the report all speak of November."""
    from generator import pipeline
    from generator.pages.routes import PRINT_BOARD, PRINT_HONOR, PRINT_REPORT
    from generator.tools.pdf import documents, with_print_pages

    result = with_print_pages(pipeline.run(REPO, dt.date(2026, 12, 7), "public", "2026-11").result)
    assert [d.file for d in documents(result)] == ["board.pdf", "honor-roll.pdf", "report-2026-11.pdf"]
    pages = {p.path: p for p in result.pages}
    report, board, honor = pages[PRINT_REPORT], pages[PRINT_BOARD], pages[PRINT_HONOR]
    assert report.title == "2026 年 11 月党建简报"
    assert report.context["activities"] and {a["date"].month for a in report.context["activities"]} == {11}
    assert report.context["dues_month"] is not None
    assert board.context["month_label"] == "2026 年 11 月" and board.context["month_number"] == 11
    assert all(a["date"] <= dt.date(2026, 11, 30) for a in board.context["dynamics"])
    assert honor.context["honor"]["period"] == "2026 年 11 月" == board.context["honor"]["period"]


def test_the_report_counts_only_the_duties_its_readers_may_see(tmp_path):
    """A public report never says "责任清单共 0 项" of a branch whose duties are party-only (issue 31)."""
    import re

    root = copy_sample(tmp_path / "p")
    duties = root / "data" / "duties.yml"
    duties.write_text(re.sub(r"\n\s*audience: public", "", duties.read_text(encoding="utf-8")), encoding="utf-8")
    site = build_print_site(root, tmp_path / "site")
    text = (site / "print" / "report" / "index.html").read_text(encoding="utf-8")
    assert "责任清单没有对全单位公开的事项" in text and "责任清单共" not in text
    committee = build_print_site(REPO, tmp_path / "committee", audience="committee")
    assert "责任清单共 11 项，已完成 6 项" in (committee / "print" / "report" / "index.html").read_text(encoding="utf-8")
    public = build_print_site(REPO, tmp_path / "public")
    assert "责任清单中对全单位公开的 2 项，已完成 1 项" in (public / "print" / "report" / "index.html").read_text(encoding="utf-8")
