"""Views of the AHP results for templates: matrices, the honor roll, one member's score.

Plain dicts and lists only; the numbers are already computed in `scoring.py`.
"""

from __future__ import annotations

from .ahp import fraction_text
from .compute import Computed
from .model import DEDUCTION, Branch
from .scoring import HonorRoll, Scores


def evaluation_view(branch: Branch, computed: Computed) -> dict:
    """Every comparison matrix with its weights and consistency, then the global weights."""
    tree = computed.weights.tree
    matrices = []
    for node in tree.root.walk():
        r = node.result
        if r is None:
            continue
        matrices.append({
            "name": node.name or "五个维度",
            "labels": list(r.labels),
            "rows": [[fraction_text(x) for x in row] for row in r.matrix],
            "weights": list(r.weights),
            "lambda_max": r.lambda_max, "ci": r.ci, "ri": r.ri, "cr": r.cr,
            "threshold": r.threshold, "consistent": r.consistent,
            "raters": [{"name": rr.name, "cr": rr.result.cr if rr.result else None} for rr in node.raters],
        })
    dims = {code: (name, w) for code, name, w in computed.weights.dimensions}
    indicators = [{
        "code": i.code, "name": i.name, "dimension": dims[i.dimension][0], "dimension_weight": dims[i.dimension][1],
        "local": i.local, "global": i.global_, "cap": i.cap, "unit": i.unit,
    } for i in computed.weights.indicators]
    return {"title": branch.evaluation.title, "method": tree.method, "matrices": matrices, "indicators": indicators}


def honor_view(roll: HonorRoll, page_of: dict[str, str]) -> dict:
    return {
        "period": roll.period.label,
        "key": roll.period.key,
        "size": roll.size,
        "entries": [{"rank": e.rank, "name": e.name, "total": e.total, "change": e.change,
                     "page": page_of.get(e.member)} for e in roll.entries],
        "stars": [{"title": s.title, "name": s.name, "score": s.score, "page": page_of.get(s.member)} for s in roll.stars],
        "shifts": [{"dimension": s.dimension, "direction": "提高" if s.factor > 1 else "降低",
                    "entering": list(s.entering), "leaving": list(s.leaving)} for s in roll.shifts],
    }


def member_score_view(branch: Branch, scores: Scores, member_id: str, ref_pages: dict[str, str]) -> dict | None:
    """One member's score, from each ledger record to its share of the total."""
    s = scores.of(member_id)
    if s is None:
        return None
    period = scores.period
    entries = [p for p in branch.points if p.member == member_id and period.contains(p.date)]
    dims = {code: name for code, name, _ in scores.weights.dimensions}
    rows = []
    for k, w in enumerate(scores.weights.indicators):
        records = [{"date": p.date, "points": p.points, "note": p.note or "", "page": ref_pages.get(p.ref or "")}
                   for p in entries if p.indicator == w.code]
        cap = w.cap * period.months
        rows.append({
            "code": w.code, "name": w.name, "dimension": dims[w.dimension], "unit": w.unit,
            "records": records, "raw": s.raw[k], "cap": cap, "value": s.values[k],
            "global": w.global_, "contribution": 100 * w.global_ * s.values[k],
        })
    deductions = [{"date": p.date, "points": p.points, "note": p.note or ""} for p in entries if p.indicator == DEDUCTION]
    return {
        "period": period.label, "months": period.months, "rows": rows,
        "dimensions": [{"name": name, "weight": w, "score": s.dimension_scores[k]}
                       for k, (_, name, w) in enumerate(scores.weights.dimensions)],
        "ahp_total": s.ahp_total, "deductions": deductions, "deduction_total": s.deductions, "total": s.total,
    }
