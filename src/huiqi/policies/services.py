"""Operations on the policy library (长春 条例 第三十五条第二款: 公开惠企政策清单).

Each function is one transaction with its audit entries. A policy's content is its pack entry
(``docs/policies.md``), checked by :func:`huiqi.rules.policies.load_entry`; a bad entry raises
a :class:`~django.core.exceptions.ValidationError` keyed by the form field at fault. Only a
draft is changed in place: editing a published policy makes a new draft version, and
publishing it supersedes the old one, so results computed from the old version keep it.

``actor`` None is the system itself (management commands, the demo); any other actor must be
allowed by :func:`huiqi.policies.authz.can_manage`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from huiqi.audit import services as audit
from huiqi.audit.models import Action
from huiqi.rules.criteria import admitted
from huiqi.rules.policies import Policy, PolicyError, bundled_policies, load_entry

from .authz import can_manage
from .models import PolicyRecord, PolicyVersion, Status

FIELDS = {
    "id": "slug",
    "title": "title",
    "jurisdiction": "jurisdiction",
    "department": "department",
    "mode": "mode",
    "benefit": "benefit_kind",
    "benefit.kind": "benefit_kind",
    "benefit.description": "benefit_description",
    "benefit.amount": "amount_kind",
    "benefit.amount.fixed": "amount_value",
    "benefit.amount.up_to": "amount_value",
    "benefit.amount.rate": "amount_value",
    "benefit.amount.of": "amount_of",
    "benefit.amount.cap": "amount_cap",
    "benefit.amount.per": "amount_per",
    "benefit.illustrative": "illustrative",
    "criteria": "criteria",
    "basis": "basis",
    "window": "window_from",
    "window.from": "window_from",
    "window.to": "window_to",
}
"""The policy form's field for each field of a pack entry (``PolicyError.field``)."""

_STATE = ("number", "status", "content_hash", "entry", "published_at", "withdrawn_at")


def form_field(entry_field: str | None) -> str:
    """The form field showing an error of the entry field (``basis 第2条`` → ``basis``);
    ``__all__`` for the entry as a whole."""
    if entry_field is None:
        return "__all__"
    return FIELDS.get(entry_field.split(" ", 1)[0], "__all__")


def checked_policy(entry: Any, number: int) -> Policy:
    """The policy of an entry for version ``number``, or a ValidationError by form field.

    An entry without a version is given ``number``; one with another version is refused."""
    if not isinstance(entry, Mapping):
        raise ValidationError({"__all__": "政策内容应当是一个对象（id、title、criteria …）"})
    raw = dict(entry)
    raw.setdefault("version", number)
    if raw["version"] != number:
        raise ValidationError(
            {"__all__": f"政策内容的版本（version）应当是 {number}，而不是 {raw['version']}"}
        )
    try:
        return load_entry(raw, name="政策")
    except PolicyError as exc:
        message = str(exc)
        marker = f"的 {exc.field}：" if exc.field else "："
        if marker in message:
            message = message.split(marker, 1)[1]
        raise ValidationError({form_field(exc.field): message}) from None


def _require(actor: Any, jurisdiction: str) -> None:
    if actor is not None and not can_manage(actor, jurisdiction):
        raise PermissionDenied(f"您无权管理适用地区为 {jurisdiction} 的政策")


def _fill(version: PolicyVersion, policy: Policy) -> None:
    """Store the policy's entry and the columns the lists filter on."""
    version.entry = policy.to_entry()
    version.content_hash = policy.content_hash
    version.title = policy.title
    version.jurisdiction = policy.jurisdiction
    version.department = policy.department
    version.mode = policy.mode.value
    version.benefit_kind = policy.benefit.kind.value
    version.sizes = list(admitted(policy.criteria, "size_class") or ())
    version.industries = list(admitted(policy.criteria, "industry") or ())
    version.window_from = policy.window.start
    version.window_to = policy.window.end
    version.full_clean(exclude=["record", "created_by", "published_by", "withdrawn_by"])


def _state(version: PolicyVersion) -> dict[str, Any]:
    return audit.snapshot(version, _STATE)


def _locked(record: PolicyRecord) -> PolicyRecord:
    return PolicyRecord.objects.select_for_update().get(pk=record.pk)


def _latest(record: PolicyRecord) -> PolicyVersion:
    return record.versions.latest("number")


@transaction.atomic
def create_draft(actor: Any, entry: Mapping[str, Any]) -> PolicyVersion:
    """A new policy: its record and a draft first version."""
    policy = checked_policy(entry, 1)
    _require(actor, policy.jurisdiction)
    if PolicyRecord.objects.filter(slug=policy.id).exists():
        raise ValidationError({"slug": f"政策编号“{policy.id}”已被使用，请换一个编号"})
    record = PolicyRecord.objects.create(slug=policy.id, jurisdiction=policy.jurisdiction)
    version = PolicyVersion(record=record, number=1, created_by=actor)
    _fill(version, policy)
    version.save()
    audit.record(
        [
            audit.entry(actor, Action.CREATE, record, None, {"slug": record.slug}),
            audit.entry(actor, Action.CREATE, version, None, _state(version)),
        ]
    )
    return version


def _same_policy(version: PolicyVersion, policy: Policy) -> None:
    if policy.id != version.record.slug:
        raise ValidationError({"slug": f"政策编号创建后不再改变，应当是“{version.record.slug}”"})
    if policy.jurisdiction != version.record.jurisdiction:
        raise ValidationError(
            {"jurisdiction": f"适用地区创建后不再改变，应当是 {version.record.jurisdiction}"}
        )


@transaction.atomic
def update_draft(actor: Any, version: PolicyVersion, entry: Mapping[str, Any]) -> PolicyVersion:
    """Change a draft in place; a published, withdrawn or superseded version never changes."""
    _require(actor, version.record.jurisdiction)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError(
            {
                "__all__": f"第{version.number}版已{version.get_status_display()}，不能修改；"
                "修改将创建新版本"
            }
        )
    policy = checked_policy(entry, version.number)
    _same_policy(version, policy)
    before = _state(version)
    _fill(version, policy)
    version.save()
    audit.record([audit.entry(actor, Action.UPDATE, version, before, _state(version))])
    return version


@transaction.atomic
def new_version(actor: Any, record: PolicyRecord, entry: Mapping[str, Any]) -> PolicyVersion:
    """A new draft version (the latest number + 1) of a policy whose latest version is not a
    draft; the published version stays as it is until the new one is published."""
    _require(actor, record.jurisdiction)
    record = _locked(record)
    latest = _latest(record)
    if latest.status == Status.DRAFT:
        raise ValidationError(
            {"__all__": f"已有草稿第{latest.number}版，请修改该草稿，而不是再建新版本"}
        )
    number = latest.number + 1
    policy = checked_policy(entry, number)
    version = PolicyVersion(record=record, number=number, created_by=actor)
    _same_policy(version, policy)
    _fill(version, policy)
    version.save()
    audit.record([audit.entry(actor, Action.CREATE, version, None, _state(version))])
    return version


@transaction.atomic
def publish(actor: Any, version: PolicyVersion) -> PolicyVersion:
    """Publish a draft: it enters the public policy list and the version published before it
    is superseded (at most one published version per policy)."""
    _require(actor, version.record.jurisdiction)
    _locked(version.record)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError(
            {"__all__": f"只能发布草稿；第{version.number}版{version.get_status_display()}"}
        )
    entries = []
    for old in PolicyVersion.objects.filter(record=version.record_id, status=Status.PUBLISHED):
        before = _state(old)
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status"])
        entries.append(audit.entry(actor, Action.UPDATE, old, before, _state(old)))
    before = _state(version)
    version.status = Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "published_at", "published_by"])
    entries.append(audit.entry(actor, Action.UPDATE, version, before, _state(version)))
    audit.record(entries)
    return version


_publish = publish  # for load_bundled, whose flag has the same name


@transaction.atomic
def withdraw(actor: Any, version: PolicyVersion) -> PolicyVersion:
    """Take a published version off the public list; its results keep pointing at it."""
    _require(actor, version.record.jurisdiction)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise ValidationError(
            {"__all__": f"只能撤回已发布的版本；第{version.number}版{version.get_status_display()}"}
        )
    before = _state(version)
    version.status = Status.WITHDRAWN
    version.withdrawn_at = timezone.now()
    version.withdrawn_by = actor
    version.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
    audit.record([audit.entry(actor, Action.UPDATE, version, before, _state(version))])
    return version


@dataclass(frozen=True)
class LoadCounts:
    """What :func:`load_bundled` did, policy by policy."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0

    @property
    def text(self) -> str:
        return (
            f"新增 {self.created} 项、更新 {self.updated} 项、未变 {self.unchanged} 项，"
            f"发布 {self.published} 项"
        )


@transaction.atomic
def load_bundled(publish: bool, actor: Any = None) -> LoadCounts:
    """Load the example pack (:func:`huiqi.rules.policies.bundled_policies`) into the library.

    A policy not yet in the library becomes a record with a first version; one whose latest
    version has the same content (hash) is left alone; a changed one gets its draft updated or
    a new version. With ``publish`` every resulting draft is published. Running it twice
    changes nothing the second time."""
    created = updated = unchanged = published = 0
    for policy in bundled_policies():
        entry = policy.to_entry()
        record = PolicyRecord.objects.filter(slug=policy.id).first()
        if record is None:
            version = create_draft(actor, {**entry, "version": 1})
            created += 1
        else:
            latest = _latest(record)
            same = {**entry, "version": latest.number}
            if checked_policy(same, latest.number).content_hash == latest.content_hash:
                version = latest
                unchanged += 1
            elif latest.status == Status.DRAFT:
                version = update_draft(actor, latest, same)
                updated += 1
            else:
                version = new_version(actor, record, {**entry, "version": latest.number + 1})
                updated += 1
        if publish and version.status == Status.DRAFT:
            _publish(actor, version)
            published += 1
    return LoadCounts(created, updated, unchanged, published)
