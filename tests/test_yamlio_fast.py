"""The fast libyaml reader gives exactly what the full loader gives, or steps aside.

`parse_yaml_text` first tries `_parse_fast` (values built from libyaml's events) and
falls back to `_Loader` for anything unusual. These tests read every YAML file and
front matter of the sample data, the fixtures and a small synthetic 党委, plus a set of
awkward snippets, both ways and compare values, types, lines and problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import REPO

from generator.load import yamlio
from generator.load.yamlio import MAX_DEPTH, YDict, YList, _Loader, _parse_fast, decode, parse_yaml_text
from generator.tools.synth import synthesize


def full(text: str, base_line: int):
    """(value, duplicates) from the full loader, or None when it refuses the text."""
    loader = _Loader(text, base_line)
    try:
        return loader.get_single_data(), loader.duplicates
    except (yaml.YAMLError, yamlio._Refused, RecursionError):
        return None
    finally:
        loader.dispose()


def assert_same(fast, slow, where="value"):
    assert type(fast) is type(slow), where
    if isinstance(slow, YDict):
        assert (fast.line, list(fast.key_lines.items())) == (slow.line, list(slow.key_lines.items())), where
        assert list(fast) == list(slow), where
        for key in slow:
            assert_same(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(slow, YList):
        assert (fast.line, fast.item_lines, len(fast)) == (slow.line, slow.item_lines, len(slow)), where
        for index, (a, b) in enumerate(zip(fast, slow)):
            assert_same(a, b, f"{where}[{index}]")
    else:
        assert repr(fast) == repr(slow), where  # repr tells 0.0 from -0.0


def check(text: str, base_line: int = 0, must_be_fast: bool = False) -> None:
    fast = _parse_fast(text, base_line)
    slow = full(text, base_line)
    if must_be_fast:
        assert fast is not None, "the fast reader stepped aside"
    if fast is not None:
        assert slow is not None, "the fast reader accepted what the full loader refuses"
        assert_same(fast[0], slow[0])
        assert fast[1] == slow[1]


def yaml_texts(root: Path):
    """(name, text, base_line) for every YAML file and Markdown front matter under root."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".yml", ".yaml", ".md"):
            continue
        text, _ = decode(path.read_bytes(), path.name)
        if text is None:
            continue
        name = path.relative_to(root).as_posix()
        if path.suffix != ".md":
            yield name, text, 0
            continue
        lines = text.split("\n")
        if lines[0].strip() != "---":
            continue
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                yield name, "\n".join(lines[1:index]), 1
                break


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "project"
    synthesize(root, branches=4, members=60, years=1, seed=3)
    return root


def test_sample_data_and_synthetic_project_take_the_fast_path(synthetic):
    texts = list(yaml_texts(REPO / "data")) + list(yaml_texts(synthetic / "data"))
    assert len(texts) > 200
    for name, text, base_line in texts:
        try:
            check(text, base_line, must_be_fast=True)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


def test_every_fixture_reads_the_same_either_way():
    texts = list(yaml_texts(REPO / "tests" / "fixtures"))
    assert any(name.startswith("invalid/") for name, _, _ in texts)
    for name, text, base_line in texts:
        try:
            check(text, base_line)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


def test_parse_yaml_text_problems_are_those_of_the_full_loader(synthetic, monkeypatch):
    texts = [t for root in (REPO / "data", REPO / "tests" / "fixtures", synthetic / "data") for t in yaml_texts(root)]
    results = [parse_yaml_text(text, name, base_line) for name, text, base_line in texts]
    monkeypatch.setattr(yamlio, "_parse_fast", lambda text, base_line: None)
    for (name, text, base_line), fast in zip(texts, results):
        slow = parse_yaml_text(text, name, base_line)
        assert fast.problems == slow.problems, name
        assert_same(fast.value, slow.value, name)


AWKWARD = [
    "",
    "# only a comment\n",
    "---\n",
    "--- 12\n",
    "just words\n",
    "a: 1\na: 2\nb:\n  c: 1\n  c: [1, 1]\n",
    "- {x: 1, x: 2}\n- [a, b]\n-\n- ''\n",
    "yes: no\non: off\ny: n\n",
    "t: true\nT: True\nU: TRUE\nf: false\nmixed: tRUE\n",
    "a: 010\nb: 0x1F\nc: 1:30\nd: .nan\ne: .inf\nf: 1_000\ng: 0o7\n",
    "a: -0.0\nb: +5\nc: -0\nd: 1.5e3\ne: .5\nf: 5.\ng: 1e3\nh: 1.0e400\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n",
    "a: 2026-02-30\nb: 2026-09\nc: 2026-03-01 00:05\nd: 2026-03-01T00:05:00Z\n",
    "a: '12'\nb: \"true\"\nc: |\n  line\n  two\nd: >\n  folded\n  text\ne: \"\\u4e2d\"\n",
    "1: one\ntrue: yes\n~: nothing\n1.50: x\n'1': quoted\n",
    "a: &x 1\nb: 2\n",
    "a: &x [1]\nb: *x\n",
    "a: !!str 12\n",
    "a: !!int '12'\n",
    "a: ! 12\n",
    "a: !custom x\n",
    "? [a, b]\n: complex key\n",
    "? {a: 1}\n: complex key\n",
    "base: &b {x: 1}\nmerged:\n  <<: *b\n",
    "<<: {x: 1}\n",
    "=: value\n",
    "a: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "a: 'open\n",
    "a:b\n",
    "a:\n\tb: 1\n",
    "名称：值\n",
    "- a\nb: 1\n",
    "a: 1\n  b: 2\n",
    "x: @y\n",
    "a: \"tab\there\"\nb: 中文：冒号\n",
    "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n",
    "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
    "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n",
    "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n",
    "{a: " * MAX_DEPTH + "1" + "}" * MAX_DEPTH + "\n",
    "".join("  " * depth + f"k{depth}:\n" for depth in range(MAX_DEPTH)) + "  " * MAX_DEPTH + "v: 1\n",
]


@pytest.mark.parametrize("text", AWKWARD)
@pytest.mark.parametrize("base_line", [0, 1])
def test_awkward_snippets_read_the_same_or_fall_back(text, base_line):
    check(text, base_line)


def test_duplicates_nested_lines_and_plain_values_stay_on_the_fast_path():
    for text in AWKWARD[:15]:
        check(text, must_be_fast=True)
    check("- a\n- b:\n    - 1\n    - c: d\n", base_line=1, must_be_fast=True)


@pytest.mark.parametrize("text", ["a: &x 1\n", "a: *x\n", "a: !!str 1\n", "? [a]\n: b\n", "<<: {}\n", "a: 1\n---\nb: 2\n", "a: [1\n"])
def test_unusual_input_goes_to_the_full_loader(text):
    assert _parse_fast(text, 0) is None
