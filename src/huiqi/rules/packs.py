"""Jurisdiction packs: dated parameters, each value with the provision it comes from.

A pack (``packs/<name>.yaml``) holds one jurisdiction's numbers: the 长春 条例's 20 working days,
湖南's 30% reserved share… Each parameter is a list of values, each valid from a date and citing
its provision. A lookup for a jurisdiction and a date takes the value in force at the nearest
level that has one (长春 → 吉林 → 全国) and fails loudly when no level has a value for that date.

A draft's pack (征求意见稿, 修订草案) may give values without a date: they are what the draft
proposes, apply whenever that pack is chosen, and every result that uses them is marked draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from .citations import Citation, cite
from .errors import NotInForce, PackError, UnknownCitation, UnknownJurisdiction
from .jurisdictions import Jurisdiction, jurisdiction, lineage

IN_FORCE = "施行"
DEFAULT_PACKS = ("national", "changchun", "shenzhen", "hunan")
"""The packs used unless others are chosen: one per jurisdiction."""


class Unit(StrEnum):
    DAY = "day"
    WORKING_DAY = "working_day"


@dataclass(frozen=True)
class Period:
    """A number of days or of working days: ``30日``, ``20个工作日``."""

    count: int
    unit: Unit

    @property
    def text(self) -> str:
        return f"{self.count}个工作日" if self.unit is Unit.WORKING_DAY else f"{self.count}日"


@dataclass(frozen=True)
class Range:
    """A range of rates, both ends included: a price deduction of 6%–10%."""

    low: Decimal
    high: Decimal

    def __contains__(self, rate: object) -> bool:
        return isinstance(rate, Decimal) and self.low <= rate <= self.high

    @property
    def text(self) -> str:
        return f"{percent(self.low)}—{percent(self.high)}"


@dataclass(frozen=True)
class Shares:
    """Reserved shares: at least ``sme`` of the budget for SMEs, of which at least
    ``small_micro`` for small and micro enterprises."""

    sme: Decimal
    small_micro: Decimal


def percent(rate: Decimal) -> str:
    """0.06 → 6%; 0.0005 → 0.05%."""
    return f"{(rate * 100).normalize():f}%"


class Kind(StrEnum):
    PERIOD = "period"
    OPTIONAL_PERIOD = "optional_period"
    """A period, or null where the law sets no number (在规定的时间内)."""
    RANGE = "range"
    SHARES = "shares"
    FRACTION = "fraction"
    RULE = "rule"
    """A rule in words, for provisions the code applies without a number."""


PARAMETERS: Mapping[str, tuple[str, Kind]] = MappingProxyType(
    {
        "complaint.reply_period": ("投诉、举报的答复期限", Kind.OPTIONAL_PERIOD),
        "complaint.service_commitment": ("投诉、举报办理的承诺时限", Kind.PERIOD),
        "arrears.transfer_period": ("拖欠款项投诉的转交期限", Kind.OPTIONAL_PERIOD),
        "arrears.result_period": ("拖欠款项投诉的处理期限", Kind.OPTIONAL_PERIOD),
        "arrears.result_period_max": ("拖欠款项投诉延长后的最长处理期限", Kind.OPTIONAL_PERIOD),
        "payment.buyer_size": ("付款方、收款方规模的认定时点", Kind.RULE),
        "payment.agency_term": ("机关、事业单位的付款期限", Kind.PERIOD),
        "payment.agency_term_max": ("机关、事业单位合同约定付款期限的上限", Kind.PERIOD),
        "payment.large_term": ("大型企业的付款期限", Kind.OPTIONAL_PERIOD),
        "payment.start_settlement": ("进度结算、定期结算的付款期限起算", Kind.RULE),
        "payment.start_acceptance": ("以检验、验收合格为付款条件时的起算", Kind.RULE),
        "payment.start_delayed_acceptance": ("拖延检验、验收时的起算", Kind.RULE),
        "payment.late_interest_daily_rate": ("未约定利率时的逾期利息日利率", Kind.FRACTION),
        "payment.receivable_confirmation": ("应收账款确权期限", Kind.PERIOD),
        "procurement.reserved_share": ("向中小企业预留的采购份额", Kind.SHARES),
        "procurement.price_deduction.goods_services": (
            "小微企业价格扣除比例（货物、服务）",
            Kind.RANGE,
        ),
        "procurement.price_deduction.works": ("小微企业价格扣除比例（工程）", Kind.RANGE),
        "procurement.price_deduction.basis": ("价格评审优惠的本地规定", Kind.RULE),
        "procurement.consortium_deduction.goods_services": (
            "联合体、分包的价格扣除比例（货物、服务）",
            Kind.RANGE,
        ),
        "procurement.consortium_deduction.works": (
            "联合体、分包的价格扣除比例（工程）",
            Kind.RANGE,
        ),
        "procurement.consortium_deduction.basis": ("联合体价格扣除的本地规定", Kind.RULE),
        "procurement.consortium_small_micro_share": (
            "享受联合体、分包扣除的小微企业合同份额下限",
            Kind.FRACTION,
        ),
        "procurement.consortium_status": ("联合体视同中小企业、小微企业的规则", Kind.RULE),
    }
)
"""Every parameter a pack may set: its Chinese label and the kind of its values."""


@dataclass(frozen=True)
class Value:
    """One value of a parameter, valid from ``start`` (None: proposed by a draft)."""

    start: date | None
    value: Any
    citation: Citation
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    kind: Kind
    values: tuple[Value, ...]

    def at(self, on: date) -> Value | None:
        """The value in force on ``on``: the latest that started on or before it."""
        in_force = None
        for value in self.values:
            if value.start is None or value.start <= on:
                in_force = value
        return in_force


@dataclass(frozen=True)
class Pack:
    """One jurisdiction's parameters as one text (or a draft of it) sets them."""

    name: str
    jurisdiction: Jurisdiction
    title: str
    stage: str
    parameters: Mapping[str, Parameter]

    @property
    def draft(self) -> bool:
        return self.stage != IN_FORCE


@dataclass(frozen=True)
class Resolved:
    """A parameter's value for a jurisdiction and a date, with where it was found."""

    name: str
    label: str
    value: Any
    citation: Citation
    start: date | None
    jurisdiction: Jurisdiction
    pack: str
    draft: bool
    note: str | None = None


class RuleSet:
    """The packs in use, one per jurisdiction; lookups walk up the jurisdiction tree."""

    def __init__(self, packs: Iterable[Pack]) -> None:
        by_code: dict[str, Pack] = {}
        for pack in packs:
            code = pack.jurisdiction.code
            if code in by_code:
                raise PackError(
                    f"规则包 {by_code[code].name} 和 {pack.name} 都属于{pack.jurisdiction.name}，"
                    "只能选用其中一个"
                )
            by_code[code] = pack
        self.packs: Mapping[str, Pack] = MappingProxyType(by_code)

    def replacing(self, *names: str) -> RuleSet:
        """This rule set with the named packs in place of those of the same jurisdictions."""
        chosen = [load_pack(name) for name in names]
        codes = {p.jurisdiction.code for p in chosen}
        return RuleSet(
            [*(p for p in self.packs.values() if p.jurisdiction.code not in codes), *chosen]
        )

    def lookup(self, name: str, jurisdiction_code: str, on: date) -> Resolved:
        """The value of ``name`` for this jurisdiction on ``on``, from the nearest level."""
        found = self.lookup_all(name, jurisdiction_code, on)
        if not found:
            raise NotInForce(self._not_in_force(name, jurisdiction_code, on))
        return found[0]

    def lookup_all(self, name: str, jurisdiction_code: str, on: date) -> tuple[Resolved, ...]:
        """The values of ``name`` in force on ``on`` at every level, nearest first."""
        label = _label(name)
        out = []
        for level in lineage(jurisdiction_code):
            pack = self.packs.get(level.code)
            parameter = pack.parameters.get(name) if pack else None
            value = parameter.at(on) if parameter else None
            if pack is not None and value is not None:
                out.append(
                    Resolved(
                        name=name,
                        label=label,
                        value=value.value,
                        citation=value.citation,
                        start=value.start,
                        jurisdiction=level,
                        pack=pack.name,
                        draft=pack.draft or value.citation.draft,
                        note=value.note,
                    )
                )
        return tuple(out)

    def _not_in_force(self, name: str, code: str, on: date) -> str:
        known = []
        for level in lineage(code):
            pack = self.packs.get(level.code)
            if pack and name in pack.parameters:
                starts = "、".join(
                    f"{v.start.isoformat()}起" for v in pack.parameters[name].values if v.start
                )
                known.append(f"{level.name}（{pack.title}）{starts}")
        where = jurisdiction(code).name
        if not known:
            return f"{where}没有关于“{_label(name)}”的规定（已查至全国）"
        return (
            f"{where}在 {on.isoformat()} 没有适用的“{_label(name)}”：该日期早于已知规定的施行日。"
            f"已知：{'；'.join(known)}"
        )


def _label(name: str) -> str:
    if name not in PARAMETERS:
        raise PackError(f"未知的参数“{name}”")
    return PARAMETERS[name][0]


@cache
def rules(*replacements: str) -> RuleSet:
    """The default packs (:data:`DEFAULT_PACKS`), with the named packs replacing those of
    the same jurisdiction: ``rules("hunan_revision_draft")``."""
    base = RuleSet(load_pack(name) for name in DEFAULT_PACKS)
    return base.replacing(*replacements) if replacements else base


def available_packs() -> tuple[str, ...]:
    """The names of the bundled packs."""
    files = resources.files("huiqi.rules").joinpath("packs").iterdir()
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


@cache
def load_pack(name: str) -> Pack:
    """Read and check ``packs/<name>.yaml``: known parameters, typed values, resolved citations."""
    if name not in available_packs():
        raise PackError(f"没有名为“{name}”的规则包。可用：{'、'.join(available_packs())}")
    source = f"huiqi/rules/packs/{name}.yaml"
    raw = yaml.safe_load(
        resources.files("huiqi.rules").joinpath("packs", f"{name}.yaml").read_text("utf-8")
    )
    try:
        place = jurisdiction(str(raw["jurisdiction"]))
    except UnknownJurisdiction as exc:
        raise PackError(f"{source}：{exc}") from None
    stage = raw.get("stage", IN_FORCE)
    parameters = {
        key: _parameter(key, body, draft=stage != IN_FORCE, where=f"{source} {key}")
        for key, body in (raw.get("parameters") or {}).items()
    }
    return Pack(name, place, raw["title"], stage, MappingProxyType(parameters))


def _parameter(name: str, body: object, *, draft: bool, where: str) -> Parameter:
    if name not in PARAMETERS:
        raise PackError(f"{where}：未知的参数（可用参数见 huiqi.rules.packs.PARAMETERS）")
    label, kind = PARAMETERS[name]
    if not isinstance(body, list) or not body:
        raise PackError(f"{where}：应当是取值的列表（每项含 from、value、cite）")
    values = [_value(kind, item, draft=draft, where=where) for item in body]
    starts = [v.start for v in values]
    if None in starts and len(values) > 1:
        raise PackError(f"{where}：未写 from 的草案取值只能有一个")
    if None not in starts and starts != sorted(set(starts)):
        raise PackError(f"{where}：取值应按 from 日期从早到晚排列，且日期不重复")
    return Parameter(name, label, kind, tuple(values))


def _value(kind: Kind, item: object, *, draft: bool, where: str) -> Value:
    if not isinstance(item, dict) or "value" not in item or "cite" not in item:
        raise PackError(f"{where}：每个取值须有 value 和 cite")
    start = item.get("from")
    if start is None and not draft:
        raise PackError(f"{where}：已施行的规则包中，每个取值须写明 from（起始日期）")
    if start is not None and not isinstance(start, date):
        raise PackError(f"{where}：from 应当是日期（如 2025-05-01），而不是“{start}”")
    ref = item["cite"]
    if not isinstance(ref, dict) or "doc" not in ref:
        raise PackError(f"{where}：cite 应写作 {{doc: 文件编号, at: 条款编号}}")
    try:
        citation = cite(ref["doc"], ref.get("at"))
    except UnknownCitation as exc:
        raise PackError(f"{where}：{exc}") from None
    return Value(start, _typed(kind, item["value"], where), citation, item.get("note"))


def _typed(kind: Kind, raw: Any, where: str) -> Any:
    try:
        if kind is Kind.OPTIONAL_PERIOD and raw is None:
            return None
        if kind in (Kind.PERIOD, Kind.OPTIONAL_PERIOD):
            ((unit, count),) = raw.items()
            unit = {"days": Unit.DAY, "working_days": Unit.WORKING_DAY}[unit]
            if not isinstance(count, int) or count < 1:
                raise ValueError(count)
            return Period(count, unit)
        if kind is Kind.RANGE:
            low, high = _fraction(raw["min"]), _fraction(raw["max"])
            if low > high:
                raise ValueError(raw)
            return Range(low, high)
        if kind is Kind.SHARES:
            return Shares(_fraction(raw["sme"]), _fraction(raw["small_micro"]))
        if kind is Kind.FRACTION:
            return _fraction(raw)
        if isinstance(raw, str) and raw.strip():
            return raw.strip()
        raise ValueError(raw)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise PackError(f"{where}：取值“{raw}”不符合参数类型 {kind.value}") from None


def _fraction(raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError(raw)
    value = Decimal(str(raw))
    if not 0 <= value <= 1:
        raise ValueError(raw)
    return value
