"""JSON API of applications (申报), mounted at /api/applications by huiqi.web.api. Same
services and permissions as the pages: an application out of the caller's sight is a 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from huiqi.cases import access, clock
from huiqi.cases import services as cases

from . import services
from .models import Application

router = Router(tags=["政策申报"])


class FactOut(Schema):
    name: str = Field(description="事实名称（事实目录）")
    label: str = Field(description="名称")
    value: str | None = Field(None, description="平台已掌握的取值（文字）")


class FormOut(Schema):
    policy: str = Field(description="政策编号")
    version: int = Field(description="政策版本")
    mode: str = Field(description="兑现方式：apply 申报、fast_track 直达快享")
    prefilled: bool = Field(description="直达快享：已掌握的信息预填，提交时需确认（confirmed）")
    held: list[FactOut] = Field(description="平台已掌握的信息（来源：政府部门共享数据），不需填报")
    asked: list[FactOut] = Field(description="需要企业填报的信息（可留空）")
    basis: str = Field(description="依据：不得要求企业重复提供")


class ApplicationIn(Schema):
    policy: str = Field(description="政策编号（已发布的政策）")
    facts: dict[str, Any] = Field(
        default_factory=dict, description="填报的信息，只限 asked 中的事实"
    )
    submit: bool = Field(False, description="true 直接提交；false 保存为草稿")
    confirmed: bool = Field(False, description="直达快享：确认预填的信息")


class SubmitIn(Schema):
    facts: dict[str, Any] | None = Field(None, description="更新草稿的填报信息（可选）")
    confirmed: bool = Field(False, description="直达快享：确认预填的信息")


class TransitionIn(Schema):
    action: str = Field(description="accept 受理、approve 审核通过、deny 不予通过、redeem 兑现")
    version: int = Field(description="操作所依据的版本号；版本已变化时返回 409")
    note: str = Field("", description="说明；不予通过时为必填的理由")
    amount: str = Field("", description="兑现金额（万元，redeem 必填）")
    redeemed_on: date | None = Field(None, description="兑现日期（redeem 必填）")


class ApplicationRow(Schema):
    id: int
    number: str = Field(description="编号；草稿为空")
    state: str
    state_label: str = Field(description="状态")
    policy: str = Field(description="政策编号")
    policy_version: int
    title: str = Field(description="政策名称")
    enterprise: str = Field(description="企业名称")
    eligibility_status: str = Field(description="提交时的资格判断：eligible、possibly、not")
    due_on: date | None = Field(description="审核期限")


class ApplicationOut(ApplicationRow):
    uscc: str
    mode: str
    content_hash: str = Field(description="申报时政策版本的内容指纹")
    case_version: int | None = Field(description="办理版本号（办理操作时提交）")
    department: str | None
    facts_held: dict[str, Any] = Field(description="平台已掌握的信息（政府部门共享数据）")
    facts_given: dict[str, Any] = Field(description="企业填报的信息")
    confirmed: bool
    eligibility: dict[str, Any] = Field(description="提交时的资格判断（条件、理由、政策版本）")
    amount: str | None = Field(description="兑现金额（万元）")
    redeemed_on: date | None
    deadline: dict[str, Any] | None = Field(description="审核期限的计算和依据（服务承诺）")
    deadline_explanation: str
    working_days_left: int | None
    events: list[dict[str, Any]]
    updated_at: datetime


class Problem(Schema):
    detail: str


def _row(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "state": a.state,
        "state_label": a.state_label,
        "policy": a.version.record.slug,
        "policy_version": a.version.number,
        "title": a.version.title,
        "enterprise": a.enterprise.name,
        "eligibility_status": a.eligibility_status,
        "due_on": a.case.effective_due_on if a.case_id else None,
    }


def _out(request: HttpRequest, a: Application) -> dict[str, Any]:
    case = a.case
    return {
        **_row(a),
        "uscc": a.enterprise.uscc,
        "mode": a.mode,
        "content_hash": a.content_hash,
        "case_version": case.version if case else None,
        "department": case.department.name if case else None,
        "facts_held": a.facts_held,
        "facts_given": a.facts_given,
        "confirmed": a.confirmed,
        "eligibility": a.eligibility,
        "amount": format(a.amount.normalize(), "f") if a.amount is not None else None,
        "redeemed_on": a.redeemed_on,
        "deadline": case.due_basis if case else None,
        "deadline_explanation": case.due_explanation if case else "",
        "working_days_left": clock.working_days_left(timezone.localdate(), case.effective_due_on)
        if case and case.clock_running
        else None,
        "events": [step.__dict__ for step in access.history(request.user, case)] if case else [],
        "updated_at": a.updated_at,
    }


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(request, services.visible(request.user, pk))


@router.get("/", response=list[ApplicationRow], summary="申报列表（调用者可见的）")
@paginate(PageNumberPagination, page_size=50)
def list_applications(
    request: HttpRequest, state: str = "", policy: str = "", eligibility: str = ""
) -> Any:
    found = Application.objects.filter(services.scope(request.user)).select_related(
        "enterprise", "version__record", "case"
    )
    if state == "draft":
        found = found.filter(case__isnull=True)
    elif state:
        found = found.filter(case__state=state)
    if policy:
        found = found.filter(version__record__slug=policy)
    if eligibility:
        found = found.filter(eligibility_status=eligibility)
    return [_row(a) for a in found.order_by("-updated_at", "-pk")]


@router.get("/form/{slug}", response=FormOut, summary="申报需要填报的信息（企业用户）")
def form(request: HttpRequest, slug: str) -> Any:
    version = services.published_version(slug)
    policy = version.policy
    services.require_application_mode(policy)
    enterprise = services.enterprise_of(request.user)
    plan = services.fact_plan(enterprise, policy, timezone.localdate())
    return {
        "policy": slug,
        "version": version.number,
        "mode": policy.mode.value,
        "prefilled": plan.prefilled,
        "held": plan.held_rows(),
        "asked": [{"name": n, "label": services.fact_label(n)} for n in plan.asked],
        "basis": services.basis().text,
    }


@router.post("/", response={201: ApplicationOut}, summary="创建申报草稿或直接提交（企业用户）")
def create(request: HttpRequest, payload: ApplicationIn) -> Any:
    version = services.published_version(payload.policy)
    with transaction.atomic():
        application = services.save_draft(actor=request.user, version=version, facts=payload.facts)
        if payload.submit:
            application = services.submit(
                actor=request.user, application=application, confirmed=payload.confirmed
            )
    return Status(201, _fresh(request, application.pk))


@router.get("/{pk}", response=ApplicationOut, summary="申报详情")
def detail(request: HttpRequest, pk: int) -> Any:
    return _fresh(request, pk)


@router.post("/{pk}/submit", response=ApplicationOut, summary="提交草稿（企业用户）")
def submit(request: HttpRequest, pk: int, payload: SubmitIn) -> Any:
    application = services.visible(request.user, pk)
    with transaction.atomic():
        if payload.facts is not None:
            application = services.save_draft(
                actor=request.user,
                version=application.version,
                facts=payload.facts,
                application=application,
            )
        services.submit(actor=request.user, application=application, confirmed=payload.confirmed)
    return _fresh(request, pk)


@router.post(
    "/{pk}/transitions",
    response={200: ApplicationOut, 409: Problem},
    summary="办理操作（受理、审核通过、不予通过、兑现）",
)
def transition(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    application = services.visible(request.user, pk)
    try:
        services.act(
            request.user,
            application,
            payload.action,
            expected_version=payload.version,
            note=payload.note,
            amount=payload.amount,
            redeemed_on=payload.redeemed_on,
        )
    except cases.CaseConflict as exc:
        return Status(409, {"detail": str(exc)})
    return _fresh(request, pk)
