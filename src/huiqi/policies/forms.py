"""The policy form (officials) and the filters of the public policy list.

The form writes a pack entry (``docs/policies.md``); checking it is the services' work
(:func:`huiqi.policies.services.checked_policy`), whose errors come back keyed by these
fields. The criteria come from the builder or the text, whichever was changed last: the
hidden ``criteria_synced`` holds the text both showed when they were last in step.
"""

from __future__ import annotations

from typing import Any

from django import forms

from huiqi.rules.criteria import parse, render
from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.policies import BenefitKind, Mode

from . import builder
from .authz import manageable_jurisdictions

AMOUNT_KINDS = (("", "无金额"), ("fixed", "定额"), ("up_to", "最高额"), ("rate", "比例（%）"))
PER = (("", "—"), ("人", "每人"), ("年", "每年"), ("项", "每项"), ("次", "每次"))


def _rate_bases() -> list[tuple[str, str]]:
    facts = catalogue().facts.values()
    return [("", "—")] + [
        (f.name, f.label) for f in facts if f.type is FactType.DECIMAL and f.unit == "万元"
    ]


class BasisField(forms.Field):
    """The legal basis: citations posted as ``doc|node`` (one hidden input each)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[dict[str, str]]:
        out = []
        for item in value or []:
            doc, _, at = str(item).partition("|")
            out.append({"doc": doc, "at": at})
        return out


class DescribedErrors(forms.Form):
    """Fields with errors point at them (aria-describedby), next to their help text."""

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe()

    def _describe(self) -> None:
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                ids = [f"{bound.auto_id}_errors"]
                if self.fields[name].help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


class PolicyForm(DescribedErrors):
    slug = forms.SlugField(
        label="政策编号",
        max_length=64,
        help_text="小写字母、数字和连字符，如 cc-rd-subsidy；创建后不再改变。",
    )
    title = forms.CharField(label="政策名称", max_length=200)
    jurisdiction = forms.ChoiceField(label="适用地区")
    department = forms.CharField(label="主管部门", max_length=100)
    mode = forms.ChoiceField(
        label="兑现方式",
        choices=[(m.value, m.label) for m in Mode],
        help_text="免申即享：依据共享数据直接兑现；直达快享：预填数据、简化申请；申报：须提出申请。",
    )
    benefit_kind = forms.ChoiceField(
        label="支持类型", choices=[(k.value, k.label) for k in BenefitKind]
    )
    benefit_description = forms.CharField(
        label="支持内容", widget=forms.Textarea(attrs={"rows": 3})
    )
    amount_kind = forms.ChoiceField(label="金额类型", choices=AMOUNT_KINDS, required=False)
    amount_value = forms.CharField(
        label="金额或比例", required=False, help_text="定额、最高额以万元计；比例为百分数。"
    )
    amount_of = forms.ChoiceField(label="比例的基数", required=False)
    amount_cap = forms.CharField(label="比例的上限（万元）", required=False)
    amount_per = forms.ChoiceField(label="计算单位", choices=PER, required=False)
    illustrative = forms.BooleanField(
        label="示例金额（法规未规定此金额）",
        required=False,
        help_text="法规只写“按照规定给予支持”时，金额是示例，页面上会注明“示例金额，非法规规定”。",
    )
    window_from = forms.DateField(
        label="申报开始", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    window_to = forms.DateField(
        label="申报截止",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="两端都不填即为长期。",
    )
    basis = BasisField(
        label="法律依据",
        required=False,
        help_text="在法规库中检索并添加条款；只能引用本地区及上级的法规。第一条为主要依据。",
    )
    criteria = forms.CharField(
        label="申请条件（文本）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="条件的中文文本，如“企业规模 ≤ 中型 且 不是 失信”，见条件语言说明。",
    )
    criteria_synced = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, slug: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = manageable_jurisdictions(user)
        self.fields["jurisdiction"].choices = [(c, f"{n}（{c}）") for c, n in choices]
        self.fields["amount_of"].choices = _rate_bases()
        self.slug_fixed = slug
        if slug is not None:
            self.fields["slug"].disabled = True
            self.fields["jurisdiction"].disabled = True
        self.builder = self._builder()

    def _builder(self) -> builder.Group:
        """The builder as posted, else as the initial criteria show it."""
        if self.is_bound and builder.posted(self.data):
            return builder.from_post(self.data)
        text = self.initial.get("criteria")
        return builder.from_criteria(parse(text)) if text else builder.empty()

    def clean_criteria(self) -> str:
        """The criteria text: the builder's when it changed since the last sync and the text
        did not, else the text as written."""
        text = (self.cleaned_data.get("criteria") or "").strip()
        synced = (self.data.get("criteria_synced") or "").strip()
        if text != synced or not builder.posted(self.data):
            if not text:
                raise forms.ValidationError("请填写申请条件，或用条件构建器添加条件")
            return text
        tree = builder.to_criteria(self.builder)
        if tree is None:
            raise forms.ValidationError("条件构建器中有错误，请按各行的提示修改")
        return render(tree)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("amount_kind") and (data.get("amount_value") or data.get("amount_cap")):
            self.add_error("amount_kind", "填写了金额，请选择金额类型")
        if data.get("amount_kind") and not data.get("amount_value"):
            self.add_error("amount_value", "请填写金额（万元）或比例（%）")
        if not data.get("basis"):
            self.add_error("basis", "请至少添加一条法律依据")
        return data

    def entry(self) -> dict[str, Any]:
        """The pack entry the cleaned form describes."""
        data = self.cleaned_data
        benefit: dict[str, Any] = {
            "kind": BenefitKind(data["benefit_kind"]).label,
            "description": data["benefit_description"],
        }
        if data.get("amount_kind"):
            amount: dict[str, Any] = {data["amount_kind"]: data["amount_value"]}
            for key, name in (("of", "amount_of"), ("cap", "amount_cap"), ("per", "amount_per")):
                if data.get(name):
                    amount[key] = data[name]
            benefit["amount"] = amount
        if data.get("amount_kind") or data.get("illustrative"):
            benefit["illustrative"] = bool(data.get("illustrative"))
        window: Any = "长期"
        if data.get("window_from") or data.get("window_to"):
            window = {
                k: v.isoformat()
                for k, v in (("from", data.get("window_from")), ("to", data.get("window_to")))
                if v is not None
            }
        return {
            "id": self.slug_fixed or data["slug"],
            "title": data["title"],
            "jurisdiction": data["jurisdiction"],
            "department": data["department"],
            "mode": Mode(data["mode"]).label,
            "benefit": benefit,
            "criteria": data["criteria"],
            "basis": data["basis"],
            "window": window,
        }


def initial_from_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values for a stored entry."""
    benefit = entry["benefit"]
    amount = benefit.get("amount") or {}
    kind = next((k for k in ("fixed", "up_to", "rate") if k in amount), "")
    window = entry.get("window")
    window = window if isinstance(window, dict) else {}
    return {
        "slug": entry["id"],
        "title": entry["title"],
        "jurisdiction": entry["jurisdiction"],
        "department": entry["department"],
        "mode": Mode.from_label(entry["mode"]).value,
        "benefit_kind": BenefitKind.from_label(benefit["kind"]).value,
        "benefit_description": benefit["description"],
        "amount_kind": kind,
        "amount_value": amount.get(kind, ""),
        "amount_of": amount.get("of", ""),
        "amount_cap": amount.get("cap", ""),
        "amount_per": amount.get("per", ""),
        "illustrative": bool(benefit.get("illustrative")),
        "window_from": window.get("from"),
        "window_to": window.get("to"),
        "basis": [f"{b['doc']}|{b['at']}" for b in entry["basis"]],
        "criteria": entry["criteria"],
        "criteria_synced": entry["criteria"],
    }
