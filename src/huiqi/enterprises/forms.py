"""The registry search of the officials' enterprise list (pages and API alike): by name or
统一社会信用代码, district, industry (GB/T 4754-2017, any level) and size class."""

from __future__ import annotations

from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from huiqi.population import CITIES
from huiqi.rules.criteria import screening_query
from huiqi.rules.criteria.nodes import SizeIn
from huiqi.rules.criteria.semantics import industry_test
from huiqi.rules.errors import UnknownIndustry
from huiqi.rules.industries import EDITION, industry
from huiqi.rules.size import SizeClass

from .models import Enterprise, YearlyFacts

SIZE_CHOICES = [("", "全部规模"), *((s.value, s.label) for s in SizeClass)]


def district_name(code: str) -> str:
    """南关区 for 220102; the code itself for a division huiqi has no name for."""
    for city in CITIES.values():
        for district in city.districts:
            if district.code == code:
                return district.name
    return code


class EnterpriseFilter(forms.Form):
    """Filters of the enterprise list; every one optional."""

    q = forms.CharField(
        label="名称或统一社会信用代码",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "企业名称或代码"}),
    )
    district = forms.ChoiceField(label="所在地区", required=False)
    industry = forms.CharField(
        label="所属行业",
        required=False,
        max_length=4,
        help_text=f"{EDITION} 代码，任一层级：C、39、391、3911。",
    )
    size = forms.ChoiceField(
        label="企业规模",
        required=False,
        choices=SIZE_CHOICES,
        error_messages={"invalid_choice": "企业规模应当是大型、中型、小型或微型。"},
    )

    def __init__(self, *args: Any, visible: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = visible.order_by("district").values_list("district", flat=True).distinct()
        self.fields["district"].choices = [
            ("", "全部地区"),
            *((code, f"{district_name(code)}（{code}）") for code in codes),
        ]
        self.fields["district"].error_messages["invalid_choice"] = "所在地区不在可查看的范围内。"

    def clean_industry(self) -> str:
        code = self.cleaned_data["industry"].strip().upper()
        if code:
            try:
                industry(code)
            except UnknownIndustry as exc:
                raise forms.ValidationError(str(exc)) from None
        return code

    def filtered(self, enterprises: QuerySet[Enterprise], on: date) -> QuerySet[Enterprise]:
        """``enterprises`` narrowed by the filters; an invalid form filters nothing (its
        errors are shown next to the fields)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if text := (data.get("q") or "").strip():
            enterprises = enterprises.filter(Q(name__icontains=text) | Q(uscc__istartswith=text))
        if district := data.get("district"):
            enterprises = enterprises.filter(district=district)
        if code := data.get("industry"):
            enterprises = enterprises.filter(_industry_q(code))
        if size := data.get("size"):
            enterprises = enterprises.filter(uscc__in=sized(SizeClass(size), on))
        return enterprises


def _industry_q(code: str) -> Q:
    """The industry is ``code`` or under it: a section letter covers its divisions."""
    test = industry_test(code)
    if test.divisions:
        return reduce(
            or_, (Q(industry__startswith=d) for d in sorted(test.divisions)), Q(industry=code)
        )
    return Q(industry__startswith=code)


_SIZE_FACTS = "size_facts"


def sized(size: SizeClass, on: date) -> RawSQL:
    """The 统一社会信用代码 of the registry's enterprises of ``size`` on ``on``, computed in
    the database: the size condition compiled to SQL as a screening compiles it
    (:mod:`huiqi.rules.criteria.sql`), over each enterprise's industry and the yearly facts
    :func:`huiqi.enterprises.facts.facts_of` takes (the latest year not after ``on``). An
    enterprise whose size cannot be decided is of no size."""
    dialect = "postgres" if connection.vendor == "postgresql" else "sqlite"
    query = screening_query({"size": SizeIn((size,))}, on, dialect, table=_SIZE_FACTS)
    enterprise, yearly = Enterprise._meta.db_table, YearlyFacts._meta.db_table
    facts = (
        f"SELECT e.uscc, e.industry, y.employees, y.revenue, y.total_assets FROM {enterprise} e"
        f" LEFT JOIN {yearly} y ON y.enterprise_id = e.id AND y.year = (SELECT MAX(y2.year)"
        f" FROM {yearly} y2 WHERE y2.enterprise_id = e.id AND y2.year <= %s)"
    )
    sql = f"WITH {_SIZE_FACTS} AS ({facts}) SELECT uscc FROM ({query.sql.replace('%', '%%')}) s"
    return RawSQL(f"{sql} WHERE value_0 = 2", [on.year])
