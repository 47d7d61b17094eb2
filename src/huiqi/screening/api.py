"""JSON API of 免申即享 (mounted at /api/screenings by huiqi.web.api): officials queue runs
and follow them; an enterprise reads its notices and benefits. Same permissions as the
pages: officials see the runs of their jurisdiction, an enterprise only its own notices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from huiqi.policies.models import PolicyVersion

from . import services
from .models import Entitlement, Notice, ScreeningRun

router = Router(tags=["免申即享"])


class RunIn(Schema):
    policy: str | None = Field(
        None, description="政策编号（如 cc-zjtx-support），筛查其已发布版本；为空表示全部适用政策"
    )
    on: date | None = Field(None, description="筛查日期，默认今天")


class PolicyCounts(Schema):
    policy: str = Field(description="政策编号")
    version: int = Field(description="政策版本号")
    title: str = Field(description="政策名称")
    mode: str = Field(description="兑现方式：auto_grant 免申即享、fast_track 直达快享、apply 申报")
    eligible: int = Field(description="符合的企业数")
    possibly: int = Field(description="可能符合的企业数")
    not_eligible: int = Field(description="不符合的企业数")
    granted_new: int = Field(description="本次新发放的免申即享待遇数")
    notices_new: int = Field(description="本次新推送的消息数")


class RunOut(Schema):
    id: int
    status: str = Field(description="queued 排队中、running 筛查中、done 已完成、failed 失败")
    status_label: str = Field(description="状态（中文）")
    policy: str | None = Field(description="筛查的政策编号；为空表示全部适用政策")
    policy_version: int | None = Field(description="筛查的政策版本号")
    jurisdiction: str = Field(description="筛查范围的行政区划代码；为空表示全部企业")
    on: date = Field(description="筛查日期")
    progress_done: int = Field(description="已筛查政策数")
    progress_total: int = Field(description="待筛查政策数")
    percent: int = Field(description="进度（百分比）")
    enterprises: int = Field(description="筛查范围内企业数")
    counts: list[PolicyCounts] = Field(description="每项政策版本的结果统计")
    skipped: list[str] = Field(description="因筛查日期不在申报期或有效期内而未筛查的政策编号")
    rule_set_version: str = Field(description="规则集版本：所筛查政策版本内容指纹的摘要")
    requested_by: str | None = Field(description="发起人；为空表示系统")
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None = Field(description="用时（秒）")
    error: str = Field(description="失败原因")

    @staticmethod
    def resolve_status_label(run: ScreeningRun) -> str:
        return run.get_status_display()

    @staticmethod
    def resolve_policy(run: ScreeningRun) -> str | None:
        return run.policy_version.record.slug if run.policy_version else None

    @staticmethod
    def resolve_policy_version(run: ScreeningRun) -> int | None:
        return run.policy_version.number if run.policy_version else None

    @staticmethod
    def resolve_counts(run: ScreeningRun) -> list[dict[str, Any]]:
        versions = PolicyVersion.objects.select_related("record").in_bulk(
            [int(pk) for pk in run.counts]
        )
        return [
            {
                "policy": versions[int(pk)].record.slug,
                "version": versions[int(pk)].number,
                "title": versions[int(pk)].title,
                "mode": versions[int(pk)].mode,
                **counts,
            }
            for pk, counts in run.counts.items()
        ]

    @staticmethod
    def resolve_skipped(run: ScreeningRun) -> list[str]:
        versions = PolicyVersion.objects.filter(pk__in=run.skipped).select_related("record")
        return [v.record.slug for v in versions]

    @staticmethod
    def resolve_requested_by(run: ScreeningRun) -> str | None:
        return run.requested_by.get_username() if run.requested_by else None

    @staticmethod
    def resolve_duration_seconds(run: ScreeningRun) -> float | None:
        return run.duration.total_seconds() if run.duration else None


class NoticeOut(Schema):
    id: int
    policy: str = Field(description="政策编号")
    version: int = Field(description="政策版本号")
    title: str = Field(description="政策名称")
    eligibility: str = Field(description="eligible 符合、possibly 可能符合")
    eligibility_label: str
    reasons: dict[str, Any] = Field(
        description="原因：各项条件的判断（conditions）、需补充的数据（to_provide）、"
        "部门通过数据共享获取的数据（to_obtain）、下一步（next_step）和法规依据（citations）"
    )
    created_at: datetime = Field(description="推送时间")
    read_at: datetime | None = Field(description="阅读时间；为空表示未读")

    @staticmethod
    def resolve_policy(notice: Notice) -> str:
        return notice.policy_version.record.slug

    @staticmethod
    def resolve_version(notice: Notice) -> int:
        return notice.policy_version.number

    @staticmethod
    def resolve_title(notice: Notice) -> str:
        return notice.policy_version.title

    @staticmethod
    def resolve_eligibility_label(notice: Notice) -> str:
        return notice.get_eligibility_display()


class EntitlementOut(Schema):
    id: int
    policy: str = Field(description="政策编号")
    version: int = Field(description="政策版本号")
    title: str = Field(description="政策名称")
    amount: str | None = Field(description="预计金额（万元）；为空表示政策未规定金额")
    status: str = Field(description="granted 已发放")
    granted_at: datetime = Field(description="发放时间")
    run: int = Field(description="发放该待遇的筛查编号", alias="run_id")

    @staticmethod
    def resolve_policy(entitlement: Entitlement) -> str:
        return entitlement.policy_version.record.slug

    @staticmethod
    def resolve_version(entitlement: Entitlement) -> int:
        return entitlement.policy_version.number

    @staticmethod
    def resolve_title(entitlement: Entitlement) -> str:
        return entitlement.policy_version.title

    @staticmethod
    def resolve_amount(entitlement: Entitlement) -> str | None:
        amount = entitlement.amount
        return None if amount is None else format(amount.normalize(), "f")


def _runs(request: HttpRequest) -> Any:
    services.check_staff(request.user)
    return ScreeningRun.objects.visible_to(request.user).select_related(
        "policy_version__record", "requested_by"
    )


@router.post("", response={201: RunOut}, summary="发起免申即享筛查（加入队列，由后台任务执行）")
def request_run(request: HttpRequest, payload: RunIn) -> Status[ScreeningRun]:
    services.check_staff(request.user)
    version = None
    if payload.policy:
        version = PolicyVersion.objects.published().filter(record__slug=payload.policy).first()
        if version is None:
            raise ValidationError({"policy": f"没有编号为“{payload.policy}”的已发布政策"})
    return Status(201, services.request_run(request.user, version, payload.on))


@router.get("", response=list[RunOut], summary="筛查记录（本辖区，最新在前）")
@paginate(PageNumberPagination, page_size=20)
def list_runs(request: HttpRequest) -> Any:
    return _runs(request)


@router.get("/inbox", response=list[NoticeOut], summary="本企业收到的政策推送（最新在前）")
@paginate(PageNumberPagination, page_size=20)
def inbox(request: HttpRequest) -> Any:
    services.check_enterprise(request.user)
    return Notice.objects.of_user(request.user).select_related("policy_version__record")


@router.post("/inbox/{int:notice_id}/read", response=NoticeOut, summary="标为已读")
def mark_read(request: HttpRequest, notice_id: int) -> Notice:
    services.check_enterprise(request.user)
    notice = get_object_or_404(Notice.objects.of_user(request.user), pk=notice_id)
    return services.mark_read(request.user, notice)


@router.get("/entitlements", response=list[EntitlementOut], summary="本企业的免申即享待遇")
@paginate(PageNumberPagination, page_size=20)
def entitlements(request: HttpRequest) -> Any:
    services.check_enterprise(request.user)
    return Entitlement.objects.of_user(request.user).select_related("policy_version__record")


@router.get("/{int:run_id}", response=RunOut, summary="一次筛查的进度和结果统计")
def get_run(request: HttpRequest, run_id: int) -> ScreeningRun:
    try:
        return _runs(request).get(pk=run_id)
    except ScreeningRun.DoesNotExist:
        raise Http404("未找到该筛查") from None
