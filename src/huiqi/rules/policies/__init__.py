"""惠企政策 as data, and matching one enterprise against them.

长春 条例 第三十五条 asks for a published policy list (惠企政策清单), pushed to the enterprises
it fits, enjoyed without applying where the government's shared data suffice (免申即享). A
:class:`Policy` is one entry of that list: benefit, criteria (:mod:`huiqi.rules.criteria`),
legal basis, window, mode. :func:`match` gives one enterprise's result for every policy that
applies to it, with the reasons and the facts still to provide. The example pack
(:func:`bundled_policies`) is written from the bundled regulations; amounts they do not state
are marked illustrative. See ``docs/policies.md``.
"""

from .enterprise import EnterpriseFactsError, checked_facts
from .load import PolicyError, bundled_policies, load_entry, load_policies, load_text
from .matching import Match, MatchError, jurisdictions_for, match
from .model import (
    ILLUSTRATIVE_NOTE,
    Amount,
    AmountKind,
    Benefit,
    BenefitKind,
    Mode,
    Policy,
    Window,
    rule_set_version,
)

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "Amount",
    "AmountKind",
    "Benefit",
    "BenefitKind",
    "EnterpriseFactsError",
    "Match",
    "MatchError",
    "Mode",
    "Policy",
    "PolicyError",
    "Window",
    "bundled_policies",
    "checked_facts",
    "jurisdictions_for",
    "load_entry",
    "load_policies",
    "load_text",
    "match",
    "rule_set_version",
]
