"""JSON Schemas (draft 2020-12) for the data files, generated from `spec.py`.

Editors (VS Code with the YAML extension, `.vscode/settings.json`) use them to
complete keys and underline mistakes while typing; `dangjian check` stays the judge.
Nothing here is written by hand per field: titles and descriptions come from
`Field.label` / `Field.help`, enums from `Field.choices`, patterns from the kinds.
The schemas accept what the validator accepts for each value (for example a number
where text is expected, or an empty optional value); cross-record rules (references
to the roster, dates inside the file's month, the 五有 rule) are left to the validator.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.model import spec

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?$"
MONTH_PATTERN = r"^\d{4}-\d{2}$"

# (schema file stem, shape, top level is a list, files it applies to, as VS Code globs)
FILES: tuple[tuple[str, spec.Shape, bool, tuple[str, ...]], ...] = (
    ("branch", spec.BRANCH, False, ("data/branch.yml",)),
    ("members", spec.MEMBER, True, ("data/members.yml",)),
    ("activities", spec.ACTIVITY, True, ("data/activities/*.yml", "data/activities/*.yaml")),
    ("teams", spec.TEAM, True, ("data/teams.yml",)),
    ("duties", spec.DUTIES, False, ("data/duties.yml",)),
    ("four-ones", spec.FOUR_ONE, True, ("data/four-ones/*.yml", "data/four-ones/*.yaml")),
    ("dues", spec.DUES_MONTH, False, ("data/dues/*.yml", "data/dues/*.yaml")),
    ("points", spec.POINT, True, ("data/points/*.yml", "data/points/*.yaml")),
    ("frequencies", spec.FREQUENCY, True, ("data/frequencies.yml",)),
    # Front matter of Markdown files: no editor maps these, kept for other tools.
    ("regulation", spec.REGULATION, False, ()),
    ("news", spec.NEWS, False, ()),
)

_SCALAR_TEXT = ["string", "number"]  # the validator reads `post: 123` as the text "123"


def _nullable(schema: dict) -> dict:
    """An optional value may be left empty (`key:`), which the validator ignores."""
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(f: spec.Field) -> dict:
    kind = f.kind
    if kind == "str":
        body: dict = {"type": _SCALAR_TEXT, "pattern": r"^[^\n]*$"}
        if f.longest is not None:
            body["maxLength"] = f.longest
    elif kind == "text":
        body = {"type": _SCALAR_TEXT}
    elif kind in ("int", "number"):
        body = {"type": "integer" if kind == "int" else "number"}
        if f.minimum is not None:
            body["minimum"] = int(f.minimum) if float(f.minimum).is_integer() else f.minimum
    elif kind == "bool":
        body = {"type": "boolean"}
    elif kind == "date":
        body = {"type": "string", "pattern": DATE_PATTERN}
    elif kind == "datetime":
        body = {"type": "string", "pattern": DATETIME_PATTERN}
    elif kind == "month":
        body = {"type": "string", "pattern": MONTH_PATTERN}
    elif kind == "choice":
        body = {"enum": list(f.choices)}
    elif kind == "audience":
        body = {"enum": list(spec.AUDIENCES) + list(spec.AUDIENCE_ALIASES)}
    elif kind == "id":
        body = {"anyOf": [{"type": "string", "pattern": spec.ID_PATTERN}, {"type": "integer", "minimum": 0}]}
    elif kind in ("member", "person"):
        body = {"type": _SCALAR_TEXT}
    elif kind == "members":
        body = {"type": "array", "items": {"type": _SCALAR_TEXT}, "uniqueItems": True}
    elif kind == "strings":
        body = {"type": "array", "items": {"type": _SCALAR_TEXT}}
    elif kind == "object":
        body = shape_schema(f.nested)
    elif kind == "objects":
        body = {"type": "array", "items": shape_schema(f.nested)}
    else:  # pragma: no cover - spec.py and this table move together
        raise AssertionError(f"unknown field kind {kind}")
    described = {"title": f.label}
    description = f.help
    if f.private:
        description = (description + "。" if description else "") + "个人隐私：只用于内部统计，网站上永不显示"
    if description:
        described["description"] = description
    if f.required:
        return {**described, **body}
    return {**described, **_nullable(body)}


def shape_schema(shape: spec.Shape) -> dict:
    out: dict = {"type": "object", "title": shape.label}
    if shape.help:
        out["description"] = shape.help
    out["properties"] = {f.key: field_schema(f) for f in shape.fields}
    required = [f.key for f in shape.fields if f.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def file_schema(stem: str) -> dict:
    for name, shape, is_list, _ in FILES:
        if name == stem:
            body = shape_schema(shape)
            if is_list:
                doc = {"title": f"{shape.label}列表", "description": shape.help, "type": "array", "items": body}
            else:
                doc = body
            return {"$schema": DRAFT, **doc}
    raise KeyError(stem)


def all_schemas() -> dict[str, dict]:
    """File name → schema, for every data file."""
    return {f"{name}.schema.json": file_schema(name) for name, *_ in FILES}


def dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = out / name
        text = dump(schema)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def vscode_yaml_schemas(folder: str = "schemas") -> dict[str, list[str]]:
    """The `yaml.schemas` setting for VS Code's YAML extension."""
    return {f"./{folder}/{name}.schema.json": list(globs) for name, _, _, globs in FILES if globs}
