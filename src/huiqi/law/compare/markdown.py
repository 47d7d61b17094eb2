"""The 修改对照稿 as a Markdown table: ~~deleted or moved~~ and **added**."""

from __future__ import annotations

from .diff import Mark, Segment
from .sheet import Cell, Sheet


def sheet_to_markdown(sheet: Sheet) -> str:
    out = [
        f"# {sheet.title}",
        "",
        f"（{sheet.legend}；此处删去或者移动的文字以删除线标示，增加的文字以粗体标示）",
        "",
        f"| {_escape(sheet.labels[0])} | {_escape(sheet.labels[1])} |",
        "| --- | --- |",
    ]
    for row in sheet.rows:
        out.append(f"| {_cell(row.old)} | {_cell(row.new)} |")
    return "\n".join(out) + "\n"


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return ""
    head = f"{_escape(cell.label)}{_segments(cell.heading)}"
    lines = [_segments(line) for line in cell.lines]
    if lines:
        lines[0] = f"{head}　{lines[0]}"
    else:
        lines = [head]
    return "<br>".join(lines)


def _segments(segments: list[Segment]) -> str:
    out = []
    for seg in segments:
        text = _escape(seg.text)
        if not text.strip():
            out.append(text)
        elif seg.mark is Mark.DELETED:
            out.append(f"~~{text}~~")
        elif seg.mark is Mark.ADDED:
            out.append(f"**{text}**")
        else:
            out.append(text)
    return "".join(out)


def _escape(text: str) -> str:
    """Table-safe text: no pipe, no emphasis characters read as markup."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("~", "\\~")
        .replace("<", "&lt;")
    )
