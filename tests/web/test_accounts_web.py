"""Login, logout, throttling, the settings that protect sessions, and the audit's guarantees."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from huiqi.audit import services as audit
from huiqi.audit.models import Action
from huiqi.cli import main

from .conftest import PASSWORD


def test_login_page_is_chinese_and_protected_by_csrf(client, db):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "登录" in text and 'lang="zh-Hans"' in text and "csrfmiddlewaretoken" in text
    strict = type(client)(enforce_csrf_checks=True)
    refused = strict.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert refused.status_code == 403


def test_login_and_logout(client, administrator):
    done = client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    assert done.status_code == 302
    page = client.get(reverse("accounts:login"))
    assert "您已登录：admin（管理员）" in page.content.decode()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["secure"]
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_repeated_failures(client, administrator):
    url = reverse("accounts:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        page = client.post(url, {"username": "admin", "password": "wrong-password"})
        assert "请输入一个正确的" in page.content.decode()
    locked = client.post(url, {"username": "admin", "password": PASSWORD})
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_secure_settings():
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE  # DEBUG is off
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [10]
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db(transaction=True)
def test_audit_entries_need_the_transaction_of_their_change(administrator):
    entry = audit.entry(administrator, Action.UPDATE, administrator, {"a": 1}, {"a": 2})
    with pytest.raises(audit.AuditOutsideTransaction):
        audit.record([entry])
    with transaction.atomic():
        assert audit.record([entry]) == 1


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_huiqi_manage_runs_django_commands(capsys):
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out


@pytest.mark.django_db
def test_administrators_reach_the_administration_site_and_others_do_not(client):
    from huiqi.accounts.models import Role
    from huiqi.accounts.services import create_department, create_user

    admin = create_user(actor=None, username="admin2", password=PASSWORD, role=Role.ADMINISTRATOR)
    department = create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")
    official = create_user(
        actor=None, username="cc", password=PASSWORD, role=Role.OFFICIAL, department=department
    )
    client.force_login(admin)
    assert client.get("/admin/enterprises/enterprise/").status_code == 200
    client.force_login(official)
    assert client.get("/admin/enterprises/enterprise/").status_code == 302


@pytest.mark.django_db
def test_an_api_request_that_does_not_fit_the_schema_is_answered_in_chinese(client):
    response = client.get("/api/law/search", {"q": "投诉", "limit": "很多"})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["query", "limit"], "msg": "limit：应当是整数"}]
