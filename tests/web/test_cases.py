"""诉求 handling: the state machine, the append-only history, attachments, routing, deadlines
with citations, identity protection and permissions, through services, pages and API.

The ``world`` fixture (departments of 长春 and 深圳, officials, two enterprises of the
synthetic registry placed in chosen districts) is shared with the other test_cases* files."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from huiqi.accounts.models import Department, Role, User
from huiqi.accounts.services import create_department, create_user, issue_token
from huiqi.enterprises.models import Enterprise
from huiqi.population import generate

from .conftest import PASSWORD

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> datetime:
    """An aware datetime in Beijing time."""
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


@dataclass
class World:
    cc: Department
    """长春市工业和信息化局 (220100)."""
    cc_market: Department
    """长春市市场监督管理局 (220100): another department of the same city."""
    nanguan: Department
    """南关区 (220102)."""
    sz: Department
    handler: User
    handler2: User
    supervisor: User
    other_department: User
    nanguan_official: User
    sz_official: User
    administrator: User
    a: Enterprise
    """In 220104 朝阳区: routed to 长春市工业和信息化局."""
    b: Enterprise
    """In 220102 南关区: routed to the 南关区 department."""
    user_a: User
    user_b: User

    def token(self, user: User) -> dict[str, Any]:
        _, key = issue_token(actor=None, user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _enterprise(row: dict[str, Any], district: str) -> Enterprise:
    return Enterprise.objects.create(
        uscc=row["uscc"],
        name=row["name"],
        industry=row["industry"],
        district=district,
        founded=row["founded"],
    )


def _user(name: str, role: Role, **kwargs: Any) -> User:
    return create_user(actor=None, username=name, password=PASSWORD, role=role, **kwargs)


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    from huiqi.cases.services import appoint_supervisor

    settings.MEDIA_ROOT = tmp_path / "files"
    cc = create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")
    cc_market = create_department(actor=None, name="长春市市场监督管理局", jurisdiction="220100")
    nanguan = create_department(actor=None, name="南关区工业和信息化局", jurisdiction="220102")
    sz = create_department(actor=None, name="深圳市中小企业服务局", jurisdiction="440300")
    rows = generate(2, seed=11, city="220100", year=2025).to_dicts()
    a, b = _enterprise(rows[0], "220104"), _enterprise(rows[1], "220102")
    supervisor = _user("cc-chief", Role.OFFICIAL, department=cc)
    appoint_supervisor(actor=None, user=supervisor)
    return World(
        cc=cc,
        cc_market=cc_market,
        nanguan=nanguan,
        sz=sz,
        handler=_user("cc-handler", Role.OFFICIAL, department=cc),
        handler2=_user("cc-handler2", Role.OFFICIAL, department=cc),
        supervisor=supervisor,
        other_department=_user("cc-market", Role.OFFICIAL, department=cc_market),
        nanguan_official=_user("nanguan", Role.OFFICIAL, department=nanguan),
        sz_official=_user("sz-official", Role.OFFICIAL, department=sz),
        administrator=_user("root", Role.ADMINISTRATOR),
        a=a,
        b=b,
        user_a=_user("ent-a", Role.ENTERPRISE, enterprise_uscc=a.uscc),
        user_b=_user("ent-b", Role.ENTERPRISE, enterprise_uscc=b.uscc),
    )


def _complaint(w: World, *, kind: str = "complaint", user: User | None = None, **kwargs: Any):
    from huiqi.cases import services

    return services.submit(
        actor=user or w.user_a,
        kind=kind,
        title=kwargs.pop("title", "补贴申请逾期未答复"),
        content=kwargs.pop("content", "2025年6月提交的补贴申请至今没有答复。"),
        contact=kwargs.pop("contact", "0431-88886666"),
        received_at=kwargs.pop("received_at", at("2025-09-26")),
        **kwargs,
    )


def _act(user: User, case, action: str, **kwargs: Any):
    from huiqi.cases import services

    case.refresh_from_db()
    return services.transition(user, case, action, expected_version=case.version, **kwargs)


# -- numbering, routing, deadline -------------------------------------------------------------


@pytest.mark.django_db
def test_intake_numbers_routes_and_computes_the_deadline(world):
    first = _complaint(world)
    second = _complaint(world)
    report = _complaint(world, kind="report")
    assert (first.number, second.number, report.number) == (
        "TS-2025-000001",
        "TS-2025-000002",
        "JB-2025-000001",
    )
    # 220104 朝阳区 has no district department: 长春市 (the first registered of 220100).
    assert first.department == world.cc and first.jurisdiction == "220100"
    assert first.state == "submitted" and first.version == 1
    assert first.received_on.isoformat() == "2025-09-26"
    # 长春 条例 第四十三条: 20 working days from 2025-09-26, across the National Day holiday.
    assert first.due_on.isoformat() == "2025-10-30"
    citations = first.due_basis["citations"]
    assert citations[0]["text"] == "《长春市促进中小企业发展条例》第四十三条"
    assert (citations[0]["source"], citations[0]["node"]) == (
        "220100-sme-promotion-2025-04-03",
        "art_43",
    )
    assert first.due_basis["statutory"] is True
    assert "2025-10-30（星期四）" in first.due_explanation
    # An enterprise of 南关区 goes to the district's own department (most specific first).
    assert _complaint(world, user=world.user_b).department == world.nanguan


@pytest.mark.django_db
def test_a_consultation_counts_the_service_commitment_not_the_law(world):
    case = _complaint(world, kind="consultation")
    assert case.number.startswith("ZX-2025-")
    assert case.due_basis["statutory"] is False
    assert case.due_basis["citations"][0]["kind"] == "commitment"
    assert "只适用于投诉、举报" in case.due_explanation
    # 15 working days after 2025-09-26: 09-28, 29, 30, 10-09, 10, 11, 13 … 10-23.
    assert case.due_on.isoformat() == "2025-10-23"


@pytest.mark.django_db
def test_no_department_for_the_district_is_an_error_on_the_field(world):
    from django.core.exceptions import ValidationError

    from huiqi.cases import services

    with pytest.raises(ValidationError) as caught:
        services.submit_anonymous(title="线索", content="某单位拖欠", district="430102")
    assert "还没有受理诉求的部门" in caught.value.message_dict["district"][0]


# -- the state machine ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_complaint_goes_from_intake_to_closure(world):
    case = _complaint(world)
    for action in ("accept", "investigate"):
        case = _act(world.handler, case, action)
    case = _act(world.handler2, case, "reply", note="经调查，补贴已于10月15日拨付。")
    case = _act(world.handler, case, "close")
    assert case.state == "closed" and case.closed_at is not None
    assert case.reply.startswith("经调查") and case.replied_at is not None
    case = _act(world.user_a, case, "rate", data={"rating": "good"}, note="处理及时")
    assert (case.satisfaction, case.satisfaction_comment) == ("good", "处理及时")
    events = list(
        case.events.order_by("seq").values_list("seq", "action", "from_state", "to_state")
    )
    assert events == [
        (1, "submit", "", "submitted"),
        (2, "accept", "submitted", "accepted"),
        (3, "investigate", "accepted", "investigating"),
        (4, "reply", "investigating", "replied"),
        (5, "close", "replied", "closed"),
        (6, "rate", "closed", ""),
    ]
    assert case.version == 6


@pytest.mark.django_db
def test_forbidden_transitions(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from huiqi.cases.services import InvalidTransition

    case = _complaint(world)
    with pytest.raises(InvalidTransition, match="当前状态（待受理）不能开始调查"):
        _act(world.handler, case, "investigate")
    with pytest.raises(PermissionDenied, match="只有办理部门工作人员可以受理"):
        _act(world.user_a, case, "accept")
    with pytest.raises(PermissionDenied):
        _act(world.other_department, case, "accept")  # same city, another department
    with pytest.raises(ValidationError) as caught:
        _act(world.handler, case, "reject", note="  ")
    assert caught.value.message_dict == {"note": ["请填写不予受理的理由"]}
    with pytest.raises(InvalidTransition, match="不是投诉的办理操作"):
        _act(world.handler, case, "teleport")
    case = _act(world.handler, case, "reject", note="不属于本部门职责，请向市场监管部门反映。")
    assert case.state == "rejected" and case.closed_at is not None
    with pytest.raises(InvalidTransition, match="当前状态（不予受理）不能受理"):
        _act(world.handler, case, "accept")
    with pytest.raises(InvalidTransition):
        _act(world.user_a, case, "rate", data={"rating": "poor"})
    case = _complaint(world)
    _act(world.handler, case, "accept")
    _act(world.handler, case, "investigate")
    with pytest.raises(ValidationError) as caught:
        _act(world.handler, case, "reply", note="")
    assert caught.value.message_dict == {"note": ["请填写答复书正文"]}
    _act(world.handler, case, "reply", note="答复")
    with pytest.raises(ValidationError):
        _act(world.user_a, case, "rate", data={"rating": "excellent"})
    _act(world.user_a, case, "rate", data={"rating": "fair"})
    with pytest.raises(InvalidTransition, match="已经评价过"):
        _act(world.user_a, case, "rate", data={"rating": "good"})
    assert case.events.count() == 5  # refused actions left no event


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict(world):
    from huiqi.cases import services

    case = _complaint(world)
    services.transition(world.handler, case, "accept", expected_version=1)
    with pytest.raises(services.CaseConflict) as caught:
        services.transition(world.handler2, case, "reject", expected_version=1, note="重复")
    assert str(caught.value) == "该事项已被他人处理（当前状态：已受理），请刷新后重试"
    assert case.events.count() == 2


# -- extensions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_extension_where_the_law_allows_none(world):
    from huiqi.cases.deadlines import ExtensionNotAllowed

    case = _complaint(world)
    with pytest.raises(ExtensionNotAllowed) as caught:
        _act(world.handler, case, "request_extension", note="情况复杂")
    message = str(caught.value)
    assert "《长春市促进中小企业发展条例》第四十三条" in message
    assert "没有规定可以延长" in message
    case.refresh_from_db()
    assert not case.extension_pending and case.events.count() == 1


@pytest.fixture
def arrears_like():
    """A case type whose period the law lets a supervisor extend: 保障中小企业款项支付条例
    （2025）第二十五条第二款 (30 days, at most 90 with the 部门负责人's approval) — the shape
    the arrears complaints of the next slice will register."""
    from huiqi.cases import deadlines, machine
    from huiqi.rules.deadlines import arrears_result_deadline

    kind = machine.register(
        machine.CaseType(
            key="arrears_test",
            label="拖欠账款投诉",
            prefix="QKT",
            machine=machine.COMPLAINT_MACHINE,
            deadline=lambda received, division: arrears_result_deadline(received),
            extension=lambda received, division: arrears_result_deadline(received, extended=True),
            protected=True,
        )
    )
    assert deadlines.rules_jurisdiction("220104") == "220100"
    yield kind
    machine.unregister(kind.key)


@pytest.mark.django_db
def test_an_extension_the_law_allows_is_approved_by_a_supervisor(world, arrears_like):
    from django.core.exceptions import PermissionDenied

    from huiqi.cases.services import InvalidTransition

    case = _complaint(world, kind="arrears_test")
    assert case.number == "QKT-2025-000001"
    assert case.due_on.isoformat() == "2025-10-27"  # 30 days: 10-26 is a Sunday → 10-27
    with pytest.raises(InvalidTransition, match="没有待批准的延期申请"):
        _act(world.supervisor, case, "approve_extension")
    _act(world.handler, case, "request_extension", note="被投诉人未按时反馈")
    with pytest.raises(PermissionDenied, match="办理部门负责人"):
        _act(world.handler, case, "approve_extension")
    case = _act(world.supervisor, case, "approve_extension")
    # 90 days after 2025-09-26: 2025-12-25 (Thursday).
    assert case.extended_due_on.isoformat() == "2025-12-25"
    assert case.effective_due_on.isoformat() == "2025-12-25" and not case.extension_pending
    event = case.events.order_by("-seq").first()
    assert event.action == "approve_extension" and event.actor == world.supervisor
    assert event.data["basis"]["citations"][0]["text"].endswith("第二十五条第二款")


# -- append-only history ----------------------------------------------------------------------


@pytest.mark.django_db
def test_events_are_append_only_in_the_model_and_the_database(world):
    from django.db import DatabaseError, connection, transaction

    from huiqi.cases.models import AppendOnly, CaseEvent

    case = _complaint(world)
    event = case.events.get()
    event.note = "改写"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    table = CaseEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET note = 'rewritten' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


# -- attachments ------------------------------------------------------------------------------


def _docx() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_attachment_checks_size_extension_and_content():
    from huiqi.cases import files

    assert files.check("证据.pdf", b"%PDF-1.7\n...").content_type == "application/pdf"
    assert files.check("照片.PNG", b"\x89PNG\r\n\x1a\n....").content_type == "image/png"
    assert files.check("合同.docx", _docx()).content_type.endswith("wordprocessingml.document")
    assert files.check("说明.txt", "拖欠款项说明".encode("gb18030")).name == "说明.txt"
    assert files.check("C:\\证据\\扫描件.jpg", b"\xff\xd8\xff\xe0rest").name == "扫描件.jpg"
    refused = [
        ("程序.exe", b"MZ\x90\x00", "类型不允许"),
        ("伪装.pdf", b"MZ\x90\x00", "扩展名与内容不符"),
        ("伪装.docx", b"PK\x03\x04not a zip", "扩展名与内容不符"),
        ("表格.xlsx", _docx(), "扩展名与内容不符"),
        ("二进制.txt", b"\x00\x01\x02\x03" * 10, "扩展名与内容不符"),
        ("空.pdf", b"", "是空的"),
        ("大.pdf", b"%PDF-" + b"0" * files.MAX_SIZE, "超过 10 MB"),
    ]
    for name, data, message in refused:
        with pytest.raises(files.AttachmentError, match=message):
            files.check(name, data)


@pytest.mark.django_db
def test_attachments_are_stored_outside_the_web_root_and_served_with_permission(world, client):
    from django.conf import settings

    from huiqi.cases.services import Upload

    case = _complaint(world, kind="report", upload=Upload("举报材料.pdf", b"%PDF-1.4 evidence"))
    stored = case.attachments.get()
    path = settings.MEDIA_ROOT / "cases" / stored.path
    assert path.read_bytes() == b"%PDF-1.4 evidence"
    assert stored.size == 17 and len(stored.sha256) == 64
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    url = f"/cases/{case.number}/files/{stored.pk}/"
    for user, status in (
        (world.handler, 200),
        (world.user_a, 200),
        (world.other_department, 404),  # sees the case, not the reporter's own evidence
        (world.administrator, 404),
        (world.user_b, 404),
        (world.sz_official, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
            assert "attachment" in response["Content-Disposition"]
        api = client.get(f"/api/cases/{case.number}/attachments/{stored.pk}")
        assert api.status_code == status, user
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    # A reply document is for everyone who sees the case.
    _act(world.handler, case, "accept")
    _act(world.handler, case, "investigate")
    _act(world.handler, case, "reply", note="答复", upload=Upload("答复书.txt", "答复".encode()))
    reply = case.attachments.get(event__action="reply")
    client.force_login(world.other_department)
    assert client.get(f"/cases/{case.number}/files/{reply.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_refused_attachment_stores_nothing(world, client):
    from huiqi.cases.models import Case

    client.force_login(world.user_a)
    response = client.post(
        "/cases/new/",
        {
            "kind": "complaint",
            "title": "标题",
            "content": "内容",
            "file": _upload("病毒.pdf", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "扩展名与内容不符" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Case.objects.exists()


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# -- identity protection ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reporters_identity_is_seen_only_by_the_handling_department(world, client):
    from huiqi.audit.models import AuditEntry

    case = _complaint(world, kind="report", contact="138-0000-1234")
    _act(world.handler, case, "accept")
    name = world.a.name
    seen = {
        world.handler: True,
        world.supervisor: True,
        world.user_a: True,
        world.other_department: False,
        world.administrator: False,
    }
    for user, visible in seen.items():
        client.force_login(user)
        page = client.get(f"/cases/{case.number}/").content.decode()
        api = client.get(f"/api/cases/{case.number}").json()
        for text in (name, world.a.uscc, "138-0000-1234", "ent-a"):
            assert (text in page) is visible, (user, text)
            assert (text in str(api)) is visible, (user, text)
        assert api["complainant"]["protected"] is not visible
        if not visible:
            assert api["complainant"]["enterprise"] == "已保护"
            assert api["events"][0]["actor"] == "举报人（已保护）"
            assert "已保护" in page
    # The audit log (read by administrators) names neither the reporter nor their enterprise.
    intake = AuditEntry.objects.get(target="cases.case", action="create")
    assert intake.actor is None and "enterprise" not in intake.after
    assert "submitted_by" not in intake.after


@pytest.mark.django_db
def test_a_complaint_is_not_protected(world, client):
    case = _complaint(world)
    client.force_login(world.other_department)
    assert world.a.name in client.get(f"/cases/{case.number}/").content.decode()


# -- permissions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_who_sees_which_case(world, client):
    case = _complaint(world)
    for user, status in (
        (world.user_b, 404),
        (world.sz_official, 404),
        (world.nanguan_official, 404),  # 220102 does not cover a 220100 case
        (world.user_a, 200),
        (world.handler, 200),
        (world.other_department, 200),
        (world.administrator, 200),
    ):
        client.force_login(user)
        assert client.get(f"/cases/{case.number}/").status_code == status, user
        assert client.get(f"/api/cases/{case.number}").status_code == status, user
        headers = world.token(user)
        assert client.get(f"/api/cases/{case.number}", **headers).status_code == status
        listed = [r["number"] for r in client.get("/api/cases/", **headers).json()["items"]]
        assert (case.number in listed) is (status == 200), user
    client.force_login(world.sz_official)
    response = client.post(f"/cases/{case.number}/act/accept/", {"accept-version": case.version})
    assert response.status_code == 404
    client.logout()
    assert client.get(f"/cases/{case.number}/").status_code == 302
    assert client.get(f"/api/cases/{case.number}").status_code == 401


# -- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_enterprise_files_and_follows_a_case_through_the_pages(world, client):
    from huiqi.cases.models import Case

    client.force_login(world.user_a)
    page = client.get("/cases/new/").content.decode()
    assert "投诉" in page and "建议" in page
    response = client.post("/cases/new/", {"kind": "complaint", "title": "", "content": ""})
    body = response.content.decode()
    assert "请填写标题" in body and "请填写内容" in body and 'aria-invalid="true"' in body
    response = client.post(
        "/cases/new/",
        {
            "kind": "complaint",
            "title": "招标中设置不平等条件",
            "content": "某项目招标要求注册资本不低于一亿元。",
            "file": _upload("公告.pdf", b"%PDF-1.5 notice"),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.attachments.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert case.due_on.strftime("%Y-%m-%d") in detail
    assert '/law/220100-sme-promotion-2025-04-03/art_43"' in detail
    assert "《长春市促进中小企业发展条例》第四十三条" in detail
    mine = client.get("/cases/mine/").content.decode()
    assert case.number in mine and "待受理" in mine


@pytest.mark.django_db
def test_the_official_acts_with_buttons_and_sees_a_conflict(world, client):
    case = _complaint(world)
    client.force_login(world.handler)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert 'name="accept-version" value="1"' in page and "不予受理" in page
    assert "申请延期" in page and "批准延期" not in page
    assert (
        client.post(f"/cases/{case.number}/act/accept/", {"accept-version": 1}).status_code == 302
    )
    # A second official with the page loaded at version 1 rejects: the conflict is shown.
    client.force_login(world.handler2)
    response = client.post(
        f"/cases/{case.number}/act/reject/",
        {"reject-version": 1, "reject-note": "不属于职责范围"},
        follow=True,
    )
    assert "该事项已被他人处理（当前状态：已受理），请刷新后重试" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "accepted" and case.events.count() == 2
    client.post(f"/cases/{case.number}/act/investigate/", {"investigate-version": 2})
    response = client.post(
        f"/cases/{case.number}/act/reply/", {"reply-version": 3, "reply-note": ""}
    )
    assert response.status_code == 422 and "请填写答复书正文" in response.content.decode()
    response = client.post(
        f"/cases/{case.number}/act/reply/",
        {
            "reply-version": 3,
            "reply-note": "已责令招标人修改公告。",
            "reply-file": _upload("答复书.pdf", b"%PDF-1 r"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "replied" and case.attachments.get().event.action == "reply"
    # Refusing an extension in 长春 shows the reason on the page.
    other = _complaint(world)
    response = client.post(
        f"/cases/{other.number}/act/request_extension/",
        {"request_extension-version": 1, "request_extension-note": "情况复杂"},
    )
    assert response.status_code == 422 and "第四十三条" in response.content.decode()


@pytest.mark.django_db
def test_queues_and_supervisor_pages(world, client):
    case = _complaint(world)
    client.force_login(world.handler)
    assert case.number in client.get("/cases/").content.decode()
    assert case.number not in client.get("/cases/?state=closed").content.decode()
    assert case.number in client.get("/cases/?kind=complaint&state=submitted").content.decode()
    client.force_login(world.supervisor)
    assert "延期审批" in client.get("/cases/").content.decode()
    assert client.get("/cases/extensions/").status_code == 200
    client.force_login(world.user_a)
    assert client.get("/cases/").status_code == 404
    assert client.get("/cases/dashboard/").status_code == 404


# -- anonymous 举报 -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_report_and_its_receipt(world, client):
    from huiqi.cases.models import Case

    response = client.post("/cases/report/", {"title": "线索", "content": "", "district": ""})
    assert "请填写内容" in response.content.decode()
    assert "请选择事项所在地区" in response.content.decode()
    response = client.post(
        "/cases/report/",
        {"title": "强制参加评比", "content": "某协会强制企业缴费参加评比。", "district": "220105"},
    )
    case = Case.objects.get()
    assert case.anonymous and case.submitted_by is None and case.department == world.cc
    page = response.content.decode()
    assert case.number in page
    code = page.split('class="receipt-code">')[1].split("<")[0]
    assert len(code) == 10
    assert (
        client.post("/cases/receipt/", {"number": case.number, "code": "WRONGCODE1"})
        .content.decode()
        .count("编号或查询码不正确")
        == 1
    )
    _act(world.handler, case, "reject", note="线索不足，无法核实")
    status = client.post("/cases/receipt/", {"number": case.number, "code": code.lower()})
    body = status.content.decode()
    assert "不予受理" in body and "线索不足" in body and "cc-handler" not in body
    client.force_login(world.handler)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "匿名举报人" in page


# -- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_files_and_transitions_with_conflicts(world, client):
    import json

    enterprise = world.token(world.user_a)
    response = client.post(
        "/api/cases/",
        data=json.dumps({"kind": "help", "title": "融资难", "content": "希望协调银行贷款。"}),
        content_type="application/json",
        **enterprise,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["number"].startswith("QZ-") and created["deadline"]["citations"]
    number = created["number"]
    bad = client.post(
        "/api/cases/",
        data=json.dumps({"kind": "gossip", "title": "", "content": "x"}),
        content_type="application/json",
        **enterprise,
    )
    assert bad.status_code == 422 and set(bad.json()["detail"]) == {"kind", "title"}
    official = world.token(world.handler)
    post = lambda body, headers: client.post(  # noqa: E731
        f"/api/cases/{number}/transitions",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )
    assert post({"action": "accept", "version": 1}, official).json()["state"] == "accepted"
    stale = post({"action": "reject", "version": 1, "note": "重复"}, official)
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该事项已被他人处理（当前状态：已受理），请刷新后重试"
    assert post({"action": "investigate", "version": 2}, enterprise).status_code == 403
    assert post({"action": "close", "version": 2}, official).status_code == 422
    client_b = world.token(world.user_b)
    assert post({"action": "rate", "version": 2, "rating": "poor"}, client_b).status_code == 404
    assert (
        client.post(
            "/api/cases/",
            data=json.dumps({"kind": "help", "title": "t", "content": "c"}),
            content_type="application/json",
            **official,
        ).status_code
        == 403
    )
