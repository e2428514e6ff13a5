"""jieba's dictionary looked up on disk, word by word, instead of loaded whole.

mkdocs-material's search segments Chinese with jieba, and jieba's first cut loads its whole
dictionary (half a million entries, about a second) into every process that renders a part
of a site: in a rebuild with one branch changed, that second is half of the branch's part.
A page needs a few thousand of those entries. So the dictionary jieba would build is written
once, to an SQLite table in the user's cache folder, and jieba is handed a mapping that looks
its words up there (and keeps what it found). The words and their counts are jieba's own, and
jieba's own code segments: the same words come out, byte for byte.

Nothing changes where the site's settings give jieba a dictionary of their own
(`search.jieba_dict`, `search.jieba_dict_user`: it is loaded already), or where the cache
folder cannot be written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

from generator import settings
from generator.atomic import exclusive

WAITING = "正在准备搜索用的中文分词词典（只在第一次使用时需要，约几秒），请稍候……"
_MISSING = object()


class DiskDictionary:
    """The part of jieba's `FREQ` mapping its segmentation uses, read from the table at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._found: dict[str, int | None] = {}
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # a forked worker opens its own
            self._db, self._pid = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True), os.getpid()
        return self._db

    def _query(self, word: str) -> int | None:
        row = self._connection().execute("SELECT f FROM words WHERE k = ?", (word,)).fetchone()
        return None if row is None else row[0]

    def get(self, word: str, default=None):
        count = self._found.get(word, _MISSING)
        if count is _MISSING:
            count = self._found[word] = self._query(word)
        return default if count is None else count

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        count = self.get(word)
        if count is None:
            raise KeyError(word)
        return count

    def total(self) -> int:
        """The sum of the counts (jieba's `total`)."""
        return self._connection().execute("SELECT total FROM meta").fetchone()[0]


def cache_folder() -> Path:
    return settings.current().user_cache / "jieba"


def _table_path(folder: Path, jieba) -> Path:
    """Named by jieba's version and its dictionary's bytes: another dictionary, another table. (Not by
    the file's time: two installs of one jieba, say a project's and CI's, then share one table instead
    of each deleting the other's.)"""
    words = (Path(jieba.__file__).parent / "dict.txt").read_bytes()  # jieba.DEFAULT_DICT_NAME, beside its code
    return folder / f"dict-{jieba.__version__}-{hashlib.sha256(words).hexdigest()[:16]}.sqlite"


def _write_table(target: Path, jieba) -> None:
    with jieba.dt.get_dict_file() as source:
        freq, total = jieba.dt.gen_pfdict(source)  # jieba's own reading of its dictionary
    fresh = target.with_name(target.name + f".new-{os.getpid()}")
    fresh.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(fresh)) as db:
        db.execute("CREATE TABLE words (k TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        db.executemany("INSERT INTO words VALUES (?, ?)", freq.items())
        db.execute("INSERT INTO meta VALUES (?)", (total,))
        db.commit()
    os.replace(fresh, target)
    for old in target.parent.glob("dict-*.sqlite"):  # of another jieba: 9 MB each
        if old != target:
            old.unlink(missing_ok=True)


def use_disk_dictionary(on: bool = True, folder: Path | None = None) -> bool:
    """Hand jieba's default tokenizer the dictionary on disk (made first if need be); whether it has it.
    `on=False` gives jieba back its own: the next cut loads the whole dictionary."""
    try:
        import jieba
    except ImportError:
        return False
    tokenizer = jieba.dt
    if isinstance(tokenizer.FREQ, DiskDictionary):
        if not on:
            tokenizer.FREQ, tokenizer.initialized = {}, False
        return on
    if not on or tokenizer.initialized or tokenizer.dictionary is not jieba.DEFAULT_DICT:
        return False  # loaded already, or a dictionary of the site's own
    folder = cache_folder() if folder is None else folder
    try:
        target = _table_path(folder, jieba)
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            with exclusive(folder, WAITING):  # one process writes it, the others wait for it
                if not target.is_file():
                    _write_table(target, jieba)
        dictionary = DiskDictionary(target)
        total = dictionary.total()
    except (OSError, sqlite3.Error):
        return False  # jieba loads its dictionary as it always did
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dictionary, total, True
    return True
