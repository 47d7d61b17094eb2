"""huiqi.law — legal texts as data: parse, cite, search, export. Pure Python, no Django."""

from .citations import node_path_label, render
from .citations import parse as parse_citation
from .errors import (
    CitationSyntaxError,
    InputError,
    LawError,
    ParseError,
    UnknownDocument,
    UnknownProvision,
)
from .library import Entry, Jurisdiction, Library, bundled
from .model import (
    Annotation,
    Comparison,
    ComparisonRow,
    DateEvent,
    Document,
    Kind,
    Node,
    ParseWarning,
)
from .parse import parse_bytes, parse_file, parse_text

__all__ = [
    "Annotation",
    "CitationSyntaxError",
    "Comparison",
    "ComparisonRow",
    "DateEvent",
    "Document",
    "Entry",
    "InputError",
    "Jurisdiction",
    "Kind",
    "LawError",
    "Library",
    "Node",
    "ParseError",
    "ParseWarning",
    "UnknownDocument",
    "UnknownProvision",
    "bundled",
    "node_path_label",
    "parse_bytes",
    "parse_citation",
    "parse_file",
    "parse_text",
    "render",
]
