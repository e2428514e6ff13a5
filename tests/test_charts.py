"""Charts: deterministic SVG bytes, text kept as text, cached by content so a rebuild draws nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import seal
from generator.compute import practices
from generator.compute.branch import compute_branch
from generator.load.validate import load_project
from generator.model.scope import scope_branch
from generator.pages import charts
from generator.pages.practices import member_radar_paths, practice_pages

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def branch():
    return load_project(REPO).project.branches[0]


@pytest.fixture(scope="module")
def computed(branch):
    return compute_branch(branch, AS_OF)


@pytest.fixture(scope="module")
def pages(branch, computed):
    return practice_pages(branch, computed, "party")


def test_pages_link_the_charts(pages):
    specs = [s for p in pages for s in charts.specs_in(p.context)]
    kinds = {s.kind for s in specs}
    assert {"radar", "dues_trend", "activity_counts", "zero_hour"} <= kinds
    for s in specs:
        assert re.fullmatch(r"assets/charts/[0-9a-f]{64}\.svg", s.path)


def test_two_renders_give_identical_bytes(pages):
    for spec in {s.path: s for p in pages for s in charts.specs_in(p.context)}.values():
        assert charts.render_svg(spec) == charts.render_svg(spec), spec.kind


def test_same_bytes_in_a_fresh_process(pages, tmp_path):
    """No state of this process (rcParams, font cache order, ids) leaks into the bytes."""
    spec = next(s for p in pages for s in charts.specs_in(p.context) if s.kind == "radar")
    here = charts.render_svg(spec)
    code = ("import sys, json; from generator.pages import charts; "
            "spec = charts.ChartSpec(*json.loads(sys.stdin.read())); sys.stdout.buffer.write(charts.render_svg(spec))")
    import json

    done = subprocess.run([sys.executable, "-c", code], input=json.dumps([spec.kind, spec.alt, spec.payload]).encode("utf-8"),
                          capture_output=True, text=False, cwd=REPO, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "MPLBACKEND": "pdf",
                               "HOME": str(tmp_path), "MPLCONFIGDIR": str(tmp_path / "mpl")})
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == here


def test_svg_keeps_chinese_text_as_text_and_has_no_date(branch, computed):
    svg = charts.render_svg(charts.branch_radar_chart(computed)).decode("utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for label in ("学习力", "执行力", "创新力", "组织力", "服务力"):
        assert label in texts
    assert "<dc:date>" not in svg
    assert "Noto Sans CJK SC" in svg  # the browser picks a Chinese font
    assert "<path d=\"M" in svg


def test_branch_radar_is_the_average_of_the_year_over_the_ranked_members(computed):
    radar = practices.branch_radar(computed)
    scores = computed.current("year")
    ranked = [s for s in scores.members if s.eligible]
    assert len(ranked) < len(scores.members), "the sample has a member kept off the roll"
    learn = sum(s.dimension_scores[0] for s in ranked) / len(ranked)
    # with the kept-off member left out, the average and its count give nothing away of them
    assert radar.values[0] == pytest.approx(learn) and radar.count == len(ranked)
    spec = charts.branch_radar_chart(computed)
    assert spec.data["values"][0] == round(learn, 2)


def test_charts_change_with_their_data(branch, computed):
    stats = practices.dues_stats(scope_branch(branch, "public", AS_OF), AS_OF)
    trend = charts.dues_trend_chart(stats)
    month = next(d for d in branch.dues if d.month == "2026-10")
    late = (dataclasses.replace(month.payments[0], paid_at=dt.datetime(2026, 11, 3, 9, 0)),) + month.payments[1:]
    changed = dataclasses.replace(branch, dues=tuple(dataclasses.replace(d, payments=late) if d is month else d
                                                   for d in branch.dues))
    other = charts.dues_trend_chart(practices.dues_stats(scope_branch(changed, "public", AS_OF), AS_OF))
    assert other.key != trend.key
    assert charts.dues_trend_chart(practices.dues_stats(scope_branch(branch, "public", AS_OF), AS_OF)).key == trend.key


def test_a_rebuild_with_unchanged_data_draws_no_chart(pages, tmp_path):
    before = charts.RENDERS
    files = charts.chart_files(pages, tmp_path)
    drawn = charts.RENDERS - before
    assert drawn == len(files) >= 4
    stored = {p: tmp_path / ".dangjian-cache" / "charts" / p.rsplit("/", 1)[1] for p in files}
    for site_path, svg in files.items():
        assert svg.startswith(b"<?xml")
        assert stored[site_path].read_bytes().startswith(seal.MAGIC)  # kept sealed with the user's key
    mtimes = {p: f.stat().st_mtime_ns for p, f in stored.items()}

    again = charts.chart_files(pages, tmp_path)
    assert charts.RENDERS - before == drawn  # nothing drawn the second time
    assert again == files
    assert {p: f.stat().st_mtime_ns for p, f in stored.items()} == mtimes


def test_charts_drawn_in_other_processes_are_the_same_bytes(pages, tmp_path, monkeypatch):
    inline = charts.chart_files(pages, tmp_path / "inline")
    monkeypatch.setattr(charts.BackgroundDrawing, "INLINE_BELOW", 0)
    before = charts.RENDERS
    drawing = charts.BackgroundDrawing(pages, tmp_path / "background", workers=2)
    files = drawing.files()
    assert charts.RENDERS == before  # none drawn in this process
    assert drawing.drawn == len(files) == len(inline) >= 4
    assert files == inline
    again = charts.BackgroundDrawing(pages, tmp_path / "background")
    assert again.drawn == 0 and again.files() == files  # a rebuild draws nothing


def test_a_worker_that_dies_leaves_its_charts_to_this_process(pages, tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(charts.BackgroundDrawing, "INLINE_BELOW", 0)
    drawing = charts.BackgroundDrawing(pages, tmp_path, workers=1)
    drawing._futures = [drawing._pool.submit(os._exit, 1)]  # the worker process ends at once
    files = drawing.files()
    assert len(files) >= 4 and all(svg.startswith(b"<?xml") for svg in files.values())


def test_a_changed_record_draws_only_its_chart(branch, computed, tmp_path):
    pages = practice_pages(branch, computed, "public")
    charts.chart_files(pages, tmp_path)
    acts = branch.activities + (dataclasses.replace(branch.activities[-1], id="extra-volunteer", type="志愿服务",
                                                    date=dt.date(2026, 11, 18), title="新增志愿服务"),)
    more = dataclasses.replace(branch, activities=acts)
    changed = practice_pages(more, compute_branch(more, AS_OF), "public")
    before = charts.RENDERS
    files = charts.chart_files(changed, tmp_path)
    assert charts.RENDERS - before == 1  # only the activity counts chart
    assert len(files) == len(charts.chart_files(pages, tmp_path))


def test_member_radars_are_found_on_member_pages(branch, computed, tmp_path):
    from generator.pages.branch import PageSpec

    radars = member_radar_paths(branch, computed, "committee")
    page = PageSpec("members/m01.md", "周立新", "member.html", {"charts": {"radar": radars["m01"]}})
    files = charts.chart_files([page], tmp_path)
    assert list(files) == [radars["m01"].path]
    svg = files[radars["m01"].path].decode("utf-8")
    assert "支部平均" in svg and "周立新" in svg
