"""Turning the branch's own Markdown into safe HTML.

Text written by the branch (news, regulations, 感悟) is rendered with Python-Markdown
and then cleaned by nh3 (the Ammonia sanitizer), and so are the pages in content/
(`clean_page`): ordinary Markdown survives
(emphasis, lists, tables, links, images); scripts, event handlers, `javascript:` URLs
and frames do not. An image must be the project's own (a relative address): one from
another host (`http://…`, `//host/…`) loses its address and shows its alt text, so
opening a page never sends a request off the intranet (a link is only followed when
clicked, and may point anywhere).
"""

from __future__ import annotations

import html as html_lib
import re

import markdown
import nh3
from markupsafe import Markup

_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "a", "img", "code", "pre", "span", "sup", "sub",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
}


_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def _to_html(text: str) -> str:
    # One converter, reset per text: building a Markdown instance costs more than converting.
    return _MARKDOWN.reset().convert(text)


# One line of words and the punctuation that is never Markdown syntax: Markdown makes it
# one paragraph, unchanged, and there is nothing for the sanitizer to remove. Most
# activity summaries are such a sentence; they skip the converter (tests compare both).
_WORD = r"[\w\u3001-\u303f\uff01-\uff5e\u2014\u2018\u2019\u201c\u201d\u2026\u00b7,;:?%()/]"
_PLAIN_LINE = re.compile(rf"{_WORD}(?:(?:{_WORD}| )*{_WORD})?")


def markdown_to_html(text: str) -> str:
    """Safe HTML for a Markdown body (a level-1 heading becomes level 2: the page owns h1)."""
    if not text:
        return ""
    if _PLAIN_LINE.fullmatch(text) and "_" not in text:
        return f"<p>{text}</p>"
    html = _to_html(text)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_own_images_only,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "poster") and not is_own_address(value):
        return None
    return value


# -- the branch's own pages in content/ ------------------------------------------------------
# The site engine turns them into HTML (headings with anchors, tables, admonitions); that
# HTML passes through the same kind of cleaner as records: no script, no event handler, no
# `javascript:` URL, no frame, no image from another host. A page may opt in to intranet
# HTML (front matter `intranet_html: true`): video, audio and frames of this site's own
# files, still no script and nothing from another host.

_PAGE_TAGS = _TAGS | {
    "h1", "div", "section", "dl", "dt", "dd", "details", "summary", "figure", "figcaption", "caption",
    "colgroup", "col", "tfoot", "mark", "small", "ins", "abbr", "kbd", "q", "cite",
}
_PAGE_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    **_ATTRIBUTES,
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start", "type"},
    "details": {"open"},
    "col": {"span"},
}
INTRANET_HTML = "intranet_html"  # the front matter key of the opt-in
_INTRANET_TAGS = {"iframe", "video", "audio", "source"}
_INTRANET_ATTRIBUTES = {
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "video": {"src", "controls", "width", "height", "poster", "preload"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type"},
}


def clean_page(html: str, intranet_html: bool = False) -> str:
    """A content/ page's HTML as the site may publish it (see above)."""
    tags = _PAGE_TAGS | (_INTRANET_TAGS if intranet_html else set())
    attributes = {**_PAGE_ATTRIBUTES, **(_INTRANET_ATTRIBUTES if intranet_html else {})}
    return nh3.clean(html, tags=tags, attributes=attributes, attribute_filter=_own_images_only,
                     clean_content_tags={"script", "style"}, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


def is_own_address(url: str) -> bool:
    """A relative address on this site: no scheme (`http:`, `data:` …), no host (`//host`, `\\\\host`)."""
    # as a browser reads it (WHATWG URL): tabs and line breaks anywhere are dropped,
    # and so are spaces and control characters at either end
    url = _IGNORED_IN_URLS.sub("", url).strip("".join(map(chr, range(33))))
    return not _SCHEME_OR_HOST.match(url)


_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")
_SCHEME_OR_HOST = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")


def plain_excerpt(text: str, limit: int = 80) -> str:
    """A short plain-text excerpt of a Markdown body for lists and cards."""
    plain = html_lib.unescape(nh3.clean(_to_html(text or ""), tags=set()))
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[:limit] + "……"


_TOKENS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.:%]*| +|[^A-Za-z0-9 ]+")  # codes and numbers, spaces, the rest
_NO_BREAK_BEFORE = "、，。：；！？）》”’%"


def word_breaks(text: str) -> Markup:
    """Escaped text with a line-break opportunity (<wbr>) between Chinese words only: with
    CSS `word-break: keep-all` a short label wraps as a reader would break it
    ("11 月 | 党费 | 按时 | 交纳"), never inside a word or a code (JG1-ZD-02), between a
    number and the word after it, or before a punctuation mark."""
    import jieba  # the search index's segmenter; loaded once, only for pages that ask

    words: list[str] = []
    glue = False  # a number and a space: the next word joins it with a no-break space
    for token in _TOKENS.findall(text or ""):
        if token.isspace():
            glue = bool(words) and words[-1][-1].isdigit()
            if words and not glue:
                words[-1] += token
            continue
        for piece in [token] if token[0].isascii() else jieba.cut(token):
            if glue:
                words[-1] += "\u00a0" + piece
                glue = False
            elif words and piece[0] in _NO_BREAK_BEFORE:
                words[-1] += piece
            else:
                words.append(piece)
    # a code breaks at its hyphens unless told not to: JG1-ZD-02 moves to the next line whole
    return Markup("<wbr>").join(Markup('<span class="dj-nowrap">{}</span>').format(word) if "-" in word and word.isascii()
                                else Markup.escape(word) for word in words)
