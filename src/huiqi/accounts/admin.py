"""Users and departments in the administration site; changes are audited."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from huiqi.audit.admin import AuditedAdmin

from .models import Department, User


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "jurisdiction")
    search_fields = ("name", "jurisdiction")


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "role", "enterprise_uscc", "department", "is_active")
    list_filter = ("role", "is_active", "department")
    search_fields = ("username", "enterprise_uscc", "first_name", "last_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("角色与范围", {"fields": ("role", "enterprise_uscc", "department")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("角色与范围", {"fields": ("role", "enterprise_uscc", "department")}),
    )
