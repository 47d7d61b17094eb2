"""Applications (申报) for 惠企政策 in 申报 and 直达快享 mode: the facts the enterprise gave,
the eligibility computed from them with the policy version it was computed from, and — once
submitted — the case of :mod:`huiqi.cases` that carries the state, the deadline and the
append-only history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from huiqi.cases.models import Case
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyVersion

DRAFT = "draft"
DRAFT_LABEL = "草稿"


class Application(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="applications"
    )
    version = models.ForeignKey(
        PolicyVersion,
        verbose_name="政策版本",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    content_hash = models.CharField(
        "政策内容指纹", max_length=16, help_text="申报时政策版本的内容指纹。"
    )
    mode = models.CharField("兑现方式", max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("保存时间")
    facts_given = models.JSONField(
        "企业填报的信息", default=dict, blank=True, help_text="平台没有掌握、由企业填报的事实。"
    )
    facts_held = models.JSONField(
        "平台已掌握的信息",
        default=dict,
        blank=True,
        help_text="提交时企业名录中的事实（政府部门共享数据），不要求企业重复提供。",
    )
    confirmed = models.BooleanField("企业已确认预填信息", default=False)
    eligibility = models.JSONField(
        "资格判断", default=dict, blank=True, help_text="提交时按政策条件计算的结果和理由。"
    )
    eligibility_status = models.CharField("资格判断结论", max_length=20, blank=True)
    case = models.OneToOneField(
        Case,
        verbose_name="办理事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    amount = models.DecimalField(
        "兑现金额（万元）", max_digits=14, decimal_places=4, null=True, blank=True
    )
    redeemed_on = models.DateField("兑现日期", null=True, blank=True)

    class Meta:
        verbose_name = "政策申报"
        verbose_name_plural = "政策申报"
        ordering = ("-updated_at", "-id")

    def __str__(self) -> str:
        return f"{self.number or '草稿'} {self.version.title}"

    @property
    def number(self) -> str:
        return self.case.number if self.case_id else ""

    @property
    def state(self) -> str:
        return self.case.state if self.case_id else DRAFT

    @property
    def state_label(self) -> str:
        return self.case.state_label if self.case_id else DRAFT_LABEL

    @property
    def is_draft(self) -> bool:
        return self.case_id is None

    def to_summary(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "number": self.number,
            "state": self.state,
            "state_label": self.state_label,
            "policy": self.version.record.slug,
            "policy_version": self.version.number,
            "title": self.version.title,
        }
