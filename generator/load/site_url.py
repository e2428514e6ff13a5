"""The intranet address of the site, from mkdocs.yml: what a reminder, a QR code or a feed links to."""

from __future__ import annotations

import re
from pathlib import Path

_SITE_URL = re.compile(r"^site_url:[ \t]*['\"]?([^!'\"#\s][^'\"#\s]*)", re.MULTILINE)  # not a tag such as !ENV


def site_url_of(root: Path) -> str | None:
    """mkdocs.yml's `site_url` (the intranet address), read as text: mkdocs.yml is a program
    (it may load plugins), and a reminder or a QR code needs only this one line of it."""
    try:
        found = _SITE_URL.search((root / "mkdocs.yml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    return found.group(1) if found else None
