"""Size classification (划型): large, medium, small or micro enterprise.

《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条 sets, for sixteen groups of
industries, the thresholds of employees (从业人员), operating revenue (营业收入) and total
assets (资产总额). 《统计上大中小微型企业划分办法（2017）》（国统字〔2017〕213号）附表 maps
the GB/T 4754-2017 codes to those groups and states the rule: large, medium and small must
meet every lower bound of their row, otherwise the enterprise drops a tier; micro needs only
one indicator under the small bound. The standards are versioned data
(``data/size_standards.yaml``), each valid from its own date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from .citations import Citation, cite
from .errors import (
    IndustryNotCovered,
    IndustryTooCoarse,
    InvalidFacts,
    MissingFacts,
    NotInForce,
    PackError,
)
from .industries import Industry, ancestors, children, industries, industry


class SizeClass(StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"

    @property
    def label(self) -> str:
        """大型企业, 中型企业, 小型企业, 微型企业."""
        return {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}[self] + "企业"

    @property
    def rank(self) -> int:
        """0 for micro up to 3 for large: a larger enterprise has a higher rank."""
        return (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE).index(self)

    @property
    def is_sme(self) -> bool:
        return self is not SizeClass.LARGE


TIERS = (SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL)
"""The tiers with lower bounds, tested from the top; an enterprise meeting none is micro."""


class Indicator(StrEnum):
    EMPLOYEES = "employees"
    REVENUE = "revenue"
    TOTAL_ASSETS = "total_assets"

    @property
    def label(self) -> str:
        return {"employees": "从业人员", "revenue": "营业收入", "total_assets": "资产总额"}[self]

    @property
    def unit(self) -> str:
        return "人" if self is Indicator.EMPLOYEES else "万元"

    def amount(self, value: Decimal | int) -> str:
        """120人, 15000万元."""
        number = value if isinstance(value, int) else value.normalize()
        return f"{number:f}{self.unit}" if isinstance(number, Decimal) else f"{number}{self.unit}"


@dataclass(frozen=True)
class Group:
    """A row of the standard: 工业 with its lower bounds for large, medium and small."""

    id: str
    name: str
    citation: Citation
    bounds: Mapping[SizeClass, Mapping[Indicator, Decimal]]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in Indicator if i in self.bounds[SizeClass.LARGE])


@dataclass(frozen=True, eq=False)
class Placement:
    """Where an industry falls under the standard: a group (perhaps only by reference), or
    outside it with the reason."""

    citation: Citation
    group: Group | None = None
    by_reference: str | None = None
    refused: str | None = None

    @property
    def description(self) -> str:
        if self.group is None:
            return "不适用划型标准"
        return f"参照{self.group.name}" if self.by_reference else self.group.name


@dataclass(frozen=True)
class SizeStandard:
    """One size standard with its industry mapping, valid from ``start``."""

    id: str
    title: str
    start: date
    citation: Citation
    tier_rule: Citation
    by_reference_rule: Citation
    individual_business_rule: Citation
    groups: Mapping[str, Group]
    edition: str
    placements: Mapping[str, Placement]
    """Every code of the classification that falls wholly in one placement."""

    def place(self, code: str) -> tuple[Industry, Placement]:
        """The industry and its placement; refuses a code the standard leaves out, and asks
        for a finer code when the sub-codes fall under different rows."""
        item = industry(code)
        placement = self.placements.get(item.code)
        if placement is None:
            finer = _finer(item.code, self.placements)
            outcomes = "、".join(dict.fromkeys(self.placements[c.code].description for c in finer))
            raise IndustryTooCoarse(
                f"行业代码“{item.code}”（{item.name}）不够细：其下的行业分属不同的划型情形"
                f"（{outcomes}），请提供更细的代码：{'、'.join(c.label for c in finer)}"
            )
        if placement.refused:
            raise IndustryNotCovered(
                f"行业代码“{item.code}”（{item.name}）不能划型：{placement.refused}"
                f"（{placement.citation.text}）"
            )
        return item, placement


@dataclass(frozen=True)
class SizeFacts:
    """What the classification needs: the industry code and the enterprise's indicators
    (revenue and total assets in 万元, as in the standard). A missing indicator is None."""

    industry: str
    employees: int | None = None
    revenue: Decimal | None = None
    total_assets: Decimal | None = None
    individual_business: bool = False
    """个体工商户: classified by reference to the standard."""

    def value(self, indicator: Indicator) -> Decimal | None:
        raw = getattr(self, indicator.value)
        return None if raw is None else Decimal(raw)


@dataclass(frozen=True)
class Threshold:
    """One lower bound applied: ``met`` is None when the indicator was not given."""

    size: SizeClass
    indicator: Indicator
    bound: Decimal
    value: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class SizeResult:
    """The classification with its reasons. ``size`` is None when an indicator that decides
    is missing; ``missing`` then says which."""

    size: SizeClass | None
    facts: SizeFacts
    industry: Industry
    group: Group
    on: date
    standard: SizeStandard
    thresholds: tuple[Threshold, ...]
    decisive: tuple[Indicator, ...]
    """The indicators that decided: those short of the tier above (all of them for large)."""
    missing: tuple[Indicator, ...]
    ignored: tuple[Indicator, ...]
    """Indicators given that the group's row does not use."""
    references: tuple[str, ...]
    """Why the result is only by reference (个体工商户, an industry outside the standard)."""
    steps: tuple[str, ...]
    citations: tuple[Citation, ...]

    @property
    def citation(self) -> Citation:
        """The row of the standard applied: 第四条第（二）项 for 工业."""
        return self.citations[0]

    @property
    def by_reference(self) -> bool:
        return bool(self.references)

    @property
    def missing_text(self) -> str:
        """需要资产总额（万元）."""
        return "需要" + "、".join(f"{i.label}（{i.unit}）" for i in self.missing)

    def decided(self) -> SizeClass:
        """The size class, or :class:`MissingFacts` naming what to provide."""
        if self.size is None:
            raise MissingFacts(f"无法判定{self.group.name}企业的规模：{self.missing_text}")
        return self.size

    def to_dict(self) -> dict[str, Any]:
        return {
            "size": self.size.value if self.size else None,
            "size_label": self.size.label if self.size else None,
            "group": self.group.id,
            "group_name": self.group.name,
            "industry": {
                "code": self.industry.code,
                "name": self.industry.name,
                "level": self.industry.level,
            },
            "on": self.on.isoformat(),
            "standard": self.standard.id,
            "citation": self.citation.text,
            "citations": [c.to_dict() for c in self.citations],
            "thresholds": [
                {
                    "size": t.size.value,
                    "indicator": t.indicator.value,
                    "bound": str(t.bound),
                    "value": None if t.value is None else str(t.value),
                    "met": t.met,
                }
                for t in self.thresholds
            ],
            "decisive": [i.value for i in self.decisive],
            "missing": [i.value for i in self.missing],
            "missing_text": self.missing_text if self.missing else None,
            "ignored": [i.value for i in self.ignored],
            "by_reference": self.by_reference,
            "references": list(self.references),
            "steps": list(self.steps),
        }


def classify_size(facts: SizeFacts, on: date) -> SizeResult:
    """《中小企业划型标准规定》第四条 with 《统计上大中小微型企业划分办法（2017）》附表:
    test the tiers from large down; the first whose every lower bound is met is the size;
    an enterprise short of every tier is micro. Missing indicators that would decide leave
    the size open and are listed."""
    standard = standard_on(on)
    facts = _checked(facts)
    item, placement = standard.place(facts.industry)
    group = placement.group
    assert group is not None
    references = []
    if placement.by_reference:
        references.append(placement.by_reference)
    if facts.individual_business:
        references.append("个体工商户参照划型标准进行划分")

    thresholds: list[Threshold] = []
    steps: list[str] = []
    size, decisive, missing = None, (), ()
    short_of_above: tuple[Indicator, ...] = ()
    for tier in TIERS:
        row = [
            Threshold(tier, ind, bound, value, None if value is None else value >= bound)
            for ind, bound in group.bounds[tier].items()
            for value in (facts.value(ind),)
        ]
        thresholds.extend(row)
        short = tuple(t.indicator for t in row if t.met is False)
        if all(t.met for t in row):
            size = tier
            decisive = (
                tuple(t.indicator for t in row) if tier is SizeClass.LARGE else short_of_above
            )
            steps.append(_step_met(tier, row))
            break
        if not short:
            missing = tuple(i for i in group.indicators if facts.value(i) is None)
            steps.append(_step_open(tier, row, missing))
            break
        steps.append(_step_short(tier, [t for t in row if t.met is False]))
        short_of_above = short
    else:
        size, decisive = SizeClass.MICRO, short_of_above

    citations = [group.citation, standard.tier_rule, placement.citation]
    if facts.individual_business:
        citations.append(standard.individual_business_rule)
    return SizeResult(
        size=size,
        facts=facts,
        industry=item,
        group=group,
        on=on,
        standard=standard,
        thresholds=tuple(thresholds),
        decisive=decisive,
        missing=missing,
        ignored=tuple(
            i for i in Indicator if i not in group.indicators and facts.value(i) is not None
        ),
        references=tuple(references),
        steps=tuple(steps),
        citations=tuple(dict.fromkeys(citations)),
    )


def _compare(t: Threshold) -> str:
    assert t.value is not None
    sign = "≥" if t.met else "＜"
    return f"{t.indicator.label}{t.indicator.amount(t.value)}{sign}{t.indicator.amount(t.bound)}"


def _step_met(tier: SizeClass, row: list[Threshold]) -> str:
    what = "、".join(_compare(t) for t in row)
    if tier is SizeClass.LARGE:
        return f"{what}，达到中小微型企业的上限，划为大型企业"
    return f"{what}，达到{tier.label}的全部下限，划为{tier.label}"


def _step_short(tier: SizeClass, short: list[Threshold]) -> str:
    what = "、".join(_compare(t) for t in short)
    if tier is SizeClass.LARGE:
        return f"{what}，属于中小微型企业"
    if tier is SizeClass.SMALL:
        return f"{what}，低于小型企业的下限（任一指标即可），划为微型企业"
    return f"{what}，未达到{tier.label}的下限，下划一档"


def _step_open(tier: SizeClass, row: list[Threshold], missing: tuple[Indicator, ...]) -> str:
    known = "、".join(_compare(t) for t in row if t.met is not None)
    need = "、".join(i.label for i in missing)
    head = f"{known}；" if known else ""
    return f"{head}缺少{need}，无法判断是否达到{tier.label}的下限"


def _checked(facts: SizeFacts) -> SizeFacts:
    employees = facts.employees
    if employees is not None:
        if isinstance(employees, bool) or not isinstance(employees, int):
            raise InvalidFacts(f"从业人员应当是整数（人），而不是“{employees}”")
        if employees < 0:
            raise InvalidFacts(f"从业人员不能为负数：{employees}")
    amounts: dict[str, Decimal] = {}
    for indicator in (Indicator.REVENUE, Indicator.TOTAL_ASSETS):
        raw = getattr(facts, indicator.value)
        if raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, Decimal | int | float):
            raise InvalidFacts(f"{indicator.label}应当是数字（万元），而不是“{raw}”")
        value = Decimal(str(raw))
        if not value.is_finite():
            raise InvalidFacts(f"{indicator.label}应当是有限的数字（万元），而不是“{raw}”")
        if value < 0:
            raise InvalidFacts(f"{indicator.label}不能为负数：{raw}万元")
        amounts[indicator.value] = value
    return replace(facts, **amounts)


def standard_on(on: date) -> SizeStandard:
    """The size standard in force on ``on``; a date before every standard is an error."""
    if not isinstance(on, date):
        raise InvalidFacts(f"划型日期应当是日期，而不是“{on}”")
    in_force = [s for s in standards() if s.start <= on]
    if not in_force:
        first = standards()[0]
        raise NotInForce(
            f"{on.isoformat()} 早于划型标准的施行日：《{first.title}》"
            f"自 {first.start.isoformat()} 起执行，此前的日期无法划型"
        )
    return in_force[-1]


@cache
def standards() -> tuple[SizeStandard, ...]:
    """The size standards of ``data/size_standards.yaml``, earliest first."""
    text = resources.files("huiqi.rules").joinpath("data", "size_standards.yaml").read_text("utf-8")
    loaded = tuple(_standard(raw) for raw in yaml.safe_load(text)["standards"])
    if [s.start for s in loaded] != sorted({s.start for s in loaded}):
        raise PackError("size_standards.yaml：标准应按 from 日期从早到晚排列，且日期不重复")
    return loaded


def _ref(raw: Mapping[str, str]) -> Citation:
    return cite(raw["doc"], raw.get("at"))


def _standard(raw: dict[str, Any]) -> SizeStandard:
    groups = {g["id"]: _group(g) for g in raw["groups"]}
    mapping = raw["industries"]
    entries: dict[str, Placement] = {}
    mapped = _ref(mapping["cite"])
    for group_id, codes in mapping["groups"].items():
        placement = Placement(mapped, group=groups[group_id])
        entries.update({str(code): placement for code in codes})
    for item in mapping.get("by_reference") or ():
        placement = Placement(_ref(item["cite"]), groups[item["group"]], item["reason"])
        entries.update({str(code): placement for code in item["codes"]})
    for item in mapping.get("refused") or ():
        placement = Placement(_ref(item["cite"]), refused=item["reason"])
        entries.update({str(code): placement for code in item["codes"]})
    unknown = sorted(code for code in entries if code not in industries())
    if unknown:
        raise PackError(f"size_standards.yaml：行业代码不存在：{'、'.join(unknown)}")
    return SizeStandard(
        id=raw["id"],
        title=raw["title"],
        start=raw["from"],
        citation=_ref(raw["cite"]),
        tier_rule=_ref(raw["tier_rule"]),
        by_reference_rule=_ref(raw["by_reference_rule"]),
        individual_business_rule=_ref(raw["individual_business_rule"]),
        groups=MappingProxyType(groups),
        edition=mapping["edition"],
        placements=MappingProxyType(_placements(entries)),
    )


def _group(raw: dict[str, Any]) -> Group:
    bounds = {
        tier: MappingProxyType(
            {Indicator(k): Decimal(str(v)) for k, v in sorted(raw[tier.value].items(), key=_order)}
        )
        for tier in TIERS
    }
    if len({frozenset(b) for b in bounds.values()}) != 1:
        raise PackError(f"size_standards.yaml：行业组 {raw['id']} 三档所列指标应当相同")
    return Group(raw["id"], raw["name"], _ref(raw["cite"]), MappingProxyType(bounds))


def _order(item: tuple[str, object]) -> int:
    return list(Indicator).index(Indicator(item[0]))


def _placements(entries: Mapping[str, Placement]) -> dict[str, Placement]:
    """Each code whose classes all fall in one placement, from the nearest entry above each
    class; a code whose classes differ has none (it is too coarse)."""
    by_class: dict[str, Placement] = {}
    for item in industries().values():
        if item.level == "class":
            entry = next((entries[a.code] for a in ancestors(item.code) if a.code in entries), None)
            if entry is None:
                raise PackError(f"size_standards.yaml：行业代码 {item.label} 没有对应的划型情形")
            by_class[item.code] = entry
    out: dict[str, Placement] = {}
    for item in industries().values():
        below = {by_class[c] for c in _classes_under(item.code)}
        if len(below) == 1:
            out[item.code] = below.pop()
    return out


def _classes_under(code: str) -> tuple[str, ...]:
    if industries()[code].level == "class":
        return (code,)
    return tuple(c for child in children()[code] for c in _classes_under(child.code))


def _finer(code: str, placements: Mapping[str, Placement]) -> tuple[Industry, ...]:
    """The finer codes to ask for: the children, each split further while still too coarse."""
    out: list[Industry] = []
    for child in children()[code]:
        out.extend((child,) if child.code in placements else _finer(child.code, placements))
    return tuple(out)
