"""Export a parsed document to JSON (schema 1), Akoma Ntoso 3.0, LawRefBook Markdown or a
standalone HTML page. Pure functions: they return text (bytes for AKN) and write nothing.

Only JSON takes a whole 修改对照稿 (:class:`Comparison`); the other formats take one
:class:`Document`, so a comparison is exported one version at a time (``cmp.versions``).
"""

from __future__ import annotations

import json as stdlib_json  # the submodule .json shadows the name json here
from collections.abc import Callable
from dataclasses import dataclass

from ..library import Entry
from ..model import Comparison, Document
from .akn import document_to_akn
from .html import document_to_html
from .json import SCHEMA_VERSION, comparison_to_dict, document_to_dict
from .markdown import document_to_markdown


def to_json(doc: Document | Comparison, entry: Entry | None = None) -> str:
    """JSON schema 1, UTF-8 text (not ASCII-escaped), indented by 2."""
    data = comparison_to_dict(doc) if isinstance(doc, Comparison) else document_to_dict(doc, entry)
    return stdlib_json.dumps(data, ensure_ascii=False, indent=2)


def to_akn(doc: Document, entry: Entry | None = None) -> bytes:
    """Akoma Ntoso 3.0 XML, UTF-8 encoded."""
    return document_to_akn(doc, entry)


def to_markdown(doc: Document, entry: Entry | None = None) -> str:
    """LawRefBook Markdown that :func:`huiqi.law.parse_text` reads back to the same articles."""
    return document_to_markdown(doc, entry)


def to_html(doc: Document, entry: Entry | None = None) -> str:
    """A standalone, printable HTML5 page."""
    return document_to_html(doc, entry)


@dataclass(frozen=True)
class Format:
    """An export format as the CLI and the web layer offer it."""

    name: str
    label: str  # shown to users
    suffix: str
    media_type: str
    render: Callable[..., str | bytes]
    takes_comparison: bool = False


FORMATS: dict[str, Format] = {
    "json": Format("json", "JSON", ".json", "application/json", to_json, takes_comparison=True),
    "akn": Format("akn", "Akoma Ntoso XML", ".xml", "application/akn+xml", to_akn),
    "md": Format("md", "Markdown", ".md", "text/markdown; charset=utf-8", to_markdown),
    "html": Format("html", "HTML 网页", ".html", "text/html; charset=utf-8", to_html),
}

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "Format",
    "comparison_to_dict",
    "document_to_dict",
    "to_akn",
    "to_html",
    "to_json",
    "to_markdown",
]
