"""Full-text search over the bundled library: two-character terms find their articles,
filters restrict, snippets show the match, the on-disk index is rebuilt only when its inputs
change."""

from __future__ import annotations

import argparse
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiqi.cli import UsageError
from huiqi.cli.law_search import add_search
from huiqi.law import bundled
from huiqi.law import search as search_module
from huiqi.law.errors import LawError
from huiqi.law.search import INDEX_FILE, Hit, QueryError, build_index, cached_index
from huiqi.law.tokens import fold

CHANGCHUN = "220100-sme-promotion-2025-04-03"
CHANGCHUN_DRAFT = "220100-sme-promotion-draft"
HUNAN = "430000-sme-measures-2021-01-01"
SHENZHEN = "440300-sme-promotion-draft"


@pytest.fixture(scope="module")
def index():
    with build_index() as built:
        yield built


def _found(hits: list[Hit]) -> list[tuple[str, str]]:
    return [(h.doc, h.node) for h in hits]


def _containing(term: str) -> set[tuple[str, str]]:
    """The articles whose heading or text contains the term: what search must find."""
    needle = fold(term)
    return {
        (entry.id, node.id)
        for entry, doc in bundled().documents()
        for node in doc.articles
        if needle in fold(node.heading or "") or needle in fold(node.full_text())
    }


def test_complaint_lists_changchun_article_43_among_the_first_three(index):
    hits = index.search("投诉", limit=3)
    assert (CHANGCHUN, "art_43") in _found(hits)
    hit = next(h for h in hits if h.doc == CHANGCHUN)
    assert hit.article == 43
    assert hit.citation == "《长春市促进中小企业发展条例》第四十三条"
    assert hit.title == "长春市促进中小企业发展条例"
    assert (hit.jurisdiction, hit.stage, hit.latest) == ("220100", "通过", True)


@pytest.mark.parametrize(
    "term", ["投诉", "担保", "贴息", "罚款", "融资担保", "税", "30日", "工作日内", "10个"]
)
def test_hits_are_exactly_the_articles_containing_the_term(index, term):
    expected = _containing(term)
    assert expected, term
    assert set(_found(index.search(term, limit=1000))) == expected


def test_guarantee_finds_the_financing_guarantee_articles(index):
    found = _found(index.search("担保", limit=12))
    for article in [
        (CHANGCHUN, "art_12"),
        (CHANGCHUN_DRAFT, "art_13"),
        (HUNAN, "art_14"),
        (SHENZHEN, "art_60"),
    ]:
        assert article in found
    assert index.search("担保", doc=CHANGCHUN)[0].node == "art_12"
    assert index.search("融资担保", doc=CHANGCHUN_DRAFT)[0].heading == "融资担保"


def test_interest_subsidy_finds_the_changchun_articles(index):
    hits = index.search("贴息", jurisdiction="220100", limit=20)
    assert set(_found(hits)) == {
        (CHANGCHUN, "art_11"),
        (CHANGCHUN, "art_17"),
        (CHANGCHUN_DRAFT, "art_12"),
        (CHANGCHUN_DRAFT, "art_30"),
        (CHANGCHUN_DRAFT, "art_34"),
    }
    assert index.search("贴息", doc=CHANGCHUN_DRAFT)[0].heading == "贷款担保与贴息"


def test_a_superseded_version_ranks_below_the_text_in_force(index):
    hits = index.search("投诉 举报", jurisdiction="220100")
    assert _found(hits)[:2] == [(CHANGCHUN, "art_43"), (CHANGCHUN_DRAFT, "art_74")]
    assert [h.latest for h in hits[:2]] == [True, False]


def test_terms_separated_by_spaces_must_all_occur(index):
    hits = index.search("投诉 二十个工作日", limit=100)
    assert _found(hits) == [(CHANGCHUN, "art_43")]
    assert set(_found(index.search("融资 担保", limit=1000))) == _containing("融资") & (
        _containing("担保")
    )


def test_punctuation_between_the_parts_of_a_term_is_ignored(index):
    assert (CHANGCHUN, "art_43") in _found(index.search("投诉、举报", doc=CHANGCHUN))
    assert (CHANGCHUN, "art_43") in _found(index.search("投诉，举报", doc=CHANGCHUN))
    assert index.search("投诉举报", doc=CHANGCHUN) == []


def test_hits_are_best_first(index):
    scores = [h.score for h in index.search("中小企业 融资", limit=50)]
    assert scores == sorted(scores, reverse=True)
    assert len(index.search("企业", limit=5)) == 5


def test_jurisdiction_filter_returns_only_hunan(index):
    hits = index.search("中小企业", jurisdiction="430000", limit=200)
    assert hits
    assert {h.jurisdiction for h in hits} == {"430000"}
    assert all(h.doc.startswith("430000-") and h.title.startswith("湖南省") for h in hits)
    assert _found(index.search("中小企业", jurisdiction="湖南省", limit=200)) == _found(hits)


def test_document_and_stage_filters(index):
    hits = index.search("投诉", doc=CHANGCHUN, limit=100)
    assert _found(hits) == [(CHANGCHUN, "art_43")]
    assert _found(index.search("投诉", doc="220100-sme-promotion-2025", limit=100)) == _found(hits)
    drafts = index.search("投诉", stage="征求意见稿", limit=100)
    assert {h.doc for h in drafts} == {CHANGCHUN_DRAFT, SHENZHEN}
    assert index.search("投诉", doc=CHANGCHUN, stage="征求意见稿") == []
    assert index.search("投诉", doc=CHANGCHUN, jurisdiction="430000") == []


def test_absent_term_returns_nothing(index):
    assert not _containing("宇航员")
    assert index.search("宇航员") == []
    assert index.search("投诉 宇航员") == []


@pytest.mark.parametrize("term", ["投诉", "担保", "贴息", "融资担保", "税", "30日"])
def test_snippets_contain_and_highlight_the_query(index, term):
    for hit in index.search(term, limit=50):
        if term not in fold(hit.snippet):
            assert term in fold(hit.heading or "")
            continue
        assert hit.highlights
        assert all(fold(hit.snippet[s:e]) == term for s, e in hit.highlights)
        assert f"«{term}»" in hit.marked()
        assert f"<mark>{term}</mark>" in hit.snippet_html()
        assert len(hit.snippet) <= search_module.SNIPPET_WIDTH + 2 * len(term) + 2


def test_snippet_renderings():
    hit = Hit(
        doc="d",
        title="t",
        article=1,
        node="art_1",
        heading=None,
        snippet="a<b 投诉 c",
        highlights=((4, 6),),
        citation="《t》第一条",
        jurisdiction="cn",
        stage="通过",
        latest=True,
        score=1.0,
    )
    assert hit.marked() == "a<b «投诉» c"
    assert hit.marked("[", "]") == "a<b [投诉] c"
    assert hit.snippet_html() == "a&lt;b <mark>投诉</mark> c"
    assert hit.as_dict()["highlights"] == [[4, 6]]


@pytest.mark.parametrize("query", ["", "   ", "，。！", "——", "《》"])
def test_query_without_searchable_characters_is_a_clear_error(index, query):
    with pytest.raises(QueryError) as raised:
        index.search(query)
    assert isinstance(raised.value, LawError)
    assert "检索词" in str(raised.value)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"doc": "nope"}, "没有编号为“nope”"),
        ({"doc": "220100"}, "对应多个文件"),
        ({"jurisdiction": "110000"}, "没有行政区划“110000”"),
        ({"stage": "定稿"}, "没有“定稿”这一阶段"),
        ({"limit": 0}, "正整数"),
    ],
)
def test_bad_filters_are_clear_errors(index, filters, message):
    with pytest.raises(QueryError, match=message):
        index.search("投诉", **filters)


_ARTICLES = [
    (entry.id, node.id, node.full_text())
    for entry, doc in bundled().documents()
    for node in doc.articles
    if len(node.full_text()) >= 2
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=st.sampled_from(_ARTICLES), data=st.data())
def test_any_two_characters_of_an_article_find_it(index, article, data):
    doc, node, text = article
    start = data.draw(st.integers(0, len(text) - 2))
    piece = text[start : start + 2]
    if not re.search(r"[^\W_]", fold(piece)):
        with pytest.raises(QueryError):
            index.search(piece, doc=doc)
        return
    assert (doc, node) in _found(index.search(piece, doc=doc, limit=1000))


def test_index_file_matches_the_index_in_memory(index, tmp_path):
    path = tmp_path / "sub" / "index.sqlite3"
    with build_index(path=path) as on_disk:
        assert on_disk.path == path
        for term in ("投诉", "税", "融资 担保"):
            assert on_disk.search(term) == index.search(term)
        assert on_disk.describe().startswith("10 个文件")
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_cached_index_is_reused_until_its_key_changes(tmp_path, monkeypatch):
    with cached_index(tmp_path) as first:
        hits = first.search("投诉", limit=3)
    assert hits
    path = tmp_path / INDEX_FILE
    built = path.stat()

    def no_build(*args, **kwargs):
        raise AssertionError("the cached index should have been reused")

    monkeypatch.setattr(search_module, "build_index", no_build)
    with cached_index(tmp_path) as second:
        assert second.search("投诉", limit=3) == hits
    assert path.stat().st_mtime_ns == built.st_mtime_ns
    monkeypatch.undo()

    monkeypatch.setattr(search_module, "index_key", lambda: "another corpus")
    with cached_index(tmp_path) as third:
        assert third.backend.meta("key") == "another corpus"
        assert third.search("投诉", limit=3)
    assert path.stat().st_ino != built.st_ino
    assert [p.name for p in tmp_path.iterdir()] == [INDEX_FILE]


def test_index_key_changes_with_the_format_version(monkeypatch):
    key = search_module.index_key()
    assert search_module.index_key() == key
    monkeypatch.setattr(search_module, "INDEX_FORMAT", search_module.INDEX_FORMAT + 1)
    assert search_module.index_key() != key


def test_a_damaged_index_file_is_rebuilt(tmp_path):
    (tmp_path / INDEX_FILE).write_bytes(b"not a database")
    with cached_index(tmp_path) as index:
        assert index.search("投诉", limit=1)


def test_a_failed_build_leaves_the_old_index_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / INDEX_FILE
    path.write_bytes(b"previous")

    def broken_rows(library):
        raise RuntimeError("crash while building")
        yield

    monkeypatch.setattr(search_module, "_rows", broken_rows)
    with pytest.raises(RuntimeError):
        build_index(path=path)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == [INDEX_FILE]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("huiqi-data")


def _run(argv: list[str], data_dir, monkeypatch) -> int:
    monkeypatch.setenv("HUIQI_DATA_DIR", str(data_dir))
    parser = argparse.ArgumentParser()
    add_search(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_json_lists_hits_best_first(data_dir, monkeypatch, capsys):
    assert _run(["search", "投诉", "--limit", "3", "--json"], data_dir, monkeypatch) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3
    assert {"doc", "title", "article", "snippet", "citation"} <= set(hits[0])
    changchun = next(h for h in hits if h["doc"] == CHANGCHUN)
    assert changchun["article"] == 43
    assert changchun["citation"] == "《长春市促进中小企业发展条例》第四十三条"
    assert "投诉" in changchun["snippet"]
    assert (data_dir / INDEX_FILE).exists()


def test_cli_filters_and_multiword_query(data_dir, monkeypatch, capsys):
    argv = ["search", "融资", "担保", "--jurisdiction", "430000", "--stage", "通过", "--json"]
    assert _run(argv, data_dir, monkeypatch) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits
    assert {h["doc"] for h in hits} == {HUNAN}


def test_cli_table(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    assert _run(["search", "投诉", "--doc", CHANGCHUN], data_dir, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "《长春市促进中小企业发展条例》第四十三条" in out
    assert "«投诉»" in out
    assert _run(["search", "宇航员"], data_dir, monkeypatch) == 0
    assert "没有找到" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["search", "，。"], QueryError),
        (["search", "投诉", "--limit", "0"], UsageError),
        (["search", "投诉", "--limit", "many"], UsageError),
        (["search", "投诉", "--doc", "nope"], QueryError),
    ],
)
def test_cli_bad_input_is_a_user_error(data_dir, monkeypatch, argv, error):
    with pytest.raises(error):
        _run(argv, data_dir, monkeypatch)
