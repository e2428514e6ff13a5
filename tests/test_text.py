"""The branch's Markdown to safe HTML: the plain-sentence shortcut gives what the converter gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages import text

TRICKY = "主题党日学习，。、；：？！“”（）《》—…·abcXYZ019 _*`#>[]!<&\\|~=+-.,;:?%()/'\"\n\t\u3000＃＊"


def converted(source: str) -> str:
    """The converter's way, without the shortcut."""
    html = text._to_html(source).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return text.nh3.clean(html, tags=text._TAGS, attributes=text._ATTRIBUTES,
                          url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=TRICKY, min_size=1, max_size=30))
def test_shortcut_and_converter_agree(source):
    assert text.markdown_to_html(source) == converted(source)


def test_the_shortcut_covers_an_ordinary_summary_and_leaves_markdown_to_the_converter():
    assert text._PLAIN_LINE.fullmatch("董妹琰领学，大家结合岗位实际交流体会（第 3 期）。")
    for markdown_text in ("1. 第一条", "- 列表", "**加粗**", "# 标题", "a_b_c", "见 <b>", "甲\n乙", " 缩进", "a  "):
        assert not (text._PLAIN_LINE.fullmatch(markdown_text) and "_" not in markdown_text)
    assert text.markdown_to_html("**加粗**") == "<p><strong>加粗</strong></p>"
