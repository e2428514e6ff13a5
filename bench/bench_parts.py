"""Benchmark for issue 15: a 党委 site built branch by branch, against the one-run build it replaced.

Run: .venv/bin/python bench/bench_parts.py [--baseline REV] [--repeat 2] [--large] [--out bench/results-parts.md]

All numbers come from one run on one machine and are reported as ratios:

- 1,200 members (40 branches, 3 years, `dangjian synth`), cold (no `.dangjian-cache/`): this
  code against the code at `--baseline` (a git worktree; default: the last commit before the
  branch-by-branch build) and against a plain mkdocs-material site of as many pages;
- one branch changed (a news item edited) after a warm build;
- `--large`: 12,000 members (400 branches) cold, against the 1,200-member time, with the peak
  resident memory of the largest process (the parent checks the 党委; each worker reads and renders one
  branch at a time).

The user-level caches (`~/.cache/dangjian/fonts`, and `jieba` for the search's dictionary) are
warmed first: they are made once per machine, not per build.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import AS_OF, REPO, count_pages, plain_site, report, timed  # noqa: E402

BASELINE = "43db5d5"  # the end of the session before issue 15: one mkdocs run for the whole 党委 site


def cli(code: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(code)!r}); from generator.cli.main import main; sys.exit(main())",
            *args]


def synth(target: Path, branches: int, members: int) -> Path:
    subprocess.run(cli(REPO, "synth", "-o", str(target), "--branches", str(branches), "--members", str(members),
                       "--years", "3", "--seed", "1"), check=True, capture_output=True)
    return target


def cold(code: Path, root: Path, out: Path, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        shutil.rmtree(root / ".dangjian-cache", ignore_errors=True)
        runs.append(timed(cli(code, "build", str(root), "-o", str(out), "--as-of", AS_OF), code))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default=BASELINE, help="the git revision to compare against")
    parser.add_argument("--repeat", type=int, default=2, help="fastest of N runs")
    parser.add_argument("--large", action="store_true", help="also 12,000 members in 400 branches")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dangjian-bench-parts-"))
    old = work / "baseline"
    lines = []
    try:
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(old), args.baseline],
                       check=True, capture_output=True)
        project = synth(work / "p1200", 40, 1200)
        timed(cli(REPO, "build", str(project), "-o", str(work / "warm-fonts"), "--as-of", AS_OF), REPO)

        old_s, old_mib = cold(old, project, work / "site-old", args.repeat)
        old_pages = count_pages(work / "site-old")
        new_s, new_mib = cold(REPO, project, work / "site-new", args.repeat)
        pages = count_pages(work / "site-new")
        plain = plain_site(pages, work / "plain")
        plain_s = min(timed([sys.executable, "-m", "mkdocs", "build", "-q"], plain)[0] for _ in range(args.repeat))
        changes = []
        news = sorted((project / "data/branches").glob("*/news/*.md"))[0]
        build = cli(REPO, "build", str(project), "-o", str(work / "site-new"), "--as-of", AS_OF)
        for k in range(args.repeat):
            news.write_text(news.read_text(encoding="utf-8") + f"\n（补充第 {k + 1} 句。）\n", encoding="utf-8")
            changes.append(timed(build, REPO)[0])
        changed_s = min(changes)
        lines += [
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; fastest of {args.repeat}.",
            "",
            "| build | seconds | peak MiB (largest process) | ratio |",
            "|---|---|---|---|",
            f"| 1,200 members cold, baseline {args.baseline} (one mkdocs run, {old_pages} pages) | {old_s:.1f} | {old_mib:.0f} | 1.00 |",
            f"| 1,200 members cold, branch by branch | {new_s:.1f} | {new_mib:.0f} | {new_s / old_s:.2f} of baseline |",
            f"| plain mkdocs-material, {pages} pages | {plain_s:.1f} | | {new_s / plain_s:.2f} (ours / plain) |",
            f"| one branch changed (a news item), warm | {changed_s:.1f} | | {changed_s / new_s:.2f} of cold |",
        ]
        if args.large:
            big = synth(work / "p12000", 400, 12000)
            big_s, big_mib = cold(REPO, big, work / "site-big", 1)
            lines.append(f"| 12,000 members (400 branches) cold | {big_s:.1f} | {big_mib:.0f} | {big_s / new_s:.2f} of 1,200 |")
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    report(lines, args.out)


if __name__ == "__main__":
    main()
