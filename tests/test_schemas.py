"""JSON Schemas for editors: generated from spec.py, committed up to date, and agreeing with
the validator on the sample data and on a few mistakes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support import REPO

from generator.load.validate import load_project
from generator.load.yamlio import read_markdown, read_yaml
from generator.model import spec
from generator.tools import schemas


def _jsonschema():
    """The validator library: required in CI, optional on a developer's machine."""
    if os.environ.get("CI") == "true":
        import jsonschema  # noqa: PLC0415 - CI must have the test extras installed

        return jsonschema
    return pytest.importorskip("jsonschema", reason="jsonschema 未安装（pip install -e '.[test]'）")


def _validator(stem: str):
    js = _jsonschema()
    schema = json.loads((REPO / "schemas" / f"{stem}.schema.json").read_text(encoding="utf-8"))
    js.Draft202012Validator.check_schema(schema)
    return js.Draft202012Validator(schema)


def _files(stem: str) -> list[Path]:
    if stem == "regulation":
        return sorted((REPO / "data" / "regulations").glob("*.md"))
    if stem == "news":
        return sorted((REPO / "data" / "news").glob("*.md"))
    globs = next(g for name, _, _, g in schemas.FILES if name == stem)
    return sorted(p for g in globs for p in REPO.glob(g))


def _value(path: Path):
    rel = path.relative_to(REPO).as_posix()
    return read_markdown(path, rel).meta if path.suffix == ".md" else read_yaml(path, rel).value


def test_committed_schemas_are_what_spec_generates(tmp_path):
    schemas.write_schemas(tmp_path)
    generated = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    stale = sorted(n for n in generated if committed.get(n) != generated[n])
    extra = sorted(set(committed) - set(generated))
    assert not stale and not extra, f"schemas/ 已过期，请运行 dangjian schema -o schemas 并提交：{stale or extra}"


def test_schema_describes_fields_in_chinese_from_spec():
    members = schemas.file_schema("members")["items"]
    assert members["title"] == spec.MEMBER.label
    joined = members["properties"]["joined"]
    assert joined["title"] == "入党时间" and "YYYY-MM-DD" in joined["description"]
    assert joined["pattern"] == schemas.DATE_PATTERN
    assert "网站上永不显示" in members["properties"]["id_number"]["description"]
    assert members["properties"]["gender"]["anyOf"][0]["enum"] == list(spec.GENDERS)  # optional: may be empty
    activity = schemas.file_schema("activities")["items"]
    assert activity["properties"]["type"]["enum"] == list(spec.ACTIVITY_TYPES)
    assert set(activity["required"]) == {f.key for f in spec.ACTIVITY.fields if f.required}
    assert activity["additionalProperties"] is False


def test_vscode_maps_every_yaml_schema_to_its_files():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == schemas.vscode_yaml_schemas()
    for path in settings["yaml.schemas"]:
        assert (REPO / path).is_file(), path


@pytest.mark.parametrize("stem", [name for name, *_ in schemas.FILES])
def test_each_schema_accepts_the_sample_files(stem):
    validator = _validator(stem)
    files = _files(stem)
    assert files, f"示例数据中没有 {stem} 对应的文件"
    for path in files:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_value(path))]
        assert not errors, f"{path.name}: {errors[:3]}"


# A mistake, the file it goes into, and the text appended to that file.
INVALID = {
    "gender not a choice": ("members", "data/members.yml",
                            "\n- id: m90\n  name: 测试甲\n  gender: 未知\n  joined: 2020-01-01\n"),
    "joined missing": ("members", "data/members.yml", "\n- id: m91\n  name: 测试乙\n"),
    "misspelt key": ("points", "data/points/2026-09.yml",
                     "\n- date: 2026-09-30\n  member: m01\n  indicator: L1\n  points: 1\n  nots: 拼错\n"),
    "date with slashes": ("points", "data/points/2026-09.yml",
                          "\n- date: 2026/09/30\n  member: m01\n  indicator: L1\n  points: 1\n"),
    "negative points": ("points", "data/points/2026-09.yml",
                        "\n- date: 2026-09-30\n  member: m01\n  indicator: L1\n  points: -1\n"),
    "activity type unknown": ("activities", "data/activities/2026-09.yml",
                              "\n- type: 联欢会\n  date: 2026-09-30\n  title: 不在可选类型中\n"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_schema_rejects_what_the_validator_rejects(case, tmp_path):
    stem, rel, extra = INVALID[case]
    validator = _validator(stem)
    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / rel
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    problems = load_project(tmp_path).problems
    assert any(p.path == rel for p in problems), f"validator accepted {case}"
    value = read_yaml(path, rel).value
    assert list(validator.iter_errors(value)), f"schema accepted {case}"
