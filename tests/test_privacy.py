"""Publishing safely (issue 5): no private value and no record above the audience in any output byte.

Canary values, unique strings that occur nowhere else, are planted in every private
field of every member and in every dues amount of a copy of the sample; the copy is
built for each audience and every output file (HTML, JSON, XML, SVG, the gzip'd
sitemap, the search index) is searched for them with `generator.privacy.scan_output`.
Records with audience party and committee carry unique marker titles: a build holds
exactly the markers its audience may see. The public site shows the honor roll (top N),
never a full ranking.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import AS_OF, REPO, cli_command, copy_sample, inherited_env, run_cli, tree_digest

from generator.load.validate import load_project
from generator.model.spec import AUDIENCES
from generator.tools.privacy import number_forms, private_values, scan_output

EPOCH = "1790000000"
TAG = "7f3a"  # makes every canary unique to this test
PRIVATE_FIELDS = ("phone", "id_number", "address", "dues_base", "review_grade", "discipline")
pytestmark = pytest.mark.slow


# -- planting ------------------------------------------------------------------------



def plant_private(root: Path) -> dict[str, list[str]]:
    """Replace every private field of every member and every dues amount by a canary.

    Returns the planted values by field ("amount" for dues), as they are written.
    """
    path = root / "data/members.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    private_key = re.compile(rf"^\s+({'|'.join(PRIVATE_FIELDS)}):")
    planted: dict[str, list[str]] = {f: [] for f in PRIVATE_FIELDS + ("amount",)}
    out: list[str] = []
    for line in lines:
        if private_key.match(line):
            continue
        out.append(line)
        m = re.match(r"^- id: (\S+)\s*$", line)
        if m:
            mid, n = m.group(1), len(planted["phone"])
            values = {
                "phone": f"CANARY-PHONE-{TAG}-{mid}",
                "id_number": f"CANARY-IDNO-{TAG}-{mid}",
                # Chinese text: the search index escapes it and jieba splits it into words.
                "address": f"金桂路隐私地址{mid}号CANARYADDR{TAG}",
                "dues_base": f"{98700 + n}.43",
                "review_grade": f"CANARY-GRADE-{TAG}-{mid}",
                "discipline": f"2026年3月 CANARY-DISCIPLINE-{TAG}-{mid} 诫勉谈话隐私内容{mid}",
            }
            for key, value in values.items():
                planted[key].append(value)
                out.append(f"  {key}: {json.dumps(value, ensure_ascii=False) if key != 'dues_base' else value}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert len(planted["phone"]) >= 20, "the sample roster was not recognised"

    counter = iter(range(100000))
    for dues in sorted((root / "data/dues").glob("*.yml")):
        def amount(m):
            value = f"{43200 + next(counter)}.77"
            planted["amount"].append(value)
            return f"{m.group(1)}{value}"
        text = re.sub(r"^(\s+amount:\s*)\S+", amount, dues.read_text(encoding="utf-8"), flags=re.M)
        dues.write_text(text, encoding="utf-8")
    assert len(planted["amount"]) >= 100, "the sample dues files were not recognised"
    return planted


# Records above the public audience, each with a unique marker in its title and body.
def marker(kind: str, audience: str) -> str:
    return f"AUDMARK-{kind}-{audience}-{TAG}"


MARKED_KINDS = ("activity", "news", "regulation", "duty")


def plant_audience_markers(root: Path) -> None:
    with (root / "data/activities/2026-11.yml").open("a", encoding="utf-8") as f:
        for audience in ("party", "committee"):
            f.write(f"""
- id: audmark-{audience}
  type: 支委会
  date: 2026-11-12
  title: {marker('activity', audience)}
  host: m01
  attendees: [m01, m02]
  summary: 纪要 {marker('activity', audience)}-summary
  reflections:
    - member: m02
      text: 感悟 {marker('activity', audience)}-reflection
  audience: {audience}
""")
    for audience in ("party", "committee"):
        (root / f"data/news/2026-11-18-audmark-{audience}.md").write_text(
            f"---\ntitle: {marker('news', audience)}\ndate: 2026-11-18\naudience: {audience}\n---\n\n"
            f"正文 {marker('news', audience)}-body\n", encoding="utf-8")
        (root / f"data/regulations/audmark-{audience}.md").write_text(
            f"---\nnumber: AUD-{audience}\ntitle: {marker('regulation', audience)}\nversion: v1\n"
            f"effective: 2026-01-01\naudience: {audience}\n---\n\n正文 {marker('regulation', audience)}-body\n",
            encoding="utf-8")
    duties = (root / "data/duties.yml").read_text(encoding="utf-8")
    items = "".join(f"""
  - id: audmark-{audience}
    what: {marker('duty', audience)}
    who: [m01]
    when: 2026-12-31
    how: 做法 {marker('duty', audience)}-how
    status: 进行中
    audience: {audience}
""" for audience in ("party", "committee"))
    assert re.search(r"^items:\s*$", duties, re.M), "data/duties.yml has no items list"
    duties = re.sub(r"^items:\s*$", "items:" + items.rstrip("\n"), duties, count=1, flags=re.M)
    (root / "data/duties.yml").write_text(duties, encoding="utf-8")


# -- building --------------------------------------------------------------------------

def start_build(root: Path, out: Path, audience: str) -> subprocess.Popen:
    return subprocess.Popen(
        cli_command("build", root, "-o", out, "--as-of", AS_OF, "--audience", audience),
        cwd=REPO, env=inherited_env(SOURCE_DATE_EPOCH=EPOCH), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> None:
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr or stdout


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict:
    """All builds of this module, run side by side: the canary project for every audience
    (party twice, for reproducibility) and the unmodified sample for the public."""
    base = tmp_path_factory.mktemp("privacy")
    canary = copy_sample(base / "canary")
    planted = plant_private(canary)
    plant_audience_markers(canary)
    plain = copy_sample(base / "plain")
    jobs = {a: (canary, base / f"site-{a}", a) for a in AUDIENCES}
    jobs["party-again"] = (canary, base / "site-party-again", "party")
    jobs["plain-public"] = (plain, base / "site-plain-public", "public")
    procs = {name: start_build(*job) for name, job in jobs.items()}
    for proc in procs.values():
        finish(proc)
    return {"canary": canary, "planted": planted, **{name: job[1] for name, job in jobs.items()}}


def canary_needles(planted: dict[str, list[str]]) -> set[str]:
    needles = {v for values in planted.values() for v in values}
    # The numbers in every form they could be printed in (98701.43, 98,701.43 …).
    return needles | {f for v in planted["dues_base"] + planted["amount"] for f in number_forms(float(v))}


MARKERS = {marker(k, a) for k in MARKED_KINDS for a in ("party", "committee")}
MARKER_PARTS = {f"{m}-{part}" for m in MARKERS for part in ("summary", "reflection", "body", "how")}


@pytest.fixture(scope="module")
def found(sites) -> dict[str, list[tuple[str, str]]]:
    """One scan of each canary build for every canary and marker: (file, needle) pairs."""
    needles = canary_needles(sites["planted"]) | MARKERS | MARKER_PARTS
    return {a: scan_output(sites[a], needles) for a in AUDIENCES}


# -- private fields ------------------------------------------------------------------------

def test_planted_canaries_reach_the_model(sites):
    """Without this the absence of the canaries from the site would prove nothing."""
    loaded = load_project(sites["canary"])
    assert loaded.ok, loaded.problems
    values = private_values(loaded.project)
    for field, planted in sites["planted"].items():
        missing = [v for v in planted if v not in values]
        assert not missing, f"{field}: {missing[:3]} not among the private values"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_private_value_in_any_output_byte(sites, found, audience):
    files = [p for p in sites[audience].rglob("*") if p.is_file()]
    assert any(p.name == "search_index.json" for p in files) and any(p.name.endswith(".gz") for p in files)
    needles = canary_needles(sites["planted"])
    leaks = [(f, n) for f, n in found[audience] if n in needles]
    assert not leaks, f"{len(leaks)} private values in the {audience} build, e.g. {leaks[:5]}"


def test_scan_reads_what_a_reader_could_read(tmp_path):
    """scan_output finds a value however the output happens to encode it."""
    (tmp_path / "a.html").write_text("<p>&#37329;&#26690;路 and CANARY&amp;X</p>", encoding="utf-8")
    (tmp_path / "search_index.json").write_text(json.dumps({"docs": [{"text": "金桂\u200b路隐私"}]}), encoding="ascii")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>x/CANARY-GZ/</loc>"))
    (tmp_path / "u.html").write_text('<a href="/p/%E9%87%91%E6%A1%82%E5%B1%B1">x</a>', encoding="utf-8")
    (tmp_path / "n.svg").write_text("<svg><text>198765.431 98765.43</text></svg>", encoding="utf-8")
    (tmp_path / "m.js").write_text("x=98765.430;y=1.98765;", encoding="utf-8")
    found = scan_output(tmp_path, {"金桂路", "CANARY&X", "金桂路隐私", "CANARY-GZ", "金桂山", "98765.43", "8765.4"})
    assert found == [
        ("a.html", "CANARY&X"), ("a.html", "金桂路"), ("m.js", "98765.43"), ("n.svg", "98765.43"),
        ("search_index.json", "金桂路隐私"), ("sitemap.xml.gz", "CANARY-GZ"), ("u.html", "金桂山"),
    ]


def test_private_values_cover_every_private_field():
    """A private field added to the spec must be a field of MemberPrivate, which is scanned."""
    from generator.model import spec
    from generator.model.records import MemberPrivate

    declared = {f.key for f in spec.MEMBER.fields if f.private}
    assert declared == set(MemberPrivate.__dataclass_fields__)
    assert {f.key for f in spec.PAYMENT.fields if f.private} == {"amount"}


# -- audiences -------------------------------------------------------------------------------

def marker_hits(found: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """(kind, audience) of every marker found anywhere in a site."""
    names = {needle for _, needle in found}
    return {(k, a) for k in MARKED_KINDS for a in ("party", "committee") if marker(k, a) in names}


def above(build: str, record: str) -> bool:
    return AUDIENCES.index(record) > AUDIENCES.index(build)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_build_contains_nothing_above_its_audience(found, audience):
    leaked = sorted((k, a) for k, a in marker_hits(found[audience]) if above(audience, a))
    assert not leaked, f"the {audience} build contains records meant for {leaked}"
    # The bodies too (summary, reflection, news and regulation text).
    bodies = [(f, n) for f, n in found[audience] if n in MARKER_PARTS and above(audience, n.split("-")[2])]
    assert not bodies, f"the {audience} build contains text meant for others: {bodies[:5]}"


@pytest.mark.parametrize("audience", ["party", "committee"])
@pytest.mark.parametrize("kind", MARKED_KINDS)
def test_a_build_shows_the_records_of_its_audience(found, audience, kind):
    hits = marker_hits(found[audience])
    expected = {(kind, a) for a in ("party", "committee") if not above(audience, a)}
    assert expected <= hits, f"the {audience} build misses {sorted(expected - hits)}"


def test_same_data_same_epoch_same_party_site(sites):
    first, second = tree_digest(sites["party"]), tree_digest(sites["party-again"])
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


# -- honor roll, not a ranking ------------------------------------------------------------------

BLOCKS = ("tr", "li", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd", "caption", "figcaption")


class _Rows(HTMLParser):
    """The text of every block (table row, list item, paragraph, heading …) of a page, its
    whole text, and the rows of every honor table."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[str] = []
        self.honor_rows: list[list[str]] = []
        self._stack: list[list[str]] = []
        self._cells: list[str] | None = None
        self._in_honor = 0
        self._cell_text: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._stack.append([])
        if tag == "table" and "dj-honor" in (dict(attrs).get("class") or ""):
            self._in_honor += 1
        if tag == "tr" and self._in_honor:
            self._cells = []
        if tag == "td" and self._cells is not None:
            self._cell_text = []

    def handle_endtag(self, tag):
        if tag in BLOCKS and self._stack:
            self.rows.append(" ".join("".join(self._stack.pop()).split()))
        if tag == "td" and self._cell_text is not None:
            self._cells.append("".join(self._cell_text).strip())
            self._cell_text = None
        if tag == "tr" and self._cells is not None:
            if self._cells:
                self.honor_rows.append(self._cells)
            self._cells = None
        if tag == "table" and self._in_honor:
            self._in_honor -= 1

    def handle_data(self, data):
        self.text.append(data)
        for part in self._stack:
            part.append(data)
        if self._cell_text is not None:
            self._cell_text.append(data)


def parse_rows(path: Path) -> _Rows:
    parser = _Rows()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def scores_of(period: str) -> list[dict]:
    result = run_cli("scores", REPO, "--period", period, "--json", "--as-of", AS_OF, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["members"]


def score_texts(total: float) -> set[str]:
    return {f"{total:.1f}", f"{total:.2f}"}


@pytest.fixture(scope="module")
def public_rows(sites) -> dict[str, _Rows]:
    site = sites["plain-public"]
    return {p.relative_to(site).as_posix(): parse_rows(p) for p in sorted(site.rglob("*.html"))}


def test_public_home_shows_the_honor_roll_top_n(public_rows):
    size = int(re.search(r"^honor_roll_size:\s*(\d+)", (REPO / "data/branch.yml").read_text(encoding="utf-8"), re.M).group(1))
    month = sorted((m for m in scores_of("2026-11") if m["rank"]), key=lambda m: m["rank"])
    home = public_rows["index.html"]
    assert home.honor_rows, "no honor roll on the public home page"
    top = month[0]
    assert any(top["name"] in row and f"{top['total']:.1f}" in row for row in home.rows), \
        f"the month's first place {top['name']} is not on the public home page with the score"
    for page, rows in public_rows.items():
        for cells in rows.honor_rows:
            if cells[0].isdigit():
                assert int(cells[0]) <= size, f"{page}: an honor roll row ranked {cells[0]} (top {size} only)"


@pytest.mark.parametrize("period", ["2026-11", "2026-Q4", "2026"])
def test_no_public_page_shows_a_score_outside_the_honor_roll(public_rows, period):
    """Nobody below the top N, least of all the lowest-scoring member, is shown with a score
    on a public page: not in a table row, list item, paragraph or heading beside the name,
    nor anywhere on a page that names them (two decimals)."""
    size = int(re.search(r"^honor_roll_size:\s*(\d+)", (REPO / "data/branch.yml").read_text(encoding="utf-8"), re.M).group(1))
    members = scores_of(period)
    lowest = min(members, key=lambda m: m["total"])
    outside = [m for m in members if not m["rank"] or m["rank"] > size]
    assert lowest in outside and len(outside) >= len(members) - size
    seen = set()
    # a past period's page shows that period's roll: a score there is of that period, not this one
    pages = {page: rows for page, rows in public_rows.items()
             if not re.match(r"honor-roll/[^/]+/index\.html$", page) or page == f"honor-roll/{period.lower()}/index.html"}
    for who in sorted(outside, key=lambda m: m["total"]):
        texts = score_texts(who["total"])
        for page, rows in pages.items():
            for row in rows.rows:
                if who["name"] in row:
                    seen.add(who["id"])
                    shown = [t for t in texts if t in row]
                    assert not shown, f"{page}: {who['name']} shown with {shown} ({period}): {row[:120]}"
            text = " ".join(rows.text)
            if who["name"] in text:
                assert f"{who['total']:.2f}" not in text, f"{page}: {who['name']} and the score {who['total']:.2f}"
    assert lowest["id"] in seen or len(seen) > len(outside) // 2, "the names are on no public page: the test would prove nothing"
