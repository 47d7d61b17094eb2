"""Alignment of two versions: relations, the steps that made each pair, and the accuracy
on the 湖南 修改对照稿 measured against the table's own rows."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiqi.law import Comparison, bundled, parse_file
from huiqi.law.compare import MatchedBy, Relation, align, without_notes
from huiqi.law.compare.accuracy import score, table_links
from huiqi.law.compare.text import rewrite_xrefs

from .compare_helpers import (
    doc_of,
    renumbered,
    with_article_inserted,
    with_article_moved,
    without_article,
)
from .corpus import corpus_path

HUNAN_OLD = "430000-sme-measures-revision-draft"
HUNAN_NEW = "430000-sme-measures-second-reading-2020-09-16"
CHANGCHUN = "220100-sme-promotion-2025-04-03"
DOC_IDS = [e.id for e in bundled().entries if e.id != "cn-civil-code-general-2020-05-28"]


@pytest.fixture(scope="module")
def hunan() -> Comparison:
    parsed = parse_file(corpus_path("hunan-comparison-2020.txt"))
    assert isinstance(parsed, Comparison)
    return parsed


def test_hunan_from_texts_alone_reproduces_the_table(hunan: Comparison) -> None:
    old, new = (without_notes(v) for v in hunan.versions)
    assert not any(n.notes for v in (old, new) for n in v.walk())
    result = score(align(old, new, use_notes=False), hunan)
    assert result.expected == len(table_links(hunan)) == 42
    assert result.precision >= 0.9, result.wrong
    assert result.recall >= 0.9, result.missed


def test_hunan_known_pairs(hunan: Comparison) -> None:
    al = align(*(without_notes(v) for v in hunan.versions), use_notes=False)
    mapping = al.mapping()
    assert mapping["art_10"] == "art_11"  # 第十条 → 第十一条 after the new 产融合作白名单
    assert mapping["art_18"] == "art_20"  # not 第二十条, whose text was merged into it
    assert "art_20" not in mapping
    relations = {p.old: p.relation for p in al.pairs if p.old}
    assert relations["art_21"] is Relation.DELETED
    added = {p.new for p in al.pairs if p.relation is Relation.ADDED}
    assert {"art_10", "art_12", "art_13", "art_33"} <= added


def test_notes_link_the_moved_paragraphs(hunan: Comparison) -> None:
    al = align(*hunan.versions)
    noted = {(p.old, p.new): p for p in al.partial}
    assert noted[("art_13", "art_21")].matched_by is MatchedBy.NOTE
    assert noted[("art_13", "art_21")].relation is Relation.SPLIT  # 第十三条 went two ways
    assert noted[("art_20", "art_20")].relation is Relation.MERGED
    assert ("art_19", "art_15") in noted  # 后两句移至第十五条第四款
    assert noted[("art_13", "art_16")].paragraphs[0].old == "art_13/para_2"


def test_containment_finds_moved_text_without_notes(hunan: Comparison) -> None:
    al = align(*(without_notes(v) for v in hunan.versions), use_notes=False)
    found = {(p.old, p.new): p for p in al.partial}
    assert found[("art_20", "art_20")].matched_by is MatchedBy.CONTAINMENT
    assert ("art_13", "art_21") in found


def _texts(doc_id: str, start: int, count: int) -> list[tuple[str, ...]]:
    arts = bundled().document(doc_id).articles
    start %= len(arts)
    arts = arts[start : start + count]
    return [tuple(p.full_text() for p in a.paragraphs) or (a.full_text(),) for a in arts]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_id=st.sampled_from(DOC_IDS), start=st.integers(0, 30), count=st.integers(1, 25))
def test_a_document_aligned_with_itself_is_all_same(doc_id: str, start: int, count: int) -> None:
    doc = doc_of(*_texts(doc_id, start, count))
    al = align(doc, copy.deepcopy(doc))
    assert al.pairs
    assert {p.relation for p in al.pairs} == {Relation.SAME}
    for pair in al.pairs:
        assert {q.relation for q in pair.paragraphs} == {Relation.SAME}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_id=st.sampled_from(DOC_IDS), start=st.integers(0, 30), count=st.integers(2, 25))
def test_an_article_inserted_in_front_renumbers_the_rest(
    doc_id: str, start: int, count: int
) -> None:
    texts = _texts(doc_id, start, count)
    if len(set(texts)) < len(texts):
        return  # repeated texts (删除) pair in order, which is not what this checks
    extra = "为了测试条文对齐，在本条例最前面增加的这一条，与其他各条的文字都不相同。"
    old = doc_of(*texts)
    new = doc_of(extra, *texts)
    al = align(old, new)
    by_new = {p.new: p for p in al.pairs}
    assert by_new["art_1"].relation is Relation.ADDED
    for k in range(1, len(texts) + 1):
        pair = by_new[f"art_{k + 1}"]
        assert (pair.old, pair.relation) == (f"art_{k}", Relation.RENUMBERED)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_id=st.sampled_from(DOC_IDS), count=st.integers(2, 25), data=st.data())
def test_a_deleted_article_is_deleted(doc_id: str, count: int, data: st.DataObject) -> None:
    texts = _texts(doc_id, 0, count)
    if len(set(texts)) < len(texts):
        return
    gone = data.draw(st.integers(0, len(texts) - 1))
    al = align(doc_of(*texts), doc_of(*(t for k, t in enumerate(texts) if k != gone)))
    relations = {p.old: p.relation for p in al.pairs}
    assert relations.pop(f"art_{gone + 1}") is Relation.DELETED
    for k, relation in relations.items():
        num = int(k.split("_")[1])
        assert relation is (Relation.SAME if num <= gone else Relation.RENUMBERED)


def test_real_document_with_an_article_inserted() -> None:
    doc = bundled().document(CHANGCHUN)
    new = with_article_inserted(
        doc,
        0,
        "本条例所称营商环境，是指中小企业在市场准入、生产经营、退出等过程中涉及的各种外部因素和条件。",
    )
    al = align(doc, new)
    assert [p.relation for p in al.pairs].count(Relation.ADDED) == 1
    assert all(
        p.relation is Relation.RENUMBERED and p.matched_by is MatchedBy.EXACT
        for p in al.pairs
        if p.old
    )
    assert al.mapping()["art_45"] == "art_46"


def test_real_document_with_an_article_deleted_and_one_moved() -> None:
    doc = bundled().document(CHANGCHUN)
    shorter = without_article(doc, 10)
    al = align(doc, shorter)
    assert {p.old: p.relation for p in al.pairs}["art_11"] is Relation.DELETED
    moved = with_article_moved(doc, 2, 5)  # 第三条 from 第一章 to the end of 第六章
    al = align(doc, moved)
    relations = {p.old: p.relation for p in al.pairs}
    assert relations["art_3"] is Relation.MOVED
    assert relations["art_1"] is Relation.SAME
    assert relations["art_4"] is Relation.RENUMBERED


def test_cross_references_follow_the_renumbering() -> None:
    first = "中小企业发展专项资金由市人民政府在本级预算中安排，并逐步扩大资金规模。"
    second = "专项资金的使用情况，应当依照本条例第一条的规定每年向社会公开，接受社会监督。"
    old = doc_of(first, second)
    new = doc_of(
        "市人民政府应当建立中小企业服务体系，为中小企业提供政策咨询和融资对接等服务。",
        first,
        "专项资金的使用情况，应当依照本条例第二条的规定每年向社会公开，接受社会监督。",
    )
    al = align(old, new)
    pair = next(p for p in al.pairs if p.old == "art_2")
    assert (pair.new, pair.relation, pair.matched_by) == (
        "art_3",
        Relation.RENUMBERED,
        MatchedBy.XREF,
    )


def test_rewrite_xrefs_lists() -> None:
    text = "依照本条例第十二条、第十三条和第二十条之一的规定；本办法第三条"
    out = rewrite_xrefs(text, lambda n, s: (n + 1, s))
    assert out == "依照本条例第十三条、第十四条和第二十一条之一的规定；本办法第四条"


def test_split_and_merge() -> None:
    a = "县级以上人民政府应当建立中小企业融资风险补偿机制，对金融机构的中小企业贷款损失给予补偿。"
    b = "鼓励保险机构开发中小企业贷款保证保险产品，为中小企业提供贷款保证保险服务。"
    c = "行业协会、商会应当加强行业自律，依法维护会员合法权益，反映会员诉求。"
    split = align(doc_of((a, b), c), doc_of(a, b, c))
    link = next(p for p in split.partial)
    assert (link.old, link.new, link.relation) == ("art_1", "art_2", Relation.SPLIT)
    assert link.matched_by is MatchedBy.CONTAINMENT
    merged = align(doc_of(a, b, c), doc_of((a, b), c))
    link = next(p for p in merged.partial)
    assert (link.old, link.new, link.relation) == ("art_2", "art_1", Relation.MERGED)
    assert merged.mapping() == {"art_1": "art_1", "art_3": "art_2"}


def test_threshold_decides_added_and_deleted() -> None:
    old = doc_of("市人民政府应当设立中小企业发展基金，支持初创期中小企业发展。")
    new = doc_of("市人民政府可以根据实际情况设立中小企业发展基金。")
    assert align(old, new).pairs[0].relation is Relation.MODIFIED
    strict = align(old, new, threshold=0.99, move_threshold=0.99)
    assert sorted(p.relation.value for p in strict.pairs) == ["added", "deleted"]


def test_renumbered_helper_keeps_ids_consistent() -> None:
    doc = renumbered(copy.deepcopy(bundled().document(HUNAN_NEW)))
    for art in doc.articles:
        assert all(n.id.startswith(art.id) for n in art.walk())


def test_a_deleted_scope_clause_is_not_taken_for_moved_text() -> None:
    """长春 第二条第一款 (本市行政区域内促进中小企业发展工作，适用本条例) shares most of its
    trigrams with 第四条's boilerplate; deleting 第二条 is still a deletion (found by
    hypothesis)."""
    texts = _texts("220100-sme-promotion-2025-04-03", 0, 4)
    al = align(doc_of(*texts), doc_of(texts[0], texts[2], texts[3]))
    relations = {p.old: p.relation for p in al.pairs}
    assert relations["art_2"] is Relation.DELETED
    assert relations["art_3"] is relations["art_4"] is Relation.RENUMBERED


def test_one_shared_sentence_does_not_make_a_deleted_article_merged() -> None:
    """款项支付条例 (2025) 第九条第三款 (……另有规定的，从其规定) reads like 第十条's; deleting
    第九条 is a deletion, not a merge into 第十条 (found by hypothesis)."""
    texts = _texts("cn-sme-payment-regulation-2025-03-17", 0, 10)
    al = align(doc_of(*texts), doc_of(*(t for k, t in enumerate(texts) if k != 8)))
    relations = {p.old: p.relation for p in al.pairs}
    assert relations["art_9"] is Relation.DELETED
    assert relations["art_10"] is Relation.RENUMBERED
