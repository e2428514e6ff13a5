"""The import graph of generator/ (issue 35): every arrow points down the layers, none points back.

Read from the source with `ast`, imports inside functions included: a lazy import is an
arrow all the same. A unit is a package of generator/ (`pages`, `site` ...) or one of its
top-level modules (`pipeline`, `seal` ...).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Lowest first; a unit may import its own layer's members only where a layer has one unit.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(layer.split()) for layer in (
    "model",
    "compute",
    "load",
    "pages",
    "pipeline",
    "tools",
    "site assembly",  # both build on tools (feeds, fonts); neither imports the other
    "cli",
))
# Utilities that touch the machine (settings, files, locks, processes, the cache, bundled files,
# opening pictures): any layer that does I/O may use them; they import only each other.
UTILITIES = frozenset({"settings", "environment", "atomic", "seal", "pool", "bundled", "picture_limits"})
# These layers format and compute only: no files, no processes, no cache.
PURE = frozenset({"model", "compute", "pages"})


def unit_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "generator" and len(parts) > 1 else None


def imports() -> dict[tuple[str, str], set[str]]:
    """(importing unit, imported unit) -> the modules where that arrow is."""
    arrows: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = module if rel.name == "__init__" else module.rpartition(".")[0]
        source = unit_of(module)
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    above = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join(above + ([node.module] if node.module else []))
                # `from generator import seal` imports the module seal
                targets = [f"{base}.{alias.name}" for alias in node.names] if base == "generator" else [base]
            else:
                continue
            for target in targets:
                unit = unit_of(target)
                if unit is not None and unit != source:
                    arrows[(source, unit)].add(module)
    return arrows


def rank(unit: str) -> int:
    for i, layer in enumerate(LAYERS):
        if unit in layer:
            return i
    raise AssertionError(f"generator/{unit} is in no layer of tests/test_architecture.py: put it in one")


def test_every_unit_of_the_package_has_a_place():
    units = {unit_of("generator." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts))
             for p in PACKAGE.glob("*") if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()}
    for unit in units - UTILITIES:
        assert unit is not None
        rank(unit)


def test_imports_point_down_the_layers_only():
    upward = []
    for (source, target), where in sorted(imports().items()):
        if source in UTILITIES:
            ok = target in UTILITIES
        elif target in UTILITIES:
            ok = source not in PURE
        else:
            ok = rank(target) < rank(source)
        if not ok:
            upward.append(f"{source} -> {target} ({', '.join(sorted(where))})")
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_two_units_import_each_other():
    arrows = imports()
    both = sorted(f"{a} <-> {b}" for (a, b) in arrows if a < b and (b, a) in arrows)
    assert not both, "units that import each other:\n" + "\n".join(both)


# What touches the machine: files, processes, the network, pictures, the browser, the site engine.
MACHINE = frozenset({
    "os", "pathlib", "shutil", "tempfile", "glob", "io", "subprocess", "multiprocessing", "concurrent", "threading",
    "socket", "urllib", "http", "smtplib", "sqlite3", "pickle", "PIL", "matplotlib", "playwright", "mkdocs",
    "openpyxl", "docx", "filelock", "yaml",
})
# jieba reads its own dictionary, shipped inside it, the first time it cuts: pages/text.py breaks
# Chinese labels between words with it, the same words on every machine
ALLOWED = {("pages", "jieba")}


def test_the_pure_layers_import_nothing_that_touches_the_machine():
    """model/, compute/ and pages/ compute and format: no file, process, picture or engine module, imported
    anywhere in them (inside functions too), so that they stay pure where a reviewer cannot see it at a glance."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = unit_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if unit not in PURE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for name in names:
                top = name.split(".")[0]
                if top in MACHINE and (unit, top) not in ALLOWED:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name}")
    assert not found, "the pure layers import:\n" + "\n".join(found)
