"""What every export format needs: where an article sits, and the dates that name a text."""

from __future__ import annotations

from datetime import date

from ..header import EVENT_NAMES
from ..library import Entry
from ..model import DIVISION_KINDS, Document, Kind, Node

DATE_NAMES = EVENT_NAMES
"""Chinese names of the date kinds: adopted → 通过, effective → 施行, prepared → 制作 …"""

_VERSION_DATE_KINDS = ("revised", "promulgated", "adopted", "effective", "prepared")


def article_divisions(doc: Document) -> dict[str, dict[Kind, Node]]:
    """Article id → the 编/章/节 that contain it (only the levels present)."""
    out: dict[str, dict[Kind, Node]] = {}

    def visit(nodes: list[Node], above: dict[Kind, Node]) -> None:
        for node in nodes:
            if node.kind in DIVISION_KINDS:
                visit(node.children, {**above, node.kind: node})
            elif node.kind is Kind.ARTICLE:
                out[node.id] = above

    visit(doc.body, {})
    return out


def divisions(doc: Document) -> list[Node]:
    """The 编/章/节 of a document, in document order."""
    return [n for n in doc.walk() if n.kind in DIVISION_KINDS]


def articles_below(node: Node) -> list[Node]:
    return [n for n in node.walk() if n.kind is Kind.ARTICLE]


def version_date(doc: Document, entry: Entry | None) -> tuple[str, date] | None:
    """The date that names this version, with its kind: the manifest's if there is an entry,
    else the first the text states (修订, 公布, 通过, 施行, 制作 in that order)."""
    if entry is not None:
        for kind in _VERSION_DATE_KINDS:
            if kind in entry.dates:
                return kind, entry.dates[kind]
        return None
    for kind in _VERSION_DATE_KINDS:
        on = doc.event(kind)
        if on is not None:
            return kind, on
    return None


def display_title(doc: Document, entry: Entry | None) -> str | None:
    """The document's title, else the manifest's."""
    return doc.title or (entry.title if entry is not None else None)
