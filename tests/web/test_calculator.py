"""The public size self-test and the policy calculator: the pages and the API give what the
rules engine gives (huiqi.rules.size.classify_size, huiqi.rules.policies.match) for the same
facts and the published policies of the bundled pack."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user
from huiqi.calculator.results import published
from huiqi.enterprises.facts import facts_of
from huiqi.enterprises.models import Enterprise, Qualification, YearlyFacts
from huiqi.policies.models import PolicyVersion
from huiqi.policies.services import load_bundled
from huiqi.rules.policies import bundled_policies, match
from huiqi.rules.size import SizeFacts, classify_size

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 1)
USCC = "91220105MAJBDHAW47"  # 220105 二道区


def _text(response) -> str:
    """The page's visible text, tags and whitespace removed."""
    html = response.content.decode()
    html = re.sub(r"<datalist.*?</datalist>", "", html, flags=re.S)
    return _squash(re.sub(r"<[^>]+>", "", html))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# the size self-test ---------------------------------------------------------------------

SIZE_CASES = [
    # 工业 计算机整机制造: short of medium on employees → small
    (
        {"industry": "3911", "employees": "120", "revenue": "15000", "total_assets": "9000"},
        "小型企业",
    ),
    # 软件开发, by the name from the list
    ({"industry": "6511 软件开发", "employees": "50", "revenue": "800"}, "小型企业"),
    # 零售业 百货零售: under the small bounds → micro
    ({"industry": "5211", "employees": "8", "revenue": "90"}, "微型企业"),
]


@pytest.mark.parametrize(("data", "label"), SIZE_CASES)
def test_size_self_test_reproduces_the_rules(client, data, label):
    response = client.post(reverse("calculator:size"), {**data, "on": ON.isoformat()})
    assert response.status_code == 200
    expected = classify_size(
        SizeFacts(
            industry=data["industry"].split()[0],
            employees=int(data["employees"]),
            revenue=Decimal(data["revenue"]),
            total_assets=Decimal(data["total_assets"]) if "total_assets" in data else None,
        ),
        ON,
    )
    assert expected.size is not None and expected.size.label == label
    text = _text(response)
    assert f"{label}" in text
    for step in expected.steps:
        assert _squash(step) in text
    for citation in expected.citations:
        assert _squash(citation.text) in text
    assert "工信部联企业〔2011〕300号" in text


def test_size_self_test_asks_for_a_missing_indicator(client):
    """建筑业 needs revenue and total assets; without total assets the size stays open."""
    response = client.post(
        reverse("calculator:size"), {"industry": "4710", "revenue": "5000", "on": ON.isoformat()}
    )
    text = _text(response)
    assert "暂无法判定" in text
    assert "需要资产总额（万元）" in text
    assert "缺少资产总额，无法判断是否达到小型企业的下限" in text


def test_size_self_test_explains_a_refusal(client):
    response = client.post(
        reverse("calculator:size"),
        {"industry": "66", "employees": "10", "revenue": "100", "on": ON.isoformat()},
    )
    text = _text(response)
    assert "无法划型" in text
    assert "金融业不在本标准的适用范围内" in text
    assert "规模判定结果" not in text


def test_size_self_test_shows_errors_next_to_the_field(client):
    response = client.post(
        reverse("calculator:size"), {"industry": "F", "employees": "-5", "on": ON.isoformat()}
    )
    html = response.content.decode()
    assert 'id="id_employees_error"' in html
    assert "从业人员不能为负数" in html
    assert re.search(r'<input[^>]*name="employees"[^>]*aria-invalid="true"', html)
    assert re.search(r'aria-describedby="[^"]*id_employees_error', html)
    # too coarse a code asks for a finer one, next to the industry field
    response = client.post(reverse("calculator:size"), {"industry": "F", "employees": "5"})
    html = response.content.decode()
    assert 'id="id_industry_error"' in html
    assert "51 批发业、52 零售业" in html


def test_size_self_test_page_cites_the_service_provision(client):
    response = client.get(reverse("calculator:size"))
    text = _text(response)
    assert "《保障中小企业款项支付条例》（2025年版）第二十九条第一款" in text
    assert "提供中小企业规模类型自测服务" in text
    assert (
        'href="/law/cn-sme-payment-regulation-2025-03-17/art_29/para_1"'
        in response.content.decode()
    )
    assert '<option value="3911 计算机整机制造">' in response.content.decode()


def test_size_self_test_updates_by_htmx(client):
    response = client.post(
        reverse("calculator:size"),
        {"industry": "3911", "employees": "120", "revenue": "15000", "total_assets": "9000"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="size-tool">')
    assert "小型企业" in html


def test_size_api_equals_the_rules(client):
    body = {"industry": "3911", "employees": 120, "revenue": 15000, "total_assets": 9000}
    response = client.post(
        "/api/calculator/size",
        json.dumps({**body, "on": ON.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 200
    expected = classify_size(SizeFacts("3911", 120, Decimal(15000), Decimal(9000)), ON).to_dict()
    assert response.json() == json.loads(json.dumps(expected))


def test_size_api_refuses_with_chinese_messages(client):
    bad = client.post(
        "/api/calculator/size",
        json.dumps({"industry": "3911", "employees": -3}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == {"employees": ["从业人员不能为负数。"]}
    unknown = client.post(
        "/api/calculator/size", json.dumps({"industry": "9999"}), content_type="application/json"
    )
    assert unknown.status_code == 422
    assert "没有行业代码“9999”" in unknown.json()["detail"]["industry"][0]
    refused = client.post(
        "/api/calculator/size", json.dumps({"industry": "53"}), content_type="application/json"
    )
    assert refused.status_code == 422
    assert "铁路运输业" in refused.json()["detail"]


# the policy calculator ------------------------------------------------------------------


@pytest.fixture
def policies() -> list[PolicyVersion]:
    load_bundled(publish=True)
    return published()


FACTS = {
    "district": "220102",
    "industry": "3911",
    "founded": "2024-03-01",
    "employees": 40,
    "revenue": Decimal("3000"),
    "rd_expense": Decimal("120"),
    "dishonest": False,
    "zjtx_from": "2025-01-01",
    "zjtx_to": "2027-12-31",
}


def _form(facts: dict) -> dict:
    return {
        name: str(value).lower() if isinstance(value, bool) else str(value)
        for name, value in facts.items()
    }


def test_calculator_results_equal_match(client, policies):
    on = date(2026, 6, 1)
    expected = match(FACTS, [v.policy for v in policies], on)
    response = client.post(reverse("calculator:public"), {**_form(FACTS), "on": on.isoformat()})
    assert response.status_code == 200
    calculation = response.context["calculation"]
    assert [(r.policy.id, r.status) for r in calculation.results] == [
        (m.policy.id, m.status) for m in expected
    ]
    # the same statuses as the bundled pack gives (the library's versions are its policies)
    assert [(m.policy.id, m.status) for m in match(FACTS, bundled_policies(), on)] == [
        (m.policy.id, m.status) for m in expected
    ]
    text = _text(response)
    first = expected[0]
    assert first.status.label == "符合"
    assert _squash(first.policy.title) in text
    assert _squash(first.next_step) in text
    for check in first.checks:
        assert _squash(check.reason) in text
    assert "示例金额，非法规规定" in text  # illustrative amounts are marked
    assert "政策版本：" in text and "第1版" in text
    basis = first.policy.basis[0]
    assert f'href="/law/{basis.source}/{basis.node}"' in response.content.decode()
    # eligible first, then possibly, then not
    ranks = [("eligible", "possibly", "not").index(r.status.value) for r in calculation.results]
    assert ranks == sorted(ranks)


def test_calculator_asks_only_what_the_criteria_use(client, policies):
    response = client.get(reverse("calculator:public"))
    form = response.context["form"]
    assert "zjtx_from" in form.fields and "founded" in form.fields
    assert "tax_paid" not in form.fields  # no published criterion reads 纳税额
    assert "high_tech_first" not in form.fields
    assert "name" not in form.fields and "uscc" not in form.fields


def test_calculator_possibly_lists_facts_to_provide(client, policies):
    on = date(2026, 6, 1)
    facts = {"district": "220102", "industry": "3911", "employees": "40"}
    response = client.post(reverse("calculator:public"), {**facts, "on": on.isoformat()})
    expected = match(facts | {"employees": 40}, [v.policy for v in policies], on)
    calculation = response.context["calculation"]
    assert [r.status for r in calculation.results] == [m.status for m in expected]
    text = _text(response)
    assert "可能符合" in text
    assert "待补充的信息" in text
    assert "营业收入（万元）" in text
    assert "政府共享数据，由主管部门调取，不要求企业重复提供" in text


def test_calculator_errors_next_to_fields(client, policies):
    response = client.post(
        reverse("calculator:public"),
        {
            "district": "",
            "revenue": "-1",
            "zjtx_from": "2025-01-01",
            "zjtx_to": "2024-01-01",
            "founder": ["founder_graduate", "none"],
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert response.context["calculation"] is None
    errors = response.context["form"].errors
    assert errors["district"] == ["请选择所在地区。"]
    assert errors["revenue"] == ["营业收入不能为负数。"]
    assert "不能同时选择其他类别" in errors["founder"][0]
    assert 'id="id_district_error"' in html


def test_calculator_checks_qualification_periods(client, policies):
    response = client.post(
        reverse("calculator:public"),
        {"district": "220102", "zjtx_from": "2025-01-01", "zjtx_to": "2024-01-01"},
    )
    errors = response.context["form"].errors
    assert "早于有效期起" in errors["zjtx_to"][0]


def test_match_api_equals_match(client, policies):
    on = date(2026, 6, 1)
    body = {**FACTS, "revenue": 3000, "rd_expense": 120}
    response = client.post(
        "/api/calculator/match",
        json.dumps({"facts": body, "on": on.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    expected = match(body, [v.policy for v in policies], on)
    results = data["results"]
    assert [r["policy"]["id"] for r in results] == [m.policy.id for m in expected]
    for got, m in zip(results, expected, strict=True):
        version = got.pop("policy_version")
        got.pop("draft_note")
        assert got == json.loads(json.dumps(m.to_dict()))
        assert version["slug"] == m.policy.id and version["number"] == 1


def test_match_api_names_the_field_in_chinese(client, policies):
    response = client.post(
        "/api/calculator/match",
        json.dumps({"facts": {"district": "220102", "revenue": -1}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "营业收入" in response.json()["detail"] and "revenue" in response.json()["detail"]
    derived = client.post(
        "/api/calculator/match",
        json.dumps({"facts": {"district": "220102", "size_class": "small"}}),
        content_type="application/json",
    )
    assert derived.status_code == 422
    assert "企业规模" in derived.json()["detail"]


# my policies (an enterprise user) -------------------------------------------------------


@pytest.fixture
def enterprise() -> Enterprise:
    found = Enterprise.objects.create(
        uscc=USCC,
        name="长春甲科技有限公司",
        industry="3911",
        district="220105",
        founded=date(2019, 5, 1),
        dishonest=False,
    )
    YearlyFacts.objects.create(enterprise=found, year=2025, employees=80, revenue=6000.0)
    Qualification.objects.create(
        enterprise=found,
        kind="zjtx",
        valid_from=date(2024, 1, 1),
        valid_to=date(2026, 12, 31),
        first_recognised=date(2021, 1, 1),
    )
    return found


def _user(role: str, **kwargs):
    return create_user(actor=None, username=f"u-{role}", password=PASSWORD, role=role, **kwargs)


def test_mine_uses_the_registry(client, policies, enterprise):
    client.force_login(_user(Role.ENTERPRISE, enterprise_uscc=USCC))
    response = client.get(reverse("calculator:mine"))
    assert response.status_code == 200
    today = date.today()
    facts = facts_of(Enterprise.objects.get(uscc=USCC), today)
    expected = match(facts, [v.policy for v in policies], today)
    calculation = response.context["calculation"]
    assert [(r.policy.id, r.status) for r in calculation.results] == [
        (m.policy.id, m.status) for m in expected
    ]
    form = response.context["form"]
    assert "revenue" not in form.fields  # the registry has it
    assert "total_assets" in form.fields  # the registry lacks it

    api = client.get("/api/calculator/mine")
    assert api.status_code == 200
    assert [r["status"] for r in api.json()["results"]] == [m.status.value for m in expected]
    assert api.json()["facts"]["revenue"] == "6000.0"


def test_mine_adds_facts_for_this_calculation_only(client, policies, enterprise):
    client.force_login(_user(Role.ENTERPRISE, enterprise_uscc=USCC))
    today = date.today()
    response = client.post(
        reverse("calculator:mine"), {"total_assets": "5000"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    facts = facts_of(Enterprise.objects.get(uscc=USCC), today) | {"total_assets": Decimal(5000)}
    expected = match(facts, [v.policy for v in policies], today)
    assert [r.status for r in response.context["calculation"].results] == [
        m.status for m in expected
    ]
    assert response.context["added"] == {"total_assets": Decimal(5000)}
    assert not YearlyFacts.objects.filter(total_assets__isnull=False).exists()


def test_mine_is_for_enterprise_users(client, policies, enterprise):
    assert client.get(reverse("calculator:mine")).status_code == 302
    assert client.get("/api/calculator/mine").status_code == 401
    department = create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")
    client.force_login(_user(Role.OFFICIAL, department=department))
    page = client.get(reverse("calculator:mine"))
    assert page.status_code == 403
    assert "企业名录" in _text(page)
    assert client.get("/api/calculator/mine").status_code == 403


def test_mine_without_a_registry_record(client, policies):
    client.force_login(_user(Role.ENTERPRISE, enterprise_uscc=USCC))
    page = client.get(reverse("calculator:mine"))
    assert page.status_code == 404
    assert "企业名录中没有本企业" in _text(page)
    api = client.get("/api/calculator/mine")
    assert api.status_code == 404
    assert USCC in api.json()["detail"]
