"""The document tree of a Chinese legal text: 编/章/节/条/款/项/目.

Node ids are paths of Arabic numbers that never embed the chapter (``art_43``,
``art_12/para_1/item_3``), so an article keeps its id when it moves to another chapter.
Divisions have their own ids (``part_1``, ``chp_2``, ``chp_2/sec_1``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """Levels of a legal text, in the order they nest."""

    PART = "part"  # 编
    CHAPTER = "chapter"  # 章
    SECTION = "section"  # 节
    ARTICLE = "article"  # 条
    PARAGRAPH = "paragraph"  # 款
    ITEM = "item"  # 项
    SUBITEM = "subitem"  # 目


DIVISION_KINDS = (Kind.PART, Kind.CHAPTER, Kind.SECTION)
DIVISION_CHARS = {Kind.PART: "编", Kind.CHAPTER: "章", Kind.SECTION: "节"}
_ID_PREFIX = {
    Kind.PART: "part",
    Kind.CHAPTER: "chp",
    Kind.SECTION: "sec",
    Kind.ARTICLE: "art",
    Kind.PARAGRAPH: "para",
    Kind.ITEM: "item",
    Kind.SUBITEM: "sub",
}


def node_segment(kind: Kind, num: int, suffix: int = 0) -> str:
    """One segment of a node id: ``art_10``, ``art_10_1`` (第十条之一), ``para_2``."""
    seg = f"{_ID_PREFIX[kind]}_{num}"
    return f"{seg}_{suffix}" if suffix else seg


@dataclass(frozen=True)
class NoteRef:
    """A provision an editorial note points to, in the earlier or the later version."""

    version: str  # "earlier", "later" or "same"
    node: str  # node id, e.g. "art_13/para_1"


@dataclass(frozen=True)
class Annotation:
    """An editorial note of a 修改对照稿, e.g. （原第十三条第一款）, kept apart from the text.

    ``kind`` is ``origin`` (原…), ``moved`` (移至…), ``reordered`` (…顺序作了调整 / 对调)
    or ``other``; ``scope`` names the part of the provision concerned (后两句, 最后一句).
    """

    kind: str
    text: str
    node: str
    scope: str | None = None
    refs: tuple[NoteRef, ...] = ()


@dataclass
class Node:
    """One provision or division. ``text`` is the node's own text (for a paragraph with
    items, the lead-in before （一）); ``heading`` is a division's name or an article's
    【…】 heading."""

    kind: Kind
    num: int
    id: str
    label: str
    heading: str | None = None
    text: str = ""
    suffix: int = 0  # 之一 → 1
    line: int | None = None  # 1-based line of the source where the node starts
    children: list[Node] = field(default_factory=list)
    notes: list[Annotation] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """The node's text with everything below it, one line per paragraph/item."""
        parts = [self.text] if self.text else []
        parts.extend(child.full_text() for child in self.children)
        return "\n".join(p for p in parts if p)

    @property
    def paragraphs(self) -> list[Node]:
        return [c for c in self.children if c.kind is Kind.PARAGRAPH]

    @property
    def items(self) -> list[Node]:
        return [c for c in self.children if c.kind is Kind.ITEM]


@dataclass(frozen=True)
class DateEvent:
    """A dated step in a text's life, as its header states it: 通过, 批准, 公布, 施行, 修订…"""

    kind: str  # adopted, approved, promulgated, effective, revised, amended, prepared
    on: date
    text: str


NUMBERING_PROBLEMS = frozenset(
    {"article-gap", "article-repeat", "article-order", "division-repeat"}
)


@dataclass(frozen=True)
class ParseWarning:
    """Something a reader must check: a skipped or repeated article number, a dropped line.

    ``code`` classifies it; those in :data:`NUMBERING_PROBLEMS` mean the text's own
    numbering is wrong (the parser keeps it as written and never renumbers)."""

    line: int | None
    message: str
    code: str = "other"

    @property
    def is_numbering_problem(self) -> bool:
        return self.code in NUMBERING_PROBLEMS


@dataclass
class Document:
    """A parsed legal text: header metadata plus the tree of divisions and articles."""

    title: str | None
    body: list[Node]
    header: list[str] = field(default_factory=list)
    events: list[DateEvent] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source: str | None = None
    stage_note: str | None = None  # e.g. 征求意见稿 stated under the title

    def walk(self) -> Iterator[Node]:
        for node in self.body:
            yield from node.walk()

    @property
    def articles(self) -> list[Node]:
        return [n for n in self.walk() if n.kind is Kind.ARTICLE]

    @property
    def chapters(self) -> list[Node]:
        return [n for n in self.walk() if n.kind is Kind.CHAPTER]

    def find(self, node_id: str) -> Node | None:
        for node in self.walk():
            if node.id == node_id:
                return node
        return None

    def article(self, num: int, suffix: int = 0) -> Node | None:
        return self.find(node_segment(Kind.ARTICLE, num, suffix))

    def chapter_of(self) -> dict[str, Node]:
        """Map each article id to the chapter that contains it."""
        out: dict[str, Node] = {}

        def visit(nodes: list[Node], chapter: Node | None) -> None:
            for node in nodes:
                if node.kind is Kind.CHAPTER:
                    visit(node.children, node)
                elif node.kind in DIVISION_KINDS:
                    visit(node.children, chapter)
                elif node.kind is Kind.ARTICLE and chapter is not None:
                    out[node.id] = chapter

        visit(self.body, None)
        return out

    def event(self, kind: str) -> date | None:
        for ev in self.events:
            if ev.kind == kind:
                return ev.on
        return None


@dataclass
class ComparisonRow:
    """One row of a 修改对照稿: the earlier cell's and the later cell's article ids."""

    earlier: list[str]
    later: list[str]
    line: int | None = None


@dataclass
class Comparison:
    """A 修改对照稿 split into its two versions, keeping each table row as a pair."""

    title: str | None
    labels: tuple[str, str]  # column headings, e.g. ("修订草案", "二次审议稿")
    versions: tuple[Document, Document]
    rows: list[ComparisonRow]
    header: list[str] = field(default_factory=list)
    events: list[DateEvent] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source: str | None = None
