"""Benchmark: the bar and line charts drawn as SVG text against the matplotlib drawing they replace.

Run: .venv/bin/python bench/bench_charts.py [--repeat 20] [--old REV]

The old drawing is generator/pages/charts.py as it was at git revision REV (by default
the commit before the one that removed matplotlib's `_draw_dues_trend`), loaded from
`git show` beside the current code. For each of the sample branch's simple charts it
reports the fastest of `--repeat` draws, old and new, their ratio new/old and the SVG
sizes; then the first chart of a fresh process (imports included), old and new. Numbers
are ratios on the same machine in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
AS_OF = dt.date(2026, 11, 20)
KINDS = ("dues_trend", "zero_hour", "activity_counts")


def old_revision() -> str:
    removed = subprocess.run(["git", "log", "-1", "--format=%H", "-S", "def _draw_dues_trend", "--",
                              "generator/pages/charts.py"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    if not removed:
        raise SystemExit("no commit removed _draw_dues_trend: give --old REV")
    return removed + "^"


def old_source(rev: str) -> str:
    return subprocess.run(["git", "show", f"{rev}:generator/pages/charts.py"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout


def old_charts(rev: str, source: str | None = None):
    """generator/pages/charts.py at `rev`, as a module of its own."""
    source = source if source is not None else old_source(rev)
    spec = importlib.util.spec_from_loader("old_charts", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_charts"] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:generator/pages/charts.py", "exec"), module.__dict__)
    return module


def sample_specs() -> dict[str, tuple[str, str, str]]:
    """kind -> (kind, alt, payload) of the sample branch's simple charts."""
    from generator.compute.branch import compute_branch
    from generator.load.validate import load_project
    from generator.pages import charts
    from generator.pages.practices import practice_pages

    branch = load_project(REPO).project.branches[0]
    pages = practice_pages(branch, compute_branch(branch, AS_OF), "party")
    found = {s.kind: (s.kind, s.alt, s.payload) for p in pages for s in charts.specs_in(p.context)}
    return {kind: found[kind] for kind in KINDS}


def fastest(draw, spec, repeat: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(draw(spec))
        best = min(best, time.perf_counter() - start)
    return best, size


def cold(which: str, rev: str, spec: tuple[str, str, str]) -> float:
    """Seconds from a fresh process' first import of the chart module to its first simple chart."""
    code = ("import json, sys, time; sys.path.insert(0, sys.argv[1]); from bench import bench_charts as b; "
            "old = sys.argv[2] == 'old'; source = b.old_source(sys.argv[3]) if old else None; t = time.perf_counter(); "
            "import generator.pages.charts as charts, generator.site.drawing as drawing; "
            "m = b.old_charts(sys.argv[3], source) if old else drawing; spec_type = m.ChartSpec if old else charts.ChartSpec; "
            "m.render_svg(spec_type(*json.loads(sys.argv[4]))); "
            "print(time.perf_counter() - t, 'matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(REPO), which, rev, json.dumps(spec)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    seconds, imported = done.stdout.split()
    return float(seconds) if which == "old" or imported == "False" else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--old", help="git revision of the matplotlib drawing (default: before it was removed)")
    args = parser.parse_args()
    rev = args.old or old_revision()
    from generator.pages import charts
    from generator.site import drawing  # the drawing moved out of pages/ (issue 35)

    old = old_charts(rev)
    specs = sample_specs()
    print(f"old drawing: charts.py at {rev}; fastest of {args.repeat}")
    print(f"{'chart':<16} {'old ms':>8} {'new ms':>8} {'new/old':>8} {'old KB':>7} {'new KB':>7}")
    total_old = total_new = 0.0
    for kind, spec in specs.items():
        t_old, s_old = fastest(old.render_svg, old.ChartSpec(*spec), args.repeat)
        t_new, s_new = fastest(drawing.render_svg, charts.ChartSpec(*spec), args.repeat)
        total_old, total_new = total_old + t_old, total_new + t_new
        print(f"{kind:<16} {t_old * 1000:8.2f} {t_new * 1000:8.3f} {t_new / t_old:8.4f} {s_old / 1024:7.1f} {s_new / 1024:7.1f}")
    print(f"{'all three':<16} {total_old * 1000:8.2f} {total_new * 1000:8.3f} {total_new / total_old:8.4f}")
    first_old = min(cold("old", rev, specs["dues_trend"]) for _ in range(3))
    first_new = min(cold("new", rev, specs["dues_trend"]) for _ in range(3))
    print(f"first chart in a fresh process (imports included): old {first_old * 1000:.0f} ms, "
          f"new {first_new * 1000:.1f} ms without importing matplotlib, new/old {first_new / first_old:.4f}")


if __name__ == "__main__":
    main()
