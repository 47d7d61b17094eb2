"""Size classification (划型): the YAML cases, the boundaries of every row, properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huiqi.rules import errors
from huiqi.rules.declaration import (
    DeclaredEnterprise,
    ProcurementKind,
    declaration_letter,
)
from huiqi.rules.industries import industries
from huiqi.rules.size import TIERS, Indicator, SizeClass, SizeFacts, classify_size, standards

from .cases import amount, day, load_cases

ON = date(2025, 6, 1)


def _facts(raw: dict) -> SizeFacts:
    return SizeFacts(
        industry=str(raw["industry"]),
        employees=raw.get("employees"),
        revenue=amount(raw.get("revenue")),
        total_assets=amount(raw.get("total_assets")),
        individual_business=raw.get("individual_business", False),
    )


def _check(case: dict) -> None:
    facts = _facts(case["facts"])
    on = day(case["facts"]["date"])
    if "error" in case:
        expected = getattr(errors, case["error"]["type"])
        with pytest.raises(expected) as caught:
            classify_size(facts, on)
        for text in case["error"]["contains"]:
            assert text in str(caught.value)
        return
    result = classify_size(facts, on)
    want = case["result"]
    assert (result.size.value if result.size else None) == want["size"]
    assert result.group.name == want["group"]
    if "size_label" in want:
        assert result.size is not None and result.size.label == want["size_label"]
    for key in ("decisive", "missing", "ignored"):
        if key in want:
            assert [i.value for i in getattr(result, key)] == want[key]
    if "by_reference" in want:
        assert result.by_reference is want["by_reference"]
    assert result.citation.text == case["citation"]
    texts = [c.text for c in result.citations]
    for other in case.get("also_cites", []):
        assert other in texts


@pytest.mark.parametrize("case", load_cases("size"))
def test_cases(case):
    _check(case)


@pytest.mark.parametrize("case", load_cases("size_boundaries"))
def test_boundaries(case):
    _check(case)


def test_boundary_cases_cover_every_row_tier_and_indicator():
    """Every lower bound of every row has a case just below, at and just above it."""
    covered = set()
    for param in load_cases("size_boundaries"):
        case = param.values[0]
        facts = _facts(case["facts"])
        group = classify_size(facts, day(case["facts"]["date"])).group
        for tier in TIERS:
            bounds = group.bounds[tier]
            values = {i: facts.value(i) for i in bounds}
            others_at_bound = [i for i in bounds if values[i] == bounds[i]]
            for indicator in bounds:
                rest = [i for i in bounds if i is not indicator]
                if all(i in others_at_bound for i in rest):
                    delta = values[indicator] - bounds[indicator]
                    covered.add((group.id, tier, indicator, delta.compare(0)))
    for group in standards()[-1].groups.values():
        for tier in TIERS:
            for indicator in group.bounds[tier]:
                for side in (Decimal(-1), Decimal(0), Decimal(1)):
                    assert (group.id, tier, indicator, side) in covered, (
                        group.name,
                        tier,
                        indicator,
                    )


def test_every_class_of_the_classification_has_a_placement():
    placements = standards()[-1].placements
    for item in industries().values():
        if item.level == "class":
            assert item.code in placements, item.label


def test_missing_indicator_is_named_and_refused_on_demand():
    result = classify_size(SizeFacts("4710", revenue=Decimal(7000)), ON)
    assert result.size is None
    assert result.missing_text == "需要资产总额（万元）"
    with pytest.raises(errors.MissingFacts, match="需要资产总额"):
        result.decided()


def test_result_explains_each_step_and_serialises():
    result = classify_size(SizeFacts("3911", 120, Decimal(15000), Decimal(9000)), ON)
    data = result.to_dict()
    assert data["size"] == "small" and data["group"] == "industry"
    assert data["citation"].endswith("第四条第（二）项")
    assert data["decisive"] == ["employees"]
    assert "从业人员120人＜300人" in data["steps"][1]
    assert {t["size"] for t in data["thresholds"]} == {"large", "medium", "small"}


_CODES = ("0111", "3911", "4710", "5111", "5211", "5411", "5920", "6010", "6110", "6210")
_CODES += ("6311", "6511", "7010", "7020", "7111", "7310", "8411")
_money = st.decimals(min_value=0, max_value=300000, places=2, allow_nan=False)


@given(
    code=st.sampled_from(_CODES),
    employees=st.integers(min_value=0, max_value=5000),
    revenue=_money,
    assets=_money,
    more=_money,
    which=st.sampled_from(list(Indicator)),
)
def test_more_of_any_indicator_never_gives_a_smaller_class(
    code, employees, revenue, assets, more, which
):
    facts = SizeFacts(code, employees, revenue, assets)
    grown = {
        Indicator.EMPLOYEES: SizeFacts(code, employees + int(more), revenue, assets),
        Indicator.REVENUE: SizeFacts(code, employees, revenue + more, assets),
        Indicator.TOTAL_ASSETS: SizeFacts(code, employees, revenue, assets + more),
    }[which]
    before, after = classify_size(facts, ON).size, classify_size(grown, ON).size
    assert before is not None and after is not None
    assert after.rank >= before.rank


def test_declaration_letter_for_each_kind():
    result = classify_size(SizeFacts("3911", 120, Decimal(15000), Decimal(9000)), ON)
    item = DeclaredEnterprise("台式计算机", "长春某科技有限公司", result)
    goods = declaration_letter(ProcurementKind.GOODS, "长春市某局", "办公设备采购", [item])
    assert goods.title == "中小企业声明函（货物）"
    assert (
        "参加长春市某局的办公设备采购采购活动，提供的货物全部由符合政策要求的中小企业制造"
        in goods.text
    )
    assert (
        "1. 台式计算机，属于工业行业；制造商为长春某科技有限公司，从业人员120人，"
        "营业收入为15000万元，资产总额为9000万元，属于小型企业；" in goods.text
    )
    assert [c.text for c in goods.citations][1].endswith("附1 中小企业声明函")
    works = declaration_letter(ProcurementKind.WORKS, "甲", "乙", [item])
    assert "工程的施工单位全部为符合政策要求的中小企业" in works.text
    assert "承建企业为" in works.text
    services = declaration_letter(ProcurementKind.SERVICES, "甲", "乙", [item])
    assert "服务全部由符合政策要求的中小企业承接" in services.text
    assert "承接企业为" in services.text


def test_declaration_refuses_a_large_enterprise_and_an_open_result():
    large = classify_size(SizeFacts("3911", 1000, Decimal(40000)), ON)
    assert large.size is SizeClass.LARGE
    with pytest.raises(errors.InvalidFacts, match="大型企业"):
        declaration_letter(ProcurementKind.GOODS, "甲", "乙", [DeclaredEnterprise("x", "y", large)])
    open_result = classify_size(SizeFacts("3911"), ON)
    with pytest.raises(errors.MissingFacts):
        declaration_letter(
            ProcurementKind.GOODS, "甲", "乙", [DeclaredEnterprise("x", "y", open_result)]
        )
