"""Matching one enterprise against the policy list: the YAML cases, the jurisdiction and the
window, the order, the facts to provide split by who provides them (长春 条例 第三十五条第三款),
parity with evaluating each policy on its own, and monotonicity of knowledge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiqi.rules.citations import cite
from huiqi.rules.criteria import Eligibility, Status, evaluate, explain
from huiqi.rules.facts import catalogue
from huiqi.rules.policies import (
    Benefit,
    BenefitKind,
    EnterpriseFactsError,
    Mode,
    Policy,
    bundled_policies,
    checked_facts,
    jurisdictions_for,
    load_text,
    match,
)
from huiqi.rules.policies.matching import MatchError

from .cases import day, load_cases
from .criteria_strategies import criteria_trees, enterprises

PACK = bundled_policies()
ON = date(2026, 6, 1)
USCC = "91220102MA15PD2W7F"
LABELS = {"符合": Eligibility.ELIGIBLE, "可能符合": Eligibility.POSSIBLY}
LABELS["不符合"] = Eligibility.NOT_ELIGIBLE

GRADUATE: dict[str, Any] = {
    "uscc": USCC,
    "industry": "6513",
    "district": "220102",
    "founded": "2026-03-01",
    "employees": 3,
    "revenue": 40,
    "total_assets": 25,
    "rd_expense": 8,
    "dishonest": False,
    "founder_graduate": True,
}


def by_id(results: list) -> dict[str, Any]:
    return {m.policy.id: m for m in results}


@pytest.mark.parametrize("case", load_cases("matching"))
def test_cases(case):
    results = by_id(match(case["facts"], PACK, day(case["date"])))
    for policy_id, expected in case["expect"].items():
        assert policy_id in {p.id for p in PACK}, policy_id
        if expected == "不适用":
            assert policy_id not in results
        else:
            assert results[policy_id].status is LABELS[expected], policy_id
    for policy_id, facts in (case.get("missing") or {}).items():
        assert list(results[policy_id].missing) == facts


def test_graduate_start_up_subsidy_is_eligible_with_its_reasons_and_basis():
    m = by_id(match(GRADUATE, PACK, ON))["cc-draft-startup-subsidy"]
    assert m.status is Eligibility.ELIGIBLE
    assert [c.text for c in m.decisive] == [
        "创办人 属于 高校毕业生、退役军人、失业人员、残疾人",
        "成立年限 < 1年",
        "企业规模 属于 小型、微型",
        "不是 失信",
    ]
    assert all(c.status is Status.PASSED for c in m.checks)
    assert m.checks[-1].reason == "满足：不是 失信（列入严重失信主体名单 否）"
    assert m.facts_used["founder_graduate"] is True
    assert m.facts_used["years_since_founding"] == 0
    assert m.next_step == "直达快享：向长春市人力资源和社会保障局确认预填信息即可享受"
    assert m.policy.basis[0].text.endswith("第三十一条第二款")
    assert m.estimate == Decimal(1)
    data = m.to_dict()
    assert data["status"] == "eligible"
    assert "示例金额，非法规规定" in data["benefit"]["text"]
    assert data["citations"][0]["draft"] is True


def test_dishonest_enterprise_fails_on_the_credit_condition_only():
    m = by_id(match({**GRADUATE, "dishonest": True}, PACK, ON))["cc-draft-startup-subsidy"]
    assert m.status is Eligibility.NOT_ELIGIBLE
    assert [c.text for c in m.decisive] == ["不是 失信"]
    assert m.summary == "不符合：不是 失信"
    assert m.decisive[0].reason == "不满足：不是 失信（列入严重失信主体名单 是）"


def test_hunan_enterprise_gets_no_changchun_policy():
    facts = {**GRADUATE, "district": "430102"}
    results = match(facts, PACK, ON)
    assert {m.policy.jurisdiction for m in results} == {"430000", "cn"}
    assert [j.name for j in jurisdictions_for("430102")] == ["湖南省", "全国"]


def test_missing_shared_and_self_facts_are_told_apart():
    facts = {k: v for k, v in GRADUATE.items() if k not in ("founder_graduate", "revenue")}
    results = by_id(match(facts, PACK, ON))
    startup = results["cc-draft-startup-subsidy"]
    assert startup.status is Eligibility.POSSIBLY
    assert startup.to_provide == ("founder_graduate",)
    assert startup.to_obtain == ("founder_veteran", "founder_unemployed", "founder_disabled")
    assert "请企业补充创办人为高校毕业生" in startup.next_step
    assert "通过政府数据共享获取，不要求企业重复提供" in startup.next_step
    rd = results["cc-rd-expense-subsidy"]
    assert rd.to_obtain == ("revenue",) and rd.to_provide == ()


def test_order_eligible_then_possibly_then_not_larger_benefit_first():
    results = match({k: v for k, v in GRADUATE.items() if k != "revenue"}, PACK, ON)
    ranks = [list(Eligibility).index(m.status) for m in results]
    assert ranks == sorted(ranks)
    for status in Eligibility:
        estimates = [m.estimate for m in results if m.status is status]
        known = [e for e in estimates if e is not None]
        assert known == sorted(known, reverse=True)
        assert estimates == known + [None] * (len(estimates) - len(known))


def test_jurisdiction_of_the_enterprise():
    assert [j.code for j in jurisdictions_for("220102")] == ["220100", "220000", "cn"]
    assert [j.code for j in jurisdictions_for("440305")] == ["440300", "440000", "cn"]
    assert [j.code for j in jurisdictions_for("110105")] == ["cn"]
    assert [j.code for j in jurisdictions_for(None, "220100")] == ["220100", "220000", "cn"]
    assert [j.code for j in jurisdictions_for("220102", "cn")] == ["cn"]
    with pytest.raises(MatchError, match="企业所在地区 430102 不在 220100 长春市 范围内"):
        match({**GRADUATE, "district": "430102"}, PACK, ON, jurisdiction="220100")
    with pytest.raises(MatchError, match="不知道企业所在地区"):
        match({k: v for k, v in GRADUATE.items() if k != "district"}, PACK, ON)
    national = match({**GRADUATE, "district": "110105"}, PACK, ON)
    assert {m.policy.jurisdiction for m in national} == {"cn"}


def test_policies_outside_their_window_are_left_out():
    facts = {**GRADUATE, "industry": "3421", "employees": 85, "revenue": 3000}
    assert "cc-smart-manufacturing" in by_id(match(facts, PACK, date(2026, 4, 30)))
    assert "cc-smart-manufacturing" not in by_id(match(facts, PACK, date(2026, 5, 1)))
    assert "cc-rd-expense-subsidy" not in by_id(match(facts, PACK, date(2025, 12, 31)))


def test_an_unknown_beside_a_passed_or_branch_is_not_asked_for():
    (policy,) = load_text(
        """
jurisdiction: cn
policies:
  - id: t-or
    version: 1
    title: 测试
    department: 测试部门
    mode: 申报
    benefit: {kind: 服务, description: 测试}
    criteria: （持有 高新技术企业 或 营业收入 ≥ 100万元） 且 （失信 或 从业人员 ≥ 10人）
    basis: [{doc: cn-sme-promotion-law-2017-09-01, at: art_32/para_3}]
""",
        "t.yaml",
    )
    facts = {"district": "220102", "high_tech_from": "2025-01-01", "dishonest": False}
    (m,) = match(facts, (policy,), ON)
    assert m.status is Eligibility.POSSIBLY
    assert [(c.text, c.status, c.decisive) for c in m.checks] == [
        ("持有 高新技术企业", Status.PASSED, False),
        ("营业收入 ≥ 100万元", Status.UNKNOWN, False),
        ("失信", Status.FAILED, False),
        ("从业人员 ≥ 10人", Status.UNKNOWN, True),
    ]
    assert [c.text for c in m.passed] == ["持有 高新技术企业"]
    assert [c.text for c in m.failed] == ["失信"]
    assert [c.text for c in m.unknown] == ["营业收入 ≥ 100万元", "从业人员 ≥ 10人"]
    assert m.missing == m.outcome.missing == ("employees",)


def test_facts_are_checked_before_matching():
    with pytest.raises(EnterpriseFactsError, match=r"字段“revenu”不是事实目录.*是否指：revenue"):
        match({**GRADUATE, "revenu": 1}, PACK, ON)
    with pytest.raises(EnterpriseFactsError, match="字段“employees”（从业人员）应当是整数") as e:
        match({**GRADUATE, "employees": 2.5}, PACK, ON)
    assert e.value.field == "employees"
    with pytest.raises(EnterpriseFactsError, match=r"“uscc”（统一社会信用代码）.*校验码"):
        match({**GRADUATE, "uscc": USCC[:-1] + "0"}, PACK, ON)
    with pytest.raises(EnterpriseFactsError, match="由industry（所属行业）"):
        match({**GRADUATE, "size_class": "micro"}, PACK, ON)
    with pytest.raises(EnterpriseFactsError, match="请用事实名称“revenue”"):
        match({**GRADUATE, "营业收入": 1}, PACK, ON)
    with pytest.raises(EnterpriseFactsError, match=r"zjtx_to.*缺少有效期起") as e:
        match({**GRADUATE, "zjtx_to": "2027-01-01"}, PACK, ON)
    assert e.value.field == "zjtx_to"


def test_checked_facts_normalise():
    facts = checked_facts(
        {"revenue": 12.5, "employees": 3.0, "founded": "2020-01-02", "tax_paid": None}
    )
    assert facts == {"revenue": Decimal("12.5"), "employees": 3, "founded": date(2020, 1, 2)}


# properties -------------------------------------------------------------------------------

_BASIS = (cite("cn-sme-promotion-law-2017-09-01", "art_9/para_1"),)


def _random_policy(i: int, criteria: Any) -> Policy:
    return Policy(
        id=f"random-{i}",
        version=1,
        title="随机条件",
        jurisdiction="cn",
        department="测试部门",
        mode=Mode.APPLY,
        benefit=Benefit(BenefitKind.SERVICE, "测试"),
        criteria=criteria,
        basis=_BASIS,
    )


def _scope(facts: dict[str, Any]) -> str | None:
    return None if facts.get("district") else "cn"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts=enterprises(ON, USCC),
    trees=st.lists(criteria_trees, min_size=1, max_size=3),
)
def test_parity_with_evaluating_each_policy_on_its_own(facts, trees):
    """The compiled pack (conditions shared across policies, evaluated once) gives each policy
    exactly the outcome :func:`evaluate` gives, and the checks rebuilt from the stored code
    agree with those of the match."""
    policies = (*PACK, *(_random_policy(i, t) for i, t in enumerate(trees)))
    checked = checked_facts(facts)
    for m in match(facts, policies, ON, _scope(facts)):
        assert m.outcome == evaluate(m.policy.criteria, checked, ON)
        rebuilt = explain(m.policy.criteria, m.outcome.code).checks
        assert [(c.status, c.decisive) for c in rebuilt] == [
            (c.status, c.decisive) for c in m.checks
        ]
        decisive = {c.status for c in m.decisive}
        assert decisive == {Status.of(m.outcome.value)}


_FORGETTABLE = tuple(
    f.name
    for f in catalogue().facts.values()
    if f.stored and not f.complete and f.name not in ("uscc", "district")
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts=enterprises(ON, USCC),
    tree=criteria_trees,
    forgotten=st.sets(st.sampled_from(_FORGETTABLE)),
)
def test_learning_a_fact_never_flips_a_known_result(facts, tree, forgotten):
    """Monotonicity of knowledge: with fewer facts known, a decided result (eligible or not)
    and a decided condition stay as they are once the facts are known; only unknowns
    resolve."""
    policies = (*PACK, _random_policy(0, tree))
    less = {k: v for k, v in facts.items() if k not in forgotten}
    full = by_id(match(facts, policies, ON, _scope(facts)))
    for policy_id, partial in by_id(match(less, policies, ON, _scope(facts))).items():
        known = full[policy_id]
        if partial.status is not Eligibility.POSSIBLY:
            assert known.status is partial.status, policy_id
        for before, after in zip(partial.checks, known.checks, strict=True):
            if before.status is not Status.UNKNOWN:
                assert after.status is before.status, (policy_id, before.text)
