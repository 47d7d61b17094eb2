"""Character-level differences of two texts: diff-match-patch with semantic clean-up, so a
rewritten phrase shows as one deletion and one addition rather than scattered characters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mark(StrEnum):
    EQUAL = "equal"
    DELETED = "deleted"  # shaded in the earlier column: 删去或者移动
    ADDED = "added"  # bold in the later column: 增加
    NOTE = "note"  # an editorial note written by the generator: （原第十三条第一款）


@dataclass(frozen=True)
class Segment:
    text: str
    mark: Mark = Mark.EQUAL


def char_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """The earlier text as equal/deleted segments and the later one as equal/added ones."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(old, new, False)
    dmp.diff_cleanupSemantic(diffs)
    left: list[Segment] = []
    right: list[Segment] = []
    for op, text in diffs:
        if op == 0:
            _append(left, Segment(text))
            _append(right, Segment(text))
        elif op < 0:
            _append(left, Segment(text, Mark.DELETED))
        else:
            _append(right, Segment(text, Mark.ADDED))
    return left, right


def _append(out: list[Segment], seg: Segment) -> None:
    if out and out[-1].mark is seg.mark:
        out[-1] = Segment(out[-1].text + seg.text, seg.mark)
    else:
        out.append(seg)


def whole(text: str, mark: Mark) -> list[Segment]:
    return [Segment(text, mark)] if text else []


def split_lines(segments: list[Segment]) -> list[list[Segment]]:
    """Segments cut at line breaks: one list per displayed line (a paragraph's items)."""
    lines: list[list[Segment]] = [[]]
    for seg in segments:
        parts = seg.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append(Segment(part, seg.mark))
    return lines
