"""Cache entries signed with a key that is kept outside the cache.

`.dangjian-cache/` holds pickled branches and drawn charts. Anyone who can put a
file there (a commit that force-adds the folder, a CI cache written by another
pipeline) could otherwise run code on the next `dangjian check` (a pickle) or
publish a chart of their own making. Every entry therefore carries an HMAC-SHA256
of its bytes under a secret key, and an entry whose MAC does not match is ignored
and made again.

The key is `DANGJIAN_CACHE_KEY` when set (CI: a protected, masked variable, so that
only trusted pipelines write entries the main pipeline accepts), otherwise 32 random
bytes in the user's own cache folder (`$XDG_CACHE_HOME/dangjian/cache-key`, else
`~/.cache/dangjian/cache-key`), made on first use and readable by that user only.
Without a usable key nothing is cached: the build is as right, only slower.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from generator import environment
from generator.atomic import atomic_write

MAGIC = b"DJSEAL1\n"
_MAC_BYTES = hashlib.sha256().digest_size
_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def package_digest() -> bytes:
    """Every file of this package: what each cache's keys are made from, in one place.

    The whole package, not a list of the modules thought to matter: a list is forgotten
    when the code grows (the AHP modules were missing from one, and `check` kept an old CR).
    """
    return tree_digest(_PACKAGE)


def tree_digest(folder: Path) -> bytes:
    """Every file under `folder` by relative path and bytes, but Python's own __pycache__."""
    found: list[Path] = []
    for directory, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if f != "__pycache__"]
        found.extend(Path(directory, name) for name in names)
    h = hashlib.sha256()
    for rel, path in sorted((p.relative_to(folder).as_posix(), p) for p in found):
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.digest()


@functools.cache
def key() -> bytes | None:
    given = environment.get(environment.CACHE_KEY)
    if given:
        return hashlib.sha256(given.encode("utf-8")).digest()
    try:
        return _key_file(_key_path())
    except OSError:
        return None


def _key_path() -> Path:
    return environment.user_cache() / "cache-key"


def _parse(text: str) -> bytes | None:
    """Exactly 32 bytes written as 64 hex digits; anything else is a damaged file."""
    text = text.strip()
    if len(text) != 64:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


def _key_file(path: Path) -> bytes:
    try:
        key = _parse(path.read_text(encoding="ascii", errors="replace"))
        if key is not None:
            return key
        damaged = True  # empty or garbled: replaced by a fresh key (the old entries are then rebuilt)
    except FileNotFoundError:
        damaged = False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    try:
        if damaged:
            os.replace(fresh, path)
        else:
            os.link(fresh, path)  # whole or not at all; when two processes race, the first key wins
    except FileExistsError:
        pass
    finally:
        fresh.unlink(missing_ok=True)
    key = _parse(path.read_text(encoding="ascii", errors="replace"))
    if key is None:
        raise OSError("the cache key file can not be written")
    return key


def available() -> bool:
    return key() is not None


def _mac(secret: bytes, name: str, payload: bytes) -> bytes:
    # the entry's name is signed too: a sealed entry copied to another name (an old branch
    # under today's digest, the committee's chart under a public chart's key) is refused
    return hmac.new(secret, name.encode("utf-8") + b"\0" + payload, hashlib.sha256).digest()


def seal(payload: bytes, name: str) -> bytes:
    """The bytes to store under `name` (its kind and key): a header, the MAC and the payload."""
    secret = key()
    assert secret is not None, "seal() without a key: check available() first"
    return MAGIC + _mac(secret, name, payload) + payload


def unseal(stored: bytes, name: str) -> bytes | None:
    """The payload of bytes stored under `name`, or None unless they were sealed with this key for that name."""
    secret = key()
    head = len(MAGIC) + _MAC_BYTES
    if secret is None or len(stored) < head or not stored.startswith(MAGIC):
        return None
    mac, payload = stored[len(MAGIC):head], stored[head:]
    if not hmac.compare_digest(mac, _mac(secret, name, payload)):
        return None
    return payload


def read(path: Path, name: str) -> bytes | None:
    """The payload of the cache entry at `path`, sealed for `name`; None when caching is off
    (no key, or DANGJIAN_NO_CACHE), the file is missing or unreadable, or the seal does not match."""
    if environment.cache_disabled() or not available():
        return None
    try:
        return unseal(path.read_bytes(), name)
    except OSError:
        return None


def write(path: Path, name: str, payload: bytes) -> None:
    """Keep `payload` at `path`, sealed for `name`, in one step; nothing when caching is off. The cache
    is a help, not a need: where it cannot be written (a read-only project), the work is done again."""
    if environment.cache_disabled() or not available():
        return
    with contextlib.suppress(OSError):
        atomic_write(path, seal(payload, name))
