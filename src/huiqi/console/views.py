"""The officials' console: the overview, the registry import and its jobs, the audit log.

Officials and administrators only: the public is sent to the login page, an enterprise user
gets 404 (the console does not exist for them). Importing is for administrators
(:func:`huiqi.accounts.authz.can_import_registry`); an official sees why not."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from huiqi.accounts import authz
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyVersion
from huiqi.population.cities import CITIES
from huiqi.screening.models import ScreeningRun

from . import auditlog, executor, services
from .forms import AuditFilterForm, ImportForm
from .models import ImportJob, ImportStage

_DISTRICTS = {d.code: d.name for c in CITIES.values() for d in c.districts} | {
    c.code: c.name for c in CITIES.values()
}
_AUDIT_PAGE = 50


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Officials and administrators; the public logs in first, anyone else gets 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not authz.is_staff(request.user):
            raise Http404("工作台只对部门工作人员和管理员开放")
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    enterprises = Enterprise.objects.visible_to(user)
    by_district = [
        {"code": row["district"], "name": _DISTRICTS.get(row["district"], ""), "n": row["n"]}
        for row in enterprises.values("district").annotate(n=Count("id")).order_by("district")
    ]
    context = {
        "enterprise_count": sum(d["n"] for d in by_district),
        "by_district": by_district,
        "published_count": PolicyVersion.objects.published().count(),
        "runs": ScreeningRun.objects.visible_to(user).select_related(
            "policy_version", "requested_by"
        )[:5],
        "imports": ImportJob.objects.visible_to(user).select_related("requested_by")[:5],
        "can_import": authz.can_import_registry(user),
        "is_administrator": authz.is_administrator(user),
        "scope": _scope(user),
    }
    return render(request, "console/home.html", context)


def _scope(user: Any) -> str:
    if authz.is_administrator(user):
        return "全部地区"
    code = user.department.jurisdiction
    return f"{_DISTRICTS.get(code, '')}（{code}）及下辖地区"


@staff_only
@require_http_methods(["GET", "POST"])
def import_registry(request: HttpRequest) -> HttpResponse:
    allowed = authz.can_import_registry(request.user)
    form = None
    if allowed:
        form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("只有管理员可以导入企业名录")
        if form.is_valid():
            job = services.queue_import(
                actor=request.user, file=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
            )
            executor.submit(job.pk)
            return redirect("console:import_job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).select_related("requested_by")[:20]
    return render(request, "console/import.html", {"form": form, "allowed": allowed, "jobs": jobs})


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.visible_to(request.user).select_related("requested_by"), pk=pk
    )


def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress (the page polls it with htmx every second), then its report."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job(request, pk)
    stage, done, total = job.current()
    context = {
        "job": job,
        "stage": stage,
        "stage_label": ImportStage(stage).label,
        "done": done,
        "total": total,
        "rejections": [] if job.active else services.first_rejections(job),
        "shown_limit": services.REJECTIONS_SHOWN,
    }
    template = "console/_import_status.html" if request.htmx else "console/import_job.html"
    return render(request, template, context)


def import_rejections(request: HttpRequest, pk: int) -> FileResponse:
    """The full report of a job's rejected rows, as CSV (UTF-8 with BOM, for Excel)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job(request, pk)
    if not job.rejections_file:
        raise Http404("该导入没有被拒的行")
    return FileResponse(
        job.rejections_file.open("rb"),
        as_attachment=True,
        filename=f"导入{job.pk}-被拒行.csv",
        content_type="text/csv; charset=utf-8",
    )


@staff_only
def audit(request: HttpRequest) -> HttpResponse:
    entries = auditlog.visible_entries(request.user)
    if entries is None:
        raise Http404
    form = AuditFilterForm(request.GET or None, targets=auditlog.target_types())
    if form.is_bound and form.is_valid():
        entries = auditlog.filtered(entries, **form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, _AUDIT_PAGE).get_page(request.GET.get("page"))
    kinds = dict(auditlog.target_types())
    rows = [(e, kinds.get(e.target, e.target), auditlog.changes(e)) for e in page]
    return render(
        request,
        "console/audit.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "is_administrator": authz.is_administrator(request.user),
        },
    )
