"""Registry import jobs: an administrator queues one (the web request stops there); a
background thread (:mod:`huiqi.console.executor`) or the ``import_registry`` management
command runs it through :func:`huiqi.enterprises.services.import_registry` and records the
report: counts, and the rejected rows as a CSV file an official can open in Excel.

Each change of a job is one transaction with its audit entry; the registry's own changes are
audited by the import, in its transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.audit import services as audit
from huiqi.audit.models import Action
from huiqi.enterprises.errors import RegistryFileError
from huiqi.enterprises.reading import format_of, read_table
from huiqi.enterprises.services import ImportReport, import_registry, write_rejections
from huiqi.errors import UserError

from . import progress
from .models import ImportJob, ImportMode, ImportStage, ImportStatus

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""The largest file accepted for import (about 250,000 rows of CSV)."""
REJECTIONS_SHOWN = 200
"""Rejected rows listed on the job's page; the CSV report has them all."""

_SAVE_EVERY = 0.5  # seconds between two saves of the progress
_AUDITED = ("original_name", "format", "mode", "status", "requested_by")
_COUNTS = (
    "rows",
    "applied",
    "enterprises_created",
    "enterprises_updated",
    "yearly_facts_created",
    "yearly_facts_updated",
    "qualifications_created",
    "qualifications_updated",
    "rejected_rows",
    "rejections",
)

OnProgress = Callable[[str, int, int], None]
"""``on_progress(stage, done, total)``: a stage of :class:`ImportStage`, rows done in it."""


class ImportJobError(UserError):
    """A job that cannot be run as asked (already run)."""


def check_upload(file: File) -> str:
    """The format (``csv`` or ``xlsx``) of an uploaded registry file, after checking its size
    and content; :class:`RegistryFileError` with the reason in Chinese otherwise."""
    fmt = format_of(file.name or "")
    if file.size == 0:
        raise RegistryFileError("文件是空的")
    if file.size > MAX_UPLOAD_BYTES:
        raise RegistryFileError(
            f"文件过大（{file.size / 1024 / 1024:.1f} MB）：单个文件不超过 "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入"
        )
    file.seek(0)
    try:
        if fmt == "xlsx":
            if not zipfile.is_zipfile(file):
                raise RegistryFileError(
                    "文件不是有效的 Excel（.xlsx）文件：请在 Excel 中另存为“Excel 工作簿（*.xlsx）”"
                )
            file.seek(0)
        elif b"\x00" in file.read(64 * 1024):
            raise RegistryFileError(
                "文件含有二进制内容，不是 CSV 文本文件：请保存为 UTF-8 或 GB18030 编码的 CSV"
            )
        file.seek(0)
        read_table(file, fmt)  # the encoding, the workbook and the header row
    finally:
        file.seek(0)
    return fmt


def queue_import(*, actor: Any, file: File, mode: str = ImportMode.ALL_OR_NOTHING) -> ImportJob:
    """Keep an uploaded registry file and queue its import (administrators only; ``actor``
    None is the system). The caller starts it: :func:`huiqi.console.executor.submit`."""
    if actor is not None and not authz.can_import_registry(actor):
        raise PermissionDenied("只有管理员可以导入企业名录")
    fmt = check_upload(file)
    mode = ImportMode(mode)
    name = PurePath(file.name or "").name[:255]
    job = ImportJob(original_name=name, format=fmt, mode=mode, requested_by=actor)
    job.file.save(name, file, save=False)
    try:
        with transaction.atomic():
            job.save()
            after = audit.snapshot(job, _AUDITED)
            audit.record([audit.entry(actor, Action.CREATE, job, None, after)])
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def run_import(job_id: int, *, on_progress: OnProgress | None = None) -> ImportJob:
    """Run a queued import; returns the job as finished (done or failed, with the reason)."""
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        raise ImportJobError(f"导入任务 #{job.pk} 已{job.get_status_display()}，不能再次执行")
    _change(job, status=ImportStatus.RUNNING, started_at=timezone.now())
    recorder = _Recorder(job.pk, on_progress)
    try:
        with open(job.file.path, "rb") as data:
            report = import_registry(
                data,
                actor=job.requested_by,
                mode=job.mode,
                format=job.format,
                progress=recorder,
            )
    except (RegistryFileError, PermissionDenied) as exc:
        _finish(job, recorder, None, str(exc))
    except Exception as exc:
        logger.exception("registry import job %s failed", job.pk)
        _finish(
            job, recorder, None, f"导入时发生内部错误（{type(exc).__name__}），请联系系统管理员"
        )
    else:
        _finish(job, recorder, report, "")
    finally:
        progress.forget(job.pk)
    return job


@dataclass
class _Recorder:
    """The ``progress`` of the import: published for the pages of this process, saved on the
    job when no transaction is open (while validating), and passed on."""

    job_id: int
    also: OnProgress | None
    stage: str = ImportStage.VALIDATING
    done: int = 0
    total: int = 0
    _saved_at: float = 0.0

    def __call__(self, done: int, total: int) -> None:
        stage, self.done, self.total = self.stage, done, total
        progress.publish(self.job_id, stage, done, total)
        if self.also is not None:
            self.also(stage, done, total)
        now = time.monotonic()
        if not transaction.get_connection().in_atomic_block and (
            done == total or now - self._saved_at >= _SAVE_EVERY
        ):
            ImportJob.objects.filter(pk=self.job_id).update(
                stage=stage, rows_done=done, rows_total=total
            )
            self._saved_at = now
        if stage == ImportStage.VALIDATING and done == total:
            self.stage = ImportStage.STORING


def _finish(job: ImportJob, recorder: _Recorder, report: ImportReport | None, error: str) -> None:
    fields: dict[str, Any] = {
        "status": ImportStatus.FAILED if report is None else ImportStatus.DONE,
        "finished_at": timezone.now(),
        "error": error,
    }
    if recorder.done or recorder.total:
        stage = ImportStage.STORING if report is not None and report.applied else recorder.stage
        fields |= {"stage": stage, "rows_done": recorder.done, "rows_total": recorder.total}
    if report is not None:
        fields |= {
            "rows": report.rows,
            "applied": report.applied,
            "enterprises_created": report.enterprises.created,
            "enterprises_updated": report.enterprises.updated,
            "yearly_facts_created": report.yearly_facts.created,
            "yearly_facts_updated": report.yearly_facts.updated,
            "qualifications_created": report.qualifications.created,
            "qualifications_updated": report.qualifications.updated,
            "rejected_rows": len({r.row for r in report.rejections}),
            "rejections": len(report.rejections),
        }
        if report.rejections:
            out = io.StringIO()
            write_rejections(report.rejections, out)
            name = f"{PurePath(job.file.name).stem}.rejections.csv"
            job.rejections_file.save(
                name, ContentFile(out.getvalue().encode("utf-8-sig")), save=False
            )
    _change(job, **fields)


def _change(job: ImportJob, **fields: Any) -> None:
    """Set fields of a job and audit the change, in one transaction."""
    audited = [n for n in (*_AUDITED, *_COUNTS, "error") if n in fields]
    with transaction.atomic():
        before = audit.snapshot(job, audited)
        for name, value in fields.items():
            setattr(job, name, value)
        job.save()
        after = audit.snapshot(job, audited)
        audit.record([audit.entry(None, Action.UPDATE, job, before, after)])


@dataclass(frozen=True)
class ShownRejection:
    row: str
    column: str
    reason: str


def first_rejections(job: ImportJob, limit: int = REJECTIONS_SHOWN) -> list[ShownRejection]:
    """The first rejected rows of a job's report (行号, 列, 原因)."""
    if not job.rejections_file:
        return []
    with job.rejections_file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        rows = csv.reader(text)
        next(rows, None)
        return [ShownRejection(*row) for row in islice(rows, limit)]
