"""Pages of the arrears complaints: the enterprise's intake form, the transfer to the handling
department, and the record list of confirmed arrears (staff). The case itself is shown and
handled on the case page (``cases:detail``), which includes ``arrears/_section.html``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from huiqi.accounts import authz
from huiqi.cases import access, files
from huiqi.cases import services as cases
from huiqi.errors import UserError

from . import services
from .forms import ArrearsForm, TransferForm
from .kind import KEY


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if authz.enterprise_of(request.user) is None:
        raise Http404("拖欠账款投诉需要企业用户账户")
    form = ArrearsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.submit(
                actor=request.user,
                claim=form.claim(),
                upload=cases.Upload.of(form.cleaned_data["file"]),
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except files.AttachmentError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                f"已提交，编号 {case.number}；转交期限 {case.effective_due_on:%Y-%m-%d}。",
            )
            return redirect("cases:detail", number=case.number)
    status = 422 if request.method == "POST" else 200
    return render(request, "arrears/new.html", {"form": form}, status=status)


@require_POST
def transfer(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = access.visible_case(request.user, number)
    if case.kind != KEY:
        raise Http404("没有这个拖欠账款投诉")
    form = TransferForm(request.POST, prefix="transfer")
    if form.is_valid():
        try:
            services.transfer(
                request.user,
                case,
                department=form.cleaned_data["department"].pk,
                expected_version=form.cleaned_data["version"],
            )
        except cases.CaseConflict as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已转交")
            return redirect("cases:detail", number=number)
    if form.errors:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("cases:detail", number=number)


def records(request: HttpRequest) -> HttpResponse:
    """第二十六条: confirmed arrears, for credit follow-up — without the complainant."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not authz.is_staff(request.user):
        raise Http404("拖欠账款记录只对部门工作人员和管理员开放")
    page = Paginator(services.records(request.user), 50).get_page(request.GET.get("page"))
    rows = [services.record_row(d) for d in page]
    return render(request, "arrears/records.html", {"page": page, "rows": rows})
