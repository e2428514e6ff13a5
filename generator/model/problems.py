"""Problems found in a branch's files: values, never exceptions.

A problem names the file (relative to the project), the line (1-based, 0 when the
whole file is meant) and a message in Chinese that says what to do. A reminder is a
problem that stops nothing: the build goes on, and `check` still passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    reminder: bool = field(default=False, compare=False)  # worth a look, but it stops nothing

    def __str__(self) -> str:
        """One line, always: a value quoted in a message may hold a line break or a control character."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return one_line(f"{where}: {self.message}")


def one_line(text: str) -> str:
    """Line breaks and other control characters written out visibly (`\\n`), so nothing starts a new line."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def terminal_safe(text: str) -> str:
    """Text a terminal shows as written: ESC, carriage returns and bidi controls as `\\x1b`, `\\u202e`.

    A terminal obeys ESC (it recolours or rewrites the screen) and reorders text around a bidi
    control; line feeds and tabs are left as they are.
    """
    return _TERMINAL_UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


class TerminalSafe:
    """A stream that writes everything through `terminal_safe` (the `dangjian` command's output)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def report(problems: list[Problem] | tuple[Problem, ...]) -> str:
    """The text `dangjian check` prints: every problem on its own line, sorted by file and line."""
    lines = [str(p) for p in sorted(set(problems))]
    if lines:
        lines.append(f"共发现 {len(lines)} 个问题，请逐条修改后重新运行 dangjian check。")
    return "\n".join(lines)


def report_reminders(reminders: list[Problem] | tuple[Problem, ...]) -> str:
    """Reminders, one per line like problems, and a last line saying they stop nothing."""
    lines = [str(p) for p in sorted(set(reminders))]
    if lines:
        lines.append(f"以上 {len(lines)} 条提醒不影响生成，请看过后自行决定是否修改。")
    return "\n".join(lines)


def reminder(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, "提醒：" + message, reminder=True)
