"""Government procurement support for SMEs: price deductions, consortia and subcontracts,
reserved shares, and the ranking of bids by evaluated price.

National rules: 中小企业促进法 第四十条 (reserved share of a department's annual budget);
《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第四、九条, with the deduction ranges
raised by 财库〔2022〕19号 from 2022-07-01. Local rules: 湖南 办法 第二十七条 (30% / 60%,
6%–10%); 深圳 征求意见稿 第四十五条 (40% / 70%, deductions "一定比例"); 长春 条例 第三十一条
(the national measures, no numbers of its own). The range in force is taken from the nearest
level that sets one; a different range at another level is shown, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .citations import Citation
from .declaration import ProcurementKind
from .errors import InvalidFacts, RulesError
from .packs import Range, Resolved, RuleSet, Shares, percent, rules
from .size import SizeClass

_CENT = Decimal("0.01")


class RateOutOfRange(RulesError):
    """A deduction rate outside the range in force for the date and the jurisdiction."""


@dataclass(frozen=True)
class DeductionRanges:
    """The deduction ranges in force for a kind of procurement, a jurisdiction and a date."""

    kind: ProcurementKind
    jurisdiction: str
    on: date
    small_micro: Resolved
    """Range of the price deduction for small and micro enterprises' bids."""
    consortium: Resolved
    """Range of the deduction for a consortium or subcontract giving small and micro
    enterprises at least ``consortium_share`` of the contract."""
    consortium_share: Resolved
    consortium_status: Resolved
    basis: tuple[Resolved, ...]
    """Local provisions that ask for the deductions without setting numbers."""
    conflicts: tuple[str, ...]
    """Ranges in force at another level that differ from the one applied."""

    @property
    def draft(self) -> bool:
        return any(r.draft for r in (self.small_micro, self.consortium, *self.basis))

    def to_dict(self) -> dict[str, Any]:
        def one(found: Resolved) -> dict[str, Any]:
            value = found.value
            if isinstance(value, Range):
                shown = value.text
            else:
                shown = percent(value) if isinstance(value, Decimal) else str(value)
            return {
                "value": shown,
                "citation": found.citation.text,
                "jurisdiction": found.jurisdiction.code,
                "draft": found.draft,
            }

        return {
            "kind": self.kind.value,
            "jurisdiction": self.jurisdiction,
            "on": self.on.isoformat(),
            "small_micro": one(self.small_micro),
            "consortium": one(self.consortium),
            "consortium_share": one(self.consortium_share),
            "consortium_status": one(self.consortium_status),
            "basis": [one(b) for b in self.basis],
            "conflicts": list(self.conflicts),
            "draft": self.draft,
        }


def deduction_ranges(
    kind: ProcurementKind, jurisdiction: str, on: date, *, rule_set: RuleSet | None = None
) -> DeductionRanges:
    """财库〔2020〕46号 第九条 (as raised by 财库〔2022〕19号) and the local rules: the range for
    small and micro enterprises' bids and for consortia and subcontracts, on ``on``."""
    rule_set = rule_set or rules()
    suffix = "works" if kind is ProcurementKind.WORKS else "goods_services"
    small_micro = f"procurement.price_deduction.{suffix}"
    consortium = f"procurement.consortium_deduction.{suffix}"
    basis = [
        found
        for name in ("procurement.price_deduction.basis", "procurement.consortium_deduction.basis")
        for found in rule_set.lookup_all(name, jurisdiction, on)[:1]
        if found.jurisdiction.code == jurisdiction
    ]
    return DeductionRanges(
        kind=kind,
        jurisdiction=jurisdiction,
        on=on,
        small_micro=rule_set.lookup(small_micro, jurisdiction, on),
        consortium=rule_set.lookup(consortium, jurisdiction, on),
        consortium_share=rule_set.lookup(
            "procurement.consortium_small_micro_share", jurisdiction, on
        ),
        consortium_status=rule_set.lookup("procurement.consortium_status", jurisdiction, on),
        basis=tuple(basis),
        conflicts=(
            *_conflicts(rule_set.lookup_all(small_micro, jurisdiction, on)),
            *_conflicts(rule_set.lookup_all(consortium, jurisdiction, on)),
        ),
    )


def _conflicts(levels: Sequence[Resolved]) -> tuple[str, ...]:
    applied, *others = levels
    return tuple(
        f"{other.jurisdiction.name}的{other.label}为{other.value.text}（{other.citation.text}），"
        f"与{applied.jurisdiction.name}的{applied.value.text}（{applied.citation.text}）不同；"
        f"本结果按{applied.jurisdiction.name}的规定"
        for other in others
        if other.value != applied.value
    )


@dataclass(frozen=True)
class Member:
    """A member of a consortium, or a subcontractor, with its share of the contract amount
    (0.3 = 30%). ``controlled``: it has a direct holding or management relationship with
    another member or the main contractor (财库〔2020〕46号 第九条: no deduction then)."""

    name: str
    size: SizeClass
    share: Decimal
    controlled: bool = False


@dataclass(frozen=True)
class Bid:
    """A bid: a single supplier with its declared size, or a consortium of members, possibly
    with subcontracts under a subcontract-intent agreement (分包意向协议)."""

    supplier: str
    price: Decimal
    size: SizeClass | None = None
    consortium: tuple[Member, ...] = ()
    subcontractors: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Deduction:
    rate: Decimal
    amount: Decimal
    reason: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class EvaluatedBid:
    bid: Bid
    treated_as: SizeClass | None
    """The size the bid is treated as: its own, or a consortium's under the consortium rule."""
    deduction: Deduction
    evaluated_price: Decimal
    rank: int


@dataclass(frozen=True)
class Evaluation:
    """Bids ranked by evaluated price (the price after deduction, lowest first)."""

    ranges: DeductionRanges
    small_micro_rate: Decimal | None
    consortium_rate: Decimal | None
    reserved: bool
    bids: tuple[EvaluatedBid, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ranges": self.ranges.to_dict(),
            "small_micro_rate": None
            if self.small_micro_rate is None
            else str(self.small_micro_rate),
            "consortium_rate": None if self.consortium_rate is None else str(self.consortium_rate),
            "reserved": self.reserved,
            "notes": list(self.notes),
            "bids": [
                {
                    "rank": e.rank,
                    "supplier": e.bid.supplier,
                    "price": str(e.bid.price),
                    "treated_as": e.treated_as.value if e.treated_as else None,
                    "deduction_rate": str(e.deduction.rate),
                    "deduction": str(e.deduction.amount),
                    "evaluated_price": str(e.evaluated_price),
                    "reason": e.deduction.reason,
                    "citations": [c.text for c in e.deduction.citations],
                }
                for e in self.bids
            ],
        }


def evaluate_bids(
    bids: Sequence[Bid],
    *,
    kind: ProcurementKind,
    jurisdiction: str,
    on: date,
    small_micro_rate: Decimal | None = None,
    consortium_rate: Decimal | None = None,
    reserved: bool = False,
    rule_set: RuleSet | None = None,
) -> Evaluation:
    """财库〔2020〕46号 第九条: in a procurement not reserved for SMEs, a small or micro
    enterprise's bid is evaluated at its price less the purchaser's chosen rate; a consortium
    or subcontract giving small and micro enterprises at least 30% of the contract (and no
    holding or management relationship) gets the consortium rate. 第四条: a consortium whose
    members are all small or micro is treated as small or micro. Each rate must fall in the
    range in force (:func:`deduction_ranges`)."""
    if not bids:
        raise InvalidFacts("至少需要一份投标（响应）报价")
    ranges = deduction_ranges(kind, jurisdiction, on, rule_set=rule_set)
    notes: list[str] = [*ranges.conflicts]
    if reserved:
        notes.append("项目专门面向中小企业采购，不再给予价格扣除（财库〔2020〕46号 第九条）")
        small_micro_rate = consortium_rate = None
    else:
        _check_rate(small_micro_rate, ranges.small_micro, "小微企业价格扣除比例", ranges.conflicts)
        _check_rate(
            consortium_rate, ranges.consortium, "联合体、分包价格扣除比例", ranges.conflicts
        )
    evaluated = [
        _evaluate(bid, ranges, small_micro_rate, consortium_rate, reserved) for bid in bids
    ]
    order = sorted(range(len(evaluated)), key=lambda i: (evaluated[i][2], i))
    ranked: list[EvaluatedBid] = []
    for position, index in enumerate(order, 1):
        treated, deduction, price = evaluated[index]
        tied = ranked and ranked[-1].evaluated_price == price
        rank = ranked[-1].rank if tied else position
        ranked.append(EvaluatedBid(bids[index], treated, deduction, price, rank))
    return Evaluation(
        ranges=ranges,
        small_micro_rate=small_micro_rate,
        consortium_rate=consortium_rate,
        reserved=reserved,
        bids=tuple(ranked),
        notes=tuple(notes),
    )


def _check_rate(
    rate: Decimal | None, found: Resolved, name: str, conflicts: tuple[str, ...]
) -> None:
    if rate is None:
        return
    if rate not in found.value:
        also = "".join(f"。注意：{c}" for c in conflicts)
        raise RateOutOfRange(
            f"{name}{percent(rate)}不在{found.jurisdiction.name}适用的{found.value.text}之内"
            f"（{found.citation.text}）{also}"
        )


def _evaluate(
    bid: Bid,
    ranges: DeductionRanges,
    small_micro_rate: Decimal | None,
    consortium_rate: Decimal | None,
    reserved: bool,
) -> tuple[SizeClass | None, Deduction, Decimal]:
    if bid.price <= 0:
        raise InvalidFacts(f"{bid.supplier}的报价应当大于零：{bid.price}")
    treated, reason, citations, rate_kind = _qualify(bid, ranges)
    rate = {"small_micro": small_micro_rate, "consortium": consortium_rate}.get(rate_kind)
    if reserved:
        reason, rate = f"{reason}；项目专门面向中小企业，不给予价格扣除", None
    elif rate_kind and rate is None:
        name = "--rate" if rate_kind == "small_micro" else "--consortium-rate"
        raise InvalidFacts(f"{bid.supplier}可以享受价格扣除，需要采购人确定的扣除比例（{name}）")
    rate = rate or Decimal(0)
    amount = (bid.price * rate).quantize(_CENT, rounding=ROUND_HALF_UP)
    if rate:
        reason = f"{reason}，扣除{percent(rate)}"
    deduction = Deduction(rate, amount, reason, citations)
    return treated, deduction, bid.price - amount


def _qualify(
    bid: Bid, ranges: DeductionRanges
) -> tuple[SizeClass | None, str, tuple[Citation, ...], str | None]:
    """The size the bid counts as, why, the provisions, and which deduction applies."""
    small_micro = (SizeClass.SMALL, SizeClass.MICRO)
    own = (ranges.small_micro.citation, *(b.citation for b in ranges.basis))
    shared = (ranges.consortium.citation, ranges.consortium_share.citation)
    members = bid.consortium
    for member in (*members, *bid.subcontractors):
        if not Decimal(0) <= member.share <= 1:
            raise InvalidFacts(
                f"{member.name}的合同份额应当在0到1之间（0.3 表示 30%）：{member.share}"
            )
    if members and sum(m.share for m in members) > 1:
        raise InvalidFacts(f"{bid.supplier}各成员的合同份额合计超过100%")
    if members:
        sizes = {m.size for m in members}
        if sizes <= set(small_micro):
            reason = "联合体各方均为小微企业，视同小微企业"
            treated = max(sizes, key=lambda size: size.rank)
            return treated, reason, (ranges.consortium_status.citation, *own), "small_micro"
        treated = SizeClass.MEDIUM if SizeClass.LARGE not in sizes else SizeClass.LARGE
        head = "联合体各方均为中小企业，视同中型企业" if treated.is_sme else "联合体含大型企业"
        return (treated, *_shared(bid, members, ranges, head, shared))
    if bid.size is None:
        raise InvalidFacts(f"{bid.supplier}：需要企业规模（依中小企业声明函），或联合体各方的规模")
    if bid.size in small_micro:
        return bid.size, f"{bid.size.label}的报价", own, "small_micro"
    if bid.subcontractors:
        return (bid.size, *_shared(bid, bid.subcontractors, ranges, bid.size.label, shared))
    return bid.size, f"{bid.size.label}，不享受小微企业价格扣除", (), None


def _shared(
    bid: Bid,
    members: Sequence[Member],
    ranges: DeductionRanges,
    head: str,
    citations: tuple[Citation, ...],
) -> tuple[str, tuple[Citation, ...], str | None]:
    """The consortium or subcontract deduction: small and micro share ≥ the minimum and no
    holding or management relationship."""
    minimum = ranges.consortium_share.value
    small = [m for m in members if m.size in (SizeClass.SMALL, SizeClass.MICRO)]
    share = sum((m.share for m in small), Decimal(0))
    what = "联合体中" if bid.consortium else "分包给"
    if any(m.controlled for m in small):
        return (
            f"{head}；小微企业与其他企业存在直接控股、管理关系，不享受价格扣除",
            (ranges.consortium_share.citation,),
            None,
        )
    if share < minimum:
        return (
            f"{head}；{what}小微企业的合同份额{percent(share)}，不足{percent(minimum)}，不享受价格扣除",
            (ranges.consortium_share.citation,),
            None,
        )
    return (
        f"{head}；{what}小微企业的合同份额{percent(share)}，达到{percent(minimum)}",
        citations,
        "consortium",
    )


@dataclass(frozen=True)
class ReservedShareCheck:
    """Whether a department's reserved shares meet the minimum in force."""

    jurisdiction: str
    on: date
    budget: Decimal
    excluded: Decimal
    reserved: Decimal
    reserved_small_micro: Decimal
    required: Shares
    sme_share: Decimal
    small_micro_share: Decimal
    compliant: bool
    findings: tuple[str, ...]
    citation: Citation
    draft: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "on": self.on.isoformat(),
            "budget": str(self.budget),
            "excluded": str(self.excluded),
            "reserved": str(self.reserved),
            "reserved_small_micro": str(self.reserved_small_micro),
            "required": {
                "sme": str(self.required.sme),
                "small_micro": str(self.required.small_micro),
            },
            "sme_share": str(self.sme_share),
            "small_micro_share": str(self.small_micro_share),
            "compliant": self.compliant,
            "findings": list(self.findings),
            "citation": self.citation.text,
            "draft": self.draft,
        }


def check_reserved_share(
    budget: Decimal,
    reserved: Decimal,
    reserved_small_micro: Decimal,
    *,
    jurisdiction: str,
    on: date,
    excluded: Decimal = Decimal(0),
    rule_set: RuleSet | None = None,
) -> ReservedShareCheck:
    """中小企业促进法 第四十条第二款 (湖南 办法 第二十七条第二款; 深圳 征求意见稿 第四十五条
    第一款第（二）项): the share reserved for SMEs of a department's annual procurement budget,
    and the part of it reserved for small and micro enterprises; goods and services SMEs
    cannot provide (``excluded``) are left out of the budget."""
    values = {"年度政府采购项目预算总额": budget, "预留份额": reserved}
    values |= {"其中预留给小微企业的份额": reserved_small_micro, "中小企业无法提供的部分": excluded}
    for name, value in values.items():
        if value < 0:
            raise InvalidFacts(f"{name}不能为负数：{value}")
    base = budget - excluded
    if base <= 0:
        raise InvalidFacts("扣除中小企业无法提供的部分后，预算总额应当大于零")
    if reserved > base:
        raise InvalidFacts(f"预留份额{reserved}超过了可预留的预算总额{base}")
    if reserved_small_micro > reserved:
        raise InvalidFacts("预留给小微企业的份额不能超过预留份额")
    found = (rule_set or rules()).lookup("procurement.reserved_share", jurisdiction, on)
    required: Shares = found.value
    sme_share = reserved / base
    small_share = reserved_small_micro / reserved if reserved else Decimal(0)
    findings = []
    if sme_share < required.sme:
        gap = (base * required.sme - reserved).quantize(_CENT, rounding=ROUND_HALF_UP)
        findings.append(
            f"预留份额占预算总额的{_shown(sme_share)}，低于{percent(required.sme)}，还差{gap}"
        )
    if small_share < required.small_micro:
        gap = (reserved * required.small_micro - reserved_small_micro).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )
        findings.append(
            f"预留给小微企业的比例为{_shown(small_share)}，低于{percent(required.small_micro)}，"
            f"还差{gap}"
        )
    return ReservedShareCheck(
        jurisdiction=jurisdiction,
        on=on,
        budget=budget,
        excluded=excluded,
        reserved=reserved,
        reserved_small_micro=reserved_small_micro,
        required=required,
        sme_share=sme_share,
        small_micro_share=small_share,
        compliant=not findings,
        findings=tuple(findings),
        citation=found.citation,
        draft=found.draft,
    )


def _shown(share: Decimal) -> str:
    return percent(share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
