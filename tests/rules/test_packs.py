"""Jurisdiction packs: every value cites a provision that exists; lookups walk up the
hierarchy and fail loudly for a date no value covers."""

from __future__ import annotations

from datetime import date

import pytest

from huiqi.law import bundled
from huiqi.law.citations import node_path_label
from huiqi.rules.citations import Citation, CitationKind, cite, instruments
from huiqi.rules.errors import NotInForce, PackError, UnknownCitation, UnknownJurisdiction
from huiqi.rules.jurisdictions import jurisdiction, jurisdictions, lineage
from huiqi.rules.packs import (
    DEFAULT_PACKS,
    PARAMETERS,
    Period,
    Unit,
    available_packs,
    load_pack,
    rules,
)
from huiqi.rules.size import standards

PACKS = ("national", "changchun", "shenzhen", "hunan", "hunan_revision_draft")


def _assert_resolves(citation: Citation) -> None:
    """The citation names an existing node of a bundled document, or a declared instrument."""
    if citation.kind is CitationKind.LAW:
        entry = bundled().get(citation.source)
        assert entry.id == citation.source
        assert citation.node is not None, f"{citation.text}: 引用法规须写到条"
        assert bundled().document(entry.id).find(citation.node) is not None, citation.text
        assert citation.text.endswith(node_path_label(citation.node))
    else:
        assert citation.kind in (CitationKind.INSTRUMENT, CitationKind.COMMITMENT)
        instrument = instruments()[citation.source]
        assert instrument.kind is citation.kind
        assert citation.node is None or citation.node in instrument.provisions


def test_the_issue_packs_are_bundled():
    assert set(PACKS) == set(available_packs())
    assert set(DEFAULT_PACKS) < set(PACKS)


@pytest.mark.parametrize("name", PACKS)
def test_every_citation_in_every_pack_resolves(name):
    pack = load_pack(name)
    assert pack.parameters, name
    for parameter in pack.parameters.values():
        assert parameter.name in PARAMETERS
        for value in parameter.values:
            _assert_resolves(value.citation)


def test_every_citation_of_the_size_standards_resolves():
    for standard in standards():
        refs = [
            standard.citation,
            standard.tier_rule,
            standard.by_reference_rule,
            standard.individual_business_rule,
            *(g.citation for g in standard.groups.values()),
            *(p.citation for p in standard.placements.values()),
        ]
        for citation in refs:
            _assert_resolves(citation)


def test_declared_instruments_say_what_and_who_and_when():
    for instrument in instruments().values():
        assert instrument.title and instrument.issuer
        if instrument.kind is CitationKind.INSTRUMENT:
            assert instrument.number and instrument.date, instrument.id
        for key, label in instrument.provisions.items():
            if key.startswith("art_"):
                assert label == node_path_label(key), (instrument.id, key)


def test_citations_render_like_the_law_is_cited():
    assert (
        cite("220100-sme-promotion-2025-04-03", "art_43").text
        == "《长春市促进中小企业发展条例》第四十三条"
    )
    assert (
        cite("cn-sme-payment-regulation-2025-03-17", "art_9/para_1").text
        == "《保障中小企业款项支付条例》（2025年版）第九条第一款"
    )
    assert cite("miit-2011-300", "art_4/item_2").text == (
        "《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条第（二）项"
    )
    draft = cite("440300-sme-promotion-draft", "art_45/para_1/item_2")
    assert draft.draft and not draft.is_law
    assert "征求意见稿" in draft.text
    commitment = cite("430000-complaint-commitment")
    assert commitment.kind is CitationKind.COMMITMENT and not commitment.is_law
    assert "非法定期限" in commitment.text


@pytest.mark.parametrize(
    ("source", "node", "message"),
    [
        ("220100-sme-promotion-2025-04-03", "art_99", "没有节点"),
        ("no-such-document", None, "未收录"),
        ("220100-sme-promotion-2025", "art_43", "完整编号"),
        ("miit-2011-300", "art_99", "没有声明条款"),
    ],
)
def test_unknown_citations_are_refused(source, node, message):
    with pytest.raises(UnknownCitation, match=message):
        cite(source, node)


def test_jurisdiction_tree():
    assert [j.code for j in lineage("220100")] == ["220100", "220000", "cn"]
    assert [j.code for j in lineage("440300")] == ["440300", "440000", "cn"]
    assert [j.code for j in lineage("430000")] == ["430000", "cn"]
    assert jurisdiction("220100").name == "长春市"
    for pack in PACKS:
        assert load_pack(pack).jurisdiction.code in jurisdictions()


def test_unknown_jurisdiction_lists_the_known_ones():
    with pytest.raises(UnknownJurisdiction, match="220100 长春市"):
        lineage("110000")


def test_lookup_takes_the_nearest_level_in_force():
    found = rules().lookup("complaint.reply_period", "220100", date(2025, 5, 1))
    assert found.value == Period(20, Unit.WORKING_DAY)
    assert found.jurisdiction.code == "220100"
    assert found.citation.text == "《长春市促进中小企业发展条例》第四十三条"


def test_lookup_walks_up_before_the_local_rule_starts():
    found = rules().lookup("complaint.reply_period", "220100", date(2025, 4, 30))
    assert found.value is None
    assert found.jurisdiction.code == "cn"
    assert found.citation.source == "cn-sme-promotion-law-2017-09-01"


def test_lookup_fails_loudly_for_a_date_before_every_value():
    with pytest.raises(NotInForce, match=r"2025-06-01起"):
        rules().lookup("arrears.transfer_period", "220100", date(2020, 8, 31))


def test_dated_values_switch_on_their_start_date():
    before = rules().lookup("payment.late_interest_daily_rate", "cn", date(2025, 5, 31))
    after = rules().lookup("payment.late_interest_daily_rate", "cn", date(2025, 6, 1))
    assert before.citation.node == "art_15/para_1"
    assert after.citation.node == "art_17/para_1"


def test_a_draft_pack_is_flagged_and_can_replace_the_adopted_one():
    adopted = rules().lookup("complaint.reply_period", "430000", date(2025, 1, 1))
    draft = rules("hunan_revision_draft").lookup(
        "complaint.reply_period", "430000", date(2025, 1, 1)
    )
    assert adopted.value is None and not adopted.draft
    assert draft.value == Period(30, Unit.DAY) and draft.draft
    assert draft.citation.node == "art_35/para_2"


def test_lookup_all_shows_every_level():
    levels = rules().lookup_all(
        "procurement.price_deduction.goods_services", "430000", date(2023, 1, 1)
    )
    assert [r.jurisdiction.code for r in levels] == ["430000", "cn"]


def test_unknown_pack_and_parameter():
    with pytest.raises(PackError, match="可用"):
        load_pack("beijing")
    with pytest.raises(PackError, match="未知的参数"):
        rules().lookup("complaint.no_such", "cn", date(2025, 1, 1))
