"""Supervisors of 诉求 handling in the administration site (audited). Cases themselves are not
listed there: their complainants' identity is protected (docs/cases.md)."""

from __future__ import annotations

from django.contrib import admin

from huiqi.audit.admin import AuditedAdmin

from .models import CaseSupervisor


@admin.register(CaseSupervisor)
class CaseSupervisorAdmin(AuditedAdmin):
    list_display = ("department", "user")
    list_filter = ("department",)
