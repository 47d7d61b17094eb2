"""The policy calculator (政策计算器): an enterprise's facts against every published policy
of the policy list (长春 条例 第三十五条第二款), by the rules engine's matcher
(:func:`huiqi.rules.policies.match`). Each result names the policy version it came from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from huiqi.policies.models import PolicyVersion
from huiqi.rules.criteria import Check, Eligibility, leaves
from huiqi.rules.criteria.nodes import inputs
from huiqi.rules.facts import catalogue
from huiqi.rules.jurisdictions import Jurisdiction
from huiqi.rules.policies import Match, Policy, jurisdictions_for, match
from huiqi.rules.policies.present import DRAFT_NOTE, NeededFact, needed_facts, shown_checks

BADGES = {
    Eligibility.ELIGIBLE: "eligible",
    Eligibility.POSSIBLY: "possibly",
    Eligibility.NOT_ELIGIBLE: "not_eligible",
}
"""The CSS badge class of each status."""


def published() -> list[PolicyVersion]:
    """The published policy versions (the public 惠企政策清单)."""
    return list(PolicyVersion.objects.published().select_related("record").order_by("record"))


def asked_facts(versions: Iterable[PolicyVersion]) -> tuple[str, ...]:
    """The stored facts the criteria of these policies read, in catalogue order, with the
    district (which decides which policies apply): all a calculator needs to ask."""
    used = {"district"}
    for version in versions:
        for condition in leaves(version.policy.criteria):
            used.update(inputs(condition))
    return tuple(name for name in catalogue().facts if name in used)


@dataclass(frozen=True)
class Result:
    """One policy's result with the published version it was computed from."""

    match: Match
    version: PolicyVersion

    @property
    def policy(self) -> Policy:
        return self.match.policy

    @property
    def status(self) -> Eligibility:
        return self.match.status

    @property
    def badge(self) -> str:
        return BADGES[self.match.status]

    @property
    def checks(self) -> tuple[Check, ...]:
        return shown_checks(self.match)

    @property
    def to_provide(self) -> list[str]:
        return [_label(name) for name in self.match.to_provide]

    @property
    def to_obtain(self) -> list[str]:
        return [_label(name) for name in self.match.to_obtain]

    @property
    def draft_note(self) -> str | None:
        return DRAFT_NOTE if self.match.policy.draft_basis else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.match.to_dict(),
            "policy_version": {
                "slug": self.version.record.slug,
                "number": self.version.number,
                "content_hash": self.version.content_hash,
            },
            "draft_note": self.draft_note,
        }


@dataclass(frozen=True)
class Calculation:
    """Every published policy that applies to the enterprise's district and is open on
    ``on``: eligible first, then possibly eligible, then not eligible."""

    facts: Mapping[str, Any]
    on: date
    results: tuple[Result, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    published: int

    @cached_property
    def needed(self) -> tuple[NeededFact, ...]:
        return needed_facts(r.match for r in self.results)

    @cached_property
    def counts(self) -> list[tuple[Eligibility, str, int]]:
        counted = Counter(r.status for r in self.results)
        return [(status, BADGES[status], counted[status]) for status in Eligibility]

    @property
    def jurisdiction_text(self) -> str:
        """长春市 → 吉林省 → 全国."""
        return " → ".join(j.name for j in self.jurisdictions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "jurisdictions": [{"code": j.code, "name": j.name} for j in self.jurisdictions],
            "published": self.published,
            "counts": {status.value: count for status, _, count in self.counts},
            "needed": [
                {
                    "fact": n.fact.name,
                    "label": n.label,
                    "source": n.fact.source.value,
                    "provider": n.provider,
                    "policies": n.policies,
                }
                for n in self.needed
            ],
            "results": [r.to_dict() for r in self.results],
        }


def calculate(
    facts: Mapping[str, Any], on: date, versions: Sequence[PolicyVersion] | None = None
) -> Calculation:
    """Match ``facts`` (catalogue names; checked by the matcher, whose errors name the
    field) against the published policies (or ``versions``) on ``on``."""
    versions = published() if versions is None else versions
    by_policy = {_key(v.policy): v for v in versions}
    matches = match(facts, [v.policy for v in versions], on)
    return Calculation(
        facts=facts,
        on=on,
        results=tuple(Result(m, by_policy[_key(m.policy)]) for m in matches),
        jurisdictions=jurisdictions_for(facts.get("district")),
        published=len(versions),
    )


def _key(policy: Policy) -> tuple[str, str]:
    """A policy's identity across equal copies (the matcher keeps the copies it compiled)."""
    return policy.id, policy.content_hash


def _label(name: str) -> str:
    item = catalogue().facts[name]
    return f"{item.label}（{item.unit}）" if item.unit else item.label
