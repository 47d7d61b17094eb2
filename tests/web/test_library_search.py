"""The library's search inside the platform's database agrees with huiqi.law.search (the CLI's
index): the same articles for queries taken from the corpus, on SQLite (FTS5) and on
PostgreSQL (tsvector). Run on both by scripts/test.sh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from huiqi.law import bundled
from huiqi.law.search import SearchIndex, build_index
from huiqi.library import search as db_search

FIXED = [
    "投诉",
    "税",
    "投诉、举报",
    "投诉，举报",
    "融资 担保",
    "二十个工作日",
    "中小企业",
    "民事",
    "的",
    "第",
    "款项 支付",
    "专精特新",
    "２０２５",
    "GB",
    "发展促进",
]


def _corpus_queries() -> list[str]:
    """Substrings of 2, 3 and 5 characters from every 23rd article, and the pair of their
    first two characters with a later bigram (two terms)."""
    out = []
    articles = [a for _, doc in bundled().documents() for a in doc.articles]
    for i, article in enumerate(articles[::23]):
        text = article.full_text().replace("\n", "")
        start = (i * 7) % max(1, len(text) - 8)
        out.extend([text[start : start + 2], text[start : start + 3], text[start : start + 5]])
        out.append(f"{text[:2]} {text[-6:-4]}")
    return [q for q in out if q.strip()]


QUERIES = FIXED + _corpus_queries()


@pytest.fixture(scope="module")
def reference() -> Iterator[SearchIndex]:
    with build_index() as index:
        yield index


def _keys(hits) -> list[tuple[str, str]]:
    return [(hit.doc, hit.node) for hit in hits]


@pytest.mark.usefixtures("law_library")
def test_every_query_finds_the_same_articles_as_the_library(reference: SearchIndex) -> None:
    assert len(QUERIES) > 100
    index = db_search.index()
    for query in QUERIES:
        expected = reference.search(query, limit=1000)
        found = index.search(query, limit=1000)
        assert set(_keys(found)) == set(_keys(expected)), query
        if connection.vendor == "sqlite":  # same tokens, same FTS5 BM25: same order and scores
            assert _keys(found) == _keys(expected), query
            assert [round(h.score, 6) for h in found] == [round(h.score, 6) for h in expected]
        snippets = {(h.doc, h.node): h.snippet_html() for h in expected}
        assert all(snippets[(h.doc, h.node)] == h.snippet_html() for h in found), query


@pytest.mark.usefixtures("law_library")
@pytest.mark.parametrize(
    "filters",
    [
        {"jurisdiction": "220100"},
        {"jurisdiction": "湖南省"},
        {"stage": "征求意见稿"},
        {"doc": "cn-sme-payment-regulation-2025"},
        {"jurisdiction": "cn", "stage": "通过"},
    ],
)
def test_filters_agree_with_the_library(reference: SearchIndex, filters: dict) -> None:
    for query in ("中小企业", "政府", "投诉", "资金 支持"):
        expected = reference.search(query, limit=1000, **filters)
        found = db_search.search(query, limit=1000, **filters)
        assert set(_keys(found)) == set(_keys(expected)), (query, filters)


@pytest.mark.usefixtures("law_library")
def test_complaint_search_finds_changchun_article_43_first_among_changchun_texts() -> None:
    """长春 条例 第四十三条: complaints answered in writing within 二十个工作日."""
    hits = db_search.search("投诉", jurisdiction="220100", limit=5)
    assert (hits[0].doc, hits[0].node) == ("220100-sme-promotion-2025-04-03", "art_43")
    assert hits[0].citation == "《长春市促进中小企业发展条例》第四十三条"
    assert "<mark>投诉</mark>" in hits[0].snippet_html()


@pytest.mark.usefixtures("law_library")
def test_the_version_in_force_ranks_before_its_draft() -> None:
    hits = db_search.search("二十个工作日 投诉", limit=10)
    docs = [h.doc for h in hits]
    assert docs[0] == "220100-sme-promotion-2025-04-03"
    assert all(h.latest for h in hits[:1])
    superseded = db_search.search("款项 支付 期限", doc="cn-sme-payment-regulation-2020-07-05")
    assert superseded and not any(h.latest for h in superseded)


@pytest.mark.usefixtures("law_library")
def test_long_articles_keep_every_token_position() -> None:
    """The longest article's last characters are found: no position is lost to a limit of
    the index (PostgreSQL keeps positions up to 16383)."""
    article = max(
        (a for _, doc in bundled().documents() for a in doc.articles),
        key=lambda a: len(a.full_text()),
    )
    tail = article.full_text().replace("\n", "")[-6:-1]
    found = _keys(db_search.search(tail, limit=1000))
    assert any(node == article.id for _, node in found)
