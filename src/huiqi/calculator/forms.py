"""Forms of the size self-test and the policy calculator. Every field is labelled from the
fact catalogue (``huiqi/rules/data/facts.yaml``) and every error says, in Chinese, what is
wrong with which field; the same forms check the JSON API's input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from huiqi.population import CITIES
from huiqi.rules.errors import (
    IndustryNotCovered,
    IndustryTooCoarse,
    NotInForce,
    UnknownIndustry,
)
from huiqi.rules.facts import Fact, FactType, Source, catalogue
from huiqi.rules.industries import EDITION, industries, industry
from huiqi.rules.jurisdictions import NATIONAL, jurisdictions
from huiqi.rules.policies import EnterpriseFactsError, checked_facts
from huiqi.rules.size import SizeFacts, SizeResult, classify_size

INDUSTRY_LIST = "industry-codes"
"""The id of the ``<datalist>`` of GB/T 4754-2017 codes and names the industry inputs use."""


@cache
def industry_datalist() -> SafeString:
    """``<datalist>`` of every code with its name (3911 计算机整机制造): browsers search it by
    code or by any part of the name. Rendered once."""
    options = format_html_join(
        "", '<option value="{}">', ((item.label,) for item in industries().values())
    )
    return SafeString(f'<datalist id="{INDUSTRY_LIST}">{options}</datalist>')


class IndustryField(forms.CharField):
    """A GB/T 4754-2017 code, typed (``3911``), picked from the list (``3911 计算机整机制造``)
    or given by its exact name (``计算机整机制造``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", catalogue().facts["industry"].label)
        kwargs.setdefault(
            "help_text",
            f"《国民经济行业分类》（{EDITION}）代码，可输入代码或行业名称查找，如 3911、软件开发。",
        )
        super().__init__(max_length=80, **kwargs)
        self.widget.attrs.update({"list": INDUSTRY_LIST, "autocomplete": "off"})

    def clean(self, value: Any) -> str | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        by_name = [item.code for item in industries().values() if item.name == text]
        if by_name:
            return by_name[0]
        try:
            return industry(text.split()[0]).code
        except UnknownIndustry as exc:
            raise forms.ValidationError(str(exc), code="unknown") from None


def _number_field(item: Fact, required: bool = False) -> forms.Field:
    unit = f"（{item.unit}）" if item.unit else ""
    messages = {
        "required": f"请填写{item.label}{unit}。",
        "invalid": f"{item.label}应当是{'整数' if item.type is FactType.INTEGER else '数字'}{unit}。",
        "min_value": f"{item.label}不能为负数。",
    }
    attrs = {"inputmode": "numeric" if item.type is FactType.INTEGER else "decimal"}
    if item.type is FactType.INTEGER:
        return forms.IntegerField(
            label=item.label + unit,
            required=required,
            min_value=0,
            error_messages=messages,
            widget=forms.NumberInput(attrs={**attrs, "min": 0, "step": 1}),
        )
    return forms.DecimalField(
        label=item.label + unit,
        required=required,
        min_value=Decimal(0),
        error_messages={**messages, "max_digits": f"{item.label}的位数过多。"},
        max_digits=20,
        decimal_places=6,
        widget=forms.NumberInput(attrs={**attrs, "min": 0, "step": "any"}),
    )


def _date_field(label: str, help_text: str = "", required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}应当是日期，如 2025-06-01。",
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SizeForm(forms.Form):
    """企业规模自测: the indicators of 《中小企业划型标准规定》（工信部联企业〔2011〕300号）."""

    industry = IndustryField()
    employees = _number_field(catalogue().facts["employees"])
    revenue = _number_field(catalogue().facts["revenue"])
    total_assets = _number_field(catalogue().facts["total_assets"])
    on = _date_field("划型日期", "按该日施行的划型标准判定；不填为今天。")
    individual_business = forms.BooleanField(
        label="个体工商户", required=False, help_text="个体工商户参照划型标准进行划分。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].required = True
        self.fields["industry"].error_messages["required"] = "请填写所属行业的代码或名称。"
        self.refusal: str | None = None

    def classify(self) -> SizeResult | None:
        """The classification of the valid form, or None: an industry outside the standard
        sets :attr:`refusal`; a code too coarse or a date before every standard becomes the
        field's error."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        facts = SizeFacts(
            industry=data["industry"],
            employees=data["employees"],
            revenue=data["revenue"],
            total_assets=data["total_assets"],
            individual_business=data["individual_business"],
        )
        try:
            return classify_size(facts, data["on"] or date.today())
        except IndustryNotCovered as exc:
            self.refusal = str(exc)
        except IndustryTooCoarse as exc:
            self.add_error("industry", str(exc))
        except NotInForce as exc:
            self.add_error("on", str(exc))
        return None


# the policy calculator ------------------------------------------------------------------

FOUNDER_FACTS = (
    "founder_graduate",
    "founder_veteran",
    "founder_returnee",
    "founder_unemployed",
    "founder_disabled",
)
_NO_FOUNDER = "none"

GROUPS = (
    ("基本情况", ("district", "industry", "founded", "dishonest")),
    (
        "经营数据（最近一个会计年度）",
        ("employees", "revenue", "total_assets", "rd_expense", "tax_paid"),
    ),
    ("创办人", ("founder",)),
    ("上市与发债", ("listed_on", "first_bond_on")),
)
"""Sections of the calculator form; the qualifications follow, one section each."""

_TRI_STATE = (("", "不清楚"), ("false", "否"), ("true", "是"))


def district_choices() -> list[tuple[str, Any]]:
    """长春市 and 深圳市 with their districts, then the other divisions huiqi knows
    (``huiqi.rules.jurisdictions``)."""
    choices: list[tuple[str, Any]] = [("", "请选择")]
    known = jurisdictions()
    others = []
    for code, item in known.items():
        if code == NATIONAL:
            continue
        city = CITIES.get(code)
        if city is not None:
            districts = [(d.code, f"{d.name}（{d.code}）") for d in city.districts]
            choices.append((item.name, [(code, f"{item.name}市本级（{code}）"), *districts]))
            continue
        below = [j.name for j in known.values() if j.parent == code]
        name = f"{item.name}（{'、'.join(below)}以外）" if below else item.name
        others.append((code, f"{name}（{code}）"))
    choices.append(("其他地区", others))
    return choices


def _help(item: Fact) -> str:
    if item.qualification is not None or item.complete:
        return "政府名单数据；没有请留空。"
    if item.source is Source.SHARED:
        return "政府共享数据；企业登录后由平台调取，无需重复填写。"
    return "企业自报。"


def _fact_field(item: Fact) -> forms.Field:
    if item.type is FactType.INDUSTRY:
        return IndustryField(required=False)
    if item.type is FactType.DIVISION:
        return forms.ChoiceField(
            label=item.label,
            choices=district_choices,
            help_text="决定适用哪些地区的政策（本地区及上级地区、全国）。",
            error_messages={
                "required": "请选择所在地区。",
                "invalid_choice": "所在地区不在可选范围内。",
            },
        )
    if item.type in (FactType.INTEGER, FactType.DECIMAL):
        field = _number_field(item)
        field.help_text = _help(item)
        return field
    if item.type is FactType.DATE:
        label = item.label
        if item.qualification is not None:
            label = label.removeprefix(catalogue().qualifications[item.qualification].label)
        return _date_field(label, _help(item))
    if item.type is FactType.BOOLEAN:
        return forms.TypedChoiceField(
            label=item.label,
            choices=_TRI_STATE,
            coerce=lambda v: v == "true",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            help_text=_help(item),
        )
    raise LookupError(f"事实“{item.name}”（{item.label}）没有对应的表单字段")


class FactsForm(forms.Form):
    """An enterprise's facts for the calculator: only the facts in ``asked`` (those the
    published policies' criteria read), grouped; blanks are unknown. ``on`` is the date of
    the evaluation (policies open on it)."""

    on = _date_field("评估日期", "按该日开放的政策和施行的标准判断；不填为今天。")

    def __init__(self, *args: Any, asked: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facts = catalogue().facts
        self.founders = tuple(name for name in FOUNDER_FACTS if name in asked)
        for name in asked:
            if name in self.founders:
                continue
            self.fields[name] = _fact_field(facts[name])
        if self.founders:
            options = [(name, facts[name].label.removeprefix("创办人为")) for name in self.founders]
            self.fields["founder"] = forms.MultipleChoiceField(
                label="创办人属于（可多选）",
                choices=[*options, (_NO_FOUNDER, "以上都不是")],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="不勾选表示不清楚。",
                error_messages={"invalid_choice": "创办人类别“%(value)s”不在可选范围内。"},
            )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields by section, skipping empty sections."""
        out = []
        for title, names in GROUPS:
            found = [self[n] for n in names if n in self.fields]
            if found:
                out.append((title, found))
        for q in catalogue().qualifications.values():
            found = [self[c] for c in q.columns if c in self.fields]
            if found:
                out.append((f"资质：{q.label}", found))
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("founder") or []
        if _NO_FOUNDER in chosen and len(chosen) > 1:
            self.add_error("founder", "已选“以上都不是”，不能同时选择其他类别。")
        if not self.errors:
            try:
                checked_facts(self.facts(), "填写的信息")
            except EnterpriseFactsError as exc:
                field = exc.field if exc.field in self.fields else None
                self.add_error(field, str(exc))
        return cleaned

    def facts(self) -> dict[str, Any]:
        """The facts given, by catalogue name (blanks left out)."""
        data = self.cleaned_data
        out = {
            name: value
            for name, value in data.items()
            if name not in ("on", "founder") and value is not None
        }
        chosen = data.get("founder") or []
        if chosen:
            out.update({name: name in chosen for name in self.founders})
        return out

    @property
    def on_date(self) -> date:
        return self.cleaned_data.get("on") or date.today()
