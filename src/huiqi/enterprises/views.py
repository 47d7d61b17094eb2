"""Pages of the enterprise registry: the officials' list, one enterprise's page (facts by
year, qualifications, size class with its explanation and citations, matching policies) and
an enterprise user's way to their own page. Who sees what: :mod:`huiqi.accounts.authz`; an
enterprise the visitor may not see is not found (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from huiqi.accounts import authz
from huiqi.accounts.models import Role
from huiqi.calculator.display import size_context
from huiqi.calculator.results import calculate
from huiqi.rules.errors import RulesError
from huiqi.rules.facts import catalogue
from huiqi.rules.industries import industries

from .facts import facts_of, size_of
from .forms import EnterpriseFilter, district_name
from .models import ENTERPRISE_FACTS, YEARLY_FACTS, Enterprise

PAGE_SIZE = 25


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The enterprises the official may see, searched and filtered, a page at a time."""
    if not authz.is_staff(request.user):
        return render(request, "enterprises/staff_only.html", status=403)
    visible = Enterprise.objects.visible_to(request.user)
    form = EnterpriseFilter(request.GET or None, visible=visible)
    today = date.today()
    found = form.filtered(visible, today).prefetch_related("yearly_facts", "qualifications")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            (e, district_name(e.district), _industry(e.industry), size_label(e, today))
            for e in page
        ],
        "query": params.urlencode(),
    }
    if request.htmx:
        return render(request, "enterprises/_results.html", context)
    return render(request, "enterprises/list.html", context)


def size_label(enterprise: Enterprise, on: date) -> str:
    """小型企业; 待补充 when an indicator that decides is missing; 不适用 when the standard
    cannot place the industry."""
    try:
        result = size_of(enterprise, on)
    except RulesError:
        return "不适用"
    return result.size.label if result.size else "待补充"


@login_required
def detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """One enterprise: registration facts, facts by year, qualifications, size class with
    its explanation, and the published policies it matches."""
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(request.user).prefetch_related(
            "yearly_facts", "qualifications"
        ),
        uscc=uscc,
    )
    today = date.today()
    context: dict[str, Any] = {
        "enterprise": enterprise,
        "today": today,
        "registration": registration(enterprise),
        "years": years(enterprise),
        "yearly_labels": [_label(name) for name in YEARLY_FACTS],
        "qualifications": qualifications(enterprise, today),
        "own": request.user.role == Role.ENTERPRISE,
    }
    try:
        context["size"] = size_context(size_of(enterprise, today))
    except RulesError as exc:
        context["size_error"] = str(exc)
    try:
        context["calculation"] = calculate(facts_of(enterprise, today), today)
    except RulesError as exc:
        context["policy_error"] = str(exc)
    return render(request, "enterprises/detail.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An enterprise user's own page; a clear 404 when the registry has no such enterprise."""
    user = request.user
    if authz.enterprise_of(user) is None:
        return render(request, "enterprises/not_enterprise.html", status=403)
    if Enterprise.objects.visible_to(user).filter(uscc=user.enterprise_uscc).exists():
        return redirect("enterprises:detail", uscc=user.enterprise_uscc)
    return render(
        request, "calculator/no_enterprise.html", {"uscc": user.enterprise_uscc}, status=404
    )


def registration(enterprise: Enterprise) -> list[tuple[str, str]]:
    """The registration facts as (label, text): 未知 for an unknown fact, 无 where the
    government list is complete (未上市)."""
    facts = catalogue().facts
    rows = [(_label("uscc"), enterprise.uscc)]
    for name in ENTERPRISE_FACTS:
        value = getattr(enterprise, name)
        item = facts[name]
        if name == "district":
            text = f"{district_name(value)}（{value}）"
        elif name == "industry":
            text = _industry(value)
        elif value is None:
            text = "无" if item.complete else "未知"
        elif isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, date):
            text = value.isoformat()
        else:
            text = str(value)
        rows.append((item.label, text))
    return rows


def years(enterprise: Enterprise) -> list[dict[str, Any]]:
    """One row per year, latest first: each yearly fact as text, None when unknown."""
    return [
        {"year": y.year, "values": [_number(getattr(y, name)) for name in YEARLY_FACTS]}
        for y in sorted(enterprise.yearly_facts.all(), key=lambda y: -y.year)
    ]


def qualifications(enterprise: Enterprise, on: date) -> list[dict[str, Any]]:
    """Every qualification period, by kind then latest first, with its state on ``on``."""
    out = []
    for q in sorted(
        enterprise.qualifications.all(), key=lambda q: (q.kind, -q.valid_from.toordinal())
    ):
        if q.valid_from > on:
            state, badge = "未生效", "warn"
        elif q.valid_to < on:
            state, badge = "已过期", "no"
        else:
            state, badge = "有效", "ok"
        out.append({"q": q, "label": q.get_kind_display(), "state": state, "badge": badge})
    return out


def _label(name: str) -> str:
    item = catalogue().facts[name]
    return f"{item.label}（{item.unit}）" if item.unit else item.label


def _industry(code: str) -> str:
    found = industries().get(code)
    return found.label if found else code


def _number(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"
