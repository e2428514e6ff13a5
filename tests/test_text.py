"""The branch's Markdown to safe HTML: the plain-sentence shortcut gives what the converter gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages import text

TRICKY = "主题党日学习，。、；：？！“”（）《》—…·abcXYZ019 _*`#>[]!<&\\|~=+-.,;:?%()/'\"\n\t\u3000＃＊"


def converted(source: str) -> str:
    """The converter's way, without the shortcut."""
    html = text._to_html(source).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return text.nh3.clean(html, tags=text._TAGS, attributes=text._ATTRIBUTES, attribute_filter=text._own_images_only,
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


def test_only_the_projects_own_images_keep_their_address():
    """Opening a page sends no request off the intranet: an image from another host shows its alt text."""
    source = ("![外网图](https://example.invalid/a.png) ![无协议](//example.invalid/b.png) "
              '<img src="h&#9;ttps://example.invalid/c.png"> <img src="data:image/svg+xml,x"> '
              "![本站图](../assets/photo.jpg) [外网链接](https://example.org/)")
    html = text.markdown_to_html(source)
    assert "example.invalid" not in html and "data:" not in html
    assert '<img alt="外网图">' in html and '<img alt="本站图" src="../assets/photo.jpg">' in html
    assert 'href="https://example.org/"' in html  # a link is followed only when clicked
