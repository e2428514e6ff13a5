"""Benchmark: whole-site builds, from the sample branch to a 1,200-member 党委.

Run: .venv/bin/python bench/bench_build.py [--sizes 300 600 1200] [--repeat 2] [--out bench/results.md]

For each project it reports wall time and peak memory of `dangjian build` (a child
process, measured with getrusage), the time per member, and the ratio to a plain
mkdocs-material site with the same number of pages written as plain Markdown (the
floor any mkdocs-based tool pays). The first build of each project starts with
empty caches (as on a fresh CI clone); it also times a rebuild with unchanged data
(branch and chart caches reused) and a rebuild after one record changed. Numbers are ratios on the same machine in one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-20"


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one child process."""
    start = time.perf_counter()
    # a fresh wrapper process per run, so its children's peak is this run's alone
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)",
               *args]
    result = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stderr[-2000:]}")
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024


def dangjian(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", *args]


def plain_site(pages: int, folder: Path) -> Path:
    """A plain mkdocs-material site with `pages` Markdown pages and the same theme settings."""
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n对照站点。\n", encoding="utf-8")
    for k in range(pages):
        (docs / "p" / f"{k:05d}.md").write_text(
            f"# 页面 {k}\n\n| 项目 | 数值 |\n|---|---|\n| 出席 | {k % 30} |\n| 积分 | {k % 17} |\n\n"
            "支部开展主题党日活动，党员交流学习体会。\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: 对照站点\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      separator: '[\\s\\u200b\\-]'\nnav:\n  - 首页: index.md\n", encoding="utf-8")
    return folder


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[300, 600, 1200])
    parser.add_argument("--branches-per-300", type=int, default=10)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="take the fastest of N runs of each build")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    rows = []
    try:
        sample = work / "sample"
        for name in ("data", "content", "theme"):
            shutil.copytree(REPO / name, sample / name)
        shutil.copy(REPO / "mkdocs.yml", sample / "mkdocs.yml")
        projects = [("示例支部", sample, 23)]
        for members in args.sizes:
            target = work / f"synth-{members}"
            branches = max(1, members * args.branches_per_300 // 300)
            subprocess.run(dangjian("synth", "-o", str(target), "--branches", str(branches), "--members", str(members),
                                    "--years", "3", "--seed", "1"), cwd=REPO, check=True, capture_output=True)
            projects.append((f"合成 {branches} 支部", target, members))
        for label, root, members in projects:
            out = work / f"site-{members}"
            build = dangjian("build", str(root), "-o", str(out), "--as-of", AS_OF)
            cold_runs = []
            for _ in range(args.repeat):
                shutil.rmtree(root / ".dangjian-cache", ignore_errors=True)  # nothing reused: a fresh CI clone
                cold_runs.append(timed(build, REPO))
            seconds, peak = min(cold_runs)
            pages = count_pages(out)
            again = min(timed(build, REPO)[0] for _ in range(args.repeat))
            news = next(root.rglob("news/*.md"))
            news.write_text(news.read_text(encoding="utf-8") + "\n（补充一句。）\n", encoding="utf-8")
            changed, _ = timed(build, REPO)
            plain = plain_site(pages, work / f"plain-{members}")
            plain_seconds = min(timed([sys.executable, "-m", "mkdocs", "build", "-q"], plain)[0] for _ in range(args.repeat))
            rows.append((label, members, pages, seconds, peak, again, changed, plain_seconds))
            print(f"{label}: {members} members, {pages} pages, cold {seconds:.1f} s, {peak:.0f} MiB, "
                  f"rebuild {again:.1f} s, after one change {changed:.1f} s, plain mkdocs {plain_seconds:.1f} s "
                  f"({seconds / plain_seconds:.2f}x cold, {again / plain_seconds:.2f}x rebuild)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
        f"fastest of {args.repeat} run(s) each",
        "",
        "| project | members | pages | build s (cold caches) | peak MiB | s per member | rebuild s (unchanged) "
        "| rebuild s (one change) | plain mkdocs s | ratio cold / plain | ratio rebuild / plain |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, members, pages, seconds, peak, again, changed, plain_seconds in rows:
        lines.append(f"| {label} | {members} | {pages} | {seconds:.1f} | {peak:.0f} | {seconds / members:.3f} | "
                     f"{again:.1f} | {changed:.1f} | {plain_seconds:.1f} | {seconds / plain_seconds:.2f} | {again / plain_seconds:.2f} |")
    by_members = {r[1]: r for r in rows}
    if 600 in by_members and 1200 in by_members:
        lines.append("")
        lines.append(f"Scaling 600 → 1,200 members: {by_members[1200][3] / by_members[600][3]:.2f}x time cold, "
                     f"{by_members[1200][5] / by_members[600][5]:.2f}x rebuilding.")
    report(lines, args.out)


def report(lines: list[str], out: Path | None) -> None:
    """Print the table, and write it to `out` when given."""
    text = "\n".join(lines)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
