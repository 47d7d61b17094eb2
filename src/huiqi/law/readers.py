"""Turn each input format into numbered raw lines for the parser.

* plain text from PDF/Word: one raw line per line;
* LawRefBook Markdown: ``# title``, header lines up to ``<!-- INFO END -->``, ``##`` headings;
* ``.docx``: one line per Word paragraph; a two-column table (a 修改对照稿) becomes one
  tab-led cell per line, the layout the comparison parser reads.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from .errors import InputError
from .numerals import int_to_cn
from .text import normalise_spaces

_PART_LABEL = re.compile(r"^第.+编")


@dataclass(frozen=True)
class RawLine:
    """A source line with its 1-based number; ``role`` is body, header or title."""

    num: int | None
    text: str
    role: str = "body"


def text_lines(text: str) -> list[RawLine]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [RawLine(i, normalise_spaces(line)) for i, line in enumerate(text.split("\n"), start=1)]


def markdown_lines(text: str) -> list[RawLine]:
    """LawRefBook Markdown: the first ``#`` is the title, a later ``#`` a 编 (part)."""
    lines = text_lines(text)
    has_info_end = any(r.text.strip() == "<!-- INFO END -->" for r in lines)
    in_header = has_info_end
    out: list[RawLine] = []
    title_seen = False
    parts = 0
    for r in lines:
        stripped = r.text.strip()
        if stripped == "<!-- INFO END -->":
            in_header = False
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            heading = stripped[level:].strip()
            if level == 1 and not title_seen:
                out.append(RawLine(r.num, heading, "title"))
                title_seen = True
            elif level == 1:
                parts += 1
                label = (
                    heading if _PART_LABEL.match(heading) else f"第{int_to_cn(parts)}编 {heading}"
                )
                out.append(RawLine(r.num, label))
            else:
                out.append(RawLine(r.num, heading, "header" if in_header else "body"))
            continue
        out.append(RawLine(r.num, r.text, "header" if in_header else "body"))
    return out


def docx_lines(data: bytes, source: str | None = None) -> list[RawLine]:
    """Paragraphs and tables of a Word file, in document order."""
    from docx import Document as DocxDocument
    from docx.table import Table

    try:
        document = DocxDocument(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(
            "不是有效的 .docx 文件：文件已损坏，或不是 Word 文档", source=source
        ) from exc
    texts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            texts.extend(_table_lines(block))
        else:
            texts.extend(block.text.split("\n"))
    return [RawLine(i, normalise_spaces(t)) for i, t in enumerate(texts, start=1)]


def _table_lines(table: object) -> list[str]:
    out: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = row.cells
        if len(cells) == 2:
            for cell in cells:
                first, *rest = cell.text.split("\n") or [""]
                out.append("\t" + first)
                out.extend(rest)
            out.append("")
        else:
            out.extend(cell.text for cell in cells)
    return out
