"""Exact-text tests of `dangjian check`: one folder per realistic mistake.

Layout (see tests/fixtures/README.md):

    tests/fixtures/base/                  a small valid project; it must check clean
    tests/fixtures/invalid/<case>/        only the files that differ from base, plus
        expected.txt                      the exact stderr of `dangjian check` (exit 1)
        README                            one line: the mistake this case shows

A case file `<name>.delete` deletes `<name>` from the copy of base; `<name>.as-gbk` is
UTF-8 text written out GBK-encoded as `<name>` (so the fixture stays readable).

Regenerating expected output after a deliberate change of wording:

    DANGJIAN_REGEN=1 .venv/bin/python -m pytest tests/test_check_report.py

rewrites every expected.txt from the current output (cases listed in KNOWN_BUGS keep
their hand-written expectation). Then read `git diff tests/fixtures`: each line number
must point at the actual mistake and each message must say what to do. A wrong
line or a misleading message is a bug to fix in generator/, not a golden to accept.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base"
INVALID = FIXTURES / "invalid"
CASE_META = {"expected.txt", "README"}
REGEN = bool(os.environ.get("DANGJIAN_REGEN"))

PROBLEM_LINE = re.compile(r"^[^:]+:\d+: |^[^:]+: ")
SUMMARY_LINE = re.compile(r"^共发现 (\d+) 个问题，请逐条修改后重新运行 dangjian check。$")

# Cases whose expected.txt states the correct behaviour that generator/ does not show yet.
# When a bug is fixed the case XPASSes and fails (strict): remove it from this table.
_NO_SPACE = ("yamlio.parse_yaml_text: a missing space after a colon is reported at a later line "
             "(PyYAML's problem_mark) instead of the line of the key (context_mark / the `key:value` line)")
_RECORD_LINE = ("validate: a rule about one field is reported at the record's first line, "
                "not at the line of that field")
_ABSENT_VS_INVALID = ("validate: a domain rule treats a field that is present but invalid as missing and reports "
                      "the same mistake a second time with a misleading “请加上/要写”")
KNOWN_BUGS = {
}


def case_names() -> list[str]:
    return sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def build_case(case: Path, dest: Path) -> Path:
    """Copy base to `dest` and overlay the case's files on it."""
    shutil.copytree(BASE, dest)
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_dir() or rel.as_posix() in CASE_META:
            continue
        if src.name.endswith(".delete"):
            target = dest / rel.with_name(src.name[: -len(".delete")])
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        elif src.name.endswith(".as-gbk"):
            target = dest / rel.with_name(src.name[: -len(".as-gbk")])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(src.read_text(encoding="utf-8").encode("gbk"))
        else:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    return dest


def _params():
    out = []
    for name in case_names():
        marks = ()
        if name in KNOWN_BUGS:
            marks = (pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True),)
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def assert_report_shape(stderr: str) -> None:
    """Every line is `path:line: message` or `path: message`, then one summary line."""
    lines = stderr.rstrip("\n").split("\n")
    summary = SUMMARY_LINE.match(lines[-1])
    assert summary, f"last line is not the summary: {lines[-1]!r}"
    problems = lines[:-1]
    assert len(problems) == int(summary.group(1)) >= 1
    for line in problems:
        assert PROBLEM_LINE.match(line), f"not a problem line: {line!r}"
        assert not line.startswith("/"), f"absolute path in report: {line!r}"


def test_base_project_checks_clean(run_dangjian, tmp_path):
    project = shutil.copytree(BASE, tmp_path / "project")
    done = run_dangjian("check", project, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("检查通过：测试党支部，党员 4 名，活动 3 条，积分 3 条")


def test_new_project_checks_clean(run_dangjian, fresh_project):
    done = run_dangjian("check", ".", cwd=fresh_project)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("检查通过：示例党支部")


def test_new_project_has_a_commented_example_of_every_kind_of_file(run_dangjian, fresh_project):
    data = fresh_project / "data"
    for kind in ("activities", "points", "dues", "four-ones", "regulations", "news"):
        files = list((data / kind).iterdir())
        assert len(files) == 1, kind
        assert files[0].read_text(encoding="utf-8").lstrip("-\n").startswith("#"), f"{kind}: starts with a comment"
    for name in ("branch.yml", "members.yml", "evaluation.yml", "teams.yml", "duties.yml"):
        assert (data / name).read_text(encoding="utf-8").startswith("#"), name
    assert "attendance:" in (data / "evaluation.yml").read_text(encoding="utf-8")
    done = run_dangjian("check", ".", cwd=fresh_project)
    assert "由出席名单等记录自动计入" in done.stdout  # the example's attendees earn their points


def test_there_are_enough_cases():
    assert len(case_names()) >= 30


@pytest.mark.parametrize("name", case_names())
def test_case_folder_is_well_formed(name):
    case = INVALID / name
    assert (case / "expected.txt").is_file() or REGEN, "missing expected.txt (run with DANGJIAN_REGEN=1)"
    assert (case / "README").is_file(), "each case says in README what mistake it shows"
    for src in case.rglob("*"):
        rel = src.relative_to(case).as_posix()
        if src.is_file() and rel not in CASE_META:
            assert rel.startswith(("data/", "content/", "mkdocs.yml")), rel
            if src.name.endswith(".delete"):
                assert (BASE / rel[: -len(".delete")]).exists(), f"{rel}: nothing to delete in base"


@pytest.mark.parametrize("name", _params())
def test_check_reports_every_problem(name, run_dangjian, tmp_path):
    case = INVALID / name
    project = build_case(case, tmp_path / "project")
    done = run_dangjian("check", project, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert str(tmp_path) not in output, "paths in the report must be relative to the project"
    expected_file = case / "expected.txt"
    if REGEN and name not in KNOWN_BUGS:
        expected_file.write_text(done.stderr, encoding="utf-8", newline="\n")
    assert done.returncode == 1, output
    assert done.stdout == ""
    assert done.stderr == expected_file.read_text(encoding="utf-8")
    assert_report_shape(done.stderr)


def test_report_is_the_same_when_run_inside_the_project(run_dangjian, tmp_path):
    """`dangjian check .` from inside the project prints the same relative paths."""
    name = "multi-three-files"
    project = build_case(INVALID / name, tmp_path / "project")
    done = run_dangjian("check", ".", cwd=project)
    assert done.returncode == 1
    assert done.stderr == (INVALID / name / "expected.txt").read_text(encoding="utf-8")


def test_folder_without_data_is_one_problem(run_dangjian, tmp_path):
    done = run_dangjian("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "data: 找不到 data 文件夹：请在支部项目的根目录运行，或用 dangjian new 新建项目\n"
        "共发现 1 个问题，请逐条修改后重新运行 dangjian check。\n"
    )


def test_missing_folder_is_a_usage_error(run_dangjian, tmp_path):
    done = run_dangjian("check", "no-such-folder", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "dangjian: 找不到文件夹“no-such-folder”\n"
    assert "Traceback" not in done.stderr
