"""The arrears complaint form (errors next to their field) and the transfer form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from huiqi.accounts.models import Department
from huiqi.cases.forms import _Described, _text

from .models import DebtorType
from .services import Claim, claim_errors

_FILE_HELP = "可选：合同、验收单、对账单等。PDF、JPG、PNG、DOCX、XLSX 或 TXT，不超过 10 MB。"


def _date(label: str, help_text: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 2025-06-30"},
    )


def _amount(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_digits=16,
        decimal_places=6,
        error_messages={
            "required": f"请填写{label}",
            "invalid": f"{label}应当是数字（万元），如 12.5",
            "min_value": f"{label}不能为负数",
            "max_decimal_places": f"{label}最多保留 6 位小数（万元，精确到分）",
            "max_digits": f"{label}过大",
        },
    )


class ArrearsForm(_Described):
    debtor_name = _text("被投诉人名称", "拖欠款项的机关、事业单位或大型企业的全称。")
    debtor_type = forms.ChoiceField(
        label="被投诉人类型",
        choices=[("", "请选择"), *DebtorType.choices],
        help_text="《保障中小企业款项支付条例》第二条：机关、事业单位和大型企业。",
        error_messages={"required": "请选择被投诉人类型", "invalid_choice": "请选择列表中的类型"},
    )
    debtor_uscc = _text(
        "被投诉人统一社会信用代码",
        "可选。填写后按企业名录核对被投诉人在合同订立时是否为中小企业。",
        required=False,
        size=18,
    )
    contract_signed = _date("合同订立日期", "企业规模按合同订立时确定（第三条第二款）。")
    delivered_on = _date("交付日期", "货物、工程、服务交付之日（第九条）。", required=False)
    accepted_on = _date(
        "检验、验收合格日期",
        "可选。合同约定以检验或者验收合格作为支付条件的，填写此日期（第十条）。",
        required=False,
    )
    agreed_days = forms.IntegerField(
        label="约定付款期限（日）",
        required=False,
        min_value=1,
        help_text="可选。合同约定的付款期限；没有约定的留空，按条例的期限计算。",
        error_messages={
            "invalid": "约定付款期限应当是整数（日）",
            "min_value": "约定付款期限应当是正整数（日）",
        },
    )
    amount_due = _amount("应付金额（万元）", "合同约定应当支付的款项。")
    amount_paid = _amount("已付金额（万元）", "已经收到的款项；没有收到的填 0。")
    description = _text("情况说明", "合同、履约和催款的经过。", rows=8)
    contact = _text("联系方式", "可选。处理投诉部门联系您的电话或邮箱。", required=False)
    file = forms.FileField(label="附件", required=False, help_text=_FILE_HELP)

    def clean(self) -> dict[str, Any]:
        """The service's checks on the fields that are well-formed, so that every error shows
        at once next to its field (the service checks again on submission)."""
        data = super().clean()
        claim = self.claim()
        for name, message in claim_errors(claim, "", timezone.localdate()).items():
            if name in self.fields and name not in self.errors and name in data:
                self.add_error(name, message)
        return data

    def claim(self) -> Claim:
        data: dict[str, Any] = self.cleaned_data
        return Claim(
            debtor_name=data.get("debtor_name", ""),
            debtor_type=data.get("debtor_type", ""),
            debtor_uscc=data.get("debtor_uscc", "").strip().upper(),
            contract_signed=data.get("contract_signed"),
            delivered_on=data.get("delivered_on"),
            accepted_on=data.get("accepted_on"),
            agreed_days=data.get("agreed_days"),
            amount_due=data.get("amount_due"),
            amount_paid=data.get("amount_paid"),
            description=data.get("description", ""),
            contact=data.get("contact", ""),
        )


class TransferForm(_Described):
    version = forms.IntegerField(widget=forms.HiddenInput)
    department = forms.ModelChoiceField(
        label="处理投诉部门",
        queryset=Department.objects.all(),
        help_text="按“属地管理、分级负责，谁主管谁负责、谁监管谁负责”的原则（第二十五条第一款）。",
        error_messages={
            "required": "请选择处理投诉部门",
            "invalid_choice": "请选择列表中的部门",
        },
    )
