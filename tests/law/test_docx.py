"""Word (.docx) input: a text as paragraphs, a 修改对照稿 as a two-column table, broken files."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import pytest

from huiqi.law import Comparison, Document, InputError, parse_bytes, parse_file

from .corpus import corpus_path


def _corpus(name: str) -> str:
    return corpus_path(name).read_text("utf-8")


def _comparison_cells(text: str) -> list[list[str]]:
    """The cells of the text-extracted 修改对照稿: a tab-led line starts a cell, the lines
    below it continue it, blank lines end nothing."""
    cells: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            cells.append([line.strip()] if line.strip() else [])
        elif cells and line.strip() and not line.strip().startswith("（制作时间"):
            cells[-1].append(line.strip())
    return cells


@pytest.fixture
def hunan_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    for line in _corpus("hunan-2021.txt").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "湖南办法.docx"
    document.save(path)
    return path


def test_docx_paragraphs_parse_like_the_text(hunan_docx):
    doc = parse_file(hunan_docx)
    assert isinstance(doc, Document)
    assert doc.title is None and doc.source == str(hunan_docx)
    assert len(doc.articles) == 36
    art11 = doc.article(11)
    assert len(art11.paragraphs) == 2
    first, second = art11.paragraphs
    assert len(first.items) == 7 and second.items == []
    assert first.items[0].text.startswith("增加小型微型企业融资规模和比例")
    from_text = parse_bytes(_corpus("hunan-2021.txt").encode("utf-8"))
    assert [a.full_text() for a in doc.articles] == [a.full_text() for a in from_text.articles]
    assert doc.event("effective").isoformat() == "2021-01-01"


ROWS = 12  # the first twelve rows: plain pairs, an added article, a list of items with a note


@pytest.fixture
def comparison_docx(tmp_path: Path) -> Path:
    cells = _comparison_cells(_corpus("hunan-comparison-2020.txt"))
    document = docx.Document()
    document.add_paragraph(
        "《湖南省实施〈中华人民共和国中小企业促进法〉办法（修订草案）》修改对照稿"
    )
    table = document.add_table(rows=0, cols=2)
    for left, right in zip(
        cells[0 : 2 * (ROWS + 1) : 2], cells[1 : 2 * (ROWS + 1) : 2], strict=True
    ):
        row = table.add_row().cells
        for cell, lines in zip(row, (left, right), strict=True):
            cell.paragraphs[0].text = lines[0] if lines else ""
            for line in lines[1:]:
                cell.add_paragraph(line)
    path = tmp_path / "对照稿.docx"
    document.save(path)
    return path


def test_docx_table_parses_as_a_comparison(comparison_docx):
    cmp = parse_file(comparison_docx)
    assert isinstance(cmp, Comparison)
    assert cmp.labels == ("修订草案", "二次审议稿")
    assert cmp.title == "《湖南省实施〈中华人民共和国中小企业促进法〉办法（修订草案）》修改对照稿"
    assert [(r.earlier, r.later) for r in cmp.rows] == [
        *[([f"art_{n}"], [f"art_{n}"]) for n in range(1, 10)],
        ([], ["art_10"]),
        (["art_10"], ["art_11"]),
        ([], ["art_12"]),
    ]
    full = parse_bytes(_corpus("hunan-comparison-2020.txt").encode("utf-8"))
    for version, whole in zip(cmp.versions, full.versions, strict=True):
        for article in version.articles:
            original = whole.find(article.id)
            assert article.heading == original.heading
            assert article.full_text() == original.full_text()
    earlier, later = cmp.versions
    assert len(later.article(2).paragraphs) == 3
    assert len(earlier.article(10).paragraphs[0].items) == 7
    assert [n.text for n in earlier.article(10).notes] == ["对列项的顺序作了调整"]


def test_corrupt_docx_is_an_input_error_naming_the_file(tmp_path):
    path = tmp_path / "损坏的文件.docx"
    path.write_bytes(os.urandom(2048))
    with pytest.raises(InputError, match=r"不是有效的 \.docx 文件") as caught:
        parse_file(path)
    assert "损坏的文件.docx" in str(caught.value)


def test_docx_with_broken_xml_is_an_input_error(hunan_docx, tmp_path):
    path = tmp_path / "截断.docx"
    with zipfile.ZipFile(hunan_docx) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)
    with pytest.raises(InputError, match=r"截断\.docx"):
        parse_file(path)
