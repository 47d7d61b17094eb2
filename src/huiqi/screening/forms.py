"""The form an official fills to queue a 免申即享 run."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.policies.models import PolicyVersion

from .services import versions_in_scope


def scope_of(user: Any) -> str:
    """The jurisdiction a staff member's runs cover: the department's; "" (all) for an
    administrator."""
    if authz.is_administrator(user):
        return ""
    return user.department.jurisdiction


class RunForm(forms.Form):
    policy_version = forms.ModelChoiceField(
        label="政策",
        queryset=PolicyVersion.objects.none(),
        required=False,
        empty_label="全部适用的已发布政策",
        help_text="只列出适用于本辖区企业的已发布政策。",
        error_messages={"invalid_choice": "请选择列表中的已发布政策"},
    )
    on = forms.DateField(
        label="筛查日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="按该日有效的政策条件和申报期判断，如 2026-06-01。",
        error_messages={"required": "请填写筛查日期", "invalid": "请填写日期，如 2026-06-01"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        versions = versions_in_scope(scope_of(user))
        self.fields["policy_version"].queryset = (
            PolicyVersion.objects.filter(pk__in=[v.pk for v in versions])
            .select_related("record")
            .order_by("jurisdiction", "record__slug")
        )
        self.fields["policy_version"].label_from_instance = _label

    def add_error(self, field: str | None, error: Any) -> None:
        """Also point the field's ``aria-describedby`` at its errors (and help)."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"id_{name}_errors id_{name}_helptext"

    def add_service_error(self, detail: dict[str, list[str]]) -> None:
        """The errors of :func:`~huiqi.screening.services.request_run`, next to their field."""
        for name, messages in detail.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _label(version: PolicyVersion) -> str:
    return f"{version.title}（{version.record.slug} 第{version.number}版，{version.get_mode_display()}）"
