"""Hypothesis strategies for criteria trees and enterprises that hit the boundaries: values
equal to thresholds, anniversaries of the founding date, 29 February, codes above and below
each other, missing facts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from huiqi.rules.criteria import (
    BOND,
    LISTING,
    And,
    AtLeast,
    Compare,
    Criteria,
    Dishonest,
    DistrictIn,
    FirstTime,
    Founder,
    FounderCategory,
    Holds,
    IndustryIn,
    Not,
    Op,
    Or,
    SizeIn,
)
from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.size import SizeClass, standards

SCREENING_DATES = (date(2024, 2, 29), date(2025, 1, 1), date(2025, 6, 30), date(2023, 3, 1))
INDUSTRIES = ("C", "39", "391", "3911", "13", "1311", "59", "591", "5910", "592", "5920")
INDUSTRIES += ("J", "66", "6621", "53", "5311", "A", "0111", "65", "6511", "L", "7211", "P")
INDUSTRIES += ("84", "8411", "S", "E", "4710", "51", "5111", "701", "7010", "704", "7040")
DISTRICTS = ("220000", "220100", "220102", "220106", "440300", "440304", "430000", "430102")
AMOUNTS = sorted(
    {Decimal(0), Decimal("0.5"), Decimal("49.99"), Decimal("2.5"), Decimal("33.3")}
    | {
        bound
        for standard in standards()
        for group in standard.groups.values()
        for tier in group.bounds.values()
        for bound in tier.values()
    }
)
HEADCOUNTS = sorted(
    {0, 1}
    | {
        int(tier[indicator]) + delta
        for standard in standards()
        for group in standard.groups.values()
        for tier in group.bounds.values()
        for indicator in tier
        if indicator.value == "employees"
        for delta in (-1, 0)
    }
)
PERCENTS = (Decimal(0), Decimal(3), Decimal("3.5"), Decimal("3.33"), Decimal(5), Decimal(100))
YEARS = (Decimal(0), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3), Decimal(5), Decimal(10))

days = st.dates(min_value=date(2011, 7, 1), max_value=date(2027, 12, 31))


def _amount() -> st.SearchStrategy[Decimal]:
    return st.sampled_from(AMOUNTS) | st.decimals(
        min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False
    )


def _anniversary(on: date) -> st.SearchStrategy[date]:
    """Dates near the anniversaries of ``on`` (for 成立年限), 29 February included."""

    def shifted(years: int, delta: int) -> date:
        try:
            base = on.replace(year=on.year - years)
        except ValueError:
            base = date(on.year - years, 2, 28)
        return base + timedelta(days=delta)

    return st.builds(shifted, st.integers(0, 12), st.sampled_from((-1, 0, 1))) | st.sampled_from(
        (date(2020, 2, 29), date(2016, 2, 29), date(2021, 2, 28), date(2021, 3, 1))
    )


@st.composite
def enterprises(draw: st.DrawFn, on: date, uscc: str) -> dict[str, Any]:
    """One enterprise's stored facts, any of them possibly missing (None)."""

    def opt(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(st.none() | strategy)

    revenue = opt(_amount())
    percent = draw(st.sampled_from(PERCENTS))
    rd = (
        (revenue * percent / 100).quantize(Decimal("0.0001"))
        if revenue is not None and draw(st.booleans())
        else opt(_amount())
    )
    facts: dict[str, Any] = {
        "uscc": uscc,
        "industry": opt(st.sampled_from(INDUSTRIES)),
        "district": opt(st.sampled_from(DISTRICTS)),
        "founded": opt(_anniversary(on) | days),
        "employees": opt(st.sampled_from(HEADCOUNTS) | st.integers(0, 5000)),
        "revenue": revenue,
        "total_assets": opt(_amount()),
        "rd_expense": rd,
        "tax_paid": opt(_amount()),
        "year": opt(st.integers(2015, 2026)),
        "dishonest": opt(st.booleans()),
        "listed_on": opt(days),
        "first_bond_on": opt(days),
    }
    for category in FounderCategory:
        facts[category.fact] = opt(st.booleans())
    for q in catalogue().qualifications.values():
        start, end, first = q.columns
        if draw(st.booleans()):
            begin = draw(days)
            facts[start] = begin
            facts[end] = draw(st.none() | st.dates(min_value=begin, max_value=date(2028, 12, 31)))
            facts[first] = draw(st.dates(min_value=date(2011, 7, 1), max_value=begin))
        else:
            facts[start] = facts[end] = facts[first] = None
    return facts


_COMPARABLE = tuple(
    f.name for f in catalogue().facts.values() if f.type in (FactType.DATE, FactType.DECIMAL)
) + tuple(f.name for f in catalogue().facts.values() if f.type is FactType.INTEGER)


@st.composite
def comparisons(draw: st.DrawFn) -> Compare:
    name = draw(st.sampled_from(_COMPARABLE))
    item = catalogue().facts[name]
    if item.type is FactType.DATE:
        value: Any = draw(days)
    elif name == "rd_ratio":
        value = draw(st.sampled_from(PERCENTS))
    elif name == "years_since_founding":
        value = draw(st.sampled_from(YEARS))
    elif name == "year":
        value = Decimal(draw(st.integers(2015, 2026)))
    else:
        value = draw(_amount())
    return Compare(name, draw(st.sampled_from(list(Op))), value)


_QUALIFICATIONS = tuple(catalogue().qualifications)

conditions: st.SearchStrategy[Criteria] = st.one_of(
    comparisons(),
    st.builds(
        SizeIn,
        st.sets(st.sampled_from(list(SizeClass)), min_size=1).map(tuple),
        st.none() | days,
    ),
    st.builds(IndustryIn, st.lists(st.sampled_from(INDUSTRIES), min_size=1, max_size=3).map(tuple)),
    st.builds(DistrictIn, st.lists(st.sampled_from(DISTRICTS), min_size=1, max_size=3).map(tuple)),
    st.builds(Holds, st.sampled_from(_QUALIFICATIONS), st.none() | days),
    st.builds(
        lambda event, a, b: FirstTime(event, min(a, b), max(a, b)),
        st.sampled_from((*_QUALIFICATIONS, LISTING, BOND)),
        days,
        days,
    ),
    st.builds(
        Founder,
        st.lists(st.sampled_from(list(FounderCategory)), min_size=1, max_size=3, unique=True).map(
            tuple
        ),
    ),
    st.just(Dishonest()),
)


def _combined(children: st.SearchStrategy[Criteria]) -> st.SearchStrategy[Criteria]:
    items = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(
        st.builds(And, items),
        st.builds(Or, items),
        st.builds(Not, children),
        items.flatmap(lambda xs: st.builds(AtLeast, st.integers(1, len(xs)), st.just(xs))),
    )


criteria_trees: st.SearchStrategy[Criteria] = st.recursive(conditions, _combined, max_leaves=12)
