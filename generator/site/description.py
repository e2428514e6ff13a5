"""Each page's `<meta name="description">`, from what the page says.

Search engines on the intranet and screen readers' page lists show it; without one every
page was described by nothing (Lighthouse's SEO audit fails on it). It is the page's own
text after its heading: the first sentences a reader sees, cut at a whole character.
"""

from __future__ import annotations

import html
import re

LIMIT = 120  # characters: about what a results list shows of a Chinese description

_SKIPPED = re.compile(r"<(script|style|svg|h1|nav)\b.*?</\1\s*>", re.S | re.I)
# a block's edge parts words; an inline tag (<wbr>, <a>, <strong>) sits inside a Chinese word
_BLOCK = re.compile(r"</?(?:p|div|li|dt|dd|h[2-6]|tr|td|th|br|section|article|header|footer|table|ul|ol|dl|"
                    r"figure|figcaption|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def page_description(body: str, title: str, site_name: str) -> str:
    """The description of a page whose rendered body is `body`, HTML-escaped (the theme prints it as is)."""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub("", _BLOCK.sub(" ", _SKIPPED.sub(" ", body))))).strip()
    lead = html.unescape(title).strip()
    if not text:
        name = html.unescape(site_name)
        text = f"{name}：{lead}" if lead and lead != name else name
    elif lead and not text.startswith(lead):
        text = f"{lead}：{text}"
    if len(text) > LIMIT:
        text = text[: LIMIT - 1].rstrip() + "…"
    return html.escape(text, quote=True)
