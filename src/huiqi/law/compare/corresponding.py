"""Corresponding provisions across documents: for a topic (投诉处理, 政府采购预留份额) or for
an article, the articles of the other documents that deal with the same thing, ranked by
character n-gram TF-IDF similarity, many-to-many, above a threshold.

A topic of a few characters is far from any article in TF-IDF space, so it is expanded
(pseudo-relevance feedback, Rocchio): the query vector plus the mean of its best hits —
the articles a full-text search returned (``seeds``), or else its own nearest articles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..citations import render
from ..errors import UnknownProvision
from ..library import Library, bundled
from .text import body_text

THRESHOLD = 0.15
"""Least cosine similarity of a corresponding provision."""
EXPANSION = 5
"""How many of its nearest articles expand a topic query."""
_DOC_NODE = re.compile(r"^(?P<doc>[^#\s]+)#(?P<node>\S+)$")


@dataclass(frozen=True)
class Provision:
    """An article of a library document, with its similarity to the query."""

    doc: str
    node: str
    citation: str
    jurisdiction: str
    jurisdiction_name: str
    stage: str
    heading: str | None
    text: str
    score: float
    best: str | None = None
    """The paragraph that matched best, where a paragraph matched better than the article."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "node": self.node,
            "best": self.best,
            "citation": self.citation,
            "jurisdiction": self.jurisdiction,
            "jurisdiction_name": self.jurisdiction_name,
            "stage": self.stage,
            "heading": self.heading,
            "text": self.text,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Correspondence:
    """The query (a topic, or the article it names as ``source``) and what corresponds."""

    query: str
    source: Provision | None
    matches: tuple[Provision, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "source": self.source.as_dict() if self.source else None,
            "matches": [m.as_dict() for m in self.matches],
        }


class _Corpus:
    """Every article of a library, and every paragraph of an article of several, vectorised
    once (the vectoriser is fitted on the articles)."""

    def __init__(self, library: Library):
        import numpy as np

        from .vectors import vectoriser

        self.library = library
        self.rows: list[tuple[str, Any]] = []  # (doc id, article node)
        for entry, doc in library.documents():
            self.rows.extend((entry.id, art) for art in doc.articles)
        self.vec = vectoriser().fit([body_text(art) for _, art in self.rows])
        self.matrix = self.vec.transform([body_text(art) for _, art in self.rows])
        self.position = {(d, art.id): k for k, (d, art) in enumerate(self.rows)}
        owner, paras = [], []
        for k, (_, art) in enumerate(self.rows):
            if len(art.paragraphs) > 1:
                for para in art.paragraphs:
                    owner.append(k)
                    paras.append(para)
        self.para_owner = np.array(owner, dtype=int)
        self.paras = paras
        self.para_matrix = self.vec.transform([body_text(p) for p in paras]) if paras else None

    def scores(self, vector: Any) -> tuple[Any, list[str | None]]:
        """Each article's similarity to ``vector``: the better of the article's own and its
        best paragraph's; and that paragraph's id where it is the better."""
        import numpy as np

        scores = np.asarray((self.matrix @ vector.T).todense()).ravel()
        best: list[str | None] = [None] * len(self.rows)
        if self.para_matrix is not None:
            para_scores = np.asarray((self.para_matrix @ vector.T).todense()).ravel()
            for i in np.nonzero(para_scores)[0]:
                k = self.para_owner[i]
                if para_scores[i] > scores[k]:
                    scores[k] = para_scores[i]
                    best[k] = self.paras[i].id
        return scores, best

    def provision(self, k: int, score: float, best: str | None = None) -> Provision:
        doc_id, art = self.rows[k]
        entry = self.library.get(doc_id)
        return Provision(
            doc=doc_id,
            node=art.id,
            citation=render(entry.display_title, art.id),
            jurisdiction=entry.jurisdiction.code,
            jurisdiction_name=entry.jurisdiction.name,
            stage=entry.stage,
            heading=art.heading,
            text=art.full_text(),
            score=score,
            best=best,
        )


@cache
def _bundled_corpus() -> _Corpus:
    return _Corpus(bundled())


def corpus(library: Library | None = None) -> _Corpus:
    return _bundled_corpus() if library is None or library is bundled() else _Corpus(library)


def parse_reference(text: str) -> tuple[str, str] | None:
    """``220100-sme-promotion-2025-04-03#art_43`` (or ``#43``) → (doc, node); else None."""
    match = _DOC_NODE.match(text.strip())
    if not match:
        return None
    node = match["node"]
    return match["doc"], f"art_{node}" if node.isdigit() else node


def corresponding(
    topic_or_provision: str | tuple[str, str],
    library: Library | None = None,
    threshold: float = THRESHOLD,
    limit: int = 20,
    *,
    seeds: Sequence[tuple[str, str]] = (),
    per_document: int = 3,
    other_works: bool = True,
) -> Correspondence:
    """The provisions that correspond to a topic string or to an article (``(doc, node)``
    or ``"doc#art_43"``), best first, at most ``per_document`` from one document.

    For an article, its own document is left out, and with ``other_works`` the other
    versions of the same work too (the comparison is across jurisdictions; versions are
    what :func:`huiqi.law.compare.align` compares). ``seeds`` are (doc, node) hits of a
    full-text search that expand a topic."""
    import numpy as np

    lib = library if library is not None else bundled()
    data = corpus(library)
    ref = (
        topic_or_provision
        if isinstance(topic_or_provision, tuple)
        else parse_reference(topic_or_provision)
    )
    source: Provision | None = None
    skip_docs: set[str] = set()
    if ref is not None:
        doc_id = lib.get(ref[0]).id
        node = ref[1].split("/")[0]
        k = data.position.get((doc_id, node))
        if k is None:
            raise UnknownProvision(f"{doc_id} 中没有 {node}：请写作 文件编号#art_43 或 文件编号#43")
        source = data.provision(k, 1.0)
        query = source.citation
        vector = data.matrix[k]
        skip_docs.add(doc_id)
        if other_works:
            work = lib.get(doc_id).work
            skip_docs.update(e.id for e in lib.entries if e.work == work)
    else:
        query = str(topic_or_provision).strip()
        vector = _expanded(data, query, seeds)
    scores, best = data.scores(vector)
    found: list[Provision] = []
    taken: dict[str, int] = {}
    for k in np.argsort(-scores, kind="stable"):
        score = float(scores[k])
        if score < threshold or len(found) >= limit:
            break
        doc_id = data.rows[k][0]
        if doc_id in skip_docs or taken.get(doc_id, 0) >= per_document:
            continue
        taken[doc_id] = taken.get(doc_id, 0) + 1
        found.append(data.provision(int(k), score, best[k]))
    return Correspondence(query, source, tuple(found))


def _expanded(data: _Corpus, query: str, seeds: Sequence[tuple[str, str]]) -> Any:
    """The topic's vector plus the mean of its best hits' vectors, normalised."""
    import numpy as np
    from scipy.sparse import csr_matrix

    q = data.vec.transform([query])
    rows = [data.position[s] for s in seeds if s in data.position][:EXPANSION]
    if not rows and q.nnz:
        first = np.asarray((data.matrix @ q.T).todense()).ravel()
        rows = [int(k) for k in np.argsort(-first)[:EXPANSION] if first[k] > 0]
    if not rows:
        return q
    centroid = np.asarray(data.matrix[rows].mean(axis=0))
    mixed = q.toarray() + centroid
    norm = np.linalg.norm(mixed)
    return csr_matrix(mixed / norm if norm else mixed)
