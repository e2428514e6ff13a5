"""Publishing safely (issue 5): a build killed at any moment leaves the published site as it was.

`dangjian build` writes into a hidden sibling folder and swaps it in by renaming
(generator/output.py). Here a build with changed data is started into an existing
output folder and killed with SIGKILL (no cleanup runs) at several moments: as the
command starts, while the data loads, while mkdocs renders, and while files are being
written. Each time the previous output must be byte-for-byte intact; after one more
successful build the new site is in place and no `.dangjian-*` debris remains beside it.

The moments are the build's own (generator.atomic.stage): the build waits at the named
stage until it is killed, so the kill lands there on any machine. A kill timed by the clock
came after the swap on a lightly loaded one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import AS_OF, REPO, cli_command, copy_sample, debris, tree_digest

CHANGED = "KILLTEST-CHANGED-TITLE"
pytestmark = pytest.mark.slow


def command(root: Path, out: Path) -> list[str]:
    return cli_command("build", root, "-o", out, "--as-of", AS_OF)


def env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}, **extra}


def start(args: list[str], **extra: str) -> subprocess.Popen:
    # A session of its own: the kill reaches any child process too.
    return subprocess.Popen(args, cwd=REPO, env=env(**extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict:
    """The sample built once into `out`, and a copy of it whose data differ (one news title)."""
    base = tmp_path_factory.mktemp("kill")
    roots = {}
    for name in ("old", "new"):
        roots[name] = copy_sample(base / name)
    news = sorted((roots["new"] / "data/news").glob("*.md"))[-1]
    text = news.read_text(encoding="utf-8")
    news.write_text(text.replace("title: ", f"title: {CHANGED} ", 1), encoding="utf-8")
    out = base / "published" / "site"
    started = time.monotonic()
    result = subprocess.run(command(roots["old"], out), cwd=REPO, env=env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return {**roots, "out": out, "before": tree_digest(out), "seconds": time.monotonic() - started}


# the build's stages (generator.atomic.stage); mkdocs renders every page before it writes the
# first file, so the new site's hidden folder exists at "writing" only
MOMENTS = ["started", "loading", "rendering", "writing"]


@pytest.mark.parametrize("moment", MOMENTS)
def test_killed_build_leaves_the_previous_output_intact(project, moment, tmp_path):
    out = project["out"]
    marker = tmp_path / "reached"
    proc = start(command(project["new"], out), DANGJIAN_TEST_PAUSE=f"{moment}:{marker}")
    deadline = time.monotonic() + 10 * project["seconds"] + 60  # a bound on a hung build, not the moment of the kill
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    waiting = marker.exists() and proc.poll() is None
    kill(proc)
    assert waiting, f"the build did not wait at {moment} (status {proc.returncode}): {proc.stderr.read().decode()}"
    assert proc.returncode == -signal.SIGKILL
    assert tree_digest(out) == project["before"], f"killed at {moment}: the published site changed"
    if moment == "writing":
        assert debris(out), f"killed at {moment}, yet no half-written folder: the kill came too late"


def test_next_build_replaces_the_site_and_leaves_no_debris(project):
    out = project["out"]
    # Run after the kills above (same module, same order); on its own it still holds.
    result = subprocess.run(command(project["new"], out), cwd=REPO, env=env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not debris(out), debris(out)
    assert any(CHANGED in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert tree_digest(out) != project["before"]


# The moments a timed kill hardly ever hits: inside the swap itself.
KILL_AFTER_EXCHANGE = """
import os, signal, sys
import generator.assembly.output as output
real_exchange = output._exchange
def exchange(a, b):
    done = real_exchange(a, b)
    os.kill(os.getpid(), signal.SIGKILL)  # swapped, the old site not yet removed
    return done
output._exchange = exchange
from generator.cli.main import main
sys.exit(main(sys.argv[1:]))
"""

# Where the one-step exchange is unavailable, the fallback is two renames.
KILL_BETWEEN_RENAMES = """
import os, signal, sys
import generator.assembly.output as output
output._exchange = lambda a, b: False
real_rename = os.rename
def rename(src, dst):
    real_rename(src, dst)
    if os.path.basename(str(dst)).startswith(".dangjian-") and ".previous-" in os.path.basename(str(dst)):
        os.kill(os.getpid(), signal.SIGKILL)  # the old site is moved away, the new one not yet in place
os.rename = rename
from generator.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def kill_inside_swap(project, tmp_path, script) -> tuple[Path, dict]:
    out = tmp_path / "published" / "site"
    shutil.copytree(project["out"], out)
    before = tree_digest(out)
    args = [sys.executable, "-c", script, "build", str(project["new"]), "-o", str(out), "--as-of", AS_OF]
    proc = start(args)
    proc.wait(timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    return out, before


def test_a_kill_during_the_one_step_swap_leaves_a_whole_site_in_place(project, tmp_path):
    out, before = kill_inside_swap(project, tmp_path, KILL_AFTER_EXCHANGE)
    assert out.is_dir() and (out / "index.html").exists()
    assert any(CHANGED in p.read_text(encoding="utf-8") for p in out.rglob("*.html")), "the new site is in place"
    result = subprocess.run(command(project["new"], out), cwd=REPO, env=env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not debris(out), debris(out)


def test_without_the_exchange_a_kill_between_renames_is_recovered_by_the_next_build(project, tmp_path):
    out, before = kill_inside_swap(project, tmp_path, KILL_BETWEEN_RENAMES)
    previous = [p for p in out.parent.iterdir() if ".previous-" in p.name]
    assert len(previous) == 1 and tree_digest(previous[0]) == before, "the previous site is not kept aside whole"
    result = subprocess.run(command(project["new"], out), cwd=REPO, env=env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not debris(out), debris(out)
    assert any(CHANGED in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_two_builds_into_one_folder_take_turns_and_both_leave_a_whole_site(project, tmp_path):
    """The second build used to delete the first one's half-built folder; the first then reported success."""
    out = tmp_path / "shared" / "site"
    runs = [subprocess.Popen(command(project["new"], out), cwd=REPO, env=env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for proc in runs:
        printed, err = proc.communicate(timeout=600)
        results.append((proc.returncode, printed, err))
    for code, _out, err in results:
        assert code == 0 and "Traceback" not in err, err
    assert any("等它完成后再继续" in err for _c, _o, err in results), "the one that waited said so"
    assert not debris(out)
    fresh = tmp_path / "alone" / "site"
    alone = subprocess.run(command(project["new"], fresh), cwd=REPO, env=env(), capture_output=True, text=True, timeout=600)
    assert alone.returncode == 0, alone.stderr
    assert tree_digest(out) == tree_digest(fresh), "the site after two racing builds is the site one build makes"
