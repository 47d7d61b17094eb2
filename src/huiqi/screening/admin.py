"""免申即享 runs, grants and notices in the administration site, read only: they change
through :mod:`huiqi.screening.services` (and its audit entries) alone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Entitlement, Notice, ScreeningRun


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScreeningRun)
class ScreeningRunAdmin(_ReadOnly):
    list_display = ("pk", "policy_version", "jurisdiction", "on", "status", "requested_at")
    list_filter = ("status",)


@admin.register(Entitlement)
class EntitlementAdmin(_ReadOnly):
    list_display = ("enterprise", "policy_version", "amount", "status", "granted_at")
    list_select_related = ("enterprise", "policy_version")
    search_fields = ("enterprise__uscc", "enterprise__name")


@admin.register(Notice)
class NoticeAdmin(_ReadOnly):
    list_display = ("enterprise", "policy_version", "eligibility", "created_at", "read_at")
    list_select_related = ("enterprise", "policy_version")
    search_fields = ("enterprise__uscc", "enterprise__name")
