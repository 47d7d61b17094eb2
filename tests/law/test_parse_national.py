"""The four national texts (LawRefBook Markdown) parse with every article, in order, with
their chapters — checked against the Markdown's own headings and article lines."""

from __future__ import annotations

import re

import pytest

from huiqi.law import Kind, parse_file
from huiqi.law.numerals import cn_to_int

from .corpus import corpus_path

NATIONAL = {
    "sme-promotion-law-2017.md": ("中华人民共和国中小企业促进法", 61, 10),
    "sme-payment-regulation-2020.md": ("保障中小企业款项支付条例", 29, 0),
    "sme-payment-regulation-2025.md": ("保障中小企业款项支付条例", 37, 5),
    "civil-code-general.md": ("中华人民共和国民法典", 204, 10),
}


@pytest.mark.parametrize(("name", "expected"), NATIONAL.items())
def test_every_article_in_order_with_chapters(name, expected):
    title, articles, chapters = expected
    raw = corpus_path(name).read_text("utf-8")
    doc = parse_file(corpus_path(name))
    assert doc.title == title
    assert [a.num for a in doc.articles] == list(range(1, articles + 1))
    source_articles = [
        cn_to_int(n) for n in re.findall(r"^第([零一二三四五六七八九十百]+)条", raw, re.M)
    ]
    assert [a.num for a in doc.articles] == source_articles
    source_chapters = [
        re.sub(r"\s+", "", h) for h in re.findall(r"^## 第[^章]+章\s*(.+)$", raw, re.M)
    ]
    assert [c.heading for c in doc.chapters] == source_chapters
    assert len(doc.chapters) == chapters
    assert not doc.warnings


def test_chapter_membership_of_the_payment_regulation_2025():
    doc = parse_file(corpus_path("sme-payment-regulation-2025.md"))
    chapter_of = doc.chapter_of()
    assert chapter_of["art_25"].heading == "监督管理"
    assert chapter_of["art_37"].heading == "附则"


def test_civil_code_book_one_holds_its_chapters_and_sections():
    doc = parse_file(corpus_path("civil-code-general.md"))
    (part,) = doc.body
    assert part.kind is Kind.PART and part.heading == "总则"
    sections = [n for n in doc.walk() if n.kind is Kind.SECTION]
    assert sections[0].id == "part_1/chp_2/sec_1"
    assert sections[0].heading == "民事权利能力和民事行为能力"
    art201 = doc.article(201)
    assert doc.chapter_of()[art201.id].heading == "期间计算"
    assert "开始的当日不计入" in art201.full_text()


def test_markdown_items_belong_to_the_paragraph_that_introduces_them():
    doc = parse_file(corpus_path("sme-payment-regulation-2025.md"))
    (para,) = doc.article(31).paragraphs
    assert para.text.endswith("依法给予处分：")
    assert len(para.items) == 7
    assert para.items[0].text == "未在规定的期限内支付中小企业货物、工程、服务款项；"
