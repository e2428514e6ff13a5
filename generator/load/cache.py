"""A cache of validated branches, keyed by the bytes of their files and of this code.

Reading and checking a 1,200-member 党委 takes tens of seconds, almost all of it YAML;
a rebuild with unchanged files, or with one branch changed, should not pay it again.
The key covers every file the branch reads and every file of this package
(`seal.hasher`), so a cached result is exactly what a fresh load would give.
The entries are in the project's cache (`seal.Store`), sealed: a pickle is only ever loaded
when it was written under this user's (or this CI's) secret key, so a planted file runs no code.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from generator import seal

T = TypeVar("T")


def files_digest(paths: list[Path], root: Path) -> str:
    h = seal.hasher()  # the code that turns files into a branch is in this package
    for path in sorted(paths):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


_Entry = tuple[seal.Store, str]


def _stored(root: Path, kind: str, inputs: list[Path]) -> _Entry | None:
    """Where the result for these inputs is (or will be) stored; None without a cache."""
    if not seal.enabled():
        return None
    try:
        key = files_digest(inputs, root)
    except OSError:
        return None
    return seal.Store(root, kind), f"{key}.pickle"


def _store(entry: _Entry, data: bytes) -> None:
    store, name = entry
    store.write(name, data)  # a read-only project still builds, just without the cache


def _load(entry: _Entry) -> bytes | None:
    """The pickled bytes stored as `entry`, when they are there and carry our seal for that name."""
    store, name = entry
    return store.read(name)


_DAMAGED = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError)


def cached(root: Path, kind: str, inputs: list[Path], compute: Callable[[], T]) -> T:
    """`compute()`, or its stored result when none of `inputs` (nor the code) changed."""
    entry = _stored(root, kind, inputs)
    if entry is None:
        return compute()
    data = _load(entry)
    if data is not None:
        try:
            return pickle.loads(data)
        except _DAMAGED:
            pass
    value = compute()
    _store(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def cached_pickle(root: Path, kind: str, inputs: list[Path], compute: Callable[[], T]) -> bytes:
    """Like `cached`, but the result stays pickled, for a worker process to send as it is.

    A worker would otherwise unpickle a stored result only to pickle it again for its
    parent, or pickle a fresh one twice, once for the cache and once for the parent.
    Read the bytes with `unpickle`.
    """
    entry = _stored(root, kind, inputs)
    stored = _load(entry) if entry is not None else None
    if stored is not None:
        return stored
    data = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
    if entry is not None:
        _store(entry, data)
    return data


def unpickle(data: bytes, compute: Callable[[], T]) -> T:
    """The value in bytes from `cached_pickle`; `compute()` if they came from a damaged file."""
    try:
        return pickle.loads(data)
    except _DAMAGED:
        return compute()
