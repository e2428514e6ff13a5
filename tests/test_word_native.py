"""Word files that look native (issue 32.6): Chinese in every office suite, not Japanese glyphs.

The document's language and its theme's East Asian language are zh-CN, the three Chinese
fonts are named in the font table with their English names and the GB2312 character set,
bullets are a character that copies out as text, and the ledger's contents give each
meeting's page as a PAGEREF field. Where LibreOffice is installed (.ci/run does not install
it: too heavy for CI's time), the documents are also converted to PDF and read back.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from support import AS_OF, copy_sample

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    from generator.cli.main import main

    top = tmp_path_factory.mktemp("word-native")
    root = copy_sample(top / "project")
    out = {"report": top / "简报.docx", "ledger": top / "台账.docx"}
    assert main(["export", "report", str(root), "--period", "2026-11", "--as-of", AS_OF, "-o", str(out["report"])]) == 0
    assert main(["export", "ledger", str(root), "--period", "2026-Q4", "--as-of", AS_OF, "-o", str(out["ledger"])]) == 0
    return out


def _xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


@pytest.mark.parametrize("what", ["report", "ledger"])
def test_the_document_is_chinese_with_its_fonts_named(exported, what):
    path = exported[what]
    styles, settings = _xml(path, "word/styles.xml"), _xml(path, "word/settings.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert re.search(r'<w:lang w:val="zh-CN" w:eastAsia="zh-CN"', defaults)
    assert "ja-JP" not in styles + settings and 'w:eastAsia="en-US"' not in styles
    assert '<w:themeFontLang w:val="zh-CN" w:eastAsia="zh-CN"/>' in settings
    assert "<dc:language>zh-CN</dc:language>" in _xml(path, "docProps/core.xml")
    theme = _xml(path, "word/theme/theme1.xml")
    assert re.search(r'<a:majorFont>\s*<a:latin typeface="Times New Roman"/>\s*<a:ea typeface="黑体"/>', theme)
    assert re.search(r'<a:minorFont>\s*<a:latin typeface="Times New Roman"/>\s*<a:ea typeface="仿宋"/>', theme)
    fonts = dict(re.findall(r'<w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"/>', _xml(path, "word/fontTable.xml")))
    assert fonts == {"仿宋": "FangSong", "宋体": "SimSun", "黑体": "SimHei"}
    assert "ＭＳ" not in _xml(path, "word/fontTable.xml")


def test_bullets_copy_out_as_text(exported):
    numbering = _xml(exported["report"], "word/numbering.xml")
    bullets = re.findall(r'<w:numFmt w:val="bullet"/><w:lvlText w:val="([^"]*)"/>', numbering)
    assert bullets and set(bullets) == {"•"}
    assert not re.search("[\ue000-\uf8ff]", numbering) and 'w:ascii="Symbol"' not in numbering
    document = _xml(exported["report"], "word/document.xml")
    assert 'w:val="ListBullet"' in document  # the report's lists do use it


def test_ledger_contents_give_each_meetings_page_as_a_field(exported):
    document = _xml(exported["ledger"], "word/document.xml")
    fields = re.findall(r"PAGEREF (_Ref_meeting_\d+) \\h", document)
    marks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Ref_meeting_\d+)"/>', document)
    assert fields and fields == marks == [f"_Ref_meeting_{k}" for k in range(1, len(fields) + 1)]
    assert '<w:updateFields w:val="true"/>' in _xml(exported["ledger"], "word/settings.xml")


def test_libreoffice_lays_them_out_as_meant(exported, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        reason = "LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + ": .ci/run installs it")
        pytest.skip(reason)
    for path in exported.values():
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                               "--outdir", str(tmp_path), str(path)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    text = {what: subprocess.run(["pdftotext", "-layout", str(tmp_path / (path.stem + ".pdf")), "-"],
                                 capture_output=True, text=True, check=True).stdout for what, path in exported.items()}
    # a date in the report's activity table stays on its line ("11-" over "03" before)
    assert not re.search(r"^\s*1[01]-\s", text["report"], re.M) and re.search(r"^\s*11-03\s", text["report"], re.M)
    assert "\uf0b7" not in text["report"]
    # the contents' page numbers, counted by LibreOffice: the first meeting on page 2, the last on the last page
    pages = text["ledger"].split("\f")
    rows = re.findall(r"^\s*(\d+)\s+2026 年 1[0-2] 月 \d+ 日.*?\s(\d+)\s*$", pages[0], re.M)
    assert rows and rows[0] == ("1", "2") and int(rows[-1][1]) == len([p for p in pages if p.strip()])
