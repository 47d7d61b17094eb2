"""免申即享 through the pages and the JSON API: officials queue runs (never executed by the
request) and follow their progress; officials see only their jurisdiction's runs; an
enterprise sees only its own notices and benefits. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user, issue_token
from huiqi.audit.models import AuditEntry
from huiqi.enterprises.models import Enterprise
from huiqi.screening import services
from huiqi.screening.models import Entitlement, Notice, RunStatus, ScreeningRun

from .conftest import PASSWORD
from .test_screening import ON, bundled, load, publish, registry


@pytest.fixture
def world(tmp_path: Path, db) -> dict:
    """长春 and 深圳 enterprises, the bundled policies published, an official of each city."""
    load(registry(120, 30), tmp_path)
    versions = {p.id: publish(p) for p in bundled()}
    officials = {}
    for code, name in (("220100", "长春市工业和信息化局"), ("440300", "深圳市中小企业服务局")):
        department = create_department(actor=None, name=name, jurisdiction=code)
        officials[code] = create_user(
            actor=None,
            username=f"official-{code}",
            password=PASSWORD,
            role=Role.OFFICIAL,
            department=department,
        )
    return {"versions": versions, "officials": officials}


def _enterprise_user(uscc: str, name: str = "enterprise"):
    return create_user(
        actor=None, username=name, password=PASSWORD, role=Role.ENTERPRISE, enterprise_uscc=uscc
    )


def _bearer(user) -> dict[str, str]:
    _, key = issue_token(actor=None, user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


# officials --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_queues_a_run_and_the_worker_executes_it(client, world) -> None:
    official = world["officials"]["220100"]
    version = world["versions"]["cc-zjtx-support"]
    client.force_login(official)
    form = client.get(reverse("screening:new"))
    assert form.status_code == 200
    assert f'value="{version.pk}"' in form.content.decode()
    assert f'value="{world["versions"]["sz-draft-high-tech-tax"].pk}"' not in form.content.decode()

    response = client.post(
        reverse("screening:new"), {"policy_version": version.pk, "on": ON.isoformat()}
    )
    run = ScreeningRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:run", args=[run.pk])
    assert (run.status, run.jurisdiction, run.requested_by) == (
        RunStatus.QUEUED,
        "220100",
        official,
    )
    assert not Notice.objects.exists()  # the request only queued it

    page = client.get(reverse("screening:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page

    claimed = services.claim_next_run()
    services.execute_run(claimed)
    partial = client.get(reverse("screening:run", args=[run.pk]), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "<html" not in text and "hx-trigger" not in text  # done: the polling stops
    assert "已完成" in text and "新发放" in text and version.title in text
    counts = ScreeningRun.objects.get(pk=run.pk).counts[str(version.pk)]
    assert f'<td class="number">{counts["not_eligible"]}</td>' in text

    listing = client.get(reverse("screening:runs")).content.decode()
    assert f"#{run.pk}" in listing and run.rule_set_version in listing


@pytest.mark.django_db
def test_form_errors_are_shown_next_to_the_field(client, world) -> None:
    client.force_login(world["officials"]["220100"])
    response = client.post(reverse("screening:new"), {"policy_version": "", "on": "明天"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "请填写日期，如 2026-06-01" in text
    assert 'aria-invalid="true"' in text and 'id="id_on_errors"' in text
    assert not ScreeningRun.objects.exists()


@pytest.mark.django_db
def test_officials_see_and_start_only_their_jurisdiction(client, world) -> None:
    changchun, shenzhen = world["officials"]["220100"], world["officials"]["440300"]
    run = services.request_run(changchun, world["versions"]["cc-zjtx-support"], ON)

    client.force_login(shenzhen)
    assert client.get(reverse("screening:run", args=[run.pk])).status_code == 404
    assert f"#{run.pk}" not in client.get(reverse("screening:runs")).content.decode()
    refused = client.post(
        reverse("screening:new"),
        {"policy_version": world["versions"]["cc-zjtx-support"].pk, "on": ON.isoformat()},
    )
    assert "请选择列表中的已发布政策" in refused.content.decode()
    assert ScreeningRun.objects.count() == 1

    api = _bearer(shenzhen)
    assert client.get(f"/api/screenings/{run.pk}", headers=api).status_code == 404
    assert client.get("/api/screenings", headers=api).json()["count"] == 0
    started = client.post(
        "/api/screenings",
        {"policy": "cc-zjtx-support", "on": ON.isoformat()},
        content_type="application/json",
        headers=api,
    )
    assert started.status_code == 403
    assert "不在筛查范围内" in started.json()["detail"]
    assert ScreeningRun.objects.count() == 1

    own = client.get(f"/api/screenings/{run.pk}", headers=_bearer(changchun))
    assert own.status_code == 200 and own.json()["status"] == "queued"


@pytest.mark.django_db
def test_the_api_queues_a_run_and_reports_its_progress(client, world) -> None:
    api = _bearer(world["officials"]["220100"])
    response = client.post(
        "/api/screenings", {"on": ON.isoformat()}, content_type="application/json", headers=api
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["jurisdiction"], body["percent"]) == ("queued", "220100", 0)
    assert ScreeningRun.objects.get(pk=body["id"]).status == RunStatus.QUEUED

    services.execute_run(services.claim_next_run())
    done = client.get(f"/api/screenings/{body['id']}", headers=api).json()
    assert done["status"] == "done" and done["percent"] == 100
    assert done["progress_done"] == done["progress_total"] == len(done["counts"])
    slugs = {c["policy"] for c in done["counts"]}
    assert "cc-zjtx-support" in slugs and "cn-small-micro-tax-relief" in slugs
    assert not any(s.startswith("sz-") for s in slugs)
    assert "cc-smart-manufacturing" in done["skipped"]  # its window closed on 2026-04-30
    assert done["enterprises"] == 120 and done["duration_seconds"] is not None

    missing = client.post(
        "/api/screenings",
        {"policy": "no-such-policy"},
        content_type="application/json",
        headers=api,
    )
    assert missing.status_code == 422 and "no-such-policy" in str(missing.json()["detail"])


@pytest.mark.django_db
def test_enterprises_cannot_use_runs(client, world) -> None:
    user = _enterprise_user(Enterprise.objects.first().uscc)
    client.force_login(user)
    assert client.get(reverse("screening:runs")).status_code == 403
    assert client.post(reverse("screening:new"), {"on": ON.isoformat()}).status_code == 403
    api = _bearer(user)
    assert client.get("/api/screenings", headers=api).status_code == 403
    posted = client.post("/api/screenings", {}, content_type="application/json", headers=api)
    assert posted.status_code == 403 and not ScreeningRun.objects.exists()


# enterprises ------------------------------------------------------------------------------


@pytest.fixture
def screened(world) -> dict:
    run = services.screen_now(None, on=ON)
    assert run.status == RunStatus.DONE
    granted = Entitlement.objects.filter(
        policy_version=world["versions"]["cn-small-micro-tax-relief"]
    ).select_related("enterprise")
    mine, other = granted[0].enterprise, granted[1].enterprise
    return {**world, "run": run, "mine": mine, "other": other}


@pytest.mark.django_db
def test_the_inbox_shows_only_the_enterprise_s_notices_with_reasons(client, screened) -> None:
    mine, other = screened["mine"], screened["other"]
    client.force_login(_enterprise_user(mine.uscc))
    page = client.get(reverse("screening:inbox")).content.decode()
    own = Notice.objects.filter(enterprise=mine).select_related("policy_version")
    assert own.exists()
    for notice in own:
        assert f'id="notice-{notice.pk}"' in page
        assert notice.policy_version.title in page
    others = Notice.objects.filter(enterprise=other)
    assert all(f'id="notice-{n.pk}"' not in page for n in others)
    assert "未读" in page and "免申即享：无需申报" in page
    assert 'class="passed"' in page and "中华人民共和国中小企业促进法" in page

    api = client.get("/api/screenings/inbox", headers=_bearer(_enterprise_user(mine.uscc, "e2")))
    ids = {n["id"] for n in api.json()["items"]}
    assert ids == set(own.values_list("pk", flat=True))
    first = api.json()["items"][0]
    assert first["reasons"]["conditions"] and first["read_at"] is None


@pytest.mark.django_db
def test_marking_a_notice_read(client, screened) -> None:
    mine, other = screened["mine"], screened["other"]
    user = _enterprise_user(mine.uscc)
    client.force_login(user)
    notice = Notice.objects.filter(enterprise=mine).first()
    response = client.post(
        reverse("screening:mark_read", args=[notice.pk]), headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert f'id="notice-{notice.pk}"' in text and "标为已读" not in text
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert AuditEntry.objects.filter(target="screening.notice", target_id=str(notice.pk)).exists()

    foreign = Notice.objects.filter(enterprise=other).first()
    assert client.post(reverse("screening:mark_read", args=[foreign.pk])).status_code == 404
    api = _bearer(user)
    assert client.post(f"/api/screenings/inbox/{foreign.pk}/read", headers=api).status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None
    again = client.post(f"/api/screenings/inbox/{notice.pk}/read", headers=api)
    assert again.status_code == 200 and again.json()["read_at"] is not None


@pytest.mark.django_db
def test_entitlements_show_the_enterprise_s_benefits(client, screened) -> None:
    mine = screened["mine"]
    client.force_login(_enterprise_user(mine.uscc))
    page = client.get(reverse("screening:entitlements")).content.decode()
    granted = Entitlement.objects.filter(enterprise=mine).select_related("policy_version")
    assert granted.exists()
    for entitlement in granted:
        assert entitlement.policy_version.title in page
    amounts = {format(e.amount.normalize(), "f") for e in granted if e.amount is not None}
    body = client.get(
        "/api/screenings/entitlements", headers=_bearer(_enterprise_user(mine.uscc, "e2"))
    ).json()
    assert {e["id"] for e in body["items"]} == set(granted.values_list("pk", flat=True))
    assert {e["amount"] for e in body["items"] if e["amount"]} == amounts


@pytest.mark.django_db
def test_officials_have_no_inbox(client, screened) -> None:
    official = screened["officials"]["220100"]
    client.force_login(official)
    assert client.get(reverse("screening:inbox")).status_code == 403
    assert client.get("/api/screenings/inbox", headers=_bearer(official)).status_code == 403
    assert client.get("/api/screenings/entitlements", headers=_bearer(official)).status_code == 403
