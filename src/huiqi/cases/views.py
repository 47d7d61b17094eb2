"""Pages of 诉求 handling: the enterprise files and follows its cases; officials work the
queue, act on a case and read the dashboard; supervisors approve extensions; anyone may file
an anonymous 举报 and follow it with the receipt code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from huiqi.accounts import authz
from huiqi.errors import UserError

from . import access, clock, files, services, stats
from .forms import ActionForm, QueueForm, ReceiptForm, ReportForm, SubmitForm
from .machine import Effect
from .models import Attachment, Case, CaseSupervisor, Reminder

_PAGE = 50


def _signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @_signed_in
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not authz.is_staff(request.user):
            raise Http404("诉求办理只对部门工作人员和管理员开放")
        return view(request, *args, **kwargs)

    return wrapped


def _enterprise(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @_signed_in
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if authz.enterprise_of(request.user) is None:
            raise Http404("提交诉求需要企业用户账户")
        return view(request, *args, **kwargs)

    return wrapped


@_enterprise
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.submit(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                contact=data["contact"],
                district=data["district"],
                upload=services.Upload.of(data["file"]),
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except files.AttachmentError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request, f"已提交，编号 {case.number}；答复期限 {case.effective_due_on:%Y-%m-%d}。"
            )
            return redirect("cases:detail", number=case.number)
    return render(request, "cases/new.html", {"form": form})


@_enterprise
def mine(request: HttpRequest) -> HttpResponse:
    cases = Case.objects.visible_to(request.user).select_related("department")
    rows = [{"case": c, "steps": access.history(request.user, c)} for c in cases[:100]]
    return render(request, "cases/mine.html", {"rows": rows})


@_staff
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.GET or None)
    cases = Case.objects.visible_to(request.user).select_related("department")
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            cases = cases.filter(state=data["state"])
        if data["kind"]:
            cases = cases.filter(kind=data["kind"])
        if data["due"] == "overdue":
            cases = cases.filter(clock.overdue(today))
        elif data["due"] == "soon":
            cases = cases.filter(clock.running(), due_soon_on__isnull=False).exclude(
                clock.overdue(today)
            )
    page = Paginator(cases.order_by("due_on", "pk"), _PAGE).get_page(request.GET.get("page"))
    reminders = Reminder.objects.filter(user=request.user, read_at__isnull=True).select_related(
        "case"
    )[:20]
    context = {
        "form": form,
        "page": page,
        "today": today,
        "reminders": reminders,
        "query": _without_page(request),
        "is_supervisor": CaseSupervisor.objects.filter(user=request.user).exists(),
    }
    return render(request, "cases/queue.html", context)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _detail_context(request: HttpRequest, case: Case, bound: dict[str, ActionForm]) -> dict:
    user = request.user
    parts = access.actors_of(user, case)
    actions = []
    for action in case.case_type.machine.from_state(case.state):
        if not parts & action.actors:
            continue
        if action.needs_pending_extension and not case.extension_pending:
            continue
        if action.effect is Effect.REQUEST_EXTENSION and case.extension_pending:
            continue
        if action.effect is Effect.RATE and case.satisfaction:
            continue
        form = bound.get(action.key) or ActionForm(
            initial={"version": case.version}, prefix=action.key
        )
        actions.append({"action": action, "form": form})
    attachments = [
        {"file": a, "allowed": access.can_download(user, a)}
        for a in Attachment.objects.filter(case=case).select_related("event")
    ]
    return {
        "case": case,
        "complainant": access.complainant(user, case),
        "steps": access.history(user, case),
        "attachments": attachments,
        "actions": actions,
        "left": clock.working_days_left(timezone.localdate(), case.effective_due_on)
        if case.clock_running
        else None,
        "overdue": case.clock_running and timezone.localdate() > case.effective_due_on,
    }


@_signed_in
def detail(request: HttpRequest, number: str) -> HttpResponse:
    case = access.visible_case(request.user, number)
    return render(request, "cases/detail.html", _detail_context(request, case, {}))


@_signed_in
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Take an action; the hidden version field detects a case changed meanwhile."""
    case = access.visible_case(request.user, number)
    form = ActionForm(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        messages.error(request, "表单无效，请刷新后重试")
        return redirect("cases:detail", number=number)
    data = form.cleaned_data
    try:
        services.transition(
            request.user,
            case,
            action,
            expected_version=data["version"],
            note=data["note"],
            data={"rating": data["rating"]},
            upload=services.Upload.of(data["file"]),
        )
    except services.CaseConflict as exc:
        messages.error(request, str(exc))
        return redirect("cases:detail", number=number)
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
    except files.AttachmentError as exc:
        form.add_error("file", str(exc))
    except UserError as exc:
        form.add_error(None, str(exc))
    else:
        messages.success(request, "已办理")
        return redirect("cases:detail", number=number)
    case.refresh_from_db()
    context = _detail_context(request, case, {action: form})
    return render(request, "cases/detail.html", context, status=422)


def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A file, to those permitted only (:func:`huiqi.cases.access.can_download`)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return access.attachment_response(request.user, number, pk)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """匿名举报: no account needed; the page shows the number and the receipt code once."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, code = services.submit_anonymous(
                title=data["title"],
                content=data["content"],
                district=data["district"],
                contact=data["contact"],
                upload=services.Upload.of(data["file"]),
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except files.AttachmentError as exc:
            form.add_error("file", str(exc))
        else:
            return render(request, "cases/report_done.html", {"case": case, "code": code})
    return render(request, "cases/report.html", {"form": form})


@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    """An anonymous report's state, due date and reply, for its number and receipt code."""
    form = ReceiptForm(request.POST or None)
    case = None
    if request.method == "POST" and form.is_valid():
        case = services.receipt_case(form.cleaned_data["number"], form.cleaned_data["code"])
        if case is None:
            form.add_error(None, "编号或查询码不正确")
    context = {"form": form, "case": case}
    if case is not None:
        context["steps"] = access.history(None, case)
    return render(request, "cases/receipt.html", context)


@_staff
def extensions(request: HttpRequest) -> HttpResponse:
    """Pending extension requests of the departments the user supervises."""
    departments = CaseSupervisor.objects.filter(user=request.user).values("department")
    cases = Case.objects.visible_to(request.user).filter(
        Q(department__in=departments), extension_pending=True
    )
    return render(request, "cases/extensions.html", {"cases": cases.order_by("due_on")})


@_staff
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = stats.figures(stats.department_cases(request.user))
    return render(request, "cases/dashboard.html", {"figures": figures})
