"""Forms of the 诉求 pages: filing, anonymous 举报, the receipt query, the actions."""

from __future__ import annotations

from typing import Any

from django import forms

from huiqi.population.cities import CITIES

from . import machine
from .models import Satisfaction

DISTRICTS = [("", "请选择")] + [
    (d.code, f"{c.name}{d.name}（{d.code}）") for c in CITIES.values() for d in c.districts
]


class _Described(forms.Form):
    """Fields with errors point at them (aria-invalid, aria-describedby)."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_errors id_{name}_helptext"

    def add_service_errors(self, detail: dict[str, list[str]]) -> None:
        """The errors of a service's ``ValidationError``, next to their field."""
        for name, messages in detail.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _text(label: str, help_text: str, *, required: bool = True, rows: int = 0, size: int = 200):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=None if rows else size,
        widget=widget,
        error_messages={"required": f"请填写{label}", "max_length": f"{label}不能超过 {size} 字"},
    )


_FILE_HELP = "可选。PDF、JPG、PNG、DOCX、XLSX 或 TXT，不超过 10 MB。"


class SubmitForm(_Described):
    kind = forms.ChoiceField(
        label="诉求类型",
        choices=(),
        help_text="投诉、举报按规定的期限书面答复；咨询、求助、建议按部门承诺的时限答复。",
        error_messages={"required": "请选择诉求类型", "invalid_choice": "请选择列表中的诉求类型"},
    )
    title = _text("标题", "一句话说明事项，如：某项补贴申请逾期未答复。")
    content = _text("内容", "事情经过、诉求和已经采取的措施。", rows=8)
    contact = _text("联系方式", "可选。办理部门联系您的电话或邮箱。", required=False)
    district = forms.ChoiceField(
        label="所在地区",
        choices=DISTRICTS,
        required=False,
        help_text="企业名录中已有本企业的，按名录中的所在地区分派办理部门，无需选择。",
    )
    file = forms.FileField(label="附件", required=False, help_text=_FILE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择")] + [
            (t.key, f"{t.label}：{t.description}") for t in machine.intake_types()
        ]


class ReportForm(_Described):
    title = _text("标题", "一句话说明举报的事项。")
    content = _text("内容", "被举报的单位或人员、事实经过、证据线索。", rows=8)
    district = forms.ChoiceField(
        label="事项所在地区",
        choices=DISTRICTS,
        help_text="按所在地区分派办理部门。",
        error_messages={"required": "请选择事项所在地区", "invalid_choice": "请选择列表中的地区"},
    )
    contact = _text(
        "联系方式", "可选。留下联系方式便于核实；不留也可以凭查询码查看办理结果。", required=False
    )
    file = forms.FileField(label="附件", required=False, help_text=_FILE_HELP)


class ReceiptForm(_Described):
    number = _text("编号", "提交举报后显示的编号，如 JB-2025-000001。", size=20)
    code = _text("查询码", "提交举报后显示的十位查询码。", size=20)


class ActionForm(_Described):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    rating = forms.ChoiceField(label="评价", choices=Satisfaction.choices, required=False)
    file = forms.FileField(label="附件", required=False, help_text=_FILE_HELP)


class QueueForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False)
    kind = forms.ChoiceField(label="类型", required=False)
    due = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部"), ("soon", "即将到期"), ("overdue", "已逾期")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states: dict[str, str] = {}
        for case_type in machine.case_types():
            for key, state in case_type.machine.states.items():
                states.setdefault(key, state.label)
        self.fields["state"].choices = [("", "全部"), *states.items()]
        self.fields["kind"].choices = [("", "全部")] + [
            (t.key, t.label) for t in machine.case_types()
        ]
