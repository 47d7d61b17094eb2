"""The library's search inside the platform's database: a :class:`huiqi.law.search.SearchBackend`
over the tables of :mod:`huiqi.library.models`, so :class:`huiqi.law.search.SearchIndex` parses
queries, resolves filters and makes snippets exactly as for the CLI's index.

The tokens are the library's (:mod:`huiqi.law.tokens`, stored space-joined in
:class:`~huiqi.library.models.SearchEntry`). SQLite matches and ranks them in the FTS5 table
``library_search_fts`` with BM25, as the CLI's index does; PostgreSQL matches each term's
phrase with ``<->`` in the ``tsvector`` of the heading or of the body (generated columns,
GIN-indexed; migration 0002) and ranks with ``ts_rank_cd`` over the weighted heading, body
and words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections

from huiqi.law.search import (
    BODY_WEIGHT,
    HEADING_WEIGHT,
    SUPERSEDED_WEIGHT,
    WORDS_WEIGHT,
    Filters,
    Hit,
    IndexedDocument,
    Record,
    Row,
    SearchIndex,
    Term,
)

from .models import LawDocument, NodeKind, Provision, SearchEntry

EVERY_ROW = "\ue000"
"""The token the SQLite triggers add to every row's words column (as :mod:`huiqi.law.search`
does), so the words can be ORed with it: optional for the match, counted by BM25."""

FTS_TABLE = "library_search_fts"
_FILTER_COLUMNS = {"doc": "p.doc_id", "jurisdiction": "d.jurisdiction", "stage": "d.stage"}
_PG_WEIGHTS = (
    "{"
    + ",".join(str(w / HEADING_WEIGHT) for w in (0, WORDS_WEIGHT, BODY_WEIGHT, HEADING_WEIGHT))
    + "}"
)
"""ts_rank_cd's weights {D, C, B, A}: words, body and heading in the library's proportions."""
_PG_NORMALIZATION = 2
"""ts_rank_cd divided by the document's length: of PostgreSQL's normalizations the closest to
FTS5's BM25 order (measured over the parity test's queries: 92 % of the top ten shared, the
same first hit for 107 of 131)."""


class DatabaseBackend:
    """Search rows kept in the platform's database (SQLite or PostgreSQL)."""

    def __init__(self, using: str = "default"):
        self.using = using

    def add(self, rows: Iterable[Row]) -> None:
        """Store the tokens of articles already loaded as :class:`Provision` rows."""
        rows = list(rows)
        ids = _article_ids(self.using, {r.record.doc for r in rows})
        SearchEntry.objects.using(self.using).bulk_create(
            SearchEntry(
                provision_id=ids[(row.record.doc, row.record.node)],
                heading=" ".join(row.heading),
                body=" ".join(row.body),
                words=" ".join(row.words),
            )
            for row in rows
        )

    def query(
        self, terms: Sequence[Term], filters: Filters, limit: int
    ) -> list[tuple[Record, float]]:
        vendor = connections[self.using].vendor
        if vendor == "sqlite":
            sql, params = _sqlite_query(terms)
        elif vendor == "postgresql":
            sql, params = _postgresql_query(terms)
        else:
            raise NotImplementedError(f"法规检索不支持 {vendor} 数据库")
        where, where_params = [], []
        for name, column in _FILTER_COLUMNS.items():
            value = getattr(filters, name)
            if value is not None:
                where.append(f" AND {column} = %s")
                where_params.append(value)
        sql = sql.format(filters="".join(where))
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [*params, *where_params, limit])
            found = [(pk, float(score)) for pk, score in cursor.fetchall()]
        provisions = (
            Provision.objects.using(self.using)
            .select_related("doc")
            .defer("doc__export")
            .in_bulk([pk for pk, _ in found])
        )
        return [(_record(provisions[pk]), score) for pk, score in found]

    def documents(self) -> list[IndexedDocument]:
        return [
            IndexedDocument(
                id=d.id,
                title=d.display_title,
                jurisdiction=d.jurisdiction,
                jurisdiction_name=d.jurisdiction_name,
                stage=d.stage,
                articles=d.articles,
            )
            for d in LawDocument.objects.using(self.using).filter(articles__gt=0).defer("export")
        ]

    def close(self) -> None:
        """Nothing to close: Django owns the connection."""


def index(using: str = "default") -> SearchIndex:
    """The library's search over the platform's database; ``search()`` raises
    :class:`huiqi.law.search.QueryError` for a query or filter it cannot use."""
    return SearchIndex(DatabaseBackend(using))


def search(
    query: str,
    *,
    jurisdiction: str | None = None,
    doc: str | None = None,
    stage: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Articles containing every term of ``query``, best first (see
    :meth:`huiqi.law.search.SearchIndex.search`)."""
    return index().search(query, jurisdiction=jurisdiction, doc=doc, stage=stage, limit=limit)


def _article_ids(using: str, docs: set[str]) -> dict[tuple[str, str], int]:
    rows = Provision.objects.using(using).filter(kind=NodeKind.ARTICLE, doc_id__in=docs)
    return {(doc, node): pk for doc, node, pk in rows.values_list("doc_id", "node", "pk")}


def _record(p: Provision) -> Record:
    return Record(
        doc=p.doc_id,
        title=p.doc.display_title,
        article=p.num,
        node=p.node,
        heading=p.heading or None,
        text=p.full_text,
        citation=p.citation,
        jurisdiction=p.doc.jurisdiction,
        jurisdiction_name=p.doc.jurisdiction_name,
        stage=p.doc.stage,
        latest=p.doc.latest,
    )


def _sqlite_query(terms: Sequence[Term]) -> tuple[str, list[object]]:
    sql = (
        f"SELECT f.rowid, -(bm25({FTS_TABLE}, %s, %s, %s)"
        " * (CASE WHEN d.latest THEN 1.0 ELSE %s END)) AS score"
        f" FROM {FTS_TABLE} AS f"
        " JOIN library_provision AS p ON p.id = f.rowid"
        " JOIN library_lawdocument AS d ON d.id = p.doc_id"
        f" WHERE {FTS_TABLE} MATCH %s{{filters}}"
        ' ORDER BY score DESC, d.position, p."order" LIMIT %s'
    )
    params = [HEADING_WEIGHT, BODY_WEIGHT, WORDS_WEIGHT, SUPERSEDED_WEIGHT, _fts_match(terms)]
    return sql, params


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts_match(terms: Sequence[Term]) -> str:
    """Every term's phrase in heading or body, AND the words (or the every-row token) in
    the words column — the expression :mod:`huiqi.law.search` uses."""
    required = [
        "{heading body} : " + _fts_quote(" ".join(t.phrase)) + (" *" if t.prefix else "")
        for t in terms
    ]
    optional = [_fts_quote(w) for w in _words(terms)]
    optional.append(_fts_quote(EVERY_ROW))
    return " AND ".join(required) + " AND {words} : (" + " OR ".join(optional) + ")"


def _words(terms: Sequence[Term]) -> list[str]:
    return list(dict.fromkeys(w for t in terms for w in t.words))


def _postgresql_query(terms: Sequence[Term]) -> tuple[str, list[object]]:
    phrases = [_ts_phrase(t) for t in terms]
    in_text = [_ts_phrase(t, "AB") for t in terms]
    matches = " AND ".join(
        "(s.heading_tsv @@ %s::tsquery OR s.body_tsv @@ %s::tsquery)" for _ in phrases
    )
    ranked = " | ".join(
        ["(" + " & ".join(f"({p})" for p in in_text) + ")"]
        + [f"{_ts_lexeme(w)}:C" for w in _words(terms)]
    )
    sql = (
        f"SELECT p.id, ts_rank_cd(%s::float4[], s.ranked_tsv, %s::tsquery, {_PG_NORMALIZATION})"
        " * (CASE WHEN d.latest THEN 1.0 ELSE %s END) AS score"
        " FROM library_searchentry AS s"
        " JOIN library_provision AS p ON p.id = s.provision_id"
        " JOIN library_lawdocument AS d ON d.id = p.doc_id"
        f" WHERE {matches}{{filters}}"
        ' ORDER BY score DESC, d.position, p."order" LIMIT %s'
    )
    params: list[object] = [_PG_WEIGHTS, ranked, SUPERSEDED_WEIGHT]
    for phrase in phrases:
        params.extend((phrase, phrase))
    return sql, params


def _ts_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(term: Term, weights: str = "") -> str:
    """The term's tokens in sequence (``<->``), the last a prefix (``:*``) when the term
    ends in a single character; ``weights`` restricts each to those columns (``AB``)."""
    last = len(term.phrase) - 1
    marks = [("*" if term.prefix and i == last else "") + weights for i in range(last + 1)]
    return " <-> ".join(
        _ts_lexeme(token) + (f":{mark}" if mark else "")
        for token, mark in zip(term.phrase, marks, strict=True)
    )
