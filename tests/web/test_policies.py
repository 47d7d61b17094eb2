"""The policy library's services: versions, permissions, validation, the example pack loader.

Fixtures shared by the policy library's page and API tests are defined here too."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user
from huiqi.audit.models import AuditEntry
from huiqi.policies import services
from huiqi.policies.models import PolicyRecord, PolicyVersion, Status
from huiqi.rules.policies import bundled_policies

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

__all__ = ["changchun_official", "enterprise_user", "hunan_official", "pack"]
"""The fixtures the policy library's page and API tests import."""


def pack_entry(policy_id: str, new_id: str | None = None, **changes) -> dict:
    """A bundled policy's entry, optionally under another id and with fields changed."""
    policy = next(p for p in bundled_policies() if p.id == policy_id)
    entry = policy.to_entry()
    entry.pop("version")
    if new_id:
        entry["id"] = new_id
    entry.update(changes)
    return entry


@pytest.fixture
def changchun_official(db):
    department = create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")
    return create_user(
        actor=None,
        username="cc-official",
        password=PASSWORD,
        role=Role.OFFICIAL,
        department=department,
    )


@pytest.fixture
def hunan_official(db):
    department = create_department(actor=None, name="湖南省工业和信息化厅", jurisdiction="430000")
    return create_user(
        actor=None,
        username="hn-official",
        password=PASSWORD,
        role=Role.OFFICIAL,
        department=department,
    )


@pytest.fixture
def enterprise_user(db):
    return create_user(
        actor=None,
        username="firm",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_uscc="91220105MAJBDHAW47",
    )


@pytest.fixture
def pack(db):
    """The example pack, published."""
    services.load_bundled(publish=True)


# versions ---------------------------------------------------------------------------------


def test_editing_a_published_policy_makes_a_new_version(changchun_official):
    first = services.create_draft(changchun_official, pack_entry("cc-zjtx-support", "cc-test"))
    services.publish(changchun_official, first)
    first.refresh_from_db()
    old_hash, old_entry = first.content_hash, first.entry

    changed = pack_entry("cc-zjtx-support", "cc-test", criteria="企业规模 属于 小型、微型")
    with pytest.raises(ValidationError) as refused:
        services.update_draft(changchun_official, first, changed)
    assert "不能修改" in refused.value.message_dict["__all__"][0]

    second = services.new_version(changchun_official, first.record, changed)
    assert (second.number, second.status) == (2, Status.DRAFT)
    assert second.content_hash != old_hash
    assert second.sizes == ["small", "micro"]
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED  # the public list still shows version 1

    with pytest.raises(ValidationError, match="已有草稿第2版"):
        services.new_version(changchun_official, first.record, changed)

    second = services.publish(changchun_official, second)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert (first.content_hash, first.entry) == (old_hash, old_entry)
    assert first.policy.criteria_text.startswith("（持有 专精特新中小企业")
    published = PolicyVersion.objects.published().filter(record=first.record)
    assert [v.number for v in published] == [2]
    assert second.published_at is not None and second.published_by == changchun_official

    services.withdraw(changchun_official, second)
    assert not PolicyVersion.objects.published().filter(record=first.record).exists()
    assert PolicyVersion.objects.current().get(record=first.record).status == Status.WITHDRAWN
    actions = list(
        AuditEntry.objects.filter(target="policies.policyversion")
        .order_by("id")
        .values_list("action", flat=True)
    )
    # v1 created, published; v2 created; v1 superseded, v2 published; v2 withdrawn
    assert actions == ["create", "update", "create", "update", "update", "update"]


def test_a_draft_is_changed_in_place_and_checked(changchun_official):
    draft = services.create_draft(changchun_official, pack_entry("cc-rd-expense-subsidy", "cc-rd"))
    updated = services.update_draft(
        changchun_official, draft, pack_entry("cc-rd-expense-subsidy", "cc-rd", title="新的名称")
    )
    assert (updated.pk, updated.number, updated.title) == (draft.pk, 1, "新的名称")
    assert updated.entry["title"] == "新的名称" and updated.entry["version"] == 1
    with pytest.raises(ValidationError) as moved:
        services.update_draft(
            changchun_official, draft, pack_entry("cc-rd-expense-subsidy", "cc-other")
        )
    assert "slug" in moved.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"criteria": "企业规模 属于 小型 且 （失信"}, "criteria", "第1行"),
        ({"criteria": "营收 ≥ 10万元"}, "criteria", "未知的事实“营收”"),
        (
            {"basis": [{"doc": "430000-sme-measures-2021-01-01", "at": "art_5"}]},
            "basis",
            "不在本政策的适用地区 220100 及其上级之内",
        ),
        ({"mode": "自动"}, "mode", "免申即享"),
        ({"window": {"from": "2026-02-01", "to": "2026-01-01"}}, "window_from", "早于"),
        ({"version": 3}, "__all__", "应当是 1"),
    ],
)
def test_a_bad_entry_is_refused_by_form_field(changchun_official, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        services.create_draft(
            changchun_official, pack_entry("cc-zjtx-support", "cc-bad", **changes)
        )
    messages = refused.value.message_dict
    assert list(messages) == [field]
    assert words in messages[field][0]
    assert not PolicyRecord.objects.exists()


def test_filter_columns_follow_the_criteria(changchun_official):
    version = services.create_draft(
        changchun_official, pack_entry("cc-draft-scale-up-award", "cc-scale")
    )
    assert version.sizes == ["medium", "small", "micro"]
    assert version.industries == ["B", "C", "D"]
    assert (version.mode, version.benefit_kind) == ("apply", "funds")
    open_ended = services.create_draft(
        changchun_official, pack_entry("cc-draft-first-zjtx-award", "cc-first")
    )
    assert (open_ended.sizes, open_ended.industries) == ([], [])


def test_who_may_manage_which_policies(
    changchun_official, hunan_official, enterprise_user, administrator
):
    entry = pack_entry("cc-zjtx-support", "cc-perm")
    for outsider in (hunan_official, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.create_draft(outsider, entry)
    version = services.create_draft(changchun_official, entry)
    with pytest.raises(PermissionDenied):
        services.publish(hunan_official, version)
    national = pack_entry("cn-graduate-employment", "cn-test")
    with pytest.raises(PermissionDenied):
        services.create_draft(changchun_official, national)
    assert services.create_draft(administrator, national).jurisdiction == "cn"


# the example pack -------------------------------------------------------------------------


def test_load_policies_is_idempotent(capsys):
    call_command("load_policies", "--publish")
    assert "新增 36 项" in capsys.readouterr().out
    assert PolicyRecord.objects.count() == 36
    assert PolicyVersion.objects.published().count() == 36
    audited = AuditEntry.objects.count()
    hashes = dict(PolicyVersion.objects.values_list("record__slug", "content_hash"))
    assert hashes == {p.id: p.content_hash for p in bundled_policies()}

    call_command("load_policies", "--publish")
    assert "未变 36 项，发布 0 项" in capsys.readouterr().out
    assert PolicyVersion.objects.count() == 36
    assert AuditEntry.objects.count() == audited


def test_a_changed_pack_entry_becomes_a_new_version(monkeypatch):
    services.load_bundled(publish=False)
    assert PolicyVersion.objects.filter(status=Status.DRAFT).count() == 36
    policies = bundled_policies()
    changed = tuple(
        replace(p, title=p.title + "（修订）") if p.id == "hn-zjtx-fund" else p for p in policies
    )
    monkeypatch.setattr(services, "bundled_policies", lambda: changed)

    counts = services.load_bundled(publish=True)
    assert (counts.updated, counts.unchanged, counts.published) == (1, 35, 36)
    # the draft was changed in place: still version 1
    record = PolicyRecord.objects.get(slug="hn-zjtx-fund")
    assert [v.number for v in record.versions.all()] == [1]

    again = tuple(
        replace(p, title=p.title + "（再修订）") if p.id == "hn-zjtx-fund" else p for p in policies
    )
    monkeypatch.setattr(services, "bundled_policies", lambda: again)
    counts = services.load_bundled(publish=True)
    assert (counts.updated, counts.published) == (1, 1)
    statuses = dict(record.versions.values_list("number", "status"))
    assert statuses == {1: Status.SUPERSEDED, 2: Status.PUBLISHED}
    assert record.versions.get(number=2).title.endswith("（再修订）")
