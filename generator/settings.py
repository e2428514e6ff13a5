"""The program's settings: one frozen object, built once by an entry point, passed down.

Only the entry points read the environment: the command line (`generator/cli/`) and the mkdocs
plugin when someone runs `mkdocs build`/`mkdocs serve` by hand (`site/mkdocs_adapter.py`'s
`DangjianPlugin.on_config`). Each builds a `Settings` from its flags and the variables named in
`generator/environment.py` (`environment.settings`) and installs it with `use`; the leaf tools
the command line calls directly (`tools/pdf.py`, `tools/remind.py`) are handed the fields they need
as arguments; the shared mechanisms deep below (the cache's key, the pool, the loader's workers, the
font and dictionary caches) take it from `current()`, and the pool hands it to every worker it
starts (spawned workers inherit no module state). Nothing is read from `os.environ` while a build
or a preview's threads run, and nothing is written to it.

A program that calls the library without an entry point (a test) gets `Settings()`: the defaults,
whatever the environment says; it installs other settings with `use`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType


def default_workers() -> int:
    return min(os.cpu_count() or 1, 8)


@dataclass(frozen=True)
class Sending:
    """Where `dangjian remind` sends: a mail server, a webhook, or neither (then it only prints)."""

    smtp_host: str = ""
    smtp_port: str = "25"
    smtp_security: str = "none"  # none, starttls or ssl
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    smtp_to: str = ""  # addresses separated by commas
    webhook_url: str = field(default="", repr=False)


@dataclass(frozen=True)
class Settings:
    """Every switch the program takes from outside its files (see generator/environment.py for each variable)."""

    workers: int = field(default_factory=default_workers)  # processes that read a 党委's branches
    no_cache: bool = False  # never read or write .dangjian-cache/
    cache_key: str = field(default="", repr=False)  # the secret that signs the cache's entries; "": the user's key file
    user_cache: Path = field(default_factory=lambda: Path.home() / ".cache" / "dangjian")  # the key file, fonts, jieba
    reuse_frames: bool = True  # render each page frame and segment each text once per build
    pool: str = "spawn"  # how the pool starts its workers ("fork": benchmarks only)
    test_pause: str = ""  # tests only: "stage:marker-file" (atomic.stage)
    chromium: str = ""  # the browser for `dangjian pdf` when it is not found by itself
    system_folders: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # Windows' PROGRAMFILES, …
    as_of: str = ""  # `mkdocs serve` run by hand: the build's "today"
    audience: str = ""  # `mkdocs serve` run by hand: the audience
    # the environment as the entry point found it, for the `!ENV` names mkdocs.yml reads (assembly/planning.py)
    environ: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    sending: Sending = field(default_factory=Sending)


_current: Settings | None = None


def use(settings: Settings) -> None:
    """Install the entry point's settings for this process (and, through generator/pool.py, its workers)."""
    global _current
    _current = settings


def current() -> Settings:
    """The installed settings, else the defaults."""
    global _current
    if _current is None:
        _current = Settings()
    return _current
