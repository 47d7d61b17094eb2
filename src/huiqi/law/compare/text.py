"""Texts of provisions as the alignment compares them: normalised, notes stripped, internal
cross-references (本条例第十二条) rewritten into the other version's numbering."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from ..model import Document, Kind, Node
from ..numerals import CN_DIGITS, article_label, cn_to_int

_SPACE = re.compile(r"\s+")
_HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？"})
_NUM = f"[{CN_DIGITS}]+"
_SELF = r"本(?:条例|办法|法|规定|细则|决定|条例实施细则)"
_ARTICLE = rf"第({_NUM})条(?:之({_NUM}))?"
XREF = re.compile(rf"({_SELF}){_ARTICLE}((?:(?:、|和|或者|至|及|以及|，)第{_NUM}条(?:之{_NUM})?)*)")
_LISTED = re.compile(rf"第({_NUM})条(?:之({_NUM}))?")


def normalise(text: str) -> str:
    """No whitespace, full-width punctuation: what counts as the same text."""
    return _SPACE.sub("", text).translate(_HALF_TO_FULL)


def body_text(node: Node) -> str:
    """An article's or paragraph's text below its number, heading excluded, normalised."""
    return normalise(node.full_text())


def without_notes(doc: Document) -> Document:
    """A copy of ``doc`` with every editorial note removed (the accuracy run's input)."""
    clean = copy.deepcopy(doc)
    for node in clean.walk():
        node.notes = []
    return clean


def has_notes(doc: Document) -> bool:
    return any(node.notes for node in doc.walk())


def article_key(article_id: str) -> tuple[int, int]:
    """``art_10_1`` → (10, 1)."""
    parts = article_id.split("/")[0].split("_")
    return int(parts[1]), int(parts[2]) if len(parts) > 2 else 0


def rewrite_xrefs(text: str, mapping: Callable[[int, int], tuple[int, int] | None]) -> str:
    """Rewrite 本条例第X条 (and lists 第X条、第Y条 after it) with ``mapping``: an earlier
    article (number, 之 suffix) → its later number, or None to leave it."""

    def one(match: re.Match[str]) -> str:
        num, suffix = cn_to_int(match.group(1)), cn_to_int(match.group(2) or "0")
        target = mapping(num, suffix)
        return article_label(*target) if target else match.group(0)

    def whole(match: re.Match[str]) -> str:
        head = match.group(1)
        rest = match.group(0)[len(head) :]
        return head + _LISTED.sub(one, rest)

    return XREF.sub(whole, text)


def xref_targets(text: str) -> list[tuple[int, int]]:
    """The article numbers an internal cross-reference names."""
    out = []
    for match in XREF.finditer(text):
        for listed in _LISTED.finditer(match.group(0)):
            out.append((cn_to_int(listed.group(1)), cn_to_int(listed.group(2) or "0")))
    return out


def paragraphs_of(article: Node) -> list[Node]:
    """The paragraphs of an article; an article written without 款 counts as one."""
    paras = [c for c in article.children if c.kind is Kind.PARAGRAPH]
    return paras or [article]
