"""The big screen's version file: `screen/version.json`, a hash of the built site.

`assets/screen.js` on the lobby screen (pages/printed.py) polls it and reloads when the site changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.atomic import atomic_write
from generator.pages.routes import SCREEN_VERSION

_UNVERSIONED = {SCREEN_VERSION, "sitemap.xml", "sitemap.xml.gz"}  # the sitemap carries the build date


def site_version(site_dir: Path | str) -> str:
    """A hash of every file of a built site (paths and bytes), apart from the version file itself."""
    root = Path(site_dir)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel in _UNVERSIONED:
            continue
        digest.update(rel.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_screen_version(site_dir: Path | str) -> str:
    """Write `screen/version.json` into a built site (call it after the build); returns the hash."""
    root = Path(site_dir)
    version = site_version(root)
    atomic_write(root / SCREEN_VERSION, json.dumps({"version": version}) + "\n")
    return version
