"""Paper for the meeting (issue 33, item 5): a 会议通知 and a 签到表 per planned or recorded meeting,
as print pages, as PDF (`dangjian pdf --sign-in`) and as an Excel sheet that, ticked by hand,
comes back as the meeting's attendance (`dangjian export sign-in`, `dangjian import attendance`).

The sheets name members from the roster: they are the branch's, never the whole unit's.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import AS_OF_DATE as AS_OF
from support import copy_sample

from generator import pipeline
from generator.site.render import make_env, qr_code, render_page

SITE_URL = "http://dangjian.example.cn/"
PLANNED = """- id: 2026-12-zhiweihui
  type: 支委会
  date: 2026-12-03
  title: 研究年终考核
  place: 三楼会议室
  host: m01
  recorder: m02
  # 议程在会前定
  agenda:
    - 研究年终考核方案
  attendees: []

# —— 12月16日 党员大会 ——
- id: 2026-12-dahui
  type: 党员大会
  date: 2026-12-16
  title: 年终党员大会
"""
COMMITTEE = ["周立新", "陈慧敏", "吴雅琴", "孙晓燕", "蒋雨桐"]  # data/branch.yml's committee, in roster order


def project(root: Path, site_url: bool = True) -> Path:
    copy_sample(root)
    if site_url:
        config = root / "mkdocs.yml"
        config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "data" / "activities" / "2026-12.yml").write_text(PLANNED, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return project(tmp_path_factory.mktemp("sign-in") / "p")


def pages(root: Path, audience: str) -> dict:
    outcome = pipeline.run(root, AS_OF, audience)
    assert not outcome.problems
    return {p.path: p for p in outcome.result.pages}


def rendered(root: Path, spec, site_url: str | None = SITE_URL) -> str:
    env = make_env(root)
    env.globals["site_url"] = site_url
    return render_page(env, spec)


def test_the_whole_unit_gets_no_sheet_members_and_committee_get_one_per_meeting(sample):
    public, party, committee = (pages(sample, a) for a in ("public", "party", "committee"))
    assert not [p for p in public if "sign-in" in p or "notice-" in p]
    assert public["compliance/index.md"].context["papers"] == []
    for seen in (party, committee):
        for meeting in ("2026-12-zhiweihui", "2026-12-dahui", "2026-11-dahui", "2026-10-zhiweihui"):
            assert f"print/sign-in-{meeting}.md" in seen and f"print/notice-{meeting}.md" in seen
        assert "print/sign-in-2026-09-zhiweihui.md" not in seen  # before last month: `dangjian pdf --sign-in` makes it
    listed = [p["title"] for p in party["compliance/index.md"].context["papers"]]
    assert listed[-2:] == ["研究年终考核", "年终党员大会"]


def test_a_sheet_lists_those_expected_that_day_with_leave_and_its_reason_for_the_committee_only(sample):
    committee, party = pages(sample, "committee"), pages(sample, "party")
    board = committee["print/sign-in-2026-12-zhiweihui.md"].context["meeting"]
    assert [p["name"] for p in board["people"]] == COMMITTEE  # a 支委会: the committee
    meeting = committee["print/sign-in-2026-11-dahui.md"].context["meeting"]
    assert len(meeting["people"]) == 23  # every member on the roll on 18 November
    assert [(p["name"], p["reason"]) for p in meeting["excused"]] == [("韩卫东", "陪同家人住院手术请事假")]
    html = rendered(sample, committee["print/sign-in-2026-11-dahui.md"])
    assert "<td>韩卫东</td>" in html and "请假：陪同家人住院手术请事假" in html
    assert "应到 23 人" in html
    party_html = rendered(sample, party["print/sign-in-2026-11-dahui.md"])
    assert "<td>韩卫东</td>" in party_html and "陪同家人" not in party_html  # the reason is the committee's


def test_the_qr_code_opens_the_meetings_record_on_the_intranet(sample):
    spec = pages(sample, "party")["print/sign-in-2026-12-zhiweihui.md"]
    html = rendered(sample, spec)
    address = SITE_URL + "records/2026-12-zhiweihui/"
    assert str(qr_code(address)) in html
    assert f'<span class="dj-qr-url">{address}</span>' in html


def test_without_a_site_url_the_sheet_and_a_reminder_say_why_there_is_no_qr(tmp_path):
    root = project(tmp_path / "p", site_url=False)
    outcome = pipeline.run(root, AS_OF, "party")
    assert [str(r) for r in outcome.reminders if r.path == "mkdocs.yml"] == [
        "mkdocs.yml:1: 提醒：没有写 site_url（网站在内网上的地址），会议签到表上就没有打开会议纪实的二维码："
        "请在 mkdocs.yml 加一行，如 site_url: http://dangjian.example.cn/"]
    spec = next(p for p in outcome.result.pages if p.path == "print/sign-in-2026-12-zhiweihui.md")
    html = rendered(root, spec, site_url=None)
    assert "<svg" not in html and "没有二维码：mkdocs.yml 没有写 site_url" in html
    assert not [r for r in pipeline.run(root, AS_OF, "public").reminders if r.path == "mkdocs.yml"]  # no sheets there


# -- Excel: export, tick, import --------------------------------------------------------

def export(run_dangjian, root: Path, meeting: str, out: Path, *extra: str, as_of: dt.date = AS_OF):
    return run_dangjian("export", "sign-in", meeting, root, "--as-of", as_of.isoformat(), "-o", out, *extra)


def tick(path: Path, target: Path, marks: dict[str, str], reasons: dict[str, str] | None = None) -> Path:
    """The exported sheet with 出席 (D) or 请假 (E) ticked for the names given."""
    book = openpyxl.load_workbook(path)
    ws = book.active
    for row in range(4, ws.max_row + 1):
        name = ws.cell(row, 3).value
        if name in marks:
            ws.cell(row, 4 if marks[name] == "出席" else 5).value = "√"
        if reasons and name in reasons:
            ws.cell(row, 6).value = reasons[name]
    book.save(target)
    return target


def test_the_sheet_ticked_comes_back_as_the_attendance_once(tmp_path, run_dangjian):
    root = project(tmp_path / "p")
    blank = tmp_path / "签到表.xlsx"
    done = export(run_dangjian, root, "2026-12-zhiweihui", blank)
    assert done.returncode == 0, done.stderr
    ws = openpyxl.load_workbook(blank).active
    assert [c.value for c in ws[2]][:4] == ["会议编号", "2026-12-zhiweihui", "支部代号", "jiguan1"]
    assert [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)] == COMMITTEE
    assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str))
    ticked = tick(blank, tmp_path / "ticked.xlsx", {"周立新": "出席", "陈慧敏": "出席", "吴雅琴": "请假", "蒋雨桐": "出席"},
                  {"吴雅琴": "外出培训"})
    done = run_dangjian("import", "attendance", ticked, root)
    assert done.returncode == 0, done.stderr
    text = (root / "data" / "activities" / "2026-12.yml").read_text(encoding="utf-8")
    assert text.startswith(PLANNED.split("  attendees: []")[0] + """  attendees: [m01, m02, m18]
  absent: [m06]
  excused:
    - {member: m04, reason: "外出培训"}

# —— 12月16日 党员大会 ——
""")  # the draft's empty attendees replaced, the comments kept, the next record untouched
    assert run_dangjian("check", root).returncode == 0
    again = run_dangjian("import", "attendance", ticked, root)
    assert again.returncode == 0, again.stderr
    assert "data/activities/2026-12.yml:1: 这次会议已经登记了同样的出席情况，没有需要写入的内容。" in again.stdout
    assert (root / "data" / "activities" / "2026-12.yml").read_text(encoding="utf-8") == text
    # exported again after the meeting, its recorded attendance is ticked already: back, it changes nothing
    export(run_dangjian, root, "2026-12-zhiweihui", tmp_path / "again.xlsx", as_of=dt.date(2026, 12, 4))
    assert run_dangjian("import", "attendance", tmp_path / "again.xlsx", root).returncode == 0
    other = tick(blank, tmp_path / "other.xlsx", {"周立新": "出席"})
    refused = run_dangjian("import", "attendance", other, root)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        "data/activities/2026-12.yml:1: 这次会议已经登记了出席情况（出席 3 人），与表格不同：请核对；"
        "要以表格为准，先删去这条记录的 attendees、absent 和 excused 几行，再导入")
    assert (root / "data" / "activities" / "2026-12.yml").read_text(encoding="utf-8") == text


def test_every_bad_cell_is_told_at_once_and_nothing_is_written(tmp_path, run_dangjian):
    root = project(tmp_path / "p")
    before = (root / "data" / "activities" / "2026-12.yml").read_bytes()
    blank = tmp_path / "s.xlsx"
    assert export(run_dangjian, root, "2026-12-zhiweihui", blank).returncode == 0
    book = openpyxl.load_workbook(blank)
    ws = book.active
    ws["D4"], ws["E4"] = "√", "√"  # both
    ws["D5"] = "到了"  # not a tick
    ws["B6"] = "m99"  # not on the roster
    book.save(tmp_path / "bad.xlsx")
    done = run_dangjian("import", "attendance", tmp_path / "bad.xlsx", root)
    assert done.returncode == 1
    sheet = f"{tmp_path / 'bad.xlsx'}:签到表"
    assert done.stderr.splitlines() == [
        f"{sheet}!D4: 周立新同时打了“出席”和“请假”：请只留一个",
        f"{sheet}!D5: “到了”看不出是否打勾：打勾的写 √，没有的留空",
        f"{sheet}!B6: “m99”不在党员名册中：请核对编号，或先在名册中添加",
        "共 3 处问题，没有导入：请改正表格后重新导入。"]
    ws["B2"] = "2026-12-nope"
    for cell in ("D4", "E4", "D5"):
        ws[cell] = None
    ws["B6"], ws["D7"] = "m04", "√"
    book.save(tmp_path / "unknown.xlsx")
    done = run_dangjian("import", "attendance", tmp_path / "unknown.xlsx", root)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith(
        f"{tmp_path / 'unknown.xlsx'}: 没有编号为“2026-12-nope”的会议：请核对 data/activities/ 里会议的 id")
    assert (root / "data" / "activities" / "2026-12.yml").read_bytes() == before


def test_export_refuses_an_unknown_meeting_and_the_whole_unit(tmp_path, run_dangjian, sample):
    out = tmp_path / "s.xlsx"
    done = export(run_dangjian, sample, "2026-12-nope", out)
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.startswith("dangjian: 没有编号为“2026-12-nope”的会议：请核对 data/activities/ 里会议的 id（最近的会议有：")
    done = export(run_dangjian, sample, "2026-12-zhiweihui", out, "--audience", "public")
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.strip() == "dangjian: 签到表列出党员姓名，不对全单位公开：请用 --audience party 或 --audience committee（默认）"


# -- dangjian pdf --sign-in -------------------------------------------------------------

def test_pdf_refuses_without_a_site_url_the_whole_unit_and_an_unknown_meeting(tmp_path, run_dangjian):
    bare = project(tmp_path / "bare", site_url=False)
    done = run_dangjian("pdf", bare, "--sign-in", "2026-12-zhiweihui", "--as-of", AS_OF.isoformat(), "-o", tmp_path / "pdf")
    assert done.returncode == 1 and not (tmp_path / "pdf").exists()
    assert done.stderr.strip() == ("mkdocs.yml:1: 没有写 site_url（网站在内网上的地址），签到表上的二维码无从打开会议纪实：请在 mkdocs.yml "
                                   "加一行，如 site_url: http://dangjian.example.cn/，再生成。没有生成 PDF。")
    done = run_dangjian("pdf", bare, "--sign-in", "2026-12-zhiweihui", "--audience", "public", "-o", tmp_path / "pdf")
    assert done.returncode == 1 and "签到表列出党员姓名，不对全单位公开" in done.stderr


@pytest.mark.slow
def test_pdf_sign_in_prints_the_notice_and_the_sheet_of_any_meeting(tmp_path, run_dangjian, sample):
    from support.browser import need_browser

    need_browser()
    import pypdf

    out = tmp_path / "pdf"
    done = run_dangjian("pdf", sample, "--sign-in", "nope", "--as-of", AS_OF.isoformat(), "-o", out)
    assert done.returncode == 1 and not out.exists()
    assert "dangjian: 没有编号为“nope”的会议（支委会版，截至 2026-11-20）" in done.stderr
    for meeting in ("2026-12-zhiweihui", "2026-03-zhiweihui"):  # planned, and recorded long before the site's window
        done = run_dangjian("pdf", sample, "--sign-in", meeting, "--as-of", AS_OF.isoformat(), "-o", out)
        assert done.returncode == 0, done.stderr
        sheet = "".join(p.extract_text() for p in pypdf.PdfReader(out / f"sign-in-{meeting}.pdf").pages)
        notice = "".join(p.extract_text() for p in pypdf.PdfReader(out / f"notice-{meeting}.pdf").pages)
        assert "支委会签到表" in sheet and "扫码打开会议纪实" in sheet and f"records/{meeting}/" in re.sub(r"\s", "", sheet)
        assert all(name in sheet for name in COMMITTEE)
        assert "关于召开支委会的通知" in notice
    assert sorted(p.name for p in out.iterdir()) == ["notice-2026-03-zhiweihui.pdf", "notice-2026-12-zhiweihui.pdf",
                                                     "sign-in-2026-03-zhiweihui.pdf", "sign-in-2026-12-zhiweihui.pdf"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(marks=st.lists(st.sampled_from(("出席", "请假", "缺席")), min_size=5, max_size=5),
       reason=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), min_size=1, max_size=20))
def test_any_ticks_and_any_reason_are_written_as_yaml_that_reads_back_the_same(marks, reason):
    """Whatever the sheet says (a reason with quotes, colons, # or braces too), the lines added
    to the record read back as exactly that attendance."""
    from generator.load.yamlio import parse_yaml_text
    from generator.model.records import Src
    from generator.tools.attendance import Marked, with_attendance

    ids = ["m01", "m02", "m04", "m06", "m18"]
    marked = Marked([m for m, k in zip(ids, marks) if k == "出席"], [m for m, k in zip(ids, marks) if k == "缺席"],
                    [(m, reason) for m, k in zip(ids, marks) if k == "请假"])
    meeting = _planned_meeting(Src("data/activities/2026-12.yml", 1))
    text = with_attendance(PLANNED, meeting, marked)
    assert text is not None
    items = parse_yaml_text(text, "data/activities/2026-12.yml").value
    first, second = items
    assert first["attendees"] == marked.attendees
    assert first.get("absent", []) == marked.absent
    assert [(e["member"], e["reason"]) for e in first.get("excused", [])] == marked.excused
    assert first["agenda"] == ["研究年终考核方案"] and second["id"] == "2026-12-dahui" and "attendees" not in second


def _planned_meeting(src):
    from generator.model.records import Activity

    return Activity("2026-12-zhiweihui", "支委会", dt.date(2026, 12, 3), "研究年终考核", None, None, None, None, None,
                    (), (), None, None, (), (), (), (), "public", src)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)])
def test_the_sheet_and_the_notice_fit_a_desktop_and_a_phone(browser, sample, viewport, tmp_path, run_dangjian):
    """As a person sees them: no page scrolls sideways, every name is on one line, the QR code is whole."""
    from support.browser import serve

    done = run_dangjian("build", sample, "--audience", "party", "--as-of", AS_OF.isoformat(), "-o", tmp_path / "site")
    assert done.returncode == 0, done.stderr
    width, height = viewport
    artefacts = Path(__file__).resolve().parent / "artefacts"
    artefacts.mkdir(exist_ok=True)
    with serve(tmp_path / "site") as base:
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        for name in ("sign-in-2026-11-dahui", "notice-2026-11-dahui", "sign-in-2026-12-zhiweihui"):
            page.goto(f"{base}print/{name}/", wait_until="load")
            page.screenshot(path=str(artefacts / f"{name}-{width}x{height}.png"), full_page=True)
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width, name
            if name.startswith("sign-in"):
                qr = page.locator("svg.dj-qr-code").bounding_box()
                assert qr and qr["width"] > 100 and qr["x"] >= 0 and qr["x"] + qr["width"] <= width, (name, qr)
                heights = page.evaluate("[...document.querySelectorAll('table.dj-sheet-rows td:nth-child(2)')]"
                                        ".map(td => td.getBoundingClientRect().height)")
                rows = page.evaluate("[...document.querySelectorAll('table.dj-sheet-rows td:nth-child(1)')]"
                                     ".map(td => td.getBoundingClientRect().height)")
                assert heights == rows and max(heights) < 60, (name, heights)  # a name never wraps to a column of characters
