"""The audit log in the administration site: read only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from . import services
from .models import Action, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "target", "target_repr")
    list_filter = ("action", "target")
    search_fields = ("actor_name", "target_id", "target_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """A model admin whose saves and deletions write audit entries in their transaction."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        fields = services.editable_fields(type(obj))
        before = None
        if change:
            before = services.snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = services.snapshot(obj, fields)
            if before != after:
                action = Action.UPDATE if change else Action.CREATE
                services.record([services.entry(request.user, action, obj, before, after)])

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            self._record_deletions(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            self._record_deletions(request, list(queryset))
            super().delete_queryset(request, queryset)

    def _record_deletions(self, request: HttpRequest, objects: list[models.Model]) -> None:
        services.record(
            services.entry(
                request.user,
                Action.DELETE,
                obj,
                services.snapshot(obj, services.editable_fields(type(obj))),
            )
            for obj in objects
        )
