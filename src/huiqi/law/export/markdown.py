"""Markdown in the LawRefBook layout, which :func:`huiqi.law.parse_text` reads back.

``# 标题``, the header and date lines, ``<!-- INFO END -->``, then ``# 第一编 …``,
``## 第一章 …``, ``### 第一节 …``; each article starts a line ``第一条【标题】 …``; every 款,
项 and 目 is a line of its own, separated by blank lines. Editorial notes of a 修改对照稿 are
left out: the format has no place for them that the parser would not read as text.
"""

from __future__ import annotations

from ..library import Entry
from ..model import Document, Kind, Node
from ._common import DATE_NAMES, display_title

_HASHES = {Kind.PART: "#", Kind.CHAPTER: "##", Kind.SECTION: "###"}
INFO_END = "<!-- INFO END -->"


def document_to_markdown(doc: Document, entry: Entry | None = None) -> str:
    """The whole document as LawRefBook Markdown, ending with a newline.

    A document without a title gets a bare ``#`` line, so that a first 编 heading is not
    taken for the title when the text is read back."""
    title = display_title(doc, entry)
    blocks = [f"# {title}" if title else "#"]
    blocks.extend(_header_lines(doc, entry, title))
    blocks.append(INFO_END)
    for node in doc.body:
        blocks.extend(_blocks(node))
    return "\n\n".join(blocks) + "\n"


def _header_lines(doc: Document, entry: Entry | None, title: str | None) -> list[str]:
    lines = [line for line in doc.header if line != title]
    if doc.stage_note and not any(doc.stage_note in line for line in lines):
        lines.insert(0, f"（{doc.stage_note}）")
    if not doc.header and entry is not None:
        lines.extend(_dated_lines(entry))
    return lines


def _dated_lines(entry: Entry) -> list[str]:
    """One line per manifest date, worded so the parser reads it back: ``2021年1月1日 施行``,
    ``（制作时间：2020年9月16日）``."""
    lines = []
    for kind, on in sorted(entry.dates.items(), key=lambda kv: kv[1]):
        day = f"{on.year}年{on.month}月{on.day}日"
        lines.append(
            f"（制作时间：{day}）" if kind == "prepared" else f"{day} {DATE_NAMES.get(kind, kind)}"
        )
    return lines


def _blocks(node: Node) -> list[str]:
    if node.kind in _HASHES:
        heading = f"{_HASHES[node.kind]} {node.label}"
        out = [f"{heading} {node.heading}" if node.heading else heading]
        for child in node.children:
            out.extend(_blocks(child))
        return out
    return _article(node)


def _article(article: Node) -> list[str]:
    head = article.label + (f"【{article.heading}】" if article.heading else "")
    lines: list[str] = []
    for para in article.paragraphs:
        if para.text:
            lines.append(para.text)
        for item in para.items:
            lines.append(f"{item.label}{item.text}")
            lines.extend(f"{sub.num}. {sub.text}" for sub in item.children)
    paragraphs = article.paragraphs
    if not paragraphs or not paragraphs[0].text:
        return [head, *lines]
    return [f"{head} {lines[0]}", *lines[1:]]
