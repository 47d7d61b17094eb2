"""Property: a generated regulation, typeset one paragraph per line or broken into PDF-style
lines with blank lines and page numbers between them, parses back into the same tree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from huiqi.law import parse_text
from huiqi.law.numerals import article_label, int_to_cn, item_label

_CHARS = "中小企业发展促进政府部门应当支持融资担保服务平台创新市场人才公共采购权益保护监督检查"
_clause = st.text(alphabet=_CHARS, min_size=4, max_size=60)


@st.composite
def regulations(draw):
    """Chapters of articles; each article has paragraphs, a paragraph may have items."""
    chapters = []
    for _ in range(draw(st.integers(1, 3))):
        articles = []
        for _ in range(draw(st.integers(1, 4))):
            paragraphs = []
            for _ in range(draw(st.integers(1, 3))):
                items = draw(st.lists(_clause, max_size=4))
                if items:
                    paragraphs.append((draw(_clause) + "：", [i + "；" for i in items]))
                else:
                    paragraphs.append((draw(_clause) + "。", []))
            articles.append(paragraphs)
        chapters.append((draw(st.text(alphabet=_CHARS, min_size=2, max_size=6)), articles))
    return chapters


def _lines(chapters) -> list[str]:
    lines, num = [], 0
    for c, (heading, articles) in enumerate(chapters, start=1):
        lines.append(f"第{int_to_cn(c)}章 {heading}")
        for paragraphs in articles:
            num += 1
            for p, (text, items) in enumerate(paragraphs):
                lines.append(f"{article_label(num)} {text}" if p == 0 else text)
                lines.extend(f"{item_label(i)}{item}" for i, item in enumerate(items, start=1))
    return lines


def _pdf(lines: list[str], width: int, page_every: int) -> str:
    """Break every line at ``width`` characters, blank line after each, a page number now and then."""
    out, count = [], 0
    for line in lines:
        pieces = [line[i : i + width] for i in range(0, len(line), width)]
        for piece in pieces:
            out.extend([piece, ""])
            count += 1
            if count % page_every == 0:
                out.extend(["", str(count // page_every + 1), "", ""])
    return "\n".join(out)


def _shape(doc):
    return [
        (
            chapter.heading,
            [
                [(p.text, [i.text for i in p.items]) for p in art.paragraphs]
                for art in chapter.children
            ],
        )
        for chapter in doc.chapters
    ]


def _expected(chapters):
    return [
        (heading, [[(text, items) for text, items in paragraphs] for paragraphs in articles])
        for heading, articles in chapters
    ]


@given(regulations())
def test_one_paragraph_per_line_round_trips(chapters):
    doc = parse_text("\n".join(_lines(chapters)))
    assert _shape(doc) == _expected(chapters)
    assert not doc.warnings


@settings(max_examples=150)
@given(regulations(), st.integers(18, 30), st.integers(7, 40))
def test_pdf_extraction_round_trips(chapters, width, page_every):
    lines = _lines(chapters)
    doc = parse_text(_pdf(lines, width, page_every))
    assert _shape(doc) == _expected(chapters)
