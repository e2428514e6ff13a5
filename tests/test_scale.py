"""A 党委 at enterprise scale (issue 8): the 1,200-member synthetic project is as safe as the sample.

`dangjian synth` makes 40 branches, 1,200 members and three years of records; the site
is built twice, first with empty caches and then reusing them. The two builds must be
byte-identical, no private value of any member (phone, ID number, address, dues base,
grade, discipline, dues amounts) may appear in any output byte, every link must
resolve down to its #anchor, and a sample of pages opened in Chromium may request
nothing outside the local server and log no error.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from support import AS_OF, REPO, broken_links, cli_command, inherited_env, run_cli, tree_digest
from support.browser import chromium, page_urls, serve, visit_offline

from generator.load.validate import load_project
from generator.tools.privacy import private_values, scan_output

pytestmark = pytest.mark.slow


def dangjian(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, env=inherited_env(SOURCE_DATE_EPOCH="1790000000"), timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "project"
    done = dangjian("synth", "-o", str(root), "--branches", "40", "--members", "1200", "--years", "3", "--seed", "1")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def sites(project) -> tuple[Path, Path]:
    """(cold, warm): built with empty caches, then again reusing them."""
    out = []
    for name in ("cold", "warm"):
        target = project.parent / f"site-{name}"
        done = dangjian("build", str(project), "-o", str(target), "--as-of", AS_OF)
        assert done.returncode == 0, done.stderr
        out.append(target)
    return out[0], out[1]


def test_a_rebuild_reusing_the_caches_is_byte_identical(sites):
    cold, warm = tree_digest(sites[0]), tree_digest(sites[1])
    assert sum(1 for k in cold if k.endswith("index.html")) > 4000
    assert cold == warm


def test_no_private_value_of_1200_members_in_any_output_byte(project, sites):
    loaded = load_project(project)
    assert loaded.ok, loaded.problems[:3]
    values = private_values(loaded.project, min_length=8)  # shorter ones ("优秀") occur as ordinary words
    assert len(values) > 3000
    assert scan_output(sites[0], values) == []


def test_every_link_resolves(sites):
    assert broken_links(sites[0]) == []


@pytest.mark.browser
def test_pages_of_every_kind_load_offline_without_errors(sites):
    with chromium() as browser, serve(sites[0]) as base_url:
        # the 党委 overview and every page of the first and the last branch
        urls = [u for u in page_urls(sites[0], base_url)
                if not re.match(r"b\d\d/", u[len(base_url):]) or re.match(r"b(01|40)/", u[len(base_url):])]
        assert len(urls) > 150
        seen = visit_offline(browser, urls, base_url)
    print(f"\n{len(urls)} pages, {len(seen.requests)} requests, {seen.seconds:.1f} s")
    assert not seen.outside, seen.outside[:5]
    assert not seen.errors, seen.errors[:5]


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child process is read with wait4 (POSIX)")
def test_a_branch_of_5000_members_builds_within_1_gib(tmp_path):
    """Issue 30: the roll's robustness check took members² × 1,000 bytes (25 GB here) and stopped the build."""
    import resource

    root = tmp_path / "project"
    done = dangjian("synth", "-o", str(root), "--branches", "1", "--members", "5000", "--years", "1", "--seed", "1")
    assert done.returncode == 0, done.stderr

    def no_runaway() -> None:  # the old code would take the machine's memory: stop it at 4 GiB instead
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    with open(tmp_path / "stderr", "w+b") as err:
        child = subprocess.Popen(cli_command("build", root, "-o", tmp_path / "site", "--as-of", AS_OF),
                                 cwd=REPO, env=inherited_env(SOURCE_DATE_EPOCH="1790000000"), stdout=subprocess.DEVNULL, stderr=err,
                                 preexec_fn=no_runaway)
        _, status, usage = os.wait4(child.pid, 0)  # the build and its workers, each at its peak
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode("utf-8", "replace")
    assert child.returncode == 0, message[-2000:]
    assert usage.ru_maxrss * 1024 < 1 << 30, f"peak {usage.ru_maxrss / 1024:.0f} MiB"
