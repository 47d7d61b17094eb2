"""Cases (投诉、举报、咨询、求助、建议 …), their append-only history, attachments, the
supervisors who approve extensions, and the reminders of the deadline clock."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from huiqi.accounts.models import Department
from huiqi.accounts.validators import validate_division
from huiqi.enterprises.models import Enterprise

from . import machine


class Satisfaction(models.TextChoices):
    GOOD = "good", "好评"
    FAIR = "fair", "中评"
    POOR = "poor", "差评"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """The cases ``user`` may see (:func:`huiqi.cases.access.case_scope`)."""
        from .access import case_scope

        return self.filter(case_scope(user))


class Case(models.Model):
    number = models.CharField("编号", max_length=20, unique=True, help_text="如 TS-2025-000123。")
    kind = models.CharField("类型", max_length=20, help_text="投诉、举报、咨询、求助、建议等。")
    state = models.CharField("状态", max_length=30)
    jurisdiction = models.CharField(
        "行政区划",
        max_length=6,
        validators=[validate_division],
        help_text="办理部门的六位行政区划代码；答复期限按该地区的规定计算。",
    )
    department = models.ForeignKey(
        Department, verbose_name="办理部门", on_delete=models.PROTECT, related_name="cases"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymous = models.BooleanField("匿名", default=False)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    subject_district = models.CharField(
        "事项所在地区", max_length=6, blank=True, validators=[validate_division]
    )
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    received_at = models.DateTimeField("收到时间")
    received_on = models.DateField("收到日期", help_text="北京时间的日期；期限自次日起算。")
    due_on = models.DateField("答复期限")
    due_basis = models.JSONField("期限依据", help_text="期限的计算结果和引用的法规条款。")
    due_explanation = models.TextField("期限说明", blank=True)
    extended_due_on = models.DateField("延长后的期限", null=True, blank=True)
    extension_pending = models.BooleanField("延期待批准", default=False)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    reply = models.TextField("答复书", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    due_soon_on = models.DateField("提示即将到期的日期", null=True, blank=True)
    overdue_on = models.DateField("标记逾期的日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    satisfaction = models.CharField(
        "满意度", max_length=10, choices=Satisfaction.choices, blank=True
    )
    satisfaction_comment = models.TextField("评价意见", blank=True)
    receipt_digest = models.CharField("查询码摘要", max_length=64, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ("-received_at", "-id")
        indexes = (
            models.Index(fields=("department", "state")),
            models.Index(fields=("jurisdiction",)),
        )

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def case_type(self) -> machine.CaseType:
        return machine.case_type(self.kind)

    @property
    def kind_label(self) -> str:
        return self.case_type.label

    @property
    def state_label(self) -> str:
        return machine.state_label(self.kind, self.state)

    @property
    def effective_due_on(self):
        return self.extended_due_on or self.due_on

    @property
    def clock_running(self) -> bool:
        return self.case_type.machine.state(self.state).clock


class AppendOnly(Exception):
    """A case event was to be changed or deleted."""


class CaseEvent(models.Model):
    """One step of a case's history. Append-only: the model refuses to save an existing row
    or delete one, and the database refuses UPDATE and DELETE (triggers, migration 0002)."""

    case = models.ForeignKey(
        Case, verbose_name="诉求", on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField("序号")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示系统（期限提醒）或匿名举报人。",
    )
    actor_name = models.CharField("操作人用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ("case", "seq")
        constraints = (models.UniqueConstraint(fields=("case", "seq"), name="case_event_seq"),)

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("办理记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("办理记录只能追加，不能删除")


class Attachment(models.Model):
    """A file of a case, kept under ``MEDIA_ROOT/cases`` (never served statically)."""

    case = models.ForeignKey(
        Case, verbose_name="诉求", on_delete=models.PROTECT, related_name="attachments"
    )
    event = models.ForeignKey(
        CaseEvent, verbose_name="办理记录", on_delete=models.PROTECT, related_name="attachments"
    )
    path = models.CharField("存储路径", max_length=200, editable=False)
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return self.name


class CaseSupervisor(models.Model):
    """A supervisor (负责人) of a department: approves extensions, receives escalations."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="本部门的工作人员。",
    )

    class Meta:
        verbose_name = "诉求办理负责人"
        verbose_name_plural = "诉求办理负责人"
        constraints = (
            models.UniqueConstraint(fields=("department", "user"), name="case_supervisor_unique"),
        )

    def __str__(self) -> str:
        return f"{self.department.name}：{self.user.get_username()}"

    def clean(self) -> None:
        if self.user_id and self.user.department_id != self.department_id:
            raise ValidationError({"user": "负责人必须是本部门的工作人员"})


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    ESCALATED = "escalated", "逾期督办"


class Reminder(models.Model):
    """A notice of the deadline clock to one official, sent once per case and kind."""

    case = models.ForeignKey(
        Case, verbose_name="诉求", on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        related_name="case_reminders",
    )
    kind = models.CharField("提醒", max_length=20, choices=ReminderKind.choices)
    on = models.DateField("日期")
    message = models.TextField("内容")
    created_at = models.DateTimeField("发送时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=("case", "user", "kind"), name="case_reminder_once"),
        )

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


class CaseSequence(models.Model):
    """The last number given per prefix and year: TS-2025-000123."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("prefix", "year"), name="case_sequence_unique"),
        )
