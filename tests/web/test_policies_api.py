"""The policy library's JSON API: the public list and policies, and the officials' endpoints
with the same permissions as the pages."""

from __future__ import annotations

import json

import pytest

from huiqi.accounts.services import issue_token
from huiqi.policies.models import PolicyVersion, Status
from huiqi.rules.criteria import admitted
from huiqi.rules.policies import ILLUSTRATIVE_NOTE, bundled_policies

from .test_policies import *  # noqa: F403 - the policy library's fixtures
from .test_policies import pack_entry

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    _, key = issue_token(actor=None, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _json(response) -> dict:
    return json.loads(response.content)


def test_the_public_list_and_a_policy(client, pack):
    small = _json(client.get("/api/policies", {"size": "small", "kind": "funds"}))
    expected = {
        p.id
        for p in bundled_policies()
        if p.benefit.kind.value == "funds"
        and (
            admitted(p.criteria, "size_class") is None
            or "small" in admitted(p.criteria, "size_class")
        )
    }
    assert small["count"] == len(expected) and small["pages"] == 1
    assert {item["id"] for item in small["items"]} == expected

    one = _json(client.get("/api/policies/cc-zjtx-support"))
    assert one["version"]["status"] == "published" and one["version"]["version"] == 1
    assert ILLUSTRATIVE_NOTE in one["policy"]["benefit"]["amount_text"]
    assert one["entry"]["id"] == "cc-zjtx-support"

    bad = client.get("/api/policies", {"size": "giant"})
    assert bad.status_code == 422 and "size" in _json(bad)["detail"]
    assert client.get("/api/policies/no-such").status_code == 404


def test_officials_write_through_the_api(client, changchun_official):
    headers = _bearer(changchun_official)
    entry = pack_entry("cc-rd-expense-subsidy", "cc-api")
    created = client.post(
        "/api/policies", json.dumps(entry), content_type="application/json", **headers
    )
    assert created.status_code == 201, created.content
    assert _json(created)["version"]["status"] == "draft"
    assert client.get("/api/policies/cc-api").status_code == 404  # a draft is not public

    published = client.post("/api/policies/cc-api/publish", **headers)
    assert published.status_code == 200 and _json(published)["version"]["status"] == "published"

    changed = {**entry, "criteria": "企业规模 属于 小型、微型 且 不是 失信"}
    put = client.put(
        "/api/policies/cc-api/draft",
        json.dumps(changed),
        content_type="application/json",
        **headers,
    )
    assert put.status_code == 200 and _json(put)["version"]["version"] == 2
    versions = _json(client.get("/api/policies/cc-api/versions", **headers))
    assert [(v["version"], v["status"]) for v in versions] == [(2, "draft"), (1, "published")]
    assert versions[1]["created_by"] == "cc-official"

    client.post("/api/policies/cc-api/publish", **headers)
    public = _json(client.get("/api/policies/cc-api"))
    assert public["version"]["version"] == 2 and public["version"]["sizes"] == ["small", "micro"]
    old = _json(client.get("/api/policies/cc-api", {"version": 1}))
    assert old["version"]["status"] == "superseded"

    withdrawn = client.post("/api/policies/cc-api/withdraw", **headers)
    assert _json(withdrawn)["version"]["status"] == "withdrawn"
    assert client.get("/api/policies/cc-api").status_code == 404


def test_bad_entries_come_back_with_the_field(client, changchun_official):
    entry = pack_entry("cc-zjtx-support", "cc-bad", criteria="营收 ≥ 10万元")
    response = client.post(
        "/api/policies",
        json.dumps(entry),
        content_type="application/json",
        **_bearer(changchun_official),
    )
    assert response.status_code == 422
    assert "未知的事实“营收”" in _json(response)["detail"]["criteria"][0]


def test_the_api_applies_the_pages_permissions(
    client, pack, changchun_official, hunan_official, enterprise_user
):
    entry = pack_entry("cc-zjtx-support", "cc-perm")
    body = json.dumps(entry)
    assert client.post("/api/policies", body, content_type="application/json").status_code == 401
    as_firm = client.post(
        "/api/policies", body, content_type="application/json", **_bearer(enterprise_user)
    )
    assert as_firm.status_code == 403
    as_hunan = client.post(
        "/api/policies", body, content_type="application/json", **_bearer(hunan_official)
    )
    assert as_hunan.status_code == 403

    client.post(
        "/api/policies", body, content_type="application/json", **_bearer(changchun_official)
    )
    hunan = _bearer(hunan_official)
    assert client.post("/api/policies/cc-perm/publish", **hunan).status_code == 404
    assert client.get("/api/policies/cc-perm/versions", **hunan).status_code == 404
    assert client.post("/api/policies/cc-zjtx-support/withdraw", **hunan).status_code == 403
    put = client.put(
        "/api/policies/cc-zjtx-support/draft",
        json.dumps(pack_entry("cc-zjtx-support")),
        content_type="application/json",
        **hunan,
    )
    assert put.status_code == 403
    assert client.get("/api/policies/cc-zjtx-support/versions", **hunan).status_code == 403
    assert PolicyVersion.objects.get(record__slug="cc-perm").status == Status.DRAFT
    assert PolicyVersion.objects.filter(record__slug="cc-zjtx-support").count() == 1
