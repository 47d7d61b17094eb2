"""Outcomes: the three-valued result of every condition, the facts it used and those missing,
the reasons in Chinese, and the compact code that stores all of it in one integer.

The compact code gives each condition (in the fixed order of :func:`leaves`) two bits:
``01`` passed, ``10`` failed, ``11`` unknown; condition ``i`` sits at bits ``2i`` and
``2i+1``. ``00`` never occurs, so a code that does not fit its criteria is detected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from huiqi.rules.facts import catalogue

from .errors import CriteriaError
from .nodes import Condition, Criteria, leaves
from .shape import shape
from .text import render, render_condition


class Status(StrEnum):
    """The result of one condition."""

    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"passed": "满足", "failed": "不满足", "unknown": "无法判断"}[self]

    @classmethod
    def of(cls, value: bool | None) -> Status:
        return cls.UNKNOWN if value is None else cls.PASSED if value else cls.FAILED


class Eligibility(StrEnum):
    """The result of a policy's criteria for one enterprise (长春 条例 第三十五条: 免申即享
    for the eligible; the possibly eligible are told which facts to provide)."""

    ELIGIBLE = "eligible"
    POSSIBLY = "possibly"
    NOT_ELIGIBLE = "not"

    @property
    def label(self) -> str:
        return {"eligible": "符合", "possibly": "可能符合", "not": "不符合"}[self]

    @classmethod
    def of(cls, value: bool | None) -> Eligibility:
        return cls.POSSIBLY if value is None else cls.ELIGIBLE if value else cls.NOT_ELIGIBLE


_BITS = {True: 1, False: 2, None: 3}
_VALUES = {1: True, 2: False, 3: None}


def encode(values: Iterable[bool | None]) -> int:
    """The compact code of the conditions' values, in leaf order."""
    code = 0
    for i, value in enumerate(values):
        code |= _BITS[value] << (2 * i)
    return code


def decode(criteria: Criteria, code: int) -> tuple[bool | None, ...]:
    """The conditions' values stored in ``code``; a code that cannot belong to these criteria
    (wrong length, an empty field) is a :class:`CriteriaError`."""
    count = len(leaves(criteria))
    if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code < 4**count:
        raise CriteriaError(f"结果代码 {code!r} 与条件不符：应为小于 4^{count} 的非负整数")
    values = []
    for i in range(count):
        bits = (code >> (2 * i)) & 3
        if bits == 0:
            raise CriteriaError(f"结果代码 {code} 与条件不符：第{i + 1}项条件没有结果")
        values.append(_VALUES[bits])
    return tuple(values)


@dataclass(frozen=True)
class LeafResult:
    """One condition's result. ``facts`` holds the facts it used (stored and derived, by
    catalogue name; empty when rebuilt from a code); ``missing`` the stored facts to provide
    when it is unknown (rebuilt from a code: the facts it reads, one or more of them missing);
    ``note`` what the facts alone do not say (how the size was classified, why a ratio has no
    value)."""

    index: int
    condition: Condition
    value: bool | None
    facts: Mapping[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    note: str | None = None

    @property
    def status(self) -> Status:
        return Status.of(self.value)

    @property
    def text(self) -> str:
        """The condition as written: 营业收入 ≥ 2000万元."""
        return render_condition(self.condition)

    @property
    def reason(self) -> str:
        """满足：营业收入 ≥ 2000万元（营业收入 2500万元）."""
        detail = self.note or "，".join(describe(name, v) for name, v in self.facts.items())
        if self.value is None and self.missing and not self.note:
            detail = f"缺少{'、'.join(fact_label(m) for m in self.missing)}"
        return f"{self.status.label}：{self.text}" + (f"（{detail}）" if detail else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "condition": self.text,
            "status": self.status.value,
            "facts": {name: _jsonable(v) for name, v in self.facts.items()},
            "missing": list(self.missing),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Check:
    """One condition as it applies to the enterprise, seen from the criteria: a condition
    under 不是 reads negated (``不是 失信`` passes when the enterprise is not on the list).
    ``decisive`` marks the conditions that decide the result: for an eligible result those
    that make it hold, for a not-eligible one those that fail it, for a possibly eligible one
    the unknowns that could change it (see :mod:`huiqi.rules.criteria.shape`)."""

    leaf: LeafResult
    negated: bool
    decisive: bool

    @property
    def status(self) -> Status:
        value = self.leaf.value
        return Status.of(value if value is None or not self.negated else not value)

    @property
    def text(self) -> str:
        """不是 失信; 营业收入 ≥ 2000万元."""
        return f"不是 {self.leaf.text}" if self.negated else self.leaf.text

    @property
    def reason(self) -> str:
        """满足：不是 失信（列入严重失信主体名单 否）."""
        detail = self.leaf.reason.removeprefix(f"{self.leaf.status.label}：{self.leaf.text}")
        return f"{self.status.label}：{self.text}{detail}"

    def to_dict(self) -> dict[str, Any]:
        leaf = self.leaf.to_dict()
        return {
            "condition": self.text,
            "status": self.status.value,
            "decisive": self.decisive,
            "facts": leaf["facts"],
            "missing": leaf["missing"],
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Outcome:
    """The result of a criteria tree for one enterprise: the overall three-valued value and
    every condition's result. ``on`` is the screening date (None when rebuilt from a code).
    ``leaves`` hold the conditions' own values; ``checks`` and everything read from them
    (``passed``, ``failed``, ``unknown``, ``missing``, ``reasons``, ``summary``) see each
    condition with its 不是 applied."""

    criteria: Criteria
    on: date | None
    value: bool | None
    leaves: tuple[LeafResult, ...]

    @property
    def eligibility(self) -> Eligibility:
        return Eligibility.of(self.value)

    @property
    def code(self) -> int:
        """The compact code of the conditions' values (see the module docstring)."""
        return encode(leaf.value for leaf in self.leaves)

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        """Every condition, in leaf order, with its negation applied and whether it decides
        the result."""
        flat = shape(self.criteria)
        decisive = flat.decisive(flat.values([leaf.value for leaf in self.leaves]))
        return tuple(
            Check(leaf, flat.negated[i], decisive[i]) for i, leaf in enumerate(self.leaves)
        )

    @property
    def passed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.PASSED)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.FAILED)

    @property
    def unknown(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.UNKNOWN)

    @property
    def decisive(self) -> tuple[Check, ...]:
        """The conditions that decide the result (see :class:`Check`)."""
        return tuple(c for c in self.checks if c.decisive)

    @property
    def missing(self) -> tuple[str, ...]:
        """The stored facts whose values could change a possibly eligible outcome, in
        catalogue order; none once the outcome is decided."""
        wanted = {m for c in self.decisive if c.status is Status.UNKNOWN for m in c.leaf.missing}
        return tuple(name for name in catalogue().facts if name in wanted)

    @property
    def reasons(self) -> tuple[str, ...]:
        """One sentence per condition, in leaf order, with its negation applied."""
        return tuple(c.reason for c in self.checks)

    @property
    def summary(self) -> str:
        """符合全部条件 / 不符合：不是 失信 / 可能符合：请提供营业收入（万元）."""
        if self.value is True:
            return "符合全部条件"
        if self.value is False:
            return "不符合：" + "；".join(c.text for c in self.decisive)
        need = "、".join(fact_label(m) for m in self.missing)
        return "可能符合：" + (f"请提供{need}" if need else "有条件无法判断")

    def to_dict(self) -> dict[str, Any]:
        return {
            "criteria": render(self.criteria),
            "on": self.on.isoformat() if self.on else None,
            "eligibility": self.eligibility.value,
            "eligibility_label": self.eligibility.label,
            "summary": self.summary,
            "code": self.code,
            "missing": list(self.missing),
            "conditions": [c.to_dict() for c in self.checks],
        }


def fact_label(name: str) -> str:
    """营业收入（万元）."""
    item = catalogue().facts[name]
    return f"{item.label}（{item.unit}）" if item.unit else item.label


def describe(name: str, value: Any) -> str:
    """营业收入 2500万元; 首次上市日期 无."""
    item = catalogue().facts[name]
    if value is None:
        return f"{item.label} {'无' if item.complete else '未知'}"
    if isinstance(value, bool):
        return f"{item.label} {'是' if value else '否'}"
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    elif isinstance(value, date):
        value = value.isoformat()
    return f"{item.label} {value}{item.unit or ''}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value
