"""Documents for the comparison tests, made from real corpus texts."""

from __future__ import annotations

import copy

from huiqi.law import Document, Kind, Node
from huiqi.law.numerals import article_label


def article(num: int, *paragraphs: str) -> Node:
    art = Node(Kind.ARTICLE, num, f"art_{num}", article_label(num))
    for k, text in enumerate(paragraphs, 1):
        art.children.append(Node(Kind.PARAGRAPH, k, f"art_{num}/para_{k}", f"第{k}款", text=text))
    return art


def doc_of(*articles: tuple[str, ...] | str, title: str = "测试条例") -> Document:
    """A document whose articles hold these texts (a tuple: one article of several
    paragraphs), numbered from 第一条."""
    body = []
    for num, texts in enumerate(articles, 1):
        body.append(article(num, *((texts,) if isinstance(texts, str) else texts)))
    return Document(title=title, body=body)


def renumbered(doc: Document) -> Document:
    """The document with its articles numbered again from 第一条, in order, ids of the
    paragraphs and items below them following."""
    for k, art in enumerate(doc.articles, 1):
        old_prefix, new_prefix = art.id, f"art_{k}"
        art.num, art.suffix, art.id, art.label = k, 0, new_prefix, article_label(k)
        for node in list(art.walk())[1:]:
            node.id = new_prefix + node.id[len(old_prefix) :]
    return doc


def with_article_inserted(doc: Document, index: int, *paragraphs: str) -> Document:
    """A copy with a new article before the ``index``-th one, in the same division."""
    new = copy.deepcopy(doc)
    target = new.articles[index]
    siblings = _siblings(new, target)
    siblings.insert(siblings.index(target), article(0, *paragraphs))
    return renumbered(new)


def without_article(doc: Document, index: int) -> Document:
    new = copy.deepcopy(doc)
    target = new.articles[index]
    _siblings(new, target).remove(target)
    return renumbered(new)


def with_article_moved(doc: Document, index: int, chapter_index: int) -> Document:
    """A copy with the ``index``-th article moved to the end of another chapter."""
    new = copy.deepcopy(doc)
    target = new.articles[index]
    _siblings(new, target).remove(target)
    chapter = new.chapters[chapter_index]
    holder = chapter
    while holder.children and holder.children[-1].kind is not Kind.ARTICLE:
        holder = holder.children[-1]
    holder.children.append(target)
    return renumbered(new)


def _siblings(doc: Document, target: Node) -> list[Node]:
    if target in doc.body:
        return doc.body
    for node in doc.walk():
        if target in node.children:
            return node.children
    raise LookupError(target.id)
