"""The registry in the administration site. Facts come from imports; changes made here are
audited like the imports' changes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from huiqi.audit.admin import AuditedAdmin

from .models import Enterprise, Qualification, YearlyFacts


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class YearlyFactsInline(_ReadOnlyInline):
    model = YearlyFacts
    fields = ("year", "employees", "revenue", "total_assets", "rd_expense", "tax_paid")


class QualificationInline(_ReadOnlyInline):
    model = Qualification
    fields = ("kind", "valid_from", "valid_to", "first_recognised")


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ("uscc", "name", "industry", "district", "founded")
    list_filter = ("district",)
    search_fields = ("uscc", "name")
    inlines = (YearlyFactsInline, QualificationInline)
    fieldsets = (
        ("登记信息", {"fields": ("uscc", "name", "industry", "district", "founded")}),
        ("信用与上市", {"fields": ("dishonest", "listed_on", "first_bond_on")}),
        (
            "创办人类别",
            {
                "fields": (
                    "founder_graduate",
                    "founder_veteran",
                    "founder_returnee",
                    "founder_unemployed",
                    "founder_disabled",
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enterprise]:
        return super().get_queryset(request).visible_to(request.user)
