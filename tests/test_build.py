"""Real builds: `dangjian build` and `mkdocs build --strict` of the sample and of a new project."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import AS_OF, REPO, copy_sample, debris, inherited_env, run_cli, tree_digest

pytestmark = pytest.mark.slow


def dangjian(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd or REPO, env=inherited_env(), timeout=600)


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory) -> Path:
    """A copy of the repository's own branch project (data, content, theme, mkdocs.yml)."""
    return copy_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def sample_site(sample_copy) -> Path:
    out = sample_copy / "site"
    result = dangjian("build", str(sample_copy), "-o", str(out), "--as-of", AS_OF, "--strict")
    assert result.returncode == 0, result.stderr
    return out


def text_of(path: Path) -> str:
    return re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))


def test_sample_checks_clean():
    result = dangjian("check", ".")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("检查通过")


def test_home_page_is_the_kanban_in_chinese(sample_site):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    for column in ("支部动态", "党务公开", "活动感悟", "金榜题名"):
        assert column in html
    branch = re.search(r"^name: (.+)$", (REPO / "data/branch.yml").read_text(encoding="utf-8"), re.M).group(1)
    assert branch.strip() in html
    assert "数据截至 2026-11-20" in html  # provenance in the footer


def test_every_member_has_a_page_and_the_roster_hides_private_fields(sample_site):
    roster = (sample_site / "members/index.html").read_text(encoding="utf-8")
    members = (REPO / "data/members.yml").read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (\S+)", members, re.M)
    assert len(ids) >= 20
    for private in re.findall(r"^\s+(?:phone|id_number|address): (.+)$", members, re.M):
        assert private.strip() not in roster
    pages = list((sample_site / "members").glob("*/index.html"))
    assert len(pages) >= len(ids) - 1  # the member who left is not on the roll


def test_navigation_does_not_grow_with_members(sample_site):
    html = (sample_site / "members/index.html").read_text(encoding="utf-8")
    links = re.findall(r'class="md-nav__link', html)
    assert 5 < len(links) < 40, f"{len(links)} navigation links"
    # the same count on every page size: a member page carries no more navigation than the roster
    member_page = next((sample_site / "members").glob("*/index.html")).read_text(encoding="utf-8")
    assert len(re.findall(r'class="md-nav__link', member_page)) <= len(links) + 2


def test_search_finds_a_two_character_word_inside_a_sentence(sample_site):
    index = json.loads((sample_site / "search/search_index.json").read_text(encoding="utf-8"))
    # jieba marks word boundaries with zero-width spaces, which the configured separator splits on.
    assert "\\u200b" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    hits = [d["location"] for d in index["docs"] if re.search(r"(^|[\s\u200b])党费([\s\u200b]|$)", d["text"])]
    assert hits, "the word 党费 from inside a sentence is not a search token"


def long_article(chars: int, seed: int = 5) -> str:
    """An article body of exactly `chars` characters: a distinctive opening, varied paragraphs, a distinctive end."""
    import random

    rng = random.Random(seed)
    words = ["支部", "党员", "学习", "调研", "基层", "服务", "群众", "会议", "精神", "落实", "推进", "工作", "问题", "解决",
             "创新", "责任", "制度", "活动", "志愿", "宣传", "组织", "发展", "质量", "安全", "效率", "流程", "经验", "交流"]
    opening, ending = "开篇：青松岭营业站蹲点调研纪实，支部书记带队走访七个班组。\n\n", "\n\n结尾：这一句在全文的最后。\n"
    paragraphs, size = [], len(opening) + len(ending)
    while size < chars:
        p = "，".join("".join(rng.choice(words) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(5, 12))) + "。\n\n"
        paragraphs.append(p)
        size += len(p)
    return (opening + "".join(paragraphs))[:chars - len(ending)] + ending


def test_a_4_mb_article_adds_a_bounded_part_to_the_search_index_and_its_beginning_stays_findable(sample_site, tmp_path):
    """Issue 30: one 4 MB news article made a 13 MB search index, which every reader downloads at the first search."""
    root = copy_sample(tmp_path / "p")
    article = root / "data/news/2026-10-20-changpian.md"
    article.write_text("---\ntitle: 青松岭蹲点调研长篇纪实\ndate: 2026-10-20\nauthor: m16\n---\n"
                       + long_article(1_400_000), encoding="utf-8")
    assert article.stat().st_size > 4_000_000
    (root / "content/long.md").write_text("# 支部大事记\n\n" + long_article(30_000, seed=6), encoding="utf-8")
    done = dangjian("build", str(root), "-o", str(tmp_path / "site"), "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    reminders = done.stderr.splitlines()
    tail = "：站内搜索只收录每篇开头的 2 万字，后面的内容搜不到（网页上照常全文显示）；要让全文都能搜到，请把它拆成几篇"
    assert "data/news/2026-10-20-changpian.md:6: 提醒：正文很长（约 140 万字）" + tail in reminders
    assert "content/long.md:1: 提醒：正文很长（约 3 万字）" + tail in reminders

    path = tmp_path / "site/search/search_index.json"
    grown = path.stat().st_size - (sample_site / "search/search_index.json").stat().st_size
    assert grown < 400_000, f"the two long pages add {grown:,} bytes"  # two pages of 20,000 characters each at most
    index = json.loads(path.read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    for page, opening in (("news/2026-10-20-changpian/", "营业站"), ("long/", "支部书记")):
        docs = [d for d in index["docs"] if d["location"].partition("#")[0] == page]
        tokens = {t for d in docs for t in separator.split(d["text"])}
        assert opening in tokens, f"{page}: the beginning is no longer findable"
        assert "最后" not in tokens and not any("结尾" in d["text"] for d in docs), f"{page}: not cut"
    # the big screen's version is of the site as published, the index cut as above
    from generator.site.screen import site_version

    version = json.loads((tmp_path / "site/screen/version.json").read_text(encoding="utf-8"))["version"]
    assert version == site_version(tmp_path / "site")


def test_chinese_headings_get_readable_anchors(sample_site):
    about = (sample_site / "about/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="[\u4e00-\u9fff]', about), "Chinese heading anchors should keep the Chinese text"


def test_no_external_urls_in_pages(sample_site):
    for page in sample_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            pytest.fail(f"{page.relative_to(sample_site)} loads {url}")


def test_failed_build_leaves_previous_output_byte_for_byte(sample_copy, sample_site):
    before = tree_digest(sample_site)
    broken = sample_copy / "data/members.yml"
    original = broken.read_text(encoding="utf-8")
    broken.write_text(original.replace("joined: ", "joined: 2026-02-30 #", 1), encoding="utf-8")
    try:
        result = dangjian("build", str(sample_copy), "-o", str(sample_site), "--as-of", AS_OF)
    finally:
        broken.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "data/members.yml:" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(sample_site) == before
    # the chart cache and the lock file (generator/atomic.py) stay on purpose; a half-built or swapped-out site does not
    assert not debris(sample_site, ".dangjian-cache")


def test_engine_failure_also_leaves_previous_output(sample_copy, sample_site, tmp_path):
    before = tree_digest(sample_site)
    bad = tmp_path / "bad"
    shutil.copytree(sample_copy, bad, ignore=shutil.ignore_patterns("site"))
    (bad / "mkdocs.yml").write_text((bad / "mkdocs.yml").read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"), encoding="utf-8")
    result = dangjian("build", str(bad), "-o", str(sample_site), "--as-of", AS_OF)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree_digest(sample_site) == before


def test_plain_mkdocs_build_strict_of_a_new_project(tmp_path):
    project = tmp_path / "branch"
    assert dangjian("new", str(project), "--name", "测试党支部").returncode == 0
    env = {**os.environ, "DANGJIAN_AS_OF": AS_OF}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    html = (project / "site/index.html").read_text(encoding="utf-8")
    assert "测试党支部" in html and "管理看板" in html
    assert not (project / "content/index.md").exists()  # generated pages never land in content/


def test_plain_mkdocs_build_fails_on_bad_data_with_the_report(tmp_path):
    project = tmp_path / "branch"
    dangjian("new", str(project))
    (project / "data/members.yml").write_text("- id: m01\n  name: 甲\n  joined: 2026-13-01\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "data/members.yml:3:" in result.stderr


def test_two_builds_are_identical(sample_copy, tmp_path):
    env_epoch = {"SOURCE_DATE_EPOCH": "1790000000"}
    digests = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run_cli("build", sample_copy, "-o", out, "--as-of", AS_OF, cwd=REPO, env={**os.environ, **env_epoch}, timeout=600)
        assert result.returncode == 0, result.stderr
        digests.append(tree_digest(out))
    assert digests[0] == digests[1]


def test_the_sitemap_is_dated_by_the_as_of_day_not_the_build_day(sample_site):
    """Reproducible on another day: mkdocs dates sitemap.xml.gz by the day of the build (its gzip header)."""
    import struct

    raw = (sample_site / "sitemap.xml.gz").read_bytes()
    mtime = struct.unpack("<I", raw[4:8])[0]  # RFC 1952: MTIME, seconds since the epoch
    assert dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat() == AS_OF


def test_the_home_title_is_not_doubled_and_counts_read_as_people_write_them(sample_site):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", home).group(1)
    assert " - " not in title and title.strip(), title
    assert "<title>金榜题名 - " in (sample_site / "honor-roll/index.html").read_text(encoding="utf-8")
    evaluation = (sample_site / "evaluation/index.html").read_text(encoding="utf-8")
    assert re.search(r">1 次<", evaluation), "每月标准 reads 1 次"
    assert not re.search(r"\d\.0 (?:次|小时|篇|项)", evaluation)
    missing = (sample_site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in missing and "Not found" not in missing
