"""Full-text search over the regulation library (长春 条例 第三十五条: publish, classify and
search laws and policies). This is the one public module for search.

Articles are the unit: one row per article, its heading and all of its paragraphs and items.
Tokens are computed in Python (:mod:`huiqi.law.tokens`: character bigrams for matching,
jieba words for ranking) and stored by a :class:`SearchBackend`; :class:`SqliteBackend` keeps
them in an FTS5 table ranked by BM25. Whitespace-separated query terms are ANDed; each term
matches where it occurs as a substring, punctuation between its parts ignored.

``build_index()`` builds an index in memory or in a file; ``cached_index()`` keeps one in the
data directory for the CLI, rebuilt when the corpus, the code or the format changes.
"""

from __future__ import annotations

import hashlib
import html
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

from .citations import render
from .errors import LawError
from .library import STAGES, Entry, Library, bundled
from .model import Document
from .tokens import Term, fold_with_offsets, query_term, segmenter_version, text_tokens, words

__all__ = [
    "INDEX_FILE",
    "INDEX_FORMAT",
    "Filters",
    "Hit",
    "IndexedDocument",
    "QueryError",
    "Record",
    "Row",
    "SearchBackend",
    "SearchIndex",
    "SqliteBackend",
    "Term",
    "build_index",
    "cached_index",
    "data_dir",
    "index_key",
    "parse_query",
]

INDEX_FORMAT = 1
"""Bump when the rows, tokens or schema change: cached indexes are then rebuilt."""

INDEX_FILE = "law-search.sqlite3"
HEADING_WEIGHT, BODY_WEIGHT, WORDS_WEIGHT = 3.0, 1.0, 0.5
SUPERSEDED_WEIGHT = 0.5
"""Score factor for a version the library holds a later version of (a draft of an adopted
text, a revised regulation): the text in force comes first, older ones stay findable."""
SNIPPET_WIDTH = 60
SNIPPET_LEAD = 12
MARKS = ("«", "»")


class QueryError(LawError):
    """A query or a filter that search cannot use: no searchable character, unknown
    document or jurisdiction, a limit below one."""


@dataclass(frozen=True)
class Record:
    """An indexed article as a backend stores and returns it."""

    doc: str
    title: str
    article: int
    node: str
    heading: str | None
    text: str
    citation: str
    jurisdiction: str
    jurisdiction_name: str
    stage: str
    latest: bool


@dataclass(frozen=True)
class Row:
    """A record with its tokens, as :meth:`SearchBackend.add` receives it."""

    record: Record
    heading: tuple[str, ...]
    body: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    """Exact values the hits must have; None leaves a field free."""

    doc: str | None = None
    jurisdiction: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class IndexedDocument:
    """A document that has rows in an index, for resolving filters."""

    id: str
    title: str
    jurisdiction: str
    jurisdiction_name: str
    stage: str
    articles: int


class SearchBackend(Protocol):
    """Storage of rows and their tokens. A backend matches each term's ``phrase`` (consecutive
    tokens in heading or body, the last one a prefix when ``prefix``), ANDs the terms, ranks
    by BM25 with :data:`HEADING_WEIGHT` > :data:`BODY_WEIGHT`, adds the matches of the terms'
    ``words`` in the words column (weight :data:`WORDS_WEIGHT`) to the score without requiring
    them, and multiplies the score of a record that is not ``latest`` by
    :data:`SUPERSEDED_WEIGHT`. ``query`` returns records best first with their scores, higher
    is better."""

    def add(self, rows: Iterable[Row]) -> None: ...

    def query(
        self, terms: Sequence[Term], filters: Filters, limit: int
    ) -> list[tuple[Record, float]]: ...

    def documents(self) -> list[IndexedDocument]: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE article (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    title TEXT NOT NULL,
    article INTEGER NOT NULL,
    node TEXT NOT NULL,
    heading TEXT,
    text TEXT NOT NULL,
    citation TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    jurisdiction_name TEXT NOT NULL,
    stage TEXT NOT NULL,
    latest INTEGER NOT NULL
);
CREATE VIRTUAL TABLE article_fts USING fts5(
    heading, body, words, content='', tokenize='ascii', detail=full
);
"""
_FIELDS = tuple(Record.__dataclass_fields__)
_EVERY_ROW = "\ue000"
"""A token in every row's words column, so words can be ORed with it: optional for the match,
counted by BM25 where they occur. Private use, never produced by the tokenizer; the ``ascii``
tokenizer keeps any non-ASCII character in a token, so the space-joined tokens are stored as
they are."""


class SqliteBackend:
    """Rows in SQLite: an ``article`` table and a contentless FTS5 table of the tokens."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    @classmethod
    def create(cls, path: Path | None = None) -> SqliteBackend:
        """A new index in memory, or in a file that is missing or empty."""
        connection = sqlite3.connect(":memory:" if path is None else path)
        connection.executescript(_SCHEMA)
        return cls(connection)

    @classmethod
    def open(cls, path: Path) -> SqliteBackend:
        """An existing index file, read-only."""
        return cls(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))

    def add(self, rows: Iterable[Row]) -> None:
        with self.connection:
            for row in rows:
                rec = row.record
                cur = self.connection.execute(
                    f"INSERT INTO article ({', '.join(_FIELDS)}) "
                    f"VALUES ({', '.join('?' for _ in _FIELDS)})",
                    tuple(asdict(rec).values()),
                )
                self.connection.execute(
                    "INSERT INTO article_fts (rowid, heading, body, words) VALUES (?, ?, ?, ?)",
                    (
                        cur.lastrowid,
                        " ".join(row.heading),
                        " ".join(row.body),
                        " ".join((*row.words, _EVERY_ROW)),
                    ),
                )
            self.connection.execute("INSERT INTO article_fts (article_fts) VALUES ('optimize')")

    def query(
        self, terms: Sequence[Term], filters: Filters, limit: int
    ) -> list[tuple[Record, float]]:
        where = ["article_fts MATCH ?"]
        params: list[object] = [
            HEADING_WEIGHT,
            BODY_WEIGHT,
            WORDS_WEIGHT,
            SUPERSEDED_WEIGHT,
            _match(terms),
        ]
        for name in ("doc", "jurisdiction", "stage"):
            value = getattr(filters, name)
            if value is not None:
                where.append(f"a.{name} = ?")
                params.append(value)
        params.append(limit)
        cursor = self.connection.execute(
            f"SELECT {', '.join(f'a.{name}' for name in _FIELDS)}, "
            "bm25(article_fts, ?, ?, ?) * (CASE WHEN a.latest THEN 1.0 ELSE ? END) AS rank "
            "FROM article_fts JOIN article AS a ON a.id = article_fts.rowid "
            f"WHERE {' AND '.join(where)} ORDER BY rank, a.id LIMIT ?",
            params,
        )
        return [(_record(found[:-1]), -found[-1]) for found in cursor]

    def documents(self) -> list[IndexedDocument]:
        cursor = self.connection.execute(
            "SELECT doc, title, jurisdiction, jurisdiction_name, stage, count(*) FROM article "
            "GROUP BY doc ORDER BY min(id)"
        )
        return [IndexedDocument(*found) for found in cursor]

    def meta(self, name: str) -> str | None:
        found = self.connection.execute("SELECT value FROM meta WHERE name = ?", (name,))
        row = found.fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self.connection:
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def close(self) -> None:
        self.connection.close()


def _record(values: Sequence[object]) -> Record:
    *fields, latest = values  # ``latest`` is the last field; SQLite returns it as 0 or 1
    return Record(*fields, latest=bool(latest))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _match(terms: Sequence[Term]) -> str:
    """The FTS5 expression: every term's phrase in heading or body, AND the words (or the
    every-row token) in the words column."""
    required = [
        "{heading body} : " + _quote(" ".join(t.phrase)) + (" *" if t.prefix else "") for t in terms
    ]
    optional = [_quote(w) for w in dict.fromkeys(w for t in terms for w in t.words)]
    optional.append(_quote(_EVERY_ROW))
    return " AND ".join(required) + " AND {words} : (" + " OR ".join(optional) + ")"


@dataclass(frozen=True)
class Hit:
    """An article that matches a query.

    ``snippet`` is plain text (paragraph breaks shown as spaces, "…" where cut) and
    ``highlights`` the ``(start, end)`` character spans of the query's matches in it; render
    them with :meth:`marked` (« » by default) or :meth:`snippet_html` (``<mark>``).
    ``latest`` is false for a version the library holds a later version of. ``score`` is
    BM25, higher is better, comparable only within one query.
    """

    doc: str
    title: str
    article: int
    node: str
    heading: str | None
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    citation: str
    jurisdiction: str
    stage: str
    latest: bool
    score: float

    def marked(self, start: str = MARKS[0], end: str = MARKS[1]) -> str:
        """The snippet with each highlight between ``start`` and ``end``."""
        return self._render(lambda text: text, lambda text: f"{start}{text}{end}")

    def snippet_html(self) -> str:
        """The snippet as escaped HTML with each highlight in ``<mark>``."""
        return self._render(html.escape, lambda text: f"<mark>{html.escape(text)}</mark>")

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping; ``snippet_marked`` is :meth:`marked`."""
        out = asdict(self)
        out["highlights"] = [list(span) for span in self.highlights]
        out["snippet_marked"] = self.marked()
        return out

    def _render(self, plain: Callable[[str], str], mark: Callable[[str], str]) -> str:
        parts, pos = [], 0
        for start, end in self.highlights:
            parts.extend((plain(self.snippet[pos:start]), mark(self.snippet[start:end])))
            pos = end
        parts.append(plain(self.snippet[pos:]))
        return "".join(parts)


class SearchIndex:
    """A searchable index over a backend; see :func:`build_index` and :func:`cached_index`.
    ``path`` is the index file, None for an index in memory."""

    def __init__(self, backend: SearchBackend, path: Path | None = None):
        self.backend = backend
        self.path = path
        self._documents = backend.documents()

    def search(
        self,
        query: str,
        *,
        jurisdiction: str | None = None,
        doc: str | None = None,
        stage: str | None = None,
        limit: int = 10,
    ) -> list[Hit]:
        """Articles that contain every term of the query, best first.

        ``jurisdiction`` is a code (430000) or a name (湖南省); ``doc`` a document id or a
        prefix naming one document; ``stage`` one of :data:`huiqi.law.library.STAGES`.
        """
        terms = parse_query(query)
        if limit < 1:
            raise QueryError(f"结果数量必须是正整数，而不是 {limit}")
        filters = Filters(
            doc=self._document(doc),
            jurisdiction=self._jurisdiction(jurisdiction),
            stage=_stage(stage),
        )
        return [_hit(rec, score, terms) for rec, score in self.backend.query(terms, filters, limit)]

    def describe(self) -> str:
        """What the index holds and where, for people: 10 个文件、646 条（内存）."""
        articles = sum(d.articles for d in self._documents)
        where = str(self.path) if self.path else "内存"
        return f"{len(self._documents)} 个文件、{articles} 条（{where}）"

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _document(self, doc: str | None) -> str | None:
        if doc is None:
            return None
        ids = [d.id for d in self._documents]
        if doc in ids:
            return doc
        matches = [i for i in ids if i.startswith(doc)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise QueryError(f"“{doc}”对应多个文件：{'、'.join(matches)}；请写出完整的编号")
        raise QueryError(f"检索范围中没有编号为“{doc}”的文件。现有：{'、'.join(ids)}")

    def _jurisdiction(self, jurisdiction: str | None) -> str | None:
        if jurisdiction is None:
            return None
        known = {d.jurisdiction: d.jurisdiction_name for d in self._documents}
        for code, name in known.items():
            if jurisdiction in (code, name):
                return code
        listed = "、".join(f"{code}（{name}）" for code, name in known.items())
        raise QueryError(f"没有行政区划“{jurisdiction}”的文件。现有：{listed}")


def parse_query(query: str) -> list[Term]:
    """The terms of a query: whitespace separates them, all must match."""
    if not query.strip():
        raise QueryError("检索词为空：请输入要查找的字词，例如“投诉”")
    terms = [t for t in map(query_term, query.split()) if t is not None]
    if not terms:
        raise QueryError(f"检索词“{query.strip()}”中没有汉字、字母或数字，无法检索")
    return list({t.text: t for t in terms}.values())


def _stage(stage: str | None) -> str | None:
    if stage is not None and stage not in STAGES:
        raise QueryError(f"没有“{stage}”这一阶段。可选：{'、'.join(STAGES)}")
    return stage


def _hit(rec: Record, score: float, terms: Sequence[Term]) -> Hit:
    snippet, highlights = _snippet(rec.text, terms)
    return Hit(
        doc=rec.doc,
        title=rec.title,
        article=rec.article,
        node=rec.node,
        heading=rec.heading,
        snippet=snippet,
        highlights=highlights,
        citation=rec.citation,
        jurisdiction=rec.jurisdiction,
        stage=rec.stage,
        latest=rec.latest,
        score=score,
    )


def _snippet(text: str, terms: Sequence[Term]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """An excerpt of about :data:`SNIPPET_WIDTH` characters around the matches, placed to
    show as many different terms as fit, and the spans of the matches in it."""
    folded, offsets = fold_with_offsets(text)
    spans = sorted(
        (offsets[m.start()], offsets[m.end()], i)
        for i, term in enumerate(terms)
        for m in term.pattern.finditer(folded)
    )
    start, end = _window(len(text), spans)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(head) - start
    merged: list[list[int]] = []
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    snippet = head + text[start:end].replace("\n", " ") + tail
    return snippet, tuple((s + shift, e + shift) for s, e in merged)


def _window(length: int, spans: list[tuple[int, int, int]]) -> tuple[int, int]:
    """Start and end of the excerpt: the first place that shows the most terms, widened so
    that no match is cut."""
    start, best = 0, 0
    for anchor, _, _ in spans:
        lo = max(0, anchor - SNIPPET_LEAD)
        shown = len({i for s, e, i in spans if s >= lo and e <= lo + SNIPPET_WIDTH})
        if shown > best:
            start, best = lo, shown
    end = min(length, start + SNIPPET_WIDTH)
    start = max(0, min(start, end - SNIPPET_WIDTH))
    for s, e, _ in spans:
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    return start, end


def _rows(library: Library) -> Iterator[Row]:
    for entry, document in library.documents():
        yield from document_rows(entry, document, latest=not library.later_versions(entry.id))


def document_rows(entry: Entry, document: Document, latest: bool) -> Iterator[Row]:
    """The search rows of one document's articles (``latest``: no later version exists);
    any backend indexes these rows."""
    title = entry.display_title
    for node in document.articles:
        text = node.full_text()
        heading = node.heading or None
        record = Record(
            doc=entry.id,
            title=title,
            article=node.num,
            node=node.id,
            heading=heading,
            text=text,
            citation=render(title, node.id),
            jurisdiction=entry.jurisdiction.code,
            jurisdiction_name=entry.jurisdiction.name,
            stage=entry.stage,
            latest=latest,
        )
        yield Row(
            record=record,
            heading=tuple(text_tokens(heading or "")),
            body=tuple(text_tokens(text)),
            words=tuple(words(f"{heading or ''}\n{text}")),
        )


def build_index(library: Library | None = None, path: Path | str | None = None) -> SearchIndex:
    """An index of the library's articles (the bundled library by default), in memory, or
    written to ``path`` atomically (built in a temporary file beside it, then renamed)."""
    lib = library if library is not None else bundled()
    key = index_key() if library is None else ""
    if path is None:
        backend = SqliteBackend.create()
        backend.add(_rows(lib))
        return SearchIndex(backend)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        backend = SqliteBackend.create(tmp)
        try:
            backend.add(_rows(lib))
            backend.set_meta("key", key)
        finally:
            backend.close()
        with tmp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return SearchIndex(SqliteBackend.open(target), target)


def data_dir() -> Path:
    """Where huiqi keeps its files: ``$HUIQI_DATA_DIR``, else ``~/.local/share/huiqi``."""
    configured = os.environ.get("HUIQI_DATA_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".local/share/huiqi"


def index_key() -> str:
    """A hash of everything the bundled index is made from: the format version, the jieba
    version, the corpus files with their manifest, and the code of :mod:`huiqi.law`."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{segmenter_version()}\0".encode())
    package = resources.files("huiqi.law")
    sources = [f for f in package.iterdir() if f.name.endswith(".py")]
    sources += list(package.joinpath("corpus").iterdir())
    for source in sorted(sources, key=lambda f: (f.name.endswith(".py"), f.name)):
        if source.is_file():
            digest.update(f"{source.name}\0".encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def cached_index(directory: Path | str | None = None) -> SearchIndex:
    """The bundled library's index from ``directory`` (default :func:`data_dir`), rebuilt
    when missing, unreadable or made from other inputs (see :func:`index_key`); built in
    memory when the directory cannot be written."""
    path = (Path(directory) if directory is not None else data_dir()) / INDEX_FILE
    found = _open_current(path, index_key())
    if found is not None:
        return found
    try:
        return build_index(path=path)
    except OSError:
        return build_index()


def _open_current(path: Path, key: str) -> SearchIndex | None:
    if not path.exists():
        return None
    backend = None
    try:
        backend = SqliteBackend.open(path)
        if backend.meta("key") == key:
            return SearchIndex(backend, path)
    except sqlite3.Error:
        pass
    if backend is not None:
        backend.close()
    return None
