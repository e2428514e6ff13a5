"""Pages for paper and for the lobby screen: the board poster, the honor-roll notice,
the monthly report and the big-screen view.

Like pages.py and practice_pages.py this is where the model is cut down for rendering:
contexts hold plain dicts made from the same public views (names, dates, shares and
aggregates), never model objects and never a record above the build's audience. None of
these pages has a navigation entry; `dangjian pdf` prints the three `print/` pages with
Chromium and a lobby PC opens `screen/`.

The big screen reloads itself after a rebuild: `site.screen.write_screen_version(site_dir)` writes
`screen/version.json` (a hash of the built site) at the end of a build, and
`assets/screen.js` polls it.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from generator.compute import dates, practices
from generator.compute.branch import BranchFigures
from generator.model.records import Branch
from generator.model.spec import SANHUI_YIKE
from generator.model.visibility import Visibility
from generator.pages import charts
from generator.pages.branch import BranchViews, PageSpec, branch_views
from generator.pages.figures import Figure, all_figures
from generator.pages.meetings import LEDGER_TEMPLATE, ledger_print_pages
from generator.pages.practices import _clock, dues_context, regulations_context, teams_context
from generator.pages.routes import PRINT_BOARD as BOARD
from generator.pages.routes import PRINT_HONOR as HONOR
from generator.pages.routes import PRINT_REPORT as REPORT
from generator.pages.routes import SCREEN, SCREEN_VERSION
from generator.pages.scores import earning_rules, honor_view

TEMPLATES = ("print_board.html", "print_honor_roll.html", "print_report.html", "screen.html", LEDGER_TEMPLATE)
"""Templates whose pages hide Material's navigation and table of contents."""

PUBLICITY_WORKING_DAYS = 5  # 公示期
SCREEN_SECONDS = 15  # each big-screen panel stays this long


def working_days(start: dt.date, count: int) -> tuple[dt.date, dt.date]:
    """The first and last of `count` working days (Monday to Friday) from `start` on.

    Public holidays are not known to the program; the notice says that they extend it.
    """
    day = start
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    first, left = day, count - 1
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return first, day


def _cut(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _figure(f: Figure) -> dict:
    return {"key": f.key, "label": f.label, "value": f.value, "note": f.note, "status": f.status}


def month_birthdays(branch: Branch, as_of: dt.date, month: str | None = None) -> list[dict]:
    """Members on the roll whose 入党 anniversary falls in `month` (default: the month of `as_of`)."""
    year, number = (int(month[:4]), int(month[5:7])) if month else (as_of.year, as_of.month)
    out = []
    for m in dates.current_members(branch, as_of):
        day = dates.anniversary(m.joined, year)
        if day.month == number and day.year > m.joined.year:
            out.append({"name": m.name, "date": day, "years": day.year - m.joined.year, "past": day < as_of})
    return sorted(out, key=lambda b: (b["date"], b["name"]))


def print_pages(branch: Branch, computed: BranchFigures, audience: str = "public",
                views: BranchViews | None = None) -> tuple[PageSpec, ...]:
    """The board poster, the honor-roll notice, the monthly report, the big screen and each quarter's 台账.

    Paper and screens hang where anyone passes: their honor roll is the public one
    (新上榜 / 连续上榜, no moves in places) whatever the build's audience.
    """
    as_of = computed.as_of
    views = views or branch_views(branch, as_of)
    names = views.names
    month = printed_month(computed)
    a_views, news, regulations = list(views.activities), list(views.news), list(views.regulations)
    # a past month's board shows what was on it then, not December's news on November's poster
    shown = [a for a in a_views if dates.month_key(a["date"]) <= month]
    shown_news = [n for n in news if dates.month_key(n["date"]) <= month]
    figures = [_figure(f) for f in all_figures(computed, branch.theme_day)]
    reflections = [{"name": r["name"], "text": r["text"], "activity": a["title"], "date": a["date"]}
                   for a in a_views for r in a["reflections"]]
    honor = honor_view(computed.published["month"], {}, "public") if computed.weights else None

    def person(member_id):  # no links: these pages are for paper and screens
        return {"name": names.get(member_id, member_id), "page": None} if member_id else None

    def people(ids):
        return [person(m) for m in ids]

    stats = computed.dues
    dues = dues_context(stats, "public", person)  # aggregates only, whatever the audience: paper and screens hang in public
    this_dues = next((m for m in dues["months"] if m["month"] == month), None)
    teams = teams_context(computed, person, people)

    common = {
        "branch": {"id": branch.id, "name": branch.name, "organization": branch.organization, "motto": branch.motto},
        "as_of": as_of,
        "audience": audience,
        "month": month,
        "month_label": dates.month_label(month),
        "figures": figures,
        "honor": honor,
    }

    def spec(path, title, template, **context):
        return PageSpec(path, title, template, MappingProxyType({**common, **context}), None)

    def card(c):
        return {"title": c["title"], "team": c["team"], "owner": c["owner"]["name"] if c["owner"] else None,
                "days": c["days"], "solved": c["solved"]}

    columns = {col["status"]: col["cards"] for col in teams["columns"]}
    solved = sorted(columns.get("已破解", []), key=lambda c: c["solved"] or dt.date.min, reverse=True)
    board = spec(
        BOARD, f"{branch.name} 管理看板（张贴版）", "print_board.html",
        dynamics=shown[:6],
        disclosure=shown_news[:2],
        regulations=[{"number": r["meta"].get("number"), "title": r["title"]} for r in regulations][:4],
        dues=this_dues,
        reflections=[{**r, "text": _cut(r["text"], 60)} for r in reflections[:3]],
        birthdays=month_birthdays(branch, as_of, month),
        month_number=int(month[5:7]),
        team_counts={s: len(cards) for s, cards in columns.items()},
        attacking=[card(c) for c in columns.get("攻坚中", [])][:3],
        solved=[card(c) for c in solved][:1],
    )

    pages = [board, spec(HONOR, f"{honor['period'] if honor else ''}“金榜题名”公示", "print_honor_roll.html",
                         **honor_notice_context(branch, computed, as_of))]
    pages.append(spec(REPORT, f"{dates.month_label(month)}党建简报", "print_report.html",
                      **report_context(branch, computed, a_views, news, dues, teams, person, audience)))
    pages.append(spec(
        SCREEN, f"{branch.name} 大屏", "screen.html",
        seconds=SCREEN_SECONDS,
        dynamics=a_views[:7],
        reflections=[{**r, "text": _cut(r["text"], 70)} for r in reflections[:4]],
        birthdays=[{"name": b.name, "date": b.date, "years": b.years}
                   for b in computed.soon_birthdays][:6],
        dues=this_dues,
        zero_hour=dues["events"][-1] if dues["events"] else None,
        version_file=SCREEN_VERSION,
    ))
    pages += ledger_print_pages(branch, audience, views, common)
    return tuple(pages)


# -- 金榜题名 公示 ---------------------------------------------------------------------

def honor_notice_context(branch: Branch, computed, as_of: dt.date) -> dict:
    first, last = working_days(as_of, PUBLICITY_WORKING_DAYS)
    context = {
        "publicity": {"start": first, "end": last, "days": PUBLICITY_WORKING_DAYS},
        "size": branch.honor_roll_size,
        "rule": None,
    }
    if computed.weights:
        w = computed.weights
        context["rule"] = {
            "title": branch.evaluation.title if branch.evaluation else "",
            "dimensions": [{"name": name, "weight": weight} for _, name, weight in w.dimensions],
            "indicators": len(w.indicators),
            "earn": earning_rules(branch),
            # the 公示 names the kinds of record only; each rule and its points are on the evaluation page
            "earned": list(dict.fromkeys(r["record"] for r in earning_rules(branch) if not r["record"].startswith("出席"))),
        }
    return context


# -- 月度党建简报 --------------------------------------------------------------------

def printed_month(computed: BranchFigures) -> str:
    """The month the board, the 公示 and the report are about (`dangjian pdf --period`, else as_of's)."""
    return computed.print_month or dates.month_key(computed.as_of)


def duties_head(table: practices.DutyTable, seen: Visibility) -> str:
    """The report's count of duties, saying whose count it is: records above the reader are not
    in `table`, and "共 0 项" would tell the whole unit that the branch has no duties at all."""
    if seen.every_record:
        return f"责任清单共 {table.total} 项，已完成 {table.completed} 项"
    if table.total == 0:
        return f"责任清单没有对{seen.readers}公开的事项"
    return f"责任清单中对{seen.readers}公开的 {table.total} 项，已完成 {table.completed} 项"


def report_context(branch: Branch, computed: BranchFigures, a_views, news, dues, teams, person,
                   audience: str = "public") -> dict:
    as_of, stats = computed.as_of, computed.dues
    month = printed_month(computed)
    in_month = [a for a in a_views if dates.month_key(a["date"]) == month]
    in_month.reverse()  # oldest first in a report
    reg = regulations_context(computed)
    matrix = computed.four_ones
    table = computed.duties
    due_this_month = [r for r in table.rows if r.when and dates.month_key(r.when) == month]
    checks = [c for c in computed.ceremonies if dates.month_key(c.date) == month]
    columns = {col["status"]: col["cards"] for col in teams["columns"]}
    solved_month = [c for c in columns.get("已破解", []) if c["solved"] and dates.month_key(c["solved"]) == month]
    this = next((s for s in stats if s.month == month), None)
    zero = next((e for e in dues["events"] if e["month"] == month), None)
    honor_q = honor_view(computed.published["quarter"], {}, "public") if computed.weights else None
    return {
        "activities": in_month,
        "sanhui": sum(1 for a in in_month if a["type"] in SANHUI_YIKE),
        "theme_days": [a for a in in_month if a["type"] == "主题党日"],
        "news_month": [n for n in news if dates.month_key(n["date"]) == month],
        "evaluation": reg["evaluation"],
        "reviews": [r for r in reg["reviews"] if r["overdue"] or r["due_soon"]],
        "duties": {"head": duties_head(table, Visibility(audience)), "total": table.total, "completed": table.completed, "overdue": table.overdue,
                   "due_this_month": [{"what": r.what, "who": [person(m)["name"] for m in r.who], "when": r.when,
                                       "done": r.done, "overdue": r.overdue} for r in due_this_month]},
        "four_ones": {"year": matrix.year, "coverage": matrix.coverage.value, "done": matrix.coverage.done,
                      "total": matrix.coverage.total, "complete": matrix.complete_members.done,
                      "members": matrix.complete_members.total,
                      "per_item": [{"name": name, "value": s.value, "done": s.done, "total": s.total}
                                for name, s in zip(matrix.items, matrix.per_item)]},
        "teams": {"counts": {s: len(c) for s, c in columns.items()},
                  "attacking": [{"title": c["title"], "team": c["team"], "days": c["days"]} for c in columns.get("攻坚中", [])],
                  "solved": [{"title": c["title"], "team": c["team"], "days": c["days"]} for c in solved_month]},
        "ceremonies": [{"date": c.date, "title": c.title, "complete": c.complete, "missing": list(c.missing),
                        "honorees": [person(m)["name"] for m in c.honorees]} for c in checks],
        "month_birthdays": month_birthdays(branch, as_of, month),
        "dues_month": dues_month_view(this, zero),
        "ordinary": dues["ordinary"],
        "first_minutes": dues["first_minutes"],
        "honor_quarter": honor_q,
        "activity_span": charts.activity_span(computed),
        "charts": {
            "activities": charts.activity_counts_chart(computed),
            "dues": charts.dues_trend_chart(stats),
            "zero_hour": zero["chart"] if zero else None,
            "radar": charts.branch_radar_chart(computed) if computed.weights else None,
        },
    }


def dues_month_view(this: practices.DuesStats | None, zero: dict | None) -> dict | None:
    if this is None:
        return None
    return {"expected": this.expected, "payers": this.payers, "closed": this.closed, "zero_hour": this.zero_hour,
            "on_time": this.on_time.value, "on_time_done": this.on_time.done,
            "first_hour": this.first_hour.value, "first_day": this.first_day.value,
            "median": _clock(this.median_minutes) if this.median_minutes is not None else None,
            "event": zero is not None}
