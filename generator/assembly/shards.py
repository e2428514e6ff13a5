"""A 党委 site shared out across CI runners: each shard (`--shard I/N`) builds a fixed share of the
parts and leaves a manifest; `merge` checks that the shards fit together and assembles them, byte
for byte the site a single machine builds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from generator.assembly.files import AssembleError, copy_into
from generator.assembly.planning import Plan, part_names
from generator.assembly.publishing import finish
from generator.pages.printed import SCREEN_VERSION
from generator.pipeline import SiteResult

MANIFEST = ".dangjian-shard.json"


def parse_shard(text: str) -> tuple[int, int] | None:
    """"2/3" -> (2, 3): the second of three shards; None when malformed."""
    index, _, count = text.partition("/")
    if not (index.strip().isdigit() and count.strip().isdigit()):
        return None
    i, n = int(index), int(count)
    return (i, n) if 1 <= i <= n else None


def shard_of(names: Sequence[str], index: int, count: int) -> tuple[str, ...]:
    """The parts shard `index` of `count` builds: every count-th in id order (the overview is in shard 1)."""
    return tuple(names[index - 1::count])


_FIELDS = {"shard": list, "parts": list, "keys": list, "all": list, "as_of": str, "audience": str, "stamp": str,
           "code": str}


def write_manifest(out: Path, result: SiteResult, shard: tuple[int, int], plan: Plan) -> None:
    manifest = {
        "shard": list(shard), "parts": list(plan.keys), "keys": list(plan.keys.values()),
        "all": list(part_names(result.project)),
        "as_of": result.as_of.isoformat(), "audience": result.audience, "stamp": plan.head, "code": plan.code,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def merge(shards: Sequence[Path], out: Path) -> dict:
    """Assemble the shards' folders into `out` (empty); returns the common manifest."""
    manifests = []
    for folder in shards:
        try:
            m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise AssembleError(f"{folder}: 不是 dangjian build --shard 生成的文件夹（缺少 {MANIFEST}）") from None
        if not isinstance(m, dict) or any(not isinstance(m.get(k), t) for k, t in _FIELDS.items()):
            raise AssembleError(f"{folder}/{MANIFEST}: 内容不完整：请重新生成这个分片")
        manifests.append((folder, m))
    first_folder, first = manifests[0]
    for folder, m in manifests[1:]:
        for field, what in (("all", "支部"), ("as_of", "数据截至日期"), ("audience", "面向的读者"), ("stamp", "数据版本"),
                            ("code", "程序版本")):
            if m[field] != first[field]:
                raise AssembleError(f"{folder}: 与 {first_folder} 的{what}不同：各分片要用同一份数据、同样的 --as-of 和 --audience 生成")
    counts = {part: 0 for part in first["all"]}
    for folder, m in manifests:
        for part in m["parts"]:
            if part not in counts:
                raise AssembleError(f"{folder}: 分片里的“{part}”不是这个党委的支部：请检查分片是否来自同一个项目")
            counts[part] += 1
    missing = [p or "党委总览" for p, n in counts.items() if n == 0]
    twice = [p or "党委总览" for p, n in counts.items() if n > 1]
    if missing:
        raise AssembleError(f"缺少这些部分：{'、'.join(missing)}：请把所有分片（1/N 到 N/N）的文件夹都交给 --merge")
    if twice:
        raise AssembleError(f"这些部分出现在不止一个分片里：{'、'.join(twice)}：每个分片只给一次")
    out.mkdir(parents=True, exist_ok=True)
    for folder, _ in manifests:
        copy_into(folder, out, "两个分片都有这个文件：请检查分片是否来自同一次生成", skip=(MANIFEST, SCREEN_VERSION))
    finish(out, [key for _, m in manifests for key in m["keys"]])
    return first
