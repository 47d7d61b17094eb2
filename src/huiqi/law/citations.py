"""Citations of provisions, both ways: ``art_12/para_1/item_3`` ⇄ 第十二条第一款第（三）项.

A citation names a document (《长春市促进中小企业发展条例》) and a node id; node ids are
paths of Arabic numbers that do not contain the chapter (see :mod:`huiqi.law.model`).
"""

from __future__ import annotations

import re

from .errors import CitationSyntaxError
from .model import Kind, node_segment
from .numerals import CN_DIGITS, article_label, cn_to_int, int_to_cn, item_label

_NUM = f"[{CN_DIGITS}]+"
_SEGMENT = re.compile(r"^(part|chp|sec|art|para|item|sub)_(\d+)(?:_(\d+))?(?:_dup(\d+))?$")
_CITATION = re.compile(
    rf"^(?:《(?P<title>[^》]+)》|本(?:条例|办法|法|规定|细则))?"
    rf"(?:第(?P<art>{_NUM}|\d+)条(?:之(?P<suffix>{_NUM}))?)"
    rf"(?:第(?P<para>{_NUM}|\d+)款)?"
    rf"(?:第[（(](?P<item>{_NUM}|\d+)[）)]项)?"
    rf"(?:第(?P<sub>\d+|{_NUM})目)?$"
)


def node_path_label(node_id: str) -> str:
    """``art_12/para_1/item_3`` → 第十二条第一款第（三）项; ``chp_2`` → 第二章."""
    out = []
    for seg in node_id.split("/"):
        match = _SEGMENT.match(seg)
        if not match:
            raise CitationSyntaxError(f"无法识别的节点编号：{node_id}")
        kind, num, suffix = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if kind == "art":
            out.append(article_label(num, suffix))
            if match.group(4):
                out.append(f"（重复编号，第{match.group(4)}行）")
        elif kind == "para":
            out.append(f"第{int_to_cn(num)}款")
        elif kind == "item":
            out.append(f"第{item_label(num)}项")
        elif kind == "sub":
            out.append(f"第{num}目")
        else:
            out.append(f"第{int_to_cn(num)}{ {'part': '编', 'chp': '章', 'sec': '节'}[kind] }")
    return "".join(out)


def render(title: str | None, node_id: str | None = None) -> str:
    """《长春市促进中小企业发展条例》第四十三条; title marks inside a title become 〈〉:
    《湖南省实施〈中华人民共和国中小企业促进法〉办法》第十四条."""
    head = f"《{title.replace('《', '〈').replace('》', '〉')}》" if title else ""
    return head + (node_path_label(node_id) if node_id else "")


def parse(text: str) -> tuple[str | None, str]:
    """Parse a citation: ``第十二条第一款第（三）项`` → (None, ``art_12/para_1/item_3``);
    ``《长春市促进中小企业发展条例》第四十三条`` → (title, ``art_43``); ``本条例第七十六条``
    → (None, ``art_76``)."""
    cleaned = re.sub(r"\s+", "", text)
    match = _CITATION.match(cleaned)
    if not match:
        raise CitationSyntaxError(
            f"无法解析的条文引用：“{text}”（应形如“第十二条第一款第（三）项”）"
        )
    segs = [
        node_segment(
            Kind.ARTICLE,
            cn_to_int(match["art"]),
            cn_to_int(match["suffix"]) if match["suffix"] else 0,
        )
    ]
    if match["para"]:
        segs.append(node_segment(Kind.PARAGRAPH, cn_to_int(match["para"])))
    if match["item"]:
        if not match["para"]:
            segs.append(node_segment(Kind.PARAGRAPH, 1))
        segs.append(node_segment(Kind.ITEM, cn_to_int(match["item"])))
    if match["sub"]:
        if not match["item"]:
            raise CitationSyntaxError(f"引用了目却没有项：“{text}”")
        segs.append(node_segment(Kind.SUBITEM, cn_to_int(match["sub"])))
    return match["title"], "/".join(segs)
