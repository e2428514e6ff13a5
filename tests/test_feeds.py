"""The calendar feeds (.ics) and the Atom feeds, read back by real parsers, per audience.

Each audience's calendar holds its own kinds of item and none above it, no private field,
and an event keeps its UID from one build to the next (a calendar that subscribed updates
the event instead of adding a second one).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
import vobject
from support import AS_OF_DATE as AS_OF
from support import FEED_LINK, copy_sample, head_feeds

from generator import pipeline
from generator.tools.feeds import site_files

ATOM = "{http://www.w3.org/2005/Atom}"
# every private value of the sample's roster: none may reach any feed of any audience
PRIVATE = ("100-0000-0001", "000000197003120001", "示例市示例路1号", "15000", "优秀")


def feeds(root: Path, audience: str, as_of: dt.date = AS_OF, site_url: str | None = None) -> dict[str, bytes]:
    outcome = pipeline.run(root, as_of, audience)
    assert not outcome.problems, outcome.problems
    return site_files(outcome.result, site_url)


def events(ics: bytes) -> dict[str, dict]:
    """UID -> the event as an independent parser (vobject) reads it."""
    cal = vobject.readOne(ics.decode("utf-8"))
    out = {}
    for e in cal.vevent_list:
        out[e.uid.value] = {"summary": e.summary.value, "start": e.dtstart.value, "end": e.dtend.value,
                            "categories": list(e.categories.value)}
    return out


TALK = """
- id: 2026-11-tanxin
  type: 谈心谈话
  date: 2026-11-19
  title: 与新党员谈心
  host: m01
  attendees: [m01, m23]
"""
PLANNED = """- id: 2026-12-zhiweihui
  type: 支委会
  date: 2026-12-03
  title: 研究年终考核
  audience: party
- id: 2026-12-zhiyuan
  type: 志愿服务
  date: 2026-12-05
  title: 冬季送温暖
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample with a talk (the committee's by default) and December planned ahead."""
    root = copy_sample(tmp_path_factory.mktemp("feeds"))
    with open(root / "data" / "activities" / "2026-11.yml", "a", encoding="utf-8") as f:
        f.write(TALK)
    (root / "data" / "activities" / "2026-12.yml").write_text(PLANNED, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(sample) -> dict[str, dict[str, bytes]]:
    return {audience: feeds(sample, audience) for audience in ("public", "party", "committee")}


def test_each_audience_gets_its_own_kinds_and_nothing_above(built):
    kinds = {audience: {c for e in events(files["feeds/calendar.ics"]).values() for c in e["categories"]}
             for audience, files in built.items()}
    assert kinds["public"] == {"活动", "主题党日"}
    assert {"政治生日", "组织生活"} <= kinds["party"] and not kinds["party"] & {"制度复审", "责任清单", "预备期满", "党费收缴"}
    assert {"制度复审", "责任清单", "预备期满", "党费收缴"} <= kinds["committee"]
    public = events(built["public"]["feeds/calendar.ics"])
    party = events(built["party"]["feeds/calendar.ics"])
    committee = events(built["committee"]["feeds/calendar.ics"])
    assert set(public) < set(party)
    # a meeting the committee sees held (its talk) may still be due for the branch, which cannot see it
    assert {uid for uid, e in party.items() if e["categories"] != ["组织生活"]} < set(committee)
    # a talk is the committee's: not even its title reaches another calendar
    assert "谈心谈话：与新党员谈心" in {e["summary"] for e in committee.values()}
    assert not any("与新党员谈心" in e["summary"] for e in party.values())
    # what is planned ahead is in the calendar of those who may see it
    assert {"支委会：研究年终考核", "志愿服务：冬季送温暖"} <= {e["summary"] for e in party.values()}
    assert "志愿服务：冬季送温暖" in {e["summary"] for e in public.values()}
    assert not any("研究年终考核" in e["summary"] for e in public.values())
    # what is overdue is the committee's to know
    assert not any("已逾期" in e["summary"] for e in party.values())
    assert "制度复审：宣传报道“广而告之”制度（已逾期）" in {e["summary"] for e in committee.values()}
    for files in built.values():
        text = b"".join(files.values()).decode("utf-8")
        for secret in PRIVATE:
            assert secret not in text


def test_calendar_is_valid_all_day_and_in_beijing_time(built):
    ics = built["party"]["feeds/calendar.ics"]
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    parsed = events(ics)
    assert parsed, "no events"
    for e in parsed.values():
        assert type(e["start"]) is dt.date and e["end"] == e["start"] + dt.timedelta(days=1)
    birthdays = {e["summary"]: e["start"] for e in parsed.values() if e["categories"] == ["政治生日"]}
    assert birthdays["宋子轩同志政治生日（入党 1 周年）"] == dt.date(2026, 12, 5)
    assert {e["start"] for e in parsed.values() if e["categories"] == ["主题党日"]} >= {dt.date(2026, 12, 15), dt.date(2027, 1, 15)}


def test_uids_are_stable_across_builds(sample, built):
    before = events(built["committee"]["feeds/calendar.ics"])
    later = events(feeds(sample, "committee", AS_OF + dt.timedelta(days=20))["feeds/calendar.ics"])
    # the same event (same day, same words) has the same UID a few weeks later...
    by_event = {(e["start"], e["summary"]): uid for uid, e in later.items()}
    kept = [uid for uid, e in before.items() if (e["start"], e["summary"]) in by_event]
    assert len(kept) > 50
    assert all(by_event[(before[uid]["start"], before[uid]["summary"])] == uid for uid in kept)
    # ...and one that changed its state (the December 支委会 became due, then held) keeps its UID too
    party_before, party_after = events(built["party"]["feeds/calendar.ics"]), events(feeds(sample, "party")["feeds/calendar.ics"])
    assert party_before == party_after  # the same data and day: the same feed, byte for byte in effect
    assert built["party"]["feeds/calendar.ics"] == feeds(sample, "party")["feeds/calendar.ics"]


def test_atom_feeds_per_audience(built):
    def entries(data: bytes) -> list[str]:
        return [e.findtext(f"{ATOM}title") for e in ET.fromstring(data).iter(f"{ATOM}entry")]

    public, committee = entries(built["public"]["feeds/activities.xml"]), entries(built["committee"]["feeds/activities.xml"])
    assert len(public) == len(committee) == 50  # the newest 50
    assert set(public[:40]) < set(committee)
    assert "谈心谈话：与新党员谈心" in committee and "谈心谈话：与新党员谈心" not in public
    assert not any("冬季送温暖" in t for t in committee)  # news of what has happened, not of plans
    news = ET.fromstring(built["public"]["feeds/news.xml"])
    assert news.findtext(f"{ATOM}title").endswith("宣传报道")
    first = next(news.iter(f"{ATOM}entry"))
    assert first.find(f"{ATOM}link").get("href") == "../news/2026-10-16-aiguo-jiaoyu/"  # beside feeds/index.html


def test_site_url_makes_links_absolute(sample):
    files = feeds(sample, "committee", site_url="http://dangjian.intranet/")
    cal = icalendar.Calendar.from_ical(files["feeds/calendar.ics"])
    urls = {str(e["URL"]) for e in cal.walk("VEVENT") if "URL" in e}
    assert "http://dangjian.intranet/regulations/review/" in urls
    assert "http://dangjian.intranet/activities/2026-11/#2026-11-zhiweihui" in urls


@pytest.mark.slow
def test_built_site_links_feeds_and_todo(tmp_path, run_dangjian):
    root = copy_sample(tmp_path / "p")
    done = run_dangjian("build", root, "--audience", "committee", "--as-of", AS_OF.isoformat(), "-o", tmp_path / "site")
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="feeds/">订阅到 Outlook / 手机日历</a>' in home
    page = (site / "feeds" / "index.html").read_text(encoding="utf-8")
    assert 'href="calendar.ics"' in page and (site / "feeds" / "calendar.ics").is_file()
    events(( site / "feeds" / "calendar.ics").read_bytes())
    todo = (site / "todo" / "index.html").read_text(encoding="utf-8")
    assert "宋子轩同志预备期满，讨论按期转正" in todo
    assert "制度复审：宣传报道“广而告之”制度" in todo
    assert 'href="../regulations/review/"' in todo and (site / "regulations" / "review" / "index.html").is_file()
    public = run_dangjian("build", root, "--as-of", AS_OF.isoformat(), "-o", tmp_path / "public")
    assert public.returncode == 0, public.stderr
    assert not (tmp_path / "public" / "todo").exists()
    assert (tmp_path / "public" / "feeds" / "calendar.ics").is_file()
    # every page's head links the Atom feeds of its own build: a feed reader offers the audience's feeds
    for built_site in (site, tmp_path / "public"):
        assert head_feeds(built_site) == {"支部动态": "feeds/activities.xml", "宣传报道": "feeds/news.xml"}
    # and the links are all that changed: the same build without them is the same site, byte for byte
    main = root / "theme" / "main.html"
    text = main.read_text(encoding="utf-8")
    block = re.search(r"\{% block extrahead %\}.*?\{% endblock %\}", text, re.S)
    assert block is not None
    main.write_text(text.replace(block.group(0), ""), encoding="utf-8")
    bare = run_dangjian("build", root, "--audience", "committee", "--as-of", AS_OF.isoformat(), "-o", tmp_path / "bare")
    assert bare.returncode == 0, bare.stderr
    assert without_feed_links(site) == without_feed_links(tmp_path / "bare")


# "alternate" is the token feed readers look for; not the whole value, which mkdocs-material's script
# takes for a language version of the site (it then fetches a sitemap.xml beside the feed: a 404)
def without_feed_links(site: Path) -> dict[str, bytes]:
    """Every file's bytes, the pages' feed links taken out (the big screen's version file is a hash of them all)."""
    return {p.relative_to(site).as_posix(): FEED_LINK.sub("", p.read_text(encoding="utf-8")).encode()
            if p.suffix == ".html" else p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).as_posix() != "screen/version.json"}
