"""Files that ship inside the package, found through the package wherever it is installed.

A wheel carries the repository's `theme/` as `generator/theme` (see pyproject.toml); a
source checkout or an editable install reads the repository's `theme/` itself. Nothing
else may look for these files by the repository's layout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = Path(str(resources.files("generator")))


def _theme() -> Path:
    installed = PACKAGE / "theme"
    if (installed / "dangjian").is_dir():
        return installed
    return PACKAGE.parent / "theme"  # a source checkout: the package's folder sits beside theme/


THEME = _theme()
"""The default theme: `main.html`, `404.html`, `dangjian/*.html` and `assets/`."""

DEFAULTS = PACKAGE / "load" / "defaults"
"""The default evaluation hierarchy and meeting frequencies (`evaluation.yml`, `frequencies.yml`)."""
