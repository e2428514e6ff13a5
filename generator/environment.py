"""Every environment variable the program reads, in one place.

Settings belong in files and on the command line; these few switches are for CI,
tests and `mkdocs serve` run by hand. Only the entry points read them, once, into a
`generator.settings.Settings` (`settings` below); nothing else reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from generator.settings import Sending, Settings, default_workers

AS_OF = "DANGJIAN_AS_OF"  # `mkdocs serve` run by hand: the build's "today" (YYYY-MM-DD)
AUDIENCE = "DANGJIAN_AUDIENCE"  # `mkdocs serve` run by hand: the audience
NO_CACHE = "DANGJIAN_NO_CACHE"  # any value: never read or write .dangjian-cache/
CACHE_KEY = "DANGJIAN_CACHE_KEY"  # the secret that signs .dangjian-cache/ entries (CI: a protected variable)
NO_REUSE = "DANGJIAN_NO_REUSE"  # not "" or "0": render every page frame and segment every text anew (tests compare the bytes)
WORKERS = "DANGJIAN_WORKERS"  # processes that read a 党委 project's branches (default: cores, at most 8)
CHROMIUM = "CHROMIUM"  # the browser (Chromium, Chrome or Edge) for `dangjian pdf` when it is not found by itself
REGEN = "DANGJIAN_REGEN"  # tests only: rewrite expected outputs
POOL = "DANGJIAN_POOL"  # benchmarks only: "fork" starts the pool's workers by fork instead of spawn (generator/pool.py)
TEST_PAUSE = "DANGJIAN_TEST_PAUSE"  # tests only: "stage:marker-file", a build waits there to be killed (atomic.stage)
# `dangjian remind` sends only when these are set (CI variables; the password a masked one)
SMTP_HOST = "DANGJIAN_SMTP_HOST"
SMTP_PORT = "DANGJIAN_SMTP_PORT"  # default 25
SMTP_SECURITY = "DANGJIAN_SMTP_SECURITY"  # none (default), starttls or ssl
SMTP_USER = "DANGJIAN_SMTP_USER"
SMTP_PASSWORD = "DANGJIAN_SMTP_PASSWORD"
SMTP_FROM = "DANGJIAN_SMTP_FROM"
SMTP_TO = "DANGJIAN_SMTP_TO"  # addresses separated by commas
WEBHOOK_URL = "DANGJIAN_WEBHOOK_URL"
SENDING = (SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_TO, WEBHOOK_URL)

NAMES = (AS_OF, AUDIENCE, NO_CACHE, CACHE_KEY, NO_REUSE, WORKERS, CHROMIUM, REGEN, POOL, TEST_PAUSE, *SENDING)


def settings(environ: Mapping[str, str], jobs: int | None = None) -> Settings:
    """The settings an entry point builds once (generator/settings.py): from its flags (`jobs`: --jobs)
    and `environ`, the environment it was started with. Only entry points call this."""

    def get(name: str, default: str = "") -> str:
        assert name in NAMES, name
        return environ.get(name, default)

    try:
        given = int(get(WORKERS, "0"))
    except ValueError:
        given = 0
    sending = Sending(get(SMTP_HOST), get(SMTP_PORT, "25"), get(SMTP_SECURITY, "none"), get(SMTP_USER),
                      get(SMTP_PASSWORD), get(SMTP_FROM), get(SMTP_TO), get(WEBHOOK_URL))
    return Settings(workers=jobs or given or default_workers(), no_cache=bool(get(NO_CACHE)), cache_key=get(CACHE_KEY),
                    user_cache=user_cache(environ), reuse_frames=get(NO_REUSE) in ("", "0"),
                    pool=get(POOL) or "spawn", test_pause=get(TEST_PAUSE), chromium=get(CHROMIUM),
                    system_folders=MappingProxyType(system_folders(environ)),
                    as_of=get(AS_OF), audience=get(AUDIENCE),
                    environ=MappingProxyType(dict(environ)), sending=sending)


def user_cache(environ: Mapping[str, str]) -> Path:
    """This program's folder in the user's cache: `$XDG_CACHE_HOME/dangjian`, else `~/.cache/dangjian`;
    on Windows `%LOCALAPPDATA%\\dangjian\\cache`, where Windows expects a program's cache."""
    if os.name == "nt" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "dangjian" / "cache"
    return Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dangjian"


SYSTEM_FOLDERS = ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA", "WINDIR")


def system_folders(environ: Mapping[str, str]) -> dict[str, str]:
    """Where Windows keeps programs and fonts (`PROGRAMFILES`, …), those that are set."""
    return {name: environ[name] for name in SYSTEM_FOLDERS if environ.get(name)}
