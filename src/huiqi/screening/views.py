"""Pages of 免申即享: the officials' runs (queue one, watch its progress) and the enterprise's
inbox of targeted notices and its granted benefits (长春 条例 第三十五条).

Officials see the runs of their jurisdiction only; an enterprise user sees only its own
notices and benefits; anything else is not found. A page only queues a run: the worker
executes it (:mod:`huiqi.screening.worker`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huiqi.policies.models import PolicyVersion

from . import services
from .forms import RunForm
from .models import Entitlement, Notice, ScreeningRun

PAGE = 20


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    services.check_staff(request.user)
    visible = ScreeningRun.objects.visible_to(request.user).select_related(
        "policy_version__record", "requested_by"
    )
    page = Paginator(visible, PAGE).get_page(request.GET.get("page"))
    return render(request, "screening/runs.html", {"page": page})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    services.check_staff(request.user)
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.request_run(
                request.user, form.cleaned_data["policy_version"], form.cleaned_data["on"]
            )
        except ValidationError as exc:
            form.add_service_error(exc.message_dict)
        else:
            return redirect("screening:run", pk=run.pk)
    return render(request, "screening/new.html", {"form": form})


@login_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    services.check_staff(request.user)
    found = get_object_or_404(
        ScreeningRun.objects.visible_to(request.user).select_related(
            "policy_version__record", "requested_by"
        ),
        pk=pk,
    )
    context = {"run": found, "rows": _rows(found), "skipped": _skipped(found)}
    if request.htmx:
        return render(request, "screening/_run_status.html", context)
    return render(request, "screening/run.html", context)


def _rows(run: ScreeningRun) -> list[dict[str, Any]]:
    """One row per policy version screened: the version and its counts."""
    versions = PolicyVersion.objects.select_related("record").in_bulk(
        [int(pk) for pk in run.counts]
    )
    return [{"version": versions[int(pk)], **c} for pk, c in run.counts.items()]


def _skipped(run: ScreeningRun) -> list[PolicyVersion]:
    return list(PolicyVersion.objects.filter(pk__in=run.skipped).select_related("record"))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    services.check_enterprise(request.user)
    notices = Notice.objects.of_user(request.user).select_related("policy_version__record")
    page = Paginator(notices, PAGE).get_page(request.GET.get("page"))
    unread = notices.filter(read_at__isnull=True).count()
    return render(request, "screening/inbox.html", {"page": page, "unread": unread})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.check_enterprise(request.user)
    notice = get_object_or_404(Notice.objects.of_user(request.user), pk=pk)
    notice = services.mark_read(request.user, notice)
    if request.htmx:
        return render(request, "screening/_notice.html", {"notice": notice})
    return redirect("screening:inbox")


@login_required
def entitlements(request: HttpRequest) -> HttpResponse:
    services.check_enterprise(request.user)
    granted = Entitlement.objects.of_user(request.user).select_related(
        "policy_version__record", "run"
    )
    page = Paginator(granted, PAGE).get_page(request.GET.get("page"))
    return render(request, "screening/entitlements.html", {"page": page})
