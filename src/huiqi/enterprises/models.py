"""Enterprises, yearly facts and qualifications. Labels come from the fact catalogue.

NULL is an unknown fact, as in the population table; amounts (万元) are double precision as
there, so the registry and the screens compare the same numbers."""

from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models

from huiqi.accounts import authz
from huiqi.accounts.validators import validate_division, validate_uscc
from huiqi.rules.facts import catalogue

_FACTS = catalogue().facts


def _label(name: str) -> str:
    return _FACTS[name].label


def _help(name: str, extra: str = "") -> str:
    fact = _FACTS[name]
    unit = f"单位：{fact.unit}。" if fact.unit else ""
    source = (
        "政府部门共享数据，不要求企业重复提供。" if fact.source.value == "shared" else "企业自报。"
    )
    return f"{unit}{extra}{source}"


QualificationKind = models.TextChoices(
    "QualificationKind", [(key, (key, q.label)) for key, q in catalogue().qualifications.items()]
)
"""The qualifications of the catalogue: zjtx 专精特新中小企业, high_tech 高新技术企业 …"""

ENTERPRISE_FACTS = (
    "name",
    "industry",
    "district",
    "founded",
    "dishonest",
    "founder_graduate",
    "founder_veteran",
    "founder_returnee",
    "founder_unemployed",
    "founder_disabled",
    "listed_on",
    "first_bond_on",
)
"""Catalogue facts held once per enterprise (the identifier ``uscc`` aside)."""

YEARLY_FACTS = ("employees", "revenue", "total_assets", "rd_expense", "tax_paid")
"""Catalogue facts held per year."""


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> EnterpriseQuerySet:
        """The enterprises ``user`` may see (:mod:`huiqi.accounts.authz`)."""
        return self.filter(authz.enterprise_scope(user))


def _founder(name: str) -> models.BooleanField:
    return models.BooleanField(
        _label(name), null=True, blank=True, help_text=_help(name, "为空表示未知。")
    )


class Enterprise(models.Model):
    uscc = models.CharField(
        _label("uscc"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text="18 位，末位为校验码（GB 32100-2015）。",
    )
    name = models.CharField(_label("name"), max_length=200, help_text=_help("name"))
    industry = models.CharField(
        _label("industry"),
        max_length=4,
        db_index=True,
        help_text=_help("industry", "GB/T 4754-2017《国民经济行业分类》代码，如 3911。"),
    )
    district = models.CharField(
        _label("district"),
        max_length=6,
        db_index=True,
        validators=[validate_division],
        help_text=_help("district", "六位行政区划代码（区、县），如 220102。"),
    )
    founded = models.DateField(_label("founded"), help_text=_help("founded"))
    dishonest = models.BooleanField(
        _label("dishonest"), null=True, blank=True, help_text=_help("dishonest", "为空表示未知。")
    )
    founder_graduate = _founder("founder_graduate")
    founder_veteran = _founder("founder_veteran")
    founder_returnee = _founder("founder_returnee")
    founder_unemployed = _founder("founder_unemployed")
    founder_disabled = _founder("founder_disabled")
    listed_on = models.DateField(
        _label("listed_on"), null=True, blank=True, help_text=_help("listed_on", "为空表示未上市。")
    )
    first_bond_on = models.DateField(
        _label("first_bond_on"),
        null=True,
        blank=True,
        help_text=_help("first_bond_on", "为空表示未发行债券。"),
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ("uscc",)

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


def _amount(name: str) -> models.FloatField:
    return models.FloatField(
        _label(name),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_help(name, "不小于 0；为空表示未知。"),
    )


class YearlyFacts(models.Model):
    """The financial and employment facts of one enterprise for one year."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="yearly_facts"
    )
    year = models.PositiveSmallIntegerField(_label("year"), help_text="财务数据所属的会计年度。")
    employees = models.PositiveIntegerField(
        _label("employees"), null=True, blank=True, help_text=_help("employees", "为空表示未知。")
    )
    revenue = _amount("revenue")
    total_assets = _amount("total_assets")
    rd_expense = _amount("rd_expense")
    tax_paid = _amount("tax_paid")

    class Meta:
        verbose_name = "年度数据"
        verbose_name_plural = "年度数据"
        ordering = ("enterprise", "-year")
        constraints = (
            models.UniqueConstraint(fields=("enterprise", "year"), name="yearly_facts_unique_year"),
        )

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.year} 年度"


class Qualification(models.Model):
    """A title held for a validity period (专精特新, 高新技术企业 …), from a government list."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField("资质", max_length=32, choices=QualificationKind.choices)
    valid_from = models.DateField("有效期起", help_text="当期证书（认定）有效期的起始日期。")
    valid_to = models.DateField("有效期止", help_text="当期证书（认定）有效期的截止日期。")
    first_recognised = models.DateField(
        "首次认定日期", null=True, blank=True, help_text="首次获得该资质的日期；为空表示未知。"
    )

    class Meta:
        verbose_name = "资质"
        verbose_name_plural = "资质"
        ordering = ("enterprise", "kind", "-valid_from")
        constraints = (
            models.UniqueConstraint(
                fields=("enterprise", "kind", "valid_from"), name="qualification_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="qualification_period_order",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from}—{self.valid_to}"
