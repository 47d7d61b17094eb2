"""Clean-up of extracted text: spaces inside Chinese, full-width spaces, page furniture,
broken lines, inline items."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from huiqi.law import Kind, parse_text
from huiqi.law.structure import split_inline_items
from huiqi.law.text import is_furniture, squeeze_spaces


def test_spaces_inside_chinese_are_removed():
    assert squeeze_spaces("2024年 12月 26日") == "2024年12月26日"
    assert squeeze_spaces("自 2025年 5月 1日起施行") == "自2025年5月1日起施行"
    assert squeeze_spaces("总 则") == "总则"
    assert squeeze_spaces("附    则") == "附则"
    assert squeeze_spaces("按 GB/T 4754 分类") == "按 GB/T 4754分类"


@given(st.text(alphabet="中小企业条例 　GB/T4754，。年月日12", max_size=40))
def test_squeeze_is_idempotent(text):
    once = squeeze_spaces(text)
    assert squeeze_spaces(once) == once


def test_page_furniture():
    for line in ("10", "- 15 -", "—3—", "第 2 页", "第2页 共15页", "3/15", "附件1"):
        assert is_furniture(line), line
    for line in ("第十条 本法所称", "2025年", "（一）"):
        assert not is_furniture(line), line


def test_full_width_spaces_and_headings():
    doc = parse_text(
        "第一章\u3000总\u3000则\n第一条\u3000为了规范，制定本条例。\n第二条　本条例适用于本市。\n"
    )
    assert doc.chapters[0].heading == "总则"
    assert doc.article(1).paragraphs[0].text == "为了规范，制定本条例。"


def test_inline_items_need_a_list_context():
    lead, items = split_inline_items("依照本条例第（一）项规定，参照第（二）项执行。")
    assert items == [] and lead.startswith("依照")
    lead, items = split_inline_items("包括：（一）甲；（二）乙；（三）丙。")
    assert lead == "包括：" and items == ["甲；", "乙；", "丙。"]


def test_subitems_and_zhi_yi_articles():
    text = "\n".join(
        [
            "第十条 下列事项：",
            "（一）第一类：",
            "1.甲；",
            "2.乙；",
            "（二）第二类。",
            "第十条之一 新增的条文。",
            "第十一条 最后一条。",
        ]
    )
    doc = parse_text(
        "第一条 总则。\n" + "\n".join(f"第{n}条 占位。" for n in "二三四五六七八九") + "\n" + text
    )
    art = doc.article(10)
    item1 = art.paragraphs[0].items[0]
    assert [s.kind for s in item1.children] == [Kind.SUBITEM, Kind.SUBITEM]
    assert item1.children[1].id == "art_10/para_1/item_1/sub_2"
    added = doc.article(10, 1)
    assert added.label == "第十条之一" and added.id == "art_10_1"
    assert not doc.warnings


def test_pdf_style_text_is_rejoined_but_one_line_paragraphs_are_not():
    pdf = "第一条 为了优化中小企业发\n\n展环境，制定本条例。\n\n第二条 本条例适用于本市行\n\n政区域。\n\n本条例所称中小企业，是指\n\n依法设立的企业。\n"
    doc = parse_text(pdf)
    assert [p.text for p in doc.article(2).paragraphs] == [
        "本条例适用于本市行政区域。",
        "本条例所称中小企业，是指依法设立的企业。",
    ]
    plain = "第一条 甲。\n第二条 乙\n丙。\n（一）丁；\n（二）戊。\n"
    doc = parse_text(plain)
    assert [p.text for p in doc.article(2).paragraphs] == ["乙丙。"]
    assert [i.text for i in doc.article(2).paragraphs[0].items] == ["丁；", "戊。"]
