"""`dangjian export report|ledger`: Word documents with the site's own figures and the 会议记录 layout.

The project is a copy of the sample with one more meeting that has every field of a
meeting record (记录人, 议程, 决议, an absentee with a reason), so the tests do not
depend on what the sample's own records hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html.parser
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from support import MONTH_END as AS_OF
from support import REPO, copy_sample, run_cli

from generator import pipeline
from generator.cli import data as data_commands
from generator.load.validate import load_project
from generator.pages.routes import PRINT_REPORT
from generator.site.render import make_env, render_page

REASON = "赴外省参加测试专项培训班"  # in no record of the sample
MEETING = "测试党课：台账导出逐项核对"
MEETING_YAML = f"""
- id: 2026-08-test-dangke
  type: 党课
  date: 2026-08-27
  title: {MEETING}
  place: 机关五楼测试会议室
  host: m01
  recorder: m02
  speaker: m05
  attendees: [m01, m02, m03, m05]
  absent: [m07]
  excused: [{{member: m09, reason: {REASON}}}]
  agenda: [领学测试文件, 讨论测试事项]
  decisions: [通过测试决议甲, 布置测试任务乙]
  summary: 测试纪要：逐项核对台账导出。
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("word") / "project")
    with (root / "data" / "activities" / "2026-08.yml").open("a", encoding="utf-8") as f:
        f.write(MEETING_YAML)
    return root


@pytest.fixture(scope="module")
def names(project) -> dict[str, str]:
    loaded = load_project(project)
    assert not loaded.problems, loaded.problems
    return {m.id: m.name for m in loaded.project.branches[0].members}


def _cli(*argv) -> int:
    parser = argparse.ArgumentParser(prog="dangjian")
    data_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def _export(project: Path, out: Path, what: str, *options) -> Document:
    assert _cli("export", what, project, *options, "--as-of", AS_OF, "-o", out) == 0
    return Document(str(out))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tables(doc) -> list[list[list[str]]]:
    return [[[_squash(c.text) for c in row.cells] for row in t.rows] for t in doc.tables]


def _records(doc) -> list[dict[str, str]]:
    """Each 会议记录 form of a ledger: label -> value (merged cells read once)."""
    forms = []
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][0] != "会议名称":
            continue
        form = {}
        for row in rows:
            form[row[0]] = row[1]
            if row[2] != row[1]:  # two pairs in this row
                form[row[2]] = row[3]
        forms.append(form)
    return forms


def _record(doc, title: str) -> dict[str, str]:
    return next(form for form in _records(doc) if form["会议名称"] == title)


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


# -- the meeting 台账 --------------------------------------------------------------

def test_ledger_has_a_cover_a_list_of_contents_and_each_meeting_on_its_own_page(project, tmp_path, capsys):
    doc = _export(project, tmp_path / "台账.docx", "ledger", "--period", "2026-Q3")
    said = capsys.readouterr().out
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "2026 年第 3 季度组织生活会议记录台账"
    branch = load_project(project).project.branches[0]
    expected = sorted((a for a in branch.activities if a.type in ("支委会", "党员大会", "党小组会", "党课", "主题党日",
                                                                  "组织生活会", "民主评议", "谈心谈话")
                       and dt.date(2026, 7, 1) <= a.date <= dt.date(2026, 9, 30)), key=lambda a: (a.date, a.id))
    assert f"共 {len(expected)} 次会议" in texts[1] and branch.name in texts[1]
    assert f"会议 {len(expected)} 次" in said and "已导出" in said
    contents = doc.tables[0]
    assert [c.text for c in contents.rows[0].cells] == ["序号", "时间", "会议类型", "会议名称", "页码"]
    assert [r.cells[3].text for r in contents.rows[1:]] == [a.title for a in expected]  # every meeting, in date order
    assert MEETING in [r.cells[3].text for r in contents.rows[1:]]
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1" and p.text != "目录"]
    assert [h.text for h in headings] == [f"{k}. {a.title}" for k, a in enumerate(expected, 1)]
    assert all(h.paragraph_format.page_break_before for h in headings)  # one meeting a page
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_ledger_record_holds_every_field_of_the_meeting(project, names, tmp_path):
    doc = _export(project, tmp_path / "台账.docx", "ledger", "--period", "2026-08")
    form = _record(doc, MEETING)
    assert form["会议类型"] == "党课" and form["时间"] == "2026年8月27日" and form["地点"] == "机关五楼测试会议室"
    assert form["主持人"] == names["m01"] and form["记录人"] == names["m02"] and form["主讲人"] == names["m05"]
    assert "领学人" not in form  # only where given
    assert form["应到人数"] == "6 人" and form["实到人数"] == "4 人"
    assert form["出席人员"] == "、".join(names[m] for m in ("m01", "m02", "m03", "m05"))
    assert form["缺席人员及原因"] == f"{names['m07']}、{names['m09']}（{REASON}）"  # the committee's default ledger
    assert form["会议议程"].splitlines() == ["1. 领学测试文件", "2. 讨论测试事项"]
    assert form["会议决议"].splitlines() == ["1. 通过测试决议甲", "2. 布置测试任务乙"]
    assert form["内容纪要"] == "测试纪要：逐项核对台账导出。"


@pytest.mark.parametrize("audience", ["party", "public"])
def test_absence_reasons_are_in_no_byte_of_a_party_or_public_ledger(project, names, tmp_path, audience):
    committee = tmp_path / "committee.docx"
    _export(project, committee, "ledger", "--period", "2026-Q3", "--audience", "committee")
    assert any(REASON.encode() in data for data in _entries(committee).values())  # the check can see it
    out = tmp_path / f"{audience}.docx"
    form = _record(_export(project, out, "ledger", "--period", "2026-Q3", "--audience", audience), MEETING)
    assert not any(REASON.encode() in data for data in _entries(out).values())
    assert form["实到人数"] == "4 人"
    if audience == "party":
        assert form["缺席人员"] == f"{names['m07']}、{names['m09']}" and form["应到人数"] == "6 人"
    else:  # the public scope holds no absentees: neither their names nor a number expected that would count them
        assert not any(label.startswith("缺席") for label in form) and "应到人数" not in form


def test_same_records_give_the_same_bytes_dated_the_as_of_day(project, tmp_path):
    for what, period, day in (("ledger", "2026-Q3", dt.date(2026, 9, 30)), ("report", "2026-11", dt.date(2026, 11, 30))):
        first, second = tmp_path / f"{what}-1.docx", tmp_path / f"{what}-2.docx"
        _export(project, first, what, "--period", period)
        doc = _export(project, second, what, "--period", period)
        assert first.read_bytes() == second.read_bytes()
        with zipfile.ZipFile(second) as z:
            assert {i.date_time for i in z.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}
        props = doc.core_properties
        assert props.created.date() == day and props.modified.date() == day and props.author != "python-docx"


def test_chinese_fonts_are_set_for_text_and_headings_on_a4(project, tmp_path):
    doc = _export(project, tmp_path / "台账.docx", "ledger", "--period", "2026-Q3")

    def east_asian(style_name):
        fonts = doc.styles[style_name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the named one
        return fonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") in ("宋体", "仿宋")
    assert east_asian("Title") == east_asian("Heading 1") == "黑体"
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


class _RecordTables(html.parser.HTMLParser):
    """The 会议记录 tables of the site's printed 台账 page: label -> value, list items one a line."""

    def __init__(self):
        super().__init__()
        self.records: list[dict[str, str]] = []
        self._label: str | None = None
        self._text: list[str] | None = None
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "dj-record" in (dict(attrs).get("class") or "").split():
            self._inside = True
            self.records.append({})
        elif self._inside and tag in ("th", "td"):
            self._text = []
        elif self._inside and tag == "li" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag):
        if tag == "table":
            self._inside = False
        elif self._inside and tag in ("th", "td") and self._text is not None:
            text = "\n".join(_squash(line) for line in "".join(self._text).split("\n") if line.strip())
            if tag == "th":
                self._label = text
            else:
                self.records[-1][self._label or ""] = text
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


@pytest.mark.parametrize("audience", ["committee", "party", "public"])
def test_ledger_records_are_the_sites_printed_ledger(project, tmp_path, audience):
    from generator.pages.routes import ledger_print_page

    doc = _export(project, tmp_path / "台账.docx", "ledger", "--period", "2026-Q3", "--audience", audience)
    result = pipeline.site(load_project(project).project, dt.date(2026, 9, 30), audience)
    page = next(p for p in result.pages if p.path == ledger_print_page("2026-Q3"))
    site = _RecordTables()
    site.feed(render_page(make_env(project), page))
    numbered = ("会议议程", "会议决议")  # the site numbers them with <ol>, Word in the text
    forms = [{label: "\n".join(_squash(re.sub(r"^\d+\. ", "", line) if label in numbered else line)
                                for line in value.splitlines()) for label, value in form.items()}
             for form in _records(doc)]
    assert forms == site.records and len(forms) >= 5  # every meeting, in the same order, cell for cell


# -- the monthly report -------------------------------------------------------------

class _ReportText(html.parser.HTMLParser):
    """The printed report page as a reader sees it: its tables' cells, its figure cards and its lines of text."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.figures: list[list[str]] = []
        self.lines: list[str] = []
        self._stack: list[str] = []
        self._text: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("style", "figcaption"):
            self._skip += 1
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag == "div" and "dj-report-figure" in classes:
            self.figures.append([])
        if tag in ("td", "th", "p", "li", "h1", "h2", "h3") or (tag == "span" and self.figures and self._stack[-1:] == ["div"]):
            self._text = []
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("style", "figcaption"):
            self._skip -= 1
        if self._text is not None:
            text = _squash("".join(self._text))
            if tag in ("td", "th"):
                self.tables[-1][-1].append(text)
                self._text = None
            elif tag == "span" and self.figures and self._stack[-2:-1] == ["div"]:
                self.figures[-1].append(text)
                self._text = None
            elif tag in ("p", "li", "h1", "h2", "h3"):
                self.lines.append(text)
                self._text = None
        self._stack.pop()

    def handle_data(self, data):
        if self._text is not None and not self._skip:
            self._text.append(data)


def _printed_report(project: Path, as_of: dt.date) -> _ReportText:
    """The site's own print/report page for `as_of`, rendered by the site's templates."""
    loaded = load_project(project)
    result = pipeline.site(loaded.project, as_of, "public")
    page = next(p for p in result.pages if p.path == PRINT_REPORT)
    reader = _ReportText()
    reader.feed(render_page(make_env(project), page))
    return reader


@pytest.mark.parametrize("period, drawn_up", [("2026-11", dt.date(2026, 11, 30)), ("2026-10", dt.date(2026, 10, 31))])
def test_report_has_the_printed_reports_figures_tables_and_sentences(project, tmp_path, period, drawn_up):
    doc = _export(project, tmp_path / "简报.docx", "report", "--period", period)  # public by default, like the paper
    site = _printed_report(project, drawn_up)  # a past month: the report as it stood on its last day
    tables = _tables(doc)
    assert tables[0][0] == ["项目", "数值", "说明"]
    assert tables[0][1:] == site.figures and len(site.figures) >= 4
    for table in site.tables:
        assert table in tables, table  # same header, same rows, same cells
    assert len(site.tables) >= 4
    text = [_squash(p.text) for p in doc.paragraphs if p.text.strip()]
    for line in site.lines:
        assert line in text, line
    assert doc.paragraphs[0].text == "月度党建简报"
    assert f"数据截至 {drawn_up.year}年{drawn_up.month}月{drawn_up.day}日" in doc.paragraphs[1].text


def test_committee_report_counts_the_committees_meetings(project, tmp_path):
    public = _export(project, tmp_path / "public.docx", "report", "--period", "2026-11")
    committee = _export(project, tmp_path / "committee.docx", "report", "--period", "2026-11", "--audience", "committee")
    activities = [t for t in _tables(public) if t[0][:2] == ["日期", "类型"]][0]
    inside = [t for t in _tables(committee) if t[0][:2] == ["日期", "类型"]][0]
    assert len(inside) >= len(activities)  # a committee reader may see more meetings, never fewer
    assert {tuple(r) for r in activities} <= {tuple(r) for r in inside}


# -- refusals ------------------------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (("report", "--period", "2026-Q3", "-o", "简报.docx"), "月份"),
    (("report", "--period", "2026", "-o", "简报.docx"), "月份"),
    (("ledger", "--period", "2026-13", "-o", "台账.docx"), "--period 应写成"),
    (("ledger", "--period", "2027-Q1", "-o", "台账.docx"), "还没有开始"),
    (("ledger", "--period", "2026-Q3", "-o", "台账.xlsx"), ".docx"),
    (("report", "--period", "2026-11", "-o", "简报.pdf"), ".docx"),
])
def test_bad_period_or_suffix_is_refused_in_chinese(project, tmp_path, capsys, argv, message):
    what, *options, flag, name = argv
    out = tmp_path / name
    assert _cli("export", what, project, *options, "--as-of", AS_OF, flag, out) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_excel_kind_with_a_docx_name_points_to_the_word_kinds(project, tmp_path, capsys):
    out = tmp_path / "积分.docx"
    assert _cli("export", "scores", project, "--as-of", AS_OF, "-o", out) == 2
    assert "report 或 ledger" in capsys.readouterr().err and not out.exists()


def test_command_line_refusal_has_no_traceback(project, tmp_path):
    done = run_cli("export", "report", project, "--period", "2026-Q3", "--as-of", AS_OF, "-o", tmp_path / "简报.docx", cwd=REPO)
    assert done.returncode == 1
    assert "月度党建简报按月" in done.stderr and "Traceback" not in done.stderr


def test_docx_is_a_plain_zip_word_opens(project, tmp_path):
    out = tmp_path / "台账.docx"
    _export(project, out, "ledger", "--period", "2026-Q3")
    entries = _entries(out)
    assert next(iter(entries)) == "[Content_Types].xml"  # Word wants it first
    assert Document(io.BytesIO(out.read_bytes())).paragraphs[0].text  # and python-docx reads it back


@pytest.mark.parametrize("period, drawn_up, rows", [
    ("2026-10", dt.date(2026, 10, 31), [["0/0次", "—"], ["0/0次", "—"], ["0/0篇", "—"], ["0/0个月", "—"]]),
    ("2026-11", dt.date(2026, 11, 30), [["1/1次", "100%"], ["1/1次", "100%"], ["0/2篇", "0%"], ["1/1个月", "100%"]]),
])
def test_a_branch_that_starts_in_november_is_measured_from_november_in_the_report(tmp_path, period, drawn_up, rows):
    """`since: 2026-11` (its older records came along): the execution evaluation counts from November, says so,
    and owes nothing in October; the Word report and the printed report agree (issue 31)."""
    root = copy_sample(tmp_path / "p")
    branch = root / "data/branch.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("since: 2025-12", "since: 2026-11"), encoding="utf-8")
    doc = _export(root, tmp_path / "简报.docx", "report", "--period", period)
    heading = "一组特色制度·执行评估（2026年自11月起累计）"
    assert heading in [_squash(p.text) for p in doc.paragraphs]
    table = next(t for t in _tables(doc) if t[0] == ["制度", "衡量", "完成", "比例"])
    assert [row[2:] for row in table[1:]] == rows
    site = _printed_report(root, drawn_up)
    assert heading in site.lines and table in site.tables


def test_a_branch_that_starts_next_january_builds_its_pages_and_exports_now(tmp_path):
    """`since: 2027-01`, written in December to start afresh (issue 31): every page, the report and the
    scores export are made on a day before it, with no chart of months that do not count yet."""
    root = copy_sample(tmp_path / "p")
    branch = root / "data/branch.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("since: 2025-12", "since: 2027-01"), encoding="utf-8")
    doc = _export(root, tmp_path / "简报.docx", "report", "--period", "2026-11")
    table = next(t for t in _tables(doc) if t[0] == ["制度", "衡量", "完成", "比例"])
    assert [row[3] for row in table[1:]] == ["—"] * 4  # nothing owed yet: no 0 %, no red
    assert _cli("export", "scores", root, "--as-of", AS_OF, "--audience", "committee", "-o", tmp_path / "积分.xlsx") == 0
    env = make_env(root)
    for audience in ("public", "committee"):
        result = pipeline.site(load_project(root).project, dt.date.fromisoformat(str(AS_OF)), audience)
        pages = {p.path: render_page(env, p) for p in result.pages}
        assert "组织生活次数" not in pages[PRINT_REPORT] and "组织生活</h2>" not in pages["practices/index.md"]
