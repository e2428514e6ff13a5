"""The pictures of content/ that the build would refuse, found by `check` from their headers alone."""

from __future__ import annotations

import os
from pathlib import Path

from generator.model.problems import Problem
from generator.model.spec import is_image
from generator.picture_limits import PhotoError, open_picture, unreadable


def picture_problems(root: Path) -> tuple[Problem, ...]:
    """Each picture of content/ that the build would refuse, found from its header alone (for `check`)."""
    problems = []
    for path in _pictures(root / "content"):
        shown = "content/" + path.relative_to(root / "content").as_posix()
        try:
            with open_picture(path):
                pass
        except PhotoError as exc:
            problems.append(Problem(shown, 0, str(exc)))
        except (OSError, ValueError, EOFError) as exc:  # what Pillow raises on a damaged header
            problems.append(Problem(shown, 0, unreadable(exc)))
    return tuple(problems)


def _pictures(folder: Path) -> list[Path]:
    """The pictures mkdocs publishes from `folder`: links to folders followed once, dot-names skipped as mkdocs does."""
    found: list[Path] = []
    seen: set[str] = set()
    stack = [folder]
    while stack:
        here = stack.pop()
        real = os.path.realpath(here)
        if real in seen or not here.is_dir():
            continue
        seen.add(real)
        for entry in sorted(here.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif is_image(entry.name) and entry.is_file():
                found.append(entry)
    return sorted(found)
