"""A 党委 project with several branches, made from the sample."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .sample import REPO


def make_multi(root: Path, branches=("b1", "b2")) -> Path:
    """Two branches made from the sample; b2's people get their own ids."""
    data = root / "data"
    (data / "branches").mkdir(parents=True)
    (root / "content").mkdir()
    shutil.copy(REPO / "content/about.md", root / "content/about.md")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("  custom_dir: theme", ""), encoding="utf-8")
    (data / "organization.yml").write_text("name: 中共示例集团委员会\nintro: 示例党委下设两个支部。\n", encoding="utf-8")
    shutil.copy(REPO / "data/evaluation.yml", data / "evaluation.yml")
    for k, bid in enumerate(branches, start=1):
        target = data / "branches" / bid
        shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("evaluation.yml", "README.md"))
        for path in target.rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                text = re.sub(r"\bm(\d\d)\b", lambda m: f"{bid}m{m.group(1)}", text)
                if path.name == "members.yml":
                    text = re.sub(r"^(  name: )(\S+)", lambda m: f"{m.group(1)}{m.group(2)}{k}", text, flags=re.M)
                if path.name == "branch.yml":
                    text = re.sub(r"^id: .*$", f"id: {bid}", text, flags=re.M)
                    text = re.sub(r"^name: .*$", f"name: 示例第{k}党支部", text, flags=re.M)
                path.write_text(text, encoding="utf-8")
    return root
