"""The values of a fact a criteria tree admits (the policy list's size and industry filters)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huiqi.rules.criteria import And, IndustryIn, Not, Or, SizeIn, admitted, evaluate, parse
from huiqi.rules.industries import ancestors
from huiqi.rules.size import SizeClass

from .criteria_strategies import INDUSTRIES, criteria_trees, enterprises

_PLACED = ("3911", "1311", "5920", "5311", "0111", "6511", "7211", "4710", "5111", "7010")
"""Industry codes the size standard places, so the enterprise has a size."""
_on_size_or_industry = st.one_of(
    st.builds(SizeIn, st.sets(st.sampled_from(list(SizeClass)), min_size=1).map(tuple)),
    st.builds(IndustryIn, st.lists(st.sampled_from(INDUSTRIES), min_size=1, max_size=3).map(tuple)),
)
_constraining = st.recursive(
    _on_size_or_industry,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(lambda a, b: And((a, b)), inner, inner),
        st.builds(lambda a, b: Or((a, b)), inner, inner),
    ),
    max_leaves=4,
)
_trees = st.one_of(
    criteria_trees, st.builds(lambda a, b: And((a, b)), _constraining, criteria_trees)
)


@pytest.mark.parametrize(
    ("text", "sizes", "industries"),
    [
        ("企业规模 ≤ 中型 且 不是 失信", ("medium", "small", "micro"), None),
        ("持有 高新技术企业", None, None),
        ("所属行业 属于 B、C、D 且 企业规模 属于 小型、微型", ("small", "micro"), ("B", "C", "D")),
        ("所属行业 属于 C 且 （所属行业 属于 39 或 所属行业 属于 A）", None, ("39",)),
        ("所属行业 属于 C、39", None, ("C",)),
        ("企业规模 属于 小型 或 持有 高新技术企业", None, None),
        ("不是 企业规模 属于 大型", ("medium", "small", "micro"), None),
        ("不是 （企业规模 属于 大型 或 失信）", ("medium", "small", "micro"), None),
        ("不是 所属行业 属于 C", None, None),
        ("企业规模 属于 小型 且 企业规模 属于 中型", (), None),
        (
            "至少满足 2 项（企业规模 属于 小型；企业规模 属于 小型、微型；失信）",
            ("small", "micro"),
            None,
        ),
    ],
)
def test_admitted_values(text, sizes, industries):
    tree = parse(text)
    assert admitted(tree, "size_class") == sizes
    assert admitted(tree, "industry") == industries


def test_other_facts_are_refused():
    with pytest.raises(ValueError, match="size_class"):
        admitted(parse("失信"), "district")


def _size_of(facts: dict, on: date) -> str | None:
    for size in SizeClass:
        if evaluate(SizeIn((size,)), facts, on).value is True:
            return size.value
    return None


@settings(max_examples=200, deadline=None)
@given(tree=_trees, data=st.data())
def test_an_eligible_enterprise_has_an_admitted_value(tree, data):
    """Whatever the tree, an enterprise that meets it has a size and industry it admits."""
    on = date(2025, 6, 30)
    facts = data.draw(enterprises(on, "91220101MA0000001X"))
    facts["industry"] = data.draw(st.sampled_from(_PLACED))
    facts["employees"] = data.draw(st.integers(0, 2000))
    facts["revenue"] = data.draw(st.integers(0, 100000))
    facts["total_assets"] = data.draw(st.integers(0, 100000))
    if evaluate(tree, facts, on).value is not True:
        return
    sizes = admitted(tree, "size_class")
    size = _size_of(facts, on)
    if sizes is not None and size is not None:
        assert size in sizes
    codes = admitted(tree, "industry")
    if codes is not None and facts["industry"] is not None:
        chain = {a.code for a in ancestors(facts["industry"])}
        assert chain & set(codes)
