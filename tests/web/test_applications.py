"""Applications (申报): the form asks only for the facts the registry lacks (长春 条例 第三十五条
第三款: 不得要求企业重复提供), 直达快享 shows the held facts prefilled for confirmation, 免申即享
takes no application, the eligibility is computed and stored on submission, the officials take
it to 已兑现 on the core's machine, and nobody outside the enterprise and the jurisdiction sees
it — through the services, the pages and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from huiqi.accounts.models import Department, Role, User
from huiqi.accounts.services import create_department, create_user, issue_token
from huiqi.applications.models import Application
from huiqi.enterprises.models import Enterprise, YearlyFacts
from huiqi.policies.models import PolicyVersion
from huiqi.policies.services import load_bundled
from huiqi.population import generate

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

APPLY = "cc-startup-loan"
"""申报: 创办人 属于 高校毕业生、退役军人… 且 企业规模 属于 小型、微型 且 不是 失信."""
FAST = "cc-financing-guarantee"
"""直达快享: 企业规模 ≤ 中型 且 不是 失信."""
AUTO = "cc-zjtx-support"
"""免申即享."""


@dataclass
class World:
    cc: Department
    official: User
    sz_official: User
    a: Enterprise
    user_a: User
    user_b: User

    def token(self, user: User) -> dict[str, Any]:
        _, key = issue_token(actor=None, user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _user(name: str, role: Role, **kwargs: Any) -> User:
    return create_user(actor=None, username=name, password=PASSWORD, role=role, **kwargs)


@pytest.fixture
def world() -> World:
    load_bundled(publish=True)
    cc = create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")
    sz = create_department(actor=None, name="深圳市中小企业服务局", jurisdiction="440300")
    rows = generate(2, seed=11, city="220100", year=2025).to_dicts()
    # 3911 计算机整机制造, 80 people, 6000 万元: 小型 without the total assets, which the
    # registry lacks; founded by a veteran (held), the other founder flags unknown.
    a = Enterprise.objects.create(
        uscc=rows[0]["uscc"],
        name="长春甲科技有限公司",
        industry="3911",
        district="220104",
        founded=date(2019, 5, 1),
        dishonest=False,
        founder_veteran=True,
    )
    YearlyFacts.objects.create(enterprise=a, year=2025, employees=80, revenue=6000.0)
    b = Enterprise.objects.create(
        uscc=rows[1]["uscc"],
        name="长春乙商贸有限公司",
        industry="5211",
        district="220102",
        founded=date(2020, 1, 1),
    )
    return World(
        cc=cc,
        official=_user("cc-official", Role.OFFICIAL, department=cc),
        sz_official=_user("sz-official", Role.OFFICIAL, department=sz),
        a=a,
        user_a=_user("ent-a", Role.ENTERPRISE, enterprise_uscc=a.uscc),
        user_b=_user("ent-b", Role.ENTERPRISE, enterprise_uscc=b.uscc),
    )


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<datalist.*?</datalist>", "", html, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def _submit_apply(client, w: World) -> Application:
    client.force_login(w.user_a)
    response = client.post(
        reverse("applications:new", args=[APPLY]),
        {"total_assets": "4000", "founder": ["founder_veteran"], "intent": "submit"},
    )
    # founder_veteran is held, so the founder choice offers only the others
    assert response.status_code == 422
    assert "founder" in response.content.decode()
    response = client.post(
        reverse("applications:new", args=[APPLY]),
        {"total_assets": "4000", "founder": ["none"], "intent": "submit"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(enterprise=w.a)


# -- the form asks only what the platform lacks -----------------------------------------------


def test_the_form_asks_only_for_facts_the_registry_lacks(client, world):
    client.force_login(world.user_a)
    response = client.get(reverse("applications:new", args=[APPLY]))
    assert response.status_code == 200
    html = response.content.decode()
    # lacking: total assets (self-declared) and the unknown founder flags are asked
    assert re.search(r'<input[^>]*name="total_assets"', html)
    assert 'value="founder_graduate"' in html and 'value="founder_disabled"' in html
    # held: employees, revenue, industry, the veteran founder flag are not asked
    for held in ("employees", "revenue", "industry", "dishonest"):
        assert not re.search(rf'<(input|select)[^>]*name="{held}"', html), held
    assert 'value="founder_veteran"' not in html
    text = _text(response)
    assert "来源：政府部门共享数据" in text
    assert "《长春市促进中小企业发展条例》第三十五条第三款" in text
    assert "不得要求企业重复提供" in text

    api = client.get(f"/api/applications/form/{APPLY}", **world.token(world.user_a))
    assert api.status_code == 200
    body = api.json()
    asked = {f["name"] for f in body["asked"]}
    held = {f["name"]: f["value"] for f in body["held"]}
    assert "total_assets" in asked and "founder_graduate" in asked
    assert "employees" not in asked and "founder_veteran" not in asked
    assert held["employees"] == "80 人" and held["founder_veteran"] == "是"
    assert body["prefilled"] is False

    # a held fact given anyway is refused next to its field
    refused = client.post(
        "/api/applications/",
        {"policy": APPLY, "facts": {"employees": 10}},
        content_type="application/json",
        **world.token(world.user_a),
    )
    assert refused.status_code == 422
    assert "平台已掌握从业人员" in refused.json()["detail"]["employees"][0]


def test_a_fact_given_is_checked_next_to_its_field(client, world):
    client.force_login(world.user_a)
    response = client.post(
        reverse("applications:new", args=[APPLY]), {"total_assets": "-3", "intent": "submit"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "资产总额不能为负数" in html
    assert re.search(r'<input[^>]*name="total_assets"[^>]*aria-invalid="true"', html)
    assert not Application.objects.exists()


def test_fast_track_is_prefilled_for_confirmation(client, world):
    client.force_login(world.user_a)
    url = reverse("applications:new", args=[FAST])
    html = client.get(url).content.decode()
    assert re.search(r'<input[^>]*value="80 人"[^>]*readonly', html)
    assert re.search(r'<input[^>]*value="6000 万元"[^>]*readonly', html)
    assert "预填，请核对" in html and 'name="confirmed"' in html
    # not confirmed: refused next to the checkbox, nothing stored
    response = client.post(url, {"intent": "submit"})
    assert response.status_code == 422
    assert "请核对并确认预填的信息" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(url, {"intent": "submit", "confirmed": "on"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.confirmed and application.state == "submitted"
    assert application.facts_held["employees"] == 80
    assert Decimal(application.facts_held["revenue"]) == Decimal("6000")
    assert application.facts_held["industry"] == "3911"
    assert application.eligibility_status == "eligible"


def test_an_auto_grant_policy_takes_no_application(client, world):
    client.force_login(world.user_a)
    response = client.get(reverse("applications:new", args=[AUTO]))
    assert response.status_code == 409
    text = _text(response)
    assert "免申即享政策，无需申报" in text
    assert reverse("screening:inbox") in response.content.decode()
    api = client.post(
        "/api/applications/",
        {"policy": AUTO, "submit": True},
        content_type="application/json",
        **world.token(world.user_a),
    )
    assert api.status_code == 422 and "免申即享" in api.json()["detail"]
    assert not Application.objects.exists()


def test_the_calculator_offers_the_application(client, world):
    client.force_login(world.user_a)
    html = client.get(reverse("calculator:mine")).content.decode()
    assert reverse("applications:new", args=[FAST]) in html
    assert reverse("applications:new", args=[AUTO]) not in html


# -- submission, the official's actions, redemption -------------------------------------------


def test_an_application_goes_to_redeemed_with_the_stored_eligibility(client, world):
    application = _submit_apply(client, world)
    version = PolicyVersion.objects.published().get(record__slug=APPLY)
    case = application.case
    assert case.number == f"SB-{timezone.localdate().year}-000001"
    assert case.kind == "application" and case.state == "submitted"
    assert case.department == world.cc
    assert case.due_basis["statutory"] is False
    assert application.content_hash == version.content_hash
    assert application.eligibility["policy"]["content_hash"] == version.policy.content_hash
    assert application.eligibility_status == "eligible"
    assert application.facts_given == {
        "total_assets": "4000",
        "founder_graduate": False,
        "founder_returnee": False,
        "founder_unemployed": False,
        "founder_disabled": False,
    }
    assert "founder_veteran" not in application.facts_given
    assert application.facts_held["founder_veteran"] is True

    client.force_login(world.official)
    queue = client.get(reverse("applications:queue"), {"state": "submitted"})
    assert case.number in _text(queue)
    detail = client.get(reverse("applications:detail", args=[application.pk]))
    text = _text(detail)
    assert "提交时的资格判断" in text and "符合" in text
    assert "服务承诺，非法定期限" in text
    assert "来源：政府部门共享数据" in text

    def post(action: str, **data: Any):
        case.refresh_from_db()
        payload = {f"{action}-version": case.version}
        payload.update({f"{action}-{k}": v for k, v in data.items()})
        return client.post(reverse("applications:act", args=[application.pk, action]), payload)

    assert post("accept").status_code == 302
    assert post("approve").status_code == 302
    # 兑现 needs the amount and the date, each said next to its field
    missing = post("redeem")
    assert missing.status_code == 422
    html = missing.content.decode()
    assert "请填写兑现金额（万元）" in html and "请填写兑现日期" in html
    assert re.search(r'<input[^>]*name="redeem-amount"[^>]*aria-invalid="true"', html)
    today = timezone.localdate()
    assert post("redeem", amount="12.5", redeemed_on=today.isoformat()).status_code == 302
    application.refresh_from_db()
    case.refresh_from_db()
    assert case.state == "redeemed" and case.closed_at is not None
    assert application.amount == Decimal("12.5") and application.redeemed_on == today
    assert case.events.get(action="redeem").note.startswith("兑现金额 12.5 万元")

    client.force_login(world.user_a)
    mine = _text(client.get(reverse("applications:mine")))
    assert "已兑现" in mine and "12.5万元" in mine
    for label in ("提交", "受理", "审核通过", "兑现"):
        assert f"{today:%Y-%m-%d}{label}" in mine


def test_the_redemption_needs_its_amount_whatever_the_path(client, world):
    """The core's generic transition cannot redeem without the amount and the date."""
    from huiqi.cases import services as cases

    application = _submit_apply(client, world)
    case = application.case
    for action in ("accept", "approve"):
        case.refresh_from_db()
        cases.transition(world.official, case, action, expected_version=case.version)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        cases.transition(world.official, case, "redeem", expected_version=case.version)
    case.refresh_from_db()
    assert case.state == "approved" and not case.events.filter(action="redeem").exists()


def test_deny_needs_a_reason_and_a_stale_version_conflicts(client, world):
    application = _submit_apply(client, world)
    headers = world.token(world.official)
    url = f"/api/applications/{application.pk}/transitions"

    def send(action: str, version: int, **data: Any):
        return client.post(
            url, {"action": action, "version": version, **data}, "application/json", **headers
        )

    accepted = send("accept", 1)
    assert accepted.status_code == 200 and accepted.json()["state_label"] == "已受理"
    version = accepted.json()["case_version"]
    assert send("approve", version - 1).status_code == 409
    no_reason = send("deny", version)
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"]["note"] == ["请填写不予通过的理由"]
    denied = send("deny", version, note="创业担保贷款额度已用完")
    assert denied.status_code == 200
    body = denied.json()
    assert body["state"] == "denied"
    assert body["events"][-1]["note"] == "创业担保贷款额度已用完"
    client.force_login(world.user_a)
    assert "创业担保贷款额度已用完" in _text(
        client.get(reverse("applications:detail", args=[application.pk]))
    )


def test_a_draft_is_saved_and_submitted_later(client, world):
    client.force_login(world.user_a)
    response = client.post(
        reverse("applications:new", args=[APPLY]), {"total_assets": "4000", "intent": "draft"}
    )
    assert response.status_code == 302
    draft = Application.objects.get()
    assert draft.is_draft and draft.state_label == "草稿"
    assert "草稿" in _text(client.get(reverse("applications:mine")))
    edit = client.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert re.search(r'<input[^>]*name="total_assets"[^>]*value="4000"', edit)
    # officials do not see drafts
    client.force_login(world.official)
    assert client.get(reverse("applications:detail", args=[draft.pk])).status_code == 404
    submitted = client.post(
        f"/api/applications/{draft.pk}/submit",
        {},
        content_type="application/json",
        **world.token(world.user_a),
    )
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert submitted.json()["facts_given"] == {"total_assets": "4000"}


# -- permissions ------------------------------------------------------------------------------


def test_another_enterprise_and_another_jurisdiction_get_404(client, world):
    application = _submit_apply(client, world)
    page = reverse("applications:detail", args=[application.pk])
    api = f"/api/applications/{application.pk}"
    for outsider in (world.user_b, world.sz_official):
        client.force_login(outsider)
        assert client.get(page).status_code == 404
        assert client.get(api, **world.token(outsider)).status_code == 404
        listed = client.get("/api/applications/", **world.token(outsider)).json()
        assert listed["count"] == 0
        act = client.post(
            f"{api}/transitions",
            {"action": "accept", "version": 1},
            "application/json",
            **world.token(outsider),
        )
        assert act.status_code == 404
    # the official of the jurisdiction sees it; the enterprise may not act on it
    assert client.get(api, **world.token(world.official)).status_code == 200
    forbidden = client.post(
        f"{api}/transitions",
        {"action": "accept", "version": 1},
        "application/json",
        **world.token(world.user_a),
    )
    assert forbidden.status_code == 403
    # an official does not apply
    client.force_login(world.official)
    assert client.get(reverse("applications:new", args=[APPLY])).status_code == 404
    assert client.get(reverse("applications:queue")).status_code == 200
    client.force_login(world.user_a)
    assert client.get(reverse("applications:queue")).status_code == 404
