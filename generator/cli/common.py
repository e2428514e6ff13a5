"""What every `dangjian` command shares: its --as-of day, its project folder, how it reports.

Commands import from here, never from each other or from `cli/main.py`, so the command
line has no import cycle; nothing below `cli/` imports `cli/` at all.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from generator.model.problems import report, report_reminders


def usage_error(message: str) -> int:
    """A mistake on the command line: said on stderr, exit status 2."""
    print(f"dangjian: {message}", file=sys.stderr)
    return 2


def as_of_date(text: str | None) -> dt.date:
    """The build's "today": --as-of, else the computer's date."""
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(usage_error(f"--as-of 应写成 YYYY-MM-DD，如 2026-09-30，实际是“{text}”"))


def project_folder(text: str) -> Path:
    root = Path(text)
    if not root.is_dir():
        raise SystemExit(usage_error(f"找不到文件夹“{text}”"))
    return root


def print_problems(problems, reminders=()) -> None:
    if reminders:
        print(report_reminders(reminders), file=sys.stderr)
    if problems:
        print(report(problems), file=sys.stderr)


def one_branch(root: Path, branch_id: str | None, as_of: dt.date | None = None):
    """The project's branch a command works on (`--branch` in a 党委), or the exit status after saying why."""
    from generator.compute.period import choose_branches
    from generator.load.validate import load_project

    loaded = load_project(root, today=as_of) if as_of is not None else load_project(root)
    if loaded.problems or loaded.project is None:
        print(report(loaded.problems), file=sys.stderr)
        return None, loaded.project, 1
    branches, message = choose_branches(loaded.project, branch_id)
    if message:
        return None, loaded.project, usage_error(message)
    return branches[0], loaded.project, 0
