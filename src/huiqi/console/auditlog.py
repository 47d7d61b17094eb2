"""Reading the audit log: who may see which entries, the filters, and each entry's change as
a readable list of fields (label, before, after)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from huiqi.accounts import authz
from huiqi.audit.models import AuditEntry


def visible_entries(user: Any) -> QuerySet[AuditEntry] | None:
    """The entries ``user`` may read: an administrator all, an official those whose actor
    belongs to their department; None for anyone else."""
    if authz.is_administrator(user):
        return AuditEntry.objects.all()
    if authz.official_prefix(user) is not None:
        return AuditEntry.objects.filter(actor__department=user.department_id)
    return None


def target_types() -> list[tuple[str, str]]:
    """The kinds of object the platform audits, as (``app.model``, Chinese name)."""
    return sorted(
        (m._meta.label_lower, str(m._meta.verbose_name))
        for m in apps.get_models()
        if m._meta.app_label not in {"admin", "auth", "contenttypes", "sessions", "audit"}
    )


def filtered(
    entries: QuerySet[AuditEntry],
    *,
    actor: str = "",
    target: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries by actor (user name; 系统 for the system), kind of object, action and day."""
    if actor:
        entries = entries.filter(actor_name="" if actor == "系统" else actor)
    if target:
        entries = entries.filter(target=target)
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry: its label, and its values before and after (None: absent)."""

    name: str
    label: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def changes(entry: AuditEntry) -> list[FieldChange]:
    """The fields of an entry's change, labelled as in the model of its object: for a
    creation the values set, for a deletion the values removed, for an update old and new
    (None where the entry has no value: before a creation, after a deletion)."""
    model = _model(entry.target)
    before, after = entry.before or {}, entry.after or {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(
            name,
            _label(model, name),
            _shown(before[name]) if name in before else None,
            _shown(after[name]) if name in after else None,
        )
        for name in names
    ]


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _label(model: Any, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
