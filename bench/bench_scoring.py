"""Benchmark: score a ledger of one million entries, numpy against plain Python.

Run: .venv/bin/python bench/bench_scoring.py [--entries 1000000]
Prints the time of each and the ratio; the numbers are compared for equality first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from reference_scoring import reference_totals  # noqa: E402

from generator.compute.scoring import compute_scores, ledger_of, parse_period, weights_of  # noqa: E402
from generator.load.evaluation import check_evaluation  # noqa: E402
from generator.load.validate import DEFAULTS_DIR  # noqa: E402
from generator.load.yamlio import read_yaml  # noqa: E402
from generator.model.records import (  # noqa: E402
    Branch,
    Member,
    MemberPrivate,
    PointEntry,
    Src,
)


def synthetic_branch(n_entries: int, n_members: int = 1200, seed: int = 7) -> Branch:
    rng = random.Random(seed)
    evaluation, problems = check_evaluation(read_yaml(DEFAULTS_DIR / "evaluation.yml", "evaluation.yml").value, "evaluation.yml")
    assert not problems, problems
    codes = [i.code for d in evaluation.dimensions for i in d.indicators] + ["扣分"]
    src = Src("bench", 1)
    members = tuple(Member(f"m{k:04d}", f"党员{k}", dt.date(2000, 1, 1), None, "正式党员", None, None, None, MemberPrivate(), src)
                    for k in range(n_members))
    start = dt.date(2026, 1, 1)
    points = tuple(
        PointEntry(start + dt.timedelta(days=rng.randrange(365)), f"m{rng.randrange(n_members):04d}",
                   rng.choice(codes), float(rng.choice((1, 1, 1, 2, 0.5))), None, None, src)
        for _ in range(n_entries)
    )
    return Branch("bench", "基准支部", "基准党委", None, None, None, (), 15, 5, 12, members, (), (), (), (), (), (),
                  points, evaluation, (), ())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    branch = synthetic_branch(args.entries)
    weights = weights_of(branch.evaluation)
    period = parse_period("2026")

    t0 = time.perf_counter()
    ledger = ledger_of(branch, weights)  # once per build, shared by every period
    t_columns = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = compute_scores(branch, period, weights, ledger)
    t_numpy = time.perf_counter() - t0

    t0 = time.perf_counter()
    entries = [(p.member, p.indicator, p.points) for p in branch.points if period.contains(p.date)]
    ref = reference_totals(entries, [m.id for m in branch.members],
                           [(i.code, i.cap, i.global_) for i in weights.indicators], period.months)
    t_python = time.perf_counter() - t0

    worst = max(abs(ref[s.member][2] - s.total) for s in scores.members)
    assert worst < 1e-9, worst
    print(f"entries: {args.entries:,}  members: {len(branch.members)}")
    print(f"ledger to columns (once per build): {t_columns:.3f} s")
    print(f"numpy compute_scores for one period: {t_numpy:.3f} s")
    print(f"plain-Python reference for one period: {t_python:.3f} s")
    print(f"ratio reference / numpy scoring: {t_python / t_numpy:.1f}x; "
          f"including the column build: {t_python / (t_numpy + t_columns):.1f}x   max |difference| {worst:.2e}")


if __name__ == "__main__":
    main()
