"""A cache of validated branches, keyed by the bytes of their files and of this code.

Reading and checking a 1,200-member 党委 takes tens of seconds, almost all of it YAML;
a rebuild with unchanged files, or with one branch changed, should not pay it again.
The key covers every file the branch reads and the source of the modules that read
them, so a cached result is exactly what a fresh load would give. The cache lives in
the project's `.dangjian-cache/` (git-ignored) and is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
_CODE_FILES = ("validate.py", "fields.py", "spec.py", "yamlio.py", "model.py", "evaluation_check.py", "problems.py", "cache.py")
_HERE = Path(__file__).resolve().parent


def _code_digest() -> bytes:
    h = hashlib.sha256()
    for name in _CODE_FILES:
        h.update((_HERE / name).read_bytes())
    return h.digest()


_CODE = _code_digest()


def files_digest(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256(_CODE)
    for path in sorted(paths):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def cached(root: Path, kind: str, inputs: list[Path], compute: Callable[[], T]) -> T:
    """`compute()`, or its stored result when none of `inputs` (nor the code) changed."""
    if os.environ.get("DANGJIAN_NO_CACHE"):
        return compute()
    try:
        key = files_digest(inputs, root)
    except OSError:
        return compute()
    folder = root / ".dangjian-cache" / kind
    path = folder / f"{key}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only project still builds, just without the cache
    return value
