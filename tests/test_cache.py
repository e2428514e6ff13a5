"""The branch cache: stored results, pickled hand-over from workers, damaged files."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

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
    assert first == again == stored(tmp_path)[0].read_bytes()
    assert unpickle(first, compute) == {"value": (1, "一")}
    assert calls == [1]
    assert cached(tmp_path, "test", inputs(tmp_path), compute) == {"value": (1, "一")} and calls == [1]


def test_without_the_cache_the_value_is_computed_and_nothing_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_NO_CACHE", "1")
    data = cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: [1, 2])
    assert pickle.loads(data) == [1, 2]
    assert not (tmp_path / ".dangjian-cache").exists()


def test_bytes_of_a_damaged_file_give_the_computed_value(tmp_path):
    cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "good")
    stored(tmp_path)[0].write_bytes(b"\x80\x05broken")
    data = cached_pickle(tmp_path, "test", inputs(tmp_path), lambda: "unused")
    assert unpickle(data, lambda: "again") == "again"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "project"
    synthesize(root, branches=4, members=60, years=1, seed=3)
    return root


def test_parallel_loads_cold_warm_and_damaged_give_what_a_serial_fresh_load_gives(synthetic, monkeypatch):
    monkeypatch.setenv("DANGJIAN_NO_CACHE", "1")
    monkeypatch.setenv("DANGJIAN_WORKERS", "1")
    fresh = load_project(synthetic)
    assert fresh.ok and len(fresh.project.branches) == 4
    monkeypatch.delenv("DANGJIAN_NO_CACHE")
    monkeypatch.setenv("DANGJIAN_WORKERS", "2")
    cold = load_project(synthetic)
    files = sorted((synthetic / ".dangjian-cache" / "branches").glob("*.pickle"))
    assert len(files) == 4
    warm = load_project(synthetic)
    files[0].write_bytes(files[0].read_bytes()[:100])
    damaged = load_project(synthetic)
    for loaded in (cold, warm, damaged):
        assert loaded.project == fresh.project and loaded.problems == fresh.problems
    assert pickle.loads(files[0].read_bytes())[0] in fresh.project.branches  # repaired
