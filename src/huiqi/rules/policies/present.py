"""What a match result shows, shared by the command line (``huiqi match``) and the platform's
policy calculator: the conditions to show for each result, the facts still needed across
results with who provides each (长春 条例 第三十五条第三款: shared government data is obtained
by the department, never asked of the enterprise again), and the note on draft bases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from huiqi.rules.criteria import Check, Eligibility
from huiqi.rules.facts import Fact, Source, catalogue

from .matching import Match

DRAFT_NOTE = "主要依据为草案（征求意见稿），尚未施行，本项为演示示例"
"""Shown with a policy whose primary basis is a draft (:attr:`Policy.draft_basis`)."""

PROVIDERS = {
    Source.SELF: "由企业填报",
    Source.SHARED: "政府共享数据，由主管部门调取，不要求企业重复提供",
}
"""Who provides a missing fact, by its catalogue source."""


def shown_checks(m: Match) -> tuple[Check, ...]:
    """The conditions to list: the decisive ones (why not) for a policy not eligible for,
    every condition otherwise."""
    return m.decisive if m.status is Eligibility.NOT_ELIGIBLE else m.checks


@dataclass(frozen=True)
class NeededFact:
    """A fact that would decide ``policies`` possibly eligible results."""

    fact: Fact
    policies: int

    @property
    def label(self) -> str:
        """营业收入（万元）."""
        return f"{self.fact.label}（{self.fact.unit}）" if self.fact.unit else self.fact.label

    @property
    def provider(self) -> str:
        return PROVIDERS[self.fact.source]


def needed_facts(results: Iterable[Match]) -> tuple[NeededFact, ...]:
    """The facts still missing across the results, in catalogue order, each with the number
    of policies it would decide."""
    needed: Counter[str] = Counter(name for m in results for name in m.missing)
    facts = catalogue().facts
    return tuple(NeededFact(facts[name], needed[name]) for name in facts if name in needed)
