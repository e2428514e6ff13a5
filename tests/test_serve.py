"""`dangjian serve`: the live preview a secretary keeps open while editing."""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support import REPO, run_cli
from support.serve import fetch, preview, wait_for

pytestmark = pytest.mark.slow


def new_project(tmp_path: Path) -> Path:
    project = tmp_path / "branch"
    assert run_cli("new", project, "--name", "预览支部").returncode == 0
    return project


def test_editing_data_refreshes_the_preview_and_bad_data_shows_the_problems(tmp_path):
    project = new_project(tmp_path)
    with preview(project) as served:
        base = served.base
        wait_for(base, "预览支部")
        members = project / "data/members.yml"
        members.write_text(members.read_text(encoding="utf-8").replace("王示例", "赵新名"), encoding="utf-8")
        wait_for(base + "members/", "赵新名")
        # a mistake: the preview shows the problem list instead of stopping
        members.write_text(members.read_text(encoding="utf-8").replace("joined: 2019-10-15", "joined: 2019-13-15"),
                           encoding="utf-8")
        page = wait_for(base, "data/members.yml:")
        assert "数据有误" in page and "2019-13-15" in page
        # nothing the preview writes lands in the project, so it does not rebuild itself in a loop
        assert not (project / "content/index.md").exists()
        # only the (unwatched) chart cache is added beside the files the secretary keeps
        assert sorted(p.name for p in project.iterdir()) == [".dangjian-cache", ".gitignore", "content", "data", "mkdocs.yml"]


def test_the_preview_speaks_chinese_a_missing_page_included(tmp_path):
    with preview(new_project(tmp_path)) as served:
        wait_for(served.base, "预览支部")
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(served.base + "no-such-page/")
        assert missing.value.code == 404
        page = missing.value.read().decode("utf-8")
        assert "页面不存在" in page and "回到首页" in page and "Not found" not in page
    assert "预览地址" in served.terminal
    english = [line for line in served.terminal.splitlines()
               if re.search(r"Building prefix dict|Loading model|Serving on|GET /", line)]
    assert not english, english


def test_a_partys_preview_rebuilds_only_the_branch_that_changed(tmp_path):
    project = tmp_path / "party"
    assert run_cli("synth", "-o", project, "--branches", "3", "--members", "90", "--years", "1", cwd=REPO).returncode == 0
    branch = project / "data/branches/b02/branch.yml"
    with preview(project) as served:
        page = wait_for(served.base + "b02/", "</html>", seconds=120)
        assert "/.dangjian-preview" in page  # the page asks for the build number and reloads on a new one
        text = branch.read_text(encoding="utf-8")
        branch.write_text(re.sub(r"(?m)^name: .*$", "name: 改名后的第二支部", text, count=1), encoding="utf-8")
        wait_for(served.base + "b02/", "改名后的第二支部", seconds=120)
        branch.write_text(text + "theme_day: 第十五日\n", encoding="utf-8")  # a mistake: shown, not a stale site
        shown = wait_for(served.base + "b01/", "数据有误", seconds=120)
        assert "branch.yml" in shown and "theme_day" in shown
    assert "2 个部分重新生成，2 个沿用" in served.terminal, served.terminal


def fetch_as(url: str, host: str) -> int:
    """The status of a GET with the Host header a page under another name (DNS rebinding) would send."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}), timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_branchs_preview_answers_only_to_its_own_name(tmp_path):
    with preview(new_project(tmp_path)) as served:
        wait_for(served.base, "预览支部")
        port = served.base.rstrip("/").rpartition(":")[2]
        assert fetch_as(served.base, "evil.example") == 403
        assert fetch_as(served.base, f"evil.example:{port}") == 403
        assert fetch_as(served.base + "members/", "evil.example") == 403
        assert fetch_as(served.base, f"127.0.0.1:{port}") == 200
        assert fetch_as(served.base, f"localhost:{port}") == 200


def test_a_stopped_preview_leaves_no_working_folder_and_the_next_clears_what_a_killed_one_left(tmp_path):
    """Each preview works in a 15 MB folder of the system's temporary folder. Stopped (here by SIGTERM, as
    when its console window closes) it removes it; one killed outright leaves it, and the next preview
    removes that one, never the folder of a preview still running (or just starting)."""
    temp = tmp_path / "temp"
    dead, young = temp / "dangjian-preview-dead", temp / "dangjian-preview-young"
    for folder in (dead, young):
        (folder / "site-3").mkdir(parents=True)
        (folder / "site-3" / "index.html").write_text("<p>旧的预览</p>", encoding="utf-8")
    old = time.time() - 3600
    os.utime(dead, (old, old))
    with preview(new_project(tmp_path), temp=temp) as served:
        wait_for(served.base, "预览支部")
        working = sorted(p.name for p in temp.iterdir())
        assert "dangjian-preview-dead" not in working and "dangjian-preview-young" in working
        assert len(working) == 2, working  # the young one and this preview's own
    assert sorted(p.name for p in temp.iterdir()) == ["dangjian-preview-young"], served.terminal
