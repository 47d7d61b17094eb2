"""Evaluation for one enterprise: the YAML cases, Kleene logic, the size class under partial
knowledge, the compact code and the explanation rebuilt from it."""

from __future__ import annotations

import itertools
import statistics
import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huiqi.rules.criteria import (
    And,
    AtLeast,
    CriteriaError,
    Dishonest,
    Eligibility,
    Holds,
    Not,
    Or,
    SizeIn,
    Status,
    decode,
    encode,
    evaluate,
    explain,
    leaves,
    parse,
)
from huiqi.rules.errors import InvalidFacts
from huiqi.rules.size import TIERS, SizeClass, SizeFacts, classify_size, standard_on

from .cases import day, load_cases
from .criteria_strategies import HEADCOUNTS, SCREENING_DATES, criteria_trees, enterprises

ON = date(2025, 1, 1)


@pytest.mark.parametrize("case", load_cases("criteria"))
def test_case(case):
    outcome = evaluate(parse(case["criteria"]), case["facts"], day(case["date"]))
    assert outcome.eligibility == Eligibility(case["result"])
    assert [leaf.status.label for leaf in outcome.leaves] == case["conditions"]
    assert list(outcome.missing) == case.get("missing", [])
    assert list(outcome.reasons) == case["reasons"]


def test_missing_revenue_says_which_fact_to_provide():
    """The issue's acceptance example: missing revenue → possibly eligible, provide revenue."""
    tree = parse("企业规模 ≤ 中型 且 营业收入 ≥ 500万元 且 不是 失信")
    outcome = evaluate(tree, {"industry": "3911", "employees": 80, "dishonest": False}, ON)
    assert outcome.eligibility is Eligibility.POSSIBLY
    assert outcome.missing == ("revenue",)
    assert outcome.summary == "可能符合：请提供营业收入（万元）"
    assert [leaf.status for leaf in outcome.leaves] == [
        Status.PASSED,
        Status.UNKNOWN,
        Status.FAILED,
    ]
    assert outcome.leaves[0].facts["size_class"] is None  # small or micro, not decided
    data = outcome.to_dict()
    assert data["eligibility"] == "possibly"
    assert data["conditions"][1]["missing"] == ["revenue"]


def test_explanation_reads_conditions_under_not_as_the_policy_states_them():
    """不是 失信 passes for an honest enterprise: the reasons and the summary say so, and a
    not-eligible summary names only the conditions that fail the criteria."""
    tree = parse("营业收入 ≥ 500万元 且 不是 失信")
    honest = evaluate(tree, {"revenue": 100, "dishonest": False}, ON)
    assert honest.summary == "不符合：营业收入 ≥ 500万元"
    assert [c.text for c in honest.failed] == ["营业收入 ≥ 500万元"]
    assert [c.text for c in honest.passed] == ["不是 失信"]
    assert honest.reasons[1] == "满足：不是 失信（列入严重失信主体名单 否）"
    dishonest = evaluate(tree, {"revenue": 900, "dishonest": True}, ON)
    assert dishonest.summary == "不符合：不是 失信"
    assert explain(tree, honest.code).summary == honest.summary


def test_missing_lists_only_the_facts_that_could_change_the_result():
    """An unknown condition beside a passed 或 branch cannot change the result: its facts are
    not asked for."""
    tree = parse("（持有 高新技术企业 或 营业收入 ≥ 100万元） 且 从业人员 ≥ 10人")
    outcome = evaluate(tree, {"high_tech_from": "2024-01-01"}, ON)
    assert outcome.eligibility is Eligibility.POSSIBLY
    assert outcome.missing == ("employees",)
    assert outcome.summary == "可能符合：请提供从业人员（人）"
    assert [c.decisive for c in outcome.checks] == [False, False, True]


def test_kleene_logic():
    known, unknown = Dishonest(), Holds("zjtx")
    facts = {"dishonest": None}
    assert evaluate(known, facts, ON).value is None
    assert evaluate(unknown, facts, ON).value is False  # a complete list: never unknown
    assert evaluate(And((known, unknown)), facts, ON).value is False
    assert evaluate(Or((known, unknown)), facts, ON).value is None
    assert evaluate(Or((known, Not(unknown))), facts, ON).value is True
    assert evaluate(Not(known), facts, ON).value is None
    three = (known, Not(unknown), Not(unknown))
    assert evaluate(AtLeast(2, three), facts, ON).value is True
    assert evaluate(AtLeast(3, three), facts, ON).value is None
    assert evaluate(AtLeast(2, (known, unknown, unknown)), facts, ON).value is False


def test_facts_are_normalised_and_checked():
    tree = parse("营业收入 ≥ 2000万元 且 成立日期 ≥ 2020-01-01 且 不是 失信")
    facts = {"revenue": "2000.0", "founded": "2021-03-04", "dishonest": 0}
    assert evaluate(tree, facts, ON).value is True
    assert evaluate(tree, {**facts, "revenue": 1999.99}, ON).value is False
    for bad, message in (
        ({"revenue": -1}, "营业收入不能为负数"),
        ({"revenue": "很多"}, "营业收入应当是数字"),
        ({"founded": "2021/03/04"}, "成立日期应当是日期"),
        ({"dishonest": "是"}, "列入严重失信主体名单应当是"),
        ({"employees": 2.5}, "从业人员应当是整数"),
    ):
        with pytest.raises(InvalidFacts, match=message):
            evaluate(
                parse("营业收入 ≥ 1万元 且 成立日期 ≥ 2020-01-01 且 失信 且 从业人员 ≥ 1人"),
                {**facts, **bad},
                ON,
            )
    with pytest.raises(InvalidFacts, match="评估日期应当是日期"):
        evaluate(tree, facts, "2025-01-01")  # type: ignore[arg-type]


# size class under partial knowledge -------------------------------------------------------

_INDUSTRIES = ("3911", "5111", "5211", "6511", "7010", "7211", "4710", "0111", "8411", "8511")


@settings(max_examples=400, deadline=None)
@given(
    industry=st.sampled_from(_INDUSTRIES),
    employees=st.none() | st.sampled_from(HEADCOUNTS),
    revenue=st.none()
    | st.sampled_from(
        [
            Decimal(v)
            for v in (
                0,
                49,
                50,
                99,
                100,
                299,
                300,
                500,
                999,
                1000,
                2000,
                5000,
                10000,
                20000,
                40000,
                80000,
                200000,
            )
        ]
    ),
    assets=st.none()
    | st.sampled_from([Decimal(v) for v in (0, 99, 100, 2000, 5000, 8000, 10000, 80000, 120000)]),
    sizes=st.sets(st.sampled_from(list(SizeClass)), min_size=1),
)
def test_size_condition_is_exact_over_every_completion(industry, employees, revenue, assets, sizes):
    """The three-valued size condition is True exactly when every completion of the missing
    indicators gives a size in the set, False when none does (not only Kleene-safe), and it
    agrees with classify_size whenever that decides."""
    facts = {
        "industry": industry,
        "employees": employees,
        "revenue": revenue,
        "total_assets": assets,
    }
    outcome = evaluate(SizeIn(tuple(sizes)), facts, ON)
    group = standard_on(ON).place(industry)[1].group
    candidates = {
        i.value: sorted({Decimal(0)} | {group.bounds[t][i] for t in TIERS})
        for i in group.indicators
    }
    given_values = {"employees": employees, "revenue": revenue, "total_assets": assets}
    options = [
        [given_values[name]] if given_values[name] is not None else candidates[name]
        for name in candidates
    ]
    possible = set()
    for combo in itertools.product(*options):
        values = dict(zip(candidates, combo, strict=True))
        employees_ = values.get("employees")
        result = classify_size(
            SizeFacts(
                industry,
                None if employees_ is None else int(employees_),
                values.get("revenue"),
                values.get("total_assets"),
            ),
            ON,
        )
        possible.add(result.size)
    expected = True if possible <= sizes else False if not possible & sizes else None
    assert outcome.value is expected
    decided = classify_size(SizeFacts(industry, employees, revenue, assets), ON).size
    assert outcome.leaves[0].facts["size_class"] == decided
    assert (decided is not None) == (len(possible) == 1)


# compact code -----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(data=st.data(), tree=criteria_trees, on=st.sampled_from(SCREENING_DATES))
def test_explain_rebuilds_the_outcome_from_its_code(data, tree, on):
    facts = data.draw(enterprises(on, "x"))
    outcome = evaluate(tree, facts, on)
    rebuilt = explain(tree, outcome.code)
    assert [leaf.value for leaf in rebuilt.leaves] == [leaf.value for leaf in outcome.leaves]
    assert rebuilt.value is outcome.value
    assert rebuilt.eligibility is outcome.eligibility
    assert rebuilt.code == outcome.code
    for before, after in zip(outcome.leaves, rebuilt.leaves, strict=True):
        assert after.condition == before.condition
        assert set(before.missing) <= set(after.missing)
        assert after.reason.startswith(f"{before.status.label}：{before.text}")


def test_code_layout():
    tree = parse("失信 且 持有 高新技术企业 且 营业收入 ≥ 1万元")
    outcome = evaluate(tree, {"dishonest": True, "revenue": None}, ON)
    assert [leaf.value for leaf in outcome.leaves] == [True, False, None]
    assert outcome.code == 0b11_10_01 == encode([True, False, None])
    assert decode(tree, outcome.code) == (True, False, None)
    assert explain(tree, outcome.code).leaves[2].missing == ("revenue",)
    assert explain(tree, outcome.code).reasons == (
        "满足：失信",
        "不满足：持有 高新技术企业",
        "无法判断：营业收入 ≥ 1万元（缺少营业收入（万元））",
    )
    for bad in (0b00_10_01, 4**3, -1, True, "57"):
        with pytest.raises(CriteriaError):
            explain(tree, bad)  # type: ignore[arg-type]
    assert len(leaves(tree)) == 3


@pytest.mark.slow
def test_three_hundred_policies_for_one_enterprise_within_twenty_ms():
    """The matcher's budget (issue 4): p95 under 20 ms for 300 policies."""
    texts = [
        "企业规模 属于 小型、微型 且 所属行业 属于 C 且 （持有 专精特新中小企业 或 "
        "研发费用占营业收入比例 ≥ {n}%） 且 不是 失信",
        "成立年限 < {n}年 且 创办人 属于 高校毕业生、退役军人 且 所在地区 属于 220100",
        "至少满足 2 项（持有 高新技术企业；持有 科技型中小企业；研发费用 ≥ {n}万元） 且 "
        "营业收入 ≥ {n}万元",
    ]
    trees = [parse(texts[i % 3].format(n=1 + i % 7)) for i in range(300)]
    facts = {
        "industry": "3911",
        "district": "220102",
        "founded": "2021-05-01",
        "employees": 80,
        "revenue": 3200.5,
        "rd_expense": 150,
        "dishonest": False,
    }
    times = []
    for _ in range(100):
        start = time.perf_counter()
        for tree in trees:
            evaluate(tree, facts, ON)
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[94] < 0.020, (
        f"p95 {times[94] * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms"
    )
