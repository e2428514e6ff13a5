"""`dangjian export report|ledger`: Word documents (.docx) that a secretary edits and submits.

- `report`: the 月度党建简报 of one month — the sections, sentences and tables of the
  printed report page (`print/report.md`), made from that page's own context
  (`pages.printed.print_pages`), so every figure is the site's; the charts stay on the
  site. The month's report is drawn up on the as-of date, or on the month's last day
  when the month is over: what `dangjian build --as-of` of that day prints.
- `ledger`: the meeting 台账 of a month, a quarter or a year — a cover line, a list of
  contents and every minuted meeting (`compute.dates.meetings_between`) in the standard
  会议记录 layout, one meeting a page, from the site's record of each meeting
  (`pages.meetings.record_view`). It shows of a meeting what the scoped branch holds:
  the public has no absentees (and so no 应到人数, which would only repeat the number
  present), the party sees who was absent, only the committee why.

The builders are pure (scoped branch, figures, period -> document bytes); `write_word`
scopes the branch, builds and writes through `atomic.atomic_write`.

Deterministic bytes: the core properties' dates are the as-of date and the zip entries
carry it as their time, so the same records always give the same file. Fonts: the East
Asian font (w:eastAsia, theme fonts removed) is 仿宋 for text, 宋体 in tables and 黑体 for
titles and headings, on A4 pages numbered in the footer, so that Word on an office PC
shows the document as meant.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.atomic import atomic_write
from generator.compute import dates
from generator.compute.branch import BranchFigures
from generator.compute.scoring import Period, period_containing
from generator.model.records import Activity, Branch
from generator.model.scope import scope_branch
from generator.model.visibility import Visibility
from generator.pages.formats import cn_date, format_date, percent  # the site's own formatting of dates and shares

WORD_EXPORTS = ("report", "ledger")
DEFAULT_AUDIENCE = {"report": "public", "ledger": "committee"}  # the ledger is the committee's working paper
DEFAULT_PERIOD_KIND = {"report": "month", "ledger": "quarter"}
SUFFIX = ".docx"

TEXT_FONT, TABLE_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "宋体", "黑体", "Times New Roman"
LANGUAGE = "zh-CN"
TABLE_STYLE = "表格文字"


class WordError(Exception):
    """A request that cannot be met; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Written:
    path: Path
    what: str  # e.g. "月度党建简报" or "会议 3 次"


# -- periods ---------------------------------------------------------------------

def drawn_up(what: str, period: Period, as_of: dt.date) -> dt.date:
    """The day a document of `period` is drawn up on: `as_of`, or the period's last day once it is over."""
    if what == "report" and period.kind != "month":
        raise WordError(f"月度党建简报按月：--period 写月份，如 {as_of.year:04d}-{as_of.month:02d}，这里是“{period.key}”")
    if period.start > as_of:
        raise WordError(f"{period.label}还没有开始（数据截至 {as_of.isoformat()}）：请换一期，或用 --as-of 写明日期")
    return min(as_of, period.end)


def default_period(what: str, as_of: dt.date) -> Period:
    return period_containing(as_of, DEFAULT_PERIOD_KIND[what])


# -- the document frame ------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    """Text as Word may hold it (XML has no place for control characters)."""
    return _NOT_XML.sub("", "" if text is None else str(text))


def _set_fonts(element, east_asia: str) -> None:
    """Give a style or run explicit fonts, East Asian included, instead of the theme's."""

    _set_rfonts(element.get_or_add_rPr().get_or_add_rFonts(), east_asia)


def _set_rfonts(fonts, east_asia: str) -> None:
    from docx.oxml.ns import qn

    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _new_document(title: str, subject: str, author: str, day: dt.date):
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal.element, TEXT_FONT)
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    fonts = run_defaults.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") if run_defaults is not None else None
    if fonts is not None:  # a style the secretary adds starts from the same fonts
        _set_rfonts(fonts, TEXT_FONT)
    normal.font.size = Pt(14)  # 四号
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    normal.element.get_or_add_rPr().append(lang)
    _chinese_document(doc)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 14)):
        for style_name in (name, f"{name} Char"):
            style = styles[style_name]
            _set_fonts(style.element, HEADING_FONT)
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = name != "Title"
        paragraph_style = styles[name]
        paragraph_style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        paragraph_style.paragraph_format.space_after = Pt(8)
    title_style = styles["Title"]
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    border = title_style.element.pPr.find(qn("w:pBdr")) if title_style.element.pPr is not None else None
    if border is not None:
        title_style.element.pPr.remove(border)
    cells = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = normal
    _set_fonts(cells.element, TABLE_FONT)
    cells.font.size = Pt(12)  # 小四
    cells.paragraph_format.space_after = Pt(0)
    cells.paragraph_format.line_spacing = 1.0

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(26), Mm(24)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页，共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")

    props = doc.core_properties
    moment = dt.datetime(day.year, day.month, day.day)
    props.title, props.subject, props.author, props.last_modified_by = title, subject, author, author
    props.comments, props.keywords, props.category = "", "", ""
    props.created = props.modified = moment
    props.revision = 1
    return doc


def _chinese_document(doc) -> None:
    """Mark the document Chinese throughout, where python-docx's template says English and Japanese.

    The template's defaults are en-US (run language) and ja-JP (the theme's East Asian
    language), and its font table lists ＭＳ 明朝 and ＭＳ ゴシック: LibreOffice, finding none of
    our fonts, fell back to the Japanese forms of the CJK glyphs. The fonts we name are listed
    with their English names, the GB2312 character set and their PANOSE class, which is what
    Word and LibreOffice substitute by where a PC lacks them. The template's bullet is U+F0B7
    in the Symbol font, which copies out as a private-use character: it becomes "•".
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if defaults is not None:
        defaults.set(qn("w:val"), LANGUAGE)
        defaults.set(qn("w:eastAsia"), LANGUAGE)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    doc.core_properties.language = LANGUAGE
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = _font_table()
        elif rel.reltype == RT.THEME:
            theme = rel.target_part.blob.decode("utf-8")
            for kind, east_asia in (("major", HEADING_FONT), ("minor", TEXT_FONT)):
                theme = re.sub(rf'(<a:{kind}Font>\s*<a:latin typeface=")[^"]*("/>\s*<a:ea typeface=")[^"]*"',
                               rf'\g<1>{LATIN_FONT}\g<2>{east_asia}"', theme, count=1)
            rel.target_part._blob = theme.encode("utf-8")
    numbering = doc.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        text = level.find(qn("w:lvlText"))
        value = text.get(qn("w:val")) if text is not None else None
        if not value or not any("\ue000" <= ch <= "\uf8ff" for ch in value):  # a private-use (Symbol, Wingdings) bullet
            continue
        text.set(qn("w:val"), "•")
        fonts = level.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            fonts.attrib.pop(qn("w:hint"), None)
            _set_rfonts(fonts, TABLE_FONT)


# Each font: its English name, PANOSE class and pitch, for a PC or office suite that lacks it.
_FONTS = {
    TEXT_FONT: ("FangSong", "02010609060101010101", "modern", "fixed"),
    TABLE_FONT: ("SimSun", "02010600030101010101", "auto", "variable"),
    HEADING_FONT: ("SimHei", "02010609060101010101", "modern", "fixed"),
}


def _font_table() -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    fonts = [f'<w:font w:name="{LATIN_FONT}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
             '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>']
    for name, (alt, panose, family, pitch) in _FONTS.items():
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                     f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{w}">'
            + "".join(fonts) + "</w:fonts>").encode("utf-8")


def _bookmark(k: int) -> str:
    return f"_Ref_meeting_{k}"  # "_Ref…": a bookmark Word keeps out of its list of the user's own


def _mark_bookmark(paragraph, name: str, number: int) -> None:
    """A bookmark around the whole paragraph, for a PAGEREF field to find."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    runs = paragraph._p.findall(qn("w:r"))
    if runs:
        runs[0].addprevious(start)
        runs[-1].addnext(end)
    else:
        paragraph._p.append(start)
        paragraph._p.append(end)


def _field(paragraph, instruction: str, shown: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, PAGEREF) that Word fills in when it lays out the pages; `shown` until then."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    paragraph.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def _table(doc, header: Sequence[str], rows: Iterable[Sequence[Any]], widths_mm: Sequence[float] | None = None):
    """A grid table: a bold header row that repeats on each page, then the rows, all as text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    head = table.rows[0]
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(mark)
    for cell, text in zip(head.cells, header):
        _fill(cell, text, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            _fill(cell, text)
    if widths_mm:
        for column, width in zip(table.columns, widths_mm):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
    doc.add_paragraph()  # Word sets two tables in a row together without it
    return table


def _fill(cell, value: Any, bold: bool = False) -> None:
    """A cell's text: one paragraph per item of a list, else one paragraph."""
    lines = [_clean(v) for v in value] if isinstance(value, (list, tuple)) else [_clean(value)]
    paragraph = cell.paragraphs[0]
    for k, line in enumerate(lines or [""]):
        if k:
            paragraph = cell.add_paragraph()
        paragraph._p.style = TABLE_STYLE  # the style's id is its name; python-docx's lookup by name is slow
        if line:
            paragraph.add_run(line).bold = bold or None


def _heading(doc, text: str, level: int) -> None:
    doc.add_heading(_clean(text), level=level)


def _para(doc, text: str) -> None:
    doc.add_paragraph(_clean(text))


def _bullets(doc, items: Iterable[str]) -> None:
    for item in items:
        doc.add_paragraph(_clean(item), style="List Bullet")


def _stable_bytes(doc, day: dt.date) -> bytes:
    """The document's bytes with every zip entry dated `day` (python-docx stamps the clock time)."""
    raw = io.BytesIO()
    doc.save(raw)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():  # keeps python-docx's order: [Content_Types].xml first
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(entry.filename))
    return out.getvalue()


# -- 月度党建简报 -------------------------------------------------------------------

def _mark(ok: Any) -> str:
    return "✓" if ok else "✗"


def _md(day: dt.date | None) -> str:
    return format_date(day, "%m-%d")


def report_context(branch: Branch, figures: BranchFigures, audience: str) -> Mapping[str, Any]:
    """The printed report page's context for the scoped branch: the very dict its template reads."""
    from generator.pages.printed import print_pages
    from generator.pages.routes import PRINT_REPORT

    return next(p.context for p in print_pages(branch, figures, audience) if p.path == PRINT_REPORT)


def report_docx(branch: Branch, figures: BranchFigures, audience: str) -> bytes:
    """The 月度党建简报 of the month of `figures.as_of`: the printed report's sections, sentences and tables."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    c = report_context(branch, figures, audience)
    as_of, month_label = c["as_of"], c["month_label"]
    doc = _new_document(f"{month_label}月度党建简报", f"{branch.name} {month_label}", branch.name, as_of)
    doc.add_heading("月度党建简报", level=0)
    meta = doc.add_paragraph(_clean(f"{branch.name} ｜ {month_label} ｜ 数据截至 {cn_date(as_of)}"))
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    _heading(doc, "本月概况", 1)
    _table(doc, ("项目", "数值", "说明"), [(f["label"], f["value"], f["note"]) for f in c["figures"]], (45, 35, 80))

    _heading(doc, "一个活动阵地 · 本月组织生活", 1)
    activities, news_month = c["activities"], c["news_month"]
    _para(doc, f"本月开展组织生活 {len(activities)} 次，其中三会一课 {c['sanhui']} 次、主题党日 {len(c['theme_days'])} 次"
               + (f"；发布宣传报道 {len(news_month)} 篇" if news_month else "") + "。")
    if activities:
        def done(a):
            if a["wuyou"] is not None:
                return f"五有{'齐全' if a['wuyou_complete'] else '不全'} {_mark(a['wuyou_complete'])}"
            return f"第一议题 {_mark(a['first_topic'])}" if a["type"] == "政治学习" else ""
        _table(doc, ("日期", "类型", "活动", "参加", "落实情况"),
               [(_md(a["date"]), a["type"], a["title"], f"{len(a['attendees'])} 人", done(a)) for a in activities],
               (22, 22, 66, 18, 32))  # 22 mm: "11-03" stays on one line in LibreOffice too
    _bullets(doc, [f"{_md(n['date'])} {n['title']}" for n in news_month])

    evaluation = c["evaluation"]
    _heading(doc, f"一组特色制度 · 执行评估（{evaluation['span']}）", 1)  # a partial year says where it starts
    _table(doc, ("制度", "衡量", "完成", "比例"),
           [(r["rule"], r["measure"], f"{r['done']}/{r['total']} {r['unit']}", percent(r["value"])) for r in evaluation["rows"]],
           (50, 60, 28, 22))
    if c["reviews"]:
        _bullets(doc, [f"{r['number'] or ''} {r['title']}：" + ("评估已逾期" if r["overdue"] else f"{format_date(r['next_review'])} 到期评估")
                       for r in c["reviews"]])
    else:
        _para(doc, "各项制度均在评估期内。")

    duties, four = c["duties"], c["four_ones"]
    _heading(doc, "一个责任制 · 5W2H 与四个一", 1)
    _para(doc, duties["head"]
               + (f"，逾期 {duties['overdue']} 项" if duties["overdue"] else "") + "。"
               + f"{four['year']} 年“四个一”覆盖 {four['done']}/{four['total']} 项（{percent(four['coverage'])}），"
               + f"{four['complete']} 名党员四项全部完成。")
    if duties["due_this_month"]:
        _table(doc, ("本月到期事项", "责任人", "期限", "状态"),
               [(d["what"], "、".join(d["who"]), _md(d["when"]), "已完成" if d["done"] else ("逾期" if d["overdue"] else "进行中"))
                for d in duties["due_this_month"]], (76, 40, 24, 20))
    _para(doc, "；".join(f"{i['name']} {i['done']}/{i['total']}" for i in four["per_item"]) + "。")

    teams = c["teams"]
    _heading(doc, "一批攻坚团队", 1)
    _para(doc, "，".join(f"{s} {n} 项" for s, n in teams["counts"].items()) + "。"
               + ("本月破解：" + "、".join(f"“{t['title']}”（{t['team']}，历时 {t['days']} 天）" for t in teams["solved"]) + "。"
                  if teams["solved"] else ""))
    _bullets(doc, [f"攻坚中：{t['title']}（{t['team']}，已 {t['days']} 天）" for t in teams["attacking"]])

    _heading(doc, "一次政治生日", 1)
    if c["month_birthdays"]:
        _para(doc, "本月入党纪念日：" + "、".join(f"{b['name']}（{_md(b['date'])}，{b['years']} 周年）" for b in c["month_birthdays"]) + "。")
    else:
        _para(doc, "本月没有党员的入党纪念日。")
    for cer in c["ceremonies"]:
        _para(doc, f"{_md(cer['date'])} {cer['title']}（{'、'.join(cer['honorees'])}）：八个环节"
                   + ("齐全" if cer["complete"] else f"缺 {'、'.join(cer['missing'])}") + "。")
    if not c["ceremonies"]:
        _para(doc, "本月未举行政治生日活动。")

    _heading(doc, "一次零点行动 · 党费收缴", 1)
    d = c["dues_month"]
    if d:
        text = (f"{month_label}应交 {d['expected']} 人，已交 {d['payers']} 人，当月按时交纳 {d['on_time_done']} 人"
                f"（{percent(d['on_time'])}）" + ("" if d["closed"] else "，本月尚未结束") + "。")
        if d["zero_hour"]:
            text += (f"本月为零点行动月：首小时交纳 {percent(d['first_hour'])}，1 日当天交纳 {percent(d['first_day'])}"
                     + (f"，用时中位数 {d['median']}" if d["median"] else "") + "。")
        _para(doc, text)
    else:
        _para(doc, "本月党费尚未登记。")
    ordinary = c["ordinary"]
    _para(doc, f"平时月份（{ordinary['months']} 个月）当月按时交纳 {percent(ordinary['on_time']['value'])}。")

    _heading(doc, "一套评价体系 · 金榜题名", 1)
    for roll in (c["honor"], c["honor_quarter"]):
        if not roll:
            continue
        _heading(doc, roll["period"], 2)
        entries = [(e["rank"], e["name"], f"{e['total']:.1f}") for e in roll["entries"]]
        table = _table(doc, ("名次", "姓名", "得分"), entries or [("本期暂无积分记录", "", "")], (20, 50, 30))
        if not entries:
            table.rows[1].cells[0].merge(table.rows[1].cells[2])
    if not c["honor"]:
        _para(doc, "尚未建立积分评价体系。")
    return _stable_bytes(doc, as_of)


# -- 会议记录台账 -------------------------------------------------------------------

def _record_rows(a: Activity, record: Mapping[str, Any]) -> list[tuple[tuple[str, Any], ...]]:
    """One meeting as the 会议记录 form's rows, one or two (label, value) pairs each: the site's
    record (`pages.meetings.record_view`, which follows the scope) with the minutes as plain text."""
    dash = "—"
    rows: list[tuple[tuple[str, Any], ...]] = [
        (("会议名称", record["title"]),),
        (("会议类型", record["type"]), ("时间", cn_date(record["date"]))),
        (("地点", record["place"] or dash),),
        (("主持人", record["host"] or dash), ("记录人", record["recorder"] or dash)),
    ]
    given = tuple((label, record[key]) for label, key in (("主讲人", "speaker"), ("领学人", "leader")) if record[key])
    if given:
        rows.append(given)
    present = ("实到人数", f"{record['present']} 人")
    expected = record["expected"]  # None for the public, whose scope holds no absentees
    rows.append((("应到人数", f"{expected} 人"), present) if expected is not None else (present,))
    rows.append((("出席人员", "、".join(record["attendees"]) or dash),))
    absent = record["absent"]
    if absent:
        label = "缺席人员及原因" if any(p["reason"] for p in absent) else "缺席人员"
        rows.append(((label, "、".join(p["name"] + (f"（{p['reason']}）" if p["reason"] else "") for p in absent)),))
    if record["first_topic"]:
        rows.append((("第一议题", record["first_topic"]),))
    rows.append((("会议议程", [f"{k}. {item}" for k, item in enumerate(record["agenda"], 1)] or dash),))
    rows.append((("内容纪要", [line for line in (a.summary or "").splitlines() if line.strip()] or dash),))
    rows.append((("会议决议", [f"{k}. {item}" for k, item in enumerate(record["decisions"], 1)] or dash),))
    return rows


def _record_table(doc, rows) -> None:
    from docx.shared import Mm

    widths = (26, 54, 26, 54)
    table = doc.add_table(rows=0, cols=4)
    table.style = doc.styles["Table Grid"]
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    spans = []
    for pairs in rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths):
            cell.width = Mm(width)
        for k, (label, value) in enumerate(pairs):
            _fill(cells[2 * k], label, bold=True)
            _fill(cells[2 * k + 1], value)
        if len(pairs) == 1:
            spans.append(cells)
    for cells in spans:  # after the widths: a merged cell is as wide as the cells it swallowed
        cells[1].merge(cells[3])


def ledger_docx(branch: Branch, period: Period, audience: str, as_of: dt.date) -> bytes:
    """The 台账 of `period` from a branch scoped to `audience` on `as_of`: every minuted meeting, oldest first."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from generator.pages.meetings import COMMITTEE_NOTICE, ledger_title, record_view

    meetings = sorted(dates.meetings_between(branch, period.start, period.end), key=lambda a: (a.date, a.id))
    names = {m.id: m.name for m in branch.members}

    title = ledger_title(period)
    doc = _new_document(title, f"{branch.name} {period.label}", branch.name, as_of)
    doc.add_heading(title, level=0)
    cover = doc.add_paragraph(_clean(f"{branch.organization} {branch.name} ｜ {period.label} ｜ "
                                     f"共 {len(meetings)} 次会议 ｜ 数据截至 {cn_date(as_of)}"))
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if Visibility(audience).committee_papers:
        _para(doc, COMMITTEE_NOTICE)
    _heading(doc, "目录", 1)
    if meetings:
        contents = _table(doc, ("序号", "时间", "会议类型", "会议名称", "页码"),
                          [(k, cn_date(a.date), a.type, a.title, "") for k, a in enumerate(meetings, 1)], (14, 42, 22, 68, 14))
        for k, row in enumerate(contents.rows[1:], 1):
            # the page as a field on the meeting's bookmark: Word and LibreOffice count it when they lay
            # out the pages (one meeting a page is only the first guess), and again after an edit
            _field(row.cells[4].paragraphs[0], f"PAGEREF {_bookmark(k)} \\h", str(k + 1))
    else:
        _para(doc, f"{period.label}没有会议记录。")
    for k, a in enumerate(meetings, 1):
        heading = doc.add_heading(_clean(f"{k}. {a.title}"), level=1)
        heading.paragraph_format.page_break_before = True  # one meeting a page, still so after an edit
        _mark_bookmark(heading, _bookmark(k), k)
        _record_table(doc, _record_rows(a, record_view(a, names, audience)))
        _para(doc, "")
        _para(doc, "主持人（签字）：　　　　　　　　记录人（签字）：")
    if meetings:  # Word offers to update the page numbers on opening (LibreOffice counts them anyway)
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        doc.settings.element.find(qn("w:compat")).addprevious(update)  # its place in the schema's sequence
    return _stable_bytes(doc, as_of)


# -- writing -----------------------------------------------------------------------

def write_word(what: str, branch: Branch, period: Period, audience: str, out: Path, as_of: dt.date) -> Written:
    """Scope the whole `branch`, build the document of `period` and write it to `out` (.docx)."""
    if what not in WORD_EXPORTS:
        raise WordError(f"不认识的 Word 文档“{what}”：可选 {'、'.join(WORD_EXPORTS)}")
    if out.suffix.lower() != SUFFIX:
        raise WordError(f"Word 文档的文件名应以 .docx 结尾，实际是“{out}”")
    day = drawn_up(what, period, as_of)
    if what == "report":
        from generator.pipeline import view

        result = view(branch, day, audience)
        return Written(atomic_write(out, report_docx(result.branch, result.figures, audience)), "月度党建简报")
    scoped = scope_branch(branch, audience, day)
    count = len(dates.meetings_between(scoped, period.start, period.end))
    return Written(atomic_write(out, ledger_docx(scoped, period, audience, day)), f"会议记录台账，会议 {count} 次")
