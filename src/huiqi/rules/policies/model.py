"""The policy model: a 惠企政策 as data — who grants what, to whom, on which legal basis, when.

长春 条例 第三十五条第二款 asks for a published 惠企政策清单 and for targeted push by industry
and size; 湖南 办法 第七条 for the published scope, object and procedure of every tax and fee
measure. A :class:`Policy` holds what both need: the benefit, the criteria (the criteria
language of :mod:`huiqi.rules.criteria`), the legal basis as citations into the regulation
library, the application window and the mode of delivery (第三十五条第三款: 免申即享 /
直达快享, or 申报 where an application cannot be avoided).

Amounts the regulations do not state are marked ``illustrative`` and every rendering says so
(:data:`ILLUSTRATIVE_NOTE`): an example is never presented as law.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from huiqi.rules.citations import Citation
from huiqi.rules.criteria import Criteria, render, to_json
from huiqi.rules.facts import catalogue

ILLUSTRATIVE_NOTE = "示例金额，非法规规定"
"""Shown next to every amount the regulations do not state."""


class BenefitKind(StrEnum):
    """What the enterprise receives."""

    FUNDS = "funds"
    TAX = "tax"
    FINANCING = "financing"
    LAND = "land"
    TALENT = "talent"
    SERVICE = "service"

    @property
    def label(self) -> str:
        return _BENEFIT_LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> BenefitKind:
        return _by_label(cls, label)


_BENEFIT_LABELS = {
    BenefitKind.FUNDS: "资金",
    BenefitKind.TAX: "税费",
    BenefitKind.FINANCING: "融资",
    BenefitKind.LAND: "用地",
    BenefitKind.TALENT: "人才",
    BenefitKind.SERVICE: "服务",
}


class Mode(StrEnum):
    """How the benefit is delivered (长春 条例 第三十五条第三款; 草案 第五十七条第一款第（三）项)."""

    AUTO_GRANT = "auto_grant"
    """免申即享: granted from shared government data, no application."""
    FAST_TRACK = "fast_track"
    """直达快享: a simplified application with the data the government holds prefilled."""
    APPLY = "apply"
    """申报: an application with public conditions."""

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Mode:
        return _by_label(cls, label)


_MODE_LABELS = {
    Mode.AUTO_GRANT: "免申即享",
    Mode.FAST_TRACK: "直达快享",
    Mode.APPLY: "申报",
}


_E = TypeVar("_E", BenefitKind, Mode)


def _by_label(enum: type[_E], label: str) -> _E:
    for member in enum:
        if member.label == label or member.value == label:
            return member
    listed = "、".join(m.label for m in enum)
    raise ValueError(f"应当是 {listed} 之一，而不是“{label}”")


class AmountKind(StrEnum):
    FIXED = "fixed"
    """A stated sum: 一次性 1万元."""
    UP_TO = "up_to"
    """A ceiling: 最高 50万元."""
    RATE = "rate"
    """A percentage of a fact (an amount in 万元), with an optional ceiling."""


@dataclass(frozen=True)
class Amount:
    """An amount in 万元: ``value`` is the sum (fixed, up to) or the percentage (rate) of the
    fact ``fact``, capped at ``cap``; ``per`` the unit it is counted by (人, 年, 项)."""

    kind: AmountKind
    value: Decimal
    fact: str | None = None
    cap: Decimal | None = None
    per: str | None = None

    @property
    def text(self) -> str:
        """1万元; 每人最高2万元; 研发费用的10%，最高100万元."""
        per = f"每{self.per}" if self.per else ""
        if self.kind is AmountKind.FIXED:
            return f"{per}{_wan(self.value)}"
        if self.kind is AmountKind.UP_TO:
            return f"{per}最高{_wan(self.value)}"
        assert self.fact is not None
        label = catalogue().facts[self.fact].label
        cap = f"，最高{_wan(self.cap)}" if self.cap is not None else ""
        return f"{per}{label}的{_number(self.value)}%{cap}"

    def estimate(self, facts: Mapping[str, Any]) -> Decimal | None:
        """The most this amount can be for an enterprise with these facts (万元): the sum,
        the ceiling, or the rate of the fact capped; for a rate whose fact is unknown, the cap
        (None without one)."""
        if self.kind is not AmountKind.RATE:
            return self.value
        assert self.fact is not None
        base = facts.get(self.fact)
        if base is None:
            return self.cap
        value = Decimal(str(base)) * self.value / 100
        return value if self.cap is None else min(value, self.cap)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "value": _number(self.value),
            "fact": self.fact,
            "cap": _number(self.cap) if self.cap is not None else None,
            "per": self.per,
            "unit": "%" if self.kind is AmountKind.RATE else "万元",
        }


@dataclass(frozen=True)
class Benefit:
    """What the policy gives: its kind, a description, and an amount when there is one.

    ``illustrative`` marks an amount the legal basis does not state (the regulations say
    “按照规定给予资金支持”, “一定比例”): it is an example for the demonstration, never law."""

    kind: BenefitKind
    description: str
    amount: Amount | None = None
    illustrative: bool = False

    @property
    def amount_text(self) -> str | None:
        """最高50万元（示例金额，非法规规定）, or None without an amount."""
        if self.amount is None:
            return None
        note = f"（{ILLUSTRATIVE_NOTE}）" if self.illustrative else ""
        return self.amount.text + note

    @property
    def text(self) -> str:
        """资金：一次性开办补贴；1万元（示例金额，非法规规定）."""
        amount = self.amount_text
        return f"{self.kind.label}：{self.description}" + (f"；{amount}" if amount else "")

    def estimate(self, facts: Mapping[str, Any]) -> Decimal | None:
        """The amount this enterprise could receive at most (万元), for ordering results."""
        return None if self.amount is None else self.amount.estimate(facts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "description": self.description,
            "amount": self.amount.to_dict() if self.amount else None,
            "illustrative": self.illustrative,
            "amount_text": self.amount_text,
            "text": self.text,
        }


@dataclass(frozen=True)
class Window:
    """The application window, both ends included; a missing end is open (长期)."""

    start: date | None = None
    end: date | None = None

    def is_open(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    @property
    def text(self) -> str:
        """长期; 2026-01-01 至 2026-12-31; 2026-01-01 起; 至 2026-12-31."""
        if self.start is None and self.end is None:
            return "长期"
        if self.end is None:
            assert self.start is not None
            return f"{self.start.isoformat()} 起"
        start = self.start.isoformat() + " " if self.start else ""
        return f"{start}至 {self.end.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "text": self.text,
        }


@dataclass(frozen=True)
class Policy:
    """One 惠企政策 of the policy list (长春 条例 第三十五条第二款).

    ``jurisdiction`` is the 行政区划代码 of the government that grants it (``cn`` for the
    national ones); it applies to enterprises of that division and the divisions under it.
    ``basis`` cites the provisions it implements. ``content_hash`` fingerprints everything else,
    so a stored result names exactly the policy text it was computed from, with ``version``.
    """

    id: str
    version: int
    title: str
    jurisdiction: str
    department: str
    mode: Mode
    benefit: Benefit
    criteria: Criteria
    basis: tuple[Citation, ...]
    window: Window = Window()
    content_hash: str = field(init=False, default="", compare=False)

    def __post_init__(self) -> None:
        if not self.basis:
            raise ValueError(f"政策 {self.id} 没有法律依据（basis）")
        object.__setattr__(self, "content_hash", _digest(self._content()))

    def __hash__(self) -> int:
        return hash((self.id, self.content_hash))

    @property
    def criteria_text(self) -> str:
        """The criteria in the Chinese text form: 企业规模 属于 小型、微型 且 不是 失信."""
        return render(self.criteria)

    @property
    def draft_basis(self) -> bool:
        """Its primary basis (the first citation) is a draft (征求意见稿, 草案), not in force."""
        return self.basis[0].draft

    def _content(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "department": self.department,
            "mode": self.mode.value,
            "benefit": {
                "kind": self.benefit.kind.value,
                "description": self.benefit.description,
                "amount": self.benefit.amount.to_dict() if self.benefit.amount else None,
                "illustrative": self.benefit.illustrative,
            },
            "criteria": to_json(self.criteria),
            "basis": [{"source": c.source, "node": c.node} for c in self.basis],
            "window": self.window.to_dict(),
        }

    def to_entry(self) -> dict[str, Any]:
        """The pack entry of this policy (JSON-compatible), as a pack file writes it:
        ``load_entry(p.to_entry()) == p`` (:func:`huiqi.rules.policies.load_entry`)."""
        benefit: dict[str, Any] = {
            "kind": self.benefit.kind.label,
            "description": self.benefit.description,
        }
        amount = self.benefit.amount
        if amount is not None:
            written: dict[str, Any] = {amount.kind.value: _number(amount.value)}
            if amount.fact is not None:
                written["of"] = amount.fact
            if amount.cap is not None:
                written["cap"] = _number(amount.cap)
            if amount.per is not None:
                written["per"] = amount.per
            benefit["amount"] = written
            benefit["illustrative"] = self.benefit.illustrative
        window: Any = "长期"
        if self.window.start is not None or self.window.end is not None:
            window = {
                k: v.isoformat()
                for k, v in (("from", self.window.start), ("to", self.window.end))
                if v is not None
            }
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "department": self.department,
            "mode": self.mode.label,
            "benefit": benefit,
            "criteria": self.criteria_text,
            "basis": [{"doc": c.source, "at": c.node} for c in self.basis],
            "window": window,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, with the criteria in both the text and the JSON form."""
        return {
            "id": self.id,
            "version": self.version,
            "content_hash": self.content_hash,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "department": self.department,
            "mode": self.mode.value,
            "mode_label": self.mode.label,
            "benefit": self.benefit.to_dict(),
            "criteria": self.criteria_text,
            "criteria_json": to_json(self.criteria),
            "basis": [c.to_dict() for c in self.basis],
            "window": self.window.to_dict(),
        }


def rule_set_version(policies: Sequence[Policy]) -> str:
    """One hash of the screened policies' ids and content hashes: two screenings with the same
    version applied the same rules."""
    digest = hashlib.sha256()
    for policy in sorted(policies, key=lambda p: p.id):
        digest.update(f"{policy.id}:{policy.content_hash}\n".encode())
    return digest.hexdigest()[:16]


def _digest(content: Mapping[str, Any]) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _number(value: Decimal) -> str:
    """2 → 2, 0.50 → 0.5."""
    return format(value.normalize(), "f")


def _wan(value: Decimal | None) -> str:
    assert value is not None
    return f"{_number(value)}万元"
