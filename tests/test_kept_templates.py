"""Compiled templates are kept between builds (generator/site/compiled.py): a changed template
is compiled again, and a planted or damaged entry in the cache is never run."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from support import AS_OF, REPO, clean_env, copy_sample, run_cli, tree_digest

pytestmark = pytest.mark.slow


def build(root: Path, out: Path) -> None:
    done = run_cli("build", root, "-o", out, "--as-of", AS_OF, cwd=REPO, env=clean_env(DANGJIAN_CACHE_KEY="1" * 64), timeout=300)
    assert done.returncode == 0, done.stderr


def test_a_kept_template_gives_way_to_its_edited_source_and_planted_code_is_not_run(tmp_path):
    root = copy_sample(tmp_path / "p")
    first = tmp_path / "first"
    build(root, first)
    kept = sorted((root / ".dangjian-cache/templates").iterdir())
    assert len(kept) > 20, "the page bodies' and the theme's templates are both kept"

    kanban, frame = root / "theme/dangjian/kanban.html", root / "theme/main.html"
    kanban.write_text(kanban.read_text(encoding="utf-8").replace("· 管理看板", "· 管理看板（看板模板改过了）"),
                      encoding="utf-8")
    frame.write_text(frame.read_text(encoding="utf-8").replace("{% block htmltitle %}", "{% block htmltitle %}<!-- 页面框架改过了 -->"),
                     encoding="utf-8")
    edited = tmp_path / "edited"
    build(root, edited)
    home = (edited / "index.html").read_text(encoding="utf-8")
    assert "看板模板改过了" in home and "页面框架改过了" in home

    # code compiled from another source, filed under kanban.html's key and its source's checksum,
    # under a seal made without the key: valid Jinja bytecode that must not be run
    cache = jinja2.BytecodeCache()
    key = cache.get_cache_key("kanban.html", str(kanban))
    bucket = jinja2.bccache.Bucket(jinja2.Environment(), key, cache.get_source_checksum(kanban.read_text(encoding="utf-8")))
    bucket.code = compile(jinja2.Environment().compile("<h1>PLANTED</h1>", raw=True), "kanban.html", "exec")
    planted = root / ".dangjian-cache/templates" / key
    assert planted.is_file()
    planted.write_bytes(b"DJSEAL1\n" + b"\0" * 32 + bucket.bytecode_to_string())
    again = tmp_path / "again"
    build(root, again)
    assert "PLANTED" not in (again / "index.html").read_text(encoding="utf-8")
    assert tree_digest(again) == tree_digest(edited)


def test_a_template_kept_by_another_version_of_the_package_is_compiled_again(tmp_path, monkeypatch, use_settings):
    """Compiled code holds what this package's Jinja settings were (here autoescape), not only the
    template's source: a kept entry serves only the code that compiled it (generator/seal.py)."""
    from generator import seal
    from generator.site import compiled

    use_settings(cache_key="1" * 64, no_cache=False)
    monkeypatch.setattr(compiled, "_MEMORY", {})

    def render(autoescape: bool) -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader({"member.html": "{{ '<b>' }}"}), autoescape=autoescape,
                                 bytecode_cache=compiled.KeptTemplates(tmp_path))
        return env.get_template("member.html").render()

    assert render(False) == "<b>"
    assert list((tmp_path / ".dangjian-cache/templates").iterdir()), "kept on disk"
    compiled._MEMORY.clear()  # a later command: only the disk is left
    monkeypatch.setattr(seal, "package_digest", lambda: b"a later version that escapes")
    assert render(True) == "&lt;b&gt;"
