"""Payment terms, late interest and receivable confirmation owed to SMEs.

保障中小企业款项支付条例: the version in force when the contract was signed applies (2025
revision, in force 2025-06-01, 第九、十、十六、十七条; the 2020 text, 第八、九、十四、十五条, for
contracts signed before). Whether the buyer is a large enterprise is decided by its size at
signing (第三条第二款).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from .calendar import WorkCalendar
from .citations import Citation
from .deadlines import Deadline, build_deadline, count_period
from .errors import InvalidFacts, MissingFacts, NoStatutoryPeriod
from .jurisdictions import NATIONAL
from .packs import Period, Resolved, RuleSet, Unit, percent, rules

_CENT = Decimal("0.01")
_DAYS_PER_YEAR = 365


class Buyer(StrEnum):
    AGENCY = "agency"
    """机关、事业单位 (and 团体组织 using public funds, 第三十六条)."""
    LARGE = "large"
    """大型企业: an enterprise that is not an SME at contract signing."""

    @property
    def label(self) -> str:
        return "机关、事业单位" if self is Buyer.AGENCY else "大型企业"


@dataclass(frozen=True)
class Contract:
    """The facts of a purchase from an SME that decide when payment is due.

    ``accepted``: the day inspection or acceptance was passed, when the contract makes it the
    condition of payment. ``acceptance_delayed`` with ``acceptance_period_end``: the buyer has
    let the agreed inspection or acceptance period run out. ``settled``: the day both sides
    confirmed the settlement amount, for progress or periodic settlement. ``agreed_days``: the
    payment term the contract sets, in days."""

    buyer: Buyer
    signed: date
    delivered: date | None = None
    accepted: date | None = None
    acceptance_period_end: date | None = None
    acceptance_delayed: bool = False
    settled: date | None = None
    agreed_days: int | None = None


def payment_deadline(
    contract: Contract,
    *,
    rule_set: RuleSet | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The last day to pay an SME.

    款项支付条例（2025）第九条: 机关、事业单位 30 days from delivery, a contract may set up to 60;
    大型企业 60 days, a contract may agree otherwise; 第九条第四款: progress or periodic
    settlement counts from the confirmed settlement amount; 第十条: from passed inspection or
    acceptance when that is the agreed condition, from the end of the agreed period when the
    buyer delays it. The 2020 text (第八、九条) sets no number for large enterprises: the
    contract's term is then needed."""
    rule_set = rule_set or rules()
    signed = contract.signed

    def rule(name: str) -> Resolved:
        return rule_set.lookup(name, NATIONAL, signed)

    start, start_rule = _start(contract, rule)
    term, term_rule, notes, findings = _term(contract, rule)
    counted = count_period(start, Period(term, Unit.DAY), calendar)
    size_rule = rule("payment.buyer_size")
    notes = (
        *notes,
        f"付款方是否为大型企业，按合同订立时（{signed.isoformat()}）的企业规模类型确定",
    )
    extra = (start_rule.citation,) if start_rule is not None else ()
    return build_deadline(
        "payment",
        term_rule,
        counted,
        notes=(*notes, *counted.notes),
        statutory=True,
        findings=findings,
        extra=(*extra, size_rule.citation),
    )


def _start(contract: Contract, rule: Callable[[str], Resolved]) -> tuple[date, Resolved | None]:
    """The day the payment term starts from, and the rule that says so (None: delivery)."""
    if contract.accepted and contract.delivered and contract.accepted < contract.delivered:
        raise InvalidFacts(
            f"验收合格日期 {contract.accepted} 早于交付日期 {contract.delivered}，请核对"
        )
    if contract.settled is not None:
        return contract.settled, rule("payment.start_settlement")
    if contract.acceptance_delayed:
        if contract.acceptance_period_end is None:
            raise MissingFacts("付款方拖延检验、验收时，需要合同约定的检验或者验收期限届满日")
        return contract.acceptance_period_end, rule("payment.start_delayed_acceptance")
    if contract.accepted is not None:
        return contract.accepted, rule("payment.start_acceptance")
    if contract.delivered is not None:
        return contract.delivered, None
    raise MissingFacts("需要交付日期（或检验、验收合格日期，或双方确认结算金额的日期）")


def _term(
    contract: Contract, rule: Callable[[str], Resolved]
) -> tuple[int, Resolved, tuple[str, ...], tuple[str, ...]]:
    """The term in days, the rule it comes from, notes and findings."""
    agreed = contract.agreed_days
    if agreed is not None and (isinstance(agreed, bool) or agreed < 1):
        raise InvalidFacts(f"合同约定的付款期限应当是正整数（日），而不是“{agreed}”")
    if contract.buyer is Buyer.AGENCY:
        legal, ceiling = rule("payment.agency_term"), rule("payment.agency_term_max")
        if agreed is None:
            return (
                legal.value.count,
                legal,
                (f"机关、事业单位自起算日起{legal.value.text}内付款",),
                (),
            )
        if agreed <= ceiling.value.count:
            note = f"合同约定{agreed}日，未超过{ceiling.value.text}的上限，从其约定"
            return agreed, ceiling, (note,), ()
        finding = (
            f"合同约定的付款期限{agreed}日超过法定上限{ceiling.value.text}，"
            f"超出部分不符合{ceiling.citation.text}；按{ceiling.value.text}计算"
        )
        return ceiling.value.count, ceiling, (), (finding,)
    legal = rule("payment.large_term")
    if agreed is not None:
        note = f"合同约定{agreed}日，从其约定（须按照行业规范、交易习惯合理约定）"
        return agreed, legal, (note,), ()
    if legal.value is None:
        raise NoStatutoryPeriod(
            f"合同订立于 {contract.signed.isoformat()}，适用{legal.citation.text}：{legal.note}；"
            "需要合同约定的付款期限（日）"
        )
    return legal.value.count, legal, (f"大型企业自起算日起{legal.value.text}内付款",), ()


@dataclass(frozen=True)
class LateInterest:
    """Interest on a late payment, from the day after the due date to the day paid."""

    principal: Decimal
    due: date
    paid: date
    days: int
    daily_rate: Decimal
    interest: Decimal
    basis: str
    findings: tuple[str, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "principal": str(self.principal),
            "due": self.due.isoformat(),
            "paid": self.paid.isoformat(),
            "days": self.days,
            "daily_rate": str(self.daily_rate),
            "interest": str(self.interest),
            "basis": self.basis,
            "findings": list(self.findings),
            "citation": self.citations[0].text,
            "citations": [c.to_dict() for c in self.citations],
        }


def late_interest(
    principal: Decimal,
    due: date,
    paid: date,
    *,
    signed: date,
    agreed_annual_rate: Decimal | None = None,
    lpr_at_signing: Decimal | None = None,
    rule_set: RuleSet | None = None,
) -> LateInterest:
    """款项支付条例（2025）第十七条 (2020: 第十五条): 迟延支付的，应当支付逾期利息; an agreed
    rate may not be below the one-year LPR at signing; without agreement, 每日利率万分之五.
    Amounts in yuan, rounded to the fen; an annual rate is applied per day over 365 days."""
    if principal < 0:
        raise InvalidFacts(f"欠款金额不能为负数：{principal}")
    for name, rate in (("约定利率", agreed_annual_rate), ("贷款市场报价利率", lpr_at_signing)):
        if rate is not None and not Decimal(0) <= rate < 1:
            raise InvalidFacts(f"{name}应当写成小数形式的年利率（如 0.03 表示 3%），而不是“{rate}”")
    found = (rule_set or rules()).lookup("payment.late_interest_daily_rate", NATIONAL, signed)
    days = max((paid - due).days, 0)
    findings: list[str] = []
    if agreed_annual_rate is None:
        daily = found.value
        basis = f"合同未约定逾期利率，按每日利率{percent(daily)}计算"
    else:
        annual = agreed_annual_rate
        if lpr_at_signing is not None and annual < lpr_at_signing:
            findings.append(
                f"约定利率{percent(annual)}低于合同订立时1年期贷款市场报价利率"
                f"{percent(lpr_at_signing)}，不符合{found.citation.text}；按{percent(lpr_at_signing)}计算"
            )
            annual = lpr_at_signing
        elif lpr_at_signing is None:
            findings.append(
                "未提供合同订立时的1年期贷款市场报价利率，无法核对约定利率是否低于该利率"
            )
        daily = annual / _DAYS_PER_YEAR
        basis = f"按约定年利率{percent(annual)}计算，日利率为年利率÷{_DAYS_PER_YEAR}"
    interest = (principal * daily * days).quantize(_CENT, rounding=ROUND_HALF_UP)
    return LateInterest(
        principal=principal,
        due=due,
        paid=paid,
        days=days,
        daily_rate=daily,
        interest=interest,
        basis=f"逾期{days}日（{due.isoformat()}次日起至{paid.isoformat()}），{basis}",
        findings=tuple(findings),
        citations=(found.citation,),
    )


def confirmation_deadline(
    requested: date,
    *,
    rule_set: RuleSet | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """款项支付条例（2025）第十六条第二款 (2020: 第十四条): 中小企业以应收账款融资的，机关、
    事业单位和大型企业应当自中小企业提出确权请求之日起30日内确认债权债务关系."""
    found = (rule_set or rules()).lookup("payment.receivable_confirmation", NATIONAL, requested)
    counted = count_period(requested, found.value, calendar)
    return build_deadline(
        "receivable_confirmation", found, counted, notes=counted.notes, statutory=True
    )
