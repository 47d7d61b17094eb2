"""Errors of the rules that a user can act on: an unknown code, a date no rule covers, a
missing fact. Each message is in Simplified Chinese and says what to provide instead."""

from __future__ import annotations

from huiqi.errors import UserError


class RulesError(UserError):
    """A question the rules cannot answer as asked."""


class UnknownCitation(RulesError):
    """A pack or data file cites a document, provision or instrument that is not declared."""


class PackError(RulesError):
    """A jurisdiction pack or rules data file breaks the format; names the file and the entry."""


class UnknownJurisdiction(RulesError):
    """A 行政区划代码 that no pack or jurisdiction entry knows."""


class NotInForce(RulesError):
    """A date outside every known value of a parameter, at every level of the hierarchy."""


class NoStatutoryPeriod(RulesError):
    """The law in force sets no number of days for this period, and nothing may replace it."""


class InvalidFacts(RulesError):
    """Facts that cannot be right: a negative number, a date before another it must follow."""


class UnknownIndustry(RulesError):
    """An industry code that GB/T 4754-2017 does not contain."""


class IndustryTooCoarse(RulesError):
    """An industry code whose sub-codes fall under different rows of the size standard."""


class IndustryNotCovered(RulesError):
    """An industry the size standard leaves out (railways, finance, public administration…)."""


class MissingFacts(RulesError):
    """An indicator is needed to decide and was not given."""
