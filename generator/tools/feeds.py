"""The site's feeds: a calendar (.ics, RFC 5545) and Atom feeds of 支部动态 and 宣传报道.

Written from a build's scoped branches (`pipeline.BranchResult`: the branch as the build's
audience may see it, and its `agenda` of due items), so a feed holds nothing the pages of
the same build do not show. Bytes depend only on the data and the as-of date: the same
data gives the same files, and an event keeps its UID (made from `Due.key`) in every build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from generator.compute.calendar import Due
from generator.model.records import Branch
from generator.pages import routes
from generator.pages.text import plain_excerpt
from generator.pages.todo import KIND_LABELS, STATUS_LABELS, describe, record_page

TIME_ZONE = "Asia/Shanghai"
FEED_ENTRIES = 50  # the newest this many activities or news items
ATOM_FEEDS = ((routes.ACTIVITIES_FEED, "支部动态"), (routes.NEWS_FEED, "宣传报道"))  # each branch's Atom feeds


def feed_title(branch_name: str, title: str) -> str:
    """An Atom feed's title, the same in the feed and in the pages' heads that link it."""
    return f"{branch_name} · {title}"


def uid(branch_id: str, key: str) -> str:
    """An event's UID: the same item gets the same one in every build and every audience."""
    return f"{branch_id}-{hashlib.sha256(key.encode()).hexdigest()[:24]}@dangjian"


def page_link(site_url: str | None, prefix: str, path: str) -> str | None:
    """The address of a page (within the branch's folder `prefix`) on the intranet, when `site_url` is known."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + prefix + routes.page_url(path.partition("#")[0]) + (("#" + path.partition("#")[2]) if "#" in path else "")


def _stamp(as_of: dt.date) -> dt.datetime:
    return dt.datetime.combine(as_of, dt.time(), ZoneInfo(TIME_ZONE)).astimezone(dt.timezone.utc)


def calendar_feed(branch: Branch, agenda: tuple[Due, ...], as_of: dt.date, audience: str,
                  site_url: str | None = None, prefix: str = "") -> bytes:
    """The calendar of one branch for one audience: every item of its agenda as an all-day event."""
    from icalendar import Calendar, Event, Timezone

    cal = Calendar()
    cal.add("prodid", "-//dangjian-kanban//精益党建看板//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{branch.name}{ {'public': '', 'party': '（党内）', 'committee': '（支委会）'}[audience]}")
    cal.add("x-wr-timezone", TIME_ZONE)
    cal.add_component(Timezone.from_tzid(TIME_ZONE))
    stamp = _stamp(as_of)
    for d in agenda:
        if d.status == "held" and d.kind not in ("activity", "birthday"):
            continue  # a task done is no event of its own: the activity that did it is
        event = Event()
        event.add("uid", uid(branch.id, d.key))
        event.add("dtstamp", stamp)
        event.add("summary", describe(d) + ("（已逾期）" if d.status == "overdue" else ""))
        # no time of day is known for any item: an all-day event on its day, or on the day it is due by
        day = d.start if d.start == d.end or d.kind in ("activity", "theme_day") else d.end
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [KIND_LABELS[d.kind]])
        url = page_link(site_url, prefix, record_page(d))
        text = f"{KIND_LABELS[d.kind]}，{STATUS_LABELS[d.status]}"
        if d.start != d.end:
            text += f"；期间 {d.start} 至 {d.end}"
        event.add("description", text + (f"\n{url}" if url else ""))
        if url:
            event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()


def _atom(branch: Branch, title: str, feed_path: str, entries: list[tuple[str, str, dt.date, str, str]],
          as_of: dt.date, site_url: str | None, prefix: str) -> bytes:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(f"urn:dangjian:{branch.id}:{feed_path}")
    fg.title(feed_title(branch.name, title))
    fg.author({"name": branch.name})
    fg.language("zh-CN")
    fg.link(href=page_link(site_url, prefix, routes.HOME) or routes.relative_url(routes.FEEDS, routes.HOME), rel="alternate")
    fg.updated(_stamp(max([as_of, *(e[2] for e in entries)])))
    for key, name, day, page, summary in entries:
        entry = fg.add_entry(order="append")
        entry.id(f"urn:dangjian:{branch.id}:{key}")
        entry.title(name)
        entry.updated(_stamp(day))
        entry.published(_stamp(day))
        entry.link(href=page_link(site_url, prefix, page) or routes.relative_url(routes.FEEDS, page), rel="alternate")
        if summary:
            entry.summary(summary)
    return fg.atom_str(pretty=True)


def activities_feed(branch: Branch, as_of: dt.date, site_url: str | None = None, prefix: str = "") -> bytes:
    newest = sorted(branch.activities, key=lambda a: (a.date, a.id), reverse=True)[:FEED_ENTRIES]
    entries = [(f"activity/{a.id}", a.title if a.type in a.title else f"{a.type}：{a.title}", a.date,
                routes.activity_page(a.id, a.date), plain_excerpt(a.summary or "")) for a in newest]
    return _atom(branch, "支部动态", routes.ACTIVITIES_FEED, entries, as_of, site_url, prefix)


def news_feed(branch: Branch, as_of: dt.date, site_url: str | None = None, prefix: str = "") -> bytes:
    newest = sorted(branch.news, key=lambda d: (d.date, d.id), reverse=True)[:FEED_ENTRIES]
    entries = [(f"news/{d.id}", d.title, d.date, routes.document_page("news", d.id), plain_excerpt(d.body)) for d in newest]
    return _atom(branch, "宣传报道", routes.NEWS_FEED, entries, as_of, site_url, prefix)


def site_files(result, site_url: str | None = None) -> dict[str, bytes]:
    """Every feed of a build (`pipeline.SiteResult`), by its path in the site."""
    out = {}
    for b in result.branches:
        prefix = f"{b.branch.id}/" if result.project.multi else ""
        out[prefix + routes.CALENDAR_FEED] = calendar_feed(b.branch, b.agenda, result.as_of, result.audience, site_url, prefix)
        out[prefix + routes.ACTIVITIES_FEED] = activities_feed(b.branch, result.as_of, site_url, prefix)
        out[prefix + routes.NEWS_FEED] = news_feed(b.branch, result.as_of, site_url, prefix)
    return out
