"""The README's example of every file kind is a real one: together they check clean.

Each ```yaml or ```markdown block of the README whose first line names a file under
data/ is written to that file of an empty project (with the evaluation system
`dangjian new` writes); `dangjian check`'s loader must accept the lot with no problem
and no reminder, and every kind of file the secretary keeps must have its example.
"""

from __future__ import annotations

import re
import shutil

from support import REPO

from generator.load.validate import DEFAULTS_DIR, load_project

BLOCK = re.compile(r"```(yaml|markdown)\n# (data/[^\s：]+)：[^\n]*\n(.*?)```", re.S)


def examples() -> dict[str, str]:
    out = {}
    for kind, rel, body in BLOCK.findall((REPO / "README.md").read_text(encoding="utf-8")):
        out[rel] = body if kind == "markdown" else f"# {rel}\n{body}"
    return out


def test_every_kind_of_file_has_an_example():
    kinds = {rel.split("/")[1] for rel in examples()}
    assert kinds >= {"branch.yml", "members.yml", "activities", "points", "dues", "four-ones", "teams.yml",
                     "duties.yml", "regulations", "news"}, kinds


def test_the_examples_check_clean_together(tmp_path):
    root = tmp_path / "project"
    for rel, text in examples().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    shutil.copyfile(DEFAULTS_DIR / "evaluation.yml", root / "data/evaluation.yml")
    loaded = load_project(root)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.reminders == (), [str(p) for p in loaded.reminders]
    branch = loaded.project.branches[0]
    assert branch.members and branch.activities and branch.points and branch.dues and branch.news and branch.regulations
    shutil.rmtree(root)
