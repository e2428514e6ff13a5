"""The repository's own sample branch, copied where a test may change it."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def copy_sample(root: Path) -> Path:
    """A copy of the sample project (data/, content/, theme/ and mkdocs.yml) at `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("data", "content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root
