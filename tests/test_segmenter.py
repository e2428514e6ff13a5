"""The search's Chinese segmentation with jieba's dictionary looked up on disk (site/segmenter.py).

The words must be jieba's own, byte for byte: every run of Chinese in the sample branch's
records and pages, and words jieba does not know (its HMM guesses those), are cut by jieba
with its whole dictionary loaded and with the table on disk, and compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import REPO

from generator.atomic import LOCK_FILE
from generator.site import segmenter

jieba = pytest.importorskip("jieba")


def fresh() -> None:
    """jieba as in a new process, with no dictionary loaded (tests before may have loaded it whole)."""
    jieba.dt.FREQ, jieba.dt.initialized = {}, False


@pytest.fixture
def disk(tmp_path):
    fresh()
    assert segmenter.use_disk_dictionary(folder=tmp_path / "cache")
    yield tmp_path / "cache"
    segmenter.use_disk_dictionary(False)  # the rest of the session loads jieba's own


def sample_runs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for top in ("data", "content")
             for p in sorted((REPO / top).rglob("*")) if p.suffix in (".yml", ".md")]
    runs = {run for text in texts for run in re.findall(r"[\u4e00-\u9fff]+", text)}
    return sorted(runs) + ["王示例李示例赵示例在精益党建看板上", "诸葛亮会攻坚小组的零点党费", "中华人民共和国成立七十七周年"]


def test_the_words_are_jiebas_own(disk):
    runs = sample_runs()
    assert len(runs) > 500
    reference = jieba.Tokenizer()  # the whole dictionary, loaded as jieba does
    ours = [tuple(jieba.cut(run.encode("utf-8"))) for run in runs]  # as the search plugin calls it
    assert isinstance(jieba.dt.FREQ, segmenter.DiskDictionary)  # and it did not load the dictionary
    assert ours == [tuple(reference.cut(run.encode("utf-8"))) for run in runs]
    assert jieba.dt.total == reference.total
    # no half-written table left (the lock file stays by design: generator/atomic.py)
    assert [p.name for p in disk.iterdir() if p.name != LOCK_FILE] == [p.name for p in disk.glob("dict-*.sqlite")]


def test_a_dictionary_of_the_sites_own_is_left_alone(tmp_path):
    fresh()
    jieba.dt.check_initialized()  # as `search.jieba_dict_user` does: jieba loaded its dictionary
    try:
        assert not segmenter.use_disk_dictionary(folder=tmp_path)
        assert isinstance(jieba.dt.FREQ, dict) and not any(tmp_path.iterdir())
    finally:
        segmenter.use_disk_dictionary(False)


def test_without_a_writable_cache_folder_jieba_loads_its_own(tmp_path):
    fresh()
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert not segmenter.use_disk_dictionary(folder=blocked / "cache")  # a file stands where the folder would be
    assert list(jieba.dt.cut("精益党建".encode())) == ["精益", "党建"]  # the tokenizer, not the build's memo of its cuts
    assert isinstance(jieba.dt.FREQ, dict) and len(jieba.dt.FREQ) > 400_000  # its whole dictionary, loaded
    segmenter.use_disk_dictionary(False)


def test_two_installs_of_one_jieba_share_one_table(tmp_path):
    """A project's venv and CI's (or a reinstall) copy jieba's files at other times: the table they
    name must be the same one, or each would delete the other's and make it again."""
    import os
    import shutil
    import types

    installs = []
    for n, when in enumerate((1_000_000_000, 2_000_000_000)):
        package = tmp_path / f"venv{n}" / "jieba"
        package.mkdir(parents=True)
        shutil.copy(Path(jieba.__file__).parent / "dict.txt", package / "dict.txt")
        os.utime(package / "dict.txt", (when, when))
        installs.append(types.SimpleNamespace(__file__=str(package / "__init__.py"), __version__=jieba.__version__))
    names = {segmenter._table_path(tmp_path / "cache", install).name for install in installs}
    assert len(names) == 1
    edited = Path(installs[1].__file__).parent / "dict.txt"
    edited.write_bytes(edited.read_bytes() + "新词 3 n\n".encode())
    assert segmenter._table_path(tmp_path / "cache", installs[1]).name not in names  # another dictionary, another table
