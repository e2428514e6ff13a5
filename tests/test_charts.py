"""Charts: deterministic SVG bytes, text kept as text, cached by content so a rebuild draws nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from support import AS_OF_DATE as AS_OF
from support import REPO, inherited_env, run_cli
from support.browser import ARTEFACTS

from generator import seal
from generator.compute import practices
from generator.compute.branch import compute_branch
from generator.load.validate import load_project
from generator.model.scope import scope_branch
from generator.pages import charts
from generator.pages.practices import member_radar_paths, practice_pages
from generator.site import drawing, svg_charts


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
        assert drawing.render_svg(spec) == drawing.render_svg(spec), spec.kind


def test_same_bytes_in_a_fresh_process(pages, tmp_path):
    """No state of this process (rcParams, font cache order, ids) leaks into the bytes."""
    spec = next(s for p in pages for s in charts.specs_in(p.context) if s.kind == "radar")
    here = drawing.render_svg(spec)
    code = ("import sys, json; from generator.pages import charts; from generator.site import drawing; "
            "spec = charts.ChartSpec(*json.loads(sys.stdin.read())); sys.stdout.buffer.write(drawing.render_svg(spec))")
    import json

    done = subprocess.run([sys.executable, "-c", code], input=json.dumps([spec.kind, spec.alt, spec.payload]).encode("utf-8"),
                          capture_output=True, text=False, cwd=REPO, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "MPLBACKEND": "pdf",
                               "HOME": str(tmp_path), "MPLCONFIGDIR": str(tmp_path / "mpl")})
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == here


def test_svg_keeps_chinese_text_as_text_and_has_no_date(branch, computed):
    svg = drawing.render_svg(charts.branch_radar_chart(computed)).decode("utf-8")
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
    before = drawing.RENDERS
    files = drawing.chart_files(pages, tmp_path)
    drawn = drawing.RENDERS - before
    assert drawn == len(files) >= 4
    stored = {p: tmp_path / ".dangjian-cache" / "charts" / f"{drawing.cache_key(spec)}.svg"
              for p, spec in charts.chart_specs(pages).items()}
    for site_path, svg in files.items():
        assert svg.startswith(b"<?xml")
        assert stored[site_path].read_bytes().startswith(seal.MAGIC)  # kept sealed with the user's key
    mtimes = {p: f.stat().st_mtime_ns for p, f in stored.items()}

    again = drawing.chart_files(pages, tmp_path)
    assert drawing.RENDERS - before == drawn  # nothing drawn the second time
    assert again == files
    assert {p: f.stat().st_mtime_ns for p, f in stored.items()} == mtimes


def test_charts_drawn_in_other_processes_are_the_same_bytes(pages, tmp_path, monkeypatch):
    inline = drawing.chart_files(pages, tmp_path / "inline")
    monkeypatch.setattr(drawing.BackgroundDrawing, "INLINE_BELOW", 0)
    before = drawing.RENDERS
    background = drawing.BackgroundDrawing(pages, tmp_path / "background", workers=2)
    files = background.files()
    direct = [s for s in charts.chart_specs(pages).values() if s.kind in svg_charts.DRAW]
    assert drawing.RENDERS - before == len(direct) < len(files)  # only the radars were drawn elsewhere
    assert background.drawn == len(files) == len(inline) >= 4
    assert files == inline
    again = drawing.BackgroundDrawing(pages, tmp_path / "background")
    assert again.drawn == 0 and again.files() == files  # a rebuild draws nothing


def test_without_the_cache_charts_are_drawn_neither_read_nor_kept(pages, tmp_path, monkeypatch, use_settings):
    """DANGJIAN_NO_CACHE means .dangjian-cache/ is neither read nor written, for charts as for the rest."""
    kept = drawing.chart_files(pages, tmp_path)
    spec = next(iter(charts.chart_specs(pages).values()))
    planted = drawing.cache_path(spec, tmp_path)
    planted.write_bytes(seal.seal(b"<svg>planted</svg>", f"charts/{planted.name}"))  # sealed with our key
    use_settings(no_cache=True)
    monkeypatch.setattr(drawing.BackgroundDrawing, "INLINE_BELOW", 0)
    elsewhere = tmp_path / "elsewhere"
    for background in (drawing.BackgroundDrawing(pages, tmp_path, workers=2), drawing.BackgroundDrawing(pages, elsewhere)):
        assert background.drawn == len(kept) and background.files() == kept  # drawn anew, radars in other processes too
    assert not elsewhere.exists()


def test_a_worker_that_dies_leaves_its_charts_to_this_process(pages, tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(drawing.BackgroundDrawing, "INLINE_BELOW", 0)
    background = drawing.BackgroundDrawing(pages, tmp_path, workers=1)
    background._futures = [background._pool.submit(os._exit, 1)]  # the worker process ends at once
    files = background.files()
    assert len(files) >= 4 and all(svg.startswith(b"<?xml") for svg in files.values())


def test_a_changed_record_draws_only_its_chart(branch, computed, tmp_path):
    pages = practice_pages(branch, computed, "public")
    drawing.chart_files(pages, tmp_path)
    acts = branch.activities + (dataclasses.replace(branch.activities[-1], id="extra-volunteer", type="志愿服务",
                                                    date=dt.date(2026, 11, 18), title="新增志愿服务"),)
    more = dataclasses.replace(branch, activities=acts)
    changed = practice_pages(more, compute_branch(more, AS_OF), "public")
    before = drawing.RENDERS
    files = drawing.chart_files(changed, tmp_path)
    assert drawing.RENDERS - before == 1  # only the activity counts chart
    assert len(files) == len(drawing.chart_files(pages, tmp_path))


def test_member_radars_are_found_on_member_pages(branch, computed, tmp_path):
    from generator.pages.branch import PageSpec

    radars = member_radar_paths(branch, computed, "committee")
    page = PageSpec("members/m01.md", "周立新", "member.html", {"charts": {"radar": radars["m01"]}})
    files = drawing.chart_files([page], tmp_path)
    assert list(files) == [radars["m01"].path]
    svg = files[radars["m01"].path].decode("utf-8")
    assert "支部平均" in svg and "周立新" in svg


# -- the bar and line charts, drawn as SVG text (no matplotlib) -------------------------

SVG = "{http://www.w3.org/2000/svg}"
GROUPS = list(practices.ACTIVITY_GROUPS)


def make_spec(kind: str, data: dict, alt: str = "图表") -> charts.ChartSpec:
    return charts.ChartSpec(kind, alt, json.dumps(data, sort_keys=True, ensure_ascii=False))


def month_range(n: int, year: int = 2024, month: int = 1) -> list[str]:
    start = year * 12 + month - 1
    return [f"{(start + k) // 12}-{(start + k) % 12 + 1:02d}" for k in range(n)]


def dues_spec(values: list, zero_at: tuple[int, ...] = (), last_open: bool = True, year: int = 2024, month: int = 1):
    months = month_range(len(values), year, month)
    return make_spec("dues_trend", {"months": months, "on_time": values, "first_day": [None if v is None else v / 2 for v in values],
                                    "zero_hour": [k in zero_at for k in range(len(values))],
                                    "closed": [not (last_open and k == len(values) - 1) for k in range(len(values))]})


def activity_spec(counts: list[list[int]], groups: list[str] = GROUPS, year: int = 2024, month: int = 1):
    return make_spec("activity_counts", {"groups": groups, "months": month_range(len(counts), year, month), "counts": counts})


def zero_hour_spec(minutes: list[int], expected: int):
    return make_spec("zero_hour", {"month": "2026-07", "expected": expected, "minutes": minutes})


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def group(root: ET.Element, name: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if g.get("class") == name]
    assert len(found) == 1, name
    return found[0]


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def y_tick_positions(root: ET.Element) -> dict[str, float]:
    """tick label -> the y of its tick (the label's baseline sits 3.8 below it)."""
    return {"".join(t.itertext()): float(t.get("y")) - 3.8 for t in group(root, "y-ticks").iter(f"{SVG}text")}


EDGE_CASES = {
    "no month": dues_spec([]),
    "one month": dues_spec([0.9]),
    "all zero": dues_spec([0.0] * 12),
    "a month without figures": dues_spec([1.0, None, 0.5]),
    "36 months": dues_spec([0.9] * 36, zero_at=(6, 18, 30)),
    "no activity": activity_spec([]),
    "one activity month": activity_spec([[1, 0, 2, 0]]),
    "no activities at all": activity_spec([[0, 0, 0, 0]] * 12),
    "36 activity months": activity_spec([[k % 3, 1, 2, k % 5] for k in range(36)], year=2023, month=12),
    "zero hour, nobody paid": zero_hour_spec([], 20),
    "zero hour, all at once": zero_hour_spec([0] * 20, 20),
}


@pytest.fixture(scope="module")
def simple_specs(pages) -> dict[str, charts.ChartSpec]:
    sample = {s.kind: s for p in pages for s in charts.specs_in(p.context) if s.kind != "radar"}
    assert set(sample) == {"dues_trend", "zero_hour", "activity_counts"}
    return {**{f"sample {k}": s for k, s in sample.items()}, **EDGE_CASES}


def test_simple_charts_are_the_same_bytes_in_a_fresh_process_which_never_imports_matplotlib(simple_specs, tmp_path):
    here = {name: drawing.render_svg(spec) for name, spec in simple_specs.items()}
    keys = {name: spec.key for name, spec in simple_specs.items()}
    code = ("import json, sys; from generator.pages import charts; from generator.site import drawing; specs = json.loads(sys.stdin.read()); "
            "out = {n: [charts.ChartSpec(*s).key, drawing.render_svg(charts.ChartSpec(*s)).decode()] for n, s in specs.items()}; "
            "out['matplotlib imported'] = 'matplotlib' in sys.modules; print(json.dumps(out))")
    given = {name: [s.kind, s.alt, s.payload] for name, s in simple_specs.items()}
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(given), capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONHASHSEED": "12345"})
    assert done.returncode == 0, done.stderr
    there = json.loads(done.stdout)
    assert there.pop("matplotlib imported") is False
    for name in simple_specs:
        assert there[name][0] == keys[name], name
        assert there[name][1].encode("utf-8") == here[name], name
        assert drawing.render_svg(simple_specs[name]) == here[name], name


def test_simple_charts_are_accessible_images_with_the_old_size_and_fonts(simple_specs):
    sizes = {"dues_trend": "0 0 576 244.8", "activity_counts": "0 0 576 244.8", "zero_hour": "0 0 460.8 244.8"}
    for name, spec in simple_specs.items():
        svg = drawing.render_svg(spec)
        assert svg.startswith(b"<?xml") and len(svg) < 16_000, name
        root = parse(svg)  # well-formed XML
        assert root.tag == f"{SVG}svg" and root.get("role") == "img", name
        assert root.get("viewBox") == sizes[spec.kind], name
        assert root[0].tag == f"{SVG}title" and root[0].text == spec.alt, name  # what a screen reader says
        assert "Noto Sans CJK SC" in root.get("font-family") and "Microsoft YaHei" in root.get("font-family")
        assert b' id="' not in svg and b"matplotlib" not in svg, name
        coordinates = [e.get(a) for e in root.iter() for a in ("x", "y", "cx", "cy", "width", "height", "d") if e.get(a)]
        assert coordinates and not [c for c in coordinates if re.search(r"\.\d\d", c)], name  # rounded to 0.1


def test_sample_charts_keep_their_labels_as_text(simple_specs):
    trend = parse(drawing.render_svg(simple_specs["sample dues_trend"]))
    labels = texts(trend)
    assert {"当月按时交纳", "1 日当天交纳", "零点行动", "12月", "20261月", "11月*", "* 本月未结束"} <= set(labels)
    assert texts(group(trend, "x-ticks")) == ["12月", "20261月", *[f"{m}月" for m in range(2, 11)], "11月*"]
    bars = parse(drawing.render_svg(simple_specs["sample activity_counts"]))
    assert set(GROUPS) <= set(texts(group(bars, "legend")))
    zero = texts(parse(drawing.render_svg(simple_specs["sample zero_hour"])))
    assert {"2026 年 7 月零点行动：累计交纳比例", "1 日 0 时起经过的时间", "0:00", "5分", "1时", "24时"} <= set(zero)


def test_labels_and_alt_text_are_escaped():
    hostile = ['<b>主题党日</b>', 'A & B', '"双引号"', "'单引号'"]
    alt = 'x </title><script>alert(1)</script> & "q" \x00'
    svg = drawing.render_svg(charts.ChartSpec("activity_counts", alt, activity_spec([[1, 2, 3, 4]] * 12, groups=hostile).payload))
    root = parse(svg)
    assert root[0].text == alt.replace("\x00", "")  # a character XML forbids is dropped, the rest kept as written
    assert texts(group(root, "legend")) == hostile
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}b"))
    assert b"&lt;script&gt;" in svg and b"&lt;b&gt;" in svg and b"A &amp; B" in svg


def test_bar_heights_are_proportional_to_the_counts():
    counts = [[1, 2, 3, 0], [0, 0, 0, 0], [4, 4, 4, 4], [2, 0, 1, 0], [0, 7, 0, 0]] + [[1, 1, 1, 1]] * 7
    root = parse(drawing.render_svg(activity_spec(counts)))
    rects = [(float(r.get("x")), float(r.get("y")), float(r.get("height")), r.get("fill"))
             for r in group(root, "bars").iter(f"{SVG}rect")]
    assert len(rects) == sum(1 for row in counts for c in row if c)
    ticks = y_tick_positions(root)
    per_unit = (ticks["0"] - ticks["10"]) / 10  # the axis' own scale (ticks 0, 5, 10, 15, 20)
    lefts = sorted({x for x, *_ in rects})
    assert len(lefts) == len(counts) - 1  # no bar for the month without activities
    drawn = [row for row in counts if sum(row)]
    colours = list(svg_charts.GROUP_COLOURS)
    for left, row in zip(lefts, drawn):
        column = sorted((r for r in rects if r[0] == left), key=lambda r: -r[1])  # bottom first
        expected = [(colours[g], c) for g, c in enumerate(row) if c]
        assert [r[3] for r in column] == [colour for colour, _ in expected]
        for rect, (_, c) in zip(column, expected):
            assert rect[2] == pytest.approx(c * per_unit, abs=0.15)
        assert column[0][1] + column[0][2] == pytest.approx(ticks["0"], abs=0.1)  # standing on the axis
        assert column[-1][1] == pytest.approx(ticks["0"] - sum(row) * per_unit, abs=0.15)
    assert texts(group(root, "totals")) == [str(sum(row)) for row in drawn]


def series_lines(root: ET.Element) -> list[ET.Element]:
    """The line pieces of the first series (on time)."""
    return root.findall(f".//{SVG}g[@class='series']")[0].findall(f"{SVG}path")


def test_line_points_sit_at_their_values():
    values = [0.0, 0.25, 0.5, 0.96, 1.0]
    root = parse(drawing.render_svg(dues_spec(values)))
    ticks = y_tick_positions(root)
    zero, hundred = ticks["0%"], ticks["100%"]
    dots = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")][:5]  # the on-time series, before the legend's
    for dot, value in zip(dots, values):
        assert dot == pytest.approx(zero - value * (zero - hundred), abs=0.1)
    assert len(series_lines(root)) == 1  # one line through the five points
    gap = parse(drawing.render_svg(dues_spec([1.0, 0.9, None, 0.5, 0.5])))
    assert len(series_lines(gap)) == 2  # a month without figures breaks the line
    assert len(list(gap.iter(f"{SVG}circle"))) == 4 + 1  # and has no point (the fifth is the legend's)


def test_zero_hour_steps_end_at_the_share_paid_in_the_first_day():
    root = parse(drawing.render_svg(zero_hour_spec([0, 0, 3, 100, 2000], 8)))
    ticks = y_tick_positions(root)
    line = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "series")
    points = [tuple(map(float, pair.split())) for pair in line.get("d")[1:].split(" L")]
    assert points[0][1] == pytest.approx(ticks["0%"], abs=0.1)
    # four of eight paid within 24 hours (the payment after 2,000 minutes is not drawn): 50 %
    assert points[-1][1] == pytest.approx((ticks["0%"] + ticks["100%"]) / 2, abs=0.1)
    assert [y for _, y in points] == sorted((y for _, y in points), reverse=True)  # it only rises
    assert [x for x, _ in points] == sorted(x for x, _ in points)  # and goes on in time
    zero, per_share = ticks["0%"], (ticks["0%"] - ticks["100%"]) / 100
    levels = sorted((zero - y) / per_share for y in {y for _, y in points})
    assert levels == pytest.approx([0, 12.5, 25, 37.5, 50], abs=0.2)  # one payment after another: 1/8, 2/8, 3/8, 4/8


@pytest.mark.parametrize(("top", "ticks"), [(1, (0, 1)), (7, (0, 2, 4, 6, 8)), (8, (0, 2, 4, 6, 8)), (13, (0, 5, 10, 15)),
                                            (37, (0, 10, 20, 30, 40)), (100, (0, 20, 40, 60, 80, 100)),
                                            (1234, (0, 500, 1000, 1500)), (0, (0, 1))])
def test_nice_tick_steps(top, ticks):
    assert svg_charts.nice_ticks(top, integer=True) == ticks


def test_tick_labels_of_the_value_axes():
    def y_labels(spec):
        return texts(group(parse(drawing.render_svg(spec)), "y-ticks"))

    assert y_labels(activity_spec([[1, 2, 3, 1]] * 12)) == ["0", "2", "4", "6", "8"]
    assert y_labels(activity_spec([[10, 12, 10, 5]] * 12)) == ["0", "10", "20", "30", "40"]
    assert y_labels(activity_spec([[0, 0, 0, 0]] * 12)) == ["0", "1"]  # all zero: still an axis
    assert y_labels(dues_spec([0.9] * 12)) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert y_labels(zero_hour_spec([1, 2], 3)) == ["0%", "20%", "40%", "60%", "80%", "100%"]


@pytest.mark.parametrize("count", [12, 18, 24, 30, 36])
def test_month_labels_are_thinned_out_so_they_do_not_touch(count):
    root = parse(drawing.render_svg(dues_spec([0.9] * count, year=2024, month=3)))
    labels = [(float(t.get("x")), max(("".join(s.itertext()) for s in [t, *t]), key=len)) for t in group(root, "x-ticks")]
    if count == 12:
        assert len(labels) == 12
    assert len(labels) >= 6
    if not month_range(count, 2024, 3)[-1].endswith("-02"):  # a January's label (the year) wins over the next month's
        assert labels[-1][1].endswith("*") and "* 本月未结束" in texts(root)  # the month not yet over stays marked
    januaries = [text for _, text in labels if "1月" in text and text.startswith("20")]
    assert len(januaries) == len([m for m in month_range(count, 2024, 3) if m.endswith("-01")])  # every year named
    for (x1, a), (x2, b) in zip(labels, labels[1:]):
        assert x2 - x1 >= (svg_charts.text_width(a, 8) + svg_charts.text_width(b, 8)) / 2 + 2, (a, b)


def test_one_or_no_data_point_draws_an_empty_or_single_chart():
    one = parse(drawing.render_svg(dues_spec([0.9])))
    assert texts(group(one, "x-ticks")) == ["20241月*"]
    assert len(one.findall(f".//{SVG}g[@class='series']/{SVG}path")) == 0  # no line from a single point
    assert len(list(one.iter(f"{SVG}circle"))) == 2  # its point and the legend's
    none = parse(drawing.render_svg(dues_spec([])))
    assert texts(group(none, "x-ticks")) == [] and "* 本月未结束" not in texts(none)
    bars = parse(drawing.render_svg(activity_spec([[1, 0, 2, 0]])))
    rects = list(group(bars, "bars").iter(f"{SVG}rect"))
    assert len(rects) == 2 and float(rects[0].get("width")) < 60  # a single bar is not the whole chart wide


# -- in the browser: the built pages' charts ------------------------------------------

VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}

# Put an <img>'s SVG inline at the image's size, then measure its texts as drawn.
INLINE_AND_MEASURE = """async (img) => {
  const source = await (await fetch(img.currentSrc || img.src)).text();
  const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
  if (svg.getAttribute("role") !== "img") return null;
  const box = img.getBoundingClientRect();
  const inline = document.importNode(svg, true);
  inline.setAttribute("width", box.width);
  inline.setAttribute("height", box.height);
  img.replaceWith(inline);
  return MEASURE(inline);
}"""
MEASURE = """(svg) => {
  const r = (e) => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {frame: r(svg), texts: [...svg.querySelectorAll("text")].map(
    (t) => ({text: t.textContent, group: t.parentNode.getAttribute("class") || "", ...r(t)}))};
}"""


def check_drawn(measured: dict, where: str) -> int:
    """Every text inside the chart, month labels side by side without touching; how many month labels."""
    frame = measured["frame"]
    assert frame["right"] - frame["left"] > 100, where
    for t in measured["texts"]:
        assert t["right"] > t["left"], (where, t)
        assert (frame["left"] - 0.5 <= t["left"] and t["right"] <= frame["right"] + 0.5
                and frame["top"] - 0.5 <= t["top"] and t["bottom"] <= frame["bottom"] + 0.5), (where, t["text"], t, frame)
    months = sorted((t for t in measured["texts"] if t["group"] == "x-ticks"), key=lambda t: t["left"])
    for a, b in zip(months, months[1:]):
        assert a["right"] <= b["left"], (where, a["text"], b["text"])
    return len(months)


@pytest.fixture(scope="module")
def built_site(browser, tmp_path_factory):
    from support import copy_sample

    root = copy_sample(tmp_path_factory.mktemp("charts-site"))
    done = run_cli("build", root, "-o", root / "site", "--as-of", AS_OF.isoformat(), cwd=REPO, env=inherited_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    from support.browser import serve

    with serve(root / "site") as url:
        yield url


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_charts_on_the_built_pages_are_visible_and_their_text_fits(browser, built_site, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    measured = 0
    for path in ("dues/", "practices/"):
        page.goto(built_site + path, wait_until="load")
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"charts-{path.strip('/')}-{viewport}.png"), full_page=True)
        images = page.locator("figure img[src*='assets/charts/']")
        assert images.count() >= 2, path
        for k in range(images.count()):
            img = images.nth(k)
            img.scroll_into_view_if_needed()
            assert img.is_visible(), (path, k)
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), (path, k)  # the SVG loaded and decoded
            box = img.bounding_box()
            assert box["width"] > 0.8 * min(width - 48, 560) and box["x"] >= 0 and box["x"] + box["width"] <= width, (path, k, box)
        for k in reversed(range(images.count())):  # inlining an image takes it out of the list
            result = images.nth(k).evaluate(INLINE_AND_MEASURE.replace("MEASURE(inline)", f"({MEASURE})(inline)"))
            if result is not None:  # a bar or line chart (the radar is matplotlib's)
                assert check_drawn(result, f"{path} #{k} at {width}px") >= 7
                measured += 1
    context.close()
    assert measured >= 3  # the 零点行动 chart and the dues trend, the activity counts


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("count", [12, 24, 36])
def test_many_months_labels_do_not_overlap_in_the_browser(browser, viewport, count):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    shown = min(width - 32, 768)  # as wide as on the built page, at most the chart's own size
    for spec in (dues_spec([0.9] * count, zero_at=(5, 17, 29)), activity_spec([[3, 4, 5, 6]] * count, month=7)):
        svg = drawing.render_svg(spec).decode("utf-8").split("?>", 1)[1]
        page.set_content(f'<html><body style="margin:16px">{svg}</body></html>')
        measured = page.evaluate(f"() => {{ const s = document.querySelector('svg'); s.setAttribute('width', {shown}); "
                                 f"s.removeAttribute('height'); return ({MEASURE})(s); }}")
        assert check_drawn(measured, f"{spec.kind}, {count} months at {shown}px") >= 6
    context.close()
