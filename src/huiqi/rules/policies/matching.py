"""Matching one enterprise against the policy list: which policies it is eligible for, which
it may be eligible for and what is still needed to decide, which it is not and why.

长春 条例 第三十五条: the policy list is pushed to enterprises by industry and size (第二款);
eligible enterprises enjoy 免申即享 policies without applying, and where an application is
needed the enterprise is never asked again for material the government can draw from shared
data (第三款). So every result splits the facts still missing into those the enterprise
declares (catalogue source ``self``) and those the department obtains itself (``shared``).

Only the policies of the enterprise's jurisdiction and the levels above it apply (an enterprise
of 南关区 220102 gets the 长春市, 吉林省 and national policies), and only those open on the date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from huiqi.rules.criteria import (
    Check,
    Condition,
    Eligibility,
    LeafResult,
    Outcome,
    Shape,
    evaluate,
    leaves,
    shape,
)
from huiqi.rules.errors import RulesError, UnknownJurisdiction
from huiqi.rules.facts import Source, catalogue
from huiqi.rules.jurisdictions import NATIONAL, Jurisdiction, lineage

from .enterprise import checked_facts
from .model import Mode, Policy

_RANK = {Eligibility.ELIGIBLE: 0, Eligibility.POSSIBLY: 1, Eligibility.NOT_ELIGIBLE: 2}


class MatchError(RulesError):
    """A match that cannot be made as asked: no jurisdiction, a district outside it."""


@dataclass(frozen=True)
class Match:
    """One policy's result for one enterprise: the outcome of its criteria (each condition
    as a :class:`~huiqi.rules.criteria.Check`, negation applied), the most the benefit could
    be for this enterprise (万元, for ordering), and the policy with its citations."""

    policy: Policy
    outcome: Outcome
    estimate: Decimal | None

    @property
    def status(self) -> Eligibility:
        return self.outcome.eligibility

    @property
    def checks(self) -> tuple[Check, ...]:
        return self.outcome.checks

    @property
    def passed(self) -> tuple[Check, ...]:
        return self.outcome.passed

    @property
    def failed(self) -> tuple[Check, ...]:
        return self.outcome.failed

    @property
    def unknown(self) -> tuple[Check, ...]:
        return self.outcome.unknown

    @property
    def decisive(self) -> tuple[Check, ...]:
        """The conditions that decide the result (see :class:`~huiqi.rules.criteria.Check`)."""
        return self.outcome.decisive

    @property
    def facts_used(self) -> Mapping[str, Any]:
        """Every fact a condition read (derived ones included), in catalogue order; None for
        a fact that is unknown."""
        used: dict[str, Any] = {}
        for check in self.checks:
            used.update(check.leaf.facts)
        return {name: used[name] for name in catalogue().facts if name in used}

    @property
    def missing(self) -> tuple[str, ...]:
        """The stored facts whose values could change a possibly eligible result, in catalogue
        order; none once the result is decided."""
        return self.outcome.missing

    @property
    def to_provide(self) -> tuple[str, ...]:
        """Missing facts the enterprise itself declares (catalogue source ``self``)."""
        return self._missing(Source.SELF)

    @property
    def to_obtain(self) -> tuple[str, ...]:
        """Missing facts the department obtains from shared government data (source
        ``shared``): 长春 条例 第三十五条第三款, 不得要求企业重复提供."""
        return self._missing(Source.SHARED)

    def _missing(self, source: Source) -> tuple[str, ...]:
        facts = catalogue().facts
        return tuple(name for name in self.missing if facts[name].source is source)

    @property
    def summary(self) -> str:
        """符合：… / 不符合：… / 可能符合：… — the decisive conditions in one line."""
        texts = "；".join(c.text for c in self.decisive)
        return f"{self.status.label}：{texts}"

    @property
    def next_step(self) -> str:
        """What happens now, in one sentence for the enterprise."""
        policy = self.policy
        if self.status is Eligibility.NOT_ELIGIBLE:
            return "不符合条件：" + "；".join(c.text for c in self.decisive)
        if self.status is Eligibility.POSSIBLY:
            parts = []
            if self.to_provide:
                parts.append(f"请企业补充{'、'.join(_labels(self.to_provide))}")
            if self.to_obtain:
                parts.append(
                    f"{'、'.join(_labels(self.to_obtain))}由{policy.department}"
                    "通过政府数据共享获取，不要求企业重复提供"
                )
            return "；".join(parts)
        if policy.mode is Mode.AUTO_GRANT:
            return f"免申即享：无需申报，由{policy.department}依据共享数据直接兑现"
        if policy.mode is Mode.FAST_TRACK:
            return f"直达快享：向{policy.department}确认预填信息即可享受"
        return f"可以向{policy.department}申报（申报期：{policy.window.text}）"

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form of the result."""
        policy = self.policy
        return {
            "policy": {
                "id": policy.id,
                "version": policy.version,
                "content_hash": policy.content_hash,
                "title": policy.title,
                "jurisdiction": policy.jurisdiction,
                "department": policy.department,
                "mode": policy.mode.value,
                "mode_label": policy.mode.label,
                "window": policy.window.to_dict(),
                "criteria": policy.criteria_text,
            },
            "status": self.status.value,
            "status_label": self.status.label,
            "summary": self.summary,
            "next_step": self.next_step,
            "conditions": [c.to_dict() for c in self.checks],
            "facts_used": _jsonable(self.facts_used),
            "to_provide": [_fact(name) for name in self.to_provide],
            "to_obtain": [_fact(name) for name in self.to_obtain],
            "benefit": {**policy.benefit.to_dict(), "estimate": _decimal(self.estimate)},
            "citations": [c.to_dict() for c in policy.basis],
        }


def match(
    enterprise_facts: Mapping[str, Any],
    policies: Iterable[Policy],
    on: date,
    jurisdiction: str | None = None,
) -> list[Match]:
    """Every policy that applies to the enterprise on ``on``, each eligible, possibly eligible
    or not eligible, eligible first, then possibly, then not; within each, the larger benefit
    first (policies without an amount after those with one), then by id.

    The enterprise's jurisdiction is ``jurisdiction`` when given (its district, if known, must
    lie within it), else the jurisdiction its district (``district``) belongs to. Facts are
    checked first (:func:`~huiqi.rules.policies.checked_facts`).

    The pack is compiled once (and kept for the next call with the same policies): each
    distinct condition is evaluated once per enterprise however many policies share it, and
    each policy's tree is combined from those results. The outcome is the one
    :func:`huiqi.rules.criteria.evaluate` gives for the policy's criteria."""
    facts = checked_facts(enterprise_facts)
    codes = tuple(j.code for j in jurisdictions_for(facts.get("district"), jurisdiction))
    index = _index(tuple(policies))
    evaluated: list[LeafResult | None] = [None] * len(index.conditions)
    placed: dict[tuple[int, int], LeafResult] = {}
    results = []
    for plan in index.open(codes, on):
        found = []
        for i, key in enumerate(plan.keys):
            leaf = placed.get((key, i))
            if leaf is None:
                result = evaluated[key]
                if result is None:
                    result = evaluated[key] = evaluate(index.conditions[key], facts, on).leaves[0]
                leaf = placed[key, i] = result if i == 0 else _placed(result, i)
            found.append(leaf)
        value = plan.shape.values([leaf.value for leaf in found])[0]
        outcome = Outcome(plan.policy.criteria, on, value, tuple(found))
        results.append(Match(plan.policy, outcome, plan.policy.benefit.estimate(facts)))
    results.sort(key=_order)
    return results


def _placed(result: LeafResult, index: int) -> LeafResult:
    """A condition's result at another position of a tree."""
    return LeafResult(
        index, result.condition, result.value, result.facts, result.missing, result.note
    )


def _order(m: Match) -> tuple[int, bool, Decimal, str]:
    estimate = m.estimate
    return (_RANK[m.status], estimate is None, -(estimate or Decimal(0)), m.policy.id)


@dataclass(frozen=True)
class _Plan:
    """A policy compiled for matching: its tree's shape and, for each of its conditions, the
    key of that condition in the pack's table of distinct conditions."""

    policy: Policy
    shape: Shape
    keys: tuple[int, ...]


class _Index:
    """A pack compiled once: the policies by jurisdiction code, and the distinct conditions
    of all of them."""

    def __init__(self, policies: tuple[Policy, ...]):
        keys: dict[Condition, int] = {}
        by_code: dict[str, list[_Plan]] = {}
        for policy in policies:
            plan = _Plan(
                policy,
                shape(policy.criteria),
                tuple(keys.setdefault(c, len(keys)) for c in leaves(policy.criteria)),
            )
            by_code.setdefault(policy.jurisdiction, []).append(plan)
        self.conditions: tuple[Condition, ...] = tuple(keys)
        self.by_code = {code: tuple(plans) for code, plans in by_code.items()}

    def open(self, codes: tuple[str, ...], on: date) -> list[_Plan]:
        return [
            plan
            for code in codes
            for plan in self.by_code.get(code, ())
            if plan.policy.window.is_open(on)
        ]


@lru_cache(maxsize=16)
def _index(policies: tuple[Policy, ...]) -> _Index:
    return _Index(policies)


@lru_cache(maxsize=1024)
def jurisdictions_for(
    district: str | None, jurisdiction: str | None = None
) -> tuple[Jurisdiction, ...]:
    """The jurisdictions whose policies apply to an enterprise of ``district``, its own level
    first: 220102 南关区 → 长春市, 吉林省, 全国 (the nearest declared division containing the
    district, then its parents; national only when none is declared). With ``jurisdiction``,
    that one and its parents; the district, if known, must lie within it."""
    if jurisdiction is not None:
        chain = lineage(jurisdiction)
        if district is not None and not _within(district, jurisdiction):
            raise MatchError(
                f"企业所在地区 {district} 不在 {jurisdiction} {chain[0].name} 范围内，"
                "不能按该地区的政策匹配"
            )
        return chain
    if district is None:
        raise MatchError(
            "不知道企业所在地区：请填写 district（所在地区，六位行政区划代码）或指定适用地区"
        )
    for candidate in (district, district[:4] + "00", district[:2] + "0000"):
        try:
            return lineage(candidate)
        except UnknownJurisdiction:
            continue
    return lineage(NATIONAL)


def _within(district: str, code: str) -> bool:
    if code == NATIONAL:
        return True
    prefix = code
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return district.startswith(prefix)


def _labels(names: Iterable[str]) -> list[str]:
    facts = catalogue().facts
    return [
        f"{facts[n].label}（{facts[n].unit}）" if facts[n].unit else facts[n].label for n in names
    ]


def _fact(name: str) -> dict[str, str]:
    item = catalogue().facts[name]
    return {"fact": name, "label": item.label, "source": item.source.value}


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            value = _decimal(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        out[name] = value
    return out
