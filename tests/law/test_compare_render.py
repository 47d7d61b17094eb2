"""The generated 修改对照稿: HTML, DOCX and Markdown of the 湖南 修订草案 → 二次审议稿."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from huiqi.law import bundled
from huiqi.law.compare import (
    LEGEND,
    Sheet,
    align,
    build_sheet,
    sheet_to_docx,
    sheet_to_html,
    sheet_to_markdown,
)

OLD = "430000-sme-measures-revision-draft"
NEW = "430000-sme-measures-second-reading-2020-09-16"
# 第五条: 县级以上人民政府应当[根据实际情况]安排中小企业发展专项资金[，并逐步扩大资金规模]。
DELETED = "根据实际情况"
ADDED = "，并逐步扩大资金规模"


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    lib = bundled()
    al = align(lib.document(OLD), lib.document(NEW))
    return build_sheet(al, ("修订草案", "二次审议稿"))


def _row(sheet: Sheet, old_label: str):  # type: ignore[no-untyped-def]
    return next(r for r in sheet.rows if r.old and r.old.label == old_label)


def test_rows_follow_the_table(sheet: Sheet) -> None:
    labels = [(r.old.label if r.old else None, r.new.label if r.new else None) for r in sheet.rows]
    assert labels[:12] == [
        *((f"第{n}条", f"第{n}条") for n in "一二三四五六七八九"),
        (None, "第十条"),
        ("第十条", "第十一条"),
        (None, "第十二条"),
    ]
    assert ("第十三条", None) in labels
    assert len(sheet.rows) == 42


def test_notes_say_where_text_went(sheet: Sheet) -> None:
    row = _row(sheet, "第十三条")
    assert row.new is None
    assert "（移至第二十一条第一款）" in row.old.plain()
    assert "（移至第十六条第二款）" in row.old.plain()
    new_21 = next(r.new for r in sheet.rows if r.new and r.new.label == "第二十一条")
    assert "（原第十三条第一款）" in new_21.plain()
    new_20 = next(r.new for r in sheet.rows if r.new and r.new.label == "第二十条")
    assert "（原第二十条）" in new_20.plain()


def test_html_shades_deletions_and_bolds_additions(sheet: Sheet) -> None:
    html = sheet_to_html(sheet)
    assert html.startswith("<!DOCTYPE html>")
    assert f'<span class="del">{DELETED}</span>' in html
    assert f'<b class="add">{ADDED}</b>' in html
    assert "阴影部分</span>为删去或者移动，" in html and "黑体部分</span>为增加" in html
    assert "<table" in html and "@media print" in html and "Noto Sans CJK SC" in html
    assert html.count("<tr data-relation=") == len(sheet.rows)
    assert "<th>修订草案</th><th>二次审议稿</th>" in html


def test_markdown_strikes_deletions_and_bolds_additions(sheet: Sheet) -> None:
    md = sheet_to_markdown(sheet)
    assert f"~~{DELETED}~~" in md
    assert f"**{ADDED}**" in md
    assert LEGEND in md
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert table[0] == "| 修订草案 | 二次审议稿 |"
    assert len(table) == 2 + len(sheet.rows)


def test_docx_reopens_with_shading_and_bold(sheet: Sheet) -> None:
    data = sheet_to_docx(sheet)
    word = WordDocument(io.BytesIO(data))
    (table,) = word.tables
    assert [c.text for c in table.rows[0].cells] == ["修订草案", "二次审议稿"]
    assert len(table.rows) == 1 + len(sheet.rows)
    runs = [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    shaded = {
        r.text for r in runs if r._r.rPr is not None and r._r.rPr.find(qn("w:shd")) is not None
    }
    bold = {r.text for r in runs if r.bold}
    assert DELETED in shaded
    assert ADDED in bold
    assert "阴影部分" in {r.text for p in word.paragraphs for r in p.runs}


@pytest.mark.slow
def test_docx_converts_to_pdf(sheet: Sheet, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("libreoffice is not installed")
    source = tmp_path / "对照稿.docx"
    source.write_bytes(sheet_to_docx(sheet))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert (tmp_path / "对照稿.pdf").stat().st_size > 1000
