"""The details of a payment-arrears complaint (拖欠账款投诉), next to its
:class:`huiqi.cases.models.Case`: the debtor, the contract's dates and term, the amounts, the
check of the debtor's size at signing and the result."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from huiqi.accounts.models import Department
from huiqi.accounts.validators import validate_uscc
from huiqi.cases.models import Case
from huiqi.rules.payments import Buyer

TEN_THOUSAND = Decimal(10000)


class DebtorType(models.TextChoices):
    """The debtors 保障中小企业款项支付条例（2025）第二条 covers."""

    ORGAN = "organ", "机关"
    INSTITUTION = "institution", "事业单位"
    LARGE = "large", "大型企业"

    @property
    def buyer(self) -> Buyer:
        return Buyer.LARGE if self is DebtorType.LARGE else Buyer.AGENCY


class DebtorCheck(models.TextChoices):
    """Whether the debtor was not an SME when the contract was signed (第三条第二款)."""

    NOT_SME = "not_sme", "非中小企业"
    SME = "sme", "中小企业：应不予受理"
    AGENCY = "agency", "机关、事业单位"
    UNVERIFIED = "unverified", "需核实"


class Result(models.TextChoices):
    CONFIRMED = "confirmed", "确认拖欠"
    NOT_CONFIRMED = "not_confirmed", "未确认拖欠"


class ArrearsComplaint(models.Model):
    case = models.OneToOneField(
        Case, verbose_name="投诉", on_delete=models.PROTECT, related_name="arrears"
    )
    accepting_department = models.ForeignKey(
        Department,
        verbose_name="受理投诉部门",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="第二十四条第一款：省级以上人民政府负责中小企业促进工作综合管理的部门。",
    )
    debtor_name = models.CharField("被投诉人名称", max_length=200)
    debtor_type = models.CharField("被投诉人类型", max_length=20, choices=DebtorType.choices)
    debtor_uscc = models.CharField(
        "被投诉人统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc]
    )
    contract_signed = models.DateField("合同订立日期")
    delivered_on = models.DateField("交付日期", null=True, blank=True)
    accepted_on = models.DateField("检验、验收合格日期", null=True, blank=True)
    agreed_days = models.PositiveIntegerField("约定付款期限（日）", null=True, blank=True)
    amount_due = models.DecimalField("应付金额（万元）", max_digits=16, decimal_places=6)
    amount_paid = models.DecimalField("已付金额（万元）", max_digits=16, decimal_places=6)
    debtor_check = models.CharField("被投诉人规模核对", max_length=20, choices=DebtorCheck.choices)
    debtor_check_note = models.TextField("核对说明")
    debtor_check_basis = models.JSONField("核对依据", default=list)
    result = models.CharField("处理结果", max_length=20, choices=Result.choices, blank=True)
    result_on = models.DateField("处理结果日期", null=True, blank=True)

    class Meta:
        verbose_name = "拖欠账款投诉"
        verbose_name_plural = "拖欠账款投诉"
        indexes = (models.Index(fields=("result", "result_on")),)

    def __str__(self) -> str:
        return f"{self.case.number} {self.debtor_name}"

    @property
    def outstanding(self) -> Decimal:
        """拖欠金额（万元）: due minus paid."""
        return self.amount_due - self.amount_paid

    @property
    def figures(self):
        """Due date, days overdue and late interest on the received date and today."""
        from .figures import figures

        return figures(self)
