"""Recognising the sheets branches already keep, for `dangjian import`.

A party system's export, a points ledger written in words, a month-per-column dues register or a
one-person 信息采集表 is turned into the plain table `importer` reads (one heading row, one record a
row), keeping for every cell the cell it came from, so that every message still names the cell the
user sees. Indicator words (参加主题党日, 志愿服务) are matched to the evaluation's indicators here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.load.fields import nearest
from generator.model.records import DEDUCTION, Evaluation, Indicator

# Words a ledger wraps around an indicator's own name: 参加主题党日 is 主题党日出勤.
_LEADING = ("参加", "参与", "出席", "完成", "开展", "提交", "撰写", "担任", "按时")
_TRAILING = ("出勤", "活动", "情况", "参与")
DEDUCTION_WORDS = re.compile(r"\s*(扣分|扣分项|扣减|减分)\s*")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _core(text: str) -> str:
    core = _plain(text)
    changed = True
    while changed:
        changed = False
        for word in _LEADING:
            if core.startswith(word) and len(core) > len(word) + 1:
                core, changed = core[len(word):], True
        for word in _TRAILING:
            if core.endswith(word) and len(core) > len(word) + 1:
                core, changed = core[: -len(word)], True
    return core


def _record_items(indicator: Indicator) -> list[str]:
    """`支委会、党员大会、党小组会、党课出勤` names four records; the last word belongs to each."""
    items = [i for i in re.split(r"[、，,；;/]", indicator.records) if i.strip()]
    return [re.sub(r"（.*?）|\(.*?\)", "", i).strip() for i in items]


def indicator_label(indicator: Indicator) -> str:
    return f"{indicator.name}（{indicator.code}）"


@dataclass
class IndicatorMatch:
    code: str | None  # an indicator code, DEDUCTION, or None when nothing matched
    problem: str | None = None  # what to tell the user when code is None
    by_words: bool = False  # matched by name or record words, not written as a code


def match_indicator(text: str, evaluation: Evaluation | None, words: dict[str, str]) -> IndicatorMatch:
    """The indicator `text` names: its code, its Chinese name, one of its records (志愿服务 is S1's),
    a branch's own words from the mapping file, or the same words with 参加… / …出勤 around them."""
    indicators = [i for d in evaluation.dimensions for i in d.indicators] if evaluation else []
    plain = _plain(text)
    if DEDUCTION_WORDS.fullmatch(plain):
        return IndicatorMatch(DEDUCTION)
    codes = {i.code.upper(): i for i in indicators}
    if plain.upper() in codes:
        return IndicatorMatch(codes[plain.upper()].code)
    code = re.match(r"^([A-Za-z]\d{1,2})(?![A-Za-z0-9])", plain)
    if code and code.group(1).upper() in codes:  # "E2 主题党日出勤", "S1志愿服务"
        return IndicatorMatch(codes[code.group(1).upper()].code)
    if plain in words:
        return IndicatorMatch(words[plain], by_words=True)
    exact = _unique(i for i in indicators if plain == _plain(i.name) or plain in map(_plain, _record_items(i)))
    if exact:
        return _one(text, exact)
    core = _core(text)
    loose = _unique(i for i in indicators
                    if core in (_core(i.name), *map(_core, _record_items(i))))
    if loose:
        return _one(text, loose)
    names = {i.name: i for i in indicators} | {r: i for i in indicators for r in _record_items(i)}
    guess = nearest(plain, list(names), cutoff=0.5)
    hint = f"是不是“{indicator_label(names[guess])}”？" if guess else ""
    examples = "、".join(f"“{i.name}”" for i in indicators[:2])
    example = guess and names[guess].name or (indicators[0].name if indicators else "指标名称")
    return IndicatorMatch(None, (
        f"“{text}”对不上评价体系 data/evaluation.yml 中的任何指标：{hint}请写指标名称（如 {examples}）或代码；"
        f"扣分写“扣分”，或把分值写成负数；本支部惯用的说法可以写进映射文件的“指标:”下，如“{text}: {example}”，"
        "导入时加 --mapping 映射文件"))


def _unique(found: Iterable[Indicator]) -> list[Indicator]:
    return list({i.code: i for i in found}.values())


def _one(text: str, found: list[Indicator]) -> IndicatorMatch:
    if len(found) == 1:
        return IndicatorMatch(found[0].code, by_words=True)
    which = "或".join(f"“{indicator_label(i)}”" for i in found)
    return IndicatorMatch(None, f"“{text}”可能是{which}：请写指标名称，或在映射文件的“指标:”下写明它对应哪一项")


def word_target(target: str, evaluation: Evaluation | None) -> str | None:
    """A mapping file's `说法: 指标` target (code, Chinese name or 扣分) as a code, or None."""
    plain = _plain(target)
    if plain == DEDUCTION:
        return DEDUCTION
    for i in (i for d in evaluation.dimensions for i in d.indicators) if evaluation else ():
        if plain.upper() == i.code.upper() or plain == _plain(i.name):
            return i.code
    return None
