"""Write a file so that a reader sees the old bytes or the new, never half of them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def atomic_write(target: Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) next to `target` under a temporary name, then rename it over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target
