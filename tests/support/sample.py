"""The repository's own sample branch, copied where a test may change it, and its fixed day."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

# The sample's records run to 20 November 2026: built "as of" that day, every test sees the same
# site whatever the date on the machine.
AS_OF = "2026-11-20"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)

# The last day of the sample's month: November is then complete, so its roll and report are the
# published ones rather than the running month's.
MONTH_END = "2026-11-30"
MONTH_END_DATE = dt.date.fromisoformat(MONTH_END)


def copy_sample(root: Path) -> Path:
    """A copy of the sample project (data/, content/, theme/ and mkdocs.yml) at `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("data", "content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root
