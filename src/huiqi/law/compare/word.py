"""The 修改对照稿 as a Word document (python-docx): a two-column table headed by the two
versions' names; deleted or moved text shaded (``w:shd`` on the run), added text bold."""

from __future__ import annotations

import io
from typing import Any

from .diff import Mark, Segment
from .sheet import Cell, Sheet

SHADE = "C8C8C8"
FONT = "宋体"


def sheet_to_docx(sheet: Sheet) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    _east_asian(style.element, FONT)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(sheet.title)
    run.bold = True
    run.font.size = Pt(16)
    legend = doc.add_paragraph()
    legend.alignment = WD_ALIGN_PARAGRAPH.CENTER
    legend.add_run("（")
    _shade(legend.add_run("阴影部分"))
    legend.add_run("为删去或者移动，")
    legend.add_run("黑体部分").bold = True
    legend.add_run("为增加）")

    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, label in zip(header, sheet.labels, strict=True):
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(label).bold = True
    _repeat_header(table.rows[0])
    for row in sheet.rows:
        cells = table.add_row().cells
        _fill(cells[0], row.old)
        _fill(cells[1], row.new)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _fill(cell: Any, content: Cell | None) -> None:
    if content is None:
        return
    first = cell.paragraphs[0]
    first.add_run(content.label).bold = True
    _runs(first, content.heading)
    if content.lines:
        first.add_run("　")
        _runs(first, content.lines[0])
    for line in content.lines[1:]:
        _runs(cell.add_paragraph(), line)


def _runs(paragraph: Any, segments: list[Segment]) -> None:
    for seg in segments:
        run = paragraph.add_run(seg.text)
        if seg.mark is Mark.DELETED:
            _shade(run)
        elif seg.mark is Mark.ADDED:
            run.bold = True


def _shade(run: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), SHADE)
    rpr.append(shd)


def _east_asian(element: Any, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)
