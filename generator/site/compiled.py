"""Compiled Jinja templates, kept: in memory for the process, and sealed in the project's cache.

Every mkdocs run starts two fresh Jinja environments (the theme's page frames and our page
bodies), and a 党委 site is one run per branch: each compiled the same sixty-odd templates
again, a second of every run. Jinja's bytecode cache hands a compiled template back when its
source is unchanged (Jinja checks the source's checksum and its own version). The entries
(`seal.Store`, kind "templates") hold code, so each is sealed like every other cache entry: a
planted one is ignored, never run; and one compiled by another version of this package (with
other filters or settings) is compiled again.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator import seal

_MEMORY: dict[str, bytes] = {}  # bucket key -> Jinja's bytecode string, for this process


class KeptTemplates(jinja2.BytecodeCache):
    def __init__(self, project_root: Path):
        self.store = seal.Store(project_root, "templates")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = _MEMORY.get(bucket.key)
        if data is None:
            data = self.store.read(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # ignored when the source or Jinja changed since

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        _MEMORY[bucket.key] = data
        self.store.write(bucket.key, data)
