"""Pages of the policy calculator (政策计算器) and the public size self-test (企业规模自测).

- :func:`size`: anyone classifies an enterprise by 《中小企业划型标准规定》 — 《保障中小企业款项
  支付条例》（2025）第二十九条 asks the authorities to provide this service;
- :func:`public`: anyone enters facts and sees every published policy that applies, with
  status, reasons and the facts still to provide (长春 条例 第三十五条);
- :func:`mine`: a logged-in enterprise sees the same for the registry's facts, and may add
  the facts the registry lacks for this calculation only (nothing is stored).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huiqi.accounts import authz
from huiqi.enterprises.facts import facts_of
from huiqi.enterprises.models import Enterprise
from huiqi.law import bundled
from huiqi.rules.citations import Citation, cite
from huiqi.rules.errors import RulesError

from .display import size_context
from .forms import FactsForm, SizeForm, industry_datalist
from .results import asked_facts, calculate, published

SIZE_SERVICE = ("cn-sme-payment-regulation-2025-03-17", "art_29/para_1")
"""《保障中小企业款项支付条例》（2025年版）第二十九条第一款: the size self-test service."""


@cache
def _size_service() -> tuple[Citation, str]:
    """The provision behind the self-test, and its text, from the regulation library."""
    doc, node = SIZE_SERVICE
    found = bundled().document(doc).find(node)
    assert found is not None
    return cite(doc, node), found.text


def size(request: HttpRequest) -> HttpResponse:
    """The size self-test: the form, and on submission the size class with the explanation."""
    form = SizeForm(request.POST or None)
    result = form.classify() if request.method == "POST" else None
    context: dict[str, Any] = {
        "form": form,
        "refusal": form.refusal,
        "size": size_context(result) if result else None,
    }
    if request.htmx:
        return render(request, "calculator/_size_tool.html", context)
    service, service_text = _size_service()
    return render(
        request,
        "calculator/size.html",
        {
            **context,
            "industry_datalist": industry_datalist(),
            "service": service,
            "service_text": service_text,
        },
    )


def public(request: HttpRequest) -> HttpResponse:
    """The public calculator: facts in, every applicable published policy out."""
    versions = published()
    form = FactsForm(request.POST or None, asked=asked_facts(versions))
    calculation = error = None
    if request.method == "POST" and form.is_valid():
        try:
            calculation = calculate(form.facts(), form.on_date, versions)
        except RulesError as exc:
            error = str(exc)
    context = {"form": form, "calculation": calculation, "error": error, "versions": versions}
    if request.htmx:
        return render(request, "calculator/_public_tool.html", context)
    return render(
        request, "calculator/public.html", {**context, "industry_datalist": industry_datalist()}
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An enterprise user's policies from the registry's facts (no form to fill), plus the
    facts the registry lacks, added for this calculation only."""
    user = request.user
    if authz.enterprise_of(user) is None:
        return render(request, "calculator/not_enterprise.html", status=403)
    enterprise = (
        Enterprise.objects.visible_to(user)
        .prefetch_related("yearly_facts", "qualifications")
        .filter(uscc=user.enterprise_uscc)
        .first()
    )
    if enterprise is None:
        return render(
            request, "calculator/no_enterprise.html", {"uscc": user.enterprise_uscc}, status=404
        )
    versions = published()
    registry = facts_of(enterprise, date.today())
    lacking = tuple(name for name in asked_facts(versions) if name not in registry)
    form = FactsForm(request.POST or None, asked=lacking)
    facts, on, added = registry, date.today(), {}
    if request.method == "POST" and form.is_valid():
        added = form.facts()
        facts, on = {**registry, **added}, form.on_date
    calculation = error = None
    try:
        calculation = calculate(facts, on, versions)
    except RulesError as exc:
        error = str(exc)
    context = {
        "enterprise": enterprise,
        "form": form,
        "calculation": calculation,
        "error": error,
        "added": added,
        "versions": versions,
    }
    if request.htmx:
        return render(request, "calculator/_mine_tool.html", context)
    return render(request, "calculator/mine.html", context)
