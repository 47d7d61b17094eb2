"""The policy library: 惠企政策 as records with versions (长春 条例 第三十五条第二款).

A :class:`PolicyRecord` is one policy (its id, e.g. ``cc-zjtx-support``); each edit of a
published policy makes a new :class:`PolicyVersion`, and screening results, entitlements and
notices point at the version they were computed from, so earlier results keep their version.
A version stores the policy's pack entry (``Policy.to_entry()``, the format of
``docs/policies.md``) — the rules engine's :class:`huiqi.rules.policies.Policy` is rebuilt
from it (:attr:`PolicyVersion.policy`) — and copies of the fields lists filter on.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from huiqi.rules.policies import BenefitKind, Mode, Policy, Window, load_entry
from huiqi.rules.size import SizeClass

ModeChoices = models.TextChoices("ModeChoices", [(m.name, (m.value, m.label)) for m in Mode])
BenefitChoices = models.TextChoices(
    "BenefitChoices", [(k.name, (k.value, k.label)) for k in BenefitKind]
)


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"
    SUPERSEDED = "superseded", "已被新版本取代"


class PolicyRecord(models.Model):
    """One policy across its versions."""

    slug = models.SlugField(
        "政策编号",
        max_length=64,
        unique=True,
        help_text="小写字母、数字和连字符，如 cc-zjtx-support；创建后不再改变。",
    )
    jurisdiction = models.CharField(
        "适用地区", max_length=6, db_index=True, help_text="行政区划代码；全国性政策为 cn。"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.slug


class PolicyVersionQuerySet(models.QuerySet):
    def published(self) -> PolicyVersionQuerySet:
        """The versions now in the public policy list: one per published policy."""
        return self.filter(status=Status.PUBLISHED)

    def current(self) -> PolicyVersionQuerySet:
        """Each policy's latest version, whatever its status (the officials' list)."""
        latest = models.Subquery(
            PolicyVersion.objects.filter(record=models.OuterRef("record"))
            .order_by("-number")
            .values("number")[:1]
        )
        return self.filter(number=latest)


class PolicyVersion(models.Model):
    """One version of a policy: its whole content as the pack entry, and its status.

    Only a draft is edited in place; publishing a new version supersedes the published one.
    At most one version of a policy is published at a time (a database constraint)."""

    record = models.ForeignKey(
        PolicyRecord, verbose_name="政策", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    entry = models.JSONField(
        "政策内容", help_text="政策的完整内容（政策文件格式，见 docs/policies.md）。"
    )
    content_hash = models.CharField("内容指纹", max_length=16, db_index=True)
    title = models.CharField("政策名称", max_length=200)
    jurisdiction = models.CharField("适用地区", max_length=6, db_index=True)
    department = models.CharField("主管部门", max_length=100, db_index=True)
    mode = models.CharField("兑现方式", max_length=12, choices=ModeChoices.choices)
    benefit_kind = models.CharField("支持类型", max_length=12, choices=BenefitChoices.choices)
    sizes = models.JSONField(
        "适用规模",
        default=list,
        blank=True,
        help_text="条件允许的企业规模（small、micro…）；空表示不限。",
    )
    industries = models.JSONField(
        "适用行业", default=list, blank=True, help_text="条件允许的行业代码前缀；空表示不限。"
    )
    window_from = models.DateField("申报开始", null=True, blank=True)
    window_to = models.DateField("申报截止", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "政策版本"
        verbose_name_plural = "政策版本"
        ordering = ("record", "-number")
        constraints = (
            models.UniqueConstraint(fields=("record", "number"), name="policy_version_unique"),
            models.UniqueConstraint(
                fields=("record",),
                condition=models.Q(status="published"),
                name="policy_one_published_version",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版，{self.get_status_display()}）"

    @cached_property
    def policy(self) -> Policy:
        """The rules engine's policy of this version (its legal basis resolved)."""
        return load_entry(self.entry, name=f"政策 {self.record.slug} 第{self.number}版")

    @property
    def size_text(self) -> str:
        """小型、微型; 不限 when the criteria admit every size."""
        if not self.sizes:
            return "不限"
        return "、".join(SizeClass(s).label.removesuffix("企业") for s in self.sizes)

    @property
    def window_text(self) -> str:
        """长期; 2026-01-01 至 2026-12-31 (as :attr:`huiqi.rules.policies.Window.text`)."""
        return Window(self.window_from, self.window_to).text

    def to_summary(self) -> dict[str, Any]:
        return {
            "id": self.record.slug,
            "version": self.number,
            "status": self.status,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "department": self.department,
            "mode": self.mode,
            "benefit_kind": self.benefit_kind,
            "content_hash": self.content_hash,
        }
