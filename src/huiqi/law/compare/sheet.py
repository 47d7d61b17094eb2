"""A 修改对照稿 as data: rows of two cells (earlier | later), each cell an article's lines
as marked segments. The HTML, Word and Markdown writers render the same sheet.

Marks follow the 湖南 对照稿: in the earlier column text deleted or moved is shaded
(阴影部分为删去或者移动); in the later column text added is bold (黑体部分为增加). Where a
paragraph's text went to (or came from) an article in another row, a note says so:
（移至第二十一条第一款） after the earlier paragraph, （原第十三条第一款） after the later one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document, Kind, Node
from ..numerals import article_label
from .diff import Mark, Segment, char_diff, split_lines, whole
from .model import Alignment, ArticlePair, Pair, Relation
from .text import article_key, paragraphs_of

LEGEND = "阴影部分为删去或者移动，黑体部分为增加"


@dataclass
class Cell:
    """One article in one column: its number and heading, then one list of segments per
    displayed line (a paragraph, or an item of it)."""

    node: str
    label: str
    heading: list[Segment]
    lines: list[list[Segment]] = field(default_factory=list)

    def plain(self) -> str:
        """The cell's text without marks, notes included."""
        head = self.label + "".join(s.text for s in self.heading)
        return "\n".join([head, *("".join(s.text for s in line) for line in self.lines)])


@dataclass
class Row:
    old: Cell | None
    new: Cell | None
    relation: Relation
    score: float
    matched_by: str


@dataclass
class Sheet:
    title: str
    labels: tuple[str, str]
    rows: list[Row]
    legend: str = LEGEND


def build_sheet(
    alignment: Alignment, labels: tuple[str, str] | None = None, title: str | None = None
) -> Sheet:
    """The 对照稿 of an alignment; ``labels`` name the two columns (default: the titles)."""
    old, new = alignment.old, alignment.new
    labels = labels or (old.title or "原文", new.title or "修改后")
    moved_out: dict[str, list[Pair]] = {}
    moved_in: dict[str, list[Pair]] = {}
    for link in alignment.partial:
        for p in link.paragraphs:
            moved_out.setdefault(p.old, []).append(p)
            moved_in.setdefault(p.new, []).append(p)
    ctx = _Context(old, new, moved_out, moved_in)
    rows = []
    for old_art, new_art, pair in alignment.rows():
        if pair is not None and old_art is not None and new_art is not None:
            old_cell, new_cell = ctx.paired(old_art, new_art, pair)
            rows.append(Row(old_cell, new_cell, pair.relation, pair.score, pair.matched_by))
        elif old_art is not None:
            rel, score, by = _alone(alignment.links_of_old(old_art.id), Relation.DELETED)
            rows.append(Row(ctx.alone_old(old_art), None, rel, score, by))
        elif new_art is not None:
            rel, score, by = _alone(alignment.links_of_new(new_art.id), Relation.ADDED)
            rows.append(Row(None, ctx.alone_new(new_art), rel, score, by))
    name = title or (f"{new.title}修改对照稿" if new.title else "修改对照稿")
    return Sheet(name, labels, rows)


def _alone(links: list[ArticlePair], default: Relation) -> tuple[Relation, float, str]:
    partial = [p for p in links if p.relation in (Relation.SPLIT, Relation.MERGED)]
    if partial:
        best = max(partial, key=lambda p: p.score)
        return best.relation, best.score, best.matched_by.value
    return default, 0.0, "none"


class _Context:
    def __init__(self, old: Document, new: Document, out: dict, into: dict):
        self.old, self.new = old, new
        self.moved_out: dict[str, list[Pair]] = out
        self.moved_in: dict[str, list[Pair]] = into

    # -- cells ---------------------------------------------------------------------------

    def paired(self, old_art: Node, new_art: Node, pair: ArticlePair) -> tuple[Cell, Cell]:
        old_head, new_head = _heading_diff(old_art.heading, new_art.heading)
        old_cell = Cell(old_art.id, _label(old_art), old_head)
        new_cell = Cell(new_art.id, _label(new_art), new_head)
        by_old = {p.old: p for p in pair.paragraphs if p.old and p.new}
        by_new = {p.new: p for p in pair.paragraphs if p.old and p.new}
        old_paras = {p.id: p for p in paragraphs_of(old_art)}
        new_paras = {p.id: p for p in paragraphs_of(new_art)}
        diffs = {
            p.old: char_diff(display_text(old_paras[p.old]), display_text(new_paras[p.new]))
            for p in by_old.values()
        }
        for para in paragraphs_of(old_art):
            left = (
                diffs[para.id][0] if para.id in diffs else whole(display_text(para), Mark.DELETED)
            )
            old_cell.lines.extend(self._with_notes(left, self._out_notes(para.id)))
        for para in paragraphs_of(new_art):
            link = by_new.get(para.id)
            right = diffs[link.old][1] if link is not None else self._from_elsewhere(para)
            new_cell.lines.extend(self._with_notes(right, self._in_notes(para.id)))
        return old_cell, new_cell

    def alone_old(self, art: Node) -> Cell:
        head, _ = _heading_diff(art.heading, None)
        cell = Cell(art.id, _label(art), head)
        for para in paragraphs_of(art):
            segs = whole(display_text(para), Mark.DELETED)
            cell.lines.extend(self._with_notes(segs, self._out_notes(para.id)))
        return cell

    def alone_new(self, art: Node) -> Cell:
        _, head = _heading_diff(None, art.heading)
        cell = Cell(art.id, _label(art), head)
        for para in paragraphs_of(art):
            cell.lines.extend(self._with_notes(self._from_elsewhere(para), self._in_notes(para.id)))
        return cell

    # -- moved text ------------------------------------------------------------------------

    def _from_elsewhere(self, para: Node) -> list[Segment]:
        """A later paragraph without a partner in its row: bold, unless its text came from
        elsewhere (then only what changed on the way is bold)."""
        sources = self.moved_in.get(para.id, [])
        if len(sources) == 1:
            source = self.old.find(sources[0].old or "")
            if source is not None:
                return char_diff(display_text(source), display_text(para))[1]
        return whole(display_text(para), Mark.ADDED)

    def _out_notes(self, node_id: str) -> list[str]:
        return [f"移至{self._where(self.new, p.new)}" for p in self.moved_out.get(node_id, [])]

    def _in_notes(self, node_id: str) -> list[str]:
        return [f"原{self._where(self.old, p.old)}" for p in self.moved_in.get(node_id, [])]

    @staticmethod
    def _where(doc: Document, node_id: str | None) -> str:
        """第二十一条第一款; 第二十条 for an article of one paragraph."""
        if not node_id:
            return ""
        art_id = node_id.split("/")[0]
        art = doc.find(art_id)
        label = article_label(*article_key(art_id))
        if "/" not in node_id or art is None or len(paragraphs_of(art)) == 1:
            return label
        node = doc.find(node_id)
        return label + (node.label if node is not None and node.kind is Kind.PARAGRAPH else "")

    @staticmethod
    def _with_notes(segments: list[Segment], notes: list[str]) -> list[list[Segment]]:
        lines = split_lines(segments)
        for note in dict.fromkeys(notes):
            lines[-1].append(Segment(f"（{note}）", Mark.NOTE))
        return [line for line in lines if line]


def _label(art: Node) -> str:
    return art.label


def _heading_diff(old: str | None, new: str | None) -> tuple[list[Segment], list[Segment]]:
    o = f"【{old}】" if old else ""
    n = f"【{new}】" if new else ""
    if o == n:
        return whole(o, Mark.EQUAL), whole(n, Mark.EQUAL)
    return whole(o, Mark.DELETED), whole(n, Mark.ADDED)


def display_text(node: Node) -> str:
    """A paragraph as displayed: its text, then each item on its own line with its label
    (（一）…), sub-items below their item."""
    lines = [node.text] if node.text else []
    for child in node.children:
        if child.kind in (Kind.ITEM, Kind.SUBITEM):
            lines.append(child.label + display_text(child))
        elif child.kind is Kind.PARAGRAPH:
            lines.append(display_text(child))
    return "\n".join(lines)
