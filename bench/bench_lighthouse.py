"""Lighthouse (accessibility, SEO, performance) on six pages of the sample, desktop and mobile presets.

One run, not a timed test: the numbers go into bench/README.md (issue 32). Lighthouse is the npm
package with the system's Chromium, never a browser of its own:

    npm i -E --prefix /opt/lighthouse lighthouse@12.2.3      # 13 wants Node 22
    python bench/bench_lighthouse.py --lighthouse /opt/lighthouse/node_modules/.bin/lighthouse

The sample is built for the party (the member page then shows its points) and served on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

PAGES = {"首页": "", "金榜题名": "honor-roll/", "党员页": "members/m01/", "评价体系": "evaluation/",
         "组织生活": "compliance/", "大屏": "screen/", "张贴版看板": "print/board/"}
CATEGORIES = ("accessibility", "seo", "performance")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    parser.add_argument("--as-of", default="2026-11-20")
    args = parser.parse_args()
    if not args.lighthouse or not args.chromium:
        sys.exit("need --lighthouse (npm i -E lighthouse@12.2.3) and Chromium")
    from support import copy_sample
    from support.browser import serve

    work = Path(tempfile.mkdtemp(prefix="bench-lh-"))
    root = copy_sample(work / "project")
    subprocess.run([sys.executable, "-m", "generator.cli", "build", str(root), "-o", str(work / "site"), "--as-of", args.as_of,
                    "--audience", "party"], cwd=REPO, check=True, capture_output=True)
    env = {**os.environ, "CHROME_PATH": args.chromium}
    rows = []
    with serve(work / "site") as base:
        for name, path in PAGES.items():
            scores = {}
            for preset in ("desktop", "mobile"):
                out = work / f"{path.strip('/').replace('/', '-') or 'home'}-{preset}.json"
                command = [args.lighthouse, base + path, "--quiet", "--output=json", f"--output-path={out}",
                           f"--only-categories={','.join(CATEGORIES)}",
                           "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
                if preset == "desktop":
                    command.append("--preset=desktop")
                subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
                report = json.loads(out.read_text(encoding="utf-8"))
                scores[preset] = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
                failed = [a for a, r in report["audits"].items() if r.get("score") == 0
                          and any(a in {x["id"] for x in report["categories"][c]["auditRefs"]} for c in ("accessibility", "seo"))]
                if failed:
                    print(f"  {name} {preset}: failing {failed}", file=sys.stderr)
            rows.append((name, path, scores))
    print("| page | desktop a11y | desktop SEO | desktop perf | mobile a11y | mobile SEO | mobile perf |")
    print("|---|---|---|---|---|---|---|")
    for name, path, s in rows:
        d, m = s["desktop"], s["mobile"]
        print(f"| {name} (`/{path}`) | {d['accessibility']} | {d['seo']} | {d['performance']} | "
              f"{m['accessibility']} | {m['seo']} | {m['performance']} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
