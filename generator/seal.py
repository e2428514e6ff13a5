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

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from generator import environment

MAGIC = b"DJSEAL1\n"
_MAC_BYTES = hashlib.sha256().digest_size


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
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dangjian" / "cache-key"


def _key_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) == 64:
            return bytes.fromhex(text)
    except FileNotFoundError:
        pass
    except ValueError:
        raise OSError("damaged key file") from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    try:
        os.link(fresh, path)  # whole or not at all; when two processes race, the first key wins
    except FileExistsError:
        pass
    finally:
        fresh.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def available() -> bool:
    return key() is not None


def seal(payload: bytes) -> bytes:
    """The bytes to store: a header, the MAC and the payload."""
    secret = key()
    assert secret is not None, "seal() without a key: check available() first"
    return MAGIC + hmac.new(secret, payload, hashlib.sha256).digest() + payload


def unseal(stored: bytes) -> bytes | None:
    """The payload of stored bytes, or None when they were not sealed with this key."""
    secret = key()
    head = len(MAGIC) + _MAC_BYTES
    if secret is None or len(stored) < head or not stored.startswith(MAGIC):
        return None
    mac, payload = stored[len(MAGIC):head], stored[head:]
    if not hmac.compare_digest(mac, hmac.new(secret, payload, hashlib.sha256).digest()):
        return None
    return payload
