"""Editorial notes of a 修改对照稿: （原第十三条第一款）, （移至第二十一条第一款）,
（对列项的顺序作了调整）. They annotate a provision and are never part of its text."""

from __future__ import annotations

import re

from .model import Annotation, Kind, NoteRef, node_segment
from .numerals import CN_DIGITS, cn_to_int

_NUM = f"[{CN_DIGITS}]+"
NOTE_VOCABULARY = re.compile(r"原第|移至|调整|对调|内容|删去|删除|合并|拆分|修改|新增|增加")
_NOTE_AT_END = re.compile(r"^(.*?)[（(]([^（）()]+)[）)]\s*$")
_REF = re.compile(rf"(?:第({_NUM})条(?:之({_NUM}))?)?(?:第({_NUM})款)?(?:第[（(]({_NUM})[）)]项)?")
_SCOPE = re.compile(rf"^((?:前|后|最后)[{CN_DIGITS}]*句)")


def split_note(line: str) -> tuple[str, str | None]:
    """``…制度。（原第十三条第一款）`` → (``…制度。``, ``原第十三条第一款``).
    A parenthesis counts as a note only if it speaks of editing (原, 移至, 调整 …)."""
    match = _NOTE_AT_END.match(line)
    if not match or not NOTE_VOCABULARY.search(match.group(2)):
        return line, None
    return match.group(1).rstrip(), match.group(2).strip()


def _refs(text: str) -> list[str]:
    """Node ids named in a note: 第十三条第一款 → art_13/para_1; 第一款 alone → para_1."""
    out = []
    for match in _REF.finditer(text):
        art, suffix, para, item = match.groups()
        if not any((art, para, item)):
            continue
        segs = []
        if art:
            segs.append(
                node_segment(Kind.ARTICLE, cn_to_int(art), cn_to_int(suffix) if suffix else 0)
            )
        if para:
            segs.append(node_segment(Kind.PARAGRAPH, cn_to_int(para)))
        if item:
            segs.append(node_segment(Kind.ITEM, cn_to_int(item)))
        out.append("/".join(segs))
    return out


def parse_note(text: str, node: str) -> Annotation:
    """Structure a note attached to ``node`` (an id in the version the note stands in).

    原… points back to the earlier version, 移至… forward to the later one; a reference
    without an article (第一款与第二款的顺序对调) is to the same article."""
    scope_match = _SCOPE.match(text)
    scope = scope_match.group(1) if scope_match else None
    if "原" in text:
        kind, version = "origin", "earlier"
    elif "移至" in text:
        kind, version = "moved", "later"
    elif "调整" in text or "对调" in text:
        kind, version = "reordered", "same"
    else:
        kind, version = "other", "same"
    article = node.split("/")[0]
    refs = []
    for ref in _refs(text):
        if ref.startswith("art_"):
            refs.append(NoteRef(version, ref))
        else:
            refs.append(NoteRef("same", f"{article}/{ref}"))
    return Annotation(kind=kind, text=text, node=node, scope=scope, refs=tuple(refs))
