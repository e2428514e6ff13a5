"""The branch cache: stored results, pickled hand-over from workers, damaged and planted files."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import support
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import seal
from generator.load.cache import cached, cached_pickle, unpickle
from generator.load.validate import load_project
from generator.tools.synth import synthesize


def inputs(tmp_path: Path) -> list[Path]:
    source = tmp_path / "a.yml"
    source.write_text("x: 1\n", encoding="utf-8")
    return [source]


def stored(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / ".dangjian-cache" / "test").glob("*.pickle"))


def test_cached_pickle_stores_once_and_gives_the_stored_bytes(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"value": (1, "一")}

    first = cached_pickle(tmp_path, "test", inputs(tmp_path), compute)
    again = cached_pickle(tmp_path, "test", inputs(tmp_path), compute)
    entry = stored(tmp_path)[0]
    assert first == again == seal.unseal(entry.read_bytes(), f"test/{entry.name}")
    assert unpickle(first, compute) == {"value": (1, "一")}
    assert calls == [1]
    assert cached(tmp_path, "test", inputs(tmp_path), compute) == {"value": (1, "一")} and calls == [1]


def test_without_the_cache_the_value_is_computed_and_nothing_stored(tmp_path, use_settings):
    use_settings(no_cache=True)
    data = cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: [1, 2])
    assert pickle.loads(data) == [1, 2]
    assert not (tmp_path / ".dangjian-cache").exists()


def test_a_damaged_or_unsealed_file_is_computed_again_and_repaired(tmp_path):
    cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "good")
    stored(tmp_path)[0].write_bytes(b"\x80\x05broken")
    data = cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "fresh")
    assert unpickle(data, lambda: "unused") == "fresh"
    assert cached(tmp_path, "test", inputs(tmp_path), lambda: "unused") == "fresh"  # repaired


def test_sealed_bytes_that_do_not_unpickle_give_the_computed_value(tmp_path):
    cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "good")
    entry = stored(tmp_path)[0]
    entry.write_bytes(seal.seal(b"\x80\x05broken", f"test/{entry.name}"))
    data = cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "unused")
    assert unpickle(data, lambda: "again") == "again"


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def run_cli(*args, home: Path, key: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DANGJIAN_", "XDG_"))}
    env["HOME"] = str(home)
    if key is not None:
        env["DANGJIAN_CACHE_KEY"] = key
    return support.run_cli(*args, env=env, timeout=300)


def test_a_planted_pickle_runs_no_code(synthetic, tmp_path):
    """A pickle committed into .dangjian-cache/ (or restored from a shared CI cache) is never loaded."""
    home = tmp_path / "home"
    first = run_cli("check", synthetic, home=home)
    assert first.returncode == 0, first.stderr
    entries = sorted((synthetic / ".dangjian-cache" / "branches").iterdir())
    assert entries
    marker = tmp_path / "code-ran"
    for entry in entries:  # the attacker knows the key of each entry: it is a hash of the files
        entry.write_bytes(pickle.dumps(_RunsCode(marker)))
    again = run_cli("check", synthetic, home=home)
    assert again.returncode == 0 and again.stdout == first.stdout, again.stderr
    assert "Traceback" not in again.stderr
    assert not marker.exists(), "a planted cache entry ran code"


def test_entries_written_under_another_key_are_not_trusted(synthetic, tmp_path):
    """CI: DANGJIAN_CACHE_KEY is a protected variable; an untrusted pipeline's entries are rebuilt."""
    home = tmp_path / "home"
    assert run_cli("check", synthetic, home=home, key="untrusted-merge-request").returncode == 0
    planted = sorted((synthetic / ".dangjian-cache" / "branches").iterdir())
    marker = tmp_path / "code-ran"
    for entry in planted:  # a well-formed entry, sealed under the wrong key
        old = seal.MAGIC + entry.read_bytes()[len(seal.MAGIC):len(seal.MAGIC) + 32]
        entry.write_bytes(old + pickle.dumps(_RunsCode(marker)))
    done = run_cli("check", synthetic, home=home, key="the-main-pipeline")
    assert done.returncode == 0 and "检查通过" in done.stdout, done.stderr
    assert not marker.exists()
    key_file = home / ".cache/dangjian/cache-key"
    assert not key_file.exists(), "with DANGJIAN_CACHE_KEY set no key file is made"
    run_cli("check", synthetic, home=home)
    assert key_file.stat().st_mode & 0o777 == 0o600, "the user's key is readable by that user only"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "project"
    synthesize(root, branches=4, members=60, years=1, seed=3)
    return root


def test_parallel_loads_cold_warm_and_damaged_give_what_a_serial_fresh_load_gives(synthetic, use_settings):
    use_settings(no_cache=True, workers=1)
    fresh = load_project(synthetic)
    assert fresh.ok and len(fresh.project.branches) == 4
    use_settings(no_cache=False, workers=2)
    cold = load_project(synthetic)
    files = sorted((synthetic / ".dangjian-cache" / "branches").glob("*.pickle"))
    assert len(files) == 4
    warm = load_project(synthetic)
    files[0].write_bytes(files[0].read_bytes()[:100])
    damaged = load_project(synthetic)
    for loaded in (cold, warm, damaged):
        assert loaded.project == fresh.project and loaded.problems == fresh.problems
    assert pickle.loads(seal.unseal(files[0].read_bytes(), f"branches/{files[0].name}"))[0] in fresh.project.branches  # repaired


def test_a_planted_chart_is_drawn_again_not_published(fresh_project, tmp_path):
    home = tmp_path / "home"
    site = tmp_path / "site"
    assert run_cli("build", fresh_project, "-o", site, home=home).returncode == 0
    charts = sorted((fresh_project / ".dangjian-cache" / "charts").iterdir())
    assert charts
    published = {p.name: p.read_bytes() for p in (site / "assets/charts").iterdir()}
    for chart in charts:
        chart.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("planted")</script></svg>')
    assert run_cli("build", fresh_project, "-o", site, home=home).returncode == 0
    again = {p.name: p.read_bytes() for p in (site / "assets/charts").iterdir()}
    assert again == published and not any(b"planted" in svg for svg in again.values())



def test_a_sealed_entry_copied_under_another_name_is_not_trusted(tmp_path):
    cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "for these files")
    other = tmp_path / "b.yml"
    other.write_text("x: 2\n", encoding="utf-8")
    entry = stored(tmp_path)[0]
    replay = entry.with_name(entry.name.replace(entry.stem, "0" * len(entry.stem)))
    shutil.copy(entry, replay)  # a valid seal, but for the other name
    assert seal.unseal(replay.read_bytes(), f"test/{replay.name}") is None
    assert seal.unseal(entry.read_bytes(), f"test/{entry.name}") is not None


@pytest.mark.parametrize("content", ["", "   \n", "abc", "zz" * 32])
def test_a_damaged_key_file_is_replaced_not_a_traceback_nor_an_empty_key(tmp_path, use_settings, content):
    use_settings(user_cache=tmp_path / "dangjian", cache_key="")
    path = tmp_path / "dangjian/cache-key"
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="ascii")
    key = seal.key()
    assert key is not None and len(key) == 32
    assert len(path.read_text(encoding="ascii").strip()) == 64


# -- keyed on the code: every file of the package (issue 30.14) ------------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
PACKAGE_FILES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("code") / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(PACKAGE_FILES), at=st.integers(min_value=0))
def test_a_byte_changed_in_any_file_of_the_package_changes_its_digest(package_copy, name, at):
    path = package_copy / name
    data = path.read_bytes()
    before = seal.tree_digest(package_copy)
    assert before == seal.package_digest()  # the copy is the package
    at %= max(len(data), 1)
    path.write_bytes(data[:at] + bytes([(data[at:at + 1] or b"\0")[0] ^ 1]) + data[at + 1:])
    try:
        assert seal.tree_digest(package_copy) != before, name
    finally:
        path.write_bytes(data)


def keys_with(package_root: Path) -> list[str]:
    """The branch cache's and a chart's keys as a program run from `package_root` makes them."""
    code = ("import json, pathlib; from generator.load.cache import files_digest; from generator.pages import charts; from generator.site import drawing; "
            f"p = pathlib.Path({str(PACKAGE.parent / 'mkdocs.yml')!r}); "
            "print(json.dumps([files_digest([p], p.parent), drawing.cache_key(charts.ChartSpec('radar', 'x', '{}'))]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=package_root,  # `-c` imports from its folder first
                          env={**os.environ, "PYTHONPATH": str(package_root)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", ["compute/ahp.py", "compute/ahp_tree.py", "site/svg_charts.py"])
def test_the_branch_cache_and_the_charts_are_keyed_on_the_whole_package(tmp_path, name):
    # load/evaluation.py calls compute/ahp.py: an AHP fix must not leave `check` reporting the old CR
    copy = tmp_path / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    same = keys_with(tmp_path)
    (copy / name).write_bytes((copy / name).read_bytes() + b"\n# changed\n")
    changed = keys_with(tmp_path)
    assert same == keys_with(PACKAGE.parent)
    assert changed[0] != same[0] and changed[1] != same[1]
