"""API tokens: the page that makes and revokes them, the key shown once, a revoked key
refused, a token acting with its user's permissions; and the login page in the site layout."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huiqi.accounts.models import ApiToken, Role
from huiqi.accounts.services import create_user, issue_token, revoke_token
from huiqi.audit.models import Action, AuditEntry
from huiqi.enterprises.services import import_registry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

KEY = re.compile(r'value="(hq_[A-Za-z0-9_-]+)"')


@pytest.fixture
def firm(population):
    return create_user(
        actor=None,
        username="firm",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_uscc=population["uscc"][0],
    )


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_token_page_needs_a_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_new_key_is_shown_once_and_works(client, administrator):
    client.force_login(administrator)
    created = client.post(reverse("accounts:tokens"), {"name": "统计报送系统"})
    assert created.status_code == 200
    text = created.content.decode()
    (key,) = KEY.findall(text)
    assert "请立即复制并妥善保存" in text and "离开本页后无法再次查看" in text
    token = ApiToken.objects.get(user=administrator)
    assert token.name == "统计报送系统" and token.digest == ApiToken.digest_of(key)
    assert key not in token.digest

    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again and "统计报送系统" in again and "从未使用" in again

    client.logout()
    assert client.get("/api/console/audit", **_bearer(key)).status_code == 200
    client.force_login(administrator)
    assert "从未使用" not in client.get(reverse("accounts:tokens")).content.decode()
    entry = AuditEntry.objects.about(token).get()
    assert entry.action == Action.CREATE and entry.actor == administrator


def test_a_token_needs_a_name_given_next_to_the_field(client, firm):
    client.force_login(firm)
    text = client.post(reverse("accounts:tokens"), {"name": ""}).content.decode()
    assert 'id="id_name_error"' in text and 'aria-invalid="true"' in text
    assert 'aria-describedby="id_name_helptext id_name_error"' in text
    assert not ApiToken.objects.exists() and not KEY.search(text)


def test_a_revoked_key_gets_401(client, firm):
    _token, key = issue_token(actor=firm, user=firm, name="对接")
    assert client.get("/api/console/imports/1", **_bearer(key)).status_code == 404
    client.force_login(firm)
    token = ApiToken.objects.get()
    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "已吊销" in revoked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    refused = client.get("/api/console/imports/1", **_bearer(key))
    assert refused.status_code == 401 and refused.json()["detail"] == "需要登录或接口令牌"
    assert client.get("/api/console/imports/1", **_bearer("hq_made-up")).status_code == 401


def test_nobody_revokes_the_token_of_another(client, firm, administrator):
    token, _key = issue_token(actor=None, user=administrator, name="管理员的")
    client.force_login(firm)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "管理员的" not in client.get(reverse("accounts:tokens")).content.decode()


def test_a_token_acts_with_its_users_permissions(
    client, firm, administrator, registry_csv, population
):
    import_registry(registry_csv, actor=administrator)
    _token, key = issue_token(actor=None, user=firm, name="t")
    assert client.get("/api/enterprises", **_bearer(key)).status_code == 403  # the list is staff's
    own, other = population["uscc"][0], population["uscc"][1]
    assert client.get(f"/api/enterprises/{own}", **_bearer(key)).status_code == 200
    assert client.get(f"/api/enterprises/{other}", **_bearer(key)).status_code == 404
    _token, admin_key = issue_token(actor=None, user=administrator, name="t")
    listed = client.get("/api/enterprises", **_bearer(admin_key)).json()
    assert listed["count"] == population.height
    assert client.get("/api/console/audit", **_bearer(key)).status_code == 403
    file = SimpleUploadedFile("registry.csv", registry_csv.read_bytes())
    upload = client.post("/api/console/imports", {"file": file}, **_bearer(key))
    assert upload.status_code == 403


def test_a_revoked_token_is_listed_as_revoked(client, firm):
    token, _key = issue_token(actor=firm, user=firm, name="旧系统")
    revoke_token(actor=firm, token=token)
    client.force_login(firm)
    text = client.get(reverse("accounts:tokens")).content.decode()
    assert "旧系统" in text and "已吊销" in text
    assert reverse("accounts:token_revoke", args=[token.pk]) not in text


# the login page --------------------------------------------------------------------------


def test_the_login_page_uses_the_site_layout(client, db):
    text = client.get(reverse("accounts:login")).content.decode()
    assert '<main id="main" class="narrow">' in text
    assert "惠企政策清单" in text  # the site's navigation
    assert 'for="id_username"' in text and 'for="id_password"' in text


def test_login_errors_are_next_to_the_fields(client, administrator):
    url = reverse("accounts:login")
    empty = client.post(url, {"username": "", "password": ""}).content.decode()
    assert 'id="id_username_error"' in empty and 'id="id_password_error"' in empty
    assert 'aria-invalid="true"' in empty
    wrong = client.post(url, {"username": "admin", "password": "wrong-password"})
    assert 'role="alert"' in wrong.content.decode()


def test_the_restyled_login_page_still_throttles(client, administrator):
    url = reverse("accounts:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(url, {"username": "admin", "password": "wrong-password"})
    locked = client.post(url, {"username": "admin", "password": PASSWORD})
    assert locked.status_code == 200 and "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_login_page_is_chinese_for_an_english_browser(client, db):
    text = client.post(
        reverse("accounts:login"), {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en-US"
    ).content.decode()
    assert "用户名" in text and "这个字段是必填项" in text and "This field" not in text
