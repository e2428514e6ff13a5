"""Where every generated page lives: the one module that names page paths.

Paths are page source paths inside the site ("members/m01.md"); `page_url` and
`relative_url` turn them into the links a template writes. In a 党委 site each
branch's pages sit under the branch's folder (`PageSpec.prefix`).
"""

from __future__ import annotations

import datetime as dt
import posixpath

HOME = "index.md"
MEMBERS = "members/index.md"
ACTIVITIES = "activities/index.md"
REGULATIONS = "regulations/index.md"
NEWS = "news/index.md"
EVALUATION = "evaluation/index.md"
HONOR_ROLL = "honor-roll/index.md"
OVERVIEW = "practices/index.md"
REVIEW = "regulations/review.md"
DUTIES = "duties/index.md"
TEAMS = "teams/index.md"
BIRTHDAYS = "birthdays/index.md"
DUES = "dues/index.md"
PRINT_BOARD = "print/board.md"
PRINT_HONOR = "print/honor-roll.md"
PRINT_REPORT = "print/report.md"
COMPLIANCE = "compliance/index.md"
SCREEN = "screen/index.md"
SCREEN_VERSION = "screen/version.json"
ACTIVITY_MONTHS = "activities"
TODO = "todo/index.md"
FEEDS = "feeds/index.md"  # the feeds sit beside it
CALENDAR_FEED = "feeds/calendar.ics"
ACTIVITIES_FEED = "feeds/activities.xml"
NEWS_FEED = "feeds/news.xml"


def honor_archive_page(period_key: str) -> str:
    """A past period's 金榜题名: honor-roll/2026-10.md, honor-roll/2026-q3.md, honor-roll/2025.md."""
    return f"honor-roll/{period_key.lower()}.md"


def meeting_record_page(activity_id: str) -> str:
    """A meeting's record (会议纪实) in the standard layout: records/2026-11-zhiweihui.md."""
    return f"records/{activity_id}.md"


def notice_print_page(activity_id: str) -> str:
    """A meeting's notice (会议通知) for paper: print/notice-2026-12-zhiweihui.md."""
    return f"print/notice-{activity_id}.md"


def sign_in_print_page(activity_id: str) -> str:
    """A meeting's sign-in sheet (签到表) for paper: print/sign-in-2026-12-zhiweihui.md."""
    return f"print/sign-in-{activity_id}.md"


def ledger_print_page(quarter_key: str) -> str:
    """A quarter's bound 台账 for paper: print/ledger-2026-q3.md."""
    return f"print/ledger-{quarter_key.lower()}.md"


def member_page(member_id: str) -> str:
    return f"members/{member_id}.md"


def document_page(section: str, doc_id: str) -> str:
    """A regulation ("regulations") or a news item ("news")."""
    return f"{section}/{doc_id}.md"


def activity_month_page(month: str) -> str:
    """The page of a month's activities ("2026-03" -> "activities/2026-03.md").

    One page per month, not per activity: a branch reads its record month by month, and
    a 党委 with 40 branches over three years has 1,440 such pages instead of 10,000.
    """
    return f"{ACTIVITY_MONTHS}/{month}.md"


def activity_page(activity_id: str, date: dt.date) -> str:
    """Where an activity is shown: its month's page, at its own anchor."""
    return f"{activity_month_page(f'{date.year:04d}-{date.month:02d}')}#{activity_id}"


def branch_home(branch_id: str) -> str:
    """A branch's home page from the 党委 overview."""
    return f"/{branch_id}/{HOME}"


def page_url(path: str) -> str:
    """The directory-style URL of a page source path ("members/m01.md" -> "members/m01/")."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def relative_url(from_path: str, to_path: str) -> str:
    """A link from one page to another (or to a site file such as "assets/x.svg").

    A page may name a place on it: "activities/2026-03.md#a-0312" keeps "#a-0312".
    """
    to_path, hash_, fragment = to_path.partition("#")
    start = page_url(from_path) or "."
    target = page_url(to_path) if to_path.endswith(".md") else to_path
    rel = posixpath.relpath(target or ".", start.rstrip("/") or ".")
    if to_path.endswith(".md"):
        rel = "./" if rel == "." else rel + "/"
    return rel + hash_ + fragment
