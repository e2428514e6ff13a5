"""Issue 14.2: `dangjian pdf --ledger 2026-Q3` binds a quarter's meeting records into one PDF.

Read as a secretary would: a cover with the contents, then each meeting on a page of its
own in date order, and the reasons for absences only in the committee's copy.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from support import REPO, inherited_env, run_cli
from support.browser import chromium_path, unavailable

REASON = "赴外地参加集团物资采购培训班"  # m09's reason for missing the sample's 2026-09-29 党员大会
QUARTER_TITLES = [  # the sample's eleven minuted meetings of July to September 2026, in date order
    "零点行动复盘和下半年工作安排", "第二党小组会：信息安全知识分享", "庆祝建党节　重温光辉历程",
    "研究基层调研主题党日", "第三党小组会：流程优化经验交流", "走进基层一线　调研解难题",
    "研究制度执行评估和第三季度党员大会", "第一党小组会：对照制度查找差距", "对标制度　查找差距",
    "专题党课：用精益思维推动改革落地", "党员大会：通报第三季度工作",
]


def dangjian(*args: str | Path) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, env=inherited_env(), timeout=600)


def needs_browser():
    try:
        import playwright  # noqa: F401
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    if chromium_path() is None:
        unavailable("Chromium is not installed (Debian: apt-get install chromium; or set CHROMIUM=/path/to/chromium)")


def pages_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    needs_browser()
    out = {}
    for audience in ("committee", "party"):
        folder = tmp_path_factory.mktemp(audience)
        done = dangjian("pdf", REPO, "-o", folder, "--as-of", "2026-11-30", "--audience", audience, "--ledger", "2026-Q3")
        assert done.returncode == 0, done.stderr
        assert "ledger-2026-Q3.pdf" in done.stdout
        assert sorted(p.name for p in folder.iterdir()) == ["ledger-2026-Q3.pdf"]  # the ledger only, not the board
        out[audience] = pages_text(folder / "ledger-2026-Q3.pdf")
    return out


def squash(text: str) -> str:
    return "".join(text.split())


def test_the_cover_lists_every_meeting_of_the_quarter(ledgers):
    cover = squash(ledgers["committee"][0])
    assert "组织生活会议记录台账" in cover and "2026年第3季度" in cover and "共11次会议" in cover
    positions = [cover.find(squash(t)) for t in QUARTER_TITLES]
    assert -1 not in positions and positions == sorted(positions)


def test_each_meeting_starts_a_page_of_its_own_in_date_order(ledgers):
    heads = [squash(page).split("会议名称", 1)[0] for page in ledgers["committee"][1:]]
    numbered = [h for h in heads if any(h.endswith(f"{k}.{squash(t)}") for k, t in enumerate(QUARTER_TITLES, 1))]
    assert len(numbered) == 11, heads
    for k, (head, title) in enumerate(zip(numbered, QUARTER_TITLES), 1):
        assert head.endswith(f"{k}.{squash(title)}")


def test_the_reason_for_an_absence_is_in_the_committees_copy_only(ledgers):
    assert REASON in squash("".join(ledgers["committee"]))
    party = squash("".join(ledgers["party"]))
    assert REASON not in party
    assert "梁志远" in party  # the party still sees who was absent
    assert "记录人陈慧敏" in party


def test_the_committees_copy_carries_the_word_ledgers_handling_notice(ledgers):
    notice = "本台账为支委会工作资料，含缺席人员的请假原因，请妥善保管，不对外公开。"
    assert squash(notice) in squash(ledgers["committee"][0])  # on the cover, as in the Word ledger
    assert "不对外公开" not in squash("".join(ledgers["party"]))


def test_a_ledger_for_a_quarter_without_meetings_is_refused_in_chinese(tmp_path):
    needs_browser()
    done = dangjian("pdf", REPO, "-o", tmp_path, "--as-of", "2026-11-30", "--ledger", "2024-Q1")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "2024 年第 1 季度没有会议记录" in done.stderr and "2026-Q3" in done.stderr
    done = dangjian("pdf", REPO, "-o", tmp_path, "--ledger", "2026-09")
    assert done.returncode != 0 and "--ledger 写季度" in done.stderr
    assert list(tmp_path.iterdir()) == []
