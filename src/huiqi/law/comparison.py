"""The 修改对照稿: a two-column table (earlier version | later version) flattened to text.

Each cell starts on a tab-led line; a row is an earlier cell followed by a later cell, an
empty cell being a bare tab. The first row holds the column labels (修订草案 | 二次审议稿).
Editorial notes in the cells become annotations of the provision they follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ParseError
from .header import find_events, find_title, is_footer, join_parenthesised
from .model import Comparison, ComparisonRow, Document, ParseWarning
from .notes import split_note
from .readers import RawLine
from .structure import Line, TreeBuilder, is_structural
from .text import is_furniture, squeeze_spaces

_MIN_CELLS = 4
_LABEL_MAX = 12


@dataclass
class _Cell:
    line: int | None
    lines: list[RawLine] = field(default_factory=list)


def is_comparison(raw: list[RawLine]) -> bool:
    """A table whose first row holds two short column labels and then tab-led cells."""
    cells = [r for r in raw if r.text.startswith("\t")]
    if len(cells) < _MIN_CELLS:
        return False
    labels = [c.text.strip() for c in cells[:2]]
    return all(0 < len(t) <= _LABEL_MAX and not is_structural(t) for t in labels)


def _cells(raw: list[RawLine]) -> tuple[list[RawLine], list[_Cell], list[RawLine]]:
    header: list[RawLine] = []
    cells: list[_Cell] = []
    footer: list[RawLine] = []
    for r in raw:
        if r.text.startswith("\t"):
            cells.append(_Cell(r.num))
            text = r.text.strip()
            if text:
                cells[-1].lines.append(RawLine(r.num, text))
            continue
        text = r.text.strip()
        if not text or is_furniture(text):
            continue
        if is_footer(text):
            footer.append(RawLine(r.num, text))
        elif cells:
            cells[-1].lines.append(RawLine(r.num, text))
        else:
            header.append(RawLine(r.num, text))
    return header, cells, footer


def _cell_lines(cell: _Cell) -> list[Line]:
    """Lines of one cell with notes split off; a note alone on its line annotates the
    provision above it."""
    out: list[Line] = []
    for r in cell.lines:
        text, note = split_note(r.text)
        if not text and note and out:
            out[-1].notes.append(note)
        elif text:
            out.append(Line(r.num, text, [note] if note else []))
    return out


def _version_title(title: str | None, label: str) -> str | None:
    """《湖南省实施〈…〉办法（修订草案）》修改对照稿 → 湖南省实施《…》办法（二次审议稿）."""
    if not title:
        return None
    match = re.match(r"^《(.+)》.*对照稿$", title)
    inner = match.group(1) if match else title
    inner = inner.replace("〈", "《").replace("〉", "》")
    stage = re.search(r"（[^（）]*(?:稿|草案)）$", inner)
    base = inner[: stage.start()] if stage else inner
    return f"{base}（{label}）"


def parse_comparison(raw: list[RawLine], source: str | None = None) -> Comparison:
    header, cells, footer = _cells(raw)
    label_cells, body = cells[:2], cells[2:]
    labels = tuple(squeeze_spaces(c.lines[0].text) if c.lines else "" for c in label_cells)
    warnings: list[ParseWarning] = []
    if len(body) % 2:
        warnings.append(
            ParseWarning(body[-1].line, "对照表的单元格数为奇数：最后一行缺少右栏", "table-odd")
        )
        body.append(_Cell(None))
    builders = (TreeBuilder(), TreeBuilder())
    rows: list[ComparisonRow] = []
    for left, right in zip(body[0::2], body[1::2], strict=True):
        ids: list[list[str]] = []
        for builder, cell in zip(builders, (left, right), strict=True):
            before = len(builder.articles)
            for line in _cell_lines(cell):
                builder.feed(line)
            ids.append([a.id for a in builder.articles[before:]])
        rows.append(ComparisonRow(earlier=ids[0], later=ids[1], line=left.line))
    header_text = join_parenthesised([squeeze_spaces(r.text) for r in header])
    title, _stage = find_title(header_text)
    versions = tuple(
        Document(
            title=_version_title(title, label),
            body=builder.body,
            warnings=builder.warnings,
            source=source,
            stage_note=label,
        )
        for builder, label in zip(builders, labels, strict=True)
    )
    if not any(v.articles for v in versions):
        raise ParseError("对照表中没有找到任何条文", source=source)
    return Comparison(
        title=title,
        labels=labels,  # type: ignore[arg-type]
        versions=versions,  # type: ignore[arg-type]
        rows=rows,
        header=header_text,
        events=find_events("\n".join(r.text for r in footer)),
        warnings=warnings,
        source=source,
    )
