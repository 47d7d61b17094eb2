"""Users and the departments officials belong to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .validators import validate_division, validate_uscc


class Department(models.Model):
    """A government department of one jurisdiction, e.g. 长春市工业和信息化局 (220100)."""

    name = models.CharField("部门名称", max_length=100, help_text="如：长春市工业和信息化局。")
    jurisdiction = models.CharField(
        "所属行政区划",
        max_length=6,
        validators=[validate_division],
        help_text="六位行政区划代码。部门工作人员可以查看本行政区划及其下级的企业：220100 包括 2201xx。",
    )

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ("jurisdiction", "name")
        constraints = (
            models.UniqueConstraint(fields=("name", "jurisdiction"), name="department_unique_name"),
        )

    def __str__(self) -> str:
        return f"{self.name}（{self.jurisdiction}）"


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", "企业用户"
    OFFICIAL = "official", "部门工作人员"
    ADMINISTRATOR = "administrator", "管理员"


class User(AbstractUser):
    """An account. An enterprise user is bound to one enterprise by its 统一社会信用代码; an
    official belongs to a department and sees its jurisdiction; an administrator sees all."""

    role = models.CharField(
        "角色",
        max_length=20,
        choices=Role.choices,
        default=Role.ENTERPRISE,
        help_text="企业用户只能查看本企业；部门工作人员只能查看本部门行政区划内的企业；管理员可查看全部。",
    )
    enterprise_uscc = models.CharField(
        "企业统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text="企业用户所属企业的统一社会信用代码（18 位）。",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
        help_text="部门工作人员所属的部门，决定其可查看的行政区划。",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        super().clean()
        if self.role == Role.ENTERPRISE and not self.enterprise_uscc and not self.is_superuser:
            raise ValidationError(
                {"enterprise_uscc": "企业用户必须填写所属企业的统一社会信用代码。"}
            )
        if self.role == Role.OFFICIAL and self.department_id is None:
            raise ValidationError({"department": "部门工作人员必须选择所属部门。"})
        if self.role != Role.ENTERPRISE and self.enterprise_uscc:
            raise ValidationError({"enterprise_uscc": "只有企业用户绑定企业。"})
        if self.role != Role.OFFICIAL and self.department_id is not None:
            raise ValidationError({"department": "只有部门工作人员属于部门。"})


class ApiTokenQuerySet(models.QuerySet):
    def user_for(self, key: str) -> User | None:
        """The active user a presented token belongs to, or None; records its last use."""
        from django.utils import timezone

        token = (
            self.filter(digest=ApiToken.digest_of(key), revoked_at__isnull=True)
            .select_related("user", "user__department")
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        self.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user


class ApiToken(models.Model):
    """A token for machine clients of the JSON API (``Authorization: Bearer <key>``). Only the
    SHA-256 digest of the key is stored; the key is shown once, when it is made. A token acts
    with its user's permissions."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100, help_text="如：统计报送系统。")
    digest = models.CharField("摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user.get_username()}：{self.name}"

    @staticmethod
    def digest_of(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode("utf-8")).hexdigest()
