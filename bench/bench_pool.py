"""Benchmark for issue 29: the 党委 build's workers started by spawn (every system) against fork (Linux).

Run: .venv/bin/python bench/bench_pool.py [--repeat 3] [--members 1200 --branches 40]

A spawned worker is a fresh interpreter: it imports the package, mkdocs and the theme's
engine anew and is handed the checked 党委 by pickle, where a forked one inherits them. The
goal: spawn within 1.15× of fork on Linux. Cold builds (DANGJIAN_NO_CACHE=1), the two
methods alternated run by run so that the machine's drift falls on both, fastest of
`--repeat` each; the two sites are compared byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import AS_OF, REPO, dangjian, timed  # noqa: E402


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="fastest of N runs of each method")
    parser.add_argument("--members", type=int, default=1200)
    parser.add_argument("--branches", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dangjian-bench-pool-"))
    project = work / "p"
    subprocess.run(dangjian("synth", "-o", str(project), "--branches", str(args.branches), "--members",
                            str(args.members), "--years", "3", "--seed", "1"), check=True, capture_output=True, cwd=REPO)
    timed(dangjian("build", str(project), "-o", str(work / "warm"), "--as-of", AS_OF), REPO)  # fonts, jieba
    runs: dict[str, list[tuple[float, float]]] = {"spawn": [], "fork": []}
    os.environ["DANGJIAN_NO_CACHE"] = "1"
    for _ in range(args.repeat):
        for method in runs:
            os.environ["DANGJIAN_POOL"] = method
            runs[method].append(timed(dangjian("build", str(project), "-o", str(work / method), "--as-of", AS_OF), REPO))
    same = digest(work / "spawn") == digest(work / "fork")
    spawn, fork = min(runs["spawn"]), min(runs["fork"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.members} members in {args.branches} branches, cold, fastest of {args.repeat}")
    print("| workers started by | seconds | peak MiB (largest process) | ratio |")
    print("|---|---|---|---|")
    print(f"| fork | {fork[0]:.1f} | {fork[1]:.0f} | 1.00 |")
    print(f"| spawn | {spawn[0]:.1f} | {spawn[1]:.0f} | {spawn[0] / fork[0]:.2f} |")
    print(f"all runs: spawn {[round(s, 1) for s, _ in runs['spawn']]}, fork {[round(s, 1) for s, _ in runs['fork']]}")
    print(f"the two sites are byte for byte the same: {same}")


if __name__ == "__main__":
    main()
