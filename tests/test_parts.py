"""Issue 15: a 党委 site built branch by branch — in parallel, incrementally, and in shards.

Each branch is its own mkdocs run with its own search index; the overview carries the
theme's files. A rebuild with one branch changed renders that branch and the overview
only, and gives the same bytes as a cold build. Shards built by separate processes from
separate clean copies merge into the very bytes of the one-machine build.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import AS_OF, REPO, debris, inherited_env, run_cli
from support import tree_digest as digest

SITE_URL = "https://dangjian.example/"
KEY = "0" * 64  # the same cache key for every process of a test, as on one CI project

pytestmark = pytest.mark.slow


def dangjian(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, env=inherited_env(DANGJIAN_CACHE_KEY=KEY, **(env or {})), timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "p"
    done = dangjian("synth", "-o", root, "--branches", "4", "--members", "120", "--years", "1")
    assert done.returncode == 0, done.stderr
    config = root / "mkdocs.yml"  # with a site_url, so that the sitemaps list pages (and shards must agree on them)
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def fresh_copy(project: Path, target: Path) -> Path:
    """A clean copy: no cache, no site."""
    shutil.copytree(project, target, ignore=shutil.ignore_patterns(".dangjian-cache", "site"))
    return target


@pytest.fixture(scope="module")
def one_machine(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one") / "site"
    done = dangjian("build", fresh_copy(project, out.parent / "p"), "-o", out, "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert "5 个部分" in done.stdout  # the overview and four branches
    return out


def test_each_branch_has_its_own_search_index_of_its_own_pages(one_machine):
    branches = sorted(p.name for p in one_machine.iterdir() if re.fullmatch(r"b\d+", p.name))
    assert len(branches) == 4
    top = json.loads((one_machine / "search/search_index.json").read_text(encoding="utf-8"))
    assert not any(re.match(r"b\d+/", d["location"]) for d in top["docs"])  # the overview's index: its own pages
    for b in branches:
        index = json.loads((one_machine / b / "search/search_index.json").read_text(encoding="utf-8"))
        locations = {d["location"].partition("#")[0] for d in index["docs"]}
        assert "members/" in locations and "activities/" in locations
        for location in locations:  # every result opens a page of this branch
            assert (one_machine / b / location / "index.html").is_file() or (one_machine / b / location).is_file(), location
        page = (one_machine / b / "members/index.html").read_text(encoding="utf-8")
        assert re.search(r'"base": "\.\./"', page)  # the search looks in the branch's folder
        assert 'href="../../assets/stylesheets/' in page  # and shares the overview's theme files
    assert not (one_machine / branches[0] / "assets").exists()


def test_the_sitemap_is_an_index_of_the_overview_and_every_branch(one_machine):
    """Search engines of the intranet find every page: the branches' sitemaps are their own (a part knows
    only its pages), and the top sitemap.xml is the index of them all."""
    import gzip

    def locs(rel: str) -> list[str]:
        text = (one_machine / rel).read_text(encoding="utf-8")
        assert gzip.decompress((one_machine / f"{rel}.gz").read_bytes()).decode() == text
        return [loc.removeprefix(SITE_URL) for loc in re.findall(r"<loc>(.*?)</loc>", text)]

    assert "<sitemapindex" in (one_machine / "sitemap.xml").read_text(encoding="utf-8")
    listed = locs("sitemap.xml")
    assert listed == ["sitemap-overview.xml"] + [f"b0{i}/sitemap.xml" for i in range(1, 5)]
    assert f"<loc>{SITE_URL}</loc>" in (one_machine / listed[0]).read_text(encoding="utf-8")  # the 党委's home page
    for rel in listed[1:]:
        pages = locs(rel)
        branch = rel.partition("/")[0]
        assert f"{branch}/" in pages and f"{branch}/members/" in pages and len(pages) > 50
        assert all(p.startswith(f"{branch}/") and (one_machine / p / "index.html").is_file() for p in pages), pages


def test_shards_from_separate_copies_merge_into_the_one_machine_site(project, one_machine, tmp_path):
    shards = []
    for k in (1, 2):
        copy = fresh_copy(project, tmp_path / f"copy{k}")
        out = tmp_path / f"shard{k}"
        done = dangjian("build", copy, "-o", out, "--as-of", AS_OF, "--shard", f"{k}/2")
        assert done.returncode == 0, done.stderr
        assert f"第 {k} 份（共 2 份）" in done.stdout
        shards.append(out)
    # the shares are disjoint: shard 1 has the overview and b02, b04 … shard 2 the others
    assert (shards[0] / "index.html").is_file() and not (shards[1] / "index.html").exists()
    assert {p.name for p in shards[0].iterdir() if p.name.startswith("b")} == {"b02", "b04"}
    assert {p.name for p in shards[1].iterdir() if p.name.startswith("b")} == {"b01", "b03"}
    merged = tmp_path / "merged"
    done = dangjian("build", "--merge", *shards, "-o", merged)
    assert done.returncode == 0, done.stderr
    assert digest(merged) == digest(one_machine)


def test_merging_an_incomplete_or_mismatched_set_is_refused(project, tmp_path):
    copy = fresh_copy(project, tmp_path / "copy")
    one = tmp_path / "one"
    assert dangjian("build", copy, "-o", one, "--as-of", AS_OF, "--shard", "1/2").returncode == 0
    done = dangjian("build", "--merge", one, "-o", tmp_path / "m")
    assert done.returncode == 1 and "缺少这些部分：b01、b03" in done.stderr and "Traceback" not in done.stderr
    other = tmp_path / "other"
    assert dangjian("build", copy, "-o", other, "--as-of", "2026-11-21", "--shard", "2/2").returncode == 0
    done = dangjian("build", "--merge", one, other, "-o", tmp_path / "m")
    assert done.returncode == 1 and "数据截至日期不同" in done.stderr
    assert not (tmp_path / "m").exists()
    done = dangjian("build", "--merge", copy, "-o", tmp_path / "m")
    assert done.returncode == 1 and "不是 dangjian build --shard 生成的文件夹" in done.stderr
    done = dangjian("build", copy, "--shard", "3/2")
    assert done.returncode != 0 and "--shard 写成" in done.stderr


def test_one_changed_branch_rebuilds_that_branch_and_the_overview_only(project, tmp_path):
    copy = fresh_copy(project, tmp_path / "p")
    out = tmp_path / "site"
    assert dangjian("build", copy, "-o", out, "--as-of", AS_OF).returncode == 0
    before = digest(out)
    branch = copy / "data/branches/b03/branch.yml"
    text = branch.read_text(encoding="utf-8")
    branch.write_text(re.sub(r"(?m)^motto: .*$", "motto: 改过的支部口号", text, count=1)
                      if "\nmotto:" in text else text + "motto: 改过的支部口号\n", encoding="utf-8")
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert "2 个部分重新生成，3 个沿用上次的结果" in done.stdout
    after = digest(out)
    changed = {path for path in set(before) | set(after) if before.get(path) != after.get(path)}
    assert changed and all(p.startswith("b03/") or p == "index.html" or p.startswith(("search/", "sitemap", "screen/"))
                           for p in changed), sorted(changed)[:10]
    assert "改过的支部口号" in (out / "b03/index.html").read_text(encoding="utf-8")
    cold = tmp_path / "cold"
    assert dangjian("build", copy, "-o", cold, "--as-of", AS_OF, env={"DANGJIAN_NO_CACHE": "1"}).returncode == 0
    assert digest(cold) == after  # reused parts are exactly what a fresh build makes


def test_a_tampered_cached_part_is_rebuilt_not_published(project, tmp_path):
    copy = fresh_copy(project, tmp_path / "p")
    out = tmp_path / "site"
    assert dangjian("build", copy, "-o", out, "--as-of", AS_OF).returncode == 0
    cached = copy / ".dangjian-cache/sites/public/b01/site/b01/index.html"
    assert cached.is_file()
    cached.write_text(cached.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"),
                      encoding="utf-8")
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert done.returncode == 0 and "1 个部分重新生成，4 个沿用" in done.stdout, done.stdout
    assert "alert(1)" not in (out / "b01/index.html").read_text(encoding="utf-8")


def test_the_ci_templates_build_every_shard_and_merge_them():
    import yaml

    ci = REPO / "ci-templates"
    gitlab = yaml.safe_load((ci / "gitlab-ci-shards.yml").read_text(encoding="utf-8"))
    assert gitlab["shard"]["parallel"] >= 2
    assert all('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"' in line for line in gitlab["shard"]["script"])
    github = yaml.safe_load((ci / "github-workflow-shards.yml").read_text(encoding="utf-8"))
    shards = github["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and github["env"]["SHARDS"] == len(shards)
    for built, merged in (
        (" ".join(gitlab["shard"]["script"]), " ".join(gitlab["merge"]["script"])),
        (" ".join(s.get("run", "") for s in github["jobs"]["shard"]["steps"]),
         " ".join(s.get("run", "") for s in github["jobs"]["merge"]["steps"])),
    ):
        for audience in ("public", "party", "committee"):  # each audience's shards are merged into its site
            assert f"--audience {audience} --shard" in built and f'-o "shards/{audience}-' in built
            assert f"--merge shards/{audience}-* -o {audience}-site" in merged


def test_a_rebuild_replaces_in_place_only_what_changed(project, tmp_path):
    """The parts a rebuild did not change keep their very files (an rsync to the web server, or a
    reader, sees nothing move); what a change took out of the site is gone from it too."""
    copy = fresh_copy(project, tmp_path / "p")
    out = tmp_path / "site"
    (copy / "content/notice.md").write_text("# 通知\n\n本周五下午学习。\n", encoding="utf-8")
    assert dangjian("build", copy, "-o", out, "--as-of", AS_OF).returncode == 0
    assert (out / "notice/index.html").is_file()
    untouched = {rel: (out / rel).stat().st_ino for rel in ("", "b01", "b02/members")}  # folders: made anew, new inodes
    overview = (out / "about").stat().st_ino
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert "0 个部分重新生成，5 个沿用" in done.stdout, done.stdout
    assert (out / "about").stat().st_ino == overview  # nothing changed, nothing replaced
    news = sorted((copy / "data/branches/b03/news").glob("*.md"))[0]
    news.write_text(news.read_text(encoding="utf-8") + "\n（补充一句。）\n", encoding="utf-8")
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert done.returncode == 0 and "2 个部分重新生成，3 个沿用" in done.stdout, done.stdout
    assert {rel: (out / rel).stat().st_ino for rel in untouched} == untouched
    (copy / "content/notice.md").unlink()  # in every part's navigation: every part changes, in place
    assert dangjian("build", copy, "-o", out, "--as-of", AS_OF).returncode == 0
    assert not (out / "notice").exists()
    assert not debris(out)
    cold = tmp_path / "cold"
    assert dangjian("build", copy, "-o", cold, "--as-of", AS_OF, env={"DANGJIAN_NO_CACHE": "1"}).returncode == 0
    assert digest(out) == digest(cold)
    shutil.rmtree(copy / "data/branches/b04")  # another set of parts: the site is made anew
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert done.returncode == 0 and not (out / "b04").exists(), done.stderr
    assert dangjian("build", copy, "-o", cold, "--as-of", AS_OF, env={"DANGJIAN_NO_CACHE": "1"}).returncode == 0
    assert digest(out) == digest(cold)


def test_each_audience_keeps_its_own_parts(project, tmp_path):
    copy = fresh_copy(project, tmp_path / "p")
    assert dangjian("build", copy, "-o", tmp_path / "committee", "--as-of", AS_OF, "--audience", "committee").returncode == 0
    done = dangjian("build", copy, "-o", tmp_path / "public", "--as-of", AS_OF)
    assert done.returncode == 0 and "5 个部分）" in done.stdout, done.stdout  # nothing of the committee's is reused
    done = dangjian("build", copy, "-o", tmp_path / "committee2", "--as-of", AS_OF, "--audience", "committee")
    assert "0 个部分重新生成，5 个沿用" in done.stdout, done.stdout  # and the public's did not push it out


def test_a_setting_read_from_the_environment_is_part_of_every_key(project, tmp_path):
    """`site_url: !ENV SITE_ADDRESS`: a new address rebuilds every part; the same one reuses them."""
    copy = fresh_copy(project, tmp_path / "p")
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"site_url: {SITE_URL}", "site_url: !ENV SITE_ADDRESS", 1),
                      encoding="utf-8")
    out = tmp_path / "site"
    for address, made in (("https://a.example/", "5 个部分）"), ("https://b.example/", "5 个部分）"),
                          ("https://b.example/", "0 个部分重新生成，5 个沿用")):
        done = dangjian("build", copy, "-o", out, "--as-of", AS_OF, env={"SITE_ADDRESS": address})
        assert done.returncode == 0 and made in done.stdout, done.stdout
        assert f"<loc>{address}b03/" in (out / "b03/sitemap.xml").read_text(encoding="utf-8")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=测试", "-c", "user.email=test@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_a_new_commit_rebuilds_only_what_it_changed(project, tmp_path):
    """Each part's footer shows the last commit that changed its inputs: an untouched branch keeps its
    bytes across commits, so the next CI run reuses it."""
    copy = fresh_copy(project, tmp_path / "p")
    (copy / ".gitignore").write_text(".dangjian-*\n", encoding="utf-8")
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "一")
    first = git(copy, "rev-parse", "--short", "HEAD")
    out = tmp_path / "site"
    assert dangjian("build", copy, "-o", out, "--as-of", AS_OF).returncode == 0
    news = sorted((copy / "data/branches/b03/news").glob("*.md"))[0]
    news.write_text(news.read_text(encoding="utf-8") + "\n（补充一句。）\n", encoding="utf-8")
    git(copy, "commit", "-q", "-am", "二")
    second = git(copy, "rev-parse", "--short", "HEAD")
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert done.returncode == 0 and "2 个部分重新生成，3 个沿用" in done.stdout, done.stdout
    footer = re.compile(r"数据版本 ([0-9a-f]+)")
    assert footer.search((out / "b03/index.html").read_text(encoding="utf-8")).group(1).startswith(second[:7])
    assert footer.search((out / "index.html").read_text(encoding="utf-8")).group(1).startswith(second[:7])
    assert footer.search((out / "b01/index.html").read_text(encoding="utf-8")).group(1).startswith(first[:7])


def test_a_reused_branch_is_still_checked_against_a_changed_one(project, tmp_path):
    """A branch whose part is reused is read only for its facts, and those still catch a clash."""
    copy = fresh_copy(project, tmp_path / "p")
    out = tmp_path / "site"
    first = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert first.returncode == 0, first.stderr
    quiet = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    cold = dangjian("build", copy, "-o", tmp_path / "cold", "--as-of", AS_OF, env={"DANGJIAN_NO_CACHE": "1"})
    assert quiet.returncode == cold.returncode == 0
    assert quiet.stderr == cold.stderr  # the same reminders whether a branch is read whole or for its facts
    b01 = (copy / "data/branches/b01/members.yml").read_text(encoding="utf-8")
    taken = re.search(r"(?m)^- id: (\S+)", b01).group(1)
    roster = copy / "data/branches/b03/members.yml"
    roster.write_text(roster.read_text(encoding="utf-8") + f'\n- id: {taken}\n  name: "冒名顶替"\n  gender: 男\n'
                      f"  joined: 2020-01-01\n  status: 正式党员\n  group: 第一党小组\n", encoding="utf-8")
    done = dangjian("build", copy, "-o", out, "--as-of", AS_OF)
    assert done.returncode == 1, done.stdout
    assert f"党员编号 {taken} 在 data/branches/b01/members.yml 中是" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def _checked_and_planned(root: Path):
    """What `dangjian build` has in hand when the parts start: the checked 党委 and its plan."""
    from generator import assembly, pipeline
    from generator.cli.main import _plan

    outcome = pipeline.run(root, dt.date.fromisoformat(AS_OF), "public", in_parts=True)
    assert not outcome.problems and outcome.result is not None
    return outcome.result, _plan(root, outcome.result, None), assembly


def _build_part():
    from generator.cli.main import _build_part
    from generator.site.mkdocs_adapter import build_site

    return functools.partial(_build_part, build_site, False)


@pytest.fixture
def our_key(use_settings):
    """This process seals the cache with the key the `dangjian` commands of these tests use."""
    use_settings(cache_key=KEY, no_cache=False)


def test_a_branch_broken_while_the_site_is_built_stops_the_build_with_its_folder(project, tmp_path, our_key):
    """Each part reads its own branch after the check: a save in between must not slip through."""
    copy = fresh_copy(project, tmp_path / "p")
    result, plan, assembly = _checked_and_planned(copy)
    roster = copy / "data/branches/b02/members.yml"
    roster.write_text(roster.read_text(encoding="utf-8") + "\n- id: [\n", encoding="utf-8")
    with pytest.raises(assembly.AssembleError, match=r"data/branches/b02: .*请再生成一次"):
        assembly.build_parts(copy, result, tmp_path / "site", _build_part(), plan, jobs=2)


def test_a_branch_edited_while_it_is_built_is_not_kept_under_the_old_key(project, tmp_path, our_key):
    """Undoing an edit made during a build must bring back the old page, not the edited one."""
    copy = fresh_copy(project, tmp_path / "p")
    result, plan, assembly = _checked_and_planned(copy)
    info = copy / "data/branches/b03/branch.yml"
    original = info.read_text(encoding="utf-8")
    info.write_text(re.sub(r"(?m)^name: .*$", "name: 编辑中的支部名称", original, count=1), encoding="utf-8")
    assembly.build_parts(copy, result, tmp_path / "during", _build_part(), plan, jobs=1)
    info.write_text(original, encoding="utf-8")  # undone
    os.utime(info, ns=(1, 1))  # an editor's undo may even restore the old time
    done = dangjian("build", copy, "-o", tmp_path / "after", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert "编辑中的支部名称" not in (tmp_path / "after/b03/index.html").read_text(encoding="utf-8")
    assert "2 个部分重新生成，3 个沿用" in done.stdout, done.stdout  # it and the overview; the others were kept
