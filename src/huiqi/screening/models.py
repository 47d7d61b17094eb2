"""免申即享 runs, the benefits they grant and the notices they push (长春 条例 第三十五条).

A :class:`ScreeningRun` screens the registry against one published policy version, or all
those that apply in its jurisdiction, on a screening date. Eligible enterprises of a 免申即享
policy get an :class:`Entitlement` without applying (第三十五条第三款); eligible and possibly
eligible enterprises of every policy get a :class:`Notice` saying why (第三十五条第二款:
精准推送). Both are unique per enterprise and policy version: a re-run adds nothing, a new
version of a policy may grant and notify again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyVersion


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "筛查中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ScreeningRunQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ScreeningRunQuerySet:
        """The runs ``user`` may see: an administrator all; an official those whose
        jurisdiction lies within their department's; anyone else none."""
        if authz.is_administrator(user):
            return self
        prefix = authz.official_prefix(user)
        if prefix is None:
            return self.none()
        return self.filter(jurisdiction__startswith=prefix)


class ScreeningRun(models.Model):
    """One screening of the registry on a date (长春 条例 第三十五条第三款: 免申即享)."""

    policy_version = models.ForeignKey(
        PolicyVersion,
        verbose_name="政策版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_runs",
        help_text="筛查的政策版本；为空表示辖区内全部已发布政策。",
    )
    jurisdiction = models.CharField(
        "筛查范围",
        max_length=6,
        blank=True,
        db_index=True,
        help_text="六位行政区划代码：只筛查该地区及其下辖地区的企业；为空表示全部企业。",
    )
    on = models.DateField("筛查日期", help_text="按该日有效的政策条件和企业数据判断。")
    status = models.CharField(
        "状态", max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    progress_done = models.PositiveIntegerField("已筛查政策数", default=0)
    progress_total = models.PositiveIntegerField("待筛查政策数", default=0)
    enterprises = models.PositiveIntegerField("筛查范围内企业数", default=0)
    counts = models.JSONField(
        "结果统计",
        default=dict,
        blank=True,
        help_text="按政策版本（主键）：eligible、possibly、not_eligible、granted_new、notices_new。",
    )
    skipped = models.JSONField(
        "未筛查的政策版本",
        default=list,
        blank=True,
        help_text="筛查日期不在申报期或有效期内的政策版本（主键）。",
    )
    rule_set_version = models.CharField(
        "规则集版本", max_length=16, blank=True, help_text="所筛查政策版本内容指纹的摘要。"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("发起时间", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)

    objects = ScreeningRunQuerySet.as_manager()

    class Meta:
        verbose_name = "免申即享筛查"
        verbose_name_plural = "免申即享筛查"
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"筛查 #{self.pk}（{self.on}，{self.get_status_display()}）"

    @property
    def active(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return round(100 * self.progress_done / self.progress_total)

    def totals(self) -> dict[str, int]:
        """The counts summed over the policy versions screened."""
        keys = ("eligible", "possibly", "not_eligible", "granted_new", "notices_new")
        return {k: sum(c.get(k, 0) for c in self.counts.values()) for k in keys}


def _enterprise_scope(user: Any) -> Q:
    """Notices and entitlements an enterprise user may see: their own enterprise's only."""
    uscc = authz.enterprise_of(user)
    return Q(enterprise__uscc=uscc) if uscc is not None else Q(pk__in=[])


class EntitlementQuerySet(models.QuerySet):
    def of_user(self, user: Any) -> EntitlementQuerySet:
        """The entitlements of the enterprise ``user`` is bound to (none for anyone else)."""
        return self.filter(_enterprise_scope(user))


class EntitlementStatus(models.TextChoices):
    GRANTED = "granted", "已发放"


class Entitlement(models.Model):
    """A benefit of a 免申即享 policy version granted to an eligible enterprise without an
    application (长春 条例 第三十五条第三款)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="entitlements",
        db_index=False,  # the unique (enterprise, policy_version) index serves it
    )
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        ScreeningRun, verbose_name="筛查", on_delete=models.PROTECT, related_name="entitlements"
    )
    granted_at = models.DateTimeField("发放时间", default=timezone.now)
    amount = models.DecimalField(
        "预计金额",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="单位：万元。政策规定金额或按企业数据估算的最高金额；为空表示政策未规定金额。",
    )
    status = models.CharField(
        "状态",
        max_length=8,
        choices=EntitlementStatus.choices,
        default=EntitlementStatus.GRANTED,
    )

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = "免申即享待遇"
        verbose_name_plural = "免申即享待遇"
        ordering = ("-granted_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("enterprise", "policy_version"), name="entitlement_unique_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.policy_version}"


class NoticeEligibility(models.TextChoices):
    ELIGIBLE = "eligible", "符合"
    POSSIBLY = "possibly", "可能符合"


class NoticeQuerySet(models.QuerySet):
    def of_user(self, user: Any) -> NoticeQuerySet:
        """The notices of the enterprise ``user`` is bound to (none for anyone else)."""
        return self.filter(_enterprise_scope(user))


class Notice(models.Model):
    """A targeted push of a policy version to an enterprise that is eligible or possibly
    eligible (长春 条例 第三十五条第二款), with the reasons: each condition's result, the facts
    to provide and the legal basis."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="notices",
        db_index=False,  # the unique (enterprise, policy_version) index serves it
    )
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        ScreeningRun, verbose_name="筛查", on_delete=models.PROTECT, related_name="notices"
    )
    eligibility = models.CharField("结果", max_length=8, choices=NoticeEligibility.choices)
    reasons = models.JSONField(
        "原因",
        help_text="各项条件的判断、需补充的数据和法规依据。",
    )
    created_at = models.DateTimeField("推送时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "政策推送"
        verbose_name_plural = "政策推送"
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("enterprise", "policy_version"), name="notice_unique_version"
            ),
        )
        indexes = (models.Index(fields=("enterprise", "-created_at"), name="notice_inbox"),)

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.policy_version}"
