"""Writing audit entries. Called by the services of other apps inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import Action, AuditEntry

BATCH = 2000


class AuditOutsideTransaction(RuntimeError):
    """An audit entry written outside the transaction of the change it records."""


def entry(
    actor: models.Model | None,
    action: Action,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved entry for ``obj`` (saved by :func:`record`)."""
    return AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        target=obj._meta.label_lower,
        target_id=str(obj.pk),
        target_repr=str(obj)[:200],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )


def record(entries: Iterable[AuditEntry]) -> int:
    """Save entries in bulk; refuses to run outside a transaction (the change and its record
    must commit together). Returns the number saved."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction("审计记录必须与所记录的修改在同一事务中写入")
    saved = AuditEntry.objects.bulk_create(list(entries), batch_size=BATCH)
    return len(saved)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` of ``obj``, foreign keys by id."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}


def editable_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The concrete fields a snapshot of ``model`` records (the primary key excluded)."""
    return tuple(
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "password"
    )
