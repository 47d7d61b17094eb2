"""An alignment as plain data (``huiqi law compare --format json``)."""

from __future__ import annotations

from typing import Any

from .model import Alignment, Pair
from .text import article_key


def _num(node_id: str | None) -> int | None:
    return article_key(node_id)[0] if node_id else None


def _pair(p: Pair) -> dict[str, Any]:
    return {
        "old": _num(p.old),
        "new": _num(p.new),
        "relation": p.relation.value,
        "score": round(float(p.score), 3),
        "matched_by": p.matched_by.value,
        "old_id": p.old,
        "new_id": p.new,
    }


def alignment_dict(
    alignment: Alignment, old_name: str | None = None, new_name: str | None = None
) -> dict[str, Any]:
    """``{"old": …, "new": …, "pairs": [{"old": 12, "new": 15, "relation": "modified",
    "score": 0.18, "matched_by": "tfidf", "paragraphs": […]}, …]}``: one entry per article
    link (a split or merge gives several), article numbers as integers; ``old_id`` /
    ``new_id`` keep the node ids (第十条之一 is ``art_10_1``)."""
    pairs = []
    for p in alignment.pairs:
        entry = _pair(p)
        entry["paragraphs"] = [
            {k: v for k, v in _pair(q).items() if k not in ("old", "new")} for q in p.paragraphs
        ]
        pairs.append(entry)
    return {
        "old": old_name or alignment.old.title,
        "new": new_name or alignment.new.title,
        "pairs": pairs,
    }
