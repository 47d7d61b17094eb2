"""拖欠账款投诉 (huiqi.arrears): intake, the rules' figures (due date, days overdue, late
interest), the debtor's size at signing, the per-stage deadlines (transfer within 10 working
days, the result within 30 days, at most 90 with a supervisor's approval), the record list of
confirmed arrears without the complainant, and permissions — through services, pages and API."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from huiqi.accounts.models import Department, Role, User
from huiqi.accounts.services import create_department, create_user, issue_token
from huiqi.enterprises.models import Enterprise, YearlyFacts
from huiqi.population import generate
from huiqi.rules.deadlines import arrears_result_deadline, arrears_transfer_deadline
from huiqi.rules.payments import Buyer, Contract, late_interest, payment_deadline

from .conftest import PASSWORD

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def freeze(monkeypatch, day: str) -> None:
    moment = at(day, "15:00")
    monkeypatch.setattr(timezone, "now", lambda: moment)


@dataclass
class World:
    province: Department
    """吉林省工业和信息化厅 (220000): the accepting department (第二十四条第一款)."""
    city: Department
    """长春市工业和信息化局 (220100): a handling department."""
    other: Department
    """长春市市场监督管理局 (220100): sees the cases of 长春, does not handle them."""
    accepter: User
    handler: User
    supervisor: User
    other_official: User
    administrator: User
    creditor: Enterprise
    large: Enterprise
    sme: Enterprise
    user: User
    stranger: User
    """A user of another enterprise."""

    def token(self, user: User) -> dict[str, Any]:
        _, key = issue_token(actor=None, user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _user(name: str, role: Role, **kwargs: Any) -> User:
    return create_user(actor=None, username=name, password=PASSWORD, role=role, **kwargs)


def _enterprise(row: dict[str, Any], *, employees: int, revenue: float) -> Enterprise:
    enterprise = Enterprise.objects.create(
        uscc=row["uscc"],
        name=row["name"],
        industry=row["industry"],
        district=row["district"],
        founded=row["founded"],
    )
    YearlyFacts.objects.create(
        enterprise=enterprise,
        year=2024,
        employees=employees,
        revenue=revenue,
        total_assets=revenue,
    )
    return enterprise


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    from huiqi.cases.services import appoint_supervisor

    settings.MEDIA_ROOT = tmp_path / "files"
    province = create_department(actor=None, name="吉林省工业和信息化厅", jurisdiction="220000")
    city = create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")
    other = create_department(actor=None, name="长春市市场监督管理局", jurisdiction="220100")
    rows = generate(4, seed=23, city="220100", year=2025).to_dicts()
    for row in rows:
        row["industry"] = "2646"  # 制造业: the 工业 row of the size standard
    creditor = _enterprise(rows[0], employees=30, revenue=800)
    large = _enterprise(rows[1], employees=5000, revenue=900000)
    sme = _enterprise(rows[2], employees=500, revenue=6000)
    stranger_enterprise = _enterprise(rows[3], employees=10, revenue=100)
    supervisor = _user("cc-chief", Role.OFFICIAL, department=city)
    appoint_supervisor(actor=None, user=supervisor)
    return World(
        province=province,
        city=city,
        other=other,
        accepter=_user("jl-accepter", Role.OFFICIAL, department=province),
        handler=_user("cc-handler", Role.OFFICIAL, department=city),
        supervisor=supervisor,
        other_official=_user("cc-market", Role.OFFICIAL, department=other),
        administrator=_user("root", Role.ADMINISTRATOR),
        creditor=creditor,
        large=large,
        sme=sme,
        user=_user("creditor", Role.ENTERPRISE, enterprise_uscc=creditor.uscc),
        stranger=_user("stranger", Role.ENTERPRISE, enterprise_uscc=stranger_enterprise.uscc),
    )


def claim(**overrides: Any):
    from huiqi.arrears.services import Claim

    values: dict[str, Any] = {
        "debtor_name": "某大型建设集团有限公司",
        "debtor_type": "large",
        "debtor_uscc": "",
        "contract_signed": date(2025, 7, 1),
        "delivered_on": date(2025, 7, 10),
        "accepted_on": None,
        "agreed_days": None,
        "amount_due": Decimal("50"),
        "amount_paid": Decimal("10"),
        "description": "货物已于2025年7月10日交付，对方至今仅支付10万元。",
        "contact": "0431-88886666",
    }
    return Claim(**(values | overrides))


def file(w: World, received: str = "2025-10-15", **overrides: Any):
    from huiqi.arrears import services

    return services.submit(actor=w.user, claim=claim(**overrides), received_at=at(received))


def act(user: User, case, action: str, **kwargs: Any):
    from huiqi.cases import services

    case.refresh_from_db()
    return services.transition(user, case, action, expected_version=case.version, **kwargs)


def transfer(w: World, case, to: Department | None = None):
    from huiqi.arrears import services

    case.refresh_from_db()
    return services.transfer(
        w.accepter, case, department=(to or w.city).pk, expected_version=case.version
    )


def to_processing(w: World, case, monkeypatch, *, accept_on: str, transfer_on: str):
    freeze(monkeypatch, accept_on)
    act(w.accepter, case, "accept")
    freeze(monkeypatch, transfer_on)
    transfer(w, case)
    return act(w.handler, case, "process")


# -- the rules' figures -------------------------------------------------------------------


@pytest.mark.django_db
def test_due_date_overdue_days_and_interest_are_the_rules(world, client, monkeypatch):
    freeze(monkeypatch, "2025-11-20")
    case = file(world, debtor_uscc=world.large.uscc)
    assert case.number.startswith("QK-2025-") and case.department == world.province
    contract = Contract(buyer=Buyer.LARGE, signed=date(2025, 7, 1), delivered=date(2025, 7, 10))
    due = payment_deadline(contract)
    principal = Decimal("400000.00")  # (50 − 10) 万元 in yuan
    on_received = late_interest(principal, due.due, date(2025, 10, 15), signed=contract.signed)
    on_today = late_interest(principal, due.due, date(2025, 11, 20), signed=contract.signed)

    client.force_login(world.user)
    body = client.get(f"/api/arrears/{case.number}").json()
    figures = body["figures"]
    assert figures["payment_deadline"]["due"] == due.due.isoformat() == "2025-09-08"
    assert figures["payment_deadline"]["citation"] == due.citation.text
    assert "第九条第二款" in due.citation.text
    assert figures["outstanding"] == "40"
    assert figures["on_received"]["days"] == on_received.days == 37
    assert figures["on_received"]["interest"]["interest"] == str(on_received.interest)
    assert figures["on_today"]["days"] == on_today.days == 73
    assert figures["on_today"]["interest"]["interest"] == str(on_today.interest) == "14600.00"
    # The rate and its citation: 每日利率万分之五, 款项支付条例（2025）第十七条第一款.
    assert figures["on_today"]["interest"]["daily_rate"] == "0.0005"
    assert "第十七条第一款" in figures["on_today"]["interest"]["citation"]

    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "2025-09-08" in page and "14600.00" in page and "0.05%" in page
    assert "第十七条第一款" in page and "第九条第二款" in page


@pytest.mark.django_db
def test_an_agency_term_beyond_sixty_days_is_capped_with_the_finding(world, client):
    case = file(world, debtor_type="organ", agreed_days=90, debtor_name="某市某局")
    client.force_login(world.user)
    figures = client.get(f"/api/arrears/{case.number}").json()["figures"]
    expected = payment_deadline(
        Contract(
            buyer=Buyer.AGENCY, signed=date(2025, 7, 1), delivered=date(2025, 7, 10), agreed_days=90
        )
    )
    assert figures["payment_deadline"]["due"] == expected.due.isoformat()
    assert figures["payment_deadline"]["findings"] and "60日" in expected.findings[0]


# -- the debtor's size at signing -------------------------------------------------------------


@pytest.mark.django_db
def test_an_sme_debtor_is_not_accepted_an_unknown_one_is_to_be_verified(world, client):
    from huiqi.cases.services import InvalidTransition

    sme = file(world, debtor_uscc=world.sme.uscc, debtor_name=world.sme.name)
    details = sme.arrears
    assert details.debtor_check == "sme"
    assert (
        "中型企业" in details.debtor_check_note and "第二十四条第一款" in details.debtor_check_note
    )
    texts = [c["text"] for c in details.debtor_check_basis]
    assert any("第三条第二款" in t for t in texts) and any("第二十四条第一款" in t for t in texts)
    with pytest.raises(InvalidTransition, match="不能受理"):
        act(world.accepter, sme, "accept")
    rejected = act(world.accepter, sme, "reject", note="被投诉人在合同订立时为中型企业")
    assert rejected.state == "rejected"

    large = file(world, debtor_uscc=world.large.uscc)
    assert large.arrears.debtor_check == "not_sme"
    unknown = file(world, debtor_uscc="")
    assert (
        unknown.arrears.debtor_check == "unverified" and "核实" in unknown.arrears.debtor_check_note
    )
    assert act(world.accepter, unknown, "accept").state == "accepted"
    agency = file(world, debtor_type="institution", debtor_name="某大学")
    assert agency.arrears.debtor_check == "agency"

    client.force_login(world.accepter)
    page = client.get(f"/cases/{sme.number}/").content.decode()
    assert "中小企业：应不予受理" in page


# -- deadlines per stage ---------------------------------------------------------------------


@pytest.mark.django_db
def test_transfer_within_ten_working_days_then_the_result_period(world, client, monkeypatch):
    case = file(world, received="2025-09-26")
    # Before acceptance the transfer period is shown from receipt.
    assert case.due_on == arrears_transfer_deadline(date(2025, 9, 26)).due
    freeze(monkeypatch, "2025-09-29")
    case = act(world.accepter, case, "accept")
    expected = arrears_transfer_deadline(date(2025, 9, 29))
    assert case.due_on == expected.due == date(2025, 10, 20)  # across the National Day holiday
    assert case.due_basis["period"] == {"count": 10, "unit": "working_day", "text": "10个工作日"}
    assert "第二十五条第一款" in case.due_basis["citation"]
    client.force_login(world.accepter)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "2025-10-20" in page and "转交处理投诉部门" in page
    assert case.number in client.get("/cases/?kind=arrears&state=accepted").content.decode()
    assert client.get("/cases/dashboard/").status_code == 200

    freeze(monkeypatch, "2025-10-10")
    client.force_login(world.accepter)  # the frozen clock ended the former session
    response = client.post(
        f"/arrears/{case.number}/transfer/",
        {"transfer-version": case.version, "transfer-department": world.city.pk},
    )
    assert response.status_code == 302 and response.url == f"/cases/{case.number}/"
    case.refresh_from_db()
    assert case.state == "transferred" and case.department == world.city
    assert case.jurisdiction == "220100"
    assert case.due_on == arrears_result_deadline(date(2025, 10, 10)).due
    assert "第二十五条第二款" in case.due_basis["citation"]
    event = case.events.get(action="transfer")
    assert event.data["department"] == world.city.name
    assert event.data["from_department"] == world.province.name


@pytest.mark.django_db
def test_extension_to_at_most_ninety_days_by_a_supervisor(world, monkeypatch):
    from django.core.exceptions import PermissionDenied

    from huiqi.cases.services import InvalidTransition

    case = file(world)
    with pytest.raises(InvalidTransition):
        act(world.accepter, case, "request_extension", note="情况复杂")
    case = to_processing(world, case, monkeypatch, accept_on="2025-10-16", transfer_on="2025-10-20")
    assert case.due_on == arrears_result_deadline(date(2025, 10, 20)).due
    act(world.handler, case, "request_extension", note="被投诉人未及时反馈")
    with pytest.raises(PermissionDenied):
        act(world.handler, case, "approve_extension")
    case = act(world.supervisor, case, "approve_extension")
    extended = arrears_result_deadline(date(2025, 10, 20), extended=True)
    assert case.extended_due_on == extended.due
    assert case.extended_due_on > case.due_on
    assert (case.extended_due_on - date(2025, 10, 20)).days <= 90 + 3  # only a holiday roll-over
    assert extended.period.count == 90


# -- the record list --------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirmed_arrears_are_listed_without_the_complainant(world, client, monkeypatch):
    confirmed = file(world, debtor_uscc=world.large.uscc, debtor_name=world.large.name)
    dismissed = file(world, debtor_name="某未拖欠集团")
    for case in (confirmed, dismissed):
        to_processing(world, case, monkeypatch, accept_on="2025-10-16", transfer_on="2025-10-20")
    freeze(monkeypatch, "2025-11-05")
    act(world.handler, confirmed, "confirm", note="经核实，拖欠40万元，已督促限期支付。")
    act(world.handler, dismissed, "not_confirmed", note="双方已对账，款项已付清。")
    confirmed.refresh_from_db()
    assert confirmed.state == "closed" and confirmed.arrears.result == "confirmed"
    assert str(confirmed.arrears.result_on) == "2025-11-05"

    hidden = (world.creditor.name, world.creditor.uscc, world.user.username, "0431-88886666")
    for viewer in (world.handler, world.accepter, world.other_official, world.administrator):
        client.force_login(viewer)
        page = client.get("/arrears/records/").content.decode()
        assert world.large.name in page and confirmed.number in page and "2025-11-05" in page
        assert "某未拖欠集团" not in page
        assert not any(text in page for text in hidden)
        body = client.get("/api/arrears/records").json()
        assert [r["number"] for r in body["items"]] == [confirmed.number]
        row = body["items"][0]
        assert row["debtor_name"] == world.large.name and row["outstanding"] == "40"
        assert row["confirmed_on"] == "2025-11-05" and row["debtor_type_label"] == "大型企业"
        assert not any(text in str(body) for text in hidden)
    client.force_login(world.user)
    assert client.get("/arrears/records/").status_code == 404
    assert client.get("/api/arrears/records").status_code == 403


# -- permissions and identity ------------------------------------------------------------------


@pytest.mark.django_db
def test_another_enterprise_cannot_see_the_case(world, client):
    case = file(world)
    client.force_login(world.stranger)
    assert client.get(f"/cases/{case.number}/").status_code == 404
    assert client.get(f"/api/arrears/{case.number}").status_code == 404
    assert client.get(f"/api/cases/{case.number}").status_code == 404
    headers = world.token(world.stranger)
    client.logout()
    assert client.get(f"/api/arrears/{case.number}", **headers).status_code == 404
    assert client.get(f"/api/arrears/{case.number}", **world.token(world.user)).status_code == 200


@pytest.mark.django_db
def test_the_complainant_is_protected_as_for_a_report(world, client, monkeypatch):
    case = file(world)
    freeze(monkeypatch, "2025-10-16")
    act(world.accepter, case, "accept")
    transfer(world, case)
    for viewer in (world.other_official, world.administrator):
        client.force_login(viewer)
        page = client.get(f"/cases/{case.number}/").content.decode()
        assert "已保护" in page and world.creditor.name not in page
        body = client.get(f"/api/cases/{case.number}").json()
        assert body["complainant"]["enterprise"] == "已保护"
        assert world.creditor.uscc not in str(body)
    client.force_login(world.handler)
    body = client.get(f"/api/cases/{case.number}").json()
    assert body["complainant"]["enterprise"] == world.creditor.name


@pytest.mark.django_db
def test_transfer_needs_the_accepting_department_and_a_department(world, client, monkeypatch):
    case = file(world)
    freeze(monkeypatch, "2025-10-16")
    act(world.accepter, case, "accept")
    case.refresh_from_db()
    client.force_login(world.administrator)  # sees the case, is not the accepting department
    response = client.post(
        f"/api/arrears/{case.number}/transfer",
        {"department": world.city.pk, "version": case.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.force_login(world.accepter)
    response = client.post(
        f"/api/cases/{case.number}/transitions",
        {"action": "transfer", "version": case.version},
        content_type="application/json",
    )
    assert response.status_code == 422 and "处理投诉部门" in str(response.json()["detail"])
    response = client.post(
        f"/api/arrears/{case.number}/transfer",
        {"department": world.city.pk, "version": case.version - 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    response = client.post(
        f"/api/arrears/{case.number}/transfer",
        {"department": world.city.pk, "version": case.version},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "transferred"


# -- intake -------------------------------------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "debtor_name": "某大型建设集团有限公司",
        "debtor_type": "large",
        "debtor_uscc": "",
        "contract_signed": "2025-07-01",
        "delivered_on": "2025-07-10",
        "accepted_on": "",
        "agreed_days": "",
        "amount_due": "50",
        "amount_paid": "10",
        "description": "货物已交付，对方拖欠款项。",
        "contact": "",
    } | overrides


@pytest.mark.django_db
def test_intake_form_errors_are_next_to_the_fields(world, client):
    from huiqi.cases.models import Case

    client.force_login(world.user)
    assert client.get("/arrears/new/").status_code == 200
    response = client.post(
        "/arrears/new/",
        _form(debtor_type="", debtor_uscc="91220102MAT700QE6X", amount_paid="60"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_debtor_type_errors"' in page and "请选择被投诉人类型" in page
    assert 'id="id_debtor_uscc_errors"' in page
    assert 'id="id_amount_paid_errors"' in page and "没有拖欠" in page
    # A 2020-text contract with a large enterprise and no agreed term: the rules need the term.
    response = client.post("/arrears/new/", _form(contract_signed="2024-05-01"))
    assert response.status_code == 422
    assert 'id="id_agreed_days_errors"' in response.content.decode()
    assert not Case.objects.exists()

    response = client.post("/arrears/new/", _form(debtor_uscc=world.large.uscc))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.number}/"
    page = client.get(response.url).content.decode()
    assert "拖欠账款" in page and "40 万元" in page and "非中小企业" in page


@pytest.mark.django_db
def test_intake_through_the_api(world, client):
    client.force_login(world.user)
    payload = _form(debtor_uscc=world.large.uscc, accepted_on="2025-07-20", agreed_days=45)
    payload = {k: v for k, v in payload.items() if v != ""}
    response = client.post("/api/arrears/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    expected = payment_deadline(
        Contract(
            buyer=Buyer.LARGE,
            signed=date(2025, 7, 1),
            delivered=date(2025, 7, 10),
            accepted=date(2025, 7, 20),
            agreed_days=45,
        )
    )
    assert body["figures"]["payment_deadline"]["due"] == expected.due.isoformat()
    assert body["debtor_check"] == "not_sme" and body["state"] == "submitted"
    assert body["deadline"]["kind"] == "arrears_transfer"
    bad = client.post(
        "/api/arrears/", {**payload, "amount_paid": "80"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "没有拖欠" in str(bad.json()["detail"]["amount_paid"])
    client.force_login(world.handler)
    assert client.post("/api/arrears/", payload, content_type="application/json").status_code == 403
