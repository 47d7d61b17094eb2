"""Build the 编/章/节/条/款/项/目 tree from logical lines (one paragraph, item or heading each)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import DIVISION_CHARS, DIVISION_KINDS, Kind, Node, ParseWarning, node_segment
from .notes import parse_note
from .numerals import CN_DIGITS, article_label, cn_to_int, int_to_cn, item_label
from .text import squeeze_spaces

_NUM = f"[{CN_DIGITS}]+"
DIVISION_RE = re.compile(rf"^第\s*({_NUM})\s*([编章节])\s*(.*)$")
ARTICLE_RE = re.compile(
    rf"^第\s*({_NUM})\s*条(?:\s*之\s*({_NUM}))?(?=[\s【]|$)\s*(?:【([^】]*)】)?\s*(.*)$"
)
ITEM_RE = re.compile(rf"^[（(]\s*({_NUM}|\d{{1,2}})\s*[）)]\s*(.*)$")
SUBITEM_RE = re.compile(r"^(\d{1,2})\s*[.．]\s*(?!\d)(.*)$")
_KIND_OF_CHAR = {v: k for k, v in DIVISION_CHARS.items()}
_DIVISION_HEADING_MAX = 30


@dataclass
class Line:
    """A logical line: a paragraph, item or heading, rejoined if extraction broke it."""

    num: int | None
    text: str
    notes: list[str] = field(default_factory=list)


def match_division(text: str) -> tuple[Kind, int, str] | None:
    """``第二章 资金支持`` → (CHAPTER, 2, "资金支持"); refuses sentences that merely start
    with 第二章 (a heading is short and has no sentence punctuation)."""
    match = DIVISION_RE.match(text)
    if not match:
        return None
    heading = squeeze_spaces(match.group(3).strip())
    if len(heading) > _DIVISION_HEADING_MAX or any(ch in heading for ch in "。；，、：！？"):
        return None
    return _KIND_OF_CHAR[match.group(2)], cn_to_int(match.group(1)), heading


def is_structural(text: str) -> bool:
    return bool(ARTICLE_RE.match(text)) or match_division(text) is not None


def starts_item(text: str) -> bool:
    """Does the line open an item （一） or a sub-item 1.?"""
    return bool(ITEM_RE.match(text) or SUBITEM_RE.match(text))


def split_inline_items(text: str) -> tuple[str, list[str]]:
    """Split （一）（二）… that run inline in one paragraph (湖南 办法 第十一条).

    An item label counts only where a list can start or go on: （一） after ：, the next
    ones after ；or 。 — so references like 第（一）项 stay in the text."""
    pos, n, cuts = 0, 1, []
    while True:
        label = item_label(n)
        idx = text.find(label, pos)
        while idx > 0 and text[idx - 1] not in ("：" if n == 1 else "；。：") + " ":
            idx = text.find(label, idx + 1)
        if idx < 0 or (idx == 0 and n == 1):
            break
        cuts.append(idx)
        pos, n = idx + len(label), n + 1
    if len(cuts) < 2:
        return text, []
    lead = text[: cuts[0]].strip()
    items = [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    return lead, [ITEM_RE.match(item).group(2) for item in items]  # type: ignore[union-attr]


class TreeBuilder:
    """Feed logical lines in order; ``body`` and ``warnings`` hold the result."""

    def __init__(self) -> None:
        self.body: list[Node] = []
        self.warnings: list[ParseWarning] = []
        self._divisions: dict[Kind, Node | None] = dict.fromkeys(DIVISION_KINDS)
        self._article: Node | None = None
        self._paragraph: Node | None = None
        self._item: Node | None = None
        self._last_article: tuple[int, int] | None = None
        self._article_ids: set[str] = set()
        self.articles: list[Node] = []
        self._division_ids: set[str] = set()

    def warn(self, code: str, line: int | None, message: str) -> None:
        self.warnings.append(ParseWarning(line, message, code))

    def feed(self, line: Line) -> None:
        text = line.text.strip()
        division = match_division(text)
        if division:
            self._division(line.num, *division)
            return
        match = ARTICLE_RE.match(text)
        if match:
            node = self._start_article(line.num, match)
        elif self._article is None:
            self.warn("stray-text", line.num, f"条文之外的文字，未计入任何条：{text[:30]}")
            return
        else:
            node = self._provision(line.num, text)
        for note in line.notes:
            self._article.notes.append(parse_note(note, node.id))  # type: ignore[union-attr]

    def _parent(self, kind: Kind) -> Node | None:
        """The innermost open division that a node of ``kind`` goes into."""
        above = (
            DIVISION_KINDS[: DIVISION_KINDS.index(kind)]
            if kind in DIVISION_KINDS
            else DIVISION_KINDS
        )
        return next((self._divisions[k] for k in reversed(above) if self._divisions[k]), None)

    def _container(self, kind: Kind) -> list[Node]:
        parent = self._parent(kind)
        return parent.children if parent is not None else self.body

    def _division(self, num_line: int | None, kind: Kind, num: int, heading: str) -> None:
        if kind is Kind.CHAPTER and self._divisions[Kind.CHAPTER] is None and num == 2:
            self._implicit_first_chapter(num_line)
        parent = self._parent(kind)
        seg = node_segment(kind, num)
        node_id = f"{parent.id}/{seg}" if parent is not None else seg
        if node_id in self._division_ids:
            self.warn(
                "division-repeat",
                num_line,
                f"重复的{DIVISION_CHARS[kind]}号：第{int_to_cn(num)}{DIVISION_CHARS[kind]}",
            )
            node_id = f"{node_id}_dup{num_line}"
        self._division_ids.add(node_id)
        label = f"第{int_to_cn(num)}{DIVISION_CHARS[kind]}"
        node = Node(kind, num, node_id, label, heading or None, line=num_line)
        self._container(kind).append(node)
        self._divisions[kind] = node
        for lower in DIVISION_KINDS[DIVISION_KINDS.index(kind) + 1 :]:
            self._divisions[lower] = None
        self._article = self._paragraph = self._item = None

    def _implicit_first_chapter(self, num_line: int | None) -> None:
        """Articles before 第二章 with no 第一章 heading form an implicit first chapter."""
        container = self._container(Kind.CHAPTER)
        leading = [n for n in container if n.kind is Kind.ARTICLE]
        if not leading:
            return
        part = self._divisions[Kind.PART]
        chapter_id = node_segment(Kind.CHAPTER, 1)
        if part is not None:
            chapter_id = f"{part.id}/{chapter_id}"
        chapter = Node(Kind.CHAPTER, 1, chapter_id, "第一章", None, line=leading[0].line)
        chapter.children = leading
        container[:] = [n for n in container if n.kind is not Kind.ARTICLE]
        container.insert(0, chapter)
        self._division_ids.add(chapter.id)
        self.warn(
            "implicit-chapter", num_line, "第二章之前的条文没有第一章标题，已归入隐含的第一章"
        )

    def _start_article(self, num_line: int | None, match: re.Match[str]) -> Node:
        num = cn_to_int(match.group(1))
        suffix = cn_to_int(match.group(2)) if match.group(2) else 0
        self._check_sequence(num_line, num, suffix)
        node_id = node_segment(Kind.ARTICLE, num, suffix)
        if node_id in self._article_ids:
            node_id = f"{node_id}_dup{num_line}"
        self._article_ids.add(node_id)
        heading = squeeze_spaces(match.group(3)).strip() if match.group(3) is not None else None
        article = Node(
            Kind.ARTICLE,
            num,
            node_id,
            article_label(num, suffix),
            heading or None,
            suffix=suffix,
            line=num_line,
        )
        self._container(Kind.ARTICLE).append(article)
        self.articles.append(article)
        self._article, self._paragraph, self._item = article, None, None
        rest = squeeze_spaces(match.group(4).strip())
        return self._paragraph_node(num_line, rest) if rest else article

    def _check_sequence(self, num_line: int | None, num: int, suffix: int) -> None:
        label = article_label(num, suffix)
        last = self._last_article
        if last is not None:
            if node_segment(Kind.ARTICLE, num, suffix) in self._article_ids:
                self.warn("article-repeat", num_line, f"条号重复：{label}（未重新编号）")
            elif suffix == 0 and num > last[0] + 1:
                missing = f"{article_label(last[0] + 1)}" + (
                    f"至{article_label(num - 1)}" if num - 1 > last[0] + 1 else ""
                )
                self.warn("article-gap", num_line, f"条号不连续：缺少{missing}（未重新编号）")
            elif (num, suffix) < last:
                self.warn(
                    "article-order",
                    num_line,
                    f"条号倒退：{label}出现在{article_label(*last)}之后（未重新编号）",
                )
        elif num != 1:
            self.warn("article-gap", num_line, f"第一个条文是{label}，不是第一条")
        self._last_article = (num, suffix)

    def _provision(self, num_line: int | None, text: str) -> Node:
        text = squeeze_spaces(text)
        item = ITEM_RE.match(text)
        if item:
            if item.group(1).isdigit():
                self.warn(
                    "item-label",
                    num_line,
                    f"项号（{item.group(1)}）用了阿拉伯数字，按{item_label(int(item.group(1)))}处理",
                )
            return self._item_node(num_line, cn_to_int(item.group(1)), item.group(2).strip())
        sub = SUBITEM_RE.match(text)
        if sub and self._item is not None:
            return self._subitem_node(num_line, int(sub.group(1)), sub.group(2).strip())
        return self._paragraph_node(num_line, text)

    def _paragraph_node(self, num_line: int | None, text: str) -> Node:
        article = self._article
        assert article is not None
        lead, items = split_inline_items(text)
        num = len(article.paragraphs) + 1
        para = Node(
            Kind.PARAGRAPH,
            num,
            f"{article.id}/{node_segment(Kind.PARAGRAPH, num)}",
            f"第{int_to_cn(num)}款",
            text=lead,
            line=num_line,
        )
        article.children.append(para)
        self._paragraph, self._item = para, None
        for item_text in items:
            self._item_node(num_line, len(para.items) + 1, item_text)
        return para

    def _item_node(self, num_line: int | None, num: int, text: str) -> Node:
        para = self._paragraph or self._paragraph_node(num_line, "")
        expected = len(para.items) + 1
        if num != expected:
            self.warn(
                "item-gap",
                num_line,
                f"项号不连续：{item_label(num)}之前应为{item_label(expected)}（未重新编号）",
            )
        item = Node(
            Kind.ITEM,
            num,
            f"{para.id}/{node_segment(Kind.ITEM, num)}",
            item_label(num),
            text=text,
            line=num_line,
        )
        para.children.append(item)
        self._paragraph, self._item = para, item
        return item

    def _subitem_node(self, num_line: int | None, num: int, text: str) -> Node:
        item = self._item
        assert item is not None
        sub = Node(
            Kind.SUBITEM,
            num,
            f"{item.id}/{node_segment(Kind.SUBITEM, num)}",
            f"{num}.",
            text=text,
            line=num_line,
        )
        item.children.append(sub)
        return sub
