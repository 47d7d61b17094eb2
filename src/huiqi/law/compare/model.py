"""What an alignment of two versions holds: article pairs, paragraph pairs, relations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Document, Node


class Relation(StrEnum):
    """How a provision of the earlier version relates to one of the later version."""

    SAME = "same"  # same text, same number
    MODIFIED = "modified"  # text changed
    RENUMBERED = "renumbered"  # same text, another number
    MOVED = "moved"  # now in another chapter
    SPLIT = "split"  # part of the earlier provision's text went to this later one
    MERGED = "merged"  # the earlier provision's text went into a later one with its own origin
    ADDED = "added"  # no earlier counterpart
    DELETED = "deleted"  # no later counterpart


ONE_TO_ONE = frozenset({Relation.SAME, Relation.MODIFIED, Relation.RENUMBERED, Relation.MOVED})
"""Relations of a primary pair: each provision has at most one, and it is a row of the 对照稿."""
PARTIAL = frozenset({Relation.SPLIT, Relation.MERGED})
"""Relations of content that went to (or came from) a provision paired with another one."""


class MatchedBy(StrEnum):
    """Which step of the alignment made a pair."""

    NOTE = "note"  # an editorial note of a 修改对照稿: （原第十三条）
    EXACT = "exact"  # identical text
    TFIDF = "tfidf"  # character n-gram similarity, position prior, optimal assignment
    XREF = "xref"  # the same, after rewriting internal cross-references with the first pass
    CONTAINMENT = "containment"  # text largely contained in another provision (split/merge)
    NONE = "none"  # added or deleted


@dataclass(frozen=True)
class Pair:
    """A pair of provisions (node ids; ``None`` on the side that has none)."""

    old: str | None
    new: str | None
    relation: Relation
    score: float
    matched_by: MatchedBy


@dataclass(frozen=True)
class ArticlePair(Pair):
    """A pair of articles, with the paragraphs of matched articles paired in turn."""

    paragraphs: tuple[Pair, ...] = ()


@dataclass
class Alignment:
    """Two versions of a text and how their articles correspond.

    ``pairs`` holds every link: the primary (one-to-one) pairs, the split/merge links, and an
    added or deleted entry for each article without any link. ``rows()`` lays the primary
    pairs out as the rows of a 修改对照稿, each article in exactly one row."""

    old: Document
    new: Document
    pairs: list[ArticlePair] = field(default_factory=list)

    @property
    def primary(self) -> list[ArticlePair]:
        return [p for p in self.pairs if p.relation in ONE_TO_ONE]

    @property
    def partial(self) -> list[ArticlePair]:
        return [p for p in self.pairs if p.relation in PARTIAL]

    def partner_of_old(self, old_id: str) -> str | None:
        return next((p.new for p in self.primary if p.old == old_id), None)

    def partner_of_new(self, new_id: str) -> str | None:
        return next((p.old for p in self.primary if p.new == new_id), None)

    def mapping(self) -> dict[str, str]:
        """Earlier article id → later article id, for the primary pairs."""
        return {p.old: p.new for p in self.primary if p.old and p.new}

    def rows(self) -> list[tuple[Node | None, Node | None, ArticlePair | None]]:
        """The rows of a 修改对照稿: each primary pair in one row, every other article alone
        (a split or merged article too: the 对照稿 shows it alone, with a note saying where
        its text went or came from). Later-version order; an earlier-only row follows the row
        of the earlier article before it."""
        old_arts = {a.id: a for a in self.old.articles}
        new_arts = {a.id: a for a in self.new.articles}
        old_order = [a.id for a in self.old.articles]
        by_new = {p.new: p for p in self.primary}
        paired_old = {p.old for p in self.primary}
        rows: list[tuple[Node | None, Node | None, ArticlePair | None]] = []
        placed_old: set[str] = set()

        def flush_old_before(limit: int) -> None:
            """Earlier-only articles before index ``limit`` of the earlier version."""
            for old_id in old_order[:limit]:
                if old_id not in paired_old and old_id not in placed_old:
                    rows.append((old_arts[old_id], None, None))
                    placed_old.add(old_id)

        for new_id, art in new_arts.items():
            pair = by_new.get(new_id)
            if pair is not None and pair.old is not None:
                flush_old_before(old_order.index(pair.old))
                rows.append((old_arts[pair.old], art, pair))
                placed_old.add(pair.old)
            else:
                rows.append((None, art, None))
        flush_old_before(len(old_order))
        return rows

    def links_of_old(self, old_id: str) -> list[ArticlePair]:
        return [p for p in self.pairs if p.old == old_id]

    def links_of_new(self, new_id: str) -> list[ArticlePair]:
        return [p for p in self.pairs if p.new == new_id]
