"""An auditor recomputes every score from what the site publishes (issue 31).

The evaluation page states the rules: the judgment matrices, each indicator's monthly
standard, which records earn which indicator and how many points, and the 计分办法. This
test reads those off the built page, reads the raw records in data/ with a plain YAML
reader, applies the rules as the page words them, and must arrive at every member's total
and rank in every month, quarter and year that `dangjian scores` reports. It imports
nothing from `generator`: a rule the code applies and the page does not state shows up
here as a difference.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml
from support import MONTH_END_DATE as AS_OF
from support import REPO, run_cli

PERIODS = (["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
           + ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2025", "2026"])
FOUR_ONES = ("一堂微课", "一次主办", "一次领学", "一句心得")


def dangjian(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=REPO, timeout=600)


def cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def tables(page: str, css: str) -> list[tuple[str, list[list[str]]]]:
    """(the heading before it, rows of cell texts) of each table with class `css`."""
    out = []
    for m in re.finditer(rf'<h2[^>]*>([^<]*)</h2>(?:(?!<h2).)*?<table[^>]*class="[^"]*\b{css}\b[^"]*"[^>]*>(.*?)</table>',
                         page, re.S):
        out.append((m.group(1).strip(), [cells(r) for r in re.findall(r"<tr>(.*?)</tr>", m.group(2), re.S)]))
    return out


def principal_weights(rows: list[list[str]]) -> list[float]:
    """The normalised principal eigenvector of a matrix written as the page writes it ("1/2")."""
    a = np.array([[float(Fraction(x)) for x in row] for row in rows])
    values, vectors = np.linalg.eig(a)
    v = np.abs(np.real(vectors[:, np.argmax(np.real(values))]))
    return list(v / v.sum())


# -- what the page publishes ---------------------------------------------------------

def published(page: str) -> dict:
    text = re.sub(r"<[^>]+>", "", page)
    assert "主特征向量" in text  # the method the weights are computed by
    indicator_rows = next(rows for head, rows in tables(page, "dj-table") if "全局权重" in head)[1:]
    code_of = {r[1]: r[0] for r in indicator_rows}
    caps = {r[0]: float(r[5].split()[0]) for r in indicator_rows}
    matrices = tables(page, "dj-matrix")
    (_, top), *dims = matrices
    dim_names, dim_weights = top[0][1:-1], principal_weights([r[1:-1] for r in top[1:]])
    weights = {}
    for (_, rows), dw in zip(dims, dim_weights):
        labels = rows[0][1:-1]
        for name, lw in zip(labels, principal_weights([r[1:-1] for r in rows[1:]])):
            weights[code_of[name]] = dw * lw
    assert [h for h, _ in dims] == [f"{n}的指标" for n in dim_names]
    rules = [{"record": r[0], "source": r[1], "indicator": r[2].split()[0], "points": float(r[3])}
             for r in next(rows for head, rows in tables(page, "dj-earn"))[1:]]
    since = re.search(r"但 (\d{4}) 年 (\d{1,2}) 月（支部开始在这里记录）之前的月份不算", text)
    size = int(re.search(r"每期公布名次在前 (\d+) 名且总分高于 0 的党员", text).group(1))
    # the 计分办法 as published: each of these sentences is a rule applied below
    for rule in ("只计在本支部期间的记录", "每一期都全额扣除", "扣后总分最低为 0", "总分四舍五入到 0.01 分后相同的并列",
                 "处分所在年度的各期（月、季、年）都不进入金榜题名，也不排名", "本期结束前转出的党员照常计分，但不排名",
                 "同一条记录只按第一条适用的规则计分", "同一党员同一天同一指标由几条记录得分时只计一次"):
        assert rule in text, rule
    return {"weights": weights, "caps": caps, "rules": rules, "size": size,
            "since": dt.date(int(since.group(1)), int(since.group(2)), 1) if since else None}


# -- the raw records -------------------------------------------------------------------

def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def facts(rule: dict, data: Path, claimed: set) -> list[tuple[str, dt.date]]:
    """(member, day) of each record the published rule names."""
    record, source = rule["record"], rule["source"]
    only = re.search(r"限([^，]+)", source)
    kinds = only.group(1).split("、") if only else None
    out = []
    if record.startswith("出席"):
        for f in sorted((data / "activities").glob("*.yml")):
            out += [(m, a["date"]) for a in load(f) or [] if a["type"] == record[2:] for m in a.get("attendees", [])]
    elif record in ("领学", "主讲", "主办"):
        role = re.search(r"（(\w+)）", source).group(1)
        for f in sorted((data / "activities").glob("*.yml")):
            for k, a in enumerate(load(f) or []):
                if a.get(role) and (kinds is None or a["type"] in kinds) and (record, f.name, k) not in claimed:
                    claimed.add((record, f.name, k))
                    out.append((a[role], a["date"]))
    elif record == "宣传报道":
        out = [(n["author"], n["date"]) for f in sorted((data / "news").glob("*.md")) if (n := front_matter(f)).get("author")]
    elif record == "金点子":
        out = [(i["member"], i.get("date", p["opened"])) for t in load(data / "teams.yml") for p in t.get("problems", [])
               for i in p.get("ideas", [])]
    elif record == "按时交纳党费":
        by_day = re.search(r"每月 (\d+) 日（含）之前", source)
        for f in sorted((data / "dues").glob("*.yml")):
            year, month = int(f.stem[:4]), int(f.stem[5:])
            last = dt.date(year, month, int(by_day.group(1))) if by_day else (
                dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            for p in load(f)["payments"]:
                day = dt.datetime.strptime(str(p["paid_at"]), "%Y-%m-%d %H:%M").date()
                if dt.date(year, month, 1) <= day <= last:
                    out.append((p["member"], day))
    elif record == "按期完成责任":
        out = [(m, d["done"]) for d in load(data / "duties.yml")["items"]
               if d["status"] == "已完成" and d["done"] <= d["when"] for m in d["who"]]
    else:
        assert record in FOUR_ONES, record
        for f in sorted((data / "four-ones").glob("*.yml")):
            out += [(x["member"], x["date"]) for x in load(f) or [] if x["item"] == record]
    return out


def entries(rules: list[dict], data: Path) -> list[tuple[str, str, float, dt.date]]:
    """(member, indicator or 扣分, points, day): the records by the published rules, then the ledger."""
    out, claimed, once = [], set(), set()
    for rule in rules:
        for member, day in facts(rule, data, claimed):
            if not rule["record"].startswith("出席"):
                if (member, rule["indicator"], day) in once:
                    continue
                once.add((member, rule["indicator"], day))
            out.append((member, rule["indicator"], rule["points"], day))
    for f in sorted((data / "points").glob("*.yml")):
        out += [(p["member"], p["indicator"], float(p["points"]), p["date"]) for p in load(f) or []]
    return [e for e in out if e[3] <= AS_OF]


def bounds(key: str) -> tuple[dt.date, dt.date]:
    year = int(key[:4])
    if "-Q" in key:
        q = int(key[-1])
        first, last_month = dt.date(year, 3 * q - 2, 1), 3 * q
    elif "-" in key:
        first, last_month = dt.date(year, int(key[5:]), 1), int(key[5:])
    else:
        first, last_month = dt.date(year, 1, 1), 12
    return first, dt.date(year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)


def recompute(rules: dict, members: list[dict], log: list, key: str) -> dict[str, tuple[float, int | None]]:
    start, end = bounds(key)
    out = {}
    present = []
    for m in members:
        arrived = m.get("transferred_in") or m["joined"]
        left = m.get("left") if m.get("left") and m["left"] <= AS_OF else None
        if arrived > end or (left and left < start) or arrived > AS_OF:
            continue
        first = max(arrived, start, rules["since"] or start)
        last = min(left or end, end)
        months = max((last.year - first.year) * 12 + last.month - first.month + 1, 1)
        raw, deduction = defaultdict(float), 0.0
        for who, code, points, day in log:
            if who == m["id"] and start <= day <= end and arrived <= day <= (left or dt.date.max):
                if code == "扣分":
                    deduction += points
                else:
                    raw[code] += points
        ahp = 100 * sum(w * min(raw[c] / (rules["caps"][c] * months), 1.0) for c, w in rules["weights"].items())
        total = max(ahp - deduction, 0.0)
        years = {int(y) for y, mo in re.findall(r"(\d{4})年(\d{1,2})月", m.get("discipline") or "")
                 if dt.date(int(y), int(mo), 1) <= AS_OF}
        ranked = start.year not in years and not (left and left < end)
        present.append((m["id"], total, ranked))
    for member, total, ranked in present:
        higher = sum(1 for _, t, r in present if r and round(t, 2) > round(total, 2))
        out[member] = (total, higher + 1 if ranked else None)
    return out


@pytest.mark.slow
def test_every_period_s_scores_follow_from_the_published_rules_and_the_raw_records(tmp_path):
    built = dangjian("build", ".", "-o", str(tmp_path / "site"), "--as-of", str(AS_OF), "--jobs", "1")
    assert built.returncode == 0, built.stderr
    rules = published((tmp_path / "site/evaluation/index.html").read_text(encoding="utf-8"))
    data = REPO / "data"
    log = entries(rules["rules"], data)
    members = load(data / "members.yml")
    for key in PERIODS:
        done = dangjian("scores", ".", "--period", key, "--json", "--as-of", str(AS_OF))
        assert done.returncode == 0, done.stderr
        site = {m["id"]: (m["total"], m["rank"]) for m in json.loads(done.stdout)["members"]}
        mine = recompute(rules, members, log, key)
        assert mine.keys() == site.keys(), key
        for member, (total, rank) in site.items():
            assert (round(mine[member][0], 6), mine[member][1]) == (round(total, 6), rank), (key, member)
