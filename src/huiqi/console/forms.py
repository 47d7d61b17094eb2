"""Forms of the console: the registry upload and the audit log's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from huiqi.audit.models import Action
from huiqi.enterprises.errors import RegistryFileError

from .models import ImportMode
from .services import MAX_UPLOAD_BYTES, check_upload


class _Form(forms.Form):
    """Labels without a trailing colon, as Chinese forms write them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ImportForm(_Form):
    file = forms.FileField(
        label="企业名录文件",
        help_text=(
            f"CSV（UTF-8 或 GB18030 编码）或 Excel（.xlsx）文件，不超过 "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB。第一行为列名：事实目录中的名称或中文名称，"
            "如 uscc 或 统一社会信用代码。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label="导入方式",
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        help_text="整体导入：任何一行被拒，整个文件都不写入。逐行导入：写入通过校验的行，只报告被拒的行。",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except RegistryFileError as exc:
            raise forms.ValidationError(str(exc), code="registry_file") from None
        return upload


class AuditFilterForm(_Form):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    target = forms.ChoiceField(label="对象类型", required=False)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *Action.choices]
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "全部"), *targets]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "截止日期早于起始日期")
        return cleaned
