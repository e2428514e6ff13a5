"""What a 党委 site's parts are made of, each part's key, and which parts the cache holds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator import bundled, seal
from generator.assembly import kept
from generator.assembly.files import relative_files, signatures, tree
from generator.model.records import Project
from generator.pipeline import OVERVIEW

_PACKAGE = Path(__file__).resolve().parent.parent


def part_names(project: Project) -> tuple[str, ...]:
    """The overview first, then every branch in id order."""
    return (OVERVIEW, *project.branch_ids)


def _engine_digest() -> bytes:
    """This package's code and templates and the site engine's versions: a change rebuilds every part."""
    from importlib.metadata import PackageNotFoundError, version

    h = seal.hasher()
    theme = [] if bundled.THEME.is_relative_to(_PACKAGE) else tree(bundled.THEME)  # inside the package once installed
    for path in theme:
        if path.suffix in (".py", ".html", ".css", ".js", ".yml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(bundled.THEME.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "nh3", "pillow", "fonttools"):
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=\0".encode())
    h.update(sys.version.encode())
    from generator.tools import fonts  # the overview carries the print font made from the installed one

    for source in fonts.find_sources():
        st = source.path.stat()
        h.update(f"{source.path}\0{source.index}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.digest()


def _inputs_kept(root: Path) -> seal.Store:
    return seal.Store(root, "inputs")


def _digests(root: Path) -> dict[str, bytes]:
    """The sha256 of every file a part may be made of: mkdocs.yml, theme/, content/, data/.

    A file whose inode, size and modification time are those of the last build keeps its digest
    (kept sealed in the cache): a 党委's six thousand files are stat'ed, not read.
    """
    rels = [rel for rel in ("mkdocs.yml",) if (root / rel).is_file()]
    for top in ("theme", "content", "data"):
        rels += [f"{top}/{rel}" for rel in relative_files(root / top)]
    listing = _inputs_kept(root).read("digests")
    known: dict[str, list] = json.loads(listing) if listing is not None else {}
    racy = time.time_ns() - 2_000_000_000  # written this recently, a file may change again within its mtime's tick
    out, keep = {}, {}
    for rel, signature in signatures(root, rels).items():
        entry = known.get(rel)
        digest = (bytes.fromhex(entry[3]) if entry and entry[:3] == signature
                  else hashlib.sha256((root / rel).read_bytes()).digest())
        out[rel] = digest
        if signature[2] < racy:  # its mtime
            keep[rel] = [*signature, digest.hex()]
    if keep != known:
        _inputs_kept(root).write("digests", json.dumps(keep, sort_keys=True).encode())
    return out


def inputs_of(part: str, rel: str) -> bool:
    """Whether a part's bytes depend on the file `rel`: the overview sums up every branch."""
    return part == OVERVIEW or _owner(rel) in (None, part)


def _owner(rel: str) -> str | None:
    """The branch whose part alone (with the overview) reads the file `rel`; None for a file that every
    part reads (mkdocs.yml, theme/, content/, data/*.yml), OVERVIEW for one that only the overview reads."""
    if not rel.startswith("data/") or rel.count("/") == 1:
        return None
    folders = rel.split("/")
    return folders[2] if folders[1] == "branches" and len(folders) > 3 else OVERVIEW


def _inputs(files: Iterable[str], parts: Iterable[str]) -> dict[str, list[str]]:
    """Each part's input files, sorted: sorted once, and shared out in one pass (a 党委 has thousands
    of files and tens of parts)."""
    every = sorted(files)
    common: list[str] = []
    own: dict[str, list[str]] = {}
    for rel in every:
        owner = _owner(rel)
        if owner is None:
            common.append(rel)
        else:
            own.setdefault(owner, []).append(rel)
    return {part: every if part == OVERVIEW else sorted(common + own.get(part, [])) for part in parts}


_ENV_TAG = re.compile(r"!ENV\s+(\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_]*)")


def _settings_environment(root: Path, environ: Mapping[str, str]) -> list[list]:
    """The environment variables mkdocs.yml reads (`!ENV NAME`, `!ENV [NAME, OTHER, default]`) and
    their values in `environ`: every part's bytes depend on them as on the file itself."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return []
    names: set[str] = set()
    for tag in _ENV_TAG.findall(text):
        names.update(name.strip().strip("'\"") for name in tag.strip("[]").split(","))  # a default too: harmless
    return [[name, environ.get(name)] for name in sorted(names)]


@dataclass(frozen=True)
class Plan:
    """Each part's key, and where the parts whose key is unchanged were kept."""

    keys: Mapping[str, str]
    # the cache's parts sealed under these keys, and their sealed listings: their files are checked as the others render
    held: Mapping[str, tuple[Path, dict]]
    code: str  # the digest of the code and the site engine that made the keys
    stamps: Mapping[str, str]  # each part's 数据版本 (see `part_stamps`)
    head: str  # the data's commit: shards of one site must share it
    files: Mapping[str, bytes]  # the digest of every input file the keys were made from


def part_stamps(root: Path, parts: Sequence[str], head: str) -> dict[str, str]:
    """Each part's 数据版本 for its footers: the newest commit that changed one of its inputs.

    A branch nobody touched keeps its stamp across commits, so its pages keep their bytes and the
    cache serves it in the next CI run too. Without git (or history) every part gets `head`.
    """
    stamps = dict.fromkeys(parts, head)
    if not head:
        return stamps
    open_parts = set(parts)
    found: dict[str, str] = {}
    try:
        # newest first, read as it comes: a long history is read only as far back as the oldest part needs
        with subprocess.Popen(["git", "-C", str(root), "-c", "core.quotePath=false", "log", "--format=%x00%h", "--name-only", "--relative", "--",
                               "mkdocs.yml", "theme", "content", "data"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, encoding="utf-8", errors="replace") as log:
            commit = ""
            for line in log.stdout or ():
                line = line.strip()
                if line.startswith("\0"):
                    commit = line[1:]
                elif line and commit:
                    for part in [p for p in open_parts if inputs_of(p, line)]:
                        found[part] = commit
                        open_parts.discard(part)
                    if not open_parts:
                        log.kill()
                        break
    except OSError:
        return stamps
    # (a shallow clone's oldest commit lists every file: it stamps what no later commit touched;
    # a part whose files were never committed is stamped with the head)
    return {part: found.get(part, head) for part in parts}


def plan(root: Path, parts: Iterable[str], as_of: dt.date, audience: str, head: str, environ: Mapping[str, str]) -> Plan:
    """The key of each part: a digest of everything its bytes depend on (the site's settings, theme
    and content/, the data it shows, the as-of date, the audience, its 数据版本 printed in every
    footer, and the code), and which parts the cache holds under that key. `head` is the data's commit;
    `environ` the environment mkdocs will read mkdocs.yml's `!ENV` names from (the entry point's settings)."""
    engine = _engine_digest()
    files = _digests(root)
    parts = tuple(parts)
    stamps = part_stamps(root, parts, head)
    settings = _settings_environment(root, environ)
    keys = {}
    for part, inputs in _inputs(files, parts).items():
        h = hashlib.sha256(engine)
        h.update(json.dumps([part, as_of.isoformat(), audience, stamps[part], settings]).encode())
        for rel in inputs:
            h.update(rel.encode() + b"\0" + files[rel])
        keys[part] = h.hexdigest()
    held = {part: found for part, key in keys.items() if (found := kept.held(root, audience, part, key)) is not None}
    return Plan(MappingProxyType(keys), MappingProxyType(held), engine.hex(), MappingProxyType(stamps), head,
                MappingProxyType(files))


def settled(root: Path, plan: Plan, parts: Iterable[str]) -> list[str]:
    """The `parts` none of whose input files changed since `plan` was made. A part whose files were
    edited while it was built (a save during `serve`) may show either version: it is published,
    as the next build replaces it, but not kept under a key that names the other."""
    now = _digests(root)
    changed = [rel for rel in now.keys() | plan.files.keys() if now.get(rel) != plan.files.get(rel)]
    return [part for part in parts if not any(inputs_of(part, rel) for rel in changed)]
