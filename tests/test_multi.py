"""A 党委 project with several branches: one site, each branch's kanban under its folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import REPO, broken_links, make_multi, run_cli

pytestmark = pytest.mark.slow


def run(*args, cwd=REPO):
    return run_cli(*args, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def multi_site(tmp_path_factory) -> Path:
    root = make_multi(tmp_path_factory.mktemp("multi"))
    result = run("build", str(root), "--as-of", "2026-11-20", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_overview_compares_branches_and_links_to_each_kanban(multi_site):
    html = (multi_site / "index.html").read_text(encoding="utf-8")
    text = html.replace("<wbr>", "")  # the word breaks the names carry, invisible
    assert "中共示例集团委员会" in text and "示例第1党支部" in text and "示例第2党支部" in text
    assert 'href="b1/"' in html and 'href="b2/"' in html
    assert "金榜题名" not in html  # no member is ranked across branches
    for bid in ("b1", "b2"):
        kanban = (multi_site / bid / "index.html").read_text(encoding="utf-8")
        assert "管理看板" in kanban and "党委总览" in kanban
        assert (multi_site / bid / "members" / f"{bid}m01" / "index.html").exists()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_branch_names_in_the_overview_wrap_between_words(browser, multi_site, tmp_path, viewport):
    """On a phone the 七个一 table scrolls sideways in its box; a branch's name keeps a readable width and
    breaks only between words, never two characters a line."""
    from support.browser import ARTEFACTS, LINE_BREAKS, serve

    from generator.pages.text import word_breaks

    long_name = "星河示例集团有限公司企业管理部党支部"
    site = tmp_path / "site"
    shutil.copytree(multi_site, site)
    home = site / "index.html"
    text = home.read_text(encoding="utf-8")
    assert str(word_breaks("示例第1党支部")) in text  # as the template writes a name
    home.write_text(text.replace(str(word_breaks("示例第1党支部")), str(word_breaks(long_name)), 1), encoding="utf-8")
    width, height = viewport
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(base, wait_until="load")
        cells = page.evaluate(LINE_BREAKS, "table.dj-org td.dj-org-name")
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"overview-{width}.png"))
        context.close()
    assert [c["text"] for c in cells] == [long_name, "示例第2党支部"]
    for cell in cells:
        assert not [b for b in cell["breaks"] if b["inside"]], cell  # only at the word boundaries the page marks
        assert len(cell["breaks"]) <= (2 if width < 600 else 1), cell  # three lines at most on a phone


def test_every_internal_link_resolves(multi_site):
    assert broken_links(multi_site) == []


def test_every_internal_link_of_the_single_branch_sample_resolves(tmp_path):
    out = tmp_path / "site"
    result = run("build", ".", "-o", str(out), "--as-of", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert broken_links(out) == []


def test_same_id_in_two_branches_must_be_the_same_person(tmp_path):
    root = make_multi(tmp_path / "p")
    roster = root / "data/branches/b2/members.yml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("b2m05", "b1m05", 1), encoding="utf-8")
    result = run("check", str(root))
    assert result.returncode == 1
    assert re.search(r"data/branches/b2/members.yml:\d+: 党员编号 b1m05 在 data/branches/b1/members.yml 中是 ", result.stderr)


def test_a_member_who_moved_keeps_both_histories(tmp_path):
    root = make_multi(tmp_path / "p")
    b1 = (root / "data/branches/b1/members.yml").read_text(encoding="utf-8")
    block = re.search(r"^- id: b1m03\n(?:  .*\n)+", b1, re.M).group(0)
    moved = block if "left:" in block else block.rstrip("\n") + "\n  left: 2026-06-30\n"
    (root / "data/branches/b1/members.yml").write_text(b1.replace(block, moved), encoding="utf-8")
    b2 = root / "data/branches/b2/members.yml"
    b2.write_text(b2.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    result = run("check", str(root))
    assert result.returncode == 0, result.stderr


def test_the_branch_cache_gives_what_a_fresh_load_gives_and_sees_every_change(tmp_path, use_settings):
    from generator.load.validate import load_project

    root = make_multi(tmp_path / "p")
    first = load_project(root)  # fills .dangjian-cache/branches/
    assert first.ok and list((root / ".dangjian-cache/branches").glob("*.pickle"))
    assert load_project(root).project == first.project
    use_settings(no_cache=True)
    assert load_project(root).project == first.project
    use_settings(no_cache=False)
    roster = root / "data/branches/b2/members.yml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("joined: ", "joined: 2026-02-30 #", 1), encoding="utf-8")
    changed = load_project(root)
    assert [p.path for p in changed.problems] == ["data/branches/b2/members.yml"]


def test_branches_read_in_parallel_give_the_same_project_and_problems(tmp_path, use_settings):
    from generator.load.validate import load_project

    root = make_multi(tmp_path / "p", branches=("b1", "b2", "b3", "b4"))
    roster = root / "data/branches/b3/members.yml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("joined: ", "joined: 2026-02-30 #", 1), encoding="utf-8")
    use_settings(no_cache=True, workers=1)
    serial = load_project(root)
    use_settings(workers=2)
    parallel = load_project(root)
    assert parallel.problems == serial.problems and len(serial.problems) == 1
    assert serial.problems[0].path == "data/branches/b3/members.yml"


@pytest.mark.parametrize("project", ["sample", "multi"])
def test_reused_page_frames_give_the_same_bytes_as_rendering_every_page(project, multi_site, tmp_path, monkeypatch,
                                                                        use_settings):
    """Reused frames (header, navigation, tabs, scripts), search segmentation and jieba's dictionary
    on disk change no byte."""
    import datetime as dt

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from support import tree_digest

    from generator import pipeline

    root = REPO if project == "sample" else multi_site.parent
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    result = pipeline.run(root, dt.date(2026, 11, 20)).result
    import jieba

    from generator.site.segmenter import DiskDictionary

    jieba.dt.FREQ, jieba.dt.initialized = {}, False  # as in a new process: jieba has loaded no dictionary yet
    digests, reused, on_disk = [], [], []
    for flag in ("0", "1"):
        use_settings(reuse_frames=flag == "0")
        out = tmp_path / f"site-{flag}"
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out))
        plugin = config.plugins["dangjian"]
        plugin.preset = result
        build(config)
        reused.append(plugin.frames.reused)
        on_disk.append(isinstance(jieba.dt.FREQ, DiskDictionary))
        digests.append(tree_digest(out))
    assert reused[0] > 100 and reused[1] == 0  # it did reuse parts, and the check really rendered each
    assert on_disk == [True, False]  # jieba's dictionary looked up on disk, then loaded whole as jieba does
    assert len(digests[0]) > 60
    assert digests[0] == digests[1]


def test_each_branch_page_links_its_own_branch_feeds_and_the_overview_none(multi_site):
    from support import head_feeds

    for bid in ("b1", "b2"):
        assert head_feeds(multi_site, bid) == {"支部动态": f"{bid}/feeds/activities.xml", "宣传报道": f"{bid}/feeds/news.xml"}
    overview = [p for p in multi_site.glob("*.html")] + list((multi_site / "practices").rglob("*.html"))
    assert overview and not any("application/atom+xml" in p.read_text(encoding="utf-8") for p in overview)
