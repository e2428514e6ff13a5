"""The bar and line charts drawn as SVG text directly, without matplotlib.

Pure functions: a chart's data (`ChartSpec.data`) and its alt text in, SVG bytes out.
`DRAW` maps a chart kind to its function; `drawing.render_svg` uses it for every kind
it holds and matplotlib only for the radar.

The look is that of the matplotlib charts they replace: the same size (viewBox in
points), colours, axes, tick marks, legends and titles, and the same Chinese font
stack. Text stays text (the browser draws it with its own fonts), the document is
`role="img"` with the alt text as its <title>, and every label is XML-escaped.
Scales use "nice" tick steps (1, 2 or 5 × 10^n); month labels are thinned out when
they would not fit side by side (widths estimated from the characters: a Chinese
character is one em wide). Same input, same bytes: no ids, no dates, coordinates
rounded to 0.1.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence

RED, AMBER, GREEN, GREY, BLUE = "#c62828", "#ef8f00", "#2e7d32", "#607d8b", "#1565c0"
FONT_STACK = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei', sans-serif"
SPINE, TICK, LABEL, GRID = "#90a4ae", "#546e7a", "#37474f", "#eceff1"
GROUP_COLOURS = (RED, BLUE, AMBER, GREY)

TICK_LENGTH = 3.5  # points, as matplotlib's default major ticks
TICK_PAD = 3.5
MONTH_SIZE = 8.0  # font size of the month labels
LABEL_GAP = 4.0  # least space between two month labels
MIN_SLOTS = 6  # fewer months are drawn at the width of six, centred

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# -- numbers, text and elements -------------------------------------------------------

def num(x: float) -> str:
    """A coordinate rounded to 0.1, without a trailing ".0" (and never "-0")."""
    text = f"{round(float(x), 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def esc(text: object) -> str:
    """Text for XML content or a double-quoted attribute; characters XML forbids are dropped."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def text_width(text: str, size: float) -> float:
    """An estimate of the drawn width in points: a Chinese character is 1 em, a digit 0.56 em."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch == " ":
            em += 0.28
        elif ch.isdigit():
            em += 0.56
        else:
            em += 0.62
    return em * size


def nice_ticks(top: float, most: int = 6, integer: bool = False) -> tuple[float, ...]:
    """Ticks 0, s, 2s, ... up to the first at or above `top`; the step s is 1, 2 or 5 × 10^n, at most `most` ticks."""
    top = top if top > 0 and math.isfinite(top) else 1.0
    raw = top / (most - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, float(round(step)))
    count = math.ceil(top / step - 1e-9)
    return tuple(round(k * step, 10) for k in range(count + 1))


def tick_label(value: float, suffix: str = "") -> str:
    return (f"{value:.0f}" if value == int(value) else f"{value:g}") + suffix


def _text(x: float, y: float, content: str, size: float, *, fill: str | None = None,
          anchor: str = "middle", bold: bool = False) -> str:
    attrs = [f'x="{num(x)}"', f'y="{num(y)}"', f'font-size="{num(size)}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if fill:
        attrs.append(f'fill="{fill}"')
    if bold:
        attrs.append('font-weight="bold"')
    return f"<text {' '.join(attrs)}>{esc(content)}</text>"


def _lines_text(x: float, y: float, lines: Sequence[str], size: float) -> str:
    """A label of one or more lines (its style from the enclosing group), the first line's baseline at y."""
    if len(lines) == 1:
        return f'<text x="{num(x)}" y="{num(y)}">{esc(lines[0])}</text>'
    spans = f'<tspan x="{num(x)}">{esc(lines[0])}</tspan>' + "".join(
        f'<tspan x="{num(x)}" dy="{num(size * 1.2)}">{esc(line)}</tspan>' for line in lines[1:])
    return f'<text x="{num(x)}" y="{num(y)}">{spans}</text>'


def _label_group(name: str, size: float, fill: str, texts: str) -> str:
    return f'<g class="{name}" font-size="{num(size)}" text-anchor="middle" fill="{fill}">{texts}</g>'


def _path(points: Sequence[tuple[float, float]], close: bool = False) -> str:
    d = "M" + " L".join(f"{num(x)} {num(y)}" for x, y in points)
    return d + " Z" if close else d


def _document(width: float, height: float, alt: str, body: list[str]) -> bytes:
    head = ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}pt" height="{num(height)}pt" '
            f'viewBox="0 0 {num(width)} {num(height)}" role="img" xml:lang="zh-CN" font-family="{FONT_STACK}">\n'
            f"<title>{esc(alt)}</title>\n")
    return (head + "\n".join(body) + "\n</svg>\n").encode("utf-8")


# -- the axes ---------------------------------------------------------------------------

class _Frame:
    """The plot area in points and the value at its top edge (the bottom edge is 0)."""

    def __init__(self, left: float, top: float, right: float, bottom: float, vmax: float):
        self.left, self.top, self.right, self.bottom, self.vmax = left, top, right, bottom, vmax

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def y(self, value: float) -> float:
        return self.bottom - value / self.vmax * self.height

    def y_axis(self, ticks: Sequence[float], suffix: str = "", grid: bool = True) -> list[str]:
        """Grid lines, tick marks and labels (10 pt) of the value axis."""
        out = []
        if grid:
            out.append(f'<g stroke="{GRID}" stroke-width="0.8">'
                       + "".join(f'<path d="M{num(self.left)} {num(self.y(t))} H{num(self.right)}"/>' for t in ticks)
                       + "</g>")
        out.append(f'<g stroke="{TICK}" stroke-width="0.8">'
                   + "".join(f'<path d="M{num(self.left)} {num(self.y(t))} h-{num(TICK_LENGTH)}"/>' for t in ticks)
                   + "</g>")
        out.append(f'<g class="y-ticks" fill="{TICK}" text-anchor="end" font-size="10">'
                   + "".join(f'<text x="{num(self.left - TICK_LENGTH - TICK_PAD)}" y="{num(self.y(t) + 3.8)}">'
                             f"{esc(tick_label(t, suffix))}</text>" for t in ticks)
                   + "</g>")
        return out

    def x_marks(self, xs: Sequence[float]) -> str:
        return (f'<g stroke="{TICK}" stroke-width="0.8">'
                + "".join(f'<path d="M{num(x)} {num(self.bottom)} v{num(TICK_LENGTH)}"/>' for x in xs) + "</g>")

    def spines(self) -> str:
        return (f'<path d="M{num(self.left)} {num(self.top)} V{num(self.bottom)} H{num(self.right)}" '
                f'fill="none" stroke="{SPINE}" stroke-width="0.8" stroke-linecap="square"/>')


def slots(n: int, left: float, right: float) -> tuple[list[float], float]:
    """The centres of n month slots between left and right, and a slot's width.

    As matplotlib's xlim(-0.6, n - 0.4); fewer than MIN_SLOTS months keep the slot width of
    MIN_SLOTS and are centred.
    """
    span = max(n, MIN_SLOTS) + 0.2
    start = -0.6 - (span - (n + 0.2)) / 2
    unit = (right - left) / span
    return [left + (k - start) * unit for k in range(n)], unit


def month_lines(month: str, mark: str = "") -> tuple[str, ...]:
    """ "2026-03" -> ("3月",); January names its year on a line above: ("2026", "1月")."""
    number = int(month[5:7])
    return (month[:4], f"1月{mark}") if number == 1 else (f"{number}月{mark}",)


def shown_months(months: Sequence[str], labels: Sequence[Sequence[str]], xs: Sequence[float],
                 unit: float, size: float = MONTH_SIZE, keep_last: bool = False) -> list[int]:
    """The indexes of the month labels to draw so that none overlaps the next.

    Every k-th calendar month (k = 1, 2, 3, 4, 6, 12, 24, ...: the least that fits, so January
    stays), and of those only ones far enough from the last one drawn; with `keep_last` the
    last month too (the month not yet over), in place of the ones before it that it would
    touch unless one of those is a January.
    """
    if not months:
        return []
    widths = [max(text_width(line, size) for line in lines) for lines in labels]
    need = max(widths) + LABEL_GAP
    every = next(k for k in (1, 2, 3, 4, 6, *(12 * 2 ** j for j in range(12))) if k * unit >= need)
    shown: list[int] = []
    for i, month in enumerate(months):
        calendar = int(month[:4]) * 12 + int(month[5:7]) - 1
        if calendar % every:
            continue
        if shown and xs[i] - xs[shown[-1]] < (widths[i] + widths[shown[-1]]) / 2 + LABEL_GAP:
            continue
        shown.append(i)
    last = len(months) - 1
    if keep_last and (not shown or shown[-1] != last):
        touched = [i for i in shown if xs[last] - xs[i] < (widths[last] + widths[i]) / 2 + LABEL_GAP]
        if not any(months[i].endswith("-01") for i in touched):  # a year's label stays
            shown = [i for i in shown if i not in touched] + [last]
    return shown


def _month_axis(frame: _Frame, months: Sequence[str], labels: Sequence[Sequence[str]], xs: Sequence[float],
                unit: float, keep_last: bool = False) -> tuple[list[str], list[int]]:
    shown = shown_months(months, labels, xs, unit, keep_last=keep_last)
    baseline = frame.bottom + TICK_LENGTH + TICK_PAD + MONTH_SIZE * 0.76
    texts = "".join(_lines_text(xs[i], baseline, labels[i], MONTH_SIZE) for i in shown)
    return [frame.x_marks(xs), _label_group("x-ticks", MONTH_SIZE, TICK, texts)], shown


def _legend(entries: Sequence[tuple[Callable[[float, float], str], str]], left: float, centre: float,
            right: float, size: float = 9.0) -> str:
    """Legend entries in a row (a new row below when one would pass `right`): an 18 pt handle, then the label."""
    out, x, y = [], left, centre
    for handle, label in entries:
        width = 25.2 + text_width(label, size)
        if x > left and x + width > right:
            x, y = left, y + size * 1.45
        out.append(handle(x, y) + _text(x + 25.2, y + 0.35 * size, label, size, anchor="start"))
        x += width + 2 * size
    return '<g class="legend">' + "".join(out) + "</g>"


def _circle(x: float, y: float, colour: str) -> str:
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="3" fill="{colour}" stroke="{colour}"/>'


def _square(x: float, y: float, colour: str) -> str:
    return (f'<rect x="{num(x - 3)}" y="{num(y - 3)}" width="6" height="6" fill="{colour}" '
            f'stroke="{colour}" stroke-linejoin="miter"/>')


# -- the charts ------------------------------------------------------------------------

_SOLID = 'fill="none" stroke-width="2" stroke-linecap="square" stroke-linejoin="round"'
_DASHED = 'fill="none" stroke-width="1.4" stroke-dasharray="5.18,2.24" stroke-linejoin="round"'


def dues_trend(data: dict, alt: str = "") -> bytes:
    """Each month's on-time share (red) and first-day share (blue, dashed); 零点行动 months shaded."""
    width, height = 576.0, 244.8
    months = list(data["months"])
    closed = list(data.get("closed") or [True] * len(months))
    zero = list(data.get("zero_hour") or [False] * len(months))
    frame = _Frame(51.84, 44.064, 552.96, 195.84, 112.0)
    xs, unit = slots(len(months), frame.left, frame.right)
    labels = [month_lines(m, "" if c else "*") for m, c in zip(months, closed)]
    body = []
    last_note = -math.inf
    notes = []
    for x, is_zero in zip(xs, zero):
        if is_zero:
            body.append(f'<rect x="{num(x - 0.45 * unit)}" y="{num(frame.top)}" width="{num(0.9 * unit)}" '
                        f'height="{num(frame.height)}" fill="{AMBER}" fill-opacity="0.18"/>')
            if x - last_note >= text_width("零点行动", 8) + LABEL_GAP:
                notes.append(_text(x, frame.y(103) - 2, "零点行动", 8, fill=AMBER))
                last_note = x
    body += frame.y_axis(nice_ticks(100), "%")
    body += notes
    axis, shown = _month_axis(frame, months, labels, xs, unit, keep_last=bool(closed) and not closed[-1])
    body += axis
    for key, colour, style, marker in (("on_time", RED, _SOLID, _circle), ("first_day", BLUE, _DASHED, _square)):
        values = list(data.get(key) or [])
        points = [(x, None if v is None else frame.y(100 * v)) for x, v in zip(xs, values)]
        runs: list[list[tuple[float, float]]] = [[]]
        for x, y in points:  # a month without a figure breaks the line, as matplotlib's NaN
            if y is None:
                runs.append([])
            else:
                runs[-1].append((x, y))
        paths = "".join(f'<path d="{_path(run)}"/>' for run in runs if len(run) > 1)
        marks = "".join(marker(x, y, colour) for run in runs for x, y in run)
        body.append(f'<g class="series" stroke="{colour}" {style}>{paths}</g><g>{marks}</g>')
    body.append(frame.spines())

    def line_handle(colour: str, style: str, marker: Callable[[float, float, str], str]):
        return lambda x, y: (f'<path d="M{num(x)} {num(y)} h18" stroke="{colour}" {style}/>'
                             + marker(x + 9, y, colour))

    body.append(_legend([(line_handle(RED, _SOLID, _circle), "当月按时交纳"),
                         (line_handle(BLUE, _DASHED, _square), "1 日当天交纳")], 59.94, 25.5, width - 8))
    if any(not closed[i] for i in shown):
        body.append(_text(width - 5.76, height - 6.6, "* 本月未结束", 7, fill=GREY, anchor="end"))
    return _document(width, height, alt, body)


def _symlog(x: float) -> float:
    """matplotlib's symlog scale with linthresh 10, base 10, linscale 1."""
    scale = 1 / (1 - 1 / 10)
    return x * scale if abs(x) <= 10 else math.copysign(10 * (scale + math.log10(abs(x) / 10)), x)


ZERO_HOUR_TICKS = ((0, "0:00"), (5, "5分"), (10, "10分"), (60, "1时"), (180, "3时"), (480, "8时"), (1440, "24时"))


def zero_hour(data: dict, alt: str = "") -> bytes:
    """The cumulative share paid in the first 24 hours of a 零点行动 month, on a symlog time axis."""
    width, height = 460.8, 244.8
    day = 24 * 60
    minutes = sorted(m for m in data["minutes"] if 0 <= m < day)  # later payments are off the chart
    expected, month = data["expected"], data["month"]
    frame = _Frame(46.08, 41.616, 442.368, 203.184, 105.0)

    def x_of(minute: float) -> float:
        return frame.left + _symlog(minute) / _symlog(day) * (frame.right - frame.left)

    points = [(x_of(0), frame.y(0))]
    for k, m in enumerate(minutes, start=1):
        share = 100 * k / expected if expected else 0.0
        points += [(x_of(m + 1), points[-1][1]), (x_of(m + 1), frame.y(share))]
    points.append((x_of(day), points[-1][1]))
    body = [f'<path d="{_path(points + [(x_of(day), frame.y(0))], close=True)}" fill="{RED}" fill-opacity="0.12"/>']
    xs = [x_of(t) for t, _ in ZERO_HOUR_TICKS]
    body.append(f'<g stroke="{GRID}" stroke-width="0.8">'
                + "".join(f'<path d="M{num(x)} {num(frame.top)} V{num(frame.bottom)}"/>' for x in xs) + "</g>")
    body += frame.y_axis(nice_ticks(100), "%")
    body.append(frame.x_marks(xs))
    baseline = frame.bottom + TICK_LENGTH + TICK_PAD + MONTH_SIZE * 0.76
    body.append(_label_group("x-ticks", MONTH_SIZE, TICK, "".join(
        _lines_text(x, baseline, (label,), MONTH_SIZE) for x, (_, label) in zip(xs, ZERO_HOUR_TICKS))))
    body.append(f'<path class="series" d="{_path(points)}" stroke="{RED}" {_SOLID}/>')
    body.append(frame.spines())
    body.append(_text((frame.left + frame.right) / 2, 229.0, "1 日 0 时起经过的时间", 9, fill=LABEL))
    body.append(_text(width / 2, 18.15, f"{month[:4]} 年 {int(month[5:7])} 月零点行动：累计交纳比例", 11, bold=True))
    return _document(width, height, alt, body)


def activity_counts(data: dict, alt: str = "") -> bytes:
    """Stacked bars: each month's activities by group, the total above each bar."""
    width, height = 576.0, 244.8
    months, groups, counts = list(data["months"]), list(data["groups"]), [list(c) for c in data["counts"]]
    totals = [sum(c) for c in counts]
    top = max(totals + [1])
    ticks = nice_ticks(top, integer=True)
    left, upper, right, bottom = 40.32, 44.064, 558.72, 195.84
    vmax = max(ticks[-1], top / (1 - 24 / (bottom - upper)))  # 24 pt for the total above the highest bar
    frame = _Frame(left, upper, right, bottom, vmax)
    xs, unit = slots(len(months), frame.left, frame.right)
    body = frame.y_axis(ticks)
    bars = []
    for x, row in zip(xs, counts):
        base = 0
        for g, count in enumerate(row):
            if count:
                y_top, y_bottom = round(frame.y(base + count), 1), round(frame.y(base), 1)  # stacked without seams
                bars.append(f'<rect x="{num(x - 0.31 * unit)}" y="{num(y_top)}" width="{num(0.62 * unit)}" '
                            f'height="{num(y_bottom - y_top)}" fill="{GROUP_COLOURS[g % len(GROUP_COLOURS)]}"/>')
            base += count
    body.append('<g class="bars">' + "".join(bars) + "</g>")
    body.append(_label_group("totals", 8, LABEL, "".join(
        _lines_text(x, frame.y(total) - 3.5, (str(total),), 8) for x, total in zip(xs, totals) if total)))
    labels = [month_lines(m) for m in months]
    axis, _ = _month_axis(frame, months, labels, xs, unit)
    body += axis
    body.append(frame.spines())

    def patch(colour: str):
        return lambda x, y: f'<rect x="{num(x)}" y="{num(y - 3.15)}" width="18" height="6.3" fill="{colour}"/>'

    body.append(_legend([(patch(GROUP_COLOURS[g % len(GROUP_COLOURS)]), name) for g, name in enumerate(groups)],
                        48.42, 22.46, width - 8))
    return _document(width, height, alt, body)


DRAW: dict[str, Callable[[dict, str], bytes]] = {
    "dues_trend": dues_trend, "zero_hour": zero_hour, "activity_counts": activity_counts}
