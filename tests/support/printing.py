"""The sample ready for printing: the print stylesheet linked, the print pages built, paper sizes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .sample import AS_OF, copy_sample

A3_LANDSCAPE = (1190.55, 841.89)
A4_PORTRAIT = (595.28, 841.89)
TOLERANCE = 1.0
PRINT_LINK = """<link rel="stylesheet" href="{{ 'assets/print.css' | url }}" media="print">
  {% include "dangjian/print_margins.html" %}
"""


def sample_copy(target: Path) -> Path:
    """A copy of the sample project whose theme/main.html links the print stylesheet."""
    copy_sample(target)
    main = target / "theme" / "main.html"
    text = main.read_text(encoding="utf-8")
    if "assets/print.css" not in text:
        anchor = "{% endblock %}"
        at = text.index(anchor)  # the end of the styles block, the first block in main.html
        main.write_text(text[:at] + "  " + PRINT_LINK + text[at:], encoding="utf-8")
    return target


def build_print_site(root: Path, site: Path, as_of: str = AS_OF, audience: str = "public") -> Path:
    """The built site with the print and screen pages and screen/version.json, as after the wiring."""
    from generator import pipeline
    from generator.site.mkdocs_adapter import build_site
    from generator.site.screen import write_screen_version
    from generator.tools.pdf import with_print_pages

    outcome = pipeline.run(root, dt.date.fromisoformat(as_of), audience)
    assert not outcome.problems
    build_site(root, with_print_pages(outcome.result), site)
    write_screen_version(site)
    return site


def close(size: tuple[float, float], expected: tuple[float, float]) -> bool:
    return abs(size[0] - expected[0]) <= TOLERANCE and abs(size[1] - expected[1]) <= TOLERANCE
