"""The search index's cap on one long text (issue 30): what stays, where the cut falls.

The whole build (a 4 MB article) is in test_build.py; here the cut itself, over many texts.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.model.spec import SEARCH_PAGE_CHARS
from generator.site.mkdocs_adapter import _capped_search_docs, _cut_text

GAP = "\u200b"  # mkdocs-material's mark between words


def visible(text: str) -> int:
    return len(re.sub(r"<[^>]*>", "", text).replace(GAP, ""))


# index texts as mkdocs-material writes them: Chinese words between marks, tags, entities
pieces = st.sampled_from(["支部", "党员", GAP, " ", "<p>", "</p>", "<li>", "</li>", "&amp;", "&lt;", "调研", "a", "。"])
texts = st.lists(pieces, max_size=80).map("".join)


@given(texts, st.integers(0, 60))
def test_a_cut_keeps_the_beginning_up_to_the_budget_and_never_splits_a_tag_or_an_entity(text, budget):
    cut, used = _cut_text(text, budget)
    if visible(text) <= budget:
        assert (cut, used) == (text, visible(text))
        return
    assert cut.endswith("……") and used == budget
    kept = cut.removesuffix("……")
    assert text.startswith(kept)
    assert budget - len("&amp") <= visible(kept) <= budget  # less only by an entity's start, left out
    assert kept.count("<") == kept.count(">"), "a tag was cut in half"
    assert not re.search(r"&[#\w]*$", kept), "an entity was cut in half"


def test_the_marks_between_words_and_the_tags_do_not_count():
    text = "<p>" + GAP.join(["青松岭"] * 10) + "</p>"
    cut, used = _cut_text(text, 7)
    assert (cut, used) == ("<p>青松岭" + GAP + "青松岭" + GAP + "青……", 7)


def test_a_long_page_is_cut_across_its_sections_and_other_pages_are_left_whole():
    long = "字" * (SEARCH_PAGE_CHARS - 10)
    docs = [
        {"location": "news/a/", "title": "甲", "text": long},
        {"location": "news/a/#two", "title": "乙", "text": "一二三四五六七八九十十一十二"},
        {"location": "news/a/#three", "title": "丙", "text": "不会收录"},
        {"location": "members/", "title": "名册", "text": "名" * (SEARCH_PAGE_CHARS * 2)},
    ]
    out = _capped_search_docs(docs, {"news/a/"})
    assert [d["location"] for d in out] == ["news/a/", "news/a/#two", "members/"]
    assert out[0] is docs[0] and out[2] is docs[3]  # the roster lists names: every one stays findable
    assert out[1]["text"] == "一二三四五六七八九十……"
