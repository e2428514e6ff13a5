"""The seven practices (七个一): figures computed from the sample branch, and the pages a user reads.

Each section has at least one figure that moves when a record changes, so a test
fails if the computation stops reading the records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from support import AS_OF_DATE as AS_OF
from support import REPO

from generator.compute import dates, practices
from generator.compute.branch import compute_branch
from generator.load.validate import load_project
from generator.model.records import Activity, Payment
from generator.model.scope import scope_branch
from generator.pages.figures import practice_figures
from generator.pages.practices import member_radar_paths, practice_pages, regulations_context
from generator.site.render import make_env, render_page


@pytest.fixture(scope="module")
def branch():
    loaded = load_project(REPO)
    assert loaded.ok, loaded.problems
    return loaded.project.branches[0]


@pytest.fixture(scope="module")
def computed(branch):
    return compute_branch(branch, AS_OF)


@pytest.fixture(scope="module")
def env():
    return make_env(REPO)


def rendered(env, branch, computed, audience: str, as_of: dt.date = AS_OF) -> dict[str, str]:
    """path -> the page's HTML, for the branch as `audience` sees it on `as_of` (`computed` is unused)."""
    out = {}
    scoped = scope_branch(branch, audience, as_of)
    for spec in practice_pages(scoped, compute_branch(scoped, as_of), audience):
        html = render_page(env, spec)
        out[spec.path] = html
    return out


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def with_(branch, **changes):
    return dataclasses.replace(branch, **changes)


# -- helpers ---------------------------------------------------------------------------

def test_add_months_keeps_the_day_or_the_month_end():
    assert practices.add_months(dt.date(2025, 6, 20), 12) == dt.date(2026, 6, 20)
    assert practices.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert practices.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert practices.add_months(dt.date(2026, 3, 15), -12) == dt.date(2025, 3, 15)


# -- 一组特色制度 ------------------------------------------------------------------------

def test_review_dates_and_the_overdue_regulation(branch):
    reviews = {r.number: r for r in practices.regulation_reviews(scope_branch(branch, "public", AS_OF), AS_OF)}
    # 广而告之: last reviewed 2025-06-20 every 12 months -> due 2026-06-20, overdue on 2026-11-20
    assert reviews["JG1-ZD-02"].next_review == dt.date(2026, 6, 20)
    assert reviews["JG1-ZD-02"].overdue
    # 金榜题名 is reviewed every 6 months: 2026-07-10 -> 2027-01-10, due within 60 days
    assert reviews["JG1-ZD-04"].next_review == dt.date(2027, 1, 10)
    assert not reviews["JG1-ZD-04"].overdue and reviews["JG1-ZD-04"].due_soon
    assert [r.number for r in reviews.values() if r.overdue] == ["JG1-ZD-02"]


def test_a_new_review_clears_the_overdue_flag_and_the_default_period_is_12_months(branch):
    regs = []
    for d in branch.regulations:
        meta = dict(d.meta)
        if meta["number"] == "JG1-ZD-02":
            meta["last_review"] = dt.date(2026, 10, 1)
            meta.pop("review_months")
        regs.append(dataclasses.replace(d, meta=tuple(sorted(meta.items()))))
    changed = with_(branch, regulations=tuple(regs))
    review = next(r for r in practices.regulation_reviews(scope_branch(changed, "public", AS_OF), AS_OF) if r.number == "JG1-ZD-02")
    assert review.next_review == dt.date(2027, 10, 1) and not review.overdue
    figure = next(f for f in practice_figures(compute_branch(scope_branch(changed, "public", AS_OF), AS_OF)) if f.key == "regulations")
    assert figure.status != "bad"


def test_execution_evaluation_counts_the_records(branch):
    ev = practices.execution_evaluation(scope_branch(branch, "public", AS_OF), AS_OF)
    assert ev.year == 2026
    theme_days = [a for a in branch.activities if a.type == "主题党日" and a.date.year == 2026 and a.audience == "public"]
    assert ev.wuyou.total == len(theme_days) == 11
    assert ev.wuyou.done == sum(dates.wuyou_complete(a) for a in theme_days) == 8
    assert {s.missing for s in ev.wuyou_shortfalls} == {("有感悟",), ("有评价",), ("有保障",)}
    assert (ev.first_topic.done, ev.first_topic.total) == (9, 11)
    assert ev.news.total == branch.news_plan == 12
    assert ev.ledger.value == 1.0


def test_execution_evaluation_moves_with_the_records(branch):
    fixed = tuple(
        dataclasses.replace(a, wuyou=tuple((k, True) for k, _ in a.wuyou)) if a.type == "主题党日" and a.wuyou else a
        for a in branch.activities
    )
    ev = practices.execution_evaluation(scope_branch(with_(branch, activities=fixed), "public", AS_OF), AS_OF)
    assert ev.wuyou.done == ev.wuyou.total and not ev.wuyou_shortfalls
    no_march = tuple(p for p in branch.points if not (p.date.year == 2026 and p.date.month == 3))
    ev = practices.execution_evaluation(scope_branch(with_(branch, points=no_march), "public", AS_OF), AS_OF)
    assert ev.ledger_missing == ("2026-03",) and ev.ledger.done == ev.ledger.total - 1


def test_the_public_build_counts_public_records_only(branch):
    party_news = [d for d in branch.news if d.audience == "party" and d.date.year == 2026]
    assert party_news, "the sample should have a party-only article"
    public = practices.execution_evaluation(scope_branch(branch, "public", AS_OF), AS_OF).news.done
    party = practices.execution_evaluation(scope_branch(branch, "party", AS_OF), AS_OF).news.done
    assert party == public + len(party_news)


def test_regulation_review_page(env, branch, computed):
    page = text(rendered(env, branch, computed, "public")["regulations/review.md"])
    assert "逾期 153 天" in page  # 2026-06-20 -> 2026-11-20
    assert "主题党日五有齐全" in page and "8 / 11 次" in page
    assert "缺有保障" in page and "缺第一议题" in page
    ctx = regulations_context(compute_branch(scope_branch(branch, "public", AS_OF), AS_OF))
    assert ctx["overdue"] == 1


def test_the_execution_evaluation_names_the_branch_s_own_regulations(branch):
    """Each check names the regulations whose `measures:` list it: no sample regulation is built in."""
    def own(doc, title, measures):
        meta = tuple((k, measures if k == "measures" else v) for k, v in doc.meta)
        return dataclasses.replace(doc, title=title, meta=meta)

    renamed = tuple(own(d, f"本支部第 {k + 1} 号制度", ["五有", "积分台账"] if k == 0 else [])
                    for k, d in enumerate(branch.regulations))
    ctx = regulations_context(compute_branch(scope_branch(with_(branch, regulations=renamed), "public", AS_OF), AS_OF))
    assert [(row["key"], row["rule"]) for row in ctx["evaluation"]["rows"]] == [
        ("wuyou", "《本支部第 1 号制度》"), ("first_topic", "（未指定制度）"), ("news", "（未指定制度）"),
        ("ledger", "《本支部第 1 号制度》")]
    sample = regulations_context(compute_branch(scope_branch(branch, "public", AS_OF), AS_OF))
    assert [row["rule"] for row in sample["evaluation"]["rows"]] == [
        "《主题党日“五有”制度》", "《政治学习制度》", "《宣传报道“广而告之”制度》", "《党员积分“金榜题名”管理制度》"]


def test_no_month_before_since_is_missing_its_ledger(branch):
    started = with_(branch, since=dt.date(2026, 9, 1), points=tuple(p for p in branch.points if p.date.month >= 9))
    ev = practices.execution_evaluation(scope_branch(started, "public", AS_OF), AS_OF)
    assert ev.ledger_missing == () and (ev.ledger.done, ev.ledger.total) == (3, 3)


# -- 一个责任制 ----------------------------------------------------------------------------

def test_overdue_duties(branch):
    table = practices.duty_table(scope_branch(branch, "committee", AS_OF), AS_OF)
    overdue = {r.id for r in table.rows if r.overdue}
    assert overdue == {"zr-2026-07", "zr-2026-08"}  # due 09-30 and 10-31, still 进行中
    row = next(r for r in table.rows if r.id == "zr-2026-07")
    assert row.days_overdue == (AS_OF - dt.date(2026, 9, 30)).days
    assert next(r for r in table.rows if r.id == "zr-2026-04").done_late  # done 07-03, due 06-30


def test_completing_a_duty_removes_it_from_the_overdue_count(branch):
    before = practices.duty_table(scope_branch(branch, "committee", AS_OF), AS_OF).overdue
    duties = tuple(dataclasses.replace(d, status="已完成", done=dt.date(2026, 11, 10)) if d.id == "zr-2026-07" else d
                   for d in branch.duties)
    after = practices.duty_table(scope_branch(with_(branch, duties=duties), "committee", AS_OF), AS_OF)
    assert after.overdue == before - 1
    assert next(r for r in after.rows if r.id == "zr-2026-07").done_late


def test_duties_above_the_audience_are_not_shown(env, branch, computed):
    public = practices.duty_table(scope_branch(branch, "public", AS_OF), AS_OF)
    assert {r.id for r in public.rows} == {d.id for d in branch.duties if d.audience == "public"}
    page = text(rendered(env, branch, computed, "public")["duties/index.md"])
    hidden = next(d for d in branch.duties if d.audience == "party")
    assert hidden.what not in page
    party_page = text(rendered(env, branch, computed, "party")["duties/index.md"])
    assert hidden.what in party_page and "其中逾期 2 项" in party_page


def test_four_ones_matrix_shows_gaps_and_coverage(branch):
    matrix = practices.four_ones_matrix(branch, AS_OF)
    members = dates.current_members(branch, AS_OF)
    assert len(matrix.rows) == len(members)
    records = {(f.member, f.item) for f in branch.four_ones if f.date.year == 2026}
    filled = sum((m.id, item) in records for m in members for item in matrix.items)
    assert matrix.coverage == practices.Share(filled, 4 * len(members))
    gap = next((r, k) for r in matrix.rows for k, c in enumerate(r.cells) if c is None)
    row, k = gap
    added = dataclasses.replace(branch.four_ones[0], member=row.member, item=matrix.items[k],
                                date=dt.date(2026, 11, 1), title="补上的一项")
    more = practices.four_ones_matrix(with_(branch, four_ones=branch.four_ones + (added,)), AS_OF)
    assert more.coverage.done == matrix.coverage.done + 1


def test_four_ones_matrix_on_the_page(env, branch, computed):
    html = rendered(env, branch, computed, "public")["duties/index.md"]
    matrix = practices.four_ones_matrix(branch, AS_OF)
    gaps = sum(c is None for r in matrix.rows for c in r.cells)
    assert html.count('class="dj-p-cell-gap"') == gaps
    assert f"{matrix.coverage.done}/{matrix.coverage.total} 项" in text(html)
    assert "一岗双责" in html


# -- 一批攻坚团队 --------------------------------------------------------------------------

def test_team_board_columns(branch):
    board = practices.team_board(scope_branch(branch, "committee", AS_OF), AS_OF)
    assert [s for s, _ in board.columns] == ["待攻坚", "攻坚中", "已破解"]
    by_status = {s: {c.id for c in cards} for s, cards in board.columns}
    all_problems = {p.id: p.status for t in branch.teams for p in t.problems if p.opened <= AS_OF}
    for status, ids in by_status.items():
        assert ids == {pid for pid, s in all_problems.items() if s == status}


def test_solving_a_problem_moves_its_card(branch):
    team = branch.teams[0]
    problem = next(p for p in team.problems if p.status == "攻坚中")
    solved = dataclasses.replace(problem, status="已破解", solved=dt.date(2026, 11, 15))
    teams = (dataclasses.replace(team, problems=tuple(solved if p is problem else p for p in team.problems)),) + branch.teams[1:]
    before = practices.team_board(scope_branch(branch, "committee", AS_OF), AS_OF)
    after = practices.team_board(scope_branch(with_(branch, teams=teams), "committee", AS_OF), AS_OF)
    assert after.open_count == before.open_count - 1
    assert problem.id in {c.id for s, cards in after.columns if s == "已破解" for c in cards}
    solved = with_(branch, teams=teams)
    figure = next(f for f in practice_figures(compute_branch(scope_branch(solved, "committee", AS_OF), AS_OF)) if f.key == "teams")
    assert figure.value == f"{after.open_count} 项在攻"


def test_adopted_ideas_are_credited_to_their_authors(env, branch, computed):
    page = rendered(env, branch, computed, "committee")["teams/index.md"]
    names = {m.id: m.name for m in branch.members}
    adopted = [(i.member, i.text) for t in branch.teams for p in t.problems for i in p.ideas if i.adopted]
    assert adopted
    credits = text(page.split('id="金点子"')[1])
    for member, idea in adopted:
        assert idea in credits and names[member] in credits
    not_adopted = [i.text for t in branch.teams for p in t.problems for i in p.ideas if not i.adopted]
    assert not any(t in credits for t in not_adopted)
    # every card sits in the lane of its status
    lanes = page.split('class="dj-p-lane ')[1:]
    assert len(lanes) == 3
    for lane, status in zip(lanes, ("待攻坚", "攻坚中", "已破解")):
        for t in branch.teams:
            for p in t.problems:
                assert (f'id="{p.id}"' in lane) == (p.status == status)


# -- 一次政治生日 ----------------------------------------------------------------------------

def test_birthday_calendar_covers_the_next_12_months(branch):
    calendar = practices.birthday_calendar(branch, AS_OF)
    members = dates.current_members(branch, AS_OF)
    assert all(AS_OF <= b.date < dt.date(2027, 11, 20) for b in calendar)
    # everyone on the roll who joined before as_of's anniversary year has exactly one entry
    assert len({b.member for b in calendar}) == len(calendar) == sum(1 for m in members if m.joined.year < 2026 or
                                                                        dates.anniversary(m.joined, 2027) < dt.date(2027, 11, 20))
    first = calendar[0]
    assert (first.member, first.date, first.years) == ("m18", dt.date(2026, 11, 29), 7)
    assert first.held == "2026-11-shengri"  # the November ceremony already honoured m18


def test_ceremonies_are_checked_against_the_eight_steps(branch):
    checks = {c.id: c for c in practices.ceremony_checks(scope_branch(branch, "public", AS_OF))}
    assert set(checks["2026-08-shengri"].missing) == {"重读入党申请书", "定格珍贵瞬间"}
    assert checks["2026-04-shengri"].missing == ("歌唱我的祖国",)
    assert checks["2025-12-shengri"].complete
    # writing the missing step into the record completes it
    acts = tuple(dataclasses.replace(a, steps=a.steps + ("歌唱我的祖国",)) if a.id == "2026-04-shengri" else a
                 for a in branch.activities)
    fixed = {c.id: c for c in practices.ceremony_checks(scope_branch(with_(branch, activities=acts), "public", AS_OF))}
    assert fixed["2026-04-shengri"].complete


def test_birthday_page_shows_missing_steps(env, branch, computed):
    page = rendered(env, branch, computed, "public")["birthdays/index.md"]
    rows = [r for r in page.split("<tr") if "activities/2026-08/#2026-08-shengri" in r]
    assert len(rows) == 1
    missing = re.findall(r'dj-missing">([^<]+)<', rows[0])
    assert set(missing) == {"重读入党申请书", "定格珍贵瞬间"}
    assert rows[0].count("✗") == 2
    assert "入党 7 周年" in text(page)


# -- 一次零点行动 ------------------------------------------------------------------------------

def test_zero_hour_shares(branch):
    stats = {s.month: s for s in practices.dues_stats(scope_branch(branch, "public", AS_OF), AS_OF)}
    july = stats["2026-07"]
    assert july.zero_hour and july.expected == 23
    payments = next(d for d in branch.dues if d.month == "2026-07").payments
    start = dt.datetime(2026, 7, 1)
    minutes = [(p.paid_at - start).total_seconds() / 60 for p in payments]
    assert july.first_hour.done == sum(m < 60 for m in minutes)
    assert july.first_day.done == sum(m < 24 * 60 for m in minutes)
    assert july.first_minutes.done == sum(m < 5 for m in minutes)
    assert july.on_time.done == 23
    # a member transferred out on 2026-06-30 is expected in June, not in July
    assert stats["2026-06"].expected == 24


def test_a_late_payment_lowers_the_on_time_share(branch):
    month = next(d for d in branch.dues if d.month == "2026-10")
    late = (dataclasses.replace(month.payments[0], paid_at=dt.datetime(2026, 11, 3, 9, 0)),) + month.payments[1:]
    dues = tuple(dataclasses.replace(d, payments=late) if d is month else d for d in branch.dues)
    before = next(s for s in practices.dues_stats(scope_branch(branch, "public", AS_OF), AS_OF) if s.month == "2026-10")
    after = next(s for s in practices.dues_stats(scope_branch(with_(branch, dues=dues), "public", AS_OF), AS_OF) if s.month == "2026-10")
    assert after.on_time.done == before.on_time.done - 1
    assert after.payers == before.payers


def test_this_months_figure_counts_payments_up_to_the_build_date(branch):
    day = dt.date(2026, 11, 2)
    figure = next(f for f in practice_figures(compute_branch(scope_branch(branch, "public", day), day)) if f.key == "dues")
    paid = sum(1 for p in next(d for d in branch.dues if d.month == "2026-11").payments if p.paid_at.date() <= day)
    assert paid < 23
    assert figure.value == f"{paid / 23 * 100:.0f}%" and figure.status == "warn"


def test_dues_page_never_shows_amounts_or_people_in_public(env, branch, computed):
    public = rendered(env, branch, computed, "public")["dues/index.md"]
    party = rendered(env, branch, computed, "party")["dues/index.md"]
    names = [m.name for m in branch.members]
    assert not any(n in public for n in names), "the public dues page names a member"
    assert any(n in party for n in names)
    assert "党费收缴公示" in public and "零点行动" in public
    for page in (public, party):
        assert "金额" not in text(page).replace("不公布个人金额", "")
        assert "dues_base" not in page and "amount" not in page
        for spec_page in practice_pages(branch, computed, "committee"):
            for value in spec_page.context.values():
                assert not isinstance(value, (Payment, Activity))
    # party builds: payment time per member, on-time yes/no, only payments made
    assert "2026-07-01 00:00" in party and "是" in text(party)
    amounts = {str(int(p.amount)) for d in branch.dues for p in d.payments if p.amount}
    assert not any(re.search(rf"(?<![\d:-]){a}(?:\.0+)? ?元", text(party)) for a in amounts)


# -- home page figures -----------------------------------------------------------------------

def test_practice_figures(branch, computed):
    figures = {f.key: f for f in practice_figures(computed)}
    assert set(figures) == {"dues", "four_ones", "teams", "regulations"}
    assert figures["regulations"].status == "bad" and "JG1-ZD-02" in figures["regulations"].note
    assert figures["four_ones"].link == "duties/index.md" and figures["dues"].link == "dues/index.md"
    assert figures["teams"].link == "teams/index.md" and figures["regulations"].link == "regulations/review.md"
    assert all(f.status in ("ok", "warn", "bad", "info") for f in figures.values())
    matrix = practices.four_ones_matrix(branch, AS_OF)
    assert figures["four_ones"].value == f"{matrix.coverage.value * 100:.0f}%"


def test_page_links_point_to_pages_that_exist(env, branch, computed):
    from generator.pages.branch import build_pages

    for audience in ("public", "party"):
        scoped = scope_branch(branch, audience, AS_OF)
        figures = compute_branch(scoped, AS_OF)
        ours = practice_pages(scoped, figures, audience)
        paths = {p.path for p in build_pages(scoped, figures, audience)} | {p.path for p in ours}
        for spec in ours:
            html = render_page(env, spec)
            for href in re.findall(r'href="([^"#]+)"', html):
                if href.startswith(("http", "mailto")):
                    continue
                from posixpath import join, normpath
                base = spec.path[: -len("index.md")] if spec.path.endswith("index.md") else spec.path[:-3] + "/"
                target = normpath(join(base, href)).rstrip("/")
                assert f"{target}/index.md" in paths or f"{target}.md" in paths or target + ".md" in paths or \
                    (target == "." and "index.md" in paths), (spec.path, href)


def test_navigation_is_one_entry_per_section(branch, computed):
    specs = practice_pages(branch, computed, "public")
    navs = [s.nav for s in specs if s.nav]
    assert len(navs) == len(set(navs)) == 5
    assert all(s.path.endswith("index.md") for s in specs if s.nav)


def test_member_radars_only_for_member_builds(branch, computed):
    assert member_radar_paths(branch, computed, "public") == {}
    radars = member_radar_paths(branch, computed, "party")
    assert "m01" in radars and radars["m01"].path.startswith("assets/charts/")


def test_a_member_page_lists_that_members_own_activities_even_beside_a_namesake(branch, computed):
    from generator.pages.branch import build_pages

    first, second = branch.members[0], branch.members[1]
    twins = with_(branch, members=(first, dataclasses.replace(second, name=first.name)) + branch.members[2:])
    specs = {p.path: p for p in build_pages(twins, computed, "public")}
    for member in (first, second):
        shown = specs[f"members/{member.id}.md"].context["activities"]
        attended = [a for a in branch.activities if member.id in a.attendees and a.date <= AS_OF]
        assert shown and len(shown) == min(10, len(attended))
        assert all(member.id in a["attendee_ids"] for a in shown)
        assert [a["date"] for a in shown] == sorted((a["date"] for a in shown), reverse=True)


def test_before_since_no_anniversary_is_missed_and_the_four_ones_pace_starts_then(branch):
    """`since: 2026-11` (issue 31): m12's February anniversary was before the branch kept its records
    here, so it is no missed ceremony; the 四个一 pace counts from 1 November, not 1 January."""
    whole = practices.birthday_coverage(branch, AS_OF)
    assert whole.without == (("m12", dt.date(2026, 2, 26)),)
    late = with_(branch, since=dt.date(2026, 11, 1))
    coverage = practices.birthday_coverage(late, AS_OF)
    assert (coverage.share.done, coverage.share.total, coverage.without) == (1, 1, ())
    assert practices.four_ones_matrix(late, AS_OF).expected == pytest.approx(20 / 61)


def test_the_activity_chart_starts_with_the_branch_s_first_month(env, branch, computed):
    """`since: 2026-11` (issue 31): the chart of activities shows November and the current month, not ten
    empty months before the branch kept its records here, and its heading and description say so."""
    late = with_(branch, since=dt.date(2026, 11, 1))
    assert [m for m, _ in compute_branch(scope_branch(late, "public", AS_OF), AS_OF).activity_counts] == ["2026-11"]
    page = rendered(env, late, computed, "public")["practices/index.md"]
    assert "2026 年 11 月以来组织生活</h2>" in page and "近 12 个月" not in page
    assert re.search(r'alt="2026 年 11 月以来组织生活次数：2026-11 \d+ 次"', page)
    whole = rendered(env, branch, computed, "public")["practices/index.md"]
    assert "近 12 个月组织生活</h2>" in whole and 'alt="近 12 个月组织生活次数：2025-12 ' in whole
