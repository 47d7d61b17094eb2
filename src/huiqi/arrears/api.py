"""JSON API of the arrears complaints (mounted at /api/arrears). The case itself and its
transitions are at /api/cases/{number}; here: intake, the computed figures, the transfer and
the record list of confirmed arrears (第二十六条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from huiqi.accounts import authz
from huiqi.cases import access
from huiqi.cases import services as cases

from . import services
from .models import ArrearsComplaint

router = Router(tags=["拖欠账款投诉"])


class ArrearsIn(Schema):
    debtor_name: str = Field(description="被投诉人名称")
    debtor_type: str = Field(
        description="被投诉人类型：organ 机关、institution 事业单位、large 大型企业"
    )
    debtor_uscc: str = Field("", description="被投诉人统一社会信用代码（可选）")
    contract_signed: date = Field(description="合同订立日期")
    delivered_on: date | None = Field(None, description="交付日期")
    accepted_on: date | None = Field(
        None, description="检验、验收合格日期（以验收合格为支付条件时）"
    )
    agreed_days: int | None = Field(None, description="约定付款期限（日），没有约定为空")
    amount_due: Decimal = Field(description="应付金额（万元）")
    amount_paid: Decimal = Field(description="已付金额（万元）")
    description: str = Field(description="情况说明")
    contact: str = Field("", description="联系方式（可选）")


class TransferIn(Schema):
    department: int = Field(description="处理投诉部门的编号")
    version: int = Field(description="操作所依据的版本号；版本已变化时返回 409")


class ArrearsOut(Schema):
    number: str = Field(description="投诉编号")
    state: str = Field(description="状态代码")
    state_label: str = Field(description="状态")
    department: str = Field(description="当前办理部门")
    accepting_department: str = Field(description="受理投诉部门")
    due_on: date = Field(description="当前阶段的期限（转交期限或处理期限）")
    deadline: dict[str, Any] = Field(description="当前阶段期限的计算和引用的法规条款")
    version: int
    debtor_name: str
    debtor_type: str
    debtor_type_label: str
    debtor_uscc: str
    contract_signed: date
    delivered_on: date | None
    accepted_on: date | None
    agreed_days: int | None
    amount_due: str = Field(description="应付金额（万元）")
    amount_paid: str = Field(description="已付金额（万元）")
    debtor_check: str = Field(description="被投诉人规模核对：not_sme、sme、agency、unverified")
    debtor_check_label: str
    debtor_check_note: str
    debtor_check_citations: list[dict[str, Any]]
    result: str = Field(description="处理结果：confirmed 确认拖欠、not_confirmed 未确认拖欠")
    result_on: date | None
    figures: dict[str, Any] = Field(
        description="付款期限、收到投诉之日和今天的逾期天数与逾期利息（元），各附法规条款"
    )


class RecordOut(Schema):
    debtor_name: str
    debtor_type: str
    debtor_type_label: str
    debtor_uscc: str
    outstanding: str = Field(description="拖欠金额（万元）")
    number: str = Field(description="投诉编号")
    confirmed_on: date = Field(description="确认拖欠的日期")


class Problem(Schema):
    detail: str


def _details(request: HttpRequest, number: str) -> ArrearsComplaint:
    case = access.visible_case(request.user, number)
    details = ArrearsComplaint.objects.filter(case=case).first()
    if details is None:
        raise Http404("没有这个拖欠账款投诉")
    details.case = case
    return details


def _out(details: ArrearsComplaint) -> dict[str, Any]:
    case = details.case
    return {
        "number": case.number,
        "state": case.state,
        "state_label": case.state_label,
        "department": case.department.name,
        "accepting_department": details.accepting_department.name,
        "due_on": case.effective_due_on,
        "deadline": case.due_basis,
        "version": case.version,
        **{
            k: getattr(details, k)
            for k in (
                "debtor_name",
                "debtor_type",
                "debtor_uscc",
                "contract_signed",
                "delivered_on",
                "accepted_on",
                "agreed_days",
                "debtor_check",
                "debtor_check_note",
                "result",
                "result_on",
            )
        },
        "debtor_type_label": details.get_debtor_type_display(),
        "debtor_check_label": details.get_debtor_check_display(),
        "debtor_check_citations": details.debtor_check_basis,
        "amount_due": format(details.amount_due.normalize(), "f"),
        "amount_paid": format(details.amount_paid.normalize(), "f"),
        "figures": details.figures.to_dict(),
    }


@router.post("/", response={201: ArrearsOut}, summary="提交拖欠账款投诉（企业用户）")
def create(request: HttpRequest, payload: ArrearsIn) -> Any:
    claim = services.Claim(**payload.dict())
    case = services.submit(actor=request.user, claim=claim)
    return Status(201, _out(_details(request, case.number)))


@router.get("/records", response=list[RecordOut], summary="确认拖欠的记录（部门工作人员）")
@paginate(PageNumberPagination, page_size=50)
def records(request: HttpRequest) -> Any:
    if not authz.is_staff(request.user):
        raise PermissionDenied("拖欠账款记录只对部门工作人员和管理员开放")
    return [services.record_row(d) for d in services.records(request.user)]


@router.get("/{number}", response=ArrearsOut, summary="拖欠账款投诉的计算结果")
def detail(request: HttpRequest, number: str) -> Any:
    return _out(_details(request, number))


@router.post(
    "/{number}/transfer",
    response={200: ArrearsOut, 409: Problem},
    summary="转交处理投诉部门（受理投诉部门）",
)
def transfer(request: HttpRequest, number: str, payload: TransferIn) -> Any:
    details = _details(request, number)
    try:
        services.transfer(
            request.user,
            details.case,
            department=payload.department,
            expected_version=payload.version,
        )
    except cases.CaseConflict as exc:
        return Status(409, {"detail": str(exc)})
    return _out(_details(request, number))
