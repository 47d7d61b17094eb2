"""Registry imports run as jobs off the web request, with their progress and their report.

An administrator uploads a CSV or Excel file (:func:`huiqi.console.services.queue_import`);
the file is kept under ``MEDIA_ROOT/imports`` with a random name (never served), and a job
runs the import (:func:`huiqi.enterprises.services.import_registry`) in the background, so the
page shows its progress and, at the end, the counts and the rejected rows (行号, 列, 原因).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.enterprises.services import Mode


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = Mode.ALL_OR_NOTHING.value, "整体导入"
    ROW_BY_ROW = Mode.ROW_BY_ROW.value, "逐行导入"


class ImportStage(models.TextChoices):
    VALIDATING = "validating", "校验"
    STORING = "storing", "写入"


def _upload_to(job: ImportJob, filename: str) -> str:
    """A random name under ``imports/``, keeping only the (checked) extension."""
    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ImportJobQuerySet:
        """An administrator sees every import; anyone else only the imports they requested."""
        if authz.is_administrator(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(requested_by=user)


class ImportJob(models.Model):
    """One import of a registry file: queued, run in the background, with its report."""

    file = models.FileField(
        "上传文件", upload_to=_upload_to, max_length=200, help_text="保存在网站目录之外。"
    )
    original_name = models.CharField("原文件名", max_length=255)
    format = models.CharField("格式", max_length=4, help_text="csv 或 xlsx。")
    mode = models.CharField(
        "导入方式", max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    status = models.CharField(
        "状态",
        max_length=8,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
        db_index=True,
    )
    stage = models.CharField(
        "阶段", max_length=10, choices=ImportStage.choices, default=ImportStage.VALIDATING
    )
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    applied = models.BooleanField("已写入", default=False, help_text="文件中的有效行已写入名录。")
    rows = models.PositiveIntegerField("数据行数", default=0)
    enterprises_created = models.PositiveIntegerField("新增企业", default=0)
    enterprises_updated = models.PositiveIntegerField("更新企业", default=0)
    yearly_facts_created = models.PositiveIntegerField("新增年度数据", default=0)
    yearly_facts_updated = models.PositiveIntegerField("更新年度数据", default=0)
    qualifications_created = models.PositiveIntegerField("新增资质", default=0)
    qualifications_updated = models.PositiveIntegerField("更新资质", default=0)
    rejected_rows = models.PositiveIntegerField("被拒行数", default=0)
    rejections = models.PositiveIntegerField("被拒原因条数", default=0)
    rejections_file = models.FileField(
        "被拒行报告",
        upload_to="imports/",
        max_length=200,
        blank=True,
        help_text="CSV（行号, 列, 原因），UTF-8 带 BOM，与上传文件放在一起。",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="为空表示系统（命令行导入）。",
    )
    requested_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "名录导入"
        verbose_name_plural = "名录导入"
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"导入 #{self.pk}（{self.original_name}，{self.get_status_display()}）"

    @property
    def active(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def seconds(self) -> float | None:
        """How long the job ran, once it has finished."""
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def changed(self) -> int:
        """Records created or updated."""
        return (
            self.enterprises_created
            + self.enterprises_updated
            + self.yearly_facts_created
            + self.yearly_facts_updated
            + self.qualifications_created
            + self.qualifications_updated
        )

    def current(self) -> tuple[str, int, int]:
        """The stage, rows done and rows in it: live from the process running the job when it
        runs here, else as last saved."""
        from .progress import live

        return live(self.pk) or (self.stage, self.rows_done, self.rows_total)
