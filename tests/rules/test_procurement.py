"""Procurement: deduction ranges in force, reserved shares, bid evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from huiqi.rules import errors
from huiqi.rules import procurement as rules_procurement
from huiqi.rules.declaration import ProcurementKind
from huiqi.rules.procurement import (
    Bid,
    Member,
    check_reserved_share,
    deduction_ranges,
    evaluate_bids,
)
from huiqi.rules.size import SizeClass

from .cases import amount, day, load_cases


def _member(raw: dict) -> Member:
    return Member(
        raw["name"], SizeClass(raw["size"]), amount(raw["share"]), raw.get("controlled", False)
    )


def _bid(raw: dict) -> Bid:
    return Bid(
        supplier=raw["supplier"],
        price=amount(raw["price"]),
        size=SizeClass(raw["size"]) if "size" in raw else None,
        consortium=tuple(_member(m) for m in raw.get("consortium", ())),
        subcontractors=tuple(_member(m) for m in raw.get("subcontractors", ())),
    )


def _run(case: dict):
    facts = case["facts"]
    where = {"jurisdiction": str(facts["jurisdiction"]), "on": day(facts["date"])}
    if case["rule"] == "ranges":
        return deduction_ranges(ProcurementKind(facts["kind"]), **where)
    if case["rule"] == "reserve":
        return check_reserved_share(
            amount(facts["budget"]),
            amount(facts["reserved"]),
            amount(facts["small_micro"]),
            excluded=amount(facts.get("excluded", 0)),
            **where,
        )
    return evaluate_bids(
        [_bid(b) for b in facts["bids"]],
        kind=ProcurementKind(facts["kind"]),
        small_micro_rate=amount(facts.get("rate")),
        consortium_rate=amount(facts.get("consortium_rate")),
        reserved=facts.get("reserved", False),
        **where,
    )


def _citations(case: dict, result) -> list[str]:
    if case["rule"] == "ranges":
        return [result.small_micro.citation.text, *(b.citation.text for b in result.basis)]
    if case["rule"] == "reserve":
        return [result.citation.text]
    first = next((e for e in result.bids if e.deduction.citations), None)
    cited = first.deduction.citations if first else ()
    return [c.text for c in cited] or [result.ranges.small_micro.citation.text]


@pytest.mark.parametrize("case", load_cases("procurement"))
def test_cases(case):
    if "error" in case:
        expected = getattr(errors, case["error"]["type"], None) or getattr(
            rules_procurement, case["error"]["type"]
        )
        with pytest.raises(expected) as caught:
            _run(case)
        for text in case["error"]["contains"]:
            assert str(text) in str(caught.value)
        return
    result = _run(case)
    want = case["result"]
    for key, expected in want.items():
        if key in ("small_micro", "consortium"):
            assert getattr(result, key).value.text == expected
        elif key in ("conflicts", "findings"):
            assert len(getattr(result, key)) == expected, getattr(result, key)
        elif key == "ranking":
            got = [
                {
                    "rank": e.rank,
                    "supplier": e.bid.supplier,
                    "deduction": str(e.deduction.amount),
                    "evaluated_price": str(e.evaluated_price),
                    **({"treated_as": e.treated_as.value} if "treated_as" in row else {}),
                }
                for e, row in zip(result.bids, expected, strict=True)
            ]
            assert got == expected
        else:
            assert getattr(result, key) == expected, key
    texts = _citations(case, result)
    assert texts[0] == case["citation"]
    for other in case.get("also_cites", []):
        assert other in texts


def test_ties_share_a_rank_and_keep_the_input_order():
    bids = [Bid("甲", Decimal(100), SizeClass.LARGE), Bid("乙", Decimal(100), SizeClass.MEDIUM)]
    result = evaluate_bids(bids, kind=ProcurementKind.GOODS, jurisdiction="cn", on=date(2025, 6, 1))
    assert [(e.rank, e.bid.supplier) for e in result.bids] == [(1, "甲"), (1, "乙")]


def test_bad_bids_and_shares():
    on = date(2025, 6, 1)
    with pytest.raises(errors.InvalidFacts, match="大于零"):
        evaluate_bids(
            [Bid("甲", Decimal(0), SizeClass.LARGE)],
            kind=ProcurementKind.GOODS,
            jurisdiction="cn",
            on=on,
        )
    members = (
        Member("a", SizeClass.LARGE, Decimal("0.8")),
        Member("b", SizeClass.SMALL, Decimal("0.3")),
    )
    with pytest.raises(errors.InvalidFacts, match="超过100%"):
        evaluate_bids(
            [Bid("联合体", Decimal(10), consortium=members)],
            kind=ProcurementKind.GOODS,
            jurisdiction="cn",
            on=on,
        )
    with pytest.raises(errors.InvalidFacts, match="不能超过预留份额"):
        check_reserved_share(Decimal(100), Decimal(30), Decimal(40), jurisdiction="cn", on=on)
