"""JSON API of 诉求 handling (mounted at /api/cases by huiqi.web.api). Same permissions and
the same identity protection as the pages (:mod:`huiqi.cases.access`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from huiqi.accounts import authz

from . import access, clock, services, stats
from .models import Attachment, Case

router = Router(tags=["诉求办理"])


class CaseIn(Schema):
    kind: str = Field(
        description="类型：complaint 投诉、report 举报、consultation 咨询、help 求助、suggestion 建议"
    )
    title: str = Field(description="标题")
    content: str = Field(description="内容")
    contact: str = Field("", description="联系方式（可选）")
    district: str = Field(
        "", description="所在地区的六位行政区划代码；企业名录中已有本企业时不需要"
    )


class TransitionIn(Schema):
    action: str = Field(
        description="操作，如 accept 受理、reject 不予受理、investigate 开始调查、reply 书面答复、close 办结、request_extension 申请延期、approve_extension 批准延期、deny_extension 不批准延期、rate 评价"
    )
    version: int = Field(description="操作所依据的版本号（详情中的 version）；版本已变化时返回 409")
    note: str = Field("", description="说明：不予受理的理由、答复书正文、延期理由、评价意见")
    rating: str = Field("", description="评价：good 好评、fair 中评、poor 差评（仅 rate）")


class _CaseFields(Schema):
    number: str = Field(description="编号")
    kind: str = Field(description="类型代码")
    kind_label: str = Field(description="类型")
    state: str = Field(description="状态代码")
    state_label: str = Field(description="状态")
    title: str = Field(description="标题")
    department: str = Field(description="办理部门")
    jurisdiction: str = Field(description="办理部门的行政区划代码")
    received_on: date = Field(description="收到日期")
    due_on: date = Field(description="答复期限（已批准延期的为延长后的期限）")
    version: int = Field(description="版本号")


class CaseRow(_CaseFields):
    @staticmethod
    def resolve_department(case: Case) -> str:
        return case.department.name

    @staticmethod
    def resolve_due_on(case: Case) -> date:
        return case.effective_due_on


class StepOut(Schema):
    seq: int
    at: datetime
    action: str
    label: str = Field(description="操作")
    actor: str = Field(description="操作人；受保护的举报人显示为“已保护”")
    from_state: str
    to_state: str
    note: str
    data: dict[str, Any]


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: datetime
    downloadable: bool = Field(description="调用者可否下载")


class CaseOut(_CaseFields):
    content: str
    anonymous: bool
    complainant: dict[str, Any] = Field(description="提交人；受保护时各项为“已保护”")
    received_at: datetime
    original_due_on: date = Field(description="原答复期限")
    extended_due_on: date | None
    extension_pending: bool
    deadline: dict[str, Any] = Field(description="期限的计算和引用的法规条款")
    deadline_explanation: str
    working_days_left: int | None = Field(description="含今天剩余的工作日；期限不再计算时为空")
    reply: str
    replied_at: datetime | None
    closed_at: datetime | None
    satisfaction: str
    satisfaction_comment: str
    events: list[StepOut]
    attachments: list[AttachmentOut]


class Figures(Schema):
    today: date
    total: int
    by_state: list[dict[str, Any]] = Field(description="按状态统计")
    by_type: list[dict[str, Any]] = Field(description="按类型统计")
    replied: int
    on_time: int
    late: int = Field(description="逾期答复和逾期未答复的件数")
    on_time_rate: float | None = Field(description="按期答复率（0–1）")
    average_working_days: float | None = Field(description="平均办理时间（工作日）")
    overdue: list[dict[str, Any]] = Field(description="逾期未答复的诉求")


class Problem(Schema):
    detail: str


def _out(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    return {
        **{
            k: getattr(case, k)
            for k in (
                "number",
                "kind",
                "kind_label",
                "state",
                "state_label",
                "title",
                "jurisdiction",
                "received_on",
                "version",
                "content",
                "anonymous",
                "received_at",
                "extended_due_on",
                "extension_pending",
                "reply",
                "replied_at",
                "closed_at",
                "satisfaction",
                "satisfaction_comment",
            )
        },
        "department": case.department.name,
        "due_on": case.effective_due_on,
        "original_due_on": case.due_on,
        "complainant": access.complainant(user, case).to_dict(),
        "deadline": case.due_basis,
        "deadline_explanation": case.due_explanation,
        "working_days_left": clock.working_days_left(today, case.effective_due_on)
        if case.clock_running
        else None,
        "events": [step.__dict__ for step in access.history(user, case)],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "downloadable": access.can_download(user, a),
            }
            for a in Attachment.objects.filter(case=case).select_related("case", "event")
        ],
    }


@router.get("/", response=list[CaseRow], summary="诉求列表（调用者可见的）")
@paginate(PageNumberPagination, page_size=50)
def list_cases(request: HttpRequest, state: str = "", kind: str = "", due: str = "") -> Any:
    cases = Case.objects.visible_to(request.user).select_related("department")
    if state:
        cases = cases.filter(state=state)
    if kind:
        cases = cases.filter(kind=kind)
    if due == "overdue":
        cases = cases.filter(clock.overdue(timezone.localdate()))
    elif due == "soon":
        cases = cases.filter(clock.running(), due_soon_on__isnull=False).exclude(
            clock.overdue(timezone.localdate())
        )
    return cases.order_by("due_on", "pk")


@router.get("/dashboard", response=Figures, summary="本部门诉求统计")
def dashboard(request: HttpRequest) -> Any:
    if not authz.is_staff(request.user):
        raise PermissionDenied("只有部门工作人员和管理员可以查看诉求统计")
    return stats.figures(stats.department_cases(request.user)).to_dict()


@router.post("/", response={201: CaseOut}, summary="提交诉求（企业用户）")
def create(request: HttpRequest, payload: CaseIn) -> Any:
    case = services.submit(
        actor=request.user,
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        contact=payload.contact,
        district=payload.district,
    )
    return Status(201, _out(request, case))


@router.get("/{number}", response=CaseOut, summary="诉求详情")
def detail(request: HttpRequest, number: str) -> Any:
    return _out(request, access.visible_case(request.user, number))


@router.post(
    "/{number}/transitions",
    response={200: CaseOut, 409: Problem},
    summary="办理操作（受理、答复、办结、延期、评价…）",
)
def transition(request: HttpRequest, number: str, payload: TransitionIn) -> Any:
    case = access.visible_case(request.user, number)
    try:
        case = services.transition(
            request.user,
            case,
            payload.action,
            expected_version=payload.version,
            note=payload.note,
            data={"rating": payload.rating},
        )
    except services.CaseConflict as exc:
        return Status(409, {"detail": str(exc)})
    return _out(request, access.visible_case(request.user, case.number))


@router.get("/{number}/attachments/{pk}", summary="下载附件（有权限者）")
def attachment(request: HttpRequest, number: str, pk: int) -> Any:
    return access.attachment_response(request.user, number, pk)
