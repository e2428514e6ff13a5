"""Charts for the seven practices: SVG files, cached by content.

The bar and line charts (dues trend, 零点行动, activity counts) are SVG text written by
`generator.pages.svg_charts`, in a millisecond each and without matplotlib; only the
radar is drawn with matplotlib, imported the first time a radar is drawn.

A `ChartSpec` is the chart's input as canonical JSON; its key is the sha256 of that
input and of the chart code's version (and matplotlib's for a radar), and its site path is `assets/charts/<key>.svg`.
Page specs carry ChartSpecs in their context (under "charts"), so a page links to a
chart before it is drawn. `chart_files(pages, project_root)` draws each chart that is
not already in the project's cache (`seal.Store`, kind "charts") and returns
`{site_path: SVG bytes}` for the site engine to write; `BackgroundDrawing` does the same
in other processes while the site engine renders pages. A rebuild with unchanged data
draws nothing.

Deterministic bytes of a radar: no pyplot (no global backend), matplotlib's internal default
rcParams plus fixed settings (never the user's matplotlibrc), `svg.hashsalt` fixed,
no date in the metadata, text kept as text (`svg.fonttype: none`) so the browser
draws the Chinese labels with its own fonts. Text is measured with the DejaVu Sans
font that ships with matplotlib, so layout does not depend on the fonts installed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import seal
from generator.compute import practices
from generator.model.records import Branch
from generator.model.visibility import Visibility
from generator.pages import svg_charts
from generator.pages.svg_charts import FONT_STACK, GREY, RED

if TYPE_CHECKING:  # matplotlib is imported only when a radar is drawn
    from matplotlib.typing import RcKeyType

SITE_DIR = "assets/charts"

RENDERS = 0  # charts drawn by this process (tests count rebuilds with it)

_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "dangjian-charts",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10.0,
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#90a4ae",
    "axes.labelcolor": "#37474f",
    "xtick.color": "#546e7a",
    "ytick.color": "#546e7a",
    "legend.frameon": False,
    "figure.dpi": 100.0,
    "savefig.dpi": 100.0,
    "savefig.bbox": None,
    "savefig.transparent": True,
    "path.simplify": False,
}


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its kind, its alt text and its input as canonical JSON."""

    kind: str  # "radar" | "dues_trend" | "activity_counts" | "zero_hour"
    alt: str  # a sentence for screen readers and for when the image cannot load
    payload: str  # canonical JSON of the drawing input

    @property
    def key(self) -> str:
        # the package's digest, not a number bumped by hand, which a changed drawing could miss
        source = {"code": seal.package_digest().hex(), "kind": self.kind, "payload": self.payload}
        if self.kind not in svg_charts.DRAW:
            source["matplotlib"] = _matplotlib_version()
        text = json.dumps(source, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def path(self) -> str:
        """The chart's path inside the site, e.g. "assets/charts/<sha256>.svg"."""
        return f"{SITE_DIR}/{self.key}.svg"

    @property
    def data(self) -> dict:
        return json.loads(self.payload)


@cache
def _matplotlib_version() -> str:
    """The installed matplotlib's version, read from its metadata (importing it takes a quarter second)."""
    return metadata.version("matplotlib")


def _spec(kind: str, alt: str, data: dict) -> ChartSpec:
    return ChartSpec(kind, alt, json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(float(x), digits)


# -- chart specs from the practices ---------------------------------------------------

def radar_chart(radar: practices.Radar, title: str, reference: practices.Radar | None = None) -> ChartSpec:
    data = {"title": title, "labels": list(radar.labels), "values": [_r(v, 2) for v in radar.values],
            "reference": [_r(v, 2) for v in reference.values] if reference else None}
    alt = f"{title}：" + "，".join(f"{label} {v:.1f}" for label, v in zip(radar.labels, radar.values))
    return _spec("radar", alt, data)


def branch_radar_chart(computed) -> ChartSpec | None:
    radar = practices.branch_radar(computed)
    if radar is None:
        return None
    return radar_chart(radar, f"支部五力平均得分（{radar.period}，{radar.count} 人）")


def member_radar_charts(branch: Branch, computed, audience: str) -> dict[str, ChartSpec]:
    """member id -> that member's 五力 radar (with the branch average dashed); party and committee builds only."""
    if not Visibility(audience).individual_figures:
        return {}
    average = practices.branch_radar(computed)
    out = {}
    year = computed.current("year") if computed is not None else None
    for m in branch.members:
        radar = practices.member_radar(computed, m.id)
        score = year.of(m.id) if year is not None else None
        if score is not None and not score.shown_to(audience):
            continue  # as on the member's page
        if radar is not None:
            out[m.id] = radar_chart(radar, f"{m.name} 五力得分（{radar.period}）", average)
    return out


def dues_trend_chart(stats: Iterable[practices.DuesStats]) -> ChartSpec | None:
    stats = list(stats)
    if not stats:
        return None
    data = {
        "months": [s.month for s in stats],
        "on_time": [_r(s.on_time.value) for s in stats],
        "first_day": [_r(s.first_day.value) for s in stats],
        "zero_hour": [s.zero_hour for s in stats],
        "closed": [s.closed for s in stats],
    }
    alt = "每月党费按时交纳率：" + "，".join(
        f"{s.month} {(s.on_time.value or 0) * 100:.0f}%{'（零点行动）' if s.zero_hour else ''}" for s in stats)
    return _spec("dues_trend", alt, data)


def zero_hour_chart(stats: practices.DuesStats) -> ChartSpec | None:
    """Cumulative share paid during the first 24 hours of a 零点行动 month (aggregate only)."""
    if not stats.expected:
        return None
    minutes = sorted(t.minutes for t in stats.payments if t.minutes < 24 * 60)
    data = {"month": stats.month, "expected": stats.expected, "minutes": minutes}
    alt = (f"{stats.month} 零点行动累计交纳比例：前 {practices.ZERO_HOUR_FIRST_MINUTES} 分钟 "
           f"{stats.first_minutes.done} 人，首小时 {stats.first_hour.done} 人，首日 {stats.first_day.done} 人，应交 {stats.expected} 人")
    return _spec("zero_hour", alt, data)


def activity_span(computed) -> str:
    """The months the activity chart covers, as its heading names them: 近 12 个月, or from the
    branch's first month (`since:`) when that is nearer."""
    months = [m for m, _ in computed.activity_counts]
    if len(months) >= 12:
        return f"近 {len(months)} 个月"
    year, month = months[0].split("-")
    return f"{int(year)} 年 {int(month)} 月以来"


def activity_counts_chart(computed) -> ChartSpec:
    counts = computed.activity_counts
    data = {"groups": list(practices.ACTIVITY_GROUPS), "months": [m for m, _ in counts],
            "counts": [list(c) for _, c in counts]}
    alt = f"{activity_span(computed)}组织生活次数：" + "，".join(f"{m} {sum(c)} 次" for m, c in counts)
    return _spec("activity_counts", alt, data)


# -- drawing ------------------------------------------------------------------------

def _draw_radar(fig, data: dict) -> None:
    import numpy as np

    labels, values = data["labels"], data["values"]
    n = len(labels)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()
    ax = fig.add_axes((0.16, 0.08, 0.68, 0.7), projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    ax.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=7, color=GREY)
    ax.set_xticks(angles)
    ax.set_xticklabels(labels, fontsize=11)
    ax.tick_params(axis="x", pad=8)
    closed = angles + angles[:1]
    if data.get("reference"):
        ref = data["reference"]
        ax.plot(closed, ref + ref[:1], color=GREY, linewidth=1.2, linestyle="--", label="支部平均")
    ax.plot(closed, values + values[:1], color=RED, linewidth=2, label="得分")
    ax.fill(closed, values + values[:1], color=RED, alpha=0.18)
    for angle, v in zip(angles, values):
        ax.annotate(f"{v:.0f}", (angle, v), textcoords="offset points", xytext=(0, 5),
                    ha="center", fontsize=8, color=RED)
    if data.get("reference"):
        ax.legend(loc="lower right", bbox_to_anchor=(1.18, -0.12), fontsize=8)
    fig.text(0.5, 0.97, data["title"], ha="center", va="top", fontsize=12, weight="bold")


_DRAW = {"radar": (_draw_radar, (5.2, 4.6))}  # the charts drawn with matplotlib


def render_svg(spec: ChartSpec) -> bytes:
    """Draw one chart; the same spec gives the same bytes."""
    global RENDERS
    direct = svg_charts.DRAW.get(spec.kind)
    svg = direct(spec.data, spec.alt) if direct is not None else _render_matplotlib(spec)
    RENDERS += 1
    return svg


def _render_matplotlib(spec: ChartSpec) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    draw, size = _DRAW[spec.kind]
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_RC)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support .* natively")
            fig = Figure(figsize=size)
            FigureCanvasAgg(fig)
            draw(fig, spec.data)
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Title": spec.alt})
    svg = buf.getvalue().decode("utf-8")
    svg = svg.replace("font-family: 'DejaVu Sans', sans-serif", f"font-family: {FONT_STACK}")
    return svg.encode("utf-8")


# -- the cache and the files for the site ---------------------------------------------

def _kept(project_root: Path | str) -> seal.Store:
    return seal.Store(Path(project_root), "charts")


def cache_path(spec: ChartSpec, project_root: Path | str) -> Path:
    return _kept(project_root).path(f"{spec.key}.svg")


def chart_bytes(spec: ChartSpec, project_root: Path | str) -> bytes:
    """The chart's SVG, from the project's cache when it is there and sealed with our key, else drawn
    (and kept there, unless caching is off: see `seal.Store.read`)."""
    name = f"{spec.key}.svg"
    stored = _kept(project_root).read(name)
    if stored is not None:
        return stored
    svg = render_svg(spec)
    _kept(project_root).write(name, svg)
    return svg


def _draw_all(specs: list[ChartSpec], project_root: str) -> dict[str, bytes]:
    """{site path: SVG} of these charts, drawn and kept in the cache (in a worker process too)."""
    return {spec.path: chart_bytes(spec, project_root) for spec in specs}


class BackgroundDrawing:
    """The charts of a build, the missing radars drawn in other processes meanwhile.

    A cold 党委 build has hundreds of radars at ~40 ms each (matplotlib); drawn beside
    the pages (which take one core) they add little to the build's time. `files()` waits
    for them. The bar and line charts (a millisecond each, no matplotlib) and a few
    missing radars are drawn at once, in this process: a worker process would take
    longer to start than they take to draw.
    """

    INLINE_BELOW = 8  # fewer missing radars than this are drawn in this process

    def __init__(self, pages: Iterable, project_root: Path | str, workers: int | None = None):
        self.root = str(project_root)
        self.pages = pages
        self.specs = chart_specs(pages)
        uncached = not seal.enabled()
        missing = [s for s in self.specs.values() if uncached or not cache_path(s, self.root).is_file()]
        self.drawn = len(missing)
        self._pool = None
        self._futures = []
        inline = workers == 0  # a worker of a parallel build: no processes of its own
        workers = workers or max(1, (os.cpu_count() or 1) - 1)
        # what is drawn is kept here too, as the cache may be off or read-only
        self._svgs = _draw_all([s for s in missing if s.kind in svg_charts.DRAW], self.root)
        missing = [s for s in missing if s.kind not in svg_charts.DRAW]
        if inline or not missing or len(missing) < self.INLINE_BELOW:
            self._svgs.update(_draw_all(missing, self.root))
            return
        from generator import pool

        # spawned (generator/pool.py): the parent may run threads (mkdocs serve), and a fresh
        # process imports matplotlib once and draws its share.
        self._pool = pool.executor(workers)
        shares = [missing[k::workers] for k in range(workers)]
        self._futures = [self._pool.submit(_draw_all, share, self.root) for share in shares if share]

    def files(self) -> dict[str, bytes]:
        """{site path: SVG} of every chart, once all are drawn."""
        try:
            for future in self._futures:
                self._svgs.update(future.result())
        except BrokenProcessPool:  # a worker could not start or died: draw the rest here
            pass
        finally:
            self.close()
        return {path: self._svgs.get(path) or chart_bytes(spec, self.root) for path, spec in self.specs.items()}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def specs_in(context: Mapping) -> list[ChartSpec]:
    """The ChartSpecs a page context holds: values that are specs, or mappings/lists of them."""
    found = []

    def walk(value, depth=0):
        if isinstance(value, ChartSpec):
            found.append(value)
        elif depth < 2 and isinstance(value, Mapping):
            for v in value.values():
                walk(v, depth + 1)
        elif depth < 2 and isinstance(value, (list, tuple)):
            for v in value:
                walk(v, depth + 1)

    for key in ("charts", "chart"):
        if key in context:
            walk(context[key])
    return found


def chart_specs(pages: Iterable) -> dict[str, ChartSpec]:
    """{site path: spec} for every chart the pages link to, sorted by path."""
    specs: dict[str, ChartSpec] = {}
    for page in pages:
        for spec in specs_in(page.context):
            specs.setdefault(spec.path, spec)
    return dict(sorted(specs.items()))


def chart_files(pages: Iterable, project_root: Path | str) -> dict[str, bytes]:
    """{site path: SVG} for every chart the pages link to; draws only those not in the cache."""
    return {path: chart_bytes(spec, project_root) for path, spec in chart_specs(pages).items()}
