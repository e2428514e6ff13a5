"""Running `dangjian` as a user would: a child process, a clean environment, UTF-8 output."""

from __future__ import annotations

import os
import subprocess
import sys

from .sample import REPO


def clean_env(**extra: str) -> dict[str, str]:
    """A minimal environment: no user settings leak into a run, output is UTF-8; `extra` on top."""
    env = {
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONUTF8": "1",
        "PYTHONPATH": str(REPO),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("PATH", "HOME", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP"):
        if name in os.environ:
            env[name] = os.environ[name]
    return {**env, **extra}


def inherited_env(**extra: str) -> dict[str, str]:
    """The test's own environment without the DANGJIAN_ settings a developer may have set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    return {**env, **extra}


def cli_command(*args: str | os.PathLike) -> list[str]:
    """The argument list that starts `dangjian` with this interpreter (for subprocess.Popen)."""
    return [sys.executable, "-m", "generator.cli", *map(str, args)]


def run_cli(*args: str | os.PathLike, cwd: str | os.PathLike | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """`run_cli("check", ".", cwd=project)`: the command's exit status and its text output.

    `env` replaces the clean environment (build it with clean_env(...) or inherited_env(...)).
    """
    return subprocess.run(
        cli_command(*args), cwd=cwd, env=clean_env() if env is None else env, capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=timeout,
    )
