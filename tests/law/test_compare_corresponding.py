"""Corresponding provisions across jurisdictions, with the rules packs' parameters."""

from __future__ import annotations

import pytest

from huiqi.law.compare.corresponding import corresponding, parse_reference
from huiqi.law.errors import UnknownDocument, UnknownProvision
from huiqi.rules.compare_parameters import compare_for

CHANGCHUN = "220100-sme-promotion-2025-04-03"
HUNAN = "430000-sme-measures-2021-01-01"
SHENZHEN = "440300-sme-promotion-draft"


def test_reserved_shares_differ_between_jurisdictions() -> None:
    result = corresponding("政府采购预留份额")
    found = {(m.doc, m.node) for m in result.matches}
    assert {(CHANGCHUN, "art_31"), (HUNAN, "art_27"), (SHENZHEN, "art_45")} <= found
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    share = {p.name: p for p in compare_for(result)}["procurement.reserved_share"]
    assert share.differs
    values = {(v.jurisdiction_name, v.value) for v in share.values}
    assert ("湖南省", "中小企业30%以上，其中小微企业60%以上") in values
    assert ("深圳市", "中小企业40%以上，其中小微企业70%以上") in values
    assert all(v.draft for v in share.values if v.jurisdiction == "440300")


def test_complaint_article_corresponds_across_jurisdictions() -> None:
    result = corresponding(f"{CHANGCHUN}#43")
    assert result.source is not None and result.source.node == "art_43"
    docs = {m.doc for m in result.matches}
    assert HUNAN in docs and "cn-sme-promotion-law-2017-09-01" in docs
    assert not docs & {CHANGCHUN, "220100-sme-promotion-draft"}  # other works only
    hunan = next(m for m in result.matches if m.doc == HUNAN)
    assert (hunan.node, hunan.best) == ("art_32", "art_32/para_2")
    reply = {p.name: p for p in compare_for(result)}["complaint.reply_period"]
    values = {v.jurisdiction_name: v.value for v in reply.values if not v.draft}
    assert values["长春市"] == "20个工作日"
    assert values["湖南省"] == "未规定具体期限"
    assert reply.differs


def test_threshold_limit_and_per_document() -> None:
    loose = corresponding("融资担保", threshold=0.05, limit=50, per_document=50)
    strict = corresponding("融资担保", threshold=0.5, limit=50, per_document=50)
    assert 0 < len(strict.matches) < len(loose.matches)
    assert all(m.score >= 0.5 for m in strict.matches)
    capped = corresponding("融资担保", threshold=0.05, limit=50, per_document=1)
    assert len({m.doc for m in capped.matches}) == len(capped.matches)
    assert len(corresponding("融资担保", limit=2).matches) == 2


def test_seeds_expand_a_topic() -> None:
    plain = corresponding("中小企业", threshold=0.0, limit=3)
    seeded = corresponding("中小企业", threshold=0.0, limit=3, seeds=[(HUNAN, "art_14")])
    assert (HUNAN, "art_14") not in {(m.doc, m.node) for m in plain.matches}
    assert (seeded.matches[0].doc, seeded.matches[0].node) == (HUNAN, "art_14")


def test_references() -> None:
    assert parse_reference(f"{CHANGCHUN}#43") == (CHANGCHUN, "art_43")
    assert parse_reference("投诉处理") is None
    with pytest.raises(UnknownProvision, match="art_99"):
        corresponding((CHANGCHUN, "art_99"))
    with pytest.raises(UnknownDocument):
        corresponding("nosuchdoc#1")
