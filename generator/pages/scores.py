"""Views of the AHP results for templates: matrices, the honor roll, one member's score.

Plain dicts and lists only; the numbers are already computed in `scoring.py`.
"""

from __future__ import annotations

from generator.compute.ahp import fraction_text
from generator.compute.branch import BranchFigures
from generator.compute.scoring import HonorRoll, Scores
from generator.model.records import DEDUCTION, EARNING_RECORDS, Branch, PointEntry
from generator.model.spec import visible
from generator.model.visibility import Visibility


def evaluation_view(branch: Branch, computed: BranchFigures) -> dict:
    """Every comparison matrix with its weights and consistency, then the global weights."""
    weights, evaluation = computed.weights, branch.evaluation
    assert weights is not None and evaluation is not None  # pages.branch adds this page only when the branch has weights
    tree = weights.tree
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
    dims = {code: (name, w) for code, name, w in weights.dimensions}
    indicators = [{
        "code": i.code, "name": i.name, "dimension": dims[i.dimension][0], "dimension_weight": dims[i.dimension][1],
        "local": i.local, "global": i.global_, "cap": i.cap, "unit": i.unit,
    } for i in weights.indicators]
    return {"title": evaluation.title, "method": tree.method, "matrices": matrices, "indicators": indicators,
            "rules": earning_rules(branch), "since": branch.since, "size": branch.honor_roll_size}


def earning_rules(branch: Branch) -> list[dict]:
    """Which records earn which indicator and how many points, in the words of the page and the 公示."""
    evaluation = branch.evaluation
    if evaluation is None:
        return []
    names = {i.code: i.name for d in evaluation.dimensions for i in d.indicators}
    rules = [{"record": f"出席{r.activity_type}", "source": "活动的出席人员（attendees）", "indicator": r.indicator,
              "indicator_name": names[r.indicator], "points": r.points, "label": f"出席{r.activity_type}"}
             for r in evaluation.attendance]
    for r in evaluation.earn:
        source = EARNING_RECORDS[r.record]
        if r.activities:
            source += "，限" + "、".join(r.activities)
        if r.record == "按时交纳党费":
            source += f"，每月 {r.by_day} 日（含）之前交纳当月党费" if r.by_day else "，当月月底（含）之前交纳"
        rules.append({"record": r.record, "source": source, "indicator": r.indicator, "indicator_name": names[r.indicator],
                      "points": r.points, "label": f"{r.record}（{'、'.join(r.activities)}）" if r.activities else r.record})
    return rules


def period_label(period, through) -> str:
    """"2026 年度", or "2026 年度（截至 3 月 31 日）" while the period is still running."""
    if through >= period.end:
        return period.label
    return f"{period.label}（截至 {through.month} 月 {through.day} 日）"


def honor_view(roll: HonorRoll, page_of: dict[str, str], audience: str) -> dict:
    """The roll as a template shows it; the public learns nothing of ranks outside it.

    Public builds: each entry is 新上榜 or 连续上榜 (on the previous roll too), never a
    move in places, which would tell where someone stood off the roll; the robustness
    statement gives the share of draws only. Party and committee builds keep the exact
    moves and name who a draw would put on the roll.
    """
    exact = Visibility(audience).individual_figures
    r = roll.robustness
    return {
        "period": period_label(roll.period, roll.through),
        "key": roll.period.key,
        "size": roll.size,
        "partial": roll.partial,
        "exact_moves": exact,
        "entries": [{"rank": e.rank, "name": e.name, "total": e.total, "change": e.change if exact else None,
                     "move": "连续上榜" if e.stayed else "新上榜", "page": page_of.get(e.member)} for e in roll.entries],
        "stars": [{"title": s.title, "name": "、".join(name for _, name in s.members), "tied": s.tied, "score": s.score,
                   "page": page_of.get(s.members[0][0]) if not s.tied else None} for s in roll.stars],
        "robustness": None if r is None else {
            "draws": r.draws, "spread": r.spread, "changed": r.changed, "share": r.share,
            "entering": [{"name": n, "draws": c} for n, c in r.entering] if exact else [],
        },
    }


def _shares_in_hundredths(values: list[float], total: float) -> list[int]:
    """`values` rounded to hundredths so that they add up to `total` rounded (largest remainder)."""
    target = round(total * 100)
    floors = [int(v * 100 // 1) for v in values]
    rest = target - sum(floors)
    order = sorted(range(len(values)), key=lambda k: (-(values[k] * 100 - floors[k]), k))
    for k in order[:max(rest, 0)]:
        floors[k] += 1
    return floors


def member_score_view(branch: Branch, scores: Scores, member_id: str, ref_pages: dict[str, str],
                      audience: str) -> dict | None:
    """One member's score for one period, from each ledger record to its share of the total.

    A record whose note is above `audience` (the scope removed it) says so instead; a member
    whose scores the audience is not shown (`MemberScore.shown_to`) has no view.

    The printed contributions (two decimals) add up to the printed AHP score, and the
    printed AHP score minus the printed deductions is the printed total (not below 0).
    """
    s = scores.of(member_id)
    if s is None or not s.shown_to(audience):
        return None
    period = scores.period
    entries = [p for p in branch.points if p.member == member_id and period.contains(p.date)]
    dims = {code: name for code, name, _ in scores.weights.dimensions}
    contributions = [100 * w.global_ * s.values[k] for k, w in enumerate(scores.weights.indicators)]
    shown = _shares_in_hundredths(contributions, s.ahp_total)
    rows = []
    for k, w in enumerate(scores.weights.indicators):
        records = [{"date": p.date, "points": p.points, "note": _note(p, audience), "page": ref_pages.get(p.ref or "")}
                   for p in entries if p.indicator == w.code]
        cap = w.cap * s.months
        rows.append({
            "code": w.code, "name": w.name, "dimension": dims[w.dimension], "unit": w.unit,
            "records": records, "raw": s.raw[k], "cap": cap, "value": s.values[k],
            "global": w.global_, "contribution": shown[k] / 100, "contribution_text": f"{shown[k] / 100:.2f}",
        })
    deductions = [{"date": p.date, "points": p.points, "note": _note(p, audience)} for p in entries if p.indicator == DEDUCTION]
    ahp_cents = sum(shown)
    deduction_cents = round(s.deductions * 100)
    total_cents = max(ahp_cents - deduction_cents, 0)
    return {
        "key": period.key, "kind": period.kind,
        "period": period.label, "months": s.months, "period_months": period.months, "rows": rows,
        "dimensions": [{"name": name, "weight": w, "score": s.dimension_scores[k]}
                       for k, (_, name, w) in enumerate(scores.weights.dimensions)],
        "ahp_total": ahp_cents / 100, "deductions": deductions, "deduction_total": deduction_cents / 100,
        "total": total_cents / 100, "floored": ahp_cents < deduction_cents,
        "rank": s.rank if s.eligible else None, "eligible": s.eligible,
    }


_WITHHELD = {"party": "（事由仅党员可见）", "committee": "（事由仅支委会可见）"}


def _note(entry: PointEntry, audience: str) -> str:
    return entry.note or ("" if visible(audience, entry.audience) else _WITHHELD[entry.audience])
