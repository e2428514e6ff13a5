"""A plain-Python implementation of the scoring rule, one loop per entry.

It is the yardstick for `generator.scoring.compute_scores`: the tests check that both
give the same numbers, and `bench_scoring.py` reports how much faster numpy is.
"""

from __future__ import annotations


def reference_totals(entries, member_ids, indicators, months):
    """entries: (member, indicator_code, points); indicators: (code, cap, global_weight);
    months: the period's months, or {member: the months they were in the branch}.

    Returns {member: (ahp_total, deductions, total)}.
    """
    raw = {m: {} for m in member_ids}
    deductions = {m: 0.0 for m in member_ids}
    for member, code, points in entries:
        if member not in raw:
            continue
        if code == "扣分":
            deductions[member] += points
        else:
            raw[member][code] = raw[member].get(code, 0.0) + points
    out = {}
    for m in member_ids:
        ahp_total = 0.0
        for code, cap, weight in indicators:
            value = min(raw[m].get(code, 0.0) / (cap * (months[m] if isinstance(months, dict) else months)), 1.0)
            ahp_total += 100.0 * weight * value
        out[m] = (ahp_total, deductions[m], max(ahp_total - deductions[m], 0.0))
    return out
