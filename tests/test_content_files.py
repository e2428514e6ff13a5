"""What content/ may publish (issue 30, items 1 and 13; README, “content/”).

Pages that are not UTF-8 text and files that are not pages, pictures or sound and video are
refused by `check` (tests/fixtures/invalid/content-*); these tests cover what passes: an HTML
page is published cleaned, an empty page is a reminder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from support import PageScan

BASE = Path(__file__).parent / "fixtures" / "base"
HOSTILE = ('<html><head><title>目录</title><script>alert(1)</script></head><body>'
           '<h2>党务公开目录 HTML-PAGE</h2><p onclick="alert(2)">第一项 <a href="javascript:alert(3)">链接</a>'
           '<img src="https://evil.example/x.png"><iframe src="https://evil.example/f"></iframe>'
           '<a href="about/">关于支部</a></p></body></html>')


def test_an_html_page_is_published_cleaned(tmp_path, run_dangjian):
    project = shutil.copytree(BASE, tmp_path / "project")
    (project / "content" / "catalogue.html").write_text(HOSTILE, encoding="utf-8")
    done = run_dangjian("build", project, "-o", tmp_path / "site", "--as-of", "2026-09-30")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "catalogue.html").read_text(encoding="utf-8")
    scan = PageScan()
    scan.feed(page)
    assert (scan.scripts, scan.findings) == ([], [])
    assert "evil.example" not in page and "alert" not in page
    assert page.startswith('<!DOCTYPE html>\n<meta charset="utf-8">\n')
    assert '<h2>党务公开目录 HTML-PAGE</h2>' in page and '<a href="about/" rel="noopener noreferrer">关于支部</a>' in page


def test_an_empty_page_is_a_reminder(tmp_path, run_dangjian):
    project = shutil.copytree(BASE, tmp_path / "project")
    (project / "content" / "join.md").write_text("\n  \n", encoding="utf-8")
    done = run_dangjian("check", project)
    assert done.returncode == 0
    assert done.stderr == ("content/join.md: 提醒：这个页面是空的，网站上会是一个空白页：请写上内容，或删除这个文件\n"
                           "以上 1 条提醒不影响生成，请看过后自行决定是否修改。\n")
