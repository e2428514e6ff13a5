"""A last line of defence: search a built site for every private value of the project.

`pages.py` keeps private fields out of every page context, so no template can render
them. This module checks the result instead of the intention: `private_values` lists
what must never appear (DOMAIN.md: ID numbers, phones, addresses, dues base, individual
dues amounts, 民主评议 grades, disciplinary matters) and `scan_output` searches every
file of an output folder for them, the way a reader of the site could find them: in
the raw bytes, after undoing HTML entities, percent-encoding and JSON string escapes
(`search_index.json` is ASCII-escaped), inside gzip files (`sitemap.xml.gz`) and with
the zero-width spaces that Chinese word segmentation inserts removed.

Short values are common words or numbers ("优秀", "95"): they cannot be told apart from
ordinary text and make this scan report false alarms on real data. A caller wiring this
into a build should pass only needles long enough to be specific (`min_length`), or use
the scan in tests with planted, unique canary values.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.model.records import Project

# Characters that segmentation or typesetting may put inside a value without changing it.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")
# Files that are never text: images and fonts are not searched (a value drawn as pixels
# in a chart cannot be found here; charts must be built from aggregates only).
_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot", ".otf"}


def number_forms(value: float | int) -> set[str]:
    """The ways a number could be written on a page: 15000, 15000.0, 15000.00, 15,000 …"""
    forms: set[str] = set()
    v = float(value)
    if v.is_integer():
        n = int(v)
        forms |= {str(n), f"{n:,}", f"{n}.0", f"{n}.00", f"{n:,}.00"}
    else:
        forms |= {repr(v), f"{v:.2f}", f"{v:,.2f}", f"{v:g}"}
        forms.add(f"{v:.1f}")
    return {f for f in forms if f not in ("0", "0.0", "0.00")}


def _text_forms(value: str) -> set[str]:
    value = _INVISIBLE.sub("", value.strip())
    if not value:
        return set()
    forms = {value}
    # A multi-line value (discipline) may be rendered line by line: every line counts.
    forms |= {line.strip() for line in value.splitlines() if line.strip()}
    return forms


def private_values(project: Project, min_length: int = 1) -> set[str]:
    """Every private field value of every member and every dues amount, as page text.

    Values come from `MemberPrivate` (every field of it, so a field added there is
    covered without a change here), from `Payment.amount` and from the reasons of
    absences (`Absence.reason`). Numbers are given in each
    form they could be printed in (see `number_forms`).
    """
    out: set[str] = set()
    for branch in project.branches:
        for member in branch.members:
            private = member.private
            for name in private.__dataclass_fields__:
                out |= _forms(getattr(private, name))
        for month in branch.dues:
            for payment in month.payments:
                out |= _forms(payment.amount)
        for activity in branch.activities:  # why a member was absent is the committee's
            for absence in activity.excused:
                out |= _forms(absence.reason)
    return {v for v in out if len(v) >= min_length}


def _forms(value) -> set[str]:
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, (int, float)):
        return number_forms(value)
    return _text_forms(str(value))


# -- scanning -------------------------------------------------------------------------

def _decode(path: Path, data: bytes) -> bytes:
    name = path.name.lower()
    if name.endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return data
    if name.endswith(".pdf"):
        return _pdf_text(data)
    return data


def _pdf_text(data: bytes) -> bytes:
    try:
        import io

        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a test dependency
        return data
    try:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except Exception:  # a broken PDF is searched as bytes
        return data
    return data + b"\n" + text.encode("utf-8")


def _json_strings(node) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _json_strings(v)
    elif node is not None and not isinstance(node, bool):
        yield str(node)


def readable_texts(path: Path, data: bytes) -> list[str]:
    """The text of one file in each form a reader could see it (decoded, unescaped)."""
    data = _decode(path, data)
    raw = data.decode("utf-8", errors="replace")
    texts = [raw]
    if "&" in raw:
        texts.append(html.unescape(raw))
    if "%" in raw:
        texts.append(urllib.parse.unquote(raw))
    decoded = []
    if raw.lstrip()[:1] in ("{", "["):
        try:
            decoded.append("\n".join(_json_strings(json.loads(raw))))
        except ValueError:
            pass
    if "\\u" in raw:  # a JSON document inside a page (mkdocs-material's __config), a JS string
        decoded.append(_unescape_js(raw))
    texts += decoded + [html.unescape(t) for t in decoded if "&" in t]
    return list(dict.fromkeys(_INVISIBLE.sub("", t) for t in texts))


def _unescape_js(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _scanner(needles: set[str]):
    """A function text -> needles found in it.

    Numbers are matched as whole numbers (98765.43 is not found inside 198765.431):
    every number in the text is looked up in a set, which keeps the scan linear in the
    size of the site however many needles there are. Other needles are one pattern,
    longest first.
    """
    numbers = {n for n in needles if _NUMBER.match(n)}
    words = sorted(needles - numbers, key=lambda n: (-len(n), n))
    pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def scan(text: str) -> set[str]:
        found = set()
        if numbers:
            for token in set(_NUMBER_TOKEN.findall(text)):
                if token in numbers:
                    found.add(token)
                elif "." in token and token.rstrip("0").rstrip(".") in numbers:  # 98765.430
                    found.add(token.rstrip("0").rstrip("."))
        if pattern is not None:
            found.update(m.group(0) for m in pattern.finditer(text))
        return found

    return scan


def scan_output(folder: Path | str, needles: Iterable[str]) -> list[tuple[str, str]]:
    """Every (file, needle) where a needle can be read in a file under `folder`.

    Files are given relative to `folder` with `/` separators, sorted. Every file is
    searched except images and fonts (see `_BINARY`). Where two text needles overlap at
    one place the longer one is reported.
    """
    folder = Path(folder)
    clean = {_INVISIBLE.sub("", n).strip() for n in needles}
    clean.discard("")
    if not clean:
        return []
    scan = _scanner(clean)
    found: set[tuple[str, str]] = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in _BINARY:
            continue
        rel = path.relative_to(folder).as_posix()
        for text in readable_texts(path, path.read_bytes()):
            found.update((rel, n) for n in scan(text))
    return sorted(found)
