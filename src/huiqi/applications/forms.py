"""Forms of the application pages: the facts to give (only those the platform lacks), the
officials' actions and the queue's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from huiqi.calculator.forms import FactsForm
from huiqi.rules.criteria import Eligibility
from huiqi.rules.facts import Source, catalogue

from .casetype import MACHINE
from .services import FactPlan

_NO_FOUNDER = "none"
"""The calculator's “以上都不是” choice of the founder field."""


class ApplyForm(FactsForm):
    """The facts of the policy's criteria the registry lacks (长春 条例 第三十五条第三款: 不得
    要求企业重复提供); for 直达快享, the confirmation of the prefilled ones."""

    def __init__(self, *args: Any, plan: FactPlan, **kwargs: Any) -> None:
        super().__init__(*args, asked=plan.asked, **kwargs)
        del self.fields["on"]
        facts = catalogue().facts
        for name, field in self.fields.items():
            item = facts.get(name)
            if item is None:
                continue
            field.help_text = (
                "平台暂无此项数据。可以填写；留空的由主管部门通过政府数据共享核实。"
                if item.source is Source.SHARED
                else "企业自报，不清楚的可以留空。"
            )
        if plan.prefilled:
            self.fields["confirmed"] = forms.BooleanField(
                label="我已核对以上预填信息，确认无误",
                required=False,
                help_text="直达快享：预填信息来自政府部门共享数据，确认后提交即可。",
            )

    def facts(self) -> dict[str, Any]:
        return {k: v for k, v in super().facts().items() if k != "confirmed"}

    @staticmethod
    def initial_of(given: dict[str, Any], plan: FactPlan) -> dict[str, Any]:
        """The form's initial values from a draft's stored facts."""
        initial = {k: v for k, v in given.items() if not k.startswith("founder_")}
        founders = [n for n in plan.asked if n.startswith("founder_")]
        chosen = [n for n in founders if given.get(n) is True]
        if not chosen and any(given.get(n) is False for n in founders):
            chosen = [_NO_FOUNDER]
        if chosen:
            initial["founder"] = chosen
        return initial


class ActForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.CharField(
        label="兑现金额（万元）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    redeemed_on = forms.DateField(
        label="兑现日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "兑现日期应当是日期，如 2025-06-01。"},
    )

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.prefix}-{name}_errors"

    def add_service_errors(self, detail: dict[str, list[str]]) -> None:
        for name, messages in detail.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class QueueForm(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), *((k, s.label) for k, s in MACHINE.states.items())],
    )
    eligibility = forms.ChoiceField(
        label="资格判断",
        required=False,
        choices=[("", "全部"), *((e.value, e.label) for e in Eligibility)],
    )
    policy = forms.CharField(label="政策编号", required=False, max_length=64)
    due = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部"), ("overdue", "已逾期")],
    )
