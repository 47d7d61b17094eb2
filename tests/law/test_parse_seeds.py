"""The five seed texts, as extracted from the published PDF/Word files, parse into the
structure their documents have."""

from __future__ import annotations

import re
from datetime import date

import pytest

from huiqi.law import Comparison, Document, Kind, parse_file
from huiqi.law.numerals import cn_to_int

from .corpus import corpus_path


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document | Comparison]:
    names = (
        "changchun-draft",
        "changchun-2025",
        "shenzhen-draft",
        "hunan-comparison-2020",
        "hunan-2021",
    )
    return {name: parse_file(corpus_path(f"{name}.txt")) for name in names}


@pytest.mark.parametrize(
    ("name", "articles", "chapters"),
    [
        ("changchun-draft", 80, 9),
        ("changchun-2025", 45, 7),
        ("shenzhen-draft", 81, 10),
        ("hunan-2021", 36, 0),
    ],
)
def test_article_and_chapter_counts(seeds, name, articles, chapters):
    doc = seeds[name]
    assert [a.num for a in doc.articles] == list(range(1, articles + 1))
    assert len(doc.chapters) == chapters
    assert [c.num for c in doc.chapters] == list(range(1, chapters + 1))


def test_comparison_splits_into_two_versions(seeds):
    cmp = seeds["hunan-comparison-2020"]
    assert isinstance(cmp, Comparison)
    assert cmp.labels == ("修订草案", "二次审议稿")
    earlier, later = cmp.versions
    assert [a.num for a in earlier.articles] == list(range(1, 39))
    assert [a.num for a in later.articles] == list(range(1, 36))
    assert not earlier.chapters and not later.chapters
    assert all(a.heading for a in later.articles)
    assert not any(a.heading for a in earlier.articles)


def test_comparison_keeps_each_row_as_a_pair(seeds):
    rows = seeds["hunan-comparison-2020"].rows
    assert len(rows) == 42
    pairs = [(r.earlier, r.later) for r in rows]
    assert pairs[0] == (["art_1"], ["art_1"])
    assert ([], ["art_10"]) in pairs  # 第十条【产融合作白名单】 is new in the 二次审议稿
    assert (["art_10"], ["art_11"]) in pairs
    assert (["art_37"], ["art_34"]) in pairs
    assert (["art_38"], ["art_35"]) in pairs
    assert sum(1 for r in rows if not r.earlier) == 4
    assert sum(1 for r in rows if not r.later) == 7


def test_editorial_notes_are_annotations_not_text(seeds):
    earlier, later = seeds["hunan-comparison-2020"].versions
    for doc in (earlier, later):
        for node in doc.walk():
            assert not re.search(r"原第|移至|作了调整|对调", node.text), node.id
    notes = {(n.node, n.text): n for a in later.articles for n in a.notes}
    origin = notes[("art_21/para_1", "原第十三条第一款")]
    assert origin.kind == "origin"
    assert [(r.version, r.node) for r in origin.refs] == [("earlier", "art_13/para_1")]
    moved = {n.text: n for a in earlier.articles for n in a.notes}
    assert moved["移至第二十一条第一款"].node == "art_13/para_1"
    assert moved["移至第二十一条第一款"].refs[0].node == "art_21/para_1"
    assert moved["后两句移至第十五条第四款"].scope == "后两句"
    assert moved["对列项的顺序作了调整"].kind == "reordered"
    assert moved["对列项的顺序作了调整"].node == "art_10/para_1/item_7"
    assert moved["最后一句的位置作了调整"].node == "art_37/para_1"


def test_every_heading_kept_apart_from_text(seeds):
    for name in ("changchun-draft", "shenzhen-draft"):
        doc = seeds[name]
        assert all(a.heading for a in doc.articles), name
        assert not any("【" in p.text for a in doc.articles for p in a.paragraphs)
    assert seeds["changchun-draft"].article(1).heading == "立法目的"


def test_draft_article_12_first_paragraph_has_seven_items(seeds):
    art = seeds["changchun-draft"].article(12)
    assert len(art.paragraphs) == 2
    assert len(art.paragraphs[0].items) == 7
    assert art.paragraphs[0].items[2].text.startswith("推广以应收账款")
    assert art.paragraphs[1].text.startswith("鼓励和引导政策性金融机构")


def test_inline_items_of_hunan_article_11(seeds):
    art = seeds["hunan-2021"].article(11)
    assert len(art.paragraphs) == 2
    first = art.paragraphs[0]
    assert first.text == "各类金融机构应当按照国家规定采取以下措施支持中小企业发展："
    assert len(first.items) == 7
    assert first.items[0].text.startswith("增加小型微型企业融资规模")
    assert first.items[6].text.endswith("简化程序办理续贷。")
    assert not any("（" + n + "）" in first.items[i].text for i, n in enumerate("一二三四五六七"))


def test_pdf_page_numbers_are_not_article_text(seeds):
    doc = seeds["changchun-2025"]
    for art in doc.articles[:-1]:
        assert not re.search(r"\d", art.full_text()), art.label
    assert doc.article(45).full_text() == "本条例自2025年5月1日起施行。"


def test_pdf_lines_broken_mid_sentence_are_rejoined(seeds):
    doc = seeds["changchun-2025"]
    art43 = doc.article(43)
    assert [p.text for p in art43.paragraphs] == [
        "市、县（市）区人民政府有关部门、行业协会、商会应当公布联系方式，依法受理中小企业的投诉、"
        "举报，并在收到投诉、举报之日起二十个工作日内予以调查处理，并进行书面答复。"
    ]
    art27 = doc.article(27)  # a page break (page number 10) falls between its two paragraphs
    assert len(art27.paragraphs) == 2
    assert art27.paragraphs[1].text.startswith(
        "促进中小企业发展工作的综合管理部门应当会同发展和改革"
    )
    art44 = doc.article(44)
    assert len(art44.paragraphs[0].items) == 5
    assert (
        art44.paragraphs[0].items[1].text == "未按照规定受理、办理中小企业诉求或者反馈办理结果的；"
    )
    assert not any(" " in n.text for n in doc.walk())


def test_header_dates_of_the_adopted_changchun_text(seeds):
    doc = seeds["changchun-2025"]
    assert doc.title == "长春市促进中小企业发展条例"
    assert doc.event("adopted") == date(2024, 12, 26)
    assert doc.event("approved") == date(2025, 3, 27)
    assert doc.event("promulgated") == date(2025, 4, 3)
    assert doc.event("effective") == date(2025, 5, 1)
    assert doc.chapters[0].heading == "总则"


def test_implicit_first_chapter_of_the_shenzhen_draft(seeds):
    doc = seeds["shenzhen-draft"]
    first = doc.chapters[0]
    assert first.num == 1 and first.heading is None
    assert [a.num for a in first.children] == list(range(1, 9))
    assert doc.chapters[1].heading == "服务体系"
    assert doc.chapters[-1].heading == "附则"
    assert doc.title == "深圳经济特区中小企业发展促进条例"
    assert doc.stage_note == "征求意见稿"
    assert any(w.code == "implicit-chapter" for w in doc.warnings)


def test_texts_without_a_title_have_none(seeds):
    assert seeds["changchun-draft"].title is None
    assert seeds["hunan-2021"].title is None


def test_hunan_effective_date_stated_in_article_36(seeds):
    doc = seeds["hunan-2021"]
    assert doc.event("effective") == date(2021, 1, 1)


def test_source_article_numbers_match_the_raw_text():
    """Every line that starts an article in the raw seed becomes exactly one article."""
    for name in ("changchun-draft", "shenzhen-draft", "hunan-2021"):
        raw = corpus_path(f"{name}.txt").read_text("utf-8")
        nums = [cn_to_int(m) for m in re.findall(r"^\s*第([一二三四五六七八九十百]+)条", raw, re.M)]
        doc = parse_file(corpus_path(f"{name}.txt"))
        assert [a.num for a in doc.articles] == nums
        assert all(a.kind is Kind.ARTICLE for a in doc.articles)
