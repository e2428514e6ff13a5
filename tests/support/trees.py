"""Comparing folders byte for byte: a built site before and after, or two builds."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.atomic import LOCK_FILE


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (posix path relative to it) with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def debris(out: Path, *kept: str) -> list[str]:
    """The `.dangjian-*` files and folders a build left beside its output folder `out`.

    The build's lock file stays there by design (it is what two builds take turns on); `kept` names
    others that belong there, such as the project's `.dangjian-cache` when `out` is inside the project.
    """
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(".dangjian-") and p.name != LOCK_FILE and p.name not in kept)
