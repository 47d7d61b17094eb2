"""What the rules say about an arrears complaint: the payment due date, the days overdue and
the late interest (:mod:`huiqi.rules.payments`), and whether the debtor was an SME when the
contract was signed (:func:`huiqi.enterprises.facts.size_of`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from huiqi.enterprises.facts import size_of
from huiqi.enterprises.models import Enterprise
from huiqi.rules.citations import Citation, cite
from huiqi.rules.deadlines import Deadline
from huiqi.rules.errors import RulesError
from huiqi.rules.payments import Contract, LateInterest, late_interest, payment_deadline
from huiqi.rules.size import SizeClass

from .models import TEN_THOUSAND, ArrearsComplaint, DebtorCheck, DebtorType

REGULATION = "cn-sme-payment-regulation-2025-03-17"
"""保障中小企业款项支付条例（2025年修订）."""


CENT = Decimal("0.01")


def plain(amount: Decimal) -> str:
    """An amount without trailing zeros: 12.5, 100."""
    return format(amount.normalize(), "f")


def contract_of(
    debtor_type: str,
    signed: date,
    delivered: date | None,
    accepted: date | None,
    agreed_days: int | None,
) -> Contract:
    return Contract(
        buyer=DebtorType(debtor_type).buyer,
        signed=signed,
        delivered=delivered,
        accepted=accepted,
        agreed_days=agreed_days,
    )


@dataclass(frozen=True)
class Check:
    check: DebtorCheck
    note: str
    citations: tuple[Citation, ...]

    def basis(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self.citations]


def check_debtor(debtor_type: str, uscc: str, signed: date) -> Check:
    """Was the debtor not an SME at signing? 第二十四条第一款 (complaints against 机关、事业单位
    和大型企业), 第二条, 第三条 (大型企业 is any enterprise that is not an SME, by its size at
    the contract's signing). An SME debtor is a reason to 不予受理; a debtor the registry does
    not know (or cannot classify) is to be verified, never refused."""
    scope = (cite(REGULATION, "art_24/para_1"), cite(REGULATION, "art_2"))
    at_signing = cite(REGULATION, "art_3/para_2")
    enterprise = (
        Enterprise.objects.prefetch_related("yearly_facts", "qualifications")
        .filter(uscc=uscc)
        .first()
        if uscc
        else None
    )
    if enterprise is None:
        if debtor_type != DebtorType.LARGE:
            return Check(
                DebtorCheck.AGENCY,
                f"被投诉人为{DebtorType(debtor_type).label}，属于本条例规定的付款主体"
                f"（{scope[1].text}），不适用企业划型；请核实其机关、事业单位身份",
                scope,
            )
        return Check(
            DebtorCheck.UNVERIFIED,
            "企业名录中没有被投诉人"
            + ("" if uscc else "（未填写统一社会信用代码）")
            + f"，无法判定其在合同订立时（{signed.isoformat()}）的规模类型；"
            f"受理前请核实其不属于中小企业（{at_signing.text}）",
            (*scope, at_signing),
        )
    try:
        result = size_of(enterprise, signed)
        size = result.decided()
    except RulesError as exc:
        return Check(
            DebtorCheck.UNVERIFIED,
            f"企业名录中的被投诉人在合同订立时（{signed.isoformat()}）的规模类型无法判定：{exc}；"
            "受理前请核实",
            (*scope, at_signing),
        )
    citations = (*scope, at_signing, result.citation)
    if size is SizeClass.LARGE:
        return Check(
            DebtorCheck.NOT_SME,
            f"按企业名录，被投诉人在合同订立时（{signed.isoformat()}）为大型企业"
            f"（{result.citation.text}），属于本条例的投诉范围",
            citations,
        )
    return Check(
        DebtorCheck.SME,
        f"按企业名录，被投诉人在合同订立时（{signed.isoformat()}）为{size.label}"
        f"（{result.citation.text}），属于中小企业；企业规模按合同订立时确定（{at_signing.text}），"
        f"本条例的投诉限于机关、事业单位和大型企业拖欠中小企业款项（{scope[0].text}），应不予受理",
        citations,
    )


@dataclass(frozen=True)
class Overdue:
    """The arrears on one day: days past the due date and the interest owed to that day."""

    on: date
    days: int
    interest: LateInterest

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "days": self.days, "interest": self.interest.to_dict()}


@dataclass(frozen=True)
class Figures:
    outstanding: str
    """拖欠金额（万元）, as decimal text."""
    deadline: Deadline
    received: Overdue
    today: Overdue

    def to_dict(self) -> dict[str, Any]:
        return {
            "outstanding": self.outstanding,
            "principal_yuan": format(self.today.interest.principal, "f"),
            "payment_deadline": self.deadline.to_dict(),
            "on_received": self.received.to_dict(),
            "on_today": self.today.to_dict(),
        }


def overdue_on(principal_yuan: Any, deadline: Deadline, on: date, signed: date) -> Overdue:
    """款项支付条例（2025）第十七条第一款 (2020: 第十五条): without an agreed rate, 每日利率
    万分之五 from the day after the due date (:func:`huiqi.rules.payments.late_interest`)."""
    interest = late_interest(principal_yuan, deadline.due, on, signed=signed)
    return Overdue(on=on, days=interest.days, interest=interest)


def figures(details: ArrearsComplaint, today: date | None = None) -> Figures:
    """The payment due date (第九、十条), the days overdue and the late interest on the
    outstanding amount, on the day the complaint was received and on ``today``."""
    today = today or timezone.localdate()
    contract = contract_of(
        details.debtor_type,
        details.contract_signed,
        details.delivered_on,
        details.accepted_on,
        details.agreed_days,
    )
    deadline = payment_deadline(contract)
    principal = (details.outstanding * TEN_THOUSAND).quantize(CENT)
    signed = details.contract_signed
    return Figures(
        outstanding=plain(details.outstanding),
        deadline=deadline,
        received=overdue_on(principal, deadline, details.case.received_on, signed),
        today=overdue_on(principal, deadline, today, signed),
    )
