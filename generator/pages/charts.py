"""Charts for the seven practices, as values: what each chart shows, not how it is drawn.

A `ChartSpec` is the chart's input as canonical JSON; its key is the sha256 of that input,
and its site path is `assets/charts/<key>.svg`. Page specs carry ChartSpecs in their
context (under "charts"), so a page links to a chart before it is drawn. `chart_specs(pages)`
collects them; the site engine draws and caches them (`generator.site.drawing`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.compute import practices
from generator.model.records import Branch
from generator.model.visibility import Visibility

SITE_DIR = "assets/charts"


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its kind, its alt text and its input as canonical JSON."""

    kind: str  # "radar" | "dues_trend" | "activity_counts" | "zero_hour"
    alt: str  # a sentence for screen readers and for when the image cannot load
    payload: str  # canonical JSON of the drawing input

    @property
    def key(self) -> str:
        """The chart's name from its input alone: pages name a chart without knowing how it is drawn
        (the drawn file is cached under a name that adds the drawing code's digest, in site/drawing.py)."""
        text = json.dumps({"kind": self.kind, "payload": self.payload}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def path(self) -> str:
        """The chart's path inside the site, e.g. "assets/charts/<sha256>.svg"."""
        return f"{SITE_DIR}/{self.key}.svg"

    @property
    def data(self) -> dict:
        return json.loads(self.payload)


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
    if not months:
        return ""
    if len(months) >= 12:
        return f"近 {len(months)} 个月"
    year, month = months[0].split("-")
    return f"{int(year)} 年 {int(month)} 月以来"


def activity_counts_chart(computed) -> ChartSpec | None:
    """None before the branch's first month (`since:` after the build's day): nothing to count yet."""
    counts = computed.activity_counts
    if not counts:
        return None
    data = {"groups": list(practices.ACTIVITY_GROUPS), "months": [m for m, _ in counts],
            "counts": [list(c) for _, c in counts]}
    alt = f"{activity_span(computed)}组织生活次数：" + "，".join(f"{m} {sum(c)} 次" for m, c in counts)
    return _spec("activity_counts", alt, data)


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
