"""The project's cache: one folder, one way to name, key, read and write its entries.

`.dangjian-cache/` (`FOLDER`) holds each kind of entry in a folder of its own (`Store`):
checked branches (load/cache.py), drawn charts (site/drawing.py), compiled templates
(site/compiled.py), the input files' digests and the built parts of a 党委 site
(generator/assembly/). Every entry is sealed for its name and for this package's code
(`package_digest`): an entry written by other code, or filed under another name, is not
read back, so a change to any file of the package invalidates every cache at once.

Anyone who can put a file there (a commit that force-adds the folder, a CI cache written by another
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
from dataclasses import dataclass
from pathlib import Path

from generator import settings
from generator.atomic import atomic_write

FOLDER = ".dangjian-cache"  # in the project, git-ignored (`.dangjian-*`), safe to delete at any time
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


def hasher() -> hashlib._Hash:
    """A sha256 that has read the package digest: where a key hashes more than the code (a
    branch's files, a part's inputs), it starts from here."""
    return hashlib.sha256(package_digest())


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


def key() -> bytes | None:
    """The key of the installed settings (generator/settings.py): their cache_key, else their user's key file."""
    chosen = settings.current()
    return _key(chosen.cache_key, chosen.user_cache)


@functools.cache
def _key(given: str, user_cache: Path) -> bytes | None:
    if given:
        return hashlib.sha256(given.encode("utf-8")).digest()
    try:
        return _key_file(user_cache / "cache-key")
    except OSError:
        return None


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


def enabled() -> bool:
    """Whether entries are read and written: not when caching is off (DANGJIAN_NO_CACHE) or no key can be had."""
    return not settings.current().no_cache and available()


def _mac(secret: bytes, name: str, payload: bytes) -> bytes:
    # the entry's name is signed too: a sealed entry copied to another name (an old branch
    # under today's digest, the committee's chart under a public chart's key) is refused;
    # and the code that wrote it: another version of the package may have meant other bytes
    message = package_digest() + name.encode("utf-8") + b"\0" + payload
    return hmac.new(secret, message, hashlib.sha256).digest()


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


@dataclass(frozen=True)
class Store:
    """The entries of one kind in a project's cache: `<root>/.dangjian-cache/<kind>/<name>`, each
    sealed for `<kind>/<name>`."""

    root: Path
    kind: str

    @property
    def folder(self) -> Path:
        return self.root / FOLDER / self.kind

    def path(self, name: str) -> Path:
        return self.folder / name

    def sealed(self, name: str, payload: bytes) -> bytes:
        """The bytes of the entry `name`, for an entry written with others (a folder swapped in whole)."""
        return seal(payload, f"{self.kind}/{name}")

    def unsealed(self, name: str, stored: bytes) -> bytes | None:
        return unseal(stored, f"{self.kind}/{name}")

    def read(self, name: str) -> bytes | None:
        """The payload of the entry `name`; None when caching is off (no key, or DANGJIAN_NO_CACHE),
        the file is missing or unreadable, or the seal does not match."""
        if not enabled():
            return None
        try:
            return self.unsealed(name, self.path(name).read_bytes())
        except OSError:
            return None

    def write(self, name: str, payload: bytes) -> None:
        """Keep `payload` as the entry `name`, in one step; nothing when caching is off. The cache is
        a help, not a need: where it cannot be written (a read-only project), the work is done again."""
        if not enabled():
            return
        with contextlib.suppress(OSError):
            atomic_write(self.path(name), self.sealed(name, payload))
