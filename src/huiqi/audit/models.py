"""One audit entry per changed object."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"


class AuditEntryQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> AuditEntryQuerySet:
        """The entries of one object, oldest first."""
        return self.filter(target=obj._meta.label_lower, target_id=str(obj.pk)).order_by("id")


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="为空表示系统操作（如命令行导入）。",
    )
    actor_name = models.CharField(
        "操作人用户名", max_length=150, blank=True, help_text="操作时的用户名，账户删除后仍保留。"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    target = models.CharField(
        "对象类型", max_length=100, db_index=True, help_text="如 enterprises.enterprise。"
    )
    target_id = models.CharField("对象标识", max_length=64, db_index=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField(
        "修改前", null=True, blank=True, encoder=DjangoJSONEncoder, help_text="新增时为空。"
    )
    after = models.JSONField(
        "修改后", null=True, blank=True, encoder=DjangoJSONEncoder, help_text="删除时为空。"
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '系统'} {self.get_action_display()} {self.target_repr}"
