"""The figure cards of the home page, the overview and paper: computed figures as text.

Formatting only: every number comes from `compute.BranchFigures`; nothing here counts
records. The text is exactly what the pages printed before the figures were computed
in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compute.branch import NEXT_BIRTHDAY_DAYS, BranchFigures
from generator.compute.practices import DUE_SOON_DAYS
from generator.pages import routes


@dataclass(frozen=True)
class Figure:
    """One number on the board, with its status colour and the page that explains it."""

    key: str
    label: str
    value: str
    note: str
    status: str  # "ok" | "warn" | "bad" | "info"
    link: str  # the page that shows its records, e.g. "dues/index.md"


def headline_figures(figures: BranchFigures, theme_day: int) -> tuple[Figure, ...]:
    """The strip of this month's figures on the home page."""
    h, as_of = figures.headline, figures.as_of
    if h.theme_days:
        status = "ok" if h.theme_days_complete == h.theme_days else "warn"
        td_value, td_note = f"{h.theme_days} 次", f"五有齐全 {h.theme_days_complete}/{h.theme_days}"
    else:
        status = "bad" if h.theme_day_passed else "info"
        td_value = "未开展"
        td_note = f"固定日 {theme_day} 日已过" if h.theme_day_passed else f"固定日为每月 {theme_day} 日"
    bd = h.next_birthday
    return (
        Figure("members", "在册党员", f"{h.members} 名", f"支委 {h.committee} 名", "info", routes.MEMBERS),
        Figure("theme_day", f"{as_of.month} 月主题党日", td_value, td_note, status, routes.ACTIVITIES),
        Figure("sanhui", f"{as_of.month} 月三会一课", f"{h.sanhui} 次", "支委会、党员大会、党小组会、党课", "info", routes.ACTIVITIES),
        Figure(
            "birthday", "下一个政治生日",
            f"{bd.date.month} 月 {bd.date.day} 日" if bd else "近期无",
            f"{bd.name}，入党 {bd.years} 周年" if bd else f"{NEXT_BIRTHDAY_DAYS} 天内没有",
            "info", routes.MEMBERS,
        ),
    )


def practice_figures(figures: BranchFigures) -> tuple[Figure, ...]:
    """零点行动 punctuality this month, 四个一 coverage, open 攻坚 problems, regulations due for review."""
    as_of = figures.as_of
    out = []
    this = next((s for s in figures.dues if s.month == f"{as_of.year:04d}-{as_of.month:02d}"), None)
    label = f"{as_of.month} 月党费按时交纳"
    if this is None or this.expected == 0:
        out.append(Figure("dues", label, "暂无记录", "本月党费尚未登记", "info", routes.DUES))
    else:
        share = this.on_time.value or 0.0
        status = "ok" if this.on_time.done == this.on_time.total else ("warn" if not this.closed else "bad")
        note = (f"零点行动月，首小时交纳 {this.first_hour.done}/{this.expected}" if this.zero_hour
                else f"已交 {this.on_time.done}/{this.expected} 人" + ("" if this.closed else "，本月未结束"))
        out.append(Figure("dues", label, f"{share * 100:.0f}%", note, status, routes.DUES))

    matrix = figures.four_ones
    cov = matrix.coverage.value
    if cov is None:
        out.append(Figure("four_ones", f"{as_of.year} 年四个一", "—", "暂无在册党员", "info", routes.DUTIES))
    else:
        status = "ok" if cov >= min(matrix.expected, 1.0) - 1e-9 else ("warn" if cov >= matrix.expected * 0.75 else "bad")
        out.append(Figure(
            "four_ones", f"{as_of.year} 年四个一覆盖", f"{cov * 100:.0f}%",
            f"{matrix.coverage.done}/{matrix.coverage.total} 项，{matrix.complete_members.done} 人四项全完成",
            status, routes.DUTIES))

    board = figures.teams
    counts = {s: len(cards) for s, cards in board.columns}
    out.append(Figure(
        "teams", "攻坚课题", f"{board.open_count} 项在攻",
        f"待攻坚 {counts['待攻坚']}，攻坚中 {counts['攻坚中']}，已破解 {counts['已破解']}",
        "info", routes.TEAMS))

    reviews = figures.reviews
    overdue = [r for r in reviews if r.overdue]
    soon = [r for r in reviews if r.due_soon]
    if overdue:
        status, value = "bad", f"{len(overdue)} 项逾期"
        note = "逾期未评估：" + "、".join(r.number or r.title for r in overdue)
    elif soon:
        status, value = "warn", f"{len(soon)} 项待评估"
        note = f"{DUE_SOON_DAYS} 天内到期：" + "、".join(r.number or r.title for r in soon)
    else:
        status, value = "ok", "均在期内"
        note = f"共 {len(reviews)} 项制度"
    out.append(Figure("regulations", "制度执行评估", value, note, status, routes.REVIEW))
    return tuple(out)


def all_figures(figures: BranchFigures, theme_day: int) -> tuple[Figure, ...]:
    """The home page's cards: the month's headline, then the practices."""
    return headline_figures(figures, theme_day) + practice_figures(figures)
