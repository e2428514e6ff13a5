"""Issue 35: one settings object, built once by an entry point from its flags and the environment
(generator/environment.py), and handed down; nothing below `cli/` reads the environment."""

from __future__ import annotations

import ast
import subprocess

from support import REPO, clean_env, make_multi, run_cli

GENERATOR = REPO / "generator"
# the entry points: the command line, and the mkdocs plugin when `mkdocs build/serve` is run by hand
ENTRY_POINTS = {("site/mkdocs_adapter.py", "DangjianPlugin.on_config")}
READERS = {("os", "environ"), ("os", "getenv"), ("os", "putenv"), ("os", "unsetenv"),
           ("environment", "get"), ("environment", "settings")}


def _readers(tree: ast.Module) -> list[tuple[int, str, str]]:
    """(line, enclosing Class.function, what) of every read of the environment in a module."""
    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{where}.{child.name}" if where else child.name
            if isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name) \
                    and (child.value.id, child.attr) in READERS:
                found.append((child.lineno, inner, f"{child.value.id}.{child.attr}"))
            if isinstance(child, ast.ImportFrom) and child.module == "os":
                found.extend((child.lineno, inner, f"from os import {a.name}") for a in child.names
                             if ("os", a.name) in READERS)
            visit(child, inner)

    visit(tree, "")
    return found


def test_nothing_below_the_entry_points_reads_the_environment():
    offending = []
    for path in sorted(GENERATOR.rglob("*.py")):
        rel = path.relative_to(GENERATOR).as_posix()
        if rel.startswith("cli/"):
            continue
        for line, where, what in _readers(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, where) not in ENTRY_POINTS:
                offending.append(f"generator/{rel}:{line}: {what} in {where or 'the module'}")
    assert offending == [], "pass the value down from the entry point's settings (generator/settings.py):\n" + \
        "\n".join(offending)


def test_the_scan_sees_each_way_of_reading_the_environment():
    source = "import os\nfrom os import getenv\ndef f():\n    return os.environ.get('X'), environment.get(Y)\n"
    assert [what for _, _, what in _readers(ast.parse(source))] == ["from os import getenv", "os.environ", "environment.get"]


def _dangjian(*args, **env: str) -> subprocess.CompletedProcess:
    return run_cli(*args, env=clean_env(**env), timeout=300)


def test_the_no_cache_variable_reaches_the_branch_loaders_workers_through_a_real_run(tmp_path):
    """DANGJIAN_NO_CACHE, read once by the command line, holds in the pool's spawned workers too
    (DANGJIAN_WORKERS=2: four branches are read in two other processes)."""
    root = make_multi(tmp_path / "p", branches=("b1", "b2", "b3", "b4"))
    home = tmp_path / "home"
    done = _dangjian("check", root, DANGJIAN_NO_CACHE="1", DANGJIAN_WORKERS="2", XDG_CACHE_HOME=str(home))
    assert done.returncode == 0, done.stderr
    assert not (root / ".dangjian-cache").exists()
    done = _dangjian("check", root, DANGJIAN_WORKERS="2", XDG_CACHE_HOME=str(home))
    assert done.returncode == 0, done.stderr
    assert len(list((root / ".dangjian-cache/branches").glob("*.pickle"))) == 4
    assert (home / "dangjian/cache-key").is_file()  # XDG_CACHE_HOME, read by the command line, places the key


def test_jobs_and_the_workers_variable_reach_the_branch_loader(tmp_path, monkeypatch):
    """`--jobs` is how many processes read a 党委's branches, as DANGJIAN_WORKERS is when it is not given."""
    from generator import pool, settings
    from generator.cli.main import main

    root = make_multi(tmp_path / "p", branches=("b1", "b2", "b3", "b4"))
    started: list[int] = []
    real = pool.executor

    def counted(workers, *args, **kwargs):
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(pool, "executor", counted)
    monkeypatch.setattr(settings, "_current", None)  # restored after the test: main() installs its own
    monkeypatch.setenv("DANGJIAN_NO_CACHE", "1")
    monkeypatch.setenv("DANGJIAN_WORKERS", "2")
    assert main(["check", str(root)]) == 0
    assert started == [2]
    started.clear()
    assert main(["build", str(root), "-o", str(tmp_path / "site"), "--as-of", "2026-09-30", "--jobs", "1"]) == 0
    assert started == []  # one process: the branches read one after another, the parts built in turn
