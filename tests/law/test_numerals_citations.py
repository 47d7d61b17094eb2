"""Chinese numerals, article labels and citations, both ways."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huiqi.law import CitationSyntaxError, parse_citation, render
from huiqi.law.citations import node_path_label
from huiqi.law.numerals import NumeralError, article_label, cn_to_int, int_to_cn, parse_cn_date


@pytest.mark.parametrize(
    ("text", "num"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百", 100),
        ("一百零三", 103),
        ("二百零一", 201),
        ("二百零四", 204),
        ("零", 0),
        ("〇", 0),
        ("一〇三", 103),
        ("45", 45),
    ],
)
def test_cn_to_int(text, num):
    assert cn_to_int(text) == num


@given(st.integers(min_value=0, max_value=9999))
def test_int_to_cn_round_trips(num):
    assert cn_to_int(int_to_cn(num)) == num


def test_legal_forms_of_numbers():
    assert int_to_cn(10) == "十"
    assert int_to_cn(15) == "十五"
    assert article_label(201) == "第二百零一条"
    assert article_label(10, 1) == "第十条之一"


def test_not_a_numeral():
    with pytest.raises(NumeralError, match="不是中文数字"):
        cn_to_int("十x")


def test_dates_in_both_scripts():
    assert parse_cn_date("2024年 12月 26日通过") == date(2024, 12, 26)
    assert parse_cn_date("二〇二五年五月一日") == date(2025, 5, 1)
    assert parse_cn_date("本条例自　年　月　日起施行") is None


def test_citations_render():
    assert (
        render("长春市促进中小企业发展条例", "art_43") == "《长春市促进中小企业发展条例》第四十三条"
    )
    assert node_path_label("art_12/para_1/item_3") == "第十二条第一款第（三）项"
    assert node_path_label("art_10_1") == "第十条之一"
    assert node_path_label("part_1/chp_10") == "第一编第十章"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第十二条第一款第（三）项", (None, "art_12/para_1/item_3")),
        ("本条例第七十六条", (None, "art_76")),
        ("《长春市促进中小企业发展条例》第四十三条", ("长春市促进中小企业发展条例", "art_43")),
        ("第二百零一条", (None, "art_201")),
        ("第十条之一第二款", (None, "art_10_1/para_2")),
        ("第四十四条第（二）项", (None, "art_44/para_1/item_2")),
        ("第 四十三 条", (None, "art_43")),
    ],
)
def test_citations_parse(text, expected):
    assert parse_citation(text) == expected


@pytest.mark.parametrize("text", ["第十二款", "四十三条", "第条", "第十二条第（三）目", ""])
def test_malformed_citations_are_refused(text):
    with pytest.raises(CitationSyntaxError, match=r"无法解析|引用了目"):
        parse_citation(text)


@given(
    st.integers(1, 300),
    st.integers(0, 3),
    st.one_of(st.none(), st.integers(1, 12)),
    st.one_of(st.none(), st.integers(1, 20)),
)
def test_citation_round_trip(art, suffix, para, item):
    node = f"art_{art}" + (f"_{suffix}" if suffix else "")
    if para:
        node += f"/para_{para}"
        if item:
            node += f"/item_{item}"
    assert parse_citation(node_path_label(node)) == (None, node)
