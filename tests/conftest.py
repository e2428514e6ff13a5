"""Fixtures shared by the whole test suite.

Keep this file small: only fixtures that many test modules need belong here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run_cli


@pytest.fixture
def run_dangjian():
    """`run_dangjian("check", ".", cwd=project)` runs the command line as a user would."""
    return run_cli


@pytest.fixture(autouse=True)
def default_settings(monkeypatch):
    """Each test starts from the library's defaults: a test that runs `main()` in this process installs the
    settings its command line built, and they must not reach the next test."""
    from generator import settings

    monkeypatch.setattr(settings, "_current", None)


@pytest.fixture
def use_settings(monkeypatch):
    """`use_settings(no_cache=True)`: this process's settings (generator/settings.py) changed for the
    test, as an entry point installs them; the library itself reads no environment variable."""
    from dataclasses import replace

    from generator import settings

    def use(**changes) -> None:
        monkeypatch.setattr(settings, "_current", replace(settings.current(), **changes))

    return use


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    """A new project made by `dangjian new` (its dates depend on today's date)."""
    target = tmp_path / "project"
    done = run_cli("new", target)
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (a skip, or a failure under CI, when it is missing).

    Module scope, not session: `dangjian pdf` starts its own playwright, which cannot run
    while another is open in the same thread.
    """
    from support.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def print_site(tmp_path_factory) -> Path:
    """The sample built once, print and big-screen pages included, for the print and screen tests."""
    from support.browser import need_browser
    from support.printing import build_print_site, sample_copy

    need_browser()
    root = sample_copy(tmp_path_factory.mktemp("print-site"))
    return build_print_site(root, root / "site")


@pytest.fixture(scope="session")
def print_base_url(print_site):
    from support.browser import serve

    with serve(print_site) as url:
        yield url
