"""JSON export, schema 1 (``huiqi/law/schema/document-1.schema.json``, ``docs/json-schema.md``).

Every key is always present (``null``, ``[]`` or ``{}`` when unknown), so the shape does not
depend on the input. Adding keys keeps ``"schema": 1``; removing, renaming or retyping one
bumps it.
"""

from __future__ import annotations

from typing import Any

from ..library import Entry
from ..model import Annotation, Comparison, DateEvent, Document, Kind, Node, ParseWarning
from ._common import article_divisions, articles_below, divisions

SCHEMA_VERSION = 1


def document_to_dict(doc: Document, entry: Entry | None = None) -> dict[str, Any]:
    """A document as a JSON-ready dict; ``entry`` adds what the library manifest knows."""
    places = article_divisions(doc)
    return {
        "schema": SCHEMA_VERSION,
        "kind": "document",
        "id": entry.id if entry else None,
        "work": entry.work if entry else None,
        "title": doc.title,
        "stage_note": doc.stage_note,
        "source": doc.source,
        "jurisdiction": (
            {"code": entry.jurisdiction.code, "name": entry.jurisdiction.name} if entry else None
        ),
        "type": entry.type if entry else None,
        "stage": entry.stage if entry else None,
        "dates": {k: v.isoformat() for k, v in entry.dates.items()} if entry else {},
        "version_of": entry.version_of if entry else None,
        "issuer": entry.issuer if entry else None,
        "number": entry.number if entry else None,
        "note": entry.note if entry else None,
        "header": list(doc.header),
        "events": [_event(e) for e in doc.events],
        "warnings": [_warning(w) for w in doc.warnings],
        "divisions": [_division(n) for n in divisions(doc)],
        "articles": [_article(a, places[a.id]) for a in doc.articles],
    }


def comparison_to_dict(cmp: Comparison) -> dict[str, Any]:
    """A 修改对照稿: both versions (earlier first) and the table's rows as article pairs."""
    nums = [{a.id: a.num for a in version.articles} for version in cmp.versions]
    return {
        "schema": SCHEMA_VERSION,
        "kind": "comparison",
        "title": cmp.title,
        "labels": list(cmp.labels),
        "source": cmp.source,
        "header": list(cmp.header),
        "events": [_event(e) for e in cmp.events],
        "warnings": [_warning(w) for w in cmp.warnings],
        "versions": [document_to_dict(v) for v in cmp.versions],
        "rows": [
            {
                "earlier": [nums[0][i] for i in row.earlier],
                "later": [nums[1][i] for i in row.later],
                "earlier_ids": list(row.earlier),
                "later_ids": list(row.later),
                "line": row.line,
            }
            for row in cmp.rows
        ],
    }


def _event(event: DateEvent) -> dict[str, Any]:
    return {"kind": event.kind, "date": event.on.isoformat(), "text": event.text}


def _warning(warning: ParseWarning) -> dict[str, Any]:
    return {"line": warning.line, "code": warning.code, "message": warning.message}


def _division(node: Node) -> dict[str, Any]:
    parent, _, _ = node.id.rpartition("/")
    return {
        "id": node.id,
        "kind": node.kind.value,
        "num": node.num,
        "label": node.label,
        "heading": node.heading,
        "line": node.line,
        "parent": parent or None,
        "articles": [a.id for a in articles_below(node)],
    }


def _article(node: Node, places: dict[Kind, Node]) -> dict[str, Any]:
    def num_of(kind: Kind) -> int | None:
        return places[kind].num if kind in places else None

    return {
        "id": node.id,
        "num": node.num,
        "suffix": node.suffix,
        "label": node.label,
        "heading": node.heading,
        "part": num_of(Kind.PART),
        "chapter": num_of(Kind.CHAPTER),
        "section": num_of(Kind.SECTION),
        "line": node.line,
        "paragraphs": [_paragraph(p) for p in node.paragraphs],
        "notes": [_note(a) for n in node.walk() for a in n.notes],
    }


def _paragraph(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "num": node.num,
        "text": node.text,
        "line": node.line,
        "items": [item.text for item in node.items],
        "items_detail": [_item(item) for item in node.items],
    }


def _item(node: Node) -> dict[str, Any]:
    return {
        **_leaf(node),
        "subitems": [_leaf(sub) for sub in node.children if sub.kind is Kind.SUBITEM],
    }


def _leaf(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "num": node.num,
        "label": node.label,
        "text": node.text,
        "line": node.line,
    }


def _note(note: Annotation) -> dict[str, Any]:
    return {
        "kind": note.kind,
        "text": note.text,
        "node": note.node,
        "scope": note.scope,
        "refs": [{"version": r.version, "node": r.node} for r in note.refs],
    }
