"""Scores, ranks and the honor roll: the rule in DOMAIN.md, on small hand-made ledgers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REPO, run_cli

from generator.compute import scoring
from generator.compute.ahp_tree import analyse_tree
from generator.compute.scoring import (
    competition_ranks,
    compute_scores,
    honor_roll,
    parse_period,
    robustness,
    weights_of,
)
from generator.load.evaluation import check_evaluation
from generator.load.hierarchy import read_hierarchy
from generator.load.validate import DEFAULTS_DIR, load_project
from generator.load.yamlio import read_yaml
from generator.model.hierarchy import Judgments, Settings
from generator.model.records import Branch, Member, MemberPrivate, PointEntry, Src

SRC = Src("test", 1)


def _evaluation():
    evaluation, problems = check_evaluation(read_yaml(DEFAULTS_DIR / "evaluation.yml", "e.yml").value, "e.yml")
    assert not problems
    return evaluation


EVALUATION = _evaluation()
WEIGHTS = weights_of(EVALUATION)
GLOBAL = {i.code: i.global_ for i in WEIGHTS.indicators}
CAP = {i.code: i.cap for i in WEIGHTS.indicators}


def member(mid: str, discipline: str | None = None, joined=dt.date(2010, 7, 1), left=None) -> Member:
    return Member(mid, f"党员{mid}", joined, None, "正式党员", None, None, left, MemberPrivate(discipline=discipline), SRC)


def entry(mid: str, code: str, points: float, day=dt.date(2026, 9, 10)) -> PointEntry:
    return PointEntry(day, mid, code, points, None, None, SRC)


def branch(members, points, size=5) -> Branch:
    return Branch("b", "测试支部", "测试党委", None, None, None, (), 15, size, 12, tuple(members), (), (), (), (), (), (),
                  tuple(points), EVALUATION, (), ())


SEPT = parse_period("2026-09")


def _parts(value):
    """A frozen record and every value inside it, depth first."""
    yield value
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _parts(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _parts(item)


def test_the_evaluation_is_read_once_into_numbers():
    """Scoring works on what load/ read: each matrix as numbers, nothing of the YAML left to read again."""
    assert [type(v) for v in _parts(EVALUATION) if isinstance(v, (dict, list))] == []
    assert EVALUATION.settings == Settings("eigenvector", "saaty", 0.1)
    assert EVALUATION.judgments == Judgments(((1, 1, 2, 2, 2), (1, 1, 2, 2, 2), (0.5, 0.5, 1, 1, 0.5),
                                              (0.5, 0.5, 1, 1, 0.5), (0.5, 0.5, 2, 2, 1)))
    learning = EVALUATION.dimensions[0]
    assert (learning.code, learning.judgments.matrix[4]) == ("L", (1 / 3, 0.5, 0.5, 1 / 3, 1))


def test_a_group_judgment_is_scored_with_the_weights_dangjian_ahp_shows(tmp_path):
    """`check` and `dangjian ahp` read the raters alike: the same combined matrix, weights and CRs."""
    text = (DEFAULTS_DIR / "evaluation.yml").read_text(encoding="utf-8")
    matrix = text[text.index("\nmatrix:\n"):text.index("\ndimensions:")]
    rows = matrix.split("\n")[2:]
    raters = "\nraters:\n  委员甲:\n" + "\n".join("  " + r for r in rows if r) + "\n  委员乙:\n" + (
        '    - [1, 2, 3, 2, 2]\n    - [~, 1, 2, 2, 1]\n    - [~, ~, 1, 1, "1/2"]\n    - [~, ~, ~, 1, "1/2"]\n'
        "    - [~, ~, ~, ~, 1]\n")
    path = tmp_path / "evaluation.yml"
    path.write_text(text.replace(matrix, raters), encoding="utf-8")
    evaluation, problems = check_evaluation(read_yaml(path, "e.yml").value, "e.yml")
    assert problems == []
    first, second = evaluation.judgments.raters
    assert (first.name, second.name) == ("委员甲", "委员乙")
    assert np.allclose(evaluation.judgments.matrix, np.sqrt(np.array(first.matrix) * np.array(second.matrix)),
                       rtol=1e-15, atol=0)
    shown = analyse_tree(read_hierarchy(read_yaml(path, "e.yml").value))
    weights = weights_of(evaluation)
    assert [i.global_ for i in weights.indicators] == [leaf.global_ for leaf in shown.leaves]
    assert [r.result.cr for r in weights.tree.root.raters] == [r.result.cr for r in shown.root.raters]
    assert weights.tree.root.result.cr == shown.root.result.cr


def test_full_marks_in_every_indicator_is_100():
    b = branch([member("a")], [entry("a", code, CAP[code]) for code in GLOBAL])
    s = compute_scores(b, SEPT, WEIGHTS).of("a")
    assert s.total == pytest.approx(100.0)
    assert all(d == pytest.approx(100.0) for d in s.dimension_scores)


def test_half_the_cap_earns_half_the_indicator_weight_and_more_than_the_cap_earns_no_more():
    b = branch([member("a"), member("b")], [entry("a", "S1", CAP["S1"] / 2), entry("b", "S1", CAP["S1"] * 3)])
    scores = compute_scores(b, SEPT, WEIGHTS)
    assert scores.of("a").total == pytest.approx(50 * GLOBAL["S1"])
    assert scores.of("b").total == pytest.approx(100 * GLOBAL["S1"])


def test_a_quarter_needs_three_times_the_monthly_cap():
    b = branch([member("a")], [entry("a", "L1", 1)])
    assert compute_scores(b, SEPT, WEIGHTS).of("a").total == pytest.approx(100 * GLOBAL["L1"])
    assert compute_scores(b, parse_period("2026-Q3"), WEIGHTS).of("a").total == pytest.approx(100 * GLOBAL["L1"] / 3)
    assert compute_scores(b, parse_period("2026"), WEIGHTS).of("a").total == pytest.approx(100 * GLOBAL["L1"] / 12)


def test_entries_outside_the_period_do_not_count():
    b = branch([member("a")], [entry("a", "L1", 1, dt.date(2026, 8, 31)), entry("a", "L1", 1, dt.date(2026, 10, 1))])
    assert compute_scores(b, SEPT, WEIGHTS).of("a").total == 0


def test_deductions_sit_outside_the_ahp_and_never_go_below_zero():
    b = branch([member("a"), member("b")], [entry("a", "L1", 1), entry("a", "扣分", 2), entry("b", "扣分", 5)])
    scores = compute_scores(b, SEPT, WEIGHTS)
    assert scores.of("a").ahp_total == pytest.approx(100 * GLOBAL["L1"])
    assert scores.of("a").total == pytest.approx(100 * GLOBAL["L1"] - 2)
    assert scores.of("b").total == 0


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks(np.array([90.0, 80.0, 80.0, 70.0])).tolist() == [1, 2, 2, 4]
    assert competition_ranks(np.array([80.001, 80.0])).tolist() == [1, 1]  # compared at 0.01 points


def test_disciplinary_matter_removes_from_the_honor_roll_but_not_from_scoring():
    members = [member("a", discipline="诫勉谈话"), member("b"), member("c")]
    b = branch(members, [entry("a", "L1", 1), entry("a", "E1", 2), entry("b", "L1", 1), entry("c", "E2", 1)], size=2)
    scores = compute_scores(b, SEPT, WEIGHTS)
    assert scores.of("a").total > scores.of("b").total  # scored, the best even
    roll = honor_roll(scores, None, 2)
    assert [e.member for e in roll.entries] == ["b", "c"] or [e.member for e in roll.entries] == ["c", "b"]
    assert "a" not in {m for s in roll.stars for m, _ in s.members}


def test_the_discipline_veto_applies_to_the_year_the_matter_is_dated_in():
    """金榜题名 regulation: a member with a disciplinary matter is off the roll in the same year."""
    points = [entry("a", "L1", 1), entry("a", "E1", 2), entry("b", "L1", 1)]
    for text, vetoed_in_2026 in (("2025年11月 诫勉谈话", False), ("2026年9月 诫勉谈话", True),
                                 ("2026-03-15 警告", True), ("2024年 警告\n2026年1月 诫勉谈话", True)):
        b = branch([member("a", discipline=text), member("b")], points, size=1)
        for period in (SEPT, parse_period("2026-Q3"), parse_period("2026")):
            roll = honor_roll(compute_scores(b, period, WEIGHTS), None, 1)
            assert [e.member for e in roll.entries] == (["b"] if vetoed_in_2026 else ["a"]), (text, period.key)
    # the matter of 2025 kept the member off 2025's rolls
    late_2025 = [entry("a", "L1", 1, dt.date(2025, 11, 20)), entry("b", "E3", 1, dt.date(2025, 11, 20))]
    b = branch([member("a", discipline="2025年11月 诫勉谈话"), member("b")], late_2025, size=1)
    roll = honor_roll(compute_scores(b, parse_period("2025-11"), WEIGHTS), None, 1)
    assert [e.member for e in roll.entries] == ["b"]


def test_a_star_tied_on_the_dimension_goes_to_the_higher_total_and_is_shared_when_still_tied():
    # a and b tie on 学习力; b has the higher total, so b is 学习之星 alone
    b = branch([member("a"), member("b")], [entry("a", "L1", 1), entry("b", "L1", 1), entry("b", "E1", 1)], size=2)
    star = next(s for s in honor_roll(compute_scores(b, SEPT, WEIGHTS), None, 2).stars if s.dimension == "L")
    assert [m for m, _ in star.members] == ["b"] and not star.tied
    # level on both: the star is shared (并列), in roster order
    b = branch([member("a"), member("b")], [entry("a", "L1", 1), entry("b", "L1", 1)], size=2)
    star = next(s for s in honor_roll(compute_scores(b, SEPT, WEIGHTS), None, 2).stars if s.dimension == "L")
    assert [m for m, _ in star.members] == ["a", "b"] and star.tied


def test_honor_roll_keeps_all_who_tie_at_the_boundary_and_no_one_with_zero():
    members = [member(x) for x in "abcd"]
    b = branch(members, [entry("a", "L1", 1), entry("b", "E1", 2), entry("c", "E2", 1)], size=2)
    roll = honor_roll(compute_scores(b, SEPT, WEIGHTS), None, 2)
    assert [(e.rank, e.member) for e in roll.entries] == [(1, "a"), (2, "b"), (2, "c")]
    assert "d" not in [e.member for e in roll.entries]


def test_rank_change_since_the_previous_period():
    members = [member(x) for x in "abc"]
    aug, sep = dt.date(2026, 8, 5), dt.date(2026, 9, 5)
    points = [entry("a", "L1", 1, aug), entry("b", "S1", 1, aug),
              entry("b", "L1", 1, sep), entry("a", "S1", 1, sep), entry("c", "E3", 1, sep)]
    b = branch(members, points)
    roll = honor_roll(compute_scores(b, SEPT, WEIGHTS), compute_scores(b, SEPT.previous(), WEIGHTS), 5)
    change = {e.member: e.change for e in roll.entries}
    # September: b (L1) 8.4 > c (E3) 3.5 > a (a quarter of S1) 1.6; August: a 1st, b 2nd
    assert change == {"b": 1, "c": None, "a": -2}


def test_members_who_left_or_had_not_joined_are_not_scored():
    members = [member("a"), member("gone", left=dt.date(2026, 6, 30)), member("new", joined=dt.date(2026, 10, 1))]
    ids = {s.member for s in compute_scores(branch(members, []), SEPT, WEIGHTS).members}
    assert ids == {"a"}


def test_robustness_counts_joint_random_draws_of_all_weights_that_change_the_roll():
    # a leads on 学习力, b on 服务力, almost level: moving the weights together swaps them in some draws.
    b = branch([member("a"), member("b")], [entry("a", "L1", 1), entry("b", "S1", 4), entry("b", "S3", 0.45)], size=1)
    scores = compute_scores(b, SEPT, WEIGHTS)
    assert abs(scores.of("a").total - scores.of("b").total) < 3
    r = robustness(scores, 1)
    assert r.draws == 1000 and r.spread == 0.10
    assert 0 < r.changed < r.draws, "a near tie should change the single name in some draws, not all"
    assert [name for name, _ in r.entering] == [scores.of("b").name]
    assert r.entering[0][1] == r.changed  # with one place, every changed draw puts b on it
    assert robustness(scores, 1) == r  # a fixed seed: the same statement on every build
    # a clear winner is robust
    clear = branch([member("a"), member("b")], [entry("a", c, CAP[c]) for c in GLOBAL] + [entry("b", "S1", 1)], size=1)
    r = robustness(compute_scores(clear, SEPT, WEIGHTS), 1)
    assert (r.changed, r.entering) == (0, ())


def _pairwise_ranks(totals: np.ndarray) -> np.ndarray:
    """The formula competition_ranks used before issue 30 (members² memory): the reference for equality."""
    rounded = np.round(totals, 2)
    return 1 + (rounded[None, ...] > rounded[:, None, ...]).sum(axis=1)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 30), st.integers(1, 6), st.data())
def test_competition_ranks_equal_the_pairwise_formula_on_random_totals(n, draws, data):
    # few distinct values, and values either side of a 0.01 rounding step, so ties are common
    near = st.sampled_from([0.0, 0.004, 12.344, 12.345, 12.346, 80.0, 80.004, 80.006, 99.995, 100.0])
    cells = data.draw(st.lists(st.one_of(near, st.floats(0, 100, allow_nan=False)), min_size=n * draws,
                               max_size=n * draws))
    totals = np.array(cells, dtype=np.float64).reshape(n, draws)
    assert competition_ranks(totals).tolist() == _pairwise_ranks(totals).tolist()
    assert competition_ranks(totals[:, 0]).tolist() == _pairwise_ranks(totals[:, 0]).tolist()


def _many_members(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    codes = list(GLOBAL)
    members = [member(f"m{k:04d}") for k in range(n)]
    points = [entry(f"m{rng.integers(n):04d}", codes[rng.integers(len(codes))], float(rng.choice([0.5, 1, 2])))
              for _ in range(4 * n)]
    return compute_scores(branch(members, points, size=5), SEPT, WEIGHTS)


def test_robustness_is_the_same_whether_the_draws_are_ranked_at_once_or_a_few_at_a_time(monkeypatch):
    scores = _many_members(60)
    at_once = robustness(scores, 5)
    monkeypatch.setattr(scoring, "_RANK_CELLS", 7 * 60)  # seven draws a block, the last one short
    assert robustness(scores, 5) == at_once
    assert at_once.changed > 0 and at_once.entering  # a case where the draws do move the roll


def test_robustness_memory_grows_with_members_not_members_squared():
    """Issue 30: 2,000 members took 4 GB; 5,000 stopped the build with a MemoryError."""
    scores = _many_members(2000)
    tracemalloc.start()
    try:
        robustness(scores, 5, draws=100)  # members² × draws bytes would be 400 MB
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MiB"


def test_vectorised_scores_equal_the_plain_python_reference_on_the_sample():
    spec = importlib.util.spec_from_file_location("reference_scoring", REPO / "bench/reference_scoring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    b = load_project(REPO).project.branches[0]
    for key in ("2026-03", "2026-Q3", "2026"):
        period = parse_period(key)
        scores = compute_scores(b, period, WEIGHTS)
        # each member from the day they arrived in the branch to the day they left, caps per month present
        stay = {m.id: (max(m.arrived, period.start), min(m.left or period.end, period.end)) for m in b.members}
        months = {m: (last.year - first.year) * 12 + last.month - first.month + 1 for m, (first, last) in stay.items()}
        entries = [(p.member, p.indicator, p.points) for p in b.points
                   if period.contains(p.date) and stay[p.member][0] <= p.date <= stay[p.member][1]]
        ref = module.reference_totals(entries, [s.member for s in scores.members],
                                      [(i.code, i.cap, i.global_) for i in WEIGHTS.indicators], months)
        for s in scores.members:
            assert s.total == pytest.approx(ref[s.member][2], abs=1e-9)


def test_scores_command_json_matches_the_site_and_never_ranks_the_disciplined():
    result = run_cli("scores", ".", "--period", "2026-Q3", "--json", cwd=REPO)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["period"] == "2026-Q3"
    assert len(data["dimensions"]) == 5
    ranked = [m for m in data["members"] if m["rank"] is not None]
    assert len(ranked) == len(data["members"]) - 1  # the sample has one member with a disciplinary matter
    top = sorted(ranked, key=lambda m: -m["total"])[0]
    assert data["honor_roll"][0]["name"] == top["name"] and data["honor_roll"][0]["rank"] == 1
    for m in data["members"]:
        assert m["total"] == pytest.approx(max(m["ahp_total"] - m["deductions"], 0))


def test_period_parsing():
    assert parse_period("2026-Q4").start == dt.date(2026, 10, 1) and parse_period("2026-Q4").end == dt.date(2026, 12, 31)
    assert parse_period("2026-02").end == dt.date(2026, 2, 28)
    assert parse_period("2026-13") is None and parse_period("26-01") is None
    assert parse_period("2026-01").previous().key == "2025-12"
    assert parse_period("2026-Q1").previous().key == "2025-Q4"
