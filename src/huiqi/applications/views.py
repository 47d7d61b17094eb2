"""Pages of applications (申报): the enterprise fills the facts the platform lacks and follows
its applications; officials work the queue and act on an application (受理, 审核通过, 不予通过
with the reason, 兑现 with amount and date)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from huiqi.accounts import authz
from huiqi.calculator.forms import industry_datalist
from huiqi.cases import access, clock
from huiqi.cases import services as cases
from huiqi.cases.models import Case
from huiqi.errors import UserError
from huiqi.policies.models import PolicyVersion

from . import services
from .forms import ActForm, ApplyForm, QueueForm
from .models import Application

_PAGE = 50
_BADGES = {"eligible": "eligible", "possibly": "possibly", "not": "not_eligible"}


def _signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _enterprise(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @_signed_in
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if authz.enterprise_of(request.user) is None:
            raise Http404("申报需要企业用户账户")
        return view(request, *args, **kwargs)

    return wrapped


@_enterprise
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form for a published policy: only the facts the platform lacks."""
    version = services.published_version(slug)
    return _form(request, version, None)


@_enterprise
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft, to complete and submit."""
    application = services.visible(request.user, pk)
    if not application.is_draft:
        return redirect("applications:detail", pk=pk)
    return _form(request, application.version, application)


def _form(
    request: HttpRequest, version: PolicyVersion, application: Application | None
) -> HttpResponse:
    policy = version.policy
    try:
        services.require_application_mode(policy)
        enterprise = services.enterprise_of(request.user)
    except UserError as exc:
        context = {"version": version, "refusal": str(exc)}
        return render(request, "applications/refused.html", context, status=409)
    plan = services.fact_plan(enterprise, policy, timezone.localdate())
    initial = ApplyForm.initial_of(application.facts_given, plan) if application else None
    form = ApplyForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("intent") == "submit"
        try:
            with transaction.atomic():
                saved = services.save_draft(
                    actor=request.user,
                    version=version,
                    facts=form.facts(),
                    application=application,
                )
                if submitting:
                    saved = services.submit(
                        actor=request.user,
                        application=saved,
                        confirmed=bool(form.cleaned_data.get("confirmed")),
                    )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            if submitting:
                messages.success(
                    request,
                    f"已提交，编号 {saved.number}；审核期限 {saved.case.effective_due_on:%Y-%m-%d}。",
                )
            else:
                messages.success(request, "草稿已保存。")
            return redirect("applications:detail", pk=saved.pk)
    context = {
        "version": version,
        "policy": policy,
        "plan": plan,
        "form": form,
        "application": application,
        "basis": services.basis(),
        "held_source": services.HELD_SOURCE,
        "industry_datalist": industry_datalist(),
    }
    return render(request, "applications/form.html", context, status=422 if form.errors else 200)


@_enterprise
def mine(request: HttpRequest) -> HttpResponse:
    """The enterprise's applications with their state and each step's date."""
    found = (
        Application.objects.filter(services.scope(request.user))
        .select_related("version__record", "case")
        .order_by("-updated_at", "-pk")[:200]
    )
    rows = [
        {
            "application": a,
            "steps": access.history(request.user, a.case) if a.case_id else [],
        }
        for a in found
    ]
    return render(request, "applications/mine.html", {"rows": rows})


@_signed_in
def queue(request: HttpRequest) -> HttpResponse:
    """Officials: the submitted applications of their jurisdiction, with filters."""
    if not authz.is_staff(request.user):
        raise Http404("申报审核只对部门工作人员和管理员开放")
    form = QueueForm(request.GET or None)
    found = Application.objects.filter(services.scope(request.user)).select_related(
        "enterprise", "version__record", "case__department"
    )
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            found = found.filter(case__state=data["state"])
        if data["eligibility"]:
            found = found.filter(eligibility_status=data["eligibility"])
        if data["policy"]:
            found = found.filter(version__record__slug=data["policy"].strip())
        if data["due"] == "overdue":
            late = Case.objects.filter(clock.overdue(today)).values("pk")
            found = found.filter(case__in=late)
    page = Paginator(found.order_by("case__due_on", "pk"), _PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "today": today, "query": query.urlencode()}
    return render(request, "applications/queue.html", context)


def _detail_context(
    request: HttpRequest, application: Application, bound: dict[str, ActForm]
) -> dict[str, Any]:
    user = request.user
    case = application.case
    context: dict[str, Any] = {
        "application": application,
        "badge": _BADGES.get(application.eligibility_status, ""),
        "held": [
            {"label": services.fact_label(n), "value": services.fact_text(n, v)}
            for n, v in application.facts_held.items()
        ],
        "given": [
            {"label": services.fact_label(n), "value": services.fact_text(n, v)}
            for n, v in application.facts_given.items()
        ],
        "held_source": services.HELD_SOURCE,
        "basis": services.basis(),
    }
    if case is None:
        return context
    parts = access.actors_of(user, case)
    actions = []
    for action in case.case_type.machine.from_state(case.state):
        if parts & action.actors:
            form = bound.get(action.key) or ActForm(
                initial={"version": case.version}, prefix=action.key
            )
            actions.append({"action": action, "form": form})
    today = timezone.localdate()
    context.update(
        {
            "case": case,
            "steps": access.history(user, case),
            "actions": actions,
            "left": clock.working_days_left(today, case.effective_due_on)
            if case.clock_running
            else None,
            "overdue": case.clock_running and today > case.effective_due_on,
        }
    )
    return context


@_signed_in
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = services.visible(request.user, pk)
    return render(request, "applications/detail.html", _detail_context(request, application, {}))


@_signed_in
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """受理, 审核通过, 不予通过, 兑现; the hidden version detects a change meanwhile."""
    application = services.visible(request.user, pk)
    form = ActForm(request.POST, prefix=action)
    if not form.is_valid():
        context = _detail_context(request, application, {action: form})
        return render(request, "applications/detail.html", context, status=422)
    data = form.cleaned_data
    try:
        services.act(
            request.user,
            application,
            action,
            expected_version=data["version"],
            note=data["note"],
            amount=data["amount"],
            redeemed_on=data["redeemed_on"],
        )
    except cases.CaseConflict as exc:
        messages.error(request, str(exc))
        return redirect("applications:detail", pk=pk)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
    except UserError as exc:
        form.add_error(None, str(exc))
    else:
        messages.success(request, "已办理")
        return redirect("applications:detail", pk=pk)
    application = services.visible(request.user, pk)
    context = _detail_context(request, application, {action: form})
    return render(request, "applications/detail.html", context, status=422)
