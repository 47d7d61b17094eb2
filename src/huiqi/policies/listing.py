"""The public 惠企政策清单 (长春 条例 第三十五条第二款: 公开惠企政策清单, 按行业、规模精准推送):
its filters, shared by the page, the Excel export and the API, and the export itself.

Size and industry filter on what the criteria admit (:func:`huiqi.rules.criteria.admitted`,
stored with each version): a policy for 小型、微型 is kept for 小型; one without a size
condition is kept for every size; one for industry C is kept for C and for 39 (a division of
C), and for a policy of 39 the filter C keeps it too.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from huiqi.rules.industries import ancestors
from huiqi.rules.jurisdictions import jurisdictions
from huiqi.rules.policies import BenefitKind, Mode

from .builder import SIZES, industry_options
from .forms import DescribedErrors
from .models import PolicyVersion

PAGE_SIZE = 20


class ListFilters(DescribedErrors):
    """The list's filters (GET); an empty field does not filter."""

    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "名称、支持内容、主管部门"}),
    )
    industry = forms.ChoiceField(label="所属行业", required=False)
    size = forms.ChoiceField(label="企业规模", required=False, choices=[("", "不限"), *SIZES])
    department = forms.ChoiceField(label="主管部门", required=False)
    kind = forms.ChoiceField(
        label="支持类型",
        required=False,
        choices=[("", "不限"), *((k.value, k.label) for k in BenefitKind)],
    )
    mode = forms.ChoiceField(
        label="兑现方式",
        required=False,
        choices=[("", "不限"), *((m.value, m.label) for m in Mode)],
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [
            ("", "不限"),
            *(
                (code, label if code.isalpha() else f"　{label}")
                for code, label in industry_options()
            ),
        ]
        departments = (
            PolicyVersion.objects.published()
            .order_by("department")
            .values_list("department", flat=True)
            .distinct()
        )
        self.fields["department"].choices = [("", "不限"), *((d, d) for d in departments)]

    def versions(self) -> list[PolicyVersion]:
        """The published versions the valid filters keep, in list order (an invalid filter is
        left out; its error is shown next to it)."""
        self.is_valid()
        data = self.cleaned_data
        found = PolicyVersion.objects.published().select_related("record")
        if data.get("q"):
            q = data["q"].strip()
            found = found.filter(
                Q(title__icontains=q)
                | Q(department__icontains=q)
                | Q(entry__benefit__description__icontains=q)
            )
        for name, column in (
            ("department", "department"),
            ("kind", "benefit_kind"),
            ("mode", "mode"),
        ):
            if data.get(name):
                found = found.filter(**{column: data[name]})
        out = list(found.order_by("jurisdiction", "department", "title", "record__slug"))
        if data.get("size"):
            out = [v for v in out if not v.sizes or data["size"] in v.sizes]
        if data.get("industry"):
            out = [v for v in out if admits_industry(v.industries, data["industry"])]
        return out

    def query(self) -> str:
        """The filters as a query string (for the export link and pagination)."""
        self.is_valid()
        params = QueryDict(mutable=True)
        for key, value in self.cleaned_data.items():
            if value:
                params[key] = value
        return params.urlencode()


def admits_industry(codes: list[str], code: str) -> bool:
    """Whether a policy admitting industries ``codes`` (empty: all) is for industry ``code``:
    one covers the other (C and 39, 39 and C)."""
    if not codes:
        return True
    chain = {a.code for a in ancestors(code)}
    return any(c in chain or code in {a.code for a in ancestors(c)} for c in codes)


def jurisdiction_name(code: str) -> str:
    known = jurisdictions().get(code)
    return f"{known.name}（{code}）" if known else code


COLUMNS = (
    ("政策编号", 22),
    ("名称", 30),
    ("主管部门", 22),
    ("适用地区", 16),
    ("支持类型", 10),
    ("兑现方式", 10),
    ("支持内容", 50),
    ("申请条件", 50),
    ("法律依据", 50),
    ("有效期", 24),
    ("版本", 6),
    ("发布日期", 12),
)


def row(version: PolicyVersion) -> list[Any]:
    """One line of the exported list."""
    policy = version.policy
    benefit = policy.benefit
    content = benefit.description + (f"；{benefit.amount_text}" if benefit.amount_text else "")
    published = timezone.localtime(version.published_at).date() if version.published_at else None
    return [
        version.record.slug,
        version.title,
        version.department,
        jurisdiction_name(version.jurisdiction),
        benefit.kind.label,
        policy.mode.label,
        content,
        policy.criteria_text,
        "；".join(c.text for c in policy.basis),
        policy.window.text,
        version.number,
        published,
    ]


def workbook(versions: list[PolicyVersion]) -> bytes:
    """The list as an .xlsx workbook: a Chinese header row, frozen, with sensible widths."""
    book = Workbook()
    sheet = book.active
    sheet.title = "惠企政策清单"
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F6F8FA")
    for version in versions:
        sheet.append(row(version))
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, (_, width) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = BytesIO()
    book.save(out)
    return out.getvalue()
