"""JSON API of the console (mounted at /api/console by huiqi.web.api): registry imports and
the audit log, with the pages' permissions — administrators import; a job is seen by its
requester and administrators; the audit log by administrators (all) and officials (their
department's entries)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from huiqi.accounts import authz
from huiqi.audit.models import AuditEntry

from . import auditlog, executor, services
from .forms import AuditFilterForm, ImportForm
from .models import ImportJob, ImportMode

router = Router(tags=["工作台"])


class ImportJobOut(Schema):
    id: int
    file: str = Field(description="上传的原文件名", alias="original_name")
    format: str = Field(description="csv 或 xlsx")
    mode: str = Field(description="all_or_nothing 整体导入、row_by_row 逐行导入")
    status: str = Field(description="queued 排队中、running 导入中、done 已完成、failed 失败")
    status_label: str = Field(description="状态（中文）")
    stage: str = Field(description="当前阶段：validating 校验、storing 写入")
    rows_done: int = Field(description="当前阶段已处理的行数")
    rows_total: int = Field(description="当前阶段的总行数")
    applied: bool = Field(description="是否已写入名录（整体导入有被拒行时为否）")
    rows: int = Field(description="文件中的数据行数")
    enterprises_created: int
    enterprises_updated: int
    yearly_facts_created: int
    yearly_facts_updated: int
    qualifications_created: int
    qualifications_updated: int
    rejected_rows: int = Field(description="被拒的行数")
    rejections: int = Field(description="被拒原因的条数（一行可有多条）")
    rejections_url: str | None = Field(description="被拒行报告（CSV）的地址；没有被拒行时为空")
    requested_by: str | None = Field(description="发起人；为空表示系统")
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str = Field(description="失败原因")

    @staticmethod
    def resolve_status_label(job: ImportJob) -> str:
        return job.get_status_display()

    @staticmethod
    def resolve_stage(job: ImportJob) -> str:
        return job.current()[0]

    @staticmethod
    def resolve_rows_done(job: ImportJob) -> int:
        return job.current()[1]

    @staticmethod
    def resolve_rows_total(job: ImportJob) -> int:
        return job.current()[2]

    @staticmethod
    def resolve_rejections_url(job: ImportJob) -> str | None:
        if not job.rejections_file:
            return None
        return f"/api/console/imports/{job.pk}/rejections"

    @staticmethod
    def resolve_requested_by(job: ImportJob) -> str | None:
        return job.requested_by.get_username() if job.requested_by else None


class AuditEntryOut(Schema):
    id: int
    at: datetime = Field(description="时间")
    actor: str | None = Field(description="操作人用户名；为空表示系统", alias="actor_name")
    action: str = Field(description="create 新增、update 修改、delete 删除")
    target: str = Field(description="对象类型，如 enterprises.enterprise")
    target_id: str = Field(description="对象标识")
    target_repr: str = Field(description="对象")
    before: dict[str, Any] | None = Field(description="修改前的值；新增时为空")
    after: dict[str, Any] | None = Field(description="修改后的值；删除时为空")

    @staticmethod
    def resolve_actor(entry: AuditEntry) -> str | None:
        return entry.actor_name or None


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    job = (
        ImportJob.objects.visible_to(request.user)
        .select_related("requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise Http404("没有这个导入任务")
    return job


@router.post(
    "/imports",
    response={202: ImportJobOut},
    summary="上传企业名录文件并排队导入（管理员；导入在后台进行）",
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    mode: Form[str] = ImportMode.ALL_OR_NOTHING.value,
) -> Status[ImportJob]:
    if not authz.can_import_registry(request.user):
        raise PermissionDenied("只有管理员可以导入企业名录")
    form = ImportForm(data={"mode": mode}, files={"file": file})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    job = services.queue_import(
        actor=request.user, file=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
    )
    executor.submit(job.pk)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/imports/{int:job_id}", response=ImportJobOut, summary="导入任务的进度和结果")
def get_import(request: HttpRequest, job_id: int) -> ImportJob:
    return _job(request, job_id)


@router.get(
    "/imports/{int:job_id}/rejections",
    summary="被拒行报告（CSV：行号, 列, 原因；UTF-8 带 BOM）",
    response={200: None},
)
def get_rejections(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if not job.rejections_file:
        raise Http404("该导入没有被拒的行")
    with job.rejections_file.open("rb") as data:
        response = HttpResponse(data.read(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejections.csv"'
    return response


@router.get("/audit", response=list[AuditEntryOut], summary="审计日志（最新在前）")
@paginate(PageNumberPagination, page_size=50)
def list_audit(
    request: HttpRequest,
    actor: str = "",
    target: str = "",
    action: str = "",
    date_from: str = "",
    date_to: str = "",
) -> Any:
    entries = auditlog.visible_entries(request.user)
    if entries is None:
        raise PermissionDenied("只有管理员和部门工作人员可以查看审计日志")
    form = AuditFilterForm(
        data={
            "actor": actor,
            "target": target,
            "action": action,
            "date_from": date_from,
            "date_to": date_to,
        },
        targets=auditlog.target_types(),
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return auditlog.filtered(entries, **form.cleaned_data)
