"""Drawing the pages' charts (`pages.charts.ChartSpec`) into SVG files, cached by content.

The bar and line charts (dues trend, 零点行动, activity counts) are SVG text written by
`generator.site.svg_charts`, in a millisecond each and without matplotlib; only the
radar is drawn with matplotlib, imported the first time a radar is drawn.

A drawn chart is cached under `cache_key(spec)`: the sha256 of its input and of the chart
code's version (and matplotlib's for a radar). `chart_files(pages, project_root)` draws each
chart that is not already in the project's cache (`seal.Store`, kind "charts") and returns
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
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import seal
from generator.pages.charts import ChartSpec, chart_specs
from generator.site import svg_charts
from generator.site.svg_charts import FONT_STACK, GREY, RED

if TYPE_CHECKING:  # matplotlib is imported only when a radar is drawn
    from matplotlib.typing import RcKeyType

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


def cache_key(spec: ChartSpec) -> str:
    """The name of the chart's drawing in the cache: its input and the code that draws it."""
    # the package's digest, not a number bumped by hand, which a changed drawing could miss
    source = {"code": seal.package_digest().hex(), "kind": spec.kind, "payload": spec.payload}
    if spec.kind not in svg_charts.DRAW:
        source["matplotlib"] = _matplotlib_version()
    text = json.dumps(source, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def _matplotlib_version() -> str:
    """The installed matplotlib's version, read from its metadata (importing it takes a quarter second)."""
    return metadata.version("matplotlib")


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
    return _kept(project_root).path(f"{cache_key(spec)}.svg")


def chart_bytes(spec: ChartSpec, project_root: Path | str) -> bytes:
    """The chart's SVG, from the project's cache when it is there and sealed with our key, else drawn
    (and kept there, unless caching is off: see `seal.Store.read`)."""
    name = f"{cache_key(spec)}.svg"
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


def chart_files(pages: Iterable, project_root: Path | str) -> dict[str, bytes]:
    """{site path: SVG} for every chart the pages link to; draws only those not in the cache."""
    return {path: chart_bytes(spec, project_root) for path, spec in chart_specs(pages).items()}
